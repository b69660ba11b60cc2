/*
 * ob.h - the object manager: typed, reference-counted, named kernel objects
 * and the per-process handle tables that reach them.
 *
 * Why: in NT every resource a process can hold (a process, a thread, an
 * event, a section, a port, a file) is an object with a header the object
 * manager owns: a type, a pointer count, a handle count and maybe a name in
 * the one namespace ("\Windows\ApiPort"). Code outside Ob never frees an
 * object; it drops references, and the type's delete procedure runs when the
 * last one goes. A handle is an index into the process's handle table, with
 * the access the opener was granted.
 */
#ifndef KERNEL_OB_H
#define KERNEL_OB_H

#include <nt/list.h>
#include <nt/ntstatus.h>
#include "ketypes.h"

/* Access rights (NT's values). */
#define DELETE                   0x00010000
#define READ_CONTROL             0x00020000
#define SYNCHRONIZE              0x00100000
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#define STANDARD_RIGHTS_ALL      0x001F0000
#define MAXIMUM_ALLOWED          0x02000000
#define GENERIC_READ             0x80000000
#define GENERIC_WRITE            0x40000000
#define GENERIC_EXECUTE          0x20000000
#define GENERIC_ALL              0x10000000

#define DIRECTORY_QUERY               0x0001
#define DIRECTORY_TRAVERSE            0x0002
#define DIRECTORY_CREATE_OBJECT       0x0004
#define DIRECTORY_CREATE_SUBDIRECTORY 0x0008
#define DIRECTORY_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | 0xF)
#define SYMBOLIC_LINK_QUERY           0x0001
#define SYMBOLIC_LINK_ALL_ACCESS      (STANDARD_RIGHTS_REQUIRED | 0x1)

#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS  0x00000002

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#ifndef NtCurrentThread
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#endif

typedef struct _GENERIC_MAPPING {
    ACCESS_MASK GenericRead, GenericWrite, GenericExecute, GenericAll;
} GENERIC_MAPPING;

struct _EPROCESS;
struct _OBJECT_TYPE;

typedef struct _OBJECT_TYPE {
    UNICODE_STRING Name;
    ULONG PoolTag;
    ACCESS_MASK ValidAccessMask;
    GENERIC_MAPPING GenericMapping;
    /* Offset of the DISPATCHER_HEADER inside the body, or -1: not waitable. */
    LONG DispatcherOffset;
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    /* Optional procedures. Close runs as each handle closes; Delete when the
     * last reference goes; Parse lets an object resolve the rest of a name
     * (a device opening a file). */
    VOID (*CloseProcedure)(struct _EPROCESS *Process, PVOID Object, ULONG HandleCount);
    VOID (*DeleteProcedure)(PVOID Object);
    NTSTATUS (*ParseProcedure)(PVOID Object, PUNICODE_STRING RemainingName, ACCESS_MASK DesiredAccess,
                               ULONG Attributes, PVOID ParseContext, PVOID *Result);
    LIST_ENTRY TypeList; /* on ObpTypeList */
} OBJECT_TYPE, *POBJECT_TYPE;

#define OB_FLAG_PERMANENT   0x01 /* survives its last handle (OBJ_PERMANENT) */
#define OB_FLAG_KERNEL_ONLY 0x02 /* created by the kernel; user mode cannot insert beside it */
#define OB_FLAG_SYSTEM_DIRECTORY 0x04 /* only system processes may create objects in it */
#define OB_FLAG_SYSTEM_ONLY 0x08 /* only system processes may open it by name (NT: its security descriptor) */

typedef struct _OBJECT_HEADER {
    LONG PointerCount;
    LONG HandleCount;
    POBJECT_TYPE Type;
    ULONG Flags;
    UNICODE_STRING Name;                /* empty if unnamed */
    struct _OBJECT_DIRECTORY *Directory; /* where the name lives */
    struct _EPROCESS *QuotaProcess;     /* charged for it, if any */
    ULONG BodySize;
    ULONGLONG Body[];                   /* 8-byte aligned object body */
} OBJECT_HEADER, *POBJECT_HEADER;

