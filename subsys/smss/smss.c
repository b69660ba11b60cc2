/*
 * smss.c - the session manager, the first user-mode process.
 *
 * Why: on NT the kernel starts exactly one user process, smss.exe, and smss
 * starts everything else: the object directories Win32 expects, the
 * subsystem (csrss, issue 4) and the other initial processes. Some of those
 * are critical: if one ever exits, smss stops the system with
 * STATUS_SYSTEM_PROCESS_TERMINATED (0xC000021A), as NT does. NT reads its
 * orders from the registry; Daytona reads \SystemRoot\System32\smss.ini.
 * In test mode (the boot command line says `test`) smss runs the [Test]
 * programs one after another and then powers the machine off.
 *
 * smss is a native program: it links only against ntdll.dll.
 */
#include <nt/ntapi.h>
#include <nt/ntcrt.h>
#include <nt/ntio.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>
#include <csr/csrmsg.h>

#define SMSS_CONFIG L"\\SystemRoot\\System32\\smss.ini"
#define MAX_CONFIG_BYTES (32 * 1024)
#define MAX_CRITICAL 8
#define MAX_LINE 256
#define OPTION_SHUTDOWN_SYSTEM 6
#define SHUTDOWN_POWER_OFF 2
#define STATUS_SYSTEM_PROCESS_TERMINATED_CODE ((NTSTATUS)0xC000021A)
#define WAIT_ANY_ 1

typedef enum {
    SectionNone,
    SectionDirectories,
    SectionLinks,
    SectionCritical,
    SectionRun,
    SectionTest,
    SectionBench,
    SectionAutorun,
    SectionDesktop
} SMSS_SECTION;

static HANDLE SmpCritical[MAX_CRITICAL];
static CHAR SmpCriticalName[MAX_CRITICAL][MAX_LINE];
static ULONG SmpCriticalCount;
static BOOLEAN SmpTestMode, SmpBenchMode, SmpProfileMode, SmpCrashCritical, SmpCrashCsrss;
static BOOLEAN SmpHasAutorun; /* an [Autorun] program owns the screen: no [Desktop] programs */
static HANDLE SmpCsrReady; /* \Windows\CsrReady, set by csrss once its ports listen */

#define CSR_READY_TIMEOUT_MS 30000
#define EVENT_ALL_ACCESS_ 0x001F0003
#define NOTIFICATION_EVENT 0
static ULONG SmpTestsPassed, SmpTestsFailed;

/* TRUE when Word stands alone in the ASCII command line. */
static BOOLEAN has_word(PCSTR Line, PCSTR Word) {
    SIZE_T n = strlen(Word);
    for (PCSTR p = Line; *p;) {
        while (*p == ' ')
            p++;
        PCSTR start = p;
        while (*p && *p != ' ')
            p++;
        if ((SIZE_T)(p - start) == n && memcmp(start, Word, n) == 0)
            return TRUE;
    }
    return FALSE;
}

static VOID to_unicode(PCSTR Text, PUNICODE_STRING Out, PWCHAR Buffer, ULONG Chars) {
    ULONG n = 0;
    for (; Text[n] && n + 1 < Chars; n++)
        Buffer[n] = (UCHAR)Text[n];
    Buffer[n] = 0;
    Out->Buffer = Buffer;
    Out->Length = (USHORT)(n * sizeof(WCHAR));
    Out->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
}

/* Starts "image args" (an NT path, then its arguments); returns the
 * process handle, or NULL after logging why. */
static HANDLE start_process(PCSTR CommandLine) {
    CHAR image[MAX_LINE];
    ULONG i = 0;
    while (CommandLine[i] && CommandLine[i] != ' ' && i + 1 < sizeof image) {
        image[i] = CommandLine[i];
        i++;
    }
    image[i] = 0;
    WCHAR imageW[MAX_LINE], cmdW[MAX_LINE];
    UNICODE_STRING imagePath, cmd;
    to_unicode(image, &imagePath, imageW, MAX_LINE);
    to_unicode(CommandLine, &cmd, cmdW, MAX_LINE);
    PRTL_USER_PROCESS_PARAMETERS params;
    NTSTATUS status =
        RtlCreateProcessParameters(&params, &imagePath, NULL, NULL, &cmd, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        DbgPrint("smss: cannot build parameters for %s: 0x%08X\n", image, (ULONG)status);
        return NULL;
    }
    RTL_USER_PROCESS_INFORMATION info;
    memset(&info, 0, sizeof info);
    info.Length = sizeof info;
    status = RtlCreateUserProcess(&imagePath, OBJ_CASE_INSENSITIVE, params, NULL, NULL, NULL, FALSE, NULL,
                                  NULL, &info);
    RtlDestroyProcessParameters(params);
    if (!NT_SUCCESS(status)) {
        DbgPrint("smss: cannot start %s: 0x%08X\n", image, (ULONG)status);
        return NULL;
    }
    status = NtResumeThread(info.Thread, NULL);
    NtClose(info.Thread);
    if (!NT_SUCCESS(status)) {
        DbgPrint("smss: cannot resume %s: 0x%08X\n", image, (ULONG)status);
        NtTerminateProcess(info.Process, status);
        NtClose(info.Process);
        return NULL;
    }
    DbgPrint("smss: started %s (pid %u)\n", CommandLine, (ULONG)(ULONG_PTR)info.ClientId.UniqueProcess);
    return info.Process;
}

