/*
 * ntinfo.c - prints what the executive knows about the running system.
 *
 * Why: a first program for smss's [Run] section on a normal boot, in the
 * spirit of NT's pstat: the version from the PEB, the memory and event
 * counters (SystemEventCounterInformation's system-wide block among them)
 * from NtQuerySystemInformation, and the process list. It shows a
 * person reading the serial log that user mode is alive, and shows a reader
 * how a native program asks the kernel about the system.
 */
#include <nt/ntapi.h>
#include <nt/ntexapi.h>
#include <nt/ntcrt.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>




static UCHAR Buffer[16384];

VOID NTAPI NtProcessStartup(PPEB Peb) {
    SYSTEM_PERFORMANCE_INFORMATION perf;
    DbgPrint("Daytona %u.%u (build %u): the executive is up\n", Peb->OSMajorVersion, Peb->OSMinorVersion,
             Peb->OSBuildNumber);
    if (NT_SUCCESS(NtQuerySystemInformation(SystemPerformanceInformation, &perf, sizeof perf, NULL)))
        DbgPrint(
            "memory: %u KiB free of %u KiB; %u system calls, %u context switches, %u page faults so far\n",
            perf.AvailablePages * 4, perf.TotalPages * 4, perf.SystemCalls, perf.ContextSwitches,
            perf.PageFaults);
    SYSTEM_EVENT_COUNTER_INFORMATION c;
    if (NT_SUCCESS(NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c, NULL)))
        DbgPrint(
            "events since boot: %u system calls, %u LPC messages, %u quick-LPC calls, %u context switches, "
            "%u address-space switches, %u bytes copied, %u GDI batches (%u records)\n",
            c.System.SystemCalls, c.System.LpcMessages, c.System.QuickLpcCalls, c.System.ContextSwitches,
            c.System.AddressSpaceSwitches, c.System.BytesCopied, c.System.GdiBatches, c.System.GdiRecords);
    ULONG got = 0;
    if (NT_SUCCESS(NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof Buffer, &got))) {
        DbgPrint("  pid  parent threads handles  pages  image\n");
        for (ULONG off = 0; off < got;) {
            SYSTEM_PROCESS_INFORMATION *p = (SYSTEM_PROCESS_INFORMATION *)(Buffer + off);
            CHAR name[32];
            ULONG n = 0;
            for (; n < p->ImageName.Length / sizeof(WCHAR) && n + 1 < sizeof name; n++)
                name[n] = (CHAR)p->ImageName.Buffer[n];
            name[n] = 0;
            DbgPrint("%5u %7u %7u %8u %6u  %s%s\n", (ULONG)p->UniqueProcessId,
                     (ULONG)p->InheritedFromUniqueProcessId, p->NumberOfThreads, p->HandleCount,
                     p->CommittedPages, name, p->Exited ? " (exited)" : "");
            if (!p->NextEntryOffset)
                break;
            off += p->NextEntryOffset;
        }
    }
    NtTerminateProcess(NtCurrentProcess(), STATUS_SUCCESS);
}
