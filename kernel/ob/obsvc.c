/*
 * obsvc.c - the object manager's system services.
 *
 * Why: these are the Nt* calls a program uses to see and manage the
 * namespace: close and duplicate handles, create and list directories,
 * create and read symbolic links, ask an object its name and type. Each one
 * takes its arguments through probe.c (a bad pointer is an
 * STATUS_ACCESS_VIOLATION, never a crash) and works on kernel copies.
 */
#include "../include/ex.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include <nt/ntapi.h>
#include <nt/rtlstring.h>

#define TAG_QUERY NT_TAG('O', 'b', 'Q', 'y')
#define OB_QUERY_MAX 0x10000 /* a query result larger than 64 KiB is refused */

typedef enum _OBJECT_INFORMATION_CLASS {
    ObjectBasicInformation = 0,
    ObjectNameInformation = 1,
    ObjectTypeInformation = 2,
} OBJECT_INFORMATION_CLASS;

typedef struct _OBJECT_BASIC_INFORMATION {
    ULONG Attributes;
    ACCESS_MASK GrantedAccess;
    ULONG HandleCount;
    ULONG PointerCount;
    ULONG PagedPoolCharge;
    ULONG NonPagedPoolCharge;
    ULONG Reserved[3];
    ULONG NameInfoSize;
    ULONG TypeInfoSize;
    ULONG SecurityDescriptorSize;
    LARGE_INTEGER CreationTime;
} OBJECT_BASIC_INFORMATION;
_Static_assert(sizeof(OBJECT_BASIC_INFORMATION) == 56, "NT's layout");

typedef struct _OBJECT_TYPE_INFORMATION {
    UNICODE_STRING TypeName;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG TotalPagedPoolUsage, TotalNonPagedPoolUsage, TotalNamePoolUsage, TotalHandleTableUsage;
    ULONG HighWaterNumberOfObjects, HighWaterNumberOfHandles, HighWaterPagedPoolUsage;
    ULONG HighWaterNonPagedPoolUsage, HighWaterNamePoolUsage, HighWaterHandleTableUsage;
    ULONG InvalidAttributes;
    GENERIC_MAPPING GenericMapping;
    ULONG ValidAccessMask;
    BOOLEAN SecurityRequired, MaintainHandleCount;
    UCHAR TypeIndex;
    CHAR ReservedByte;
    ULONG PoolType, DefaultPagedPoolCharge, DefaultNonPagedPoolCharge;
} OBJECT_TYPE_INFORMATION;

typedef struct _OBJECT_DIRECTORY_INFORMATION {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION;

VOID ObpInitializeDirectory(POBJECT_DIRECTORY Dir);
PVOID ObpDirectoryEntryAt(POBJECT_DIRECTORY Dir, ULONG Index);
VOID ObpRemoveFromDirectory(PVOID Object);

/* ---- shared shapes ---- */

NTSTATUS ObpCreateNamedObject(PHANDLE CallerHandle, ACCESS_MASK DesiredAccess,
                              const OBJECT_ATTRIBUTES *CallerAttributes, POBJECT_TYPE Type, ULONG BodySize,
                              NTSTATUS (*Initialize)(PVOID Body, PVOID Context), PVOID Context) {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    HANDLE handle = NULL;
    NTSTATUS status = ExCopyToCaller(CallerHandle, &handle, sizeof handle); /* fail early on a bad pointer */
    if (NT_SUCCESS(status))
        status = ExCaptureObjectAttributes(CallerAttributes, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    PVOID body;
    status = ObCreateObject(Type, BodySize, &body);
    if (NT_SUCCESS(status)) {
        status = Initialize ? Initialize(body, Context) : STATUS_SUCCESS;
        if (!NT_SUCCESS(status))
            ObDereferenceObject(body);
        else
            status = ObInsertObject(body, &oa, DesiredAccess, &handle);
    }
    ExReleaseCapturedUnicodeString(&name);
    if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(CallerHandle, &handle, sizeof handle))) {
        ObpUndoHandle(PsGetCurrentProcess(), handle);
        status = STATUS_ACCESS_VIOLATION;
    }
    return status;
}

NTSTATUS ObpOpenNamedObject(PHANDLE CallerHandle, ACCESS_MASK DesiredAccess,
                            const OBJECT_ATTRIBUTES *CallerAttributes, POBJECT_TYPE Type,
                            ULONG ExtraAttributes) {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    HANDLE handle = NULL;
    NTSTATUS status = ExCopyToCaller(CallerHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status))
        status = ExCaptureObjectAttributes(CallerAttributes, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    oa.Attributes |= ExtraAttributes;
    if (!oa.ObjectName || !oa.ObjectName->Length)
        status = STATUS_OBJECT_NAME_INVALID;
    else
        status = ObOpenObjectByName(&oa, Type, DesiredAccess, NULL, &handle);
    ExReleaseCapturedUnicodeString(&name);
    if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(CallerHandle, &handle, sizeof handle))) {
        ObpUndoHandle(PsGetCurrentProcess(), handle);
        status = STATUS_ACCESS_VIOLATION;
    }
    return status;
}

