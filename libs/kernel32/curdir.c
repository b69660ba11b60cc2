/*
 * curdir.c - the current directory, and Win32 names made into NT names.
 *
 * Why: every relative Win32 path is completed from the process's current
 * directory, which NT keeps in the process parameters
 * (ProcessParameters->CurrentDirectory) so a child inherits it. kernel32
 * keeps its own copy, always a full "X:\...\" path with a trailing
 * backslash, from which path.c builds NT names; SetCurrentDirectory checks
 * that the directory exists (a directory open must succeed) before taking
 * it, and writes it back into the parameters when it fits their buffer.
 * A process whose creator gave no usable directory starts in the Windows
 * directory (C:\).
 */
#include "k32p.h"

static WCHAR BasepCurDir[MAX_PATH + 1] = L"C:\\";

PCWSTR BasepCurrentDirectory(VOID) {
    return BasepCurDir;
}

BOOL BasepDosToNtName(PCWSTR DosPath, PUNICODE_STRING NtName) {
    ULONG capacity = 32768;
    PWSTR buffer = NULL;
    NTSTATUS status = STATUS_OBJECT_NAME_INVALID;
    ULONG length = 0;
    if (DosPath != NULL) {
        while (DosPath[length] != 0)
            length++;
        capacity = length + MAX_PATH + 8;
        if (capacity > 32768)
            capacity = 32768;
        buffer = RtlAllocateHeap(BaseHeap, 0, capacity * sizeof(WCHAR));
        if (buffer == NULL)
            status = STATUS_NO_MEMORY;
        else {
            RtlEnterCriticalSection(&BaseDllLock);
            status = BasepDosPathToNtPath(DosPath, BasepCurDir, buffer, capacity, NULL);
            RtlLeaveCriticalSection(&BaseDllLock);
        }
    }
    if (NT_SUCCESS(status)) {
        ULONG n = 0;
        while (buffer[n] != 0)
            n++;
        if (n * sizeof(WCHAR) > RTL_MAXIMUM_UNICODE_STRING_LENGTH)
            status = STATUS_NAME_TOO_LONG;
        else {
            NtName->Buffer = buffer;
            NtName->Length = (USHORT)(n * sizeof(WCHAR));
            NtName->MaximumLength =
                (USHORT)(capacity * sizeof(WCHAR) > 0xFFFE ? 0xFFFE : capacity * sizeof(WCHAR));
            return TRUE;
        }
    }
    if (buffer != NULL)
        RtlFreeHeap(BaseHeap, 0, buffer);
    BaseSetLastNTError(status);
    return FALSE;
}

/* Stores Path (a full drive path) as the current directory, with one
 * trailing backslash. */
static VOID store(PCWSTR Path, ULONG Length) {
    ULONG n = 0;
    for (; n < Length && n + 2 < ARRAYSIZE(BasepCurDir); n++)
        BasepCurDir[n] = Path[n];
    if (n == 0 || BasepCurDir[n - 1] != u'\\')
        BasepCurDir[n++] = u'\\';
    BasepCurDir[n] = 0;
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp != NULL && pp->CurrentDirectory.DosPath.Buffer != NULL &&
        pp->CurrentDirectory.DosPath.MaximumLength >= (n + 1) * sizeof(WCHAR)) {
        for (ULONG i = 0; i <= n; i++)
            pp->CurrentDirectory.DosPath.Buffer[i] = BasepCurDir[i];
        pp->CurrentDirectory.DosPath.Length = (USHORT)(n * sizeof(WCHAR));
    }
}

VOID BasepInitializeCurrentDirectory(VOID) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    if (pp == NULL || pp->CurrentDirectory.DosPath.Buffer == NULL)
        return;
    WCHAR path[MAX_PATH + 1];
    ULONG n = pp->CurrentDirectory.DosPath.Length / sizeof(WCHAR);
    if (n == 0 || n > MAX_PATH)
        return;
    for (ULONG i = 0; i < n; i++)
        path[i] = pp->CurrentDirectory.DosPath.Buffer[i];
    path[n] = 0;
    if (BasepPathType(path) != BasepPathDriveAbsolute)
        return;
    ULONG i;
    for (i = 0; i < n && i + 2 < ARRAYSIZE(BasepCurDir); i++)
        BasepCurDir[i] = path[i];
    if (BasepCurDir[i - 1] != u'\\')
        BasepCurDir[i++] = u'\\';
    BasepCurDir[i] = 0;
}

