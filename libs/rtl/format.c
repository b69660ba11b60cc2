/*
 * format.c - RtlFormatString: the printf engine of the kernel and its logs.
 *
 * Why: the kernel has no C library. This is the one formatter every log line,
 * the boot screen and the STOP screen go through; the host unit tests compare
 * it with the C library's snprintf over a table of formats.
 */
#include "../../kernel/include/rtl.h"

typedef struct _FORMAT_SINK {
    char *Buffer;
    SIZE_T Size;
    SIZE_T Length; /* characters produced so far, written or not */
} FORMAT_SINK;

static void sink_put(FORMAT_SINK *Sink, char c) {
    if (Sink->Size != 0 && Sink->Length < Sink->Size - 1)
        Sink->Buffer[Sink->Length] = c;
    Sink->Length++;
}

static void sink_pad(FORMAT_SINK *Sink, char c, int count) {
    while (count-- > 0)
        sink_put(Sink, c);
}

/* Emits Prefix ("-", "0x" or "") and Digits (Count of them), padded to
 * Width: zeros go between the prefix and the digits, spaces outside. */
static void emit_number(FORMAT_SINK *Sink, const char *Digits, int Count, const char *Prefix, int Width,
                        BOOLEAN LeftAlign, BOOLEAN ZeroPad) {
    int prefixLength = 0;
    while (Prefix[prefixLength])
        prefixLength++;
    int body = Count + prefixLength;
    int pad = Width > body ? Width - body : 0;
    if (!LeftAlign && !ZeroPad)
        sink_pad(Sink, ' ', pad);
    for (int i = 0; i < prefixLength; i++)
        sink_put(Sink, Prefix[i]);
    if (!LeftAlign && ZeroPad)
        sink_pad(Sink, '0', pad);
    for (int i = 0; i < Count; i++)
        sink_put(Sink, Digits[i]);
    if (LeftAlign)
        sink_pad(Sink, ' ', pad);
}

/* Renders Value in Base into Out (most significant first); returns the count. */
static int render_unsigned(ULONGLONG Value, unsigned Base, BOOLEAN Upper, char *Out) {
    const char *digits = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digits[Value % Base];
        Value /= Base;
    } while (Value != 0);
    for (int i = 0; i < n; i++)
        Out[i] = tmp[n - 1 - i];
    return n;
}

int RtlFormatStringV(char *Buffer, SIZE_T Size, PCSTR Format, va_list Args) {
    FORMAT_SINK sink = {Buffer, Size, 0};
    for (const char *p = Format; *p; p++) {
        if (*p != '%') {
            sink_put(&sink, *p);
            continue;
        }
        p++;
        BOOLEAN left = FALSE, zero = FALSE, alternate = FALSE;
        for (;; p++) {
            if (*p == '-')
                left = TRUE;
            else if (*p == '#')
                alternate = TRUE;
            else if (*p == '0')
                zero = TRUE;
            else
                break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(Args, int);
            if (width < 0) {
                left = TRUE;
                width = -width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9')
                width = width * 10 + (*p++ - '0');
        }
        int precision = -1;
        if (*p == '.') {
            p++;
            precision = 0;
            if (*p == '*') {
                precision = va_arg(Args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    precision = precision * 10 + (*p++ - '0');
            }
        }
        int longs = 0;
        BOOLEAN size_t_len = FALSE;
        while (*p == 'l' || *p == 'z' || *p == 'h') {
            if (*p == 'l')
                longs++;
            else if (*p == 'z')
                size_t_len = TRUE;
            p++;
        }
        char digits[24];
        switch (*p) {
        case 'c': {
            char c = (char)va_arg(Args, int);
            if (!left)
                sink_pad(&sink, ' ', width - 1);
            sink_put(&sink, c);
            if (left)
                sink_pad(&sink, ' ', width - 1);
            break;
        }
        case 's': {
            const char *s = va_arg(Args, const char *);
            if (!s)
                s = "(null)";
            int len = 0;
            while (s[len] && (precision < 0 || len < precision))
                len++;
            if (!left)
                sink_pad(&sink, ' ', width - len);
            for (int i = 0; i < len; i++)
                sink_put(&sink, s[i]);
            if (left)
                sink_pad(&sink, ' ', width - len);
            break;
        }
        case 'd':
        case 'i': {
            LONGLONG v;
            if (longs >= 2)
                v = va_arg(Args, long long);
            else if (longs == 1)
                v = va_arg(Args, long);
            else if (size_t_len)
                v = (LONGLONG)va_arg(Args, ptrdiff_t);
            else
                v = va_arg(Args, int);
            ULONGLONG mag = v < 0 ? (ULONGLONG)0 - (ULONGLONG)v : (ULONGLONG)v;
            int n = render_unsigned(mag, 10, FALSE, digits);
            emit_number(&sink, digits, n, v < 0 ? "-" : "", width, left, zero);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'p': {
            ULONGLONG v;
            if (*p == 'p')
                v = (ULONG_PTR)va_arg(Args, void *);
            else if (longs >= 2)
                v = va_arg(Args, unsigned long long);
            else if (longs == 1)
                v = va_arg(Args, unsigned long);
            else if (size_t_len)
                v = va_arg(Args, size_t);
            else
                v = va_arg(Args, unsigned int);
            unsigned base = *p == 'u' ? 10 : 16;
            if (*p == 'p') { /* NT style: 8 upper-case hex digits, no 0x */
                int n = render_unsigned(v, 16, TRUE, digits);
                emit_number(&sink, digits, n, "", (int)(2 * sizeof(void *)), FALSE, TRUE);
            } else {
                int n = render_unsigned(v, base, *p == 'X', digits);
                const char *prefix = alternate && base == 16 && v != 0 ? (*p == 'X' ? "0X" : "0x") : "";
                emit_number(&sink, digits, n, prefix, width, left, zero);
            }
            break;
        }
        case '%': sink_put(&sink, '%'); break;
        case '\0':
            p--; /* a lone '%' at the end: stop cleanly */
            break;
        default: /* unknown conversion: print it as it stands */
            sink_put(&sink, '%');
            sink_put(&sink, *p);
            break;
        }
    }
    if (sink.Size != 0)
        sink.Buffer[sink.Length < sink.Size ? sink.Length : sink.Size - 1] = '\0';
    return (int)sink.Length;
}

int RtlFormatString(char *Buffer, SIZE_T Size, PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = RtlFormatStringV(Buffer, Size, Format, args);
    va_end(args);
    return n;
}

/* Copies at most Size-1 characters and always terminates (when Size > 0). */
size_t RtlStringCopy(char *Dest, const char *Src, size_t Size) {
    size_t n = 0;
    if (Size == 0)
        return 0;
    while (n + 1 < Size && Src[n]) {
        Dest[n] = Src[n];
        n++;
    }
    Dest[n] = '\0';
    return n;
}
