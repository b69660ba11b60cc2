/*
 * sysdll.c - ntdll.dll as the system DLL, and starting the first process.
 *
 * Why: every process gets ntdll mapped by the kernel, and every thread first
 * runs ntdll's LdrInitializeThunk (docs/processes.md). At phase 1 the kernel
 * makes one image section of \SystemRoot\System32\ntdll.dll, shared by all
 * processes, and finds that entry point in it. It then starts the first user
 * process itself, the way NT's kernel starts smss.exe: section, process,
 * parameters, stack, thread.
 */
#define KD_COMPONENT "ps"
#include "../include/ex.h"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/mm.h"
#include "../include/ps.h"
#include "../include/rtl.h"
#include "../include/x86.h"
#include <nt/ntcontext.h>
#include <nt/rtlimage.h>

#define TAG_IMAGE_FILE NT_TAG('P', 's', 'I', 'm')
#define SYSTEM_DLL_PATH "\\SystemRoot\\System32\\ntdll.dll"
#define LOADER_INIT_ROUTINE "LdrInitializeThunk"
#define PEB_PROCESS_PARAMETERS 0x010
#define INITIAL_STACK_RESERVE (1024 * 1024)
#define INITIAL_STACK_COMMIT (64 * 1024)
#define MAX_IMAGE_FILE (16u << 20)

PSECTION PspSystemDllSection;
ULONG PspSystemDllBase, PspLoaderInitRoutine;

NTSTATUS PspCreateProcess(PEPROCESS Parent, BOOLEAN InheritHandles, PSECTION Section, PEPROCESS *Out);
NTSTATUS PspCreateThread(PEPROCESS P, const CONTEXT *Ctx, const INITIAL_TEB *Teb, BOOLEAN Suspended,
                         PETHREAD *Out);
NTSTATUS PspTerminateProcess(PEPROCESS P, NTSTATUS Status);

/* Reads a \SystemRoot file whole into the pool. */
static NTSTATUS read_system_file(PCSTR Path, UCHAR **Data, SIZE_T *Size) {
    BFS_FILE f;
    NTSTATUS status = IoOpenSystemFile(Path, &f);
    if (!NT_SUCCESS(status))
        return status;
    if (f.IsDirectory || f.Size == 0 || f.Size > MAX_IMAGE_FILE)
        return STATUS_INVALID_IMAGE_FORMAT;
    UCHAR *data = ExAllocatePoolWithTag(NonPagedPool, f.Size, TAG_IMAGE_FILE);
    if (!data)
        return STATUS_INSUFFICIENT_RESOURCES;
    SIZE_T got;
    status = BfsRead(&f, 0, data, f.Size, &got);
    if (!NT_SUCCESS(status) || got != f.Size) {
        ExFreePoolWithTag(data, TAG_IMAGE_FILE);
        return NT_SUCCESS(status) ? STATUS_END_OF_FILE : status;
    }
    *Data = data;
    *Size = f.Size;
    return STATUS_SUCCESS;
}

/* An image section of a \SystemRoot file, named after the file. */
NTSTATUS PspCreateImageSectionFromSystemFile(PCSTR Path, PSECTION *Section) {
    UCHAR *data;
    SIZE_T size;
    NTSTATUS status = read_system_file(Path, &data, &size);
    if (!NT_SUCCESS(status))
        return status;
    status = MmCreateImageSection(data, size, Section);
    ExFreePoolWithTag(data, TAG_IMAGE_FILE);
    if (NT_SUCCESS(status)) {
        PCSTR base = Path;
        for (PCSTR p = Path; *p; p++)
            if (*p == '\\' || *p == '/')
                base = p + 1;
        RtlStringCopy((*Section)->ImageFileName, base, sizeof(*Section)->ImageFileName);
    }
    return status;
}

NTSTATUS PsLocateSystemDll(VOID) {
    NTSTATUS status = PspCreateImageSectionFromSystemFile(SYSTEM_DLL_PATH, &PspSystemDllSection);
    if (!NT_SUCCESS(status)) {
        KdPrint("no system DLL (%s): status 0x%08X; user processes cannot start", SYSTEM_DLL_PATH,
                (ULONG)status);
        PspSystemDllSection = NULL;
        return status;
    }
    /* Find LdrInitializeThunk in a laid-out copy of the image. */
    PSECTION s = PspSystemDllSection;
    ULONG_PTR window;
    status = MiReserveSystemPtes(s->PageCount, &window);
    if (!NT_SUCCESS(status))
        return status;
    for (ULONG i = 0; i < s->PageCount; i++)
        MiMapPage(window + i * PAGE_SIZE, s->Pages[i], 0);
    ULONG rva = 0;
    PCSTR forwarder = NULL;
    status = LdrFindExportRva((PVOID)window, s->Image.SizeOfImage, LOADER_INIT_ROUTINE, 0, &rva, &forwarder);
    for (ULONG i = 0; i < s->PageCount; i++)
        MiUnmapPage(window + i * PAGE_SIZE);
    MiReleaseSystemPtes(window, s->PageCount);
    if (!NT_SUCCESS(status) || forwarder) {
        KdPrint("ntdll.dll exports no %s", LOADER_INIT_ROUTINE);
        ObDereferenceObject(PspSystemDllSection);
        PspSystemDllSection = NULL;
        return STATUS_ENTRYPOINT_NOT_FOUND;
    }
    PspSystemDllBase = s->Image.ImageBase;
    PspLoaderInitRoutine = PspSystemDllBase + rva;
    KdPrint("system DLL ntdll.dll: %u KiB at 0x%08X, LdrInitializeThunk at 0x%08X",
            s->Image.SizeOfImage / 1024, PspSystemDllBase, PspLoaderInitRoutine);
    return STATUS_SUCCESS;
}

