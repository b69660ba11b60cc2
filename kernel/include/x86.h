/*
 * x86.h - the few i386 instructions and structures the kernel needs, named.
 *
 * Why: STYLE.md asks for no magic numbers for hardware. Port I/O keeps the NT
 * HAL's names (READ_PORT_UCHAR, WRITE_PORT_UCHAR); control-register bits and
 * descriptor layouts are named after the Intel SDM.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <nt/ntdef.h>

#define CR0_PE 0x00000001u /* protected mode */
#define CR0_WP 0x00010000u /* ring 0 honours read-only pages */
#define CR0_PG 0x80000000u /* paging */

#define EFLAGS_IF 0x00000200u /* interrupts enabled */

/* Page-table entry bits (Intel SDM vol. 3, 4.3). */
#define PTE_PRESENT  0x001u
#define PTE_WRITE    0x002u
#define PTE_USER     0x004u
#define PTE_PWT      0x008u
#define PTE_PCD      0x010u
#define PTE_ACCESSED 0x020u
#define PTE_DIRTY    0x040u
#define PTE_GLOBAL   0x100u
#define PTE_FRAME    0xFFFFF000u

#define PAGE_SIZE  4096u
#define PAGE_SHIFT 12

/* Page-fault error code bits (Intel SDM vol. 3, 4.7). */
#define PF_PRESENT 0x1u /* 1: protection violation, 0: page not present */
#define PF_WRITE   0x2u
#define PF_USER    0x4u

static inline UCHAR READ_PORT_UCHAR(USHORT Port) {
    UCHAR Value;
    __asm__ volatile("inb %1, %0" : "=a"(Value) : "Nd"(Port));
    return Value;
}

static inline VOID WRITE_PORT_UCHAR(USHORT Port, UCHAR Value) {
    __asm__ volatile("outb %0, %1" : : "a"(Value), "Nd"(Port));
}

static inline VOID WRITE_PORT_ULONG(USHORT Port, ULONG Value) {
    __asm__ volatile("outl %0, %1" : : "a"(Value), "Nd"(Port));
}

static inline ULONG KiReadCr0(void) {
    ULONG v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
static inline ULONG KiReadCr2(void) {
    ULONG v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline ULONG KiReadCr3(void) {
    ULONG v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
static inline VOID KiWriteCr3(ULONG v) {
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}
static inline ULONG KiReadCr4(void) {
    ULONG v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline VOID KiInvalidatePage(ULONG_PTR Va) {
    __asm__ volatile("invlpg (%0)" : : "r"(Va) : "memory");
}
static inline ULONG KiReadEflags(void) {
    ULONG v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}
static inline VOID _disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline VOID _enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline VOID KiHalt(void) { __asm__ volatile("hlt" ::: "memory"); }
static inline ULONGLONG __rdtsc(void) {
    ULONG lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((ULONGLONG)hi << 32) | lo;
}
static inline VOID __cpuid(ULONG Leaf, ULONG Out[4]) {
    __asm__ volatile("cpuid" : "=a"(Out[0]), "=b"(Out[1]), "=c"(Out[2]), "=d"(Out[3]) : "a"(Leaf), "c"(0));
}

/* Segment descriptor (Intel SDM vol. 3, 3.4.5), packed as the CPU reads it. */
typedef struct _KGDTENTRY {
    USHORT LimitLow;
    USHORT BaseLow;
    UCHAR BaseMid;
    UCHAR Access;      /* P, DPL, S, type */
    UCHAR Granularity; /* G, D/B, limit 19:16 */
    UCHAR BaseHi;
} __attribute__((packed)) KGDTENTRY;
_Static_assert(sizeof(KGDTENTRY) == 8, "GDT entry is 8 bytes");

/* Interrupt/trap/task gate (Intel SDM vol. 3, 6.11). */
typedef struct _KIDTENTRY {
    USHORT OffsetLow;
    USHORT Selector;
    UCHAR Reserved;
    UCHAR Access; /* P, DPL, type */
    USHORT OffsetHigh;
} __attribute__((packed)) KIDTENTRY;
_Static_assert(sizeof(KIDTENTRY) == 8, "IDT entry is 8 bytes");

typedef struct _KDESCRIPTOR {
    USHORT Limit;
    ULONG Base;
} __attribute__((packed)) KDESCRIPTOR;

/* The 32-bit task-state segment (Intel SDM vol. 3, 7.2.1). */
typedef struct _KTSS {
    USHORT Backlink, Reserved0;
    ULONG Esp0;
    USHORT Ss0, Reserved1;
    ULONG Esp1;
    USHORT Ss1, Reserved2;
    ULONG Esp2;
    USHORT Ss2, Reserved3;
    ULONG Cr3, Eip, EFlags, Eax, Ecx, Edx, Ebx, Esp, Ebp, Esi, Edi;
    USHORT Es, Reserved4, Cs, Reserved5, Ss, Reserved6, Ds, Reserved7;
    USHORT Fs, Reserved8, Gs, Reserved9, LDT, Reserved10;
    USHORT Flags, IoMapBase;
} __attribute__((packed)) KTSS;
_Static_assert(sizeof(KTSS) == 104, "TSS is 104 bytes");

#endif
