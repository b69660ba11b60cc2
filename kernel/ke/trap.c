/*
 * trap.c - KiDispatchTrap: where every exception and interrupt arrives.
 *
 * Why: one dispatcher for all 256 vectors. Device IRQs go to the routine
 * connected with KeConnectInterrupt. A processor exception in kernel mode is
 * a kernel bug: it ends on the STOP screen with NT's code for it (a page
 * fault on a bad address is PAGE_FAULT_IN_NONPAGED_AREA, a double fault or a
 * broken TSS or stack segment is UNEXPECTED_KERNEL_MODE_TRAP, anything else
 * is KMODE_EXCEPTION_NOT_HANDLED with the NT exception code). User-mode
 * exceptions arrive with the executive (issue 3); until a process exists,
 * a trap from ring 3 cannot happen and is treated as a kernel bug too.
 */
#define KD_COMPONENT "ke"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/x86.h"

/* Processor exception vectors (Intel SDM vol. 3, table 6-1). */
enum {
    EXC_DIVIDE = 0,
    EXC_DEBUG = 1,
    EXC_NMI = 2,
    EXC_BREAKPOINT = 3,
    EXC_OVERFLOW = 4,
    EXC_BOUND = 5,
    EXC_INVALID_OPCODE = 6,
    EXC_NO_FPU = 7,
    EXC_DOUBLE_FAULT = 8,
    EXC_FPU_SEGMENT = 9,
    EXC_INVALID_TSS = 10,
    EXC_SEGMENT_NOT_PRESENT = 11,
    EXC_STACK = 12,
    EXC_GENERAL_PROTECTION = 13,
    EXC_PAGE_FAULT = 14,
    EXC_FPU = 16,
    EXC_ALIGNMENT = 17,
    EXC_MACHINE_CHECK = 18,
    EXC_SIMD = 19,
    EXC_FIRST_RESERVED = 20,
    EXC_COUNT = 32,
};

#define PIC_SPURIOUS_MASTER 7
#define PIC_SPURIOUS_SLAVE 15

extern PKINTERRUPT_ROUTINE KiInterruptRoutines[KI_IRQ_COUNT];
BOOLEAN HalIsSpuriousInterrupt(ULONG Irq);
VOID HalEndSystemInterrupt(ULONG Irq);
VOID KdpDebugService(PKTRAP_FRAME Tf);
extern KTSS KiTss;

/* The NT exception code for a processor exception vector. */
static NTSTATUS exception_code(ULONG Vector) {
    switch (Vector) {
    case EXC_DIVIDE: return STATUS_INTEGER_DIVIDE_BY_ZERO;
    case EXC_DEBUG: return STATUS_SINGLE_STEP;
    case EXC_BREAKPOINT: return STATUS_BREAKPOINT;
    case EXC_OVERFLOW: return STATUS_INTEGER_OVERFLOW;
    case EXC_BOUND: return STATUS_ARRAY_BOUNDS_EXCEEDED;
    case EXC_INVALID_OPCODE: return STATUS_ILLEGAL_INSTRUCTION;
    case EXC_PAGE_FAULT:
    case EXC_GENERAL_PROTECTION: return STATUS_ACCESS_VIOLATION;
    case EXC_ALIGNMENT: return STATUS_DATATYPE_MISALIGNMENT;
    case EXC_FPU:
    case EXC_SIMD:
    case EXC_NO_FPU: return STATUS_FLOAT_INVALID_OPERATION;
    default: return STATUS_UNSUCCESSFUL;
    }
}

static __attribute__((noreturn)) void kernel_exception(PKTRAP_FRAME Tf) {
    ULONG v = Tf->TrapNumber;
    if (v == EXC_PAGE_FAULT) {
        ULONG cr2 = KiReadCr2();
        KiBugCheckWithTrapFrame(PAGE_FAULT_IN_NONPAGED_AREA, cr2, (Tf->ErrCode & PF_WRITE) ? 1 : 0, Tf->Eip,
                                Tf->ErrCode, Tf);
    }
    if (v == EXC_INVALID_TSS || v == EXC_SEGMENT_NOT_PRESENT || v == EXC_STACK || v == EXC_NMI ||
        v == EXC_FPU_SEGMENT || v == EXC_MACHINE_CHECK || v >= EXC_FIRST_RESERVED)
        KiBugCheckWithTrapFrame(UNEXPECTED_KERNEL_MODE_TRAP, v, Tf->ErrCode, Tf->Eip, 0, Tf);
    KiBugCheckWithTrapFrame(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)exception_code(v), Tf->Eip, Tf->ErrCode, v,
                            Tf);
}

/* A page fault in kernel mode on a user address while a fault-safe copy runs
 * (KiSafeCopy): resume at the copy's recovery point, which returns
 * STATUS_ACCESS_VIOLATION. TRUE if it was that case. */
static BOOLEAN recover_from_probe(PKTRAP_FRAME Tf) {
    PKTHREAD t = KeGetCurrentThread();
    if (Tf->TrapNumber != EXC_PAGE_FAULT || !t || !t->FaultRecovery || KiReadCr2() >= MM_USER_PROBE_ADDRESS)
        return FALSE;
    Tf->Eip = t->FaultRecovery;
    t->FaultRecovery = 0;
    return TRUE;
}

