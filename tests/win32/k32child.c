/*
 * k32child.c - the child k32test starts: one behaviour per command-line
 * word, each ending the process in a way the parent can check.
 *
 * Why: CreateProcess is only proven by a process that really starts, reads
 * what its parent gave it (command line, environment, standard handles) and
 * ends with a code the parent reads back. Built like k32test, without the C
 * run-time: its entry point is k32main, whose return value becomes the exit
 * code (kernel32's process exit thunk).
 *
 *   ret N     return N from the entry point
 *   exit N    ExitProcess(N)
 *   thread N  ExitThread(N) in the only thread: the process ends with N
 *   env       11 when K32CHILD=hello is in the environment, else 12
 *   print     write a line to standard output, return 0
 *   sleep     sleep until terminated
 *   raise     RaiseException(0xE0001234) with no filter
 */
#include <windows.h>

static int word_is(const char *A, const char *B) {
    while (*B != 0 && *A == *B)
        A++, B++;
    return *B == 0 && (*A == 0 || *A == ' ');
}

static DWORD number(const char *S) {
    DWORD n = 0;
    while (*S >= '0' && *S <= '9')
        n = n * 10 + (DWORD)(*S++ - '0');
    return n;
}

/* The command line after the program name. */
static const char *arguments(void) {
    const char *p = GetCommandLineA();
    if (*p == '"') {
        p++;
        while (*p != 0 && *p != '"')
            p++;
        if (*p == '"')
            p++;
    } else {
        while (*p != 0 && *p != ' ')
            p++;
    }
    while (*p == ' ')
        p++;
    return p;
}

DWORD WINAPI k32main(void) {
    const char *a = arguments();
    const char *n = a;
    while (*n != 0 && *n != ' ')
        n++;
    while (*n == ' ')
        n++;
    if (word_is(a, "ret"))
        return number(n);
    if (word_is(a, "exit"))
        ExitProcess(number(n));
    if (word_is(a, "thread"))
        ExitThread(number(n));
    if (word_is(a, "env")) {
        char value[16];
        DWORD got = GetEnvironmentVariableA("K32CHILD", value, sizeof value);
        return (got == 5 && lstrcmpA(value, "hello") == 0) ? 11 : 12;
    }
    if (word_is(a, "print")) {
        static const char line[] = "k32child: hello from the child\n";
        DWORD written = 0;
        WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, sizeof line - 1, &written, NULL);
        return written == sizeof line - 1 ? 0 : 1;
    }
    if (word_is(a, "sleep"))
        Sleep(INFINITE);
    if (word_is(a, "raise"))
        RaiseException(0xE0001234, 0, 0, NULL);
    return 99;
}
