/*
 * hyper.c - hyperspace: two kernel pages through which any physical page
 * can be reached for a moment.
 *
 * Why: the kernel has no map of all physical memory. To zero a fresh page,
 * or copy one for copy-on-write, or fill a process's page directory, it maps
 * the frame at a fixed kernel address for the length of the job (NT calls
 * this hyperspace). Interrupts stay off while a slot is in use, so the slot
 * cannot be taken by anyone else on this uniprocessor.
 */
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define HYPERSPACE_SLOTS 2

static ULONG_PTR MiHyperspace;

VOID MiInitializeHyperspace(VOID) {
    if (!NT_SUCCESS(MiReserveSystemPtes(HYPERSPACE_SLOTS, &MiHyperspace)))
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x4000, 0, 0, 0);
}

PVOID MiMapHyperspace(ULONG Slot, PFN_NUMBER Pfn) {
    ULONG_PTR va = MiHyperspace + Slot * PAGE_SIZE;
    MiMapPage(va, Pfn, PTE_WRITE);
    return (PVOID)va;
}

VOID MiUnmapHyperspace(ULONG Slot) {
    MiUnmapPage(MiHyperspace + Slot * PAGE_SIZE);
}

NTSTATUS MiAllocateZeroedPage(PFN_NUMBER *Pfn) {
    NTSTATUS status = MmAllocatePhysicalPage(Pfn);
    if (!NT_SUCCESS(status))
        return status;
    ULONG s = KeDisableInterrupts();
    memset(MiMapHyperspace(0, *Pfn), 0, PAGE_SIZE);
    MiUnmapHyperspace(0);
    KeRestoreInterrupts(s);
    return STATUS_SUCCESS;
}

VOID MiCopyPhysicalPage(PFN_NUMBER Dest, PFN_NUMBER Src) {
    ULONG s = KeDisableInterrupts();
    memcpy(MiMapHyperspace(0, Dest), MiMapHyperspace(1, Src), PAGE_SIZE);
    MiUnmapHyperspace(0);
    MiUnmapHyperspace(1);
    KeRestoreInterrupts(s);
}

/* Copies Length bytes (at most a page) into the start of a physical page. */
VOID MiCopyIntoPhysicalPage(PFN_NUMBER Pfn, const VOID *Data, SIZE_T Length) {
    ULONG s = KeDisableInterrupts();
    memcpy(MiMapHyperspace(0, Pfn), Data, Length < PAGE_SIZE ? Length : PAGE_SIZE);
    MiUnmapHyperspace(0);
    KeRestoreInterrupts(s);
}
