/*
 * thread.c - creating user threads, and NtContinue.
 *
 * Why: a new thread gets a TEB (a page below the PEB), a kernel stack and a
 * trap frame that, when first switched to, "returns" to user mode at ntdll's
 * LdrInitializeThunk with the creator's CONTEXT copied onto the thread's
 * own stack (docs/processes.md): the loader runs first in every thread, then
 * NtContinue loads the CONTEXT and the thread is where its creator wanted.
 */
#define KD_COMPONENT "ps"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/ntapi.h>
#include <nt/ntcontext.h>

#define TEB_EXCEPTION_LIST 0x000
#define TEB_STACK_BASE 0x004
#define TEB_STACK_LIMIT 0x008
#define TEB_SELF 0x018
#define TEB_CLIENT_ID 0x020
#define TEB_PEB 0x030
#define USER_EFLAGS_ALLOWED 0x00000CD5u /* CF PF AF ZF SF DF OF: arithmetic flags only */
#define EFLAGS_RESERVED_ONE 0x00000002u
#define THREAD_SUSPEND_RESUME 0x0002
#define PROCESS_CREATE_THREAD 0x0002
#define USER_THREAD_PRIORITY 8

extern ULONG PspSystemDllBase, PspLoaderInitRoutine;
HANDLE PspAllocateCid(VOID);

/* Registers in a user frame: NT's flat selectors, sane flags. */
VOID PspSetUserFrame(PKTRAP_FRAME Tf, const CONTEXT *Ctx) {
    Tf->Eax = Ctx->Eax, Tf->Ebx = Ctx->Ebx, Tf->Ecx = Ctx->Ecx, Tf->Edx = Ctx->Edx;
    Tf->Esi = Ctx->Esi, Tf->Edi = Ctx->Edi, Tf->Ebp = Ctx->Ebp;
    Tf->Eip = Ctx->Eip;
    Tf->HardwareEsp = Ctx->Esp;
    Tf->SegCs = KGDT_R3_CODE | RPL_USER;
    Tf->HardwareSegSs = Tf->SegDs = Tf->SegEs = KGDT_R3_DATA | RPL_USER;
    Tf->SegFs = KGDT_R3_TEB | RPL_USER;
    Tf->SegGs = 0;
    Tf->EFlags = (Ctx->EFlags & USER_EFLAGS_ALLOWED) | EFLAGS_IF | EFLAGS_RESERVED_ONE;
}

/* The TEB and the entry frame, written while attached to the process. */
static NTSTATUS build_user_entry(PEPROCESS P, PETHREAD T, const CONTEXT *Ctx, const INITIAL_TEB *Teb,
                                 PKTRAP_FRAME Frame) {
    ULONG teb[0x34 / 4] = {0};
    teb[TEB_EXCEPTION_LIST / 4] = 0xFFFFFFFFu;
    teb[TEB_STACK_BASE / 4] = (ULONG)Teb->StackBase;
    teb[TEB_STACK_LIMIT / 4] = (ULONG)Teb->StackLimit;
    teb[TEB_SELF / 4] = T->TebAddress;
    teb[TEB_CLIENT_ID / 4] = (ULONG)(ULONG_PTR)T->Cid.UniqueProcess;
    teb[TEB_CLIENT_ID / 4 + 1] = (ULONG)(ULONG_PTR)T->Cid.UniqueThread;
    teb[TEB_PEB / 4] = P->PebAddress;
    /* The stack: [0] return address 0, [1] &CONTEXT, [2] ntdll's base, then the CONTEXT. */
    ULONG sp = ALIGN_DOWN(Ctx->Esp, 4) - sizeof(CONTEXT);
    ULONG ctxAt = sp;
    sp -= 3 * sizeof(ULONG);
    ULONG args[3] = {0, ctxAt, PspSystemDllBase};
    NTSTATUS status = MmWriteProcessMemory(P, (PVOID)T->TebAddress, teb, sizeof teb);
    if (NT_SUCCESS(status))
        status = MmWriteProcessMemory(P, (PVOID)ctxAt, Ctx, sizeof *Ctx);
    if (NT_SUCCESS(status))
        status = MmWriteProcessMemory(P, (PVOID)sp, args, sizeof args);
    if (!NT_SUCCESS(status))
        return STATUS_INVALID_PARAMETER; /* the stack in the CONTEXT is not committed memory */
    CONTEXT entry = *Ctx;
    entry.Eip = PspLoaderInitRoutine;
    entry.Esp = sp;
    memset(Frame, 0, sizeof *Frame);
    PspSetUserFrame(Frame, &entry);
    return STATUS_SUCCESS;
}

