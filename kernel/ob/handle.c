/*
 * handle.c - per-process handle tables.
 *
 * Why: a handle is what user mode holds instead of a pointer: an index into
 * its process's table, checked on every use for range, liveness, type and
 * the access granted when it was opened. Handle values are multiples of 4
 * starting at 4, as on NT, so a garbage value is unlikely to name a live
 * entry by chance. The table grows by doubling up to OB_MAX_HANDLES.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/ps.h"
#include "../include/rtl.h"

#define TAG_HANDLE_TABLE NT_TAG('O', 'b', 'H', 't')
#define INITIAL_HANDLES 32

VOID ObpRemoveFromDirectory(PVOID Object);
extern POBJECT_TYPE PsProcessType;

#define HANDLE_TO_INDEX(h) (((ULONG_PTR)(h) >> 2) - 1)
#define INDEX_TO_HANDLE(i) ((HANDLE)(ULONG_PTR)(((i) + 1) << 2))

ACCESS_MASK ObpGrantedAccess(POBJECT_TYPE Type, ACCESS_MASK Desired) {
    if (Desired & MAXIMUM_ALLOWED)
        return Type->ValidAccessMask;
    ACCESS_MASK a = Desired & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
    if (Desired & GENERIC_READ)
        a |= Type->GenericMapping.GenericRead;
    if (Desired & GENERIC_WRITE)
        a |= Type->GenericMapping.GenericWrite;
    if (Desired & GENERIC_EXECUTE)
        a |= Type->GenericMapping.GenericExecute;
    if (Desired & GENERIC_ALL)
        a |= Type->GenericMapping.GenericAll;
    return a & Type->ValidAccessMask;
}

NTSTATUS ObInitializeHandleTable(PHANDLE_TABLE Table) {
    Table->Entries =
        ExAllocatePoolWithTag(PagedPool, INITIAL_HANDLES * sizeof(HANDLE_TABLE_ENTRY), TAG_HANDLE_TABLE);
    if (!Table->Entries)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Table->Entries, 0, INITIAL_HANDLES * sizeof(HANDLE_TABLE_ENTRY));
    Table->Capacity = INITIAL_HANDLES;
    Table->HandleCount = 0;
    Table->NextFree = 0;
    return STATUS_SUCCESS;
}

static NTSTATUS grow(PHANDLE_TABLE Table) {
    ULONG bigger = Table->Capacity * 2;
    if (bigger > OB_MAX_HANDLES)
        return STATUS_INSUFFICIENT_RESOURCES;
    HANDLE_TABLE_ENTRY *e = ExAllocatePoolWithTag(PagedPool, bigger * sizeof *e, TAG_HANDLE_TABLE);
    if (!e)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(e, 0, bigger * sizeof *e);
    memcpy(e, Table->Entries, Table->Capacity * sizeof *e);
    ExFreePoolWithTag(Table->Entries, TAG_HANDLE_TABLE);
    Table->NextFree = Table->Capacity;
    Table->Entries = e;
    Table->Capacity = bigger;
    return STATUS_SUCCESS;
}

/* The handle takes over one pointer reference the caller holds. */
NTSTATUS ObpCreateHandle(PEPROCESS Process, PVOID Object, ACCESS_MASK Access, ULONG Attributes,
                         PHANDLE Handle) {
    PHANDLE_TABLE t = &Process->ObjectTable;
    ULONG s = KeDisableInterrupts();
    if (t->HandleCount == t->Capacity) {
        KeRestoreInterrupts(s);
        NTSTATUS status = grow(t); /* pool calls mask interrupts themselves */
        if (!NT_SUCCESS(status))
            return status;
        s = KeDisableInterrupts();
    }
    ULONG i = t->NextFree;
    while (t->Entries[i % t->Capacity].Object)
        i++;
    i %= t->Capacity;
    t->Entries[i].Object = Object;
    t->Entries[i].GrantedAccess = Access;
    t->Entries[i].Attributes = Attributes & OBJ_INHERIT;
    t->HandleCount++;
    t->NextFree = i + 1;
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    h->HandleCount++;
    h->Type->TotalNumberOfHandles++;
    KeRestoreInterrupts(s);
    *Handle = INDEX_TO_HANDLE(i);
    return STATUS_SUCCESS;
}

static HANDLE_TABLE_ENTRY *entry_of(PHANDLE_TABLE Table, HANDLE Handle) {
    ULONG_PTR v = (ULONG_PTR)Handle;
    if (v == 0 || (v & 3))
        return NULL;
    ULONG i = HANDLE_TO_INDEX(v);
    if (i >= Table->Capacity || !Table->Entries[i].Object)
        return NULL;
    return &Table->Entries[i];
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE Type,
                                   KPROCESSOR_MODE AccessMode, PVOID *Object, ACCESS_MASK *GrantedAccess) {
    return ObpReferenceObjectByHandleInProcess(PsGetCurrentProcess(), Handle, DesiredAccess, Type, AccessMode,
                                               Object, GrantedAccess);
}

