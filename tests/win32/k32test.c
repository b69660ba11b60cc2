/*
 * k32test.c - kernel32 end to end: a real Win32 program, built with the
 * stock mingw-w64 headers and libkernel32.a, run by smss in test mode.
 *
 * Why: kernel32's pure parts are host-tested, but what matters is the whole
 * path - a program calling Win32, kernel32 calling ntdll and the kernel,
 * csrss being told - and that can only be seen in the running system. Each
 * check prints a line on standard output (which kernel32 sends to the
 * serial log, a line at a time) and the program ends with "k32test: N
 * passed, N failed" and ExitProcess(failed != 0). It is built without the C
 * run-time (msvcrt is written in parallel): the entry point is k32main, and
 * the little formatting it needs is below. k32child.exe is the process it
 * starts.
 */
#include <stdarg.h>
#include <windows.h>

static int Passed, Failed;

/* ---- output, without a C run-time ---- */

static char *put_number(char *P, char *End, unsigned long V, unsigned Base, int Width) {
    char digits[16];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[V % Base];
        V /= Base;
    } while (V != 0 && n < 16);
    while (n < Width && n < 16)
        digits[n++] = '0';
    while (n > 0 && P < End)
        *P++ = digits[--n];
    return P;
}

/* %s %d %u %x %08x %c, enough for the checks' lines. */
static void say(const char *Format, ...) {
    char line[300], *p = line, *end = line + sizeof line - 1;
    va_list args;
    va_start(args, Format);
    for (const char *f = "k32test: "; *f != 0;)
        *p++ = *f++;
    for (const char *f = Format; *f != 0 && p < end; f++) {
        if (*f != '%') {
            *p++ = *f;
            continue;
        }
        int width = 0;
        f++;
        if (*f == '0') {
            f++;
            width = *f++ - '0';
        }
        switch (*f) {
        case 's':
            for (const char *s = va_arg(args, const char *); s != NULL && *s != 0 && p < end;)
                *p++ = *s++;
            break;
        case 'd': {
            int v = va_arg(args, int);
            if (v < 0 && p < end) {
                *p++ = '-';
                v = -v;
            }
            p = put_number(p, end, (unsigned long)v, 10, width);
            break;
        }
        case 'u': p = put_number(p, end, va_arg(args, unsigned), 10, width); break;
        case 'x': p = put_number(p, end, va_arg(args, unsigned), 16, width); break;
        case 'c': *p++ = (char)va_arg(args, int); break;
        default: *p++ = *f; break;
        }
    }
    va_end(args);
    *p++ = '\n';
    DWORD written;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)(p - line), &written, NULL);
}

static void check(int Ok, const char *What) {
    if (Ok) {
        Passed++;
    } else {
        Failed++;
        say("FAIL %s (last error %u)", What, (unsigned)GetLastError());
    }
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond)

static int same(const char *A, const char *B) {
    return lstrcmpA(A, B) == 0;
}

static int ends_with(const char *S, const char *Tail) {
    int n = lstrlenA(S), t = lstrlenA(Tail);
    return n >= t && lstrcmpiA(S + n - t, Tail) == 0;
}

static int contains(const char *S, const char *Part) {
    for (; *S != 0; S++) {
        int i = 0;
        while (Part[i] != 0 && S[i] == Part[i])
            i++;
        if (Part[i] == 0)
            return 1;
    }
    return 0;
}

/* ---- standard output and the last error ---- */

static void test_output_and_errors(void) {
    HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
    DWORD written = 0, mode = 0;
    CHECK(out != NULL && out != INVALID_HANDLE_VALUE);
    CHECK(WriteFile(out, "k32test: one line ", 18, &written, NULL) && written == 18);
    CHECK(WriteFile(out, "from two writes\n", 16, &written, NULL) && written == 16);
    CHECK(GetFileType(out) == FILE_TYPE_CHAR);
    CHECK(GetConsoleMode(out, &mode));
    CHECK(WriteConsoleA(GetStdHandle(STD_ERROR_HANDLE), "k32test: standard error\n", 24, &written, NULL));
    CHECK(GetStdHandle(STD_INPUT_HANDLE) != INVALID_HANDLE_VALUE);

    SetLastError(42);
    CHECK(GetLastError() == 42);
    CHECK(!CloseHandle((HANDLE)(ULONG_PTR)0x1230) && GetLastError() == ERROR_INVALID_HANDLE);
    CHECK(WaitForSingleObject((HANDLE)(ULONG_PTR)0x1230, 0) == WAIT_FAILED &&
          GetLastError() == ERROR_INVALID_HANDLE);
    CHECK(!SetEvent((HANDLE)(ULONG_PTR)0x1230) && GetLastError() == ERROR_INVALID_HANDLE);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "k32test-no-such-event") == NULL &&
          GetLastError() == ERROR_FILE_NOT_FOUND);
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
}

