/*
 * file.c - files and handles: CreateFile, ReadFile, WriteFile, the file
 * pointer and size, CloseHandle, DuplicateHandle, GetFileType.
 *
 * Why: Win32's file functions are NT's I/O services with Win32 names and
 * manners: CreateFile's dispositions and flags become NtCreateFile's
 * (OPEN_EXISTING is FILE_OPEN, and so on), every handle is opened for
 * synchronous I/O unless FILE_FLAG_OVERLAPPED asks otherwise, and the file
 * pointer is the I/O manager's current byte offset. Console handles (low two
 * bits set, console.c) are recognised first and never reach the kernel.
 *
 * What the kernel has today shapes the rest: \SystemRoot is a read-only
 * volume and there is no NtWriteFile, so a file can be opened, read,
 * measured and positioned but not written (WriteFile to a file answers
 * ERROR_ACCESS_DENIED, the Win32 answer for a handle without write access).
 */
#include "k32p.h"

#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5
#define FILE_FLAG_WRITE_THROUGH 0x80000000
#define FILE_FLAG_OVERLAPPED 0x40000000
#define FILE_FLAG_NO_BUFFERING 0x20000000
#define FILE_FLAG_RANDOM_ACCESS 0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000
#define FILE_FLAG_BACKUP_SEMANTICS 0x02000000
#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2
#define FILE_TYPE_UNKNOWN 0
#define FILE_TYPE_DISK 1
#define FILE_TYPE_CHAR 2
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002

typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    DWORD Offset;
    DWORD OffsetHigh;
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef struct _BY_HANDLE_FILE_INFORMATION {
    DWORD dwFileAttributes;
    FILETIME ftCreationTime;
    FILETIME ftLastAccessTime;
    FILETIME ftLastWriteTime;
    DWORD dwVolumeSerialNumber;
    DWORD nFileSizeHigh;
    DWORD nFileSizeLow;
    DWORD nNumberOfLinks;
    DWORD nFileIndexHigh;
    DWORD nFileIndexLow;
} BY_HANDLE_FILE_INFORMATION, *LPBY_HANDLE_FILE_INFORMATION;

/* The volume serial number GetFileInformationByHandle reports for the
 * boot volume (it has none of its own). */
#define BASEP_BOOT_VOLUME_SERIAL 0x19950530u

static BOOLEAN same_name(LPCWSTR A, PCWSTR B) {
    for (; *A != 0 && *B != 0; A++, B++)
        if (RtlUpcaseUnicodeChar(*A) != RtlUpcaseUnicodeChar(*B))
            return FALSE;
    return *A == *B;
}

