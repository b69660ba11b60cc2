/*
 * namespace.c - object directories, symbolic links and name lookup.
 *
 * Why: NT has one namespace for everything named: "\Windows\ApiPort",
 * "\BaseNamedObjects\MyEvent", "\SystemRoot\System32\ntdll.dll". A name is
 * resolved one component at a time from the root (or from a directory
 * handle): a directory looks the component up in its hash buckets; a
 * symbolic link substitutes its target for the part consumed so far and the
 * walk starts again at the root; an object with a parse procedure (a device)
 * takes the rest of the name and resolves it itself. Directory entries do not
 * keep their objects alive: a temporary object leaves its directory when its
 * last handle closes.
 */
#define KD_COMPONENT "ob"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/ob.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include <nt/rtlstring.h>

#define TAG_DIRECTORY_ENTRY NT_TAG('O', 'b', 'D', 'i')
#define TAG_LOOKUP_PATH NT_TAG('O', 'b', 'N', 'p')
#define OBP_MAX_REPARSE 32
#define OBP_MAX_NAME_BYTES 0xFFFE

POBJECT_TYPE ObDirectoryObjectType, ObSymbolicLinkObjectType;
POBJECT_DIRECTORY ObpRootDirectoryObject;

NTSTATUS ObpDuplicateName(PCUNICODE_STRING Source, PUNICODE_STRING Copy);
ACCESS_MASK ObpGrantedAccess(POBJECT_TYPE Type, ACCESS_MASK Desired);

static ULONG hash_name(PCUNICODE_STRING Name) {
    ULONG h = 0;
    for (ULONG i = 0; i < Name->Length / sizeof(WCHAR); i++)
        h = h * 31 + RtlUpcaseUnicodeChar(Name->Buffer[i]);
    return h % OBP_DIRECTORY_BUCKETS;
}

VOID ObpInitializeDirectory(POBJECT_DIRECTORY Dir) {
    for (ULONG i = 0; i < OBP_DIRECTORY_BUCKETS; i++)
        InitializeListHead(&Dir->Buckets[i]);
    Dir->Count = 0;
}

/* The object named Name in Dir, or NULL. No reference is taken. */
static PVOID dir_lookup(POBJECT_DIRECTORY Dir, PCUNICODE_STRING Name, BOOLEAN CaseInsensitive) {
    PLIST_ENTRY head = &Dir->Buckets[hash_name(Name)];
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        OBJECT_DIRECTORY_ENTRY *d = CONTAINING_RECORD(e, OBJECT_DIRECTORY_ENTRY, Link);
        if (RtlEqualUnicodeString(&OBJECT_TO_OBJECT_HEADER(d->Object)->Name, Name, CaseInsensitive))
            return d->Object;
    }
    return NULL;
}

static NTSTATUS dir_insert(POBJECT_DIRECTORY Dir, PVOID Object) {
    OBJECT_DIRECTORY_ENTRY *d = ExAllocatePoolWithTag(PagedPool, sizeof *d, TAG_DIRECTORY_ENTRY);
    if (!d)
        return STATUS_INSUFFICIENT_RESOURCES;
    d->Object = Object;
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    InsertTailList(&Dir->Buckets[hash_name(&h->Name)], &d->Link);
    Dir->Count++;
    h->Directory = Dir;
    return STATUS_SUCCESS;
}

VOID ObpRemoveFromDirectory(PVOID Object) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_DIRECTORY dir = h->Directory;
    if (!dir)
        return;
    PLIST_ENTRY head = &dir->Buckets[hash_name(&h->Name)];
    for (PLIST_ENTRY e = head->Flink; e != head; e = e->Flink) {
        OBJECT_DIRECTORY_ENTRY *d = CONTAINING_RECORD(e, OBJECT_DIRECTORY_ENTRY, Link);
        if (d->Object == Object) {
            RemoveEntryList(e);
            ExFreePoolWithTag(d, TAG_DIRECTORY_ENTRY);
            dir->Count--;
            break;
        }
    }
    h->Directory = NULL;
}

/* A directory going away orphans whatever is still named in it. */
VOID ObpDeleteDirectory(PVOID Object) {
    POBJECT_DIRECTORY dir = Object;
    for (ULONG i = 0; i < OBP_DIRECTORY_BUCKETS; i++) {
        while (!IsListEmpty(&dir->Buckets[i])) {
            OBJECT_DIRECTORY_ENTRY *d =
                CONTAINING_RECORD(RemoveHeadList(&dir->Buckets[i]), OBJECT_DIRECTORY_ENTRY, Link);
            OBJECT_TO_OBJECT_HEADER(d->Object)->Directory = NULL;
            ExFreePoolWithTag(d, TAG_DIRECTORY_ENTRY);
        }
    }
}

