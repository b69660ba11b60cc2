/*
 * idt.c - the interrupt descriptor table.
 *
 * Why: every one of the 256 vectors gets a gate, so nothing the processor or
 * a device raises can land on an empty entry (which would escalate to a
 * triple fault and a silent reset). Exceptions and IRQs use interrupt gates
 * (interrupts off on entry); the double fault uses a task gate onto its own
 * TSS and stack; the system-service vector 0x2E is the only one ring 3 may
 * raise with `int`.
 */
#define KD_COMPONENT "ke"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/x86.h"

#define GATE_PRESENT 0x80
#define GATE_DPL3 0x60
#define GATE_INTERRUPT 0x0E /* 32-bit interrupt gate */
#define GATE_TASK 0x05
#define VECTOR_DOUBLE_FAULT 8

static KIDTENTRY KiIdt[256] __attribute__((aligned(8)));
extern const ULONG KiTrapStubTable[256];
VOID KiSystemServiceEntry(VOID);

static void set_gate(ULONG Vector, ULONG Offset, USHORT Selector, UCHAR Access) {
    KIDTENTRY *g = &KiIdt[Vector];
    g->OffsetLow = Offset & 0xFFFF;
    g->OffsetHigh = Offset >> 16;
    g->Selector = Selector;
    g->Reserved = 0;
    g->Access = Access;
}

VOID KiInitializeIdt(VOID) {
    for (ULONG v = 0; v < 256; v++) {
        UCHAR access = GATE_PRESENT | GATE_INTERRUPT;
        if (v == KI_SYSCALL_VECTOR || v == KI_DEBUG_SERVICE_VECTOR)
            access |= GATE_DPL3;
        set_gate(v, KiTrapStubTable[v], KGDT_R0_CODE, access);
    }
    set_gate(VECTOR_DOUBLE_FAULT, 0, KGDT_DF_TSS, GATE_PRESENT | GATE_TASK);
    /* System services have their own entry (svcentry.asm), as on NT. */
    set_gate(KI_SYSCALL_VECTOR, (ULONG)KiSystemServiceEntry, KGDT_R0_CODE,
             GATE_PRESENT | GATE_INTERRUPT | GATE_DPL3);
    KDESCRIPTOR idtr = {sizeof KiIdt - 1, (ULONG)KiIdt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
    KiPcr.IDT = KiIdt;
    KdPrint("IDT at %p: 256 gates, double fault through task gate 0x%x", KiIdt, KGDT_DF_TSS);
}
