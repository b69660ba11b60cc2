/*
 * nthostile.c - every system service, called from ring 3 with hostile arguments.
 *
 * Why: a kernel is only as sound as its most careless service. This program
 * walks the service list itself (nt/services.h, through its X-macro, so a
 * service added there shows up here, as a failure until its argument kinds
 * are written in the table below) and calls each one raw through
 * `int 0x2E`, bypassing ntdll's prototypes, with arguments drawn from pools
 * of known-bad values: closed and made-up handles, pointers that are
 * unmapped, unaligned, on the user/kernel border or inside the kernel, and
 * sizes that overflow. No pointer it passes is ever valid user memory and no
 * handle is ever open, so every call must fail; a call that succeeds, a
 * STOP, or a hang is a kernel bug. It also hands the kernel argument blocks
 * that are themselves unreadable (or run off the end of a page), service
 * numbers that do not exist, and committed pages the caller may not write
 * or touch; at the end it checks that the process can still do an ordinary
 * thing and that the attack left no handle and no pool behind.
 *
 * The generator is a fixed-seed xorshift32, so a failure reproduces exactly.
 * Each argument has a kind (a letter in the service's signature below) that
 * picks the pool it is drawn from; the pools are mixed (a size may land in
 * a pointer slot and a pointer in a handle slot) except where a value would
 * make a call legitimately succeed or do something drastic: the pseudo
 * handles -1/-2 and NULL are never handles (a wait on our own process would
 * never end, NtTerminateProcess(NULL) is a real request), NtShutdownSystem
 * only gets actions >= 3, NtContinue only NULL or kernel CONTEXT pointers,
 * and NtRaiseHardError never gets the shut-down option (6).
 *
 * It prints "nthostile: PASS NtXxx (N calls)" or "nthostile: FAIL NtXxx:
 * <first bad call>" per service, then "nthostile: N passed, M failed", and
 * exits with M.
 */
#include <nt/ntapi.h>
#include <nt/ntcrt.h>
#include <nt/ntpeb.h>
#include <nt/ntrtl.h>
#include <nt/ntstatus.h>
#include <nt/services.h>

#ifndef NtCurrentProcess
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#endif
#ifndef EVENT_ALL_ACCESS
#define EVENT_ALL_ACCESS 0x001F0003
#endif
#ifndef MEM_COMMIT
#define MEM_COMMIT 0x00001000
#endif
#ifndef MEM_RESERVE
#define MEM_RESERVE 0x00002000
#endif
#ifndef MEM_FREE
#define MEM_FREE 0x00010000
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
#define STATUS_INVALID_SYSTEM_SERVICE_ ((NTSTATUS)0xC000001C)
#define NOTIFICATION_EVENT 0
#define SYSTEM_BASIC_INFORMATION_CLASS 0
#define SYSTEM_PROCESS_INFORMATION_CLASS 5
#define SYSTEM_POOL_TAG_INFORMATION_CLASS 22
#define MEMORY_BASIC_INFORMATION_CLASS 0
#define PAGE_SIZE_ 0x1000u

/* Daytona's address space (kernel/include/mmtypes.h, probe.h). */
#define LOWEST_USER_ADDRESS 0x00010000u /* nothing is ever mapped below */
#define HIGHEST_VAD_ADDRESS 0x7FFE0000u /* no VAD is placed at or above */

#define ROUNDS 2000         /* random calls per service */
#define NO_ARGUMENT_CALLS 5 /* a service without arguments has nothing to attack */
#define RANDOM_HANDLES 12   /* made-up handle values, fixed at start */
#define MAX_ARGS 16         /* KiSystemService's limit */
#define MAX_CHOICES 64

/* SYSTEM_PROCESS_INFORMATION and SYSTEM_POOLTAG as Daytona lays them out
 * (kernel/ex/sysinfo.c): byte offsets, and ULONG indexes in a tag entry. */
#define SPI_UNIQUE_PROCESS_ID 68
#define SPI_HANDLE_COUNT 76
#define POOLTAG_ULONGS 7
#define POOLTAG_PAGED_USED 3
#define POOLTAG_NONPAGED_USED 6

typedef struct _HOSTILE_MBI {
    PVOID BaseAddress;
    PVOID AllocationBase;
    ULONG AllocationProtect;
    SIZE_T RegionSize;
    ULONG State;
    ULONG Protect;
    ULONG Type;
} HOSTILE_MBI;

