/*
 * thread.c - threads: CreateThread, ExitThread and their kin; thread-local
 * storage; and the two start routines every Win32 thread and process runs.
 *
 * Why: on NT a Win32 thread is made by kernel32, not by the kernel: kernel32
 * reserves the stack (commit at the top, a guard page below it so the
 * memory manager grows it on demand), builds the CONTEXT the thread will
 * start from, asks NtCreateThread for a suspended thread on that stack,
 * tells csrss about it (BasepCreateThread) and only then lets it run. The
 * kernel starts it in ntdll's LdrInitializeThunk (DLL_THREAD_ATTACH), which
 * continues to the CONTEXT's Eip: BaseThreadStartThunk here, with the
 * routine in EAX and its parameter in EBX (NT's registers), which calls the
 * routine and passes its result to ExitThread. A thread cannot free the
 * stack it runs on, so CreateThread keeps a handle to each thread it made
 * and releases the stacks of those that have ended the next time it runs.
 *
 * TLS follows NT: 64 slots per thread in the TEB (TlsSlots), the slots in
 * use in a bitmap in the PEB (TlsBitmapBits). TlsFree must clear the slot in
 * every thread; NT asks the kernel for that (NtSetInformationThread,
 * ThreadZeroTlsCell), which Daytona lacks, so kernel32 keeps its own list of
 * the process's TEBs, linked through TEB->TlsLinks as threads attach and
 * detach, and clears the slot in each.
 */
#include "k32p.h"

#include <nt/list.h>

#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000
#define TLS_OUT_OF_INDEXES 0xFFFFFFFF
#define BASEP_PAGE_SIZE 0x1000u
#define BASEP_STACK_GRANULARITY 0x10000u
#define BASEP_DEFAULT_STACK_RESERVE 0x100000u

static LIST_ENTRY BasepTlsTebList = {&BasepTlsTebList, &BasepTlsTebList};

/* ---- the start routines ---- */

/* Runs a new thread's routine and ends the thread with its result. */
__attribute__((used, noreturn)) VOID WINAPI BaseThreadStart(LPTHREAD_START_ROUTINE StartAddress,
                                                            LPVOID Parameter);

VOID WINAPI ExitThread(DWORD ExitCode) __attribute__((noreturn));
VOID WINAPI ExitProcess(UINT ExitCode) __attribute__((noreturn));

VOID WINAPI BaseThreadStart(LPTHREAD_START_ROUTINE StartAddress, LPVOID Parameter) {
    ExitThread(StartAddress(Parameter));
}

/* Where CONTEXT.Eip of a CreateThread thread points: EAX is the routine,
 * EBX its parameter; a zero return address and a zero frame pointer end
 * stack walks here. */
VOID BaseThreadStartThunk(VOID);
__asm__(".text\n"
        ".globl _BaseThreadStartThunk\n"
        "_BaseThreadStartThunk:\n"
        "    xorl %ebp, %ebp\n"
        "    pushl %ebx\n"
        "    pushl %eax\n"
        "    pushl $0\n"
        "    jmp _BaseThreadStart@8\n");

/* CreateProcess puts this where a process's entry point returns to: the
 * value it returns (EAX) becomes the process's exit code. */
__asm__(".text\n"
        ".globl _BaseProcessExitThunk\n"
        "_BaseProcessExitThunk:\n"
        "    xorl %ebp, %ebp\n"
        "    pushl %eax\n"
        "    call _ExitProcess@4\n");

/* ---- stacks ---- */

/* Releases the stack reservation at Base in Process; a failure is logged
 * (the address space is then only a little fuller). */
static VOID free_stack(HANDLE Process, PVOID Base) {
    SIZE_T zero = 0;
    NTSTATUS status = NtFreeVirtualMemory(Process, &Base, &zero, MEM_RELEASE);
    if (!NT_SUCCESS(status))
        DbgPrint("KERNEL32: releasing a thread stack failed: status 0x%08x\n", (ULONG)status);
}

/* NT keeps this in kernel32 (BaseCreateStack) apart from ntdll's stack for
 * RtlCreateUserThread, and so does Daytona: kernel32 imports only what
 * mingw's libntdll.a names, and the two differ where the commit does not
 * fit the reserve (Win32 grows the reserve; ntdll shrinks the commit). */
