/*
 * synch.c - waits, Sleep, events, mutexes, semaphores, critical sections
 * and the Interlocked functions.
 *
 * Why: each Win32 synchronization object is an NT executive object under
 * another name (an event is an event, a mutex a mutant, a semaphore a
 * semaphore), so these functions are thin: they translate Win32's
 * conventions into NT's and back. Timeouts in milliseconds become NT's
 * negative (relative) 100 ns counts, INFINITE becomes no timeout at all;
 * NT's wait statuses become WAIT_OBJECT_0 + n, WAIT_ABANDONED_0 + n,
 * WAIT_TIMEOUT, WAIT_IO_COMPLETION or WAIT_FAILED. Named objects live in
 * \BaseNamedObjects (which the kernel creates at boot); creating one whose
 * name exists opens it and says ERROR_ALREADY_EXISTS, as NT does. Critical
 * sections are ntdll's.
 */
#include "k32p.h"

#define MUTANT_ALL_ACCESS 0x001F0001
#define SEMAPHORE_ALL_ACCESS 0x001F0003
#define WAIT_TYPE_ALL 0 /* NT's WaitAll */
#define WAIT_TYPE_ANY 1 /* NT's WaitAny */
#define NOTIFICATION_EVENT 0
#define SYNCHRONIZATION_EVENT 1
#define CREATE_EVENT_MANUAL_RESET 0x1
#define CREATE_EVENT_INITIAL_SET 0x2

PLARGE_INTEGER BaseFormatTimeOut(PLARGE_INTEGER Timeout, DWORD Milliseconds) {
    if (Milliseconds == INFINITE)
        return NULL;
    Timeout->QuadPart = -(LONGLONG)Milliseconds * 10000;
    return Timeout;
}

POBJECT_ATTRIBUTES BasepFormatObjectAttributes(POBJECT_ATTRIBUTES Attributes, LPSECURITY_ATTRIBUTES Security,
                                               PCWSTR Name, PUNICODE_STRING NameString, PWSTR NameBuffer) {
    static const WCHAR root[] = L"\\BaseNamedObjects\\";
    ULONG flags = (Security != NULL && Security->bInheritHandle) ? OBJ_INHERIT : 0;
    PUNICODE_STRING name = NULL;
    if (Name != NULL) {
        ULONG n = 0;
        for (; root[n] != 0; n++)
            NameBuffer[n] = root[n];
        for (ULONG i = 0; Name[i] != 0 && n + 1 < BASEP_OBJECT_NAME_MAX; i++)
            NameBuffer[n++] = Name[i];
        NameBuffer[n] = 0;
        RtlInitUnicodeString(NameString, NameBuffer);
        name = NameString;
        flags |= OBJ_OPENIF;
    }
    InitializeObjectAttributes(Attributes, name, flags, NULL,
                               Security != NULL ? Security->lpSecurityDescriptor : NULL);
    return Attributes;
}

