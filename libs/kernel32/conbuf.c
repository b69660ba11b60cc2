/*
 * conbuf.c - the line buffer between a console handle and the debug log.
 *
 * Why: until consrv gives processes real consoles, text a program writes to
 * its standard output goes to the serial log through DbgPrint, which the
 * kernel prints one call per line, prefixed with the process's name. A
 * program that writes "3 passed" with one WriteFile and ", 0 failed\n" with
 * the next must still make one log line, so partial lines wait here for
 * their newline (or for ExitProcess). A very long line is cut into
 * BASEP_LINE_MAX-character pieces rather than held without bound: the
 * kernel would cut it anyway, at 512 bytes.
 *
 * Pure: tests/unit/test_kernel32_pure.c includes this file.
 */
#include "k32p.h"

static VOID emit(PBASEP_LINE_BUFFER Buffer, BASEP_LINE_SINK Sink, PVOID Context) {
    ULONG n = Buffer->Used;
    if (n > 0 && Buffer->Text[n - 1] == '\r')
        n--; /* "\r\n" ends a line like "\n" */
    Buffer->Text[n++] = '\n';
    Sink(Context, Buffer->Text, n);
    Buffer->Used = 0;
}

VOID BasepLineBufferWrite(PBASEP_LINE_BUFFER Buffer, PCSTR Text, ULONG Length, BASEP_LINE_SINK Sink,
                          PVOID Context) {
    for (ULONG i = 0; i < Length; i++) {
        CHAR c = Text[i];
        if (c == '\n') {
            emit(Buffer, Sink, Context);
            continue;
        }
        if (Buffer->Used == BASEP_LINE_MAX)
            emit(Buffer, Sink, Context); /* too long: cut here */
        Buffer->Text[Buffer->Used++] = c;
    }
}

VOID BasepLineBufferFlush(PBASEP_LINE_BUFFER Buffer, BASEP_LINE_SINK Sink, PVOID Context) {
    if (Buffer->Used > 0)
        emit(Buffer, Sink, Context);
}
