/*
 * ntgdi.c - service table 1: GDI's system services (GDI=kernel, NT 4.0's
 * layout), and the start of the kernel-mode GDI host.
 *
 * Why: NT 4.0 moved GDI out of csrss into the kernel, where gdi32 reaches
 * it by system call (DESIGN.md sections 6 and 9). Daytona's table 1 is:
 *   0      NtGdiFlushUserBatch(): runs the batch gdi32 keeps in the
 *          thread's TEB (GdiTebBatch) and empties it;
 *   1 + n  NtGdi<Name>(the call's 32-bit arguments, Data, DataBytes, Out,
 *          OutBytes) for call n of GDI_CALL_LIST (subsys/gdi/gdi.h): the
 *          Win32 result comes back in EAX, any error goes to the TEB's
 *          LastErrorValue, and returned structures to Out.
 * Each service first runs the thread's pending TEB batch, so drawing calls
 * and the value call after them keep their order (NT's system-call
 * dispatcher did this for win32k's table, calling KeGdiFlushUserBatch).
 * The engine is the same code csrss runs: everything from user mode is
 * copied into kernel memory with the fault-safe copy first, then given to
 * GreRunBatch as a batch of records, the one format every host decodes.
 */
#define KD_COMPONENT "win32k"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/probe.h"
#include "../include/rtl.h"
#include "w32p.h"
#include <nt/ntpeb.h>

#include "../../subsys/gdi/gdibatch.h"

#define NTGDI_MAX_RECORD 0xFFFC   /* a record's 16-bit size, a multiple of 4 (as GdiBatchAppend) */
#define NTGDI_MAX_OUT (64 * 1024) /* a reply's data is at most this */
#define NTGDI_SMALL_RECORD 512    /* records this small are built on the stack */
#define NTGDI_SMALL_REPLY 256

static BOOLEAN W32pReady;

/* The engine's lock is held: one buffer for every thread's TEB batch. */
static UCHAR W32pBatchCopy[GDI_TEB_BATCH_BYTES];

/* Runs the records of Buffer (kernel memory) under the engine's lock. */
static VOID run_records(const UCHAR *Buffer, ULONG Bytes, GDI_REPLY *Reply, ULONG OutCapacity,
                        int *Malformed) {
    GdiHostLock();
    GreRunBatch(Buffer, Bytes, Reply, OutCapacity, Malformed);
    GdiHostUnlock();
}

/* The calling thread's TEB batch, run and emptied (NT's KeGdiFlushUserBatch);
 * *Records and *Bytes say how much ran. */