static NTSTATUS exit_status_of(HANDLE Process) {
    PROCESS_BASIC_INFORMATION basic;
    NTSTATUS status = NtQueryInformationProcess(Process, ProcessBasicInformation, &basic, sizeof basic, NULL);
    return NT_SUCCESS(status) ? basic.ExitStatus : status;
}

/* TRUE when the command line's image is csrss.exe. */
static BOOLEAN names_csrss(PCSTR CommandLine) {
    SIZE_T n = 0;
    while (CommandLine[n] && CommandLine[n] != ' ')
        n++;
    return n >= 9 && memcmp(CommandLine + n - 9, "csrss.exe", 9) == 0;
}

/* The Win32 subsystem is up when csrss sets \Windows\CsrReady; programs
 * started before that could not connect to \Windows\ApiPort. If csrss
 * ends first, smss's watch on critical processes stops the system. */
static VOID wait_for_subsystem(HANDLE Csrss) {
    if (!SmpCsrReady)
        return;
    HANDLE both[2] = {SmpCsrReady, Csrss};
    LARGE_INTEGER timeout = {.QuadPart = -(LONGLONG)CSR_READY_TIMEOUT_MS * 10000};
    NTSTATUS which = NtWaitForMultipleObjects(2, both, WAIT_ANY_, FALSE, &timeout);
    if (which == STATUS_SUCCESS)
        DbgPrint("smss: the Win32 subsystem (csrss) is ready\n");
    else
        DbgPrint("smss: csrss did not become ready (0x%08X)\n", (ULONG)which);
    if (which == STATUS_SUCCESS && SmpCrashCsrss) { /* the test of csrss being critical */
        DbgPrint("smss: crash=csrss: terminating csrss\n");
        NtTerminateProcess(Csrss, STATUS_UNSUCCESSFUL);
    }
}

static VOID add_critical(PCSTR CommandLine) {
    if (SmpCriticalCount == MAX_CRITICAL) {
        DbgPrint("smss: too many critical processes; %s not started\n", CommandLine);
        return;
    }
    HANDLE h = start_process(CommandLine);
    if (!h) /* a critical process that cannot even start is as fatal as one that exits */
        NtRaiseHardError(STATUS_SYSTEM_PROCESS_TERMINATED_CODE, 0, 0, NULL, OPTION_SHUTDOWN_SYSTEM, NULL);
    SmpCritical[SmpCriticalCount] = h;
    SIZE_T len = strlen(CommandLine) < MAX_LINE - 1 ? strlen(CommandLine) : MAX_LINE - 1;
    memcpy(SmpCriticalName[SmpCriticalCount], CommandLine, len);
    SmpCriticalName[SmpCriticalCount][len] = 0;
    SmpCriticalCount++;
    if (names_csrss(CommandLine))
        wait_for_subsystem(h);
}

/* [Autorun] (make iso AUTORUN=...): run once in the normal boot, logging
 * the exit code on serial; the program's standard output goes there too. */
static VOID run_autorun(PCSTR CommandLine) {
    HANDLE h = start_process(CommandLine);
    if (!h)
        return;
    NtWaitForSingleObject(h, FALSE, NULL);
    NTSTATUS code = exit_status_of(h);
    NtClose(h);
    DbgPrint("smss: autorun %s exited with code %d (0x%08X)\n", CommandLine, (LONG)code, (ULONG)code);
}

/* Asks csrss, through \Windows\SbApiPort, to end the Win32 processes. */
static VOID shutdown_subsystem(VOID) {
    UNICODE_STRING name;
    HANDLE port;
    ULONG maxLength = 0;
    RtlInitUnicodeString(&name, CSR_SBAPI_PORT_NAME);
    NTSTATUS status = NtConnectPort(&port, &name, NULL, NULL, NULL, &maxLength, NULL, NULL);
    if (!NT_SUCCESS(status)) {
        DbgPrint("smss: cannot reach csrss's SbApiPort: 0x%08X\n", (ULONG)status);
        return;
    }
    SB_API_MESSAGE m;
    memset(&m, 0, sizeof m);
    m.h.DataLength = sizeof m - sizeof m.h;
    m.h.TotalLength = sizeof m;
    m.ApiNumber = SbShutdownProcesses;
    status = NtRequestWaitReplyPort(port, &m.h, &m.h);
    if (NT_SUCCESS(status))
        status = m.ReturnValue;
    DbgPrint("smss: Win32 subsystem shutdown: 0x%08X, %u processes ended\n", (ULONG)status, m.ProcessesEnded);
    NtClose(port);
}

