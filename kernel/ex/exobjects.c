/*
 * exobjects.c - the executive's waitable objects and their services:
 * Event, EventPair, Semaphore, Mutant and Timer.
 *
 * Why: each is a kernel dispatcher object (kernel/ke) wrapped as an object
 * manager type, so it can be named in \BaseNamedObjects, shared through
 * handles and waited on with NtWaitForSingleObject. The services only check
 * access, copy arguments through probe.c and call the Ke routine.
 */
#include "../include/ex.h"
#include "../include/ps.h"
#include "../include/ke.h"
#include "../include/ob.h"
#include "../include/probe.h"
#include <nt/ntapi.h>

#define EVENT_QUERY_STATE 0x0001
#define EVENT_MODIFY_STATE 0x0002
#define EVENT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define EVENT_PAIR_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE)
#define SEMAPHORE_QUERY_STATE 0x0001
#define SEMAPHORE_MODIFY_STATE 0x0002
#define SEMAPHORE_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)
#define MUTANT_QUERY_STATE 0x0001
#define MUTANT_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | MUTANT_QUERY_STATE)
#define TIMER_QUERY_STATE 0x0001
#define TIMER_MODIFY_STATE 0x0002
#define TIMER_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x3)

POBJECT_TYPE ExEventObjectType, ExEventPairObjectType, ExSemaphoreObjectType, ExMutantObjectType,
    ExTimerObjectType;

VOID KiAbandonMutants(PKTHREAD Thread);

static VOID delete_mutant(PVOID Object) {
    PKMUTANT m = Object;
    ULONG s = KiAcquireDispatcherLock();
    if (m->OwnerThread) /* owned when its last reference went: unlink from the owner */
        RemoveEntryList(&m->MutantListEntry);
    KiReleaseDispatcherLock(s);
}

static VOID delete_timer(PVOID Object) {
    (void)KeCancelTimer(Object);
}

static NTSTATUS make_type(PCWSTR Name, ULONG Tag, ACCESS_MASK All, ACCESS_MASK Read, ACCESS_MASK Write,
                          VOID (*Delete)(PVOID), POBJECT_TYPE *Type) {
    OBJECT_TYPE init = {.PoolTag = Tag,
                        .ValidAccessMask = All,
                        .GenericMapping = {Read, Write, SYNCHRONIZE, All},
                        .DispatcherOffset = 0,
                        .DeleteProcedure = Delete};
    return ObCreateObjectType(Name, &init, Type);
}

NTSTATUS ExInitializeObjects(VOID) {
    NTSTATUS s;
    if (!NT_SUCCESS(s = make_type(L"Event", NT_TAG('E', 'v', 'e', 'n'), EVENT_ALL_ACCESS,
                                  READ_CONTROL | EVENT_QUERY_STATE, READ_CONTROL | EVENT_MODIFY_STATE, NULL,
                                  &ExEventObjectType)))
        return s;
    if (!NT_SUCCESS(s = make_type(L"EventPair", NT_TAG('E', 'v', 'P', 'a'), EVENT_PAIR_ALL_ACCESS,
                                  READ_CONTROL, READ_CONTROL, NULL, &ExEventPairObjectType)))
        return s;
    ExEventPairObjectType->DispatcherOffset = -1; /* wait on one half through the pair services */
    if (!NT_SUCCESS(s = make_type(L"Semaphore", NT_TAG('S', 'e', 'm', 'a'), SEMAPHORE_ALL_ACCESS,
                                  READ_CONTROL | SEMAPHORE_QUERY_STATE, READ_CONTROL | SEMAPHORE_MODIFY_STATE,
                                  NULL, &ExSemaphoreObjectType)))
        return s;
    if (!NT_SUCCESS(s = make_type(L"Mutant", NT_TAG('M', 'u', 't', 'a'), MUTANT_ALL_ACCESS,
                                  READ_CONTROL | MUTANT_QUERY_STATE, READ_CONTROL, delete_mutant,
                                  &ExMutantObjectType)))
        return s;
    return make_type(L"Timer", NT_TAG('T', 'i', 'm', 'e'), TIMER_ALL_ACCESS, READ_CONTROL | TIMER_QUERY_STATE,
                     READ_CONTROL | TIMER_MODIFY_STATE, delete_timer, &ExTimerObjectType);
}

