/*
 * startup.c - msvcrt's DLL entry point and what a program's start-up code
 * asks of it: __set_app_type, __getmainargs and __wgetmainargs, the
 * _acmdln/_fmode/_commode/__initenv data and their __p__ accessors,
 * _initterm, the _lock table, per-thread errno, and getenv.
 *
 * Why: mingw's crt2.o/crt2u.o (and Microsoft's own) do not parse the
 * command line or read the environment themselves; they call
 * __getmainargs, which hands back argc, argv and envp built here from
 * GetCommandLineA and GetEnvironmentStringsA (cmdline.c has the quoting
 * rules). Everything the process needs exactly once - the heap handle, the
 * TLS slot, the locks, the standard streams, the command line - is set up in
 * _CRTDLL_INIT at DLL_PROCESS_ATTACH, which the loader runs before the
 * program's entry point.
 *
 * Data exported as DATA (the program reaches it through __imp__ pointers):
 * _acmdln _wcmdln _fmode _commode __argc __argv __wargv _environ _wenviron
 * __initenv __winitenv _pgmptr __mb_cur_max (locale.c) _iob (stdio.c).
 */
#include "msvcrtp.h"

HANDLE crt_heap;
int __app_type;
char *_acmdln;
crt_wchar *_wcmdln;
int _fmode;   /* 0 means _O_TEXT for new descriptors, as Microsoft's default */
int _commode; /* 0: no _O_COMMIT */
int __argc;
char **__argv;
crt_wchar **__wargv;
char **_environ;
crt_wchar **_wenviron;
char **__initenv;
crt_wchar **__winitenv;
char *_pgmptr;

static char program_path[260];
static DWORD tls_index = TLS_OUT_OF_INDEXES;

/* ---- per-thread data ---- */

static CRT_THREAD_DATA fallback_thread_data; /* when the heap or TLS fails */

int crt_init_thread_data(void) {
    tls_index = TlsAlloc();
    return tls_index != TLS_OUT_OF_INDEXES;
}

CRT_THREAD_DATA *crt_thread_data(void) {
    if (tls_index == TLS_OUT_OF_INDEXES)
        return &fallback_thread_data;
    CRT_THREAD_DATA *data = TlsGetValue(tls_index);
    if (data == NULL) {
        data = HeapAlloc(crt_heap, HEAP_ZERO_MEMORY, sizeof *data);
        if (data == NULL || !TlsSetValue(tls_index, data)) {
            if (data)
                HeapFree(crt_heap, 0, data);
            return &fallback_thread_data;
        }
    }
    return data;
}

void crt_free_thread_data(void) {
    if (tls_index == TLS_OUT_OF_INDEXES)
        return;
    CRT_THREAD_DATA *data = TlsGetValue(tls_index);
    if (data) {
        TlsSetValue(tls_index, NULL);
        HeapFree(crt_heap, 0, data);
    }
}

int *_errno(void) {
    return &crt_thread_data()->Errno;
}
unsigned long *__doserrno(void) {
    return &crt_thread_data()->DosErrno;
}
int *crt_errno_location(void) {
    return _errno();
}

int _get_errno(int *Value) {
    if (Value == NULL)
        return CRT_EINVAL;
    *Value = *_errno();
    return 0;
}

int _set_errno(int Value) {
    *_errno() = Value;
    return 0;
}

/* ---- locks ---- */

static CRITICAL_SECTION locks[CRT_LOCK_COUNT];
static int locks_ready;

int crt_init_locks(void) {
    for (int i = 0; i < CRT_LOCK_COUNT; i++)
        InitializeCriticalSection(&locks[i]);
    locks_ready = 1;
    return 1;
}

/* Takes lock Number (recursive); numbers outside the table are ignored. */
void _lock(int Number) {
    if (locks_ready && Number >= 0 && Number < CRT_LOCK_COUNT)
        EnterCriticalSection(&locks[Number]);
}

void _unlock(int Number) {
    if (locks_ready && Number >= 0 && Number < CRT_LOCK_COUNT)
        LeaveCriticalSection(&locks[Number]);
}

/* ---- the environment ---- */

/*
 * Builds a NULL-terminated array of the NAME=value strings of Block (a
 * double-NUL-terminated list, of Unit-sized characters), leaving out the
 * "=C:=C:\dir" entries that only cmd.exe uses, as Microsoft's CRT does. The
 * array and the strings are one heap block. NULL when out of memory.
 */
