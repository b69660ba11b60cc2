/*
 * gdisrv.c - the GDI server module of csrss: NT 3.51's graphics path.
 *
 * Why: in NT 3.51 GDI ran inside csrss, and a client thread's GDI calls
 * reached it through quick LPC: gdi32 packs the calls into the thread's
 * shared window as batch records (subsys/gdi/gdibatch.h) and one event-pair
 * round trip runs them all. This module is that server: it maps the display
 * (\Device\Video0) into csrss at start-up, starts the engine (subsys/gdi)
 * on it, and for each quick-LPC request runs the window's records under
 * the engine's lock, with the client's process id as the owner of
 * everything they create. When a client process goes, its GDI objects go
 * with it. It is also the engine's host: allocation on a heap of its own,
 * the lock, and the caller's identity.
 */
#include "../csrsrv.h"
#include <nt/ntexapi.h>

#include "../../gdi/gdi.h"

#define SECTION_MAP_READ_WRITE 0x0006
#define VIEW_UNMAP 2
#define PAGE_READWRITE_ 0x04
#define GDISRV_QLPC_RUN_BATCH 0
#define GDI_HEAP_RESERVE (16 * 1024 * 1024)

static RTL_CRITICAL_SECTION GdiLock;
static PVOID GdiHeap;
static uint32_t GdiCurrentOwner;
static HANDLE GdiCurrentProcess; /* the caller's process, csrss's handle (during a request) */

#define SECTION_ALL_ACCESS_ 0x000F001F
#define SEC_COMMIT_ 0x08000000
#define DUPLICATE_SAME_ACCESS_ 0x2

/* A DIB section's pages: a pagefile section mapped in csrss and in the
 * client; the cookie keeps what is needed to take both views down. */
typedef struct _GDI_SHARED {
    PVOID ServerBase, ClientBase;
    HANDLE Process; /* csrss's own handle to the client, kept until the views go */
} GDI_SHARED;

void *GdiHostAllocShared(size_t Bytes, uint32_t *ClientAddress, void **Cookie) {
    GDI_SHARED *s = RtlAllocateHeap(GdiHeap, HEAP_ZERO_MEMORY, sizeof *s);
    HANDLE section = NULL;
    LARGE_INTEGER size = {.QuadPart = (LONGLONG)Bytes};
    SIZE_T view = 0, clientView = 0;
    NTSTATUS status =
        s ? NtCreateSection(&section, SECTION_ALL_ACCESS_, NULL, &size, PAGE_READWRITE_, SEC_COMMIT_, NULL)
          : STATUS_NO_MEMORY;
    if (NT_SUCCESS(status))
        status = NtDuplicateObject(NtCurrentProcess(), GdiCurrentProcess, NtCurrentProcess(), &s->Process, 0,
                                   0, DUPLICATE_SAME_ACCESS_);
    if (NT_SUCCESS(status))
        status = NtMapViewOfSection(section, NtCurrentProcess(), &s->ServerBase, 0, 0, NULL, &view,
                                    VIEW_UNMAP, 0, PAGE_READWRITE_);
    if (NT_SUCCESS(status))
        status = NtMapViewOfSection(section, s->Process, &s->ClientBase, 0, 0, NULL, &clientView, VIEW_UNMAP,
                                    0, PAGE_READWRITE_);
    if (section)
        NtClose(section); /* the views keep the pages */
    if (!NT_SUCCESS(status)) {
        if (s)
            GdiHostFreeShared(s);
        return NULL;
    }
    *ClientAddress = (uint32_t)(ULONG_PTR)s->ClientBase;
    *Cookie = s;
    return s->ServerBase;
}

void GdiHostFreeShared(void *Cookie) {
    GDI_SHARED *s = Cookie;
    if (s->ServerBase)
        NtUnmapViewOfSection(NtCurrentProcess(), s->ServerBase);
    if (s->ClientBase && s->Process)
        NtUnmapViewOfSection(s->Process, s->ClientBase); /* fails harmlessly once the client is gone */
    if (s->Process)
        NtClose(s->Process);
    RtlFreeHeap(GdiHeap, 0, s);
}
static BOOLEAN GdiReady;
static const char *GdiWhyNot = "not started";

void *GdiHostAlloc(size_t Bytes) {
    return RtlAllocateHeap(GdiHeap, HEAP_ZERO_MEMORY, Bytes);
}
void GdiHostFree(void *Block) {
    if (Block)
        RtlFreeHeap(GdiHeap, 0, Block);
}
uint32_t GdiHostCurrentOwner(void) {
    return GdiCurrentOwner;
}
void GdiHostLock(void) {
    RtlEnterCriticalSection(&GdiLock);
}
void GdiHostUnlock(void) {
    RtlLeaveCriticalSection(&GdiLock);
}

