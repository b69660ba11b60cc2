/*
 * host_nt.c - the NT services the run-time library calls (virtual memory,
 * yield, string memory), done on the host for the unit tests.
 *
 * Why: libs/rtl's heap reserves address space and commits pages as it grows,
 * exactly as it will under Daytona's memory manager. Here reserve and commit
 * are mmap and mprotect: reserved-but-uncommitted pages are PROT_NONE, so a
 * heap that touches a page it never committed dies on the spot instead of
 * passing by luck. Every region is recorded, so a test can count regions
 * (large blocks give theirs back; RtlDestroyHeap leaves none), and a release
 * of an address that is not a region's base fails with NT's status. Regions
 * are 64 KiB aligned, as NT's are. A countdown can make allocations fail, to
 * test out-of-memory paths. String memory for the "Allocate" Rtl string
 * routines is malloc, counted, so LeakSanitizer and the tests both see leaks.
 *
 * Linked into every host unit test; tests that use the hooks declare them
 * with extern (the list is below).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <nt/rtlheap.h>
#include <nt/rtlstring.h>

#define HOST_PAGE_SIZE 4096u
#define HOST_REGION_ALIGNMENT 0x10000u
#define HOST_MAX_REGIONS 4096

/* ---- hooks for the tests (declare them extern where used) ---- */

/* The number of live regions, and their committed and reserved bytes. */
ULONG HostNtRegionCount(void);
SIZE_T HostNtCommittedBytes(void);
SIZE_T HostNtReservedBytes(void);
/* TRUE when Address lies in a live region; its base and size come back. */
BOOLEAN HostNtQueryRegion(PVOID Address, PVOID *Base, SIZE_T *Size);
/* -1: NtAllocateVirtualMemory never fails on purpose. N >= 0: the next N
 * calls behave, every call after them fails with STATUS_NO_MEMORY. */
LONG HostNtAllocateFailCountdown = -1;
ULONG HostNtAllocateCalls;
ULONG HostNtFreeCalls;
/* String memory outstanding, and a switch that makes allocations fail. */
ULONG HostStringAllocationsOutstanding;
BOOLEAN HostStringFailAllocations;

typedef struct _HOST_REGION {
    PUCHAR Base; /* NULL: the slot is free */
    SIZE_T Size;
    PUCHAR Committed; /* one flag per page */
} HOST_REGION;

static HOST_REGION HostRegions[HOST_MAX_REGIONS];
static pthread_mutex_t HostNtLock = PTHREAD_MUTEX_INITIALIZER;

static HOST_REGION *region_containing(ULONG_PTR Address) {
    for (int i = 0; i < HOST_MAX_REGIONS; i++) {
        HOST_REGION *r = &HostRegions[i];
        if (r->Base != NULL && Address >= (ULONG_PTR)r->Base && Address - (ULONG_PTR)r->Base < r->Size)
            return r;
    }
    return NULL;
}

static int host_protection(ULONG Protect) {
    switch (Protect) {
    case PAGE_NOACCESS: return PROT_NONE;
    case PAGE_READONLY: return PROT_READ;
    case PAGE_READWRITE: return PROT_READ | PROT_WRITE;
    default: return -1;
    }
}

/* Maps Size bytes of PROT_NONE address space at a 64 KiB boundary (at Want
 * exactly, when Want is not NULL); NULL on failure. */
