/*
 * ntest.c - the in-OS test runner: the executive seen from user mode.
 *
 * Why: the kernel's self-tests call services from kernel mode; this program
 * calls them the way every program will, through ntdll's int 0x2E stubs from
 * ring 3, in a process smss started. It also starts copies of itself with a
 * `child` argument to prove that a fault, an illegal instruction or a
 * division by zero ends only that child, with NT's exception code as its
 * exit status, and that an exited process gives back every page it had.
 * It also pins the kernel's event counters (each system call, LPC message,
 * byte of message data and event-pair handoff counted exactly once, on the
 * thread that caused it and system-wide).
 * It prints one "ntest: PASS/FAIL name" line per test and ends with
 * "ntest: N passed, N failed", then exits with the number that failed.
 */
#include <nt/ntapi.h>
#include <nt/ntexapi.h>
#include <nt/ntcontext.h>
#include <nt/ntcrt.h>
#include <nt/ntio.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#define NTEST_IMAGE "\\SystemRoot\\System32\\ntest.exe"
#ifndef EVENT_ALL_ACCESS
#define EVENT_ALL_ACCESS 0x1F0003
#endif
#ifndef SECTION_ALL_ACCESS
#define SECTION_ALL_ACCESS 0xF001F
#endif
#ifndef THREAD_ALL_ACCESS
#define THREAD_ALL_ACCESS 0x1F03FF
#endif
#ifndef MEM_PRIVATE
#define MEM_PRIVATE 0x20000
#endif
#ifndef MEM_FREE
#define MEM_FREE 0x10000
#endif
#ifndef SEC_COMMIT
#define SEC_COMMIT 0x8000000
#endif
#ifndef NtCurrentThread
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#endif

#define NotificationEvent_ 0
#define STATUS_WAIT_1_ 1
#define FILE_EXECUTE_ 0x0020

typedef struct _MEMORY_BASIC_INFORMATION_ {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} MEMORY_BASIC_INFORMATION_;

#define NTTEST_NAME "ntest"
#include "nttest.h"

/* Runs a child of ntest with Args and returns its exit status. */
static NTSTATUS run_child(PCSTR Args) {
    CHAR cmd[128];
    _snprintf(cmd, sizeof cmd, "%s child %s", NTEST_IMAGE, Args);
    HANDLE p = spawn(NTEST_IMAGE, cmd, NULL);
    if (!p)
        return STATUS_UNSUCCESSFUL;
    NtWaitForSingleObject(p, FALSE, NULL);
    NTSTATUS code = exit_code(p);
    NtClose(p);
    return code;
}


static ULONG free_pages(VOID) {
    SYSTEM_PERFORMANCE_INFORMATION perf;
    if (!NT_SUCCESS(NtQuerySystemInformation(SystemPerformanceInformation, &perf, sizeof perf, NULL)))
        return 0;
    return perf.AvailablePages;
}

static VOID sleep_ms(ULONG Ms) {
    LARGE_INTEGER t = {.QuadPart = -(LONGLONG)Ms * 10000};
    NtDelayExecution(FALSE, &t);
}

/* ---- the tests ---- */

static VOID test_peb_teb_and_parameters(VOID) {
    PPEB peb = NtCurrentPeb();
    PTEB teb = NtCurrentTeb();
    CHECK((ULONG_PTR)peb == 0x7FFDF000);
    CHECK(teb->NtTib.Self == &teb->NtTib);
    CHECK((ULONG_PTR)teb < 0x7FFDF000 && (ULONG_PTR)teb >= 0x7FF00000);
    CHECK(peb->OSMajorVersion == 3 && peb->OSMinorVersion == 51);
    CHECK(peb->ImageBaseAddress != NULL && peb->ProcessHeap != NULL);
    CHECK(peb->ProcessParameters != NULL && peb->ProcessParameters->CommandLine.Length > 0);
    CHECK(teb->ClientId.UniqueProcess != NULL && teb->ClientId.UniqueThread != NULL);
}

static VOID test_events_and_waits_from_user_mode(VOID) {
    HANDLE ev;
    LONG previous = -1;
    LARGE_INTEGER zero = {.QuadPart = 0};
    CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent_, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_TIMEOUT);
    CHECK_STATUS(NtSetEvent(ev, &previous), STATUS_SUCCESS);
    CHECK(previous == 0);
    CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &zero), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(ev), STATUS_INVALID_HANDLE);
    CHECK_STATUS(NtWaitForSingleObject((HANDLE)0x12344, FALSE, &zero), STATUS_INVALID_HANDLE);
}

static VOID test_hostile_pointers_are_refused(VOID) {
    CHECK_STATUS(NtCreateEvent((PHANDLE)0x1000, EVENT_ALL_ACCESS, NULL, 0, FALSE), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtCreateEvent((PHANDLE)0x80100000, EVENT_ALL_ACCESS, NULL, 0, FALSE),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtDelayExecution(FALSE, (PLARGE_INTEGER)0xC0000000), STATUS_ACCESS_VIOLATION);
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, (PUNICODE_STRING)0x80000000, 0, NULL, NULL);
    HANDLE h;
    CHECK_STATUS(NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, 0, FALSE), STATUS_ACCESS_VIOLATION);
    /* A service number beyond the table. */
    NTSTATUS s;
    __asm__ volatile("int $0x2E" : "=a"(s) : "a"(0x0FFF), "d"(0) : "memory", "ecx");
    CHECK_STATUS(s, 0xC000001C);
}