/* ---- the services, from the one list ---- */

enum {
#define SERVICE_NUMBER(Name, Bytes) HOSTILE_##Name,
    NT_SERVICE_TABLE(SERVICE_NUMBER)
#undef SERVICE_NUMBER
};

#define SERVICE_ONE(Name, Bytes) +1
#define HOSTILE_SERVICE_COUNT (0 NT_SERVICE_TABLE(SERVICE_ONE))

typedef struct _SERVICE_ENTRY {
    PCSTR Name;
    ULONG Number;
    ULONG Arguments;
} SERVICE_ENTRY;

static const SERVICE_ENTRY Services[] = {
#define SERVICE_ENTRY_(Name, Bytes) {#Name, HOSTILE_##Name, (Bytes) / 4},
    NT_SERVICE_TABLE(SERVICE_ENTRY_)
#undef SERVICE_ENTRY_
};

_Static_assert(sizeof Services / sizeof Services[0] == HOSTILE_SERVICE_COUNT, "one entry per service");

/*
 * Argument kinds, one letter per argument:
 *   h  a handle: never NULL, -1 or -2
 *   o  an optional handle: as h, or NULL
 *   t  a handle for the terminate services: closed or made-up values only
 *   p  a pointer: never valid user memory (NULL included)
 *   v  anything from any pool
 *   k  NULL or a kernel address (NtContinue's CONTEXT)
 *   a  a shutdown action >= 3 (0, 1 and 2 really shut down)
 *   n  a hard-error parameter count other than 0 (0 skips the pointer)
 *   x  a response option other than 6 (OptionShutdownSystem stops the system)
 * A service with no arguments ("") has nothing to attack: it is called a few
 * times and must succeed, or give the answer NoArgumentAnswers lists (the
 * thread event-pair calls, made by a thread that has no pair, must refuse). A service whose signature is missing or has the
 * wrong length fails, and is not called: the list changed and this table
 * must follow (an unknown service might do something drastic).
 */
typedef struct _SIGNATURE {
    PCSTR Name;
    PCSTR Kinds;
} SIGNATURE;

/* What a service without arguments must answer when it is not success. */
static const struct {
    PCSTR Name;
    NTSTATUS Status;
} NoArgumentAnswers[] = {
    {"NtSetHighWaitLowThread", STATUS_NO_EVENT_PAIR},
    {"NtSetLowWaitHighThread", STATUS_NO_EVENT_PAIR},
};

static NTSTATUS no_argument_answer(PCSTR Name) {
    for (ULONG i = 0; i < sizeof NoArgumentAnswers / sizeof NoArgumentAnswers[0]; i++)
        if (!strcmp(NoArgumentAnswers[i].Name, Name))
            return NoArgumentAnswers[i].Status;
    return STATUS_SUCCESS;
}

