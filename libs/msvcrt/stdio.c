/*
 * stdio.c - the standard streams: _iob, the low-level descriptors 0, 1 and
 * 2 behind them, and the stream functions (fputc ... fwrite, fflush,
 * printf ... vfprintf, the wide ones, and simple reading from stdin).
 *
 * Why: a FILE here is Microsoft's and mingw's struct _iobuf, and stdin,
 * stdout and stderr are &_iob[0], &_iob[1], &_iob[2], because a program
 * built against mingw's headers reaches them that way (_iob is exported as
 * data; __iob_func and __acrt_iob_func return the same addresses). Each
 * stream is guarded by _lock(16 + index), the lock mingw's own _lock_file
 * takes for an _iob entry, so mingw's printf (libmingwex) and this code
 * serialise on the same lock.
 *
 * Descriptors 0-2 are the handles GetStdHandle returns at start-up; writes
 * go to WriteFile. In text mode (the default, _fmode 0) "\n" is written as
 * "\r\n" and "\r\n" read back as "\n", as on Windows; _setmode(fd, _O_BINARY)
 * turns that off.
 *
 * Buffering departs from Microsoft's on purpose. Daytona's KERNEL32 turns
 * writes to a std handle without a console into serial-log lines, so
 * stdout is line buffered (flushed at each '\n', when full, and at exit),
 * and stderr is flushed at the end of every call (so each fprintf reaches
 * KERNEL32 as one write). setvbuf can make a stream unbuffered.
 *
 * Not here: fopen and files on disk, fseek, tmpfile, scanf.
 */
#include "msvcrtp.h"

CRT_FILE _iob[CRT_IOB_ENTRIES];

enum { FD_COUNT = 3, FD_OPEN = 1, FD_TEXT = 2 };
enum {
    CRT_O_TEXT = 0x4000,
    CRT_O_BINARY = 0x8000,
    CRT_O_WTEXT = 0x10000,
    CRT_O_U16TEXT = 0x20000,
    CRT_O_U8TEXT = 0x40000
};
enum { CRT_IOFBF = 0x0000, CRT_IOLBF = 0x0040, CRT_IONBF_MODE = 0x0004 };

typedef struct crt_fd {
    HANDLE Handle;
    int Flags;
} CRT_FD;

static CRT_FD fds[FD_COUNT];
static char stdout_buffer[1024];
static char stderr_buffer[512];
static char stdin_buffer[512];

/* ---- low-level descriptors ---- */

static CRT_FD *fd_entry(int Fd) {
    if (Fd < 0 || Fd >= FD_COUNT || !(fds[Fd].Flags & FD_OPEN)) {
        *_errno() = CRT_EBADF;
        return NULL;
    }
    return &fds[Fd];
}

static void set_errno_from_win32(void) {
    DWORD error = GetLastError();
    *__doserrno() = error;
    *_errno() = error == 6 /* ERROR_INVALID_HANDLE */ ? CRT_EBADF
                : error == ERROR_BROKEN_PIPE          ? CRT_EPIPE
                                                      : CRT_EIO;
}

static int write_all(HANDLE Handle, const char *Buffer, DWORD Count) {
    while (Count) {
        DWORD written = 0;
        if (!WriteFile(Handle, Buffer, Count, &written, NULL) || written == 0) {
            set_errno_from_win32();
            return 0;
        }
        Buffer += written;
        Count -= written;
    }
    return 1;
}

/* Writes Count bytes to Fd ("\n" as "\r\n" in text mode); returns Count or -1. */
int _write(int Fd, const void *Buffer, unsigned Count) {
    CRT_FD *fd = fd_entry(Fd);
    if (fd == NULL)
        return -1;
    const char *in = Buffer;
    if (!(fd->Flags & FD_TEXT))
        return write_all(fd->Handle, in, Count) ? (int)Count : -1;
    char chunk[512];
    DWORD used = 0;
    for (unsigned i = 0; i < Count; i++) {
        if (used >= sizeof chunk - 1) {
            if (!write_all(fd->Handle, chunk, used))
                return -1;
            used = 0;
        }
        if (in[i] == '\n')
            chunk[used++] = '\r';
        chunk[used++] = in[i];
    }
    if (used && !write_all(fd->Handle, chunk, used))
        return -1;
    return (int)Count;
}

/* Reads up to Count bytes from Fd; 0 at end of input (a closed pipe too),
 * -1 on error. Text mode drops the '\r' of each "\r\n" in what was read. */