HANDLE WINAPI CreateFileW(LPCWSTR FileName, DWORD DesiredAccess, DWORD ShareMode,
                          LPSECURITY_ATTRIBUTES SecurityAttributes, DWORD CreationDisposition,
                          DWORD FlagsAndAttributes, HANDLE TemplateFile) {
    (void)TemplateFile;
    if (FileName == NULL || FileName[0] == 0) {
        SetLastError(ERROR_PATH_NOT_FOUND);
        return INVALID_HANDLE_VALUE;
    }
    if (same_name(FileName, L"CONIN$"))
        return BASEP_CONSOLE_INPUT;
    if (same_name(FileName, L"CONOUT$"))
        return BASEP_CONSOLE_OUTPUT;

    ULONG disposition;
    switch (CreationDisposition) {
    case CREATE_NEW: disposition = FILE_CREATE; break;
    case CREATE_ALWAYS: disposition = FILE_OVERWRITE_IF; break;
    case OPEN_EXISTING: disposition = FILE_OPEN; break;
    case OPEN_ALWAYS: disposition = FILE_OPEN_IF; break;
    case TRUNCATE_EXISTING: disposition = FILE_OVERWRITE; break;
    default: SetLastError(ERROR_INVALID_PARAMETER); return INVALID_HANDLE_VALUE;
    }
    ULONG options = 0;
    if (!(FlagsAndAttributes & FILE_FLAG_OVERLAPPED))
        options |= FILE_SYNCHRONOUS_IO_NONALERT;
    if (!(FlagsAndAttributes & FILE_FLAG_BACKUP_SEMANTICS))
        options |= FILE_NON_DIRECTORY_FILE;
    if (FlagsAndAttributes & FILE_FLAG_WRITE_THROUGH)
        options |= FILE_WRITE_THROUGH;
    if (FlagsAndAttributes & FILE_FLAG_NO_BUFFERING)
        options |= FILE_NO_INTERMEDIATE_BUFFERING;
    if (FlagsAndAttributes & FILE_FLAG_RANDOM_ACCESS)
        options |= FILE_RANDOM_ACCESS;
    if (FlagsAndAttributes & FILE_FLAG_SEQUENTIAL_SCAN)
        options |= FILE_SEQUENTIAL_ONLY;
    if (FlagsAndAttributes & FILE_FLAG_DELETE_ON_CLOSE) {
        options |= FILE_DELETE_ON_CLOSE;
        DesiredAccess |= DELETE;
    }

    UNICODE_STRING nt;
    if (!BasepDosToNtName(FileName, &nt))
        return INVALID_HANDLE_VALUE;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h = NULL;
    InitializeObjectAttributes(
        &oa, &nt,
        OBJ_CASE_INSENSITIVE | ((SecurityAttributes && SecurityAttributes->bInheritHandle) ? OBJ_INHERIT : 0),
        NULL, SecurityAttributes ? SecurityAttributes->lpSecurityDescriptor : NULL);
    NTSTATUS status = NtCreateFile(&h, DesiredAccess | SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb, NULL,
                                   FlagsAndAttributes & FILE_ATTRIBUTE_VALID_FLAGS, ShareMode, disposition,
                                   options, NULL, 0);
    RtlFreeHeap(BaseHeap, 0, nt.Buffer);
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_OBJECT_NAME_COLLISION && CreationDisposition == CREATE_NEW)
            SetLastError(ERROR_FILE_EXISTS);
        else
            BaseSetLastNTError(status);
        return INVALID_HANDLE_VALUE;
    }
    if ((CreationDisposition == CREATE_ALWAYS && iosb.Information == FILE_OVERWRITTEN) ||
        (CreationDisposition == OPEN_ALWAYS && iosb.Information == FILE_OPENED))
        SetLastError(ERROR_ALREADY_EXISTS);
    else
        SetLastError(ERROR_SUCCESS);
    return h;
}

HANDLE WINAPI CreateFileA(LPCSTR FileName, DWORD DesiredAccess, DWORD ShareMode,
                          LPSECURITY_ATTRIBUTES SecurityAttributes, DWORD CreationDisposition,
                          DWORD FlagsAndAttributes, HANDLE TemplateFile) {
    WCHAR wide[MAX_PATH + 1];
    if (FileName == NULL || !BasepAnsiToWide(FileName, wide, ARRAYSIZE(wide))) {
        SetLastError(FileName == NULL ? ERROR_PATH_NOT_FOUND : ERROR_FILENAME_EXCED_RANGE);
        return INVALID_HANDLE_VALUE;
    }
    return CreateFileW(wide, DesiredAccess, ShareMode, SecurityAttributes, CreationDisposition,
                       FlagsAndAttributes, TemplateFile);
}

BOOL WINAPI ReadFile(HANDLE File, LPVOID Buffer, DWORD Bytes, LPDWORD BytesRead, LPOVERLAPPED Overlapped) {
    if (BytesRead != NULL)
        *BytesRead = 0;
    if (BasepIsConsoleHandle(File)) {
        if (File != BASEP_CONSOLE_INPUT) {
            SetLastError(ERROR_INVALID_HANDLE);
            return FALSE;
        }
        return TRUE; /* no console input yet: end of file */
    }
    IO_STATUS_BLOCK iosb;
    LARGE_INTEGER offset, *at = NULL;
    HANDLE event = NULL;
    if (Overlapped != NULL) {
        offset.LowPart = Overlapped->Offset;
        offset.HighPart = (LONG)Overlapped->OffsetHigh;
        at = &offset;
        event = Overlapped->hEvent;
    }
    iosb.Status = STATUS_PENDING;
    iosb.Information = 0;
    NTSTATUS status = NtReadFile(File, event, NULL, NULL, &iosb, Buffer, Bytes, at, NULL);
    if (status == STATUS_PENDING) {
        (void)NtWaitForSingleObject(event != NULL ? event : File, FALSE, NULL);
        status = iosb.Status;
    }
    if (Overlapped != NULL) {
        Overlapped->Internal = (ULONG_PTR)status;
        Overlapped->InternalHigh = iosb.Information;
    }
    if (status == STATUS_END_OF_FILE)
        return TRUE; /* 0 bytes: the end */
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    if (BytesRead != NULL)
        *BytesRead = (DWORD)iosb.Information;
    return TRUE;
}