static const SIGNATURE Signatures[] = {
    {"NtClose", "h"},
    {"NtDuplicateObject", "hhopvvv"},
    {"NtMakeTemporaryObject", "h"},
    {"NtQueryObject", "hvpvp"},
    {"NtCreateDirectoryObject", "pvp"},
    {"NtOpenDirectoryObject", "pvp"},
    {"NtQueryDirectoryObject", "hpvvvpp"},
    {"NtCreateSymbolicLinkObject", "pvpp"},
    {"NtOpenSymbolicLinkObject", "pvp"},
    {"NtQuerySymbolicLinkObject", "hpp"},
    {"NtWaitForSingleObject", "hvp"},
    {"NtWaitForMultipleObjects", "vpvvp"},
    {"NtDelayExecution", "vp"},
    {"NtYieldExecution", ""},
    {"NtTestAlert", ""},
    {"NtCreateEvent", "pvpvv"},
    {"NtOpenEvent", "pvp"},
    {"NtSetEvent", "hp"},
    {"NtResetEvent", "hp"},
    {"NtPulseEvent", "hp"},
    {"NtClearEvent", "h"},
    {"NtCreateEventPair", "pvp"},
    {"NtOpenEventPair", "pvp"},
    {"NtSetHighWaitLowEventPair", "h"},
    {"NtSetLowWaitHighEventPair", "h"},
    {"NtSetHighEventPair", "h"},
    {"NtSetLowEventPair", "h"},
    {"NtWaitHighEventPair", "h"},
    {"NtWaitLowEventPair", "h"},
    {"NtCreateSemaphore", "pvpvv"},
    {"NtOpenSemaphore", "pvp"},
    {"NtReleaseSemaphore", "hvp"},
    {"NtCreateMutant", "pvpv"},
    {"NtOpenMutant", "pvp"},
    {"NtReleaseMutant", "hp"},
    {"NtCreateTimer", "pvpv"},
    {"NtOpenTimer", "pvp"},
    {"NtSetTimer", "hpppvvp"},
    {"NtCancelTimer", "hp"},
    {"NtCreateFile", "pvpppvvvvpv"},
    {"NtOpenFile", "pvppvv"},
    {"NtReadFile", "hoppppvpp"},
    {"NtQueryInformationFile", "hppvv"},
    {"NtSetInformationFile", "hppvv"},
    {"NtQueryDirectoryFile", "hoppppvvvpv"},
    {"NtAllocateVirtualMemory", "hpvpvv"},
    {"NtFreeVirtualMemory", "hppv"},
    {"NtProtectVirtualMemory", "hppvp"},
    {"NtQueryVirtualMemory", "hpvpvp"},
    {"NtReadVirtualMemory", "hppvp"},
    {"NtWriteVirtualMemory", "hppvp"},
    {"NtCreateSection", "pvppvvo"},
    {"NtOpenSection", "pvp"},
    {"NtMapViewOfSection", "hhpvvppvvv"},
    {"NtUnmapViewOfSection", "hp"},
    {"NtCreateProcess", "pvphvooo"},
    {"NtCreateThread", "pvphpppv"},
    {"NtOpenProcess", "pvpp"},
    {"NtOpenThread", "pvpp"},
    {"NtTerminateProcess", "tv"},
    {"NtTerminateThread", "tv"},
    {"NtQueryInformationProcess", "hvpvp"},
    {"NtQueryInformationThread", "hvpvp"},
    {"NtResumeThread", "hp"},
    {"NtContinue", "kv"},
    {"NtQuerySystemInformation", "vpvp"},
    {"NtRaiseHardError", "vnvpxp"},
    {"NtShutdownSystem", "a"},
    {"NtQueryPerformanceCounter", "pp"},
    {"NtCreatePort", "ppvvv"},
    {"NtConnectPort", "pppppppp"},
    {"NtListenPort", "hp"},
    {"NtAcceptConnectPort", "pvpvpp"},
    {"NtCompleteConnectPort", "h"},
    {"NtRequestPort", "hp"},
    {"NtRequestWaitReplyPort", "hpp"},
    {"NtReplyPort", "hp"},
    {"NtReplyWaitReceivePort", "hppp"},
    {"NtRegisterThreadTerminatePort", "h"},
    {"NtOpenProcessToken", "hvp"},
    {"NtFilterToken", "hvpppp"},
    {"NtSetInformationProcess", "hvpv"},
    {"NtSetInformationThread", "hvpv"},
    {"NtSetHighWaitLowThread", ""},
    {"NtSetLowWaitHighThread", ""},
};

/* ---- the pools ---- */

/* NULL, unmapped (aligned and not), the last user byte, the no-access
 * guard, the kernel's first byte, its image, the page tables, the page
 * directory, the top page, the last byte. */
static const ULONG PointerPool[] = {0x00000000, 0x00001000, 0x00001001, 0x7FFEFFFF, 0x7FFF0000, 0x80000000,
                                    0x80100000, 0xC0000000, 0xC0300000, 0xFFFFF000, 0xFFFFFFFF};
static const ULONG ValuePool[] = {0xFFFFFFFF, 0xFFFFFFF0, 0x80000000, 0x7FFFFFFF, 0x10000000, 1, 3};

typedef struct _CHOICES {
    ULONG Count;
    ULONG Values[MAX_CHOICES];
} CHOICES;

static CHOICES HandlePool;       /* closed, made-up, 3, 0x7FFC: the 't' kind */
static CHOICES AllValues;        /* every pool's values: the 'v' kind */
static CHOICES KindChoices[128]; /* indexed by kind letter */
static ULONG StraddlePage;       /* a committed page with a free page above it */
static ULONG NoAccessPage;       /* committed PAGE_NOACCESS: a bad pointer that has a VAD */
static ULONG Seed = 0x1BADB002;  /* fixed: runs are reproducible */
static ULONG TotalCalls;