int _read(int Fd, void *Buffer, unsigned Count) {
    CRT_FD *fd = fd_entry(Fd);
    if (fd == NULL)
        return -1;
    DWORD got = 0;
    if (!ReadFile(fd->Handle, Buffer, Count, &got, NULL)) {
        if (GetLastError() == ERROR_BROKEN_PIPE)
            return 0;
        set_errno_from_win32();
        return -1;
    }
    if (fd->Flags & FD_TEXT) {
        char *b = Buffer;
        DWORD out = 0;
        for (DWORD i = 0; i < got; i++) {
            if (b[i] == '\r' && i + 1 < got && b[i + 1] == '\n')
                continue;
            b[out++] = b[i];
        }
        got = out;
    }
    return (int)got;
}

/* Sets Fd's translation mode; returns the previous one, or -1 (EINVAL, EBADF). */
int _setmode(int Fd, int Mode) {
    CRT_FD *fd = fd_entry(Fd);
    if (fd == NULL)
        return -1;
    int old = fd->Flags & FD_TEXT ? CRT_O_TEXT : CRT_O_BINARY;
    if (Mode == CRT_O_BINARY) {
        fd->Flags &= ~FD_TEXT;
    } else if (Mode == CRT_O_TEXT || Mode == CRT_O_WTEXT || Mode == CRT_O_U16TEXT || Mode == CRT_O_U8TEXT) {
        fd->Flags |= FD_TEXT;
    } else {
        *_errno() = CRT_EINVAL;
        return -1;
    }
    return old;
}

intptr_t _get_osfhandle(int Fd) {
    CRT_FD *fd = fd_entry(Fd);
    return fd ? (intptr_t)fd->Handle : -1;
}

/* ---- the streams ---- */

static int stream_index(CRT_FILE *File) {
    return File >= _iob && File < _iob + CRT_IOB_ENTRIES ? (int)(File - _iob) : -1;
}

static void lock_stream(CRT_FILE *File) {
    _lock(CRT_LOCK_STREAM_FIRST + stream_index(File));
}
static void unlock_stream(CRT_FILE *File) {
    _unlock(CRT_LOCK_STREAM_FIRST + stream_index(File));
}

/* A stream argument this CRT can use: one of _iob. */
static int valid_stream(CRT_FILE *File) {
    if (File == NULL || stream_index(File) < 0) {
        *_errno() = CRT_EINVAL;
        return 0;
    }
    return 1;
}

static void setup_stream(CRT_FILE *File, int Fd, int Flags, char *Buffer, int Size) {
    File->_file = Fd;
    File->_flag = Flags;
    File->_base = Buffer;
    File->_ptr = Buffer;
    File->_bufsiz = Size;
    File->_cnt = Flags & CRT_IOWRT ? Size : 0;
    File->_charbuf = 0;
    File->_tmpfname = NULL;
}

void crt_init_stdio(void) {
    static const DWORD which[FD_COUNT] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};
    for (int i = 0; i < FD_COUNT; i++) {
        HANDLE h = GetStdHandle(which[i]);
        fds[i].Handle = h;
        fds[i].Flags = h != NULL && h != INVALID_HANDLE_VALUE ? FD_OPEN : 0;
        if (!(_fmode & CRT_O_BINARY))
            fds[i].Flags |= FD_TEXT;
    }
    setup_stream(crt_stdin, 0, CRT_IOREAD, stdin_buffer, sizeof stdin_buffer);
    setup_stream(crt_stdout, 1, CRT_IOWRT | CRT_IOLINEBUF, stdout_buffer, sizeof stdout_buffer);
    setup_stream(crt_stderr, 2, CRT_IOWRT | CRT_IOLINEBUF | CRT_IOFLUSHCALL, stderr_buffer,
                 sizeof stderr_buffer);
}

/* Writes out the buffered output of File (locked); 0 or EOF. */
static int flush_locked(CRT_FILE *File) {
    if (!(File->_flag & CRT_IOWRT) || File->_base == NULL)
        return 0;
    int pending = (int)(File->_ptr - File->_base);
    File->_ptr = File->_base;
    File->_cnt = File->_bufsiz;
    if (pending > 0 && _write(File->_file, File->_base, (unsigned)pending) != pending) {
        File->_flag |= CRT_IOERR;
        return CRT_EOF;
    }
    return 0;
}

