/*
 * ke.h - the kernel proper: processor tables, traps, interrupts, the clock
 * and bug checks.
 *
 * Why: NT's Ke layer is the part that knows the processor. Selectors follow
 * NT's own GDT (KGDT_R0_CODE = 0x08 ... KGDT_DF_TSS = 0x50) and IRQs are
 * remapped to NT's PRIMARY_VECTOR_BASE (0x30), so a reader who knows NT's
 * numbers finds them here unchanged.
 */
#ifndef KERNEL_KE_H
#define KERNEL_KE_H

#include <nt/bugcodes.h>
#include <nt/ntstatus.h>
#include <nt/list.h>
#include "arc.h"
#include "ketypes.h"
#include "x86.h"

#define KGDT_NULL     0x00
#define KGDT_R0_CODE  0x08
#define KGDT_R0_DATA  0x10
#define KGDT_R3_CODE  0x18
#define KGDT_R3_DATA  0x20
#define KGDT_TSS      0x28
#define KGDT_R0_PCR   0x30
#define KGDT_R3_TEB   0x38
#define KGDT_DF_TSS   0x50
#define KGDT_NMI_TSS  0x58
#define KGDT_COUNT    12
#define RPL_USER      3

#define PRIMARY_VECTOR_BASE 0x30 /* IRQ 0 */
#define KI_IRQ_COUNT        16
#define KI_SYSCALL_VECTOR   0x2E
#define KI_DEBUG_SERVICE_VECTOR 0x2D /* DbgPrint from user mode (docs/processes.md) */

#define CLOCK_IRQ 0
#define CLOCK_HZ  100 /* NT's uniprocessor x86 clock: 10 ms */

/* The register frame every trap stub builds (see kernel/ke/trapstub.asm).
 * Field names follow NT's KTRAP_FRAME; the order is what the stub pushes. */
typedef struct _KTRAP_FRAME {
    ULONG Edi, Esi, Ebp, TempEsp, Ebx, Edx, Ecx, Eax; /* pushad */
    ULONG SegGs, SegFs, SegEs, SegDs;
    ULONG TrapNumber;
    ULONG ErrCode;
    ULONG Eip, SegCs, EFlags; /* pushed by the processor */
    ULONG HardwareEsp, HardwareSegSs; /* only from ring 3 */
} KTRAP_FRAME, *PKTRAP_FRAME;

/* Processor control block: the scheduler's per-processor state. */
typedef struct _KPRCB {
    PKTHREAD CurrentThread;
    PKTHREAD IdleThread;
    BOOLEAN NeedReschedule;      /* a better thread is ready: switch at the next chance */
    ULONG InterruptNesting;      /* > 0 while an interrupt handler runs */
    ULONG DirectHandoffs;        /* event-pair switches that skipped the ready queue */
    SYSTEM_EVENT_COUNTERS Counters; /* the system's events since boot (KeCountEvent) */
} KPRCB, *PKPRCB;

/* Processor control region, reached through fs:[0] in kernel mode. The first
 * fields sit at NT's offsets (Self at 0x1C, Irql at 0x24, IDT at 0x38). */
typedef struct _KPCR {
    ULONG NtTib[7];
    struct _KPCR *SelfPcr; /* 0x1C */
    PVOID Prcb;            /* 0x20 */
    UCHAR Irql;            /* 0x24 */
    UCHAR Pad[3];
    ULONG Irr, IrrActive, Idr;
    PVOID KdVersionBlock;
    PVOID IDT; /* 0x38 */
    PVOID GDT; /* 0x3C */
    PVOID TSS; /* 0x40 */
    USHORT MajorVersion, MinorVersion;
    ULONG Number;
    ULONGLONG InterruptCount;
    KPRCB PrcbData;
} KPCR, *PKPCR;
#if defined(__i386__) /* the host unit tests see 64-bit pointers */
_Static_assert(__builtin_offsetof(KPCR, IDT) == 0x38, "KPCR.IDT at NT's offset");
#endif

extern KPCR KiPcr;

/* Offsets the assembly system-service path (kernel/ke/svcentry.asm) uses;
 * checked here so a change of layout cannot go unnoticed. */
