/*
 * test_ob.c - in-kernel checks of the object manager: the namespace, names,
 * symbolic links, the \Windows rule and handle validation. Kernel code runs
 * in the System process, so handles land in its table.
 */
#include "../../kernel/include/ex.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/ob.h"
#include "../../kernel/include/ps.h"
#include "../../kernel/include/rtl.h"
#include <nt/rtlstring.h>

static OBJECT_ATTRIBUTES oa_of(UNICODE_STRING *Name, PCWSTR Text, ULONG Attributes, HANDLE Root) {
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(Name, Text);
    InitializeObjectAttributes(&oa, Name, Attributes, Root, NULL);
    return oa;
}

/* A fresh directory object named Text, with a handle in *Handle. */
static NTSTATUS make_dir(PCWSTR Text, ULONG Attributes, HANDLE Root, PHANDLE Handle) {
    UNICODE_STRING n;
    OBJECT_ATTRIBUTES oa = oa_of(&n, Text, Attributes, Root);
    POBJECT_DIRECTORY d;
    NTSTATUS s = ObCreateObject(ObDirectoryObjectType, sizeof *d, (PVOID *)&d);
    if (!NT_SUCCESS(s))
        return s;
    for (ULONG i = 0; i < OBP_DIRECTORY_BUCKETS; i++)
        InitializeListHead(&d->Buckets[i]);
    d->Count = 0;
    return ObInsertObject(d, &oa, DIRECTORY_ALL_ACCESS, Handle);
}

static NTSTATUS lookup(PCWSTR Text, ULONG Attributes, PVOID *Object) {
    UNICODE_STRING n;
    OBJECT_ATTRIBUTES oa = oa_of(&n, Text, Attributes, NULL);
    return ObReferenceObjectByName(&oa, NULL, 0, NULL, Object);
}