static NTSTATUS flush_teb_batch(PTEB Teb, ULONG *Records, ULONG *Bytes) {
    ULONG used;
    *Records = *Bytes = 0;
    NTSTATUS status = ExCopyFromCaller(&used, &Teb->GdiTebBatch.Offset, sizeof used);
    if (!NT_SUCCESS(status) || used == 0)
        return status;
    ULONG zero = 0;
    status = ExCopyToCaller(&Teb->GdiTebBatch.Offset, &zero, sizeof zero);
    if (!NT_SUCCESS(status))
        return status;
    if (used > GDI_TEB_BATCH_BYTES || (used & 3))
        return STATUS_INVALID_PARAMETER;
    int malformed = 0;
    GdiHostLock();
    status = ExCopyFromCaller(W32pBatchCopy, Teb->GdiTebBatch.Buffer, used);
    if (NT_SUCCESS(status))
        *Records = GreRunBatch(W32pBatchCopy, used, NULL, 0, &malformed);
    GdiHostUnlock();
    *Bytes = used;
    return !NT_SUCCESS(status) ? status : malformed ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

/* The engine takes the display from the boot screen at the first call a
 * program makes (NT's InbvNotifyDisplayOwnershipLost). */
static PTEB current_teb(VOID) {
    PTEB teb = KeGetCurrentThread()->Teb;
    if (!InbvCheckDisplayOwnership() || KeGetPreviousMode() != UserMode)
        return teb;
    InbvNotifyDisplayOwnershipLost();
    return teb;
}

NTSTATUS NTAPI NtGdiFlushUserBatch(VOID) {
    PTEB teb = current_teb();
    if (!W32pReady || !teb)
        return STATUS_NOT_SUPPORTED;
    ULONG records, bytes;
    NTSTATUS status = flush_teb_batch(teb, &records, &bytes);
    if (bytes)
        KeCountGdiBatch(records, bytes);
    return status;
}

_Static_assert(sizeof(GDI_BATCH_RECORD_HEADER) == sizeof(ULONG), "a record's header is one word");

/* One value-returning (or single) call: its record built in kernel memory
 * from the caller's arguments and data, run after the pending batch. */
static ULONG call_engine(USHORT Call, const ULONG *Args, ULONG Count, ULONG MaxData, const VOID *Data,
                         ULONG DataBytes, PVOID Out, ULONG OutBytes) {
    PTEB teb = current_teb();
    if (!W32pReady || !teb)
        return 0;
    ULONG records, bytes; /* the batch and this call count as one, as gdi32 counts them */
    (void)flush_teb_batch(teb, &records, &bytes); /* a bad batch is refused alone; this call still runs */
    ULONG error = 0, result = 0;
    /* More data than the call takes is refused here, before any of it is
     * copied: it would not fit a record's 16-bit size, or would be decoded
     * as records of its own after the call's. */
    if (DataBytes > MaxData || OutBytes > NTGDI_MAX_OUT) {
        error = GDI_ERROR_INVALID_PARAMETER;
        goto done;
    }
    ULONG size = GdiBatchRecordSize(Count, DataBytes);
    if (size > NTGDI_MAX_RECORD) { /* no call's MaxData allows it today */
        error = GDI_ERROR_INVALID_PARAMETER;
        goto done;
    }
    ULONG replySize = (ULONG)sizeof(GDI_REPLY) + OutBytes;
    ULONG smallRecord[NTGDI_SMALL_RECORD / 4], smallReply[NTGDI_SMALL_REPLY / 4];
    UCHAR *record =
        size <= sizeof smallRecord ? (UCHAR *)smallRecord : ExAllocatePoolWithTag(PagedPool, size, TAG_GDI);
    GDI_REPLY *reply = replySize <= sizeof smallReply ? (GDI_REPLY *)smallReply
                                                      : ExAllocatePoolWithTag(PagedPool, replySize, TAG_GDI);
    if (!record || !reply) {
        error = GDI_ERROR_NOT_ENOUGH_MEMORY;
        goto free;
    }
    /* The record is built a word at a time: a value call's is a few words,
     * which the kernel's memcpy and memset cost more to call than to move. */
    union {
        GDI_BATCH_RECORD_HEADER Header;
        ULONG Word;
    } first = {.Header = {Call, (uint16_t)size}};
    ULONG *words = (ULONG *)record;
    words[0] = first.Word;
    for (ULONG i = 0; i < Count; i++)
        words[1 + i] = Args[i];
    UCHAR *data = (UCHAR *)(words + 1 + Count);
    if (DataBytes & 3)
        words[size / 4 - 1] = 0; /* the padding after the data */
    if (DataBytes && !NT_SUCCESS(ExCopyFromCaller(data, Data, DataBytes))) {
        error = GDI_ERROR_INVALID_PARAMETER;
        goto free;
    }
    int malformed = 0;
    run_records(record, size, reply, OutBytes, &malformed);
    bytes += DataBytes;
    if (malformed) {
        error = GDI_ERROR_INVALID_PARAMETER;
        goto free;
    }
    result = reply->Result;
    error = reply->LastError;
    ULONG n = reply->OutBytes < OutBytes ? reply->OutBytes : OutBytes;
    if (n && !NT_SUCCESS(ExCopyToCaller(Out, reply->Out, n))) {
        error = GDI_ERROR_INVALID_PARAMETER;
        result = 0;
    }
    bytes += n;
free:
    if (record && record != (UCHAR *)smallRecord)
        ExFreePoolWithTag(record, TAG_GDI);
    if (reply && reply != (GDI_REPLY *)smallReply)
        ExFreePoolWithTag(reply, TAG_GDI);
done:
    KeCountGdiBatch(records + 1, bytes);
    if (error && !NT_SUCCESS(ExCopyToCaller(&teb->LastErrorValue, &error, sizeof error)))
        result = 0; /* the TEB is gone: the thread is ending */
    return result;
}

/* ---- the NtGdi* services, one per call of GDI_CALL_LIST ----
 * NTGDI_PARAMS_n declares a call's n fixed arguments, NTGDI_VALUES_n lists
 * them: the services are ordinary __stdcall functions with exactly the
 * arguments the table's byte counts say. */
#define NTGDI_PARAMS_0
#define NTGDI_PARAMS_1 ULONG A0,
#define NTGDI_PARAMS_2 NTGDI_PARAMS_1 ULONG A1,
#define NTGDI_PARAMS_3 NTGDI_PARAMS_2 ULONG A2,
#define NTGDI_PARAMS_4 NTGDI_PARAMS_3 ULONG A3,
#define NTGDI_PARAMS_5 NTGDI_PARAMS_4 ULONG A4,
#define NTGDI_PARAMS_6 NTGDI_PARAMS_5 ULONG A5,
#define NTGDI_PARAMS_7 NTGDI_PARAMS_6 ULONG A6,
#define NTGDI_PARAMS_8 NTGDI_PARAMS_7 ULONG A7,
#define NTGDI_PARAMS_9 NTGDI_PARAMS_8 ULONG A8,
#define NTGDI_PARAMS_10 NTGDI_PARAMS_9 ULONG A9,
#define NTGDI_PARAMS_11 NTGDI_PARAMS_10 ULONG A10,
#define NTGDI_VALUES_0
#define NTGDI_VALUES_1 A0,
#define NTGDI_VALUES_2 NTGDI_VALUES_1 A1,
#define NTGDI_VALUES_3 NTGDI_VALUES_2 A2,
#define NTGDI_VALUES_4 NTGDI_VALUES_3 A3,
#define NTGDI_VALUES_5 NTGDI_VALUES_4 A4,
#define NTGDI_VALUES_6 NTGDI_VALUES_5 A5,
#define NTGDI_VALUES_7 NTGDI_VALUES_6 A6,
#define NTGDI_VALUES_8 NTGDI_VALUES_7 A7,
#define NTGDI_VALUES_9 NTGDI_VALUES_8 A8,
#define NTGDI_VALUES_10 NTGDI_VALUES_9 A9,
#define NTGDI_VALUES_11 NTGDI_VALUES_10 A10,

#define NTGDI_SERVICE(Name, Args, MaxData, Batchable)                                                        \
    ULONG NTAPI NtGdi##Name(NTGDI_PARAMS_##Args PVOID Data, ULONG DataBytes, PVOID Out, ULONG OutBytes) {    \
        const ULONG args[] = {NTGDI_VALUES_##Args 0};                                                        \
        return call_engine(GdiCall##Name, args, Args, MaxData, Data, DataBytes, Out, OutBytes);              \
    }
GDI_CALL_LIST(NTGDI_SERVICE)
#undef NTGDI_SERVICE

#define NTGDI_ADDRESS(Name, Args, MaxData, Batchable) (ULONG_PTR) NtGdi##Name,
static const ULONG_PTR W32pServiceTable[] = {(ULONG_PTR)NtGdiFlushUserBatch, GDI_CALL_LIST(NTGDI_ADDRESS)};
#undef NTGDI_ADDRESS
#define NTGDI_BYTES(Name, Args, MaxData, Batchable) (Args + 4) * 4,
static const UCHAR W32pArgumentTable[] = {0, GDI_CALL_LIST(NTGDI_BYTES)};
#undef NTGDI_BYTES
_Static_assert(ARRAYSIZE(W32pServiceTable) == 1 + GdiCallCount, "one service per call");

/* ---- start-up and process exit ---- */

static VOID W32pProcessCallout(PEPROCESS Process) {
    if (!W32pReady)
        return;
    GdiHostLock();
    uint32_t freed = GreCleanupProcess((uint32_t)(ULONG_PTR)Process->UniqueProcessId);
    GdiHostUnlock();
    if (freed)
        KdPrint("pid %u ended; %u GDI objects freed", (ULONG)(ULONG_PTR)Process->UniqueProcessId, freed);
}

/* Called once at boot, before smss starts (NT 4.0's smss loaded win32k.sys
 * before csrss): the engine on the display, table 1, the process callout. */
VOID W32kInitialize(VOID) {
    GDI_DISPLAY display;
    const char *why = "not started";
    if (!NT_SUCCESS(W32pInitializeHost()))
        return;
    BOOLEAN screen = W32pMapDisplay(&display);
    GdiHostLock();
    W32pReady = GreInitialize(screen ? &display : NULL, &why) != 0;
    GdiHostUnlock();
    if (!KeAddSystemServiceTable(W32pServiceTable, W32pArgumentTable, ARRAYSIZE(W32pServiceTable), 1)) {
        KdPrint("service table 1 refused");
        return;
    }
    PsEstablishWin32Callouts(W32pProcessCallout);
    if (W32pReady && screen)
        KdPrint("GDI engine in the kernel on a %dx%d %d bpp display; %u NtGdi services in table 1",
                display.Width, display.Height, display.BitsPerPixel, (ULONG)ARRAYSIZE(W32pServiceTable));
    else if (W32pReady)
        KdPrint("GDI engine in the kernel without a display (memory DCs only)");
    else
        KdPrint("GDI refused: %s", why);
}
