/*
 * csrtest.c - csrss from a client's side: the CSR API through ntdll's
 * client, capture buffers and their bounds, basesrv's notices, quick LPC
 * and its teardown, and a hostile client fuzzing csrss while this one
 * keeps being served.
 *
 * Why: csrss is the one server every Win32 process trusts. These tests
 * talk to the real csrss of the running system, as a native program (ntdll
 * only), so every check goes through LPC, the port view and csrsrv's gate
 * (subsys/csrss/api.c). `csrtest.exe fuzz` is the hostile child: it
 * connects with raw NtConnectPort and sends thousands of random requests.
 */
#define NTTEST_NAME "csrtest"
#include "nttest.h"

#include <csr/csr.h>

#define CSRTEST_IMAGE "\\SystemRoot\\System32\\csrtest.exe"
#define STATUS_ILLEGAL_FUNCTION_ ((NTSTATUS)0xC00000AF)
#define STATUS_REVISION_MISMATCH_ ((NTSTATUS)0xC0000059)
#define STATUS_OBJECT_NAME_COLLISION_ ((NTSTATUS)0xC0000035)
#define SECTION_ALL_ACCESS_ 0xF001F
#define SEC_COMMIT_ 0x8000000
#define PAGE_READWRITE_ 0x04
#define FUZZ_REQUESTS 6000

static ULONG Seed = 0x12345678;
static ULONG rnd(VOID) {
    Seed = Seed * 1103515245 + 12345;
    return (Seed >> 8) ^ (Seed << 13);
}

static VOID sleep_ms(ULONG Ms) {
    LARGE_INTEGER t = {.QuadPart = -(LONGLONG)Ms * 10000};
    NtDelayExecution(FALSE, &t);
}

/* csrss's thread count, or 0 if it is not found. */
static ULONG csrss_threads(VOID) {
    static UCHAR buffer[16384];
    ULONG got = 0;
    if (!NT_SUCCESS(NtQuerySystemInformation(SystemProcessInformation, buffer, sizeof buffer, &got)))
        return 0;
    for (ULONG off = 0; off < got;) {
        SYSTEM_PROCESS_INFORMATION *p = (SYSTEM_PROCESS_INFORMATION *)(buffer + off);
        if (p->ImageName.Length == 18 && p->ImageName.Buffer[0] == 'c' && p->ImageName.Buffer[4] == 's' &&
            !p->Exited)
            return p->NumberOfThreads;
        if (!p->NextEntryOffset)
            break;
        off += p->NextEntryOffset;
    }
    return 0;
}

static NTSTATUS null_api(ULONG In, PULONG Out) {
    CSR_API_MESSAGE m;
    m.u.NullApi.Value = In;
    NTSTATUS status = CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpNullApi),
                                          sizeof m.u.NullApi);
    *Out = m.u.NullApi.Value;
    return status;
}

static NTSTATUS qlpc_null(ULONG ServerId, ULONG In, ULONG Length, PULONG Out) {
    PCSR_QLPC_MESSAGE w = CsrQuickLpcWindow();
    if (!w)
        return STATUS_UNSUCCESSFUL;
    w->ApiNumber = CSR_MAKE_API_NUMBER(ServerId, CSRSRV_QLPC_NULL);
    w->Length = Length;
    *(PULONG)w->Data = In;
    NTSTATUS status = CsrQuickLpcCall();
    *Out = *(PULONG)w->Data;
    return NT_SUCCESS(status) ? w->ReturnValue : status;
}

/* ---- the tests ---- */

static VOID test_connect_and_null_api(VOID) {
    BASESRV_API_CONNECTINFO info = {BASESRV_VERSION, 0};
    ULONG length = sizeof info;
    BOOLEAN s2s = TRUE;
    CHECK_STATUS(CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, &s2s),
                 STATUS_SUCCESS);
    CHECK(!s2s);
    CHECK(info.ProcessCount >= 1);
    CHECK(CsrGetProcessId() != 0);
    ULONG out = 0;
    CHECK_STATUS(null_api(41, &out), STATUS_SUCCESS);
    CHECK(out == 42);
    info.ExpectedVersion = 0x1234;
    CHECK_STATUS(CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, NULL),
                 STATUS_REVISION_MISMATCH_);
    length = 2; /* shorter than basesrv's connect information */
    CHECK_STATUS(CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, NULL),
                 STATUS_INVALID_PARAMETER);
}

