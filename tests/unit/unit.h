/*
 * unit.h - the host unit-test framework, and the hooks host_support.c gives
 * the tests into the kernel code's surroundings.
 *
 * Why: the pure kernel code (boot information parser, PFN allocator, pool,
 * USTAR file system, run-time library) is compiled for the host with ASan and
 * UBSan and driven from here, where a malformed input costs nothing. A test
 * is `TEST(name) { ... }` and main lists them with RUN(name). Each test runs
 * in a forked child, so a test that crashes, trips a sanitizer or leaks is
 * reported as that one test failing while the rest still run, and static
 * kernel state never leaks from one test into the next. A test passes when
 * it made at least one check and none failed. main ends with
 * `return UtFinish();`, which prints the one summary line the Makefile reads
 * (`N passed, N failed`) and exits non-zero on any failure.
 *
 * Code under test reports corruption with KeBugCheckEx; EXPECT_BUGCHECK arms
 * host_support.c's KeBugCheckEx to longjmp back instead of aborting.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <errno.h>
#include <nt/bugcodes.h>
#include <nt/ntstatus.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- hooks implemented by host_support.c ---- */

/* The last bug check, recorded by KeBugCheckEx. */
typedef struct _HOST_BUGCHECK {
    ULONG Code;
    ULONG_PTR P1, P2, P3, P4;
    ULONG Count; /* bug checks caught since the test began */
} HOST_BUGCHECK;

/* When non-NULL, KeBugCheckEx records into HostLastBugCheck and longjmps
 * here; when NULL it prints the code and aborts. */
extern jmp_buf *volatile HostBugCheckJump;
extern HOST_BUGCHECK HostLastBugCheck;

/* MiAllocatePoolPages / MiFreePoolPages bookkeeping. */
extern ULONG HostPoolPagesOutstanding;  /* pages handed to the pool, not yet freed */
extern ULONG HostPoolAllocateCalls;     /* calls to MiAllocatePoolPages, failed ones too */
extern ULONG HostPoolFreeMismatches;    /* frees of an unknown address or with the wrong page count */
extern BOOLEAN HostPoolFailAllocations; /* TRUE: MiAllocatePoolPages returns NULL */

/* ---- checks ---- */

typedef struct _UT_STATE {
    ULONG Checks, Failures; /* of the running test (in the child) */
    ULONG Passed, Failed;   /* of the whole suite (in the parent) */
} UT_STATE;

static inline UT_STATE *ut_state(void) {
    static UT_STATE State;
    return &State;
}

static inline BOOLEAN ut_check(BOOLEAN Ok, const char *Expression, const char *File, int Line) {
    ut_state()->Checks++;
    if (!Ok) {
        ut_state()->Failures++;
        printf("  %s:%d: check failed: %s\n", File, Line, Expression);
    }
    return Ok;
}

static inline BOOLEAN ut_check_eq(unsigned long long Actual, unsigned long long Expected,
                                  const char *Expression, const char *File, int Line) {
    ut_state()->Checks++;
    if (Actual != Expected) {
        ut_state()->Failures++;
        printf("  %s:%d: check failed: %s: got %llu (0x%llx), expected %llu (0x%llx)\n", File, Line,
               Expression, Actual, Actual, Expected, Expected);
    }
    return Actual == Expected;
}