static VOID run_test(PCSTR CommandLine) {
    HANDLE h = start_process(CommandLine);
    if (!h) {
        SmpTestsFailed++;
        return;
    }
    NtWaitForSingleObject(h, FALSE, NULL);
    NTSTATUS code = exit_status_of(h);
    NtClose(h);
    DbgPrint("smss: %s exited with 0x%08X\n", CommandLine, (ULONG)code);
    if (code == STATUS_SUCCESS)
        SmpTestsPassed++;
    else
        SmpTestsFailed++;
}

static VOID make_directory(PCSTR Name) {
    WCHAR buffer[MAX_LINE];
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    to_unicode(Name, &name, buffer, MAX_LINE);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_PERMANENT | OBJ_OPENIF, NULL, NULL);
    NTSTATUS status = NtCreateDirectoryObject(&h, 0xF000F /* DIRECTORY_ALL_ACCESS */, &oa);
    if (NT_SUCCESS(status))
        NtClose(h);
    else
        DbgPrint("smss: cannot create directory %s: 0x%08X\n", Name, (ULONG)status);
}

static VOID make_link(PCSTR Line) {
    CHAR name[MAX_LINE];
    PCSTR eq = strchr(Line, '=');
    if (!eq || (SIZE_T)(eq - Line) >= sizeof name) {
        DbgPrint("smss: bad link line: %s\n", Line);
        return;
    }
    memcpy(name, Line, (SIZE_T)(eq - Line));
    name[eq - Line] = 0;
    WCHAR nameBuffer[MAX_LINE], targetBuffer[MAX_LINE];
    UNICODE_STRING n, t;
    OBJECT_ATTRIBUTES oa;
    HANDLE h;
    to_unicode(name, &n, nameBuffer, MAX_LINE);
    to_unicode(eq + 1, &t, targetBuffer, MAX_LINE);
    InitializeObjectAttributes(&oa, &n, OBJ_CASE_INSENSITIVE | OBJ_PERMANENT, NULL, NULL);
    NTSTATUS status = NtCreateSymbolicLinkObject(&h, 0xF0001, &oa, &t);
    if (NT_SUCCESS(status))
        NtClose(h);
    else
        DbgPrint("smss: cannot create link %s: 0x%08X\n", Line, (ULONG)status);
}

/* Runs one [Bench] program. The kernel command line `bench profile` (the
 * profiler's GRUB entry) adds the word `profile` to its command line, so
 * the program measures fewer rounds for tools/profile.py. */
static VOID run_bench(PCSTR CommandLine) {
    CHAR line[MAX_LINE];
    if (!SmpProfileMode) {
        run_test(CommandLine);
        return;
    }
    _snprintf(line, sizeof line, "%s profile", CommandLine);
    line[sizeof line - 1] = 0;
    run_test(line);
}

/* Reads smss.ini; returns a heap buffer with a NUL at the end, or NULL. */
static PCHAR read_config(VOID) {
    UNICODE_STRING path;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK io;
    HANDLE file;
    RtlInitUnicodeString(&path, SMSS_CONFIG);
    InitializeObjectAttributes(&oa, &path, OBJ_CASE_INSENSITIVE, NULL, NULL);
    NTSTATUS status = NtOpenFile(&file, FILE_READ_DATA | SYNCHRONIZE, &oa, &io, FILE_SHARE_READ,
                                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(status)) {
        DbgPrint("smss: cannot open smss.ini: 0x%08X\n", (ULONG)status);
        return NULL;
    }
    PCHAR text = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, HEAP_ZERO_MEMORY, MAX_CONFIG_BYTES + 1);
    if (text) {
        status = NtReadFile(file, NULL, NULL, NULL, &io, text, MAX_CONFIG_BYTES, NULL, NULL);
        if (!NT_SUCCESS(status)) {
            DbgPrint("smss: cannot read smss.ini: 0x%08X\n", (ULONG)status);
            RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, text);
            text = NULL;
        }
    }
    NtClose(file);
    return text;
}

