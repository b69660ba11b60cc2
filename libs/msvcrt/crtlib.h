/*
 * crtlib.h - the pure half of msvcrt.dll: types, the FILE layout, and the
 * internal interfaces of the modules that call nothing outside themselves.
 *
 * Why: msvcrt is split in two. The pure modules (string.c, ctype.c,
 * strtol.c, qsort.c, format.c, sprintf.c, cmdline.c, errmsg.c, locale.c) use
 * only this header, so the host unit tests can #include their .c files and
 * compare them with the host C library. The rest (msvcrtp.h) talks to
 * KERNEL32.dll. Nothing here may include a C library header but the
 * freestanding ones (stddef, stdarg, stdint, limits), because the same text
 * is compiled on the host where glibc's headers are already in scope: a
 * public function that clashes with glibc is renamed by the test file with a
 * #define before it includes the source.
 *
 * The types follow what mingw-w64's headers tell a program (i386, msvcrt,
 * not UCRT): wchar_t is 16 bits, long is 32, FILE is struct _iobuf of 32
 * bytes. Data structures a program touches through mingw's headers are
 * checked with _Static_assert against the offsets those headers use.
 */
#ifndef LIBS_MSVCRT_CRTLIB_H
#define LIBS_MSVCRT_CRTLIB_H

#include <stdarg.h>
#include <stdint.h>

/*
 * Not <stddef.h> or <limits.h>: mingw's versions of those declare parts of
 * the CRT itself (_errno as dllimport, errno as a macro). The compiler's own
 * predefined macros give the same answers. On the host, glibc's definitions
 * come first and these repeat them harmlessly.
 */
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef offsetof
#define offsetof(type, member) __builtin_offsetof(type, member)
#endif
#ifndef INT_MAX
#define CHAR_MAX __SCHAR_MAX__
#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define LONG_MAX __LONG_MAX__
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define ULLONG_MAX (__LONG_LONG_MAX__ * 2ULL + 1ULL)
#endif

/* A UTF-16 code unit: wchar_t on Windows, whatever wchar_t is on the host. */
typedef uint16_t crt_wchar;

/* ---- FILE: mingw-w64's struct _iobuf (stdio.h, !_UCRT) ---- */

typedef struct crt_iobuf {
    char *_ptr;      /* next character in the buffer */
    int _cnt;        /* characters left to read, or room left to write */
    char *_base;     /* the buffer */
    int _flag;       /* _IO* bits below */
    int _file;       /* the low-level descriptor (0, 1, 2 for the standard streams) */
    int _charbuf;    /* one-character buffer of an unbuffered stream */
    int _bufsiz;     /* size of _base */
    char *_tmpfname; /* unused: no tmpfile() */
} CRT_FILE;

#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(sizeof(CRT_FILE) == 32, "FILE is 32 bytes on i386");
_Static_assert(offsetof(CRT_FILE, _flag) == 12, "FILE::_flag");
_Static_assert(offsetof(CRT_FILE, _file) == 16, "FILE::_file");
_Static_assert(offsetof(CRT_FILE, _tmpfname) == 28, "FILE::_tmpfname");
#endif

/* _flag bits. The first group has the values of Microsoft's stdio.h; mingw's
 * _lock_file sets 0x8000 (_IOLOCKED) itself, so that bit is never used here. */
#define CRT_IOREAD 0x0001
#define CRT_IOWRT 0x0002
#define CRT_IONBF 0x0004
#define CRT_IOMYBUF 0x0008
#define CRT_IOEOF 0x0010
#define CRT_IOERR 0x0020
#define CRT_IOSTRG 0x0040
#define CRT_IORW 0x0080
#define CRT_IOLINEBUF 0x0100   /* Daytona: flush at every '\n' (the standard output streams) */
#define CRT_IOTEXT 0x0200      /* text mode: "\n" goes out as "\r\n" */
#define CRT_IOFLUSHCALL 0x0400 /* flush at the end of every call (stderr) */
#define CRT_IOLOCKED 0x8000    /* owned by mingw's _lock_file */

