/*
 * process.c - processes: CreateProcess, ExitProcess and their kin, the
 * command line and the start-up information.
 *
 * Why: NT's CreateProcess is kernel32's own work, done with Nt services:
 * find the image (the command line's first word, searched for in the
 * program's directory, the current directory, System32 and the Windows
 * directory, ".exe" added when it has no extension), turn its Win32 name
 * into an NT name, build the child's process parameters (command line,
 * directory, environment, standard handles, window hints from STARTUPINFO),
 * create the process and its first thread suspended (ntdll's
 * RtlCreateUserProcess does those steps, see docs/processes.md), tell csrss
 * (BasepCreateProcess) so the Win32 subsystem knows the process before it
 * runs, and resume it unless the caller asked for CREATE_SUSPENDED.
 *
 * NT starts a Win32 process at kernel32's BaseProcessStartThunk, which calls
 * the image's entry point and passes what it returns to ExitProcess.
 * RtlCreateUserProcess starts the thread at the entry point itself with a
 * zero return address; for a Win32 (GUI or console) image CreateProcess then
 * writes BaseProcessExitThunk's address in that slot, so an entry point
 * that returns still ends its process with its result. This relies, as NT
 * 3.51 did, on kernel32 being at the same address in every process.
 *
 * ExitProcess follows NT: the other threads end first, every DLL gets
 * DLL_PROCESS_DETACH, csrss is told (BasepExitProcess), and the process ends.
 */
#include "k32p.h"

#define CREATE_SUSPENDED 0x00000004
#define CREATE_UNICODE_ENVIRONMENT 0x00000400
#define STARTF_USESTDHANDLES 0x00000100
#define IMAGE_SUBSYSTEM_WINDOWS_GUI 2
#define IMAGE_SUBSYSTEM_WINDOWS_CUI 3

typedef struct _STARTUPINFOW {
    DWORD cb;
    LPWSTR lpReserved;
    LPWSTR lpDesktop;
    LPWSTR lpTitle;
    DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
    WORD wShowWindow;
    WORD cbReserved2;
    LPBYTE lpReserved2;
    HANDLE hStdInput, hStdOutput, hStdError;
} STARTUPINFOW, *LPSTARTUPINFOW;

typedef struct _STARTUPINFOA {
    DWORD cb;
    LPSTR lpReserved;
    LPSTR lpDesktop;
    LPSTR lpTitle;
    DWORD dwX, dwY, dwXSize, dwYSize, dwXCountChars, dwYCountChars, dwFillAttribute, dwFlags;
    WORD wShowWindow;
    WORD cbReserved2;
    LPBYTE lpReserved2;
    HANDLE hStdInput, hStdOutput, hStdError;
} STARTUPINFOA, *LPSTARTUPINFOA;

typedef struct _PROCESS_INFORMATION {
    HANDLE hProcess;
    HANDLE hThread;
    DWORD dwProcessId;
    DWORD dwThreadId;
} PROCESS_INFORMATION, *LPPROCESS_INFORMATION;

_Static_assert(sizeof(STARTUPINFOW) == 68, "Win32's STARTUPINFO");

VOID WINAPI ExitProcess(UINT ExitCode) __attribute__((noreturn));
BOOL WINAPI CloseHandle(HANDLE Object);

static LPSTR BaseCommandLineA;
static STARTUPINFOA BaseStartupInfoA;

/* ---- command line and start-up information ---- */

static LPSTR narrow_copy(PCWSTR Wide, ULONG Length) {
    int bytes = Length ? WideCharToMultiByte(CP_ACP, 0, Wide, (int)Length, NULL, 0, NULL, NULL) : 0;
    LPSTR s = RtlAllocateHeap(BaseHeap, 0, (SIZE_T)bytes + 1);
    if (s == NULL)
        return NULL;
    if (bytes > 0)
        WideCharToMultiByte(CP_ACP, 0, Wide, (int)Length, s, bytes, NULL, NULL);
    s[bytes] = 0;
    return s;
}

