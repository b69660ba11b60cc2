/*
 * test_heap.c - the Rtl heap keeps every block it hands out intact and
 * separate, merges what is freed, grows and shrinks through the virtual
 * memory services, and refuses bad pointers without damage.
 *
 * Why: the process heap under every Win32 program is this code, and heap bugs
 * surface far from their cause. So the big test is a long random workload
 * (fixed seed) checked against a shadow model: each live block's bytes are a
 * pattern the model can recompute, blocks must never overlap, contents must
 * survive reallocation, and RtlValidateHeap walks the whole heap every few
 * operations. The heap's memory comes from host_nt.c's mmap regions, which
 * ASan cannot see, so those walks and the patterns stand in for it; and since
 * reserved-but-uncommitted pages are PROT_NONE there, a heap that strays past
 * what it committed crashes the test. The smaller tests pin one property
 * each: alignment, HEAP_ZERO_MEMORY, merging (three freed neighbours serve
 * one block of their combined size at the same address), growth in place,
 * large blocks taking and returning their own region, double frees and
 * foreign pointers returning FALSE, RtlDestroyHeap leaving no region behind,
 * and statistics returning to zero.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nt/rtlheap.h>

#include "unit.h"

/* host_nt.c */
extern ULONG HostNtRegionCount(void);
extern SIZE_T HostNtCommittedBytes(void);
extern SIZE_T HostNtReservedBytes(void);
extern BOOLEAN HostNtQueryRegion(PVOID Address, PVOID *Base, SIZE_T *Size);
extern LONG HostNtAllocateFailCountdown;

#define KB 1024u
#define LARGE_THRESHOLD (512u * KB)
#define HEADER 16u /* what a block costs beyond its data, per the heap's design */

/* ---- helpers ---- */

static RTLP_HEAP_STATISTICS stats_of(PVOID Heap) {
    RTLP_HEAP_STATISTICS s;
    if (!NT_SUCCESS(RtlpQueryHeapStatistics(Heap, &s)))
        memset(&s, 0xFF, sizeof s);
    return s;
}

static UCHAR pattern(ULONG Seed, SIZE_T Index) {
    return (UCHAR)(Seed * 31u + Index * 7u + (Index >> 9));
}

static void fill(UCHAR *P, SIZE_T Size, ULONG Seed) {
    for (SIZE_T i = 0; i < Size; i++)
        P[i] = pattern(Seed, i);
}

/* The index of the first byte that does not match, or Size. */
static SIZE_T first_mismatch(const UCHAR *P, SIZE_T Size, ULONG Seed) {
    for (SIZE_T i = 0; i < Size; i++)
        if (P[i] != pattern(Seed, i))
            return i;
    return Size;
}

static BOOLEAN all_zero(const UCHAR *P, SIZE_T Size) {
    for (SIZE_T i = 0; i < Size; i++)
        if (P[i] != 0)
            return FALSE;
    return TRUE;
}

static PVOID create_heap(ULONG Flags, SIZE_T Reserve, SIZE_T Commit) {
    PVOID heap = RtlCreateHeap(Flags, NULL, Reserve, Commit, NULL, NULL);
    CHECK(heap != NULL);
    return heap;
}

static void destroy_heap(PVOID Heap) {
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK(RtlDestroyHeap(Heap) == NULL);
}

static ULONG xorshift(ULONG *State) {
    ULONG x = *State;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *State = x;
}

/* TRUE when a byte at Address can be written. The kernel does the write
 * (a read from a pipe into Address), so an inaccessible page shows up as
 * EFAULT instead of a crash. */
static BOOLEAN page_writable(PVOID Address) {
    int fds[2];
    if (pipe(fds) != 0)
        return FALSE;
    char byte = 0x5A;
    ssize_t n = write(fds[1], &byte, 1) == 1 ? read(fds[0], Address, 1) : -1;
    close(fds[0]);
    close(fds[1]);
    return n == 1;
}

/* ---- creating and destroying ---- */

TEST(create_refuses_caller_memory_and_caller_locks) {
    UCHAR *base = malloc(64 * KB);
    ULONG regions = HostNtRegionCount();
    CHECK(RtlCreateHeap(HEAP_GROWABLE, base, 64 * KB, 4 * KB, NULL, NULL) == NULL);
    LONG lock = 0;
    CHECK(RtlCreateHeap(HEAP_GROWABLE, NULL, 64 * KB, 4 * KB, &lock, NULL) == NULL);
    CHECK(RtlCreateHeap(0, NULL, (SIZE_T)2 << 30, 0, NULL, NULL) == NULL); /* a segment above 1 GiB */
    CHECK_EQ(HostNtRegionCount(), regions);
    free(base);
}

TEST(create_and_destroy_leave_no_region) {
    ULONG regions = HostNtRegionCount();
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    CHECK_EQ(HostNtRegionCount(), regions + 1);
    CHECK_EQ((ULONG_PTR)heap & 0xFFFF, 0); /* the handle is the region's base */
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BytesReserved, 1024 * KB); /* the default reserve */
    CHECK_EQ(s.BytesCommitted, 4096);
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.Segments, 1);
    destroy_heap(heap);
    CHECK_EQ(HostNtRegionCount(), regions);
    CHECK_EQ(HostNtCommittedBytes(), 0);
}

TEST(create_rounds_sizes_and_reserves_at_least_the_commit) {
    PVOID heap = create_heap(0, 5000, 100);
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BytesReserved, 8192);
    CHECK_EQ(s.BytesCommitted, 4096);
    destroy_heap(heap);
    heap = create_heap(0, 4096, 3 * 4096);
    s = stats_of(heap);
    CHECK_EQ(s.BytesReserved, 3 * 4096);
    CHECK_EQ(s.BytesCommitted, 3 * 4096);
    destroy_heap(heap);
}

