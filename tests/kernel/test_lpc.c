/*
 * test_lpc.c - in-kernel checks of LPC ports with real threads: the test
 * runner plays the server and a helper kernel thread plays the client,
 * both calling the Nt services (PreviousMode == KernelMode, System process),
 * then hostile pointers with PreviousMode forced to UserMode.
 *
 * Why: a connection, a request and its reply each involve two threads
 * sleeping and waking each other; only real threads show that the wake-ups,
 * the copies and the failure paths (refusal, disconnection) all happen.
 */
#include <nt/ntapi.h>
#include <nt/rtlstring.h>
#include "../../kernel/include/ex.h"
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/lpc.h"
#include "../../kernel/include/mm.h"
#include "../../kernel/include/x86.h"
#include "../../kernel/include/ob.h"
#include "../../kernel/include/ps.h"
#include "../../kernel/include/rtl.h"

#define UNMAPPED_USER_ADDRESS ((PVOID)0x00001000)
#define KERNEL_ADDRESS ((PVOID)0x80100000)
#define LPC_MESSAGE_TAG NT_TAG('L', 'p', 'c', 'M')

typedef struct _TEST_MESSAGE {
    PORT_MESSAGE h;
    UCHAR Data[PORT_MAXIMUM_DATA_LENGTH];
} TEST_MESSAGE;

_Static_assert(sizeof(TEST_MESSAGE) == PORT_MAXIMUM_MESSAGE_LENGTH, "a full-size message buffer");

enum { CLIENT_CONNECT_ONLY, CLIENT_FULL, CLIENT_WAIT_FOR_DISCONNECT, CLIENT_WITH_VIEW, CLIENT_CLOSE_LATER };

/* What the client thread does and what it saw. */
typedef struct _CLIENT {
    ULONG Mode;
    PCWSTR PortName;
    HANDLE Port;
    NTSTATUS Connect, TooLong, BadLength, Request, Datagram, AfterDisconnect;
    ULONG MaxMessageLength;
    ULONG InfoLength;
    CHAR Info[32];
    TEST_MESSAGE Reply;
    PORT_VIEW View;              /* CLIENT_WITH_VIEW: offered, then as the kernel filled it */
    REMOTE_PORT_VIEW ServerView; /* what the client learns of the server's view */
    KTHREAD Thread;
} CLIENT;

static VOID set_data(TEST_MESSAGE *M, PCSTR Text) {
    ULONG n = (ULONG)strlen(Text) + 1;
    memset(&M->h, 0, sizeof M->h);
    memcpy(M->Data, Text, n);
    M->h.DataLength = (USHORT)n;
    M->h.TotalLength = (USHORT)(sizeof(PORT_MESSAGE) + n);
}

static VOID client_routine(PVOID Context) {
    CLIENT *c = Context;
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, c->PortName);
    memcpy(c->Info, "hello", 6);
    c->InfoLength = 6; /* what is sent; the server's answer may fill as much */
    BOOLEAN view = c->Mode == CLIENT_WITH_VIEW;
    c->Connect = NtConnectPort(&c->Port, &name, NULL, view ? &c->View : NULL, view ? &c->ServerView : NULL,
                               &c->MaxMessageLength, c->Info, &c->InfoLength);
    if (!NT_SUCCESS(c->Connect) || c->Mode == CLIENT_CONNECT_ONLY || c->Mode == CLIENT_WITH_VIEW)
        return;
    if (c->Mode == CLIENT_CLOSE_LATER) { /* never receives: the server's request to it stays queued */
        LARGE_INTEGER t = {.QuadPart = -5 * (10000000 / CLOCK_HZ)};
        (void)KeDelayExecutionThread(KernelMode, FALSE, &t);
        c->AfterDisconnect = NtClose(c->Port);
        return;
    }
    static TEST_MESSAGE m;
    if (c->Mode == CLIENT_WAIT_FOR_DISCONNECT) {
        set_data(&m, "wait");
        c->Request = NtRequestWaitReplyPort(c->Port, &m.h, &c->Reply.h);
        set_data(&m, "again");
        c->AfterDisconnect = NtRequestPort(c->Port, &m.h);
        return;
    }
    set_data(&m, "x");
    m.h.TotalLength = 300;
    m.h.DataLength = 300 - sizeof(PORT_MESSAGE);
    c->TooLong = NtRequestPort(c->Port, &m.h);
    set_data(&m, "x");
    m.h.TotalLength += 4;
    c->BadLength = NtRequestPort(c->Port, &m.h);
    set_data(&m, "ping");
    m.h.ClientId.UniqueProcess = (HANDLE)0x666; /* lies the kernel must overwrite */
    m.h.MessageId = 0x777;
    /* One buffer for the request and its reply, as CsrClientCallServer
     * does (regression: the reply buffer's probe once wiped the request). */
    c->Request = NtRequestWaitReplyPort(c->Port, &m.h, &m.h);
    c->Reply = m;
    set_data(&m, "dgram");
    c->Datagram = NtRequestPort(c->Port, &m.h);
    NTSTATUS closed = NtClose(c->Port);
    if (!NT_SUCCESS(closed))
        c->Datagram = closed;
}