/* ---- events, mutexes, semaphores ---- */

static void test_events(void) {
    HANDLE manual = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(manual != NULL);
    CHECK(WaitForSingleObject(manual, 0) == WAIT_TIMEOUT);
    CHECK(WaitForSingleObject(manual, 20) == WAIT_TIMEOUT);
    CHECK(SetEvent(manual));
    CHECK(WaitForSingleObject(manual, 0) == WAIT_OBJECT_0);
    CHECK(WaitForSingleObject(manual, 0) == WAIT_OBJECT_0); /* stays signaled */
    CHECK(ResetEvent(manual));
    CHECK(WaitForSingleObject(manual, 0) == WAIT_TIMEOUT);
    CHECK(PulseEvent(manual));
    CHECK(WaitForSingleObject(manual, 0) == WAIT_TIMEOUT); /* nobody waited: reset again */

    HANDLE automatic = CreateEventA(NULL, FALSE, TRUE, NULL);
    CHECK(WaitForSingleObject(automatic, 0) == WAIT_OBJECT_0);
    CHECK(WaitForSingleObject(automatic, 0) == WAIT_TIMEOUT); /* the wait reset it */

    SetLastError(99);
    HANDLE named = CreateEventA(NULL, TRUE, FALSE, "k32test-event");
    CHECK(named != NULL && GetLastError() == ERROR_SUCCESS);
    HANDLE again = CreateEventA(NULL, TRUE, FALSE, "k32test-event");
    CHECK(again != NULL && again != named && GetLastError() == ERROR_ALREADY_EXISTS);
    HANDLE opened = OpenEventA(EVENT_ALL_ACCESS, FALSE, "k32test-event");
    CHECK(opened != NULL);
    CHECK(SetEvent(again));
    CHECK(WaitForSingleObject(named, 0) == WAIT_OBJECT_0 && WaitForSingleObject(opened, 0) == WAIT_OBJECT_0);
    HANDLE wide = OpenEventW(SYNCHRONIZE, FALSE, L"k32test-event");
    CHECK(wide != NULL && WaitForSingleObject(wide, 0) == WAIT_OBJECT_0);
    CHECK(CloseHandle(manual) && CloseHandle(automatic) && CloseHandle(named) && CloseHandle(again) &&
          CloseHandle(opened) && CloseHandle(wide));
    CHECK(OpenEventA(EVENT_ALL_ACCESS, FALSE, "k32test-event") == NULL); /* the last handle took the name */
}

static HANDLE SharedMutex;

static DWORD WINAPI try_mutex(LPVOID Parameter) {
    (void)Parameter;
    return WaitForSingleObject(SharedMutex, 0);
}

static DWORD WINAPI abandon_mutex(LPVOID Parameter) {
    (void)Parameter;
    WaitForSingleObject(SharedMutex, INFINITE);
    return 0; /* ends owning it */
}

