/*
 * iofile.c - NtCreateFile, NtOpenFile, NtReadFile, NtQueryInformationFile
 * and NtSetInformationFile.
 *
 * Why: these are the services a program reads \SystemRoot with. Each takes
 * the caller's arguments as NT's I/O manager does: check the parameters,
 * probe every caller pointer (through probe.c: a bad one is
 * STATUS_ACCESS_VIOLATION, never a crash), reference the handle for the
 * access the operation needs, then do the work on kernel copies. Data goes
 * out through a bounded kernel buffer, never straight from the volume into
 * a caller's pointer.
 *
 * Choices where NT leaves room (kernel/io/README.md lists them all):
 * - Every file object behaves as if opened for synchronous I/O: the I/O
 *   manager keeps the current byte offset, a NULL ByteOffset (or
 *   FILE_USE_FILE_POINTER_POSITION) reads from it, and every read, with an
 *   explicit offset or not, leaves it after the bytes read.
 * - The IO_STATUS_BLOCK is written whenever the request reached the file
 *   system, with success, a warning or an error (STATUS_END_OF_FILE with
 *   Information 0), and the optional event is set then; a request refused
 *   while its parameters are checked leaves both untouched.
 * - No user APCs are delivered yet: an ApcRoutine is STATUS_NOT_IMPLEMENTED.
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "iop.h"
#include <nt/ntapi.h>
#include <nt/ntio.h>

#define EVENT_MODIFY_STATE 0x0002
#define IO_READ_CHUNK 4096 /* the bounce buffer between the volume and the caller */

/* ---- opening ---- */

/* NT's IoCreateFile parameter rules (STATUS_INVALID_PARAMETER). */
static BOOLEAN create_parameters_valid(ACCESS_MASK Granted, ULONG FileAttributes, ULONG ShareAccess,
                                       ULONG Disposition, ULONG Options) {
    const ULONG sync = FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;
    const ULONG directoryOptions = FILE_DIRECTORY_FILE | sync | FILE_WRITE_THROUGH |
                                   FILE_COMPLETE_IF_OPLOCKED | FILE_OPEN_FOR_BACKUP_INTENT |
                                   FILE_DELETE_ON_CLOSE | FILE_OPEN_BY_FILE_ID | FILE_NO_COMPRESSION;
    if ((FileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS) || (ShareAccess & ~FILE_SHARE_VALID_FLAGS) ||
        Disposition > FILE_MAXIMUM_DISPOSITION || (Options & ~FILE_VALID_OPTION_FLAGS))
        return FALSE;
    if ((Options & sync) == sync || ((Options & sync) && !(Granted & SYNCHRONIZE)))
        return FALSE;
    if ((Options & FILE_DELETE_ON_CLOSE) && !(Granted & DELETE))
        return FALSE;
    if ((Options & FILE_DIRECTORY_FILE) &&
        ((Options & ~directoryOptions) ||
         (Disposition != FILE_CREATE && Disposition != FILE_OPEN && Disposition != FILE_OPEN_IF)))
        return FALSE; /* this also refuses FILE_DIRECTORY_FILE with FILE_NON_DIRECTORY_FILE */
    if ((Options & FILE_NO_INTERMEDIATE_BUFFERING) && (Granted & FILE_APPEND_DATA))
        return FALSE;
    return TRUE;
}

/* Finds the File object the captured attributes name: relative to a
 * directory's file object (NT's related file object), or through the
 * namespace, where \Device\BootDevice's parse procedure opens it; a name
 * that ends at the device itself opens the volume's root directory. */