/* Adds one byte to File's output (locked); the byte, or EOF. */
static int putc_locked(int Character, CRT_FILE *File) {
    unsigned char c = (unsigned char)Character;
    if (!(File->_flag & CRT_IOWRT) || (File->_flag & CRT_IOERR)) {
        File->_flag |= CRT_IOERR;
        *_errno() = CRT_EBADF;
        return CRT_EOF;
    }
    if (File->_base == NULL) {
        /* Unbuffered (setvbuf _IONBF): straight to the descriptor. */
        if (_write(File->_file, &c, 1) != 1) {
            File->_flag |= CRT_IOERR;
            return CRT_EOF;
        }
        return c;
    }
    if (File->_cnt <= 0 && flush_locked(File) != 0)
        return CRT_EOF;
    *File->_ptr++ = (char)c;
    File->_cnt--;
    if (c == '\n' && (File->_flag & CRT_IOLINEBUF) && flush_locked(File) != 0)
        return CRT_EOF;
    return c;
}

/* Ends one stdio call on File (locked): stderr goes out now. */
static int end_call_locked(CRT_FILE *File) {
    return (File->_flag & CRT_IOFLUSHCALL) ? flush_locked(File) : 0;
}

static size_t write_locked(const void *Buffer, size_t Count, CRT_FILE *File) {
    const unsigned char *b = Buffer;
    size_t i = 0;
    for (; i < Count; i++) {
        if (putc_locked(b[i], File) == CRT_EOF)
            break;
    }
    return i;
}

int crt_flush_all(void) {
    int flushed = 0;
    for (int i = 0; i < CRT_IOB_ENTRIES; i++) {
        if (_iob[i]._flag & CRT_IOWRT) {
            lock_stream(&_iob[i]);
            flush_locked(&_iob[i]);
            unlock_stream(&_iob[i]);
            flushed++;
        }
    }
    return flushed;
}

CRT_FILE *__iob_func(void) {
    return _iob;
}
CRT_FILE *__acrt_iob_func(unsigned Index) {
    return Index < CRT_IOB_ENTRIES ? &_iob[Index] : NULL;
}

int _fileno(CRT_FILE *File) {
    return valid_stream(File) ? File->_file : -1;
}
int feof(CRT_FILE *File) {
    return valid_stream(File) ? File->_flag & CRT_IOEOF : 0;
}
int ferror(CRT_FILE *File) {
    return valid_stream(File) ? File->_flag & CRT_IOERR : 0;
}

void clearerr(CRT_FILE *File) {
    if (valid_stream(File))
        File->_flag &= ~(CRT_IOERR | CRT_IOEOF);
}

/* fflush(NULL) flushes every stream; returns 0 or EOF. */
int fflush(CRT_FILE *File) {
    if (File == NULL) {
        crt_flush_all();
        return 0;
    }
    if (!valid_stream(File))
        return CRT_EOF;
    lock_stream(File);
    int result = flush_locked(File);
    unlock_stream(File);
    return result;
}

int _flushall(void) {
    return crt_flush_all();
}

/*
 * Chooses File's buffering: _IONBF (4) unbuffered; _IOFBF (0) or _IOLBF
 * (0x40) buffered through Buffer (Size bytes), or the stream's own buffer
 * when Buffer is NULL. Pending output is flushed first. 0, or -1 (EINVAL).
 */
int setvbuf(CRT_FILE *File, char *Buffer, int Mode, size_t Size) {
    if (!valid_stream(File) || (Mode != CRT_IONBF_MODE && Mode != CRT_IOFBF && Mode != CRT_IOLBF) ||
        (Mode != CRT_IONBF_MODE && Buffer != NULL && (Size < 2 || Size > INT_MAX))) {
        *_errno() = CRT_EINVAL;
        return -1;
    }
    lock_stream(File);
    flush_locked(File);
    int index = stream_index(File);
    if (Mode == CRT_IONBF_MODE) {
        File->_base = File->_ptr = NULL;
        File->_bufsiz = File->_cnt = 0;
    } else {
        if (Buffer == NULL) {
            Buffer = index == 1 ? stdout_buffer : index == 2 ? stderr_buffer : stdin_buffer;
            Size = index == 1   ? sizeof stdout_buffer
                   : index == 2 ? sizeof stderr_buffer
                                : sizeof stdin_buffer;
        }
        File->_base = File->_ptr = Buffer;
        File->_bufsiz = (int)Size;
        File->_cnt = File->_flag & CRT_IOWRT ? (int)Size : 0;
    }
    unlock_stream(File);
    return 0;
}

void setbuf(CRT_FILE *File, char *Buffer) {
    setvbuf(File, Buffer, Buffer ? CRT_IOFBF : CRT_IONBF_MODE, 512);
}

