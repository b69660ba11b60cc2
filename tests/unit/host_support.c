/*
 * host_support.c - what the pure kernel code expects from the kernel around
 * it, done on the host for the unit tests.
 *
 * Why: the parser, allocator and pool call a few kernel services (bug checks,
 * interrupt masking, whole pool pages). Here a bug check either longjmps back
 * into a test that expected it or aborts loudly, interrupts are a no-op on one
 * host thread, and pool pages come from aligned_alloc with a record of every
 * live allocation, so a test can see pages outstanding, make the next
 * allocation fail, and notice a free with the wrong address or page count.
 * The table also keeps live pages reachable, so LeakSanitizer does not count
 * the pages the pool deliberately keeps as leaks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/include/ke.h"
#include "../../kernel/include/mm.h"
#include "unit.h"

#define HOST_PAGE_SIZE 4096u
#define HOST_MAX_POOL_ALLOCATIONS 4096

jmp_buf *volatile HostBugCheckJump;
HOST_BUGCHECK HostLastBugCheck;

ULONG HostPoolPagesOutstanding;
ULONG HostPoolAllocateCalls;
ULONG HostPoolFreeMismatches;
BOOLEAN HostPoolFailAllocations;

static struct {
    PVOID Va;
    ULONG Pages;
} HostPoolAllocations[HOST_MAX_POOL_ALLOCATIONS];

VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4) {
    jmp_buf *target = HostBugCheckJump;
    if (target == NULL) {
        fprintf(stderr, "*** STOP: 0x%08X (0x%llX, 0x%llX, 0x%llX, 0x%llX) outside EXPECT_BUGCHECK\n",
                (unsigned)BugCheckCode, (unsigned long long)P1, (unsigned long long)P2,
                (unsigned long long)P3, (unsigned long long)P4);
        fflush(stdout);
        abort();
    }
    HostBugCheckJump = NULL; /* a bug check while unwinding must not loop */
    HostLastBugCheck.Code = BugCheckCode;
    HostLastBugCheck.P1 = P1;
    HostLastBugCheck.P2 = P2;
    HostLastBugCheck.P3 = P3;
    HostLastBugCheck.P4 = P4;
    HostLastBugCheck.Count++;
    longjmp(*target, 1);
}

ULONG KeDisableInterrupts(VOID) {
    return 0;
}

VOID KeRestoreInterrupts(ULONG State) {
    (void)State;
}

PVOID MiAllocatePoolPages(ULONG Pages) {
    HostPoolAllocateCalls++;
    if (HostPoolFailAllocations || Pages == 0)
        return NULL;
    int slot = 0;
    while (slot < HOST_MAX_POOL_ALLOCATIONS && HostPoolAllocations[slot].Va != NULL)
        slot++;
    if (slot == HOST_MAX_POOL_ALLOCATIONS) {
        fprintf(stderr, "host_support: more than %d live pool allocations\n", HOST_MAX_POOL_ALLOCATIONS);
        abort();
    }
    PVOID va = aligned_alloc(HOST_PAGE_SIZE, (size_t)Pages * HOST_PAGE_SIZE);
    if (va == NULL)
        return NULL;
    memset(va, 0, (size_t)Pages * HOST_PAGE_SIZE);
    HostPoolAllocations[slot].Va = va;
    HostPoolAllocations[slot].Pages = Pages;
    HostPoolPagesOutstanding += Pages;
    return va;
}

VOID MiFreePoolPages(PVOID Va, ULONG Pages) {
    if (Va == NULL) {
        HostPoolFreeMismatches++;
        return;
    }
    for (int slot = 0; slot < HOST_MAX_POOL_ALLOCATIONS; slot++) {
        if (HostPoolAllocations[slot].Va != Va)
            continue;
        if (HostPoolAllocations[slot].Pages != Pages) {
            HostPoolFreeMismatches++;
            return; /* keep the pages: the test reports the mismatch */
        }
        HostPoolAllocations[slot].Va = NULL;
        HostPoolPagesOutstanding -= Pages;
        free(Va);
        return;
    }
    HostPoolFreeMismatches++;
}
