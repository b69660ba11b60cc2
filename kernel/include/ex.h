/*
 * ex.h - executive support: the tagged pool.
 *
 * Why: every kernel allocation carries a four-character tag, as on NT, and the
 * pool keeps per-tag counters so a test can prove that an operation gave back
 * everything it took (a leak is a tag whose bytes in use do not return to
 * where they were).
 */
#ifndef KERNEL_EX_H
#define KERNEL_EX_H

#include <nt/ntstatus.h>

#include "ketypes.h"

typedef enum _POOL_TYPE {
    NonPagedPool = 0,
    PagedPool = 1, /* nothing pages yet: served from the same pages */
} POOL_TYPE;

typedef struct _POOL_TAG_USAGE {
    ULONG Tag;
    ULONG Allocations;
    ULONG Frees;
    SIZE_T BytesInUse; /* bytes the callers asked for, still allocated */
} POOL_TAG_USAGE;

typedef struct _POOL_STATISTICS {
    ULONG PagesInPool;  /* pages taken from Mm for small blocks */
    ULONG LargePages;   /* pages currently held by large blocks */
    ULONG TagsInUse;
} POOL_STATISTICS;

#define POOL_SMALL_LIMIT 2032 /* larger requests get whole pages */

/* NT's fast mutex (fastmutex.c): one interlocked instruction to take or
 * drop it when uncontended; a contended acquire waits on the event. */
typedef struct _FAST_MUTEX {
    LONG Count; /* 1 free, 0 held, below 0: held with waiters */
    PKTHREAD Owner;
    ULONG Contention; /* acquires that had to wait */
    KEVENT Event;
} FAST_MUTEX, *PFAST_MUTEX;
VOID ExInitializeFastMutex(PFAST_MUTEX FastMutex);
VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex);
VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex);

VOID ExInitializePool(VOID);
/* Returns NULL when memory is exhausted. Blocks are 16-byte aligned. */
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
/* Bug-checks BAD_POOL_CALLER on a double free or a tag mismatch, and
 * BAD_POOL_HEADER when the block's header was overwritten. */
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
NT_CHECK_RESULT NTSTATUS ExQueryPoolTagUsage(ULONG Tag, POOL_TAG_USAGE *Usage);
VOID ExQueryPoolStatistics(POOL_STATISTICS *Stats);
/* Calls Callback for each tag that has ever allocated. */
VOID ExEnumeratePoolTags(VOID (*Callback)(const POOL_TAG_USAGE *Usage, PVOID Context), PVOID Context);

/* The executive's object types (exobjects.c). */
struct _OBJECT_TYPE;
extern struct _OBJECT_TYPE *ExEventObjectType, *ExEventPairObjectType, *ExSemaphoreObjectType, *ExMutantObjectType,
    *ExTimerObjectType;
NT_CHECK_RESULT NTSTATUS ExInitializeObjects(VOID);

/* What the pool needs from its host (the kernel, or a host unit test). */
PVOID MiAllocatePoolPages(ULONG Pages);
VOID MiFreePoolPages(PVOID Va, ULONG Pages);

#endif