static VOID test_virtual_memory_reserve_commit_protect_free(VOID) {
    PVOID base = NULL;
    SIZE_T size = 256 * 1024;
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK(((ULONG_PTR)base & 0xFFFF) == 0 && size == 256 * 1024);
    PVOID page = (UCHAR *)base + 0x3000;
    SIZE_T one = 0x1000;
    CHECK_STATUS(NtAllocateVirtualMemory(NtCurrentProcess(), &page, 0, &one, MEM_COMMIT, PAGE_READWRITE),
                 STATUS_SUCCESS);
    volatile ULONG *p = page;
    CHECK(p[0] == 0); /* demand zero */
    p[10] = 0xFEEDF00D;
    CHECK(p[10] == 0xFEEDF00D);
    MEMORY_BASIC_INFORMATION_ mbi;
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), page, 0, &mbi, sizeof mbi, NULL), STATUS_SUCCESS);
    CHECK(mbi.State == MEM_COMMIT && mbi.Protect == PAGE_READWRITE && mbi.RegionSize == 0x1000);
    CHECK(mbi.AllocationBase == base && mbi.Type == MEM_PRIVATE);
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), base, 0, &mbi, sizeof mbi, NULL), STATUS_SUCCESS);
    CHECK(mbi.State == MEM_RESERVE && mbi.RegionSize == 0x3000);
    ULONG old = 0;
    CHECK_STATUS(NtProtectVirtualMemory(NtCurrentProcess(), &page, &one, PAGE_READONLY, &old),
                 STATUS_SUCCESS);
    CHECK(old == PAGE_READWRITE);
    CHECK(p[10] == 0xFEEDF00D); /* still readable, same data */
    SIZE_T zero = 0;
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, MEM_RELEASE), STATUS_SUCCESS);
    CHECK_STATUS(NtQueryVirtualMemory(NtCurrentProcess(), page, 0, &mbi, sizeof mbi, NULL), STATUS_SUCCESS);
    CHECK(mbi.State == MEM_FREE);
    CHECK_STATUS(NtFreeVirtualMemory(NtCurrentProcess(), &base, &zero, MEM_RELEASE),
                 STATUS_MEMORY_NOT_ALLOCATED);
}

/* \Device\Video0: the framebuffer as a section, and the mode it is in. */
static VOID test_video_section_maps_the_framebuffer(VOID) {
    DISPLAY_INFORMATION d;
    CHECK_STATUS(NtQuerySystemInformation(SystemDisplayInformation, &d, sizeof d, NULL), STATUS_SUCCESS);
    CHECK(d.Width == 1024 && d.Height == 768 && d.BitsPerPixel == 32 && d.Pitch >= 4096);
    CHECK(d.RedMask == 0xFF0000 && d.GreenMask == 0xFF00 && d.BlueMask == 0xFF);
    CHECK(d.FrameBufferLength == d.Pitch * d.Height);
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE section = NULL;
    RtlInitUnicodeString(&name, L"\\Device\\Video0");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtOpenSection(&section, SECTION_ALL_ACCESS, &oa), STATUS_SUCCESS);
    PVOID base = NULL;
    SIZE_T size = 0;
    CHECK_STATUS(NtMapViewOfSection(section, NtCurrentProcess(), &base, 0, 0, NULL, &size, 2 /* ViewUnmap */, 0,
                                    PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK(size >= d.FrameBufferLength);
    if (base && size >= d.FrameBufferLength) {
        volatile ULONG *last = (volatile ULONG *)((PUCHAR)base + (d.Height - 1) * d.Pitch) + (d.Width - 1);
        ULONG saved = *last;
        *last = 0x00123456;
        CHECK(*last == 0x00123456); /* device memory: what is written stays */
        *last = saved;
        CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), base), STATUS_SUCCESS);
    }
    CHECK_STATUS(NtClose(section), STATUS_SUCCESS);
}

static VOID test_section_views_share_pages(VOID) {
    HANDLE section;
    LARGE_INTEGER size = {.QuadPart = 0x4000};
    CHECK_STATUS(NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL),
                 STATUS_SUCCESS);
    PVOID a = NULL, b = NULL;
    SIZE_T va = 0, vb = 0;
    CHECK_STATUS(NtMapViewOfSection(section, NtCurrentProcess(), &a, 0, 0, NULL, &va, 1, 0, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtMapViewOfSection(section, NtCurrentProcess(), &b, 0, 0, NULL, &vb, 1, 0, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK(a != b && va == 0x4000);
    ((volatile ULONG *)a)[1000] = 0x600DCAFE;
    CHECK(((volatile ULONG *)b)[1000] == 0x600DCAFE);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), a), STATUS_SUCCESS);
    CHECK(((volatile ULONG *)b)[1000] == 0x600DCAFE);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), b), STATUS_SUCCESS);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), b), STATUS_NOT_MAPPED_VIEW);
    CHECK_STATUS(NtClose(section), STATUS_SUCCESS);
}

static VOID test_files_under_systemroot(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK io;
    HANDLE f;
    RtlInitUnicodeString(&name, L"\\SystemRoot\\daytona.ini");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtOpenFile(&f, FILE_READ_DATA | SYNCHRONIZE, &oa, &io, FILE_SHARE_READ,
                            FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE),
                 STATUS_SUCCESS);
    CHAR text[256] = {0};
    CHECK_STATUS(NtReadFile(f, NULL, NULL, NULL, &io, text, sizeof text - 1, NULL, NULL), STATUS_SUCCESS);
    CHECK(io.Information > 10 && strstr_(text, "[Version]") != NULL);
    CHECK_STATUS(NtClose(f), STATUS_SUCCESS);
    RtlInitUnicodeString(&name, L"\\SystemRoot\\no-such-file");
    CHECK_STATUS(NtOpenFile(&f, FILE_READ_DATA, &oa, &io, FILE_SHARE_READ, 0), STATUS_OBJECT_NAME_NOT_FOUND);
}

static volatile ULONG ThreadCounter;
static VOID NTAPI thread_body(PVOID Arg) {
    ThreadCounter += (ULONG)(ULONG_PTR)Arg;
    NtTerminateThread(NtCurrentThread(), 7);
}