static VOID test_bad_api_numbers_and_lengths_are_refused(VOID) {
    CSR_API_MESSAGE m;
    memset(&m, 0, sizeof m);
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(9, 0), 4), STATUS_ILLEGAL_FUNCTION_);
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, 77), 4),
                 STATUS_ILLEGAL_FUNCTION_);
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CONSRV_SERVERDLL_INDEX, 0), 4),
                 STATUS_ILLEGAL_FUNCTION_); /* no console server yet */
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpNullApi), 0),
                 STATUS_INVALID_PARAMETER); /* too short for its arguments */
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpNullApi), 300),
                 STATUS_INVALID_PARAMETER); /* refused by the client side already */
    ULONG out;
    CHECK_STATUS(null_api(1, &out), STATUS_SUCCESS); /* still served */
}

static VOID test_capture_buffers_are_checked_against_the_view(VOID) {
    static UCHAR data[4096];
    ULONG sum = 0;
    for (ULONG i = 0; i < sizeof data; i++)
        sum += data[i] = (UCHAR)(i * 7 + 3);
    CSR_API_MESSAGE m;
    PCSR_CAPTURE_BUFFER cb = CsrAllocateCaptureBuffer(1, sizeof data);
    CHECK(cb != NULL);
    if (!cb)
        return;
    CsrCaptureMessageBuffer(cb, data, sizeof data, &m.u.Checksum.Buffer);
    m.u.Checksum.Length = sizeof data;
    m.u.Checksum.Sum = 0;
    PVOID captured = m.u.Checksum.Buffer;
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum),
                                     sizeof m.u.Checksum),
                 STATUS_SUCCESS);
    CHECK(m.u.Checksum.Sum == sum);
    CHECK(m.u.Checksum.Buffer == captured); /* pointers come back as the client's */
    /* A length past the capture buffer's end. */
    m.u.Checksum.Length = sizeof data + 4096;
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum),
                                     sizeof m.u.Checksum),
                 STATUS_INVALID_PARAMETER);
    /* A pointer moved out of the capture buffer, then out of the view. */
    m.u.Checksum.Length = 16;
    m.u.Checksum.Buffer = (PCHAR)captured + 70000;
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum),
                                     sizeof m.u.Checksum),
                 STATUS_INVALID_PARAMETER);
    m.u.Checksum.Buffer = (PCHAR)cb - 512;
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum),
                                     sizeof m.u.Checksum),
                 STATUS_INVALID_PARAMETER);
    /* A capture buffer header that lies about its size. */
    m.u.Checksum.Buffer = captured;
    cb->Length = 0x7FFFFFFF;
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpChecksum),
                                     sizeof m.u.Checksum),
                 STATUS_INVALID_PARAMETER);
    cb->Length = sizeof(CSR_CAPTURE_BUFFER) + sizeof data;
    /* Capture pointers on an API that takes none. */
    CHECK_STATUS(CsrClientCallServer(&m, cb, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpNullApi),
                                     sizeof m.u.NullApi),
                 STATUS_INVALID_PARAMETER);
    CsrFreeCaptureBuffer(cb);
    /* The view is a finite place: a buffer larger than it cannot be had. */
    CHECK(CsrAllocateCaptureBuffer(1, CSR_PORT_VIEW_SIZE) == NULL);
    ULONG out;
    CHECK_STATUS(null_api(7, &out), STATUS_SUCCESS);
}

