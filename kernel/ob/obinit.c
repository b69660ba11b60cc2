/*
 * obinit.c - the object manager's types and the namespace's first folders.
 *
 * Why: the namespace NT programs expect exists before any of them runs: "\"
 * with \ObjectTypes (every type, by name), \Device, \Windows (where csrss
 * creates its ports; only system processes may create objects there) and
 * \BaseNamedObjects (where Win32 puts named events and sections), and the
 * symbolic link \SystemRoot that leads to the boot file system.
 */
#define KD_COMPONENT "ob"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/ob.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include <nt/rtlstring.h>

VOID ObpInitializeDirectory(POBJECT_DIRECTORY Dir);
VOID ObpDeleteDirectory(PVOID Object);
VOID ObpDeleteSymbolicLink(PVOID Object);
NTSTATUS ObpDuplicateName(PCUNICODE_STRING Source, PUNICODE_STRING Copy);
extern LIST_ENTRY ObpTypeList;

static void must(NTSTATUS Status, ULONG Step) {
    if (!NT_SUCCESS(Status))
        KeBugCheckEx(0x5F /* SECURITY_INITIALIZATION_FAILED: NT's code for early Ob failure */, Step,
                     (ULONG)Status, 0, 0);
}

/* Puts a type object in \ObjectTypes under its name. */
VOID ObpNameType(POBJECT_TYPE Type) {
    WCHAR path[64] = L"\\ObjectTypes\\";
    ULONG n = 13;
    for (ULONG i = 0; i < Type->Name.Length / sizeof(WCHAR) && n < 63; i++)
        path[n++] = Type->Name.Buffer[i];
    path[n] = 0;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, path);
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    must(ObInsertObject(Type, &oa, 0, NULL), 10); /* types live for ever: the creation reference stays */
}

VOID ObInitSystem(VOID) {
    OBJECT_TYPE init = {.PoolTag = NT_TAG('O', 'b', 'T', 'y'),
                        .ValidAccessMask = STANDARD_RIGHTS_REQUIRED | 1,
                        .GenericMapping = {READ_CONTROL, 0, 0, STANDARD_RIGHTS_REQUIRED | 1},
                        .DispatcherOffset = -1};
    POBJECT_TYPE type;
    must(ObCreateObjectType(L"Type", &init, &type), 1);

    init.PoolTag = NT_TAG('D', 'i', 'r', 'e');
    init.ValidAccessMask = DIRECTORY_ALL_ACCESS;
    init.GenericMapping =
        (GENERIC_MAPPING){READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                          READ_CONTROL | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
                          READ_CONTROL | DIRECTORY_QUERY | DIRECTORY_TRAVERSE, DIRECTORY_ALL_ACCESS};
    init.DeleteProcedure = ObpDeleteDirectory;
    must(ObCreateObjectType(L"Directory", &init, &ObDirectoryObjectType), 2);

    init.PoolTag = NT_TAG('S', 'y', 'm', 'b');
    init.ValidAccessMask = SYMBOLIC_LINK_ALL_ACCESS;
    init.GenericMapping = (GENERIC_MAPPING){READ_CONTROL | SYMBOLIC_LINK_QUERY, READ_CONTROL,
                                            READ_CONTROL | SYMBOLIC_LINK_QUERY, SYMBOLIC_LINK_ALL_ACCESS};
    init.DeleteProcedure = ObpDeleteSymbolicLink;
    must(ObCreateObjectType(L"SymbolicLink", &init, &ObSymbolicLinkObjectType), 3);

    /* The root has no name and no parent: it is created by hand. */
    must(ObCreateObject(ObDirectoryObjectType, sizeof(OBJECT_DIRECTORY), (PVOID *)&ObpRootDirectoryObject),
         4);
    ObpInitializeDirectory(ObpRootDirectoryObject);
    OBJECT_TO_OBJECT_HEADER(ObpRootDirectoryObject)->Flags |= OB_FLAG_PERMANENT | OB_FLAG_KERNEL_ONLY;

    must(ObpCreateKernelDirectory(L"\\ObjectTypes", 0, NULL), 5);
    must(ObpCreateKernelDirectory(L"\\Device", 0, NULL), 6);
    must(ObpCreateKernelDirectory(L"\\Windows", OB_FLAG_SYSTEM_DIRECTORY, NULL), 7);
    must(ObpCreateKernelDirectory(L"\\BaseNamedObjects", 0, NULL), 8);
    must(ObpCreateKernelSymbolicLink(L"\\SystemRoot", L"\\Device\\BootDevice"), 9);
    for (PLIST_ENTRY e = ObpTypeList.Flink; e != &ObpTypeList; e = e->Flink)
        ObpNameType(CONTAINING_RECORD(e, OBJECT_TYPE, TypeList));
    KdPrint("namespace: \\ObjectTypes, \\Device, \\Windows, \\BaseNamedObjects, \\SystemRoot -> "
            "\\Device\\BootDevice");
}