/* A thread in this process, started at Entry(Arg) on a fresh stack. */
static HANDLE start_thread(VOID(NTAPI *Entry)(PVOID), PVOID Arg) {
    PVOID stack = NULL;
    SIZE_T size = 64 * 1024;
    if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &stack, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                            PAGE_READWRITE)))
        return NULL;
    ULONG top = (ULONG)(ULONG_PTR)stack + (ULONG)size - 8;
    ((ULONG *)(ULONG_PTR)top)[0] = 0;                     /* return address: none */
    ((ULONG *)(ULONG_PTR)top)[1] = (ULONG)(ULONG_PTR)Arg; /* the one argument */
    CONTEXT ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ContextFlags = CONTEXT_FULL;
    ctx.Eip = (ULONG)(ULONG_PTR)Entry;
    ctx.Esp = top;
    ctx.EFlags = 0x202;
    INITIAL_TEB teb = {NULL, NULL, (PCHAR)stack + size, stack, stack};
    HANDLE h = NULL;
    CLIENT_ID cid;
    if (!NT_SUCCESS(NtCreateThread(&h, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), &cid, &ctx, &teb, FALSE)))
        return NULL;
    return h;
}

static VOID test_threads_start_run_and_report_their_exit(VOID) {
    ThreadCounter = 0;
    HANDLE t = start_thread(thread_body, (PVOID)5);
    CHECK(t != NULL);
    if (!t)
        return;
    CHECK_STATUS(NtWaitForSingleObject(t, FALSE, NULL), STATUS_SUCCESS);
    CHECK(ThreadCounter == 5);
    THREAD_BASIC_INFORMATION info;
    CHECK_STATUS(NtQueryInformationThread(t, ThreadBasicInformation, &info, sizeof info, NULL),
                 STATUS_SUCCESS);
    CHECK(info.ExitStatus == 7);
    CHECK_STATUS(NtClose(t), STATUS_SUCCESS);
}

static volatile ULONG Spins[2];
static volatile BOOLEAN StopSpinning;
static VOID NTAPI spinner(PVOID Arg) {
    ULONG i = (ULONG)(ULONG_PTR)Arg;
    while (!StopSpinning)
        Spins[i]++;
    NtTerminateThread(NtCurrentThread(), 0);
}

static VOID test_time_slices_preempt_busy_user_threads(VOID) {
    /* Two threads that never wait: only the clock can take the processor
     * from one to give it to the other (or back to us). */
    Spins[0] = Spins[1] = 0;
    StopSpinning = FALSE;
    HANDLE a = start_thread(spinner, (PVOID)0), b = start_thread(spinner, (PVOID)1);
    CHECK(a && b);
    sleep_ms(300);
    StopSpinning = TRUE;
    if (a)
        CHECK_STATUS(NtWaitForSingleObject(a, FALSE, NULL), STATUS_SUCCESS);
    if (b)
        CHECK_STATUS(NtWaitForSingleObject(b, FALSE, NULL), STATUS_SUCCESS);
    CHECK(Spins[0] > 1000 && Spins[1] > 1000);
    if (a)
        NtClose(a);
    if (b)
        NtClose(b);
}

static HANDLE PairHandle;
static volatile ULONG PairRounds;
static VOID NTAPI pair_server(PVOID Arg) {
    (void)Arg;
    NtWaitHighEventPair(PairHandle);
    for (;;) {
        PairRounds++;
        NtSetLowWaitHighEventPair(PairHandle);
    }
}

static VOID test_event_pair_round_trips_from_user_mode(VOID) {
    CHECK_STATUS(NtCreateEventPair(&PairHandle, 0x1F0000, NULL), STATUS_SUCCESS);
    PairRounds = 0;
    HANDLE t = start_thread(pair_server, NULL);
    CHECK(t != NULL);
    sleep_ms(20);
    BOOLEAN inStep = TRUE;
    for (ULONG i = 0; i < 50; i++)
        inStep &= NtSetHighWaitLowEventPair(PairHandle) == STATUS_SUCCESS && PairRounds == i + 1;
    CHECK(inStep);
    if (t) {
        CHECK_STATUS(NtTerminateThread(t, 0), STATUS_SUCCESS);
        CHECK_STATUS(NtWaitForSingleObject(t, FALSE, NULL), STATUS_SUCCESS);
        NtClose(t);
    }
    NtClose(PairHandle);
}

/* ---- the kernel's event counters (DESIGN.md section 10, kernel/ke/counters.c) ---- */

#define STATUS_INVALID_SYSTEM_SERVICE_ ((NTSTATUS)0xC000001C)
#define NO_SUCH_SERVICE 0x3FFF /* table 3, which is never built: the C path of int 0x2E */
#define COUNTED_CALLS 100
#define COUNTED_ROUNDS 20
#define REQUEST_DATA 16
#define REPLY_DATA 40

static SYSTEM_EVENT_COUNTER_INFORMATION counters(VOID) {
    SYSTEM_EVENT_COUNTER_INFORMATION c;
    memset(&c, 0, sizeof c);
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c, NULL), STATUS_SUCCESS);
    return c;
}

/* int 0x2E with a service number ntdll has no stub for. */
static NTSTATUS raw_service(ULONG Number) {
    NTSTATUS status;
    ULONG args[4] = {0};
    __asm__ volatile("int $0x2E" : "=a"(status) : "a"(Number), "d"(args) : "memory", "ecx");
    return status;
}

