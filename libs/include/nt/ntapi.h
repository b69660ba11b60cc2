/*
 * ntapi.h - prototypes of the Nt system services, for both sides.
 *
 * Why: the kernel includes this where it defines each service, so the
 * compiler checks every definition against the one prototype; native
 * programs and ntdll include it to call them. The numbering lives in
 * services.h; the argument bytes there must match these prototypes (4 bytes
 * per argument on i386).
 */
#ifndef NT_NTAPI_H
#define NT_NTAPI_H

#include <nt/ntdef.h>
#include <nt/ntlpc.h>

/* Pseudo-handles for the calling process and thread (NT's values). */
#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#ifndef NtCurrentThread
#define NtCurrentThread() ((HANDLE)(LONG_PTR)-2)
#endif


/* objects */
NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSTATUS NTAPI NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                                 PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                                 ULONG Options);
NTSTATUS NTAPI NtMakeTemporaryObject(HANDLE Handle);
NTSTATUS NTAPI NtQueryObject(HANDLE Handle, ULONG InformationClass, PVOID Information, ULONG Length,
                             PULONG ReturnLength);
NTSTATUS NTAPI NtCreateDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                       POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                                      BOOLEAN RestartScan, PULONG Context, PULONG ReturnLength);
NTSTATUS NTAPI NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                          POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING LinkTarget);
NTSTATUS NTAPI NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                        POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget, PULONG ReturnedLength);

/* waits */
NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE *Handles, ULONG WaitType, BOOLEAN Alertable,
                                        PLARGE_INTEGER Timeout);
NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);
NTSTATUS NTAPI NtYieldExecution(VOID);
NTSTATUS NTAPI NtTestAlert(VOID);

/* executive objects */
NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             ULONG EventType, BOOLEAN InitialState);
NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState);
NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle);
NTSTATUS NTAPI NtCreateEventPair(PHANDLE EventPairHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtOpenEventPair(PHANDLE EventPairHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtSetHighWaitLowEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtSetLowWaitHighEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtSetHighEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtSetLowEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtWaitHighEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtWaitLowEventPair(HANDLE EventPairHandle);
NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount, LONG MaximumCount);
NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount);
NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                              BOOLEAN InitialOwner);
NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount);
NTSTATUS NTAPI NtCreateTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             ULONG TimerType);
NTSTATUS NTAPI NtOpenTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtSetTimer(HANDLE TimerHandle, PLARGE_INTEGER DueTime, PVOID TimerApcRoutine, PVOID TimerContext,
                          BOOLEAN ResumeTimer, LONG Period, PBOOLEAN PreviousState);
NTSTATUS NTAPI NtCancelTimer(HANDLE TimerHandle, PBOOLEAN CurrentState);

/* files */
NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                            PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                            ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                            ULONG EaLength);
NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions);
NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                          PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                          PULONG Key);
NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                      ULONG Length, ULONG FileInformationClass);
NTSTATUS NTAPI NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                    ULONG Length, ULONG FileInformationClass);
NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                    ULONG FileInformationClass, BOOLEAN ReturnSingleEntry, PUNICODE_STRING FileName,
                                    BOOLEAN RestartScan);

/* memory */
NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect);
NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType);
NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect);
NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, ULONG MemoryInformationClass,
                                    PVOID MemoryInformation, SIZE_T Length, PSIZE_T ReturnLength);
NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T Length,
                                   PSIZE_T BytesRead);
NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer, SIZE_T Length,
                                    PSIZE_T BytesWritten);
NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                               PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection, ULONG AllocationAttributes,
                               HANDLE FileHandle);
NTSTATUS NTAPI NtOpenSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                  SIZE_T CommitSize, PLARGE_INTEGER SectionOffset, PSIZE_T ViewSize,
                                  ULONG InheritDisposition, ULONG AllocationType, ULONG Win32Protect);
NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress);

/* processes and threads */
NTSTATUS NTAPI NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                               HANDLE ParentProcess, BOOLEAN InheritObjectTable, HANDLE SectionHandle,
                               HANDLE DebugPort, HANDLE ExceptionPort);
NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                              HANDLE ProcessHandle, PCLIENT_ID ClientId, PVOID ThreadContext, PVOID InitialTeb,
                              BOOLEAN CreateSuspended);
NTSTATUS NTAPI NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                             PCLIENT_ID ClientId);
NTSTATUS NTAPI NtOpenThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                            PCLIENT_ID ClientId);
NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtTerminateThread(HANDLE ThreadHandle, NTSTATUS ExitStatus);
NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                         PVOID ProcessInformation, ULONG Length, PULONG ReturnLength);
NTSTATUS NTAPI NtQueryInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass, PVOID ThreadInformation,
                                        ULONG Length, PULONG ReturnLength);
