/*
 * test_pfn.c - the physical page allocator hands out every free RAM page
 * exactly once and never a page the kernel, a module or the firmware owns.
 *
 * Why: a page handed out twice, or a page of the kernel image handed out at
 * all, is corruption that shows up far from its cause. These tests feed
 * MmInitializePhysicalMemory memory maps with unaligned, overlapping and
 * out-of-reach ranges, drain the allocator completely while tracking every
 * page it returns, and check that bad frees stop the system with
 * PFN_LIST_CORRUPT as on NT.
 */
#include <string.h>

#include "../../kernel/include/mm.h"
#include "unit.h"

#define PAGE 0x1000ull

/* Which pages a test expects to be free; one byte per frame. */
static UCHAR Expected[MM_MAX_PFN];
static UCHAR Returned[MM_MAX_PFN];

static void expect_pages(ULONGLONG FirstByte, ULONGLONG EndByte, UCHAR Value) {
    for (ULONGLONG p = FirstByte / PAGE; p < EndByte / PAGE && p < MM_MAX_PFN; p++)
        Expected[p] = Value;
}

static ULONG expected_count(void) {
    ULONG n = 0;
    for (ULONG p = 0; p < MM_MAX_PFN; p++)
        n += Expected[p];
    return n;
}

/* Allocates until STATUS_NO_MEMORY and checks every page returned was
 * expected and none came twice; returns the number allocated. */
static ULONG drain_and_check(void) {
    memset(Returned, 0, sizeof Returned);
    ULONG count = 0, unexpected = 0, twice = 0;
    PFN_NUMBER pfn;
    while (count <= MM_MAX_PFN && NT_SUCCESS(MmAllocatePhysicalPage(&pfn))) {
        count++;
        if (pfn >= MM_MAX_PFN) {
            unexpected++;
            continue;
        }
        if (!Expected[pfn] && unexpected++ < 5)
            printf("  page 0x%X was handed out but is not free RAM\n", (unsigned)pfn);
        if (Returned[pfn] && twice++ < 5)
            printf("  page 0x%X was handed out twice\n", (unsigned)pfn);
        Returned[pfn] = 1;
    }
    CHECK_EQ(unexpected, 0);
    CHECK_EQ(twice, 0);
    CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_NO_MEMORY);
    CHECK_EQ(MmNumberOfFreePages(), 0);
    return count;
}

TEST(unaligned_available_range_is_rounded_inward) {
    const PHYSICAL_RANGE available[] = {{0x1800, 0x5800}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, NULL, 0), STATUS_SUCCESS);
    CHECK_EQ(MmNumberOfFreePages(), 3);
    CHECK_EQ(MmNumberOfPhysicalPages(), 3);
    CHECK(!MmIsPhysicalPageFree(1));
    CHECK(MmIsPhysicalPageFree(2));
    CHECK(MmIsPhysicalPageFree(3));
    CHECK(MmIsPhysicalPageFree(4));
    CHECK(!MmIsPhysicalPageFree(5));
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x2000, 0x5000, 1);
    CHECK_EQ(drain_and_check(), 3);
    CHECK(Returned[2] && Returned[3] && Returned[4]);
}

TEST(reserved_ranges_are_rounded_outward) {
    const PHYSICAL_RANGE available[] = {{0x1000, 0x10000}};
    const PHYSICAL_RANGE reserved[] = {{0x3800, 0x4800}}; /* touches pages 3 and 4 */
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, reserved, 1), STATUS_SUCCESS);
    CHECK_EQ(MmNumberOfFreePages(), 15 - 2);
    CHECK(MmIsPhysicalPageFree(2));
    CHECK(!MmIsPhysicalPageFree(3));
    CHECK(!MmIsPhysicalPageFree(4));
    CHECK(MmIsPhysicalPageFree(5));
}

TEST(page_zero_is_never_handed_out) {
    const PHYSICAL_RANGE available[] = {{0, 0x10000}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, NULL, 0), STATUS_SUCCESS);
    CHECK(!MmIsPhysicalPageFree(0));
    CHECK_EQ(MmNumberOfFreePages(), 15);
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x1000, 0x10000, 1);
    CHECK_EQ(drain_and_check(), 15);
    CHECK(!Returned[0]);
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0));
}

