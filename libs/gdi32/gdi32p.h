/*
 * gdi32p.h - what gdi32's files share: the Win32 headers (with gdi32's own
 * functions declared for export rather than import), the engine's call
 * list and batch format, and the transport (gdibatch.c).
 *
 * Why: gdi32 is built against mingw's stock windows.h, so every function
 * has exactly the prototype (and stdcall decoration) programs link
 * against; WINGDIAPI is emptied because this DLL defines those functions.
 * The engine's headers are included without NT types (GDI_NO_NT_TYPES):
 * only the call numbers and the record format cross this boundary.
 */
#ifndef LIBS_GDI32_GDI32P_H
#define LIBS_GDI32_GDI32P_H

#define _GDI32_
#define _USER32_
#include <windows.h>

#define GDI_NO_NT_TYPES
#include "../../subsys/gdi/gdi.h"
#include "../../subsys/gdi/gdibatch.h"

typedef struct _GDI_THREAD {
    GDI_BATCH Batch; /* where the transport keeps it: the quick-LPC window or the TEB */
    void *Transport; /* the transport's own state (the quick-LPC window) */
    DWORD Limit;     /* GdiSetBatchLimit */
    DWORD Flushes;   /* batches sent */
    DWORD Records;   /* records in them */
} GDI_THREAD;

BOOL GdipInitialize(void);
void GdipThreadDetach(void);
/* The calling thread's GDI state, made on its first call; NULL (last error
 * set) when the engine will not serve it. */
GDI_THREAD *GdipThread(void);
BOOL GdipFlush(GDI_THREAD *Thread);
/* A batchable call: appended, sent when the batch is full. FALSE only if
 * it could not even be queued. */
BOOL GdipBatch(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes);
/* A call that returns something: the batch is sent with it; its result is
 * returned, its returned data copied to Out (OutBytes at most), and the
 * engine's last error set. 0 when it could not be sent. */
uint32_t GdipCall(uint16_t Call, const uint32_t *Args, uint32_t Count, const void *Data, uint32_t DataBytes,
                  void *Out, uint32_t OutBytes);

/* ---- the transport: how a batch reaches the engine ----
 * One of these files is linked, chosen by the build (DESIGN.md section 9):
 *   qlpc.c    GDI=csrss (NT 3.51): the batch in the thread's quick-LPC
 *             window, sent by one event-pair round trip to csrss
 *   ntgdi.c   GDI=kernel (NT 4.0): the batch in the TEB, sent by the system
 *             service NtGdiFlushUserBatch; value calls are NtGdi* services
 *   inproc.c  the benchmark's floor: the engine linked into the program */

/* Gives the thread its batch buffer (T->Batch.Buffer, Capacity); FALSE
 * (last error set) when the engine cannot be reached. */
BOOL GdipTransportOpen(GDI_THREAD *T);
/* Runs the batch's records and empties the batch; FALSE if the engine
 * refused the batch as malformed. */
BOOL GdipTransportFlush(GDI_THREAD *T);
/* Runs the batch and then one call that returns a value; the reply is
 * copied to the caller (GdipCall's contract). */
uint32_t GdipTransportCall(GDI_THREAD *T, uint16_t Call, const uint32_t *Args, uint32_t Count,
                           const void *Data, uint32_t DataBytes, void *Out, uint32_t OutBytes);
/* Where this transport's engine runs, in words a user reads (gdidemo's
 * title, GdiDaytonaHost). */
extern const char GdipHostName[];
/* Copies a reply's returned data and error to the caller; the reply's result. */
uint32_t GdipTakeReply(const GDI_REPLY *Reply, void *Out, uint32_t OutBytes);

#define ARGS(...) ((const uint32_t[]){__VA_ARGS__}), (uint32_t)(sizeof((const uint32_t[]){__VA_ARGS__}) / 4)
#define H(x) ((uint32_t)(ULONG_PTR)(x))

#endif
