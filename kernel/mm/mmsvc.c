/*
 * mmsvc.c - the section services: NtCreateSection, NtOpenSection,
 * NtMapViewOfSection, NtUnmapViewOfSection.
 *
 * Why: these are how user mode shares memory (a pagefile-backed section
 * mapped by two processes, as LPC port views will be) and how ntdll's loader
 * maps every DLL (an image section made from a file handle). They take their
 * arguments through probe.c and leave the work to section.c.
 */
#include "../include/ex.h"
#include "../include/io.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include <nt/ntapi.h>

#define TAG_SECTION_FILE NT_TAG('M', 'm', 'S', 'f')
#define FILE_READ_DATA 0x0001
#define FILE_EXECUTE 0x0020
#define SECTION_MAP_WRITE 0x0002
#define SECTION_MAP_READ 0x0004
#define PROCESS_VM_OPERATION 0x0008
#define MAX_IMAGE_FILE (16u << 20)
#define VIEW_SHARE 1
#define VIEW_UNMAP 2

BOOLEAN MiValidProtection(ULONG Protect);
BOOLEAN MiProtectionAllowsWrite(ULONG Protect);
NTSTATUS MiSectionPage(PSECTION Section, ULONG Index, PFN_NUMBER *Pfn);
VOID MiCopyIntoPhysicalPage(PFN_NUMBER Pfn, const VOID *Data, SIZE_T Length);

/* Reads a whole file object into the pool (image sections are built from
 * the file's bytes). */
static NTSTATUS read_file_object(PFILE_OBJECT File, UCHAR **Data, SIZE_T *Size) {
    if (File->File.IsDirectory)
        return STATUS_INVALID_FILE_FOR_SECTION;
    if (File->File.Size == 0 || File->File.Size > MAX_IMAGE_FILE)
        return STATUS_INVALID_IMAGE_FORMAT;
    UCHAR *data = ExAllocatePoolWithTag(NonPagedPool, File->File.Size, TAG_SECTION_FILE);
    if (!data)
        return STATUS_INSUFFICIENT_RESOURCES;
    SIZE_T got = 0;
    NTSTATUS status = BfsRead(&File->File, 0, data, File->File.Size, &got);
    if (!NT_SUCCESS(status) || got != File->File.Size) {
        ExFreePoolWithTag(data, TAG_SECTION_FILE);
        return NT_SUCCESS(status) ? STATUS_END_OF_FILE : status;
    }
    *Data = data;
    *Size = got;
    return STATUS_SUCCESS;
}

/* The image section for a file handle, named after the file. */
static NTSTATUS image_section_from_file(HANDLE FileHandle, PSECTION *Section) {
    PFILE_OBJECT file;
    NTSTATUS status = ObReferenceObjectByHandle(FileHandle, FILE_EXECUTE | FILE_READ_DATA, IoFileObjectType,
                                                KeGetPreviousMode(), (PVOID *)&file, NULL);
    if (!NT_SUCCESS(status))
        return status;
    UCHAR *data;
    SIZE_T size;
    status = read_file_object(file, &data, &size);
    if (NT_SUCCESS(status)) {
        status = MmCreateImageSection(data, size, Section);
        ExFreePoolWithTag(data, TAG_SECTION_FILE);
    }
    if (NT_SUCCESS(status)) {
        PCSTR base = file->FileName;
        for (PCSTR p = file->FileName; *p; p++)
            if (*p == '\\')
                base = p + 1;
        RtlStringCopy((*Section)->ImageFileName, base, sizeof(*Section)->ImageFileName);
    }
    ObDereferenceObject(file);
    return status;
}

/* A data section backed by a file: its pages start as a copy of the file
 * (the boot file system is read-only, so nothing is ever written back). */
static NTSTATUS data_section_from_file(HANDLE FileHandle, ULONGLONG Size, ULONG Protect, ULONG Attributes,
                                       PSECTION *Section) {
    PFILE_OBJECT file;
    NTSTATUS status = ObReferenceObjectByHandle(FileHandle, FILE_READ_DATA, IoFileObjectType,
                                                KeGetPreviousMode(), (PVOID *)&file, NULL);
    if (!NT_SUCCESS(status))
        return status;
    UCHAR *data = NULL;
    SIZE_T fileSize = 0;
    status = read_file_object(file, &data, &fileSize);
    if (NT_SUCCESS(status))
        status = MmCreatePagefileSection(Size ? Size : fileSize, Protect, Attributes, Section);
    for (ULONG i = 0; NT_SUCCESS(status) && (SIZE_T)i << 12 < fileSize && i < (*Section)->PageCount; i++) {
        PFN_NUMBER pfn;
        status = MiSectionPage(*Section, i, &pfn);
        if (NT_SUCCESS(status)) {
            SIZE_T n = fileSize - ((SIZE_T)i << 12) < 4096 ? fileSize - ((SIZE_T)i << 12) : 4096;
            MiCopyIntoPhysicalPage(pfn, data + ((SIZE_T)i << 12), n);
        }
    }
    if (data)
        ExFreePoolWithTag(data, TAG_SECTION_FILE);
    ObDereferenceObject(file);
    return status;
}

NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                               ULONG SectionPageProtection, ULONG AllocationAttributes, HANDLE FileHandle) {
    LARGE_INTEGER size = {.QuadPart = 0};
    HANDLE handle = NULL;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    NTSTATUS status = ExCopyToCaller(SectionHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status) && MaximumSize)
        status = ExCopyFromCaller(&size, MaximumSize, sizeof size);
    if (!NT_SUCCESS(status))
        return status;
    if (!MiValidProtection(SectionPageProtection) || (SectionPageProtection & (PAGE_GUARD | PAGE_NOACCESS)))
        return STATUS_INVALID_PAGE_PROTECTION;
    ULONG kind = AllocationAttributes & (SEC_IMAGE | SEC_COMMIT | SEC_RESERVE);
    if (kind != SEC_IMAGE && kind != SEC_COMMIT && kind != SEC_RESERVE)
        return STATUS_INVALID_PARAMETER_6;
    if (size.QuadPart < 0)
        return STATUS_INVALID_PARAMETER;
    PSECTION section = NULL;
    if (kind == SEC_IMAGE)
        status = FileHandle ? image_section_from_file(FileHandle, &section) : STATUS_INVALID_FILE_FOR_SECTION;
    else if (FileHandle)
        status = data_section_from_file(FileHandle, (ULONGLONG)size.QuadPart, SectionPageProtection, kind,
                                        &section);
    else
        status = size.QuadPart ? MmCreatePagefileSection((ULONGLONG)size.QuadPart, SectionPageProtection,
                                                         kind, &section)
                               : STATUS_INVALID_PARAMETER_4;
    if (!NT_SUCCESS(status))
        return status;
    status = ExCaptureObjectAttributes(ObjectAttributes, &oa, &name);
    if (NT_SUCCESS(status))
        status = ObInsertObject(section, &oa, DesiredAccess, &handle);
    else
        ObDereferenceObject(section);
    ExReleaseCapturedUnicodeString(&name);
    if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(SectionHandle, &handle, sizeof handle))) {
        ObpUndoHandle(PsGetCurrentProcess(), handle);
        status = STATUS_ACCESS_VIOLATION;
    }
    return status;
}

NTSTATUS NTAPI NtOpenSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes) {
    return ObpOpenNamedObject(SectionHandle, DesiredAccess, ObjectAttributes, MmSectionObjectType, 0);
}

NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress,
                                  ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                                  PSIZE_T ViewSize, ULONG InheritDisposition, ULONG AllocationType,
                                  ULONG Win32Protect) {
    (void)CommitSize;
    (void)ZeroBits;
    PVOID base;
    SIZE_T view;
    LARGE_INTEGER offset = {.QuadPart = 0};
    NTSTATUS status = ExCopyFromCaller(&base, BaseAddress, sizeof base);
    if (NT_SUCCESS(status))
        status = ExCopyFromCaller(&view, ViewSize, sizeof view);
    if (NT_SUCCESS(status) && SectionOffset)
        status = ExCopyFromCaller(&offset, SectionOffset, sizeof offset);
    if (!NT_SUCCESS(status))
        return status;
    if (InheritDisposition != VIEW_SHARE && InheritDisposition != VIEW_UNMAP)
        return STATUS_INVALID_PARAMETER_8;
    if (AllocationType & ~(MEM_TOP_DOWN | MEM_RESERVE))
        return STATUS_INVALID_PARAMETER_9;
    if (!MiValidProtection(Win32Protect))
        return STATUS_INVALID_PAGE_PROTECTION;
    if (offset.QuadPart < 0 || (offset.QuadPart & (MM_ALLOCATION_GRANULARITY - 1)))
        return STATUS_MAPPED_ALIGNMENT;
    if ((ULONG_PTR)base & (MM_ALLOCATION_GRANULARITY - 1))
        return STATUS_MAPPED_ALIGNMENT;
    PSECTION section;
    ACCESS_MASK want =
        MiProtectionAllowsWrite(Win32Protect) && !(Win32Protect & (PAGE_WRITECOPY | PAGE_EXECUTE_WRITECOPY))
            ? SECTION_MAP_READ | SECTION_MAP_WRITE
            : SECTION_MAP_READ;
    status = ObReferenceObjectByHandle(SectionHandle, want, MmSectionObjectType, KeGetPreviousMode(),
                                       (PVOID *)&section, NULL);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_VM_OPERATION, PsProcessType,
                                       KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (NT_SUCCESS(status)) {
        if (!section->IsImage && MiProtectionAllowsWrite(Win32Protect) &&
            !MiProtectionAllowsWrite(section->Protect))
            status = STATUS_SECTION_PROTECTION; /* a view cannot have more rights than its section */
        else
            status = MmMapViewOfSection(section, p, &base, (ULONG)(offset.QuadPart >> 12), &view,
                                        Win32Protect, (AllocationType & MEM_TOP_DOWN) != 0);
        ObDereferenceObject(p);
    }
    ObDereferenceObject(section);
    if (NT_SUCCESS(status)) {
        NTSTATUS copied = ExCopyToCaller(BaseAddress, &base, sizeof base);
        if (NT_SUCCESS(copied))
            copied = ExCopyToCaller(ViewSize, &view, sizeof view);
        if (!NT_SUCCESS(copied))
            status = copied; /* the view stays mapped, as on NT */
    }
    return status;
}

NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress) {
    PEPROCESS p;
    NTSTATUS status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_VM_OPERATION, PsProcessType,
                                                KeGetPreviousMode(), (PVOID *)&p, NULL);
    if (!NT_SUCCESS(status))
        return status;
    status = MmUnmapViewOfSection(p, (ULONG_PTR)BaseAddress);
    ObDereferenceObject(p);
    return status;
}