VOID BasepInitializeCommandLine(VOID) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    static CHAR empty[1];
    BaseCommandLineA = empty;
    BaseStartupInfoA.cb = sizeof BaseStartupInfoA;
    if (pp == NULL)
        return;
    LPSTR line = narrow_copy(pp->CommandLine.Buffer, pp->CommandLine.Length / sizeof(WCHAR));
    if (line != NULL)
        BaseCommandLineA = line;
    BaseStartupInfoA.lpDesktop = narrow_copy(pp->DesktopInfo.Buffer, pp->DesktopInfo.Length / sizeof(WCHAR));
    BaseStartupInfoA.lpTitle = narrow_copy(pp->WindowTitle.Buffer, pp->WindowTitle.Length / sizeof(WCHAR));
}

LPWSTR WINAPI GetCommandLineW(VOID) {
    static WCHAR empty[1];
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    return (pp != NULL && pp->CommandLine.Buffer != NULL) ? pp->CommandLine.Buffer : empty;
}

LPSTR WINAPI GetCommandLineA(VOID) {
    return BaseCommandLineA;
}

VOID WINAPI GetStartupInfoW(LPSTARTUPINFOW StartupInfo) {
    PRTL_USER_PROCESS_PARAMETERS pp = NtCurrentPeb()->ProcessParameters;
    __builtin_memset(StartupInfo, 0, sizeof *StartupInfo);
    StartupInfo->cb = sizeof *StartupInfo;
    if (pp == NULL)
        return;
    StartupInfo->lpDesktop = pp->DesktopInfo.Buffer;
    StartupInfo->lpTitle = pp->WindowTitle.Buffer;
    StartupInfo->dwX = pp->StartingX;
    StartupInfo->dwY = pp->StartingY;
    StartupInfo->dwXSize = pp->CountX;
    StartupInfo->dwYSize = pp->CountY;
    StartupInfo->dwXCountChars = pp->CountCharsX;
    StartupInfo->dwYCountChars = pp->CountCharsY;
    StartupInfo->dwFillAttribute = pp->FillAttribute;
    StartupInfo->dwFlags = pp->WindowFlags;
    StartupInfo->wShowWindow = (WORD)pp->ShowWindowFlags;
    StartupInfo->hStdInput = pp->StandardInput;
    StartupInfo->hStdOutput = pp->StandardOutput;
    StartupInfo->hStdError = pp->StandardError;
}

VOID WINAPI GetStartupInfoA(LPSTARTUPINFOA StartupInfo) {
    STARTUPINFOW wide;
    GetStartupInfoW(&wide);
    __builtin_memcpy(StartupInfo, &wide, sizeof *StartupInfo);
    StartupInfo->lpDesktop = BaseStartupInfoA.lpDesktop;
    StartupInfo->lpTitle = BaseStartupInfoA.lpTitle;
}

/* ---- finding the image ---- */

static ULONG wide_length(PCWSTR S) {
    ULONG n = 0;
    while (S[n] != 0)
        n++;
    return n;
}

/* TRUE when DosPath names a file that can be opened. */
static BOOLEAN file_exists(PCWSTR DosPath) {
    UNICODE_STRING nt;
    ULONG saved = GetLastError();
    if (!BasepDosToNtName(DosPath, &nt)) {
        SetLastError(saved);
        return FALSE;
    }
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK iosb;
    HANDLE h;
    InitializeObjectAttributes(&oa, &nt, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&h, SYNCHRONIZE | FILE_READ_ATTRIBUTES, &oa, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                 FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT);
    RtlFreeHeap(BaseHeap, 0, nt.Buffer);
    if (NT_SUCCESS(status))
        (void)NtClose(h);
    return NT_SUCCESS(status);
}