/* Is File a handle to a file (not another kind of object)? */
static NTSTATUS query_standard(HANDLE File, PFILE_STANDARD_INFORMATION Info) {
    IO_STATUS_BLOCK iosb;
    return NtQueryInformationFile(File, &iosb, Info, sizeof *Info, FileStandardInformation);
}

BOOL WINAPI WriteFile(HANDLE File, LPCVOID Buffer, DWORD Bytes, LPDWORD Written, LPOVERLAPPED Overlapped) {
    (void)Overlapped;
    if (Written != NULL)
        *Written = 0;
    if (BasepIsConsoleHandle(File))
        return BasepConsoleWrite(File, Buffer, Bytes, Written);
    FILE_STANDARD_INFORMATION info;
    NTSTATUS status = query_standard(File, &info);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status == STATUS_OBJECT_TYPE_MISMATCH ? STATUS_INVALID_HANDLE : status);
        return FALSE;
    }
    SetLastError(ERROR_ACCESS_DENIED); /* no writable volume and no NtWriteFile yet */
    return FALSE;
}

BOOL WINAPI GetFileSizeEx(HANDLE File, PLARGE_INTEGER Size) {
    FILE_STANDARD_INFORMATION info;
    if (BasepIsConsoleHandle(File)) {
        SetLastError(ERROR_INVALID_FUNCTION);
        return FALSE;
    }
    NTSTATUS status = query_standard(File, &info);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    *Size = info.EndOfFile;
    return TRUE;
}

DWORD WINAPI GetFileSize(HANDLE File, LPDWORD FileSizeHigh) {
    LARGE_INTEGER size;
    if (!GetFileSizeEx(File, &size))
        return INVALID_FILE_SIZE;
    if (FileSizeHigh != NULL)
        *FileSizeHigh = (DWORD)size.HighPart;
    else if (size.HighPart != 0) {
        SetLastError(ERROR_ARITHMETIC_OVERFLOW);
        return INVALID_FILE_SIZE;
    }
    if (size.LowPart == INVALID_FILE_SIZE)
        SetLastError(ERROR_SUCCESS); /* so a caller can tell 4 GiB - 1 from failure */
    return size.LowPart;
}

BOOL WINAPI SetFilePointerEx(HANDLE File, LARGE_INTEGER Distance, PLARGE_INTEGER NewPosition,
                             DWORD MoveMethod) {
    IO_STATUS_BLOCK iosb;
    FILE_POSITION_INFORMATION position;
    LONGLONG from;
    NTSTATUS status = STATUS_SUCCESS;
    if (BasepIsConsoleHandle(File)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    switch (MoveMethod) {
    case FILE_BEGIN: from = 0; break;
    case FILE_CURRENT:
        status = NtQueryInformationFile(File, &iosb, &position, sizeof position, FilePositionInformation);
        from = position.CurrentByteOffset.QuadPart;
        break;
    case FILE_END: {
        FILE_STANDARD_INFORMATION info;
        status = query_standard(File, &info);
        from = info.EndOfFile.QuadPart;
        break;
    }
    default: SetLastError(ERROR_INVALID_PARAMETER); return FALSE;
    }
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    LONGLONG target = from + Distance.QuadPart;
    if (target < 0) {
        SetLastError(ERROR_NEGATIVE_SEEK);
        return FALSE;
    }
    position.CurrentByteOffset.QuadPart = target;
    status = NtSetInformationFile(File, &iosb, &position, sizeof position, FilePositionInformation);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    if (NewPosition != NULL)
        NewPosition->QuadPart = target;
    return TRUE;
}

DWORD WINAPI SetFilePointer(HANDLE File, LONG DistanceToMove, PLONG DistanceToMoveHigh, DWORD MoveMethod) {
    LARGE_INTEGER distance, result;
    if (DistanceToMoveHigh != NULL) {
        distance.LowPart = (ULONG)DistanceToMove;
        distance.HighPart = *DistanceToMoveHigh;
    } else {
        distance.QuadPart = DistanceToMove;
    }
    if (!SetFilePointerEx(File, distance, &result, MoveMethod))
        return INVALID_SET_FILE_POINTER;
    if (DistanceToMoveHigh != NULL)
        *DistanceToMoveHigh = result.HighPart;
    else if (result.HighPart != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return INVALID_SET_FILE_POINTER;
    }
    if (result.LowPart == INVALID_SET_FILE_POINTER)
        SetLastError(ERROR_SUCCESS);
    return result.LowPart;
}

/* The volume is read-only: there is no end to move. */
BOOL WINAPI SetEndOfFile(HANDLE File) {
    FILE_STANDARD_INFORMATION info;
    NTSTATUS status = BasepIsConsoleHandle(File) ? STATUS_INVALID_HANDLE : query_standard(File, &info);
    BaseSetLastNTError(NT_SUCCESS(status) ? STATUS_MEDIA_WRITE_PROTECTED : status);
    return FALSE;
}

BOOL WINAPI FlushFileBuffers(HANDLE File) {
    if (BasepIsConsoleHandle(File))
        return TRUE;
    FILE_STANDARD_INFORMATION info;
    NTSTATUS status = query_standard(File, &info);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE; /* nothing is ever written, so nothing waits */
}

DWORD WINAPI GetFileType(HANDLE File) {
    if (BasepIsConsoleHandle(File))
        return FILE_TYPE_CHAR;
    FILE_STANDARD_INFORMATION info;
    NTSTATUS status = query_standard(File, &info);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status == STATUS_OBJECT_TYPE_MISMATCH ? STATUS_INVALID_HANDLE : status);
        return FILE_TYPE_UNKNOWN;
    }
    return FILE_TYPE_DISK;
}

