/*
 * kd.h - the kernel debugger transport: the COM1 serial debug log.
 *
 * Why: NT's kdcom.dll carries the debugger over a serial port; ours carries the
 * debug log. Every line names the component that printed it ("[mm] ..."), so a
 * boot log reads like a trace. A file sets KD_COMPONENT before including this
 * header and then writes KdPrint(("fmt", ...)) style calls as KdPrint("fmt",..).
 */
#ifndef KERNEL_KD_H
#define KERNEL_KD_H

#include <nt/ntdef.h>

#define COM1_PORT 0x3F8

VOID KdInitializeSerial(VOID);
VOID KdPutString(PCSTR Text);
/* Reads one byte from COM1 if one has arrived; FALSE otherwise. */
BOOLEAN KdPollByte(UCHAR *Byte);
/* Prints "[Component] text" with a newline added when Format has none. */
VOID KdPrintComponent(PCSTR Component, PCSTR Format, ...) __attribute__((format(printf, 2, 3)));
/* Raw printf to the serial log, no prefix. */
VOID DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));

#ifdef KD_COMPONENT
#define KdPrint(...) KdPrintComponent(KD_COMPONENT, __VA_ARGS__)
#endif

#endif
