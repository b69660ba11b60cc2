/*
 * sprintf.c - the printf family that writes to memory: sprintf, snprintf,
 * _snprintf, the v* forms, the wide ones, and _scprintf (count only).
 *
 * Why: all of them are crt_format with a memory sink; they differ only in
 * what happens when the text does not fit, and the two contracts are kept
 * apart on purpose:
 *
 *  - C99 (snprintf, vsnprintf): at most Count - 1 characters and always a
 *    NUL when Count > 0; the result is the full length the text needed.
 *  - Microsoft (_snprintf, _vsnprintf, _snwprintf, _vsnwprintf): the text and
 *    a NUL when it fits; when it is exactly Count long, Count characters and
 *    no NUL, result Count; when longer, Count characters, no NUL, result -1.
 *
 * A wide character above U+00FF written to narrow output becomes '?' (the
 * "C" locale has no multibyte form for it). Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

typedef struct memory_sink {
    CRT_SINK Base;
    void *Buffer;
    size_t Size;   /* units the buffer may take (NUL included) */
    size_t Length; /* units produced, stored or not */
    int Wide;      /* the buffer holds crt_wchar */
} MEMORY_SINK;

static int memory_put(CRT_SINK *Sink, unsigned Unit) {
    MEMORY_SINK *m = (MEMORY_SINK *)Sink;
    if (m->Length < m->Size) {
        if (m->Wide)
            ((crt_wchar *)m->Buffer)[m->Length] = (crt_wchar)Unit;
        else
            ((char *)m->Buffer)[m->Length] = (char)(Unit > 0xFF ? '?' : Unit);
    }
    m->Length++;
    return 0;
}

/* Formats into Buffer without writing past Size units and without a NUL;
 * returns the length of the whole text. */
static size_t format_to_memory(void *Buffer, size_t Size, int Wide, const void *Format, va_list Args) {
    MEMORY_SINK m = {{memory_put}, Buffer, Size, 0, Wide};
    crt_format(&m.Base, Format, Wide, Args);
    return m.Length;
}

static void terminate_at(void *Buffer, int Wide, size_t i) {
    if (Wide)
        ((crt_wchar *)Buffer)[i] = 0;
    else
        ((char *)Buffer)[i] = '\0';
}

int crt_vsnprintf_c99(char *Buffer, size_t Count, const char *Format, va_list Args) {
    size_t length = format_to_memory(Buffer, Count ? Count - 1 : 0, 0, Format, Args);
    if (Count)
        terminate_at(Buffer, 0, length < Count - 1 ? length : Count - 1);
    return length > INT_MAX ? -1 : (int)length;
}

static int vsnprintf_ms(void *Buffer, size_t Count, int Wide, const void *Format, va_list Args) {
    size_t length = format_to_memory(Buffer, Count, Wide, Format, Args);
    if (length < Count)
        terminate_at(Buffer, Wide, length);
    return length > Count || length > INT_MAX ? -1 : (int)length;
}

int crt_vsnprintf_ms(char *Buffer, size_t Count, const char *Format, va_list Args) {
    return vsnprintf_ms(Buffer, Count, 0, Format, Args);
}

int crt_vsnwprintf_ms(crt_wchar *Buffer, size_t Count, const crt_wchar *Format, va_list Args) {
    return vsnprintf_ms(Buffer, Count, 1, Format, Args);
}

/* ---- the exported names ---- */

int vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args) {
    return crt_vsnprintf_c99(Buffer, Count, Format, Args);
}

int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args) {
    return crt_vsnprintf_ms(Buffer, Count, Format, Args);
}

/* Unbounded: the caller promises the room. */
int vsprintf(char *Buffer, const char *Format, va_list Args) {
    return crt_vsnprintf_ms(Buffer, (size_t)INT_MAX, Format, Args);
}

int _vscprintf(const char *Format, va_list Args) {
    size_t length = format_to_memory(NULL, 0, 0, Format, Args);
    return length > INT_MAX ? -1 : (int)length;
}

int snprintf(char *Buffer, size_t Count, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnprintf_c99(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

int _snprintf(char *Buffer, size_t Count, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnprintf_ms(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

int sprintf(char *Buffer, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnprintf_ms(Buffer, (size_t)INT_MAX, Format, args);
    va_end(args);
    return n;
}

int _scprintf(const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = _vscprintf(Format, args);
    va_end(args);
    return n;
}

int _vsnwprintf(crt_wchar *Buffer, size_t Count, const crt_wchar *Format, va_list Args) {
    return crt_vsnwprintf_ms(Buffer, Count, Format, Args);
}

int _snwprintf(crt_wchar *Buffer, size_t Count, const crt_wchar *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnwprintf_ms(Buffer, Count, Format, args);
    va_end(args);
    return n;
}

/* Microsoft's original swprintf and vswprintf: no count. */
int vswprintf(crt_wchar *Buffer, const crt_wchar *Format, va_list Args) {
    return crt_vsnwprintf_ms(Buffer, (size_t)INT_MAX, Format, Args);
}

int swprintf(crt_wchar *Buffer, const crt_wchar *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnwprintf_ms(Buffer, (size_t)INT_MAX, Format, args);
    va_end(args);
    return n;
}