TEST(kernel_module_and_overlapping_reservations_are_never_returned) {
    const PHYSICAL_RANGE available[] = {
        {0x00000000, 0x0009FC00}, /* conventional memory, top unaligned */
        {0x00100000, 0x00800000}, /* 1 MiB .. 8 MiB */
        {0x00A00000, 0x00A08000}, /* a separate island */
    };
    const PHYSICAL_RANGE reserved[] = {
        {0x00000000, 0x00100000},                           /* below 1 MiB: BIOS and real-mode data */
        {0x00100000, 0x001A3456},                           /* the kernel image, unaligned end */
        {0x00200800, 0x002017FF},                           /* a module spanning two pages */
        {0x00300000, 0x00310000},                           /* two overlapping ranges */
        {0x00308000, 0x00320000}, {0x00320000, 0x00330000}, /* touching the previous one */
        {0x00A04000, 0x00A05000},                           /* inside the island */
        {0x00900000, 0x00950000},                           /* over no RAM at all */
    };
    CHECK_STATUS(MmInitializePhysicalMemory(available, ARRAYSIZE(available), reserved, ARRAYSIZE(reserved)),
                 STATUS_SUCCESS);
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x00100000, 0x00800000, 1);
    expect_pages(0x00A00000, 0x00A08000, 1);
    expect_pages(0x00000000, 0x00100000, 0);
    expect_pages(0x00100000, 0x001A4000, 0);
    expect_pages(0x00200000, 0x00202000, 0);
    expect_pages(0x00300000, 0x00330000, 0);
    expect_pages(0x00A04000, 0x00A05000, 0);
    ULONG want = expected_count();
    CHECK_EQ(MmNumberOfFreePages(), want);
    CHECK_EQ(MmNumberOfPhysicalPages(), want);
    CHECK(!MmIsPhysicalPageFree(0x1A3));
    CHECK(MmIsPhysicalPageFree(0x1A4));
    CHECK(MmIsPhysicalPageFree(0x1FF));
    CHECK(!MmIsPhysicalPageFree(0x200));
    CHECK(!MmIsPhysicalPageFree(0x201));
    CHECK(MmIsPhysicalPageFree(0x202));
    CHECK(!MmIsPhysicalPageFree(0x32F));
    CHECK(MmIsPhysicalPageFree(0x330));
    CHECK(!MmIsPhysicalPageFree(0x900));
    CHECK_EQ(drain_and_check(), want);
}

TEST(allocating_everything_returns_each_free_page_exactly_once) {
    const PHYSICAL_RANGE available[] = {
        {0x00100000, 0x00400000},
        {0x00500000, 0x00500001}, /* less than a page: nothing */
        {0x00600123, 0x00610FFF}, /* rounded inward to 0x601000..0x610000 */
        {0x07FFF000, 0x08000000}, /* one page */
    };
    CHECK_STATUS(MmInitializePhysicalMemory(available, ARRAYSIZE(available), NULL, 0), STATUS_SUCCESS);
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x00100000, 0x00400000, 1);
    expect_pages(0x00601000, 0x00610000, 1);
    expect_pages(0x07FFF000, 0x08000000, 1);
    ULONG want = expected_count();
    CHECK_EQ(MmNumberOfFreePages(), want);
    CHECK_EQ(drain_and_check(), want);
    ULONG missing = 0;
    for (ULONG p = 0; p < MM_MAX_PFN; p++)
        missing += Expected[p] && !Returned[p];
    CHECK_EQ(missing, 0);
    CHECK_EQ(MmNumberOfPhysicalPages(), want); /* the total does not shrink */
}