/* Directory + '\' + Name + (".exe" when AddExe) into Out (MAX_PATH). */
static BOOLEAN join(PCWSTR Directory, ULONG DirectoryLength, PCWSTR Name, BOOLEAN AddExe, PWSTR Out) {
    ULONG n = 0, name = wide_length(Name);
    if (DirectoryLength + name + 6 > MAX_PATH)
        return FALSE;
    for (ULONG i = 0; i < DirectoryLength; i++)
        Out[n++] = Directory[i];
    if (n > 0 && Out[n - 1] != u'\\')
        Out[n++] = u'\\';
    for (ULONG i = 0; i < name; i++)
        Out[n++] = Name[i];
    if (AddExe) {
        static const WCHAR exe[] = L".exe";
        for (ULONG i = 0; i < 4; i++)
            Out[n++] = exe[i];
    }
    Out[n] = 0;
    return TRUE;
}

/* The image CreateProcess runs for Name (the first word of a command line):
 * searched as NT searches, written to Image (MAX_PATH WCHARs). */
static BOOL search_image(PCWSTR Name, PWSTR Image) {
    BOOLEAN add_exe = !BasepHasExtension(Name);
    BOOLEAN has_path = FALSE;
    for (PCWSTR p = Name; *p != 0; p++)
        if (*p == u'\\' || *p == u'/' || *p == u':')
            has_path = TRUE;
    if (has_path) {
        if (!join(L"", 0, Name, add_exe, Image)) {
            SetLastError(ERROR_FILENAME_EXCED_RANGE);
            return FALSE;
        }
        return TRUE; /* a missing file is reported by the open */
    }
    /* The program's own directory, from the loader's name for it. */
    WCHAR self[MAX_PATH + 1];
    ULONG self_length = 0;
    PPEB_LDR_DATA ldr = NtCurrentPeb()->Ldr;
    if (ldr != NULL && ldr->InLoadOrderModuleList.Flink != &ldr->InLoadOrderModuleList) {
        PLDR_DATA_TABLE_ENTRY exe =
            CONTAINING_RECORD(ldr->InLoadOrderModuleList.Flink, LDR_DATA_TABLE_ENTRY, InLoadOrderLinks);
        ULONG n = BasepNtPathToDosPath(exe->FullDllName.Buffer, exe->FullDllName.Length / sizeof(WCHAR),
                                       BASEP_WINDOWS_DIRECTORY, self, ARRAYSIZE(self));
        if (n < ARRAYSIZE(self)) {
            self_length = n;
            while (self_length > 0 && self[self_length - 1] != u'\\')
                self_length--;
        }
    }
    PCWSTR current = BasepCurrentDirectory();
    struct {
        PCWSTR Directory;
        ULONG Length;
    } places[] = {
        {self, self_length},
        {current, wide_length(current)},
        {BASEP_SYSTEM_DIRECTORY, wide_length(BASEP_SYSTEM_DIRECTORY)},
        {BASEP_WINDOWS_DIRECTORY, wide_length(BASEP_WINDOWS_DIRECTORY)},
    };
    for (ULONG i = 0; i < ARRAYSIZE(places); i++) {
        if (places[i].Length == 0 || !join(places[i].Directory, places[i].Length, Name, add_exe, Image))
            continue;
        if (file_exists(Image))
            return TRUE;
    }
    SetLastError(ERROR_FILE_NOT_FOUND);
    return FALSE;
}

/* ---- CreateProcess ---- */

/* Points the child's entry frame's return address at BaseProcessExitThunk. */
static VOID set_exit_thunk(HANDLE Process, HANDLE Thread) {
    THREAD_BASIC_INFORMATION info;
    ULONG returned;
    PVOID stack_base = NULL;
    SIZE_T done = 0;
    if (!NT_SUCCESS(
            NtQueryInformationThread(Thread, ThreadBasicInformation, &info, sizeof info, &returned)) ||
        !NT_SUCCESS(NtReadVirtualMemory(Process, &((PTEB)info.TebBaseAddress)->NtTib.StackBase, &stack_base,
                                        sizeof stack_base, &done)) ||
        stack_base == NULL)
        return;
    ULONG thunk = (ULONG)(ULONG_PTR)BaseProcessExitThunk;
    /* RtlCreateUserProcess's frame: {return address, PEB} at the stack top. */
    (void)NtWriteVirtualMemory(Process, (PUCHAR)stack_base - 2 * sizeof(ULONG), &thunk, sizeof thunk, &done);
}