static ULONG next_random(VOID) {
    ULONG x = Seed;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return Seed = x;
}

static VOID add_choice(CHOICES *C, ULONG V) {
    for (ULONG i = 0; i < C->Count; i++)
        if (C->Values[i] == V)
            return;
    if (C->Count < MAX_CHOICES)
        C->Values[C->Count++] = V;
}

static BOOLEAN in_choices(const CHOICES *C, ULONG V) {
    for (ULONG i = 0; i < C->Count; i++)
        if (C->Values[i] == V)
            return TRUE;
    return FALSE;
}

/* TRUE when no byte at V can be read or written by the caller: below the
 * lowest user address, at or above the highest VAD, or in a free region of
 * this process (asked of the kernel itself). Reserved, guard and committed
 * pages all count as usable memory and are refused. */
static BOOLEAN is_bad_pointer(ULONG V) {
    if (V < LOWEST_USER_ADDRESS || V >= HIGHEST_VAD_ADDRESS || (NoAccessPage && V == NoAccessPage))
        return TRUE;
    HOSTILE_MBI mbi;
    memset(&mbi, 0, sizeof mbi);
    NTSTATUS status = NtQueryVirtualMemory(NtCurrentProcess(), (PVOID)(ULONG_PTR)V,
                                           MEMORY_BASIC_INFORMATION_CLASS, &mbi, sizeof mbi, NULL);
    return NT_SUCCESS(status) && mbi.State == MEM_FREE;
}

/* TRUE when V may stand for a handle: not NULL and not a pseudo handle. */
static BOOLEAN is_bad_handle(ULONG V) {
    return V != 0 && V != 0xFFFFFFFF && V != 0xFFFFFFFE;
}

static BOOLEAN kind_allows(CHAR Kind, ULONG V) {
    switch (Kind) {
    case 'h': return is_bad_handle(V);
    case 'o': return V == 0 || is_bad_handle(V);
    case 't': return in_choices(&HandlePool, V);
    case 'p': return is_bad_pointer(V);
    case 'v': return TRUE;
    case 'k': return V == 0 || V >= 0x80000000u;
    case 'a': return V >= 3;
    case 'n': return V != 0;
    case 'x': return V != 6;
    default: return FALSE;
    }
}

/* Commits Pages pages with Protect where the kernel likes; 0 on failure. */
static ULONG allocate_pages(ULONG Pages, ULONG Protect) {
    PVOID base = NULL;
    SIZE_T size = Pages * PAGE_SIZE_;
    NTSTATUS status =
        NtAllocateVirtualMemory(NtCurrentProcess(), &base, 0, &size, MEM_RESERVE | MEM_COMMIT, Protect);
    if (!NT_SUCCESS(status)) {
        DbgPrint("nthostile: cannot commit %u pages with protection 0x%X: 0x%08X\n", Pages, Protect,
                 (ULONG)status);
        return 0;
    }
    return (ULONG)(ULONG_PTR)base;
}

/* Builds the pools. Returns FALSE (after saying why) if the process cannot
 * make its closed handle or its own pages. */