static VOID test_basesrv_process_and_thread_notices(VOID) {
    HANDLE thread = NULL;
    HANDLE process = spawn(CSRTEST_IMAGE, CSRTEST_IMAGE " sleep", &thread);
    CHECK(process != NULL);
    if (!process)
        return;
    THREAD_BASIC_INFORMATION tbi;
    CHECK_STATUS(NtQueryInformationThread(thread, ThreadBasicInformation, &tbi, sizeof tbi, NULL),
                 STATUS_SUCCESS);
    CSR_API_MESSAGE m;
    m.u.CreateProcess.ProcessHandle = process;
    m.u.CreateProcess.ThreadHandle = thread;
    m.u.CreateProcess.ClientId.UniqueProcess = (HANDLE)0x4444; /* a lie csrss must not believe */
    m.u.CreateProcess.ClientId.UniqueThread = (HANDLE)0x4444;
    m.u.CreateProcess.CreationFlags = 0;
    CHECK_STATUS(CsrClientCallServer(&m, NULL,
                                     CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateProcess),
                                     sizeof m.u.CreateProcess),
                 STATUS_SUCCESS);
    CHECK(m.u.CreateProcess.ClientId.UniqueProcess == tbi.ClientId.UniqueProcess);
    CHECK(m.u.CreateProcess.ClientId.UniqueThread == tbi.ClientId.UniqueThread);
    m.u.CreateProcess.ProcessHandle = (HANDLE)0x7777;
    CHECK_STATUS(CsrClientCallServer(&m, NULL,
                                     CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateProcess),
                                     sizeof m.u.CreateProcess),
                 STATUS_INVALID_HANDLE);
    m.u.CreateProcess.ProcessHandle = thread; /* a thread where a process belongs */
    CHECK_STATUS(CsrClientCallServer(&m, NULL,
                                     CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateProcess),
                                     sizeof m.u.CreateProcess),
                 STATUS_INVALID_HANDLE);
    /* Another process's thread is not the caller's to announce. */
    m.u.CreateThread.ThreadHandle = thread;
    CHECK_STATUS(CsrClientCallServer(&m, NULL,
                                     CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateThread),
                                     sizeof m.u.CreateThread),
                 STATUS_INVALID_HANDLE);
    HANDLE self = NULL;
    CHECK_STATUS(NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &self, 0, 0, 2),
                 STATUS_SUCCESS);
    m.u.CreateThread.ThreadHandle = self;
    CHECK_STATUS(CsrClientCallServer(&m, NULL,
                                     CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepCreateThread),
                                     sizeof m.u.CreateThread),
                 STATUS_SUCCESS);
    NtClose(self);
    CHECK(m.u.CreateThread.ClientId.UniqueThread == NtCurrentTeb()->ClientId.UniqueThread);
    m.u.ShutdownParam.ShutdownLevel = 0x300;
    m.u.ShutdownParam.ShutdownFlags = 1;
    CHECK_STATUS(CsrClientCallServer(
                     &m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepSetProcessShutdownParam),
                     sizeof m.u.ShutdownParam),
                 STATUS_SUCCESS);
    m.u.ShutdownParam.ShutdownLevel = 0x999;
    CHECK_STATUS(CsrClientCallServer(
                     &m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepSetProcessShutdownParam),
                     sizeof m.u.ShutdownParam),
                 STATUS_INVALID_PARAMETER);
    memset(&m.u, 0, sizeof m.u);
    CHECK_STATUS(CsrClientCallServer(
                     &m, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, BasepGetProcessShutdownParam),
                     sizeof m.u.ShutdownParamQuery),
                 STATUS_SUCCESS);
    CHECK(m.u.ShutdownParamQuery.ShutdownLevel == 0x300 && m.u.ShutdownParamQuery.ShutdownFlags == 1);
    NtTerminateProcess(process, STATUS_SUCCESS);
    NtClose(thread);
    NtClose(process);
}

