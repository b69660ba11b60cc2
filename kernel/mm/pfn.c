/*
 * pfn.c - the physical page allocator.
 *
 * Why: NT keeps a PFN database with one entry per page frame; for now a
 * frame has two facts worth keeping, "is it RAM we manage" and "is it free",
 * so the database is two bitmaps over the 4 GiB a non-PAE i386 can address.
 * The loader's memory map says what is RAM; the kernel image, the modules,
 * the framebuffer and everything below 1 MiB are carved out before any page
 * is handed out. A free of a page that is not RAM, or is free already, is
 * memory corruption and stops the system (PFN_LIST_CORRUPT), as on NT.
 */
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"

static ULONG MiInUseBits[MM_MAX_PFN / 32];   /* 1 = allocated or not RAM */
static ULONG MiManagedBits[MM_MAX_PFN / 32]; /* 1 = RAM this allocator owns */
static RTL_BITMAP MiInUse, MiManaged;
static ULONG MiFreePages, MiTotalPages, MiHint;

/* Page-number bounds of a byte range clipped to 4 GiB; Outward rounds the
 * start down and the end up (for reservations), inward the other way. */
static BOOLEAN range_to_pages(const PHYSICAL_RANGE *r, BOOLEAN Outward, ULONG *First, ULONG *Count) {
    ULONGLONG limit = (ULONGLONG)MM_MAX_PFN << 12;
    ULONGLONG start = r->Start, end = r->End;
    if (end <= start || start >= limit)
        return FALSE;
    if (end > limit)
        end = limit;
    ULONGLONG first = Outward ? start >> 12 : (start + 4095) >> 12;
    ULONGLONG last = Outward ? (end + 4095) >> 12 : end >> 12; /* exclusive */
    if (last <= first)
        return FALSE;
    *First = (ULONG)first;
    *Count = (ULONG)(last - first);
    return TRUE;
}

NTSTATUS MmInitializePhysicalMemory(const PHYSICAL_RANGE *Available, ULONG AvailableCount,
                                    const PHYSICAL_RANGE *Reserved, ULONG ReservedCount) {
    RtlInitializeBitMap(&MiInUse, MiInUseBits, MM_MAX_PFN);
    RtlInitializeBitMap(&MiManaged, MiManagedBits, MM_MAX_PFN);
    RtlSetAllBits(&MiInUse);
    RtlClearAllBits(&MiManaged);
    ULONG first, count;
    for (ULONG i = 0; i < AvailableCount; i++) {
        if (range_to_pages(&Available[i], FALSE, &first, &count)) {
            RtlClearBits(&MiInUse, first, count);
            RtlSetBits(&MiManaged, first, count);
        }
    }
    for (ULONG i = 0; i < ReservedCount; i++) {
        if (range_to_pages(&Reserved[i], TRUE, &first, &count)) {
            RtlSetBits(&MiInUse, first, count);
            RtlClearBits(&MiManaged, first, count);
        }
    }
    /* Page 0 stays out: a physical address of 0 always means "none". */
    RtlSetBits(&MiInUse, 0, 1);
    RtlClearBits(&MiManaged, 0, 1);
    MiFreePages = RtlNumberOfClearBits(&MiInUse);
    MiTotalPages = MiFreePages;
    MiHint = 0;
    return MiFreePages != 0 ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

NTSTATUS MmAllocatePhysicalPage(PFN_NUMBER *Pfn) {
    ULONG state = KeDisableInterrupts();
    ULONG at = MiFreePages ? RtlFindClearBitsAndSet(&MiInUse, 1, MiHint) : 0xFFFFFFFFu;
    if (at != 0xFFFFFFFFu) {
        MiFreePages--;
        MiHint = at + 1;
    }
    KeRestoreInterrupts(state);
    if (at == 0xFFFFFFFFu)
        return STATUS_NO_MEMORY;
    *Pfn = at;
    return STATUS_SUCCESS;
}

VOID MmFreePhysicalPage(PFN_NUMBER Pfn) {
    ULONG state = KeDisableInterrupts();
    if (Pfn >= MM_MAX_PFN || !RtlTestBit(&MiManaged, Pfn))
        KeBugCheckEx(PFN_LIST_CORRUPT, 0x99, Pfn, 0, 0); /* not a page we own */
    if (!RtlTestBit(&MiInUse, Pfn))
        KeBugCheckEx(PFN_LIST_CORRUPT, 0x9A, Pfn, 1, 0); /* freed twice */
    RtlClearBits(&MiInUse, Pfn, 1);
    MiFreePages++;
    KeRestoreInterrupts(state);
}

ULONG MmNumberOfFreePages(VOID) {
    return MiFreePages;
}
ULONG MmNumberOfPhysicalPages(VOID) {
    return MiTotalPages;
}

BOOLEAN MmIsPhysicalPageFree(PFN_NUMBER Pfn) {
    return Pfn < MM_MAX_PFN && RtlTestBit(&MiManaged, Pfn) && !RtlTestBit(&MiInUse, Pfn);
}