static BOOLEAN build_pools(VOID) {
    HANDLE event;
    NTSTATUS status = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NOTIFICATION_EVENT, FALSE);
    if (!NT_SUCCESS(status) || !NT_SUCCESS(status = NtClose(event))) {
        DbgPrint("nthostile: cannot make a closed handle: 0x%08X\n", (ULONG)status);
        return FALSE;
    }
    /* Our own pages come first, so no made-up value can land in them. */
    StraddlePage = allocate_pages(1, PAGE_READWRITE);
    if (!StraddlePage || !is_bad_pointer(StraddlePage + PAGE_SIZE_)) {
        DbgPrint("nthostile: no page with a free page above it (0x%X)\n", StraddlePage);
        return FALSE;
    }
    NoAccessPage = allocate_pages(1, PAGE_NOACCESS);
    if (!NoAccessPage)
        return FALSE;

    add_choice(&HandlePool, (ULONG)(ULONG_PTR)event);
    add_choice(&HandlePool, 3);
    add_choice(&HandlePool, 0x7FFC);
    while (HandlePool.Count < 3 + RANDOM_HANDLES) {
        ULONG v = next_random() & ~3u;
        /* made-up handles double as pointers: keep them off mapped memory
         * and off the user/kernel border */
        if (v < LOWEST_USER_ADDRESS || (v >= HIGHEST_VAD_ADDRESS && v < 0x80000000u) || !is_bad_pointer(v))
            continue;
        add_choice(&HandlePool, v);
    }
    for (ULONG i = 0; i < HandlePool.Count; i++)
        add_choice(&AllValues, HandlePool.Values[i]);
    for (ULONG i = 0; i < sizeof PointerPool / sizeof PointerPool[0]; i++)
        add_choice(&AllValues, PointerPool[i]);
    for (ULONG i = 0; i < sizeof ValuePool / sizeof ValuePool[0]; i++)
        add_choice(&AllValues, ValuePool[i]);
    add_choice(&AllValues, NoAccessPage);

    static const CHAR kinds[] = "hotpvkanx";
    for (ULONG k = 0; kinds[k]; k++) {
        CHOICES *c = &KindChoices[(UCHAR)kinds[k]];
        for (ULONG i = 0; i < AllValues.Count; i++)
            if (kind_allows(kinds[k], AllValues.Values[i]))
                add_choice(c, AllValues.Values[i]);
        if (c->Count == 0) {
            DbgPrint("nthostile: no value of kind '%c'\n", kinds[k]);
            return FALSE;
        }
    }
    return TRUE;
}

/* ---- calling ---- */

/* The raw system call: EAX the number, EDX the argument block. */
static NTSTATUS trap_service(ULONG Number, const ULONG *Args) {
    NTSTATUS status;
    __asm__ volatile("int $0x2E" : "=a"(status) : "a"(Number), "d"(Args) : "memory", "ecx");
    TotalCalls++;
    return status;
}

static BOOLEAN is_failure(NTSTATUS Status) {
    return (ULONG)Status >= 0x80000000u;
}

static const SIGNATURE *signature_of(PCSTR Name) {
    for (ULONG i = 0; i < sizeof Signatures / sizeof Signatures[0]; i++)
        if (!strcmp(Signatures[i].Name, Name))
            return &Signatures[i];
    return NULL;
}

/* Writes "Name(a, b, ...) = status" into Out. */
static VOID describe_call(PCHAR Out, ULONG Size, PCSTR Name, const ULONG *Args, ULONG Count,
                          NTSTATUS Status) {
    /* _snprintf returns -1 when it runs out of room (Microsoft's rule). */
    int n = _snprintf(Out, Size, "%s(", Name);
    ULONG used = n < 0 ? Size : (ULONG)n;
    for (ULONG i = 0; i < Count && used < Size; i++) {
        n = _snprintf(Out + used, Size - used, "%s0x%X", i ? ", " : "", Args[i]);
        used = n < 0 ? Size : used + (ULONG)n;
    }
    if (used < Size)
        _snprintf(Out + used, Size - used, ") = 0x%08X", (ULONG)Status);
    Out[Size - 1] = 0;
}

static ULONG Passed, Failed;

static VOID report(BOOLEAN Ok, PCSTR Name, ULONG Calls, PCSTR Detail) {
    if (Ok) {
        Passed++;
        DbgPrint("nthostile: PASS %s (%u calls)\n", Name, Calls);
    } else {
        Failed++;
        DbgPrint("nthostile: FAIL %s: %s\n", Name, Detail);
    }
}

/* Attacks one service: ROUNDS calls with arguments from its kinds' pools,
 * then its argument block from every bad pointer, then a block that starts
 * on the last readable ULONG of a page. Reports PASS or the first bad call. */