static BOOLEAN start_client(CLIENT *C) {
    if (!NT_SUCCESS(KeInitializeThread(&C->Thread, KeGetCurrentThread()->Process, client_routine, C, NULL, 8)))
        return FALSE;
    KeReadyThread(&C->Thread);
    return TRUE;
}

static VOID finish_client(CLIENT *C) {
    (void)KeWaitForSingleObject(&C->Thread, KernelMode, FALSE, NULL);
    KeDeleteThread(&C->Thread);
}

static NTSTATUS create_port(PCWSTR Name, PHANDLE Port) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, Name);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtCreatePort(Port, &oa, 32, PORT_MAXIMUM_MESSAGE_LENGTH, 0);
}

static ULONG lpc_pool(VOID) {
    POOL_TAG_USAGE u;
    return NT_SUCCESS(ExQueryPoolTagUsage(LPC_MESSAGE_TAG, &u)) ? (ULONG)u.BytesInUse : 0; /* never used yet */
}

/* Listens on Port, accepts (Context) or refuses, answering Answer; returns
 * the server port handle (or NULL). */
static HANDLE answer_connection_views(KTEST_CONTEXT *Ctx, HANDLE Port, BOOLEAN Accept, PVOID Context, PCSTR Answer,
                                      PPORT_VIEW ServerView, PREMOTE_PORT_VIEW ClientView) {
    static TEST_MESSAGE m;
    KT_CHECK_STATUS(NtListenPort(Port, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_CONNECTION_REQUEST);
    KT_CHECK_EQ(m.h.DataLength, 6);
    KT_CHECK(memcmp(m.Data, "hello", 6) == 0);
    KT_CHECK(m.h.ClientId.UniqueProcess == PsGetCurrentProcess()->UniqueProcessId);
    PORT_MESSAGE request = m.h;
    set_data(&m, Answer);
    m.h.MessageId = request.MessageId + 1000; /* not the request: refused */
    m.h.ClientId = request.ClientId;
    HANDLE server = NULL;
    KT_CHECK_STATUS(NtAcceptConnectPort(&server, Context, &m.h, Accept, ServerView, ClientView),
                    STATUS_REPLY_MESSAGE_MISMATCH);
    m.h.MessageId = request.MessageId;
    KT_CHECK_STATUS(NtAcceptConnectPort(&server, Context, &m.h, Accept, ServerView, ClientView), STATUS_SUCCESS);
    if (Accept) {
        KT_CHECK(server != NULL);
        KT_CHECK_STATUS(NtCompleteConnectPort(server), STATUS_SUCCESS);
        KT_CHECK_STATUS(NtCompleteConnectPort(server), STATUS_INVALID_PARAMETER); /* nobody left to wake */
    }
    return server;
}

static HANDLE answer_connection(KTEST_CONTEXT *Ctx, HANDLE Port, BOOLEAN Accept, PVOID Context, PCSTR Answer) {
    return answer_connection_views(Ctx, Port, Accept, Context, Answer, NULL, NULL);
}

KTEST(lpc_connect_request_reply_datagram_and_port_closed) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server;
    KT_CHECK_STATUS(create_port(L"\\Windows\\KtLpcPort", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_FULL, .PortName = L"\\Windows\\KtLpcPort"};
    KT_CHECK(start_client(&c));
    server = answer_connection(Ctx, port, TRUE, (PVOID)0x1234, "world");

    static TEST_MESSAGE m;
    PVOID context = NULL;
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, NULL, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_REQUEST);
    KT_CHECK(context == (PVOID)0x1234);
    KT_CHECK(memcmp(m.Data, "ping", 5) == 0);
    KT_CHECK(m.h.ClientId.UniqueProcess == PsGetCurrentProcess()->UniqueProcessId);
    KT_CHECK(m.h.MessageId != 0x777);
    PORT_MESSAGE request = m.h;
    /* Oversized and inconsistent replies are refused before anything is matched. */
    set_data(&m, "pong");
    m.h.MessageId = request.MessageId;
    m.h.ClientId = request.ClientId;
    m.h.TotalLength = 257;
    KT_CHECK_STATUS(NtReplyPort(port, &m.h), STATUS_PORT_MESSAGE_TOO_LONG);
    m.h.TotalLength = sizeof(PORT_MESSAGE) + 1;
    KT_CHECK_STATUS(NtReplyPort(port, &m.h), STATUS_INVALID_PARAMETER);
    set_data(&m, "pong");
    m.h.MessageId = request.MessageId;
    m.h.ClientId.UniqueProcess = (HANDLE)((ULONG_PTR)request.ClientId.UniqueProcess + 4);
    m.h.ClientId.UniqueThread = request.ClientId.UniqueThread;
    KT_CHECK_STATUS(NtReplyPort(port, &m.h), STATUS_REPLY_MESSAGE_MISMATCH); /* right id, wrong client */
    m.h.ClientId = request.ClientId;
    /* The reply goes with the next receive, which then gets the datagram. */
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, &m.h, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_DATAGRAM);
    KT_CHECK(memcmp(m.Data, "dgram", 6) == 0);
    KT_CHECK(context == (PVOID)0x1234);
    set_data(&m, "late");
    m.h.MessageId = request.MessageId;
    m.h.ClientId = request.ClientId;
    KT_CHECK_STATUS(NtReplyPort(port, &m.h), STATUS_REPLY_MESSAGE_MISMATCH); /* already answered */
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, NULL, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_PORT_CLOSED);
    KT_CHECK(context == (PVOID)0x1234);
    finish_client(&c);

    KT_CHECK_STATUS(c.Connect, STATUS_SUCCESS);
    KT_CHECK_EQ(c.InfoLength, 6);
    KT_CHECK(memcmp(c.Info, "world", 6) == 0);
    KT_CHECK_EQ(c.MaxMessageLength, PORT_MAXIMUM_MESSAGE_LENGTH);
    KT_CHECK_STATUS(c.TooLong, STATUS_PORT_MESSAGE_TOO_LONG);
    KT_CHECK_STATUS(c.BadLength, STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(c.Request, STATUS_SUCCESS);
    KT_CHECK_EQ(c.Reply.h.Type, LPC_REPLY);
    KT_CHECK_EQ(c.Reply.h.MessageId, request.MessageId);
    KT_CHECK(memcmp(c.Reply.Data, "pong", 5) == 0);
    KT_CHECK_STATUS(c.Datagram, STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_refused_connection_returns_the_servers_information) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port;
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcRefuse", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_CONNECT_ONLY, .PortName = L"\\BaseNamedObjects\\KtLpcRefuse"};
    KT_CHECK(start_client(&c));
    KT_CHECK(answer_connection(Ctx, port, FALSE, NULL, "no") == NULL);
    finish_client(&c);
    KT_CHECK_STATUS(c.Connect, STATUS_PORT_CONNECTION_REFUSED);
    KT_CHECK(c.Port == NULL);
    KT_CHECK_EQ(c.InfoLength, 3);
    KT_CHECK(memcmp(c.Info, "no", 3) == 0);
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\KtLpcMissing");
    HANDLE h;
    KT_CHECK_STATUS(NtConnectPort(&h, &name, NULL, NULL, NULL, NULL, NULL, NULL), STATUS_OBJECT_NAME_NOT_FOUND);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_closing_the_server_port_wakes_the_waiting_client) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server;
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcClose", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_WAIT_FOR_DISCONNECT, .PortName = L"\\BaseNamedObjects\\KtLpcClose"};
    KT_CHECK(start_client(&c));
    server = answer_connection(Ctx, port, TRUE, (PVOID)7, "ok");
    static TEST_MESSAGE m;
    PVOID context = NULL;
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, NULL, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_REQUEST);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS); /* the client sleeps for a reply that will never come */
    finish_client(&c);
    KT_CHECK_STATUS(c.Request, STATUS_PORT_DISCONNECTED);
    KT_CHECK_STATUS(c.AfterDisconnect, STATUS_PORT_DISCONNECTED);
    KT_CHECK_STATUS(NtClose(c.Port), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_closing_the_client_port_wakes_a_server_waiting_on_it) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server;
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcClose3", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_CLOSE_LATER, .PortName = L"\\BaseNamedObjects\\KtLpcClose3"};
    KT_CHECK(start_client(&c));
    server = answer_connection(Ctx, port, TRUE, (PVOID)9, "ok");
    static TEST_MESSAGE m, reply;
    set_data(&m, "to the client");
    /* A request from the server to its client, which closes its port
     * without ever receiving: the server must not sleep forever. */
    KT_CHECK_STATUS(NtRequestWaitReplyPort(server, &m.h, &reply.h), STATUS_PORT_DISCONNECTED);
    finish_client(&c);
    KT_CHECK_STATUS(c.AfterDisconnect, STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_closing_the_connection_port_fails_pending_requests) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server;
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcClose2", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_WAIT_FOR_DISCONNECT, .PortName = L"\\BaseNamedObjects\\KtLpcClose2"};
    KT_CHECK(start_client(&c));
    server = answer_connection(Ctx, port, TRUE, (PVOID)8, "ok");
    LARGE_INTEGER t = {.QuadPart = -3 * (10000000 / CLOCK_HZ)};
    (void)KeDelayExecutionThread(KernelMode, FALSE, &t); /* the request is queued, not yet received */
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    finish_client(&c);
    KT_CHECK_STATUS(c.Request, STATUS_PORT_DISCONNECTED);
    KT_CHECK_STATUS(c.AfterDisconnect, STATUS_PORT_DISCONNECTED);
    KT_CHECK_STATUS(NtClose(c.Port), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_client_death_is_reported_to_the_server) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server;
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcDied", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_CONNECT_ONLY, .PortName = L"\\BaseNamedObjects\\KtLpcDied"};
    KT_CHECK(start_client(&c));
    server = answer_connection(Ctx, port, TRUE, (PVOID)9, "ok");
    finish_client(&c);
    KT_CHECK_STATUS(c.Connect, STATUS_SUCCESS);
    /* What process exit does to the client's handle: closed while Exiting. */
    PEPROCESS me = PsGetCurrentProcess();
    me->Exiting = TRUE;
    NTSTATUS closed = NtClose(c.Port);
    me->Exiting = FALSE;
    KT_CHECK_STATUS(closed, STATUS_SUCCESS);
    static TEST_MESSAGE m;
    PVOID context = NULL;
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, NULL, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_CLIENT_DIED);
    KT_CHECK(context == (PVOID)9);
    KT_CHECK_STATUS(NtReplyWaitReceivePort(port, &context, NULL, &m.h), STATUS_SUCCESS);
    KT_CHECK_EQ(m.h.Type, LPC_PORT_CLOSED);
    set_data(&m, "x");
    KT_CHECK_STATUS(NtRequestPort(server, &m.h), STATUS_PORT_DISCONNECTED);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}