/* ---- output ---- */

int fputc(int Character, CRT_FILE *File) {
    if (!valid_stream(File))
        return CRT_EOF;
    lock_stream(File);
    int result = putc_locked(Character, File);
    if (end_call_locked(File) != 0)
        result = CRT_EOF;
    unlock_stream(File);
    return result;
}

int putc(int Character, CRT_FILE *File) {
    return fputc(Character, File);
}
int _fputchar(int Character) {
    return fputc(Character, crt_stdout);
}
int putchar(int Character) {
    return fputc(Character, crt_stdout);
}

/* Writes Size * Count bytes; returns the number of whole items written. */
size_t fwrite(const void *Buffer, size_t Size, size_t Count, CRT_FILE *File) {
    if (Size == 0 || Count == 0)
        return 0;
    if (!valid_stream(File) || Count > SIZE_MAX / Size)
        return 0;
    lock_stream(File);
    size_t bytes = write_locked(Buffer, Size * Count, File);
    if (end_call_locked(File) != 0 && bytes == Size * Count)
        bytes -= Size;
    unlock_stream(File);
    return bytes / Size;
}

int fputs(const char *String, CRT_FILE *File) {
    if (!valid_stream(File))
        return CRT_EOF;
    size_t length = strlen(String);
    lock_stream(File);
    int ok = write_locked(String, length, File) == length;
    if (end_call_locked(File) != 0)
        ok = 0;
    unlock_stream(File);
    return ok ? 0 : CRT_EOF;
}

/* String and a newline to stdout; 0 or EOF. */
int puts(const char *String) {
    CRT_FILE *File = crt_stdout;
    size_t length = strlen(String);
    lock_stream(File);
    int ok = write_locked(String, length, File) == length && putc_locked('\n', File) != CRT_EOF;
    if (end_call_locked(File) != 0)
        ok = 0;
    unlock_stream(File);
    return ok ? 0 : CRT_EOF;
}

/* A wide character on a narrow stream: itself up to U+00FF, '?' above. */
crt_wchar fputwc(crt_wchar Character, CRT_FILE *File) {
    return fputc(Character > 0xFF ? '?' : Character, File) == CRT_EOF ? (crt_wchar)0xFFFF : Character;
}

crt_wchar putwc(crt_wchar Character, CRT_FILE *File) {
    return fputwc(Character, File);
}
crt_wchar putwchar(crt_wchar Character) {
    return fputwc(Character, crt_stdout);
}

int fputws(const crt_wchar *String, CRT_FILE *File) {
    if (!valid_stream(File))
        return CRT_EOF;
    lock_stream(File);
    int ok = 1;
    for (; *String && ok; String++)
        ok = putc_locked(*String > 0xFF ? '?' : *String, File) != CRT_EOF;
    if (end_call_locked(File) != 0)
        ok = 0;
    unlock_stream(File);
    return ok ? 0 : CRT_EOF;
}

int _putws(const crt_wchar *String) {
    int result = fputws(String, crt_stdout);
    return result == 0 ? fputc('\n', crt_stdout) == CRT_EOF ? CRT_EOF : 0 : result;
}

/* perror: "Text: message\n" (or only the message) on stderr. */
void perror(const char *Text) {
    const char *message = crt_error_text(*_errno());
    CRT_FILE *File = crt_stderr;
    lock_stream(File);
    if (Text && *Text) {
        write_locked(Text, strlen(Text), File);
        write_locked(": ", 2, File);
    }
    write_locked(message, strlen(message), File);
    putc_locked('\n', File);
    end_call_locked(File);
    unlock_stream(File);
}

/* ---- formatted output to a stream ---- */

typedef struct stream_sink {
    CRT_SINK Base;
    CRT_FILE *File;
} STREAM_SINK;

static int stream_put(CRT_SINK *Sink, unsigned Unit) {
    STREAM_SINK *s = (STREAM_SINK *)Sink;
    return putc_locked(Unit > 0xFF ? '?' : (int)Unit, s->File) == CRT_EOF ? -1 : 0;
}

static int format_to_stream(CRT_FILE *File, const void *Format, int Wide, va_list Args) {
    if (!valid_stream(File) || Format == NULL) {
        *_errno() = CRT_EINVAL;
        return -1;
    }
    STREAM_SINK sink = {{stream_put}, File};
    lock_stream(File);
    int n = crt_format(&sink.Base, Format, Wide, Args);
    if (end_call_locked(File) != 0)
        n = -1;
    unlock_stream(File);
    return n;
}

