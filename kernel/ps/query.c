/*
 * query.c - finding processes and threads by ID, and asking about them.
 *
 * Why: NtOpenProcess and NtOpenThread take a CLIENT_ID (NT's process and
 * thread IDs, multiples of 4 from one counter), and NtQuery*Information
 * answers the basic questions a creator or a debugger asks: exit status,
 * where the PEB or TEB is, the IDs.
 */
#include "../include/ex.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include <nt/ntapi.h>
#include <nt/ntcontext.h>

#define PROCESS_QUERY_INFORMATION 0x0400
#define THREAD_QUERY_INFORMATION 0x0040
#define CID_STEP 4

extern LIST_ENTRY PsActiveProcessHead;
static ULONG PspNextCid = 8; /* 4 is the System process */

HANDLE PspAllocateCid(VOID) {
    ULONG s = KeDisableInterrupts();
    ULONG id = PspNextCid;
    PspNextCid += CID_STEP;
    KeRestoreInterrupts(s);
    return (HANDLE)(ULONG_PTR)id;
}

/* The live process or thread with the given IDs, referenced. */
static PVOID find_by_cid(const CLIENT_ID *Cid, BOOLEAN Thread) {
    PVOID found = NULL;
    ULONG s = KeDisableInterrupts();
    for (PLIST_ENTRY e = PsActiveProcessHead.Flink; e != &PsActiveProcessHead && !found; e = e->Flink) {
        PEPROCESS p = CONTAINING_RECORD(e, EPROCESS, ActiveProcessLinks);
        if (Cid->UniqueProcess && Cid->UniqueProcess != p->UniqueProcessId)
            continue;
        if (!Thread) {
            found = p;
            break;
        }
        for (PLIST_ENTRY t = p->ThreadListHead.Flink; t != &p->ThreadListHead; t = t->Flink) {
            PETHREAD th = CONTAINING_RECORD(t, ETHREAD, ThreadListEntry);
            if (th->Cid.UniqueThread == Cid->UniqueThread) {
                found = th;
                break;
            }
        }
    }
    if (found)
        ObReferenceObject(found);
    KeRestoreInterrupts(s);
    return found;
}

static NTSTATUS open_by_cid(PHANDLE Handle, ACCESS_MASK Access, POBJECT_ATTRIBUTES Oa, PCLIENT_ID ClientId,
                            BOOLEAN Thread) {
    CLIENT_ID cid;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    HANDLE h = NULL;
    NTSTATUS status = ExCopyToCaller(Handle, &h, sizeof h);
    if (NT_SUCCESS(status))
        status = ExCaptureObjectAttributes(Oa, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    ExReleaseCapturedUnicodeString(&name); /* opening by name is not supported: the ID is required */
    if (!ClientId || oa.ObjectName)
        return STATUS_INVALID_PARAMETER_MIX;
    status = ExCopyFromCaller(&cid, ClientId, sizeof cid);
    if (!NT_SUCCESS(status))
        return status;
    if (!Thread && cid.UniqueProcess == PsInitialSystemProcess->UniqueProcessId)
        status = ObOpenObjectByPointer(PsInitialSystemProcess, oa.Attributes, Access, PsProcessType, &h);
    else {
        PVOID object = (Thread || cid.UniqueProcess) ? find_by_cid(&cid, Thread) : NULL;
        if (!object)
            return STATUS_INVALID_CID;
        status =
            ObOpenObjectByPointer(object, oa.Attributes, Access, Thread ? PsThreadType : PsProcessType, &h);
        ObDereferenceObject(object);
    }
    if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(Handle, &h, sizeof h))) {
        ObpUndoHandle(PsGetCurrentProcess(), h);
        status = STATUS_ACCESS_VIOLATION;
    }
    return status;
}

NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId) {
    return open_by_cid(ProcessHandle, DesiredAccess, ObjectAttributes, ClientId, FALSE);
}

NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId) {
    return open_by_cid(ThreadHandle, DesiredAccess, ObjectAttributes, ClientId, TRUE);
}

NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                         PVOID ProcessInformation, ULONG Length, PULONG ReturnLength) {
    if (ProcessInformationClass != ProcessBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_QUERY_INFORMATION, PsProcessType,
                                                KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PROCESS_BASIC_INFORMATION info = {
        .ExitStatus = p->Pcb.Header.SignalState ? p->ExitStatus : STATUS_PENDING,
        .PebBaseAddress = (PVOID)p->PebAddress,
        .AffinityMask = 1,
        .BasePriority = p->Pcb.BasePriority,
        .UniqueProcessId = (ULONG_PTR)p->UniqueProcessId,
        .InheritedFromUniqueProcessId = (ULONG_PTR)p->InheritedFromUniqueProcessId,
    };
    ObDereferenceObject(p);
    return ExReturnInformation(ProcessInformation, Length, &info, sizeof info, ReturnLength);
}

NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass,
                                        PVOID ThreadInformation, ULONG Length, PULONG ReturnLength) {
    if (ThreadInformationClass != ThreadBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    PETHREAD t;
    NTSTATUS status = ObReferenceObjectByHandle(ThreadHandle, THREAD_QUERY_INFORMATION, PsThreadType,
                                                KeGetPreviousMode(), (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status))
        return status;
    THREAD_BASIC_INFORMATION info = {
        .ExitStatus = t->HasTerminated ? t->ExitStatus : STATUS_PENDING,
        .TebBaseAddress = (PVOID)t->TebAddress,
        .ClientId = t->Cid,
        .AffinityMask = 1,
        .Priority = t->Tcb.Priority,
        .BasePriority = t->Tcb.BasePriority,
    };
    ObDereferenceObject(t);
    return ExReturnInformation(ThreadInformation, Length, &info, sizeof info, ReturnLength);
}

#define THREAD_SET_INFORMATION 0x0020
#define EVENT_PAIR_ACCESS 0x001F0000 /* what quick LPC needs of the pair: all of it */

NTSTATUS NTAPI NtSetInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass, PVOID ThreadInformation,
                                      ULONG Length) {
    if (ThreadInformationClass != ThreadEventPair)
        return STATUS_INVALID_INFO_CLASS;
    HANDLE pairHandle;
    if (Length != sizeof pairHandle)
        return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = ExCopyFromCaller(&pairHandle, ThreadInformation, sizeof pairHandle);
    if (!NT_SUCCESS(status))
        return status;
    PKEVENT_PAIR pair = NULL;
    if (pairHandle) {
        status = ObReferenceObjectByHandle(pairHandle, EVENT_PAIR_ACCESS, ExEventPairObjectType, KeGetPreviousMode(),
                                           (PVOID *)&pair, NULL);
        if (!NT_SUCCESS(status))
            return status;
    }
    PETHREAD t;
    status = ObReferenceObjectByHandle(ThreadHandle, THREAD_SET_INFORMATION, PsThreadType, KeGetPreviousMode(),
                                       (PVOID *)&t, NULL);
    if (!NT_SUCCESS(status)) {
        if (pair)
            ObDereferenceObject(pair);
        return status;
    }
    ULONG s = KeDisableInterrupts();
    PKEVENT_PAIR old = t->HasTerminated ? pair : t->EventPair; /* a dead thread keeps nothing */
    if (!t->HasTerminated)
        t->EventPair = pair;
    KeRestoreInterrupts(s);
    if (old)
        ObDereferenceObject(old);
    ObDereferenceObject(t);
    return STATUS_SUCCESS;
}
