/*
 * section.c - section objects and views.
 *
 * Why: a section is memory that can be mapped into several address spaces
 * at once; it is what LPC port views, quick LPC's shared window and every
 * loaded image stand on. Its "prototype pages" are allocated on first touch
 * (a pagefile-backed section starts as demand zero) and shared by every view.
 * An image section (SEC_IMAGE) is built from a PE file the way it will run:
 * the file is validated (RtlValidateImageFile), laid out page by page
 * (RtlLayoutImage), and each page remembers its section's protection. Views
 * of an image are copy-on-write, so the loader's relocations and a
 * process's global variables never reach another process.
 */
#define KD_COMPONENT "mm"
#include "../include/ex.h"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/mm.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/rtlimage.h>

#define TAG_SECTION_PAGES NT_TAG('M', 'm', 'S', 'p')
#define SECTION_ALL_ACCESS (STANDARD_RIGHTS_REQUIRED | 0x1F)
#define SECTION_MAP_READ 0x0004
#define SECTION_MAP_WRITE 0x0002
#define IMAGE_SCN_MEM_EXECUTE 0x20000000
#define IMAGE_SCN_MEM_WRITE 0x80000000
#define MM_MAX_SECTION_BYTES (256u << 20)

POBJECT_TYPE MmSectionObjectType;

NTSTATUS MiAllocateZeroedPage(PFN_NUMBER *Pfn);
NTSTATUS MiCreateVad(PEPROCESS Process, ULONG_PTR Start, SIZE_T Size, MM_VAD_TYPE Type, ULONG Protect,
                     PMMVAD *Vad);
ULONG_PTR MiFindFreeRange(PEPROCESS Process, SIZE_T Size, BOOLEAN TopDown);
PMMVAD MiLocateVad(PEPROCESS Process, ULONG_PTR Va);
VOID MiDeleteVad(PEPROCESS Process, PMMVAD Vad);

static VOID delete_section(PVOID Object) {
    PSECTION s = Object;
    for (ULONG i = 0; s->Pages && !s->IsPhysical && i < s->PageCount; i++)
        if (s->Pages[i])
            MmFreePhysicalPage(s->Pages[i]);
    if (s->Pages)
        ExFreePoolWithTag(s->Pages, TAG_SECTION_PAGES);
    if (s->ImagePageProtect)
        ExFreePoolWithTag(s->ImagePageProtect, TAG_SECTION_PAGES);
}

NTSTATUS MmInitializeSections(VOID) {
    OBJECT_TYPE init = {.PoolTag = NT_TAG('S', 'e', 'c', 't'),
                        .ValidAccessMask = SECTION_ALL_ACCESS,
                        .GenericMapping = {READ_CONTROL | SECTION_MAP_READ | 0x1,
                                           READ_CONTROL | SECTION_MAP_WRITE,
                                           READ_CONTROL | SECTION_MAP_READ | 0x8, SECTION_ALL_ACCESS},
                        .DispatcherOffset = -1,
                        .DeleteProcedure = delete_section};
    return ObCreateObjectType(L"Section", &init, &MmSectionObjectType);
}

VOID MmDereferenceSection(PSECTION Section) {
    ObDereferenceObject(Section);
}

/* The prototype page Index of Section, created (zeroed) on first use. */
NTSTATUS MiSectionPage(PSECTION Section, ULONG Index, PFN_NUMBER *Pfn) {
    if (Index >= Section->PageCount)
        return STATUS_ACCESS_VIOLATION;
    if (!Section->Pages[Index]) {
        PFN_NUMBER pfn;
        NTSTATUS status = MiAllocateZeroedPage(&pfn);
        if (!NT_SUCCESS(status))
            return status;
        ULONG s = KeDisableInterrupts();
        if (!Section->Pages[Index]) /* the allocation can switch threads: look again */
            Section->Pages[Index] = pfn;
        else
            MmFreePhysicalPage(pfn);
        KeRestoreInterrupts(s);
    }
    *Pfn = Section->Pages[Index];
    return STATUS_SUCCESS;
}