#define KTRAP_FRAME_EBP 8
#define KTRAP_FRAME_EDX 20
#define KTRAP_FRAME_EAX 28
#define KTRAP_FRAME_SEGCS 60
#define KPCR_CURRENT_THREAD 0x54
#define KPCR_NEED_RESCHEDULE 0x5C
#define KPCR_SYSTEM_CALLS 0x68
#define KTHREAD_PREVIOUS_MODE 0x3E
#define KTHREAD_TERMINATE_PENDING 0x40
#define KTHREAD_FAULT_RECOVERY 0xC4
#define KTHREAD_TRAP_FRAME 0xC8
#define KTHREAD_SYSTEM_CALLS 0xD4
#if defined(__i386__) && !defined(KE_MEASURE_OFFSETS)
_Static_assert(__builtin_offsetof(KTRAP_FRAME, Ebp) == KTRAP_FRAME_EBP, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTRAP_FRAME, Edx) == KTRAP_FRAME_EDX, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTRAP_FRAME, Eax) == KTRAP_FRAME_EAX, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTRAP_FRAME, SegCs) == KTRAP_FRAME_SEGCS, "svcentry.asm");
_Static_assert(__builtin_offsetof(KPCR, PrcbData.CurrentThread) == KPCR_CURRENT_THREAD, "svcentry.asm");
_Static_assert(__builtin_offsetof(KPCR, PrcbData.NeedReschedule) == KPCR_NEED_RESCHEDULE, "svcentry.asm");
_Static_assert(__builtin_offsetof(KPCR, PrcbData.Counters.SystemCalls) == KPCR_SYSTEM_CALLS, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTHREAD, PreviousMode) == KTHREAD_PREVIOUS_MODE, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTHREAD, TerminatePending) == KTHREAD_TERMINATE_PENDING, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTHREAD, FaultRecovery) == KTHREAD_FAULT_RECOVERY, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTHREAD, TrapFrame) == KTHREAD_TRAP_FRAME, "svcentry.asm");
_Static_assert(__builtin_offsetof(KTHREAD, Counters.SystemCalls) == KTHREAD_SYSTEM_CALLS, "svcentry.asm");
#endif

/* Processor set-up (gdt.c, idt.c). */
VOID KiInitializeGdt(VOID);
VOID KiInitializeIdt(VOID);

/* Interrupt controller and clock (pic.c, clock.c). */
typedef VOID (*PKINTERRUPT_ROUTINE)(PKTRAP_FRAME TrapFrame);
VOID HalInitializePic(VOID);
VOID HalEnableSystemInterrupt(ULONG Irq);
NT_CHECK_RESULT NTSTATUS KeConnectInterrupt(ULONG Irq, PKINTERRUPT_ROUTINE Routine);
VOID KeInitializeClock(VOID);
ULONGLONG KeQueryTickCount(VOID);
/* Waits with interrupts on until Ticks clock ticks have passed. */
VOID KeDelayTicks(ULONG Ticks);
/* Measures the TSC's rate against the clock (phase 1, interrupts on). */
VOID KeCalibrateTsc(VOID);
extern ULONGLONG KeTscFrequency;

/* Interrupt masking around short critical sections on this uniprocessor
 * kernel: returns the previous state for KeRestoreInterrupts. Inline: they
 * are on every dispatcher and object-manager path. */
#ifdef __i386__
static inline ULONG KeDisableInterrupts(VOID) {
    ULONG flags = KiReadEflags();
    _disable();
    return flags & EFLAGS_IF;
}
static inline VOID KeRestoreInterrupts(ULONG State) {
    if (State & EFLAGS_IF)
        _enable();
}
#else /* the host unit tests supply their own (tests/unit/host_support.c) */
ULONG KeDisableInterrupts(VOID);
VOID KeRestoreInterrupts(ULONG State);
#endif

/* Bug checks (bugcheck.c). Never return. */
__attribute__((noreturn)) VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2,
                                            ULONG_PTR P3, ULONG_PTR P4);
__attribute__((noreturn)) VOID KeBugCheck(ULONG BugCheckCode);
__attribute__((noreturn)) VOID KiBugCheckWithTrapFrame(ULONG BugCheckCode, ULONG_PTR P1,
                                                       ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                                                       PKTRAP_FRAME TrapFrame);
PCSTR KeBugCheckName(ULONG BugCheckCode);

/* ---- event counters (DESIGN.md section 10; docs/benchmarks.md) ---- */

/* Adds Count to one SYSTEM_EVENT_COUNTERS field of the running thread and of
 * the system: KeCountEvent(LpcMessages, 1). A macro, not a call: these sit on
 * the paths the benchmark measures. Needs a current thread (true once the
 * scheduler is initialized, before any service or LPC runs). */
#define KeCountEvent(Field, Count)                                                                           \
    do {                                                                                                     \
        ULONG count_ = (Count);                                                                              \
        KiPcr.PrcbData.Counters.Field += count_;                                                             \
        KiPcr.PrcbData.CurrentThread->Counters.Field += count_;                                              \
    } while (0)
/* For the kernel-mode GDI host: one batch of Records records run, Bytes of
 * it copied in from the caller (counted as BytesCopied). */
VOID KeCountGdiBatch(ULONG Records, ULONG Bytes);