/* References Handle as Type with Access for the calling mode. */
static NTSTATUS by_handle(HANDLE Handle, ACCESS_MASK Access, POBJECT_TYPE Type, PVOID *Object) {
    return ObReferenceObjectByHandle(Handle, Access, Type, KeGetPreviousMode(), Object, NULL);
}

/* Copies a LONG result out when the caller asked for one. */
static NTSTATUS put_long(PLONG Caller, LONG Value) {
    return Caller ? ExCopyToCaller(Caller, &Value, sizeof Value) : STATUS_SUCCESS;
}

/* ---- events ---- */

typedef struct {
    ULONG Type;
    BOOLEAN State;
} EVENT_INIT;
static NTSTATUS init_event(PVOID Body, PVOID Context) {
    EVENT_INIT *e = Context;
    if (e->Type > SynchronizationEvent)
        return STATUS_INVALID_PARAMETER;
    KeInitializeEvent(Body, (EVENT_TYPE)e->Type, e->State);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, ULONG EventType, BOOLEAN InitialState) {
    EVENT_INIT e = {EventType, InitialState};
    return ObpCreateNamedObject(EventHandle, DesiredAccess, ObjectAttributes, ExEventObjectType,
                                sizeof(KEVENT), init_event, &e);
}

NTSTATUS NTAPI NtOpenEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                           POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(EventHandle, DesiredAccess, ObjectAttributes, ExEventObjectType, 0);
}

/* NtSetEvent, NtResetEvent, NtPulseEvent: one shape, three Ke routines. */
static NTSTATUS event_op(HANDLE Handle, PLONG PreviousState, int Op) {
    PKEVENT ev;
    NTSTATUS status = by_handle(Handle, EVENT_MODIFY_STATE, ExEventObjectType, (PVOID *)&ev);
    if (!NT_SUCCESS(status))
        return status;
    LONG old = Op == 0   ? KeSetEvent(ev, EVENT_INCREMENT, FALSE)
               : Op == 1 ? KeResetEvent(ev)
                         : KePulseEvent(ev, EVENT_INCREMENT, FALSE);
    ObDereferenceObject(ev);
    return put_long(PreviousState, old);
}

NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return event_op(EventHandle, PreviousState, 0);
}
NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState) {
    return event_op(EventHandle, PreviousState, 1);
}
NTSTATUS NTAPI NtPulseEvent(HANDLE EventHandle, PLONG PreviousState) {
    return event_op(EventHandle, PreviousState, 2);
}
NTSTATUS NTAPI NtClearEvent(HANDLE EventHandle) {
    return event_op(EventHandle, NULL, 1);
}

/* ---- event pairs ---- */

