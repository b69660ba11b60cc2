/*
 * syspte.c - the system PTE range: kernel virtual space handed out in pages.
 *
 * Why: NT maps what the kernel needs to see (I/O space, pool pages, kernel
 * stacks) into a pool of "system PTEs". Ours spans MM_SYSTEM_PTE_BASE to
 * MM_SYSTEM_PTE_END; its page tables are allocated once, here, in the kernel
 * image, so a mapping never needs memory and every process's address space
 * can later share these directory entries by copying them.
 */
#define KD_COMPONENT "mm"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/rtl.h"
#include "../include/x86.h"

#define SYSPTE_PAGES ((MM_SYSTEM_PTE_END - MM_SYSTEM_PTE_BASE) / PAGE_SIZE)
#define SYSPTE_TABLES (SYSPTE_PAGES / 1024)

static ULONG MiSystemPageTables[SYSPTE_TABLES][1024] __attribute__((aligned(4096)));
static ULONG MiSystemPteBits[SYSPTE_PAGES / 32];
static RTL_BITMAP MiSystemPteMap;
static ULONG MiSystemPteHint;

VOID MiInitializeSystemPtes(VOID) {
    for (ULONG i = 0; i < SYSPTE_TABLES; i++) {
        ULONG phys = (ULONG)MiSystemPageTables[i] - KSEG0_BASE;
        *MiGetPdeAddress(MM_SYSTEM_PTE_BASE + i * 1024 * PAGE_SIZE) = phys | PTE_PRESENT | PTE_WRITE;
    }
    KiWriteCr3(KiReadCr3());
    RtlInitializeBitMap(&MiSystemPteMap, MiSystemPteBits, SYSPTE_PAGES);
    RtlClearAllBits(&MiSystemPteMap);
    KdPrint("system PTEs: 0x%08X-0x%08X, %u pages in %u preallocated page tables", MM_SYSTEM_PTE_BASE,
            MM_SYSTEM_PTE_END - 1, SYSPTE_PAGES, SYSPTE_TABLES);
}

NTSTATUS MiReserveSystemPtes(ULONG Pages, ULONG_PTR *Va) {
    ULONG state = KeDisableInterrupts();
    ULONG at = RtlFindClearBitsAndSet(&MiSystemPteMap, Pages, MiSystemPteHint);
    if (at != 0xFFFFFFFFu)
        MiSystemPteHint = at + Pages;
    KeRestoreInterrupts(state);
    if (at == 0xFFFFFFFFu)
        return STATUS_INSUFFICIENT_RESOURCES;
    *Va = MM_SYSTEM_PTE_BASE + at * PAGE_SIZE;
    return STATUS_SUCCESS;
}

VOID MiReleaseSystemPtes(ULONG_PTR Va, ULONG Pages) {
    if (Va < MM_SYSTEM_PTE_BASE || Va >= MM_SYSTEM_PTE_END || (Va & (PAGE_SIZE - 1)))
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x2000, Va, Pages, 0);
    ULONG first = (Va - MM_SYSTEM_PTE_BASE) / PAGE_SIZE;
    ULONG state = KeDisableInterrupts();
    if (!RtlAreBitsSet(&MiSystemPteMap, first, Pages))
        KeBugCheckEx(MEMORY_MANAGEMENT, 0x2001, Va, Pages, 0); /* releasing what was not reserved */
    RtlClearBits(&MiSystemPteMap, first, Pages);
    KeRestoreInterrupts(state);
}

ULONG MiFreeSystemPtes(VOID) {
    return RtlNumberOfClearBits(&MiSystemPteMap);
}
