/*
 * test_mm.c - in-kernel checks of physical pages, mappings, system PTEs and
 * the boot mappings, on the real machine's memory map.
 */
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/mm.h"
#include "../../kernel/include/rtl.h"
#include "../../kernel/include/x86.h"

#define TEST_PAGES 64

extern UCHAR KiBootStackGuard[];
extern UCHAR __kernel_start[], __kernel_end[];

KTEST(physical_pages_are_distinct_and_come_back) {
    PFN_NUMBER pfns[TEST_PAGES];
    ULONG before = MmNumberOfFreePages();
    ULONG got = 0;
    for (; got < TEST_PAGES; got++)
        if (!NT_SUCCESS(MmAllocatePhysicalPage(&pfns[got])))
            break;
    KT_CHECK_EQ(got, TEST_PAGES);
    KT_CHECK_EQ(MmNumberOfFreePages(), before - TEST_PAGES);
    ULONG kernelFirst = ((ULONG)__kernel_start - KSEG0_BASE) >> PAGE_SHIFT;
    ULONG kernelLast = ((ULONG)__kernel_end - KSEG0_BASE - 1) >> PAGE_SHIFT;
    BOOLEAN distinct = TRUE, outsideReserved = TRUE;
    for (ULONG i = 0; i < got; i++) {
        for (ULONG j = i + 1; j < got; j++)
            distinct &= pfns[i] != pfns[j];
        outsideReserved &=
            pfns[i] >= (MM_LOW_MEMORY_END >> PAGE_SHIFT) && (pfns[i] < kernelFirst || pfns[i] > kernelLast);
        KT_CHECK(!MmIsPhysicalPageFree(pfns[i]));
    }
    KT_CHECK(distinct);
    KT_CHECK(outsideReserved);
    for (ULONG i = 0; i < got; i++)
        MmFreePhysicalPage(pfns[i]);
    KT_CHECK_EQ(MmNumberOfFreePages(), before);
}

KTEST(a_page_mapped_twice_shows_the_same_bytes) {
    PFN_NUMBER pfn;
    ULONG_PTR a, b;
    KT_CHECK_STATUS(MmAllocatePhysicalPage(&pfn), STATUS_SUCCESS);
    KT_CHECK_STATUS(MiReserveSystemPtes(1, &a), STATUS_SUCCESS);
    KT_CHECK_STATUS(MiReserveSystemPtes(1, &b), STATUS_SUCCESS);
    KT_CHECK(!MmIsAddressValid((PVOID)a));
    MiMapPage(a, pfn, PTE_WRITE);
    MiMapPage(b, pfn, PTE_WRITE);
    KT_CHECK(MmIsAddressValid((PVOID)a) && MmIsAddressValid((PVOID)b));
    KT_CHECK_EQ(MiGetPfnOfAddress(a), pfn);
    *(volatile ULONG *)a = 0x51DEC0DE;
    KT_CHECK_EQ(*(volatile ULONG *)b, 0x51DEC0DE);
    /* The self-map: the PTE for a lives at PTE_BASE + (a >> 12) * 4. */
    KT_CHECK_EQ(*MiGetPteAddress(a) & PTE_FRAME, pfn << PAGE_SHIFT);
    MiUnmapPage(a);
    MiUnmapPage(b);
    KT_CHECK(!MmIsAddressValid((PVOID)a));
    MiReleaseSystemPtes(a, 1);
    MiReleaseSystemPtes(b, 1);
    MmFreePhysicalPage(pfn);
}

KTEST(system_ptes_are_reserved_and_released_in_runs) {
    ULONG before = MiFreeSystemPtes();
    ULONG_PTR run1, run2;
    KT_CHECK_STATUS(MiReserveSystemPtes(100, &run1), STATUS_SUCCESS);
    KT_CHECK_STATUS(MiReserveSystemPtes(3, &run2), STATUS_SUCCESS);
    KT_CHECK(run2 >= run1 + 100 * PAGE_SIZE || run2 + 3 * PAGE_SIZE <= run1);
    KT_CHECK(run1 >= MM_SYSTEM_PTE_BASE && run1 + 100 * PAGE_SIZE <= MM_SYSTEM_PTE_END);
    KT_CHECK_EQ(MiFreeSystemPtes(), before - 103);
    ULONG_PTR tooMany;
    KT_CHECK_STATUS(MiReserveSystemPtes(before, &tooMany), STATUS_INSUFFICIENT_RESOURCES);
    MiReleaseSystemPtes(run1, 100);
    MiReleaseSystemPtes(run2, 3);
    KT_CHECK_EQ(MiFreeSystemPtes(), before);
}

KTEST(boot_identity_map_is_gone_and_the_stack_has_a_guard) {
    KT_CHECK(!MmIsAddressValid((PVOID)0x00100000)); /* the kernel's physical address */
    KT_CHECK(!MmIsAddressValid((PVOID)0));
    KT_CHECK(MmIsAddressValid((PVOID)KSEG0_BASE + 0x00100000));
    KT_CHECK(!MmIsAddressValid(KiBootStackGuard));
    KT_CHECK(MmIsAddressValid(KiBootStackGuard + PAGE_SIZE));
    /* The page directory maps itself at PDE 0x300. */
    KT_CHECK_EQ(*MiGetPdeAddress(PTE_BASE) & PTE_FRAME, KiReadCr3() & PTE_FRAME);
}

KTEST(io_space_mapping_reaches_physical_memory) {
    /* The kernel image's first page, seen through a fresh mapping of its
     * physical address, must hold the same bytes as KSEG0 shows. */
    const UCHAR *io = MmMapIoSpace((ULONG)__kernel_start - KSEG0_BASE + 0x10, 64);
    KT_CHECK(io != NULL);
    if (io) {
        KT_CHECK(memcmp(io, __kernel_start + 0x10, 64) == 0);
        MmUnmapIoSpace((PVOID)io, 64);
    }
    KT_CHECK(MmMapIoSpace(0xFFFFF000ull, 0x2000) == NULL); /* wraps past 4 GiB */
}
