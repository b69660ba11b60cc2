/*
 * string.c - memcpy, memset and friends for code that has no C library.
 *
 * Why: the compiler emits calls to memcpy/memset/memmove/memcmp even in
 * freestanding code, so the kernel must provide them. Plain byte loops with
 * a word fast path: clear rather than fast; the kernel copies little.
 */
#include <nt/ntdef.h>

void *memcpy(void *Dest, const void *Src, size_t Count) {
    unsigned char *d = Dest;
    const unsigned char *s = Src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        for (; Count >= 4; Count -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
    }
    while (Count--)
        *d++ = *s++;
    return Dest;
}

void *memmove(void *Dest, const void *Src, size_t Count) {
    unsigned char *d = Dest;
    const unsigned char *s = Src;
    if (d == s || Count == 0)
        return Dest;
    if (d < s || d >= s + Count)
        return memcpy(Dest, Src, Count);
    while (Count--)
        d[Count] = s[Count];
    return Dest;
}

void *memset(void *Dest, int Value, size_t Count) {
    unsigned char *d = Dest;
    uint32_t word = (unsigned char)Value * 0x01010101u;
    while (Count && ((uintptr_t)d & 3)) {
        *d++ = (unsigned char)Value;
        Count--;
    }
    for (; Count >= 4; Count -= 4, d += 4)
        *(uint32_t *)d = word;
    while (Count--)
        *d++ = (unsigned char)Value;
    return Dest;
}

int memcmp(const void *A, const void *B, size_t Count) {
    const unsigned char *a = A, *b = B;
    for (size_t i = 0; i < Count; i++)
        if (a[i] != b[i])
            return a[i] - b[i];
    return 0;
}

size_t strlen(const char *S) {
    size_t n = 0;
    while (S[n])
        n++;
    return n;
}

size_t strnlen(const char *S, size_t Max) {
    size_t n = 0;
    while (n < Max && S[n])
        n++;
    return n;
}

int strcmp(const char *A, const char *B) {
    while (*A && *A == *B)
        A++, B++;
    return (unsigned char)*A - (unsigned char)*B;
}

int strncmp(const char *A, const char *B, size_t Count) {
    for (size_t i = 0; i < Count; i++) {
        if (A[i] != B[i] || !A[i])
            return (unsigned char)A[i] - (unsigned char)B[i];
    }
    return 0;
}
