/*
 * rtlproc.c - RtlCreateUserProcess: a new process, its parameters, its
 * stack and its first (suspended) thread, NT's way (docs/processes.md).
 *
 * Why: smss starts csrss and winlogon with this, and kernel32's CreateProcess
 * will follow the same steps. The kernel only provides the pieces (an image
 * section, an address space with the image and ntdll mapped and a PEB, a
 * thread on a given stack and context); putting them together is user-mode
 * work, as on NT:
 *
 *   1. open the image file, make an SEC_IMAGE section of it (the kernel
 *      validates the PE there);
 *   2. NtCreateProcess with that section;
 *   3. read what the entry point and stack sizes are. NT asks
 *      NtQuerySection(SectionImageInformation), which Daytona does not have;
 *      instead the mapped headers are read back out of the child, at the
 *      PEB->ImageBaseAddress the kernel filled in - the same bytes the
 *      kernel validated, so no second parse of the file is needed;
 *   4. copy the parameter block in, normalized for the address it lands at,
 *      with the environment in a block of its own, and link it from the
 *      child's PEB;
 *   5. reserve the stack, commit its top pages and a guard page below them;
 *   6. NtCreateThread, suspended, at the entry point.
 *
 * Anything failing after step 2 terminates the half-made child; every
 * handle made along the way is closed on every path.
 */
#include <nt/ntapi.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlimage.h>
#include <nt/rtlstring.h>

/* Page size, and NT's default stack when the image asks for none. */
#define RTLP_PAGE_SIZE 0x1000u
#define RTLP_DEFAULT_STACK_RESERVE 0x100000u
#define RTLP_STACK_RESERVE_GRANULARITY 0x10000u

/* NT's user selectors (KGDT_R3_CODE | 3, KGDT_R3_DATA | 3, KGDT_R3_TEB | 3);
 * the kernel forces its own, they are filled in for whoever reads the CONTEXT. */
#define RTLP_USER_CS 0x1B
#define RTLP_USER_DS 0x23
#define RTLP_USER_FS 0x3B

static void close_handle(HANDLE Handle) {
    if (Handle == NULL)
        return;
    NTSTATUS status = NtClose(Handle);
    if (!NT_SUCCESS(status))
        DbgPrint("RTL: NtClose(%p) failed: status 0x%08x\n", Handle, (ULONG)status);
}

static void free_local(PVOID Block) {
    if (Block != NULL && !RtlFreeHeap(NtCurrentPeb()->ProcessHeap, 0, Block))
        DbgPrint("RTL: the heap refused to free %p\n", Block);
}

/* Opens NtImagePathName and makes an image section of it. */
static NTSTATUS create_image_section(PUNICODE_STRING NtImagePathName, ULONG Attributes, PHANDLE Section) {
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK iosb;
    HANDLE file;

    InitializeObjectAttributes(&attributes, NtImagePathName, Attributes, NULL, NULL);
    NTSTATUS status = NtOpenFile(&file, SYNCHRONIZE | FILE_READ_DATA | FILE_EXECUTE, &attributes, &iosb,
                                 FILE_SHARE_READ | FILE_SHARE_DELETE,
                                 FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
    if (!NT_SUCCESS(status))
        return status;
    status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, file);
    close_handle(file);
    return status;
}

/* Reads Length bytes at Address in Process, all or nothing. */
static NTSTATUS read_child(HANDLE Process, PVOID Address, PVOID Buffer, SIZE_T Length) {
    SIZE_T done = 0;
    NTSTATUS status = NtReadVirtualMemory(Process, Address, Buffer, Length, &done);
    if (NT_SUCCESS(status) && done != Length)
        status = STATUS_PARTIAL_COPY;
    return status;
}

/* Writes Length bytes at Address in Process, all or nothing. */
static NTSTATUS write_child(HANDLE Process, PVOID Address, const VOID *Buffer, SIZE_T Length) {
    SIZE_T done = 0;
    NTSTATUS status = NtWriteVirtualMemory(Process, Address, Buffer, Length, &done);
    if (NT_SUCCESS(status) && done != Length)
        status = STATUS_PARTIAL_COPY;
    return status;
}

