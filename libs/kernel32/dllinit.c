/*
 * dllinit.c - BaseDllInitialize, kernel32's entry point, and the one place
 * kernel32 calls csrss from.
 *
 * Why: on NT every Win32 process is a client of the Win32 subsystem, and it
 * becomes one when kernel32 is attached: BaseDllInitialize connects to
 * csrss (CsrClientConnectToServer, with basesrv's connect data) before the
 * program's first instruction. A process csrss will not take cannot run
 * Win32 code, so a failed connection fails the DLL's initialization and the
 * loader ends the process (STATUS_DLL_INIT_FAILED), as on NT. The same call
 * sets up what the rest of kernel32 reads without asking again: the module
 * handles, the ANSI command line, the environment, the standard handles and
 * the current directory. Threads that start later join the TLS list here
 * (DLL_THREAD_ATTACH) and leave it when they end.
 */
#include "k32p.h"

PVOID BaseDllHandle;
HMODULE BaseExeHandle;
BOOLEAN BaseRunningInServerProcess;
RTL_CRITICAL_SECTION BaseDllLock;

VOID BasepInitializeCommandLine(VOID);
VOID BasepInitializeCurrentDirectory(VOID);

NTSTATUS BasepCallServer(PCSR_API_MESSAGE Message, ULONG Api, ULONG ArgumentLength) {
    if (BaseRunningInServerProcess)
        return STATUS_SUCCESS; /* csrss does not call itself */
    return CsrClientCallServer(Message, NULL, CSR_MAKE_API_NUMBER(BASESRV_SERVERDLL_INDEX, Api),
                               ArgumentLength);
}

/* DLL_PROCESS_ATTACH: FALSE ends the process. */
static BOOL process_attach(HANDLE DllHandle) {
    BaseDllHandle = DllHandle;
    BaseExeHandle = NtCurrentPeb()->ImageBaseAddress;
    NTSTATUS status = RtlInitializeCriticalSection(&BaseDllLock);
    if (!NT_SUCCESS(status))
        return FALSE;

    BASESRV_API_CONNECTINFO info = {BASESRV_VERSION, 0};
    ULONG length = sizeof info;
    BOOLEAN server_to_server = FALSE;
    status =
        CsrClientConnectToServer(L"\\Windows", BASESRV_SERVERDLL_INDEX, &info, &length, &server_to_server);
    if (!NT_SUCCESS(status)) {
        DbgPrint("KERNEL32: cannot connect to the Win32 subsystem (csrss): status 0x%08x\n", (ULONG)status);
        return FALSE;
    }
    BaseRunningInServerProcess = server_to_server;

    BasepInitializeEnvironment();
    BasepInitializeCommandLine();
    BasepInitializeStdHandles();
    BasepInitializeCurrentDirectory();
    BasepTlsThreadAttach();
    return TRUE;
}

BOOL WINAPI BaseDllInitialize(HANDLE DllHandle, ULONG Reason, PVOID Context) {
    (void)Context;
    switch (Reason) {
    case DLL_PROCESS_ATTACH: return process_attach(DllHandle);
    case DLL_THREAD_ATTACH: BasepTlsThreadAttach(); return TRUE;
    case DLL_THREAD_DETACH: BasepTlsThreadDetach(); return TRUE;
    case DLL_PROCESS_DETACH: BasepConsoleFlushAll(); return TRUE;
    default: return TRUE;
    }
}