ULONG ObpQueryFullName(PVOID Object, PWCHAR Buffer, ULONG BufferBytes) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    if (Object == ObpRootDirectoryObject) {
        if (BufferBytes >= sizeof(WCHAR))
            Buffer[0] = L'\\';
        return sizeof(WCHAR);
    }
    if (!h->Directory || !h->Name.Length)
        return 0;
    ULONG parent =
        h->Directory == ObpRootDirectoryObject ? 0 : ObpQueryFullName(h->Directory, Buffer, BufferBytes);
    ULONG need = parent + sizeof(WCHAR) + h->Name.Length;
    if (need <= BufferBytes) {
        Buffer[parent / sizeof(WCHAR)] = L'\\';
        memcpy(Buffer + parent / sizeof(WCHAR) + 1, h->Name.Buffer, h->Name.Length);
    }
    return need;
}

/* ---- handles ---- */

NTSTATUS NTAPI NtClose(HANDLE Handle) {
    return ObCloseHandle(Handle, KeGetPreviousMode());
}

NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                                 PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                 ULONG Options) {
    PEPROCESS source, target = NULL;
    NTSTATUS status = ObReferenceObjectByHandle(SourceProcessHandle, 0x40 /* PROCESS_DUP_HANDLE */,
                                                PsProcessType, KeGetPreviousMode(), (PVOID *)&source, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PVOID object = NULL;
    ACCESS_MASK granted = 0;
    status =
        ObpReferenceObjectByHandleInProcess(source, SourceHandle, 0, NULL, KernelMode, &object, &granted);
    if (NT_SUCCESS(status) && TargetProcessHandle) {
        status = ObReferenceObjectByHandle(TargetProcessHandle, 0x40, PsProcessType, KeGetPreviousMode(),
                                           (PVOID *)&target, NULL);
        if (NT_SUCCESS(status)) {
            POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(object)->Type;
            ACCESS_MASK access =
                (Options & DUPLICATE_SAME_ACCESS) ? granted : ObpGrantedAccess(type, DesiredAccess);
            if (KeGetPreviousMode() == UserMode && (access & ~granted))
                status = STATUS_ACCESS_DENIED; /* a duplicate cannot widen access */
            HANDLE h = NULL;
            if (NT_SUCCESS(status)) {
                ObReferenceObject(object);
                status = ObpCreateHandle(target, object, access, HandleAttributes, &h);
                if (!NT_SUCCESS(status))
                    ObDereferenceObject(object);
            }
            if (NT_SUCCESS(status) && TargetHandle &&
                !NT_SUCCESS(ExCopyToCaller(TargetHandle, &h, sizeof h))) {
                ObpUndoHandle(target, h);
                status = STATUS_ACCESS_VIOLATION;
            }
            ObDereferenceObject(target);
        }
    }
    if (object)
        ObDereferenceObject(object);
    if (NT_SUCCESS(status) && (Options & DUPLICATE_CLOSE_SOURCE))
        status = ObpCloseHandleInProcess(source, SourceHandle);
    ObDereferenceObject(source);
    return status;
}

NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE Handle) {
    PVOID object;
    NTSTATUS status = ObReferenceObjectByHandle(Handle, DELETE, NULL, KeGetPreviousMode(), &object, NULL);
    if (!NT_SUCCESS(status))
        return status;
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(object);
    if (h->Flags & OB_FLAG_KERNEL_ONLY) {
        status = STATUS_ACCESS_DENIED; /* the boot namespace stays */
    } else if (h->Flags & OB_FLAG_PERMANENT) {
        h->Flags &= ~OB_FLAG_PERMANENT;
        ObDereferenceObject(object); /* the reference the permanent name held */
    }
    ObDereferenceObject(object);
    return status;
}

