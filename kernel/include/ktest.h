/*
 * ktest.h - the in-kernel self-test framework.
 *
 * Why: some facts can only be checked inside the running kernel (that the
 * timer really interrupts, that the identity map is gone, that \SystemRoot
 * holds what the build put there). A test is a function declared with
 * KTEST(name); the linker gathers them in the .ktests section and
 * KiRunSelfTests runs them all when the command line says `test`. A test
 * passes when none of its KT_CHECKs failed; each failure is logged with its
 * file, line and expression.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <nt/ntstatus.h>

typedef struct _KTEST_CONTEXT {
    PCSTR Name;
    ULONG Checks;
    ULONG Failures;
} KTEST_CONTEXT;

typedef struct _KTEST {
    PCSTR Name;
    VOID (*Run)(KTEST_CONTEXT *Ctx);
} KTEST;

VOID KtCheck(KTEST_CONTEXT *Ctx, BOOLEAN Ok, PCSTR Expression, PCSTR File, ULONG Line);
VOID KtCheckEqual(KTEST_CONTEXT *Ctx, ULONGLONG Actual, ULONGLONG Expected, PCSTR Expression, PCSTR File,
                  ULONG Line);

#define KTEST(name)                                                                            \
    static VOID name(KTEST_CONTEXT *Ctx);                                                      \
    static const KTEST KtDescriptor_##name __attribute__((used, section(".ktests"))) = {#name, name}; \
    static VOID name(KTEST_CONTEXT *Ctx)

#define KT_CHECK(cond) KtCheck(Ctx, (cond) ? TRUE : FALSE, #cond, __FILE__, __LINE__)
#define KT_CHECK_EQ(actual, expected) \
    KtCheckEqual(Ctx, (ULONGLONG)(actual), (ULONGLONG)(expected), #actual " == " #expected, __FILE__, __LINE__)
#define KT_CHECK_STATUS(call, expected) KT_CHECK_EQ((ULONG)(call), (ULONG)(expected))

/* Runs every KTEST; returns the number that failed. */
ULONG KiRunSelfTests(VOID);

#endif