TEST(destroy_releases_every_region) {
    ULONG regions = HostNtRegionCount();
    PVOID heap = create_heap(HEAP_GROWABLE, 64 * KB, 0);
    for (int i = 0; i < 200; i++)
        CHECK(RtlAllocateHeap(heap, 0, 3000) != NULL); /* several segments */
    CHECK(RtlAllocateHeap(heap, 0, 600 * KB) != NULL);
    CHECK(RtlAllocateHeap(heap, 0, 2048 * KB) != NULL);
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK(s.Segments > 2);
    CHECK_EQ(s.LargeBlocks, 2);
    CHECK_EQ(HostNtRegionCount(), regions + s.Segments + s.LargeBlocks);
    CHECK_EQ(s.BytesReserved, HostNtReservedBytes());
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RtlDestroyHeap(heap) == NULL);
    CHECK_EQ(HostNtRegionCount(), regions);
    CHECK_EQ(HostNtReservedBytes(), 0);
}

TEST(bad_handles_are_refused) {
    UCHAR *fake = aligned_alloc(4096, 4096);
    memset(fake, 0, 4096);
    CHECK(RtlAllocateHeap(NULL, 0, 8) == NULL);
    CHECK(RtlAllocateHeap(fake, 0, 8) == NULL);
    CHECK(RtlAllocateHeap(fake + 8, 0, 8) == NULL);
    CHECK(!RtlFreeHeap(fake, 0, fake + 64));
    CHECK(!RtlValidateHeap(fake, 0, NULL));
    CHECK_EQ(RtlSizeHeap(fake, 0, fake + 64), (SIZE_T)-1);
    CHECK(RtlReAllocateHeap(fake, 0, fake + 64, 8) == NULL);
    CHECK(RtlDestroyHeap(fake) == fake);
    CHECK(RtlDestroyHeap(NULL) == NULL);
    RTLP_HEAP_STATISTICS s;
    CHECK_STATUS(RtlpQueryHeapStatistics(fake, &s), STATUS_INVALID_PARAMETER);
    PVOID heap = create_heap(0, 0, 0);
    CHECK_STATUS(RtlpQueryHeapStatistics(heap, NULL), STATUS_INVALID_PARAMETER);
    destroy_heap(heap);
    free(fake);
}

/* ---- allocating ---- */

TEST(blocks_are_aligned_distinct_and_exactly_sized) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *blocks[400];
    for (ULONG i = 0; i < 400; i++) {
        blocks[i] = RtlAllocateHeap(heap, 0, i);
        if (!CHECK(blocks[i] != NULL))
            return;
        CHECK_EQ((ULONG_PTR)blocks[i] & 7, 0);
        CHECK_EQ(RtlSizeHeap(heap, 0, blocks[i]), i);
        fill(blocks[i], i, i);
    }
    for (ULONG i = 0; i < 400; i++) {
        CHECK_EQ(first_mismatch(blocks[i], i, i), i);
        CHECK(RtlValidateHeap(heap, 0, blocks[i]));
    }
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 400);
    CHECK_EQ(s.BytesInUse, 399 * 400 / 2);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    for (ULONG i = 0; i < 400; i += 2)
        CHECK(RtlFreeHeap(heap, 0, blocks[i]));
    for (ULONG i = 1; i < 400; i += 2)
        CHECK_EQ(first_mismatch(blocks[i], i, i), i);
    for (ULONG i = 1; i < 400; i += 2)
        CHECK(RtlFreeHeap(heap, 0, blocks[i]));
    s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.BytesInUse, 0);
    destroy_heap(heap);
}

TEST(zero_memory_flag_zeroes_reused_blocks) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *p = RtlAllocateHeap(heap, 0, 200);
    memset(p, 0xAB, 200);
    CHECK(RtlFreeHeap(heap, 0, p));
    UCHAR *q = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, 200);
    CHECK(q == p); /* the same block again, dirty before */
    CHECK(all_zero(q, 200));

    /* Reallocation with HEAP_ZERO_MEMORY zeroes the new tail, moved or not. */
    memset(q, 0xCD, 200);
    UCHAR *r = RtlReAllocateHeap(heap, 0, q, 100);
    CHECK(r == q);
    r = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, r, 180); /* in place, over dirty bytes */
    CHECK(r == q);
    CHECK(all_zero(r + 100, 80));
    CHECK_EQ(r[99], 0xCD);
    UCHAR *blocker = RtlAllocateHeap(heap, 0, 16); /* forces the next grow to move */
    UCHAR *moved = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, r, 5000);
    CHECK(moved != NULL && moved != r);
    CHECK_EQ(moved[0], 0xCD);
    CHECK(all_zero(moved + 180, 5000 - 180));

    UCHAR *large = RtlAllocateHeap(heap, HEAP_ZERO_MEMORY, 700 * KB);
    CHECK(large != NULL && all_zero(large, 700 * KB));
    memset(large, 0xEE, 700 * KB);
    large = RtlReAllocateHeap(heap, 0, large, 600 * KB);
    large = RtlReAllocateHeap(heap, HEAP_ZERO_MEMORY, large, 700 * KB);
    CHECK(large != NULL && all_zero(large + 600 * KB, 100 * KB));
    CHECK(RtlFreeHeap(heap, 0, large));
    CHECK(RtlFreeHeap(heap, 0, moved));
    CHECK(RtlFreeHeap(heap, 0, blocker));
    destroy_heap(heap);
}

TEST(size_zero_gives_distinct_blocks) {
    PVOID heap = create_heap(0, 0, 0);
    PVOID a = RtlAllocateHeap(heap, 0, 0), b = RtlAllocateHeap(heap, 0, 0);
    CHECK(a != NULL && b != NULL && a != b);
    CHECK_EQ(RtlSizeHeap(heap, 0, a), 0);
    CHECK(RtlFreeHeap(heap, 0, a));
    CHECK(RtlFreeHeap(heap, 0, b));
    CHECK(RtlFreeHeap(heap, 0, NULL)); /* NT: freeing NULL succeeds */
    CHECK(RtlAllocateHeap(heap, 0, (SIZE_T)-1) == NULL);
    CHECK(RtlAllocateHeap(heap, 0, (SIZE_T)0x80000000u) == NULL);
    destroy_heap(heap);
}

