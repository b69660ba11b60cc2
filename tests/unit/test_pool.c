/*
 * test_pool.c - the tagged pool returns aligned, writable blocks, keeps exact
 * per-tag counters, gives large blocks' pages back, and stops the system on a
 * double free, a wrong tag or a smashed header.
 *
 * Why: the kernel's own tests prove "no leak" by reading a tag's BytesInUse
 * before and after an operation, so those counters must be exact; and a pool
 * that tolerates a double free corrupts its free lists silently. Pool pages
 * come from host_support.c, which counts pages outstanding and can be told
 * to fail, so exhaustion and page return are observable here. Writing every
 * byte of every block lets ASan prove each block is as large as promised.
 */
#include <string.h>

#include "../../kernel/include/ex.h"
#include "unit.h"

#define TAG_A NT_TAG('T', 's', 't', 'A')
#define TAG_B NT_TAG('T', 's', 't', 'B')
#define TAG_C NT_TAG('T', 's', 't', 'C')
#define OVERFLOW_TAG NT_TAG('?', '?', '?', '?')

static POOL_TAG_USAGE usage_of(ULONG Tag) {
    POOL_TAG_USAGE u;
    if (!NT_SUCCESS(ExQueryPoolTagUsage(Tag, &u)))
        memset(&u, 0, sizeof u);
    return u;
}

static POOL_STATISTICS statistics(void) {
    POOL_STATISTICS s;
    ExQueryPoolStatistics(&s);
    return s;
}

/* Allocates Size bytes, checks alignment and fills every byte (ASan traps a
 * block shorter than asked). */
static UCHAR *allocate_and_fill(SIZE_T Size, ULONG Tag, UCHAR Fill) {
    UCHAR *p = ExAllocatePoolWithTag(NonPagedPool, Size, Tag);
    if (!CHECK(p != NULL))
        return NULL;
    CHECK_EQ((ULONG_PTR)p & 15, 0);
    memset(p, Fill, Size);
    return p;
}

static const SIZE_T SmallSizes[] = {0, 1, 15, 16, 17, 100, 2032};
static const SIZE_T LargeSizes[] = {2033, 5000, 70000};

TEST(small_blocks_are_16_byte_aligned_and_writable) {
    ExInitializePool();
    UCHAR *blocks[ARRAYSIZE(SmallSizes)];
    for (ULONG i = 0; i < ARRAYSIZE(SmallSizes); i++)
        blocks[i] = allocate_and_fill(SmallSizes[i], TAG_A, (UCHAR)(0x10 + i));
    /* Each block kept its own bytes: no two overlap. */
    for (ULONG i = 0; i < ARRAYSIZE(SmallSizes); i++) {
        SIZE_T wrong = 0;
        for (SIZE_T b = 0; blocks[i] && b < SmallSizes[i]; b++)
            wrong += blocks[i][b] != (UCHAR)(0x10 + i);
        CHECK_EQ(wrong, 0);
    }
    CHECK_EQ(statistics().LargePages, 0);
    for (ULONG i = 0; i < ARRAYSIZE(SmallSizes); i++)
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], TAG_A);
    CHECK_EQ(usage_of(TAG_A).BytesInUse, 0);
}

TEST(large_blocks_get_whole_pages_and_give_them_back) {
    ExInitializePool();
    ULONG baseline = HostPoolPagesOutstanding;
    static const ULONG pages[] = {1, 2, 18}; /* (size + 16-byte header) rounded up to 4 KiB */
    UCHAR *blocks[ARRAYSIZE(LargeSizes)];
    ULONG held = 0;
    for (ULONG i = 0; i < ARRAYSIZE(LargeSizes); i++) {
        blocks[i] = allocate_and_fill(LargeSizes[i], TAG_B, 0xA0);
        held += pages[i];
        CHECK_EQ(HostPoolPagesOutstanding, baseline + held);
        CHECK_EQ(statistics().LargePages, held);
    }
    CHECK_EQ(statistics().PagesInPool, 0); /* no small-block pages were taken */
    CHECK_EQ(usage_of(TAG_B).BytesInUse, 2033 + 5000 + 70000);
    for (ULONG i = 0; i < ARRAYSIZE(LargeSizes); i++)
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], TAG_B);
    CHECK_EQ(HostPoolPagesOutstanding, baseline);
    CHECK_EQ(statistics().LargePages, 0);
    CHECK_EQ(HostPoolFreeMismatches, 0);
    CHECK_EQ(usage_of(TAG_B).BytesInUse, 0);
}

