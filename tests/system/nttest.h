/*
 * nttest.h - the little harness the in-OS native test programs share
 * (ntest.exe, csrtest.exe): CHECK macros, named test runs, and starting a
 * child process.
 *
 * Why: each test program reports through DbgPrint (the serial log) and
 * ends with "N passed, N failed", which the boot test collects; one copy
 * of that harness keeps the programs' output alike. Define NTTEST_NAME
 * (the prefix of every line) before including it.
 */
#ifndef TESTS_SYSTEM_NTTEST_H
#define TESTS_SYSTEM_NTTEST_H

#include <nt/ntapi.h>
#include <nt/ntcontext.h>
#include <nt/ntcrt.h>
#include <nt/ntexapi.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlstring.h>

static ULONG Passed, Failed, Checks, CheckFailures;

static __attribute__((unused)) PCSTR strstr_(PCSTR Haystack, PCSTR Needle) {
    SIZE_T n = strlen(Needle);
    for (; *Haystack; Haystack++)
        if (!strncmp(Haystack, Needle, n))
            return Haystack;
    return NULL;
}

static __attribute__((unused)) LONG atol_(PCSTR Text) {
    LONG v = 0;
    BOOLEAN neg = *Text == '-';
    for (Text += neg; *Text >= '0' && *Text <= '9'; Text++)
        v = v * 10 + (*Text - '0');
    return neg ? -v : v;
}
static PCSTR CurrentTest;

#define CHECK(cond) check_((cond) ? TRUE : FALSE, #cond, __LINE__)
#define CHECK_STATUS(expr, want) check_status_((ULONG)(expr), (ULONG)(want), #expr, __LINE__)

static __attribute__((unused)) VOID check_(BOOLEAN ok, PCSTR what, ULONG line) {
    Checks++;
    if (!ok) {
        CheckFailures++;
        DbgPrint(NTTEST_NAME ":   check failed in %s: %s (line %u)\n", CurrentTest, what, line);
    }
}

static __attribute__((unused)) VOID check_status_(ULONG got, ULONG want, PCSTR what, ULONG line) {
    Checks++;
    if (got != want) {
        CheckFailures++;
        DbgPrint(NTTEST_NAME ":   check failed in %s: %s: got 0x%08X, expected 0x%08X (line %u)\n",
                 CurrentTest, what, got, want, line);
    }
}

static __attribute__((unused)) VOID run(PCSTR Name, VOID (*Test)(VOID)) {
    CurrentTest = Name;
    Checks = CheckFailures = 0;
    Test();
    BOOLEAN ok = CheckFailures == 0 && Checks > 0;
    DbgPrint(NTTEST_NAME ": %s %s (%u checks)\n", ok ? "PASS" : "FAIL", Name, Checks);
    if (ok)
        Passed++;
    else
        Failed++;
}

/* ---- helpers ---- */

static __attribute__((unused)) VOID widen(PCSTR Text, PUNICODE_STRING Out, PWCHAR Buffer, ULONG Chars) {
    ULONG n = 0;
    for (; Text[n] && n + 1 < Chars; n++)
        Buffer[n] = (UCHAR)Text[n];
    Buffer[n] = 0;
    Out->Buffer = Buffer;
    Out->Length = (USHORT)(n * sizeof(WCHAR));
    Out->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
}

/* Starts Image with CommandLine; returns the process handle or NULL. */
static __attribute__((unused)) HANDLE spawn(PCSTR Image, PCSTR CommandLine, PHANDLE Thread) {
    WCHAR iw[128], cw[256];
    UNICODE_STRING image, cmd;
    widen(Image, &image, iw, 128);
    widen(CommandLine, &cmd, cw, 256);
    PRTL_USER_PROCESS_PARAMETERS params;
    if (!NT_SUCCESS(
            RtlCreateProcessParameters(&params, &image, NULL, NULL, &cmd, NULL, NULL, NULL, NULL, NULL)))
        return NULL;
    RTL_USER_PROCESS_INFORMATION info;
    memset(&info, 0, sizeof info);
    info.Length = sizeof info;
    NTSTATUS status = RtlCreateUserProcess(&image, OBJ_CASE_INSENSITIVE, params, NULL, NULL, NULL, FALSE,
                                           NULL, NULL, &info);
    RtlDestroyProcessParameters(params);
    if (!NT_SUCCESS(status)) {
        DbgPrint(NTTEST_NAME ":   cannot start %s: 0x%08X\n", CommandLine, (ULONG)status);
        return NULL;
    }
    if (Thread)
        *Thread = info.Thread;
    else {
        NtResumeThread(info.Thread, NULL);
        NtClose(info.Thread);
    }
    return info.Process;
}

static __attribute__((unused)) NTSTATUS exit_code(HANDLE Process) {
    PROCESS_BASIC_INFORMATION b;
    NTSTATUS s = NtQueryInformationProcess(Process, ProcessBasicInformation, &b, sizeof b, NULL);
    return NT_SUCCESS(s) ? b.ExitStatus : s;
}

#endif