static VOID test_event_counters_count_every_system_call(VOID) {
    SYSTEM_EVENT_COUNTER_INFORMATION a = counters();
    for (ULONG i = 0; i < COUNTED_CALLS; i++)
        NtTestAlert();
    SYSTEM_EVENT_COUNTER_INFORMATION b = counters();
    /* The calls, and the second query itself: the first was counted before its snapshot. */
    CHECK(b.CurrentThread.SystemCalls - a.CurrentThread.SystemCalls == COUNTED_CALLS + 1);
    CHECK(b.System.SystemCalls - a.System.SystemCalls >= COUNTED_CALLS + 1);
    CHECK(b.CurrentThread.LpcMessages == a.CurrentThread.LpcMessages);
    CHECK(b.CurrentThread.QuickLpcCalls == a.CurrentThread.QuickLpcCalls);
    CHECK(b.CurrentThread.BytesCopied == a.CurrentThread.BytesCopied);
    /* The slow path (syscall.c) counts as the assembly fast path does. */
    BOOLEAN refused = TRUE;
    a = counters();
    for (ULONG i = 0; i < COUNTED_ROUNDS; i++)
        refused &= raw_service(NO_SUCH_SERVICE) == STATUS_INVALID_SYSTEM_SERVICE_;
    b = counters();
    CHECK(refused);
    CHECK(b.CurrentThread.SystemCalls - a.CurrentThread.SystemCalls == COUNTED_ROUNDS + 1);
    CHECK(b.System.SystemCalls - a.System.SystemCalls >= COUNTED_ROUNDS + 1);
    /* A thread's counters start at zero: a new thread has made few calls. */
    CHECK(b.CurrentThread.SystemCalls <= b.System.SystemCalls);
    CHECK(b.CurrentThread.ContextSwitches <= b.System.ContextSwitches);
}

static VOID test_event_counters_refuse_bad_buffers(VOID) {
    SYSTEM_EVENT_COUNTER_INFORMATION c;
    ULONG need = 0;
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c - 1, &need),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK(need == sizeof c);
    need = 0;
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c + 4, &need),
                 STATUS_INFO_LENGTH_MISMATCH);
    CHECK(need == sizeof c);
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, NULL, sizeof c, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, (PVOID)0x80100000, sizeof c, NULL),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, &c, sizeof c, (PULONG)0x80100000),
                 STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(NtQuerySystemInformation(SystemEventCounterInformation, &c, 0, (PULONG)0x10),
                 STATUS_ACCESS_VIOLATION);
}

typedef struct _COUNTED_MESSAGE {
    PORT_MESSAGE Header;
    UCHAR Data[REPLY_DATA];
} COUNTED_MESSAGE;

static HANDLE CountedPort, CountedDone;
static volatile NTSTATUS ServerStatus;
static volatile BOOLEAN ServerSawClose;
static SYSTEM_EVENT_COUNTERS ServerDelta;

/* Accepts one connection, answers one request, and reports what its own
 * counters saw of the receive and the reply. */
static VOID NTAPI counted_server(PVOID Arg) {
    (void)Arg;
    COUNTED_MESSAGE m;
    HANDLE comm = NULL;
    SYSTEM_EVENT_COUNTER_INFORMATION a, b;
    NTSTATUS s = NtListenPort(CountedPort, &m.Header);
    if (NT_SUCCESS(s))
        s = NtAcceptConnectPort(&comm, NULL, &m.Header, TRUE, NULL, NULL);
    if (NT_SUCCESS(s))
        s = NtCompleteConnectPort(comm);
    if (NT_SUCCESS(s))
        s = NtQuerySystemInformation(SystemEventCounterInformation, &a, sizeof a, NULL);
    if (NT_SUCCESS(s))
        s = NtReplyWaitReceivePort(CountedPort, NULL, NULL, &m.Header);
    if (NT_SUCCESS(s) && (m.Header.Type != LPC_REQUEST || m.Header.DataLength != REQUEST_DATA))
        s = STATUS_UNSUCCESSFUL;
    if (NT_SUCCESS(s)) {
        m.Header.DataLength = REPLY_DATA;
        m.Header.TotalLength = sizeof(PORT_MESSAGE) + REPLY_DATA;
        memset(m.Data, 0x5A, REPLY_DATA);
        s = NtReplyPort(CountedPort, &m.Header);
    }
    if (NT_SUCCESS(s))
        s = NtQuerySystemInformation(SystemEventCounterInformation, &b, sizeof b, NULL);
    if (NT_SUCCESS(s)) {
        ServerDelta.SystemCalls = b.CurrentThread.SystemCalls - a.CurrentThread.SystemCalls;
        ServerDelta.LpcMessages = b.CurrentThread.LpcMessages - a.CurrentThread.LpcMessages;
        ServerDelta.BytesCopied = b.CurrentThread.BytesCopied - a.CurrentThread.BytesCopied;
    }
    ServerStatus = s;
    NtSetEvent(CountedDone, NULL);
    /* Our end stays open until the client has closed its own (which must
     * find us connected to send LPC_PORT_CLOSED). */
    while (NT_SUCCESS(s) && NT_SUCCESS(s = NtReplyWaitReceivePort(CountedPort, NULL, NULL, &m.Header)))
        if (m.Header.Type == LPC_PORT_CLOSED) {
            ServerSawClose = TRUE;
            break;
        }
    if (comm)
        NtClose(comm);
    NtTerminateThread(NtCurrentThread(), 0);
}