NTSTATUS NTAPI NtQueryObject(HANDLE Handle, ULONG InformationClass, PVOID Information, ULONG Length,
                             PULONG ReturnLength) {
    PVOID object;
    ACCESS_MASK granted;
    NTSTATUS status = ObReferenceObjectByHandle(Handle, 0, NULL, KeGetPreviousMode(), &object, &granted);
    if (!NT_SUCCESS(status))
        return status;
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(object);
    UCHAR *out = ExAllocatePoolWithTag(PagedPool, OB_QUERY_MAX, TAG_QUERY);
    ULONG need = 0;
    if (!out) {
        ObDereferenceObject(object);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(out, 0, OB_QUERY_MAX);
    switch (InformationClass) {
    case ObjectBasicInformation: {
        OBJECT_BASIC_INFORMATION *b = (OBJECT_BASIC_INFORMATION *)out;
        b->Attributes = (h->Flags & OB_FLAG_PERMANENT) ? OBJ_PERMANENT : 0;
        b->GrantedAccess = granted;
        b->HandleCount = (ULONG)h->HandleCount;
        b->PointerCount = (ULONG)h->PointerCount - 1; /* not counting this query's own */
        b->NonPagedPoolCharge = sizeof(OBJECT_HEADER) + h->BodySize;
        need = sizeof *b;
        break;
    }
    case ObjectNameInformation: {
        UNICODE_STRING *n = (UNICODE_STRING *)out;
        ULONG bytes = ObpQueryFullName(object, (PWCHAR)(n + 1), OB_QUERY_MAX - sizeof *n - sizeof(WCHAR));
        need = sizeof *n + bytes + (bytes ? sizeof(WCHAR) : 0);
        n->Length = (USHORT)bytes;
        n->MaximumLength = (USHORT)(bytes ? bytes + sizeof(WCHAR) : 0);
        n->Buffer = bytes ? (PWCHAR)((UCHAR *)Information + sizeof *n) : NULL;
        break;
    }
    case ObjectTypeInformation: {
        OBJECT_TYPE_INFORMATION *t = (OBJECT_TYPE_INFORMATION *)out;
        t->TypeName.Length = h->Type->Name.Length;
        t->TypeName.MaximumLength = h->Type->Name.Length + sizeof(WCHAR);
        t->TypeName.Buffer = (PWCHAR)((UCHAR *)Information + sizeof *t);
        memcpy(t + 1, h->Type->Name.Buffer, h->Type->Name.Length);
        t->TotalNumberOfObjects = h->Type->TotalNumberOfObjects;
        t->TotalNumberOfHandles = h->Type->TotalNumberOfHandles;
        t->GenericMapping = h->Type->GenericMapping;
        t->ValidAccessMask = h->Type->ValidAccessMask;
        t->MaintainHandleCount = TRUE;
        need = sizeof *t + t->TypeName.MaximumLength;
        break;
    }
    default: status = STATUS_INVALID_INFO_CLASS;
    }
    if (NT_SUCCESS(status))
        status = ExReturnInformation(Information, Length, out, need, ReturnLength);
    ExFreePoolWithTag(out, TAG_QUERY);
    ObDereferenceObject(object);
    return status;
}

/* ---- directories ---- */

static NTSTATUS init_directory(PVOID Body, PVOID Context) {
    (void)Context;
    ObpInitializeDirectory(Body);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpCreateNamedObject(DirectoryHandle, DesiredAccess, ObjectAttributes, ObDirectoryObjectType,
                                sizeof(OBJECT_DIRECTORY), init_directory, NULL);
}

NTSTATUS NTAPI NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(DirectoryHandle, DesiredAccess, ObjectAttributes, ObDirectoryObjectType, 0);
}

/* Entries from *Context on, as many as fit (or one), followed by a zeroed
 * entry, then the strings; *Context moves past what was returned. */
