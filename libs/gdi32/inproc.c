/*
 * inproc.c - gdi32's third transport: the engine linked into the program
 * (the benchmark's floor; no boundary at all).
 *
 * Why: issue 6 asks what a GDI call costs through csrss and through the
 * kernel; to say how much of that is the boundary, the same calls must be
 * timed with no boundary (DESIGN.md section 9's in-process host). This file
 * is both sides of that: the transport gdi32's batching uses (gdi32p.h)
 * and the engine's host (gdikernel.h's GdiHost*). A flush is a plain call
 * of GreRunBatch on the program's own buffer under a critical section (the
 * lock every host takes); memory comes from the process heap; the owner of
 * every object is one constant; "shared" memory is ordinary memory, seen
 * at the same address by the engine and the program. User mode cannot map
 * the framebuffer, so the display is a 1024x768x32 buffer on the heap.
 * Linked only into gdibfloor.exe (Makefile), never into gdi32.dll.
 */
#include "gdi32p.h"

#define INPROC_BUFFER_BYTES (64 * 1024)
#define INPROC_BATCH_CAPACITY (INPROC_BUFFER_BYTES / 2) /* as qlpc.c: the rest is for the reply */
#define INPROC_OWNER 1
#define INPROC_SCREEN_WIDTH 1024
#define INPROC_SCREEN_HEIGHT 768
#define INPROC_SCREEN_BPP 32

const char GdipHostName[] = "GDI in the program (no boundary: the benchmark's floor)";

static CRITICAL_SECTION EngineLock;
static BOOL EngineReady;

/* ---- the engine's host ---- */

void *GdiHostAlloc(size_t Bytes) {
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, Bytes);
}
void GdiHostFree(void *Block) {
    if (Block)
        HeapFree(GetProcessHeap(), 0, Block);
}
void *GdiHostAllocShared(size_t Bytes, uint32_t *ClientAddress, void **Cookie) {
    void *p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, Bytes);
    if (!p)
        return NULL;
    *ClientAddress = (uint32_t)(ULONG_PTR)p; /* one address space: the same pages */
    *Cookie = p;
    return p;
}
void GdiHostFreeShared(void *Cookie) {
    HeapFree(GetProcessHeap(), 0, Cookie);
}
uint32_t GdiHostCurrentOwner(void) {
    return INPROC_OWNER;
}
void GdiHostLock(void) {
    EnterCriticalSection(&EngineLock);
}
void GdiHostUnlock(void) {
    LeaveCriticalSection(&EngineLock);
}

/* Starts gdi32's batching and the engine on a heap "display". Call once,
 * before any GDI call; FALSE when there is no memory or the engine refuses
 * (the reason on stderr is the caller's business: *Why). */
BOOL WINAPI GdiInProcessInitialize(const char **Why) {
    *Why = "out of memory";
    if (!GdipInitialize())
        return FALSE;
    InitializeCriticalSection(&EngineLock);
    void *bits = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                           (SIZE_T)INPROC_SCREEN_WIDTH * INPROC_SCREEN_HEIGHT * (INPROC_SCREEN_BPP / 8));
    if (!bits)
        return FALSE;
    GDI_DISPLAY display = {INPROC_SCREEN_WIDTH, INPROC_SCREEN_HEIGHT,
                           INPROC_SCREEN_WIDTH * (INPROC_SCREEN_BPP / 8), INPROC_SCREEN_BPP, bits};
    GdiHostLock();
    EngineReady = GreInitialize(&display, Why) != 0;
    GdiHostUnlock();
    return EngineReady;
}

/* ---- the transport ---- */

BOOL GdipTransportOpen(GDI_THREAD *T) {
    if (!EngineReady) {
        SetLastError(ERROR_NOT_READY);
        return FALSE;
    }
    uint8_t *buffer = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, INPROC_BUFFER_BYTES);
    if (!buffer) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    T->Transport = buffer;
    T->Batch.Buffer = buffer;
    T->Batch.Capacity = INPROC_BATCH_CAPACITY;
    return TRUE;
}

/* Runs the batch; the reply (right after the records) or NULL when the
 * engine found a record malformed. */
static GDI_REPLY *run_batch(GDI_THREAD *T) {
    uint32_t used = T->Batch.Used;
    uint8_t *buffer = T->Transport;
    GDI_REPLY *reply = (GDI_REPLY *)(buffer + used);
    uint32_t capacity = INPROC_BUFFER_BYTES - used - (uint32_t)sizeof(GDI_REPLY);
    int malformed = 0;
    GdiHostLock();
    GreRunBatch(buffer, used, reply, capacity, &malformed);
    GdiHostUnlock();
    GdiBatchReset(&T->Batch);
    return malformed ? NULL : reply;
}

BOOL GdipTransportFlush(GDI_THREAD *T) {
    return run_batch(T) != NULL;
}

uint32_t GdipTransportCall(GDI_THREAD *T, uint16_t Call, const uint32_t *Args, uint32_t Count,
                           const void *Data, uint32_t DataBytes, void *Out, uint32_t OutBytes) {
    if (!GdiBatchAppend(&T->Batch, Call, Args, Count, Data, DataBytes)) {
        SetLastError(ERROR_INVALID_PARAMETER); /* too big for any batch */
        return 0;
    }
    GDI_REPLY *r = run_batch(T);
    if (!r) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    return GdipTakeReply(r, Out, OutBytes);
}