static VOID test_event_counters_count_lpc_messages_and_bytes(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\NtestCountedPort");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtCreatePort(&CountedPort, &oa, 0, PORT_MAXIMUM_MESSAGE_LENGTH, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtCreateEvent(&CountedDone, EVENT_ALL_ACCESS, NULL, NotificationEvent_, FALSE),
                 STATUS_SUCCESS);
    ServerStatus = STATUS_PENDING;
    ServerSawClose = FALSE;
    HANDLE t = start_thread(counted_server, NULL);
    CHECK(t != NULL);
    if (!t || !CountedPort || !CountedDone)
        return;
    /* The connection request is one message from us; the server's answer another. */
    HANDLE client = NULL;
    ULONG max = 0;
    SYSTEM_EVENT_COUNTER_INFORMATION a = counters();
    CHECK_STATUS(NtConnectPort(&client, &name, NULL, NULL, NULL, &max, NULL, NULL), STATUS_SUCCESS);
    SYSTEM_EVENT_COUNTER_INFORMATION b = counters();
    CHECK(b.CurrentThread.LpcMessages - a.CurrentThread.LpcMessages == 1);
    CHECK(b.System.LpcMessages - a.System.LpcMessages >= 2);
    /* One round trip: our request, its reply; REQUEST_DATA bytes copied in
     * from us and out to the server, REPLY_DATA in from it and out to us. */
    COUNTED_MESSAGE request, reply;
    memset(&request, 0, sizeof request);
    memset(&reply, 0, sizeof reply);
    request.Header.DataLength = REQUEST_DATA;
    request.Header.TotalLength = sizeof(PORT_MESSAGE) + REQUEST_DATA;
    a = counters();
    CHECK_STATUS(NtRequestWaitReplyPort(client, &request.Header, &reply.Header), STATUS_SUCCESS);
    b = counters();
    CHECK(reply.Header.DataLength == REPLY_DATA && reply.Data[REPLY_DATA - 1] == 0x5A);
    CHECK(b.CurrentThread.SystemCalls - a.CurrentThread.SystemCalls == 2);
    CHECK(b.CurrentThread.LpcMessages - a.CurrentThread.LpcMessages == 1);
    CHECK(b.CurrentThread.BytesCopied - a.CurrentThread.BytesCopied == REQUEST_DATA + REPLY_DATA);
    CHECK(b.CurrentThread.QuickLpcCalls == a.CurrentThread.QuickLpcCalls);
    CHECK(b.CurrentThread.ContextSwitches - a.CurrentThread.ContextSwitches >= 1); /* back from the server */
    CHECK(b.System.LpcMessages - a.System.LpcMessages >= 2);
    CHECK(b.System.BytesCopied - a.System.BytesCopied >= 2 * (REQUEST_DATA + REPLY_DATA));
    CHECK(b.System.ContextSwitches - a.System.ContextSwitches >= 2);
    /* A reply buffer the reply could not be put in is refused before the
     * request goes (so the server, done after one, sees nothing more):
     * here a misaligned one, as NT's probe refuses it. */
    CHECK_STATUS(NtRequestWaitReplyPort(client, &request.Header, (PPORT_MESSAGE)((PUCHAR)&reply + 1)),
                 STATUS_DATATYPE_MISALIGNMENT);
    CHECK_STATUS(NtWaitForSingleObject(CountedDone, FALSE, NULL), STATUS_SUCCESS);
    CHECK_STATUS(ServerStatus, STATUS_SUCCESS);
    CHECK(ServerDelta.SystemCalls == 3); /* receive, reply, query */
    CHECK(ServerDelta.LpcMessages == 1);
    CHECK(ServerDelta.BytesCopied == REQUEST_DATA + REPLY_DATA);
    /* Closing our end tells the server: LPC_PORT_CLOSED, one more message. */
    a = counters();
    CHECK_STATUS(NtClose(client), STATUS_SUCCESS);
    b = counters();
    CHECK(b.CurrentThread.LpcMessages - a.CurrentThread.LpcMessages == 1);
    CHECK_STATUS(NtWaitForSingleObject(t, FALSE, NULL), STATUS_SUCCESS);
    CHECK(ServerSawClose);
    NtClose(t);
    NtClose(CountedPort);
    NtClose(CountedDone);
}

static VOID test_event_counters_count_event_pair_handoffs(VOID) {
    CHECK_STATUS(NtCreateEventPair(&PairHandle, 0x1F0000, NULL), STATUS_SUCCESS);
    PairRounds = 0;
    HANDLE t = start_thread(pair_server, NULL);
    CHECK(t != NULL);
    if (!t)
        return;
    sleep_ms(20);
    SYSTEM_EVENT_COUNTER_INFORMATION a = counters();
    for (ULONG i = 0; i < COUNTED_ROUNDS; i++)
        NtSetHighWaitLowEventPair(PairHandle);
    SYSTEM_EVENT_COUNTER_INFORMATION b = counters();
    CHECK(PairRounds == COUNTED_ROUNDS);
    CHECK(b.CurrentThread.QuickLpcCalls - a.CurrentThread.QuickLpcCalls == COUNTED_ROUNDS);
    CHECK(b.CurrentThread.SystemCalls - a.CurrentThread.SystemCalls == COUNTED_ROUNDS + 1);
    CHECK(b.CurrentThread.ContextSwitches - a.CurrentThread.ContextSwitches >= COUNTED_ROUNDS);
    CHECK(b.CurrentThread.LpcMessages == a.CurrentThread.LpcMessages);
    /* The server's half: one set-and-wait per round, each a switch to it. */
    CHECK(b.System.QuickLpcCalls - a.System.QuickLpcCalls >= 2 * COUNTED_ROUNDS);
    CHECK(b.System.ContextSwitches - a.System.ContextSwitches >= 2 * COUNTED_ROUNDS);
    CHECK_STATUS(NtTerminateThread(t, 0), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(t, FALSE, NULL), STATUS_SUCCESS);
    NtClose(t);
    NtClose(PairHandle);
}

