/*
 * virtual.c - reserving, committing, protecting and freeing user memory,
 * and copying between address spaces.
 *
 * Why: NT splits allocation in two: MEM_RESERVE takes a range of addresses
 * (64 KiB aligned) and MEM_COMMIT promises pages inside it, which then appear
 * on first touch. Both, and their undoing, are edits of the process's VADs;
 * page tables only change when pages have to go (decommit, release,
 * protection changes). A process's memory can be edited from another one
 * (a creator building its child), so every routine here takes the process.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/ntapi.h>

#define TAG_BOUNCE NT_TAG('M', 'm', 'C', 'p')
#define COPY_CHUNK PAGE_SIZE
#define VALID_PROTECT_BITS 0x3FF

NTSTATUS MiCreateVad(PEPROCESS Process, ULONG_PTR Start, SIZE_T Size, MM_VAD_TYPE Type, ULONG Protect,
                     PMMVAD *Vad);
ULONG_PTR MiFindFreeRange(PEPROCESS Process, SIZE_T Size, BOOLEAN TopDown);
PMMVAD MiLocateVad(PEPROCESS Process, ULONG_PTR Va);
VOID MiDeleteVad(PEPROCESS Process, PMMVAD Vad);
VOID MiReleaseVadPages(PEPROCESS Process, PMMVAD Vad, ULONG First, ULONG Count);
VOID MiDeleteUserPageTables(VOID);
BOOLEAN MiAttach(PEPROCESS Process);
BOOLEAN MiProtectionAllowsWrite(ULONG Protect);
NTSTATUS KiSafeCopy(PVOID Dest, const VOID *Src, ULONG Count, ULONG_PTR *RecoverySlot);

/* One base protection (exactly one of the low eight bits), optionally with
 * PAGE_GUARD or PAGE_NOCACHE: NT's rule for a valid protection. */
BOOLEAN MiValidProtection(ULONG Protect) {
    ULONG base = Protect & 0xFF;
    return (Protect & ~VALID_PROTECT_BITS) == 0 && base != 0 && (base & (base - 1)) == 0 &&
           !((Protect & PAGE_GUARD) && base == PAGE_NOACCESS);
}