NTSTATUS ObpReferenceObjectByHandleInProcess(PEPROCESS p, HANDLE Handle, ACCESS_MASK DesiredAccess,
                                             POBJECT_TYPE Type, KPROCESSOR_MODE AccessMode, PVOID *Object,
                                             ACCESS_MASK *GrantedAccess) {
    if (Handle == NtCurrentProcess() && PsProcessType && OBJECT_TO_OBJECT_HEADER(p)->Type == PsProcessType) {
        if (Type && Type != PsProcessType)
            return STATUS_OBJECT_TYPE_MISMATCH;
        ObReferenceObject(p);
        *Object = p;
        if (GrantedAccess)
            *GrantedAccess = PsProcessType->ValidAccessMask;
        return STATUS_SUCCESS;
    }
    /* NtCurrentThread(), looked up by its own process: the calling thread
     * (only threads made by PspCreateThread are ETHREAD objects). */
    PKTHREAD self = KeGetCurrentThread();
    if (Handle == NtCurrentThread() && PsThreadType && p == PsGetCurrentProcess() && self->Teb) {
        if (Type && Type != PsThreadType)
            return STATUS_OBJECT_TYPE_MISMATCH;
        PVOID thread = CONTAINING_RECORD(self, ETHREAD, Tcb);
        ObReferenceObject(thread);
        *Object = thread;
        if (GrantedAccess)
            *GrantedAccess = PsThreadType->ValidAccessMask;
        return STATUS_SUCCESS;
    }
    ULONG s = KeDisableInterrupts();
    HANDLE_TABLE_ENTRY *e = entry_of(&p->ObjectTable, Handle);
    if (!e) {
        KeRestoreInterrupts(s);
        return STATUS_INVALID_HANDLE;
    }
    PVOID object = e->Object;
    ACCESS_MASK granted = e->GrantedAccess;
    if (Type && OBJECT_TO_OBJECT_HEADER(object)->Type != Type) {
        KeRestoreInterrupts(s);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    ACCESS_MASK want = ObpGrantedAccess(OBJECT_TO_OBJECT_HEADER(object)->Type, DesiredAccess);
    if (AccessMode == UserMode && (want & ~granted)) {
        KeRestoreInterrupts(s);
        return STATUS_ACCESS_DENIED;
    }
    ObReferenceObject(object);
    KeRestoreInterrupts(s);
    *Object = object;
    if (GrantedAccess)
        *GrantedAccess = granted;
    return STATUS_SUCCESS;
}

/* Drops one handle's hold on Object (the entry is already cleared). */
static void handle_closed(PEPROCESS Process, PVOID Object) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    ULONG s = KeDisableInterrupts();
    ULONG before = (ULONG)h->HandleCount--;
    h->Type->TotalNumberOfHandles--;
    KeRestoreInterrupts(s);
    if (h->Type->CloseProcedure)
        h->Type->CloseProcedure(Process, Object, before);
    if (h->HandleCount == 0 && !(h->Flags & OB_FLAG_PERMANENT) && h->Directory)
        ObpRemoveFromDirectory(Object); /* a temporary name dies with its last handle */
    ObDereferenceObject(Object);
}

NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode) {
    (void)PreviousMode;
    return ObpCloseHandleInProcess(PsGetCurrentProcess(), Handle);
}

NTSTATUS ObpCloseHandleInProcess(PEPROCESS p, HANDLE Handle) {
    ULONG s = KeDisableInterrupts();
    HANDLE_TABLE_ENTRY *e = entry_of(&p->ObjectTable, Handle);
    if (!e) {
        KeRestoreInterrupts(s);
        return STATUS_INVALID_HANDLE;
    }
    PVOID object = e->Object;
    e->Object = NULL;
    p->ObjectTable.HandleCount--;
    KeRestoreInterrupts(s);
    handle_closed(p, object);
    return STATUS_SUCCESS;
}

VOID ObKillHandleTable(PEPROCESS Process) {
    PHANDLE_TABLE t = &Process->ObjectTable;
    for (ULONG i = 0; t->Entries && i < t->Capacity; i++) {
        PVOID object = t->Entries[i].Object;
        if (object) {
            t->Entries[i].Object = NULL;
            t->HandleCount--;
            handle_closed(Process, object);
        }
    }
    if (t->Entries)
        ExFreePoolWithTag(t->Entries, TAG_HANDLE_TABLE);
    t->Entries = NULL;
    t->Capacity = 0;
}

NTSTATUS ObDuplicateInheritedHandles(PEPROCESS Parent, PEPROCESS Child) {
    PHANDLE_TABLE from = &Parent->ObjectTable;
    for (ULONG i = 0; i < from->Capacity; i++) {
        HANDLE_TABLE_ENTRY *e = &from->Entries[i];
        if (e->Object && (e->Attributes & OBJ_INHERIT)) {
            HANDLE h;
            ObReferenceObject(e->Object);
            NTSTATUS status = ObpCreateHandle(Child, e->Object, e->GrantedAccess, OBJ_INHERIT, &h);
            if (!NT_SUCCESS(status)) {
                ObDereferenceObject(e->Object);
                return status;
            }
        }
    }
    return STATUS_SUCCESS;
}

NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG Attributes, ACCESS_MASK DesiredAccess, POBJECT_TYPE Type,
                               PHANDLE Handle) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    if (Type && h->Type != Type)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObReferenceObject(Object);
    NTSTATUS status = ObpCreateHandle(PsGetCurrentProcess(), Object, ObpGrantedAccess(h->Type, DesiredAccess),
                                      Attributes, Handle);
    if (!NT_SUCCESS(status))
        ObDereferenceObject(Object);
    return status;
}
