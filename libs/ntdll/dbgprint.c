/*
 * dbgprint.c - DbgPrint: printf to the kernel's debug log.
 *
 * Why: the first thing anyone debugging a native program reaches for. NT's
 * protocol is kept (docs/processes.md): the text is formatted here, in user
 * mode, and handed to the kernel with int 0x2D, EAX = BREAKPOINT_PRINT,
 * ECX = the text, EDX = its length; the kernel copies at most 512 bytes
 * through its fault-safe copy and writes them to the serial log under the
 * process's name. The buffer lives on the caller's stack, so DbgPrint works
 * before the process heap exists (the loader's first messages).
 */
#include <stdarg.h>

#include <nt/ntrtl.h>

#include "../../kernel/include/rtl.h"

ULONG NTCDECL DbgPrint(PCSTR Format, ...) {
    char buffer[DBG_PRINT_BUFFER_SIZE];
    va_list args;

    va_start(args, Format);
    int length = RtlFormatStringV(buffer, sizeof buffer, Format, args);
    va_end(args);
    if (length < 0)
        length = 0;
    if ((SIZE_T)length >= sizeof buffer)
        length = sizeof buffer - 1; /* what was kept: the text is cut, never overrun */

    ULONG service = BREAKPOINT_PRINT;
    PCSTR text = buffer;
    ULONG bytes = (ULONG)length;
    /* The kernel may use any of the three registers for its answer. */
    __asm__ volatile("int $0x2d" : "+a"(service), "+c"(text), "+d"(bytes) : : "memory");
    return STATUS_SUCCESS;
}