static VOID attack_service(const SERVICE_ENTRY *S) {
    static CHAR detail[512];
    const SIGNATURE *sig = signature_of(S->Name);
    if (!sig || strlen(sig->Kinds) != S->Arguments || S->Arguments > MAX_ARGS) {
        _snprintf(detail, sizeof detail, "no signature for %u arguments in nthostile.c", S->Arguments);
        detail[sizeof detail - 1] = 0;
        report(FALSE, S->Name, 0, detail);
        return;
    }
    ULONG calls = 0;
    BOOLEAN ok = TRUE;
    ULONG args[MAX_ARGS];

    if (S->Arguments == 0) {
        for (ULONG i = 0; i < NO_ARGUMENT_CALLS; i++) {
            NTSTATUS status = trap_service(S->Number, args);
            calls++;
            if (status != no_argument_answer(S->Name) && ok) {
                describe_call(detail, sizeof detail, S->Name, args, 0, status);
                ok = FALSE;
            }
        }
        report(ok, S->Name, calls, detail);
        return;
    }

    for (ULONG round = 0; round < ROUNDS; round++) {
        for (ULONG i = 0; i < S->Arguments; i++) {
            const CHOICES *c = &KindChoices[(UCHAR)sig->Kinds[i]];
            args[i] = c->Values[next_random() % c->Count];
        }
        NTSTATUS status = trap_service(S->Number, args);
        calls++;
        if (!is_failure(status) && ok) {
            describe_call(detail, sizeof detail, S->Name, args, S->Arguments, status);
            ok = FALSE;
        }
    }

    /* The argument block itself unreadable: the copy must fail, and nothing run. */
    const CHOICES *pointers = &KindChoices['p'];
    for (ULONG i = 0; i < pointers->Count; i++) {
        NTSTATUS status = trap_service(S->Number, (const ULONG *)(ULONG_PTR)pointers->Values[i]);
        calls++;
        if (status != STATUS_ACCESS_VIOLATION && ok) {
            _snprintf(detail, sizeof detail, "%s with its argument block at 0x%X = 0x%08X, not 0x%08X",
                      S->Name, pointers->Values[i], (ULONG)status, (ULONG)STATUS_ACCESS_VIOLATION);
            detail[sizeof detail - 1] = 0;
            ok = FALSE;
        }
    }
    if (S->Arguments > 1) {
        /* The first ULONG readable, the rest on the free page above. */
        ULONG *block = (ULONG *)(ULONG_PTR)(StraddlePage + PAGE_SIZE_ - sizeof(ULONG));
        *block = 0x7FFC; /* a bad handle, a bad pointer, a bad count */
        NTSTATUS status = trap_service(S->Number, block);
        calls++;
        if (status != STATUS_ACCESS_VIOLATION && ok) {
            _snprintf(detail, sizeof detail,
                      "%s with its argument block at 0x%X (crossing into a free page) = 0x%08X", S->Name,
                      (ULONG)(ULONG_PTR)block, (ULONG)status);
            detail[sizeof detail - 1] = 0;
            ok = FALSE;
        }
    }
    report(ok, S->Name, calls, detail);
}

/* Numbers past the end of table 0, in tables that hold nothing at index
 * 0xFFF, or with bits above the table field set, must all be refused. */
static VOID attack_service_numbers(VOID) {
    static CHAR detail[256];
    ULONG args[MAX_ARGS];
    for (ULONG i = 0; i < MAX_ARGS; i++)
        args[i] = 0x7FFC; /* were one dispatched after all, it gets nothing valid */
    ULONG calls = 0;
    BOOLEAN ok = TRUE;
    const ULONG fixed[] = {
        HOSTILE_SERVICE_COUNT, HOSTILE_SERVICE_COUNT + 1, 0xFFF, 0x1FFF, 0x2FFF, 0x3FFF, ~0u};
    for (ULONG i = 0; i < sizeof fixed / sizeof fixed[0] + 3 * HOSTILE_SERVICE_COUNT; i++) {
        ULONG number;
        if (i < sizeof fixed / sizeof fixed[0]) {
            number = fixed[i];
        } else {
            ULONG j = i - sizeof fixed / sizeof fixed[0];
            static const ULONG high[] = {0x4000, 0x10000, 0x80000000};
            number = high[j / HOSTILE_SERVICE_COUNT] | (j % HOSTILE_SERVICE_COUNT);
        }
        NTSTATUS status = trap_service(number, args);
        calls++;
        if (status != STATUS_INVALID_SYSTEM_SERVICE_ && ok) {
            _snprintf(detail, sizeof detail, "service number 0x%X = 0x%08X, not 0x%08X", number,
                      (ULONG)status, (ULONG)STATUS_INVALID_SYSTEM_SERVICE_);
            detail[sizeof detail - 1] = 0;
            ok = FALSE;
        }
    }
    report(ok, "invalid service numbers", calls, detail);
}

/* Calls Number with up to five arguments; TRUE if it returned Want. Keeps
 * the first mismatch in Detail. */