static void **build_environment(const void *Block, size_t Unit) {
    size_t count = 0, bytes = 0;
    const unsigned char *p = Block;
#define UNIT_AT(q) (Unit == 1 ? *(const unsigned char *)(q) : *(const crt_wchar *)(q))
    if (p) {
        while (UNIT_AT(p)) {
            size_t length = 0;
            while (UNIT_AT(p + length * Unit))
                length++;
            if (UNIT_AT(p) != '=') {
                count++;
                bytes += (length + 1) * Unit;
            }
            p += (length + 1) * Unit;
        }
    }
    void **array = HeapAlloc(crt_heap, 0, (count + 1) * sizeof(void *) + bytes);
    if (array == NULL)
        return NULL;
    unsigned char *out = (unsigned char *)(array + count + 1);
    size_t n = 0;
    for (p = Block; p && UNIT_AT(p);) {
        size_t length = 0;
        while (UNIT_AT(p + length * Unit))
            length++;
        if (UNIT_AT(p) != '=') {
            array[n++] = out;
            memcpy(out, p, (length + 1) * Unit);
            out += (length + 1) * Unit;
        }
        p += (length + 1) * Unit;
    }
#undef UNIT_AT
    array[n] = NULL;
    return array;
}

static int load_narrow_environment(void) {
    if (_environ)
        return 1;
    char *block = GetEnvironmentStringsA();
    _environ = (char **)build_environment(block, 1);
    if (block)
        FreeEnvironmentStringsA(block);
    return _environ != NULL;
}

static int load_wide_environment(void) {
    if (_wenviron)
        return 1;
    crt_wchar *block = GetEnvironmentStringsW();
    _wenviron = (crt_wchar **)build_environment(block, 2);
    if (block)
        FreeEnvironmentStringsW(block);
    return _wenviron != NULL;
}

/* The value of variable Name (compared without regard to ASCII case, as
 * Windows does), or NULL. The string belongs to the CRT. */
char *getenv(const char *Name) {
    if (Name == NULL || _environ == NULL)
        return NULL;
    size_t length = strlen(Name);
    char *found = NULL;
    _lock(CRT_LOCK_ENV);
    for (char **e = _environ; *e; e++) {
        if (_strnicmp(*e, Name, length) == 0 && (*e)[length] == '=') {
            found = *e + length + 1;
            break;
        }
    }
    _unlock(CRT_LOCK_ENV);
    return found;
}

crt_wchar *_wgetenv(const crt_wchar *Name) {
    if (Name == NULL || !load_wide_environment())
        return NULL;
    size_t length = wcslen(Name);
    for (crt_wchar **e = _wenviron; *e; e++) {
        size_t i = 0;
        while (i < length && (*e)[i] && towlower((*e)[i]) == towlower(Name[i]))
            i++;
        if (i == length && (*e)[i] == '=')
            return *e + length + 1;
    }
    return NULL;
}

/* ---- the command line ---- */

/* argc/argv from _acmdln, in one heap block; 0 or -1 when out of memory. */
static int build_narrow_arguments(void) {
    if (__argv)
        return 0;
    int count;
    size_t chars;
    crt_parse_cmdline(_acmdln, NULL, NULL, &count, &chars);
    char **argv = HeapAlloc(crt_heap, 0, (size_t)(count + 1) * sizeof(char *) + chars);
    if (argv == NULL)
        return -1;
    crt_parse_cmdline(_acmdln, argv, (char *)(argv + count + 1), &count, &chars);
    __argc = count;
    __argv = argv;
    return 0;
}

static int build_wide_arguments(void) {
    if (__wargv)
        return 0;
    int count;
    size_t chars;
    crt_parse_wcmdline(_wcmdln, NULL, NULL, &count, &chars);
    crt_wchar **argv =
        HeapAlloc(crt_heap, 0, (size_t)(count + 1) * sizeof(crt_wchar *) + chars * sizeof(crt_wchar));
    if (argv == NULL)
        return -1;
    crt_parse_wcmdline(_wcmdln, argv, (crt_wchar *)(argv + count + 1), &count, &chars);
    __argc = count;
    __wargv = argv;
    return 0;
}

/* What the start-up code passes as its last argument: new_mode says
 * whether malloc failures call the new handler (ignored: no C++ here). */
typedef struct crt_startupinfo {
    int NewMode;
} CRT_STARTUPINFO;

