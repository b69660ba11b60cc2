/*
 * ntpeb.h - what a process and a thread look like from user mode: the PEB
 * and the TEB, and how the running thread finds them (NtCurrentTeb,
 * NtCurrentPeb). The CONTEXT a new thread starts from, its INITIAL_TEB and
 * PROCESS_BASIC_INFORMATION live in nt/ntcontext.h, which the kernel shares
 * and this header includes.
 *
 * Why: these structures are the contract between the kernel and ntdll
 * (docs/processes.md), and kernel32, msvcrt and programs built against
 * Microsoft's headers read them at fixed offsets (fs:[0x18], fs:[0x30],
 * PEB+0x0C, ...). So the layouts are NT's own, field for field, and every
 * offset the contract names is pinned with a _Static_assert on i386. The
 * host unit tests (64-bit) use the same declarations with their own pointer
 * size; only the i386 build checks the offsets.
 *
 * 64-bit fields are written as two ULONGs: the kernel's compiler
 * (i686-linux-gnu, 4-byte alignment for long long inside structures) and
 * mingw (8-byte) would otherwise lay a LARGE_INTEGER out differently.
 */
#ifndef NT_NTPEB_H
#define NT_NTPEB_H

#include <nt/ntdef.h>

struct _PEB_LDR_DATA;
struct _RTL_USER_PROCESS_PARAMETERS;

/* CONTEXT and INITIAL_TEB: nt/ntcontext.h (shared with the kernel). */
#include <nt/ntcontext.h>

/* ---- the TEB ---- */

typedef struct _NT_TIB {
    PVOID ExceptionList; /* -1: no SEH frame */
    PVOID StackBase;
    PVOID StackLimit;
    PVOID SubSystemTib;
    PVOID FiberData;
    PVOID ArbitraryUserPointer;
    struct _NT_TIB *Self;
} NT_TIB, *PNT_TIB;

#define TEB_TLS_SLOTS 64

/* The GDI batch a thread keeps in its TEB when GDI runs in the kernel
 * (GDI=kernel, NT 4.0's layout; DESIGN.md section 9): gdi32 appends records
 * to Buffer and NtGdiFlushUserBatch runs the first Offset bytes. NT's holds
 * 310 ULONGs and an HDC; Daytona's holds 3 KiB, so 100 small calls (batch
 * limit 100) fit, as they do in csrss's 64 KiB quick-LPC window. */
#define GDI_TEB_BATCH_BYTES 0xC00
typedef struct _GDI_TEB_BATCH {
    ULONG Offset;  /* bytes in use, written by gdi32 before each system call */
    ULONG Records; /* records in use (information only) */
    UCHAR Buffer[GDI_TEB_BATCH_BYTES];
} GDI_TEB_BATCH;

/* NT's TEB up to the TLS slots (kernel32's TlsAlloc); Daytona gives every
 * TEB a whole page, so the fields after them need not be declared yet. */
typedef struct _TEB {
    NT_TIB NtTib;                         /* 0x000 */
    PVOID EnvironmentPointer;             /* 0x01C */
    CLIENT_ID ClientId;                   /* 0x020 */
    PVOID ActiveRpcHandle;                /* 0x028 */
    PVOID ThreadLocalStoragePointer;      /* 0x02C */
    struct _PEB *ProcessEnvironmentBlock; /* 0x030 */
    ULONG LastErrorValue;                 /* 0x034 */
    ULONG CountOfOwnedCriticalSections;   /* 0x038 */
    PVOID CsrClientThread;                /* 0x03C */
    PVOID Win32ThreadInfo;                /* 0x040 */
    ULONG User32Reserved[26];             /* 0x044 */
    ULONG UserReserved[5];                /* 0x0AC */
    PVOID WOW32Reserved;                  /* 0x0C0 */
    ULONG CurrentLocale;                  /* 0x0C4 */
    ULONG FpSoftwareStatusRegister;       /* 0x0C8 */
    PVOID SystemReserved1[54];            /* 0x0CC */
    LONG ExceptionCode;                   /* 0x1A4 */
    UCHAR Reserved1A8[0x1FC - 0x1A8];
    GDI_TEB_BATCH GdiTebBatch; /* 0x1FC, where NT keeps it */
    UCHAR ReservedToTlsSlots[0xE10 - 0x1FC - sizeof(GDI_TEB_BATCH)];
    PVOID TlsSlots[TEB_TLS_SLOTS]; /* 0xE10 */
    LIST_ENTRY TlsLinks;           /* 0xF10 */
} TEB, *PTEB;