static VOID test_faults_end_only_the_faulting_process(VOID) {
    CHECK_STATUS(run_child("exit 42"), 42);
    CHECK_STATUS(run_child("fault"), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(run_child("kernelptr"), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(run_child("divzero"), STATUS_INTEGER_DIVIDE_BY_ZERO);
    CHECK_STATUS(run_child("illegal"), STATUS_ILLEGAL_INSTRUCTION);
    CHECK_STATUS(run_child("readonly"), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(run_child("stack"), 0); /* 300 KiB of stack: the guard page grows it */
}

static VOID test_terminating_another_process(VOID) {
    HANDLE p = spawn(NTEST_IMAGE, NTEST_IMAGE " child spin", NULL);
    CHECK(p != NULL);
    if (!p)
        return;
    sleep_ms(50);
    LARGE_INTEGER zero = {.QuadPart = 0};
    CHECK_STATUS(NtWaitForSingleObject(p, FALSE, &zero), STATUS_TIMEOUT);
    CHECK_STATUS(NtTerminateProcess(p, 0xC0DE), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(p, FALSE, NULL), STATUS_SUCCESS);
    CHECK(exit_code(p) == 0xC0DE);
    NtClose(p);
}

static VOID test_loader_reports_missing_dlls_and_exports(VOID) {
    HANDLE p = spawn("\\SystemRoot\\System32\\missdll.exe", "missdll.exe", NULL);
    CHECK(p != NULL);
    if (p) {
        NtWaitForSingleObject(p, FALSE, NULL);
        CHECK_STATUS(exit_code(p), STATUS_DLL_NOT_FOUND);
        NtClose(p);
    }
    p = spawn("\\SystemRoot\\System32\\missexp.exe", "missexp.exe", NULL);
    CHECK(p != NULL);
    if (p) {
        NtWaitForSingleObject(p, FALSE, NULL);
        CHECK_STATUS(exit_code(p), STATUS_ENTRYPOINT_NOT_FOUND);
        NtClose(p);
    }
    p = spawn("\\SystemRoot\\System32\\dlltest.exe", "dlltest.exe", NULL);
    CHECK(p != NULL);
    if (p) {
        NtWaitForSingleObject(p, FALSE, NULL);
        CHECK_STATUS(exit_code(p), 0); /* imports, relocation of a DLL that had to move, DllMain */
        NtClose(p);
    }
}

static ULONG pool_bytes(VOID);

static VOID test_exited_processes_give_back_every_page(VOID) {
    CHECK_STATUS(run_child("exit 0"), 0); /* warm up the kernel's pool */
    (void)pool_bytes();                   /* and our own buffer's pages */
    sleep_ms(50);
    ULONG poolBefore = pool_bytes(), before = free_pages();
    for (ULONG i = 0; i < 3; i++)
        CHECK_STATUS(run_child("exit 0"), 0);
    sleep_ms(50); /* the idle thread reaps exited threads' stacks */
    ULONG after = free_pages(), poolAfter = pool_bytes();
    CHECK(before != 0 && poolBefore != 0);
    CHECK(after == before);
    CHECK(poolAfter == poolBefore);
    if (after != before || poolAfter != poolBefore)
        DbgPrint("ntest:   free pages %u before, %u after; pool bytes %u before, %u after\n", before, after,
                 poolBefore, poolAfter);
}

static VOID test_process_list_names_the_running_processes(VOID) {
    static UCHAR buffer[8192];
    ULONG got = 0;
    CHECK_STATUS(NtQuerySystemInformation(SystemProcessInformation, buffer, sizeof buffer, &got),
                 STATUS_SUCCESS);
    BOOLEAN sawSmss = FALSE, sawSelf = FALSE;
    ULONG self = (ULONG)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
    for (ULONG off = 0;;) {
        PUCHAR e = buffer + off;
        UNICODE_STRING *name = (UNICODE_STRING *)(e + 56);
        ULONG pid = *(ULONG *)(e + 68);
        UNICODE_STRING smss;
        RtlInitUnicodeString(&smss, L"smss.exe");
        sawSmss |= RtlEqualUnicodeString(name, &smss, TRUE);
        sawSelf |= pid == self;
        ULONG next = *(ULONG *)e;
        if (!next)
            break;
        off += next;
    }
    CHECK(sawSmss && sawSelf);
}

#define EVENT_QUERY_STATE 0x0001
#define SEMAPHORE_ALL_ACCESS_ 0x1F0003
#define DUPLICATE_SAME_ACCESS_ 0x2
#define SystemPoolTagInformation 22

static VOID test_handles_invalid_wrong_type_closed_duplicated_denied(VOID) {
    HANDLE ev, weak, dup;
    LONG prev;
    CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, NotificationEvent_, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtReleaseSemaphore(ev, 1, &prev), STATUS_OBJECT_TYPE_MISMATCH); /* wrong type */
    CHECK_STATUS(NtSetEvent((HANDLE)0x00FF0000, NULL), STATUS_INVALID_HANDLE);   /* invalid */
    CHECK_STATUS(NtSetEvent((HANDLE)0x3, NULL), STATUS_INVALID_HANDLE);          /* not a multiple of 4 */
    CHECK_STATUS(
        NtDuplicateObject(NtCurrentProcess(), ev, NtCurrentProcess(), &dup, 0, 0, DUPLICATE_SAME_ACCESS_),
        STATUS_SUCCESS);
    CHECK(dup != ev);
    CHECK_STATUS(NtClose(ev), STATUS_SUCCESS);
    CHECK_STATUS(NtSetEvent(ev, NULL), STATUS_INVALID_HANDLE); /* closed */
    CHECK_STATUS(NtSetEvent(dup, NULL), STATUS_SUCCESS);       /* the duplicate lives on */
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), dup, NtCurrentProcess(), &weak,
                                   EVENT_QUERY_STATE | SYNCHRONIZE, 0, 0),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtSetEvent(weak, NULL), STATUS_ACCESS_DENIED); /* opened without MODIFY_STATE */
    LARGE_INTEGER zero = {.QuadPart = 0};
    CHECK_STATUS(NtWaitForSingleObject(weak, FALSE, &zero), STATUS_SUCCESS); /* SYNCHRONIZE was granted */
    HANDLE wider;
    CHECK_STATUS(
        NtDuplicateObject(NtCurrentProcess(), weak, NtCurrentProcess(), &wider, EVENT_ALL_ACCESS, 0, 0),
        STATUS_ACCESS_DENIED); /* a duplicate cannot widen access */
    CHECK_STATUS(NtClose(weak), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(dup), STATUS_SUCCESS);
}

static ULONGLONG interrupt_time(VOID) {
    SYSTEM_PERFORMANCE_INFORMATION perf;
    return NT_SUCCESS(NtQuerySystemInformation(SystemPerformanceInformation, &perf, sizeof perf, NULL))
               ? perf.InterruptTime
               : 0;
}