/* Fresh committed read-write memory of Size bytes in Process. */
static NTSTATUS allocate_child(HANDLE Process, SIZE_T Size, PVOID *Address) {
    SIZE_T size = Size;
    *Address = NULL;
    return NtAllocateVirtualMemory(Process, Address, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
}

/* The child's PEB, and what its mapped image headers say (step 3). */
static NTSTATUS query_image(HANDLE Process, PPEB *Peb, PSECTION_IMAGE_INFORMATION Image) {
    PROCESS_BASIC_INFORMATION basic;
    ULONG returned = 0;
    NTSTATUS status =
        NtQueryInformationProcess(Process, ProcessBasicInformation, &basic, sizeof basic, &returned);
    if (!NT_SUCCESS(status))
        return status;
    *Peb = basic.PebBaseAddress;

    PVOID image_base;
    status =
        read_child(Process, &((PPEB)basic.PebBaseAddress)->ImageBaseAddress, &image_base, sizeof image_base);
    if (!NT_SUCCESS(status))
        return status;
    PVOID headers = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, 0, IMAGE_PAGE_SIZE);
    if (headers == NULL)
        return STATUS_NO_MEMORY;
    status = read_child(Process, image_base, headers, IMAGE_PAGE_SIZE);
    if (NT_SUCCESS(status)) {
        PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(headers);
        if (nt == NULL || (nt->FileHeader.Characteristics & IMAGE_FILE_DLL) ||
            nt->OptionalHeader.AddressOfEntryPoint == 0) {
            status = STATUS_INVALID_IMAGE_FORMAT; /* not a program */
        } else {
            const IMAGE_OPTIONAL_HEADER32 *opt = &nt->OptionalHeader;
            Image->TransferAddress = (PVOID)((ULONG_PTR)image_base + opt->AddressOfEntryPoint);
            Image->ZeroBits = 0;
            Image->MaximumStackSize = opt->SizeOfStackReserve;
            Image->CommittedStackSize = opt->SizeOfStackCommit;
            Image->SubSystemType = opt->Subsystem;
            Image->SubSystemMinorVersion = opt->MinorSubsystemVersion;
            Image->SubSystemMajorVersion = opt->MajorSubsystemVersion;
            Image->ImageCharacteristics = nt->FileHeader.Characteristics;
            Image->DllCharacteristics = opt->DllCharacteristics;
            Image->Machine = nt->FileHeader.Machine;
            Image->ImageContainsCode = opt->SizeOfCode != 0;
            Image->LoaderFlags = opt->LoaderFlags;
        }
    }
    free_local(headers);
    return status;
}

/* Bytes of an environment block: strings up to the empty one, with its NUL. */
static SIZE_T environment_size(const WCHAR *Environment) {
    const WCHAR *p = Environment;
    while (*p != UNICODE_NULL) {
        while (*p != UNICODE_NULL)
            p++;
        p++;
    }
    return (SIZE_T)(p - Environment + 1) * sizeof(WCHAR);
}

/* Step 4: the parameter block (either form) and its environment into the
 * child, normalized for where they land, linked from its PEB. */
static NTSTATUS copy_parameters(HANDLE Process, PPEB ChildPeb, PRTL_USER_PROCESS_PARAMETERS Parameters) {
    ULONG length = Parameters->Length;
    if (length < sizeof(RTL_USER_PROCESS_PARAMETERS) || Parameters->MaximumLength < length)
        return STATUS_INVALID_PARAMETER;

    PRTL_USER_PROCESS_PARAMETERS local = RtlAllocateHeap(NtCurrentPeb()->ProcessHeap, 0, length);
    if (local == NULL)
        return STATUS_NO_MEMORY;
    __builtin_memcpy(local, Parameters, length);

    /* Make every buffer an offset and check it lies inside the block: only
     * what is inside is copied. */
    PUNICODE_STRING strings[] = {&local->CurrentDirectory.DosPath,
                                 &local->DllPath,
                                 &local->ImagePathName,
                                 &local->CommandLine,
                                 &local->WindowTitle,
                                 &local->DesktopInfo,
                                 &local->ShellInfo,
                                 &local->RuntimeData};
    NTSTATUS status = STATUS_SUCCESS;
    for (ULONG i = 0; i < ARRAYSIZE(strings) && NT_SUCCESS(status); i++) {
        if (strings[i]->Buffer == NULL)
            continue;
        ULONG_PTR offset = (ULONG_PTR)strings[i]->Buffer;
        if (Parameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED)
            offset -= (ULONG_PTR)Parameters; /* wraps to a huge value when outside: refused below */
        if (offset < sizeof(RTL_USER_PROCESS_PARAMETERS) || offset > length ||
            strings[i]->MaximumLength > length - offset || strings[i]->Length > strings[i]->MaximumLength)
            status = STATUS_INVALID_PARAMETER;
        strings[i]->Buffer = (PWSTR)offset;
    }

    PVOID environment = NULL;
    if (NT_SUCCESS(status) && local->Environment != NULL) {
        SIZE_T bytes = environment_size(local->Environment);
        status = allocate_child(Process, bytes, &environment);
        if (NT_SUCCESS(status))
            status = write_child(Process, environment, local->Environment, bytes);
    }
    PVOID block = NULL;
    if (NT_SUCCESS(status))
        status = allocate_child(Process, Parameters->MaximumLength, &block);
    if (NT_SUCCESS(status)) {
        local->Environment = environment;
        for (ULONG i = 0; i < ARRAYSIZE(strings); i++)
            if (strings[i]->Buffer != NULL)
                strings[i]->Buffer = (PWSTR)((PUCHAR)block + (ULONG_PTR)strings[i]->Buffer);
        local->Flags |= RTL_USER_PROC_PARAMS_NORMALIZED;
        status = write_child(Process, block, local, length);
    }
    if (NT_SUCCESS(status))
        status = write_child(Process, &ChildPeb->ProcessParameters, &block, sizeof block);
    free_local(local);
    return status;
}