static NTSTATUS init_pair(PVOID Body, PVOID Context) {
    (void)Context;
    KeInitializeEventPair(Body);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateEventPair(PHANDLE EventPairHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpCreateNamedObject(EventPairHandle, DesiredAccess, ObjectAttributes, ExEventPairObjectType,
                                sizeof(KEVENT_PAIR), init_pair, NULL);
}

NTSTATUS NTAPI NtOpenEventPair(PHANDLE EventPairHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(EventPairHandle, DesiredAccess, ObjectAttributes, ExEventPairObjectType, 0);
}

enum {
    PAIR_SET_HIGH_WAIT_LOW,
    PAIR_SET_LOW_WAIT_HIGH,
    PAIR_SET_HIGH,
    PAIR_SET_LOW,
    PAIR_WAIT_HIGH,
    PAIR_WAIT_LOW
};

static NTSTATUS pair_op(HANDLE Handle, int Op) {
    PKEVENT_PAIR pair;
    NTSTATUS status = by_handle(Handle, SYNCHRONIZE, ExEventPairObjectType, (PVOID *)&pair);
    if (!NT_SUCCESS(status))
        return status;
    KPROCESSOR_MODE mode = KeGetPreviousMode();
    switch (Op) {
    case PAIR_SET_HIGH_WAIT_LOW: status = KeSetHighWaitLowEventPair(pair, mode); break;
    case PAIR_SET_LOW_WAIT_HIGH: status = KeSetLowWaitHighEventPair(pair, mode); break;
    case PAIR_SET_HIGH: KeSetEvent(&pair->EventHigh, EVENT_INCREMENT, FALSE); break;
    case PAIR_SET_LOW: KeSetEvent(&pair->EventLow, EVENT_INCREMENT, FALSE); break;
    case PAIR_WAIT_HIGH: status = KeWaitForSingleObject(&pair->EventHigh, mode, FALSE, NULL); break;
    default: status = KeWaitForSingleObject(&pair->EventLow, mode, FALSE, NULL); break;
    }
    ObDereferenceObject(pair);
    return status;
}

NTSTATUS NTAPI NtSetHighWaitLowEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_SET_HIGH_WAIT_LOW);
}
NTSTATUS NTAPI NtSetLowWaitHighEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_SET_LOW_WAIT_HIGH);
}
/* NT 3.51's quick-LPC fast path: the pair is the calling thread's own
 * (NtSetInformationThread(ThreadEventPair)), referenced for as long as the
 * thread keeps it, so no handle is looked up and nothing is referenced. */
static PKEVENT_PAIR thread_pair(VOID) {
    PKTHREAD t = KeGetCurrentThread();
    return t->Teb ? CONTAINING_RECORD(t, ETHREAD, Tcb)->EventPair : NULL;
}

NTSTATUS NTAPI NtSetHighWaitLowThread(VOID) {
    PKEVENT_PAIR pair = thread_pair();
    return pair ? KeSetHighWaitLowEventPair(pair, KeGetPreviousMode()) : STATUS_NO_EVENT_PAIR;
}

NTSTATUS NTAPI NtSetLowWaitHighThread(VOID) {
    PKEVENT_PAIR pair = thread_pair();
    return pair ? KeSetLowWaitHighEventPair(pair, KeGetPreviousMode()) : STATUS_NO_EVENT_PAIR;
}

NTSTATUS NTAPI NtSetHighEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_SET_HIGH);
}
NTSTATUS NTAPI NtSetLowEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_SET_LOW);
}
NTSTATUS NTAPI NtWaitHighEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_WAIT_HIGH);
}
NTSTATUS NTAPI NtWaitLowEventPair(HANDLE EventPairHandle) {
    return pair_op(EventPairHandle, PAIR_WAIT_LOW);
}

/* ---- semaphores ---- */

typedef struct {
    LONG Count, Limit;
} SEMAPHORE_INIT;
static NTSTATUS init_semaphore(PVOID Body, PVOID Context) {
    SEMAPHORE_INIT *s = Context;
    if (s->Limit <= 0 || s->Count < 0 || s->Count > s->Limit)
        return STATUS_INVALID_PARAMETER;
    KeInitializeSemaphore(Body, s->Count, s->Limit);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes, LONG InitialCount, LONG MaximumCount) {
    SEMAPHORE_INIT s = {InitialCount, MaximumCount};
    return ObpCreateNamedObject(SemaphoreHandle, DesiredAccess, ObjectAttributes, ExSemaphoreObjectType,
                                sizeof(KSEMAPHORE), init_semaphore, &s);
}

NTSTATUS NTAPI NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(SemaphoreHandle, DesiredAccess, ObjectAttributes, ExSemaphoreObjectType, 0);
}

