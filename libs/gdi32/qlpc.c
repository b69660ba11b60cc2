/*
 * qlpc.c - gdi32's transport to GDI in csrss (GDI=csrss, NT 3.51's layout).
 *
 * Why: in NT 3.51 the engine ran in csrss and a thread's GDI calls reached
 * it through quick LPC (DESIGN.md sections 7 and 9). A thread's first GDI
 * call gets its quick-LPC window from ntdll (which asks csrss for the
 * thread's own server thread); the batch is kept in that window, and one
 * event-pair round trip runs it. A call that returns a value rides at the
 * end of the batch and finds its answer right after it.
 */
#include "gdi32p.h"

/* The quick-LPC window csrss shares with this thread (NT's layout is
 * libs/include/csr/csrmsg.h's CSR_QLPC_MESSAGE; windows.h and the NT
 * headers cannot meet in one file, so it is restated and checked). */
#define CSR_QLPC_WINDOW_BYTES (64 * 1024)
#define CSR_QLPC_DATA_BYTES (CSR_QLPC_WINDOW_BYTES - 16)
typedef struct _CSR_QLPC_WINDOW {
    ULONG ApiNumber;
    LONG ReturnValue;
    ULONG Length;
    ULONG Reserved;
    UCHAR Data[CSR_QLPC_DATA_BYTES];
} CSR_QLPC_WINDOW;
_Static_assert(sizeof(CSR_QLPC_WINDOW) == CSR_QLPC_WINDOW_BYTES, "the quick-LPC window");

/* ntdll's quick-LPC window (libs/include/csr/csr.h), and the system service
 * that is one round trip: once CsrQuickLpcWindow has given the thread its
 * window, the thread's event pair is set up, so gdi32 calls the service
 * itself rather than through CsrQuickLpcCall's check for that. */
PVOID WINAPI CsrQuickLpcWindow(VOID);
LONG WINAPI NtSetHighWaitLowThread(VOID);

#define GDI_BATCH_CAPACITY (CSR_QLPC_DATA_BYTES / 2) /* the rest is for the reply */

const char GdipHostName[] = "GDI inside CSRSS (the NT 3.51 layout)";
#define GDISRV_SERVERDLL_INDEX 4
#define GDISRV_QLPC_RUN_BATCH 0

BOOL GdipTransportOpen(GDI_THREAD *T) {
    CSR_QLPC_WINDOW *w = CsrQuickLpcWindow();
    if (!w) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY); /* csrss refused a quick-LPC window */
        return FALSE;
    }
    T->Transport = w;
    T->Batch.Buffer = w->Data;
    T->Batch.Capacity = GDI_BATCH_CAPACITY;
    return TRUE;
}

/* Sends the batch; returns the reply (right after the records) or NULL
 * when csrss refused the whole batch. */
static GDI_REPLY *send_batch(GDI_THREAD *T) {
    uint32_t used = T->Batch.Used;
    CSR_QLPC_WINDOW *w = T->Transport;
    w->ApiNumber = (GDISRV_SERVERDLL_INDEX << 16) | GDISRV_QLPC_RUN_BATCH;
    w->Length = used;
    LONG status = NtSetHighWaitLowThread();
    GdiBatchReset(&T->Batch);
    if (status < 0 || w->ReturnValue < 0)
        return NULL;
    return (GDI_REPLY *)(w->Data + used);
}

BOOL GdipTransportFlush(GDI_THREAD *T) {
    return send_batch(T) != NULL;
}

uint32_t GdipTransportCall(GDI_THREAD *T, uint16_t Call, const uint32_t *Args, uint32_t Count,
                           const void *Data, uint32_t DataBytes, void *Out, uint32_t OutBytes) {
    if (!GdiBatchAppend(&T->Batch, Call, Args, Count, Data, DataBytes)) {
        SetLastError(ERROR_INVALID_PARAMETER); /* too big for any batch */
        return 0;
    }
    GDI_REPLY *r = send_batch(T);
    if (!r) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return GdipTakeReply(r, Out, OutBytes);
}