BOOL WINAPI CreateProcessW(LPCWSTR ApplicationName, LPWSTR CommandLine,
                           LPSECURITY_ATTRIBUTES ProcessAttributes, LPSECURITY_ATTRIBUTES ThreadAttributes,
                           BOOL InheritHandles, DWORD CreationFlags, LPVOID Environment,
                           LPCWSTR CurrentDirectory, LPSTARTUPINFOW StartupInfo,
                           LPPROCESS_INFORMATION ProcessInformation) {
    (void)ProcessAttributes;
    (void)ThreadAttributes;
    if (StartupInfo == NULL || ProcessInformation == NULL ||
        ((ApplicationName == NULL || ApplicationName[0] == 0) &&
         (CommandLine == NULL || CommandLine[0] == 0))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }

    WCHAR image[MAX_PATH + 1], first[MAX_PATH + 1];
    if (ApplicationName != NULL && ApplicationName[0] != 0) {
        if (wide_length(ApplicationName) > MAX_PATH) {
            SetLastError(ERROR_FILENAME_EXCED_RANGE);
            return FALSE;
        }
        for (ULONG i = 0; (image[i] = ApplicationName[i]) != 0; i++)
            ;
    } else {
        if (BasepCommandLineImageName(CommandLine, first, ARRAYSIZE(first)) == 0) {
            SetLastError(ERROR_FILE_NOT_FOUND);
            return FALSE;
        }
        if (!search_image(first, image))
            return FALSE;
    }

    /* The command line: the caller's, or the image name alone. */
    PWSTR line = NULL;
    WCHAR quoted[MAX_PATH + 3];
    if (CommandLine != NULL && CommandLine[0] != 0)
        line = CommandLine;
    else if (BasepQuoteName(image, quoted, ARRAYSIZE(quoted)) != 0)
        line = quoted;
    else {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }

    UNICODE_STRING nt_image;
    if (!BasepDosToNtName(image, &nt_image))
        return FALSE;

    /* An ANSI environment block is widened for the child. */
    PWSTR wide_environment = NULL;
    if (Environment != NULL && !(CreationFlags & CREATE_UNICODE_ENVIRONMENT)) {
        LPCSTR e = Environment;
        ULONG bytes = 0;
        while (e[bytes] != 0 || e[bytes + 1] != 0)
            bytes++;
        bytes += 2;
        wide_environment = RtlAllocateHeap(BaseHeap, 0, bytes * sizeof(WCHAR));
        if (wide_environment == NULL) {
            RtlFreeHeap(BaseHeap, 0, nt_image.Buffer);
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        }
        MultiByteToWideChar(CP_ACP, 0, e, (int)bytes, wide_environment, (int)bytes);
        Environment = wide_environment;
    }

    UNICODE_STRING image_name, command_line, directory, title, desktop;
    RtlInitUnicodeString(&image_name, image);
    RtlInitUnicodeString(&command_line, line);
    RtlInitUnicodeString(&directory, CurrentDirectory != NULL ? CurrentDirectory : BasepCurrentDirectory());
    RtlInitUnicodeString(&title, StartupInfo->lpTitle != NULL ? StartupInfo->lpTitle : image);
    RtlInitUnicodeString(&desktop, StartupInfo->lpDesktop);
    PRTL_USER_PROCESS_PARAMETERS pp = NULL;
    RTL_USER_PROCESS_INFORMATION info;
    NTSTATUS status = RtlCreateProcessParameters(
        &pp, &image_name, NULL, &directory, &command_line,
        Environment != NULL ? Environment : NtCurrentPeb()->ProcessParameters->Environment, &title, &desktop,
        NULL, NULL);
    if (NT_SUCCESS(status)) {
        PRTL_USER_PROCESS_PARAMETERS own = NtCurrentPeb()->ProcessParameters;
        if (StartupInfo->dwFlags & STARTF_USESTDHANDLES) {
            pp->StandardInput = StartupInfo->hStdInput;
            pp->StandardOutput = StartupInfo->hStdOutput;
            pp->StandardError = StartupInfo->hStdError;
        } else if (own != NULL) {
            pp->StandardInput = own->StandardInput;
            pp->StandardOutput = own->StandardOutput;
            pp->StandardError = own->StandardError;
        }
        pp->StartingX = StartupInfo->dwX;
        pp->StartingY = StartupInfo->dwY;
        pp->CountX = StartupInfo->dwXSize;
        pp->CountY = StartupInfo->dwYSize;
        pp->CountCharsX = StartupInfo->dwXCountChars;
        pp->CountCharsY = StartupInfo->dwYCountChars;
        pp->FillAttribute = StartupInfo->dwFillAttribute;
        pp->WindowFlags = StartupInfo->dwFlags;
        pp->ShowWindowFlags = StartupInfo->wShowWindow;
        status = RtlCreateUserProcess(&nt_image, OBJ_CASE_INSENSITIVE, pp, NULL, NULL, NULL,
                                      InheritHandles ? TRUE : FALSE, NULL, NULL, &info);
        (void)RtlDestroyProcessParameters(pp);
    }
    RtlFreeHeap(BaseHeap, 0, nt_image.Buffer);
    if (wide_environment != NULL)
        RtlFreeHeap(BaseHeap, 0, wide_environment);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }

    ULONG subsystem = info.ImageInformation.SubSystemType;
    if (subsystem == IMAGE_SUBSYSTEM_WINDOWS_GUI || subsystem == IMAGE_SUBSYSTEM_WINDOWS_CUI)
        set_exit_thunk(info.Process, info.Thread);

    CSR_API_MESSAGE m;
    __builtin_memset(&m, 0, sizeof m);
    m.u.CreateProcess.ProcessHandle = info.Process;
    m.u.CreateProcess.ThreadHandle = info.Thread;
    m.u.CreateProcess.ClientId = info.ClientId;
    m.u.CreateProcess.CreationFlags = CreationFlags;
    status = BasepCallServer(&m, BasepCreateProcess, sizeof m.u.CreateProcess);
    if (!NT_SUCCESS(status)) {
        (void)NtTerminateProcess(info.Process, status);
        (void)NtClose(info.Thread);
        (void)NtClose(info.Process);
        BaseSetLastNTError(status);
        return FALSE;
    }
    if (!(CreationFlags & CREATE_SUSPENDED))
        (void)NtResumeThread(info.Thread, NULL);
    ProcessInformation->hProcess = info.Process;
    ProcessInformation->hThread = info.Thread;
    ProcessInformation->dwProcessId = (DWORD)(ULONG_PTR)info.ClientId.UniqueProcess;
    ProcessInformation->dwThreadId = (DWORD)(ULONG_PTR)info.ClientId.UniqueThread;
    return TRUE;
}

