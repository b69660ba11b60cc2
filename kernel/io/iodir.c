/*
 * iodir.c - NtQueryDirectoryFile: listing a directory of the boot volume.
 *
 * Why: FindFirstFile/FindNextFile, "dir" and every loader that searches a
 * folder come down to this service. It follows NT's file systems (FastFAT's
 * rules, which the I/O manager's contract describes):
 * - The first query on a handle fixes the search pattern (FileName: "*",
 *   "?", exact names, case-insensitive; NULL, empty, "*" and the DOS
 *   classic "*.*" match everything). A later query replaces it only together
 *   with RestartScan; otherwise FileName is ignored.
 * - Entries are packed from the start of the buffer, each on an 8-byte
 *   boundary, chained by NextEntryOffset (0 on the last); FileName is UTF-16
 *   without a terminator.
 * - A buffer smaller than the class's fixed structure is refused up front
 *   (STATUS_INFO_LENGTH_MISMATCH). If the first entry's name does not fit,
 *   as much of it as fits is returned with STATUS_BUFFER_OVERFLOW and the
 *   entry is returned again by the next query; a later entry that does not
 *   fit is left for the next query (STATUS_SUCCESS).
 * - Past the last entry: STATUS_NO_MORE_FILES, except that the very first
 *   query on a handle that matches nothing says STATUS_NO_SUCH_FILE.
 * The volume has no "." and ".." entries (like a FAT root) and no 8.3
 * aliases (ShortNameLength 0).
 */
#include "../include/ex.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include "../include/rtl.h"
#include "iop.h"
#include <nt/ntapi.h>
#include <nt/ntio.h>
#include <nt/rtlstring.h>

#define EVENT_MODIFY_STATE 0x0002
#define IO_QUERY_BUFFER_MAX 0x4000 /* entries beyond 16 KiB wait for the next query */

/* The fixed part of each class's entry, before FileName. */
static ULONG base_length(ULONG Class) {
    switch (Class) {
    case FileDirectoryInformation: return offsetof(FILE_DIRECTORY_INFORMATION, FileName);
    case FileFullDirectoryInformation: return offsetof(FILE_FULL_DIR_INFORMATION, FileName);
    case FileBothDirectoryInformation: return offsetof(FILE_BOTH_DIR_INFORMATION, FileName);
    case FileNamesInformation: return offsetof(FILE_NAMES_INFORMATION, FileName);
    default: return 0;
    }
}

/* NT's IopQueryDirOperationLength: the whole structure must fit. */
static ULONG minimum_length(ULONG Class) {
    switch (Class) {
    case FileDirectoryInformation: return sizeof(FILE_DIRECTORY_INFORMATION);
    case FileFullDirectoryInformation: return sizeof(FILE_FULL_DIR_INFORMATION);
    case FileBothDirectoryInformation: return sizeof(FILE_BOTH_DIR_INFORMATION);
    case FileNamesInformation: return sizeof(FILE_NAMES_INFORMATION);
    default: return 0;
    }
}

/* '*' matches any run of characters, '?' exactly one; both strings are
 * upcased. Backtracks to the last '*' only, which is enough for these two
 * wildcards. */
static BOOLEAN match_pattern(const WCHAR *Pattern, ULONG PatternCount, const WCHAR *Name, ULONG NameCount) {
    ULONG p = 0, n = 0, star = 0, mark = 0;
    BOOLEAN haveStar = FALSE;
    while (n < NameCount) {
        if (p < PatternCount && (Pattern[p] == L'?' || Pattern[p] == Name[n])) {
            p++;
            n++;
        } else if (p < PatternCount && Pattern[p] == L'*') {
            haveStar = TRUE;
            star = p++;
            mark = n;
        } else if (haveStar) {
            p = star + 1;
            n = ++mark;
        } else {
            return FALSE;
        }
    }
    while (p < PatternCount && Pattern[p] == L'*')
        p++;
    return p == PatternCount;
}