static void test_mutexes_and_semaphores(void) {
    DWORD code = 0;
    SharedMutex = CreateMutexA(NULL, TRUE, NULL);
    CHECK(SharedMutex != NULL);
    HANDLE t = CreateThread(NULL, 0, try_mutex, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) &&
          code == WAIT_TIMEOUT);
    CloseHandle(t);
    CHECK(WaitForSingleObject(SharedMutex, 0) == WAIT_OBJECT_0); /* recursive for its owner */
    CHECK(ReleaseMutex(SharedMutex) && ReleaseMutex(SharedMutex));
    CHECK(!ReleaseMutex(SharedMutex) && GetLastError() == ERROR_NOT_OWNER);
    t = CreateThread(NULL, 0, abandon_mutex, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK(WaitForSingleObject(SharedMutex, 0) == WAIT_ABANDONED_0);
    CHECK(ReleaseMutex(SharedMutex));
    CloseHandle(SharedMutex);

    HANDLE m1 = CreateMutexA(NULL, FALSE, "k32test-mutex");
    HANDLE m2 = OpenMutexA(SYNCHRONIZE | MUTEX_MODIFY_STATE, FALSE, "k32test-mutex");
    CHECK(m1 != NULL && m2 != NULL);
    CHECK(WaitForSingleObject(m2, 0) == WAIT_OBJECT_0 && ReleaseMutex(m1));
    CloseHandle(m1);
    CloseHandle(m2);

    LONG previous = -1;
    HANDLE s = CreateSemaphoreA(NULL, 1, 2, "k32test-semaphore");
    HANDLE s2 = OpenSemaphoreA(SEMAPHORE_ALL_ACCESS, FALSE, "k32test-semaphore");
    CHECK(s != NULL && s2 != NULL);
    CHECK(WaitForSingleObject(s2, 0) == WAIT_OBJECT_0);
    CHECK(WaitForSingleObject(s, 0) == WAIT_TIMEOUT);
    CHECK(ReleaseSemaphore(s, 2, &previous) && previous == 0);
    CHECK(!ReleaseSemaphore(s, 1, NULL) && GetLastError() == ERROR_TOO_MANY_POSTS);
    CHECK(WaitForSingleObject(s, 0) == WAIT_OBJECT_0 && WaitForSingleObject(s2, 0) == WAIT_OBJECT_0);
    CHECK(CreateSemaphoreA(NULL, 3, 2, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
    CloseHandle(s);
    CloseHandle(s2);
}

static void test_wait_multiple(void) {
    HANDLE e[2] = {CreateEventA(NULL, TRUE, FALSE, NULL), CreateEventA(NULL, TRUE, FALSE, NULL)};
    CHECK(WaitForMultipleObjects(2, e, FALSE, 10) == WAIT_TIMEOUT);
    SetEvent(e[1]);
    CHECK(WaitForMultipleObjects(2, e, FALSE, 10) == WAIT_OBJECT_0 + 1);
    CHECK(WaitForMultipleObjects(2, e, TRUE, 10) == WAIT_TIMEOUT);
    SetEvent(e[0]);
    CHECK(WaitForMultipleObjects(2, e, TRUE, 10) == WAIT_OBJECT_0);
    CHECK(WaitForMultipleObjectsEx(2, e, FALSE, 0, TRUE) == WAIT_OBJECT_0);
    CHECK(WaitForMultipleObjects(0, e, FALSE, 0) == WAIT_FAILED && GetLastError() == ERROR_INVALID_PARAMETER);
    CloseHandle(e[0]);
    CloseHandle(e[1]);
}

/* ---- threads, critical sections, TLS ---- */

static volatile DWORD SeenThreadId;

static DWORD WINAPI double_it(LPVOID Parameter) {
    SeenThreadId = GetCurrentThreadId();
    return (DWORD)(ULONG_PTR)Parameter * 2;
}

static DWORD WINAPI exit_77(LPVOID Parameter) {
    (void)Parameter;
    ExitThread(77);
}

static DWORD WINAPI sleep_forever(LPVOID Parameter) {
    (void)Parameter;
    Sleep(INFINITE);
    return 0;
}

/* Touches 256 KiB of stack, page by page from the top: the guard page must grow it. */
static DWORD WINAPI deep_stack(LPVOID Parameter) {
    volatile char big[256 * 1024];
    for (int i = (int)sizeof big - 1; i >= 0; i -= 4096)
        big[i] = (char)i;
    (void)Parameter;
    return big[4095] == (char)4095 ? 5 : 6;
}

static void test_threads(void) {
    DWORD id = 0, code = 0;
    HANDLE t = CreateThread(NULL, 0, double_it, (LPVOID)21, 0, &id);
    CHECK(t != NULL && id != 0 && id != GetCurrentThreadId());
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(t, &code) && code == 42);
    CHECK(SeenThreadId == id);
    CloseHandle(t);

    t = CreateThread(NULL, 0, exit_77, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 77);
    CloseHandle(t);

    /* Ended threads' stacks are given back: 150 threads with 16 MiB stacks
     * would need 2.4 GiB of address space if they were not. (Not more
     * threads: the kernel gives a process about 220 TEBs in its life.) */
    int made = 0;
    for (int i = 0; i < 150; i++) {
        t = CreateThread(NULL, 16 << 20, double_it, (LPVOID)1, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (t == NULL)
            break;
        WaitForSingleObject(t, INFINITE);
        CloseHandle(t);
        made++;
    }
    CHECK(made == 150);
    if (made != 150)
        say("only %d threads with 16 MiB stacks could be made", made);

    t = CreateThread(NULL, 0, double_it, (LPVOID)5, CREATE_SUSPENDED, NULL);
    CHECK(t != NULL && GetExitCodeThread(t, &code) && code == STILL_ACTIVE);
    CHECK(WaitForSingleObject(t, 30) == WAIT_TIMEOUT);
    CHECK(ResumeThread(t) == 1);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 10);
    CloseHandle(t);

    t = CreateThread(NULL, 0, sleep_forever, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 20) == WAIT_TIMEOUT);
    CHECK(TerminateThread(t, 123));
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 123);
    CloseHandle(t);

    t = CreateThread(NULL, 0, deep_stack, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 5);
    CloseHandle(t);

    t = CreateThread(NULL, 64 * 1024, double_it, (LPVOID)1, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 2);
    CloseHandle(t);

    HANDLE self = NULL;
    CHECK(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &self, 0, FALSE,
                          DUPLICATE_SAME_ACCESS));
    CHECK(self != NULL && GetExitCodeThread(self, &code) && code == STILL_ACTIVE);
    CloseHandle(self);
    CHECK(CreateThread(NULL, 0, NULL, NULL, 0, NULL) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
}