static VOID test_quick_lpc_round_trips(VOID) {
    PVOID window = CsrQuickLpcWindow();
    CHECK(window != NULL);
    CHECK(CsrQuickLpcWindow() == window); /* one window per thread */
    ULONG out = 0, good = 0;
    CHECK_STATUS(qlpc_null(CSRSRV_SERVERDLL_INDEX, 5, 4, &out), STATUS_SUCCESS);
    CHECK(out == 6);
    for (ULONG i = 0; i < 2000; i++)
        if (NT_SUCCESS(qlpc_null(CSRSRV_SERVERDLL_INDEX, i, 4, &out)) && out == i + 1)
            good++;
    CHECK(good == 2000);
    CHECK_STATUS(qlpc_null(7, 1, 4, &out), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(qlpc_null(BASESRV_SERVERDLL_INDEX, 1, 4, &out), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(qlpc_null(CSRSRV_SERVERDLL_INDEX, 1, CSR_QLPC_WINDOW_SIZE, &out), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(qlpc_null(CSRSRV_SERVERDLL_INDEX, 9, 4, &out), STATUS_SUCCESS);
    CHECK(out == 10);
    /* A second thread-connect from the same thread is refused. */
    CSR_API_MESSAGE m;
    m.u.ThreadConnect.SectionHandle = NULL;
    m.u.ThreadConnect.EventPairHandle = NULL;
    CHECK_STATUS(CsrClientCallServer(&m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpThreadConnect),
                                     sizeof m.u.ThreadConnect),
                 STATUS_INVALID_PARAMETER);
}

static volatile NTSTATUS WorkerStatus;
static volatile ULONG WorkerOut;

static NTSTATUS NTAPI qlpc_worker(PVOID Parameter) {
    ULONG out = 0;
    WorkerStatus = qlpc_null(CSRSRV_SERVERDLL_INDEX, (ULONG)(ULONG_PTR)Parameter, 4, &out);
    WorkerOut = out;
    NtTerminateThread(NtCurrentThread(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}

static VOID test_quick_lpc_server_thread_ends_with_its_client(VOID) {
    ULONG before = csrss_threads();
    CHECK(before >= 2);
    HANDLE t = NULL;
    WorkerStatus = STATUS_PENDING;
    CHECK_STATUS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, (PVOID)qlpc_worker, (PVOID)100,
                                     &t, NULL),
                 STATUS_SUCCESS);
    if (t) {
        NtWaitForSingleObject(t, FALSE, NULL);
        NtClose(t);
    }
    CHECK_STATUS(WorkerStatus, STATUS_SUCCESS);
    CHECK(WorkerOut == 101);
    ULONG after = 0;
    for (ULONG i = 0; i < 100 && (after = csrss_threads()) != before; i++)
        sleep_ms(20);
    CHECK(after == before); /* LPC_CLIENT_DIED stopped the server thread */
    /* A whole process going (two quick-LPC threads, ended by NtTerminateProcess). */
    HANDLE child = spawn(CSRTEST_IMAGE, CSRTEST_IMAGE " qlpc", NULL);
    CHECK(child != NULL);
    if (child) {
        NtWaitForSingleObject(child, FALSE, NULL);
        CHECK_STATUS(exit_code(child), (NTSTATUS)0x1234);
        NtClose(child);
    }
    for (ULONG i = 0; i < 100 && (after = csrss_threads()) != before; i++)
        sleep_ms(20);
    CHECK(after == before); /* nothing of the process is left in csrss */
    /* Hostile thread-connects: handles of the wrong type, a section too small. */
    CSR_API_MESSAGE m;
    HANDLE small = NULL;
    LARGE_INTEGER size = {.QuadPart = 4096};
    CHECK_STATUS(
        NtCreateSection(&small, SECTION_ALL_ACCESS_, NULL, &size, PAGE_READWRITE_, SEC_COMMIT_, NULL),
        STATUS_SUCCESS);
    m.u.ThreadConnect.SectionHandle = small;
    m.u.ThreadConnect.EventPairHandle = small;
    CHECK(!NT_SUCCESS(CsrClientCallServer(
        &m, NULL, CSR_MAKE_API_NUMBER(CSRSRV_SERVERDLL_INDEX, CsrpThreadConnect), sizeof m.u.ThreadConnect)));
    NtClose(small);
    CHECK(csrss_threads() == before);
}

static VOID test_apiport_cannot_be_taken_over(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE port = NULL;
    RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    CHECK_STATUS(NtCreatePort(&port, &oa, 0, 256, 0), STATUS_OBJECT_NAME_COLLISION_);
    /* "Open if" hands back csrss's port, but it cannot be served from here. */
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_OPENIF, NULL, NULL);
    NTSTATUS opened = NtCreatePort(&port, &oa, 0, 256, 0);
    if (NT_SUCCESS(opened)) {
        static UCHAR message[PORT_MAXIMUM_MESSAGE_LENGTH];
        CHECK_STATUS(NtReplyWaitReceivePort(port, NULL, NULL, (PPORT_MESSAGE)message), STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtListenPort(port, (PPORT_MESSAGE)message), STATUS_ACCESS_DENIED);
        CHECK_STATUS(NtReplyPort(port, (PPORT_MESSAGE)message), STATUS_ACCESS_DENIED);
        NtClose(port);
    }
    ULONG out;
    CHECK_STATUS(null_api(3, &out), STATUS_SUCCESS);
}

static VOID test_hostile_client_does_not_stop_csrss_serving_others(VOID) {
    HANDLE fuzzer = spawn(CSRTEST_IMAGE, CSRTEST_IMAGE " fuzz", NULL);
    CHECK(fuzzer != NULL);
    ULONG good = 0, rounds = 0;
    LARGE_INTEGER zero = {.QuadPart = 0};
    while (fuzzer && NtWaitForSingleObject(fuzzer, FALSE, &zero) == STATUS_TIMEOUT && rounds < 3000) {
        ULONG out = 0, qout = 0;
        rounds++;
        if (NT_SUCCESS(null_api(rounds, &out)) && out == rounds + 1 &&
            NT_SUCCESS(qlpc_null(CSRSRV_SERVERDLL_INDEX, rounds, 4, &qout)) && qout == rounds + 1)
            good++;
    }
    if (fuzzer) {
        NtWaitForSingleObject(fuzzer, FALSE, NULL);
        CHECK_STATUS(exit_code(fuzzer), STATUS_SUCCESS);
        NtClose(fuzzer);
    }
    DbgPrint("csrtest:   served %u of %u calls while the fuzzer ran\n", good, rounds);
    CHECK(rounds > 0 && good == rounds);
    ULONG out;
    CHECK_STATUS(null_api(11, &out), STATUS_SUCCESS);
    CHECK(out == 12);
}

/* The child run with a filtered token: returns 0, or the number of the
 * first check that failed. */
static NTSTATUS user_child(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE h = NULL;
    RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (NtCreatePort(&h, &oa, 0, 256, 0) != STATUS_ACCESS_DENIED)
        return 1;
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_OPENIF, NULL, NULL);
    if (NtCreatePort(&h, &oa, 0, 256, 0) != STATUS_ACCESS_DENIED)
        return 2;
    RtlInitUnicodeString(&name, L"\\Windows\\Squatter");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (NtCreatePort(&h, &oa, 0, 256, 0) != STATUS_ACCESS_DENIED)
        return 3;
    RtlInitUnicodeString(&name, L"\\Device\\Video0");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (NtOpenSection(&h, SECTION_ALL_ACCESS_, &oa) != STATUS_ACCESS_DENIED)
        return 8; /* the display belongs to the system (csrss) */
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\CsrTestUserEvent");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    if (!NT_SUCCESS(NtCreateEvent(&h, 0x1F0003, &oa, 0, FALSE)))
        return 4; /* ordinary places stay open to it */
    NtClose(h);
    ULONG out = 0;
    if (!NT_SUCCESS(null_api(5, &out)) || out != 6)
        return 5; /* and csrss serves it */
    HANDLE token = NULL;
    PROCESS_ACCESS_TOKEN pat = {NULL, NULL};
    if (!NT_SUCCESS(NtOpenProcessToken(NtCurrentProcess(), 0, &token)))
        return 6;
    pat.Token = token;
    HANDLE thread = NULL, process = spawn(CSRTEST_IMAGE, CSRTEST_IMAGE " sleep", &thread);
    NTSTATUS assigned = process ? NtSetInformationProcess(process, ProcessAccessToken, &pat, sizeof pat) : 0;
    if (process) {
        NtTerminateProcess(process, STATUS_SUCCESS);
        NtClose(thread);
        NtClose(process);
    }
    NtClose(token);
    if (assigned != (NTSTATUS)0xC0000061) /* STATUS_PRIVILEGE_NOT_HELD: only system may assign tokens */
        return 7;
    return STATUS_SUCCESS;
}