/* An ANSI string widened on the heap (NULL stays NULL); *Failed on no memory. */
static PWSTR widen(LPCSTR Ansi, BOOLEAN *Failed) {
    if (Ansi == NULL)
        return NULL;
    int n = MultiByteToWideChar(CP_ACP, 0, Ansi, -1, NULL, 0);
    PWSTR w = n > 0 ? RtlAllocateHeap(BaseHeap, 0, (SIZE_T)n * sizeof(WCHAR)) : NULL;
    if (w == NULL) {
        *Failed = TRUE;
        return NULL;
    }
    MultiByteToWideChar(CP_ACP, 0, Ansi, -1, w, n);
    return w;
}

static VOID free_wide(PWSTR W) {
    if (W != NULL)
        RtlFreeHeap(BaseHeap, 0, W);
}

BOOL WINAPI CreateProcessA(LPCSTR ApplicationName, LPSTR CommandLine, LPSECURITY_ATTRIBUTES ProcessAttributes,
                           LPSECURITY_ATTRIBUTES ThreadAttributes, BOOL InheritHandles, DWORD CreationFlags,
                           LPVOID Environment, LPCSTR CurrentDirectory, LPSTARTUPINFOA StartupInfo,
                           LPPROCESS_INFORMATION ProcessInformation) {
    if (StartupInfo == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    BOOLEAN failed = FALSE;
    PWSTR application = widen(ApplicationName, &failed);
    PWSTR command = widen(CommandLine, &failed);
    PWSTR directory = widen(CurrentDirectory, &failed);
    PWSTR desktop = widen(StartupInfo->lpDesktop, &failed);
    PWSTR title = widen(StartupInfo->lpTitle, &failed);
    BOOL ok = FALSE;
    if (failed) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    } else {
        STARTUPINFOW si;
        __builtin_memcpy(&si, StartupInfo, sizeof si);
        si.cb = sizeof si;
        si.lpReserved = NULL;
        si.lpDesktop = desktop;
        si.lpTitle = title;
        ok = CreateProcessW(application, command, ProcessAttributes, ThreadAttributes, InheritHandles,
                            CreationFlags, Environment, directory, &si, ProcessInformation);
    }
    free_wide(application);
    free_wide(command);
    free_wide(directory);
    free_wide(desktop);
    free_wide(title);
    return ok;
}