BOOL BasepWidenName(LPCSTR Name, PWSTR Buffer, PCWSTR *Wide) {
    *Wide = NULL;
    if (Name == NULL)
        return TRUE;
    if (!BasepAnsiToWide(Name, Buffer, BASEP_OBJECT_NAME_MAX)) {
        SetLastError(ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    *Wide = Buffer;
    return TRUE;
}

/* The common end of every Create*: the handle, with the last error saying
 * whether the name existed; NULL and the error on failure. */
static HANDLE created(NTSTATUS Status, HANDLE Handle) {
    if (!NT_SUCCESS(Status)) {
        BaseSetLastNTError(Status);
        return NULL;
    }
    SetLastError(Status == STATUS_OBJECT_NAME_EXISTS ? ERROR_ALREADY_EXISTS : ERROR_SUCCESS);
    return Handle;
}

/* Open* by name (OpenEvent, OpenMutex, OpenSemaphore): Open is the NT
 * service of the object's type. A NULL name is refused, as NT does. */
typedef NTSTATUS(NTAPI *OPEN_SERVICE)(PHANDLE Handle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES Attributes);
static HANDLE open_named(OPEN_SERVICE Open, DWORD DesiredAccess, BOOL Inherit, PCWSTR Name) {
    if (Name == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, Inherit};
    BasepFormatObjectAttributes(&oa, &sa, Name, &name, buffer);
    oa.Attributes &= ~(ULONG)OBJ_OPENIF;
    HANDLE h = NULL;
    NTSTATUS status = Open(&h, DesiredAccess, &oa);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }
    return h;
}

/* ---- waits ---- */

/* An NT wait status as a Win32 wait result. */
static DWORD wait_result(NTSTATUS Status) {
    if (Status >= STATUS_WAIT_0 && Status < STATUS_WAIT_0 + MAXIMUM_WAIT_OBJECTS)
        return (DWORD)Status;
    if (Status >= STATUS_ABANDONED_WAIT_0 && Status < STATUS_ABANDONED_WAIT_0 + MAXIMUM_WAIT_OBJECTS)
        return WAIT_ABANDONED_0 + (DWORD)(Status - STATUS_ABANDONED_WAIT_0);
    if (Status == STATUS_TIMEOUT)
        return WAIT_TIMEOUT;
    if (Status == STATUS_USER_APC || Status == STATUS_ALERTED)
        return WAIT_IO_COMPLETION;
    BaseSetLastNTError(Status);
    return WAIT_FAILED;
}

DWORD WINAPI WaitForSingleObjectEx(HANDLE Handle, DWORD Milliseconds, BOOL Alertable) {
    if (BasepIsConsoleHandle(Handle))
        return WAIT_OBJECT_0; /* console input: never anything to wait for yet */
    LARGE_INTEGER timeout;
    return wait_result(
        NtWaitForSingleObject(Handle, Alertable ? TRUE : FALSE, BaseFormatTimeOut(&timeout, Milliseconds)));
}

DWORD WINAPI WaitForSingleObject(HANDLE Handle, DWORD Milliseconds) {
    return WaitForSingleObjectEx(Handle, Milliseconds, FALSE);
}

DWORD WINAPI WaitForMultipleObjectsEx(DWORD Count, const HANDLE *Handles, BOOL WaitAll, DWORD Milliseconds,
                                      BOOL Alertable) {
    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS || Handles == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    HANDLE copy[MAXIMUM_WAIT_OBJECTS];
    for (DWORD i = 0; i < Count; i++)
        copy[i] = Handles[i];
    LARGE_INTEGER timeout;
    return wait_result(NtWaitForMultipleObjects(Count, copy, WaitAll ? WAIT_TYPE_ALL : WAIT_TYPE_ANY,
                                                Alertable ? TRUE : FALSE,
                                                BaseFormatTimeOut(&timeout, Milliseconds)));
}

DWORD WINAPI WaitForMultipleObjects(DWORD Count, const HANDLE *Handles, BOOL WaitAll, DWORD Milliseconds) {
    return WaitForMultipleObjectsEx(Count, Handles, WaitAll, Milliseconds, FALSE);
}

/* Sleep(INFINITE) sleeps for ever (NT's most negative interval); Sleep(0)
 * gives up the rest of the time slice. Returns WAIT_IO_COMPLETION when an
 * alertable sleep was ended by an APC (never yet: there are none), else 0. */
DWORD WINAPI SleepEx(DWORD Milliseconds, BOOL Alertable) {
    LARGE_INTEGER interval;
    if (Milliseconds == INFINITE)
        interval.QuadPart = (LONGLONG)0x8000000000000000ULL;
    else
        interval.QuadPart = -(LONGLONG)Milliseconds * 10000;
    NTSTATUS status = NtDelayExecution(Alertable ? TRUE : FALSE, &interval);
    return (status == STATUS_USER_APC || status == STATUS_ALERTED) ? WAIT_IO_COMPLETION : 0;
}

VOID WINAPI Sleep(DWORD Milliseconds) {
    SleepEx(Milliseconds, FALSE);
}

BOOL WINAPI SwitchToThread(VOID) {
    return NtYieldExecution() == STATUS_SUCCESS;
}

/* ---- events ---- */

HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES Security, BOOL ManualReset, BOOL InitialState,
                           LPCWSTR Name) {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    HANDLE h = NULL;
    BasepFormatObjectAttributes(&oa, Security, Name, &name, buffer);
    NTSTATUS status =
        NtCreateEvent(&h, EVENT_ALL_ACCESS, &oa, ManualReset ? NOTIFICATION_EVENT : SYNCHRONIZATION_EVENT,
                      InitialState ? TRUE : FALSE);
    return created(status, h);
}

HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES Security, BOOL ManualReset, BOOL InitialState, LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return CreateEventW(Security, ManualReset, InitialState, wide);
}

HANDLE WINAPI CreateEventExW(LPSECURITY_ATTRIBUTES Security, LPCWSTR Name, DWORD Flags, DWORD Access) {
    (void)Access;
    return CreateEventW(Security, (Flags & CREATE_EVENT_MANUAL_RESET) != 0,
                        (Flags & CREATE_EVENT_INITIAL_SET) != 0, Name);
}

HANDLE WINAPI OpenEventW(DWORD DesiredAccess, BOOL InheritHandle, LPCWSTR Name) {
    return open_named(NtOpenEvent, DesiredAccess, InheritHandle, Name);
}

HANDLE WINAPI OpenEventA(DWORD DesiredAccess, BOOL InheritHandle, LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return OpenEventW(DesiredAccess, InheritHandle, wide);
}

static BOOL bool_status(NTSTATUS Status) {
    if (NT_SUCCESS(Status))
        return TRUE;
    BaseSetLastNTError(Status);
    return FALSE;
}

BOOL WINAPI SetEvent(HANDLE Event) {
    return bool_status(NtSetEvent(Event, NULL));
}

BOOL WINAPI ResetEvent(HANDLE Event) {
    return bool_status(NtClearEvent(Event));
}

BOOL WINAPI PulseEvent(HANDLE Event) {
    return bool_status(NtPulseEvent(Event, NULL));
}