/* ---- merging ---- */

/* Allocates three neighbours and a guard, frees the three in Order, then asks
 * for one block of their combined size: it must come back at the first one's
 * address. */
static void check_three_merge(PVOID Heap, SIZE_T Size, const int Order[3]) {
    UCHAR *n[3];
    for (int i = 0; i < 3; i++)
        n[i] = RtlAllocateHeap(Heap, 0, Size);
    UCHAR *guard = RtlAllocateHeap(Heap, 0, 8);
    SIZE_T block = ALIGN_UP(Size + HEADER, (SIZE_T)8);
    CHECK(n[1] == n[0] + block);
    CHECK(n[2] == n[1] + block);
    for (int i = 0; i < 3; i++) {
        CHECK(RtlFreeHeap(Heap, 0, n[Order[i]]));
        CHECK(RtlValidateHeap(Heap, 0, NULL));
    }
    UCHAR *combined = RtlAllocateHeap(Heap, 0, 3 * block - HEADER);
    CHECK(combined == n[0]);
    CHECK(RtlFreeHeap(Heap, 0, combined));
    CHECK(RtlFreeHeap(Heap, 0, guard));
}

TEST(three_freed_neighbours_serve_their_combined_size_in_place) {
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    static const SIZE_T sizes[] = {24, 104, 200, 1000, 4000, 50000};
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    PVOID keep = RtlAllocateHeap(heap, 0, 50); /* so the three are not the heap's first block */
    for (ULONG s = 0; s < ARRAYSIZE(sizes); s++)
        for (int o = 0; o < 6; o++)
            check_three_merge(heap, sizes[s], orders[o]);
    CHECK(RtlFreeHeap(heap, 0, keep));
    /* Everything freed merges back into one free block per segment. */
    RTLP_HEAP_STATISTICS st = stats_of(heap);
    CHECK_EQ(st.BlocksInUse, 0);
    UCHAR *all = RtlAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, 200 * KB);
    CHECK(all != NULL);
    destroy_heap(heap);
}

/* ---- resizing ---- */

TEST(realloc_grows_into_a_free_neighbour_in_place) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *a = RtlAllocateHeap(heap, 0, 100);
    UCHAR *b = RtlAllocateHeap(heap, 0, 100);
    UCHAR *c = RtlAllocateHeap(heap, 0, 100);
    fill(a, 100, 1);
    fill(c, 100, 3);
    CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 150) == NULL); /* b is busy */
    CHECK_EQ(RtlSizeHeap(heap, 0, a), 100);
    CHECK_EQ(first_mismatch(a, 100, 1), 100);
    CHECK(RtlFreeHeap(heap, 0, b));
    UCHAR *grown = RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 200);
    CHECK(grown == a);
    CHECK_EQ(RtlSizeHeap(heap, 0, a), 200);
    CHECK_EQ(first_mismatch(a, 100, 1), 100);
    CHECK_EQ(first_mismatch(c, 100, 3), 100);
    CHECK(RtlValidateHeap(heap, 0, NULL));

    /* Shrinking stays in place and frees the tail for others. */
    UCHAR *shrunk = RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 40);
    CHECK(shrunk == a);
    CHECK_EQ(first_mismatch(a, 40, 1), 40);
    UCHAR *tail = RtlAllocateHeap(heap, 0, 100);
    CHECK(tail > a && tail < c);

    /* With c busy and no room, a moves; its old place is freed. */
    fill(a, 40, 9);
    UCHAR *moved = RtlReAllocateHeap(heap, 0, a, 3000);
    CHECK(moved != NULL && moved != a);
    CHECK_EQ(first_mismatch(moved, 40, 9), 40);
    CHECK_EQ(RtlSizeHeap(heap, 0, a), (SIZE_T)-1);
    CHECK(!RtlFreeHeap(heap, 0, a));
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 3);
    CHECK_EQ(s.BytesInUse, 3000 + 100 + 100);
    CHECK(RtlReAllocateHeap(heap, 0, NULL, 10) == NULL);
    CHECK(RtlReAllocateHeap(heap, 0, moved, (SIZE_T)-1) == NULL);
    CHECK_EQ(first_mismatch(moved, 40, 9), 40);
    destroy_heap(heap);
}

TEST(realloc_at_the_segment_end_commits_more_in_place) {
    PVOID heap = create_heap(0, 1024 * KB, 4 * KB);
    UCHAR *a = RtlAllocateHeap(heap, 0, 1000);
    fill(a, 1000, 5);
    SIZE_T committed = stats_of(heap).BytesCommitted;
    UCHAR *big = RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 300 * KB);
    CHECK(big == a);
    CHECK_EQ(first_mismatch(big, 1000, 5), 1000);
    memset(big, 1, 300 * KB); /* every byte is committed */
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK(s.BytesCommitted > committed);
    CHECK(s.BytesCommitted <= 300 * KB + 8 * KB);
    CHECK_EQ(s.BytesCommitted % 4096, 0);
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    /* Past the reserve of a fixed heap: no. */
    CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 1100 * KB) == NULL);
    CHECK(RtlReAllocateHeap(heap, 0, a, 1100 * KB) == NULL);
    CHECK_EQ(RtlSizeHeap(heap, 0, a), 300 * KB);
    destroy_heap(heap);
}

/* ---- growth ---- */