/* Copies an ASCII string into UTF-16 at Out; returns its byte length. */
static USHORT widen(PCSTR In, WCHAR *Out) {
    USHORT n = 0;
    for (; In[n]; n++)
        Out[n] = (UCHAR)In[n];
    Out[n] = 0;
    return (USHORT)(n * sizeof(WCHAR));
}

/* Builds normalized process parameters inside Process. */
static NTSTATUS write_parameters(PEPROCESS P, PCSTR ImagePath, PCSTR CommandLine) {
    struct {
        RTL_USER_PROCESS_PARAMETERS pp;
        WCHAR image[128];
        WCHAR command[256];
    } *buf = ExAllocatePoolWithTag(NonPagedPool, sizeof *buf, TAG_IMAGE_FILE);
    if (!buf)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (strlen(ImagePath) >= 128 || strlen(CommandLine) >= 256) {
        ExFreePoolWithTag(buf, TAG_IMAGE_FILE);
        return STATUS_NAME_TOO_LONG;
    }
    ULONG_PTR at = 0;
    SIZE_T size = sizeof *buf;
    NTSTATUS status = MmAllocateVirtualMemory(P, &at, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        memset(buf, 0, sizeof *buf);
        buf->pp.MaximumLength = buf->pp.Length = sizeof *buf;
        buf->pp.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
        buf->pp.ImagePathName.Length = widen(ImagePath, buf->image);
        buf->pp.ImagePathName.MaximumLength = buf->pp.ImagePathName.Length + sizeof(WCHAR);
        buf->pp.ImagePathName.Buffer = (PWCHAR)(at + offsetof(__typeof__(*buf), image));
        buf->pp.CommandLine.Length = widen(CommandLine, buf->command);
        buf->pp.CommandLine.MaximumLength = buf->pp.CommandLine.Length + sizeof(WCHAR);
        buf->pp.CommandLine.Buffer = (PWCHAR)(at + offsetof(__typeof__(*buf), command));
        status = MmWriteProcessMemory(P, (PVOID)at, buf, sizeof *buf);
    }
    if (NT_SUCCESS(status)) {
        ULONG ptr = (ULONG)at;
        status = MmWriteProcessMemory(P, (PVOID)(P->PebAddress + PEB_PROCESS_PARAMETERS), &ptr, sizeof ptr);
    }
    ExFreePoolWithTag(buf, TAG_IMAGE_FILE);
    return status;
}

NTSTATUS PsCreateSystemUserProcess(PCSTR ImagePath, PCSTR CommandLine, PEPROCESS *Process) {
    PSECTION section;
    NTSTATUS status = PspCreateImageSectionFromSystemFile(ImagePath, &section);
    if (!NT_SUCCESS(status))
        return status;
    PEPROCESS p;
    status = PspCreateProcess(PsInitialSystemProcess, FALSE, section, &p);
    ULONG entry = section->Image.EntryPointRva;
    ObDereferenceObject(section);
    if (!NT_SUCCESS(status))
        return status;
    ULONG_PTR stack = 0, top;
    SIZE_T size = INITIAL_STACK_RESERVE;
    status = MmAllocateVirtualMemory(p, &stack, &size, MEM_RESERVE, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        top = stack + size;
        ULONG_PTR commit = top - INITIAL_STACK_COMMIT;
        SIZE_T csize = INITIAL_STACK_COMMIT;
        status = MmAllocateVirtualMemory(p, &commit, &csize, MEM_COMMIT, PAGE_READWRITE);
    }
    if (NT_SUCCESS(status))
        status = write_parameters(p, ImagePath, CommandLine);
    PETHREAD t = NULL;
    if (NT_SUCCESS(status)) {
        CONTEXT ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.ContextFlags = CONTEXT_FULL;
        /* As NT and RtlCreateUserProcess do: the entry point gets the PEB as
         * its one argument (and in EBX), EAX holds the entry point. */
        ULONG frame[2] = {0, (ULONG)p->PebAddress};
        status = MmWriteProcessMemory(p, (PVOID)(top - sizeof frame), frame, sizeof frame);
        ctx.Eip = (ULONG)p->ImageBase + entry;
        ctx.Eax = ctx.Eip;
        ctx.Ebx = (ULONG)p->PebAddress;
        ctx.Esp = (ULONG)top - sizeof frame;
        ctx.EFlags = EFLAGS_IF;
        INITIAL_TEB teb = {NULL, NULL, (PVOID)top, (PVOID)(top - INITIAL_STACK_COMMIT), (PVOID)stack};
        if (NT_SUCCESS(status))
            status = PspCreateThread(p, &ctx, &teb, FALSE, &t);
    }
    if (!NT_SUCCESS(status)) {
        NTSTATUS ended = PspTerminateProcess(p, status); /* no thread ran: cleans up at once */
        (void)ended;
        ObDereferenceObject(p);
        return status;
    }
    ObDereferenceObject(t); /* the thread runs on its own reference */
    *Process = p;
    return STATUS_SUCCESS;
}
