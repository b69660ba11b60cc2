/*
 * exit.c - how a program ends: atexit and _onexit tables, __dllonexit,
 * exit, _exit, _cexit, abort, _amsg_exit, and signal/raise.
 *
 * Why: C promises that exit runs the atexit functions in the reverse order
 * of registration and then flushes every stream; mingw's start-up code
 * returns from main into exit, registers the program's atexit functions
 * with _onexit, and calls _cexit or _amsg_exit itself. The process's table
 * lives here and is guarded by _lock(_EXIT_LOCK1). A DLL built by mingw
 * keeps its own table (run at its DLL_PROCESS_DETACH) and grows it with
 * __dllonexit, which must therefore allocate with this DLL's realloc.
 *
 * The process ends with ExitProcess; _exit and abort skip the atexit table
 * and the stream flush, as Microsoft's do. Signals are only the C part:
 * handlers are recorded and raise calls them; processor exceptions are not
 * turned into signals here (mingw installs its own unhandled-exception
 * filter for that, which consults signal()).
 */
#include "msvcrtp.h"

typedef void (*CRT_PVFV)(void);
typedef int (*CRT_ONEXIT)(void);

void *malloc(size_t Size);
void *realloc(void *Block, size_t Size);
void free(void *Block);
size_t _msize(void *Block);

static CRT_ONEXIT *exit_table;
static size_t exit_count, exit_capacity;
static int exit_done; /* the table has been run (exit or _cexit) */

/* Appends Function to the process's table; Function, or NULL when out of
 * memory. */
CRT_ONEXIT _onexit(CRT_ONEXIT Function) {
    if (Function == NULL)
        return NULL;
    CRT_ONEXIT result = Function;
    _lock(CRT_LOCK_EXIT1);
    if (exit_count == exit_capacity) {
        size_t capacity = exit_capacity ? exit_capacity * 2 : 32;
        CRT_ONEXIT *table = realloc(exit_table, capacity * sizeof *table);
        if (table == NULL) {
            result = NULL;
        } else {
            exit_table = table;
            exit_capacity = capacity;
        }
    }
    if (result)
        exit_table[exit_count++] = Function;
    _unlock(CRT_LOCK_EXIT1);
    return result;
}

/* 0, or -1 when the function could not be registered. */
int atexit(CRT_PVFV Function) {
    return _onexit((CRT_ONEXIT)Function) ? 0 : -1;
}

/*
 * Appends Function to a DLL's own table [*Begin, *End), a block from this
 * DLL's malloc that is grown with realloc when full. Returns Function, or
 * NULL (and leaves the table as it was) when out of memory.
 */
CRT_ONEXIT __dllonexit(CRT_ONEXIT Function, CRT_PVFV **Begin, CRT_PVFV **End) {
    if (Function == NULL || Begin == NULL || End == NULL)
        return NULL;
    CRT_ONEXIT result = Function;
    _lock(CRT_LOCK_EXIT1);
    CRT_PVFV *begin = *Begin;
    size_t used = begin ? (size_t)(*End - begin) : 0;
    size_t room = begin ? _msize(begin) / sizeof *begin : 0;
    if (used + 1 > room) {
        size_t capacity = used < 16 ? 32 : used * 2;
        CRT_PVFV *grown = realloc(begin, capacity * sizeof *grown);
        if (grown == NULL)
            result = NULL;
        else
            begin = grown;
    }
    if (result) {
        begin[used] = (CRT_PVFV)Function;
        *Begin = begin;
        *End = begin + used + 1;
    }
    _unlock(CRT_LOCK_EXIT1);
    return result;
}

void crt_run_exit_handlers(void) {
    _lock(CRT_LOCK_EXIT1);
    if (!exit_done) {
        exit_done = 1;
        /* A handler may register another one; it runs next. */
        while (exit_count > 0) {
            CRT_ONEXIT function = exit_table[--exit_count];
            _unlock(CRT_LOCK_EXIT1);
            function();
            _lock(CRT_LOCK_EXIT1);
        }
    }
    _unlock(CRT_LOCK_EXIT1);
    crt_flush_all();
}

__attribute__((noreturn)) void crt_exit_process(int Code) {
    ExitProcess((UINT)Code);
}

/* Runs the atexit functions, flushes the streams and ends the process. */
__attribute__((noreturn)) void exit(int Code) {
    crt_run_exit_handlers();
    crt_exit_process(Code);
}