TEST(fixed_heap_commits_page_by_page_until_its_reserve_is_full) {
    PVOID heap = create_heap(0, 64 * KB, 4 * KB);
    UCHAR *blocks[64];
    int n = 0;
    SIZE_T lastCommitted = stats_of(heap).BytesCommitted;
    while (n < 64) {
        UCHAR *p = RtlAllocateHeap(heap, 0, 1000);
        if (p == NULL)
            break;
        memset(p, n, 1000);
        blocks[n++] = p;
        RTLP_HEAP_STATISTICS s = stats_of(heap);
        CHECK(s.BytesCommitted - lastCommitted <= 4096); /* one page at a time */
        CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
        lastCommitted = s.BytesCommitted;
    }
    CHECK(n > 55 && n < 64); /* 64 KiB less the headers */
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BytesCommitted, 64 * KB);
    CHECK_EQ(s.Segments, 1);
    CHECK(RtlAllocateHeap(heap, 0, 600 * KB) == NULL); /* fixed heaps serve no large blocks */
    CHECK(RtlValidateHeap(heap, 0, NULL));
    for (int i = 0; i < n; i++)
        CHECK(RtlFreeHeap(heap, 0, blocks[i]));
    CHECK_EQ(stats_of(heap).BlocksInUse, 0);
    CHECK(RtlAllocateHeap(heap, 0, 60 * KB) != NULL); /* merged back into one */
    destroy_heap(heap);
}

TEST(growable_heap_adds_segments) {
    PVOID heap = create_heap(HEAP_GROWABLE, 64 * KB, 0);
    UCHAR *blocks[300];
    for (int i = 0; i < 300; i++) {
        blocks[i] = RtlAllocateHeap(heap, 0, 4000);
        if (!CHECK(blocks[i] != NULL))
            return;
        fill(blocks[i], 4000, (ULONG)i);
    }
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK(s.Segments > 1);
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    CHECK_EQ(s.BytesReserved, HostNtReservedBytes());
    /* A request bigger than any segment's reserve gets a segment of its own. */
    UCHAR *big = RtlAllocateHeap(heap, 0, 500 * KB);
    CHECK(big != NULL);
    memset(big, 3, 500 * KB);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    for (int i = 0; i < 300; i++) {
        CHECK_EQ(first_mismatch(blocks[i], 4000, (ULONG)i), 4000);
        CHECK(RtlFreeHeap(heap, 0, blocks[i]));
    }
    CHECK(RtlFreeHeap(heap, 0, big));
    s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.BytesInUse, 0);
    destroy_heap(heap);
}

/* ---- large blocks ---- */

TEST(large_blocks_take_and_give_back_their_own_region) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    ULONG regions = HostNtRegionCount();
    SIZE_T committed = HostNtCommittedBytes();

    UCHAR *exact = RtlAllocateHeap(heap, 0, LARGE_THRESHOLD); /* at the threshold: a small block */
    CHECK(exact != NULL);
    CHECK_EQ(stats_of(heap).LargeBlocks, 0);
    CHECK(RtlFreeHeap(heap, 0, exact));
    regions = HostNtRegionCount();
    committed = HostNtCommittedBytes();

    UCHAR *p = RtlAllocateHeap(heap, 0, LARGE_THRESHOLD + 1);
    CHECK(p != NULL);
    CHECK_EQ(HostNtRegionCount(), regions + 1);
    PVOID base;
    SIZE_T size;
    CHECK(HostNtQueryRegion(p, &base, &size));
    CHECK(size >= LARGE_THRESHOLD + 1 && size <= LARGE_THRESHOLD + 1 + 8192);
    CHECK_EQ(RtlSizeHeap(heap, 0, p), LARGE_THRESHOLD + 1);
    CHECK_EQ((ULONG_PTR)p & 7, 0);
    fill(p, LARGE_THRESHOLD + 1, 77);
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.LargeBlocks, 1);
    CHECK_EQ(s.BlocksInUse, 1);
    CHECK_EQ(s.BytesInUse, LARGE_THRESHOLD + 1);
    CHECK(RtlValidateHeap(heap, 0, p));
    CHECK(RtlValidateHeap(heap, 0, NULL));

    /* Resizing within the region's pages: in place. Past them: a move. */
    UCHAR *q = RtlReAllocateHeap(heap, 0, p, LARGE_THRESHOLD + 2000);
    CHECK(q == p);
    q = RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, LARGE_THRESHOLD + 100);
    CHECK(q == p);
    CHECK(RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 2048 * KB) == NULL);
    UCHAR *r = RtlReAllocateHeap(heap, 0, q, 2048 * KB);
    CHECK(r != NULL && r != q);
    CHECK_EQ(first_mismatch(r, LARGE_THRESHOLD + 1, 77), LARGE_THRESHOLD + 1);
    CHECK_EQ(HostNtRegionCount(), regions + 1); /* the old region went back */
    CHECK(!HostNtQueryRegion(q, NULL, NULL));

    /* Shrinking below the threshold moves into a small block: the region goes. */
    UCHAR *small = RtlReAllocateHeap(heap, 0, r, 1000);
    CHECK(small != NULL);
    CHECK_EQ(first_mismatch(small, 1000, 77), 1000);
    CHECK_EQ(HostNtRegionCount(), regions);
    CHECK_EQ(stats_of(heap).LargeBlocks, 0);

    /* Small to large moves into a region of its own. */
    UCHAR *again = RtlReAllocateHeap(heap, 0, small, 800 * KB);
    CHECK(again != NULL);
    CHECK_EQ(first_mismatch(again, 1000, 77), 1000);
    CHECK_EQ(HostNtRegionCount(), regions + 1);
    CHECK(RtlFreeHeap(heap, 0, again));
    CHECK(!RtlFreeHeap(heap, 0, again));
    CHECK_EQ(HostNtRegionCount(), regions);
    CHECK_EQ(HostNtCommittedBytes(), committed);
    s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.BytesInUse, 0);
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    destroy_heap(heap);
}

