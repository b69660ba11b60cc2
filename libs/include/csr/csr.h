/*
 * csr.h - ntdll's CSR client: the calls kernel32 (and later gdi32/user32)
 * make to reach csrss. NT's names and prototypes, as mingw's libntdll.a
 * imports them.
 *
 * Why: the client half of the protocol in csrmsg.h lives once, in ntdll
 * (libs/ntdll/csrclient.c), so every DLL that talks to csrss shares one
 * connection and one port view per process.
 */
#ifndef CSR_CSR_H
#define CSR_CSR_H

#include <csr/csrmsg.h>

/* Connects the process to csrss (once; later calls reuse the connection)
 * and, when ServerId names a server module, hands ConnectionInformation to
 * that module's connect routine, which may write an answer back into it.
 * ObjectDirectory is ignored (always \Windows). *ServerToServerCall is set
 * TRUE in csrss itself, which needs no connection. */
NTSTATUS NTAPI CsrClientConnectToServer(PWSTR ObjectDirectory, ULONG ServerId, PVOID ConnectionInformation,
                                        PULONG ConnectionInformationLength, PBOOLEAN ServerToServerCall);

/* Sends ApiMessage (ArgumentLength bytes of its union used) with
 * CaptureBuffer (or NULL) and waits for the answer; returns csrss's
 * ReturnValue, or the LPC failure. The message's pointers into the capture
 * buffer are valid again when it returns. */
NTSTATUS NTAPI CsrClientCallServer(PCSR_API_MESSAGE ApiMessage, PCSR_CAPTURE_BUFFER CaptureBuffer,
                                   ULONG ApiNumber, ULONG ArgumentLength);

/* A capture buffer in the port view for CountMessagePointers pointers and
 * Length bytes of data; NULL when the view is full. */
PCSR_CAPTURE_BUFFER NTAPI CsrAllocateCaptureBuffer(ULONG CountMessagePointers, ULONG Length);
VOID NTAPI CsrFreeCaptureBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer);

/* Reserves Length bytes in the capture buffer, stores their address in
 * *Pointer (a field of the message) and records that field. Returns the
 * bytes reserved (Length rounded up to 4). */
ULONG NTAPI CsrAllocateMessagePointer(PCSR_CAPTURE_BUFFER CaptureBuffer, ULONG Length, PVOID *Pointer);

/* CsrAllocateMessagePointer, then copies Buffer (if not NULL) there. */
VOID NTAPI CsrCaptureMessageBuffer(PCSR_CAPTURE_BUFFER CaptureBuffer, PVOID Buffer, ULONG Length,
                                   PVOID *CapturedBuffer);

/* Captures Length bytes of String into a counted STRING of MaximumLength
 * bytes in the capture buffer; CapturedString (in the message) describes it. */
VOID NTAPI CsrCaptureMessageString(PCSR_CAPTURE_BUFFER CaptureBuffer, PCSTR String, ULONG Length,
                                   ULONG MaximumLength, PSTRING CapturedString);

/* csrss's process id (0 before the first connect). */
ULONG NTAPI CsrGetProcessId(VOID);

/* Quick LPC (csrmsg.h, DESIGN.md section 7). The calling thread's shared
 * window: on the thread's first call ntdll creates the 64 KiB section and
 * the event pair and asks csrss (CsrpThreadConnect) for a server thread;
 * later calls return the same window. NULL if csrss refused. */
PVOID NTAPI CsrQuickLpcWindow(VOID);

/* One quick-LPC round trip: the caller has written its requests into the
 * window; this wakes the thread's csrss server thread (set high, wait low)
 * and returns when csrss has answered in the window. */
NTSTATUS NTAPI CsrQuickLpcCall(VOID);

#endif
