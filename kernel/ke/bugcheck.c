/*
 * bugcheck.c - KeBugCheckEx and the STOP screen.
 *
 * Why: when the kernel finds itself broken it must stop at once, say why in
 * a form a person can look up, and touch nothing else. Like NT it paints the
 * screen blue and prints the STOP code, its four parameters and its name;
 * when a trap caused it, the registers of the trapped context and the return
 * addresses found by walking the EBP chain (each frame checked to be mapped
 * before it is read). Everything also goes to the serial log, then the
 * processor halts with interrupts off: no reboot loop, no silent hang.
 */
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <stdarg.h>

#define STOP_LINE 160
#define STOP_STACK_FRAMES 8

static volatile ULONG KiBugCheckActive;

#define BUGCODE_NAME(code, name) {code, #name},
static const struct {
    ULONG Code;
    PCSTR Name;
} KiBugCodeNames[] = {BUGCODE_LIST(BUGCODE_NAME)};

PCSTR KeBugCheckName(ULONG BugCheckCode) {
    for (ULONG i = 0; i < ARRAYSIZE(KiBugCodeNames); i++)
        if (KiBugCodeNames[i].Code == BugCheckCode)
            return KiBugCodeNames[i].Name;
    return "UNKNOWN_BUGCHECK_CODE";
}

/* A line to both the screen and the serial log. */
static void stop_line(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));
static void stop_line(PCSTR Format, ...) {
    char line[STOP_LINE];
    va_list args;
    va_start(args, Format);
    RtlFormatStringV(line, sizeof line - 1, Format, args);
    va_end(args);
    SIZE_T n = strlen(line);
    line[n] = '\n';
    line[n + 1] = '\0';
    VidDisplayString(line);
    KdPutString(line);
}

static void print_processor(void) {
    ULONG regs[4];
    char vendor[13];
    __cpuid(0, regs);
    memcpy(vendor, &regs[1], 4);
    memcpy(vendor + 4, &regs[3], 4);
    memcpy(vendor + 8, &regs[2], 4);
    vendor[12] = '\0';
    __cpuid(1, regs);
    stop_line("CPUID:%s %u.%u.%u irql:%x  SYSVER 0x%08X", vendor, (regs[0] >> 8) & 0xF, (regs[0] >> 4) & 0xF,
              regs[0] & 0xF, KiPcr.Irql, 0xF0000000u | NtBuildNumber);
}

static void print_trap_frame(PKTRAP_FRAME Tf) {
    BOOLEAN fromUser = (Tf->SegCs & RPL_USER) != 0;
    ULONG esp = (fromUser || Tf->TrapNumber == 8) ? Tf->HardwareEsp : (ULONG)&Tf->HardwareEsp;
    stop_line("");
    stop_line("Trap 0x%02X  error code 0x%08X  in %s mode", Tf->TrapNumber, Tf->ErrCode,
              fromUser ? "user" : "kernel");
    stop_line("EAX=%08X EBX=%08X ECX=%08X EDX=%08X ESI=%08X EDI=%08X", Tf->Eax, Tf->Ebx, Tf->Ecx, Tf->Edx,
              Tf->Esi, Tf->Edi);
    stop_line("EIP=%08X ESP=%08X EBP=%08X EFL=%08X CS=%04X DS=%04X ES=%04X FS=%04X", Tf->Eip, esp, Tf->Ebp,
              Tf->EFlags, Tf->SegCs & 0xFFFF, Tf->SegDs & 0xFFFF, Tf->SegEs & 0xFFFF, Tf->SegFs & 0xFFFF);
    stop_line("CR0=%08X CR2=%08X CR3=%08X CR4=%08X", KiReadCr0(), KiReadCr2(), KiReadCr3(), KiReadCr4());
}

/* Return addresses up the EBP chain; stops at the first frame that is not
 * mapped, not aligned, or not above the previous one. */
static void print_stack(ULONG Ebp) {
    char line[STOP_LINE];
    int n = RtlFormatString(line, sizeof line, "Return addresses:");
    for (ULONG i = 0; i < STOP_STACK_FRAMES; i++) {
        ULONG *frame = (ULONG *)Ebp;
        if (Ebp < KSEG0_BASE || (Ebp & 3) || !MmIsAddressValid(frame) || !MmIsAddressValid(frame + 1))
            break;
        n += RtlFormatString(line + n, sizeof line - (SIZE_T)n, " %08X", frame[1]);
        if (frame[0] <= Ebp)
            break;
        Ebp = frame[0];
    }
    stop_line("%s", line);
}

VOID KiBugCheckWithTrapFrame(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                             PKTRAP_FRAME TrapFrame) {
    _disable();
    if (KiBugCheckActive++) {
        KdPutString("\n*** STOP while stopping: halted.\n");
        for (;;)
            KiHalt();
    }
    if (VidIsEnabled()) {
        VidResetDisplay(VID_NT_BLUE);
        VidSetTextColor(VID_WHITE);
    }
    KdPutString("\n");
    stop_line("*** STOP: 0x%08X (0x%08X,0x%08X,0x%08X,0x%08X)", Code, (ULONG)P1, (ULONG)P2, (ULONG)P3,
              (ULONG)P4);
    stop_line("%s", KeBugCheckName(Code));
    stop_line("");
    print_processor();
    if (TrapFrame)
        print_trap_frame(TrapFrame);
    stop_line("");
    print_stack(TrapFrame ? TrapFrame->Ebp : (ULONG)__builtin_frame_address(0));
    stop_line("Kernel image at 0x80100000, build %u.", NtBuildNumber);
    stop_line("");
    stop_line("Restart your computer. If this screen appears again, look up the STOP code above");
    stop_line("and read the serial log (COM1) for what the kernel did before it stopped.");
    KdPutString("*** System halted.\n");
    for (;;)
        KiHalt();
}

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4) {
    KiBugCheckWithTrapFrame(Code, P1, P2, P3, P4, NULL);
}

VOID KeBugCheck(ULONG Code) {
    KiBugCheckWithTrapFrame(Code, 0, 0, 0, 0, NULL);
}