TEST(large_block_shrunk_in_place_only_keeps_its_region) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *p = RtlAllocateHeap(heap, 0, 600 * KB);
    fill(p, 600 * KB, 4);
    UCHAR *q = RtlReAllocateHeap(heap, HEAP_REALLOC_IN_PLACE_ONLY, p, 10);
    CHECK(q == p);
    CHECK_EQ(RtlSizeHeap(heap, 0, q), 10);
    CHECK_EQ(first_mismatch(q, 10, 4), 10);
    CHECK_EQ(stats_of(heap).BytesInUse, 10);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RtlFreeHeap(heap, 0, q));
    destroy_heap(heap);
}

/* ---- bad pointers ---- */

TEST(double_free_and_foreign_pointers_return_false_without_damage) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    PVOID other = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *a = RtlAllocateHeap(heap, 0, 64);
    UCHAR *b = RtlAllocateHeap(heap, 0, 64);
    UCHAR *c = RtlAllocateHeap(heap, 0, 64);
    UCHAR *large = RtlAllocateHeap(heap, 0, 600 * KB);
    UCHAR *elsewhere = RtlAllocateHeap(other, 0, 64);
    fill(a, 64, 1);
    fill(c, 64, 3);
    UCHAR *mallocd = malloc(64);
    UCHAR onstack[64];
    RTLP_HEAP_STATISTICS before = stats_of(heap);
    UCHAR *uncommitted = (UCHAR *)heap + before.BytesCommitted + 64; /* one segment: its commit limit */
    CHECK(!page_writable(uncommitted));

    UCHAR *foreign[] = {
        a + 8,
        a - 8,
        a + 1,
        a + 4,
        b - 16,
        c + 64, /* inside the heap, not block starts */
        mallocd,
        onstack,
        elsewhere, /* not the heap's at all */
        large + 8,
        large - 8,
        large + 4096, /* around a large block */
        (UCHAR *)heap,
        (UCHAR *)heap + 16,            /* the heap's own header */
        uncommitted,                   /* reserved, never committed: PROT_NONE */
        (UCHAR *)heap + 1024 * KB - 8, /* the last bytes of the reserve */
    };
    for (ULONG i = 0; i < ARRAYSIZE(foreign); i++) {
        if (!CHECK(!RtlFreeHeap(heap, 0, foreign[i])))
            printf("  foreign pointer %lu was freed\n", (unsigned long)i);
        CHECK_EQ(RtlSizeHeap(heap, 0, foreign[i]), (SIZE_T)-1);
        CHECK(RtlReAllocateHeap(heap, 0, foreign[i], 8) == NULL);
        CHECK(!RtlValidateHeap(heap, 0, foreign[i]));
    }
    RTLP_HEAP_STATISTICS after = stats_of(heap);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK_EQ(first_mismatch(a, 64, 1), 64);

    /* Double frees: a plain one, one whose header a merge swallowed, and a
     * large block's. */
    CHECK(RtlFreeHeap(heap, 0, b));
    CHECK(!RtlFreeHeap(heap, 0, b));
    CHECK(RtlFreeHeap(heap, 0, a)); /* merges b into a */
    CHECK(!RtlFreeHeap(heap, 0, b));
    CHECK(!RtlFreeHeap(heap, 0, a));
    CHECK(RtlFreeHeap(heap, 0, large));
    CHECK(!RtlFreeHeap(heap, 0, large));
    CHECK(!RtlFreeHeap(other, 0, c)); /* c belongs to heap, not other */
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RtlValidateHeap(other, 0, NULL));
    CHECK_EQ(first_mismatch(c, 64, 3), 64);
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 1);
    CHECK_EQ(s.BytesInUse, 64);
    CHECK(RtlFreeHeap(heap, 0, c));
    CHECK(RtlFreeHeap(other, 0, elsewhere));
    free(mallocd);
    destroy_heap(heap);
    destroy_heap(other);
}

TEST(validate_notices_a_smashed_header) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    UCHAR *a = RtlAllocateHeap(heap, 0, 64);
    UCHAR *b = RtlAllocateHeap(heap, 0, 64);
    UCHAR *c = RtlAllocateHeap(heap, 0, 64);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    UCHAR saved[HEADER];
    memcpy(saved, b - HEADER, HEADER);
    memset(a, 0x41, 64 + 4); /* overrun into b's header */
    CHECK(!RtlValidateHeap(heap, 0, NULL));
    CHECK(!RtlValidateHeap(heap, 0, b));
    CHECK(!RtlFreeHeap(heap, 0, b)); /* refused, not trusted */
    memcpy(b - HEADER, saved, HEADER);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK(RtlFreeHeap(heap, 0, b));
    CHECK(RtlFreeHeap(heap, 0, a));
    CHECK(RtlFreeHeap(heap, 0, c));
    destroy_heap(heap);
}

/* ---- running out ---- */

TEST(out_of_memory_fails_cleanly) {
    ULONG regions = HostNtRegionCount();
    HostNtAllocateFailCountdown = 1; /* the reserve succeeds, the commit fails */
    CHECK(RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL) == NULL);
    CHECK_EQ(HostNtRegionCount(), regions); /* the reserve was given back */
    HostNtAllocateFailCountdown = -1;

    PVOID heap = create_heap(HEAP_GROWABLE, 64 * KB, 0);
    UCHAR *a = RtlAllocateHeap(heap, 0, 100);
    fill(a, 100, 8);
    HostNtAllocateFailCountdown = 0;
    CHECK(RtlAllocateHeap(heap, 0, 8000) == NULL);     /* needs a commit */
    CHECK(RtlAllocateHeap(heap, 0, 200 * KB) == NULL); /* needs a segment */
    CHECK(RtlAllocateHeap(heap, 0, 600 * KB) == NULL); /* needs a region */
    CHECK(RtlReAllocateHeap(heap, 0, a, 100 * KB) == NULL);
    CHECK(RtlAllocateHeap(heap, 0, 100) != NULL); /* what is committed still serves */
    CHECK(RtlValidateHeap(heap, 0, NULL));
    CHECK_EQ(first_mismatch(a, 100, 8), 100);
    CHECK_EQ(RtlSizeHeap(heap, 0, a), 100);
    HostNtAllocateFailCountdown = -1;
    CHECK(RtlReAllocateHeap(heap, 0, a, 100 * KB) != NULL);
    destroy_heap(heap);
    CHECK_EQ(HostNtRegionCount(), regions);
}