NTSTATUS NTAPI NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length,
                                      BOOLEAN ReturnSingleEntry, BOOLEAN RestartScan, PULONG Context,
                                      PULONG ReturnLength) {
    POBJECT_DIRECTORY dir;
    ULONG index = 0;
    NTSTATUS status = ObReferenceObjectByHandle(DirectoryHandle, DIRECTORY_QUERY, ObDirectoryObjectType,
                                                KeGetPreviousMode(), (PVOID *)&dir, NULL);
    if (!NT_SUCCESS(status))
        return status;
    if (!RestartScan)
        status = ExCopyFromCaller(&index, Context, sizeof index);
    ULONG cap = Length < OB_QUERY_MAX ? Length : OB_QUERY_MAX;
    UCHAR *out = NT_SUCCESS(status)
                     ? ExAllocatePoolWithTag(PagedPool, cap + sizeof(OBJECT_DIRECTORY_INFORMATION), TAG_QUERY)
                     : NULL;
    if (NT_SUCCESS(status) && !out)
        status = STATUS_INSUFFICIENT_RESOURCES;
    ULONG count = 0, strings = 0, used = 0;
    if (NT_SUCCESS(status)) {
        /* First pass: how many entries fit, counting strings from the end. */
        for (;; count++) {
            PVOID o = ObpDirectoryEntryAt(dir, index + count);
            if (!o || (ReturnSingleEntry && count == 1))
                break;
            POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(o);
            ULONG s2 = strings + h->Name.Length + h->Type->Name.Length + 2 * sizeof(WCHAR);
            if ((count + 2) * sizeof(OBJECT_DIRECTORY_INFORMATION) + s2 > cap)
                break;
            strings = s2;
        }
        if (count == 0)
            status = ObpDirectoryEntryAt(dir, index) ? STATUS_BUFFER_TOO_SMALL : STATUS_NO_MORE_ENTRIES;
    }
    if (NT_SUCCESS(status)) {
        memset(out, 0, cap);
        OBJECT_DIRECTORY_INFORMATION *info = (OBJECT_DIRECTORY_INFORMATION *)out;
        ULONG str = (count + 1) * sizeof *info;
        for (ULONG i = 0; i < count; i++) {
            POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(ObpDirectoryEntryAt(dir, index + i));
            PCUNICODE_STRING parts[2] = {&h->Name, &h->Type->Name};
            UNICODE_STRING *dest[2] = {&info[i].Name, &info[i].TypeName};
            for (ULONG k = 0; k < 2; k++) {
                memcpy(out + str, parts[k]->Buffer, parts[k]->Length);
                dest[k]->Length = parts[k]->Length;
                dest[k]->MaximumLength = parts[k]->Length + sizeof(WCHAR);
                dest[k]->Buffer = (PWCHAR)((UCHAR *)Buffer + str);
                str += parts[k]->Length + sizeof(WCHAR);
            }
        }
        used = str;
        index += count;
        status = ExCopyToCaller(Buffer, out, used);
        if (NT_SUCCESS(status))
            status = ExCopyToCaller(Context, &index, sizeof index);
        if (NT_SUCCESS(status) && ReturnLength)
            status = ExCopyToCaller(ReturnLength, &used, sizeof used);
        if (NT_SUCCESS(status) && ObpDirectoryEntryAt(dir, index) && !ReturnSingleEntry)
            status = STATUS_MORE_ENTRIES;
    }
    if (out)
        ExFreePoolWithTag(out, TAG_QUERY);
    ObDereferenceObject(dir);
    return status;
}

/* ---- symbolic links ---- */

NTSTATUS ObpDuplicateName(PCUNICODE_STRING Source, PUNICODE_STRING Copy);

static NTSTATUS init_link(PVOID Body, PVOID Context) {
    PCUNICODE_STRING target = Context;
    if (target->Length == 0 || target->Buffer[0] != L'\\')
        return STATUS_INVALID_PARAMETER; /* targets are absolute names */
    return ObpDuplicateName(target, &((POBJECT_SYMBOLIC_LINK)Body)->LinkTarget);
}

NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING LinkTarget) {
    UNICODE_STRING target;
    NTSTATUS status = ExCaptureUnicodeString(LinkTarget, &target);
    if (!NT_SUCCESS(status))
        return status;
    status = ObpCreateNamedObject(LinkHandle, DesiredAccess, ObjectAttributes, ObSymbolicLinkObjectType,
                                  sizeof(OBJECT_SYMBOLIC_LINK), init_link, &target);
    ExReleaseCapturedUnicodeString(&target);
    return status;
}

NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes) {
    /* OBJ_OPENLINK: open the link itself, not what it points at. */
    return ObpOpenNamedObject(LinkHandle, DesiredAccess, ObjectAttributes, ObSymbolicLinkObjectType,
                              OBJ_OPENLINK);
}

NTSTATUS NTAPI NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget,
                                         PULONG ReturnedLength) {
    POBJECT_SYMBOLIC_LINK link;
    NTSTATUS status = ObReferenceObjectByHandle(LinkHandle, SYMBOLIC_LINK_QUERY, ObSymbolicLinkObjectType,
                                                KeGetPreviousMode(), (PVOID *)&link, NULL);
    if (!NT_SUCCESS(status))
        return status;
    UNICODE_STRING caller;
    status = ExCopyFromCaller(&caller, LinkTarget, sizeof caller);
    ULONG need = link->LinkTarget.Length;
    if (NT_SUCCESS(status)) {
        if (caller.MaximumLength < need) {
            status = STATUS_BUFFER_TOO_SMALL;
        } else {
            status = ExCopyToCaller(caller.Buffer, link->LinkTarget.Buffer, need);
            caller.Length = (USHORT)need;
            if (NT_SUCCESS(status))
                status = ExCopyToCaller(LinkTarget, &caller, sizeof caller);
        }
        if (ReturnedLength && !NT_SUCCESS(ExCopyToCaller(ReturnedLength, &need, sizeof need)))
            status = STATUS_ACCESS_VIOLATION;
    }
    ObDereferenceObject(link);
    return status;
}