#define OBJECT_TO_OBJECT_HEADER(o) CONTAINING_RECORD((o), OBJECT_HEADER, Body)

#define OBP_DIRECTORY_BUCKETS 37 /* NT's hash width */

typedef struct _OBJECT_DIRECTORY_ENTRY {
    LIST_ENTRY Link;
    PVOID Object;
} OBJECT_DIRECTORY_ENTRY;

typedef struct _OBJECT_DIRECTORY {
    LIST_ENTRY Buckets[OBP_DIRECTORY_BUCKETS];
    ULONG Count;
} OBJECT_DIRECTORY, *POBJECT_DIRECTORY;

typedef struct _OBJECT_SYMBOLIC_LINK {
    UNICODE_STRING LinkTarget;
} OBJECT_SYMBOLIC_LINK, *POBJECT_SYMBOLIC_LINK;

typedef struct _HANDLE_TABLE_ENTRY {
    PVOID Object;          /* body, or NULL when free */
    ACCESS_MASK GrantedAccess;
    ULONG Attributes;      /* OBJ_INHERIT */
} HANDLE_TABLE_ENTRY;

typedef struct _HANDLE_TABLE {
    HANDLE_TABLE_ENTRY *Entries;
    ULONG Capacity;
    ULONG HandleCount;
    ULONG NextFree; /* hint */
} HANDLE_TABLE, *PHANDLE_TABLE;

#define OB_MAX_HANDLES 16384 /* per process */

extern POBJECT_TYPE ObDirectoryObjectType, ObSymbolicLinkObjectType, ObTypeObjectType;
extern POBJECT_DIRECTORY ObpRootDirectoryObject;

VOID ObInitSystem(VOID);
/* Makes a type; Name is copied. */
NT_CHECK_RESULT NTSTATUS ObCreateObjectType(PCWSTR Name, const OBJECT_TYPE *Initializer, POBJECT_TYPE *Type);
/* Allocates an object with one pointer reference and no name or handle yet.
 * ObjectAttributes (kernel copy, may be NULL) only supplies the attributes
 * here; the name is applied by ObInsertObject. */
NT_CHECK_RESULT NTSTATUS ObCreateObject(POBJECT_TYPE Type, ULONG BodySize, PVOID *Object);
/* Gives the object its name from ObjectAttributes (if any) and a handle in
 * the current process; consumes the creation reference on failure and on
 * success (the handle then holds the object). With OBJ_OPENIF an existing
 * object of the same type is opened instead (STATUS_OBJECT_NAME_EXISTS). */
NT_CHECK_RESULT NTSTATUS ObInsertObject(PVOID Object, const OBJECT_ATTRIBUTES *ObjectAttributes,
                                        ACCESS_MASK DesiredAccess, PHANDLE Handle);
VOID ObReferenceObject(PVOID Object);
VOID ObDereferenceObject(PVOID Object);
/* Resolves a handle of the current process (or a pseudo handle) to its
 * object with a new reference, checking type (NULL: any) and access. */
NT_CHECK_RESULT NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE Type,
                                                   KPROCESSOR_MODE AccessMode, PVOID *Object,
                                                   ACCESS_MASK *GrantedAccess);
/* Looks a name up from the root (or RootDirectory), following symbolic
 * links; returns a referenced object. */
NT_CHECK_RESULT NTSTATUS ObReferenceObjectByName(const OBJECT_ATTRIBUTES *ObjectAttributes, POBJECT_TYPE Type,
                                                 ACCESS_MASK DesiredAccess, PVOID ParseContext, PVOID *Object);