#define CRT_EOF (-1)

/* ---- errno values (Microsoft's errno.h) ---- */

#define CRT_EPERM 1
#define CRT_ENOENT 2
#define CRT_EINTR 4
#define CRT_EIO 5
#define CRT_EBADF 9
#define CRT_ENOMEM 12
#define CRT_EACCES 13
#define CRT_EINVAL 22
#define CRT_EMFILE 24
#define CRT_ENOSPC 28
#define CRT_ESPIPE 29
#define CRT_EPIPE 32
#define CRT_EDOM 33
#define CRT_ERANGE 34
#define CRT_EILSEQ 42

/* The calling thread's errno. msvcrtp.h's _errno on the target; the host
 * tests supply their own. */
int *crt_errno_location(void);

/* ---- format.c: the printf engine ---- */

/* Where formatted output goes. Put receives one code unit at a time (a byte
 * for narrow output, a UTF-16 unit for wide) and returns 0, or -1 to stop. */
typedef struct crt_sink CRT_SINK;
struct crt_sink {
    int (*Put)(CRT_SINK *Sink, unsigned Unit);
};

/*
 * Formats Args by Format (narrow when Wide is 0, UTF-16 when it is 1) into
 * Sink, with Microsoft's conversions and C99's: flags "-+ #0", width and
 * precision (also "*"), length prefixes hh h l ll L j z t I I32 I64 w, and
 * d i u o x X c C s S p n f F e E g G %. In wide formats %s and %c take wide
 * arguments and %S %C narrow ones, as in Microsoft's wprintf. Returns the
 * number of units produced, or -1 when Sink refused one.
 */
int crt_format(CRT_SINK *Sink, const void *Format, int Wide, va_list Args);

/* ---- sprintf.c: the formatter into memory ---- */

int crt_vsnprintf_c99(char *Buffer, size_t Count, const char *Format, va_list Args);
int crt_vsnprintf_ms(char *Buffer, size_t Count, const char *Format, va_list Args);
int crt_vsnwprintf_ms(crt_wchar *Buffer, size_t Count, const crt_wchar *Format, va_list Args);

/* ---- cmdline.c: Microsoft's command-line rules ---- */

/*
 * Splits a command line into arguments the way msvcrt's start-up does (see
 * cmdline.c). With Argv NULL it only counts: *ArgCount gets the number of
 * arguments and *CharCount the characters (terminators included) they need.
 * Otherwise Argv has room for *ArgCount + 1 pointers and Chars for
 * *CharCount characters, and both are filled (Argv[ArgCount] = NULL).
 */
void crt_parse_cmdline(const char *CommandLine, char **Argv, char *Chars, int *ArgCount, size_t *CharCount);
void crt_parse_wcmdline(const crt_wchar *CommandLine, crt_wchar **Argv, crt_wchar *Chars, int *ArgCount,
                        size_t *CharCount);

/* ---- ctype.c ---- */

/* Microsoft's character-class bits (_UPPER ... _ALPHA) and the table of the
 * "C" locale, indexed by c + 1 for c in EOF..255. */
#define CRT_UPPER 0x0001
#define CRT_LOWER 0x0002
#define CRT_DIGIT 0x0004
#define CRT_SPACE 0x0008
#define CRT_PUNCT 0x0010
#define CRT_CONTROL 0x0020
#define CRT_BLANK 0x0040
#define CRT_HEX 0x0080
#define CRT_LEADBYTE 0x8000
#define CRT_ALPHA (0x0100 | CRT_UPPER | CRT_LOWER)
extern const unsigned short crt_ctype_table[257];

/* ---- errmsg.c ---- */

/* The text of errno value Error (never NULL). */
const char *crt_error_text(int Error);

#endif
