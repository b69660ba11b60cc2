/*
 * kdcom.c - the serial debug log on COM1 (NT's kdcom transport).
 *
 * Why: the serial port is the one output that works before memory, video or
 * anything else, and the test harness reads it. 115200 baud, 8N1, polled:
 * a log line must get out even with interrupts off or the system dying.
 */
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <stdarg.h>

/* 16550 UART registers, as offsets from the base port. */
#define UART_DATA 0 /* DLAB=0: receive/transmit; DLAB=1: divisor low */
#define UART_IER 1  /* DLAB=0: interrupt enable; DLAB=1: divisor high */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LCR_DLAB 0x80
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR_14 0xC7
#define MCR_DTR_RTS_OUT2 0x0B
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define UART_DIVISOR_115200 1
#define KD_LINE_MAX 512

static BOOLEAN KdpAtLineStart = TRUE;

VOID KdInitializeSerial(VOID) {
    WRITE_PORT_UCHAR(COM1_PORT + UART_IER, 0);
    WRITE_PORT_UCHAR(COM1_PORT + UART_LCR, LCR_DLAB);
    WRITE_PORT_UCHAR(COM1_PORT + UART_DATA, UART_DIVISOR_115200);
    WRITE_PORT_UCHAR(COM1_PORT + UART_IER, 0);
    WRITE_PORT_UCHAR(COM1_PORT + UART_LCR, LCR_8N1);
    WRITE_PORT_UCHAR(COM1_PORT + UART_FCR, FCR_ENABLE_CLEAR_14);
    WRITE_PORT_UCHAR(COM1_PORT + UART_MCR, MCR_DTR_RTS_OUT2);
}

static void put_raw(char c) {
    for (ULONG spin = 0; spin < 100000; spin++)
        if (READ_PORT_UCHAR(COM1_PORT + UART_LSR) & LSR_THR_EMPTY)
            break;
    WRITE_PORT_UCHAR(COM1_PORT + UART_DATA, (UCHAR)c);
}

VOID KdPutString(PCSTR Text) {
    for (; *Text; Text++) {
        if (*Text == '\n')
            put_raw('\r');
        put_raw(*Text);
        KdpAtLineStart = *Text == '\n';
    }
}

BOOLEAN KdPollByte(UCHAR *Byte) {
    if (!(READ_PORT_UCHAR(COM1_PORT + UART_LSR) & LSR_DATA_READY))
        return FALSE;
    *Byte = READ_PORT_UCHAR(COM1_PORT + UART_DATA);
    return TRUE;
}

VOID KdPrintComponent(PCSTR Component, PCSTR Format, ...) {
    char line[KD_LINE_MAX];
    int n = RtlFormatString(line, sizeof line, "[%s] ", Component);
    va_list args;
    va_start(args, Format);
    RtlFormatStringV(line + n, sizeof line - (SIZE_T)n, Format, args);
    va_end(args);
    SIZE_T len = strlen(line);
    ULONG state = KeDisableInterrupts();
    if (!KdpAtLineStart)
        KdPutString("\n");
    KdPutString(line);
    if (len == 0 || line[len - 1] != '\n')
        KdPutString("\n");
    KeRestoreInterrupts(state);
}

VOID DbgPrint(PCSTR Format, ...) {
    char line[KD_LINE_MAX];
    va_list args;
    va_start(args, Format);
    RtlFormatStringV(line, sizeof line, Format, args);
    va_end(args);
    KdPutString(line);
}
