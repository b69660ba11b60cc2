/*
 * syscall.c - KiSystemService: the `int 0x2E` entry to the executive.
 *
 * Why: DESIGN.md §6: EAX holds the service number (bits 12-13 pick the
 * table: 0 the executive, 1 GDI in the GDI=kernel build), EDX points at the
 * caller's arguments on its stack, the NTSTATUS goes back in EAX. The
 * arguments are copied with the fault-safe copy before the service runs, and
 * the thread's PreviousMode tells the service whether its pointers must be
 * probed. Services run with interrupts enabled.
 */
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/probe.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define STATUS_INVALID_SYSTEM_SERVICE ((NTSTATUS)0xC000001C)
#define SERVICE_TABLE_SHIFT 12
#define SERVICE_TABLE_MASK 3
#define SERVICE_INDEX_MASK 0xFFF
#define MAX_SERVICE_ARGUMENTS 16

ULONG KiCallService(ULONG_PTR Function, const ULONG *Arguments, ULONG Count);

/* `svctrace` on the boot command line: log every service a user-mode caller
 * saw fail (a debugging aid for new user-mode code). */
BOOLEAN KiTraceFailedServices;

VOID KiSystemService(PKTRAP_FRAME Tf) {
    PKTHREAD t = KeGetCurrentThread();
    ULONG number = Tf->Eax;
    ULONG table = (number >> SERVICE_TABLE_SHIFT) & SERVICE_TABLE_MASK;
    ULONG index = number & SERVICE_INDEX_MASK;
    KeCountEvent(SystemCalls, 1); /* svcentry.asm counts the fast path's */
    const KSERVICE_TABLE_DESCRIPTOR *d = &KeServiceDescriptorTable[table];
    if (number >> (SERVICE_TABLE_SHIFT + 2) || !d->Base || index >= d->Limit) {
        Tf->Eax = (ULONG)STATUS_INVALID_SYSTEM_SERVICE;
        return;
    }
    ULONG bytes = d->Arguments[index];
    ULONG args[MAX_SERVICE_ARGUMENTS];
    UCHAR savedMode = t->PreviousMode;
    struct _KTRAP_FRAME *savedFrame = t->TrapFrame;
    t->TrapFrame = Tf;
    t->PreviousMode = (Tf->SegCs & RPL_USER) ? UserMode : KernelMode;
    _enable();
    NTSTATUS status = ExCopyFromCaller(args, (const VOID *)Tf->Edx, bytes);
    if (NT_SUCCESS(status))
        status = d->Base[index] ? (NTSTATUS)KiCallService(d->Base[index], args, bytes / sizeof(ULONG))
                                : STATUS_NOT_IMPLEMENTED; /* listed, not built yet (svctable.c) */
    _disable();
    if (KiTraceFailedServices && !NT_SUCCESS(status) && table == 0 && (Tf->SegCs & RPL_USER))
        KdPrintComponent("svc", "%s failed: 0x%08X (eip 0x%08X)", KiServiceNames[index], (ULONG)status,
                         Tf->Eip);
    t->PreviousMode = savedMode;
    t->TrapFrame = savedFrame;
    Tf->Eax = (ULONG)status;
}

/* The C path of int 0x2E (svcentry.asm sends the unusual cases here): the
 * whole service, then the checks made on every way back to user mode. */
VOID KiSystemServiceSlow(PKTRAP_FRAME Tf) {
    KiSystemService(Tf);
    KiCheckPreemption(Tf);
    KiExitToUserMode(Tf);
}

/* The fast path's way out when a reschedule or a termination is pending. */
VOID KiSystemServiceExit(PKTRAP_FRAME Tf) {
    KiCheckPreemption(Tf);
    KiExitToUserMode(Tf);
}