KTEST(namespace_has_nt_folders_and_types) {
    PVOID o;
    KT_CHECK_STATUS(lookup(L"\\ObjectTypes\\Directory", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    KT_CHECK(o == ObDirectoryObjectType);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(lookup(L"\\objecttypes\\PROCESS", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    KT_CHECK(o == PsProcessType);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(lookup(L"\\Windows", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(lookup(L"\\SystemRoot", OBJ_CASE_INSENSITIVE | OBJ_OPENLINK, &o), STATUS_SUCCESS);
    KT_CHECK(OBJECT_TO_OBJECT_HEADER(o)->Type == ObSymbolicLinkObjectType);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(lookup(L"\\windows", 0, &o),
                    STATUS_OBJECT_NAME_NOT_FOUND); /* case matters without the flag */
    KT_CHECK_STATUS(lookup(L"\\NoSuch\\Thing", OBJ_CASE_INSENSITIVE, &o), STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(lookup(L"Windows", OBJ_CASE_INSENSITIVE, &o), STATUS_OBJECT_PATH_SYNTAX_BAD);
    KT_CHECK_STATUS(lookup(L"\\Windows\\", OBJ_CASE_INSENSITIVE, &o), STATUS_OBJECT_NAME_INVALID);
    KT_CHECK_STATUS(lookup(L"\\ObjectTypes\\Type\\x", OBJ_CASE_INSENSITIVE, &o),
                    STATUS_OBJECT_PATH_NOT_FOUND);
}

KTEST(temporary_names_die_with_their_last_handle_and_leak_nothing) {
    POOL_TAG_USAGE before, after;
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('D', 'i', 'r', 'e'), &before), STATUS_SUCCESS);
    ULONG handlesBefore = PsGetCurrentProcess()->ObjectTable.HandleCount;
    HANDLE h1, h2;
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\KtTemp", OBJ_CASE_INSENSITIVE, NULL, &h1), STATUS_SUCCESS);
    KT_CHECK(((ULONG_PTR)h1 & 3) == 0 && h1 != NULL);
    UNICODE_STRING n;
    OBJECT_ATTRIBUTES oa = oa_of(&n, L"\\BASENAMEDOBJECTS\\kttemp", OBJ_CASE_INSENSITIVE, NULL);
    KT_CHECK_STATUS(ObOpenObjectByName(&oa, ObDirectoryObjectType, DIRECTORY_QUERY, NULL, &h2),
                    STATUS_SUCCESS);
    PVOID a, b;
    KT_CHECK_STATUS(ObReferenceObjectByHandle(h1, 0, NULL, KernelMode, &a, NULL), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(h2, 0, NULL, KernelMode, &b, NULL), STATUS_SUCCESS);
    KT_CHECK(a == b);
    KT_CHECK_EQ(OBJECT_TO_OBJECT_HEADER(a)->HandleCount, 2);
    ObDereferenceObject(a);
    ObDereferenceObject(b);
    KT_CHECK_STATUS(ObCloseHandle(h1, KernelMode), STATUS_SUCCESS);
    PVOID o;
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtTemp", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(ObCloseHandle(h2, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtTemp", OBJ_CASE_INSENSITIVE, &o),
                    STATUS_OBJECT_NAME_NOT_FOUND);
    KT_CHECK_STATUS(ObCloseHandle(h2, KernelMode), STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('D', 'i', 'r', 'e'), &after), STATUS_SUCCESS);
    KT_CHECK_EQ(after.BytesInUse, before.BytesInUse);
    KT_CHECK_EQ(PsGetCurrentProcess()->ObjectTable.HandleCount, handlesBefore);
}

KTEST(names_collide_unless_open_if_asks_for_the_existing_object) {
    HANDLE h1, h2, h3;
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\KtSame", OBJ_CASE_INSENSITIVE, NULL, &h1), STATUS_SUCCESS);
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\ktsame", OBJ_CASE_INSENSITIVE, NULL, &h2),
                    STATUS_OBJECT_NAME_COLLISION);
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\KtSame", OBJ_CASE_INSENSITIVE | OBJ_OPENIF, NULL, &h3),
                    STATUS_OBJECT_NAME_EXISTS);
    PVOID a, b;
    KT_CHECK_STATUS(ObReferenceObjectByHandle(h1, 0, NULL, KernelMode, &a, NULL), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(h3, 0, NULL, KernelMode, &b, NULL), STATUS_SUCCESS);
    KT_CHECK(a == b);
    ObDereferenceObject(a);
    ObDereferenceObject(b);
    KT_CHECK_STATUS(ObCloseHandle(h1, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(h3, KernelMode), STATUS_SUCCESS);
}

NTSTATUS ObpCreateSymbolicLink(const OBJECT_ATTRIBUTES *Oa, PCUNICODE_STRING Target, PHANDLE Handle);

KTEST(symbolic_links_reparse_and_loops_end) {
    HANDLE dir, link, loopA, loopB;
    UNICODE_STRING n, t;
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\KtTarget", OBJ_CASE_INSENSITIVE, NULL, &dir),
                    STATUS_SUCCESS);
    OBJECT_ATTRIBUTES oa = oa_of(&n, L"\\BaseNamedObjects\\KtLink", OBJ_CASE_INSENSITIVE, NULL);
    RtlInitUnicodeString(&t, L"\\BaseNamedObjects\\KtTarget");
    KT_CHECK_STATUS(ObpCreateSymbolicLink(&oa, &t, &link), STATUS_SUCCESS);
    PVOID viaLink, target, linkItself;
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtLink", OBJ_CASE_INSENSITIVE, &viaLink), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(dir, 0, NULL, KernelMode, &target, NULL), STATUS_SUCCESS);
    KT_CHECK(viaLink == target);
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtLink", OBJ_CASE_INSENSITIVE | OBJ_OPENLINK, &linkItself),
                    STATUS_SUCCESS);
    KT_CHECK(OBJECT_TO_OBJECT_HEADER(linkItself)->Type == ObSymbolicLinkObjectType);
    ObDereferenceObject(viaLink), ObDereferenceObject(target), ObDereferenceObject(linkItself);

    oa = oa_of(&n, L"\\BaseNamedObjects\\KtLoopA", OBJ_CASE_INSENSITIVE, NULL);
    RtlInitUnicodeString(&t, L"\\BaseNamedObjects\\KtLoopB");
    KT_CHECK_STATUS(ObpCreateSymbolicLink(&oa, &t, &loopA), STATUS_SUCCESS);
    oa = oa_of(&n, L"\\BaseNamedObjects\\KtLoopB", OBJ_CASE_INSENSITIVE, NULL);
    RtlInitUnicodeString(&t, L"\\BaseNamedObjects\\KtLoopA");
    KT_CHECK_STATUS(ObpCreateSymbolicLink(&oa, &t, &loopB), STATUS_SUCCESS);
    PVOID o;
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtLoopA\\x", OBJ_CASE_INSENSITIVE, &o),
                    STATUS_OBJECT_PATH_NOT_FOUND);
    KT_CHECK_STATUS(ObCloseHandle(loopA, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(loopB, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(link, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(dir, KernelMode), STATUS_SUCCESS);
}

KTEST(only_system_processes_create_objects_in_windows) {
    HANDLE h;
    PEPROCESS p = PsGetCurrentProcess();
    KT_CHECK(p->IsSystem);
    p->IsSystem = FALSE; /* act as an ordinary process for a moment */
    KT_CHECK_STATUS(make_dir(L"\\Windows\\KtNotAllowed", OBJ_CASE_INSENSITIVE, NULL, &h),
                    STATUS_ACCESS_DENIED);
    p->IsSystem = TRUE;
    KT_CHECK_STATUS(make_dir(L"\\Windows\\KtAllowed", OBJ_CASE_INSENSITIVE, NULL, &h), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(h, KernelMode), STATUS_SUCCESS);
}

KTEST(relative_names_and_bad_handles) {
    HANDLE parent, child;
    KT_CHECK_STATUS(make_dir(L"\\BaseNamedObjects\\KtParent", OBJ_CASE_INSENSITIVE, NULL, &parent),
                    STATUS_SUCCESS);
    KT_CHECK_STATUS(make_dir(L"Child", OBJ_CASE_INSENSITIVE, parent, &child), STATUS_SUCCESS);
    PVOID o;
    KT_CHECK_STATUS(lookup(L"\\BaseNamedObjects\\KtParent\\Child", OBJ_CASE_INSENSITIVE, &o), STATUS_SUCCESS);
    ObDereferenceObject(o);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(child, 0, PsProcessType, KernelMode, &o, NULL),
                    STATUS_OBJECT_TYPE_MISMATCH);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(NULL, 0, NULL, KernelMode, &o, NULL), STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)3, 0, NULL, KernelMode, &o, NULL),
                    STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(ObReferenceObjectByHandle((HANDLE)0x7FFC, 0, NULL, KernelMode, &o, NULL),
                    STATUS_INVALID_HANDLE);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(NtCurrentProcess(), 0, NULL, KernelMode, &o, NULL),
                    STATUS_SUCCESS);
    KT_CHECK(o == PsGetCurrentProcess());
    ObDereferenceObject(o);
    /* A user-mode caller gets only the access its handle was opened with. */
    HANDLE weak;
    UNICODE_STRING n;
    OBJECT_ATTRIBUTES oa = oa_of(&n, L"\\BaseNamedObjects\\KtParent", OBJ_CASE_INSENSITIVE, NULL);
    KT_CHECK_STATUS(ObOpenObjectByName(&oa, NULL, DIRECTORY_QUERY, NULL, &weak), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObReferenceObjectByHandle(weak, DIRECTORY_CREATE_OBJECT, NULL, UserMode, &o, NULL),
                    STATUS_ACCESS_DENIED);
    KT_CHECK_STATUS(ObCloseHandle(weak, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(child, KernelMode), STATUS_SUCCESS);
    KT_CHECK_STATUS(ObCloseHandle(parent, KernelMode), STATUS_SUCCESS);
}
