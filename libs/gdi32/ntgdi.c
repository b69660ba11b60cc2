/*
 * ntgdi.c - gdi32's transport to GDI in the kernel (GDI=kernel, NT 4.0's
 * layout).
 *
 * Why: NT 4.0 moved the engine into the kernel (win32k.sys) and gdi32 began
 * calling it through system services of its own table (DESIGN.md sections 6
 * and 9). The batch lives in the thread's TEB (GdiTebBatch) and one
 * NtGdiFlushUserBatch system call runs it; a call that returns a value is
 * its own service, NtGdi<Name>, which takes the call's 32-bit arguments
 * followed by (Data, DataBytes, Out, OutBytes), returns the Win32 result
 * and stores any error in the TEB's LastErrorValue, as win32k does. The
 * kernel runs the pending batch before any NtGdi* service, so a value call
 * costs one system call, batch included.
 */
#include "gdi32p.h"

/* The TEB's GDI batch (nt/ntpeb.h's GDI_TEB_BATCH at TEB offset 0x1FC;
 * windows.h and the NT headers cannot meet in one file, so it is restated). */
#define TEB_GDI_BATCH_OFFSET 0x1FC
#define GDI_TEB_BATCH_BYTES 0xC00
typedef struct _GDI_TEB_BATCH {
    ULONG Offset;
    ULONG Records;
    UCHAR Buffer[GDI_TEB_BATCH_BYTES];
} GDI_TEB_BATCH;

/* Service numbers: table 1 (bits 12-13), NtGdiFlushUserBatch first, then
 * one service per call of GDI_CALL_LIST in its order. */
#define NTGDI_TABLE 0x1000u
#define NTGDI_FLUSH_USER_BATCH (NTGDI_TABLE | 0u)
#define NTGDI_SERVICE(Call) (NTGDI_TABLE | (1u + (Call)))
#define NTGDI_TRAILING_ARGUMENTS 4 /* Data, DataBytes, Out, OutBytes */

const char GdipHostName[] = "GDI in the kernel (the NT 4.0 layout)";

static GDI_TEB_BATCH *teb_batch(void) {
    UCHAR *teb;
    __asm__("movl %%fs:0x18, %0" : "=r"(teb));
    return (GDI_TEB_BATCH *)(teb + TEB_GDI_BATCH_OFFSET);
}

/* int 0x2E: EAX the service, EDX the arguments; the result comes back in EAX. */
static ULONG system_call(ULONG Service, const ULONG *Arguments) {
    ULONG result = Service;
    __asm__ volatile("int $0x2e" : "+a"(result), "+d"(Arguments) : : "ecx", "memory");
    return result;
}

BOOL GdipTransportOpen(GDI_THREAD *T) {
    GDI_TEB_BATCH *b = teb_batch();
    T->Transport = b;
    T->Batch.Buffer = b->Buffer;
    T->Batch.Capacity = GDI_TEB_BATCH_BYTES;
    b->Offset = 0;
    return TRUE;
}

static void publish(GDI_THREAD *T) {
    GDI_TEB_BATCH *b = T->Transport;
    b->Offset = T->Batch.Used;
    b->Records = T->Batch.Count;
}

BOOL GdipTransportFlush(GDI_THREAD *T) {
    publish(T);
    LONG status = (LONG)system_call(NTGDI_FLUSH_USER_BATCH, NULL);
    GdiBatchReset(&T->Batch); /* the kernel emptied the TEB's */
    return status >= 0;
}

uint32_t GdipTransportCall(GDI_THREAD *T, uint16_t Call, const uint32_t *Args, uint32_t Count,
                           const void *Data, uint32_t DataBytes, void *Out, uint32_t OutBytes) {
    ULONG a[GDI_BATCH_MAX_ARGS + NTGDI_TRAILING_ARGUMENTS];
    if (Count > GDI_BATCH_MAX_ARGS || Call >= GdiCallCount) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    for (uint32_t i = 0; i < Count; i++)
        a[i] = Args[i];
    a[Count] = (ULONG)(ULONG_PTR)Data;
    a[Count + 1] = DataBytes;
    a[Count + 2] = (ULONG)(ULONG_PTR)Out;
    a[Count + 3] = OutBytes;
    publish(T);
    uint32_t result = system_call(NTGDI_SERVICE(Call), a);
    GdiBatchReset(&T->Batch);
    return result;
}