/* ---- mutexes ---- */

HANDLE WINAPI CreateMutexW(LPSECURITY_ATTRIBUTES Security, BOOL InitialOwner, LPCWSTR Name) {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    HANDLE h = NULL;
    BasepFormatObjectAttributes(&oa, Security, Name, &name, buffer);
    NTSTATUS status = NtCreateMutant(&h, MUTANT_ALL_ACCESS, &oa, InitialOwner ? TRUE : FALSE);
    return created(status, h);
}

HANDLE WINAPI CreateMutexA(LPSECURITY_ATTRIBUTES Security, BOOL InitialOwner, LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return CreateMutexW(Security, InitialOwner, wide);
}

HANDLE WINAPI OpenMutexW(DWORD DesiredAccess, BOOL InheritHandle, LPCWSTR Name) {
    return open_named(NtOpenMutant, DesiredAccess, InheritHandle, Name);
}

HANDLE WINAPI OpenMutexA(DWORD DesiredAccess, BOOL InheritHandle, LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return OpenMutexW(DesiredAccess, InheritHandle, wide);
}

BOOL WINAPI ReleaseMutex(HANDLE Mutex) {
    return bool_status(NtReleaseMutant(Mutex, NULL));
}

/* ---- semaphores ---- */

HANDLE WINAPI CreateSemaphoreW(LPSECURITY_ATTRIBUTES Security, LONG InitialCount, LONG MaximumCount,
                               LPCWSTR Name) {
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    HANDLE h = NULL;
    BasepFormatObjectAttributes(&oa, Security, Name, &name, buffer);
    NTSTATUS status = NtCreateSemaphore(&h, SEMAPHORE_ALL_ACCESS, &oa, InitialCount, MaximumCount);
    return created(status, h);
}

HANDLE WINAPI CreateSemaphoreA(LPSECURITY_ATTRIBUTES Security, LONG InitialCount, LONG MaximumCount,
                               LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return CreateSemaphoreW(Security, InitialCount, MaximumCount, wide);
}

HANDLE WINAPI OpenSemaphoreW(DWORD DesiredAccess, BOOL InheritHandle, LPCWSTR Name) {
    return open_named(NtOpenSemaphore, DesiredAccess, InheritHandle, Name);
}

HANDLE WINAPI OpenSemaphoreA(DWORD DesiredAccess, BOOL InheritHandle, LPCSTR Name) {
    WCHAR buffer[BASEP_OBJECT_NAME_MAX];
    PCWSTR wide;
    if (!BasepWidenName(Name, buffer, &wide))
        return NULL;
    return OpenSemaphoreW(DesiredAccess, InheritHandle, wide);
}

BOOL WINAPI ReleaseSemaphore(HANDLE Semaphore, LONG ReleaseCount, LPLONG PreviousCount) {
    return bool_status(NtReleaseSemaphore(Semaphore, ReleaseCount, PreviousCount));
}

/* ---- critical sections (ntdll's) ---- */

VOID WINAPI InitializeCriticalSection(LPCRITICAL_SECTION CriticalSection) {
    (void)RtlInitializeCriticalSection(CriticalSection);
}

BOOL WINAPI InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION CriticalSection, DWORD SpinCount) {
    return bool_status(RtlInitializeCriticalSectionAndSpinCount(CriticalSection, SpinCount));
}

BOOL WINAPI InitializeCriticalSectionEx(LPCRITICAL_SECTION CriticalSection, DWORD SpinCount, DWORD Flags) {
    (void)Flags;
    return bool_status(RtlInitializeCriticalSectionAndSpinCount(CriticalSection, SpinCount));
}

VOID WINAPI EnterCriticalSection(LPCRITICAL_SECTION CriticalSection) {
    (void)RtlEnterCriticalSection(CriticalSection);
}

BOOL WINAPI TryEnterCriticalSection(LPCRITICAL_SECTION CriticalSection) {
    return RtlTryEnterCriticalSection(CriticalSection);
}

VOID WINAPI LeaveCriticalSection(LPCRITICAL_SECTION CriticalSection) {
    (void)RtlLeaveCriticalSection(CriticalSection);
}

VOID WINAPI DeleteCriticalSection(LPCRITICAL_SECTION CriticalSection) {
    (void)RtlDeleteCriticalSection(CriticalSection);
}

/* The old spin count; the count is only used on multiprocessors. */
DWORD WINAPI SetCriticalSectionSpinCount(LPCRITICAL_SECTION CriticalSection, DWORD SpinCount) {
    DWORD old = (DWORD)CriticalSection->SpinCount;
    CriticalSection->SpinCount = SpinCount;
    return old;
}

/* ---- interlocked ---- */

LONG WINAPI InterlockedIncrement(LONG volatile *Addend) {
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedDecrement(LONG volatile *Addend) {
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedExchange(LONG volatile *Target, LONG Value) {
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedExchangeAdd(LONG volatile *Addend, LONG Value) {
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}

LONG WINAPI InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comparand) {
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, FALSE, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comparand;
}
