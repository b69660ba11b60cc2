/*
 * kstack.c - kernel stacks: system PTEs backed by fresh pages, with a guard.
 *
 * Why: every thread needs its own kernel stack. The page just below each one
 * is reserved but never mapped, so an overflow faults at once (and, since the
 * stack is gone, lands on the double-fault task and the STOP screen) instead
 * of silently overwriting whatever lies below.
 */
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

NTSTATUS MmCreateKernelStack(ULONG Pages, ULONG_PTR *StackBase, ULONG_PTR *StackLimit) {
    ULONG_PTR va;
    NTSTATUS status = MiReserveSystemPtes(Pages + 1, &va);
    if (!NT_SUCCESS(status))
        return status;
    for (ULONG i = 1; i <= Pages; i++) {
        PFN_NUMBER pfn;
        status = MmAllocatePhysicalPage(&pfn);
        if (!NT_SUCCESS(status)) {
            for (ULONG j = 1; j < i; j++) {
                PFN_NUMBER got = MiGetPfnOfAddress(va + j * PAGE_SIZE);
                MiUnmapPage(va + j * PAGE_SIZE);
                MmFreePhysicalPage(got);
            }
            MiReleaseSystemPtes(va, Pages + 1);
            return status;
        }
        MiMapPage(va + i * PAGE_SIZE, pfn, PTE_WRITE);
        memset((PVOID)(va + i * PAGE_SIZE), 0, PAGE_SIZE);
    }
    *StackLimit = va + PAGE_SIZE;
    *StackBase = va + (Pages + 1) * PAGE_SIZE;
    return STATUS_SUCCESS;
}

VOID MmDeleteKernelStack(ULONG_PTR StackBase, ULONG Pages) {
    ULONG_PTR va = StackBase - (Pages + 1) * PAGE_SIZE;
    for (ULONG i = 1; i <= Pages; i++) {
        PFN_NUMBER pfn = MiGetPfnOfAddress(va + i * PAGE_SIZE);
        MiUnmapPage(va + i * PAGE_SIZE);
        MmFreePhysicalPage(pfn);
    }
    MiReleaseSystemPtes(va, Pages + 1);
}