BOOL WINAPI GetFileInformationByHandle(HANDLE File, LPBY_HANDLE_FILE_INFORMATION Info) {
    IO_STATUS_BLOCK iosb;
    FILE_BASIC_INFORMATION basic;
    FILE_STANDARD_INFORMATION standard;
    FILE_INTERNAL_INFORMATION internal;
    NTSTATUS status = NtQueryInformationFile(File, &iosb, &basic, sizeof basic, FileBasicInformation);
    if (NT_SUCCESS(status))
        status = query_standard(File, &standard);
    if (NT_SUCCESS(status))
        status = NtQueryInformationFile(File, &iosb, &internal, sizeof internal, FileInternalInformation);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    Info->dwFileAttributes = basic.FileAttributes;
    Info->ftCreationTime.dwLowDateTime = basic.CreationTime.LowPart;
    Info->ftCreationTime.dwHighDateTime = (DWORD)basic.CreationTime.HighPart;
    Info->ftLastAccessTime.dwLowDateTime = basic.LastAccessTime.LowPart;
    Info->ftLastAccessTime.dwHighDateTime = (DWORD)basic.LastAccessTime.HighPart;
    Info->ftLastWriteTime.dwLowDateTime = basic.LastWriteTime.LowPart;
    Info->ftLastWriteTime.dwHighDateTime = (DWORD)basic.LastWriteTime.HighPart;
    Info->dwVolumeSerialNumber = BASEP_BOOT_VOLUME_SERIAL;
    Info->nFileSizeHigh = (DWORD)standard.EndOfFile.HighPart;
    Info->nFileSizeLow = standard.EndOfFile.LowPart;
    Info->nNumberOfLinks = standard.NumberOfLinks;
    Info->nFileIndexHigh = (DWORD)internal.IndexNumber.HighPart;
    Info->nFileIndexLow = internal.IndexNumber.LowPart;
    return TRUE;
}

DWORD WINAPI GetFileAttributesW(LPCWSTR FileName) {
    UNICODE_STRING nt;
    if (FileName == NULL || !BasepDosToNtName(FileName, &nt))
        return INVALID_FILE_ATTRIBUTES;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    FILE_BASIC_INFORMATION basic;
    InitializeObjectAttributes(&oa, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status =
        NtOpenFile(&h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb,
                   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeHeap(BaseHeap, 0, nt.Buffer);
    if (NT_SUCCESS(status)) {
        status = NtQueryInformationFile(h, &iosb, &basic, sizeof basic, FileBasicInformation);
        (void)NtClose(h);
    }
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return INVALID_FILE_ATTRIBUTES;
    }
    return basic.FileAttributes;
}

DWORD WINAPI GetFileAttributesA(LPCSTR FileName) {
    WCHAR wide[MAX_PATH + 1];
    if (FileName == NULL || !BasepAnsiToWide(FileName, wide, ARRAYSIZE(wide))) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return INVALID_FILE_ATTRIBUTES;
    }
    return GetFileAttributesW(wide);
}