/* Maps the display and starts the engine; csrss runs on without GDI (every
 * GDI request then fails) if there is no usable display. */
NTSTATUS GdiSrvInitialize(VOID) {
    NTSTATUS status = RtlInitializeCriticalSection(&GdiLock);
    if (!NT_SUCCESS(status))
        return status;
    GdiHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, GDI_HEAP_RESERVE, 0, NULL, NULL);
    if (!GdiHeap)
        return STATUS_NO_MEMORY;
    DISPLAY_INFORMATION d;
    GDI_DISPLAY display;
    GDI_DISPLAY *use = NULL;
    if (NT_SUCCESS(NtQuerySystemInformation(SystemDisplayInformation, &d, sizeof d, NULL))) {
        UNICODE_STRING name;
        OBJECT_ATTRIBUTES oa;
        HANDLE section;
        PVOID base = NULL;
        SIZE_T size = 0;
        RtlInitUnicodeString(&name, L"\\Device\\Video0");
        InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
        status = NtOpenSection(&section, SECTION_MAP_READ_WRITE, &oa);
        if (NT_SUCCESS(status)) {
            status = NtMapViewOfSection(section, NtCurrentProcess(), &base, 0, 0, NULL, &size, VIEW_UNMAP, 0,
                                        PAGE_READWRITE_);
            NtClose(section);
        }
        if (NT_SUCCESS(status)) {
            display = (GDI_DISPLAY){(int32_t)d.Width, (int32_t)d.Height, (int32_t)d.Pitch,
                                    (int32_t)d.BitsPerPixel, base};
            use = &display;
        } else {
            DbgPrint("csrss: gdisrv: cannot map \\Device\\Video0: 0x%08X\n", (ULONG)status);
        }
    }
    GdiHostLock();
    GdiReady = GreInitialize(use, &GdiWhyNot) != 0;
    GdiHostUnlock();
    if (GdiReady && use)
        DbgPrint("csrss: gdisrv: GDI engine on a %ux%u %u bpp display\n", d.Width, d.Height, d.BitsPerPixel);
    else if (GdiReady)
        DbgPrint("csrss: gdisrv: GDI engine without a display (memory DCs only)\n");
    else
        DbgPrint("csrss: gdisrv: GDI refused: %s\n", GdiWhyNot);
    return STATUS_SUCCESS;
}

/* A client thread's window: Data[0..Length) are batch records (Length a
 * multiple of 4); the reply to the last record goes right after them. */
static NTSTATUS GdiSrvQuickLpc(PCSR_PROCESS Process, ULONG ApiId, PUCHAR Data, PULONG Length) {
    ULONG used = *Length;
    if (ApiId != GDISRV_QLPC_RUN_BATCH || (used & 3) || used > CSR_QLPC_DATA_MAX - sizeof(GDI_REPLY))
        return STATUS_INVALID_PARAMETER;
    if (!GdiReady)
        return STATUS_NOT_SUPPORTED;
    GDI_REPLY *reply = (GDI_REPLY *)(Data + used);
    ULONG capacity = CSR_QLPC_DATA_MAX - used - (ULONG)sizeof(GDI_REPLY);
    int malformed = 0;
    GdiHostLock();
    GdiCurrentOwner = (uint32_t)(ULONG_PTR)Process->ClientId.UniqueProcess;
    GdiCurrentProcess = Process->ProcessHandle;
    GreRunBatch(Data, used, reply, capacity, &malformed);
    GdiCurrentProcess = NULL;
    ULONG outBytes = reply->OutBytes; /* written by us just now; bounded by capacity */
    GdiHostUnlock();
    *Length = used + (ULONG)sizeof(GDI_REPLY) + (outBytes <= capacity ? outBytes : capacity);
    return malformed ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
}

static VOID GdiSrvDisconnect(PCSR_PROCESS Process) {
    if (!GdiReady)
        return;
    GdiHostLock();
    uint32_t freed = GreCleanupProcess((uint32_t)(ULONG_PTR)Process->ClientId.UniqueProcess);
    GdiHostUnlock();
    if (freed)
        DbgPrint("csrss: gdisrv: pid %u ended; %u GDI objects freed\n",
                 (ULONG)(ULONG_PTR)Process->ClientId.UniqueProcess, freed);
}

const CSR_SERVER_DLL GdiSrvServerDll = {
    .Name = "gdisrv",
    .ServerId = GDISRV_SERVERDLL_INDEX,
    .ApiCount = 0, /* no LPC APIs: everything comes through quick LPC */
    .DisconnectRoutine = GdiSrvDisconnect,
    .QuickLpcDispatch = GdiSrvQuickLpc,
};