TEST(small_block_pages_stay_in_the_pool_after_free) {
    ExInitializePool();
    ULONG baseline = HostPoolPagesOutstanding;
    UCHAR *blocks[64];
    for (ULONG i = 0; i < 64; i++)
        blocks[i] = allocate_and_fill(100, TAG_A, (UCHAR)i); /* 128-byte class: 32 per page */
    ULONG pagesInPool = statistics().PagesInPool;
    CHECK_EQ(pagesInPool, 2);
    CHECK_EQ(HostPoolPagesOutstanding, baseline + pagesInPool);
    for (ULONG i = 0; i < 64; i++)
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], TAG_A);
    CHECK_EQ(statistics().PagesInPool, pagesInPool);
    CHECK_EQ(HostPoolPagesOutstanding, baseline + pagesInPool);
    CHECK_EQ(usage_of(TAG_A).BytesInUse, 0);
    /* Allocating the same again takes no new page. */
    ULONG calls = HostPoolAllocateCalls;
    for (ULONG i = 0; i < 64; i++)
        blocks[i] = allocate_and_fill(100, TAG_A, (UCHAR)i);
    CHECK_EQ(HostPoolAllocateCalls, calls);
    CHECK_EQ(statistics().PagesInPool, pagesInPool);
    for (ULONG i = 0; i < 64; i++)
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], TAG_A);
}

TEST(freed_small_block_is_reused) {
    ExInitializePool();
    UCHAR *first = allocate_and_fill(40, TAG_A, 1);
    ExFreePoolWithTag(first, TAG_A);
    UCHAR *second = allocate_and_fill(48, TAG_B, 2); /* 48 + 16-byte header: same 64-byte class */
    CHECK(second == first);
    ExFreePoolWithTag(second, TAG_B);
}

TEST(per_tag_counters_are_exact) {
    ExInitializePool();
    UCHAR *a1 = allocate_and_fill(10, TAG_A, 1);
    UCHAR *a2 = allocate_and_fill(20, TAG_A, 2);
    UCHAR *a3 = allocate_and_fill(3000, TAG_A, 3);
    UCHAR *b1 = allocate_and_fill(0, TAG_B, 4);
    UCHAR *b2 = ExAllocatePoolWithTag(PagedPool, 2032, TAG_B);
    CHECK(b2 != NULL);
    ExFreePoolWithTag(a2, TAG_A);

    POOL_TAG_USAGE a = usage_of(TAG_A), b = usage_of(TAG_B);
    CHECK_EQ(a.Tag, TAG_A);
    CHECK_EQ(a.Allocations, 3);
    CHECK_EQ(a.Frees, 1);
    CHECK_EQ(a.BytesInUse, 10 + 3000);
    CHECK_EQ(b.Tag, TAG_B);
    CHECK_EQ(b.Allocations, 2);
    CHECK_EQ(b.Frees, 0);
    CHECK_EQ(b.BytesInUse, 2032);
    CHECK_EQ(statistics().TagsInUse, 2);

    ExFreePoolWithTag(a1, TAG_A);
    ExFreePoolWithTag(a3, 0); /* tag 0: free without checking the tag */
    ExFreePoolWithTag(b1, TAG_B);
    ExFreePoolWithTag(b2, TAG_B);
    a = usage_of(TAG_A);
    b = usage_of(TAG_B);
    CHECK_EQ(a.Allocations, 3);
    CHECK_EQ(a.Frees, 3);
    CHECK_EQ(a.BytesInUse, 0);
    CHECK_EQ(b.Allocations, 2);
    CHECK_EQ(b.Frees, 2);
    CHECK_EQ(b.BytesInUse, 0);
    CHECK_EQ(statistics().TagsInUse, 2); /* a tag, once seen, stays */
}