TEST(free_count_tracks_allocations_and_frees) {
    const PHYSICAL_RANGE available[] = {{0x100000, 0x200000}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, NULL, 0), STATUS_SUCCESS);
    ULONG total = MmNumberOfFreePages();
    CHECK_EQ(total, 256);
    PFN_NUMBER pages[10];
    for (ULONG i = 0; i < 10; i++) {
        CHECK_STATUS(MmAllocatePhysicalPage(&pages[i]), STATUS_SUCCESS);
        CHECK(!MmIsPhysicalPageFree(pages[i]));
        CHECK_EQ(MmNumberOfFreePages(), total - i - 1);
    }
    for (ULONG i = 0; i < 10; i++) {
        MmFreePhysicalPage(pages[i]);
        CHECK(MmIsPhysicalPageFree(pages[i]));
        CHECK_EQ(MmNumberOfFreePages(), total - 10 + i + 1);
    }
    CHECK_EQ(MmNumberOfPhysicalPages(), total);
}

TEST(freed_page_is_allocated_again) {
    const PHYSICAL_RANGE available[] = {{0x100000, 0x140000}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, NULL, 0), STATUS_SUCCESS);
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x100000, 0x140000, 1);
    CHECK_EQ(drain_and_check(), 64);
    /* With everything taken, each freed page is the only one to come back,
     * whether it lies before or after the allocator's last position. */
    static const PFN_NUMBER order[] = {0x120, 0x100, 0x13F, 0x101};
    for (ULONG i = 0; i < ARRAYSIZE(order); i++) {
        PFN_NUMBER pfn = 0;
        MmFreePhysicalPage(order[i]);
        CHECK_EQ(MmNumberOfFreePages(), 1);
        CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_SUCCESS);
        CHECK_EQ(pfn, order[i]);
        CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_NO_MEMORY);
    }
    /* Free several, get the same set back. */
    for (ULONG p = 0x110; p < 0x118; p++)
        MmFreePhysicalPage(p);
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x110000, 0x118000, 1);
    CHECK_EQ(drain_and_check(), 8);
}

TEST(ranges_above_4_gib_are_ignored_and_a_straddling_range_is_clipped) {
    const PHYSICAL_RANGE available[] = {
        {0x100000000ull, 0x200000000ull}, /* entirely above 4 GiB */
        {0xFFFFE000ull, 0x100002000ull},  /* straddles 4 GiB: two pages below */
        {0x00100000ull, 0x00102000ull},   /* two low pages */
        {0xFFFFFFFFFFFFE000ull, ~0ull},   /* at the top of the 64-bit space */
    };
    CHECK_STATUS(MmInitializePhysicalMemory(available, ARRAYSIZE(available), NULL, 0), STATUS_SUCCESS);
    CHECK_EQ(MmNumberOfFreePages(), 4);
    CHECK(MmIsPhysicalPageFree(0xFFFFE));
    CHECK(MmIsPhysicalPageFree(0xFFFFF));
    CHECK(!MmIsPhysicalPageFree(0x100000)); /* the first frame past 4 GiB */
    memset(Expected, 0, sizeof Expected);
    expect_pages(0xFFFFE000ull, 0x100000000ull, 1);
    expect_pages(0x00100000ull, 0x00102000ull, 1);
    CHECK_EQ(drain_and_check(), 4);
    CHECK(Returned[0xFFFFF]);
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0x100000));
}

TEST(reservation_reaching_past_4_gib_is_clipped_not_ignored) {
    const PHYSICAL_RANGE available[] = {{0xFFF00000ull, 0x100000000ull}};
    const PHYSICAL_RANGE reserved[] = {{0xFFFFF800ull, 0x100001000ull}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, reserved, 1), STATUS_SUCCESS);
    CHECK_EQ(MmNumberOfFreePages(), 0x100 - 1);
    CHECK(!MmIsPhysicalPageFree(0xFFFFF));
    CHECK(MmIsPhysicalPageFree(0xFFFFE));
}

TEST(double_free_bugchecks_pfn_list_corrupt) {
    const PHYSICAL_RANGE available[] = {{0x100000, 0x110000}};
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, NULL, 0), STATUS_SUCCESS);
    PFN_NUMBER pfn = 0;
    CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_SUCCESS);
    MmFreePhysicalPage(pfn);
    ULONG freeBefore = MmNumberOfFreePages();
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(pfn));
    CHECK_EQ(HostLastBugCheck.P2, pfn);
    CHECK_EQ(MmNumberOfFreePages(), freeBefore);
    /* A page that was never allocated is already free, too. */
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0x10F));
}

