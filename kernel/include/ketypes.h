/*
 * ketypes.h - the kernel's scheduling objects: threads, processes and the
 * dispatcher objects a thread can wait on.
 *
 * Why: NT's dispatcher is built on one idea: every waitable object begins
 * with a DISPATCHER_HEADER (a signal state and a list of wait blocks), and a
 * thread waits by hanging one KWAIT_BLOCK on each object it waits for. The
 * same wait code then serves events, semaphores, mutants, timers, threads
 * and processes. Names and fields follow NT's KTHREAD/KPROCESS where NT has
 * them; this kernel is uniprocessor, so the dispatcher "lock" is interrupts
 * off (KiAcquireDispatcherLock).
 */
#ifndef KERNEL_KETYPES_H
#define KERNEL_KETYPES_H

#include <nt/list.h>
#include <nt/ntexapi.h>
#include <nt/ntstatus.h>

typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    SemaphoreObject = 5,
    ThreadObject = 6,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
} KOBJECTS;

typedef enum _EVENT_TYPE { NotificationEvent = 0, SynchronizationEvent = 1 } EVENT_TYPE;
typedef enum _TIMER_TYPE { NotificationTimer = 0, SynchronizationTimer = 1 } TIMER_TYPE;
typedef enum _WAIT_TYPE { WaitAll = 0, WaitAny = 1 } WAIT_TYPE;
typedef enum _KPROCESSOR_MODE { KernelMode = 0, UserMode = 1 } KPROCESSOR_MODE;

typedef enum _KTHREAD_STATE {
    Initialized = 0,
    Ready = 1,
    Running = 2,
    Standby = 3,
    Terminated = 4,
    Waiting = 5,
} KTHREAD_STATE;

#define MAXIMUM_WAIT_OBJECTS 64
#define THREAD_WAIT_OBJECTS 3 /* wait blocks built into every thread */

#define LOW_PRIORITY 0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY 31
#define MAXIMUM_PRIORITY 32

/* Priority increments on wake (NT's values). */
#define EVENT_INCREMENT 1
#define SEMAPHORE_INCREMENT 1
#define MUTANT_INCREMENT 1
#define IO_NO_INCREMENT 0

#define STATUS_WAIT_0 ((NTSTATUS)0x00000000)
#define STATUS_ABANDONED_WAIT_0 ((NTSTATUS)0x00000080)
#define STATUS_USER_APC ((NTSTATUS)0x000000C0)
#define STATUS_ALERTED ((NTSTATUS)0x00000101)
#define STATUS_MUTANT_NOT_OWNED ((NTSTATUS)0xC0000046)
#define STATUS_SEMAPHORE_LIMIT_EXCEEDED ((NTSTATUS)0xC0000047)
#define STATUS_MUTANT_LIMIT_EXCEEDED ((NTSTATUS)0xC0000191)
#define STATUS_THREAD_IS_TERMINATING ((NTSTATUS)0xC000004B)

typedef struct _DISPATCHER_HEADER {
    UCHAR Type; /* KOBJECTS */
    UCHAR Absolute;
    UCHAR Inserted;
    UCHAR Reserved;
    LONG SignalState;
    LIST_ENTRY WaitListHead;
} DISPATCHER_HEADER;

struct _KTHREAD;

typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry; /* on the object's WaitListHead */
    struct _KTHREAD *Thread;
    DISPATCHER_HEADER *Object;
    struct _KWAIT_BLOCK *NextWaitBlock; /* circular among the thread's blocks */
    USHORT WaitKey;                     /* index of the object in the wait */
    USHORT WaitType;                    /* WaitAll or WaitAny */
} KWAIT_BLOCK, *PKWAIT_BLOCK;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT;

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;
    LONG Limit;
} KSEMAPHORE, *PKSEMAPHORE;

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header; /* SignalState 1 = free; <= 0 = owned, -recursion+1 */
    LIST_ENTRY MutantListEntry; /* on the owner's MutantListHead */
    struct _KTHREAD *OwnerThread;
    BOOLEAN Abandoned;
} KMUTANT, *PKMUTANT;

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULONGLONG DueTick;  /* absolute clock tick */
    LIST_ENTRY TimerListEntry;
    ULONG PeriodTicks;  /* 0: one-shot */
} KTIMER, *PKTIMER;

/* NT's event pair: the client sets High and waits on Low, the server the
 * reverse. Quick LPC (issue 4) is built on it. */
typedef struct _KEVENT_PAIR {
    KEVENT EventLow;
    KEVENT EventHigh;
} KEVENT_PAIR, *PKEVENT_PAIR;

typedef struct _KPROCESS {
    DISPATCHER_HEADER Header; /* signalled when the process has exited */
    ULONG DirectoryTableBase; /* physical address of the page directory */
    LIST_ENTRY ThreadListHead;
    UCHAR BasePriority;
    ULONG ThreadCount;
} KPROCESS, *PKPROCESS;

typedef VOID (*PKSTART_ROUTINE)(PVOID StartContext);

typedef struct _KTHREAD {
    DISPATCHER_HEADER Header; /* signalled when the thread has terminated */
    LIST_ENTRY ThreadListEntry; /* on the process's ThreadListHead */
    LIST_ENTRY QueueEntry;      /* on a ready queue */
    ULONG KernelStack;          /* saved ESP while switched out */
    ULONG_PTR StackBase;        /* top of the kernel stack (highest address) */
    ULONG_PTR StackLimit;       /* lowest usable address */
    PKPROCESS Process;
    PKPROCESS ApcStateProcess;  /* whose address space is loaded (KeAttachProcess) */
    PVOID Teb;                  /* user-mode TEB, or NULL for a system thread */
    UCHAR State;                /* KTHREAD_STATE */
    CHAR Priority;
    CHAR BasePriority;
    CHAR Quantum;               /* clock ticks left in the time slice */
    BOOLEAN Alertable;
    UCHAR WaitMode;
    UCHAR PreviousMode;         /* who called the running service: KernelMode or UserMode */
    BOOLEAN TimerInserted;
    BOOLEAN TerminatePending;
    NTSTATUS WaitStatus;
    PKWAIT_BLOCK WaitBlockList;
    KWAIT_BLOCK WaitBlock[THREAD_WAIT_OBJECTS + 1];
    ULONGLONG WaitDueTick;
    LIST_ENTRY WaitTimerEntry; /* on KiWaitTimerList while a timed wait runs */
    LIST_ENTRY MutantListHead; /* mutants this thread owns */
    ULONG_PTR FaultRecovery;   /* where a faulting probe of user memory resumes */
    struct _KTRAP_FRAME *TrapFrame; /* the user frame of the service running now */
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    SYSTEM_EVENT_COUNTERS Counters; /* this thread's share of the events (KeCountEvent) */
} KTHREAD, *PKTHREAD;

#endif