#define CHECK(cond) ut_check((cond) ? TRUE : FALSE, #cond, __FILE__, __LINE__)
#define CHECK_EQ(a, b)                                                                                       \
    ut_check_eq((unsigned long long)(a), (unsigned long long)(b), #a " == " #b, __FILE__, __LINE__)
/* NTSTATUS values compared as unsigned 32-bit numbers, so 0xC000000D reads as such. */
#define CHECK_STATUS(call, expected)                                                                         \
    ut_check_eq((ULONG)(call), (ULONG)(expected), #call " == " #expected, __FILE__, __LINE__)

/* Checks that Statement bug-checks with Code (and does not return). The
 * statement runs between setjmp and longjmp: locals it assigns and that are
 * read afterwards must be volatile. */
#define EXPECT_BUGCHECK(code, statement)                                                                     \
    do {                                                                                                     \
        jmp_buf ut_jump_;                                                                                    \
        HostBugCheckJump = &ut_jump_;                                                                        \
        if (setjmp(ut_jump_) == 0) {                                                                         \
            statement;                                                                                       \
            HostBugCheckJump = NULL;                                                                         \
            ut_check(FALSE, "bug check " #code " from: " #statement, __FILE__, __LINE__);                    \
        } else {                                                                                             \
            HostBugCheckJump = NULL;                                                                         \
            ut_check_eq(HostLastBugCheck.Code, (ULONG)(code), "bug check code of: " #statement, __FILE__,    \
                        __LINE__);                                                                           \
        }                                                                                                    \
    } while (0)

/* ---- tests ---- */

#define TEST(name) static void name(void)
#define RUN(name) ut_run(#name, name)

enum { UT_EXIT_PASSED = 0, UT_EXIT_FAILED = 3, UT_EXIT_NO_CHECKS = 4 };

/* Runs Test in a child process and tallies its verdict. */
static inline void ut_run(const char *Name, void (*Test)(void)) {
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        ut_state()->Checks = ut_state()->Failures = 0;
        memset(&HostLastBugCheck, 0, sizeof HostLastBugCheck);
        Test();
        int code = ut_state()->Failures ? UT_EXIT_FAILED
                   : ut_state()->Checks ? UT_EXIT_PASSED
                                        : UT_EXIT_NO_CHECKS;
        fflush(stdout);
        exit(code); /* exit, not _exit: LeakSanitizer checks the test for leaks */
    }
    int status = 0;
    pid_t done;
    do
        done = waitpid(pid, &status, 0);
    while (done < 0 && errno == EINTR);
    if (done != pid) {
        perror("waitpid");
        exit(2);
    }
    BOOLEAN passed = FALSE;
    if (WIFSIGNALED(status))
        printf("FAIL %s (killed by signal %d)\n", Name, WTERMSIG(status));
    else if (WEXITSTATUS(status) == UT_EXIT_PASSED)
        passed = TRUE;
    else if (WEXITSTATUS(status) == UT_EXIT_FAILED)
        printf("FAIL %s\n", Name);
    else if (WEXITSTATUS(status) == UT_EXIT_NO_CHECKS)
        printf("FAIL %s (made no checks)\n", Name);
    else
        printf("FAIL %s (crashed or sanitizer report, exit %d)\n", Name, WEXITSTATUS(status));
    if (passed) {
        printf("PASS %s\n", Name);
        ut_state()->Passed++;
    } else {
        ut_state()->Failed++;
    }
    fflush(stdout);
}

/* Prints the summary line and returns main's exit code. */
static inline int UtFinish(void) {
    printf("%u passed, %u failed\n", ut_state()->Passed, ut_state()->Failed);
    fflush(stdout);
    return ut_state()->Failed == 0 ? 0 : 1;
}

/* Reads the file at Path whole into a malloc'd buffer (the caller frees it),
 * with a NUL after the last byte so text can be read as a string; 0 when it
 * cannot be opened or read. */
static inline int UtReadFile(const char *Path, unsigned char **Data, size_t *Size) {
    FILE *f = fopen(Path, "rb");
    if (f == NULL)
        return 0;
    fseek(f, 0, SEEK_END);
    long length = ftell(f);
    fseek(f, 0, SEEK_SET);
    *Data = length >= 0 ? malloc((size_t)length + 1) : NULL;
    *Size = length >= 0 ? (size_t)length : 0;
    int ok = *Data != NULL && fread(*Data, 1, *Size, f) == *Size;
    if (*Data != NULL)
        (*Data)[*Size] = 0;
    fclose(f);
    return ok;
}

#endif
