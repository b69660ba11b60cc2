/*
 * clock.c - the interval timer and the tick count.
 *
 * Why: the 8253/8254 PIT's channel 0 interrupts on IRQ 0 at CLOCK_HZ (10 ms,
 * NT's uniprocessor clock). Each tick advances KeTickCount; the scheduler's
 * time slices (issue 3) hang off the same interrupt.
 */
#define KD_COMPONENT "ke"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/x86.h"

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_INPUT_HZ 1193182u
#define PIT_CMD_CHANNEL0_LOHI_RATE 0x34 /* channel 0, lobyte/hibyte, mode 2 */

static volatile ULONGLONG KeTickCount;

static VOID KiClockInterrupt(PKTRAP_FRAME TrapFrame) {
    (void)TrapFrame;
    KeTickCount++;
    if (KeGetCurrentThread())
        KiClockTick(); /* interrupts are off: the dispatcher lock is held */
}

VOID KeInitializeClock(VOID) {
    ULONG divisor = PIT_INPUT_HZ / CLOCK_HZ;
    WRITE_PORT_UCHAR(PIT_COMMAND, PIT_CMD_CHANNEL0_LOHI_RATE);
    WRITE_PORT_UCHAR(PIT_CHANNEL0, divisor & 0xFF);
    WRITE_PORT_UCHAR(PIT_CHANNEL0, divisor >> 8);
    if (!NT_SUCCESS(KeConnectInterrupt(CLOCK_IRQ, KiClockInterrupt)))
        KeBugCheckEx(HAL_INITIALIZATION_FAILED, CLOCK_IRQ, 0, 0, 0);
    KdPrint("clock: PIT channel 0 at %u Hz (divisor %u) on IRQ %u", CLOCK_HZ, divisor, CLOCK_IRQ);
}

ULONGLONG KeQueryTickCount(VOID) {
    ULONG state = KeDisableInterrupts();
    ULONGLONG t = KeTickCount;
    KeRestoreInterrupts(state);
    return t;
}

VOID KeDelayTicks(ULONG Ticks) {
    ULONGLONG until = KeQueryTickCount() + Ticks;
    while (KeQueryTickCount() < until)
        KiHalt();
}

/* TSC ticks per second, measured against the PIT over TSC_CALIBRATION_TICKS
 * clock ticks in phase 1 (under qemu -icount the TSC counts instructions, so
 * this is then the emulated instruction rate). */
#define TSC_CALIBRATION_TICKS 10
ULONGLONG KeTscFrequency;

VOID KeCalibrateTsc(VOID) {
    ULONGLONG start = KeQueryTickCount();
    while (KeQueryTickCount() == start)
        KiHalt(); /* start on a tick boundary */
    ULONGLONG t0 = __rdtsc();
    KeDelayTicks(TSC_CALIBRATION_TICKS);
    ULONGLONG t1 = __rdtsc();
    KeTscFrequency = (t1 - t0) * CLOCK_HZ / TSC_CALIBRATION_TICKS;
    KdPrint("TSC: %u kHz, measured over %u clock ticks", (ULONG)(KeTscFrequency / 1000),
            TSC_CALIBRATION_TICKS);
}
