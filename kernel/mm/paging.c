/*
 * paging.c - page-table edits through NT's self-map.
 *
 * Why: the page directory maps itself at PDE 0x300, so every page table of
 * the current address space appears at PTE_BASE (0xC0000000) and the
 * directory itself at PDE_BASE (0xC0300000). Editing a mapping is then a
 * plain store to MiGetPteAddress(va), with no need to map page tables first.
 * Kernel mappings only land where page tables already exist (KSEG0 and the
 * system PTE range), so these routines never allocate.
 */
#define KD_COMPONENT "mm"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/x86.h"

#define MM_BOOT_IDENTITY_PDES (MM_KSEG0_MAPPED >> 22)

extern UCHAR KiBootStackGuard[];

VOID MiMapPage(ULONG_PTR Va, PFN_NUMBER Pfn, ULONG Protection) {
    if (!(*MiGetPdeAddress(Va) & PTE_PRESENT))
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x1000, Va, Pfn, 0); /* no page table there */
    *MiGetPteAddress(Va) = (Pfn << PAGE_SHIFT) | PTE_PRESENT | (Protection & (PTE_WRITE | PTE_PCD | PTE_PWT));
    KiInvalidatePage(Va);
}

VOID MiUnmapPage(ULONG_PTR Va) {
    if (!(*MiGetPdeAddress(Va) & PTE_PRESENT))
        return;
    *MiGetPteAddress(Va) = 0;
    KiInvalidatePage(Va);
}

BOOLEAN MmIsAddressValid(const volatile void *Va) {
    ULONG_PTR va = (ULONG_PTR)Va;
    return (*MiGetPdeAddress(va) & PTE_PRESENT) && (*MiGetPteAddress(va) & PTE_PRESENT);
}

PFN_NUMBER MiGetPfnOfAddress(ULONG_PTR Va) {
    if (!MmIsAddressValid((PVOID)Va))
        return 0;
    return *MiGetPteAddress(Va) >> PAGE_SHIFT;
}

PVOID MmMapIoSpace(ULONGLONG Phys, SIZE_T Size) {
    if (Size == 0 || Phys + Size > 0x100000000ull || Phys + Size < Phys)
        return NULL;
    ULONG offset = (ULONG)Phys & (PAGE_SIZE - 1);
    ULONG pages = (ULONG)((offset + Size + PAGE_SIZE - 1) / PAGE_SIZE);
    ULONG_PTR va;
    if (!NT_SUCCESS(MiReserveSystemPtes(pages, &va)))
        return NULL;
    PFN_NUMBER first = (PFN_NUMBER)(Phys >> PAGE_SHIFT);
    for (ULONG i = 0; i < pages; i++)
        MiMapPage(va + i * PAGE_SIZE, first + i, PTE_WRITE);
    return (PVOID)(va + offset);
}

VOID MmUnmapIoSpace(PVOID Va, SIZE_T Size) {
    ULONG_PTR base = ALIGN_DOWN((ULONG_PTR)Va, PAGE_SIZE);
    ULONG pages = (ULONG)(((ULONG_PTR)Va - base + Size + PAGE_SIZE - 1) / PAGE_SIZE);
    for (ULONG i = 0; i < pages; i++)
        MiUnmapPage(base + i * PAGE_SIZE);
    MiReleaseSystemPtes(base, pages);
}

VOID MiFinishBootMappings(VOID) {
    for (ULONG i = 0; i < MM_BOOT_IDENTITY_PDES; i++)
        *MiGetPdeAddress(i << 22) = 0;
    KiWriteCr3(KiReadCr3()); /* flush every stale identity translation */
    MiUnmapPage((ULONG_PTR)KiBootStackGuard);
    KdPrint("identity map of 0-%u MiB removed; boot stack guard page at %p", MM_KSEG0_MAPPED >> 20,
            KiBootStackGuard);
}
