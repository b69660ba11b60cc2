/*
 * kddebug.c - the debug service (int 0x2D): DbgPrint from user mode.
 *
 * Why: NT's DbgPrint in user mode raises int 0x2D with EAX = BREAKPOINT_PRINT,
 * ECX = the text and EDX = its length (docs/processes.md). The text is copied
 * with the fault-safe copy (a bad pointer prints nothing, it does not crash)
 * and logged with the name of the process that printed it.
 */
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/x86.h"

#define BREAKPOINT_PRINT 1
#define KD_PRINT_MAX 512

VOID KdpDebugService(PKTRAP_FRAME Tf) {
    if (Tf->Eax != BREAKPOINT_PRINT)
        return;
    char text[KD_PRINT_MAX + 1];
    ULONG length = Tf->Edx < KD_PRINT_MAX ? Tf->Edx : KD_PRINT_MAX;
    PKTHREAD t = KeGetCurrentThread();
    UCHAR saved = t->PreviousMode;
    t->PreviousMode = (Tf->SegCs & RPL_USER) ? UserMode : KernelMode;
    _enable();
    NTSTATUS status = ExCopyFromCaller(text, (const VOID *)Tf->Ecx, length);
    _disable();
    t->PreviousMode = saved;
    if (!NT_SUCCESS(status)) {
        Tf->Eax = (ULONG)status;
        return;
    }
    text[length] = '\0';
    for (ULONG i = 0; i < length; i++)
        if (text[i] == '\0' || ((unsigned char)text[i] < 0x20 && text[i] != '\n' && text[i] != '\t'))
            text[i] = '.'; /* keep the log printable */
    KdPrintComponent(PsGetCurrentProcess()->ImageFileName, "%s", text);
    Tf->Eax = STATUS_SUCCESS;
}