/* An exception raised by user-mode code ends the thread that raised it,
 * with NT's exception code as its exit status (issue 3 widens this to the
 * whole process). */
static void user_exception(PKTRAP_FRAME Tf) {
    NTSTATUS code = exception_code(Tf->TrapNumber);
    KdPrint("user-mode exception 0x%08X (trap %u) at eip 0x%08X, address 0x%08X", (ULONG)code, Tf->TrapNumber,
            Tf->Eip, Tf->TrapNumber == EXC_PAGE_FAULT ? KiReadCr2() : 0);
    _enable();
    if (KeExecutiveCallbacks.UserException)
        KeExecutiveCallbacks.UserException(code); /* ends the process; returns only if it could not */
    KeTerminateThread(code);
}

KE_EXECUTIVE_CALLBACKS KeExecutiveCallbacks;

VOID KiExitToUserMode(PKTRAP_FRAME Tf) {
    PKTHREAD t = KeGetCurrentThread();
    if ((Tf->SegCs & RPL_USER) && t && t->TerminatePending && KeExecutiveCallbacks.TerminatePendingThread) {
        _enable();
        KeExecutiveCallbacks.TerminatePendingThread(); /* does not return */
    }
}

VOID KiDispatchTrap(PKTRAP_FRAME Tf) {
    ULONG v = Tf->TrapNumber;
    if (v == EXC_PAGE_FAULT) {
        /* Most faults on user addresses are pages not filled in yet. */
        ULONG cr2 = KiReadCr2();
        NTSTATUS fault = cr2 < MM_USER_PROBE_ADDRESS ? MmAccessFault(cr2, (Tf->ErrCode & PF_WRITE) != 0)
                                                     : STATUS_ACCESS_VIOLATION;
        if (NT_SUCCESS(fault))
            return;
        if (Tf->SegCs & RPL_USER)
            KdPrint("page fault at 0x%08X (error code 0x%X) not resolved: 0x%08X", cr2, Tf->ErrCode,
                    (ULONG)fault);
    }
    if (v < EXC_COUNT) {
        if (Tf->SegCs & RPL_USER)
            user_exception(Tf);
        else if (!recover_from_probe(Tf))
            kernel_exception(Tf);
        KiExitToUserMode(Tf);
        return;
    }
    if (v == KI_SYSCALL_VECTOR) {
        KiSystemService(Tf);
        KiCheckPreemption(Tf);
        KiExitToUserMode(Tf);
        return;
    }
    if (v == KI_DEBUG_SERVICE_VECTOR) {
        KdpDebugService(Tf);
        KiExitToUserMode(Tf);
        return;
    }
    if (v >= PRIMARY_VECTOR_BASE && v < PRIMARY_VECTOR_BASE + KI_IRQ_COUNT) {
        ULONG irq = v - PRIMARY_VECTOR_BASE;
        KiPcr.InterruptCount++;
        if ((irq == PIC_SPURIOUS_MASTER || irq == PIC_SPURIOUS_SLAVE) && HalIsSpuriousInterrupt(irq))
            return;
        KiPcr.PrcbData.InterruptNesting++;
        if (KiInterruptRoutines[irq])
            KiInterruptRoutines[irq](Tf);
        HalEndSystemInterrupt(irq);
        KiPcr.PrcbData.InterruptNesting--;
        KiCheckPreemption(Tf);
        KiExitToUserMode(Tf);
        return;
    }
    /* Nobody raises any other vector: it is a bug (or a stray `int n`). */
    KiBugCheckWithTrapFrame(TRAP_CAUSE_UNKNOWN, v, Tf->ErrCode, Tf->Eip, 0, Tf);
}

/* Runs as its own task after a double fault: the faulting context was saved
 * into KiTss by the task switch, so it can still be shown. */
VOID KiDoubleFaultTask(VOID) {
    KTRAP_FRAME tf = {0};
    tf.Eax = KiTss.Eax;
    tf.Ebx = KiTss.Ebx;
    tf.Ecx = KiTss.Ecx;
    tf.Edx = KiTss.Edx;
    tf.Esi = KiTss.Esi;
    tf.Edi = KiTss.Edi;
    tf.Ebp = KiTss.Ebp;
    tf.Eip = KiTss.Eip;
    tf.EFlags = KiTss.EFlags;
    tf.SegCs = KiTss.Cs;
    tf.SegDs = KiTss.Ds;
    tf.SegEs = KiTss.Es;
    tf.SegFs = KiTss.Fs;
    tf.SegGs = KiTss.Gs;
    tf.HardwareEsp = KiTss.Esp;
    tf.HardwareSegSs = KiTss.Ss;
    tf.TrapNumber = EXC_DOUBLE_FAULT;
    KiBugCheckWithTrapFrame(UNEXPECTED_KERNEL_MODE_TRAP, EXC_DOUBLE_FAULT, KiTss.Esp, KiTss.Eip, 0, &tf);
}