NTSTATUS BasepCreateStack(HANDLE Process, SIZE_T Commit, SIZE_T Reserve, PINITIAL_TEB Teb) {
    SIZE_T reserve = ALIGN_UP(Reserve ? Reserve : BASEP_DEFAULT_STACK_RESERVE, BASEP_STACK_GRANULARITY);
    SIZE_T commit = ALIGN_UP(Commit ? Commit : BASEP_PAGE_SIZE, BASEP_PAGE_SIZE);
    if (commit + BASEP_PAGE_SIZE > reserve)
        reserve = ALIGN_UP(commit + BASEP_PAGE_SIZE, BASEP_DEFAULT_STACK_RESERVE);

    PVOID base = NULL;
    SIZE_T size = reserve;
    NTSTATUS status = NtAllocateVirtualMemory(Process, &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
    if (!NT_SUCCESS(status))
        return status;
    PUCHAR top = (PUCHAR)base + size;
    PVOID committed = top - commit - BASEP_PAGE_SIZE;
    SIZE_T committed_size = commit + BASEP_PAGE_SIZE;
    status = NtAllocateVirtualMemory(Process, &committed, 0, &committed_size, MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        PVOID guard = top - commit - BASEP_PAGE_SIZE;
        SIZE_T guard_size = BASEP_PAGE_SIZE;
        ULONG old;
        status = NtProtectVirtualMemory(Process, &guard, &guard_size, PAGE_READWRITE | PAGE_GUARD, &old);
    }
    if (!NT_SUCCESS(status)) {
        free_stack(Process, base);
        return status;
    }
    Teb->PreviousStackBase = NULL;
    Teb->PreviousStackLimit = NULL;
    Teb->StackBase = top;
    Teb->StackLimit = top - commit;
    Teb->AllocatedStackBase = base;
    return STATUS_SUCCESS;
}

/* A thread CreateThread made, whose stack is released once it has ended. */
typedef struct _BASEP_STACK_RECORD {
    struct _BASEP_STACK_RECORD *Next;
    HANDLE Thread; /* kernel32's own handle (SYNCHRONIZE) */
    PVOID Stack;   /* the reservation's base */
} BASEP_STACK_RECORD;

static BASEP_STACK_RECORD *BasepStacks;

/* Releases the stacks of this process's threads that have ended. */
static VOID reap_stacks(VOID) {
    LARGE_INTEGER now = {.QuadPart = 0};
    RtlEnterCriticalSection(&BaseDllLock);
    for (BASEP_STACK_RECORD **link = &BasepStacks; *link != NULL;) {
        BASEP_STACK_RECORD *r = *link;
        NTSTATUS ended = NtWaitForSingleObject(r->Thread, FALSE, &now);
        if (ended != STATUS_SUCCESS) {
            if (ended != STATUS_TIMEOUT)
                DbgPrint("KERNEL32: cannot tell whether thread %p has ended: status 0x%08x\n", r->Thread,
                         (ULONG)ended);
            link = &r->Next;
            continue;
        }
        free_stack(NtCurrentProcess(), r->Stack);
        (void)NtClose(r->Thread);
        *link = r->Next;
        RtlFreeHeap(BaseHeap, 0, r);
    }
    RtlLeaveCriticalSection(&BaseDllLock);
}

static VOID remember_stack(HANDLE Thread, PVOID Stack) {
    BASEP_STACK_RECORD *r = RtlAllocateHeap(BaseHeap, 0, sizeof *r);
    if (r == NULL)
        return; /* the stack is then kept until the process ends */
    NTSTATUS status =
        NtDuplicateObject(NtCurrentProcess(), Thread, NtCurrentProcess(), &r->Thread, SYNCHRONIZE, 0, 0);
    if (!NT_SUCCESS(status)) {
        DbgPrint("KERNEL32: cannot keep a handle to a new thread: status 0x%08x\n", (ULONG)status);
        RtlFreeHeap(BaseHeap, 0, r);
        return;
    }
    r->Stack = Stack;
    RtlEnterCriticalSection(&BaseDllLock);
    r->Next = BasepStacks;
    BasepStacks = r;
    RtlLeaveCriticalSection(&BaseDllLock);
}

/* ---- creating threads ---- */

HANDLE WINAPI CreateRemoteThread(HANDLE Process, LPSECURITY_ATTRIBUTES ThreadAttributes, SIZE_T StackSize,
                                 LPTHREAD_START_ROUTINE StartAddress, LPVOID Parameter, DWORD CreationFlags,
                                 LPDWORD ThreadId) {
    if (StartAddress == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    BOOLEAN local = Process == NtCurrentProcess();
    if (local)
        reap_stacks();

    /* The image's stack sizes, unless the caller names one. */
    SIZE_T reserve = BASEP_DEFAULT_STACK_RESERVE, commit = BASEP_PAGE_SIZE;
    PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(NtCurrentPeb()->ImageBaseAddress);
    if (nt != NULL) {
        reserve = nt->OptionalHeader.SizeOfStackReserve;
        commit = nt->OptionalHeader.SizeOfStackCommit;
    }
    if (StackSize != 0) {
        if (CreationFlags & STACK_SIZE_PARAM_IS_A_RESERVATION)
            reserve = StackSize;
        else
            commit = StackSize;
    }

    INITIAL_TEB teb;
    NTSTATUS status = BasepCreateStack(Process, commit, reserve, &teb);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return NULL;
    }

    CONTEXT context;
    __builtin_memset(&context, 0, sizeof context);
    context.ContextFlags = CONTEXT_FULL;
    context.Eip = (ULONG)(ULONG_PTR)BaseThreadStartThunk;
    context.Eax = (ULONG)(ULONG_PTR)StartAddress;
    context.Ebx = (ULONG)(ULONG_PTR)Parameter;
    context.Esp = (ULONG)(ULONG_PTR)teb.StackBase - 4 * sizeof(ULONG);
    context.EFlags = EFLAGS_INTERRUPT_MASK;
    context.SegCs = BASEP_USER_CS;
    context.SegDs = context.SegEs = context.SegSs = BASEP_USER_DS;
    context.SegFs = BASEP_USER_FS;

    OBJECT_ATTRIBUTES oa;
    InitializeObjectAttributes(&oa, NULL,
                               (ThreadAttributes && ThreadAttributes->bInheritHandle) ? OBJ_INHERIT : 0, NULL,
                               ThreadAttributes ? ThreadAttributes->lpSecurityDescriptor : NULL);
    HANDLE thread = NULL;
    CLIENT_ID cid;
    status = NtCreateThread(&thread, THREAD_ALL_ACCESS, &oa, Process, &cid, &context, &teb, TRUE);
    if (NT_SUCCESS(status)) {
        CSR_API_MESSAGE m;
        __builtin_memset(&m, 0, sizeof m);
        m.u.CreateThread.ThreadHandle = thread;
        m.u.CreateThread.ClientId = cid;
        status = BasepCallServer(&m, BasepCreateThread, sizeof m.u.CreateThread);
        if (!NT_SUCCESS(status)) {
            (void)NtTerminateThread(thread, status);
            (void)NtClose(thread);
        }
    }
    if (!NT_SUCCESS(status)) {
        free_stack(Process, teb.AllocatedStackBase);
        BaseSetLastNTError(status);
        return NULL;
    }
    if (local)
        remember_stack(thread, teb.AllocatedStackBase);
    if (ThreadId != NULL)
        *ThreadId = (DWORD)(ULONG_PTR)cid.UniqueThread;
    if (!(CreationFlags & CREATE_SUSPENDED))
        (void)NtResumeThread(thread, NULL);
    return thread;
}

HANDLE WINAPI CreateThread(LPSECURITY_ATTRIBUTES ThreadAttributes, SIZE_T StackSize,
                           LPTHREAD_START_ROUTINE StartAddress, LPVOID Parameter, DWORD CreationFlags,
                           LPDWORD ThreadId) {
    return CreateRemoteThread(NtCurrentProcess(), ThreadAttributes, StackSize, StartAddress, Parameter,
                              CreationFlags, ThreadId);
}

/* ---- ending threads ---- */

/* DLL_THREAD_DETACH to every DLL, then the thread ends. When it is the
 * last thread the kernel ends the process with the same code (NT's
 * ExitThread calls ExitProcess then; Daytona cannot ask whether this is the
 * last thread, so DLLs get no DLL_PROCESS_DETACH in that case). */
VOID WINAPI ExitThread(DWORD ExitCode) {
    (void)LdrShutdownThread();
    for (;;)
        (void)NtTerminateThread(NtCurrentThread(), (NTSTATUS)ExitCode);
}

/* Ends another thread at once: no DLL is told, as on NT. */
BOOL WINAPI TerminateThread(HANDLE Thread, DWORD ExitCode) {
    if (Thread == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    THREAD_BASIC_INFORMATION info;
    ULONG returned;
    if (NT_SUCCESS(NtQueryInformationThread(Thread, ThreadBasicInformation, &info, sizeof info, &returned)) &&
        info.ExitStatus == STATUS_PENDING &&
        info.ClientId.UniqueProcess == NtCurrentTeb()->ClientId.UniqueProcess) {
        /* It will not detach: take its TEB off the TLS list now. */
        PTEB teb = info.TebBaseAddress;
        RtlEnterCriticalSection(&BaseDllLock);
        if (teb != NtCurrentTeb() && teb->TlsLinks.Flink != NULL) {
            RemoveEntryList(&teb->TlsLinks);
            teb->TlsLinks.Flink = teb->TlsLinks.Blink = NULL;
        }
        RtlLeaveCriticalSection(&BaseDllLock);
    }
    NTSTATUS status = NtTerminateThread(Thread, (NTSTATUS)ExitCode);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    return TRUE;
}

BOOL WINAPI GetExitCodeThread(HANDLE Thread, LPDWORD ExitCode) {
    THREAD_BASIC_INFORMATION info;
    ULONG returned;
    NTSTATUS status = NtQueryInformationThread(Thread, ThreadBasicInformation, &info, sizeof info, &returned);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return FALSE;
    }
    *ExitCode = (DWORD)info.ExitStatus; /* STATUS_PENDING is STILL_ACTIVE */
    return TRUE;
}

DWORD WINAPI ResumeThread(HANDLE Thread) {
    ULONG previous = 0;
    NTSTATUS status = NtResumeThread(Thread, &previous);
    if (!NT_SUCCESS(status)) {
        BaseSetLastNTError(status);
        return (DWORD)-1;
    }
    return previous;
}

/* No NtSuspendThread service exists yet. */
DWORD WINAPI SuspendThread(HANDLE Thread) {
    (void)Thread;
    SetLastError(ERROR_CALL_NOT_IMPLEMENTED);
    return (DWORD)-1;
}

HANDLE WINAPI GetCurrentThread(VOID) {
    return NtCurrentThread();
}

DWORD WINAPI GetCurrentThreadId(VOID) {
    return (DWORD)(ULONG_PTR)NtCurrentTeb()->ClientId.UniqueThread;
}

/* ---- TLS ---- */

VOID BasepTlsThreadAttach(VOID) {
    PTEB teb = NtCurrentTeb();
    RtlEnterCriticalSection(&BaseDllLock);
    if (teb->TlsLinks.Flink == NULL)
        InsertTailList(&BasepTlsTebList, &teb->TlsLinks);
    RtlLeaveCriticalSection(&BaseDllLock);
}

VOID BasepTlsThreadDetach(VOID) {
    PTEB teb = NtCurrentTeb();
    RtlEnterCriticalSection(&BaseDllLock);
    if (teb->TlsLinks.Flink != NULL) {
        RemoveEntryList(&teb->TlsLinks);
        teb->TlsLinks.Flink = teb->TlsLinks.Blink = NULL;
    }
    RtlLeaveCriticalSection(&BaseDllLock);
}

static BOOLEAN tls_bit(DWORD Index) {
    return (NtCurrentPeb()->TlsBitmapBits[Index / 32] >> (Index % 32)) & 1;
}

/* Clears slot Index in every thread this process has attached. */
static VOID zero_slot_everywhere(DWORD Index) {
    for (PLIST_ENTRY e = BasepTlsTebList.Flink; e != &BasepTlsTebList; e = e->Flink)
        CONTAINING_RECORD(e, TEB, TlsLinks)->TlsSlots[Index] = NULL;
    NtCurrentTeb()->TlsSlots[Index] = NULL;
}

DWORD WINAPI TlsAlloc(VOID) {
    DWORD index = TLS_OUT_OF_INDEXES;
    RtlEnterCriticalSection(&BaseDllLock);
    for (DWORD i = 0; i < TEB_TLS_SLOTS; i++) {
        if (!tls_bit(i)) {
            NtCurrentPeb()->TlsBitmapBits[i / 32] |= 1u << (i % 32);
            zero_slot_everywhere(i);
            index = i;
            break;
        }
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    if (index == TLS_OUT_OF_INDEXES)
        SetLastError(ERROR_NO_MORE_ITEMS);
    return index;
}

BOOL WINAPI TlsFree(DWORD Index) {
    BOOL ok = FALSE;
    RtlEnterCriticalSection(&BaseDllLock);
    if (Index < TEB_TLS_SLOTS && tls_bit(Index)) {
        NtCurrentPeb()->TlsBitmapBits[Index / 32] &= ~(1u << (Index % 32));
        zero_slot_everywhere(Index);
        ok = TRUE;
    }
    RtlLeaveCriticalSection(&BaseDllLock);
    if (!ok)
        SetLastError(ERROR_INVALID_PARAMETER);
    return ok;
}

/* NT clears the last error on success, so 0 can be told from a failure. */
LPVOID WINAPI TlsGetValue(DWORD Index) {
    if (Index >= TEB_TLS_SLOTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    PTEB teb = NtCurrentTeb();
    teb->LastErrorValue = ERROR_SUCCESS;
    return teb->TlsSlots[Index];
}

BOOL WINAPI TlsSetValue(DWORD Index, LPVOID Value) {
    if (Index >= TEB_TLS_SLOTS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    NtCurrentTeb()->TlsSlots[Index] = Value;
    return TRUE;
}
