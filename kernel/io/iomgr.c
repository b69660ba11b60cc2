/*
 * iomgr.c - the I/O manager's objects: the Device and File types, the boot
 * device \Device\BootDevice, and opening a name on it.
 *
 * Why: in NT a file is opened through the object namespace. The lookup of
 * "\SystemRoot\System32\ntdll.dll" follows the \SystemRoot link to
 * \Device\BootDevice, a device object, whose type's parse procedure is
 * handed the rest of the name ("\System32\ntdll.dll") and asks the file
 * system mounted on the device to open it; what comes back is a File object,
 * which the handle then refers to. NtCreateFile's parameters travel to the
 * parse procedure in an open packet, so a lookup that reaches the device by
 * any other road (NtOpenEvent on a name under it) is refused.
 *
 * The file system here is the read-only boot volume (bootfs.c), so the open
 * is short: check the name, refuse anything that would write (NT's answer
 * for write-protected media), find the file, check the directory options
 * and the share access, and make the File object. There are no IRPs: every
 * request completes before the service returns.
 */
#define KD_COMPONENT "io"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include "iop.h"
#include <nt/ntio.h>
#include <nt/rtlstring.h>

POBJECT_TYPE IoDeviceObjectType, IoFileObjectType;

/* ---- share access (NT's IoCheckShareAccess, per file of the volume) ---- */

/* One record per file that has opens holding share slots; the key is the
 * upcased path, since the volume's names ignore case. */
typedef struct _IO_SHARE_RECORD {
    LIST_ENTRY Link;
    const BFS_VOLUME *Volume;
    SHARE_ACCESS Access;
    CHAR Key[BFS_MAX_PATH];
} IO_SHARE_RECORD;

static LIST_ENTRY IopShareList = {&IopShareList, &IopShareList};

static void upcase_path(PCSTR In, CHAR *Out) {
    SIZE_T i = 0;
    for (; In[i] && i < BFS_MAX_PATH - 1; i++)
        Out[i] = (In[i] >= 'a' && In[i] <= 'z') ? (CHAR)(In[i] - 'a' + 'A') : In[i];
    Out[i] = '\0';
}

/* Records File's accesses against the other opens of the same file, or
 * fails with STATUS_SHARING_VIOLATION as NT does. An open asking for none
 * of read, write or delete access takes no slot. */
