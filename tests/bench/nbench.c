/*
 * nbench.c - the executive's micro-benchmarks, in guest instructions.
 *
 * Why: DESIGN.md §10: under `qemu -icount shift=0,sleep=off` the guest TSC
 * advances one tick per instruction, so an rdtsc difference is an exact,
 * repeatable instruction count. This measures the two figures issue 3 asks
 * for: a null system call round trip (NtTestAlert, which does nothing here)
 * and a one-way thread-to-thread switch through an event pair (the quick-LPC
 * handoff); and, through csrss, a null LPC round trip, a null quick-LPC
 * round trip and a 4 KiB transfer through the port view (issue 4). It
 * also reads the kernel's counters, so each figure comes with
 * what happened per operation. Lines: "bench <name> <value> <unit>", and
 * after each benchmark's first line the kernel's event counters per
 * operation, system-wide: "nbench: counters <name> syscalls=X lpc=X qlpc=X
 * cs=X as=X bytes=X" (docs/benchmarks.md, "Event counters"). The counter
 * snapshots stand outside the performance snapshots, which stay as they were.
 *
 * Profile mode (`profile` among the command-line words; smss passes it on
 * from the kernel command line `bench profile`): a tenth of the rounds, so
 * tools/profile.py's instruction trace stays small. In every mode each
 * measured loop sits between a "bench begin <name> <ops>" line, a call of
 * BenchBegin, and a call of BenchEnd, a "bench end <name>" line; the calls
 * stand outside the rdtsc pair, so the figures do not include them, and the
 * profiler finds them in the trace by their addresses.
 */
#include <csr/csr.h>
#include <nt/ntapi.h>
#include <nt/ntexapi.h>
#include <nt/ntcontext.h>
#include <nt/ntcrt.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>

/* Rounds per measured loop; profile mode divides them by PROFILE_DIVISOR.
 * The measured loops count a local down to zero (`dec`, `jne`), the code
 * GCC made when the counts were constants: an upward count to a variable
 * bound costs one more instruction per round and would move the figures. */
#define NULL_CALLS 20000
#define PAIR_ROUNDS 5000
#define LPC_ROUNDS 5000
#define VIEW_ROUNDS 1000
#define PROFILE_DIVISOR 10
static ULONG Divisor = 1;
#ifndef THREAD_ALL_ACCESS
#define THREAD_ALL_ACCESS 0x1F03FF
#endif


static inline ULONGLONG rdtsc(VOID) {
    ULONG lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((ULONGLONG)hi << 32) | lo;
}

/* The profiler's markers: nothing but distinct code at a known symbol
 * (noipa keeps GCC from inlining them or folding the two together). A
 * measured loop is everything between a BenchBegin and the next BenchEnd. */
__attribute__((noipa)) VOID BenchBegin(VOID) {
    __asm__ volatile("nop" ::: "memory");
}
__attribute__((noipa)) VOID BenchEnd(VOID) {
    __asm__ volatile("nop; nop" ::: "memory");
}

/* Names the loop about to be measured and its operation count, for the
 * profiler; printed before the loop's first counter snapshot. */
static VOID announce(PCSTR Name, ULONG Ops) {
    DbgPrint("bench begin %s %u\n", Name, Ops);
}

static SYSTEM_PERFORMANCE_INFORMATION perf(VOID) {
    SYSTEM_PERFORMANCE_INFORMATION p;
    memset(&p, 0, sizeof p);
    NtQuerySystemInformation(SystemPerformanceInformation, &p, sizeof p, NULL);
    return p;
}

/* The system's event counters; the snapshot's own system call included. */
static SYSTEM_EVENT_COUNTERS counters(VOID) {
    SYSTEM_EVENT_COUNTER_INFORMATION c;
    memset(&c, 0, sizeof c);
    NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c, NULL);
    return c.System;
}

/* System calls made by the snapshots between a counters() pair around a
 * measured loop: the closing perf(), the opening perf() and the closing
 * counters() (the opening one counted itself before its snapshot). */
#define SNAPSHOT_CALLS 3

/* Total/Ops with two decimals, into Text. */
static PCSTR per_op(PCHAR Text, ULONG Size, ULONGLONG Total, ULONG Ops) {
    ULONGLONG hundredths = Total * 100 / Ops;
    _snprintf(Text, Size, "%u.%02u", (ULONG)(hundredths / 100), (ULONG)(hundredths % 100));
    return Text;
}

