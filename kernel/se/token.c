/*
 * token.c - primary tokens: NtOpenProcessToken, NtFilterToken and the
 * ProcessAccessToken class of NtSetInformationProcess.
 *
 * Why: see se.h. The three services are NT's, with NT's prototypes, so a
 * caller written for NT (CreateRestrictedToken, CreateProcessAsUser) reads
 * the same; the token itself carries only the System bit. Assigning a
 * token is a system right (NT: SeAssignPrimaryTokenPrivilege) and only
 * possible before the process's first thread has run, so a running
 * program's rights never change under it.
 */
#include "../include/ex.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/se.h"
#include <nt/ntapi.h>
#include <nt/ntcontext.h>

#define TOKEN_ALL_ACCESS_ 0x000F01FF
#define TOKEN_QUERY_ 0x0008
#define TOKEN_DUPLICATE_ 0x0002
#define TOKEN_ASSIGN_PRIMARY_ 0x0001
#define PROCESS_QUERY_INFORMATION_ 0x0400
#define PROCESS_SET_INFORMATION_ 0x0200
#define DISABLE_MAX_PRIVILEGE_ 0x1
#define ProcessAccessToken_ 9
#ifndef STATUS_PRIVILEGE_NOT_HELD
#define STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061)
#endif
#ifndef STATUS_TOKEN_ALREADY_IN_USE
#define STATUS_TOKEN_ALREADY_IN_USE ((NTSTATUS)0xC000012B)
#endif

POBJECT_TYPE SeTokenObjectType;

NTSTATUS SeInitSystem(VOID) {
    OBJECT_TYPE init = {
        .PoolTag = NT_TAG('T', 'o', 'k', 'e'),
        .ValidAccessMask = TOKEN_ALL_ACCESS_,
        .GenericMapping = {READ_CONTROL | TOKEN_QUERY_, READ_CONTROL, READ_CONTROL, TOKEN_ALL_ACCESS_},
        .DispatcherOffset = -1};
    return ObCreateObjectType(L"Token", &init, &SeTokenObjectType);
}

static NTSTATUS init_token(PVOID Body, PVOID Context) {
    ((PTOKEN)Body)->System = *(BOOLEAN *)Context;
    return STATUS_SUCCESS;
}

static NTSTATUS create_token(PHANDLE TokenHandle, ACCESS_MASK DesiredAccess, BOOLEAN System) {
    return ObpCreateNamedObject(TokenHandle, DesiredAccess ? DesiredAccess : TOKEN_ALL_ACCESS_, NULL,
                                SeTokenObjectType, sizeof(TOKEN), init_token, &System);
}

NTSTATUS NTAPI NtOpenProcessToken(HANDLE ProcessHandle, ACCESS_MASK DesiredAccess, PHANDLE TokenHandle) {
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_QUERY_INFORMATION_, PsProcessType,
                                                KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status))
        return status;
    BOOLEAN system = p->IsSystem;
    ObDereferenceObject(p);
    return create_token(TokenHandle, DesiredAccess, system);
}

NTSTATUS NTAPI NtFilterToken(HANDLE ExistingTokenHandle, ULONG Flags, PVOID SidsToDisable,
                             PVOID PrivilegesToDelete, PVOID RestrictedSids, PHANDLE NewTokenHandle) {
    if (SidsToDisable || PrivilegesToDelete || RestrictedSids || (Flags & ~DISABLE_MAX_PRIVILEGE_))
        return STATUS_INVALID_PARAMETER; /* no SIDs or privilege lists yet */
    PTOKEN token;
    NTSTATUS status = ObReferenceObjectByHandle(ExistingTokenHandle, TOKEN_DUPLICATE_, SeTokenObjectType,
                                                KeGetPreviousMode(), (PVOID *)&token, NULL);
    if (!NT_SUCCESS(status))
        return status;
    BOOLEAN system = token->System && !(Flags & DISABLE_MAX_PRIVILEGE_);
    ObDereferenceObject(token);
    return create_token(NewTokenHandle, TOKEN_ALL_ACCESS_, system);
}

/* TRUE when no thread of P has run yet (the initial thread may exist,
 * created suspended). */
static BOOLEAN never_ran(PEPROCESS P) {
    if (P->Exiting || P->AddressSpaceDeleted)
        return FALSE; /* it ran and ended (or is ending) */
    BOOLEAN fresh = TRUE;
    ULONG s = KeDisableInterrupts();
    for (PLIST_ENTRY e = P->ThreadListHead.Flink; e != &P->ThreadListHead; e = e->Flink)
        if (CONTAINING_RECORD(e, ETHREAD, ThreadListEntry)->Tcb.State != Initialized)
            fresh = FALSE;
    KeRestoreInterrupts(s);
    return fresh;
}

NTSTATUS NTAPI NtSetInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                       PVOID ProcessInformation, ULONG Length) {
    if (ProcessInformationClass != ProcessAccessToken_)
        return STATUS_INVALID_INFO_CLASS;
    PROCESS_ACCESS_TOKEN info;
    if (Length != sizeof info)
        return STATUS_INFO_LENGTH_MISMATCH;
    NTSTATUS status = ExCopyFromCaller(&info, ProcessInformation, sizeof info);
    if (!NT_SUCCESS(status))
        return status;
    if (!PsGetCurrentProcess()->IsSystem)
        return STATUS_PRIVILEGE_NOT_HELD;
    PTOKEN token;
    status = ObReferenceObjectByHandle(info.Token, TOKEN_ASSIGN_PRIMARY_, SeTokenObjectType,
                                       KeGetPreviousMode(), (PVOID *)&token, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_SET_INFORMATION_, PsProcessType,
                                       KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (NT_SUCCESS(status)) {
        if (!never_ran(p) || p == PsGetCurrentProcess())
            status = STATUS_TOKEN_ALREADY_IN_USE;
        else
            p->IsSystem = token->System;
        ObDereferenceObject(p);
    }
    ObDereferenceObject(token);
    return status;
}