static BOOLEAN expect_call(PCHAR Detail, ULONG Size, BOOLEAN *Ok, PCSTR Name, ULONG Number, NTSTATUS Want,
                           ULONG A0, ULONG A1, ULONG A2, ULONG A3, ULONG A4) {
    ULONG args[5] = {A0, A1, A2, A3, A4};
    NTSTATUS status = trap_service(Number, args);
    if (status == Want)
        return TRUE;
    if (*Ok) {
        describe_call(Detail, Size, Name, args, 5, status);
        *Ok = FALSE;
    }
    return FALSE;
}

/* Committed pages the caller may not write (read-only; one already mapped
 * by a read, one never touched, so both the present-PTE path, which needs
 * CR0.WP, and the demand-fault path are tried) and may not touch at all
 * (no-access): the kernel must refuse to write or read them for the
 * caller, and they must still hold zeroes afterwards. */
static VOID check_protected_pages(VOID) {
    static CHAR detail[512];
    BOOLEAN ok = TRUE;
    ULONG calls = 0;
    ULONG readOnly = allocate_pages(2, PAGE_READONLY);
    if (!readOnly) {
        report(FALSE, "protected pages", 0, "cannot commit read-only pages");
        return;
    }
    volatile ULONG *first = (volatile ULONG *)(ULONG_PTR)readOnly;
    ULONG seen = first[0]; /* maps page 0 read-only; page 1 stays untouched */
    const ULONG targets[] = {readOnly, readOnly + PAGE_SIZE_ + 0x10, NoAccessPage};
    for (ULONG i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        ULONG t = targets[i];
        expect_call(detail, sizeof detail, &ok, "NtQueryPerformanceCounter",
                    HOSTILE_NtQueryPerformanceCounter, STATUS_ACCESS_VIOLATION, t, 0, 0, 0, 0);
        expect_call(detail, sizeof detail, &ok, "NtQuerySystemInformation", HOSTILE_NtQuerySystemInformation,
                    STATUS_ACCESS_VIOLATION, SYSTEM_BASIC_INFORMATION_CLASS, t, 0x100, 0, 0);
        expect_call(detail, sizeof detail, &ok, "NtQueryVirtualMemory", HOSTILE_NtQueryVirtualMemory,
                    STATUS_ACCESS_VIOLATION, 0xFFFFFFFF /* this process */, readOnly,
                    MEMORY_BASIC_INFORMATION_CLASS, t, sizeof(HOSTILE_MBI));
        expect_call(detail, sizeof detail, &ok, "NtCreateEvent", HOSTILE_NtCreateEvent,
                    STATUS_ACCESS_VIOLATION, t, EVENT_ALL_ACCESS, 0, NOTIFICATION_EVENT, FALSE);
        calls += 4;
    }
    /* Reads of a no-access page fail too. */
    expect_call(detail, sizeof detail, &ok, "NtDelayExecution", HOSTILE_NtDelayExecution,
                STATUS_ACCESS_VIOLATION, FALSE, NoAccessPage, 0, 0, 0);
    expect_call(detail, sizeof detail, &ok, "NtWaitForMultipleObjects", HOSTILE_NtWaitForMultipleObjects,
                STATUS_ACCESS_VIOLATION, 1, NoAccessPage, 1 /* WaitAny */, FALSE, 0);
    calls += 2;
    for (ULONG i = 0; i < 2 * PAGE_SIZE_ / sizeof(ULONG); i++)
        seen |= first[i];
    if (seen && ok) {
        _snprintf(detail, sizeof detail, "the read-only pages at 0x%X were written", readOnly);
        detail[sizeof detail - 1] = 0;
        ok = FALSE;
    }
    report(ok, "read-only and no-access pages are neither written nor read for the caller", calls, detail);
}

/* This process's handle count, from the process list; ~0 if not found. */
static ULONG own_handle_count(VOID) {
    static UCHAR buffer[16384];
    ULONG got = 0;
    if (!NT_SUCCESS(NtQuerySystemInformation(SYSTEM_PROCESS_INFORMATION_CLASS, buffer, sizeof buffer, &got)))
        return ~0u;
    ULONG self = (ULONG)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueProcess;
    for (ULONG off = 0; off + SPI_HANDLE_COUNT + sizeof(ULONG) <= sizeof buffer;) {
        PUCHAR e = buffer + off;
        if (*(ULONG *)(e + SPI_UNIQUE_PROCESS_ID) == self)
            return *(ULONG *)(e + SPI_HANDLE_COUNT);
        ULONG next = *(ULONG *)e;
        if (!next)
            break;
        off += next;
    }
    return ~0u;
}

