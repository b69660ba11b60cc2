/*
 * gdibatch.c - gdi32's batching: each thread's batch, the batch limit,
 * flushing, and calls that return a value.
 *
 * Why: a GDI call that only returns TRUE need not cross into the engine on
 * its own (DESIGN.md section 9). It is appended to the calling thread's
 * batch, which is sent when it holds the thread's batch limit of records
 * (GdiSetBatchLimit, default 10; 1 sends every call at once), at GdiFlush,
 * or before any call that returns a value. A batched call's own failure
 * cannot be reported (Win32 says the same of batched calls). Where the
 * batch lives and how it is sent is the transport's business (qlpc.c for
 * GDI in csrss, ntgdi.c for GDI in the kernel, inproc.c for the engine
 * linked in); this file is the same in every build.
 */
#include "gdi32p.h"

#define GDI_DEFAULT_BATCH_LIMIT 10
#define GDI_MAX_BATCH_LIMIT 1000

static DWORD GdiTlsIndex = TLS_OUT_OF_INDEXES;

BOOL GdipInitialize(void) {
    GdiTlsIndex = TlsAlloc();
    return GdiTlsIndex != TLS_OUT_OF_INDEXES;
}

void GdipThreadDetach(void) {
    GDI_THREAD *t = GdiTlsIndex == TLS_OUT_OF_INDEXES ? NULL : TlsGetValue(GdiTlsIndex);
    if (t) {
        GdipFlush(t);
        HeapFree(GetProcessHeap(), 0, t);
        TlsSetValue(GdiTlsIndex, NULL);
    }
}

GDI_THREAD *GdipThread(void) {
    GDI_THREAD *t = TlsGetValue(GdiTlsIndex);
    if (t)
        return t;
    t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *t);
    if (!t) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (!GdipTransportOpen(t)) {
        HeapFree(GetProcessHeap(), 0, t);
        return NULL;
    }
    t->Limit = GDI_DEFAULT_BATCH_LIMIT;
    TlsSetValue(GdiTlsIndex, t);
    return t;
}

BOOL GdipFlush(GDI_THREAD *T) {
    if (!T || T->Batch.Used == 0)
        return TRUE;
    T->Flushes++;
    T->Records += T->Batch.Count;
    return GdipTransportFlush(T);
}

/* Appends a record, sending the batch first if it is full. */
static BOOL append(GDI_THREAD *T, uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data,
                   uint32_t DataBytes) {
    if (GdiBatchAppend(&T->Batch, Call, Args, Count, Data, DataBytes))
        return TRUE;
    if (GdipFlush(T) && GdiBatchAppend(&T->Batch, Call, Args, Count, Data, DataBytes))
        return TRUE;
    SetLastError(ERROR_INVALID_PARAMETER); /* too big for any batch */
    return FALSE;
}

BOOL GdipBatch(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes) {
    GDI_THREAD *t = GdipThread();
    if (!t || !append(t, Call, Args, Count, Data, DataBytes))
        return FALSE;
    if (t->Batch.Count >= t->Limit)
        return GdipFlush(t);
    return TRUE;
}

uint32_t GdipCall(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes,
                  void *Out, uint32_t OutBytes) {
    GDI_THREAD *t = GdipThread();
    if (!t)
        return 0;
    if (GdiBatchRecordSize(Count, DataBytes) > t->Batch.Capacity - t->Batch.Used && !GdipFlush(t))
        return 0;
    t->Flushes++;
    t->Records += t->Batch.Count + 1;
    return GdipTransportCall(t, Call, Args, Count, Data, DataBytes, Out, OutBytes);
}

uint32_t GdipTakeReply(const GDI_REPLY *Reply, void *Out, uint32_t OutBytes) {
    if (Out) {
        uint32_t n = Reply->OutBytes < OutBytes ? Reply->OutBytes : OutBytes;
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)Out)[i] = Reply->Out[i];
    }
    if (Reply->LastError)
        SetLastError(Reply->LastError);
    return Reply->Result;
}

/* ---- GdiFlush, GdiSetBatchLimit, GdiGetBatchLimit ---- */

WINBOOL WINAPI GdiFlush(void) {
    GDI_THREAD *t = GdiTlsIndex == TLS_OUT_OF_INDEXES ? NULL : TlsGetValue(GdiTlsIndex);
    return GdipFlush(t);
}

DWORD WINAPI GdiSetBatchLimit(DWORD Limit) {
    GDI_THREAD *t = GdipThread();
    if (!t || Limit > GDI_MAX_BATCH_LIMIT)
        return 0;
    DWORD old = t->Limit;
    GdipFlush(t);
    t->Limit = Limit ? Limit : GDI_DEFAULT_BATCH_LIMIT;
    return old;
}

DWORD WINAPI GdiGetBatchLimit(void) {
    GDI_THREAD *t = GdipThread();
    return t ? t->Limit : 0;
}

/* Daytona's own: how many batches this thread has sent, and how many
 * records were in them (tests and benchmarks prove batching with them). A
 * value-returning call counts as a batch with its record at the end. */
DWORD WINAPI GdiDaytonaBatchCount(void) {
    GDI_THREAD *t = GdipThread();
    return t ? t->Flushes : 0;
}

DWORD WINAPI GdiDaytonaRecordCount(void) {
    GDI_THREAD *t = GdipThread();
    return t ? t->Records : 0;
}

/* Daytona's own: where the engine this gdi32 talks to runs (csrss, the
 * kernel, or the program itself), so a program can say which layout it
 * was drawn by. */
LPCSTR WINAPI GdiDaytonaHost(void) {
    return GdipHostName;
}

BOOL WINAPI GdiDllInitialize(HINSTANCE Instance, DWORD Reason, LPVOID Reserved) {
    (void)Instance;
    (void)Reserved;
    if (Reason == DLL_PROCESS_ATTACH)
        return GdipInitialize();
    if (Reason == DLL_THREAD_DETACH || Reason == DLL_PROCESS_DETACH)
        GdipThreadDetach();
    return TRUE;
}
