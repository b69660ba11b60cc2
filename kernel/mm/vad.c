/*
 * vad.c - virtual address descriptors: what each range of user space is.
 *
 * Why: see mmtypes.h. The VADs of a process are kept in one list ordered by
 * address (NT keeps a balanced tree; a process here has tens of ranges, and
 * a list is easier to read). Each VAD carries one USHORT per page: its
 * protection and whether it is committed; a page's PTE is filled on first
 * touch from that. Deleting a range frees the private pages under it and
 * drops shared section pages without freeing them.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define TAG_VAD NT_TAG('M', 'm', 'V', 'a')

PMMVAD MiLocateVad(PEPROCESS Process, ULONG_PTR Va) {
    for (PLIST_ENTRY e = Process->VadListHead.Flink; e != &Process->VadListHead; e = e->Flink) {
        PMMVAD v = CONTAINING_RECORD(e, MMVAD, Links);
        if (Va < v->StartingVa)
            return NULL;
        if (Va < v->EndingVa)
            return v;
    }
    return NULL;
}

/* TRUE when [Start, End) touches no VAD. */
static BOOLEAN range_free(PEPROCESS Process, ULONG_PTR Start, ULONG_PTR End) {
    for (PLIST_ENTRY e = Process->VadListHead.Flink; e != &Process->VadListHead; e = e->Flink) {
        PMMVAD v = CONTAINING_RECORD(e, MMVAD, Links);
        if (v->StartingVa < End && Start < v->EndingVa)
            return FALSE;
    }
    return TRUE;
}

ULONG_PTR MiFindFreeRange(PEPROCESS Process, SIZE_T Size, BOOLEAN TopDown) {
    if (Size == 0 || Size > MM_AUTOMATIC_VAD_CEILING - MM_LOWEST_USER_ADDRESS)
        return 0;
    if (TopDown) {
        ULONG_PTR at = ALIGN_DOWN(MM_AUTOMATIC_VAD_CEILING - Size, MM_ALLOCATION_GRANULARITY);
        for (; at >= MM_LOWEST_USER_ADDRESS; at -= MM_ALLOCATION_GRANULARITY)
            if (range_free(Process, at, at + Size))
                return at;
        return 0;
    }
    for (ULONG_PTR at = MM_LOWEST_USER_ADDRESS; at + Size <= MM_AUTOMATIC_VAD_CEILING;
         at += MM_ALLOCATION_GRANULARITY)
        if (range_free(Process, at, at + Size))
            return at;
    return 0;
}

NTSTATUS MiCreateVad(PEPROCESS Process, ULONG_PTR Start, SIZE_T Size, MM_VAD_TYPE Type, ULONG Protect,
                     PMMVAD *Vad) {
    ULONG pages = (ULONG)(Size >> PAGE_SHIFT);
    if ((Start & (PAGE_SIZE - 1)) || (Size & (PAGE_SIZE - 1)) || pages == 0 || pages > MM_MAX_REGION_PAGES ||
        Start < MM_LOWEST_USER_ADDRESS || Start + Size > MM_HIGHEST_VAD_ADDRESS || Start + Size < Start)
        return STATUS_INVALID_PARAMETER;
    if (!range_free(Process, Start, Start + Size))
        return STATUS_CONFLICTING_ADDRESSES;
    PMMVAD v = ExAllocatePoolWithTag(NonPagedPool, sizeof(MMVAD) + pages * sizeof(USHORT), TAG_VAD);
    if (!v)
        return STATUS_NO_MEMORY;
    memset(v, 0, sizeof(MMVAD) + pages * sizeof(USHORT));
    v->StartingVa = Start;
    v->EndingVa = Start + Size;
    v->Type = Type;
    v->InitialProtect = Protect;
    PLIST_ENTRY e = Process->VadListHead.Flink;
    while (e != &Process->VadListHead && CONTAINING_RECORD(e, MMVAD, Links)->StartingVa < Start)
        e = e->Flink;
    InsertTailList(e, &v->Links); /* before e */
    *Vad = v;
    return STATUS_SUCCESS;
}

/* The prototype page behind a view page, or 0 for a private VAD. */
ULONG MiViewPrototypePfn(PMMVAD Vad, ULONG Index) {
    if (Vad->Type == VadPrivate || !Vad->Section)
        return 0;
    ULONG i = Vad->SectionFirstPage + Index;
    return i < Vad->Section->PageCount ? Vad->Section->Pages[i] : 0;
}

/* Unmaps pages [First, First+Count) of Vad in the current address space,
 * freeing those that were private to this process. */
VOID MiReleaseVadPages(PEPROCESS Process, PMMVAD Vad, ULONG First, ULONG Count) {
    for (ULONG i = First; i < First + Count; i++) {
        ULONG_PTR va = Vad->StartingVa + ((ULONG_PTR)i << PAGE_SHIFT);
        if (!(*MiGetPdeAddress(va) & PTE_PRESENT))
            continue;
        volatile ULONG *pte = MiGetPteAddress(va);
        if (*pte & PTE_PRESENT) {
            PFN_NUMBER pfn = *pte >> PAGE_SHIFT;
            *pte = 0;
            KiInvalidatePage(va);
            if (pfn != MiViewPrototypePfn(Vad, i))
                MmFreePhysicalPage(pfn);
        }
        if (Vad->Type == VadPrivate && (Vad->PageState[i] & MM_PAGE_COMMITTED))
            Process->CommittedPages--;
    }
}

VOID MmDereferenceSection(PSECTION Section);

/* Removes Vad and everything under it; the process's address space must be
 * the current one. */
VOID MiDeleteVad(PEPROCESS Process, PMMVAD Vad) {
    MiReleaseVadPages(Process, Vad, 0, (ULONG)((Vad->EndingVa - Vad->StartingVa) >> PAGE_SHIFT));
    RemoveEntryList(&Vad->Links);
    if (Vad->Section)
        MmDereferenceSection(Vad->Section);
    ExFreePoolWithTag(Vad, TAG_VAD);
}
