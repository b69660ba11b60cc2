/*
 * video.c - the display for user mode: \Device\Video0, the framebuffer as
 * a section, and the mode it is in.
 *
 * Why: in NT 3.51 the display driver runs inside csrss with GDI, and the
 * kernel-mode miniport's job is to hand it the video memory (mapped into
 * csrss) and describe the mode. Daytona's "miniport" is the multiboot2
 * framebuffer GRUB set up: at boot the kernel wraps its physical pages in a
 * section object, \Device\Video0, that only system processes may open
 * (csrss maps it with NtMapViewOfSection), and answers
 * NtQuerySystemInformation(SystemDisplayInformation) with the mode. The
 * pages are device memory: a view of them is never freed back to the page
 * allocator. The boot screen and the STOP screen keep using the kernel's
 * own mapping (bootvid.c).
 */
#define KD_COMPONENT "io"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/mm.h"
#include "../include/ob.h"
#include "../include/rtl.h"
#include <nt/ntexapi.h>
#include <nt/rtlstring.h>

static DISPLAY_INFORMATION IopDisplay;

/* A mask of Size bits at Position, as the mode's colour masks are given. */
static ULONG mask_of(UCHAR Position, UCHAR Size) {
    return Size >= 32 ? 0xFFFFFFFFu : (((1u << Size) - 1) << Position);
}

NTSTATUS IoCreateVideoDevice(const FRAMEBUFFER_INFO *Fb) {
    if (!Fb->Present || Fb->Type != MB2_FRAMEBUFFER_RGB) {
        KdPrint("no RGB framebuffer: \\Device\\Video0 not created");
        return STATUS_SUCCESS; /* a machine without a display still boots */
    }
    ULONGLONG bytes = (ULONGLONG)Fb->Pitch * Fb->Height;
    PSECTION section;
    NTSTATUS status = MmCreatePhysicalSection(Fb->PhysicalAddress, bytes, &section);
    if (!NT_SUCCESS(status))
        return status;
    OBJECT_TO_OBJECT_HEADER(section)->Flags |= OB_FLAG_SYSTEM_ONLY;
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES oa;
    RtlInitUnicodeString(&name, L"\\Device\\Video0");
    InitializeObjectAttributes(&oa, &name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    status = ObInsertObject(section, &oa, 0, NULL);
    if (!NT_SUCCESS(status))
        return status;
    ObDereferenceObject(section); /* the permanent name keeps it */
    IopDisplay.Width = Fb->Width;
    IopDisplay.Height = Fb->Height;
    IopDisplay.Pitch = Fb->Pitch;
    IopDisplay.BitsPerPixel = Fb->Bpp;
    IopDisplay.RedMask = mask_of(Fb->RedPosition, Fb->RedSize);
    IopDisplay.GreenMask = mask_of(Fb->GreenPosition, Fb->GreenSize);
    IopDisplay.BlueMask = mask_of(Fb->BluePosition, Fb->BlueSize);
    IopDisplay.FrameBufferLength = (ULONG)bytes;
    KdPrint("\\Device\\Video0: %ux%u, %u bpp, pitch %u (masks %08X %08X %08X)", Fb->Width, Fb->Height,
            Fb->Bpp, Fb->Pitch, IopDisplay.RedMask, IopDisplay.GreenMask, IopDisplay.BlueMask);
    return STATUS_SUCCESS;
}

BOOLEAN IoQueryDisplayInformation(DISPLAY_INFORMATION *Info) {
    *Info = IopDisplay;
    return IopDisplay.Width != 0;
}
