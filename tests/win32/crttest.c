/*
 * crttest.c - Daytona's msvcrt.dll as a stock mingw-w64 program sees it.
 *
 * Why: the host tests prove msvcrt's pure parts against glibc; this proves
 * the whole DLL in place, under mingw's unmodified start-up code: argv and
 * the environment from __getmainargs, the heap, stdio to the std handles,
 * strtol and errno, qsort, the printf family both as mingw routes it (its
 * own printf in libmingwex, which calls msvcrt's fputc, fwrite, localeconv)
 * and as msvcrt.dll exports it (looked up with GetProcAddress, because
 * Debian's mingw headers send sprintf to mingw's own), and the order in
 * which atexit functions run.
 *
 * Each check prints PASS or FAIL. The last atexit function to run (the
 * first registered) checks the order of the others and prints the final
 * `N passed, N failed` line; on any failure the process exits with 1,
 * otherwise with 0 from main's return.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int passed, failed;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

/* ---- the printf family ---- */

typedef int(__cdecl *SPRINTF)(char *, const char *, ...);
typedef int(__cdecl *SNPRINTF)(char *, size_t, const char *, ...);

static FARPROC msvcrt_export(const char *name) {
    return GetProcAddress(GetModuleHandleA("msvcrt.dll"), name);
}

static void test_mingw_printf(void) {
    char b[128];
    sprintf(b, "%d|%5s|%-4x|%05.1f|%e|%g", -42, "ab", 255u, 3.14159, 12345.678, 0.0001);
    check(strcmp(b, "-42|   ab|ff  |003.1|1.234568e+04|0.0001") == 0,
          "mingw sprintf through msvcrt's helpers");
    int n = snprintf(b, 6, "%s", "truncated");
    check(n == 9 && strcmp(b, "trunc") == 0, "mingw snprintf truncates with a NUL");
}

static void test_msvcrt_printf(void) {
    SPRINTF ms_sprintf = (SPRINTF)msvcrt_export("sprintf");
    SNPRINTF ms_snprintf = (SNPRINTF)msvcrt_export("_snprintf");
    SNPRINTF c99_snprintf = (SNPRINTF)msvcrt_export("snprintf");
    check(ms_sprintf && ms_snprintf && c99_snprintf, "msvcrt exports sprintf, _snprintf, snprintf");
    if (!ms_sprintf || !ms_snprintf || !c99_snprintf)
        return;
    char b[128];
    static const struct {
        const char *format;
        const char *expected;
    } cases[] = {
        {"[%d]", "[-2147483648]"},    {"[%+5i]", "[  +42]"},
        {"[%08.3f]", "[0003.142]"},   {"[%.0f]", "[2]"},
        {"[%#o]", "[010]"},           {"[%-6u]", "[7     ]"},
        {"[%X]", "[BEEF]"},           {"[%.3e]", "[1.235e+04]"},
        {"[%g]", "[1e+20]"},          {"[%I64d]", "[-9223372036854775807]"},
        {"[%lld]", "[123456789012]"}, {"[%p]", "[0000ABCD]"},
        {"[%c%c]", "[ok]"},           {"[%.2s]", "[ab]"},
        {"[%*d]", "[    5]"},
    };
    int ok = 1;
    ok &= ms_sprintf(b, cases[0].format, INT_MIN) == 13 && strcmp(b, cases[0].expected) == 0;
    ok &= ms_sprintf(b, cases[1].format, 42) > 0 && strcmp(b, cases[1].expected) == 0;
    ok &= ms_sprintf(b, cases[2].format, 3.14159) > 0 && strcmp(b, cases[2].expected) == 0;
    ok &= ms_sprintf(b, cases[3].format, 2.5) > 0 && strcmp(b, cases[3].expected) == 0;
    ok &= ms_sprintf(b, cases[4].format, 8) > 0 && strcmp(b, cases[4].expected) == 0;
    ok &= ms_sprintf(b, cases[5].format, 7) > 0 && strcmp(b, cases[5].expected) == 0;
    ok &= ms_sprintf(b, cases[6].format, 0xBEEF) > 0 && strcmp(b, cases[6].expected) == 0;
    ok &= ms_sprintf(b, cases[7].format, 12345.678) > 0 && strcmp(b, cases[7].expected) == 0;
    ok &= ms_sprintf(b, cases[8].format, 1e20) > 0 && strcmp(b, cases[8].expected) == 0;
    ok &= ms_sprintf(b, cases[9].format, -9223372036854775807LL) > 0 && strcmp(b, cases[9].expected) == 0;
    ok &= ms_sprintf(b, cases[10].format, 123456789012LL) > 0 && strcmp(b, cases[10].expected) == 0;
    ok &= ms_sprintf(b, cases[11].format, (void *)0xABCD) > 0 && strcmp(b, cases[11].expected) == 0;
    ok &= ms_sprintf(b, cases[12].format, 'o', 'k') > 0 && strcmp(b, cases[12].expected) == 0;
    ok &= ms_sprintf(b, cases[13].format, "abc") > 0 && strcmp(b, cases[13].expected) == 0;
    ok &= ms_sprintf(b, cases[14].format, 5, 5) > 0 && strcmp(b, cases[14].expected) == 0;
    check(ok, "msvcrt sprintf conversions");

    memset(b, 'X', sizeof b);
    int n = ms_snprintf(b, 4, "%d", 123456);
    check(n == -1 && memcmp(b, "1234X", 5) == 0, "_snprintf: too long gives -1 and no NUL");
    n = c99_snprintf(b, 4, "%d", 123456);
    check(n == 6 && strcmp(b, "123") == 0, "snprintf: C99 truncation");
}

