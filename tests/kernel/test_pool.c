/*
 * test_pool.c - in-kernel checks that the pool's pages really come from Mm
 * and that its per-tag counters catch a leak.
 */
#include "../../kernel/include/ex.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/mm.h"
#include "../../kernel/include/rtl.h"

#define TAG_SMALL NT_TAG('K', 't', 'P', 's')
#define TAG_LARGE NT_TAG('K', 't', 'P', 'l')

KTEST(pool_tag_counters_return_to_zero_after_frees) {
    static const SIZE_T sizes[] = {1, 24, 100, 500, 2000, 2032};
    PVOID blocks[ARRAYSIZE(sizes)];
    SIZE_T total = 0;
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) {
        blocks[i] = ExAllocatePoolWithTag(NonPagedPool, sizes[i], TAG_SMALL);
        KT_CHECK(blocks[i] != NULL);
        KT_CHECK_EQ((ULONG_PTR)blocks[i] & 15, 0);
        memset(blocks[i], 0xA5, sizes[i]);
        total += sizes[i];
    }
    POOL_TAG_USAGE u;
    KT_CHECK_STATUS(ExQueryPoolTagUsage(TAG_SMALL, &u), STATUS_SUCCESS);
    KT_CHECK_EQ(u.BytesInUse, total);
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++)
        ExFreePoolWithTag(blocks[i], TAG_SMALL);
    KT_CHECK_STATUS(ExQueryPoolTagUsage(TAG_SMALL, &u), STATUS_SUCCESS);
    KT_CHECK_EQ(u.BytesInUse, 0);
    KT_CHECK_EQ(u.Allocations, u.Frees);
}

KTEST(large_pool_blocks_take_and_return_physical_pages) {
    ULONG freeBefore = MmNumberOfFreePages();
    PVOID big = ExAllocatePoolWithTag(NonPagedPool, 64 * 1024, TAG_LARGE);
    KT_CHECK(big != NULL);
    if (!big)
        return;
    KT_CHECK(MmNumberOfFreePages() <= freeBefore - 16);
    memset(big, 0x5A, 64 * 1024); /* every page is mapped and writable */
    KT_CHECK(((UCHAR *)big)[64 * 1024 - 1] == 0x5A);
    ExFreePoolWithTag(big, TAG_LARGE);
    KT_CHECK_EQ(MmNumberOfFreePages(), freeBefore);
    POOL_TAG_USAGE u;
    KT_CHECK_STATUS(ExQueryPoolTagUsage(TAG_LARGE, &u), STATUS_SUCCESS);
    KT_CHECK_EQ(u.BytesInUse, 0);
}