TEST(bytes_in_use_return_to_zero_after_freeing_everything) {
    ExInitializePool();
    ULONG baseline = HostPoolPagesOutstanding;
    enum { COUNT = 300 };
    static UCHAR *blocks[COUNT];
    static const ULONG tags[] = {TAG_A, TAG_B, TAG_C};
    ULONG seed = 12345;
    for (ULONG i = 0; i < COUNT; i++) {
        seed = seed * 1103515245u + 12345u;
        SIZE_T size = (seed >> 8) % 9000; /* small and large mixed */
        blocks[i] = allocate_and_fill(size, tags[i % 3], (UCHAR)i);
    }
    /* Free in a scrambled order. */
    for (ULONG k = 0; k < COUNT; k++) {
        ULONG i = (k * 7919u) % COUNT;
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], tags[i % 3]);
    }
    for (ULONG t = 0; t < ARRAYSIZE(tags); t++) {
        POOL_TAG_USAGE u = usage_of(tags[t]);
        CHECK_EQ(u.BytesInUse, 0);
        CHECK_EQ(u.Allocations, COUNT / 3);
        CHECK_EQ(u.Frees, COUNT / 3);
    }
    CHECK_EQ(statistics().LargePages, 0);
    CHECK_EQ(HostPoolPagesOutstanding, baseline + statistics().PagesInPool);
    CHECK_EQ(HostPoolFreeMismatches, 0);
}

TEST(unknown_tag_query_is_not_found_with_zeroed_counters) {
    ExInitializePool();
    void *p = allocate_and_fill(10, TAG_A, 0);
    POOL_TAG_USAGE u;
    memset(&u, 0xCC, sizeof u);
    CHECK_STATUS(ExQueryPoolTagUsage(TAG_C, &u), STATUS_NOT_FOUND);
    CHECK_EQ(u.Allocations, 0);
    CHECK_EQ(u.Frees, 0);
    CHECK_EQ(u.BytesInUse, 0);
    CHECK(u.Tag == TAG_C || u.Tag == 0);
    ExFreePoolWithTag(p, TAG_A);
}

typedef struct _ENUM_CONTEXT {
    ULONG Tags[16];
    ULONG Visits[16];
    ULONG Calls;
} ENUM_CONTEXT;

static void count_tag(const POOL_TAG_USAGE *Usage, PVOID Context) {
    ENUM_CONTEXT *c = Context;
    c->Calls++;
    for (ULONG i = 0; i < ARRAYSIZE(c->Tags); i++)
        if (c->Tags[i] == Usage->Tag)
            c->Visits[i]++;
}

TEST(enumeration_visits_each_used_tag_once) {
    ExInitializePool();
    void *a1 = allocate_and_fill(10, TAG_A, 0);
    void *a2 = allocate_and_fill(5000, TAG_A, 0);
    void *b = allocate_and_fill(10, TAG_B, 0);
    void *c = allocate_and_fill(10, TAG_C, 0);
    ExFreePoolWithTag(c, TAG_C); /* a tag with nothing in use still "has allocated" */
    ENUM_CONTEXT ctx = {{TAG_A, TAG_B, TAG_C}, {0}, 0};
    ExEnumeratePoolTags(count_tag, &ctx);
    CHECK_EQ(ctx.Calls, 3);
    CHECK_EQ(ctx.Visits[0], 1);
    CHECK_EQ(ctx.Visits[1], 1);
    CHECK_EQ(ctx.Visits[2], 1);
    ExFreePoolWithTag(a1, TAG_A);
    ExFreePoolWithTag(a2, TAG_A);
    ExFreePoolWithTag(b, TAG_B);
}