BOOL WINAPI CloseHandle(HANDLE Object) {
    if (BasepIsConsoleHandle(Object))
        return TRUE;
    NTSTATUS status = NtClose(Object);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

/* Console pseudo-handles duplicate to themselves. The kernel does not know
 * the thread pseudo-handle, so a duplicate of GetCurrentThread() is made by
 * opening the calling thread by its client id. */
BOOL WINAPI DuplicateHandle(HANDLE SourceProcess, HANDLE Source, HANDLE TargetProcess, LPHANDLE Target,
                            DWORD DesiredAccess, BOOL InheritHandle, DWORD Options) {
    if (BasepIsConsoleHandle(Source)) {
        if (Target != NULL)
            *Target = Source;
        return TRUE;
    }
    NTSTATUS status;
    if (Source == NtCurrentThread() && SourceProcess == NtCurrentProcess() &&
        TargetProcess == NtCurrentProcess()) {
        OBJECT_ATTRIBUTES oa;
        CLIENT_ID cid = NtCurrentTeb()->ClientId;
        InitializeObjectAttributes(&oa, NULL, InheritHandle ? OBJ_INHERIT : 0, NULL, NULL);
        status = NtOpenThread(Target, (Options & DUPLICATE_SAME_ACCESS) ? THREAD_ALL_ACCESS : DesiredAccess,
                              &oa, &cid);
    } else {
        status = NtDuplicateObject(SourceProcess, Source, TargetProcess, Target, DesiredAccess,
                                   InheritHandle ? OBJ_INHERIT : 0, Options);
    }
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

/* ---- volumes: the boot volume has no label, serial or free space to tell ---- */

BOOL WINAPI GetVolumeInformationW(LPCWSTR RootPathName, LPWSTR VolumeNameBuffer, DWORD VolumeNameSize,
                                  LPDWORD VolumeSerialNumber, LPDWORD MaximumComponentLength,
                                  LPDWORD FileSystemFlags, LPWSTR FileSystemNameBuffer,
                                  DWORD FileSystemNameSize) {
    static const WCHAR fs[] = L"USTAR";
    (void)RootPathName;
    if (VolumeNameBuffer != NULL && VolumeNameSize > 0)
        VolumeNameBuffer[0] = 0;
    if (VolumeSerialNumber != NULL)
        *VolumeSerialNumber = BASEP_BOOT_VOLUME_SERIAL;
    if (MaximumComponentLength != NULL)
        *MaximumComponentLength = 100; /* a USTAR name field */
    if (FileSystemFlags != NULL)
        *FileSystemFlags = 0x00080000; /* FILE_READ_ONLY_VOLUME */
    if (FileSystemNameBuffer != NULL) {
        if (FileSystemNameSize < ARRAYSIZE(fs)) {
            SetLastError(ERROR_MORE_DATA);
            return FALSE;
        }
        for (ULONG i = 0; i < ARRAYSIZE(fs); i++)
            FileSystemNameBuffer[i] = fs[i];
    }
    return TRUE;
}

BOOL WINAPI GetDiskFreeSpaceExW(LPCWSTR DirectoryName, PULARGE_INTEGER FreeToCaller, PULARGE_INTEGER Total,
                                PULARGE_INTEGER Free) {
    (void)DirectoryName;
    if (FreeToCaller != NULL)
        FreeToCaller->QuadPart = 0;
    if (Total != NULL)
        Total->QuadPart = 0;
    if (Free != NULL)
        Free->QuadPart = 0;
    return TRUE;
}

HANDLE WINAPI FindFirstVolumeW(LPWSTR VolumeName, DWORD Length) {
    (void)VolumeName;
    (void)Length;
    SetLastError(ERROR_NO_MORE_FILES);
    return INVALID_HANDLE_VALUE;
}

BOOL WINAPI FindNextVolumeW(HANDLE FindVolume, LPWSTR VolumeName, DWORD Length) {
    (void)FindVolume;
    (void)VolumeName;
    (void)Length;
    SetLastError(ERROR_NO_MORE_FILES);
    return FALSE;
}

BOOL WINAPI FindVolumeClose(HANDLE FindVolume) {
    (void)FindVolume;
    return TRUE;
}