/* Fixes File's search pattern from the caller's (captured) FileName. */
static NTSTATUS set_pattern(PFILE_OBJECT File, PCUNICODE_STRING Name) {
    if (File->SearchPattern)
        ExFreePoolWithTag(File->SearchPattern, TAG_IO_PATTERN);
    File->SearchPattern = NULL;
    File->SearchPatternLength = 0;
    ULONG count = Name->Length / sizeof(WCHAR);
    const WCHAR *w = Name->Buffer;
    if (count == 0 || (count == 1 && w[0] == L'*') ||
        (count == 3 && w[0] == L'*' && w[1] == L'.' && w[2] == L'*'))
        return STATUS_SUCCESS; /* everything */
    PWCHAR copy = ExAllocatePoolWithTag(PagedPool, Name->Length, TAG_IO_PATTERN);
    if (!copy)
        return STATUS_INSUFFICIENT_RESOURCES;
    for (ULONG i = 0; i < count; i++)
        copy[i] = RtlUpcaseUnicodeChar(w[i]);
    File->SearchPattern = copy;
    File->SearchPatternLength = Name->Length;
    return STATUS_SUCCESS;
}

/* Writes one entry of Class for Entry at Out (BaseLength bytes zeroed by the
 * caller, then Room bytes for the name); returns the name bytes written. */
static ULONG fill_entry(ULONG Class, PUCHAR Out, ULONG Index, const BFS_DIRENT *Entry, const WCHAR *Name,
                        ULONG NameBytes, ULONG Room) {
    ULONG copy = NameBytes <= Room ? NameBytes : (Room & ~(ULONG)(sizeof(WCHAR) - 1));
    if (Class == FileNamesInformation) {
        FILE_NAMES_INFORMATION *n = (FILE_NAMES_INFORMATION *)Out;
        n->FileIndex = Index;
        n->FileNameLength = NameBytes;
        memcpy(n->FileName, Name, copy);
        return copy;
    }
    /* The three directory classes share their leading fields. */
    FILE_DIRECTORY_INFORMATION *d = (FILE_DIRECTORY_INFORMATION *)Out;
    d->FileIndex = Index;
    d->EndOfFile.QuadPart = Entry->IsDirectory ? 0 : (LONGLONG)Entry->Size;
    d->AllocationSize.QuadPart = IopAllocationSize(Entry->IsDirectory, Entry->Size);
    d->FileAttributes = IopFileAttributes(Entry->IsDirectory);
    d->FileNameLength = NameBytes; /* times stay zero: the volume keeps none; EaSize 0, no short name */
    memcpy(Out + base_length(Class), Name, copy);
    return copy;
}

/* Fills Out (Length bytes) from File's enumeration position; *Used is the
 * bytes written. File's lock is held. */
static NTSTATUS fill_directory(PFILE_OBJECT File, ULONG Class, PUCHAR Out, ULONG Length,
                               BOOLEAN ReturnSingleEntry, BOOLEAN InitialQuery, ULONG *Used) {
    static const ULONG nameCap = BFS_MAX_PATH;
    ULONG base = base_length(Class), next = 0, last = 0, found = 0;
    ULONG index = File->DirectoryIndex;
    NTSTATUS status = STATUS_SUCCESS;
    WCHAR *name =
        ExAllocatePoolWithTag(PagedPool, nameCap * sizeof(WCHAR) * 2 + sizeof(BFS_DIRENT), TAG_IO_QUERY);
    if (!name)
        return STATUS_INSUFFICIENT_RESOURCES;
    WCHAR *upper = name + nameCap;
    BFS_DIRENT *entry = (BFS_DIRENT *)(upper + nameCap);
    *Used = 0;
    for (;;) {
        if (ReturnSingleEntry && found)
            break;
        status = BfsQueryDirectory(File->DeviceObject->Volume, File->FileName, index, entry);
        if (status == STATUS_NO_MORE_FILES) {
            status = found ? STATUS_SUCCESS : (InitialQuery ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES);
            break;
        }
        if (!NT_SUCCESS(status))
            break;
        ULONG count = 0;
        for (; count < nameCap && entry->Name[count]; count++) {
            name[count] = (WCHAR)(UCHAR)entry->Name[count];
            upper[count] = RtlUpcaseUnicodeChar(name[count]);
        }
        if (File->SearchPattern &&
            !match_pattern(File->SearchPattern, File->SearchPatternLength / sizeof(WCHAR), upper, count)) {
            index++;
            continue;
        }
        ULONG bytes = count * sizeof(WCHAR);
        if (found && (next > Length || base + bytes > Length - next))
            break; /* a later entry that does not fit waits for the next query */
        memset(Out + next, 0, base);
        ULONG copied = fill_entry(Class, Out + next, index, entry, name, bytes, Length - next - base);
        if (found)
            *(PULONG)(Out + last) = next - last; /* the previous entry's NextEntryOffset */
        *Used = next + base + copied;
        if (copied < bytes) {
            status = STATUS_BUFFER_OVERFLOW; /* only the first entry gets here; it is not consumed */
            break;
        }
        found++;
        index++;
        last = next;
        next = ALIGN_UP(*Used, 8);
    }
    File->DirectoryIndex = index;
    ExFreePoolWithTag(name, TAG_IO_QUERY);
    return status;
}

NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                    ULONG FileInformationClass, BOOLEAN ReturnSingleEntry,
                                    PUNICODE_STRING FileName, BOOLEAN RestartScan) {
    (void)ApcContext;
    KPROCESSOR_MODE mode = KeGetPreviousMode();
    if (ApcRoutine)
        return STATUS_NOT_IMPLEMENTED; /* no user APCs yet */
    NTSTATUS status = IopProbeForWrite(IoStatusBlock, sizeof *IoStatusBlock);
    if (!NT_SUCCESS(status))
        return status;
    if (!FileInformation || (mode == UserMode && !ExIsUserRange(FileInformation, Length)))
        return STATUS_ACCESS_VIOLATION;
    if (mode == UserMode && ((ULONG_PTR)FileInformation & (sizeof(ULONG) - 1)))
        return STATUS_DATATYPE_MISALIGNMENT;
    ULONG minimum = minimum_length(FileInformationClass);
    if (!minimum)
        return STATUS_INVALID_INFO_CLASS;
    if (Length < minimum)
        return STATUS_INFO_LENGTH_MISMATCH;
    UNICODE_STRING pattern = {0, 0, NULL};
    if (FileName) {
        status = ExCaptureUnicodeString(FileName, &pattern);
        if (!NT_SUCCESS(status))
            return status;
        if (pattern.Length > IO_MAXIMUM_FILENAME_LENGTH * sizeof(WCHAR)) {
            ExReleaseCapturedUnicodeString(&pattern);
            return STATUS_INVALID_PARAMETER;
        }
    }

    PFILE_OBJECT file = NULL;
    PKEVENT event = NULL;
    status = ObReferenceObjectByHandle(FileHandle, FILE_LIST_DIRECTORY, IoFileObjectType, mode,
                                       (PVOID *)&file, NULL);
    if (NT_SUCCESS(status) && Event) {
        status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, mode,
                                           (PVOID *)&event, NULL);
        if (NT_SUCCESS(status))
            KeResetEvent(event);
    }
    if (NT_SUCCESS(status) && !file->File.IsDirectory)
        status = STATUS_INVALID_PARAMETER; /* NT's file systems: only a directory can be listed */
    ULONG cap = Length < IO_QUERY_BUFFER_MAX ? Length : IO_QUERY_BUFFER_MAX;
    PUCHAR out = NULL;
    if (NT_SUCCESS(status)) {
        out = ExAllocatePoolWithTag(PagedPool, cap, TAG_IO_QUERY);
        if (!out)
            status = STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!NT_SUCCESS(status)) {
        ExReleaseCapturedUnicodeString(&pattern);
        if (event)
            ObDereferenceObject(event);
        if (file)
            ObDereferenceObject(file);
        return status;
    }

    ULONG used = 0;
    IopAcquireFileLock(file);
    BOOLEAN initial = !file->QueryStarted;
    ULONG resume = RestartScan ? 0 : file->DirectoryIndex;
    if (initial || (RestartScan && pattern.Length))
        status = set_pattern(file, &pattern);
    if (NT_SUCCESS(status)) {
        file->QueryStarted = TRUE;
        file->DirectoryIndex = resume;
        status = fill_directory(file, FileInformationClass, out, cap, ReturnSingleEntry, initial, &used);
    }
    BOOLEAN answered = status != STATUS_INSUFFICIENT_RESOURCES; /* the file system answered */
    if (answered) {
        NTSTATUS copied = ExCopyToCaller(FileInformation, out, used);
        if (NT_SUCCESS(copied))
            copied = IopWriteIoStatus(IoStatusBlock, status, used);
        if (!NT_SUCCESS(copied)) {
            file->DirectoryIndex = resume; /* nothing was delivered: nothing is consumed */
            status = STATUS_ACCESS_VIOLATION;
            answered = FALSE;
        }
    }
    IopReleaseFileLock(file);
    ExReleaseCapturedUnicodeString(&pattern);
    if (answered && event)
        KeSetEvent(event, 0, FALSE);
    ExFreePoolWithTag(out, TAG_IO_QUERY);
    if (event)
        ObDereferenceObject(event);
    ObDereferenceObject(file);
    return status;
}