static NTSTATUS IopSetShareAccess(PFILE_OBJECT File, ULONG ShareAccess) {
    ACCESS_MASK a = File->GrantedAccess;
    File->ReadAccess = (a & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    File->WriteAccess = (a & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    File->DeleteAccess = (a & DELETE) != 0;
    File->SharedRead = (ShareAccess & FILE_SHARE_READ) != 0;
    File->SharedWrite = (ShareAccess & FILE_SHARE_WRITE) != 0;
    File->SharedDelete = (ShareAccess & FILE_SHARE_DELETE) != 0;
    if (!File->ReadAccess && !File->WriteAccess && !File->DeleteAccess)
        return STATUS_SUCCESS;

    /* Allocated before the search so the check and the update are one step
     * with interrupts off; freed again if a record already exists. */
    IO_SHARE_RECORD *fresh = ExAllocatePoolWithTag(NonPagedPool, sizeof *fresh, TAG_IO_SHARE);
    if (!fresh)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(fresh, 0, sizeof *fresh);
    fresh->Volume = File->DeviceObject->Volume;
    upcase_path(File->FileName, fresh->Key);

    IO_SHARE_RECORD *record = NULL;
    NTSTATUS status = STATUS_SUCCESS;
    ULONG s = KeDisableInterrupts();
    for (PLIST_ENTRY e = IopShareList.Flink; e != &IopShareList; e = e->Flink) {
        IO_SHARE_RECORD *r = CONTAINING_RECORD(e, IO_SHARE_RECORD, Link);
        if (r->Volume == fresh->Volume && strcmp(r->Key, fresh->Key) == 0) {
            record = r;
            break;
        }
    }
    if (!record) {
        record = fresh;
        fresh = NULL;
        InsertTailList(&IopShareList, &record->Link);
    }
    SHARE_ACCESS *sa = &record->Access;
    if ((File->ReadAccess && sa->SharedRead < sa->OpenCount) ||
        (File->WriteAccess && sa->SharedWrite < sa->OpenCount) ||
        (File->DeleteAccess && sa->SharedDelete < sa->OpenCount) || (sa->Readers && !File->SharedRead) ||
        (sa->Writers && !File->SharedWrite) || (sa->Deleters && !File->SharedDelete)) {
        status = STATUS_SHARING_VIOLATION;
        if (sa->OpenCount == 0) { /* the record was made for this open only */
            RemoveEntryList(&record->Link);
            fresh = record;
        }
    } else {
        sa->OpenCount++;
        sa->Readers += File->ReadAccess;
        sa->Writers += File->WriteAccess;
        sa->Deleters += File->DeleteAccess;
        sa->SharedRead += File->SharedRead;
        sa->SharedWrite += File->SharedWrite;
        sa->SharedDelete += File->SharedDelete;
        File->Share = record;
    }
    KeRestoreInterrupts(s);
    if (fresh)
        ExFreePoolWithTag(fresh, TAG_IO_SHARE);
    return status;
}

/* NT's IoRemoveShareAccess, at the file object's cleanup. */
static VOID IopRemoveShareAccess(PFILE_OBJECT File) {
    IO_SHARE_RECORD *gone = NULL;
    ULONG s = KeDisableInterrupts();
    IO_SHARE_RECORD *r = File->Share;
    File->Share = NULL;
    if (r) {
        SHARE_ACCESS *sa = &r->Access;
        sa->OpenCount--;
        sa->Readers -= File->ReadAccess;
        sa->Writers -= File->WriteAccess;
        sa->Deleters -= File->DeleteAccess;
        sa->SharedRead -= File->SharedRead;
        sa->SharedWrite -= File->SharedWrite;
        sa->SharedDelete -= File->SharedDelete;
        if (sa->OpenCount == 0) {
            RemoveEntryList(&r->Link);
            gone = r;
        }
    }
    KeRestoreInterrupts(s);
    if (gone)
        ExFreePoolWithTag(gone, TAG_IO_SHARE);
}

/* ---- the File type ---- */

/* The last handle closing is NT's IRP_MJ_CLEANUP: the open's share access
 * goes, though kernel references may keep the object a while longer. */
static VOID IopCloseFile(struct _EPROCESS *Process, PVOID Object, ULONG HandleCount) {
    (void)Process;
    if (HandleCount == 1)
        IopRemoveShareAccess(Object);
}

static VOID IopDeleteFile(PVOID Object) {
    PFILE_OBJECT f = Object;
    IopRemoveShareAccess(f); /* an object that never had a handle */
    if (f->SearchPattern)
        ExFreePoolWithTag(f->SearchPattern, TAG_IO_PATTERN);
    f->SearchPattern = NULL;
    if (f->DeviceObject)
        ObDereferenceObject(f->DeviceObject);
    f->DeviceObject = NULL;
}

VOID IopAcquireFileLock(PFILE_OBJECT File) {
    NTSTATUS status = KeWaitForSingleObject(&File->Lock, KernelMode, FALSE, NULL);
    (void)status; /* a non-alertable kernel wait without a timeout only returns when satisfied */
}

VOID IopReleaseFileLock(PFILE_OBJECT File) {
    KeSetEvent(&File->Lock, 0, FALSE);
}

ULONG IopFileAttributes(BOOLEAN IsDirectory) {
    /* As NT's CD-ROM file system reports its read-only media. */
    return IsDirectory ? (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_READONLY) : FILE_ATTRIBUTE_READONLY;
}

LONGLONG IopAllocationSize(BOOLEAN IsDirectory, SIZE_T Size) {
    /* The data occupies whole tar blocks; a directory has no data. */
    return IsDirectory ? 0 : (LONGLONG)ALIGN_UP((ULONGLONG)Size, TAR_BLOCK_SIZE);
}

/* ---- names ---- */

static BOOLEAN is_invalid_name_char(WCHAR c) {
    if (c < 0x20 || c > 0x7F) /* controls and NUL; the volume's names are ASCII */
        return TRUE;
    switch (c) {
    case '"':
    case '*':
    case '/':
    case ':':
    case '<':
    case '>':
    case '?':
    case '|': return TRUE;
    default: return FALSE;
    }
}

/* Appends the UTF-16 components of Name (already split from any leading
 * backslash) to Out, which holds Used characters, each preceded by '\\'.
 * Refuses empty, "." and ".." components and characters NT file names cannot
 * hold; a single trailing backslash is allowed and reported. */
static NTSTATUS append_components(const WCHAR *Name, ULONG Count, CHAR *Out, ULONG *Used, BOOLEAN *Trailing) {
    ULONG i = 0;
    while (i < Count) {
        ULONG start = i;
        while (i < Count && Name[i] != L'\\')
            i++;
        ULONG n = i - start;
        if (n == 0)
            return STATUS_OBJECT_NAME_INVALID; /* "a\\\\b" */
        if (n > IO_MAXIMUM_FILENAME_LENGTH - 1 || *Used + 1 + n > BFS_MAX_PATH - 1)
            return STATUS_OBJECT_NAME_INVALID;
        if ((n == 1 && Name[start] == L'.') || (n == 2 && Name[start] == L'.' && Name[start + 1] == L'.'))
            return STATUS_OBJECT_NAME_INVALID;
        if (*Used != 1 || Out[0] != '\\')
            Out[(*Used)++] = '\\';
        for (ULONG k = start; k < i; k++) {
            if (is_invalid_name_char(Name[k]))
                return STATUS_OBJECT_NAME_INVALID;
            Out[(*Used)++] = (CHAR)Name[k];
        }
        if (i < Count) { /* at a backslash */
            i++;
            if (i == Count)
                *Trailing = TRUE;
        }
    }
    Out[*Used] = '\0';
    return STATUS_SUCCESS;
}

/* The volume path ("\\a\\b", "\\" for the root) for Name, absolute or
 * relative to RelatedPath. */
static NTSTATUS build_path(PCSTR RelatedPath, PCUNICODE_STRING Name, CHAR *Out, BOOLEAN *Trailing) {
    ULONG count = Name->Length / sizeof(WCHAR), used;
    const WCHAR *w = Name->Buffer;
    *Trailing = FALSE;
    if (Name->Length & 1)
        return STATUS_OBJECT_NAME_INVALID;
    if (RelatedPath) {
        if (count && w[0] == L'\\')
            return STATUS_OBJECT_NAME_INVALID; /* relative names do not start at the root */
        used = (ULONG)RtlStringCopy(Out, RelatedPath, BFS_MAX_PATH);
    } else {
        if (count && w[0] != L'\\')
            return STATUS_OBJECT_NAME_INVALID;
        if (count) {
            w++;
            count--;
        }
        Out[0] = '\\';
        Out[1] = '\0';
        used = 1;
    }
    return append_components(w, count, Out, &used, Trailing);
}

/* Why a name was not found: its directory is missing (or is a file). */
static NTSTATUS not_found_status(const BFS_VOLUME *Volume, PCSTR Path) {
    CHAR parent[BFS_MAX_PATH];
    SIZE_T cut = 0;
    for (SIZE_T i = 0; Path[i]; i++)
        if (Path[i] == '\\')
            cut = i;
    memcpy(parent, Path, cut);
    parent[cut] = '\0'; /* "" is the root */
    BFS_FILE dir;
    NTSTATUS status = BfsOpen(Volume, parent, &dir);
    if (!NT_SUCCESS(status) || !dir.IsDirectory)
        return STATUS_OBJECT_PATH_NOT_FOUND;
    return STATUS_OBJECT_NAME_NOT_FOUND;
}

/* ---- opening ---- */

NTSTATUS IopOpenFile(PDEVICE_OBJECT Device, PCSTR RelatedPath, PCUNICODE_STRING Name, IOP_OPEN_PACKET *Packet,
                     PFILE_OBJECT *Result) {
    CHAR path[BFS_MAX_PATH];
    BOOLEAN trailing;
    Packet->ParseCalled = TRUE;
    NTSTATUS status = build_path(RelatedPath, Name, path, &trailing);
    if (!NT_SUCCESS(status))
        return status;
    if (Packet->EaLength)
        return STATUS_ACCESS_DENIED; /* the volume has no extended attributes (NT's CDFS answer) */
    if (Packet->Options & FILE_OPEN_BY_FILE_ID)
        return STATUS_NOT_IMPLEMENTED;
    BOOLEAN creates = Packet->Disposition != FILE_OPEN && Packet->Disposition != FILE_OPEN_IF;
    if ((Device->Characteristics & FILE_READ_ONLY_DEVICE) &&
        ((Packet->GrantedAccess & IO_WRITE_ACCESS) || creates || (Packet->Options & FILE_DELETE_ON_CLOSE)))
        return STATUS_MEDIA_WRITE_PROTECTED;

    BFS_FILE bfs;
    status = BfsOpen(Device->Volume, path, &bfs);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND) {
        status = not_found_status(Device->Volume, path);
        if (status == STATUS_OBJECT_NAME_NOT_FOUND && Packet->Disposition == FILE_OPEN_IF)
            status = STATUS_MEDIA_WRITE_PROTECTED; /* it would be created */
    }
    if (!NT_SUCCESS(status))
        return status;
    if (!bfs.IsDirectory && (trailing || (Packet->Options & FILE_DIRECTORY_FILE)))
        return STATUS_NOT_A_DIRECTORY;
    if (bfs.IsDirectory && (Packet->Options & FILE_NON_DIRECTORY_FILE))
        return STATUS_FILE_IS_A_DIRECTORY;

    PFILE_OBJECT f;
    status = ObCreateObject(IoFileObjectType, sizeof(FILE_OBJECT), (PVOID *)&f);
    if (!NT_SUCCESS(status))
        return status;
    ObReferenceObject(Device);
    f->DeviceObject = Device;
    f->File = bfs;
    RtlStringCopy(f->FileName, path, sizeof f->FileName);
    f->CurrentByteOffset.QuadPart = 0;
    f->GrantedAccess = Packet->GrantedAccess;
    f->Mode = Packet->Options & IO_MODE_OPTIONS;
    KeInitializeEvent(&f->Lock, SynchronizationEvent, TRUE);
    status = IopSetShareAccess(f, Packet->ShareAccess);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(f);
        return status;
    }
    Packet->Information = FILE_OPENED;
    *Result = f;
    return STATUS_SUCCESS;
}