/* Ends the process at once: no atexit functions, no flush. */
__attribute__((noreturn)) void _exit(int Code) {
    crt_exit_process(Code);
}
__attribute__((noreturn)) void _Exit(int Code) {
    crt_exit_process(Code);
}

/* exit's clean-up without the exit (mingw calls it before returning from a
 * program whose main returned through its own path). */
void _cexit(void) {
    crt_run_exit_handlers();
}

/* _exit's clean-up without the exit: nothing to do. */
void _c_exit(void) {}

void crt_report_error(const char *Text) {
    fflush(crt_stderr);
    _write(2, Text, (unsigned)strlen(Text));
}

/* ---- signals ---- */

typedef void (*CRT_SIGNAL_HANDLER)(int);
#define CRT_SIG_DFL ((CRT_SIGNAL_HANDLER)0)
#define CRT_SIG_IGN ((CRT_SIGNAL_HANDLER)1)
#define CRT_SIG_ERR ((CRT_SIGNAL_HANDLER)-1)

enum {
    SIGINT_ = 2,
    SIGILL_ = 4,
    SIGABRT_COMPAT_ = 6,
    SIGFPE_ = 8,
    SIGSEGV_ = 11,
    SIGTERM_ = 15,
    SIGBREAK_ = 21,
    SIGABRT_ = 22,
    SIGNAL_COUNT = 23
};

static CRT_SIGNAL_HANDLER handlers[SIGNAL_COUNT];

/* The table slot of Signal, or -1 for one C and Microsoft do not define. */
static int signal_slot(int Signal) {
    switch (Signal) {
    case SIGABRT_COMPAT_: return SIGABRT_;
    case SIGINT_:
    case SIGILL_:
    case SIGFPE_:
    case SIGSEGV_:
    case SIGTERM_:
    case SIGBREAK_:
    case SIGABRT_: return Signal;
    default: return -1;
    }
}

/* Installs Handler (SIG_DFL, SIG_IGN or a function) for Signal; returns the
 * previous one, or SIG_ERR with EINVAL for an unknown signal. */
CRT_SIGNAL_HANDLER signal(int Signal, CRT_SIGNAL_HANDLER Handler) {
    int slot = signal_slot(Signal);
    if (slot < 0 || Handler == CRT_SIG_ERR) {
        *_errno() = CRT_EINVAL;
        return CRT_SIG_ERR;
    }
    _lock(CRT_LOCK_SIGNAL);
    CRT_SIGNAL_HANDLER old = handlers[slot];
    handlers[slot] = Handler;
    _unlock(CRT_LOCK_SIGNAL);
    return old;
}

/* Delivers Signal in this thread: the handler (reset to SIG_DFL first, as
 * C allows and Microsoft does), nothing for SIG_IGN, and for SIG_DFL the end
 * of the process with code 3. 0, or -1 for an unknown signal. */
int raise(int Signal) {
    int slot = signal_slot(Signal);
    if (slot < 0) {
        *_errno() = CRT_EINVAL;
        return -1;
    }
    _lock(CRT_LOCK_SIGNAL);
    CRT_SIGNAL_HANDLER handler = handlers[slot];
    if (handler != CRT_SIG_IGN && handler != CRT_SIG_DFL)
        handlers[slot] = CRT_SIG_DFL;
    _unlock(CRT_LOCK_SIGNAL);
    if (handler == CRT_SIG_IGN)
        return 0;
    if (handler == CRT_SIG_DFL) {
        if (slot == SIGABRT_)
            crt_report_error("\nabnormal program termination\n");
        _exit(3);
    }
    handler(Signal);
    return 0;
}

/* raise(SIGABRT); if a handler returns, the process still ends, with 3. */
__attribute__((noreturn)) void abort(void) {
    raise(SIGABRT_);
    crt_report_error("\nabnormal program termination\n");
    _exit(3);
}

/* A fatal run-time error from start-up code: "runtime error R60nn", exit 255. */
__attribute__((noreturn)) void _amsg_exit(int Number) {
    char text[48] = "\nruntime error R60";
    size_t n = strlen(text);
    text[n++] = (char)('0' + (Number / 10) % 10);
    text[n++] = (char)('0' + Number % 10);
    text[n++] = '\n';
    text[n] = '\0';
    crt_report_error(text);
    _exit(255);
}

/* ---- math error hook ---- */

typedef int (*CRT_MATHERR)(void *Exception);
static CRT_MATHERR user_matherr;

/* Records the program's _matherr; no function here reports math errors
 * through it (there is no math library in this subset). */
void __setusermatherr(CRT_MATHERR Handler) {
    user_matherr = Handler;
}
