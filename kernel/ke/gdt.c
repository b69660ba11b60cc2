/*
 * gdt.c - the global descriptor table, the task-state segments and the
 * processor control region.
 *
 * Why: the GDT is NT's: flat ring-0 and ring-3 code and data, the TSS that
 * gives ring 0 its stack on a trap from user mode, a small segment for the
 * KPCR (fs in kernel mode) and one for the TEB (fs in user mode). A second
 * TSS serves the double fault through a task gate: when the kernel stack is
 * gone, the processor switches to a fresh stack in that task, and the STOP
 * screen can still be drawn instead of the machine triple-faulting.
 */
#define KD_COMPONENT "ke"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/rtl.h"
#include "../include/x86.h"

/* Access bytes (Intel SDM vol. 3, 3.4.5): present, DPL, code/data or system. */
#define ACC_PRESENT 0x80
#define ACC_DPL3 0x60
#define ACC_SEGMENT 0x10 /* code or data, not a system descriptor */
#define ACC_CODE_RX 0x0A
#define ACC_DATA_RW 0x02
#define ACC_TSS32 0x09  /* available 32-bit TSS */
#define GRAN_4K_32 0xC0 /* 4 KiB granularity, 32-bit default size */
#define GRAN_BYTE_32 0x40

#define DF_STACK_SIZE 8192

KPCR KiPcr;
static KGDTENTRY KiGdt[KGDT_COUNT] __attribute__((aligned(8)));
KTSS KiTss;
KTSS KiDoubleFaultTss;
static UCHAR KiDoubleFaultStack[DF_STACK_SIZE] __attribute__((aligned(16)));

extern VOID KiDoubleFaultTask(VOID);
extern UCHAR KiBootStackTop[];

static void set_entry(ULONG Selector, ULONG Base, ULONG Limit, UCHAR Access, UCHAR Granularity) {
    KGDTENTRY *e = &KiGdt[Selector >> 3];
    e->LimitLow = Limit & 0xFFFF;
    e->BaseLow = Base & 0xFFFF;
    e->BaseMid = (Base >> 16) & 0xFF;
    e->Access = Access;
    e->Granularity = (UCHAR)(Granularity | ((Limit >> 16) & 0x0F));
    e->BaseHi = (Base >> 24) & 0xFF;
}

VOID KiInitializeGdt(VOID) {
    memset(KiGdt, 0, sizeof KiGdt);
    set_entry(KGDT_R0_CODE, 0, 0xFFFFF, ACC_PRESENT | ACC_SEGMENT | ACC_CODE_RX, GRAN_4K_32);
    set_entry(KGDT_R0_DATA, 0, 0xFFFFF, ACC_PRESENT | ACC_SEGMENT | ACC_DATA_RW, GRAN_4K_32);
    set_entry(KGDT_R3_CODE, 0, 0xFFFFF, ACC_PRESENT | ACC_DPL3 | ACC_SEGMENT | ACC_CODE_RX, GRAN_4K_32);
    set_entry(KGDT_R3_DATA, 0, 0xFFFFF, ACC_PRESENT | ACC_DPL3 | ACC_SEGMENT | ACC_DATA_RW, GRAN_4K_32);
    set_entry(KGDT_TSS, (ULONG)&KiTss, sizeof KiTss - 1, ACC_PRESENT | ACC_TSS32, 0);
    set_entry(KGDT_R0_PCR, (ULONG)&KiPcr, sizeof KiPcr - 1, ACC_PRESENT | ACC_SEGMENT | ACC_DATA_RW,
              GRAN_BYTE_32);
    /* The TEB segment gets its base when the first thread runs (issue 3);
     * until then it is a present, empty ring-3 data segment. */
    set_entry(KGDT_R3_TEB, 0, 0xFFF, ACC_PRESENT | ACC_DPL3 | ACC_SEGMENT | ACC_DATA_RW, GRAN_BYTE_32);
    set_entry(KGDT_DF_TSS, (ULONG)&KiDoubleFaultTss, sizeof KiDoubleFaultTss - 1, ACC_PRESENT | ACC_TSS32, 0);

    memset(&KiTss, 0, sizeof KiTss);
    KiTss.Ss0 = KGDT_R0_DATA;
    KiTss.Esp0 = (ULONG)KiBootStackTop;
    KiTss.IoMapBase = sizeof KiTss; /* no I/O permission bitmap: ring 3 gets no ports */

    /* The double-fault task: its own stack, the kernel's page directory. */
    memset(&KiDoubleFaultTss, 0, sizeof KiDoubleFaultTss);
    KiDoubleFaultTss.Esp0 = KiDoubleFaultTss.Esp = (ULONG)(KiDoubleFaultStack + DF_STACK_SIZE);
    KiDoubleFaultTss.Ss0 = KiDoubleFaultTss.Ss = KGDT_R0_DATA;
    KiDoubleFaultTss.Ds = KiDoubleFaultTss.Es = KGDT_R0_DATA;
    KiDoubleFaultTss.Fs = KGDT_R0_PCR;
    KiDoubleFaultTss.Cs = KGDT_R0_CODE;
    KiDoubleFaultTss.Eip = (ULONG)KiDoubleFaultTask;
    KiDoubleFaultTss.EFlags = 0x2; /* reserved bit 1; interrupts off */
    KiDoubleFaultTss.Cr3 = KiReadCr3();
    KiDoubleFaultTss.IoMapBase = sizeof KiDoubleFaultTss;

    KDESCRIPTOR gdtr = {sizeof KiGdt - 1, (ULONG)KiGdt};
    __asm__ volatile("lgdt %0\n\t"
                     "ljmp %1, $1f\n"
                     "1:\n\t"
                     "mov %2, %%ds\n\t"
                     "mov %2, %%es\n\t"
                     "mov %2, %%ss\n\t"
                     "mov %2, %%gs\n\t"
                     "mov %3, %%fs\n\t"
                     :
                     : "m"(gdtr), "i"(KGDT_R0_CODE), "r"((ULONG)KGDT_R0_DATA), "r"((ULONG)KGDT_R0_PCR)
                     : "memory");
    USHORT tr = KGDT_TSS;
    __asm__ volatile("ltr %0" : : "r"(tr));

    memset(&KiPcr, 0, sizeof KiPcr);
    KiPcr.SelfPcr = &KiPcr;
    KiPcr.GDT = KiGdt;
    KiPcr.TSS = &KiTss;
    KiPcr.MajorVersion = 1;
    KiPcr.MinorVersion = 1;
    KdPrint("GDT at %p (%u entries), TSS 0x%x, KPCR %p", KiGdt, KGDT_COUNT, KGDT_TSS, &KiPcr);
}

/* Points the user-mode fs segment (KGDT_R3_TEB) at a thread's TEB; called on
 * every switch to a thread that has one, as NT does. */
VOID KiSetTebSelectorBase(ULONG Base) {
    KGDTENTRY *e = &KiGdt[KGDT_R3_TEB >> 3];
    e->BaseLow = Base & 0xFFFF;
    e->BaseMid = (Base >> 16) & 0xFF;
    e->BaseHi = (Base >> 24) & 0xFF;
}
