/*
 * qsort.c - qsort, bsearch, and the rand generator.
 *
 * Why: qsort is an introsort-free, allocation-free quicksort: median of
 * three, a three-way split for runs of equal keys, recursion only into the
 * smaller side (so the stack stays O(log n) deep) and insertion sort below
 * eight elements. Elements are swapped byte by byte, so any element size
 * works and nothing is allocated. It is not stable, as C allows.
 *
 * rand is Microsoft's linear congruential generator (multiplier 214013,
 * increment 2531011, bits 16..30 of the state), so a program seeded with
 * srand(n) sees the sequence it sees on Windows; the state is one per
 * process, not per thread. Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

typedef int (*CRT_COMPARE)(const void *, const void *);

static void swap_bytes(char *a, char *b, size_t Size) {
    if (a == b)
        return;
    while (Size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void insertion_sort(char *Base, size_t Count, size_t Size, CRT_COMPARE Compare) {
    for (size_t i = 1; i < Count; i++) {
        for (size_t j = i; j > 0 && Compare(Base + (j - 1) * Size, Base + j * Size) > 0; j--)
            swap_bytes(Base + (j - 1) * Size, Base + j * Size, Size);
    }
}

void qsort(void *Array, size_t Count, size_t Size, CRT_COMPARE Compare) {
    char *base = Array;
    while (Count >= 8) {
        char *first = base, *middle = base + (Count / 2) * Size, *last = base + (Count - 1) * Size;
        /* Median of three into first. */
        if (Compare(middle, first) < 0)
            swap_bytes(middle, first, Size);
        if (Compare(last, middle) < 0) {
            swap_bytes(last, middle, Size);
            if (Compare(middle, first) < 0)
                swap_bytes(middle, first, Size);
        }
        swap_bytes(first, middle, Size); /* the pivot now sits at base[0] */
        /*
         * Three-way partition (Dijkstra): [1, lt) < pivot, [lt, i) == pivot,
         * (gt, Count) > pivot, with the pivot itself kept at base[0] until
         * the end.
         */
        size_t lt = 1, i = 1, gt = Count - 1;
        while (i <= gt) {
            int c = Compare(base + i * Size, base);
            if (c < 0) {
                swap_bytes(base + lt * Size, base + i * Size, Size);
                lt++;
                i++;
            } else if (c > 0) {
                swap_bytes(base + i * Size, base + gt * Size, Size);
                gt--;
            } else {
                i++;
            }
        }
        /* Move the pivot between the smaller ones and the equal ones. */
        lt--;
        swap_bytes(base, base + lt * Size, Size);
        size_t leftCount = lt, rightStart = gt + 1, rightCount = Count - rightStart;
        if (leftCount < rightCount) {
            qsort(base, leftCount, Size, Compare);
            base += rightStart * Size;
            Count = rightCount;
        } else {
            qsort(base + rightStart * Size, rightCount, Size, Compare);
            Count = leftCount;
        }
    }
    insertion_sort(base, Count, Size, Compare);
}

/* Any element of the sorted Array equal to Key, or NULL. */
void *bsearch(const void *Key, const void *Array, size_t Count, size_t Size, CRT_COMPARE Compare) {
    const char *base = Array;
    while (Count > 0) {
        const char *middle = base + (Count / 2) * Size;
        int c = Compare(Key, middle);
        if (c == 0)
            return (void *)middle;
        if (c > 0) {
            base = middle + Size;
            Count -= Count / 2 + 1;
        } else {
            Count /= 2;
        }
    }
    return NULL;
}

/* ---- rand ---- */

static uint32_t rand_state = 1;

void srand(unsigned Seed) {
    rand_state = Seed;
}

int rand(void) {
    rand_state = rand_state * 214013u + 2531011u;
    return (int)((rand_state >> 16) & 0x7FFF);
}
