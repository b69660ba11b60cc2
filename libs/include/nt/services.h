/*
 * services.h - THE list of system services: written once, used twice.
 *
 * Why: the kernel's dispatch table (kernel/ke/svctable.c, through the C
 * preprocessor) and ntdll's stubs (tools/gensvc.py) are both made from this
 * list, so a service number or an argument size can never disagree between
 * the two sides. SERVICE(Name, ArgumentBytes): a service's number is its
 * position in table 0 (the executive); ArgumentBytes is what the stub pops
 * (`ret N`) and what KiSystemService copies from the caller's stack.
 * The numbers are Daytona's, not NT's; ntdll is rebuilt with the kernel, so
 * inserting a service only renumbers what follows.
 */
#ifndef NT_SERVICES_H
#define NT_SERVICES_H

#define NT_SERVICE_TABLE(SERVICE)                       \
    /* objects */                                       \
    SERVICE(NtClose, 4)                                 \
    SERVICE(NtDuplicateObject, 28)                      \
    SERVICE(NtMakeTemporaryObject, 4)                   \
    SERVICE(NtQueryObject, 20)                          \
    SERVICE(NtCreateDirectoryObject, 12)                \
    SERVICE(NtOpenDirectoryObject, 12)                  \
    SERVICE(NtQueryDirectoryObject, 28)                 \
    SERVICE(NtCreateSymbolicLinkObject, 16)             \
    SERVICE(NtOpenSymbolicLinkObject, 12)               \
    SERVICE(NtQuerySymbolicLinkObject, 12)              \
    /* waits */                                         \
    SERVICE(NtWaitForSingleObject, 12)                  \
    SERVICE(NtWaitForMultipleObjects, 20)               \
    SERVICE(NtDelayExecution, 8)                        \
    SERVICE(NtYieldExecution, 0)                        \
    SERVICE(NtTestAlert, 0)                             \
    /* executive objects */                             \
    SERVICE(NtCreateEvent, 20)                          \
    SERVICE(NtOpenEvent, 12)                            \
    SERVICE(NtSetEvent, 8)                              \
    SERVICE(NtResetEvent, 8)                            \
    SERVICE(NtPulseEvent, 8)                            \
    SERVICE(NtClearEvent, 4)                            \
    SERVICE(NtCreateEventPair, 12)                      \
    SERVICE(NtOpenEventPair, 12)                        \
    SERVICE(NtSetHighWaitLowEventPair, 4)               \
    SERVICE(NtSetLowWaitHighEventPair, 4)               \
    SERVICE(NtSetHighEventPair, 4)                      \
    SERVICE(NtSetLowEventPair, 4)                       \
    SERVICE(NtWaitHighEventPair, 4)                     \
    SERVICE(NtWaitLowEventPair, 4)                      \
    SERVICE(NtCreateSemaphore, 20)                      \
    SERVICE(NtOpenSemaphore, 12)                        \
    SERVICE(NtReleaseSemaphore, 12)                     \
    SERVICE(NtCreateMutant, 16)                         \
    SERVICE(NtOpenMutant, 12)                           \
    SERVICE(NtReleaseMutant, 8)                         \
    SERVICE(NtCreateTimer, 16)                          \
    SERVICE(NtOpenTimer, 12)                            \
    SERVICE(NtSetTimer, 28)                             \
    SERVICE(NtCancelTimer, 8)                           \
    /* files (kernel/io) */                             \
    SERVICE(NtCreateFile, 44)                           \
    SERVICE(NtOpenFile, 24)                             \
    SERVICE(NtReadFile, 36)                             \
    SERVICE(NtQueryInformationFile, 20)                 \
    SERVICE(NtSetInformationFile, 20)                   \
    SERVICE(NtQueryDirectoryFile, 44)                   \
    /* memory (kernel/mm) */                            \
    SERVICE(NtAllocateVirtualMemory, 24)                \
    SERVICE(NtFreeVirtualMemory, 16)                    \
    SERVICE(NtProtectVirtualMemory, 20)                 \
    SERVICE(NtQueryVirtualMemory, 24)                   \
    SERVICE(NtReadVirtualMemory, 20)                    \
    SERVICE(NtWriteVirtualMemory, 20)                   \
    SERVICE(NtCreateSection, 28)                        \
    SERVICE(NtOpenSection, 12)                          \
    SERVICE(NtMapViewOfSection, 40)                     \
    SERVICE(NtUnmapViewOfSection, 8)                    \
    /* processes and threads (kernel/ps) */             \
    SERVICE(NtCreateProcess, 32)                        \
    SERVICE(NtCreateThread, 32)                         \
    SERVICE(NtOpenProcess, 16)                          \
    SERVICE(NtOpenThread, 16)                           \
    SERVICE(NtTerminateProcess, 8)                      \
    SERVICE(NtTerminateThread, 8)                       \
    SERVICE(NtQueryInformationProcess, 20)              \
    SERVICE(NtQueryInformationThread, 20)               \
    SERVICE(NtResumeThread, 8)                          \
    SERVICE(NtContinue, 8)                              \
    /* system (kernel/ex) */                            \
    SERVICE(NtQuerySystemInformation, 16)               \
    SERVICE(NtRaiseHardError, 24)                       \
    SERVICE(NtShutdownSystem, 4)                        \
    SERVICE(NtQueryPerformanceCounter, 8)               \
    /* LPC (kernel/lpc) */                              \
    SERVICE(NtCreatePort, 20)                           \
    SERVICE(NtConnectPort, 32)                          \
    SERVICE(NtListenPort, 8)                            \
    SERVICE(NtAcceptConnectPort, 24)                    \
    SERVICE(NtCompleteConnectPort, 4)                   \
    SERVICE(NtRequestPort, 8)                           \
    SERVICE(NtRequestWaitReplyPort, 12)                 \
    SERVICE(NtReplyPort, 8)                             \
    SERVICE(NtReplyWaitReceivePort, 16)                 \
    SERVICE(NtRegisterThreadTerminatePort, 4)           \
    SERVICE(NtOpenProcessToken, 12)                     \
    SERVICE(NtFilterToken, 24)                          \
    SERVICE(NtSetInformationProcess, 16)                \
    SERVICE(NtSetInformationThread, 16)                 \
    SERVICE(NtSetHighWaitLowThread, 0)                  \
    SERVICE(NtSetLowWaitHighThread, 0)

#endif