/* ---- threads and the dispatcher (thread.c, sched.c, wait.c) ---- */

#define KeGetCurrentThread() (KiPcr.PrcbData.CurrentThread)
#define KeGetPreviousMode() ((KPROCESSOR_MODE)KeGetCurrentThread()->PreviousMode)
#define KiAcquireDispatcherLock() KeDisableInterrupts()
VOID KiReleaseDispatcherLock(ULONG State);

#define KERNEL_STACK_PAGES 3
#define THREAD_QUANTUM 3 /* clock ticks in a time slice */

VOID KeInitializeProcess(PKPROCESS Process, UCHAR BasePriority, ULONG DirectoryTableBase);
/* Prepares Thread to run StartRoutine(StartContext) in kernel mode, or, when
 * UserFrame is given, to leave for user mode with that register frame. The
 * thread gets its own kernel stack (with a guard page); it is not ready
 * until KeReadyThread. */
NT_CHECK_RESULT NTSTATUS KeInitializeThread(PKTHREAD Thread, PKPROCESS Process, PKSTART_ROUTINE StartRoutine,
                                            PVOID StartContext, const KTRAP_FRAME *UserFrame, CHAR Priority);
VOID KeReadyThread(PKTHREAD Thread);
/* Ends the calling thread: signals it, abandons its mutants, never returns. */
__attribute__((noreturn)) VOID KeTerminateThread(NTSTATUS ExitStatus);
/* Frees a terminated thread's kernel stack. */
VOID KeDeleteThread(PKTHREAD Thread);
CHAR KeSetPriorityThread(PKTHREAD Thread, CHAR Priority);
VOID KeYieldExecution(VOID);
VOID KeAttachProcess(PKPROCESS Process);
VOID KeDetachProcess(VOID);
/* Makes the boot thread the idle thread (it keeps the boot stack). */
VOID KiInitializeScheduler(PKTHREAD IdleThread, PKPROCESS IdleProcess);
/* The idle thread's loop: runs ready threads, halts when there are none. */
__attribute__((noreturn)) VOID KiIdleLoop(VOID);
VOID KiSwapThreadTo(PKTHREAD Target);
VOID KiQuantumEnd(VOID);
VOID KiReadyThread(PKTHREAD Thread);
NTSTATUS KiSwapThread(VOID);
/* With the dispatcher lock held: the current thread waits on Object alone
 * (a wait-any with one wait block, no timeout) and gives the processor
 * straight to Woken, or, when that is NULL, to the best ready thread. The
 * wait's status once the thread runs again. Always inline: it is the middle
 * of both the event pairs' switch and LPC's send-and-wait, where a call
 * would cost 4 instructions a switch (measured). */
static inline __attribute__((always_inline)) NTSTATUS KiWaitAloneAndSwitch(PKTHREAD Thread, DISPATCHER_HEADER *Object, KPROCESSOR_MODE WaitMode,
                                            PKTHREAD Woken) {
    PKWAIT_BLOCK wb = &Thread->WaitBlock[0];
    wb->Thread = Thread;
    wb->Object = Object;
    wb->WaitKey = 0;
    wb->WaitType = WaitAny;
    wb->NextWaitBlock = wb;
    InsertTailList(&Object->WaitListHead, &wb->WaitListEntry);
    Thread->WaitBlockList = wb;
    Thread->State = Waiting;
    Thread->WaitMode = (UCHAR)WaitMode;
    Thread->WaitStatus = STATUS_WAIT_0;
    if (Woken)
        KiSwapThreadTo(Woken); /* the handoff: no ready queue */
    else
        KiSwapThread();
    return Thread->WaitStatus;
}
/* Clock-tick work: the time slice, timers and timed-out waits. */
VOID KiClockTick(VOID);
/* At a trap's end: switch if a better thread is ready and the interrupted
 * context may be preempted (user mode or the idle loop). */
VOID KiCheckPreemption(PKTRAP_FRAME TrapFrame);

NTSTATUS KeWaitForSingleObject(PVOID Object, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Timeout);
/* Waits for Count objects. WaitBlockArray may be NULL when Count is at most
 * THREAD_WAIT_OBJECTS; otherwise it must hold Count blocks. */
NTSTATUS KeWaitForMultipleObjects(ULONG Count, PVOID Object[], WAIT_TYPE WaitType, KPROCESSOR_MODE WaitMode,
                                  BOOLEAN Alertable, PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray);
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);
/* Signals Signal (an event, or a semaphore by one) and waits on Wait (an
 * event or a semaphore, no alerts, no timeout) as one step; if the caller
 * blocks, the thread the signal woke gets the processor directly. */