KTEST(lpc_bad_parameters_and_hostile_user_pointers_fail_cleanly) {
    HANDLE port;
    KT_CHECK_STATUS(NtCreatePort(&port, NULL, 0, PORT_MAXIMUM_MESSAGE_LENGTH + 1, 0), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtCreatePort(&port, NULL, PORT_MAXIMUM_MESSAGE_LENGTH, 0, 0), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtCreatePort(&port, NULL, 0, 0, 0), STATUS_SUCCESS); /* unnamed, default maximum */
    static TEST_MESSAGE m;
    set_data(&m, "x");
    KT_CHECK_STATUS(NtRequestPort(port, &m.h), STATUS_PORT_DISCONNECTED); /* a connection port has no peer */
    KT_CHECK_STATUS(NtCompleteConnectPort(port), STATUS_INVALID_PORT_HANDLE);

    PKTHREAD t = KeGetCurrentThread();
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    ULONG handles = PsGetCurrentProcess()->ObjectTable.HandleCount;
    POOL_TAG_USAGE before, after;
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('C', 'a', 'p', 't'), &before), STATUS_SUCCESS);
    UCHAR saved = t->PreviousMode;
    t->PreviousMode = UserMode;
    NTSTATUS r[10];
    r[0] = NtCreatePort(UNMAPPED_USER_ADDRESS, NULL, 0, 0, 0);
    r[1] = NtCreatePort(KERNEL_ADDRESS, NULL, 0, 0, 0);
    r[2] = NtConnectPort(UNMAPPED_USER_ADDRESS, KERNEL_ADDRESS, NULL, NULL, NULL, NULL, NULL, NULL);
    r[3] = NtRequestPort(port, KERNEL_ADDRESS);
    r[4] = NtRequestWaitReplyPort(port, UNMAPPED_USER_ADDRESS, KERNEL_ADDRESS);
    r[5] = NtReplyPort(port, (PPORT_MESSAGE)0x7FFEFFF8); /* the header runs into the guard */
    r[6] = NtReplyWaitReceivePort(port, KERNEL_ADDRESS, NULL, UNMAPPED_USER_ADDRESS);
    r[7] = NtListenPort(port, KERNEL_ADDRESS);
    r[8] = NtAcceptConnectPort(UNMAPPED_USER_ADDRESS, NULL, KERNEL_ADDRESS, TRUE, NULL, NULL);
    r[9] = NtAcceptConnectPort(NULL, NULL, UNMAPPED_USER_ADDRESS, FALSE, NULL, NULL);
    t->PreviousMode = saved;
    for (int i = 0; i < 10; i++)
        KT_CHECK_STATUS(r[i], STATUS_ACCESS_VIOLATION);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(PsGetCurrentProcess()->ObjectTable.HandleCount, handles);
    KT_CHECK_EQ(lpc_pool(), pool);
    KT_CHECK_STATUS(ExQueryPoolTagUsage(NT_TAG('C', 'a', 'p', 't'), &after), STATUS_SUCCESS);
    KT_CHECK_EQ(after.BytesInUse, before.BytesInUse);
    KT_CHECK(t->FaultRecovery == 0);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
}