/* Bytes of kernel pool in use, all tags together; ~0 if unknown. */
static ULONG pool_bytes(VOID) {
    static ULONG buffer[4096];
    if (!NT_SUCCESS(NtQuerySystemInformation(SYSTEM_POOL_TAG_INFORMATION_CLASS, buffer, sizeof buffer, NULL)))
        return ~0u;
    ULONG total = 0;
    for (ULONG i = 0; i < buffer[0] && 1 + (i + 1) * POOLTAG_ULONGS <= 4096; i++) {
        const ULONG *tag = &buffer[1 + i * POOLTAG_ULONGS];
        total += tag[POOLTAG_PAGED_USED] + tag[POOLTAG_NONPAGED_USED];
    }
    return total;
}

typedef struct _LEAK_WATCH {
    ULONG Handles, Pool;
} LEAK_WATCH;

static LEAK_WATCH leak_watch(VOID) {
    LEAK_WATCH w = {own_handle_count(), pool_bytes()};
    return w;
}

/* After the attack: an event still works end to end, and the attack left
 * this process's handle count and the kernel's pool use as they were (no
 * failed call kept a handle or a capture buffer). */
static VOID check_kernel_consistent(LEAK_WATCH Before, LEAK_WATCH After) {
    static CHAR detail[256];
    HANDLE event = NULL;
    LONG previous = -1;
    LARGE_INTEGER zero = {.QuadPart = 0};
    NTSTATUS create, set = -1, wait = -1, close = -1;
    ULONG calls = 1;
    create = NtCreateEvent(&event, EVENT_ALL_ACCESS, NULL, NOTIFICATION_EVENT, FALSE);
    if (NT_SUCCESS(create)) {
        set = NtSetEvent(event, &previous);
        wait = NtWaitForSingleObject(event, FALSE, &zero);
        close = NtClose(event);
        calls += 3;
    }
    BOOLEAN ok = create == STATUS_SUCCESS && set == STATUS_SUCCESS && previous == 0 &&
                 wait == STATUS_SUCCESS && close == STATUS_SUCCESS && Before.Handles != ~0u &&
                 After.Handles == Before.Handles && Before.Pool != ~0u && After.Pool == Before.Pool;
    _snprintf(detail, sizeof detail,
              "create 0x%08X, set 0x%08X (previous %d), wait 0x%08X, close 0x%08X; "
              "handles %u before the attack, %u after; pool bytes %u before, %u after",
              (ULONG)create, (ULONG)set, (int)previous, (ULONG)wait, (ULONG)close, Before.Handles,
              After.Handles, Before.Pool, After.Pool);
    detail[sizeof detail - 1] = 0;
    report(ok, "the kernel is still consistent (an event works; no handle or pool leaked)", calls, detail);
}

static ULONG elapsed_ms(LARGE_INTEGER Start, LARGE_INTEGER Frequency) {
    LARGE_INTEGER now;
    if (!NT_SUCCESS(NtQueryPerformanceCounter(&now, NULL)) || Frequency.QuadPart <= 0)
        return 0;
    return (ULONG)((now.QuadPart - Start.QuadPart) * 1000 / Frequency.QuadPart);
}

VOID NTAPI NtProcessStartup(PPEB Peb) {
    (void)Peb;
    LARGE_INTEGER start = {.QuadPart = 0}, frequency = {.QuadPart = 0};
    (void)NtQueryPerformanceCounter(&start, &frequency);
    if (!build_pools()) {
        DbgPrint("nthostile: 0 passed, 1 failed\n");
        for (;;)
            NtTerminateProcess(NtCurrentProcess(), 1);
    }
    LEAK_WATCH before = leak_watch();
    for (ULONG i = 0; i < HOSTILE_SERVICE_COUNT; i++)
        attack_service(&Services[i]);
    attack_service_numbers();
    LEAK_WATCH after = leak_watch(); /* before the protected pages add a region of their own */
    check_protected_pages();
    check_kernel_consistent(before, after);
    DbgPrint("nthostile: %u calls in %u ms\n", TotalCalls, elapsed_ms(start, frequency));
    DbgPrint("nthostile: %u passed, %u failed\n", Passed, Failed);
    for (;;)
        NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Failed);
}