int vfprintf(CRT_FILE *File, const char *Format, va_list Args) {
    return format_to_stream(File, Format, 0, Args);
}
int vprintf(const char *Format, va_list Args) {
    return format_to_stream(crt_stdout, Format, 0, Args);
}

int fprintf(CRT_FILE *File, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = format_to_stream(File, Format, 0, args);
    va_end(args);
    return n;
}

int printf(const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = format_to_stream(crt_stdout, Format, 0, args);
    va_end(args);
    return n;
}

int vfwprintf(CRT_FILE *File, const crt_wchar *Format, va_list Args) {
    return format_to_stream(File, Format, 1, Args);
}
int vwprintf(const crt_wchar *Format, va_list Args) {
    return format_to_stream(crt_stdout, Format, 1, Args);
}

int fwprintf(CRT_FILE *File, const crt_wchar *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = format_to_stream(File, Format, 1, args);
    va_end(args);
    return n;
}

int wprintf(const crt_wchar *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = format_to_stream(crt_stdout, Format, 1, args);
    va_end(args);
    return n;
}

/* ---- input ---- */

/* The next byte of File (locked), refilling from the descriptor; EOF at
 * the end of input or on error. */
static int getc_locked(CRT_FILE *File) {
    if (!(File->_flag & CRT_IOREAD) || (File->_flag & CRT_IOERR)) {
        File->_flag |= CRT_IOERR;
        return CRT_EOF;
    }
    if (File->_cnt <= 0) {
        if (File->_flag & CRT_IOEOF)
            return CRT_EOF;
        char *buffer = File->_base ? File->_base : (char *)&File->_charbuf;
        int size = File->_base ? File->_bufsiz : 1;
        if (File->_file == 0)
            crt_flush_all(); /* a prompt on stdout shows before the read waits */
        int got = _read(File->_file, buffer, (unsigned)size);
        if (got <= 0) {
            File->_flag |= got == 0 ? CRT_IOEOF : CRT_IOERR;
            return CRT_EOF;
        }
        File->_ptr = buffer;
        File->_cnt = got;
    }
    File->_cnt--;
    return (unsigned char)*File->_ptr++;
}

int fgetc(CRT_FILE *File) {
    if (!valid_stream(File))
        return CRT_EOF;
    lock_stream(File);
    int c = getc_locked(File);
    unlock_stream(File);
    return c;
}

int getc(CRT_FILE *File) {
    return fgetc(File);
}
int getchar(void) {
    return fgetc(crt_stdin);
}
int _fgetchar(void) {
    return fgetc(crt_stdin);
}

/* Pushes one byte back in front of the buffered input (there is always
 * room: at least the byte just read); the byte, or EOF. */
int ungetc(int Character, CRT_FILE *File) {
    if (Character == CRT_EOF || !valid_stream(File) || !(File->_flag & CRT_IOREAD))
        return CRT_EOF;
    lock_stream(File);
    char *start = File->_base ? File->_base : (char *)&File->_charbuf;
    int result = CRT_EOF;
    if (File->_ptr != NULL && File->_ptr > start) {
        *--File->_ptr = (char)Character;
        File->_cnt++;
        File->_flag &= ~CRT_IOEOF;
        result = (unsigned char)Character;
    }
    unlock_stream(File);
    return result;
}

/* Reads a line (with its '\n') of at most Count - 1 bytes; NULL when
 * nothing could be read. */
char *fgets(char *Buffer, int Count, CRT_FILE *File) {
    if (!valid_stream(File) || Buffer == NULL || Count <= 0)
        return NULL;
    lock_stream(File);
    int n = 0;
    while (n < Count - 1) {
        int c = getc_locked(File);
        if (c == CRT_EOF)
            break;
        Buffer[n++] = (char)c;
        if (c == '\n')
            break;
    }
    unlock_stream(File);
    if (n == 0 && Count > 1)
        return NULL;
    Buffer[n] = '\0';
    return Buffer;
}

size_t fread(void *Buffer, size_t Size, size_t Count, CRT_FILE *File) {
    if (Size == 0 || Count == 0 || !valid_stream(File) || Count > SIZE_MAX / Size)
        return 0;
    unsigned char *b = Buffer;
    size_t total = Size * Count, n = 0;
    lock_stream(File);
    while (n < total) {
        int c = getc_locked(File);
        if (c == CRT_EOF)
            break;
        b[n++] = (unsigned char)c;
    }
    unlock_stream(File);
    return n / Size;
}
