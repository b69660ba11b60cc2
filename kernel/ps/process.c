/*
 * process.c - creating a process from an image section.
 *
 * Why: NT's NtCreateProcess makes an empty shell around an image: a new
 * address space with the image mapped at its base and ntdll mapped beside
 * it, a PEB, a handle table (inheriting the parent's inheritable handles if
 * asked) and an ID. It runs nothing: the creator adds the first thread
 * (docs/processes.md). The process object stays until its last reference;
 * its address space goes when its last thread exits.
 */
#define KD_COMPONENT "ps"
#include "../include/ex.h"
#include "../include/kd.h"
#include "../include/mm.h"
#include "../include/probe.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/ntapi.h>
#include <nt/ntcontext.h>

#define PEB_IMAGE_BASE_ADDRESS 0x008
#define PEB_NUMBER_OF_PROCESSORS 0x064
#define PEB_OS_MAJOR_VERSION 0x0A4
#define PEB_OS_MINOR_VERSION 0x0A8
#define PEB_OS_BUILD_NUMBER 0x0AC
#define PEB_OS_PLATFORM_ID 0x0B0
#define VER_PLATFORM_WIN32_NT 2
#define PROCESS_CREATE_PROCESS 0x0080
#define SECTION_MAP_EXECUTE 0x0008

LIST_ENTRY PsActiveProcessHead = {&PsActiveProcessHead, &PsActiveProcessHead};
extern PSECTION PspSystemDllSection;
HANDLE PspAllocateCid(VOID);

/* Writes a ULONG into the PEB of the process whose address space is current. */
static void peb_put(ULONG Offset, ULONG Value) {
    *(volatile ULONG *)(MM_PEB_ADDRESS + Offset) = Value;
}

static NTSTATUS fill_peb(PEPROCESS Process) {
    NTSTATUS status = MmCreatePebOrTeb(Process, MM_PEB_ADDRESS, 1);
    if (!NT_SUCCESS(status))
        return status;
    Process->PebAddress = MM_PEB_ADDRESS;
    KeAttachProcess(&Process->Pcb);
    peb_put(PEB_IMAGE_BASE_ADDRESS, Process->ImageBase);
    peb_put(PEB_NUMBER_OF_PROCESSORS, 1);
    peb_put(PEB_OS_MAJOR_VERSION, 3);
    peb_put(PEB_OS_MINOR_VERSION, 51);
    *(volatile USHORT *)(MM_PEB_ADDRESS + PEB_OS_BUILD_NUMBER) = (USHORT)NtBuildNumber;
    peb_put(PEB_OS_PLATFORM_ID, VER_PLATFORM_WIN32_NT);
    KeDetachProcess();
    return STATUS_SUCCESS;
}

NTSTATUS PspCreateProcess(PEPROCESS Parent, BOOLEAN InheritHandles, PSECTION Section, PEPROCESS *Out) {
    if (!Section->IsImage)
        return STATUS_INVALID_IMAGE_FORMAT;
    if (!PspSystemDllSection)
        return STATUS_DLL_NOT_FOUND; /* no ntdll.dll on the system image */
    PEPROCESS p;
    NTSTATUS status = ObCreateObject(PsProcessType, sizeof(EPROCESS), (PVOID *)&p);
    if (!NT_SUCCESS(status))
        return status;
    ULONG dtb;
    InitializeListHead(&p->VadListHead);
    InitializeListHead(&p->ThreadListHead);
    InitializeListHead(&p->ActiveProcessLinks);
    status = MmCreateProcessPageDirectory(&dtb);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(p);
        return status;
    }
    KeInitializeProcess(&p->Pcb, 8, dtb); /* from here the delete procedure cleans up */
    status = ObInitializeHandleTable(&p->ObjectTable);
    if (NT_SUCCESS(status) && InheritHandles && Parent)
        status = ObDuplicateInheritedHandles(Parent, p);
    p->UniqueProcessId = PspAllocateCid();
    p->InheritedFromUniqueProcessId = Parent ? Parent->UniqueProcessId : 0;
    p->IsSystem = Parent ? Parent->IsSystem : FALSE;
    p->CreateTime = KeQueryInterruptTime();
    RtlStringCopy(p->ImageFileName, Section->ImageFileName, sizeof p->ImageFileName);
    PVOID base = NULL;
    SIZE_T view = 0;
    if (NT_SUCCESS(status)) {
        status = MmMapViewOfSection(Section, p, &base, 0, &view, PAGE_EXECUTE_WRITECOPY, FALSE);
        if (status == STATUS_IMAGE_NOT_AT_BASE)
            status = STATUS_SUCCESS; /* the loader relocates it */
    }
    if (NT_SUCCESS(status)) {
        ObReferenceObject(Section);
        p->SectionObject = Section;
        p->ImageBase = (ULONG_PTR)base;
        PVOID ntdll = NULL;
        view = 0;
        status = MmMapViewOfSection(PspSystemDllSection, p, &ntdll, 0, &view, PAGE_EXECUTE_WRITECOPY, FALSE);
        if (status == STATUS_IMAGE_NOT_AT_BASE)
            status = STATUS_CONFLICTING_ADDRESSES; /* ntdll lives at its base in every process */
    }
    if (NT_SUCCESS(status))
        status = fill_peb(p);
    if (!NT_SUCCESS(status)) {
        ObDereferenceObject(p);
        return status;
    }
    p->NextTebAddress = MM_FIRST_TEB_ADDRESS;
    ULONG s = KeDisableInterrupts();
    InsertTailList(&PsActiveProcessHead, &p->ActiveProcessLinks);
    KeRestoreInterrupts(s);
    KdPrint("process %s created (pid %u, parent %u), image at 0x%08X", p->ImageFileName,
            (ULONG)(ULONG_PTR)p->UniqueProcessId, (ULONG)(ULONG_PTR)p->InheritedFromUniqueProcessId,
            (ULONG)p->ImageBase);
    *Out = p;
    return STATUS_SUCCESS;
}

