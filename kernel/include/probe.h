/*
 * probe.h - copying system-service arguments in from, and results out to,
 * the caller (kernel/ex/probe.c). Each returns STATUS_ACCESS_VIOLATION for a
 * user range that is outside user space or faults part way.
 */
#ifndef KERNEL_PROBE_H
#define KERNEL_PROBE_H

#include <nt/ntstatus.h>

#define MM_USER_PROBE_ADDRESS 0x7FFF0000u /* NT's: the last 64 KiB below 2 GiB are a no-access guard */

BOOLEAN ExIsUserRange(const VOID *Address, SIZE_T Length);
NT_CHECK_RESULT NTSTATUS ExCopyFromCaller(PVOID Dest, const VOID *Src, SIZE_T Length);
NT_CHECK_RESULT NTSTATUS ExCopyToCaller(PVOID Dest, const VOID *Src, SIZE_T Length);
/* Checks that the caller may write Length bytes at Address, aligned to
 * Alignment (a power of two): STATUS_DATATYPE_MISALIGNMENT, or the fault's
 * status, or success; one byte of each page is written back unchanged. */
NT_CHECK_RESULT NTSTATUS ExProbeForWrite(PVOID Address, SIZE_T Length, ULONG Alignment);
/* A pool copy of the caller's UNICODE_STRING (Length bytes, not terminated). */
NT_CHECK_RESULT NTSTATUS ExCaptureUnicodeString(const UNICODE_STRING *CallerString, PUNICODE_STRING Captured);
VOID ExReleaseCapturedUnicodeString(PUNICODE_STRING Captured);
/* Copies OBJECT_ATTRIBUTES and its name; Captured->ObjectName then points at
 * CapturedName (release it with ExReleaseCapturedUnicodeString). */
NT_CHECK_RESULT NTSTATUS ExCaptureObjectAttributes(const OBJECT_ATTRIBUTES *CallerAttributes,
                                                   POBJECT_ATTRIBUTES Captured, PUNICODE_STRING CapturedName);

/* The end of every query service: Needed bytes of Data to the caller's
 * buffer if they fit (else STATUS_INFO_LENGTH_MISMATCH), and the length
 * needed to *CallerReturnLength when it is given, in both cases. */
NT_CHECK_RESULT NTSTATUS ExReturnInformation(PVOID CallerBuffer, ULONG CallerLength, const VOID *Data, ULONG Needed,
                                             PULONG CallerReturnLength);

#endif
