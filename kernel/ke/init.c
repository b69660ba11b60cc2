/*
 * init.c - KiSystemStartup: the kernel's first C code, and the boot order.
 *
 * Why: this is the one place that says in what order the kernel comes up, so
 * a reader can follow the boot from GRUB to the idle loop. Each phase that
 * completes prints a progress dot on the boot screen; a phase that fails
 * stops the system with the STOP code NT would use for it.
 *
 *   serial log -> GDT/TSS/KPCR -> IDT -> system PTEs -> loader block (from
 *   multiboot2) -> boot screen -> physical memory -> pool -> object manager
 *   and the System process -> PIC and clock
 *   -> \SystemRoot -> scheduler: the boot thread becomes the idle thread and
 *   Phase1Initialization runs in a system thread: self-tests (`test`), a
 *   deliberate crash (`crash=KIND`), or the uptime display
 */
#define KD_COMPONENT "ke"
#include "../include/arc.h"
#include "../include/ex.h"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/ktest.h"
#include "../include/lpc.h"
#include "../include/mm.h"
#include "../include/ob.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/se.h"
#include "../include/x86.h"

#define MB2_INFO_MAX (1u << 20) /* a larger boot information is not credible */
#define HOST_ACK_TIMEOUT_TICKS (10 * CLOCK_HZ)
#define DELIBERATE_FAULT_ADDRESS 0xDEAD0000u /* in the system PTE range, never mapped */

static LOADER_PARAMETER_BLOCK KeLoaderBlock;

/* Maps, checks and copies GRUB's boot information; returns its size. */
static ULONG KiLoadBootInformation(ULONG Magic, ULONG MbiPhys) {
    if (Magic != MULTIBOOT2_BOOTLOADER_MAGIC) {
        KdPrint("not started by a multiboot2 loader (magic 0x%08X)", Magic);
        KeBugCheckEx(PHASE0_EXCEPTION, Magic, MbiPhys, 0, 0);
    }
    ULONG *head = MmMapIoSpace(MbiPhys, 8);
    ULONG total = head ? *head : 0;
    if (head)
        MmUnmapIoSpace(head, 8);
    if (total < 16 || total > MB2_INFO_MAX) {
        KdPrint("boot information size %u is not credible", total);
        KeBugCheckEx(PHASE0_EXCEPTION, STATUS_INVALID_PARAMETER, MbiPhys, total, 0);
    }
    const UCHAR *info = MmMapIoSpace(MbiPhys, total);
    PCSTR reason = "";
    NTSTATUS status = info ? KiParseMultiboot2(info, total, &KeLoaderBlock, &reason) : STATUS_NO_MEMORY;
    if (info)
        MmUnmapIoSpace((PVOID)info, total);
    if (!NT_SUCCESS(status)) {
        KdPrint("boot information refused: %s", reason);
        KeBugCheckEx(PHASE0_EXCEPTION, (ULONG)status, MbiPhys, total, 0);
    }
    KdPrint("loader \"%s\", command line \"%s\", %u memory ranges, %u modules", KeLoaderBlock.LoaderName,
            KeLoaderBlock.CommandLine, KeLoaderBlock.MemoryDescriptorCount, KeLoaderBlock.ModuleCount);
    return total;
}

static VOID KiInitializeBootVideo(VOID) {
    const FRAMEBUFFER_INFO *fb = &KeLoaderBlock.Framebuffer;
    if (!fb->Present)
        return;
    SIZE_T bytes = (SIZE_T)fb->Pitch * fb->Height;
    PVOID va = MmMapIoSpace(fb->PhysicalAddress, bytes);
    if (va)
        VidInitialize(fb, va);
    KdPrint("framebuffer at phys 0x%08X mapped at %p", (ULONG)fb->PhysicalAddress, va);
}

/* In test mode, let the harness take its screenshot before power-off: wait
 * for any byte on COM1, or give up after a while when nobody is listening. */
