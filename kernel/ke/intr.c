/*
 * intr.c - connecting interrupt routines and masking interrupts.
 *
 * Why: a uniprocessor kernel protects short critical sections by turning
 * interrupts off; KeDisableInterrupts returns the previous state so the
 * sections nest. (IRQL arrives with the scheduler in issue 3.)
 */
#include "../include/ke.h"
#include "../include/x86.h"

PKINTERRUPT_ROUTINE KiInterruptRoutines[KI_IRQ_COUNT];

NTSTATUS KeConnectInterrupt(ULONG Irq, PKINTERRUPT_ROUTINE Routine) {
    if (Irq >= KI_IRQ_COUNT || Routine == NULL)
        return STATUS_INVALID_PARAMETER;
    if (KiInterruptRoutines[Irq])
        return STATUS_OBJECT_NAME_COLLISION; /* lines are not shared yet */
    KiInterruptRoutines[Irq] = Routine;
    HalEnableSystemInterrupt(Irq);
    return STATUS_SUCCESS;
}

