/*
 * crt.c - the C run-time routines ntdll.dll exports, as NT's does.
 *
 * Why: native programs (smss, csrss) have no C library but ntdll, and NT's
 * ntdll exports a small one for them: the string and memory routines,
 * sprintf and friends, and the compiler's 64-bit arithmetic helpers. memcpy,
 * memmove, memset, memcmp, strlen, strcmp and strncmp come from
 * libs/rtl/string.c (shared with the kernel); the formatting is
 * RtlFormatString's, so %-conversions behave the same in DbgPrint, sprintf
 * and the kernel's log.
 *
 * _snprintf and _vsnprintf keep Microsoft's contract, which differs from
 * C99's snprintf: the result is the length when it fits, with a NUL when
 * there is room for one; when the text is longer than Count, Count
 * characters are written, no NUL, and the result is -1.
 */
#include <stdarg.h>

#include <nt/ntrtl.h>
#include <nt/rtlheap.h>

#include "../../kernel/include/rtl.h"

char *strcpy(char *Destination, const char *Source) {
    char *d = Destination;
    while ((*d++ = *Source++) != '\0')
        ;
    return Destination;
}

char *strcat(char *Destination, const char *Source) {
    strcpy(Destination + strlen(Destination), Source);
    return Destination;
}

char *strchr(const char *String, int Character) {
    for (;; String++) {
        if (*String == (char)Character)
            return (char *)String;
        if (*String == '\0')
            return NULL;
    }
}

char *strrchr(const char *String, int Character) {
    const char *found = NULL;
    for (;; String++) {
        if (*String == (char)Character)
            found = String;
        if (*String == '\0')
            return (char *)found;
    }
}

size_t wcslen(const WCHAR *String) {
    size_t n = 0;
    while (String[n] != 0)
        n++;
    return n;
}

int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args) {
    va_list again;
    va_copy(again, Args);
    int length = RtlFormatStringV(Buffer, Count, Format, Args);
    if (length < 0 || (size_t)length < Count) {
        va_end(again);
        return length; /* it fitted, NUL and all */
    }
    /* Too long: Microsoft wants the first Count characters and no NUL, but
     * the formatter always ends with one, so format Count + 1 bytes aside. */
    if (Count != 0) {
        char *whole = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, 0, Count + 1);
        if (whole != NULL) {
            RtlFormatStringV(whole, Count + 1, Format, again);
            __builtin_memcpy(Buffer, whole, Count);
            if (!RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, whole))
                DbgPrint("RTL: _vsnprintf could not free %p\n", (PVOID)whole);
        }
        /* Without memory the last byte stays the NUL the formatter wrote. */
    }
    va_end(again);
    return (size_t)length == Count ? length : -1;
}

int _snprintf(char *Buffer, size_t Count, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int length = _vsnprintf(Buffer, Count, Format, args);
    va_end(args);
    return length;
}

int vsprintf(char *Buffer, const char *Format, va_list Args) {
    return RtlFormatStringV(Buffer, (SIZE_T)-1, Format, Args);
}

int sprintf(char *Buffer, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int length = RtlFormatStringV(Buffer, (SIZE_T)-1, Format, args);
    va_end(args);
    return length;
}

/* ---- the 64-bit helpers Microsoft's compiler calls (stdcall, callee pops
 * both operands); gcc's own code uses libgcc's instead. The shifts take
 * their operands in registers and live in i386.S. ---- */

LONGLONG NTAPI _alldiv(LONGLONG Dividend, LONGLONG Divisor) {
    return Dividend / Divisor;
}

LONGLONG NTAPI _allrem(LONGLONG Dividend, LONGLONG Divisor) {
    return Dividend % Divisor;
}

LONGLONG NTAPI _allmul(LONGLONG Multiplicand, LONGLONG Multiplier) {
    return (LONGLONG)((ULONGLONG)Multiplicand * (ULONGLONG)Multiplier);
}

ULONGLONG NTAPI _aulldiv(ULONGLONG Dividend, ULONGLONG Divisor) {
    return Dividend / Divisor;
}

ULONGLONG NTAPI _aullrem(ULONGLONG Dividend, ULONGLONG Divisor) {
    return Dividend % Divisor;
}