/* ---- the random workload ---- */

typedef struct _LIVE_BLOCK {
    UCHAR *Data;
    SIZE_T Size;
    ULONG Seed;
} LIVE_BLOCK;

static int compare_blocks(const void *A, const void *B) {
    const LIVE_BLOCK *a = A, *b = B;
    return a->Data < b->Data ? -1 : a->Data > b->Data;
}

/* Sorts the live blocks by address and checks that none overlaps the next. */
static ULONG count_overlaps(const LIVE_BLOCK *Live, ULONG Slots) {
    static LIVE_BLOCK sorted[1024];
    ULONG n = 0, overlaps = 0;
    for (ULONG i = 0; i < Slots; i++)
        if (Live[i].Data != NULL)
            sorted[n++] = Live[i];
    qsort(sorted, n, sizeof sorted[0], compare_blocks);
    for (ULONG i = 1; i < n; i++) {
        SIZE_T extent = sorted[i - 1].Size != 0 ? sorted[i - 1].Size : 1;
        if (sorted[i - 1].Data + extent > sorted[i].Data)
            overlaps++;
    }
    return overlaps;
}

static SIZE_T random_size(ULONG *Rng) {
    ULONG r = xorshift(Rng) % 1000;
    if (r < 600)
        return xorshift(Rng) % 128;
    if (r < 900)
        return xorshift(Rng) % 2048;
    if (r < 995)
        return xorshift(Rng) % (64 * KB);
    return LARGE_THRESHOLD - 4096 + xorshift(Rng) % (400 * KB); /* both sides of the threshold */
}

/* Runs Operations random allocate / free / reallocate steps on Heap against
 * the shadow model; allocations may fail only when AllowFailure. */
static void run_workload(PVOID Heap, ULONG Seed, ULONG Operations, ULONG Slots, BOOLEAN AllowFailure) {
    LIVE_BLOCK *live = calloc(Slots, sizeof *live);
    ULONG rng = Seed, errors = 0, failures = 0, inPlace = 0, moved = 0;
    SIZE_T bytes = 0, blocks = 0;
    for (ULONG op = 1; op <= Operations && errors < 10; op++) {
        LIVE_BLOCK *slot = &live[xorshift(&rng) % Slots];
        ULONG kind = xorshift(&rng) % 10;
        if (slot->Data == NULL) {
            SIZE_T size = random_size(&rng);
            ULONG flags = (kind & 1) ? HEAP_ZERO_MEMORY : 0;
            UCHAR *p = RtlAllocateHeap(Heap, flags, size);
            if (p == NULL) {
                failures++;
                if (!AllowFailure && errors++ < 3)
                    printf("  op %lu: allocation of %lu failed\n", (unsigned long)op, (unsigned long)size);
                continue;
            }
            if (((ULONG_PTR)p & 7) != 0 || RtlSizeHeap(Heap, 0, p) != size ||
                ((flags & HEAP_ZERO_MEMORY) && !all_zero(p, size))) {
                errors++;
                printf("  op %lu: new block %p of %lu is wrong\n", (unsigned long)op, (void *)p,
                       (unsigned long)size);
            }
            slot->Data = p;
            slot->Size = size;
            slot->Seed = op;
            fill(p, size, op);
            bytes += size;
            blocks++;
        } else if (kind < 5) {
            if (first_mismatch(slot->Data, slot->Size, slot->Seed) != slot->Size) {
                errors++;
                printf("  op %lu: block %p lost its contents before free\n", (unsigned long)op,
                       (void *)slot->Data);
            }
            if (!RtlFreeHeap(Heap, 0, slot->Data)) {
                errors++;
                printf("  op %lu: free of %p failed\n", (unsigned long)op, (void *)slot->Data);
            }
            bytes -= slot->Size;
            blocks--;
            slot->Data = NULL;
        } else {
            SIZE_T size = (kind == 9) ? slot->Size + xorshift(&rng) % 64 : random_size(&rng);
            ULONG flags = (kind == 8) ? HEAP_REALLOC_IN_PLACE_ONLY : (kind == 7) ? HEAP_ZERO_MEMORY : 0;
            UCHAR *p = RtlReAllocateHeap(Heap, flags, slot->Data, size);
            if (p == NULL) {
                /* Allowed for in-place-only and when memory runs out: the
                 * old block must be untouched. */
                if (!(flags & HEAP_REALLOC_IN_PLACE_ONLY)) {
                    failures++;
                    if (!AllowFailure && errors++ < 3)
                        printf("  op %lu: reallocation to %lu failed\n", (unsigned long)op,
                               (unsigned long)size);
                }
                if (RtlSizeHeap(Heap, 0, slot->Data) != slot->Size ||
                    first_mismatch(slot->Data, slot->Size, slot->Seed) != slot->Size) {
                    errors++;
                    printf("  op %lu: failed reallocation damaged %p\n", (unsigned long)op,
                           (void *)slot->Data);
                }
                continue;
            }
            if (flags & HEAP_REALLOC_IN_PLACE_ONLY) {
                if (p != slot->Data) {
                    errors++;
                    printf("  op %lu: in-place-only reallocation moved\n", (unsigned long)op);
                }
            }
            if (p == slot->Data)
                inPlace++;
            else
                moved++;
            SIZE_T kept = size < slot->Size ? size : slot->Size;
            if (first_mismatch(p, kept, slot->Seed) != kept || RtlSizeHeap(Heap, 0, p) != size ||
                ((flags & HEAP_ZERO_MEMORY) && size > slot->Size &&
                 !all_zero(p + slot->Size, size - slot->Size))) {
                errors++;
                printf("  op %lu: reallocation %lu -> %lu lost contents\n", (unsigned long)op,
                       (unsigned long)slot->Size, (unsigned long)size);
            }
            bytes = bytes - slot->Size + size;
            slot->Data = p;
            slot->Size = size;
            slot->Seed = op;
            fill(p, size, op);
        }
        if (op % 97 == 0) {
            if (!RtlValidateHeap(Heap, 0, NULL)) {
                errors++;
                printf("  op %lu: RtlValidateHeap failed\n", (unsigned long)op);
            }
            RTLP_HEAP_STATISTICS s = stats_of(Heap);
            if (s.BytesInUse != bytes || s.BlocksInUse != blocks) {
                errors++;
                printf("  op %lu: statistics %lu/%lu, model %lu/%lu\n", (unsigned long)op,
                       (unsigned long)s.BytesInUse, (unsigned long)s.BlocksInUse, (unsigned long)bytes,
                       (unsigned long)blocks);
            }
        }
        if (op % 499 == 0) {
            ULONG overlaps = count_overlaps(live, Slots);
            if (overlaps != 0) {
                errors++;
                printf("  op %lu: %lu overlapping blocks\n", (unsigned long)op, (unsigned long)overlaps);
            }
            for (ULONG i = 0; i < Slots; i++)
                if (live[i].Data != NULL &&
                    first_mismatch(live[i].Data, live[i].Size, live[i].Seed) != live[i].Size) {
                    errors++;
                    printf("  op %lu: block %p changed under its owner\n", (unsigned long)op,
                           (void *)live[i].Data);
                }
        }
    }
    CHECK_EQ(errors, 0);
    if (!AllowFailure)
        CHECK_EQ(failures, 0);
    CHECK(inPlace > 0);
    CHECK(moved > 0);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    CHECK_EQ(count_overlaps(live, Slots), 0);
    for (ULONG i = 0; i < Slots; i++) {
        if (live[i].Data == NULL)
            continue;
        CHECK_EQ(first_mismatch(live[i].Data, live[i].Size, live[i].Seed), live[i].Size);
        CHECK(RtlFreeHeap(Heap, 0, live[i].Data));
    }
    RTLP_HEAP_STATISTICS s = stats_of(Heap);
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.BytesInUse, 0);
    CHECK_EQ(s.LargeBlocks, 0);
    CHECK(RtlValidateHeap(Heap, 0, NULL));
    free(live);
}

