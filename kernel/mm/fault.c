/*
 * fault.c - MmAccessFault: resolving a page fault on a user address.
 *
 * Why: user pages are filled lazily. A fault is resolved from the VAD that
 * covers the address: a committed private page gets a fresh zeroed frame
 * (demand zero); a view page gets its section's prototype page, shared; a
 * write to a copy-on-write page (image views, PAGE_WRITECOPY) gets a
 * private copy. A guard page (PAGE_GUARD) is a one-shot tripwire: the first
 * touch clears it and commits the page below as the new guard, which is how
 * a thread's stack grows. Anything else is an access violation for the caller
 * to turn into an exception (user mode) or a failed probe (kernel mode).
 */
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/x86.h"

PMMVAD MiLocateVad(PEPROCESS Process, ULONG_PTR Va);
ULONG MiViewPrototypePfn(PMMVAD Vad, ULONG Index);
NTSTATUS MiEnsureUserPageTable(ULONG_PTR Va);
VOID MiMapUserPage(ULONG_PTR Va, PFN_NUMBER Pfn, BOOLEAN Writable);
NTSTATUS MiAllocateZeroedPage(PFN_NUMBER *Pfn);
VOID MiCopyPhysicalPage(PFN_NUMBER Dest, PFN_NUMBER Src);
NTSTATUS MiSectionPage(PSECTION Section, ULONG Index, PFN_NUMBER *Pfn);

ULONG MmFaultsResolved; /* counter for NtQuerySystemInformation */

BOOLEAN MiProtectionAllowsWrite(ULONG Protect) {
    return (Protect & (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | PAGE_EXECUTE_WRITECOPY)) !=
           0;
}

/* Pages whose writes go to a private copy rather than the shared page. */
static BOOLEAN copy_on_write(PMMVAD Vad, ULONG Protect) {
    if (Vad->Type == VadImage)
        return TRUE; /* docs/processes.md: image pages are copy-on-write, whatever their section says */
    return Vad->Type == VadMapped && (Protect & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY));
}

NTSTATUS MmAccessFault(ULONG_PTR Va, BOOLEAN Write) {
    if (Va >= MM_USER_PROBE_ADDRESS || !KeGetCurrentThread())
        return STATUS_ACCESS_VIOLATION;
    PEPROCESS p = PsGetAddressSpaceProcess();
    PMMVAD vad = MiLocateVad(p, Va);
    if (!vad)
        return STATUS_ACCESS_VIOLATION;
    ULONG i = (ULONG)((Va - vad->StartingVa) >> PAGE_SHIFT);
    USHORT state = vad->PageState[i];
    ULONG protect = state & MM_PAGE_PROTECT_MASK;
    if (!(state & MM_PAGE_COMMITTED) || protect == 0 || (protect & PAGE_NOACCESS))
        return STATUS_ACCESS_VIOLATION;
    if (protect & PAGE_GUARD) {
        vad->PageState[i] &= ~PAGE_GUARD;
        if (i > 0 && !(vad->PageState[i - 1] & MM_PAGE_COMMITTED)) {
            vad->PageState[i - 1] = (USHORT)(MM_PAGE_COMMITTED | (protect & ~PAGE_GUARD) | PAGE_GUARD);
            if (vad->Type == VadPrivate)
                p->CommittedPages++;
        }
        protect &= ~PAGE_GUARD;
    }
    BOOLEAN writable = MiProtectionAllowsWrite(protect) || vad->Type == VadImage;
    if (Write && !writable)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = MiEnsureUserPageTable(Va);
    if (!NT_SUCCESS(status))
        return status;
    ULONG_PTR page = ALIGN_DOWN(Va, PAGE_SIZE);
    ULONG pte = *MiGetPteAddress(page);
    PFN_NUMBER pfn;
    if ((pte & PTE_PRESENT) && !(pte & PTE_USER)) {
        /* Access taken away by PAGE_NOACCESS or PAGE_GUARD, allowed again now. */
        BOOLEAN cow = copy_on_write(vad, protect) && (pte >> PAGE_SHIFT) == MiViewPrototypePfn(vad, i);
        *MiGetPteAddress(page) = pte | PTE_USER | (writable && !cow ? PTE_WRITE : 0);
        KiInvalidatePage(page);
        if (!(Write && cow))
            return STATUS_SUCCESS;
        pte = *MiGetPteAddress(page);
    }
    if (pte & PTE_PRESENT) {
        /* A protection fault on a mapped page: only a copy-on-write write. */
        PFN_NUMBER shared = pte >> PAGE_SHIFT;
        if (!Write || !copy_on_write(vad, protect) || shared != MiViewPrototypePfn(vad, i))
            return STATUS_ACCESS_VIOLATION;
        status = MmAllocatePhysicalPage(&pfn);
        if (!NT_SUCCESS(status))
            return status;
        MiCopyPhysicalPage(pfn, shared);
        MiMapUserPage(page, pfn, TRUE);
    } else if (vad->Type == VadPrivate) {
        status = MiAllocateZeroedPage(&pfn);
        if (!NT_SUCCESS(status))
            return status;
        MiMapUserPage(page, pfn, writable);
    } else {
        PFN_NUMBER shared;
        status = MiSectionPage(vad->Section, vad->SectionFirstPage + i, &shared);
        if (!NT_SUCCESS(status))
            return status;
        if (Write && copy_on_write(vad, protect)) {
            status = MmAllocatePhysicalPage(&pfn);
            if (!NT_SUCCESS(status))
                return status;
            MiCopyPhysicalPage(pfn, shared);
            MiMapUserPage(page, pfn, TRUE);
        } else {
            MiMapUserPage(page, shared, writable && !copy_on_write(vad, protect));
        }
    }
    MmFaultsResolved++;
    return STATUS_SUCCESS;
}