/* ---- ending processes ---- */

VOID WINAPI ExitProcess(UINT ExitCode) {
    BasepConsoleFlushAll();
    (void)NtTerminateProcess(NULL, (NTSTATUS)ExitCode); /* every other thread */
    (void)LdrShutdownProcess();
    CSR_API_MESSAGE m;
    __builtin_memset(&m, 0, sizeof m);
    m.u.ExitProcess.ExitCode = ExitCode;
    (void)BasepCallServer(&m, BasepExitProcess, sizeof m.u.ExitProcess);
    for (;;)
        (void)NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)ExitCode);
}

BOOL WINAPI TerminateProcess(HANDLE Process, UINT ExitCode) {
    if (Process == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (Process == NtCurrentProcess())
        BasepConsoleFlushAll();
    NTSTATUS status = NtTerminateProcess(Process, (NTSTATUS)ExitCode);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI GetExitCodeProcess(HANDLE Process, LPDWORD ExitCode) {
    PROCESS_BASIC_INFORMATION info;
    ULONG returned;
    NTSTATUS status =
        NtQueryInformationProcess(Process, ProcessBasicInformation, &info, sizeof info, &returned);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    *ExitCode = (DWORD)info.ExitStatus; /* STATUS_PENDING is STILL_ACTIVE */
    return TRUE;
}

HANDLE WINAPI GetCurrentProcess(VOID) {
    return NtCurrentProcess();
}

DWORD WINAPI GetCurrentProcessId(VOID) {
    return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
}

HANDLE WINAPI OpenProcess(DWORD DesiredAccess, BOOL InheritHandle, DWORD ProcessId) {
    OBJECT_ATTRIBUTES oa;
    CLIENT_ID cid = {(HANDLE)(ULONG_PTR)ProcessId, NULL};
    HANDLE h = NULL;
    InitializeObjectAttributes(&oa, NULL, InheritHandle ? OBJ_INHERIT : 0, NULL, NULL);
    NTSTATUS status = NtOpenProcess(&h, DesiredAccess, &oa, &cid);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return h;
}
