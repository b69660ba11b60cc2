/*
 * csrss.c - csrss.exe, the Win32 subsystem server: start-up.
 *
 * Why: csrss is a native process started by smss and marked critical (if
 * it ends, smss stops the system with 0xC000021A). It creates
 * \Windows\ApiPort, which every Win32 process connects to, and
 * \Windows\SbApiPort for smss; starts the request threads; and then
 * signals \Windows\CsrReady so smss starts the Win32 programs after it.
 * Everything else is in the request threads (api.c) and the server
 * modules (basesrv/). csrss links only against ntdll.dll.
 */
#include "csrsrv.h"

#define EVENT_ALL_ACCESS_ 0x001F0003
#define NOTIFICATION_EVENT 0
#define DIRECTORY_ALL_ACCESS_ 0xF000F
#define REQUEST_STACK_RESERVE (64 * 1024)

HANDLE CsrApiPort;

static NTSTATUS create_port(PCWSTR Name, ULONG ConnectInfoLength, ULONG MessageLength, PHANDLE Port) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, Name);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    return NtCreatePort(Port, &oa, ConnectInfoLength, MessageLength, 0);
}

static NTSTATUS signal_ready(VOID) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    HANDLE event;
    RtlInitUnicodeString(&name, CSR_READY_EVENT_NAME);
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE | OBJ_OPENIF, NULL, NULL);
    NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS_, &oa, NOTIFICATION_EVENT, FALSE);
    if (NT_SUCCESS(status)) {
        status = NtSetEvent(event, NULL);
        NtClose(event); /* smss holds it open too, so it stays */
    }
    return status;
}

/* Creates the ports and threads; a failure here is fatal for csrss. */
static NTSTATUS CsrServerInitialization(VOID) {
    HANDLE sbPort;
    NTSTATUS status = RtlInitializeCriticalSection(&CsrProcessLock);
#ifndef CSRSS_GDI_IN_KERNEL /* api.c says why */
    if (NT_SUCCESS(status))
        status = GdiSrvInitialize();
#endif
    if (NT_SUCCESS(status))
        status =
            create_port(CSR_API_PORT_NAME, sizeof(CSR_API_CONNECTINFO), sizeof(CSR_API_MESSAGE), &CsrApiPort);
    if (NT_SUCCESS(status))
        status = create_port(CSR_SBAPI_PORT_NAME, 0, sizeof(SB_API_MESSAGE), &sbPort);
    if (NT_SUCCESS(status))
        status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, REQUEST_STACK_RESERVE, 0,
                                     (PVOID)CsrSbApiRequestThread, sbPort, NULL, NULL);
    for (ULONG i = 1; NT_SUCCESS(status) && i < CSR_REQUEST_THREADS; i++)
        status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, REQUEST_STACK_RESERVE, 0,
                                     (PVOID)CsrApiRequestThread, NULL, NULL, NULL);
    return status;
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    (void)Peb;
    NTSTATUS status = CsrServerInitialization();
    if (NT_SUCCESS(status))
        status = signal_ready();
    if (!NT_SUCCESS(status)) {
        DbgPrint("csrss: initialization failed: 0x%08X\n", (ULONG)status);
        NtTerminateProcess(NtCurrentProcess(), status);
    }
    DbgPrint("csrss: \\Windows\\ApiPort and \\Windows\\SbApiPort ready; servers csrsrv, basesrv; %u request "
             "threads\n",
             CSR_REQUEST_THREADS);
    CsrApiRequestThread(NULL); /* the first thread serves too */
}