/* The Index-th entry of Dir (in bucket order), or NULL past the end. */
PVOID ObpDirectoryEntryAt(POBJECT_DIRECTORY Dir, ULONG Index) {
    for (ULONG b = 0; b < OBP_DIRECTORY_BUCKETS; b++)
        for (PLIST_ENTRY e = Dir->Buckets[b].Flink; e != &Dir->Buckets[b]; e = e->Flink)
            if (Index-- == 0)
                return CONTAINING_RECORD(e, OBJECT_DIRECTORY_ENTRY, Link)->Object;
    return NULL;
}

VOID ObpDeleteSymbolicLink(PVOID Object) {
    POBJECT_SYMBOLIC_LINK l = Object;
    if (l->LinkTarget.Buffer)
        ExFreePoolWithTag(l->LinkTarget.Buffer, NT_TAG('O', 'b', 'N', 'm'));
}

typedef struct _LOOKUP_RESULT {
    PVOID Object;                 /* referenced; for a create, the existing object or NULL */
    POBJECT_DIRECTORY Parent;     /* create only: referenced directory to insert into */
    UNICODE_STRING LastComponent; /* create only: points into Path */
    PWCHAR Path;                  /* pool buffer the walk used; free with free_lookup */
} LOOKUP_RESULT;

static void free_lookup(LOOKUP_RESULT *r) {
    if (r->Path)
        ExFreePoolWithTag(r->Path, TAG_LOOKUP_PATH);
    r->Path = NULL;
}

/* Walks ObjectAttributes' name. With ForCreate the walk stops before the last
 * component and reports the parent directory instead. */