static NTSTATUS open_by_name(const OBJECT_ATTRIBUTES *Oa, ACCESS_MASK DesiredAccess, IOP_OPEN_PACKET *Packet,
                             PFILE_OBJECT *File) {
    if (Oa->RootDirectory) {
        PFILE_OBJECT related;
        NTSTATUS status = ObReferenceObjectByHandle(Oa->RootDirectory, 0, IoFileObjectType,
                                                    KeGetPreviousMode(), (PVOID *)&related, NULL);
        if (NT_SUCCESS(status)) {
            UNICODE_STRING empty = {0, 0, NULL};
            PCUNICODE_STRING name = Oa->ObjectName ? Oa->ObjectName : &empty;
            if (!related->File.IsDirectory && name->Length)
                status = STATUS_OBJECT_PATH_NOT_FOUND; /* only a directory holds names */
            else
                status = IopOpenFile(related->DeviceObject, related->FileName, name, Packet, File);
            ObDereferenceObject(related);
            return status;
        }
        if (status != STATUS_OBJECT_TYPE_MISMATCH)
            return status; /* otherwise an object directory: the namespace walks from it */
    }
    if (!Oa->ObjectName || !Oa->ObjectName->Length)
        return STATUS_OBJECT_NAME_INVALID;
    PVOID object;
    NTSTATUS status = ObReferenceObjectByName(Oa, NULL, DesiredAccess, Packet, &object);
    if (!NT_SUCCESS(status))
        return status;
    POBJECT_TYPE type = OBJECT_TO_OBJECT_HEADER(object)->Type;
    if (type == IoFileObjectType) {
        *File = object;
        return STATUS_SUCCESS;
    }
    if (type == IoDeviceObjectType) {
        UNICODE_STRING root = {0, 0, NULL};
        status = IopOpenFile(object, NULL, &root, Packet, File);
    } else {
        status = STATUS_OBJECT_TYPE_MISMATCH; /* not a device: nothing here opens files */
    }
    ObDereferenceObject(object);
    return status;
}

/* NT's IoCreateFile, for the two services. */
static NTSTATUS IopCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                              PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                              ULONG Disposition, ULONG Options, PVOID EaBuffer, ULONG EaLength) {
    HANDLE handle = NULL;
    if (!FileHandle)
        return STATUS_ACCESS_VIOLATION;
    NTSTATUS status = ExCopyToCaller(FileHandle, &handle, sizeof handle); /* fail early on a bad pointer */
    if (NT_SUCCESS(status))
        status = IopProbeForWrite(IoStatusBlock, sizeof *IoStatusBlock);
    if (NT_SUCCESS(status) && AllocationSize) {
        LARGE_INTEGER allocation; /* only a create would use it */
        status = ExCopyFromCaller(&allocation, AllocationSize, sizeof allocation);
    }
    if (NT_SUCCESS(status) && EaLength &&
        (!EaBuffer || (KeGetPreviousMode() == UserMode && !ExIsUserRange(EaBuffer, EaLength))))
        status = STATUS_ACCESS_VIOLATION;
    if (!NT_SUCCESS(status))
        return status;

    ACCESS_MASK granted = ObpGrantedAccess(IoFileObjectType, DesiredAccess & ~MAXIMUM_ALLOWED);
    if (DesiredAccess & MAXIMUM_ALLOWED)
        granted |= IO_READ_ONLY_MAXIMUM; /* the most a read-only volume can give */
    if (!create_parameters_valid(granted, FileAttributes, ShareAccess, Disposition, Options))
        return STATUS_INVALID_PARAMETER;

    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    status = ExCaptureObjectAttributes(ObjectAttributes, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    IOP_OPEN_PACKET packet = {.Magic = IOP_OPEN_PACKET_MAGIC,
                              .GrantedAccess = granted,
                              .ShareAccess = ShareAccess,
                              .Disposition = Disposition,
                              .Options = Options,
                              .EaLength = EaBuffer ? EaLength : 0};
    PFILE_OBJECT file = NULL;
    status = open_by_name(&oa, DesiredAccess, &packet, &file);
    ExReleaseCapturedUnicodeString(&name);
    if (!NT_SUCCESS(status)) {
        if (packet.ParseCalled) { /* the file system answered: say so in the status block */
            NTSTATUS written = IopWriteIoStatus(IoStatusBlock, status, 0);
            (void)written; /* the open's own failure is the answer either way */
        }
        return status;
    }
    status = ObpCreateHandle(PsGetCurrentProcess(), file, file->GrantedAccess, oa.Attributes, &handle);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(file);
        return status;
    }
    status = ExCopyToCaller(FileHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status))
        status = IopWriteIoStatus(IoStatusBlock, STATUS_SUCCESS, packet.Information);
    if (!NT_SUCCESS(status)) {
        ObpUndoHandle(PsGetCurrentProcess(), handle);
        return STATUS_ACCESS_VIOLATION;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes, PIO_STATUS_BLOCK IoStatusBlock,
                            PLARGE_INTEGER AllocationSize, ULONG FileAttributes, ULONG ShareAccess,
                            ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength) {
    return IopCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, AllocationSize,
                         FileAttributes, ShareAccess, CreateDisposition, CreateOptions, EaBuffer, EaLength);
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions) {
    return IopCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, NULL, 0, ShareAccess,
                         FILE_OPEN, OpenOptions, NULL, 0);
}