static VOID test_user_program_cannot_create_windows_objects(VOID) {
    HANDLE token = NULL, user = NULL;
    CHECK_STATUS(NtOpenProcessToken(NtCurrentProcess(), 0, &token), STATUS_SUCCESS);
    CHECK_STATUS(NtFilterToken(token, 1 /* DISABLE_MAX_PRIVILEGE */, NULL, NULL, NULL, &user),
                 STATUS_SUCCESS);
    CHECK_STATUS(NtFilterToken(token, 2, NULL, NULL, NULL, &user), STATUS_INVALID_PARAMETER);
    HANDLE thread = NULL, child = spawn(CSRTEST_IMAGE, CSRTEST_IMAGE " user", &thread);
    CHECK(child != NULL);
    if (!child)
        return;
    PROCESS_ACCESS_TOKEN pat = {user, NULL};
    CHECK_STATUS(NtSetInformationProcess(child, ProcessAccessToken, &pat, sizeof pat), STATUS_SUCCESS);
    CHECK_STATUS(NtSetInformationProcess(child, ProcessAccessToken, &pat, 4), STATUS_INFO_LENGTH_MISMATCH);
    CHECK_STATUS(NtSetInformationProcess(child, 1234, &pat, sizeof pat), STATUS_INVALID_INFO_CLASS);
    CHECK_STATUS(NtResumeThread(thread, NULL), STATUS_SUCCESS);
    NtWaitForSingleObject(child, FALSE, NULL);
    CHECK_STATUS(exit_code(child), STATUS_SUCCESS);
    pat.Token = token; /* a process that has run keeps its token */
    CHECK_STATUS(NtSetInformationProcess(child, ProcessAccessToken, &pat, sizeof pat), (NTSTATUS)0xC000012B);
    NtClose(thread);
    NtClose(child);
    NtClose(user);
    NtClose(token);
}