static VOID test_wait_timeouts_take_their_time(VOID) {
    HANDLE ev, sem;
    CHECK_STATUS(NtCreateEvent(&ev, EVENT_ALL_ACCESS, NULL, 1 /* synchronization */, FALSE), STATUS_SUCCESS);
    CHECK_STATUS(NtCreateSemaphore(&sem, SEMAPHORE_ALL_ACCESS_, NULL, 0, 1), STATUS_SUCCESS);
    ULONGLONG before = interrupt_time();
    LARGE_INTEGER fifty = {.QuadPart = -50 * 10000LL};
    CHECK_STATUS(NtWaitForSingleObject(ev, FALSE, &fifty), STATUS_TIMEOUT);
    ULONGLONG elapsed = interrupt_time() - before;
    CHECK(elapsed >= 50 * 10000ULL && elapsed < 2000 * 10000ULL);
    HANDLE both[2] = {ev, sem};
    CHECK_STATUS(NtWaitForMultipleObjects(2, both, 0 /* WaitAll */, FALSE, &fifty), STATUS_TIMEOUT);
    CHECK_STATUS(NtReleaseSemaphore(sem, 1, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForMultipleObjects(2, both, 1 /* WaitAny */, FALSE, &fifty), STATUS_WAIT_1_);
    NtClose(ev);
    NtClose(sem);
}

static VOID test_a_section_is_shared_between_two_processes(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE section;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\NtestShared");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    LARGE_INTEGER size = {.QuadPart = 0x1000};
    CHECK_STATUS(NtCreateSection(&section, SECTION_ALL_ACCESS, &oa, &size, PAGE_READWRITE, SEC_COMMIT, NULL),
                 STATUS_SUCCESS);
    PVOID view = NULL;
    SIZE_T viewSize = 0;
    CHECK_STATUS(
        NtMapViewOfSection(section, NtCurrentProcess(), &view, 0, 0, NULL, &viewSize, 1, 0, PAGE_READWRITE),
        STATUS_SUCCESS);
    if (!view)
        return;
    volatile ULONG *shared = view;
    shared[0] = 0x1111;
    CHECK_STATUS(run_child("section"), 0); /* the child checks 0x1111 and writes 0x2222 */
    CHECK(shared[0] == 0x2222);
    CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), view), STATUS_SUCCESS);
    CHECK_STATUS(NtClose(section), STATUS_SUCCESS);
}

#define PROCESS_ALL_ACCESS_ 0x1F0FFF

static VOID test_open_by_client_id_and_map_into_another_process(VOID) {
    HANDLE thread = NULL;
    HANDLE child = spawn(NTEST_IMAGE, NTEST_IMAGE " child exit 0", &thread); /* created suspended */
    CHECK(child != NULL);
    if (!child)
        return;
    PROCESS_BASIC_INFORMATION basic;
    CHECK_STATUS(NtQueryInformationProcess(child, ProcessBasicInformation, &basic, sizeof basic, NULL),
                 STATUS_SUCCESS);
    /* The same process, found again by its ID. */
    CLIENT_ID cid = {(HANDLE)basic.UniqueProcessId, NULL};
    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL, 0, NULL, NULL);
    HANDLE byId = NULL;
    CHECK_STATUS(NtOpenProcess(&byId, PROCESS_ALL_ACCESS_, &oa, &cid), STATUS_SUCCESS);
    CLIENT_ID bogus = {(HANDLE)0x7FFFFFF0, NULL};
    HANDLE none;
    CHECK_STATUS(NtOpenProcess(&none, PROCESS_ALL_ACCESS_, &oa, &bogus), STATUS_INVALID_CID);
    /* A view mapped into the child through its handle: what it holds is
     * read back from the child's address space. */
    HANDLE section;
    LARGE_INTEGER size = {.QuadPart = 0x1000};
    CHECK_STATUS(NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, &size, PAGE_READWRITE, SEC_COMMIT, NULL),
                 STATUS_SUCCESS);
    PVOID mine = NULL, theirs = NULL;
    SIZE_T a = 0, b = 0;
    CHECK_STATUS(NtMapViewOfSection(section, NtCurrentProcess(), &mine, 0, 0, NULL, &a, 1, 0, PAGE_READWRITE),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtMapViewOfSection(section, byId, &theirs, 0, 0, NULL, &b, 1, 0, PAGE_READWRITE),
                 STATUS_SUCCESS);
    if (mine)
        *(volatile ULONG *)mine = 0x5EC7105;
    ULONG seen = 0;
    SIZE_T got = 0;
    CHECK_STATUS(NtReadVirtualMemory(byId, theirs, &seen, sizeof seen, &got), STATUS_SUCCESS);
    CHECK(seen == 0x5EC7105 && got == sizeof seen);
    CHECK_STATUS(NtUnmapViewOfSection(byId, theirs), STATUS_SUCCESS);
    CHECK_STATUS(NtReadVirtualMemory(byId, theirs, &seen, sizeof seen, &got), STATUS_PARTIAL_COPY);
    NtUnmapViewOfSection(NtCurrentProcess(), mine);
    NtClose(section);
    CHECK_STATUS(NtResumeThread(thread, NULL), STATUS_SUCCESS);
    CHECK_STATUS(NtWaitForSingleObject(byId, FALSE, NULL), STATUS_SUCCESS);
    CHECK(exit_code(child) == 0);
    NtClose(thread);
    NtClose(byId);
    NtClose(child);
}

static VOID test_malformed_images_are_refused(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    IO_STATUS_BLOCK io;
    HANDLE f, section;
    RtlInitUnicodeString(&name, L"\\SystemRoot\\daytona.ini"); /* text, not a PE file */
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtOpenFile(&f, FILE_READ_DATA | FILE_EXECUTE_ | SYNCHRONIZE, &oa, &io, FILE_SHARE_READ,
                            FILE_SYNCHRONOUS_IO_NONALERT),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtCreateSection(&section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, f),
                 STATUS_INVALID_IMAGE_FORMAT);
    NtClose(f);
    CHECK(spawn("\\SystemRoot\\daytona.ini", "daytona.ini", NULL) == NULL);
}