/* ---- reading ---- */

/* Copies up to Length bytes of File from Offset into the caller's Buffer
 * through a kernel bounce buffer; *Read is what reached the caller. */
static NTSTATUS read_to_caller(PFILE_OBJECT File, ULONGLONG Offset, PUCHAR Buffer, ULONG Length,
                               ULONG *Read) {
    *Read = 0;
    ULONG chunk = Length < IO_READ_CHUNK ? Length : IO_READ_CHUNK;
    PUCHAR bounce = ExAllocatePoolWithTag(PagedPool, chunk, TAG_IO_READ);
    if (!bounce)
        return STATUS_INSUFFICIENT_RESOURCES;
    NTSTATUS status = STATUS_SUCCESS;
    while (*Read < Length && Offset + *Read < File->File.Size) {
        ULONG want = Length - *Read < chunk ? Length - *Read : chunk;
        SIZE_T got = 0;
        status = BfsRead(&File->File, (SIZE_T)(Offset + *Read), bounce, want, &got);
        if (NT_SUCCESS(status))
            status = ExCopyToCaller(Buffer + *Read, bounce, got);
        if (!NT_SUCCESS(status) || got == 0)
            break;
        *Read += (ULONG)got;
    }
    ExFreePoolWithTag(bounce, TAG_IO_READ);
    return status;
}

NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                          PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                          PLARGE_INTEGER ByteOffset, PULONG Key) {
    (void)ApcContext; /* only meaningful with an APC or a completion port */
    KPROCESSOR_MODE mode = KeGetPreviousMode();
    PFILE_OBJECT file;
    NTSTATUS status =
        ObReferenceObjectByHandle(FileHandle, FILE_READ_DATA, IoFileObjectType, mode, (PVOID *)&file, NULL);
    if (!NT_SUCCESS(status))
        return status;
    LARGE_INTEGER offset = {.QuadPart = 0};
    ULONG key = 0; /* byte-range locks are not kept, so the key has nothing to match */
    PKEVENT event = NULL;
    if (ApcRoutine)
        status = STATUS_NOT_IMPLEMENTED;
    if (NT_SUCCESS(status))
        status = IopProbeForWrite(IoStatusBlock, sizeof *IoStatusBlock);
    if (NT_SUCCESS(status) && Length && (!Buffer || (mode == UserMode && !ExIsUserRange(Buffer, Length))))
        status = STATUS_ACCESS_VIOLATION;
    if (NT_SUCCESS(status) && ByteOffset)
        status = ExCopyFromCaller(&offset, ByteOffset, sizeof offset);
    if (NT_SUCCESS(status) && Key)
        status = ExCopyFromCaller(&key, Key, sizeof key);
    if (NT_SUCCESS(status) && Event) {
        status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, mode,
                                           (PVOID *)&event, NULL);
        if (NT_SUCCESS(status))
            KeResetEvent(event);
    }
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(file);
        return status;
    }

    IopAcquireFileLock(file);
    if (!ByteOffset || (offset.LowPart == FILE_USE_FILE_POINTER_POSITION && offset.HighPart == -1))
        offset = file->CurrentByteOffset;
    else if (offset.QuadPart < 0)
        status = STATUS_INVALID_PARAMETER; /* FILE_WRITE_TO_END_OF_FILE is for writes */
    if (NT_SUCCESS(status) && (file->Mode & FILE_NO_INTERMEDIATE_BUFFERING) &&
        ((offset.QuadPart % IO_SECTOR_SIZE) || (Length % IO_SECTOR_SIZE)))
        status = STATUS_INVALID_PARAMETER;
    BOOLEAN completed = FALSE; /* the file system took the request */
    ULONG read = 0;
    if (NT_SUCCESS(status)) {
        completed = TRUE;
        if (file->File.IsDirectory)
            status = STATUS_INVALID_DEVICE_REQUEST; /* a directory has no data to read */
        else if (Length == 0)
            status = STATUS_SUCCESS;
        else if ((ULONGLONG)offset.QuadPart >= file->File.Size)
            status = STATUS_END_OF_FILE;
        else
            status = read_to_caller(file, (ULONGLONG)offset.QuadPart, Buffer, Length, &read);
        if (status == STATUS_ACCESS_VIOLATION || status == STATUS_INSUFFICIENT_RESOURCES)
            completed = FALSE; /* the caller's buffer faulted part way, or no bounce buffer */
        else if (NT_SUCCESS(status))
            file->CurrentByteOffset.QuadPart = offset.QuadPart + read;
    }
    IopReleaseFileLock(file);

    if (completed) {
        if (!NT_SUCCESS(IopWriteIoStatus(IoStatusBlock, status, read)))
            status = STATUS_ACCESS_VIOLATION;
        if (event)
            KeSetEvent(event, 0, FALSE);
    }
    if (event)
        ObDereferenceObject(event);
    ObDereferenceObject(file);
    return status;
}