TEST(exhaustion_returns_null_without_touching_counters) {
    ExInitializePool();
    void *kept = allocate_and_fill(100, TAG_A, 0);
    POOL_TAG_USAGE before = usage_of(TAG_A);
    POOL_STATISTICS statsBefore = statistics();
    ULONG pagesBefore = HostPoolPagesOutstanding;

    HostPoolFailAllocations = TRUE;
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 1000, TAG_A) == NULL); /* a class with no page yet */
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 5000, TAG_A) == NULL); /* large */
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 70000, TAG_B) == NULL);
    CHECK(ExAllocatePoolWithTag(NonPagedPool, 0x80000000u, TAG_A) == NULL); /* absurd size */
    HostPoolFailAllocations = FALSE;

    POOL_TAG_USAGE after = usage_of(TAG_A);
    CHECK_EQ(after.Allocations, before.Allocations);
    CHECK_EQ(after.Frees, before.Frees);
    CHECK_EQ(after.BytesInUse, before.BytesInUse);
    CHECK_EQ(usage_of(TAG_B).Allocations, 0);
    CHECK_EQ(statistics().PagesInPool, statsBefore.PagesInPool);
    CHECK_EQ(statistics().LargePages, statsBefore.LargePages);
    CHECK_EQ(HostPoolPagesOutstanding, pagesBefore);

    /* The pool still works once pages come back. */
    void *later = allocate_and_fill(1000, TAG_A, 0);
    void *large = allocate_and_fill(5000, TAG_A, 0);
    CHECK_EQ(usage_of(TAG_A).Allocations, before.Allocations + 2);
    ExFreePoolWithTag(later, TAG_A);
    ExFreePoolWithTag(large, TAG_A);
    ExFreePoolWithTag(kept, TAG_A);
    CHECK_EQ(usage_of(TAG_A).BytesInUse, 0);
}

TEST(exhaustion_still_serves_blocks_from_pages_already_held) {
    ExInitializePool();
    void *a = allocate_and_fill(100, TAG_A, 0);
    HostPoolFailAllocations = TRUE;
    void *b = ExAllocatePoolWithTag(NonPagedPool, 100, TAG_A); /* same class: same page */
    HostPoolFailAllocations = FALSE;
    CHECK(b != NULL);
    ExFreePoolWithTag(a, TAG_A);
    if (b)
        ExFreePoolWithTag(b, TAG_A);
}

TEST(double_free_bugchecks_bad_pool_caller) {
    ExInitializePool();
    void *p = allocate_and_fill(64, TAG_A, 0);
    ExFreePoolWithTag(p, TAG_A);
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(p, TAG_A));
    CHECK_EQ(HostLastBugCheck.P1, 0x07); /* NT: "attempt to free pool which was already freed" */
    CHECK_EQ(usage_of(TAG_A).Frees, 1);
}

TEST(free_with_the_wrong_tag_bugchecks_bad_pool_caller) {
    ExInitializePool();
    void *p = allocate_and_fill(64, TAG_A, 0);
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(p, TAG_B));
    CHECK_EQ(HostLastBugCheck.P1, 0x0A);
    CHECK_EQ(usage_of(TAG_A).BytesInUse, 64); /* the block is still allocated */
    void *large = allocate_and_fill(9000, TAG_A, 0);
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(large, TAG_C));
    ExFreePoolWithTag(p, TAG_A);
    ExFreePoolWithTag(large, TAG_A);
}

