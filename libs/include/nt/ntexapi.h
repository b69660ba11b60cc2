/*
 * ntexapi.h - what NtQuerySystemInformation returns: the information
 * classes Daytona answers and their layouts.
 *
 * Why: the kernel fills these and several programs read them (ntinfo,
 * the test programs, the benchmark, kernel32's GetSystemInfo); one
 * definition keeps them from drifting apart. The layouts are NT's where
 * NT has them; SYSTEM_PERFORMANCE_INFORMATION is Daytona's own counters
 * block (DESIGN.md section 10), not NT's much larger one.
 */
#ifndef NT_NTEXAPI_H
#define NT_NTEXAPI_H

#include <nt/ntdef.h>

typedef enum _SYSTEM_INFORMATION_CLASS {
    SystemBasicInformation = 0,
    SystemPerformanceInformation = 2,
    SystemProcessInformation = 5,
    SystemPoolTagInformation = 22,
} SYSTEM_INFORMATION_CLASS;

typedef struct _SYSTEM_BASIC_INFORMATION {
    ULONG Reserved;
    ULONG TimerResolution; /* 100 ns units */
    ULONG PageSize;
    ULONG NumberOfPhysicalPages;
    ULONG LowestPhysicalPageNumber;
    ULONG HighestPhysicalPageNumber;
    ULONG AllocationGranularity;
    ULONG_PTR MinimumUserModeAddress;
    ULONG_PTR MaximumUserModeAddress;
    ULONG_PTR ActiveProcessorsAffinityMask;
    CHAR NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;

/* Daytona's counters, in place of NT's much larger performance block
 * (issue 6's benchmark reads these). */
typedef struct _SYSTEM_PERFORMANCE_INFORMATION {
    ULONGLONG InterruptTime; /* 100 ns units since boot */
    ULONG SystemCalls;
    ULONG ContextSwitches;
    ULONG AddressSpaceSwitches;
    ULONG DirectHandoffs;
    ULONG PageFaults;
    ULONG AvailablePages;
    ULONG TotalPages;
    ULONG PoolPages;
    ULONG PoolLargePages;
} SYSTEM_PERFORMANCE_INFORMATION;

typedef struct _SYSTEM_PROCESS_INFORMATION {
    ULONG NextEntryOffset; /* 0 on the last entry */
    ULONG NumberOfThreads;
    LARGE_INTEGER Reserved[3];
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER UserTime;
    LARGE_INTEGER KernelTime;
    UNICODE_STRING ImageName;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
    ULONG HandleCount;
    ULONG CommittedPages; /* Daytona: private pages committed */
    ULONG Exited;         /* Daytona: the process has ended, its object is still referenced */
} SYSTEM_PROCESS_INFORMATION;

typedef struct _SYSTEM_POOLTAG {
    ULONG Tag;
    ULONG PagedAllocs, PagedFrees;
    SIZE_T PagedUsed;
    ULONG NonPagedAllocs, NonPagedFrees;
    SIZE_T NonPagedUsed;
} SYSTEM_POOLTAG;

/* Daytona's own class (NT has none like it; its display driver asked the
 * miniport): the mode of the display \Device\Video0 maps. */
#define SystemDisplayInformation 0x80

typedef struct _DISPLAY_INFORMATION {
    ULONG Width, Height;
    ULONG Pitch;          /* bytes per row */
    ULONG BitsPerPixel;   /* 15/16, 24 or 32 */
    ULONG RedMask, GreenMask, BlueMask;
    ULONG FrameBufferLength;
} DISPLAY_INFORMATION;

/* Daytona's event counters (DESIGN.md section 10): one block system-wide and one per thread. */
typedef struct _SYSTEM_EVENT_COUNTERS {
    ULONG SystemCalls;          /* int 0x2E entries, every table */
    ULONG LpcMessages;          /* LPC messages sent: requests, replies, datagrams, connection and death messages */
    ULONG QuickLpcCalls;        /* event-pair handoffs: NtSet{High,Low}Wait{Low,High}{Thread,EventPair} */
    ULONG ContextSwitches;      /* a thread switched in */
    ULONG AddressSpaceSwitches; /* CR3 loads */
    ULONG BytesCopied;          /* bytes the kernel copied between address spaces: LPC message data, win32k's batch copies */
    ULONG GdiBatches;           /* GDI batches run by the kernel-mode GDI host (GDI=kernel) */
    ULONG GdiRecords;           /* records in those batches */
} SYSTEM_EVENT_COUNTERS;
#define SystemEventCounterInformation 0x81
typedef struct _SYSTEM_EVENT_COUNTER_INFORMATION {
    SYSTEM_EVENT_COUNTERS System;        /* since boot */
    SYSTEM_EVENT_COUNTERS CurrentThread; /* the calling thread's, since it started */
} SYSTEM_EVENT_COUNTER_INFORMATION;

#endif