NTSTATUS PspCreateThread(PEPROCESS P, const CONTEXT *Ctx, const INITIAL_TEB *Teb, BOOLEAN Suspended,
                         PETHREAD *Out) {
    if (P->Exiting)
        return STATUS_PROCESS_IS_TERMINATING;
    if (P->NextTebAddress < MM_LOWEST_TEB_ADDRESS)
        return STATUS_INSUFFICIENT_RESOURCES;
    PETHREAD t;
    NTSTATUS status = ObCreateObject(PsThreadType, sizeof(ETHREAD), (PVOID *)&t);
    if (!NT_SUCCESS(status))
        return status;
    ULONG_PTR teb = P->NextTebAddress;
    status = MmCreatePebOrTeb(P, teb, 1);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(t);
        return status;
    }
    P->NextTebAddress -= PAGE_SIZE;
    t->TebAddress = teb;
    t->Cid.UniqueProcess = P->UniqueProcessId;
    t->Cid.UniqueThread = PspAllocateCid();
    KTRAP_FRAME frame;
    status = build_user_entry(P, t, Ctx, Teb, &frame);
    if (NT_SUCCESS(status))
        status = KeInitializeThread(&t->Tcb, &P->Pcb, NULL, NULL, &frame, USER_THREAD_PRIORITY);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(t);
        return status;
    }
    t->Tcb.Teb = (PVOID)teb;
    ObReferenceObject(P); /* a thread keeps its process alive; released in PspDeleteThread */
    t->ProcessReferenced = TRUE;
    ObReferenceObject(t); /* the running thread's own reference, dropped by the reaper */
    ULONG s = KeDisableInterrupts();
    InsertTailList(&P->ThreadListHead, &t->ThreadListEntry);
    P->ActiveThreads++;
    KeRestoreInterrupts(s);
    t->SuspendCount = Suspended ? 1 : 0;
    if (!Suspended)
        KeReadyThread(&t->Tcb);
    *Out = t;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
                              PVOID ThreadContext, PVOID InitialTeb, BOOLEAN CreateSuspended) {
    CONTEXT ctx;
    INITIAL_TEB teb;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    HANDLE handle = NULL;
    NTSTATUS status = ExCopyToCaller(ThreadHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status))
        status = ExCopyFromCaller(&ctx, ThreadContext, sizeof ctx);
    if (NT_SUCCESS(status))
        status = ExCopyFromCaller(&teb, InitialTeb, sizeof teb);
    if (NT_SUCCESS(status))
        status = ExCaptureObjectAttributes(ObjectAttributes, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_CREATE_THREAD, PsProcessType,
                                       KeGetPreviousMode(), (PVOID *)&p, NULL);
    PETHREAD t = NULL;
    if (NT_SUCCESS(status)) {
        status = PspCreateThread(p, &ctx, &teb, CreateSuspended, &t);
        ObDereferenceObject(p);
    }
    CLIENT_ID cid = t ? t->Cid : (CLIENT_ID){0};
    if (NT_SUCCESS(status)) {
        ObReferenceObject(t); /* keeps t alive for the Cid copy even if the handle is closed at once */
        status = ObInsertObject(t, &oa, DesiredAccess, &handle);
        if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(ThreadHandle, &handle, sizeof handle))) {
            ObpUndoHandle(PsGetCurrentProcess(), handle);
            status = STATUS_ACCESS_VIOLATION;
        }
        if (NT_SUCCESS(status) && ClientId)
            status = ExCopyToCaller(ClientId, &cid, sizeof cid);
        ObDereferenceObject(t);
    }
    ExReleaseCapturedUnicodeString(&name);
    return status;
}

NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG SuspendCount) {
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SUSPEND_RESUME, PsThreadType,
                                                KeGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status))
        return status;
    ULONG s = KeDisableInterrupts();
    ULONG previous = t->SuspendCount;
    if (previous && --t->SuspendCount == 0 && t->Tcb.State == Initialized)
        KiReadyThread(&t->Tcb);
    KeRestoreInterrupts(s);
    ObDereferenceObject(t);
    return SuspendCount ? ExCopyToCaller(SuspendCount, &previous, sizeof previous) : STATUS_SUCCESS;
}

NTSTATUS NTAPI NtContinue(PVOID Context, BOOLEAN TestAlert) {
    (void)TestAlert; /* no user APCs to deliver yet */
    PKTRAP_FRAME tf = KeGetCurrentThread()->TrapFrame;
    if (KeGetPreviousMode() != UserMode || !tf)
        return STATUS_INVALID_PARAMETER;
    CONTEXT ctx;
    NTSTATUS status = ExCopyFromCaller(&ctx, Context, sizeof ctx);
    if (!NT_SUCCESS(status))
        return status;
    PspSetUserFrame(tf, &ctx);
    return (NTSTATUS)ctx.Eax; /* KiSystemService stores it in the frame's EAX */
}
