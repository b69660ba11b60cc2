/*
 * w32host.c - the GDI engine's host in the kernel (GDI=kernel): memory,
 * shared memory, the caller's identity and the lock.
 *
 * Why: the engine asks its host for a handful of things (subsys/gdi/
 * gdikernel.h) and the kernel answers them as win32k did in NT 4.0:
 *   - memory from the pool (tag 'Gdi '),
 *   - a DIB section's bits from a pagefile section seen twice: through a
 *     view in system space, which the engine draws into from any thread,
 *     and through a view in the caller's address space, which the program
 *     writes,
 *   - the owner of what a call creates: the calling process, whose thread
 *     is the one running in the kernel,
 *   - one lock, a fast mutex (NT's FAST_MUTEX; a kernel mutant's general
 *     wait costs hundreds of instructions per call): every caller's thread
 *     runs the engine itself, so calls from different threads meet here.
 */
#define KD_COMPONENT "win32k"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ob.h"
#include "../include/rtl.h"
#include "w32p.h"
#include <nt/ntexapi.h>
#include <nt/rtlstring.h>

static FAST_MUTEX W32pEngineLock;

NTSTATUS W32pInitializeHost(VOID) {
    ExInitializeFastMutex(&W32pEngineLock);
    return STATUS_SUCCESS;
}

/* Zeroes with `rep stos`, as csrss's host gets its memory zeroed (ntdll's
 * heap): the kernel's memset (libs/rtl/string.c) is a plain loop of about
 * three instructions a word, and the two layouts should pay the same for
 * the same engine's allocations. */
static void zero_block(void *Block, size_t Bytes) {
    size_t words = Bytes / 4, tail = Bytes % 4;
    __asm__ volatile("rep stosl\n\t"
                     "movl %[tail], %%ecx\n\t"
                     "rep stosb"
                     : "+D"(Block), "+c"(words)
                     : "a"(0), [tail] "r"(tail)
                     : "memory");
}

void *GdiHostAlloc(size_t Bytes) {
    void *p = ExAllocatePoolWithTag(PagedPool, Bytes ? Bytes : 1, TAG_GDI);
    if (p)
        zero_block(p, Bytes);
    return p;
}

void GdiHostFree(void *Block) {
    if (Block)
        ExFreePoolWithTag(Block, TAG_GDI);
}

uint32_t GdiHostCurrentOwner(void) {
    return (uint32_t)(ULONG_PTR)PsGetCurrentProcess()->UniqueProcessId;
}

void GdiHostLock(void) {
    ExAcquireFastMutex(&W32pEngineLock);
}

void GdiHostUnlock(void) {
    ExReleaseFastMutex(&W32pEngineLock);
}

/* A DIB section's pages: one section, a view in system space and one in
 * the owning process; the cookie keeps what is needed to take both down. */
typedef struct _W32_SHARED {
    PSECTION Section;
    PVOID SystemBase;
    PVOID ClientBase;
    PEPROCESS Process; /* referenced until the views go */
    SIZE_T Charged;    /* its share of W32pSharedBytes */
} W32_SHARED;

/* Every DIB section is committed and seen through system PTEs for as long
 * as it lives, and system PTEs are one 256 MiB range that kernel stacks,
 * the pool and image mapping need too: a program making the largest DIB
 * sections (64 MiB each) could take it all and leave the kernel unable to
 * create a thread. So all DIB sections together get a fixed budget of
 * system space; past it CreateDIBSection fails, and the kernel goes on.
 * Counted under the engine lock (every caller of the engine holds it). */
#define W32P_SHARED_LIMIT (48u * 1024 * 1024)
static SIZE_T W32pSharedBytes;

void *GdiHostAllocShared(size_t Bytes, uint32_t *ClientAddress, void **Cookie) {
    SIZE_T charge = ((SIZE_T)Bytes + PAGE_SIZE - 1) & ~(SIZE_T)(PAGE_SIZE - 1);
    if (charge < Bytes || charge > W32P_SHARED_LIMIT - W32pSharedBytes) {
        KdPrint("a DIB section of %u bytes would pass the %u bytes all may have; refused", (ULONG)Bytes,
                W32P_SHARED_LIMIT);
        return NULL;
    }
    W32_SHARED *s = GdiHostAlloc(sizeof *s);
    if (!s)
        return NULL;
    s->Charged = charge;
    W32pSharedBytes += charge;
    SIZE_T systemSize = 0, clientSize = 0;
    NTSTATUS status = MmCreatePagefileSection(Bytes, PAGE_READWRITE, SEC_COMMIT, &s->Section);
    if (NT_SUCCESS(status))
        status = MmMapViewInSystemSpace(s->Section, &s->SystemBase, &systemSize);
    if (NT_SUCCESS(status)) {
        s->Process = PsGetCurrentProcess();
        ObReferenceObject(s->Process);
        status =
            MmMapViewOfSection(s->Section, s->Process, &s->ClientBase, 0, &clientSize, PAGE_READWRITE, FALSE);
    }
    if (!NT_SUCCESS(status)) {
        GdiHostFreeShared(s);
        return NULL;
    }
    *ClientAddress = (uint32_t)(ULONG_PTR)s->ClientBase;
    *Cookie = s;
    return s->SystemBase;
}

void GdiHostFreeShared(void *Cookie) {
    W32_SHARED *s = Cookie;
    /* The program may have unmapped the view itself, or be ending. */
    if (s->ClientBase && !s->Process->AddressSpaceDeleted &&
        !NT_SUCCESS(MmUnmapViewOfSection(s->Process, (ULONG_PTR)s->ClientBase)))
        KdPrint("DIB section view at %p was already gone", s->ClientBase);
    if (s->SystemBase)
        MmUnmapViewInSystemSpace(s->Section, s->SystemBase);
    if (s->Process)
        ObDereferenceObject(s->Process);
    if (s->Section)
        ObDereferenceObject(s->Section);
    W32pSharedBytes -= s->Charged;
    GdiHostFree(s);
}

/* The display driver's memory: \Device\Video0 (kernel/io/video.c) seen
 * through a view in system space. */
BOOLEAN W32pMapDisplay(GDI_DISPLAY *Display) {
    DISPLAY_INFORMATION d;
    if (!IoQueryDisplayInformation(&d))
        return FALSE;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\Device\\Video0");
    InitializeObjectAttributes(&oa, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    PVOID object;
    NTSTATUS status = ObReferenceObjectByName(&oa, MmSectionObjectType, 0, NULL, &object);
    PVOID base = NULL;
    SIZE_T size = 0;
    if (NT_SUCCESS(status)) {
        status = MmMapViewInSystemSpace(object, &base, &size);
        ObDereferenceObject(object);
    }
    if (!NT_SUCCESS(status)) {
        KdPrint("cannot map \\Device\\Video0: 0x%08X", (ULONG)status);
        return FALSE;
    }
    *Display =
        (GDI_DISPLAY){(int32_t)d.Width, (int32_t)d.Height, (int32_t)d.Pitch, (int32_t)d.BitsPerPixel, base};
    return TRUE;
}