/* Prints the counters' growth over a measured loop, per operation. */
static VOID report_counters(PCSTR Name, const SYSTEM_EVENT_COUNTERS *C0, const SYSTEM_EVENT_COUNTERS *C1,
                            ULONG Ops) {
    CHAR sc[16], lpc[16], qlpc[16], cs[16], as[16], bytes[16];
    DbgPrint("nbench: counters %s syscalls=%s lpc=%s qlpc=%s cs=%s as=%s bytes=%s\n", Name,
             per_op(sc, sizeof sc, C1->SystemCalls - C0->SystemCalls - SNAPSHOT_CALLS, Ops),
             per_op(lpc, sizeof lpc, C1->LpcMessages - C0->LpcMessages, Ops),
             per_op(qlpc, sizeof qlpc, C1->QuickLpcCalls - C0->QuickLpcCalls, Ops),
             per_op(cs, sizeof cs, C1->ContextSwitches - C0->ContextSwitches, Ops),
             per_op(as, sizeof as, C1->AddressSpaceSwitches - C0->AddressSpaceSwitches, Ops),
             per_op(bytes, sizeof bytes, C1->BytesCopied - C0->BytesCopied, Ops));
}

/* Prints value/ops with two decimals, as "bench NAME X.YZ UNIT". */
static VOID report(PCSTR Name, ULONGLONG Total, ULONG Ops, PCSTR Unit) {
    ULONGLONG hundredths = Total * 100 / Ops;
    DbgPrint("bench %s %u.%02u %s\n", Name, (ULONG)(hundredths / 100), (ULONG)(hundredths % 100), Unit);
}

static HANDLE Pair;
static VOID NTAPI pair_server(PVOID Arg) {
    (void)Arg;
    NtWaitHighEventPair(Pair);
    for (;;)
        NtSetLowWaitHighEventPair(Pair);
}

static HANDLE start_thread(VOID(NTAPI *Entry)(PVOID)) {
    PVOID stack = NULL;
    SIZE_T size = 64 * 1024;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &stack, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                            PAGE_READWRITE)))
        return NULL;
    ULONG top = (ULONG)(ULONG_PTR)stack + (ULONG)size - 8;
    ((ULONG *)(ULONG_PTR)top)[0] = 0;
    ((ULONG *)(ULONG_PTR)top)[1] = 0;
    CONTEXT ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_FULL;
    ctx.Eip = (ULONG)(ULONG_PTR)Entry;
    ctx.Esp = top;
    ctx.EFlags = 0x202;
    INITIAL_TEB teb = {NULL, NULL, (PCHAR)stack + size, stack, stack};
    HANDLE h = NULL;
    if (!NT_SUCCESS(NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), NULL, &ctx, &teb, FALSE)))
        return NULL;
    return h;
}

static ULONG bench_null_syscall(VOID) {
    const ULONG calls = NULL_CALLS / Divisor;
    for (ULONG i = 0; i < 100; i++) /* warm: every page and TLB entry in place */
        NtTestAlert();
    announce("null_syscall", calls);
    SYSTEM_EVENT_COUNTERS c0 = counters();
    SYSTEM_PERFORMANCE_INFORMATION p0 = perf();
    BenchBegin();
    ULONGLONG t0 = rdtsc();
    for (ULONG n = calls; n; n--)
        NtTestAlert();
    ULONGLONG t1 = rdtsc();
    BenchEnd();
    SYSTEM_PERFORMANCE_INFORMATION p1 = perf();
    SYSTEM_EVENT_COUNTERS c1 = counters();
    DbgPrint("bench end null_syscall\n");
    /* The loop itself: the same count of iterations without the call. */
    ULONGLONG l0 = rdtsc();
    for (volatile ULONG i = 0; i < calls; i++)
        ;
    ULONGLONG l1 = rdtsc();
    report("null_syscall", t1 - t0, calls, "instructions");
    report_counters("null_syscall", &c0, &c1, calls);
    report("null_syscall.loop_overhead", l1 - l0, calls, "instructions");
    report("null_syscall.system_calls_per_op", p1.SystemCalls - p0.SystemCalls - 1, calls, "calls");
    report("null_syscall.context_switches_per_op", p1.ContextSwitches - p0.ContextSwitches, calls,
           "switches");
    return 0;
}

