/*
 * sysinfo.c - system-wide services: information, hard errors, shutdown and
 * the performance counter.
 *
 * Why: NtQuerySystemInformation is how a program (and the benchmark) reads
 * the system's state: the basic facts, the process list, the kernel's event
 * counters (system-wide and the calling thread's, kernel/ke/counters.c) and
 * pool use per tag. NtRaiseHardError with OptionShutdownSystem is how smss
 * stops the system when a critical process dies (NT's
 * STATUS_SYSTEM_PROCESS_TERMINATED STOP screen). NtShutdownSystem powers off.
 */
#define KD_COMPONENT "ex"
#include "../include/ex.h"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/ntapi.h>
#include <nt/ntexapi.h>

#define TAG_SYSINFO NT_TAG('E', 'x', 'S', 'i')
#define SYSINFO_MAX 0x10000
#define OPTION_SHUTDOWN_SYSTEM 6
#define SHUTDOWN_NO_REBOOT 0
#define SHUTDOWN_REBOOT 1
#define SHUTDOWN_POWER_OFF 2
#define SE_SHUTDOWN_PRIVILEGE_HOLDER(p) ((p)->IsSystem)

extern LIST_ENTRY PsActiveProcessHead;

typedef struct _TAG_WALK {
    UCHAR *Out;
    ULONG Used, Cap, Count;
} TAG_WALK;

static VOID add_tag(const POOL_TAG_USAGE *U, PVOID Context) {
    TAG_WALK *w = Context;
    if (w->Used + sizeof(SYSTEM_POOLTAG) <= w->Cap) {
        SYSTEM_POOLTAG t = {U->Tag, 0, 0, 0, U->Allocations, U->Frees, U->BytesInUse};
        memcpy(w->Out + w->Used, &t, sizeof t);
    }
    w->Used += sizeof(SYSTEM_POOLTAG);
    w->Count++;
}

static ULONG fill_processes(UCHAR *Out, ULONG Cap, UCHAR *CallerBase) {
    ULONG used = 0, last = 0;
    BOOLEAN any = FALSE;
    ULONG s = KeDisableInterrupts();
    for (PLIST_ENTRY e = PsActiveProcessHead.Flink; e != &PsActiveProcessHead; e = e->Flink) {
        PEPROCESS p = CONTAINING_RECORD(e, EPROCESS, ActiveProcessLinks);
        ULONG nameBytes = (ULONG)strlen(p->ImageFileName) * sizeof(WCHAR);
        ULONG size = ALIGN_UP(sizeof(SYSTEM_PROCESS_INFORMATION) + nameBytes + sizeof(WCHAR), 8);
        if (used + size <= Cap) {
            SYSTEM_PROCESS_INFORMATION *i = (SYSTEM_PROCESS_INFORMATION *)(Out + used);
            memset(i, 0, size);
            i->NumberOfThreads = p->ActiveThreads;
            i->CreateTime.QuadPart = (LONGLONG)p->CreateTime;
            WCHAR *name = (WCHAR *)(i + 1);
            for (ULONG c = 0; p->ImageFileName[c]; c++)
                name[c] = (UCHAR)p->ImageFileName[c];
            i->ImageName.Length = (USHORT)nameBytes;
            i->ImageName.MaximumLength = (USHORT)(nameBytes + sizeof(WCHAR));
            i->ImageName.Buffer = (PWCHAR)(CallerBase + used + sizeof *i);
            i->BasePriority = p->Pcb.BasePriority;
            i->UniqueProcessId = (ULONG_PTR)p->UniqueProcessId;
            i->InheritedFromUniqueProcessId = (ULONG_PTR)p->InheritedFromUniqueProcessId;
            i->HandleCount = p->ObjectTable.HandleCount;
            i->CommittedPages = p->CommittedPages;
            i->Exited = p->Pcb.Header.SignalState != 0;
            if (any)
                ((SYSTEM_PROCESS_INFORMATION *)(Out + last))->NextEntryOffset = used - last;
            last = used;
            any = TRUE;
        }
        used += size;
    }
    KeRestoreInterrupts(s);
    return used;
}

/* The event counters, the system's and the caller's, as one snapshot. Kept
 * apart from the pool buffer of the other classes: the benchmark reads
 * these around every measured loop, and the length must match exactly. */