/*
 * Gives the program its argc, argv and envp (the process environment).
 * DoWildcard would expand * and ? in arguments; it is not supported and the
 * arguments come back as written. Returns 0, or -1 when memory runs out
 * (the start-up code then calls _amsg_exit).
 */
int __getmainargs(int *Argc, char ***Argv, char ***Envp, int DoWildcard, CRT_STARTUPINFO *StartInfo) {
    (void)DoWildcard;
    (void)StartInfo;
    if (build_narrow_arguments() != 0 || !load_narrow_environment())
        return -1;
    __initenv = _environ;
    *Argc = __argc;
    *Argv = __argv;
    *Envp = _environ;
    return 0;
}

/* The same for wmain, from GetCommandLineW and GetEnvironmentStringsW. */
int __wgetmainargs(int *Argc, crt_wchar ***Argv, crt_wchar ***Envp, int DoWildcard,
                   CRT_STARTUPINFO *StartInfo) {
    (void)DoWildcard;
    (void)StartInfo;
    if (build_wide_arguments() != 0 || !load_wide_environment())
        return -1;
    __winitenv = _wenviron;
    *Argc = __argc;
    *Argv = __wargv;
    *Envp = _wenviron;
    return 0;
}

/* _CONSOLE_APP (1) or _GUI_APP (2); only decides how errors would be shown. */
void __set_app_type(int Type) {
    __app_type = Type;
}

char **__p__acmdln(void) {
    return &_acmdln;
}
crt_wchar **__p__wcmdln(void) {
    return &_wcmdln;
}
int *__p__fmode(void) {
    return &_fmode;
}
int *__p__commode(void) {
    return &_commode;
}
int *__p___argc(void) {
    return &__argc;
}
char ***__p___argv(void) {
    build_narrow_arguments();
    return &__argv;
}
crt_wchar ***__p___wargv(void) {
    build_wide_arguments();
    return &__wargv;
}
char ***__p__environ(void) {
    return &_environ;
}
crt_wchar ***__p__wenviron(void) {
    load_wide_environment();
    return &_wenviron;
}
char ***__p___initenv(void) {
    return &__initenv;
}
crt_wchar ***__p___winitenv(void) {
    return &__winitenv;
}
char **__p__pgmptr(void) {
    return &_pgmptr;
}

/* ---- static constructors ---- */

typedef void (*CRT_PVFV)(void);
typedef int (*CRT_PIFV)(void);

/* Calls each non-NULL function pointer in [First, Last), in order. */
void _initterm(CRT_PVFV *First, CRT_PVFV *Last) {
    for (; First < Last; First++) {
        if (*First)
            (*First)();
    }
}

/* The same, stopping at (and returning) the first non-zero result. */
int _initterm_e(CRT_PIFV *First, CRT_PIFV *Last) {
    for (; First < Last; First++) {
        if (*First) {
            int result = (*First)();
            if (result)
                return result;
        }
    }
    return 0;
}

/* ---- the DLL entry point ---- */

/*
 * Sets the run-time up when the process attaches (heap, TLS, locks,
 * streams, command line; the environment and argv are built on demand) and
 * tears per-thread data down when a thread leaves. At process detach the
 * streams are flushed, so output is not lost by a program that ends with
 * ExitProcess instead of exit; the atexit table is run only by exit and
 * _cexit. Returns FALSE, failing the process start, when the heap or a TLS
 * slot is unavailable.
 */
BOOL WINAPI _CRTDLL_INIT(HANDLE Instance, DWORD Reason, PVOID Reserved) {
    (void)Instance;
    (void)Reserved;
    switch (Reason) {
    case DLL_PROCESS_ATTACH:
        crt_heap = GetProcessHeap();
        if (crt_heap == NULL || !crt_init_thread_data() || !crt_init_locks())
            return FALSE;
        crt_init_stdio();
        _acmdln = GetCommandLineA();
        _wcmdln = GetCommandLineW();
        if (GetModuleFileNameA(NULL, program_path, sizeof program_path) == 0)
            program_path[0] = '\0';
        _pgmptr = program_path;
        if (!load_narrow_environment())
            return FALSE;
        __initenv = _environ;
        break;
    case DLL_THREAD_DETACH: crt_free_thread_data(); break;
    case DLL_PROCESS_DETACH:
        crt_flush_all();
        crt_free_thread_data();
        break;
    default: break;
    }
    return TRUE;
}