NTSTATUS KeSignalAndWaitForSingleObject(PVOID Signal, PVOID Wait, KPROCESSOR_MODE WaitMode);
/* Wakes Thread out of a user-mode wait with WaitStatus (thread termination). */
VOID KeAlertWaitingThread(PKTHREAD Thread, NTSTATUS WaitStatus);

/* ---- dispatcher objects (event.c, mutant.c, timer.c) ---- */

VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait);
LONG KeResetEvent(PKEVENT Event);
LONG KePulseEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait);
LONG KeReadStateEvent(PKEVENT Event);
VOID KeInitializeEventPair(PKEVENT_PAIR Pair);
/* Set one half and wait on the other, handing the processor straight to the
 * thread the set wakes (no trip through the ready queue). */
NTSTATUS KeSetHighWaitLowEventPair(PKEVENT_PAIR Pair, KPROCESSOR_MODE WaitMode);
NTSTATUS KeSetLowWaitHighEventPair(PKEVENT_PAIR Pair, KPROCESSOR_MODE WaitMode);
VOID KeInitializeSemaphore(PKSEMAPHORE Semaphore, LONG Count, LONG Limit);
NT_CHECK_RESULT NTSTATUS KeReleaseSemaphore(PKSEMAPHORE Semaphore, LONG Increment, LONG Adjustment,
                                            PLONG PreviousCount);
VOID KeInitializeMutant(PKMUTANT Mutant, BOOLEAN InitialOwner);
NT_CHECK_RESULT NTSTATUS KeReleaseMutant(PKMUTANT Mutant, LONG Increment, BOOLEAN Abandoned, PLONG PreviousCount);
VOID KeInitializeTimer(PKTIMER Timer, TIMER_TYPE Type);
/* DueTime in 100 ns units: negative is relative, positive absolute (time
 * since boot). Period in milliseconds, 0 for one shot. TRUE if it was set. */
BOOLEAN KeSetTimer(PKTIMER Timer, LARGE_INTEGER DueTime, ULONG Period);
BOOLEAN KeCancelTimer(PKTIMER Timer);
/* 100 ns units since boot (NT's interrupt time). */
ULONGLONG KeQueryInterruptTime(VOID);
/* Converts a wait timeout (100 ns units, negative = relative) to a tick. */
ULONGLONG KiTimeoutToTick(LARGE_INTEGER Timeout);

/* ---- executive callbacks (NT reaches these through APCs) ---- */

/* The executive registers these at init (PsInitSystem): what to do with a
 * thread marked TerminatePending on its way back to user mode, with a fatal
 * user-mode exception, and with spare time in the idle loop. */
typedef struct _KE_EXECUTIVE_CALLBACKS {
    VOID (*TerminatePendingThread)(VOID);
    VOID (*UserException)(NTSTATUS Code);
    VOID (*IdleWork)(VOID);
} KE_EXECUTIVE_CALLBACKS;
extern KE_EXECUTIVE_CALLBACKS KeExecutiveCallbacks;
/* At a trap's end, before returning to user mode. */
VOID KiExitToUserMode(PKTRAP_FRAME TrapFrame);

/* ---- system services (syscall.c, svctable.c) ---- */

#define KE_SERVICE_TABLES 4
typedef struct _KSERVICE_TABLE_DESCRIPTOR {
    const ULONG_PTR *Base;   /* service addresses */
    const UCHAR *Arguments;  /* argument bytes of each */
    ULONG Limit;             /* number of services */
} KSERVICE_TABLE_DESCRIPTOR;
extern KSERVICE_TABLE_DESCRIPTOR KeServiceDescriptorTable[KE_SERVICE_TABLES];
#if defined(__i386__) /* the host unit tests see 64-bit pointers */
_Static_assert(sizeof(KSERVICE_TABLE_DESCRIPTOR) == 12 && __builtin_offsetof(KSERVICE_TABLE_DESCRIPTOR, Limit) == 8,
               "svcentry.asm");
#endif
extern const char *const KiServiceNames[];
BOOLEAN KeAddSystemServiceTable(const ULONG_PTR *Base, const UCHAR *Arguments, ULONG Limit, ULONG Index);
VOID KiSystemService(PKTRAP_FRAME TrapFrame);

/* Power (power.c): leave QEMU through isa-debug-exit, or halt with NT's
 * "safe to turn off" message on hardware that has no such device. */
__attribute__((noreturn)) VOID HalPowerOff(ULONG ExitCode);

/* What the loader told us (init.c); valid from phase 0 on. */
PLOADER_PARAMETER_BLOCK KeGetLoaderBlock(VOID);

/* Version and build, from build/gen/buildinfo.h. */
extern const char KeVersionString[];
extern const ULONG NtBuildNumber;

#endif