/* ---- stdio ---- */

static void test_stdio(void) {
    int ok = fputs("stdio: fputs,", stdout) >= 0;
    ok &= fputc(' ', stdout) == ' ';
    ok &= putchar('p') == 'p';
    ok &= fwrite("utchar, fwrite", 1, 14, stdout) == 14;
    ok &= puts(", puts") >= 0;
    ok &= fflush(stdout) == 0;
    check(ok, "fputs, fputc, putchar, fwrite, puts, fflush on stdout");
    check(fprintf(stderr, "crttest: this line went to stderr\n") == 34, "fprintf to stderr");
    check(stdout == &__iob_func()[1] && stderr == &__iob_func()[2],
          "stdout and stderr are _iob[1] and _iob[2]");
}

/* ---- conversions, errno ---- */

static void test_strtol(void) {
    char *end;
    errno = 0;
    long v = strtol("  -0x7fffFFFF tail", &end, 0);
    check(v == -2147483647L && strcmp(end, " tail") == 0 && errno == 0, "strtol with base prefix");
    v = strtol("-2147483649", &end, 10);
    check(v == LONG_MIN && errno == ERANGE, "strtol clamps and sets ERANGE");
    errno = 0;
    unsigned long u = strtoul("4294967295", NULL, 10);
    check(u == 4294967295UL && errno == 0, "strtoul of ULONG_MAX");
    check(atoi("  123abc") == 123 && atoi("-7") == -7, "atoi");
    check(isalpha('a') && !isalpha('1') && isdigit('7') && toupper('q') == 'Q', "ctype");
}

/* ---- qsort ---- */