/* Opens by name into a handle of the current process. */
NT_CHECK_RESULT NTSTATUS ObOpenObjectByName(const OBJECT_ATTRIBUTES *ObjectAttributes, POBJECT_TYPE Type,
                                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle);
/* Opens an object already referenced into a handle of the current process. */
NT_CHECK_RESULT NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG Attributes, ACCESS_MASK DesiredAccess,
                                               POBJECT_TYPE Type, PHANDLE Handle);
NT_CHECK_RESULT NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode);
/* Creates a kernel directory by full path (used at boot). */
NT_CHECK_RESULT NTSTATUS ObpCreateKernelDirectory(PCWSTR Path, ULONG Flags, POBJECT_DIRECTORY *Directory);
NT_CHECK_RESULT NTSTATUS ObpCreateKernelSymbolicLink(PCWSTR Path, PCWSTR Target);
/* Returns the dispatcher object to wait on for Object, or NULL. */
PVOID ObpGetWaitableObject(PVOID Object);

/* Handle tables (handle.c). */
NT_CHECK_RESULT NTSTATUS ObInitializeHandleTable(PHANDLE_TABLE Table);
/* Closes every handle (process exit). */
VOID ObKillHandleTable(struct _EPROCESS *Process);
/* Copies the inheritable handles of Parent into Child's empty table. */
NT_CHECK_RESULT NTSTATUS ObDuplicateInheritedHandles(struct _EPROCESS *Parent, struct _EPROCESS *Child);
NT_CHECK_RESULT NTSTATUS ObpReferenceObjectByHandleInProcess(struct _EPROCESS *Process, HANDLE Handle,
                                                             ACCESS_MASK DesiredAccess, POBJECT_TYPE Type,
                                                             KPROCESSOR_MODE AccessMode, PVOID *Object,
                                                             ACCESS_MASK *GrantedAccess);
NT_CHECK_RESULT NTSTATUS ObpCloseHandleInProcess(struct _EPROCESS *Process, HANDLE Handle);
ACCESS_MASK ObpGrantedAccess(POBJECT_TYPE Type, ACCESS_MASK Desired);
/* Takes back a handle this code just created (when writing it out to the
 * caller failed); closing a live handle of our own cannot fail. */
static inline VOID ObpUndoHandle(struct _EPROCESS *Process, HANDLE Handle) {
    NTSTATUS status = ObpCloseHandleInProcess(Process, Handle);
    (void)status;
}
/* Writes the object's full name ("\Dir\Name") into Buffer (WCHARs, not
 * terminated); returns the length in bytes needed, 0 if unnamed. */
ULONG ObpQueryFullName(PVOID Object, PWCHAR Buffer, ULONG BufferBytes);

/* ---- the common shape of NtCreateXxx / NtOpenXxx (obsvc.c) ---- */
/* Captures the caller's OBJECT_ATTRIBUTES, makes a Type object of BodySize,
 * lets Initialize fill the body, names it, and writes the handle back to the
 * caller. Initialize returns an NTSTATUS; on failure nothing is left behind. */
NT_CHECK_RESULT NTSTATUS ObpCreateNamedObject(PHANDLE CallerHandle, ACCESS_MASK DesiredAccess,
                                              const OBJECT_ATTRIBUTES *CallerAttributes, POBJECT_TYPE Type,
                                              ULONG BodySize, NTSTATUS (*Initialize)(PVOID Body, PVOID Context),
                                              PVOID Context);
NT_CHECK_RESULT NTSTATUS ObpOpenNamedObject(PHANDLE CallerHandle, ACCESS_MASK DesiredAccess,
                                            const OBJECT_ATTRIBUTES *CallerAttributes, POBJECT_TYPE Type,
                                            ULONG ExtraAttributes);

NT_CHECK_RESULT NTSTATUS ObpCreateHandle(struct _EPROCESS *Process, PVOID Object, ACCESS_MASK Access,
                                         ULONG Attributes, PHANDLE Handle);

#endif
