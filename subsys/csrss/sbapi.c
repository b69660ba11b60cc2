/*
 * sbapi.c - \Windows\SbApiPort, the session manager's line to csrss.
 *
 * Why: on NT, smss and the subsystems talk over a pair of ports; csrss
 * serves \Windows\SbApiPort for smss's requests. Only the process that
 * started csrss (smss) may connect. Daytona's one request is the skeleton
 * of shutdown: end the Win32 processes, highest shutdown level first, and
 * say how many were ended.
 */
#include "csrsrv.h"

static ULONG_PTR CsrParentPid;

static VOID handle_connect(PSB_API_MESSAGE Message) {
    HANDLE port = NULL;
    BOOLEAN accept = (ULONG_PTR)Message->h.ClientId.UniqueProcess == CsrParentPid;
    NTSTATUS status = NtAcceptConnectPort(&port, NULL, &Message->h, accept, NULL, NULL);
    if (accept && NT_SUCCESS(status))
        status = NtCompleteConnectPort(port);
    if (!accept)
        DbgPrint("csrss: SbApiPort refused pid %u (only smss may connect)\n",
                 (ULONG)(ULONG_PTR)Message->h.ClientId.UniqueProcess);
    else if (!NT_SUCCESS(status))
        DbgPrint("csrss: SbApiPort connection failed: 0x%08X\n", (ULONG)status);
}

NTSTATUS CsrSbApiRequestThread(PVOID Port) {
    PROCESS_BASIC_INFORMATION pbi;
    if (NT_SUCCESS(
            NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &pbi, sizeof pbi, NULL)))
        CsrParentPid = pbi.InheritedFromUniqueProcessId;
    SB_API_MESSAGE m;
    PPORT_MESSAGE reply = NULL;
    for (;;) {
        NTSTATUS status = NtReplyWaitReceivePort(Port, NULL, reply, &m.h);
        reply = NULL;
        if (status == STATUS_INVALID_HANDLE)
            break;
        if (!NT_SUCCESS(status))
            continue;
        if (m.h.TotalLength < sizeof m)
            memset((PCHAR)&m + m.h.TotalLength, 0, sizeof m - m.h.TotalLength);
        if (m.h.Type == LPC_CONNECTION_REQUEST) {
            handle_connect(&m);
        } else if (m.h.Type == LPC_REQUEST) {
            if (m.ApiNumber == SbShutdownProcesses) {
                m.ProcessesEnded = CsrShutdownProcesses();
                m.ReturnValue = STATUS_SUCCESS;
                DbgPrint("csrss: shutdown: %u Win32 processes ended\n", m.ProcessesEnded);
            } else {
                DbgPrint("csrss: SbApiPort: unknown request %u (length %u)\n", m.ApiNumber, m.h.TotalLength);
                m.ReturnValue = STATUS_INVALID_PARAMETER;
            }
            reply = &m.h;
        }
    }
    NtTerminateThread(NtCurrentThread(), STATUS_SUCCESS);
    return STATUS_SUCCESS;
}
