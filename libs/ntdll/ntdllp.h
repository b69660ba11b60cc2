/*
 * ntdllp.h - what ntdll's own source files share and nobody else sees.
 *
 * Why: a few situations in ntdll have no caller to hand a status back to -
 * the loader failing before the program's first instruction, a critical
 * section whose wait event cannot be made - and NT answers them by raising
 * an exception nobody catches, which ends the process. Daytona has no
 * user-mode exception dispatch yet, so they end the process directly, in
 * one place, with a line on the debug log saying why.
 */
#ifndef NTDLL_NTDLLP_H
#define NTDLL_NTDLLP_H

#include <nt/ntapi.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>

/* Ends this process with Status. Does not return: should the kernel refuse
 * to end its caller, it says so and asks again. */
static inline __attribute__((noreturn)) VOID RtlpTerminateProcess(NTSTATUS Status) {
    for (;;) {
        NTSTATUS status = NtTerminateProcess(NtCurrentProcess(), Status);
        DbgPrint("NTDLL: NtTerminateProcess(0x%08x) returned 0x%08x\n", (ULONG)Status, (ULONG)status);
    }
}

#endif