static ULONG bench_event_pair(VOID) {
    const ULONG rounds = PAIR_ROUNDS / Divisor;
    if (!NT_SUCCESS(NtCreateEventPair(&Pair, 0x1F0000, NULL)))
        return 1;
    HANDLE server = start_thread(pair_server);
    if (!server)
        return 1;
    LARGE_INTEGER settle = {.QuadPart = -20 * 10000LL};
    NtDelayExecution(FALSE, &settle);
    for (ULONG i = 0; i < 100; i++) /* warm */
        NtSetHighWaitLowEventPair(Pair);
    announce("eventpair_switch", 2 * rounds);
    SYSTEM_EVENT_COUNTERS c0 = counters();
    SYSTEM_PERFORMANCE_INFORMATION p0 = perf();
    BenchBegin();
    ULONGLONG t0 = rdtsc();
    for (ULONG n = rounds; n; n--)
        NtSetHighWaitLowEventPair(Pair);
    ULONGLONG t1 = rdtsc();
    BenchEnd();
    SYSTEM_PERFORMANCE_INFORMATION p1 = perf();
    SYSTEM_EVENT_COUNTERS c1 = counters();
    DbgPrint("bench end eventpair_switch\n");
    report("eventpair_switch", t1 - t0, 2 * rounds, "instructions");
    report_counters("eventpair_switch", &c0, &c1, 2 * rounds);
    report("eventpair_round_trip", t1 - t0, rounds, "instructions");
    report("eventpair_switch.context_switches_per_op", p1.ContextSwitches - p0.ContextSwitches, 2 * rounds,
           "switches");
    report("eventpair_switch.direct_handoffs_per_op", p1.DirectHandoffs - p0.DirectHandoffs, 2 * rounds,
           "handoffs");
    report("eventpair_switch.system_calls_per_op", p1.SystemCalls - p0.SystemCalls - 1, 2 * rounds, "calls");
    NtTerminateThread(server, 0);
    NtWaitForSingleObject(server, FALSE, NULL);
    NtClose(server);
    NtClose(Pair);
    return 0;
}

/* Reports one LPC-shaped measurement with its counters per operation. */
static VOID report_ipc(PCSTR Name, ULONGLONG Total, ULONG Ops, const SYSTEM_PERFORMANCE_INFORMATION *P0,
                       const SYSTEM_PERFORMANCE_INFORMATION *P1, const SYSTEM_EVENT_COUNTERS *C0,
                       const SYSTEM_EVENT_COUNTERS *C1) {
    CHAR name[64];
    report(Name, Total, Ops, "instructions");
    report_counters(Name, C0, C1, Ops);
    _snprintf(name, sizeof name, "%s.system_calls_per_op", Name);
    report(name, P1->SystemCalls - P0->SystemCalls - 1, Ops, "calls");
    _snprintf(name, sizeof name, "%s.context_switches_per_op", Name);
    report(name, P1->ContextSwitches - P0->ContextSwitches, Ops, "switches");
    _snprintf(name, sizeof name, "%s.address_space_switches_per_op", Name);
    report(name, P1->AddressSpaceSwitches - P0->AddressSpaceSwitches, Ops, "switches");
}

/* Client -> csrss -> client through \Windows\ApiPort: CsrpNullApi, the
 * smallest CSR message (40 bytes of header, 4 of arguments). */
static ULONG bench_null_lpc(VOID) {
    const ULONG rounds = LPC_ROUNDS / Divisor;
    CSR_API_MESSAGE m;
    ULONG api = CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpNullApi);
    for (ULONG i = 0; i < 100; i++) { /* connects, then warms */
        m.u.NullApi.Value = i;
        if (!NT_SUCCESS(CsrClientCallServer(&m, NULL, api, sizeof m.u.NullApi)))
            return 1;
    }
    announce("null_lpc_round_trip", rounds);
    SYSTEM_EVENT_COUNTERS c0 = counters();
    SYSTEM_PERFORMANCE_INFORMATION p0 = perf();
    BenchBegin();
    ULONGLONG t0 = rdtsc();
    for (ULONG n = rounds; n; n--)
        CsrClientCallServer(&m, NULL, api, sizeof m.u.NullApi);
    ULONGLONG t1 = rdtsc();
    BenchEnd();
    SYSTEM_PERFORMANCE_INFORMATION p1 = perf();
    SYSTEM_EVENT_COUNTERS c1 = counters();
    DbgPrint("bench end null_lpc_round_trip\n");
    report_ipc("null_lpc_round_trip", t1 - t0, rounds, &p0, &p1, &c0, &c1);
    return m.u.NullApi.Value == 100 + rounds ? 0 : 1;
}