TEST(smashed_header_bugchecks_bad_pool_header) {
    ExInitializePool();
    UCHAR *p = allocate_and_fill(64, TAG_A, 0);
    memset(p - 16, 0x41, 16);
    EXPECT_BUGCHECK(BAD_POOL_HEADER, ExFreePoolWithTag(p, TAG_A));
    UCHAR *q = allocate_and_fill(64, TAG_A, 0);
    memset(q - 16, 0, 16);
    EXPECT_BUGCHECK(BAD_POOL_HEADER, ExFreePoolWithTag(q, TAG_A));
    UCHAR *large = allocate_and_fill(9000, TAG_A, 0);
    memset(large - 16, 0x41, 16);
    EXPECT_BUGCHECK(BAD_POOL_HEADER, ExFreePoolWithTag(large, TAG_A));
}

TEST(freeing_null_or_a_misaligned_pointer_bugchecks_bad_pool_caller) {
    ExInitializePool();
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(NULL, TAG_A));
    UCHAR *p = allocate_and_fill(64, TAG_A, 0);
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(p + 8, TAG_A));
    EXPECT_BUGCHECK(BAD_POOL_CALLER, ExFreePoolWithTag(p + 1, TAG_A));
    ExFreePoolWithTag(p, TAG_A);
    CHECK_EQ(usage_of(TAG_A).BytesInUse, 0);
}

TEST(unknown_pool_type_bugchecks_bad_pool_caller) {
    ExInitializePool();
    EXPECT_BUGCHECK(BAD_POOL_CALLER, (void)ExAllocatePoolWithTag((POOL_TYPE)7, 16, TAG_A));
}

TEST(more_than_255_distinct_tags_are_charged_to_the_overflow_tag) {
    ExInitializePool();
    enum { TAGS = 300 };
    static void *blocks[TAGS];
    ULONG got = 0;
    for (ULONG i = 0; i < TAGS; i++) {
        ULONG tag = NT_TAG('T', 'g', (UCHAR)('0' + i / 64), (UCHAR)('0' + i % 64));
        blocks[i] = ExAllocatePoolWithTag(NonPagedPool, 24, tag);
        got += blocks[i] != NULL;
    }
    CHECK_EQ(got, TAGS);
    POOL_TAG_USAGE overflow = usage_of(OVERFLOW_TAG);
    CHECK(overflow.Allocations > 0);
    ULONG charged = 0;
    for (ULONG i = 0; i < TAGS; i++) {
        ULONG tag = NT_TAG('T', 'g', (UCHAR)('0' + i / 64), (UCHAR)('0' + i % 64));
        charged += usage_of(tag).Allocations;
    }
    CHECK_EQ(charged + overflow.Allocations, TAGS);
    for (ULONG i = 0; i < TAGS; i++) {
        ULONG tag = NT_TAG('T', 'g', (UCHAR)('0' + i / 64), (UCHAR)('0' + i % 64));
        if (blocks[i])
            ExFreePoolWithTag(blocks[i], tag);
    }
}

int main(void) {
    RUN(small_blocks_are_16_byte_aligned_and_writable);
    RUN(large_blocks_get_whole_pages_and_give_them_back);
    RUN(small_block_pages_stay_in_the_pool_after_free);
    RUN(freed_small_block_is_reused);
    RUN(per_tag_counters_are_exact);
    RUN(bytes_in_use_return_to_zero_after_freeing_everything);
    RUN(unknown_tag_query_is_not_found_with_zeroed_counters);
    RUN(enumeration_visits_each_used_tag_once);
    RUN(exhaustion_returns_null_without_touching_counters);
    RUN(exhaustion_still_serves_blocks_from_pages_already_held);
    RUN(double_free_bugchecks_bad_pool_caller);
    RUN(free_with_the_wrong_tag_bugchecks_bad_pool_caller);
    RUN(smashed_header_bugchecks_bad_pool_header);
    RUN(freeing_null_or_a_misaligned_pointer_bugchecks_bad_pool_caller);
    RUN(unknown_pool_type_bugchecks_bad_pool_caller);
    RUN(more_than_255_distinct_tags_are_charged_to_the_overflow_tag);
    return UtFinish();
}