static NTSTATUS lookup(const OBJECT_ATTRIBUTES *Oa, ACCESS_MASK Desired, PVOID ParseContext,
                       BOOLEAN ForCreate, LOOKUP_RESULT *R) {
    memset(R, 0, sizeof *R);
    PCUNICODE_STRING name = Oa->ObjectName;
    BOOLEAN ci = (Oa->Attributes & OBJ_CASE_INSENSITIVE) != 0;
    if (!name || (name->Length & 1) || name->Length > OBP_MAX_NAME_BYTES)
        return STATUS_OBJECT_NAME_INVALID;
    PVOID cur;
    if (Oa->RootDirectory) {
        NTSTATUS s = ObReferenceObjectByHandle(Oa->RootDirectory, 0, NULL, KernelMode, &cur, NULL);
        if (!NT_SUCCESS(s))
            return s;
        if (name->Length && name->Buffer[0] == L'\\') {
            ObDereferenceObject(cur);
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
        }
    } else {
        if (!name->Length || name->Buffer[0] != L'\\')
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
        cur = ObpRootDirectoryObject;
        ObReferenceObject(cur);
    }
    /* The walk works on its own copy; a relative name gets a leading
     * backslash there too, so every component (and what a parse procedure
     * receives) starts after one. */
    BOOLEAN relative = Oa->RootDirectory != NULL;
    ULONG len = name->Length / sizeof(WCHAR) + (relative ? 1 : 0);
    PWCHAR path = ExAllocatePoolWithTag(PagedPool, (len + 1) * sizeof(WCHAR), TAG_LOOKUP_PATH);
    if (!path) {
        ObDereferenceObject(cur);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    path[0] = L'\\';
    memcpy(path + (relative ? 1 : 0), name->Buffer, name->Length);
    R->Path = path;
    ULONG pos = 1, reparses = 0;
    NTSTATUS status = STATUS_SUCCESS;
    for (;;) {
        if (pos >= len) {
            if (ForCreate) {
                status = STATUS_OBJECT_NAME_INVALID; /* nothing left to name */
                break;
            }
            R->Object = cur;
            return STATUS_SUCCESS;
        }
        POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(cur)->Type;
        if (type->ParseProcedure) {
            if (ForCreate) {
                status = STATUS_OBJECT_TYPE_MISMATCH;
                break;
            }
            UNICODE_STRING rest = {(USHORT)((len - pos + 1) * sizeof(WCHAR)),
                                   (USHORT)((len - pos + 1) * sizeof(WCHAR)), path + pos - 1};
            PVOID result = NULL;
            status = type->ParseProcedure(cur, &rest, Desired, Oa->Attributes, ParseContext, &result);
            if (NT_SUCCESS(status))
                R->Object = result;
            break;
        }
        if (type != ObDirectoryObjectType) {
            status = STATUS_OBJECT_PATH_NOT_FOUND;
            break;
        }
        ULONG end = pos;
        while (end < len && path[end] != L'\\')
            end++;
        UNICODE_STRING component = {(USHORT)((end - pos) * sizeof(WCHAR)),
                                    (USHORT)((end - pos) * sizeof(WCHAR)), path + pos};
        BOOLEAN last = end == len;
        if (component.Length == 0 || end + 1 == len) { /* an empty component, or a trailing backslash */
            status = STATUS_OBJECT_NAME_INVALID;
            break;
        }
        PVOID child = dir_lookup(cur, &component, ci);
        if (last && ForCreate) {
            R->Parent = cur;
            R->LastComponent = component;
            if (child) {
                ObReferenceObject(child);
                R->Object = child;
            }
            return STATUS_SUCCESS;
        }
        if (!child) {
            status = last ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND;
            break;
        }
        if (OBJECT_TO_OBJECT_HEADER(child)->Type == ObSymbolicLinkObjectType &&
            (!last || !(Oa->Attributes & OBJ_OPENLINK))) {
            /* Reparse: target + whatever follows this component, from the root. */
            PCUNICODE_STRING target = &((POBJECT_SYMBOLIC_LINK)child)->LinkTarget;
            ULONG tlen = target->Length / sizeof(WCHAR), rest = len - end;
            if (++reparses > OBP_MAX_REPARSE || (tlen + rest) * sizeof(WCHAR) > OBP_MAX_NAME_BYTES ||
                tlen == 0 || target->Buffer[0] != L'\\') {
                status = STATUS_OBJECT_PATH_NOT_FOUND;
                break;
            }
            PWCHAR np = ExAllocatePoolWithTag(PagedPool, (tlen + rest + 1) * sizeof(WCHAR), TAG_LOOKUP_PATH);
            if (!np) {
                status = STATUS_INSUFFICIENT_RESOURCES;
                break;
            }
            memcpy(np, target->Buffer, tlen * sizeof(WCHAR));
            memcpy(np + tlen, path + end, rest * sizeof(WCHAR));
            ExFreePoolWithTag(path, TAG_LOOKUP_PATH);
            R->Path = path = np;
            len = tlen + rest;
            pos = 1;
            ObDereferenceObject(cur);
            cur = ObpRootDirectoryObject;
            ObReferenceObject(cur);
            continue;
        }
        ObReferenceObject(child);
        ObDereferenceObject(cur);
        cur = child;
        pos = last ? len : end + 1;
    }
    ObDereferenceObject(cur);
    free_lookup(R);
    return status;
}

NTSTATUS ObReferenceObjectByName(const OBJECT_ATTRIBUTES *Oa, POBJECT_TYPE Type, ACCESS_MASK Desired,
                                 PVOID ParseContext, PVOID *Object) {
    LOOKUP_RESULT r;
    NTSTATUS status = lookup(Oa, Desired, ParseContext, FALSE, &r);
    if (!NT_SUCCESS(status))
        return status;
    free_lookup(&r);
    if (Type && OBJECT_TO_OBJECT_HEADER(r.Object)->Type != Type) {
        ObDereferenceObject(r.Object);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    *Object = r.Object;
    return STATUS_SUCCESS;
}

NTSTATUS ObOpenObjectByName(const OBJECT_ATTRIBUTES *Oa, POBJECT_TYPE Type, ACCESS_MASK Desired,
                            PVOID ParseContext, PHANDLE Handle) {
    PVOID object;
    NTSTATUS status = ObReferenceObjectByName(Oa, Type, Desired, ParseContext, &object);
    if (!NT_SUCCESS(status))
        return status;
    POBJECT_TYPE t = OBJECT_TO_OBJECT_HEADER(object)->Type;
    if ((OBJECT_TO_OBJECT_HEADER(object)->Flags & OB_FLAG_SYSTEM_ONLY) && KeGetPreviousMode() == UserMode &&
        !PsGetCurrentProcess()->IsSystem) {
        ObDereferenceObject(object);
        return STATUS_ACCESS_DENIED;
    }
    status =
        ObpCreateHandle(PsGetCurrentProcess(), object, ObpGrantedAccess(t, Desired), Oa->Attributes, Handle);
    if (!NT_SUCCESS(status))
        ObDereferenceObject(object);
    return status;
}

NTSTATUS ObInsertObject(PVOID Object, const OBJECT_ATTRIBUTES *Oa, ACCESS_MASK Desired, PHANDLE Handle) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    ULONG attributes = Oa ? Oa->Attributes : 0;
    NTSTATUS status = STATUS_SUCCESS;
    if (Oa && Oa->ObjectName && Oa->ObjectName->Length) {
        LOOKUP_RESULT r;
        status = lookup(Oa, Desired, NULL, TRUE, &r);
        if (!NT_SUCCESS(status)) {
            ObDereferenceObject(Object);
            return status;
        }
        POBJECT_HEADER parent = OBJECT_TO_OBJECT_HEADER(r.Parent);
        if ((parent->Flags & OB_FLAG_SYSTEM_DIRECTORY) && !PsGetCurrentProcess()->IsSystem) {
            /* before the name is even looked at: no creating, and no "open
             * if" onto a system object by a name collision either */
            if (r.Object)
                ObDereferenceObject(r.Object);
            ObDereferenceObject(r.Parent);
            free_lookup(&r);
            ObDereferenceObject(Object);
            return STATUS_ACCESS_DENIED;
        }
        if (r.Object) {
            BOOLEAN sameType = OBJECT_TO_OBJECT_HEADER(r.Object)->Type == h->Type;
            ObDereferenceObject(r.Parent);
            free_lookup(&r);
            ObDereferenceObject(Object); /* the new one is not needed */
            if (!(attributes & OBJ_OPENIF) || !sameType || !Handle) {
                ObDereferenceObject(r.Object);
                return STATUS_OBJECT_NAME_COLLISION;
            }
            status = ObpCreateHandle(PsGetCurrentProcess(), r.Object, ObpGrantedAccess(h->Type, Desired),
                                     attributes, Handle);
            if (!NT_SUCCESS(status)) {
                ObDereferenceObject(r.Object);
                return status;
            }
            return STATUS_OBJECT_NAME_EXISTS;
        }
        if (NT_SUCCESS(status))
            status = ObpDuplicateName(&r.LastComponent, &h->Name);
        if (NT_SUCCESS(status))
            status = dir_insert(r.Parent, Object);
        ObDereferenceObject(r.Parent);
        free_lookup(&r);
        if (!NT_SUCCESS(status)) {
            ObDereferenceObject(Object);
            return status;
        }
        if (attributes & OBJ_PERMANENT) {
            h->Flags |= OB_FLAG_PERMANENT;
            ObReferenceObject(Object); /* the namespace keeps it until NtMakeTemporaryObject */
        }
    }
    if (!Handle)
        return STATUS_SUCCESS; /* the caller keeps the creation reference */
    status = ObpCreateHandle(PsGetCurrentProcess(), Object, ObpGrantedAccess(h->Type, Desired), attributes,
                             Handle);
    if (!NT_SUCCESS(status))
        ObDereferenceObject(Object);
    return status;
}

/* Boot-time helper: a permanent kernel directory at an absolute path. */
NTSTATUS ObpCreateKernelDirectory(PCWSTR Path, ULONG Flags, POBJECT_DIRECTORY *Directory) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, Path);
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    POBJECT_DIRECTORY dir;
    NTSTATUS status = ObCreateObject(ObDirectoryObjectType, sizeof(OBJECT_DIRECTORY), (PVOID *)&dir);
    if (!NT_SUCCESS(status))
        return status;
    ObpInitializeDirectory(dir);
    OBJECT_TO_OBJECT_HEADER(dir)->Flags |= Flags | OB_FLAG_KERNEL_ONLY;
    status = ObInsertObject(dir, &oa, 0, NULL);
    if (NT_SUCCESS(status)) {
        if (Directory)
            *Directory = dir;
        ObDereferenceObject(dir); /* the permanent reference keeps it */
    }
    return status;
}

NTSTATUS ObpCreateSymbolicLink(const OBJECT_ATTRIBUTES *Oa, PCUNICODE_STRING Target, PHANDLE Handle) {
    if ((Target->Length & 1) || Target->Length == 0 || Target->Buffer[0] != L'\\')
        return STATUS_INVALID_PARAMETER;
    POBJECT_SYMBOLIC_LINK link;
    NTSTATUS status = ObCreateObject(ObSymbolicLinkObjectType, sizeof *link, (PVOID *)&link);
    if (!NT_SUCCESS(status))
        return status;
    status = ObpDuplicateName(Target, &link->LinkTarget);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(link);
        return status;
    }
    status = ObInsertObject(link, Oa, SYMBOLIC_LINK_ALL_ACCESS, Handle);
    if (NT_SUCCESS(status) && !Handle)
        ObDereferenceObject(link); /* only a permanent name can keep a handle-less link */
    return status;
}

NTSTATUS ObpCreateKernelSymbolicLink(PCWSTR Path, PCWSTR Target) {
    UNICODE_STRING name, target;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, Path);
    RtlInitUnicodeString(&target, Target);
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    return ObpCreateSymbolicLink(&oa, &target, NULL);
}