/* ---- the PEB ---- */

/* NT's PEB through the fields NT 4.0 defined; Daytona fills the ones
 * docs/processes.md lists and leaves the rest zero. */
typedef struct _PEB {
    BOOLEAN InheritedAddressSpace;                          /* 0x000 */
    BOOLEAN ReadImageFileExecOptions;                       /* 0x001 */
    BOOLEAN BeingDebugged;                                  /* 0x002 */
    BOOLEAN SpareBool;                                      /* 0x003 */
    HANDLE Mutant;                                          /* 0x004 */
    PVOID ImageBaseAddress;                                 /* 0x008 */
    struct _PEB_LDR_DATA *Ldr;                              /* 0x00C */
    struct _RTL_USER_PROCESS_PARAMETERS *ProcessParameters; /* 0x010 */
    PVOID SubSystemData;                                    /* 0x014 */
    PVOID ProcessHeap;                                      /* 0x018 */
    PVOID FastPebLock;                                      /* 0x01C */
    PVOID FastPebLockRoutine;                               /* 0x020 */
    PVOID FastPebUnlockRoutine;                             /* 0x024 */
    ULONG EnvironmentUpdateCount;                           /* 0x028 */
    PVOID KernelCallbackTable;                              /* 0x02C */
    ULONG SystemReserved[2];                                /* 0x030 */
    PVOID FreeList;                                         /* 0x038 */
    ULONG TlsExpansionCounter;                              /* 0x03C */
    PVOID TlsBitmap;                                        /* 0x040 */
    ULONG TlsBitmapBits[2];                                 /* 0x044 */
    PVOID ReadOnlySharedMemoryBase;                         /* 0x04C */
    PVOID ReadOnlySharedMemoryHeap;                         /* 0x050 */
    PVOID *ReadOnlyStaticServerData;                        /* 0x054 */
    PVOID AnsiCodePageData;                                 /* 0x058 */
    PVOID OemCodePageData;                                  /* 0x05C */
    PVOID UnicodeCaseTableData;                             /* 0x060 */
    ULONG NumberOfProcessors;                               /* 0x064 */
    ULONG NtGlobalFlag;                                     /* 0x068 */
    ULONG Spare2;                                           /* 0x06C (NT: alignment) */
    ULONG CriticalSectionTimeout[2];                        /* 0x070 (a LARGE_INTEGER) */
    ULONG HeapSegmentReserve;                               /* 0x078 */
    ULONG HeapSegmentCommit;                                /* 0x07C */
    ULONG HeapDeCommitTotalFreeThreshold;                   /* 0x080 */
    ULONG HeapDeCommitFreeBlockThreshold;                   /* 0x084 */
    ULONG NumberOfHeaps;                                    /* 0x088 */
    ULONG MaximumNumberOfHeaps;                             /* 0x08C */
    PVOID *ProcessHeaps;                                    /* 0x090 */
    PVOID GdiSharedHandleTable;                             /* 0x094 */
    PVOID ProcessStarterHelper;                             /* 0x098 */
    PVOID GdiDCAttributeList;                               /* 0x09C */
    PVOID LoaderLock;                                       /* 0x0A0: PRTL_CRITICAL_SECTION */
    ULONG OSMajorVersion;                                   /* 0x0A4 */
    ULONG OSMinorVersion;                                   /* 0x0A8 */
    USHORT OSBuildNumber;                                   /* 0x0AC */
    USHORT OSCSDVersion;                                    /* 0x0AE */
    ULONG OSPlatformId;                                     /* 0x0B0 */
    ULONG ImageSubsystem;                                   /* 0x0B4 */
    ULONG ImageSubsystemMajorVersion;                       /* 0x0B8 */
    ULONG ImageSubsystemMinorVersion;                       /* 0x0BC */
    ULONG ImageProcessAffinityMask;                         /* 0x0C0 */
    ULONG GdiHandleBuffer[34];                              /* 0x0C4 */
} PEB, *PPEB;

