/*
 * pic.c - the two 8259A interrupt controllers (the HAL's job on NT).
 *
 * Why: the PC's PICs deliver IRQ 0-7 on vectors 8-15 by default, on top of
 * the processor's own exceptions. We remap them to NT's PRIMARY_VECTOR_BASE
 * (0x30), mask every line until a driver connects to it, and tell a real
 * IRQ 7/15 from a spurious one by reading the in-service register.
 */
#include "../include/ke.h"
#include "../include/x86.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA 0xA1
#define ICW1_INIT 0x10
#define ICW1_ICW4 0x01
#define ICW4_8086 0x01
#define OCW2_EOI 0x20
#define OCW3_READ_ISR 0x0B
#define PIC_CASCADE_IRQ 2

static USHORT HalpIrqMask = 0xFFFF;

static void write_masks(void) {
    WRITE_PORT_UCHAR(PIC1_DATA, HalpIrqMask & 0xFF);
    WRITE_PORT_UCHAR(PIC2_DATA, HalpIrqMask >> 8);
}

VOID HalInitializePic(VOID) {
    WRITE_PORT_UCHAR(PIC1_COMMAND, ICW1_INIT | ICW1_ICW4);
    WRITE_PORT_UCHAR(PIC2_COMMAND, ICW1_INIT | ICW1_ICW4);
    WRITE_PORT_UCHAR(PIC1_DATA, PRIMARY_VECTOR_BASE);     /* ICW2: IRQ 0-7 at 0x30 */
    WRITE_PORT_UCHAR(PIC2_DATA, PRIMARY_VECTOR_BASE + 8); /* ICW2: IRQ 8-15 at 0x38 */
    WRITE_PORT_UCHAR(PIC1_DATA, 1u << PIC_CASCADE_IRQ);   /* ICW3: slave on IRQ 2 */
    WRITE_PORT_UCHAR(PIC2_DATA, PIC_CASCADE_IRQ);         /* ICW3: slave identity */
    WRITE_PORT_UCHAR(PIC1_DATA, ICW4_8086);
    WRITE_PORT_UCHAR(PIC2_DATA, ICW4_8086);
    HalpIrqMask = 0xFFFF & ~(1u << PIC_CASCADE_IRQ);
    write_masks();
}

VOID HalEnableSystemInterrupt(ULONG Irq) {
    HalpIrqMask &= ~(1u << Irq);
    write_masks();
}

static UCHAR read_isr(USHORT Command) {
    WRITE_PORT_UCHAR(Command, OCW3_READ_ISR);
    return READ_PORT_UCHAR(Command);
}

/* A spurious IRQ 7 or 15 is not in service; a spurious 15 still needs the
 * master's EOI for the cascade line. */
BOOLEAN HalIsSpuriousInterrupt(ULONG Irq) {
    if (Irq == 7 && !(read_isr(PIC1_COMMAND) & 0x80))
        return TRUE;
    if (Irq == 15 && !(read_isr(PIC2_COMMAND) & 0x80)) {
        WRITE_PORT_UCHAR(PIC1_COMMAND, OCW2_EOI);
        return TRUE;
    }
    return FALSE;
}

VOID HalEndSystemInterrupt(ULONG Irq) {
    if (Irq >= 8)
        WRITE_PORT_UCHAR(PIC2_COMMAND, OCW2_EOI);
    WRITE_PORT_UCHAR(PIC1_COMMAND, OCW2_EOI);
}