/* The same null request through the thread's quick-LPC window and event pair. */
static ULONG bench_null_qlpc(VOID) {
    const ULONG rounds = LPC_ROUNDS / Divisor;
    PCSR_QLPC_MESSAGE w = CsrQuickLpcWindow();
    if (!w)
        return 1;
    w->ApiNumber = CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CSRSRV_QLPC_NULL);
    w->Length = sizeof(ULONG);
    *(PULONG)w->Data = 0;
    for (ULONG i = 0; i < 100; i++)
        CsrQuickLpcCall();
    announce("null_qlpc_round_trip", rounds);
    SYSTEM_EVENT_COUNTERS c0 = counters();
    SYSTEM_PERFORMANCE_INFORMATION p0 = perf();
    BenchBegin();
    ULONGLONG t0 = rdtsc();
    for (ULONG n = rounds; n; n--)
        CsrQuickLpcCall();
    ULONGLONG t1 = rdtsc();
    BenchEnd();
    SYSTEM_PERFORMANCE_INFORMATION p1 = perf();
    SYSTEM_EVENT_COUNTERS c1 = counters();
    DbgPrint("bench end null_qlpc_round_trip\n");
    report_ipc("null_qlpc_round_trip", t1 - t0, rounds, &p0, &p1, &c0, &c1);
    return *(PULONG)w->Data == 100 + rounds && w->ReturnValue == STATUS_SUCCESS ? 0 : 1;
}

/* 4 KiB to csrss through the port view: captured into the view by the
 * client, summed in place by csrss (CsrpChecksum), one LPC round trip. */
static ULONG bench_view_4k(VOID) {
    const ULONG rounds = VIEW_ROUNDS / Divisor;
    static UCHAR data[4096];
    ULONG sum = 0;
    for (ULONG i = 0; i < sizeof data; i++)
        sum += data[i] = (UCHAR)i;
    CSR_API_MESSAGE m;
    ULONG api = CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum);
    ULONG bad = 0;
    announce("view_4k_transfer", rounds);
    SYSTEM_EVENT_COUNTERS c0 = counters();
    SYSTEM_PERFORMANCE_INFORMATION p0 = perf();
    BenchBegin();
    ULONGLONG t0 = rdtsc();
    for (ULONG n = rounds; n; n--) {
        PCSR_CAPTURE_BUFFER cb = CsrAllocateCaptureBuffer(1, sizeof data);
        if (!cb)
            return 1;
        CsrCaptureMessageBuffer(cb, data, sizeof data, &m.u.Checksum.Buffer);
        m.u.Checksum.Length = sizeof data;
        if (!NT_SUCCESS(CsrClientCallServer(&m, cb, api, sizeof m.u.Checksum)) || m.u.Checksum.Sum != sum)
            bad++;
        CsrFreeCaptureBuffer(cb);
    }
    ULONGLONG t1 = rdtsc();
    BenchEnd();
    SYSTEM_PERFORMANCE_INFORMATION p1 = perf();
    SYSTEM_EVENT_COUNTERS c1 = counters();
    DbgPrint("bench end view_4k_transfer\n");
    report_ipc("view_4k_transfer", t1 - t0, rounds, &p0, &p1, &c0, &c1);
    return bad ? 1 : 0;
}

/* TRUE when Word is one of the space-separated words of the process's
 * command line. */
static BOOLEAN has_word(PPEB Peb, PCSTR Word) {
    PRTL_USER_PROCESS_PARAMETERS pp = Peb->ProcessParameters;
    if (!pp || !pp->CommandLine.Buffer)
        return FALSE;
    ULONG length = pp->CommandLine.Length / sizeof(WCHAR), n = (ULONG)strlen(Word);
    for (ULONG i = 0; i < length;) {
        while (i < length && pp->CommandLine.Buffer[i] == L' ')
            i++;
        ULONG start = i, same = 0;
        while (i < length && pp->CommandLine.Buffer[i] != L' ') {
            if (i - start < n && pp->CommandLine.Buffer[i] == (WCHAR)(UCHAR)Word[i - start])
                same++;
            i++;
        }
        if (i - start == n && same == n)
            return TRUE;
    }
    return FALSE;
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    if (has_word(Peb, "profile")) {
        Divisor = PROFILE_DIVISOR;
        DbgPrint("bench profile mode: a tenth of the rounds\n");
    }
    LARGE_INTEGER freq, now;
    NtQueryPerformanceCounter(&now, &freq);
    DbgPrint("bench tsc_frequency %u kHz\n", (ULONG)(freq.QuadPart / 1000));
    ULONG failures =
        bench_null_syscall() + bench_event_pair() + bench_null_lpc() + bench_null_qlpc() + bench_view_4k();
    DbgPrint("bench done %u failures\n", failures);
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)failures);
}