#if defined(__i386__)
_Static_assert(offsetof(TEB, ClientId) == 0x020, "TEB.ClientId");
_Static_assert(offsetof(TEB, ThreadLocalStoragePointer) == 0x02C, "TEB.ThreadLocalStoragePointer");
_Static_assert(offsetof(TEB, ProcessEnvironmentBlock) == 0x030, "TEB.ProcessEnvironmentBlock");
_Static_assert(offsetof(TEB, LastErrorValue) == 0x034, "TEB.LastErrorValue");
_Static_assert(offsetof(TEB, NtTib.Self) == 0x018, "TEB.NtTib.Self");
_Static_assert(offsetof(TEB, ExceptionCode) == 0x1A4, "TEB.ExceptionCode");
_Static_assert(offsetof(TEB, GdiTebBatch) == 0x1FC, "TEB.GdiTebBatch");
_Static_assert(offsetof(TEB, TlsSlots) == 0xE10, "TEB.TlsSlots");
_Static_assert(sizeof(TEB) <= 0x1000, "a TEB fits its page");
_Static_assert(offsetof(PEB, BeingDebugged) == 0x002, "PEB.BeingDebugged");
_Static_assert(offsetof(PEB, ImageBaseAddress) == 0x008, "PEB.ImageBaseAddress");
_Static_assert(offsetof(PEB, Ldr) == 0x00C, "PEB.Ldr");
_Static_assert(offsetof(PEB, ProcessParameters) == 0x010, "PEB.ProcessParameters");
_Static_assert(offsetof(PEB, ProcessHeap) == 0x018, "PEB.ProcessHeap");
_Static_assert(offsetof(PEB, NumberOfProcessors) == 0x064, "PEB.NumberOfProcessors");
_Static_assert(offsetof(PEB, CriticalSectionTimeout) == 0x070, "PEB.CriticalSectionTimeout");
_Static_assert(offsetof(PEB, LoaderLock) == 0x0A0, "PEB.LoaderLock");
_Static_assert(offsetof(PEB, OSMajorVersion) == 0x0A4, "PEB.OSMajorVersion");
_Static_assert(offsetof(PEB, OSBuildNumber) == 0x0AC, "PEB.OSBuildNumber");
_Static_assert(offsetof(PEB, OSPlatformId) == 0x0B0, "PEB.OSPlatformId");
_Static_assert(sizeof(PEB) == 0x14C, "NT 4.0's PEB through GdiHandleBuffer");
#endif

/* Where the kernel maps ntdll.dll in every process (docs/processes.md; the
 * PEB and TEB addresses are in nt/ntcontext.h). */
#define MM_NTDLL_BASE 0x77F00000u

/* The TEB of the running thread, and its process's PEB. On i386 user mode
 * fs: is the TEB and fs:[0x18] its flat address. The host unit tests
 * provide NtCurrentTeb themselves. */
#if defined(__i386__)
static inline PTEB NtCurrentTeb(VOID) {
    PTEB teb;
    __asm__("movl %%fs:0x18, %0" : "=r"(teb));
    return teb;
}
#else
PTEB NtCurrentTeb(VOID);
#endif

static inline PPEB NtCurrentPeb(VOID) {
    return NtCurrentTeb()->ProcessEnvironmentBlock;
}

/* PROCESS_BASIC_INFORMATION and the info classes: nt/ntcontext.h. */

#endif