/* The Device type's parse procedure: the rest of the name, from the
 * volume root, is a file to open. Only NtCreateFile's open packet may come
 * this way (NT's IopParseDevice answers anything else with a type
 * mismatch). */
static NTSTATUS IopParseDevice(PVOID Object, PUNICODE_STRING RemainingName, ACCESS_MASK DesiredAccess,
                               ULONG Attributes, PVOID ParseContext, PVOID *Result) {
    (void)DesiredAccess; /* the packet carries the access already mapped */
    (void)Attributes;    /* the volume's names ignore case whatever OBJ_CASE_INSENSITIVE says */
    IOP_OPEN_PACKET *packet = ParseContext;
    if (!packet || packet->Magic != IOP_OPEN_PACKET_MAGIC)
        return STATUS_OBJECT_TYPE_MISMATCH;
    return IopOpenFile(Object, NULL, RemainingName, packet, (PFILE_OBJECT *)Result);
}

/* ---- probing ---- */

NTSTATUS IopProbeForWrite(PVOID Address, SIZE_T Length) {
    if (Length == 0)
        return STATUS_SUCCESS;
    if (!Address)
        return STATUS_ACCESS_VIOLATION;
    if (KeGetPreviousMode() == KernelMode)
        return STATUS_SUCCESS;
    if (!ExIsUserRange(Address, Length))
        return STATUS_ACCESS_VIOLATION;
    ULONG_PTR p = (ULONG_PTR)Address, end = p + Length;
    while (p < end) {
        UCHAR byte;
        NTSTATUS status = ExCopyFromCaller(&byte, (PVOID)p, 1);
        if (NT_SUCCESS(status))
            status = ExCopyToCaller((PVOID)p, &byte, 1);
        if (!NT_SUCCESS(status))
            return status;
        p = ALIGN_DOWN(p, (ULONG_PTR)PAGE_SIZE) + PAGE_SIZE; /* the next page */
        if (p == 0)
            break;
    }
    return STATUS_SUCCESS;
}

