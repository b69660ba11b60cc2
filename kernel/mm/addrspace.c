/*
 * addrspace.c - process address spaces: page directories and user page tables.
 *
 * Why: every process has its own page directory. Its upper half (kernel
 * space) points at the same page tables in every process, so the kernel is
 * mapped identically everywhere; those tables were all created at boot
 * (KSEG0 and the system PTE range), so copying the directory entries once at
 * process creation keeps every process in step for ever. Entry 0x300 maps the
 * directory onto itself (PTE_BASE). User page tables are created when the
 * first page in their 4 MiB is mapped and freed with the address space.
 */
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define PDE_USER_ENTRIES 512 /* 0x00000000-0x7FFFFFFF */
#define PDE_SELFMAP 0x300

PVOID MiMapHyperspace(ULONG Slot, PFN_NUMBER Pfn);
VOID MiUnmapHyperspace(ULONG Slot);
NTSTATUS MiAllocateZeroedPage(PFN_NUMBER *Pfn);

NTSTATUS MmCreateProcessPageDirectory(ULONG *DirectoryTableBase) {
    PFN_NUMBER pfn;
    NTSTATUS status = MiAllocateZeroedPage(&pfn);
    if (!NT_SUCCESS(status))
        return status;
    ULONG s = KeDisableInterrupts();
    ULONG *pd = MiMapHyperspace(0, pfn);
    for (ULONG i = PDE_USER_ENTRIES; i < 1024; i++)
        pd[i] = *MiGetPdeAddress(i << 22);
    pd[PDE_SELFMAP] = (pfn << PAGE_SHIFT) | PTE_PRESENT | PTE_WRITE;
    MiUnmapHyperspace(0);
    KeRestoreInterrupts(s);
    *DirectoryTableBase = pfn << PAGE_SHIFT;
    return STATUS_SUCCESS;
}

/* Frees the user page tables of the address space currently loaded (the
 * pages they mapped must already be gone). */
VOID MiDeleteUserPageTables(VOID) {
    for (ULONG i = 0; i < PDE_USER_ENTRIES; i++) {
        volatile ULONG *pde = MiGetPdeAddress(i << 22);
        if (*pde & PTE_PRESENT) {
            PFN_NUMBER pfn = *pde >> PAGE_SHIFT;
            *pde = 0;
            MmFreePhysicalPage(pfn);
        }
    }
    KiWriteCr3(KiReadCr3());
}

VOID MmDeleteProcessPageDirectory(ULONG DirectoryTableBase) {
    if (DirectoryTableBase == KiReadCr3())
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x5000, DirectoryTableBase, 0, 0); /* still in use */
    MmFreePhysicalPage(DirectoryTableBase >> PAGE_SHIFT);
}

/* Makes sure a page table covers Va in the current address space. */
NTSTATUS MiEnsureUserPageTable(ULONG_PTR Va) {
    volatile ULONG *pde = MiGetPdeAddress(Va);
    if (*pde & PTE_PRESENT)
        return STATUS_SUCCESS;
    PFN_NUMBER pfn;
    NTSTATUS status = MiAllocateZeroedPage(&pfn);
    if (!NT_SUCCESS(status))
        return status;
    *pde = (pfn << PAGE_SHIFT) | PTE_PRESENT | PTE_WRITE | PTE_USER;
    KiInvalidatePage((ULONG_PTR)MiGetPteAddress(Va));
    return STATUS_SUCCESS;
}

/* Maps a user page in the current address space. */
VOID MiMapUserPage(ULONG_PTR Va, PFN_NUMBER Pfn, BOOLEAN Writable) {
    *MiGetPteAddress(Va) = (Pfn << PAGE_SHIFT) | PTE_PRESENT | PTE_USER | (Writable ? PTE_WRITE : 0);
    KiInvalidatePage(Va);
}