NTSTATUS MmAllocateVirtualMemory(PEPROCESS Process, ULONG_PTR *Base, SIZE_T *Size, ULONG Type,
                                 ULONG Protect) {
    if (!(Type & (MEM_COMMIT | MEM_RESERVE)) || (Type & ~(MEM_COMMIT | MEM_RESERVE | MEM_TOP_DOWN)))
        return STATUS_INVALID_PARAMETER;
    if (!MiValidProtection(Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (*Size == 0 || *Size > (SIZE_T)MM_MAX_REGION_PAGES << PAGE_SHIFT)
        return STATUS_INVALID_PARAMETER;
    PMMVAD vad;
    ULONG_PTR start;
    SIZE_T size;
    if ((Type & MEM_RESERVE) || *Base == 0) {
        start = ALIGN_DOWN(*Base, MM_ALLOCATION_GRANULARITY);
        size = ALIGN_UP(*Base + *Size, PAGE_SIZE) - start;
        if (!start) {
            size = ALIGN_UP(*Size, PAGE_SIZE);
            start = MiFindFreeRange(Process, ALIGN_UP(size, MM_ALLOCATION_GRANULARITY),
                                    (Type & MEM_TOP_DOWN) != 0);
            if (!start)
                return STATUS_NO_MEMORY;
        }
        NTSTATUS status = MiCreateVad(Process, start, size, VadPrivate, Protect, &vad);
        if (!NT_SUCCESS(status))
            return status;
        if (Type & MEM_COMMIT) {
            for (ULONG i = 0; i < (ULONG)(size >> PAGE_SHIFT); i++)
                vad->PageState[i] = (USHORT)(MM_PAGE_COMMITTED | Protect);
            Process->CommittedPages += (ULONG)(size >> PAGE_SHIFT);
        }
    } else {
        /* Commit inside an existing reservation. */
        start = ALIGN_DOWN(*Base, PAGE_SIZE);
        size = ALIGN_UP(*Base + *Size, PAGE_SIZE) - start;
        vad = MiLocateVad(Process, start);
        if (!vad || start + size > vad->EndingVa || start + size < start)
            return STATUS_CONFLICTING_ADDRESSES;
        if (vad->Type != VadPrivate)
            return STATUS_CONFLICTING_ADDRESSES; /* views are committed when mapped */
        ULONG first = (ULONG)((start - vad->StartingVa) >> PAGE_SHIFT);
        BOOLEAN attached = MiAttach(Process);
        for (ULONG i = first; i < first + (ULONG)(size >> PAGE_SHIFT); i++) {
            if (!(vad->PageState[i] & MM_PAGE_COMMITTED))
                Process->CommittedPages++;
            else if ((vad->PageState[i] & MM_PAGE_PROTECT_MASK) != Protect)
                MiReleaseVadPages(Process, vad, i, 1),
                    Process->CommittedPages++; /* refill with the new protection */
            vad->PageState[i] = (USHORT)(MM_PAGE_COMMITTED | Protect);
        }
        if (attached)
            KeDetachProcess();
    }
    *Base = start;
    *Size = size;
    return STATUS_SUCCESS;
}

static NTSTATUS free_memory(PEPROCESS Process, ULONG_PTR *Base, SIZE_T *Size, ULONG FreeType) {
    if (FreeType != MEM_RELEASE && FreeType != MEM_DECOMMIT)
        return STATUS_INVALID_PARAMETER;
    PMMVAD vad = MiLocateVad(Process, *Base);
    if (!vad)
        return STATUS_MEMORY_NOT_ALLOCATED;
    if (vad->Type != VadPrivate)
        return STATUS_UNABLE_TO_FREE_VM; /* views go with NtUnmapViewOfSection */
    BOOLEAN attached = MiAttach(Process);
    NTSTATUS status = STATUS_SUCCESS;
    if (FreeType == MEM_RELEASE) {
        if (ALIGN_DOWN(*Base, PAGE_SIZE) != vad->StartingVa ||
            (*Size != 0 && ALIGN_UP(*Size, PAGE_SIZE) != vad->EndingVa - vad->StartingVa)) {
            status = STATUS_FREE_VM_NOT_AT_BASE; /* only whole reservations are released */
        } else {
            *Base = vad->StartingVa;
            *Size = vad->EndingVa - vad->StartingVa;
            MiDeleteVad(Process, vad);
        }
    } else {
        ULONG_PTR start = ALIGN_DOWN(*Base, PAGE_SIZE);
        ULONG_PTR end = *Size ? ALIGN_UP(*Base + *Size, PAGE_SIZE) : vad->EndingVa;
        if (end > vad->EndingVa || end <= start) {
            status = STATUS_UNABLE_TO_FREE_VM;
        } else {
            ULONG first = (ULONG)((start - vad->StartingVa) >> PAGE_SHIFT),
                  count = (ULONG)((end - start) >> PAGE_SHIFT);
            MiReleaseVadPages(Process, vad, first, count);
            for (ULONG i = first; i < first + count; i++)
                vad->PageState[i] = 0;
            *Base = start;
            *Size = end - start;
        }
    }
    if (attached)
        KeDetachProcess();
    return status;
}

VOID MmCleanProcessAddressSpace(PEPROCESS Process) {
    BOOLEAN attached = MiAttach(Process);
    while (!IsListEmpty(&Process->VadListHead))
        MiDeleteVad(Process, CONTAINING_RECORD(Process->VadListHead.Flink, MMVAD, Links));
    MiDeleteUserPageTables();
    if (attached)
        KeDetachProcess();
}

/* A fault-safe copy where the user side is checked against user space. */
static NTSTATUS copy_user(PVOID Dest, const VOID *Src, SIZE_T Length, BOOLEAN SrcIsUser) {
    const VOID *user = SrcIsUser ? Src : Dest;
    if (!ExIsUserRange(user, Length))
        return STATUS_ACCESS_VIOLATION;
    return KiSafeCopy(Dest, Src, (ULONG)Length, &KeGetCurrentThread()->FaultRecovery);
}

NTSTATUS MmCopyVirtualMemory(PEPROCESS FromProcess, const VOID *From, PEPROCESS ToProcess, PVOID To,
                             SIZE_T Length, SIZE_T *Copied) {
    *Copied = 0;
    UCHAR *bounce = ExAllocatePoolWithTag(NonPagedPool, COPY_CHUNK, TAG_BOUNCE);
    if (!bounce)
        return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = STATUS_SUCCESS;
    while (*Copied < Length && NT_SUCCESS(status)) {
        SIZE_T n = Length - *Copied < COPY_CHUNK ? Length - *Copied : COPY_CHUNK;
        BOOLEAN attached = MiAttach(FromProcess);
        status = copy_user(bounce, (const UCHAR *)From + *Copied, n, TRUE);
        if (attached)
            KeDetachProcess();
        if (!NT_SUCCESS(status))
            break;
        attached = MiAttach(ToProcess);
        status = copy_user((UCHAR *)To + *Copied, bounce, n, FALSE);
        if (attached)
            KeDetachProcess();
        if (NT_SUCCESS(status))
            *Copied += n;
    }
    ExFreePoolWithTag(bounce, TAG_BOUNCE);
    return NT_SUCCESS(status) ? STATUS_SUCCESS : STATUS_PARTIAL_COPY;
}

/* ---- services ---- */

#define PROCESS_VM_OPERATION 0x0008
#define PROCESS_VM_READ 0x0010
#define PROCESS_VM_WRITE 0x0020

static NTSTATUS process_of(HANDLE Handle, ACCESS_MASK Access, PEPROCESS *Process) {
    return ObReferenceObjectByHandle(Handle, Access, PsProcessType, KeGetPreviousMode(), (PVOID *)Process,
                                     NULL);
}

/* The (BaseAddress, RegionSize) pair most memory services take and give back. */
static NTSTATUS capture_region(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG_PTR *Base, SIZE_T *Size) {
    NTSTATUS status = ExCopyFromCaller(Base, BaseAddress, sizeof *Base);
    return NT_SUCCESS(status) ? ExCopyFromCaller(Size, RegionSize, sizeof *Size) : status;
}

static NTSTATUS return_region(PVOID *BaseAddress, PSIZE_T RegionSize, ULONG_PTR Base, SIZE_T Size) {
    NTSTATUS status = ExCopyToCaller(BaseAddress, &Base, sizeof Base);
    return NT_SUCCESS(status) ? ExCopyToCaller(RegionSize, &Size, sizeof Size) : status;
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect) {
    ULONG_PTR base;
    SIZE_T size;
    if (ZeroBits > 21)
        return STATUS_INVALID_PARAMETER_3;
    NTSTATUS status = capture_region(BaseAddress, RegionSize, &base, &size);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = process_of(ProcessHandle, PROCESS_VM_OPERATION, &p);
    if (!NT_SUCCESS(status))
        return status;
    status = MmAllocateVirtualMemory(p, &base, &size, AllocationType, Protect);
    ObDereferenceObject(p);
    if (NT_SUCCESS(status))
        status = return_region(BaseAddress, RegionSize, base, size);
    return status;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                   ULONG FreeType) {
    ULONG_PTR base;
    SIZE_T size;
    NTSTATUS status = capture_region(BaseAddress, RegionSize, &base, &size);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = process_of(ProcessHandle, PROCESS_VM_OPERATION, &p);
    if (!NT_SUCCESS(status))
        return status;
    status = free_memory(p, &base, &size, FreeType);
    ObDereferenceObject(p);
    if (NT_SUCCESS(status))
        status = return_region(BaseAddress, RegionSize, base, size);
    return status;
}

ULONG MiViewPrototypePfn(PMMVAD Vad, ULONG Index);

/* Makes a present page obey a new protection at once. A page this process
 * owns keeps its frame: write access follows the protection, and
 * PAGE_NOACCESS or PAGE_GUARD only take away the user bit (the fault handler
 * gives it back when the protection allows again). A shared section page is
 * simply unmapped and faults back in with the new rights. */
static void apply_protection(PMMVAD Vad, ULONG Index, ULONG Protect) {
    ULONG_PTR va = Vad->StartingVa + ((ULONG_PTR)Index << PAGE_SHIFT);
    if (!(*MiGetPdeAddress(va) & PTE_PRESENT) || !(*MiGetPteAddress(va) & PTE_PRESENT))
        return;
    volatile ULONG *pte = MiGetPteAddress(va);
    if (Vad->Type != VadPrivate && (*pte >> PAGE_SHIFT) == MiViewPrototypePfn(Vad, Index)) {
        *pte = 0;
    } else {
        ULONG v = *pte & ~(PTE_WRITE | PTE_USER);
        if (!(Protect & (PAGE_NOACCESS | PAGE_GUARD)))
            v |= PTE_USER | (MiProtectionAllowsWrite(Protect) ? PTE_WRITE : 0);
        *pte = v;
    }
    KiInvalidatePage(va);
}

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect) {
    ULONG_PTR base;
    SIZE_T size;
    NTSTATUS status = capture_region(BaseAddress, RegionSize, &base, &size);
    if (!NT_SUCCESS(status))
        return status;
    if (!MiValidProtection(NewProtect))
        return STATUS_INVALID_PAGE_PROTECTION;
    PEPROCESS p;
    status = process_of(ProcessHandle, PROCESS_VM_OPERATION, &p);
    if (!NT_SUCCESS(status))
        return status;
    ULONG_PTR start = ALIGN_DOWN(base, PAGE_SIZE), end = ALIGN_UP(base + size, PAGE_SIZE);
    PMMVAD vad = MiLocateVad(p, start);
    ULONG old = 0;
    if (!vad || end > vad->EndingVa || end <= start) {
        status = STATUS_CONFLICTING_ADDRESSES;
    } else {
        ULONG first = (ULONG)((start - vad->StartingVa) >> PAGE_SHIFT),
              count = (ULONG)((end - start) >> PAGE_SHIFT);
        for (ULONG i = first; i < first + count; i++)
            if (!(vad->PageState[i] & MM_PAGE_COMMITTED))
                status = STATUS_NOT_COMMITTED;
        if (NT_SUCCESS(status)) {
            old = vad->PageState[first] & MM_PAGE_PROTECT_MASK;
            BOOLEAN attached = MiAttach(p);
            for (ULONG i = first; i < first + count; i++) {
                vad->PageState[i] = (USHORT)(MM_PAGE_COMMITTED | NewProtect);
                apply_protection(vad, i, NewProtect);
            }
            if (attached)
                KeDetachProcess();
        }
    }
    ObDereferenceObject(p);
    if (NT_SUCCESS(status)) {
        status = return_region(BaseAddress, RegionSize, start, end - start);
        if (NT_SUCCESS(status) && OldProtect)
            status = ExCopyToCaller(OldProtect, &old, sizeof old);
    }
    return status;
}

typedef struct _MEMORY_BASIC_INFORMATION {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} MEMORY_BASIC_INFORMATION;
_Static_assert(sizeof(MEMORY_BASIC_INFORMATION) == 28, "NT's x86 layout");

NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, ULONG MemoryInformationClass,
                                    PVOID MemoryInformation, SIZE_T Length, PSIZE_T ReturnLength) {
    if (MemoryInformationClass != 0 /* MemoryBasicInformation */)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < sizeof(MEMORY_BASIC_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    ULONG_PTR va = ALIGN_DOWN((ULONG_PTR)BaseAddress, PAGE_SIZE);
    if (va >= MM_HIGHEST_VAD_ADDRESS)
        return STATUS_INVALID_PARAMETER;
    PEPROCESS p;
    NTSTATUS status = process_of(ProcessHandle, 0x0400 /* PROCESS_QUERY_INFORMATION */, &p);
    if (!NT_SUCCESS(status))
        return status;
    MEMORY_BASIC_INFORMATION mbi = {0};
    mbi.BaseAddress = (PVOID)va;
    PMMVAD vad = MiLocateVad(p, va);
    if (!vad) {
        /* Free: up to the next VAD. */
        ULONG_PTR next = MM_HIGHEST_VAD_ADDRESS;
        for (PLIST_ENTRY e = p->VadListHead.Flink; e != &p->VadListHead; e = e->Flink) {
            PMMVAD v = CONTAINING_RECORD(e, MMVAD, Links);
            if (v->StartingVa > va) {
                next = v->StartingVa;
                break;
            }
        }
        mbi.RegionSize = next - va;
        mbi.State = MEM_FREE;
        mbi.Protect = PAGE_NOACCESS;
    } else {
        ULONG i = (ULONG)((va - vad->StartingVa) >> PAGE_SHIFT),
              n = (ULONG)((vad->EndingVa - vad->StartingVa) >> PAGE_SHIFT);
        USHORT state = vad->PageState[i];
        ULONG j = i;
        while (j < n && vad->PageState[j] == state)
            j++;
        mbi.AllocationBase = (PVOID)vad->StartingVa;
        mbi.AllocationProtect = vad->InitialProtect;
        mbi.RegionSize = (SIZE_T)(j - i) << PAGE_SHIFT;
        mbi.State = (state & MM_PAGE_COMMITTED) ? MEM_COMMIT : MEM_RESERVE;
        mbi.Protect = (state & MM_PAGE_COMMITTED) ? (state & MM_PAGE_PROTECT_MASK) : 0;
        mbi.Type = vad->Type == VadPrivate ? MEM_PRIVATE : vad->Type == VadImage ? MEM_IMAGE : MEM_MAPPED;
    }
    ObDereferenceObject(p);
    status = ExCopyToCaller(MemoryInformation, &mbi, sizeof mbi);
    SIZE_T got = sizeof mbi;
    if (NT_SUCCESS(status) && ReturnLength)
        status = ExCopyToCaller(ReturnLength, &got, sizeof got);
    return status;
}

/* Read and write: the caller's buffer is in the current address space. */
static NTSTATUS rw_memory(HANDLE ProcessHandle, PVOID Remote, PVOID Local, SIZE_T Length, PSIZE_T Done,
                          BOOLEAN Write) {
    PEPROCESS p;
    NTSTATUS status = process_of(ProcessHandle, Write ? PROCESS_VM_WRITE : PROCESS_VM_READ, &p);
    if (!NT_SUCCESS(status))
        return status;
    SIZE_T copied = 0;
    PEPROCESS self = PsGetAddressSpaceProcess();
    if (KeGetPreviousMode() == UserMode && !ExIsUserRange(Local, Length))
        status = STATUS_ACCESS_VIOLATION;
    else if (!ExIsUserRange(Remote, Length))
        status = STATUS_ACCESS_VIOLATION;
    else if (Write)
        status = MmCopyVirtualMemory(self, Local, p, Remote, Length, &copied);
    else
        status = MmCopyVirtualMemory(p, Remote, self, Local, Length, &copied);
    ObDereferenceObject(p);
    if (Done && !NT_SUCCESS(ExCopyToCaller(Done, &copied, sizeof copied)))
        status = STATUS_ACCESS_VIOLATION;
    return status;
}

NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T Length,
                                   PSIZE_T BytesRead) {
    return rw_memory(ProcessHandle, BaseAddress, Buffer, Length, BytesRead, FALSE);
}

NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer,
                                    SIZE_T Length, PSIZE_T BytesWritten) {
    return rw_memory(ProcessHandle, BaseAddress, (PVOID)Buffer, Length, BytesWritten, TRUE);
}

/* Writes kernel data into Process's user memory (building a new process or
 * thread); the range must be committed there. */
NTSTATUS MmWriteProcessMemory(PEPROCESS Process, PVOID To, const VOID *From, SIZE_T Length) {
    BOOLEAN attached = MiAttach(Process);
    NTSTATUS status = copy_user(To, From, Length, FALSE);
    if (attached)
        KeDetachProcess();
    return status;
}

/* The PEB and TEBs (NT's MiCreatePebOrTeb): committed private pages at a
 * fixed page-aligned address, without the 64 KiB rounding of reservations. */
NTSTATUS MmCreatePebOrTeb(PEPROCESS Process, ULONG_PTR Va, ULONG Pages) {
    PMMVAD vad;
    NTSTATUS status = MiCreateVad(Process, Va, (SIZE_T)Pages << PAGE_SHIFT, VadPrivate, PAGE_READWRITE, &vad);
    if (!NT_SUCCESS(status))
        return status;
    for (ULONG i = 0; i < Pages; i++)
        vad->PageState[i] = MM_PAGE_COMMITTED | PAGE_READWRITE;
    Process->CommittedPages += Pages;
    return STATUS_SUCCESS;
}