/* Process delete procedure: the last reference is gone. */
VOID PspDeleteProcess(PVOID Object) {
    PEPROCESS p = Object;
    ULONG s = KeDisableInterrupts();
    if (!IsListEmpty(&p->ActiveProcessLinks))
        RemoveEntryList(&p->ActiveProcessLinks);
    KeRestoreInterrupts(s);
    if (p->ObjectTable.Entries)
        ObKillHandleTable(p);
    if (p->Pcb.DirectoryTableBase) {
        if (!p->AddressSpaceDeleted)
            MmCleanProcessAddressSpace(p);
        MmDeleteProcessPageDirectory(p->Pcb.DirectoryTableBase);
    }
    if (p->SectionObject)
        ObDereferenceObject(p->SectionObject);
}

NTSTATUS NTAPI NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess,
                               BOOLEAN InheritObjectTable, HANDLE SectionHandle, HANDLE DebugPort,
                               HANDLE ExceptionPort) {
    (void)DebugPort;
    (void)ExceptionPort; /* no debugger and no exception ports yet */
    HANDLE handle = NULL;
    OBJECT_ATTRIBUTES oa;
    UNICODE_STRING name;
    NTSTATUS status = ExCopyToCaller(ProcessHandle, &handle, sizeof handle);
    if (NT_SUCCESS(status))
        status = ExCaptureObjectAttributes(ObjectAttributes, &oa, &name);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS parent = NULL;
    PSECTION section = NULL;
    status = ObReferenceObjectByHandle(ParentProcess, PROCESS_CREATE_PROCESS, PsProcessType,
                                       KeGetPreviousMode(), (PVOID *)&parent, NULL);
    if (NT_SUCCESS(status))
        status = SectionHandle
                     ? ObReferenceObjectByHandle(SectionHandle, SECTION_MAP_EXECUTE, MmSectionObjectType,
                                                 KeGetPreviousMode(), (PVOID *)&section, NULL)
                     : STATUS_INVALID_PARAMETER; /* NT's fork without a section is not supported */
    PEPROCESS p = NULL;
    if (NT_SUCCESS(status))
        status = PspCreateProcess(parent, InheritObjectTable, section, &p);
    if (NT_SUCCESS(status))
        status = ObInsertObject(p, &oa, DesiredAccess, &handle);
    if (NT_SUCCESS(status) && !NT_SUCCESS(ExCopyToCaller(ProcessHandle, &handle, sizeof handle))) {
        ObpUndoHandle(PsGetCurrentProcess(), handle);
        status = STATUS_ACCESS_VIOLATION;
    }
    if (section)
        ObDereferenceObject(section);
    if (parent)
        ObDereferenceObject(parent);
    ExReleaseCapturedUnicodeString(&name);
    return status;
}