TEST(random_workload_matches_the_shadow_model) {
    ULONG regions = HostNtRegionCount();
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    run_workload(heap, 0x1234567u, 30000, 512, FALSE);
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BytesCommitted, HostNtCommittedBytes());
    CHECK_EQ(HostNtRegionCount(), regions + s.Segments); /* every large region went back */
    destroy_heap(heap);
    CHECK_EQ(HostNtRegionCount(), regions);
}

TEST(random_workload_on_a_small_growable_heap) {
    PVOID heap = create_heap(HEAP_GROWABLE, 16 * KB, 4 * KB);
    run_workload(heap, 0xBADC0DEu, 20000, 256, FALSE);
    destroy_heap(heap);
    CHECK_EQ(HostNtRegionCount(), 0);
}

TEST(random_workload_on_a_full_fixed_heap) {
    /* 256 KiB and no growth: allocations fail often; failures must be clean. */
    PVOID heap = create_heap(0, 256 * KB, 4 * KB);
    run_workload(heap, 0xFEEDu, 20000, 256, TRUE);
    CHECK_EQ(stats_of(heap).BytesCommitted, 256 * KB);
    destroy_heap(heap);
}

/* ---- serialisation ---- */

typedef struct _THREAD_WORK {
    pthread_barrier_t *Start;
    PVOID Heap;
    ULONG Seed;
    ULONG Errors;
} THREAD_WORK;

static void *hammer(void *Argument) {
    THREAD_WORK *work = Argument;
    UCHAR *mine[64] = {0};
    SIZE_T sizes[64] = {0};
    ULONG rng = work->Seed;
    pthread_barrier_wait(work->Start); /* all at once, so the lock is contended */
    for (ULONG op = 0; op < 50000; op++) {
        ULONG i = xorshift(&rng) % 64;
        if (mine[i] == NULL) {
            sizes[i] = xorshift(&rng) % 3000;
            mine[i] = RtlAllocateHeap(work->Heap, 0, sizes[i]);
            if (mine[i] == NULL) {
                work->Errors++;
                continue;
            }
            memset(mine[i], (int)(work->Seed & 0xFF), sizes[i]);
        } else {
            for (SIZE_T k = 0; k < sizes[i]; k++)
                if (mine[i][k] != (UCHAR)(work->Seed & 0xFF)) {
                    work->Errors++;
                    break;
                }
            if (xorshift(&rng) & 1) {
                if (!RtlFreeHeap(work->Heap, 0, mine[i]))
                    work->Errors++;
                mine[i] = NULL;
            } else {
                SIZE_T size = xorshift(&rng) % 3000;
                UCHAR *p = RtlReAllocateHeap(work->Heap, 0, mine[i], size);
                if (p == NULL) {
                    work->Errors++;
                    continue;
                }
                memset(p, (int)(work->Seed & 0xFF), size);
                mine[i] = p;
                sizes[i] = size;
            }
        }
    }
    for (ULONG i = 0; i < 64; i++)
        if (mine[i] != NULL && !RtlFreeHeap(work->Heap, 0, mine[i]))
            work->Errors++;
    return NULL;
}