static CRITICAL_SECTION Lock;
static volatile LONG Counter;

static DWORD WINAPI count_up(LPVOID Parameter) {
    for (int i = 0; i < 2000; i++) {
        EnterCriticalSection(&Lock);
        LONG v = Counter; /* a read-modify-write only the lock makes safe */
        if ((i & 63) == 0)
            Sleep(0);
        Counter = v + 1;
        LeaveCriticalSection(&Lock);
    }
    return (DWORD)(ULONG_PTR)Parameter;
}

static DWORD WINAPI try_lock(LPVOID Parameter) {
    (void)Parameter;
    if (TryEnterCriticalSection(&Lock)) {
        LeaveCriticalSection(&Lock);
        return 1;
    }
    return 0;
}

static void test_critical_sections(void) {
    InitializeCriticalSection(&Lock);
    HANDLE t[4];
    for (int i = 0; i < 4; i++)
        t[i] = CreateThread(NULL, 0, count_up, (LPVOID)(ULONG_PTR)i, 0, NULL);
    CHECK(WaitForMultipleObjects(4, t, TRUE, 20000) == WAIT_OBJECT_0);
    CHECK(Counter == 8000);
    for (int i = 0; i < 4; i++)
        CloseHandle(t[i]);

    DWORD code = 9;
    EnterCriticalSection(&Lock);
    HANDLE other = CreateThread(NULL, 0, try_lock, NULL, 0, NULL);
    CHECK(WaitForSingleObject(other, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(other, &code) && code == 0);
    CloseHandle(other);
    CHECK(TryEnterCriticalSection(&Lock)); /* recursion */
    LeaveCriticalSection(&Lock);
    LeaveCriticalSection(&Lock);
    other = CreateThread(NULL, 0, try_lock, NULL, 0, NULL);
    CHECK(WaitForSingleObject(other, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(other, &code) && code == 1);
    CloseHandle(other);
    DeleteCriticalSection(&Lock);
    CHECK(InitializeCriticalSectionAndSpinCount(&Lock, 100));
    DeleteCriticalSection(&Lock);
}

static DWORD TlsIndex;

static DWORD WINAPI tls_thread(LPVOID Parameter) {
    (void)Parameter;
    if (TlsGetValue(TlsIndex) != NULL)
        return 1; /* a new thread starts with an empty slot */
    TlsSetValue(TlsIndex, (LPVOID)222);
    return TlsGetValue(TlsIndex) == (LPVOID)222 ? 2 : 3;
}

static void test_tls(void) {
    DWORD code = 0;
    TlsIndex = TlsAlloc();
    CHECK(TlsIndex != TLS_OUT_OF_INDEXES && TlsIndex < 64);
    CHECK(TlsSetValue(TlsIndex, (LPVOID)111));
    HANDLE t = CreateThread(NULL, 0, tls_thread, NULL, 0, NULL);
    CHECK(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && GetExitCodeThread(t, &code) && code == 2);
    CloseHandle(t);
    SetLastError(5);
    CHECK(TlsGetValue(TlsIndex) == (LPVOID)111 && GetLastError() == ERROR_SUCCESS);
    DWORD second = TlsAlloc();
    CHECK(second != TlsIndex && second != TLS_OUT_OF_INDEXES);
    CHECK(TlsFree(TlsIndex));
    CHECK(!TlsFree(TlsIndex) && GetLastError() == ERROR_INVALID_PARAMETER);
    DWORD again = TlsAlloc();
    CHECK(again == TlsIndex && TlsGetValue(again) == NULL); /* TlsFree cleared the slot */
    CHECK(TlsGetValue(1000) == NULL && GetLastError() == ERROR_INVALID_PARAMETER);
    TlsFree(again);
    TlsFree(second);

    LONG v = 5;
    CHECK(InterlockedIncrement(&v) == 6 && InterlockedDecrement(&v) == 5);
    CHECK(InterlockedExchange(&v, 9) == 5 && v == 9);
    CHECK(InterlockedCompareExchange(&v, 1, 9) == 9 && v == 1);
    CHECK(InterlockedCompareExchange(&v, 2, 9) == 1 && v == 1);
    CHECK(InterlockedExchangeAdd(&v, 10) == 1 && v == 11);
}

/* ---- memory ---- */

static void test_memory(void) {
    MEMORY_BASIC_INFORMATION mbi;
    char *p = VirtualAlloc(NULL, 65536, MEM_RESERVE, PAGE_READWRITE);
    CHECK(p != NULL && ((ULONG_PTR)p & 0xFFFF) == 0);
    CHECK(VirtualQuery(p, &mbi, sizeof mbi) == sizeof mbi && mbi.State == MEM_RESERVE &&
          mbi.AllocationBase == p);
    CHECK(VirtualAlloc(p + 4096, 4096, MEM_COMMIT, PAGE_READWRITE) == p + 4096);
    p[4096] = 7;
    p[8191] = 8;
    CHECK(VirtualQuery(p + 4100, &mbi, sizeof mbi) && mbi.State == MEM_COMMIT &&
          mbi.Protect == PAGE_READWRITE && mbi.RegionSize == 4096 && mbi.BaseAddress == p + 4096 &&
          mbi.Type == MEM_PRIVATE);
    DWORD old = 0;
    CHECK(VirtualProtect(p + 4096, 4096, PAGE_READONLY, &old) && old == PAGE_READWRITE);
    CHECK(VirtualQuery(p + 4096, &mbi, sizeof mbi) && mbi.Protect == PAGE_READONLY && p[4096] == 7);
    CHECK(!VirtualProtect(p + 4096, 4096, PAGE_READWRITE, NULL));
    CHECK(VirtualAlloc(p, 4096, MEM_RESERVE, PAGE_READWRITE) == NULL &&
          GetLastError() == ERROR_INVALID_ADDRESS);
    CHECK(VirtualFree(p + 4096, 4096, MEM_DECOMMIT));
    CHECK(VirtualQuery(p + 4096, &mbi, sizeof mbi) && mbi.State == MEM_RESERVE);
    CHECK(!VirtualFree(p, 4096, MEM_RELEASE) && GetLastError() == ERROR_INVALID_PARAMETER);
    CHECK(VirtualFree(p, 0, MEM_RELEASE));
    CHECK(VirtualQuery(p, &mbi, sizeof mbi) && mbi.State == MEM_FREE);
    CHECK(!VirtualFree(p, 0, MEM_RELEASE));
    char *q = VirtualAlloc(NULL, 10000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    CHECK(q != NULL && q[9999] == 0);
    CHECK(VirtualFree(q, 0, MEM_RELEASE));

    HANDLE heap = GetProcessHeap();
    CHECK(heap != NULL);
    char *a = HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    CHECK(a != NULL && a[0] == 0 && a[99] == 0 && HeapSize(heap, 0, a) == 100);
    a[0] = 'x';
    a = HeapReAlloc(heap, 0, a, 5000);
    CHECK(a != NULL && a[0] == 'x' && HeapSize(heap, 0, a) == 5000);
    CHECK(HeapValidate(heap, 0, a) && HeapValidate(heap, 0, NULL));
    CHECK(HeapFree(heap, 0, a));
    HANDLE mine = HeapCreate(0, 0, 0);
    CHECK(mine != NULL);
    char *big = HeapAlloc(mine, 0, 1 << 20);
    CHECK(big != NULL);
    if (big != NULL)
        big[(1 << 20) - 1] = 1;
    CHECK(HeapFree(mine, 0, big) && HeapDestroy(mine));
    HANDLE fixed = HeapCreate(0, 4096, 65536);
    CHECK(fixed != NULL && HeapAlloc(fixed, 0, 1 << 20) == NULL);
    CHECK(HeapDestroy(fixed));

    HLOCAL l = LocalAlloc(LMEM_ZEROINIT, 64);
    CHECK(l != NULL && ((char *)l)[63] == 0 && LocalSize(l) == 64 && LocalFree(l) == NULL);
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE | GMEM_ZEROINIT, 32);
    char *gp = GlobalLock(g);
    CHECK(gp != NULL && gp[31] == 0);
    GlobalUnlock(g);
    CHECK(GlobalFree(g) == NULL);
}

/* ---- modules ---- */

static void test_modules(void) {
    char name[MAX_PATH];
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    CHECK(ntdll != NULL && ntdll == GetModuleHandleA("NTDLL") && ntdll == GetModuleHandleW(L"ntdll.dll"));
    CHECK(GetProcAddress(ntdll, "NtClose") != NULL);
    CHECK(GetProcAddress(ntdll, "NoSuchFunction") == NULL && GetLastError() == ERROR_PROC_NOT_FOUND);
    CHECK(GetProcAddress(ntdll, (LPCSTR)1) != NULL);
    CHECK(GetProcAddress(ntdll, (LPCSTR)60000) == NULL);
    HMODULE self = GetModuleHandleA(NULL);
    CHECK(self != NULL && (ULONG_PTR)self <= (ULONG_PTR)test_modules);
    CHECK(GetModuleFileNameA(NULL, name, sizeof name) > 0 && ends_with(name, "\\k32test.exe"));
    CHECK(GetModuleFileNameA(GetModuleHandleA("kernel32"), name, sizeof name) > 0 &&
          lstrcmpiA(name, "C:\\System32\\kernel32.dll") == 0);
    CHECK(GetModuleFileNameA(ntdll, name, 4) == 4 && lstrlenA(name) == 3);
    CHECK(GetModuleHandleA("nosuch.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND);
    HMODULE loaded = LoadLibraryA("ntdll.dll");
    CHECK(loaded == ntdll && FreeLibrary(loaded));
    CHECK(LoadLibraryA("C:\\System32\\ntdll.dll") == ntdll);
    CHECK(LoadLibraryA("nosuch.dll") == NULL && GetLastError() == ERROR_MOD_NOT_FOUND);
    CHECK(LoadLibraryExW(L"nosuch", NULL, 0) == NULL && GetLastError() == ERROR_MOD_NOT_FOUND);
    CHECK(DisableThreadLibraryCalls(self) || GetLastError() != 0);
}

/* ---- command line, environment, start-up information ---- */

static void test_environment(void) {
    char value[32];
    CHECK(contains(GetCommandLineA(), "k32test"));
    CHECK(GetCommandLineW() != NULL && GetCommandLineW()[0] != 0);
    STARTUPINFOA si;
    GetStartupInfoA(&si);
    CHECK(si.cb == sizeof si);
    CHECK(SetEnvironmentVariableA("K32TEST", "value"));
    CHECK(GetEnvironmentVariableA("K32TEST", value, sizeof value) == 5 && same(value, "value"));
    CHECK(GetEnvironmentVariableA("k32test", value, 3) == 6);
    LPCH block = GetEnvironmentStringsA();
    int found = 0;
    for (LPCH e = block; e != NULL && *e != 0; e += lstrlenA(e) + 1)
        found |= same(e, "K32TEST=value");
    CHECK(found);
    CHECK(FreeEnvironmentStringsA(block));
    CHECK(SetEnvironmentVariableA("K32TEST", NULL));
    CHECK(GetEnvironmentVariableA("K32TEST", value, sizeof value) == 0 &&
          GetLastError() == ERROR_ENVVAR_NOT_FOUND);
    WCHAR w[8];
    CHECK(SetEnvironmentVariableW(L"K32W", L"wide") && GetEnvironmentVariableW(L"K32W", w, 8) == 4 &&
          w[0] == 'w');
    LPWCH wblock = GetEnvironmentStringsW();
    CHECK(wblock != NULL && FreeEnvironmentStringsW(wblock));
}

/* ---- time and the system ---- */

static void test_time_and_system(void) {
    DWORD t1 = GetTickCount();
    Sleep(50);
    DWORD t2 = GetTickCount();
    CHECK(t2 - t1 >= 40 && t2 - t1 < 5000);
    LARGE_INTEGER f, c1, c2;
    CHECK(QueryPerformanceFrequency(&f) && f.QuadPart > 0);
    CHECK(QueryPerformanceCounter(&c1) && QueryPerformanceCounter(&c2) && c2.QuadPart > c1.QuadPart);
    FILETIME ft1, ft2;
    GetSystemTimeAsFileTime(&ft1);
    Sleep(20);
    GetSystemTimeAsFileTime(&ft2);
    CHECK(CompareFileTime(&ft2, &ft1) > 0);
    SYSTEMTIME st;
    GetSystemTime(&st);
    CHECK(st.wYear >= 1995 && st.wMonth >= 1 && st.wMonth <= 12);
    GetLocalTime(&st);
    CHECK(st.wYear >= 1995);
    CHECK(SleepEx(0, FALSE) == 0);

    DWORD version = GetVersion();
    CHECK((version & 0xFF) == 3 && ((version >> 8) & 0xFF) == 51 && (version & 0x80000000) == 0);
    OSVERSIONINFOA vi;
    vi.dwOSVersionInfoSize = sizeof vi;
    CHECK(GetVersionExA(&vi) && vi.dwMajorVersion == 3 && vi.dwMinorVersion == 51 &&
          vi.dwPlatformId == VER_PLATFORM_WIN32_NT && vi.dwBuildNumber == (version >> 16));
    vi.dwOSVersionInfoSize = 12;
    CHECK(!GetVersionExA(&vi));
    SYSTEM_INFO si;
    GetSystemInfo(&si);
    CHECK(si.dwPageSize == 4096 && si.dwAllocationGranularity == 65536 && si.dwNumberOfProcessors >= 1);
    char dir[MAX_PATH];
    CHECK(GetSystemDirectoryA(dir, sizeof dir) == 11 && same(dir, "C:\\System32"));
    CHECK(GetWindowsDirectoryA(dir, sizeof dir) == 3 && same(dir, "C:\\"));
    CHECK(GetSystemDirectoryA(dir, 5) == 12);
    CHECK(GetCurrentProcessId() != 0 && GetCurrentProcess() == (HANDLE)(LONG_PTR)-1);
    WCHAR wide[4];
    CHECK(MultiByteToWideChar(CP_ACP, 0, "a\xe9", -1, wide, 4) == 3 && wide[1] == 0xE9);
    CHECK(GetACP() == 1252 && !IsDBCSLeadByte('a'));
}

/* ---- files ---- */

static void test_files(void) {
    char buffer[64], again[64];
    DWORD read = 0;
    HANDLE h = CreateFileA("C:\\System32\\smss.ini", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    CHECK(h != INVALID_HANDLE_VALUE);
    DWORD size = GetFileSize(h, NULL);
    CHECK(size > 100 && size != INVALID_FILE_SIZE);
    CHECK(ReadFile(h, buffer, sizeof buffer, &read, NULL) && read == sizeof buffer);
    CHECK(buffer[0] == ';' && buffer[2] == 's' && buffer[3] == 'm');
    CHECK(SetFilePointer(h, 0, NULL, FILE_CURRENT) == sizeof buffer);
    CHECK(SetFilePointer(h, 0, NULL, FILE_BEGIN) == 0);
    CHECK(ReadFile(h, again, sizeof again, &read, NULL) && read == sizeof again);
    int equal = 1;
    for (int i = 0; i < 64; i++)
        equal &= buffer[i] == again[i];
    CHECK(equal);
    CHECK(SetFilePointer(h, -4, NULL, FILE_END) == size - 4);
    CHECK(ReadFile(h, buffer, sizeof buffer, &read, NULL) && read == 4);
    CHECK(ReadFile(h, buffer, sizeof buffer, &read, NULL) && read == 0); /* the end */
    CHECK(SetFilePointer(h, -1, NULL, FILE_BEGIN) == INVALID_SET_FILE_POINTER &&
          GetLastError() == ERROR_NEGATIVE_SEEK);
    CHECK(GetFileType(h) == FILE_TYPE_DISK);
    CHECK(!WriteFile(h, "x", 1, &read, NULL) && GetLastError() == ERROR_ACCESS_DENIED);
    LARGE_INTEGER big;
    CHECK(GetFileSizeEx(h, &big) && big.QuadPart == size);
    BY_HANDLE_FILE_INFORMATION info;
    CHECK(GetFileInformationByHandle(h, &info) && info.nFileSizeLow == size);
    HANDLE dup = NULL;
    CHECK(
        DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(SetFilePointer(dup, 0, NULL, FILE_BEGIN) == 0 && ReadFile(dup, again, 8, &read, NULL) && read == 8);
    CHECK(CloseHandle(dup) && CloseHandle(h));
    CHECK(!CloseHandle(h) && GetLastError() == ERROR_INVALID_HANDLE);

    h = CreateFileA("C:\\System32\\no-such-file.ini", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0,
                    NULL);
    CHECK(h == INVALID_HANDLE_VALUE && GetLastError() == ERROR_FILE_NOT_FOUND);
    SetCurrentDirectoryA("C:\\System32");
    h = CreateFileA("smss.ini", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE && CloseHandle(h));
    h = CreateFileA("..\\System32\\.\\smss.ini", GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    CHECK(h != INVALID_HANDLE_VALUE && CloseHandle(h));
    char cwd[MAX_PATH];
    CHECK(GetCurrentDirectoryA(sizeof cwd, cwd) == 11 && lstrcmpiA(cwd, "C:\\System32") == 0);
    CHECK(!SetCurrentDirectoryA("C:\\NoSuchDirectory"));
    DWORD attributes = GetFileAttributesA("C:\\System32");
    CHECK(attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY));
    CHECK(GetFileAttributesA("C:\\nothing.txt") == INVALID_FILE_ATTRIBUTES);
}

/* ---- processes ---- */

/* Runs CommandLine (with Flags) and returns its exit code, or 0xFFFFFFFF. */
static DWORD run(LPCSTR Application, LPCSTR CommandLine, DWORD Flags) {
    char line[128];
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 0xFFFFFFFF;
    lstrcpyA(line, CommandLine ? CommandLine : "");
    if (!CreateProcessA(Application, CommandLine ? line : NULL, NULL, NULL, FALSE, Flags, NULL, NULL, &si,
                        &pi))
        return code;
    check(pi.dwProcessId != 0 && pi.dwProcessId != GetCurrentProcessId() && pi.dwThreadId != 0,
          "PROCESS_INFORMATION is filled");
    if (Flags & CREATE_SUSPENDED) {
        DWORD early = 0;
        check(GetExitCodeProcess(pi.hProcess, &early) && early == STILL_ACTIVE, "a suspended child is alive");
        check(WaitForSingleObject(pi.hProcess, 30) == WAIT_TIMEOUT, "a suspended child does not run");
        check(ResumeThread(pi.hThread) == 1, "ResumeThread says it was suspended once");
    }
    if (WaitForSingleObject(pi.hProcess, 20000) == WAIT_OBJECT_0)
        GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return code;
}

static void test_processes(void) {
    CHECK(run(NULL, "k32child.exe ret 7", 0) == 7);
    CHECK(run(NULL, "k32child exit 9", 0) == 9);
    CHECK(run(NULL, "\"C:\\System32\\k32child.exe\" thread 5", 0) == 5);
    CHECK(run("C:\\System32\\k32child.exe", "k32child print", 0) == 0);
    CHECK(run(NULL, "k32child.exe ret 3", CREATE_SUSPENDED) == 3);
    CHECK(run(NULL, "k32child.exe raise", 0) == 0xE0001234);
    CHECK(SetEnvironmentVariableA("K32CHILD", "hello"));
    CHECK(run(NULL, "k32child.exe env", 0) == 11);
    SetEnvironmentVariableA("K32CHILD", NULL);
    CHECK(run(NULL, "k32child.exe env", 0) == 12);
    CHECK(run("C:\\System32\\missdll.exe", NULL, 0) == 0xC0000135); /* STATUS_DLL_NOT_FOUND */

    SetLastError(0);
    CHECK(run(NULL, "no-such-program.exe", 0) == 0xFFFFFFFF && GetLastError() == ERROR_FILE_NOT_FOUND);
    CHECK(run("C:\\System32\\no-such-program.exe", NULL, 0) == 0xFFFFFFFF &&
          GetLastError() == ERROR_FILE_NOT_FOUND);
    CHECK(run("C:\\System32\\smss.ini", NULL, 0) == 0xFFFFFFFF && GetLastError() == ERROR_BAD_EXE_FORMAT);

    char line[] = "k32child.exe sleep";
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    CHECK(CreateProcessA(NULL, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    CHECK(WaitForSingleObject(pi.hProcess, 50) == WAIT_TIMEOUT);
    CHECK(TerminateProcess(pi.hProcess, 55));
    DWORD code = 0;
    CHECK(WaitForSingleObject(pi.hProcess, 5000) == WAIT_OBJECT_0 && GetExitCodeProcess(pi.hProcess, &code) &&
          code == 55);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
}

/* ---- exceptions ---- */

static LONG WINAPI continue_filter(EXCEPTION_POINTERS *Info) {
    return Info->ExceptionRecord->ExceptionCode == 0xE0000001 ? EXCEPTION_CONTINUE_EXECUTION
                                                              : EXCEPTION_CONTINUE_SEARCH;
}

static void test_exceptions(void) {
    LPTOP_LEVEL_EXCEPTION_FILTER old = SetUnhandledExceptionFilter(continue_filter);
    CHECK(SetUnhandledExceptionFilter(old) == continue_filter);
    SetUnhandledExceptionFilter(continue_filter);
    RaiseException(0xE0000001, 0, 0, NULL); /* the filter continues execution */
    CHECK(1);
    SetUnhandledExceptionFilter(old);
    CHECK(SetConsoleCtrlHandler(NULL, TRUE));
    OutputDebugStringA("k32test: OutputDebugStringA reaches the debug log\n");
}

DWORD WINAPI k32main(void) {
    say("kernel32 end to end");
    test_output_and_errors();
    test_events();
    test_mutexes_and_semaphores();
    test_wait_multiple();
    test_threads();
    test_critical_sections();
    test_tls();
    test_memory();
    test_modules();
    test_environment();
    test_time_and_system();
    test_files();
    test_processes();
    test_exceptions();
    say("%d passed, %d failed", Passed, Failed);
    ExitProcess(Failed != 0);
}
