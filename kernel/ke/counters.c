/*
 * counters.c - the kernel's event counters: what is counted where.
 *
 * Why: DESIGN.md section 10: under qemu -icount an instruction count is not
 * a cycle count (a CR3 load is one instruction there and hundreds of cycles
 * on silicon), so every benchmark figure comes with the events behind it.
 * Each event is counted twice, in the processor block (the system since
 * boot) and in the running thread (since it started), so a program can
 * measure its own work exactly while the system-wide figures show what the
 * other side of an IPC did. NtQuerySystemInformation(SystemEventCounter-
 * Information) hands both out (kernel/ex/sysinfo.c).
 *
 * Where each is counted (KeCountEvent, ke.h):
 *   SystemCalls           every int 0x2E entry: svcentry.asm (fast path), syscall.c (the rest)
 *   LpcMessages           kernel/lpc: each message queued (LpcpEnqueue, NtRequestWaitReplyPort) and each reply or
 *                         connection answer handed to its waiter
 *   QuickLpcCalls         event.c: each set-one-wait-on-the-other of an event pair
 *   ContextSwitches       sched.c: on the thread switched in
 *   AddressSpaceSwitches  sched.c: a CR3 load that changes the address space (on the thread
 *                         switched in, or on the thread that attaches or detaches)
 *   BytesCopied           kernel/lpc: message data copied in from the sender and out to the
 *                         receiver; KeCountGdiBatch: the batches win32k copies in
 *   GdiBatches/GdiRecords KeCountGdiBatch, called by the kernel-mode GDI host
 */
#include "../include/ke.h"

VOID KeCountGdiBatch(ULONG Records, ULONG Bytes) {
    KeCountEvent(GdiBatches, 1);
    KeCountEvent(GdiRecords, Records);
    KeCountEvent(BytesCopied, Bytes);
}