NTSTATUS NTAPI NtResumeThread(HANDLE ThreadHandle, PULONG SuspendCount);
NTSTATUS NTAPI NtContinue(PVOID Context, BOOLEAN TestAlert);

/* system */
NTSTATUS NTAPI NtQuerySystemInformation(ULONG SystemInformationClass, PVOID SystemInformation, ULONG Length,
                                        PULONG ReturnLength);
NTSTATUS NTAPI NtRaiseHardError(NTSTATUS ErrorStatus, ULONG NumberOfParameters, ULONG UnicodeStringParameterMask,
                                PULONG_PTR Parameters, ULONG ValidResponseOptions, PULONG Response);
NTSTATUS NTAPI NtShutdownSystem(ULONG Action);
NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter, PLARGE_INTEGER PerformanceFrequency);

/* LPC (kernel/lpc) */
NTSTATUS NTAPI NtCreatePort(PHANDLE PortHandle, POBJECT_ATTRIBUTES ObjectAttributes, ULONG MaxConnectionInfoLength,
                            ULONG MaxMessageLength, ULONG MaxPoolUsage);
NTSTATUS NTAPI NtConnectPort(PHANDLE PortHandle, PUNICODE_STRING PortName, PVOID SecurityQos, PPORT_VIEW ClientView,
                             PREMOTE_PORT_VIEW ServerView, PULONG MaxMessageLength, PVOID ConnectionInformation,
                             PULONG ConnectionInformationLength);
NTSTATUS NTAPI NtListenPort(HANDLE PortHandle, PPORT_MESSAGE ConnectionRequest);
NTSTATUS NTAPI NtAcceptConnectPort(PHANDLE PortHandle, PVOID PortContext, PPORT_MESSAGE ConnectionRequest,
                                   BOOLEAN AcceptConnection, PPORT_VIEW ServerView, PREMOTE_PORT_VIEW ClientView);
NTSTATUS NTAPI NtCompleteConnectPort(HANDLE PortHandle);
NTSTATUS NTAPI NtRequestPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage);
NTSTATUS NTAPI NtRequestWaitReplyPort(HANDLE PortHandle, PPORT_MESSAGE RequestMessage, PPORT_MESSAGE ReplyMessage);
NTSTATUS NTAPI NtReplyPort(HANDLE PortHandle, PPORT_MESSAGE ReplyMessage);
NTSTATUS NTAPI NtReplyWaitReceivePort(HANDLE PortHandle, PVOID *PortContext, PPORT_MESSAGE ReplyMessage,
                                      PPORT_MESSAGE ReceiveMessage);
/* When the calling thread ends, the kernel sends LPC_CLIENT_DIED (with the
 * thread's ClientId) through PortHandle, a communication port. */
NTSTATUS NTAPI NtRegisterThreadTerminatePort(HANDLE PortHandle);

/* primary tokens (kernel/se: only the SYSTEM bit so far) */
NTSTATUS NTAPI NtOpenProcessToken(HANDLE ProcessHandle, ACCESS_MASK DesiredAccess, PHANDLE TokenHandle);
/* Flags: DISABLE_MAX_PRIVILEGE (1) drops the SYSTEM rights; the lists must be NULL. */
NTSTATUS NTAPI NtFilterToken(HANDLE ExistingTokenHandle, ULONG Flags, PVOID SidsToDisable, PVOID PrivilegesToDelete,
                             PVOID RestrictedSids, PHANDLE NewTokenHandle);
/* Only ThreadEventPair (8): the HANDLE of an event pair becomes the
 * thread's own (NULL drops it), for the two calls below. */
NTSTATUS NTAPI NtSetInformationThread(HANDLE ThreadHandle, ULONG ThreadInformationClass, PVOID ThreadInformation,
                                      ULONG Length);
/* NT 3.51's quick-LPC calls: NtSetHighWaitLowEventPair and
 * NtSetLowWaitHighEventPair on the calling thread's own event pair, with
 * no handle to look up (STATUS_NO_EVENT_PAIR without one). */
NTSTATUS NTAPI NtSetHighWaitLowThread(VOID);
NTSTATUS NTAPI NtSetLowWaitHighThread(VOID);
/* Only ProcessAccessToken (9), with a PROCESS_ACCESS_TOKEN, before the process's first thread runs. */
NTSTATUS NTAPI NtSetInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass, PVOID ProcessInformation,
                                       ULONG Length);

#endif
