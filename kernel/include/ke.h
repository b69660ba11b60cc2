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
#include "arc.h"

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
} KPCR, *PKPCR;
_Static_assert(__builtin_offsetof(KPCR, IDT) == 0x38, "KPCR.IDT at NT's offset");

extern KPCR KiPcr;

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

/* Interrupt masking around short critical sections on this uniprocessor
 * kernel (intr.c): returns the previous state for KeRestoreInterrupts. */
ULONG KeDisableInterrupts(VOID);
VOID KeRestoreInterrupts(ULONG State);

/* Bug checks (bugcheck.c). Never return. */
__attribute__((noreturn)) VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2,
                                            ULONG_PTR P3, ULONG_PTR P4);
__attribute__((noreturn)) VOID KeBugCheck(ULONG BugCheckCode);
__attribute__((noreturn)) VOID KiBugCheckWithTrapFrame(ULONG BugCheckCode, ULONG_PTR P1,
                                                       ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                                                       PKTRAP_FRAME TrapFrame);
PCSTR KeBugCheckName(ULONG BugCheckCode);

/* Power (power.c): leave QEMU through isa-debug-exit, or halt with NT's
 * "safe to turn off" message on hardware that has no such device. */
__attribute__((noreturn)) VOID HalPowerOff(ULONG ExitCode);

/* What the loader told us (init.c); valid from phase 0 on. */
PLOADER_PARAMETER_BLOCK KeGetLoaderBlock(VOID);

/* Version and build, from build/gen/buildinfo.h. */
extern const char KeVersionString[];
extern const ULONG NtBuildNumber;

#endif