TEST(threads_share_one_heap_under_its_lock) {
    PVOID heap = create_heap(HEAP_GROWABLE, 0, 0);
    pthread_t threads[4];
    THREAD_WORK work[4];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 4);
    for (ULONG i = 0; i < 4; i++) {
        work[i].Start = &start;
        work[i].Heap = heap;
        work[i].Seed = 0x101u * (i + 1);
        work[i].Errors = 0;
        CHECK_EQ(pthread_create(&threads[i], NULL, hammer, &work[i]), 0);
    }
    for (ULONG i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ(work[i].Errors, 0);
    }
    pthread_barrier_destroy(&start);
    CHECK(RtlValidateHeap(heap, 0, NULL));
    RTLP_HEAP_STATISTICS s = stats_of(heap);
    CHECK_EQ(s.BlocksInUse, 0);
    CHECK_EQ(s.BytesInUse, 0);
    destroy_heap(heap);
}

TEST(no_serialize_heap_works_on_one_thread) {
    PVOID heap = create_heap(HEAP_NO_SERIALIZE | HEAP_GROWABLE, 0, 0);
    UCHAR *p = RtlAllocateHeap(heap, 0, 100);
    UCHAR *q = RtlAllocateHeap(heap, HEAP_NO_SERIALIZE, 100);
    CHECK(p != NULL && q != NULL);
    CHECK(RtlFreeHeap(heap, HEAP_GENERATE_EXCEPTIONS, p));
    CHECK(RtlFreeHeap(heap, 0, q));
    CHECK_EQ(stats_of(heap).BlocksInUse, 0);
    destroy_heap(heap);
}

/* ---- the host's virtual memory, which the tests above lean on ---- */

TEST(host_reserved_pages_are_inaccessible_until_committed) {
    PVOID base = NULL;
    SIZE_T size = 64 * KB;
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)base & 0xFFFF, 0);
    UCHAR *page = (UCHAR *)base + 8192;
    CHECK(!page_writable(page));
    PVOID commit = page + 10; /* rounded down to the page */
    SIZE_T commitSize = 10;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &commit, 0, &commitSize, MEM_COMMIT, PAGE_READWRITE),
        STATUS_SUCCESS);
    CHECK(commit == page);
    CHECK_EQ(commitSize, 4096);
    CHECK(page_writable(page));
    CHECK(!page_writable(page + 4096));
    page[0] = 42;
    /* Decommitted pages are inaccessible again, and come back zeroed. */
    PVOID decommit = page;
    SIZE_T decommitSize = 4096;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &decommit, &decommitSize, MEM_DECOMMIT),
                 STATUS_SUCCESS);
    CHECK(!page_writable(page));
    commit = page;
    commitSize = 4096;
    CHECK_STATUS(
        NtAllocateVirtualMemory(NtCurrentProcess(), &commit, 0, &commitSize, MEM_COMMIT, PAGE_READWRITE),
        STATUS_SUCCESS);
    CHECK_EQ(page[0], 0);
    /* Committing outside a reservation fails. */
    PVOID outside = (UCHAR *)base + 64 * KB;
    SIZE_T outsideSize = 4096;
    NTSTATUS status =
        NtAllocateVirtualMemory(NtCurrentProcess(), &outside, 0, &outsideSize, MEM_COMMIT, PAGE_READWRITE);
    CHECK_STATUS(status, STATUS_CONFLICTING_ADDRESSES);

    /* Releases: only a region's base, with size 0 or the whole region. */
    PVOID wrong = (UCHAR *)base + 4096;
    SIZE_T zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &wrong, &zero, MEM_RELEASE),
                 STATUS_FREE_VM_NOT_AT_BASE);
    UCHAR local;
    PVOID unknown = &local;
    zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &unknown, &zero, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
    zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory((HANDLE)0x1234, &base, &zero, MEM_RELEASE), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, 0x1), STATUS_INVALID_PARAMETER);
    ULONG regions = HostNtRegionCount();
    zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, MEM_RELEASE), STATUS_SUCCESS);
    CHECK_EQ(zero, 64 * KB);
    CHECK_EQ(HostNtRegionCount(), regions - 1);
    zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
}

int main(void) {
    RUN(create_refuses_caller_memory_and_caller_locks);
    RUN(create_and_destroy_leave_no_region);
    RUN(create_rounds_sizes_and_reserves_at_least_the_commit);
    RUN(destroy_releases_every_region);
    RUN(bad_handles_are_refused);
    RUN(blocks_are_aligned_distinct_and_exactly_sized);
    RUN(zero_memory_flag_zeroes_reused_blocks);
    RUN(size_zero_gives_distinct_blocks);
    RUN(three_freed_neighbours_serve_their_combined_size_in_place);
    RUN(realloc_grows_into_a_free_neighbour_in_place);
    RUN(realloc_at_the_segment_end_commits_more_in_place);
    RUN(fixed_heap_commits_page_by_page_until_its_reserve_is_full);
    RUN(growable_heap_adds_segments);
    RUN(large_blocks_take_and_give_back_their_own_region);
    RUN(large_block_shrunk_in_place_only_keeps_its_region);
    RUN(double_free_and_foreign_pointers_return_false_without_damage);
    RUN(validate_notices_a_smashed_header);
    RUN(out_of_memory_fails_cleanly);
    RUN(random_workload_matches_the_shadow_model);
    RUN(random_workload_on_a_small_growable_heap);
    RUN(random_workload_on_a_full_fixed_heap);
    RUN(threads_share_one_heap_under_its_lock);
    RUN(no_serialize_heap_works_on_one_thread);
    RUN(host_reserved_pages_are_inaccessible_until_committed);
    return UtFinish();
}
