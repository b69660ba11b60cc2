/*
 * error.c - the calling thread's last error (TEB->LastErrorValue).
 *
 * Why: Win32 functions answer TRUE/FALSE or a handle/NULL and leave the
 * reason in the thread's TEB, where GetLastError reads it (NT keeps it at
 * TEB+0x34, and mingw's code reads it there too). Failures that come from an
 * Nt service are stored through BaseSetLastNTError, which translates the
 * NTSTATUS with the table in errtab.c.
 */
#include "k32p.h"

DWORD WINAPI GetLastError(VOID) {
    return NtCurrentTeb()->LastErrorValue;
}

VOID WINAPI SetLastError(DWORD ErrorCode) {
    NtCurrentTeb()->LastErrorValue = ErrorCode;
}

/* SetLastErrorEx's Type (an SLE_* level) is ignored, as on NT. */
VOID WINAPI SetLastErrorEx(DWORD ErrorCode, DWORD Type) {
    (void)Type;
    NtCurrentTeb()->LastErrorValue = ErrorCode;
}

ULONG BaseSetLastNTError(NTSTATUS Status) {
    ULONG error = BasepNtStatusToDosError(Status);
    NtCurrentTeb()->LastErrorValue = error;
    return error;
}