DWORD WINAPI GetCurrentDirectoryW(DWORD BufferLength, LPWSTR Buffer) {
    RtlEnterCriticalSection(&BaseDllLock);
    ULONG n = 0;
    while (BasepCurDir[n] != 0)
        n++;
    if (n > 3)
        n--; /* "C:\dir", but "C:\" for a root */
    DWORD result = n + 1;
    if (Buffer != NULL && BufferLength > n) {
        for (ULONG i = 0; i < n; i++)
            Buffer[i] = BasepCurDir[i];
        Buffer[n] = 0;
        result = n;
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    return result;
}

DWORD WINAPI GetCurrentDirectoryA(DWORD BufferLength, LPSTR Buffer) {
    WCHAR wide[MAX_PATH + 1];
    DWORD n = GetCurrentDirectoryW(ARRAYSIZE(wide), wide);
    if (n == 0 || n > MAX_PATH)
        return 0;
    if (Buffer == NULL || BufferLength <= n)
        return n + 1;
    return (DWORD)WideCharToMultiByte(CP_ACP, 0, wide, (int)n + 1, Buffer, (int)BufferLength, NULL, NULL) - 1;
}

BOOL WINAPI SetCurrentDirectoryW(LPCWSTR PathName) {
    UNICODE_STRING nt;
    if (PathName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!BasepDosToNtName(PathName, &nt))
        return FALSE;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    InitializeObjectAttributes(&oa, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status =
        NtOpenFile(&h, SYNCHRONIZE | FILE_TRAVERSE, &oa, &iosb, FILE_SHARE_READ | FILE_SHARE_WRITE,
                   FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    if (NT_SUCCESS(status)) {
        (void)NtClose(h);
        /* nt is "\??\X:\..." */
        ULONG n = nt.Length / sizeof(WCHAR);
        if (n - 4 > MAX_PATH - 2) {
            status = STATUS_NAME_TOO_LONG;
        } else {
            RtlEnterCriticalSection(&BaseDllLock);
            store(nt.Buffer + 4, n - 4);
            RtlLeaveCriticalSection(&BaseDllLock);
        }
    }
    RtlFreeHeap(BaseHeap, 0, nt.Buffer);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI SetCurrentDirectoryA(LPCSTR PathName) {
    WCHAR wide[MAX_PATH + 1];
    if (PathName == NULL || !BasepAnsiToWide(PathName, wide, ARRAYSIZE(wide))) {
        SetLastError(PathName == NULL ? ERROR_INVALID_PARAMETER : ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    return SetCurrentDirectoryW(wide);
}

/* GetFullPathName: path.c's NT name without its "\??\". */
DWORD WINAPI GetFullPathNameW(LPCWSTR FileName, DWORD BufferLength, LPWSTR Buffer, LPWSTR *FilePart) {
    WCHAR full[MAX_PATH + 8];
    ULONG part = 0;
    RtlEnterCriticalSection(&BaseDllLock);
    NTSTATUS status = BasepDosPathToNtPath(FileName, BasepCurDir, full, ARRAYSIZE(full), &part);
    RtlLeaveCriticalSection(&BaseDllLock);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return 0;
    }
    ULONG n = 0;
    while (full[4 + n] != 0)
        n++;
    if (Buffer == NULL || BufferLength <= n)
        return n + 1;
    for (ULONG i = 0; i <= n; i++)
        Buffer[i] = full[4 + i];
    if (FilePart != NULL)
        *FilePart = (part >= 4 && full[part] != 0) ? Buffer + (part - 4) : NULL;
    return n;
}

DWORD WINAPI GetFullPathNameA(LPCSTR FileName, DWORD BufferLength, LPSTR Buffer, LPSTR *FilePart) {
    WCHAR wide[MAX_PATH + 1], full[MAX_PATH + 8];
    LPWSTR part = NULL;
    if (FileName == NULL || !BasepAnsiToWide(FileName, wide, ARRAYSIZE(wide))) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return 0;
    }
    DWORD n = GetFullPathNameW(wide, ARRAYSIZE(full), full, &part);
    if (n == 0 || n >= ARRAYSIZE(full))
        return n;
    if (Buffer == NULL || BufferLength <= n)
        return n + 1;
    WideCharToMultiByte(CP_ACP, 0, full, (int)n + 1, Buffer, (int)BufferLength, NULL, NULL);
    if (FilePart != NULL)
        *FilePart = part != NULL ? Buffer + (part - full) : NULL;
    return n;
}