/* Step 5: Reserve bytes of stack (64 KiB steps) with Commit bytes committed
 * at the top and a guard page under them, described in *Teb. */
static NTSTATUS create_stack(HANDLE Process, ULONG Reserve, ULONG Commit, PINITIAL_TEB Teb) {
    SIZE_T reserve =
        ALIGN_UP((SIZE_T)(Reserve ? Reserve : RTLP_DEFAULT_STACK_RESERVE), RTLP_STACK_RESERVE_GRANULARITY);
    SIZE_T commit = ALIGN_UP((SIZE_T)(Commit ? Commit : RTLP_PAGE_SIZE), RTLP_PAGE_SIZE);
    if (commit > reserve - RTLP_PAGE_SIZE)
        commit = reserve - RTLP_PAGE_SIZE; /* the guard page must fit below */

    PVOID base = NULL;
    SIZE_T size = reserve;
    NTSTATUS status = NtAllocateVirtualMemory(Process, &base, 0, &size, MEM_RESERVE, PAGE_READWRITE);
    if (!NT_SUCCESS(status))
        return status;
    PUCHAR top = (PUCHAR)base + size;

    PVOID committed = top - commit - RTLP_PAGE_SIZE;
    SIZE_T committed_size = commit + RTLP_PAGE_SIZE;
    status = NtAllocateVirtualMemory(Process, &committed, 0, &committed_size, MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(status)) {
        PVOID guard = top - commit - RTLP_PAGE_SIZE;
        SIZE_T guard_size = RTLP_PAGE_SIZE;
        ULONG old_protect;
        status =
            NtProtectVirtualMemory(Process, &guard, &guard_size, PAGE_READWRITE | PAGE_GUARD, &old_protect);
    }
    if (!NT_SUCCESS(status)) {
        SIZE_T zero = 0;
        NTSTATUS freed = NtFreeVirtualMemory(Process, &base, &zero, MEM_RELEASE);
        if (!NT_SUCCESS(freed))
            DbgPrint("RTL: releasing a failed stack failed: status 0x%08x\n", (ULONG)freed);
        return status;
    }
    Teb->PreviousStackBase = NULL;
    Teb->PreviousStackLimit = NULL;
    Teb->StackBase = top;
    Teb->StackLimit = top - commit;
    Teb->AllocatedStackBase = base;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
                                    PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
                                    PVOID ProcessSecurityDescriptor, PVOID ThreadSecurityDescriptor,
                                    HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
                                    HANDLE ExceptionPort, PRTL_USER_PROCESS_INFORMATION ProcessInformation) {
    OBJECT_ATTRIBUTES attributes;
    HANDLE section = NULL, process = NULL, thread = NULL;
    PPEB peb = NULL;
    SECTION_IMAGE_INFORMATION image;
    INITIAL_TEB teb;
    CLIENT_ID client_id;

    if (NtImagePathName == NULL || ProcessParameters == NULL || ProcessInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    __builtin_memset(ProcessInformation, 0, sizeof *ProcessInformation);
    ProcessInformation->Length = sizeof *ProcessInformation;
    __builtin_memset(&image, 0, sizeof image);

    NTSTATUS status = create_image_section(NtImagePathName, Attributes, &section);
    if (!NT_SUCCESS(status))
        return status;
    InitializeObjectAttributes(&attributes, NULL, 0, NULL, ProcessSecurityDescriptor);
    status = NtCreateProcess(&process, PROCESS_ALL_ACCESS, &attributes,
                             ParentProcess != NULL ? ParentProcess : NtCurrentProcess(), InheritHandles,
                             section, DebugPort, ExceptionPort);
    close_handle(section);
    if (!NT_SUCCESS(status))
        return status;

    status = query_image(process, &peb, &image);
    if (NT_SUCCESS(status))
        status = copy_parameters(process, peb, ProcessParameters);
    if (NT_SUCCESS(status))
        status = create_stack(process, image.MaximumStackSize, image.CommittedStackSize, &teb);
    if (NT_SUCCESS(status)) {
        /* The entry point's frame: a zero return address, then its one
         * argument, the PEB (a native entry point is NtProcessStartup(PPEB)). */
        ULONG frame[2] = {0, (ULONG)(ULONG_PTR)peb};
        PUCHAR esp = (PUCHAR)teb.StackBase - sizeof frame;
        status = write_child(process, esp, frame, sizeof frame);

        CONTEXT context;
        __builtin_memset(&context, 0, sizeof context);
        context.ContextFlags = CONTEXT_FULL;
        context.Eip = (ULONG)(ULONG_PTR)image.TransferAddress;
        context.Esp = (ULONG)(ULONG_PTR)esp;
        context.Eax = context.Eip;
        context.Ebx = (ULONG)(ULONG_PTR)peb;
        context.EFlags = EFLAGS_INTERRUPT_MASK;
        context.SegCs = RTLP_USER_CS;
        context.SegDs = context.SegEs = context.SegSs = RTLP_USER_DS;
        context.SegFs = RTLP_USER_FS;
        InitializeObjectAttributes(&attributes, NULL, 0, NULL, ThreadSecurityDescriptor);
        if (NT_SUCCESS(status))
            status = NtCreateThread(&thread, THREAD_ALL_ACCESS, &attributes, process, &client_id, &context,
                                    &teb, TRUE);
    }
    if (!NT_SUCCESS(status)) {
        NTSTATUS killed = NtTerminateProcess(process, status);
        if (!NT_SUCCESS(killed))
            DbgPrint("RTL: terminating a half-made process failed: status 0x%08x\n", (ULONG)killed);
        close_handle(process);
        return status;
    }
    ProcessInformation->Process = process;
    ProcessInformation->Thread = thread;
    ProcessInformation->ClientId = client_id;
    ProcessInformation->ImageInformation = image;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor, BOOLEAN CreateSuspended,
                                   ULONG StackZeroBits, SIZE_T MaximumStackSize, SIZE_T CommittedStackSize,
                                   PVOID StartAddress, PVOID Parameter, PHANDLE Thread, PCLIENT_ID ClientId) {
    (void)StackZeroBits;
    if (StartAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    INITIAL_TEB teb;
    NTSTATUS status = create_stack(Process, (ULONG)MaximumStackSize, (ULONG)CommittedStackSize, &teb);
    if (!NT_SUCCESS(status))
        return status;
    /* The routine's frame: a zero return address (it must end itself with
     * NtTerminateThread, as on NT), then its one argument. */
    ULONG frame[2] = {0, (ULONG)(ULONG_PTR)Parameter};
    PUCHAR esp = (PUCHAR)teb.StackBase - sizeof frame;
    status = write_child(Process, esp, frame, sizeof frame);
    CONTEXT context;
    __builtin_memset(&context, 0, sizeof context);
    context.ContextFlags = CONTEXT_FULL;
    context.Eip = (ULONG)(ULONG_PTR)StartAddress;
    context.Esp = (ULONG)(ULONG_PTR)esp;
    context.EFlags = EFLAGS_INTERRUPT_MASK;
    context.SegCs = RTLP_USER_CS;
    context.SegDs = context.SegEs = context.SegSs = RTLP_USER_DS;
    context.SegFs = RTLP_USER_FS;
    OBJECT_ATTRIBUTES attributes;
    InitializeObjectAttributes(&attributes, NULL, 0, NULL, ThreadSecurityDescriptor);
    HANDLE thread = NULL;
    CLIENT_ID cid;
    if (NT_SUCCESS(status))
        status = NtCreateThread(&thread, THREAD_ALL_ACCESS, &attributes, Process, &cid, &context, &teb,
                                CreateSuspended);
    if (!NT_SUCCESS(status)) {
        PVOID base = teb.AllocatedStackBase;
        SIZE_T zero = 0;
        NTSTATUS freed = NtFreeVirtualMemory(Process, &base, &zero, MEM_RELEASE);
        if (!NT_SUCCESS(freed))
            DbgPrint("RTL: releasing a failed thread's stack failed: status 0x%08x\n", (ULONG)freed);
        return status;
    }
    if (Thread)
        *Thread = thread;
    else
        close_handle(thread);
    if (ClientId)
        *ClientId = cid;
    return STATUS_SUCCESS;
}