NTSTATUS NTAPI NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount) {
    PKSEMAPHORE sem;
    NTSTATUS status =
        by_handle(SemaphoreHandle, SEMAPHORE_MODIFY_STATE, ExSemaphoreObjectType, (PVOID *)&sem);
    if (!NT_SUCCESS(status))
        return status;
    LONG previous = 0;
    status = KeReleaseSemaphore(sem, SEMAPHORE_INCREMENT, ReleaseCount, &previous);
    ObDereferenceObject(sem);
    return NT_SUCCESS(status) ? put_long(PreviousCount, previous) : status;
}

/* ---- mutants ---- */

static NTSTATUS init_mutant(PVOID Body, PVOID Context) {
    KeInitializeMutant(Body, *(BOOLEAN *)Context);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, BOOLEAN InitialOwner) {
    return ObpCreateNamedObject(MutantHandle, DesiredAccess, ObjectAttributes, ExMutantObjectType,
                                sizeof(KMUTANT), init_mutant, &InitialOwner);
}

NTSTATUS NTAPI NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess,
                            POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(MutantHandle, DesiredAccess, ObjectAttributes, ExMutantObjectType, 0);
}

NTSTATUS NTAPI NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount) {
    PKMUTANT m;
    NTSTATUS status = by_handle(MutantHandle, 0, ExMutantObjectType, (PVOID *)&m);
    if (!NT_SUCCESS(status))
        return status;
    LONG previous = 0;
    status = KeReleaseMutant(m, MUTANT_INCREMENT, FALSE, &previous);
    ObDereferenceObject(m);
    return NT_SUCCESS(status) ? put_long(PreviousCount, previous) : status;
}

/* ---- timers ---- */

static NTSTATUS init_timer(PVOID Body, PVOID Context) {
    ULONG type = *(ULONG *)Context;
    if (type > SynchronizationTimer)
        return STATUS_INVALID_PARAMETER;
    KeInitializeTimer(Body, (TIMER_TYPE)type);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, ULONG TimerType) {
    return ObpCreateNamedObject(TimerHandle, DesiredAccess, ObjectAttributes, ExTimerObjectType,
                                sizeof(KTIMER), init_timer, &TimerType);
}

NTSTATUS NTAPI NtOpenTimer(PHANDLE TimerHandle, ACCESS_MASK DesiredAccess,
                           POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(TimerHandle, DesiredAccess, ObjectAttributes, ExTimerObjectType, 0);
}

/* Timer APC routines need user APCs, which this kernel does not deliver yet:
 * a call that names one is refused rather than silently ignored. */
NTSTATUS NTAPI NtSetTimer(HANDLE TimerHandle, PLARGE_INTEGER DueTime, PVOID TimerApcRoutine,
                          PVOID TimerContext, BOOLEAN ResumeTimer, LONG Period, PBOOLEAN PreviousState) {
    (void)TimerContext;
    (void)ResumeTimer;
    if (TimerApcRoutine)
        return STATUS_NOT_IMPLEMENTED;
    if (Period < 0)
        return STATUS_INVALID_PARAMETER;
    LARGE_INTEGER due;
    NTSTATUS status = ExCopyFromCaller(&due, DueTime, sizeof due);
    if (!NT_SUCCESS(status))
        return status;
    PKTIMER timer;
    status = by_handle(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, (PVOID *)&timer);
    if (!NT_SUCCESS(status))
        return status;
    BOOLEAN state = timer->Header.SignalState != 0;
    KeSetTimer(timer, due, (ULONG)Period);
    ObDereferenceObject(timer);
    return PreviousState ? ExCopyToCaller(PreviousState, &state, sizeof state) : STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCancelTimer(HANDLE TimerHandle, PBOOLEAN CurrentState) {
    PKTIMER timer;
    NTSTATUS status = by_handle(TimerHandle, TIMER_MODIFY_STATE, ExTimerObjectType, (PVOID *)&timer);
    if (!NT_SUCCESS(status))
        return status;
    KeCancelTimer(timer);
    BOOLEAN state = timer->Header.SignalState != 0;
    ObDereferenceObject(timer);
    return CurrentState ? ExCopyToCaller(CurrentState, &state, sizeof state) : STATUS_SUCCESS;
}
