/*
 * object.c - object types, creation, and reference counting.
 *
 * Why: every object carries an OBJECT_HEADER before its body. The pointer
 * count keeps the memory alive; the handle count keeps an unnamed or
 * temporary object's name alive. When the last handle closes, a temporary
 * object leaves the namespace; when the last reference goes, the type's
 * delete procedure runs and the memory goes back to the pool, charged under
 * the type's tag so a leak is visible per type.
 */
#define KD_COMPONENT "ob"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/rtl.h"
#include <nt/rtlstring.h>

#define TAG_OBJECT_NAME NT_TAG('O', 'b', 'N', 'm')

POBJECT_TYPE ObTypeObjectType;
LIST_ENTRY ObpTypeList = {&ObpTypeList, &ObpTypeList};

VOID ObpRemoveFromDirectory(PVOID Object);
VOID ObpNameType(POBJECT_TYPE Type);
extern POBJECT_DIRECTORY ObpRootDirectoryObject;

/* A copy of a UTF-16 string in the pool (Length bytes). */
NTSTATUS ObpDuplicateName(PCUNICODE_STRING Source, PUNICODE_STRING Copy) {
    Copy->Length = Copy->MaximumLength = Source->Length;
    Copy->Buffer = NULL;
    if (Source->Length == 0)
        return STATUS_SUCCESS;
    Copy->Buffer = ExAllocatePoolWithTag(PagedPool, Source->Length, TAG_OBJECT_NAME);
    if (!Copy->Buffer)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Copy->Buffer, Source->Buffer, Source->Length);
    return STATUS_SUCCESS;
}

VOID ObpFreeName(PUNICODE_STRING Name) {
    if (Name->Buffer)
        ExFreePoolWithTag(Name->Buffer, TAG_OBJECT_NAME);
    Name->Buffer = NULL;
    Name->Length = Name->MaximumLength = 0;
}

NTSTATUS ObCreateObject(POBJECT_TYPE Type, ULONG BodySize, PVOID *Object) {
    if (BodySize > 0x100000)
        return STATUS_INVALID_PARAMETER;
    POBJECT_HEADER h = ExAllocatePoolWithTag(NonPagedPool, sizeof(OBJECT_HEADER) + BodySize, Type->PoolTag);
    if (!h)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(h, 0, sizeof(OBJECT_HEADER) + BodySize);
    h->PointerCount = 1;
    h->Type = Type;
    h->BodySize = BodySize;
    Type->TotalNumberOfObjects++;
    *Object = h->Body;
    return STATUS_SUCCESS;
}

NTSTATUS ObCreateObjectType(PCWSTR Name, const OBJECT_TYPE *Initializer, POBJECT_TYPE *Type) {
    POBJECT_TYPE t;
    NTSTATUS status;
    if (ObTypeObjectType) {
        status = ObCreateObject(ObTypeObjectType, sizeof(OBJECT_TYPE), (PVOID *)&t);
    } else { /* the type of types is its own type */
        static OBJECT_TYPE bootstrap = {.PoolTag = NT_TAG('O', 'b', 'T', 'y'), .DispatcherOffset = -1};
        status = ObCreateObject(&bootstrap, sizeof(OBJECT_TYPE), (PVOID *)&t);
        if (NT_SUCCESS(status))
            OBJECT_TO_OBJECT_HEADER(t)->Type = t;
    }
    if (!NT_SUCCESS(status))
        return status;
    *t = *Initializer;
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, Name);
    status = ObpDuplicateName(&name, &t->Name);
    if (!NT_SUCCESS(status))
        return status;
    t->TotalNumberOfObjects = t->TotalNumberOfHandles = 0;
    InsertTailList(&ObpTypeList, &t->TypeList);
    OBJECT_TO_OBJECT_HEADER(t)->Flags |= OB_FLAG_PERMANENT | OB_FLAG_KERNEL_ONLY;
    if (!ObTypeObjectType)
        ObTypeObjectType = t;
    if (ObpRootDirectoryObject)
        ObpNameType(t); /* the namespace is up: list it in \ObjectTypes now */
    *Type = t;
    return STATUS_SUCCESS;
}

VOID ObReferenceObject(PVOID Object) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    ULONG s = KeDisableInterrupts();
    if (h->PointerCount <= 0)
        KeBugCheckEx(0x18 /* REFERENCE_BY_POINTER */, (ULONG_PTR)h->Type, (ULONG_PTR)Object, 1,
                     h->PointerCount);
    h->PointerCount++;
    KeRestoreInterrupts(s);
}

VOID ObDereferenceObject(PVOID Object) {
    POBJECT_HEADER h = OBJECT_TO_OBJECT_HEADER(Object);
    ULONG s = KeDisableInterrupts();
    if (h->PointerCount <= 0)
        KeBugCheckEx(0x18 /* REFERENCE_BY_POINTER */, (ULONG_PTR)h->Type, (ULONG_PTR)Object, 2,
                     h->PointerCount);
    LONG left = --h->PointerCount;
    KeRestoreInterrupts(s);
    if (left)
        return;
    if (h->Directory)
        ObpRemoveFromDirectory(Object);
    if (h->Type->DeleteProcedure)
        h->Type->DeleteProcedure(Object);
    ObpFreeName(&h->Name);
    h->Type->TotalNumberOfObjects--;
    ExFreePoolWithTag(h, h->Type->PoolTag);
}

PVOID ObpGetWaitableObject(PVOID Object) {
    POBJECT_TYPE t = OBJECT_TO_OBJECT_HEADER(Object)->Type;
    return t->DispatcherOffset < 0 ? NULL : (PVOID)((PUCHAR)Object + t->DispatcherOffset);
}
