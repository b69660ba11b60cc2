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

/* ntdll's quick-LPC calls (libs/include/csr/csr.h). */
PVOID WINAPI CsrQuickLpcWindow(VOID);
LONG WINAPI CsrQuickLpcCall(VOID);

typedef struct _GDI_THREAD {
    CSR_QLPC_WINDOW *Window;
    GDI_BATCH Batch; /* in Window->Data */
    DWORD Limit;     /* GdiSetBatchLimit */
    DWORD Flushes;   /* batches sent */
} GDI_THREAD;

BOOL GdipInitialize(void);
void GdipThreadDetach(void);
/* The calling thread's GDI state, made on its first call; NULL (last error
 * set) when csrss will not serve it. */
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

#define ARGS(...) ((const uint32_t[]){__VA_ARGS__}), (uint32_t)(sizeof((const uint32_t[]){__VA_ARGS__}) / 4)
#define H(x) ((uint32_t)(ULONG_PTR)(x))

#endif