/* ---- information ---- */

typedef struct _IOP_INFO_RULE {
    ULONG Class;
    ULONG Length;       /* the least the caller's buffer must hold */
    ACCESS_MASK Access; /* what the handle must have been granted */
} IOP_INFO_RULE;

/* NT's IopQueryOperationLength / IopQueryOperationAccess, for the classes
 * this file system answers. */
static const IOP_INFO_RULE IopQueryRules[] = {
    {FileBasicInformation, sizeof(FILE_BASIC_INFORMATION), FILE_READ_ATTRIBUTES},
    {FileStandardInformation, sizeof(FILE_STANDARD_INFORMATION), 0},
    {FileInternalInformation, sizeof(FILE_INTERNAL_INFORMATION), 0},
    {FileEaInformation, sizeof(FILE_EA_INFORMATION), 0},
    {FileAccessInformation, sizeof(FILE_ACCESS_INFORMATION), 0},
    {FileNameInformation, sizeof(FILE_NAME_INFORMATION), 0},
    {FilePositionInformation, sizeof(FILE_POSITION_INFORMATION), 0},
    {FileModeInformation, sizeof(FILE_MODE_INFORMATION), 0},
    {FileAlignmentInformation, sizeof(FILE_ALIGNMENT_INFORMATION), 0},
    {FileAllInformation, sizeof(FILE_ALL_INFORMATION), FILE_READ_ATTRIBUTES},
};

/* IopSetOperationLength / IopSetOperationAccess. Only the position can be
 * set on a read-only volume; the rest are recognised so that they fail as
 * writes, not as unknown classes. */
static const IOP_INFO_RULE IopSetRules[] = {
    {FilePositionInformation, sizeof(FILE_POSITION_INFORMATION), 0},
    {FileBasicInformation, sizeof(FILE_BASIC_INFORMATION), FILE_WRITE_ATTRIBUTES},
    {FileRenameInformation, sizeof(FILE_RENAME_INFORMATION), DELETE},
    {FileLinkInformation, sizeof(FILE_LINK_INFORMATION), 0},
    {FileDispositionInformation, sizeof(FILE_DISPOSITION_INFORMATION), DELETE},
    {FileAllocationInformation, sizeof(FILE_ALLOCATION_INFORMATION), FILE_WRITE_DATA},
    {FileEndOfFileInformation, sizeof(FILE_END_OF_FILE_INFORMATION), FILE_WRITE_DATA},
};

static const IOP_INFO_RULE *find_rule(const IOP_INFO_RULE *Rules, ULONG Count, ULONG Class) {
    for (ULONG i = 0; i < Count; i++)
        if (Rules[i].Class == Class)
            return &Rules[i];
    return NULL;
}

/* Checks class, length and the caller's pointers, then references the
 * handle for the class's access (NT's order). */
static NTSTATUS begin_information(const IOP_INFO_RULE *Rules, ULONG RuleCount, HANDLE FileHandle,
                                  PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                  ULONG FileInformationClass, BOOLEAN ForWrite, PFILE_OBJECT *File,
                                  ACCESS_MASK *Granted) {
    const IOP_INFO_RULE *rule = find_rule(Rules, RuleCount, FileInformationClass);
    if (!rule)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < rule->Length)
        return STATUS_INFO_LENGTH_MISMATCH;
    KPROCESSOR_MODE mode = KeGetPreviousMode();
    NTSTATUS status = IopProbeForWrite(IoStatusBlock, sizeof *IoStatusBlock);
    if (!NT_SUCCESS(status))
        return status;
    if (!FileInformation || (mode == UserMode && !ExIsUserRange(FileInformation, Length)))
        return STATUS_ACCESS_VIOLATION;
    if (mode == UserMode && ((ULONG_PTR)FileInformation & (sizeof(ULONG) - 1)))
        return STATUS_DATATYPE_MISALIGNMENT;
    if (ForWrite)
        status = IopProbeForWrite(FileInformation, Length);
    if (!NT_SUCCESS(status))
        return status;
    return ObReferenceObjectByHandle(FileHandle, rule->Access, IoFileObjectType, mode, (PVOID *)File,
                                     Granted);
}