TEST(freeing_a_reserved_or_never_ram_page_bugchecks_pfn_list_corrupt) {
    const PHYSICAL_RANGE available[] = {{0x100000, 0x200000}};
    const PHYSICAL_RANGE reserved[] = {{0x100000, 0x180000}}; /* the "kernel" */
    CHECK_STATUS(MmInitializePhysicalMemory(available, 1, reserved, 1), STATUS_SUCCESS);
    ULONG freeBefore = MmNumberOfFreePages();
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0x100)); /* reserved */
    CHECK_EQ(HostLastBugCheck.P2, 0x100);
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0x17F)); /* reserved */
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0x300)); /* never RAM */
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(MM_MAX_PFN));
    EXPECT_BUGCHECK(PFN_LIST_CORRUPT, MmFreePhysicalPage(0xFFFFFFFFu));
    CHECK_EQ(MmNumberOfFreePages(), freeBefore);
    CHECK(!MmIsPhysicalPageFree(0x100));
    CHECK(!MmIsPhysicalPageFree(MM_MAX_PFN));
}

TEST(init_without_available_memory_fails) {
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(NULL, 0, NULL, 0)));
    CHECK_EQ(MmNumberOfFreePages(), 0);

    const PHYSICAL_RANGE pageZeroOnly[] = {{0, 0x1000}};
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(pageZeroOnly, 1, NULL, 0)));

    const PHYSICAL_RANGE lessThanAPage[] = {{0x1800, 0x2700}};
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(lessThanAPage, 1, NULL, 0)));

    const PHYSICAL_RANGE inverted[] = {{0x200000, 0x100000}};
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(inverted, 1, NULL, 0)));

    const PHYSICAL_RANGE high[] = {{0x100000000ull, 0x200000000ull}};
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(high, 1, NULL, 0)));

    const PHYSICAL_RANGE available[] = {{0x100000, 0x200000}};
    const PHYSICAL_RANGE everything[] = {{0x0F8000, 0x201000}};
    CHECK(!NT_SUCCESS(MmInitializePhysicalMemory(available, 1, everything, 1)));
    CHECK_EQ(MmNumberOfFreePages(), 0);
    PFN_NUMBER pfn;
    CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_NO_MEMORY);
}

TEST(reinitialising_forgets_the_previous_map) {
    const PHYSICAL_RANGE first[] = {{0x100000, 0x200000}};
    const PHYSICAL_RANGE second[] = {{0x400000, 0x402000}};
    CHECK_STATUS(MmInitializePhysicalMemory(first, 1, NULL, 0), STATUS_SUCCESS);
    CHECK_STATUS(MmInitializePhysicalMemory(second, 1, NULL, 0), STATUS_SUCCESS);
    CHECK_EQ(MmNumberOfFreePages(), 2);
    CHECK(!MmIsPhysicalPageFree(0x100));
    memset(Expected, 0, sizeof Expected);
    expect_pages(0x400000, 0x402000, 1);
    CHECK_EQ(drain_and_check(), 2);
}

int main(void) {
    RUN(unaligned_available_range_is_rounded_inward);
    RUN(reserved_ranges_are_rounded_outward);
    RUN(page_zero_is_never_handed_out);
    RUN(kernel_module_and_overlapping_reservations_are_never_returned);
    RUN(allocating_everything_returns_each_free_page_exactly_once);
    RUN(free_count_tracks_allocations_and_frees);
    RUN(freed_page_is_allocated_again);
    RUN(ranges_above_4_gib_are_ignored_and_a_straddling_range_is_clipped);
    RUN(reservation_reaching_past_4_gib_is_clipped_not_ignored);
    RUN(double_free_bugchecks_pfn_list_corrupt);
    RUN(freeing_a_reserved_or_never_ram_page_bugchecks_pfn_list_corrupt);
    RUN(init_without_available_memory_fails);
    RUN(reinitialising_forgets_the_previous_map);
    return UtFinish();
}