static NTSTATUS make_section(ULONG Bytes, PHANDLE Section) {
    LARGE_INTEGER size = {.QuadPart = Bytes};
    return NtCreateSection(Section, 0x000F001F /* SECTION_ALL_ACCESS */, NULL, &size, PAGE_READWRITE, SEC_COMMIT,
                           NULL);
}

KTEST(lpc_port_views_are_mapped_into_both_sides) {
    ULONG ports = LpcPortObjectType->TotalNumberOfObjects, pool = lpc_pool();
    HANDLE port, server, clientSection, serverSection;
    KT_CHECK_STATUS(make_section(2 * PAGE_SIZE, &clientSection), STATUS_SUCCESS);
    KT_CHECK_STATUS(make_section(PAGE_SIZE, &serverSection), STATUS_SUCCESS);
    KT_CHECK_STATUS(create_port(L"\\BaseNamedObjects\\KtLpcView", &port), STATUS_SUCCESS);
    static CLIENT c;
    c = (CLIENT){.Mode = CLIENT_WITH_VIEW, .PortName = L"\\BaseNamedObjects\\KtLpcView",
                 .View = {sizeof(PORT_VIEW), clientSection, 0, 2 * PAGE_SIZE, NULL, NULL}};
    KT_CHECK(start_client(&c));
    PORT_VIEW sv = {sizeof sv, serverSection, 0, PAGE_SIZE, NULL, NULL};
    REMOTE_PORT_VIEW cv = {0};
    server = answer_connection_views(Ctx, port, TRUE, NULL, "ok", &sv, &cv);
    finish_client(&c);
    KT_CHECK_STATUS(c.Connect, STATUS_SUCCESS);
    /* The client's section: where each side sees it. */
    KT_CHECK_EQ(cv.Length, sizeof cv);
    KT_CHECK_EQ(cv.ViewSize, 2 * PAGE_SIZE);
    KT_CHECK(cv.ViewBase != NULL && c.View.ViewBase != NULL);
    KT_CHECK(c.View.ViewRemoteBase == cv.ViewBase);
    KT_CHECK_EQ(c.View.ViewSize, 2 * PAGE_SIZE);
    /* The server's section, likewise. */
    KT_CHECK(sv.ViewBase != NULL && sv.ViewRemoteBase != NULL);
    KT_CHECK_EQ(c.ServerView.ViewSize, PAGE_SIZE);
    KT_CHECK(c.ServerView.ViewBase == sv.ViewRemoteBase);
    if (c.View.ViewBase && cv.ViewBase && sv.ViewBase && sv.ViewRemoteBase) {
        /* Both processes here are the System process: two mappings of one section show the same bytes. */
        memcpy((PUCHAR)c.View.ViewBase + PAGE_SIZE, "shared", 7);
        KT_CHECK(memcmp((PUCHAR)cv.ViewBase + PAGE_SIZE, "shared", 7) == 0);
        memcpy(sv.ViewBase, "server", 7);
        KT_CHECK(memcmp(c.ServerView.ViewBase, "server", 7) == 0);
    }
    PORT_VIEW bad = {sizeof bad - 1, clientSection, 0, PAGE_SIZE, NULL, NULL};
    UNICODE_STRING name;
    RtlInitUnicodeString(&name, L"\\BaseNamedObjects\\KtLpcView");
    HANDLE h;
    KT_CHECK_STATUS(NtConnectPort(&h, &name, NULL, &bad, NULL, NULL, NULL, NULL), STATUS_INVALID_PARAMETER);
    bad.Length = sizeof bad;
    bad.SectionOffset = 100;
    KT_CHECK_STATUS(NtConnectPort(&h, &name, NULL, &bad, NULL, NULL, NULL, NULL), STATUS_INVALID_PARAMETER);
    KT_CHECK_STATUS(NtClose(c.Port), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(server), STATUS_SUCCESS); /* both views leave both sides */
    KT_CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), cv.ViewBase), STATUS_NOT_MAPPED_VIEW);
    KT_CHECK_STATUS(NtUnmapViewOfSection(NtCurrentProcess(), sv.ViewRemoteBase), STATUS_NOT_MAPPED_VIEW);
    KT_CHECK_STATUS(NtClose(port), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(clientSection), STATUS_SUCCESS);
    KT_CHECK_STATUS(NtClose(serverSection), STATUS_SUCCESS);
    KT_CHECK_EQ(LpcPortObjectType->TotalNumberOfObjects, ports);
    KT_CHECK_EQ(lpc_pool(), pool);
}