/* Walks the configuration and does what each line of each section says. */
static VOID run_config(PCHAR Text) {
    SMSS_SECTION section = SectionNone;
    for (PCHAR line = Text; line && *line;) {
        PCHAR next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        SIZE_T n = strlen(line);
        while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = 0;
        while (*line == ' ')
            line++;
        if (*line == 0 || *line == ';') {
            line = next;
            continue;
        }
        if (*line == '[') {
            section = !strcmp(line, "[ObjectDirectories]") ? SectionDirectories
                      : !strcmp(line, "[SymbolicLinks]")   ? SectionLinks
                      : !strcmp(line, "[Critical]")        ? SectionCritical
                      : !strcmp(line, "[Run]")             ? SectionRun
                      : !strcmp(line, "[Test]")            ? SectionTest
                      : !strcmp(line, "[Bench]")           ? SectionBench
                      : !strcmp(line, "[Autorun]")         ? SectionAutorun
                      : !strcmp(line, "[Desktop]")         ? SectionDesktop
                                                           : SectionNone;
            if (section == SectionNone)
                DbgPrint("smss: unknown section %s ignored\n", line);
        } else if (section == SectionDirectories) {
            make_directory(line);
        } else if (section == SectionLinks) {
            make_link(line);
        } else if (section == SectionCritical) {
            add_critical(line);
        } else if (section == SectionRun ||
                   (section == SectionDesktop && !SmpTestMode && !SmpBenchMode && !SmpHasAutorun)) {
            HANDLE h = start_process(line);
            if (h)
                NtClose(h);
        } else if (section == SectionBench && SmpBenchMode) {
            run_bench(line);
        } else if (section == SectionTest && SmpTestMode) {
            run_test(line);
        } else if (section == SectionAutorun && !SmpTestMode && !SmpBenchMode) {
            run_autorun(line);
        }
        line = next;
    }
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    CHAR cmd[MAX_LINE];
    PRTL_USER_PROCESS_PARAMETERS pp = Peb->ProcessParameters;
    ULONG n = 0;
    for (; pp && n < pp->CommandLine.Length / sizeof(WCHAR) && n + 1 < sizeof cmd; n++)
        cmd[n] = (CHAR)pp->CommandLine.Buffer[n];
    cmd[n] = 0;
    SmpTestMode = has_word(cmd, "test");
    SmpBenchMode = has_word(cmd, "bench");
    SmpProfileMode = has_word(cmd, "profile");
    SmpCrashCritical = has_word(cmd, "crash=critical");
    SmpCrashCsrss = has_word(cmd, "crash=csrss");
    DbgPrint("smss: Daytona session manager (command line \"%s\")\n", cmd);
    UNICODE_STRING readyName;
    OBJECT_ATTRIBUTES readyAttributes;
    RtlInitUnicodeString(&readyName, CSR_READY_EVENT_NAME);
    InitializeObjectAttributes(&readyAttributes, &readyName, OBJ_CASE_INSENSITIVE | OBJ_OPENIF, NULL, NULL);
    if (!NT_SUCCESS(NtCreateEvent(&SmpCsrReady, EVENT_ALL_ACCESS_, &readyAttributes, NOTIFICATION_EVENT, FALSE)))
        SmpCsrReady = NULL;

    PCHAR config = read_config();
    for (PCHAR p = config; p && *p; p++)
        if (*p == '[' && (p == config || p[-1] == '\n') && !memcmp(p, "[Autorun]", 9)) /* a section, not a comment */
            SmpHasAutorun = TRUE;
    if (config)
        run_config(config);
    if (SmpCrashCritical) /* the test of the critical-process rule: a critical process that exits */
        add_critical("\\SystemRoot\\System32\\ntest.exe exit 3");

    if (SmpTestMode || SmpBenchMode) {
        DbgPrint("smss: %s programs: %u passed, %u failed\n", SmpTestMode ? "test" : "benchmark",
                 SmpTestsPassed, SmpTestsFailed);
        if (!SmpCrashCritical)
            shutdown_subsystem();
        if (!SmpCrashCritical)
            NtShutdownSystem(SHUTDOWN_POWER_OFF);
    }
    if (SmpCriticalCount == 0) {
        DbgPrint("smss: no critical processes to watch; idling\n");
        LARGE_INTEGER forever = {.QuadPart = (LONGLONG)0x8000000000000000ull};
        for (;;)
            NtDelayExecution(FALSE, &forever);
    }
    NTSTATUS which = NtWaitForMultipleObjects(SmpCriticalCount, SmpCritical, WAIT_ANY_, FALSE, NULL);
    ULONG i = (ULONG)which < SmpCriticalCount ? (ULONG)which : 0;
    NTSTATUS code = exit_status_of(SmpCritical[i]);
    DbgPrint("smss: critical process %s exited with 0x%08X: stopping the system\n", SmpCriticalName[i],
             (ULONG)code);
    ULONG_PTR params[2] = {(ULONG_PTR)code, i};
    NtRaiseHardError(STATUS_SYSTEM_PROCESS_TERMINATED_CODE, 2, 0, params, OPTION_SHUTDOWN_SYSTEM, NULL);
    NtTerminateProcess(NtCurrentProcess(), STATUS_UNSUCCESSFUL); /* not reached: the system stopped */
}
