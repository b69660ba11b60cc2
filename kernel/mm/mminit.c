/*
 * mminit.c - phase-0 memory manager initialisation from the loader block.
 *
 * Why: the loader's memory map says which physical ranges are RAM; some of
 * that RAM is already in use before the allocator exists (the kernel image,
 * GRUB's modules, the boot information) and some addresses are not ours to
 * hand out (below 1 MiB, the framebuffer). This file lists those carve-outs in
 * one place, so a reader can see exactly what the allocator will never give.
 */
#define KD_COMPONENT "mm"
#include "../include/kd.h"
#include "../include/mm.h"

#define MM_MAX_RESERVED (4 + LOADER_MAX_MODULES)

extern UCHAR __kernel_start[], __kernel_end[];

NTSTATUS MmInitSystem(PLOADER_PARAMETER_BLOCK LoaderBlock, ULONG MbiPhys, ULONG MbiSize) {
    PHYSICAL_RANGE avail[LOADER_MAX_MEMORY_DESCRIPTORS], reserved[MM_MAX_RESERVED];
    ULONG na = 0, nr = 0;
    for (ULONG i = 0; i < LoaderBlock->MemoryDescriptorCount; i++) {
        const MEMORY_DESCRIPTOR *d = &LoaderBlock->MemoryDescriptors[i];
        KdPrint("memory map: %08X%08X-%08X%08X type %u", (ULONG)(d->BasePage >> 32), (ULONG)d->BasePage,
                (ULONG)((d->BasePage + d->Length - 1) >> 32), (ULONG)(d->BasePage + d->Length - 1), d->Type);
        if (d->Type == MB2_MEMORY_AVAILABLE)
            avail[na++] = (PHYSICAL_RANGE){d->BasePage, d->BasePage + d->Length};
    }
    reserved[nr++] = (PHYSICAL_RANGE){0, MM_LOW_MEMORY_END};
    reserved[nr++] = (PHYSICAL_RANGE){(ULONG)__kernel_start - KSEG0_BASE, (ULONG)__kernel_end - KSEG0_BASE};
    reserved[nr++] = (PHYSICAL_RANGE){MbiPhys, (ULONGLONG)MbiPhys + MbiSize};
    const FRAMEBUFFER_INFO *fb = &LoaderBlock->Framebuffer;
    if (fb->Present)
        reserved[nr++] =
            (PHYSICAL_RANGE){fb->PhysicalAddress, fb->PhysicalAddress + (ULONGLONG)fb->Pitch * fb->Height};
    for (ULONG i = 0; i < LoaderBlock->ModuleCount; i++)
        reserved[nr++] = (PHYSICAL_RANGE){LoaderBlock->Modules[i].Start, LoaderBlock->Modules[i].End};

    NTSTATUS status = MmInitializePhysicalMemory(avail, na, reserved, nr);
    if (!NT_SUCCESS(status))
        return status;
    KdPrint("physical memory: %u pages free of %u usable (%u KiB), kernel 0x%08X-0x%08X",
            MmNumberOfFreePages(), MmNumberOfPhysicalPages(), MmNumberOfPhysicalPages() * 4,
            (ULONG)__kernel_start - KSEG0_BASE, (ULONG)__kernel_end - KSEG0_BASE);
    return STATUS_SUCCESS;
}