/* Bytes the kernel's pool holds, over every tag. */
static ULONG pool_bytes(VOID) {
    static ULONG buffer[4096];
    if (!NT_SUCCESS(NtQuerySystemInformation(SystemPoolTagInformation, buffer, sizeof buffer, NULL)))
        return 0;
    ULONG total = 0, count = buffer[0];
    for (ULONG i = 0; i < count && 1 + i * 7 + 6 < 4096; i++)
        total += buffer[1 + i * 7 + 3] + buffer[1 + i * 7 + 6]; /* PagedUsed + NonPagedUsed */
    return total;
}

/* ---- children: one thing each, then exit ---- */

static VOID recurse(ULONG Depth) {
    volatile UCHAR frame[1024];
    frame[0] = (UCHAR)Depth;
    if (Depth)
        recurse(Depth - 1);
    frame[1] = frame[0];
}

/* Addresses user mode may not touch (compilers warn about constant pointers). */
static volatile ULONG_PTR LowAddress = 0x10, KernelAddress = 0x80100000;

static NTSTATUS child(PCSTR What, PCSTR Arg) {
    if (!strcmp(What, "exit"))
        return (NTSTATUS)atol_(Arg);
    if (!strcmp(What, "fault"))
        *(volatile ULONG *)LowAddress = 1;
    if (!strcmp(What, "kernelptr"))
        return (NTSTATUS) * (volatile ULONG *)KernelAddress;
    if (!strcmp(What, "divzero")) {
        volatile LONG zero = 0;
        return 100 / zero;
    }
    if (!strcmp(What, "illegal"))
        __asm__ volatile("ud2");
    if (!strcmp(What, "readonly")) {
        PVOID base = NULL;
        SIZE_T size = 0x1000;
        if (!NT_SUCCESS(NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                                PAGE_READONLY)))
            return STATUS_NO_MEMORY;
        *(volatile ULONG *)base = 1;
    }
    if (!strcmp(What, "stack")) {
        recurse(300);
        return 0;
    }
    if (!strcmp(What, "section")) {
        UNICODE_STRING name;
        OBJECT_ATTRIBUTES oa;
        HANDLE section;
        RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\NtestShared");
        InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
        if (!NT_SUCCESS(NtOpenSection(&section, SECTION_ALL_ACCESS, &oa)))
            return 1;
        PVOID view = NULL;
        SIZE_T size = 0;
        if (!NT_SUCCESS(NtMapViewOfSection(section, NtCurrentProcess(), &view, 0, 0, NULL, &size, 1, 0,
                                           PAGE_READWRITE)))
            return 2;
        volatile ULONG *shared = view;
        if (shared[0] != 0x1111)
            return 3;
        shared[0] = 0x2222;
        return 0;
    }
    if (!strcmp(What, "spin"))
        for (;;)
            ;
    return STATUS_INVALID_PARAMETER;
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    CHAR cmd[256];
    PRTL_USER_PROCESS_PARAMETERS pp = Peb->ProcessParameters;
    ULONG n = 0;
    for (; pp && n < pp->CommandLine.Length / sizeof(WCHAR) && n + 1 < sizeof cmd; n++)
        cmd[n] = (CHAR)pp->CommandLine.Buffer[n];
    cmd[n] = 0;
    /* "ntest.exe child WHAT [ARG]" or "ntest.exe exit N" (smss's critical-process test) */
    PCHAR words[4] = {0};
    ULONG count = 0;
    for (PCHAR p = cmd; *p && count < 4;) {
        while (*p == ' ')
            *p++ = 0;
        if (*p)
            words[count++] = p;
        while (*p && *p != ' ')
            p++;
    }
    if (count >= 3 && !strcmp(words[1], "child"))
        NtTerminateProcess(NtCurrentProcess(), child(words[2], count > 3 ? words[3] : "0"));
    if (count >= 3 && !strcmp(words[1], "exit"))
        NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)atol_(words[2]));

    DbgPrint("ntest: user-mode tests of the executive\n");
    run("peb_teb_and_parameters", test_peb_teb_and_parameters);
    run("events_and_waits_from_user_mode", test_events_and_waits_from_user_mode);
    run("hostile_pointers_are_refused", test_hostile_pointers_are_refused);
    run("virtual_memory_reserve_commit_protect_free", test_virtual_memory_reserve_commit_protect_free);
    run("section_views_share_pages", test_section_views_share_pages);
    run("video_section_maps_the_framebuffer", test_video_section_maps_the_framebuffer);
    run("files_under_systemroot", test_files_under_systemroot);
    run("handles_invalid_wrong_type_closed_duplicated_denied",
        test_handles_invalid_wrong_type_closed_duplicated_denied);
    run("wait_timeouts_take_their_time", test_wait_timeouts_take_their_time);
    run("a_section_is_shared_between_two_processes", test_a_section_is_shared_between_two_processes);
    run("malformed_images_are_refused", test_malformed_images_are_refused);
    run("open_by_client_id_and_map_into_another_process",
        test_open_by_client_id_and_map_into_another_process);
    run("threads_start_run_and_report_their_exit", test_threads_start_run_and_report_their_exit);
    run("time_slices_preempt_busy_user_threads", test_time_slices_preempt_busy_user_threads);
    run("event_pair_round_trips_from_user_mode", test_event_pair_round_trips_from_user_mode);
    run("event_counters_count_every_system_call", test_event_counters_count_every_system_call);
    run("event_counters_refuse_bad_buffers", test_event_counters_refuse_bad_buffers);
    run("event_counters_count_lpc_messages_and_bytes", test_event_counters_count_lpc_messages_and_bytes);
    run("event_counters_count_event_pair_handoffs", test_event_counters_count_event_pair_handoffs);
    run("faults_end_only_the_faulting_process", test_faults_end_only_the_faulting_process);
    run("terminating_another_process", test_terminating_another_process);
    run("loader_reports_missing_dlls_and_exports", test_loader_reports_missing_dlls_and_exports);
    run("exited_processes_give_back_every_page", test_exited_processes_give_back_every_page);
    run("process_list_names_the_running_processes", test_process_list_names_the_running_processes);
    DbgPrint("ntest: %u passed, %u failed\n", Passed, Failed);
    NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Failed);
}
