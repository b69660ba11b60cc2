/*
 * rtlheap.h - NT's heap API (RtlCreateHeap, RtlAllocateHeap, ...): the heap
 * under ntdll.dll's process heap, HeapAlloc and malloc.
 *
 * Why: NT's heap is a run-time library component, not a kernel one: it sits
 * on top of the virtual memory services (reserve a range, commit pages as it
 * grows) and runs wherever those services exist. libs/rtl/heap.c is that
 * heap; its header explains the design. The host unit tests supply the
 * virtual memory services on top of mmap (tests/unit/host_nt.c).
 *
 * The Nt services it calls are declared here with NT's exact prototypes, so
 * the heap builds before a full native-API header exists; identical
 * declarations elsewhere are compatible.
 */
#ifndef NT_RTLHEAP_H
#define NT_RTLHEAP_H

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* ---- what the heap needs from the virtual memory manager ---- */

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif

#ifndef MEM_COMMIT
#define MEM_COMMIT 0x00001000
#endif
#ifndef MEM_RESERVE
#define MEM_RESERVE 0x00002000
#endif
#ifndef MEM_DECOMMIT
#define MEM_DECOMMIT 0x00004000
#endif
#ifndef MEM_RELEASE
#define MEM_RELEASE 0x00008000
#endif

#ifndef PAGE_NOACCESS
#define PAGE_NOACCESS 0x01
#endif
#ifndef PAGE_READONLY
#define PAGE_READONLY 0x02
#endif
#ifndef PAGE_READWRITE
#define PAGE_READWRITE 0x04
#endif

/* Status codes the virtual memory services return that ntstatus.h does not
 * have yet (NT's numbers). */

/* Reserves and/or commits pages. *BaseAddress NULL: the system picks the
 * address; *BaseAddress and *RegionSize come back page-rounded. */
NT_CHECK_RESULT NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                       ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                       ULONG AllocationType, ULONG Protect);
/* Decommits pages or releases a whole reserved region (MEM_RELEASE with
 * *RegionSize 0 and *BaseAddress the region's base). */
NT_CHECK_RESULT NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
                                                   PSIZE_T RegionSize, ULONG FreeType);
/* Gives the processor to another ready thread; the heap calls it while
 * waiting for a contended lock. Its status carries no failure. */
NTSTATUS NTAPI NtYieldExecution(VOID);

/* ---- the heap ---- */

#ifndef HEAP_NO_SERIALIZE
#define HEAP_NO_SERIALIZE 0x00000001 /* the caller serialises; no lock */
#endif
#ifndef HEAP_GROWABLE
#define HEAP_GROWABLE 0x00000002 /* add segments when full */
#endif
#ifndef HEAP_GENERATE_EXCEPTIONS
#define HEAP_GENERATE_EXCEPTIONS 0x00000004 /* accepted and ignored: failures return NULL */
#endif
#ifndef HEAP_ZERO_MEMORY
#define HEAP_ZERO_MEMORY 0x00000008 /* zero the block (on realloc: the new tail) */
#endif
#ifndef HEAP_REALLOC_IN_PLACE_ONLY
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010 /* fail rather than move the block */
#endif

/* Creates a heap and returns its handle, or NULL. HeapBase must be NULL
 * (caller-supplied memory is refused), as must Lock (caller-supplied locks
 * are not supported); Parameters is ignored. ReserveSize 0 reserves 1 MiB;
 * CommitSize 0 commits one page; both are rounded up to pages. */
PVOID NTAPI RtlCreateHeap(ULONG Flags, PVOID HeapBase, SIZE_T ReserveSize, SIZE_T CommitSize, PVOID Lock,
                          PVOID Parameters);
/* Releases every region of the heap. NULL on success; the handle itself when
 * it is not a heap or a region could not be released. */
PVOID NTAPI RtlDestroyHeap(PVOID HeapHandle);
/* Returns Size bytes, 8-byte aligned (zeroed with HEAP_ZERO_MEMORY), or NULL.
 * Size 0 gives a valid, distinct block. */
PVOID NTAPI RtlAllocateHeap(PVOID HeapHandle, ULONG Flags, SIZE_T Size);
/* Frees a block. TRUE for NULL, as NT; FALSE for a pointer this heap did not
 * hand out or already freed (the heap is not touched). */
BOOLEAN NTAPI RtlFreeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
/* Resizes a block, keeping its contents up to the smaller size: in place when
 * it can (shrinking, or growing into a free neighbour or fresh pages at the
 * end of its segment), else by moving it unless HEAP_REALLOC_IN_PLACE_ONLY.
 * NULL (old block intact) on failure or for a bad or NULL BaseAddress. */
PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size);
/* The size asked for when the block was allocated or last resized;
 * (SIZE_T)-1 for a pointer this heap did not hand out. */
SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
/* Checks one block (BaseAddress) or, with BaseAddress NULL, every segment,
 * block, free list and large block and the statistics. TRUE when sound. */
BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);

/* Daytona's own heap counters, for leak tests. */
typedef struct _RTLP_HEAP_STATISTICS {
    SIZE_T BytesInUse;     /* sum of the sizes callers asked for, live blocks */
    SIZE_T BlocksInUse;    /* live blocks, large ones included */
    SIZE_T BytesCommitted; /* committed pages of segments and large blocks */
    SIZE_T BytesReserved;  /* reserved address space, the same regions */
    ULONG Segments;        /* segments (reserved regions of small blocks) */
    ULONG LargeBlocks;     /* blocks living in their own region */
} RTLP_HEAP_STATISTICS, *PRTLP_HEAP_STATISTICS;

/* Fills Statistics: STATUS_INVALID_PARAMETER for a NULL Statistics or a
 * handle that is not a heap. */
NT_CHECK_RESULT NTSTATUS NTAPI RtlpQueryHeapStatistics(PVOID HeapHandle, PRTLP_HEAP_STATISTICS Statistics);

#endif
