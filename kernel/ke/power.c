/*
 * power.c - turning the machine off at the end of a test run.
 *
 * Why: the in-OS tests report through the serial log and then must end the
 * emulator so the harness can read the result. QEMU's isa-debug-exit device
 * (-device isa-debug-exit,iobase=0xf4) exits QEMU with status (value << 1) | 1
 * when a value is written to its port. On a machine without that device the
 * write does nothing, and we halt with NT's message instead.
 */
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/x86.h"

#define ISA_DEBUG_EXIT_PORT 0xF4

VOID HalPowerOff(ULONG ExitCode) {
    KdPutString("[hal] power off\n");
    _disable();
    WRITE_PORT_ULONG(ISA_DEBUG_EXIT_PORT, ExitCode);
    VidDisplayString("\nIt is now safe to turn off your computer.\n");
    for (;;)
        KiHalt();
}