static VOID KiWaitForHostAcknowledge(VOID) {
    UCHAR byte;
    KdPrint("waiting up to %u s for the host to acknowledge (any byte on COM1)",
            HOST_ACK_TIMEOUT_TICKS / CLOCK_HZ);
    for (ULONG t = 0; t < HOST_ACK_TIMEOUT_TICKS; t++) {
        if (KdPollByte(&byte))
            return;
        KeDelayTicks(1);
    }
}

/* Recurses until the boot stack runs into its guard page (the limit is never
 * reached; it only tells the compiler the recursion can end). */
static volatile ULONG KiOverflowLimit = 0xFFFFFFFFu;
static ULONG KiOverflowStack(volatile ULONG Depth) {
    volatile UCHAR frame[512];
    if (Depth == KiOverflowLimit)
        return 0;
    frame[Depth % sizeof frame] = (UCHAR)Depth;
    return KiOverflowStack(Depth + 1) + frame[0];
}

/* The command line's `crash=KIND` asks for a deliberate kernel fault, so the
 * tests can see the STOP screen: `pagefault` writes to an unmapped address;
 * `stack` overflows the kernel stack, which needs the double-fault task. */
static VOID KiDeliberateCrash(PCSTR CommandLine) {
    if (KiCommandLineHasWord(CommandLine, "crash=pagefault")) {
        KdPrint("crash=pagefault: writing to unmapped 0x%08X on purpose", DELIBERATE_FAULT_ADDRESS);
        *(volatile ULONG *)DELIBERATE_FAULT_ADDRESS = 0xDEADBEEF;
    }
    if (KiCommandLineHasWord(CommandLine, "crash=stack")) {
        KdPrint("crash=stack: recursing until the kernel stack overflows, on purpose");
        KdPrint("depth %u", KiOverflowStack(0));
    }
}

/* With nothing else to run yet, the system thread keeps an uptime counter
 * in the corner of the boot screen, once a second. */
static __attribute__((noreturn)) VOID KiShowUptime(VOID) {
    char line[64];
    LARGE_INTEGER second = {.QuadPart = -10000000LL};
    VidDisplayString("\n\nThe kernel is up; the session manager runs the rest.\n");
    for (;;) {
        RtlFormatString(line, sizeof line, "Uptime %5u s ", (ULONG)(KeQueryTickCount() / CLOCK_HZ));
        if (InbvCheckDisplayOwnership()) /* until csrss's display driver takes the screen */
            VidDrawStringAt(VidWidth() - 16 - 14 * VID_FONT_WIDTH, VidHeight() - 16 - VID_FONT_HEIGHT, line,
                            VID_GREY, VID_NT_BLUE);
        (void)KeDelayExecutionThread(KernelMode, FALSE, &second);
    }
}

/* Phase 1 runs in the first system thread, as on NT, while the boot thread
 * becomes the idle thread. */
#define SESSION_MANAGER "\\SystemRoot\\System32\\smss.exe"

/* Starts smss.exe, the first user process, with the boot command line as its
 * own (it looks for `test` and `crash=critical` there). */
static BOOLEAN KiStartSessionManager(PCSTR CommandLine) {
    char cmd[LOADER_MAX_STRING + 64];
    PEPROCESS smss;
    RtlFormatString(cmd, sizeof cmd, "%s %s", SESSION_MANAGER, CommandLine);
    NTSTATUS status = PsCreateSystemUserProcess(SESSION_MANAGER, cmd, &smss);
    if (!NT_SUCCESS(status)) {
        KdPrint("cannot start the session manager: status 0x%08X", (ULONG)status);
        return FALSE;
    }
    ObDereferenceObject(smss);
    InbvProgress("session manager");
    return TRUE;
}

/* Phase 1 runs in the first system thread, as on NT, while the boot thread
 * becomes the idle thread. In test mode the kernel's self-tests run first;
 * then smss takes over (and, in test mode, powers off when its tests end). */
VOID W32kInitialize(VOID) __attribute__((weak));