NTSTATUS IopWriteIoStatus(PIO_STATUS_BLOCK IoStatusBlock, NTSTATUS Status, ULONG_PTR Information) {
    IO_STATUS_BLOCK iosb;
    memset(&iosb, 0, sizeof iosb);
    iosb.Status = Status;
    iosb.Information = Information;
    if (!IoStatusBlock)
        return STATUS_ACCESS_VIOLATION;
    return ExCopyToCaller(IoStatusBlock, &iosb, sizeof iosb);
}

/* ---- start-up ---- */

NTSTATUS IoInitSystem(VOID) {
    const BFS_VOLUME *volume = IoGetSystemRootVolume();
    if (!volume)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    OBJECT_TYPE init = {
        .PoolTag = NT_TAG('D', 'e', 'v', 'i'),
        .ValidAccessMask = FILE_ALL_ACCESS,
        .GenericMapping = {FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS},
        .DispatcherOffset = -1,
        .ParseProcedure = IopParseDevice};
    NTSTATUS status = ObCreateObjectType(L"Device", &init, &IoDeviceObjectType);
    if (!NT_SUCCESS(status))
        return status;
    init.PoolTag = NT_TAG('F', 'i', 'l', 'e');
    init.ParseProcedure = NULL;
    init.CloseProcedure = IopCloseFile;
    init.DeleteProcedure = IopDeleteFile;
    /* Not waitable: every request completes before its service returns. */
    status = ObCreateObjectType(L"File", &init, &IoFileObjectType);
    if (!NT_SUCCESS(status))
        return status;

    PDEVICE_OBJECT device;
    status = ObCreateObject(IoDeviceObjectType, sizeof(DEVICE_OBJECT), (PVOID *)&device);
    if (!NT_SUCCESS(status))
        return status;
    device->Volume = volume;
    device->Characteristics = FILE_READ_ONLY_DEVICE;
    OBJECT_TO_OBJECT_HEADER(device)->Flags |= OB_FLAG_KERNEL_ONLY;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\Device\\BootDevice");
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    status = ObInsertObject(device, &oa, 0, NULL);
    if (!NT_SUCCESS(status))
        return status;           /* the insert consumed the creation reference */
    ObDereferenceObject(device); /* the permanent name keeps it */
    KdPrint("\\Device\\BootDevice: the \\SystemRoot volume, read-only; file services ready");
    return STATUS_SUCCESS;
}