/* The widened FileName of File (no terminator) into Out; its length in bytes. */
static ULONG wide_name(PFILE_OBJECT File, PWCHAR Out) {
    ULONG n = 0;
    for (; File->FileName[n]; n++)
        Out[n] = (WCHAR)(UCHAR)File->FileName[n];
    return n * sizeof(WCHAR);
}

/* The answer for one query class. */
typedef union _IOP_QUERY_BUFFER {
    FILE_BASIC_INFORMATION Basic;
    FILE_STANDARD_INFORMATION Standard;
    FILE_INTERNAL_INFORMATION Internal;
    FILE_EA_INFORMATION Ea;
    FILE_ACCESS_INFORMATION Access;
    FILE_POSITION_INFORMATION Position;
    FILE_MODE_INFORMATION Mode;
    FILE_ALIGNMENT_INFORMATION Alignment;
    FILE_NAME_INFORMATION Name;
    FILE_ALL_INFORMATION All;
    UCHAR Bytes[sizeof(FILE_ALL_INFORMATION) + BFS_MAX_PATH * sizeof(WCHAR)];
} IOP_QUERY_BUFFER;

static void fill_basic(PFILE_OBJECT File, FILE_BASIC_INFORMATION *Basic) {
    /* The boot volume keeps no times: NT's "unknown" (zero) for all four. */
    Basic->FileAttributes = IopFileAttributes(File->File.IsDirectory);
}

static void fill_standard(PFILE_OBJECT File, FILE_STANDARD_INFORMATION *Standard) {
    BOOLEAN dir = File->File.IsDirectory;
    Standard->AllocationSize.QuadPart = IopAllocationSize(dir, File->File.Size);
    Standard->EndOfFile.QuadPart = dir ? 0 : (LONGLONG)File->File.Size;
    Standard->NumberOfLinks = 1;
    Standard->DeletePending = FALSE;
    Standard->Directory = dir;
}

/* Fills *Out for Class; *Need is the whole answer's size. The name, last in
 * the structure, may not fit the caller's Length: NT then returns as much as
 * fits with STATUS_BUFFER_OVERFLOW (FileNameLength still the full length). */
static NTSTATUS query_file(PFILE_OBJECT File, ACCESS_MASK Granted, ULONG Class, ULONG Length,
                           IOP_QUERY_BUFFER *Out, ULONG *Need) {
    memset(Out, 0, sizeof *Out);
    switch (Class) {
    case FileBasicInformation:
        fill_basic(File, &Out->Basic);
        *Need = sizeof Out->Basic;
        break;
    case FileStandardInformation:
        fill_standard(File, &Out->Standard);
        *Need = sizeof Out->Standard;
        break;
    case FileInternalInformation:
        Out->Internal.IndexNumber.QuadPart = (LONGLONG)File->File.DataOffset; /* unique per entry */
        *Need = sizeof Out->Internal;
        break;
    case FileEaInformation:
        *Need = sizeof Out->Ea; /* no EAs: EaSize 0 */
        break;
    case FileAccessInformation:
        Out->Access.AccessFlags = Granted;
        *Need = sizeof Out->Access;
        break;
    case FilePositionInformation:
        Out->Position.CurrentByteOffset = File->CurrentByteOffset;
        *Need = sizeof Out->Position;
        break;
    case FileModeInformation:
        Out->Mode.Mode = File->Mode;
        *Need = sizeof Out->Mode;
        break;
    case FileAlignmentInformation:
        Out->Alignment.AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        *Need = sizeof Out->Alignment;
        break;
    case FileNameInformation:
        Out->Name.FileNameLength = wide_name(File, Out->Name.FileName);
        *Need = offsetof(FILE_NAME_INFORMATION, FileName) + Out->Name.FileNameLength;
        break;
    default: { /* FileAllInformation */
        FILE_ALL_INFORMATION *all = &Out->All;
        fill_basic(File, &all->BasicInformation);
        fill_standard(File, &all->StandardInformation);
        all->InternalInformation.IndexNumber.QuadPart = (LONGLONG)File->File.DataOffset;
        all->AccessInformation.AccessFlags = Granted;
        all->PositionInformation.CurrentByteOffset = File->CurrentByteOffset;
        all->ModeInformation.Mode = File->Mode;
        all->AlignmentInformation.AlignmentRequirement = FILE_BYTE_ALIGNMENT;
        all->NameInformation.FileNameLength = wide_name(File, all->NameInformation.FileName);
        *Need =
            offsetof(FILE_ALL_INFORMATION, NameInformation.FileName) + all->NameInformation.FileNameLength;
        break;
    }
    }
    return *Need > Length ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
}

NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                      PVOID FileInformation, ULONG Length, ULONG FileInformationClass) {
    PFILE_OBJECT file;
    ACCESS_MASK granted = 0;
    NTSTATUS status = begin_information(IopQueryRules, ARRAYSIZE(IopQueryRules), FileHandle, IoStatusBlock,
                                        FileInformation, Length, FileInformationClass, TRUE, &file, &granted);
    if (!NT_SUCCESS(status))
        return status;
    if (KeGetPreviousMode() == KernelMode)
        granted = file->GrantedAccess; /* a kernel caller's handle is not checked, but it was granted this */
    IOP_QUERY_BUFFER *out = ExAllocatePoolWithTag(PagedPool, sizeof *out, TAG_IO_QUERY);
    if (!out) {
        ObDereferenceObject(file);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    ULONG need = 0;
    IopAcquireFileLock(file);
    status = query_file(file, granted, FileInformationClass, Length, out, &need);
    IopReleaseFileLock(file);
    /* A cut name ends on a whole WCHAR (the names start at even offsets). */
    ULONG copy = need <= Length ? need : (Length & ~(ULONG)(sizeof(WCHAR) - 1));
    NTSTATUS copied = ExCopyToCaller(FileInformation, out, copy);
    if (NT_SUCCESS(copied))
        copied = IopWriteIoStatus(IoStatusBlock, status, copy);
    if (!NT_SUCCESS(copied))
        status = STATUS_ACCESS_VIOLATION;
    ExFreePoolWithTag(out, TAG_IO_QUERY);
    ObDereferenceObject(file);
    return status;
}

NTSTATUS NTAPI NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                    ULONG Length, ULONG FileInformationClass) {
    PFILE_OBJECT file;
    NTSTATUS status = begin_information(IopSetRules, ARRAYSIZE(IopSetRules), FileHandle, IoStatusBlock,
                                        FileInformation, Length, FileInformationClass, FALSE, &file, NULL);
    if (!NT_SUCCESS(status))
        return status;
    if (FileInformationClass != FilePositionInformation) {
        /* Every other settable class writes. A user handle never holds the
         * write access most of them need, so user callers mostly stopped at
         * the access check above; kernel callers (unchecked) and
         * FileLinkInformation (no access needed) get here. */
        status = STATUS_MEDIA_WRITE_PROTECTED;
    } else {
        FILE_POSITION_INFORMATION position;
        status = ExCopyFromCaller(&position, FileInformation, sizeof position);
        if (!NT_SUCCESS(status)) {
            ObDereferenceObject(file);
            return status;
        }
        if (position.CurrentByteOffset.QuadPart < 0 ||
            ((file->Mode & FILE_NO_INTERMEDIATE_BUFFERING) &&
             (position.CurrentByteOffset.QuadPart % IO_SECTOR_SIZE))) {
            ObDereferenceObject(file); /* a bad parameter: the status block stays untouched */
            return STATUS_INVALID_PARAMETER;
        }
        IopAcquireFileLock(file);
        file->CurrentByteOffset = position.CurrentByteOffset; /* past the end is allowed, as on NT */
        IopReleaseFileLock(file);
    }
    if (!NT_SUCCESS(IopWriteIoStatus(IoStatusBlock, status, 0)))
        status = STATUS_ACCESS_VIOLATION;
    ObDereferenceObject(file);
    return status;
}