static VOID Phase1Initialization(PVOID Context) {
    (void)Context;
    PCSTR cmd = KeLoaderBlock.CommandLine;
    KeCalibrateTsc();
    extern BOOLEAN KiTraceFailedServices;
    KiTraceFailedServices = KiCommandLineHasWord(cmd, "svctrace");
    NTSTATUS status = PsLocateSystemDll(); /* logs why if there is none */
    InbvProgress(NT_SUCCESS(status) ? "system DLL" : "no system DLL");
    BOOLEAN testMode = KiCommandLineHasWord(cmd, "test");
    ULONG failed = 0;
    if (testMode) {
        failed = KiRunSelfTests();
        KiWaitForHostAcknowledge();
    }
    KiDeliberateCrash(cmd);
    if (W32kInitialize)
        W32kInitialize(); /* only the GDI=kernel build has kernel/win32k */
    if (NT_SUCCESS(status) && KiStartSessionManager(cmd))
        KiShowUptime(); /* smss runs the system from here */
    if (testMode)
        HalPowerOff(failed ? 1 : 0);
    KiShowUptime();
}

static KTHREAD KiInitialThread, KiPhase1Thread;

VOID KiSystemStartup(ULONG Magic, ULONG MbiPhys) {
    KdInitializeSerial();
    KdPrint("Daytona NT kernel %s (build %u) starting", KeVersionString, NtBuildNumber);
    KiInitializeGdt();
    KiInitializeIdt();
    MiInitializeSystemPtes();
    ULONG mbiSize = KiLoadBootInformation(Magic, MbiPhys);
    KiInitializeBootVideo();
    InbvShowBootScreen(&KeLoaderBlock);
    InbvProgress("processor tables, loader block, boot video");

    NTSTATUS status = MmInitSystem(&KeLoaderBlock, MbiPhys, mbiSize);
    if (!NT_SUCCESS(status))
        KeBugCheckEx(INSTALL_MORE_MEMORY, MmNumberOfPhysicalPages(), 0, 0, 0);
    MiFinishBootMappings();
    InbvProgress("physical memory");

    ExInitializePool();
    MiInitializeHyperspace();
    InbvProgress("pool");

    ObInitSystem();
    status = ExInitializeObjects();
    if (NT_SUCCESS(status))
        status = MmInitializeSections();
    if (NT_SUCCESS(status))
        status = LpcInitSystem();
    if (NT_SUCCESS(status))
        status = SeInitSystem();
    if (NT_SUCCESS(status))
        status = PsInitSystem();
    if (!NT_SUCCESS(status))
        KeBugCheckEx(PROCESS1_INITIALIZATION_FAILED, (ULONG)status, 1, 0, 0);
    InbvProgress("object manager, System process");

    HalInitializePic();
    KeInitializeClock();
    _enable();
    InbvProgress("interrupts and clock");

    status = IoMountSystemRoot(&KeLoaderBlock);
    if (!NT_SUCCESS(status))
        KeBugCheckEx(INACCESSIBLE_BOOT_DEVICE, (ULONG)status, 0, 0, 0);
    status = IoInitSystem();
    if (!NT_SUCCESS(status))
        KeBugCheckEx(INACCESSIBLE_BOOT_DEVICE, (ULONG)status, 1, 0, 0);
    status = IoCreateVideoDevice(&KeLoaderBlock.Framebuffer);
    if (!NT_SUCCESS(status))
        KdPrint("\\Device\\Video0 not created: 0x%08X", (ULONG)status);
    InbvProgress("\\SystemRoot");

    /* The boot thread becomes the idle thread; phase 1 gets a thread of its
     * own in the system process (both share the kernel's page directory). */
    KiInitializeScheduler(&KiInitialThread, &PsIdleProcess.Pcb);
    status = KeInitializeThread(&KiPhase1Thread, &PsInitialSystemProcess->Pcb, Phase1Initialization, NULL,
                                NULL, 8);
    if (!NT_SUCCESS(status))
        KeBugCheckEx(PROCESS1_INITIALIZATION_FAILED, (ULONG)status, 0, 0, 0);
    KeReadyThread(&KiPhase1Thread);
    InbvProgress("scheduler");
    KiIdleLoop();
}

PLOADER_PARAMETER_BLOCK KeGetLoaderBlock(VOID) {
    return &KeLoaderBlock;
}