/* ---- the hostile child ---- */

static NTSTATUS fuzz_connect(PHANDLE Port, PCHAR *View, PCHAR *ServerView) {
    HANDLE section;
    LARGE_INTEGER size = {.QuadPart = CSR_PORT_VIEW_SIZE};
    NTSTATUS status =
        NtCreateSection(&section, SECTION_ALL_ACCESS_, NULL, &size, PAGE_READWRITE_, SEC_COMMIT_, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PORT_VIEW view = {sizeof view, section, 0, CSR_PORT_VIEW_SIZE, NULL, NULL};
    REMOTE_PORT_VIEW server = {sizeof server, 0, NULL};
    CSR_API_CONNECTINFO info = {CSR_VERSION, 0, NULL};
    ULONG length = sizeof info;
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, CSR_API_PORT_NAME);
    status = NtConnectPort(Port, &name, NULL, &view, &server, NULL, &info, &length);
    NtClose(section);
    *View = view.ViewBase;
    *ServerView = view.ViewRemoteBase;
    return status;
}

static NTSTATUS fuzz(VOID) {
    HANDLE port;
    PCHAR view, serverView;
    NTSTATUS status = fuzz_connect(&port, &view, &serverView);
    if (!NT_SUCCESS(status))
        return status;
    ULONG replies = 0, cutOff = 0, refusedByKernel = 0;
    static CSR_API_MESSAGE m;
    for (ULONG i = 0; i < FUZZ_REQUESTS; i++) {
        ULONG kind = rnd() % 8;
        for (ULONG j = 0; j < sizeof m / 4; j++)
            ((PULONG)&m)[j] = rnd() % 4 ? rnd() % 64 : rnd();
        m.ApiNumber = kind == 0 ? rnd() : CSR_MAKE_API_NUMBER(rnd() % 6, rnd() % 8);
        ULONG arguments = rnd() % (sizeof m.u + 1);
        m.h.DataLength = (USHORT)(CSR_API_MESSAGE_HEADER_SIZE - sizeof(PORT_MESSAGE) + arguments);
        m.h.TotalLength = (USHORT)(CSR_API_MESSAGE_HEADER_SIZE + arguments);
        if (kind == 1)
            m.h.TotalLength += 8; /* inconsistent: the kernel refuses it */
        ULONG offset = rnd() % CSR_PORT_VIEW_SIZE;
        switch (rnd() % 4) {
        case 0: m.CaptureBuffer = NULL; break;
        case 1: m.CaptureBuffer = (PCSR_CAPTURE_BUFFER)(ULONG_PTR)rnd(); break;
        default: {
            /* A capture buffer in the view, with a header of random lies. */
            offset &= ~3u;
            if (offset > CSR_PORT_VIEW_SIZE - 64)
                offset = CSR_PORT_VIEW_SIZE - 64;
            PCSR_CAPTURE_BUFFER cb = (PCSR_CAPTURE_BUFFER)(view + offset);
            cb->Length = rnd() % 3 ? rnd() % 4096 : rnd();
            cb->CountMessagePointers = rnd() % 12;
            for (ULONG k = 0; k < 8 && offset + 20 + 4 * k < CSR_PORT_VIEW_SIZE; k++)
                (&cb->MessagePointerOffsets[0])[k] = CSR_API_MESSAGE_HEADER_SIZE + 4 * (rnd() % 8);
            m.CaptureBuffer = (PCSR_CAPTURE_BUFFER)(serverView + offset + (rnd() % 8 == 0 ? 2 : 0));
            for (ULONG k = 0; k < 4; k++)
                ((PVOID *)&m.u)[k] = serverView + offset + (rnd() % 8192) - 1024;
        }
        }
        status = NtRequestWaitReplyPort(port, &m.h, &m.h);
        if (NT_SUCCESS(status)) {
            replies++;
        } else if (status == STATUS_PORT_DISCONNECTED) {
            cutOff++;
            NtClose(port);
            status = fuzz_connect(&port, &view, &serverView);
            if (!NT_SUCCESS(status))
                return status;
        } else {
            refusedByKernel++;
        }
        if (i % 64 == 0) { /* datagrams too: csrss must ignore them */
            m.h.TotalLength = CSR_API_MESSAGE_HEADER_SIZE;
            m.h.DataLength = CSR_API_MESSAGE_HEADER_SIZE - sizeof(PORT_MESSAGE);
            status = NtRequestPort(port, &m.h);
            (void)status;
        }
    }
    DbgPrint("csrtest: fuzz: %u requests: %u answered, %u refused by the kernel, cut off %u times\n",
             FUZZ_REQUESTS, replies, refusedByKernel, cutOff);
    return replies > 0 && cutOff > 0 ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    CHAR cmd[128];
    PRTL_USER_PROCESS_PARAMETERS pp = Peb->ProcessParameters;
    ULONG n = 0;
    for (; pp && n < pp->CommandLine.Length / sizeof(WCHAR) && n + 1 < sizeof cmd; n++)
        cmd[n] = (CHAR)pp->CommandLine.Buffer[n];
    cmd[n] = 0;
    if (strstr_(cmd, " fuzz"))
        NtTerminateProcess(NtCurrentProcess(), fuzz());
    if (strstr_(cmd, " qlpc")) { /* two quick-LPC threads, then the process ends under them */
        HANDLE t = NULL;
        ULONG out = 0;
        if (NT_SUCCESS(qlpc_null(CSRSRV_SERVERDLL_INDEX, 1, 4, &out)) &&
            NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, (PVOID)qlpc_worker,
                                           (PVOID)1, &t, NULL)))
            NtWaitForSingleObject(t, FALSE,
                                  NULL); /* the worker ends its thread; csrss may not have heard yet */
        NtTerminateProcess(NtCurrentProcess(), 0x1234);
    }
    if (strstr_(cmd, " user"))
        NtTerminateProcess(NtCurrentProcess(), user_child());
    if (strstr_(cmd, " sleep")) {
        sleep_ms(60000);
        NtTerminateProcess(NtCurrentProcess(), STATUS_SUCCESS);
    }
    DbgPrint("csrtest: csrss from a client's side\n");
    run("connect_and_null_api", test_connect_and_null_api);
    run("bad_api_numbers_and_lengths_are_refused", test_bad_api_numbers_and_lengths_are_refused);
    run("capture_buffers_are_checked_against_the_view", test_capture_buffers_are_checked_against_the_view);
    run("basesrv_process_and_thread_notices", test_basesrv_process_and_thread_notices);
    run("quick_lpc_round_trips", test_quick_lpc_round_trips);
    run("quick_lpc_server_thread_ends_with_its_client", test_quick_lpc_server_thread_ends_with_its_client);
    run("apiport_cannot_be_taken_over", test_apiport_cannot_be_taken_over);
    run("user_program_cannot_create_windows_objects", test_user_program_cannot_create_windows_objects);
    run("hostile_client_does_not_stop_csrss_serving_others",
        test_hostile_client_does_not_stop_csrss_serving_others);
    DbgPrint("csrtest: %u passed, %u failed\n", Passed, Failed);
    NtTerminateProcess(NtCurrentProcess(), Failed ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS);
}