static NTSTATUS new_section(ULONGLONG Bytes, ULONG Protect, ULONG Attributes, PSECTION *Out) {
    if (Bytes == 0 || Bytes > MM_MAX_SECTION_BYTES)
        return STATUS_INVALID_PARAMETER;
    PSECTION s;
    NTSTATUS status = ObCreateObject(MmSectionObjectType, sizeof(SECTION), (PVOID *)&s);
    if (!NT_SUCCESS(status))
        return status;
    s->MaximumSize = Bytes;
    s->PageCount = (ULONG)((Bytes + PAGE_SIZE - 1) >> PAGE_SHIFT);
    s->Protect = Protect;
    s->AllocationAttributes = Attributes;
    s->Pages = ExAllocatePoolWithTag(NonPagedPool, s->PageCount * sizeof(ULONG), TAG_SECTION_PAGES);
    if (!s->Pages) {
        ObDereferenceObject(s);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memset(s->Pages, 0, s->PageCount * sizeof(ULONG));
    *Out = s;
    return STATUS_SUCCESS;
}

NTSTATUS MmCreatePagefileSection(ULONGLONG Bytes, ULONG Protect, ULONG Attributes, PSECTION *Section) {
    return new_section(Bytes, Protect, Attributes, Section);
}

NTSTATUS MmCreatePhysicalSection(ULONGLONG PhysicalAddress, ULONGLONG Bytes, PSECTION *Section) {
    if (PhysicalAddress & (PAGE_SIZE - 1) || PhysicalAddress + Bytes > 0x100000000ull)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = new_section(Bytes, PAGE_READWRITE, SEC_COMMIT, Section);
    if (!NT_SUCCESS(status))
        return status;
    (*Section)->IsPhysical = TRUE;
    for (ULONG i = 0; i < (*Section)->PageCount; i++)
        (*Section)->Pages[i] = (ULONG)(PhysicalAddress >> PAGE_SHIFT) + i;
    return STATUS_SUCCESS;
}

/* The page protection a PE section's characteristics ask for. */
static USHORT image_protection(ULONG Characteristics) {
    BOOLEAN exec = (Characteristics & IMAGE_SCN_MEM_EXECUTE) != 0,
            write = (Characteristics & IMAGE_SCN_MEM_WRITE) != 0;
    if (exec)
        return write ? PAGE_EXECUTE_WRITECOPY : PAGE_EXECUTE_READ;
    return write ? PAGE_WRITECOPY : PAGE_READONLY;
}

NTSTATUS MmCreateImageSection(const VOID *File, SIZE_T FileSize, PSECTION *Section) {
    PE_IMAGE_INFO info;
    NTSTATUS status = RtlValidateImageFile(File, FileSize, &info);
    if (!NT_SUCCESS(status))
        return STATUS_INVALID_IMAGE_FORMAT;
    PSECTION s;
    status = new_section(info.SizeOfImage, PAGE_EXECUTE_WRITECOPY, SEC_IMAGE, &s);
    if (!NT_SUCCESS(status))
        return status;
    s->IsImage = TRUE;
    s->Image = info;
    s->ImagePageProtect =
        ExAllocatePoolWithTag(NonPagedPool, s->PageCount * sizeof(USHORT), TAG_SECTION_PAGES);
    ULONG_PTR window = 0;
    if (!s->ImagePageProtect || !NT_SUCCESS(MiReserveSystemPtes(s->PageCount, &window))) {
        ObDereferenceObject(s);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    /* Materialize every page and lay the file out through a window onto them. */
    for (ULONG i = 0; i < s->PageCount && NT_SUCCESS(status); i++) {
        status = MiAllocateZeroedPage(&s->Pages[i]);
        if (NT_SUCCESS(status))
            MiMapPage(window + i * PAGE_SIZE, s->Pages[i], PTE_WRITE);
        s->ImagePageProtect[i] = PAGE_READONLY; /* headers and gaps */
    }
    if (NT_SUCCESS(status))
        status = RtlLayoutImage(File, FileSize, &info, (PVOID)window);
    for (ULONG i = 0; i < info.NumberOfSections && NT_SUCCESS(status); i++) {
        PE_SECTION_INFO si;
        status = RtlGetImageFileSection(File, FileSize, &info, i, &si);
        for (ULONG p = si.VirtualAddress >> PAGE_SHIFT;
             NT_SUCCESS(status) && p < (si.VirtualAddress + si.MappedSize) >> PAGE_SHIFT; p++)
            s->ImagePageProtect[p] = image_protection(si.Characteristics);
    }
    for (ULONG i = 0; i < s->PageCount; i++)
        MiUnmapPage(window + i * PAGE_SIZE);
    MiReleaseSystemPtes(window, s->PageCount);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(s);
        return status == STATUS_INSUFFICIENT_RESOURCES || status == STATUS_NO_MEMORY
                   ? status
                   : STATUS_INVALID_IMAGE_FORMAT;
    }
    *Section = s;
    return STATUS_SUCCESS;
}

/* Attaches to Process unless its address space is already the current one. */
BOOLEAN MiAttach(PEPROCESS Process) {
    if (PsGetAddressSpaceProcess() == Process)
        return FALSE;
    KeAttachProcess(&Process->Pcb);
    return TRUE;
}

NTSTATUS MmMapViewOfSection(PSECTION Section, PEPROCESS Process, PVOID *BaseAddress, ULONG OffsetPages,
                            SIZE_T *ViewSize, ULONG Protect, BOOLEAN TopDown) {
    ULONG_PTR want = (ULONG_PTR)*BaseAddress;
    SIZE_T size;
    PMMVAD vad;
    NTSTATUS status;
    if (Section->IsPhysical && Process != PsInitialSystemProcess)
        InbvNotifyDisplayOwnershipLost(); /* the only physical section is the framebuffer */
    if (Section->IsImage) {
        size = Section->Image.SizeOfImage;
        if (OffsetPages)
            return STATUS_INVALID_PARAMETER;
        if (!want)
            want = Section->Image.ImageBase;
        status = MiCreateVad(Process, want, size, VadImage, PAGE_EXECUTE_WRITECOPY, &vad);
        BOOLEAN moved = FALSE;
        if (status == STATUS_CONFLICTING_ADDRESSES && !*BaseAddress) {
            if (Section->Image.RelocsStripped)
                return STATUS_CONFLICTING_ADDRESSES; /* it cannot run anywhere else */
            want = MiFindFreeRange(Process, ALIGN_UP(size, MM_ALLOCATION_GRANULARITY), TopDown);
            status = want ? MiCreateVad(Process, want, size, VadImage, PAGE_EXECUTE_WRITECOPY, &vad)
                          : STATUS_NO_MEMORY;
            moved = TRUE;
        }
        if (!NT_SUCCESS(status))
            return status;
        for (ULONG i = 0; i < Section->PageCount; i++)
            vad->PageState[i] = (USHORT)(MM_PAGE_COMMITTED | Section->ImagePageProtect[i]);
        status = moved ? STATUS_IMAGE_NOT_AT_BASE : STATUS_SUCCESS;
    } else {
        if (OffsetPages >= Section->PageCount)
            return STATUS_INVALID_PARAMETER;
        ULONG left = Section->PageCount - OffsetPages;
        SIZE_T asked = *ViewSize ? ALIGN_UP(*ViewSize, PAGE_SIZE) : (SIZE_T)left << PAGE_SHIFT;
        if (asked == 0 || asked > (SIZE_T)left << PAGE_SHIFT)
            return STATUS_INVALID_VIEW_SIZE;
        size = asked;
        if (!want)
            want = MiFindFreeRange(Process, ALIGN_UP(size, MM_ALLOCATION_GRANULARITY), TopDown);
        if (!want || (want & (MM_ALLOCATION_GRANULARITY - 1)))
            return want ? STATUS_MAPPED_ALIGNMENT : STATUS_NO_MEMORY;
        status = MiCreateVad(Process, want, size, VadMapped, Protect, &vad);
        if (!NT_SUCCESS(status))
            return status;
        for (ULONG i = 0; i < (ULONG)(size >> PAGE_SHIFT); i++)
            vad->PageState[i] = (USHORT)(MM_PAGE_COMMITTED | Protect);
        status = STATUS_SUCCESS;
    }
    ObReferenceObject(Section);
    vad->Section = Section;
    vad->SectionFirstPage = OffsetPages;
    *BaseAddress = (PVOID)want;
    *ViewSize = size;
    return status;
}

NTSTATUS MmUnmapViewOfSection(PEPROCESS Process, ULONG_PTR BaseAddress) {
    PMMVAD vad = MiLocateVad(Process, BaseAddress);
    if (!vad || vad->Type == VadPrivate)
        return STATUS_NOT_MAPPED_VIEW;
    BOOLEAN attached = MiAttach(Process);
    MiDeleteVad(Process, vad);
    if (attached)
        KeDetachProcess();
    return STATUS_SUCCESS;
}

/* A whole section mapped into system space (NT's MmMapViewInSystemSpace):
 * how the kernel-mode GDI host reaches a DIB section's pages from any
 * thread, and the framebuffer. The pages are made now (a system mapping
 * takes no page faults) and the view holds a reference on the section. */
NTSTATUS MmMapViewInSystemSpace(PSECTION Section, PVOID *MappedBase, SIZE_T *ViewSize) {
    ULONG_PTR va;
    if (Section->IsImage)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = MiReserveSystemPtes(Section->PageCount, &va);
    if (!NT_SUCCESS(status))
        return status;
    for (ULONG i = 0; i < Section->PageCount; i++) {
        PFN_NUMBER pfn;
        status = MiSectionPage(Section, i, &pfn);
        if (!NT_SUCCESS(status)) {
            for (ULONG j = 0; j < i; j++)
                MiUnmapPage(va + j * PAGE_SIZE);
            MiReleaseSystemPtes(va, Section->PageCount);
            return status;
        }
        MiMapPage(va + i * PAGE_SIZE, pfn, PTE_WRITE);
    }
    ObReferenceObject(Section);
    *MappedBase = (PVOID)va;
    *ViewSize = (SIZE_T)Section->PageCount << PAGE_SHIFT;
    return STATUS_SUCCESS;
}

VOID MmUnmapViewInSystemSpace(PSECTION Section, PVOID MappedBase) {
    for (ULONG i = 0; i < Section->PageCount; i++)
        MiUnmapPage((ULONG_PTR)MappedBase + i * PAGE_SIZE);
    MiReleaseSystemPtes((ULONG_PTR)MappedBase, Section->PageCount);
    ObDereferenceObject(Section);
}