static NTSTATUS query_event_counters(PVOID SystemInformation, ULONG Length, PULONG ReturnLength) {
    SYSTEM_EVENT_COUNTER_INFORMATION info;
    ULONG s = KeDisableInterrupts();
    info.System = KiPcr.PrcbData.Counters;
    info.CurrentThread = KeGetCurrentThread()->Counters;
    KeRestoreInterrupts(s);
    if (Length != sizeof info) {
        ULONG need = sizeof info;
        if (ReturnLength && !NT_SUCCESS(ExCopyToCaller(ReturnLength, &need, sizeof need)))
            return STATUS_ACCESS_VIOLATION;
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    return ExReturnInformation(SystemInformation, Length, &info, sizeof info, ReturnLength);
}

NTSTATUS NTAPI NtQuerySystemInformation(ULONG SystemInformationClass, PVOID SystemInformation, ULONG Length,
                                        PULONG ReturnLength) {
    if (SystemInformationClass == SystemEventCounterInformation)
        return query_event_counters(SystemInformation, Length, ReturnLength);
    ULONG cap = Length < SYSINFO_MAX ? Length : SYSINFO_MAX;
    UCHAR *out = ExAllocatePoolWithTag(PagedPool, cap ? cap : 1, TAG_SYSINFO);
    if (!out)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(out, 0, cap);
    ULONG need = 0;
    NTSTATUS status = STATUS_SUCCESS;
    switch (SystemInformationClass) {
    case SystemBasicInformation: {
        SYSTEM_BASIC_INFORMATION b = {0,
                                      10000000 / CLOCK_HZ,
                                      PAGE_SIZE,
                                      MmNumberOfPhysicalPages(),
                                      1,
                                      MM_MAX_PFN - 1,
                                      MM_ALLOCATION_GRANULARITY,
                                      MM_LOWEST_USER_ADDRESS,
                                      MM_USER_PROBE_ADDRESS - 1,
                                      1,
                                      1};
        need = sizeof b;
        if (need <= cap)
            memcpy(out, &b, need);
        break;
    }
    case SystemPerformanceInformation: {
        POOL_STATISTICS pool;
        ExQueryPoolStatistics(&pool);
        SYSTEM_PERFORMANCE_INFORMATION p = {KeQueryInterruptTime(),
                                            KiPcr.PrcbData.Counters.SystemCalls,
                                            KiPcr.PrcbData.Counters.ContextSwitches,
                                            KiPcr.PrcbData.Counters.AddressSpaceSwitches,
                                            KiPcr.PrcbData.DirectHandoffs,
                                            MmFaultsResolved,
                                            MmNumberOfFreePages(),
                                            MmNumberOfPhysicalPages(),
                                            pool.PagesInPool,
                                            pool.LargePages};
        need = sizeof p;
        if (need <= cap)
            memcpy(out, &p, need);
        break;
    }
    case SystemProcessInformation: need = fill_processes(out, cap, SystemInformation); break;
    case SystemPoolTagInformation: {
        TAG_WALK w = {out, sizeof(ULONG), cap, 0};
        ExEnumeratePoolTags(add_tag, &w);
        if (cap >= sizeof(ULONG))
            memcpy(out, &w.Count, sizeof(ULONG)); /* SYSTEM_POOLTAG_INFORMATION: Count, then the tags */
        need = w.Used;
        break;
    }
    case SystemDisplayInformation: {
        DISPLAY_INFORMATION d;
        if (!IoQueryDisplayInformation(&d)) {
            status = STATUS_NOT_SUPPORTED; /* no display */
            break;
        }
        need = sizeof d;
        if (need <= cap)
            memcpy(out, &d, need);
        break;
    }
    default: status = STATUS_INVALID_INFO_CLASS;
    }
    if (NT_SUCCESS(status))
        status = ExReturnInformation(SystemInformation, Length, out, need, ReturnLength);
    ExFreePoolWithTag(out, TAG_SYSINFO);
    return status;
}

NTSTATUS NTAPI NtRaiseHardError(NTSTATUS ErrorStatus, ULONG NumberOfParameters,
                                ULONG UnicodeStringParameterMask, PULONG_PTR Parameters,
                                ULONG ValidResponseOptions, PULONG Response) {
    (void)UnicodeStringParameterMask;
    ULONG_PTR params[4] = {0};
    if (NumberOfParameters > 4)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ExCopyFromCaller(params, Parameters, NumberOfParameters * sizeof(ULONG_PTR));
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p = PsGetCurrentProcess();
    KdPrint("hard error 0x%08X from %s, options %u", (ULONG)ErrorStatus, p->ImageFileName,
            ValidResponseOptions);
    if (ValidResponseOptions == OPTION_SHUTDOWN_SYSTEM) {
        if (!SE_SHUTDOWN_PRIVILEGE_HOLDER(p))
            return STATUS_PRIVILEGE_NOT_HELD;
        KeBugCheckEx((ULONG)ErrorStatus, params[0], params[1], params[2], params[3]);
    }
    /* No one to show a message box to yet: the answer is "OK". */
    ULONG response = 6 /* ResponseOk */;
    return Response ? ExCopyToCaller(Response, &response, sizeof response) : STATUS_SUCCESS;
}

NTSTATUS NTAPI NtShutdownSystem(ULONG Action) {
    if (Action > SHUTDOWN_POWER_OFF)
        return STATUS_INVALID_PARAMETER;
    if (!SE_SHUTDOWN_PRIVILEGE_HOLDER(PsGetCurrentProcess()))
        return STATUS_PRIVILEGE_NOT_HELD;
    KdPrint("shutdown requested by %s (action %u)", PsGetCurrentProcess()->ImageFileName, Action);
    HalPowerOff(0);
}

NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter,
                                         PLARGE_INTEGER PerformanceFrequency) {
    /* The TSC: under qemu -icount it counts instructions (DESIGN.md §10); its
     * rate was measured against the clock at boot (KeCalibrateTsc). */
    LARGE_INTEGER now = {.QuadPart = (LONGLONG)__rdtsc()}, freq = {.QuadPart = (LONGLONG)KeTscFrequency};
    NTSTATUS status = ExCopyToCaller(PerformanceCounter, &now, sizeof now);
    if (NT_SUCCESS(status) && PerformanceFrequency)
        status = ExCopyToCaller(PerformanceFrequency, &freq, sizeof freq);
    return status;
}