static PUCHAR map_aligned(PUCHAR Want, SIZE_T Size) {
    if (Want != NULL) {
        void *p = mmap(Want, Size, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED)
            return NULL;
        if (p != Want) { /* an old kernel took the address as a hint */
            munmap(p, Size);
            return NULL;
        }
        return p;
    }
    SIZE_T span = Size + HOST_REGION_ALIGNMENT;
    void *p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    ULONG_PTR start = (ULONG_PTR)p, aligned = ALIGN_UP(start, (ULONG_PTR)HOST_REGION_ALIGNMENT);
    if (aligned > start)
        munmap(p, aligned - start);
    if (start + span > aligned + Size)
        munmap((void *)(aligned + Size), start + span - (aligned + Size));
    return (PUCHAR)aligned;
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect) {
    (void)ZeroBits;
    if (ProcessHandle != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    if (BaseAddress == NULL || RegionSize == NULL)
        return STATUS_ACCESS_VIOLATION;
    if (AllocationType == 0 || (AllocationType & ~(ULONG)(MEM_COMMIT | MEM_RESERVE)) != 0)
        return STATUS_INVALID_PARAMETER;
    int prot = host_protection(Protect);
    if (prot < 0)
        return STATUS_INVALID_PAGE_PROTECTION;
    SIZE_T size = *RegionSize;
    ULONG_PTR want = (ULONG_PTR)*BaseAddress;
    if (size == 0 || size > ((SIZE_T)1 << 40) || want + size < want)
        return STATUS_INVALID_PARAMETER;

    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&HostNtLock);
    HostNtAllocateCalls++;
    if (HostNtAllocateFailCountdown == 0) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    if (HostNtAllocateFailCountdown > 0)
        HostNtAllocateFailCountdown--;

    if ((AllocationType & MEM_RESERVE) || want == 0) {
        /* A new region: reserved, and committed too when asked. */
        ULONG_PTR start = ALIGN_DOWN(want, (ULONG_PTR)HOST_REGION_ALIGNMENT);
        SIZE_T length = ALIGN_UP(want + size, (ULONG_PTR)HOST_PAGE_SIZE) - start;
        HOST_REGION *slot = NULL;
        for (int i = 0; i < HOST_MAX_REGIONS && slot == NULL; i++)
            if (HostRegions[i].Base == NULL)
                slot = &HostRegions[i];
        if (slot == NULL) {
            status = STATUS_NO_MEMORY;
            goto out;
        }
        PUCHAR committed = calloc(length / HOST_PAGE_SIZE, 1);
        if (committed == NULL) {
            status = STATUS_NO_MEMORY;
            goto out;
        }
        PUCHAR base = map_aligned((PUCHAR)start, length);
        if (base == NULL) {
            free(committed);
            status = want != 0 ? STATUS_CONFLICTING_ADDRESSES : STATUS_NO_MEMORY;
            goto out;
        }
        if (AllocationType & MEM_COMMIT) {
            mprotect(base, length, prot);
            memset(committed, 1, length / HOST_PAGE_SIZE);
        }
        slot->Base = base;
        slot->Size = length;
        slot->Committed = committed;
        *BaseAddress = base;
        *RegionSize = length;
        goto out;
    }

    /* Committing pages of a reserved region. */
    ULONG_PTR start = ALIGN_DOWN(want, (ULONG_PTR)HOST_PAGE_SIZE);
    ULONG_PTR end = ALIGN_UP(want + size, (ULONG_PTR)HOST_PAGE_SIZE);
    HOST_REGION *r = region_containing(start);
    if (r == NULL || end - (ULONG_PTR)r->Base > r->Size) {
        status = STATUS_CONFLICTING_ADDRESSES;
        goto out;
    }
    if (mprotect((void *)start, end - start, prot) != 0) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    memset(r->Committed + (start - (ULONG_PTR)r->Base) / HOST_PAGE_SIZE, 1, (end - start) / HOST_PAGE_SIZE);
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start;
out:
    pthread_mutex_unlock(&HostNtLock);
    return status;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                   ULONG FreeType) {
    if (ProcessHandle != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    if (BaseAddress == NULL || RegionSize == NULL)
        return STATUS_ACCESS_VIOLATION;
    if (FreeType != MEM_RELEASE && FreeType != MEM_DECOMMIT)
        return STATUS_INVALID_PARAMETER;

    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&HostNtLock);
    HostNtFreeCalls++;
    ULONG_PTR address = (ULONG_PTR)*BaseAddress;
    SIZE_T size = *RegionSize;
    HOST_REGION *r = region_containing(address);
    if (r == NULL) {
        status = STATUS_MEMORY_NOT_ALLOCATED;
        goto out;
    }
    ULONG_PTR start, end;
    if (size == 0) {
        /* The whole region, named by its base. */
        if (address != (ULONG_PTR)r->Base) {
            status = STATUS_FREE_VM_NOT_AT_BASE;
            goto out;
        }
        start = address;
        end = address + r->Size;
    } else {
        start = ALIGN_DOWN(address, (ULONG_PTR)HOST_PAGE_SIZE);
        end = ALIGN_UP(address + size, (ULONG_PTR)HOST_PAGE_SIZE);
        if (end < start || end - (ULONG_PTR)r->Base > r->Size) {
            status = STATUS_INVALID_PARAMETER;
            goto out;
        }
    }

    if (FreeType == MEM_RELEASE) {
        /* Whole regions only (NT also splits regions; nothing here needs it). */
        if (start != (ULONG_PTR)r->Base || end - start != r->Size) {
            status = STATUS_INVALID_PARAMETER;
            goto out;
        }
        munmap(r->Base, r->Size);
        free(r->Committed);
        r->Base = NULL;
        r->Size = 0;
        r->Committed = NULL;
    } else {
        /* Fresh PROT_NONE pages: the contents go, a later commit sees zeros. */
        void *p = mmap((void *)start, end - start, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED) {
            status = STATUS_NO_MEMORY;
            goto out;
        }
        memset(r->Committed + (start - (ULONG_PTR)r->Base) / HOST_PAGE_SIZE, 0,
               (end - start) / HOST_PAGE_SIZE);
    }
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start;
out:
    pthread_mutex_unlock(&HostNtLock);
    return status;
}