static int compare_ints(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void test_qsort(void) {
    int a[200];
    unsigned state = 7;
    for (int i = 0; i < 200; i++) {
        state = state * 1103515245u + 12345u;
        a[i] = (int)(state >> 16) % 50 - 25;
    }
    qsort(a, 200, sizeof a[0], compare_ints);
    int sorted = 1;
    for (int i = 1; i < 200; i++)
        sorted &= a[i - 1] <= a[i];
    check(sorted, "qsort of 200 ints with duplicates");
    int key = a[123];
    int *found = bsearch(&key, a, 200, sizeof a[0], compare_ints);
    check(found && *found == key, "bsearch finds a sorted element");
}

/* ---- the heap ---- */

static void test_heap(void) {
    enum { BLOCKS = 300 };
    unsigned char *blocks[BLOCKS];
    int ok = 1;
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = (size_t)(i * 37 % 4000 + 1);
        blocks[i] = malloc(size);
        ok &= blocks[i] != NULL;
        if (blocks[i])
            memset(blocks[i], i & 0xFF, size);
    }
    for (int i = 0; ok && i < BLOCKS; i += 2) {
        size_t size = (size_t)(i * 37 % 4000 + 1);
        unsigned char *grown = realloc(blocks[i], size * 3);
        ok &= grown != NULL;
        if (grown) {
            for (size_t k = 0; k < size; k++)
                ok &= grown[k] == (i & 0xFF);
            blocks[i] = grown;
        }
    }
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    check(ok, "malloc, realloc keeps contents, free");
    unsigned *zeros = calloc(1000, sizeof *zeros);
    int allZero = zeros != NULL;
    for (int i = 0; zeros && i < 1000; i++)
        allZero &= zeros[i] == 0;
    free(zeros);
    check(allZero, "calloc zeroes");
    volatile size_t huge = (size_t)-1 / 2; /* volatile: gcc would reject the call outright */
    errno = 0;
    check(calloc(huge, 4) == NULL && errno == ENOMEM, "calloc refuses an overflowing size");
    check(realloc(malloc(10), 0) == NULL, "realloc(p, 0) frees and returns NULL");
}

/* ---- argv and the environment ---- */

static void test_arguments(int argc, char **argv, char **envp) {
    check(argc >= 1 && argv[argc] == NULL && argv[0][0] != '\0',
          "argv has a program name and ends with NULL");
    /* mingw's start-up copies the array __getmainargs returns (so main may
     * change it), so compare contents, not pointers. */
    int same = argc == __argc;
    for (int i = 0; same && i < argc; i++)
        same = strcmp(argv[i], __argv[i]) == 0;
    check(same, "main's argv holds __argv's strings");
    check(envp == _environ, "main's envp is _environ");
    int consistent = 1, count = 0;
    for (char **e = envp; *e; e++, count++) {
        char name[128];
        const char *equals = strchr(*e, '=');
        if (!equals || equals == *e || (size_t)(equals - *e) >= sizeof name) {
            consistent = 0;
            continue;
        }
        memcpy(name, *e, (size_t)(equals - *e));
        name[equals - *e] = '\0';
        consistent &= getenv(name) == equals + 1;
    }
    printf("environment: %d variables\n", count);
    check(consistent, "getenv finds every variable of envp");
    check(getenv("DAYTONA_CRTTEST_NO_SUCH_VARIABLE") == NULL, "getenv of a missing variable is NULL");
}

/* ---- atexit, run after main returns ---- */

static char exit_order[8];
static int exit_steps;

static void third_registered(void) {
    exit_order[exit_steps++] = '3';
}
static void second_registered(void) {
    exit_order[exit_steps++] = '2';
}

/* Registered first, so it runs last: checks the order and reports. */
static void first_registered(void) {
    exit_order[exit_steps++] = '1';
    check(strcmp(exit_order, "321") == 0, "atexit functions run in reverse order");
    printf("crttest: %d passed, %d failed\n", passed, failed);
    fflush(stdout);
    if (failed)
        _exit(1);
}

int main(int argc, char **argv, char **envp) {
    printf("crttest: msvcrt.dll under the stock mingw-w64 start-up code\n");
    check(atexit(first_registered) == 0 && atexit(second_registered) == 0 && atexit(third_registered) == 0,
          "atexit registers three functions");
    test_arguments(argc, argv, envp);
    test_mingw_printf();
    test_msvcrt_printf();
    test_stdio();
    test_strtol();
    test_qsort();
    test_heap();
    return 0;
}
