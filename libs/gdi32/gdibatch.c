/*
 * gdibatch.c - gdi32's transport: each thread's batch in its quick-LPC
 * window, flushing, and calls that return a value.
 *
 * Why: this is NT 3.51's client half of GDI (DESIGN.md section 9). A
 * thread's first GDI call gets its quick-LPC window from ntdll (which asks
 * csrss for the thread's own server thread); calls that only return TRUE
 * are appended to the batch in that window and sent when the batch holds
 * the thread's batch limit of records (GdiSetBatchLimit, default 10; 1
 * sends every call at once), at GdiFlush, or before any call that returns
 * a value, which rides at the end of the batch and finds its answer right
 * after it. A batched call's own failure cannot be reported (Win32 says
 * the same of batched calls).
 */
#include "gdi32p.h"

#define GDI_DEFAULT_BATCH_LIMIT 10
#define GDI_MAX_BATCH_LIMIT 1000
#define GDI_BATCH_CAPACITY (CSR_QLPC_DATA_BYTES / 2) /* the rest is for the reply */
#define GDISRV_SERVERDLL_INDEX 4
#define GDISRV_QLPC_RUN_BATCH 0

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
    CSR_QLPC_WINDOW *w = CsrQuickLpcWindow();
    if (!w) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY); /* csrss refused a quick-LPC window */
        return NULL;
    }
    t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *t);
    if (!t) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    t->Window = w;
    t->Batch.Buffer = w->Data;
    t->Batch.Capacity = GDI_BATCH_CAPACITY;
    t->Limit = GDI_DEFAULT_BATCH_LIMIT;
    TlsSetValue(GdiTlsIndex, t);
    return t;
}

/* Sends the batch; returns the reply (right after the records) or NULL
 * when csrss refused the whole batch. */
static GDI_REPLY *send_batch(GDI_THREAD *T) {
    uint32_t used = T->Batch.Used;
    CSR_QLPC_WINDOW *w = T->Window;
    w->ApiNumber = (GDISRV_SERVERDLL_INDEX << 16) | GDISRV_QLPC_RUN_BATCH;
    w->Length = used;
    LONG status = CsrQuickLpcCall();
    GdiBatchReset(&T->Batch);
    T->Flushes++;
    if (status < 0 || w->ReturnValue < 0)
        return NULL;
    return (GDI_REPLY *)(w->Data + used);
}

BOOL GdipFlush(GDI_THREAD *T) {
    if (!T || T->Batch.Used == 0)
        return TRUE;
    return send_batch(T) != NULL;
}

BOOL GdipBatch(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes) {
    GDI_THREAD *t = GdipThread();
    if (!t)
        return FALSE;
    if (!GdiBatchAppend(&t->Batch, Call, Args, Count, Data, DataBytes)) {
        if (!GdipFlush(t) || !GdiBatchAppend(&t->Batch, Call, Args, Count, Data, DataBytes)) {
            SetLastError(ERROR_INVALID_PARAMETER); /* too big for any batch */
            return FALSE;
        }
    }
    if (t->Batch.Count >= t->Limit)
        return GdipFlush(t);
    return TRUE;
}

uint32_t GdipCall(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes,
                  void *Out, uint32_t OutBytes) {
    GDI_THREAD *t = GdipThread();
    if (!t)
        return 0;
    if (!GdiBatchAppend(&t->Batch, Call, Args, Count, Data, DataBytes)) {
        if (!GdipFlush(t) || !GdiBatchAppend(&t->Batch, Call, Args, Count, Data, DataBytes)) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return 0;
        }
    }
    GDI_REPLY *r = send_batch(t);
    if (!r) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (Out) {
        uint32_t n = r->OutBytes < OutBytes ? r->OutBytes : OutBytes;
        for (uint32_t i = 0; i < n; i++)
            ((uint8_t *)Out)[i] = r->Out[i];
    }
    if (r->LastError)
        SetLastError(r->LastError);
    return r->Result;
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

/* Daytona's own: how many batches this thread has sent (tests and
 * benchmarks prove batching with it). */
DWORD WINAPI GdiDaytonaBatchCount(void) {
    GDI_THREAD *t = GdipThread();
    return t ? t->Flushes : 0;
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