NTSTATUS NTAPI NtYieldExecution(VOID) {
    sched_yield();
    return STATUS_SUCCESS;
}

ULONG HostNtRegionCount(void) {
    pthread_mutex_lock(&HostNtLock);
    ULONG n = 0;
    for (int i = 0; i < HOST_MAX_REGIONS; i++)
        if (HostRegions[i].Base != NULL)
            n++;
    pthread_mutex_unlock(&HostNtLock);
    return n;
}

SIZE_T HostNtCommittedBytes(void) {
    pthread_mutex_lock(&HostNtLock);
    SIZE_T bytes = 0;
    for (int i = 0; i < HOST_MAX_REGIONS; i++) {
        HOST_REGION *r = &HostRegions[i];
        if (r->Base == NULL)
            continue;
        for (SIZE_T page = 0; page < r->Size / HOST_PAGE_SIZE; page++)
            bytes += r->Committed[page] ? HOST_PAGE_SIZE : 0;
    }
    pthread_mutex_unlock(&HostNtLock);
    return bytes;
}

SIZE_T HostNtReservedBytes(void) {
    pthread_mutex_lock(&HostNtLock);
    SIZE_T bytes = 0;
    for (int i = 0; i < HOST_MAX_REGIONS; i++)
        bytes += HostRegions[i].Base != NULL ? HostRegions[i].Size : 0;
    pthread_mutex_unlock(&HostNtLock);
    return bytes;
}

BOOLEAN HostNtQueryRegion(PVOID Address, PVOID *Base, SIZE_T *Size) {
    pthread_mutex_lock(&HostNtLock);
    HOST_REGION *r = region_containing((ULONG_PTR)Address);
    if (r != NULL) {
        if (Base != NULL)
            *Base = r->Base;
        if (Size != NULL)
            *Size = r->Size;
    }
    pthread_mutex_unlock(&HostNtLock);
    return r != NULL;
}

/* ---- string memory ---- */

PVOID RtlpAllocateStringMemory(SIZE_T Bytes) {
    if (HostStringFailAllocations)
        return NULL;
    PVOID p = malloc(Bytes != 0 ? Bytes : 1);
    if (p != NULL)
        __atomic_add_fetch(&HostStringAllocationsOutstanding, 1, __ATOMIC_RELAXED);
    return p;
}

VOID RtlpFreeStringMemory(PVOID P) {
    if (P == NULL)
        return;
    __atomic_sub_fetch(&HostStringAllocationsOutstanding, 1, __ATOMIC_RELAXED);
    free(P);
}
