/*
 * poolpages.c - whole pages for the pool: system PTEs backed by fresh frames.
 *
 * Why: the pool (pool.c) is pure bookkeeping; this file is where its pages
 * come from in the kernel (the host unit tests supply their own). Pages are
 * zeroed before use so no stale data leaks from one owner to the next.
 */
#include "../include/ex.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

static void release(ULONG_PTR Va, ULONG Mapped, ULONG Reserved) {
    for (ULONG i = 0; i < Mapped; i++) {
        PFN_NUMBER pfn = MiGetPfnOfAddress(Va + i * PAGE_SIZE);
        MiUnmapPage(Va + i * PAGE_SIZE);
        MmFreePhysicalPage(pfn);
    }
    MiReleaseSystemPtes(Va, Reserved);
}

PVOID MiAllocatePoolPages(ULONG Pages) {
    ULONG_PTR va;
    if (Pages == 0 || !NT_SUCCESS(MiReserveSystemPtes(Pages, &va)))
        return NULL;
    for (ULONG i = 0; i < Pages; i++) {
        PFN_NUMBER pfn;
        if (!NT_SUCCESS(MmAllocatePhysicalPage(&pfn))) {
            release(va, i, Pages);
            return NULL;
        }
        MiMapPage(va + i * PAGE_SIZE, pfn, PTE_WRITE);
        memset((PVOID)(va + i * PAGE_SIZE), 0, PAGE_SIZE);
    }
    return (PVOID)va;
}

VOID MiFreePoolPages(PVOID Va, ULONG Pages) {
    release((ULONG_PTR)Va, Pages, Pages);
}
