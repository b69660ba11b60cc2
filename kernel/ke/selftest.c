/*
 * selftest.c - runs the in-kernel self-tests and reports "N passed, N failed".
 *
 * Why: the boot harness reads one line from the serial log to know the
 * result; every test also logs PASS or FAIL with its name, so a failure can
 * be found without rerunning anything.
 */
#define KD_COMPONENT "test"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ktest.h"
#include "../include/rtl.h"

extern const KTEST __ktests_start[], __ktests_end[];

VOID KtCheck(KTEST_CONTEXT *Ctx, BOOLEAN Ok, PCSTR Expression, PCSTR File, ULONG Line) {
    Ctx->Checks++;
    if (!Ok) {
        Ctx->Failures++;
        KdPrint("  check failed in %s: %s (%s:%u)", Ctx->Name, Expression, File, Line);
    }
}

VOID KtCheckEqual(KTEST_CONTEXT *Ctx, ULONGLONG Actual, ULONGLONG Expected, PCSTR Expression, PCSTR File,
                  ULONG Line) {
    Ctx->Checks++;
    if (Actual != Expected) {
        Ctx->Failures++;
        KdPrint("  check failed in %s: %s: got 0x%llX, expected 0x%llX (%s:%u)", Ctx->Name, Expression,
                Actual, Expected, File, Line);
    }
}

ULONG KiRunSelfTests(VOID) {
    ULONG passed = 0, failed = 0;
    char line[128];
    ULONG count = (ULONG)(__ktests_end - __ktests_start);
    KdPrint("running %u kernel self-tests", count);
    for (const KTEST *t = __ktests_start; t < __ktests_end; t++) {
        KTEST_CONTEXT ctx = {t->Name, 0, 0};
        t->Run(&ctx);
        BOOLEAN ok = ctx.Failures == 0 && ctx.Checks != 0; /* a test that checks nothing fails */
        if (ctx.Checks == 0)
            KdPrint("  %s made no checks", t->Name);
        KdPrint("%s %s (%u checks)", ok ? "PASS" : "FAIL", t->Name, ctx.Checks);
        if (ok)
            passed++;
        else
            failed++;
    }
    RtlFormatString(line, sizeof line, "%u passed, %u failed\n", passed, failed);
    KdPutString(line);
    VidDisplayString("\n\nKernel self-test: ");
    VidDisplayString(line);
    return failed;
}
