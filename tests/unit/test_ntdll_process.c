/*
 * test_ntdll_process.c - process parameters (RtlCreateProcessParameters and
 * the two forms of the block) and RtlCreateUserProcess, against a pretend
 * kernel that keeps a pretend child's memory.
 *
 * Why: smss starts every other process with these, and nothing about them
 * can be seen in the OS until the kernel's process services land. The
 * parameter block is checked byte by byte (layout, alignment, defaults, the
 * offsets of the travelling form); RtlCreateUserProcess is run against fake
 * Nt services that record every call and keep the child's address space in
 * real memory below 4 GiB (so the 32-bit addresses in a CONTEXT can be
 * followed), with the child's image laid out from a real mingw-built
 * program at its base, as NtCreateProcess will. The test then reads the
 * child as its loader would: PEB->ProcessParameters, the environment, the
 * stack and its guard page, the entry point's frame.
 *
 * libs/ntdll/rtlproc.c is #included with NtAllocateVirtualMemory and
 * NtFreeVirtualMemory renamed to this test's fakes, because the real host
 * ones (tests/unit/host_nt.c, used by the heap) only know this process.
 */
#define NtAllocateVirtualMemory FakeNtAllocateVirtualMemory
#define NtFreeVirtualMemory FakeNtFreeVirtualMemory

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../libs/ntdll/rtlparam.c"
#include "../../libs/ntdll/rtlproc.c"
#include "unit.h"

#define MINGW_GCC "i686-w64-mingw32-gcc"
#define PAGE 0x1000u

static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(Buffer, Size, Format, args);
    va_end(args);
    return n >= 0 && (size_t)n < Size;
}

/* ---- this process ---- */

static TEB HostTeb;
static PEB HostPeb;

PTEB NtCurrentTeb(VOID) {
    HostTeb.ProcessEnvironmentBlock = &HostPeb;
    return &HostTeb;
}

static char DebugLog[4096];
static size_t DebugLogLength;

ULONG DbgPrint(PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(DebugLog + DebugLogLength, sizeof DebugLog - DebugLogLength, Format, args);
    va_end(args);
    if (n > 0 && (size_t)n < sizeof DebugLog - DebugLogLength)
        DebugLogLength += (size_t)n;
    return STATUS_SUCCESS;
}

static void make_heap(void) {
    HostPeb.ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
}

static SIZE_T heap_blocks(void) {
    RTLP_HEAP_STATISTICS stats;
    if (RtlpQueryHeapStatistics(HostPeb.ProcessHeap, &stats) != STATUS_SUCCESS)
        return (SIZE_T)-1;
    return stats.BlocksInUse;
}

static void init_unicode(PUNICODE_STRING String, WCHAR *Buffer, size_t Capacity, const char *Text) {
    size_t n = strlen(Text);
    if (n >= Capacity)
        n = Capacity - 1;
    for (size_t i = 0; i < n; i++)
        Buffer[i] = (UCHAR)Text[i];
    Buffer[n] = 0;
    String->Buffer = Buffer;
    String->Length = (USHORT)(n * sizeof(WCHAR));
    String->MaximumLength = (USHORT)((n + 1) * sizeof(WCHAR));
}

/* TRUE when Chars WCHARs at Text spell Expected and are followed by a NUL. */
static BOOLEAN wide_is(const WCHAR *Text, USHORT Length, const char *Expected) {
    size_t n = strlen(Expected);
    if (Length != n * sizeof(WCHAR))
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (Text[i] != (UCHAR)Expected[i])
            return FALSE;
    return Text[n] == 0;
}

/* ---- tests: the parameter block ---- */

typedef struct _PARAM_STRINGS {
    WCHAR Image[64], Dll[64], Dir[64], Command[64], Title[64], Desktop[64], Shell[64], Runtime[64];
    UNICODE_STRING ImageS, DllS, DirS, CommandS, TitleS, DesktopS, ShellS, RuntimeS;
} PARAM_STRINGS;

static void fill_strings(PARAM_STRINGS *S) {
    init_unicode(&S->ImageS, S->Image, 64, "\\SystemRoot\\System32\\csrss.exe");
    init_unicode(&S->DllS, S->Dll, 64, "C:\\nt\\system32");
    init_unicode(&S->DirS, S->Dir, 64, "C:\\");
    init_unicode(&S->CommandS, S->Command, 64, "csrss ObjectDirectory=\\Windows");
    init_unicode(&S->TitleS, S->Title, 64, "Title");
    init_unicode(&S->DesktopS, S->Desktop, 64, "WinSta0\\Default");
    init_unicode(&S->ShellS, S->Shell, 64, "shell");
    init_unicode(&S->RuntimeS, S->Runtime, 64, "rt");
}

TEST(create_process_parameters_lays_out_one_denormalized_block) {
    PARAM_STRINGS s;
    PRTL_USER_PROCESS_PARAMETERS p = NULL;
    make_heap();
    fill_strings(&s);
    static const WCHAR environment[] = {'A', '=', '1', 0, 0};
    CHECK_STATUS(RtlCreateProcessParameters(&p, &s.ImageS, &s.DllS, &s.DirS, &s.CommandS, (PVOID)environment,
                                            &s.TitleS, &s.DesktopS, &s.ShellS, &s.RuntimeS),
                 STATUS_SUCCESS);
    if (!CHECK(p != NULL))
        return;
    CHECK(!(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED));
    CHECK_EQ(p->Length, p->MaximumLength);
    CHECK(p->Environment == environment); /* the pointer, not a copy */
    CHECK_EQ(RtlSizeHeap(HostPeb.ProcessHeap, 0, p), p->MaximumLength);

    /* Layout order, each 4-aligned, NUL-terminated, inside the block. */
    struct {
        PUNICODE_STRING Field;
        const char *Text;
    } expected[] = {
        {&p->ImagePathName, "\\SystemRoot\\System32\\csrss.exe"},
        {&p->DllPath, "C:\\nt\\system32"},
        {&p->CurrentDirectory.DosPath, "C:\\"},
        {&p->CommandLine, "csrss ObjectDirectory=\\Windows"},
        {&p->WindowTitle, "Title"},
        {&p->DesktopInfo, "WinSta0\\Default"},
        {&p->ShellInfo, "shell"},
        {&p->RuntimeData, "rt"},
    };
    ULONG_PTR next = sizeof(RTL_USER_PROCESS_PARAMETERS);
    for (ULONG i = 0; i < ARRAYSIZE(expected); i++) {
        ULONG_PTR offset = (ULONG_PTR)expected[i].Field->Buffer;
        CHECK_EQ(offset, next);
        CHECK_EQ(offset % 4, 0);
        CHECK(expected[i].Field->MaximumLength >= expected[i].Field->Length + sizeof(WCHAR));
        CHECK(offset + expected[i].Field->MaximumLength <= p->Length);
        if (!CHECK(wide_is((WCHAR *)((PUCHAR)p + offset), expected[i].Field->Length, expected[i].Text)))
            printf("  string %u differs\n", (unsigned)i);
        next = offset + ALIGN_UP((ULONG_PTR)expected[i].Field->MaximumLength, 4);
    }
    CHECK_EQ(next, p->Length);
    /* The current directory keeps room for MAX_PATH characters. */
    CHECK(p->CurrentDirectory.DosPath.MaximumLength >= 520);
    CHECK(p->CurrentDirectory.Handle == NULL);
    CHECK_STATUS(RtlDestroyProcessParameters(p), STATUS_SUCCESS);
    CHECK_EQ(heap_blocks(), 0);
}

TEST(normalizing_turns_offsets_into_addresses_and_back) {
    PARAM_STRINGS s;
    PRTL_USER_PROCESS_PARAMETERS p = NULL;
    make_heap();
    fill_strings(&s);
    CHECK_STATUS(RtlCreateProcessParameters(&p, &s.ImageS, &s.DllS, &s.DirS, &s.CommandS, NULL, &s.TitleS,
                                            &s.DesktopS, &s.ShellS, &s.RuntimeS),
                 STATUS_SUCCESS);
    if (!CHECK(p != NULL))
        return;
    ULONG_PTR image_offset = (ULONG_PTR)p->ImagePathName.Buffer;
    CHECK(RtlNormalizeProcessParams(p) == p);
    CHECK(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    CHECK((PUCHAR)p->ImagePathName.Buffer == (PUCHAR)p + image_offset);
    CHECK(wide_is(p->CommandLine.Buffer, p->CommandLine.Length, "csrss ObjectDirectory=\\Windows"));
    CHECK(RtlNormalizeProcessParams(p) == p); /* already normalized: nothing moves */
    CHECK((PUCHAR)p->ImagePathName.Buffer == (PUCHAR)p + image_offset);
    CHECK(RtlDeNormalizeProcessParams(p) == p);
    CHECK(!(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED));
    CHECK_EQ((ULONG_PTR)p->ImagePathName.Buffer, image_offset);
    CHECK(RtlDeNormalizeProcessParams(p) == p);
    CHECK_EQ((ULONG_PTR)p->ImagePathName.Buffer, image_offset);
    CHECK(RtlNormalizeProcessParams(NULL) == NULL);
    CHECK(RtlDeNormalizeProcessParams(NULL) == NULL);
    /* A NULL buffer stays NULL both ways. */
    p->ShellInfo.Buffer = NULL;
    p->ShellInfo.Length = p->ShellInfo.MaximumLength = 0;
    RtlNormalizeProcessParams(p);
    CHECK(p->ShellInfo.Buffer == NULL);
    CHECK_STATUS(RtlDestroyProcessParameters(p), STATUS_SUCCESS);
}

TEST(missing_strings_take_their_defaults) {
    PARAM_STRINGS s;
    PRTL_USER_PROCESS_PARAMETERS p = NULL;
    make_heap();
    fill_strings(&s);
    CHECK_STATUS(RtlCreateProcessParameters(&p, &s.ImageS, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                 STATUS_SUCCESS);
    if (!CHECK(p != NULL))
        return;
    RtlNormalizeProcessParams(p);
    CHECK(wide_is(p->CommandLine.Buffer, p->CommandLine.Length, "\\SystemRoot\\System32\\csrss.exe"));
    CHECK(p->CommandLine.Buffer != p->ImagePathName.Buffer); /* a copy of its own */
    CHECK(wide_is(p->DllPath.Buffer, p->DllPath.Length, ""));
    CHECK(wide_is(p->CurrentDirectory.DosPath.Buffer, p->CurrentDirectory.DosPath.Length, ""));
    CHECK(wide_is(p->WindowTitle.Buffer, p->WindowTitle.Length, ""));
    CHECK(wide_is(p->RuntimeData.Buffer, p->RuntimeData.Length, ""));
    CHECK(p->Environment == NULL);

    /* With a current process's block, its DllPath, directory and
     * environment are inherited (even from the travelling form). */
    static const WCHAR environment[] = {'P', '=', 'Q', 0, 0};
    PRTL_USER_PROCESS_PARAMETERS parent = NULL;
    CHECK_STATUS(RtlCreateProcessParameters(&parent, &s.ImageS, &s.DllS, &s.DirS, NULL, (PVOID)environment,
                                            NULL, NULL, NULL, NULL),
                 STATUS_SUCCESS);
    HostPeb.ProcessParameters = parent;
    PRTL_USER_PROCESS_PARAMETERS child = NULL;
    CHECK_STATUS(
        RtlCreateProcessParameters(&child, &s.CommandS, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        STATUS_SUCCESS);
    if (!CHECK(child != NULL))
        return;
    RtlNormalizeProcessParams(child);
    CHECK(wide_is(child->DllPath.Buffer, child->DllPath.Length, "C:\\nt\\system32"));
    CHECK(wide_is(child->CurrentDirectory.DosPath.Buffer, child->CurrentDirectory.DosPath.Length, "C:\\"));
    CHECK(child->Environment == environment);
    CHECK(child->DllPath.Buffer != parent->DllPath.Buffer);
    CHECK_STATUS(RtlDestroyProcessParameters(child), STATUS_SUCCESS);
    CHECK_STATUS(RtlDestroyProcessParameters(parent), STATUS_SUCCESS);
    CHECK_STATUS(RtlDestroyProcessParameters(p), STATUS_SUCCESS);
    CHECK_EQ(heap_blocks(), 0);
}

TEST(bad_strings_are_refused_and_nothing_is_allocated) {
    PARAM_STRINGS s;
    PRTL_USER_PROCESS_PARAMETERS p = (PRTL_USER_PROCESS_PARAMETERS)0x1;
    make_heap();
    fill_strings(&s);
    CHECK_STATUS(RtlCreateProcessParameters(NULL, &s.ImageS, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                 STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlCreateProcessParameters(&p, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                 STATUS_INVALID_PARAMETER);
    s.TitleS.Length = 3; /* odd */
    CHECK_STATUS(
        RtlCreateProcessParameters(&p, &s.ImageS, NULL, NULL, NULL, NULL, &s.TitleS, NULL, NULL, NULL),
        STATUS_INVALID_PARAMETER);
    UNICODE_STRING no_buffer = {4, 4, NULL};
    CHECK_STATUS(
        RtlCreateProcessParameters(&p, &s.ImageS, &no_buffer, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        STATUS_INVALID_PARAMETER);
    UNICODE_STRING huge = {0xFFFE, 0xFFFE, s.Image};
    CHECK_STATUS(RtlCreateProcessParameters(&p, &s.ImageS, NULL, NULL, NULL, NULL, NULL, NULL, &huge, NULL),
                 STATUS_INVALID_PARAMETER);
    CHECK(p == (PRTL_USER_PROCESS_PARAMETERS)0x1);
    CHECK_EQ(heap_blocks(), 0);
    CHECK_STATUS(RtlDestroyProcessParameters((PRTL_USER_PROCESS_PARAMETERS)&s), STATUS_INVALID_PARAMETER);
}

/* ---- a pretend kernel for RtlCreateUserProcess ---- */

static char FixtureDir[PATH_MAX];
static BOOLEAN FixturesBuilt;

#define FAKE_PROCESS ((HANDLE)(ULONG_PTR)0x204)
#define FAKE_THREAD ((HANDLE)(ULONG_PTR)0x208)
#define FAKE_FILE ((HANDLE)(ULONG_PTR)0x20C)
#define FAKE_SECTION ((HANDLE)(ULONG_PTR)0x210)
#define FAKE_PARENT ((HANDLE)(ULONG_PTR)0x300)
#define FAKE_DEBUG_PORT ((HANDLE)(ULONG_PTR)0x304)
#define FAKE_EXCEPTION_PORT ((HANDLE)(ULONG_PTR)0x308)
#define CHILD_PEB_AT 0x7FF00000u /* where the fake kernel puts the child's PEB (any 32-bit address) */

/* The child's memory: regions of real host memory at 32-bit addresses. */
typedef struct _CHILD_REGION {
    PUCHAR Base;
    SIZE_T Size;
    UCHAR Committed[1024]; /* per page */
    ULONG Protect[1024];
    BOOLEAN Reserved; /* made by NtAllocateVirtualMemory(MEM_RESERVE) */
} CHILD_REGION;

static CHILD_REGION Regions[16];
static ULONG RegionCount;

static struct {
    BOOLEAN FileOpen, SectionOpen, ProcessOpen, ThreadOpen;
    char OpenedPath[256];
    ULONG OpenAttributes, SectionAttributes, SectionProtect;
    HANDLE CreateParent, CreateSection, CreateDebugPort, CreateExceptionPort;
    BOOLEAN CreateInherit;
    PVOID ProcessSecurity, ThreadSecurity;
    CONTEXT Context;
    INITIAL_TEB Teb;
    BOOLEAN CreateSuspended, ThreadCreated;
    BOOLEAN Terminated;
    NTSTATUS TerminateStatus;
    ULONG GuardProtect;
    PVOID GuardAddress;
    SIZE_T GuardSize;
    ULONG Closes, BadCloses;
    NTSTATUS FailThread; /* NtCreateThread answers this when not 0 */
} K;

static const char *ChildImage; /* the fixture file NtCreateProcess maps */

static CHILD_REGION *child_region(ULONG_PTR Address, SIZE_T Length) {
    for (ULONG i = 0; i < RegionCount; i++) {
        ULONG_PTR base = (ULONG_PTR)Regions[i].Base;
        if (Address >= base && Address - base <= Regions[i].Size &&
            Length <= Regions[i].Size - (Address - base))
            return &Regions[i];
    }
    return NULL;
}

static BOOLEAN child_committed(CHILD_REGION *Region, ULONG_PTR Address, SIZE_T Length) {
    for (ULONG_PTR at = ALIGN_DOWN(Address, (ULONG_PTR)PAGE); at < Address + Length; at += PAGE)
        if (!Region->Committed[(at - (ULONG_PTR)Region->Base) / PAGE])
            return FALSE;
    return TRUE;
}

/* Host memory for the child at a 32-bit address (Want, or anywhere). */
static CHILD_REGION *new_region(ULONG_PTR Want, SIZE_T Size, BOOLEAN Commit) {
    if (RegionCount == ARRAYSIZE(Regions) || Size / PAGE > 1024)
        return NULL;
    void *p = Want ? mmap((void *)Want, Size, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
                   : mmap(NULL, Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED || (Want && p != (void *)Want))
        return NULL;
    CHILD_REGION *r = &Regions[RegionCount++];
    memset(r, 0, sizeof *r);
    r->Base = p;
    r->Size = Size;
    for (ULONG i = 0; i < Size / PAGE; i++) {
        r->Committed[i] = Commit;
        r->Protect[i] = Commit ? PAGE_READWRITE : 0;
    }
    return r;
}

static BOOLEAN read_fixture(const char *Name, PUCHAR *Data, SIZE_T *Size) {
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/%s", FixtureDir, Name);
    size_t size = 0;
    BOOLEAN ok = UtReadFile(path, Data, &size) != 0;
    *Size = (SIZE_T)size;
    return ok;
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions) {
    (void)DesiredAccess, (void)ShareAccess, (void)OpenOptions;
    PUNICODE_STRING name = ObjectAttributes->ObjectName;
    ULONG chars = name->Length / sizeof(WCHAR);
    for (ULONG i = 0; i < chars && i < sizeof K.OpenedPath - 1; i++)
        K.OpenedPath[i] = (char)name->Buffer[i];
    K.OpenedPath[chars < sizeof K.OpenedPath ? chars : sizeof K.OpenedPath - 1] = 0;
    K.OpenAttributes = ObjectAttributes->Attributes;
    const char *base = strrchr(K.OpenedPath, '\\');
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/%s", FixtureDir, base ? base + 1 : K.OpenedPath);
    if (access(path, R_OK) != 0)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    ChildImage = NULL;
    static char image[64];
    formatf(image, sizeof image, "%s", base ? base + 1 : K.OpenedPath);
    ChildImage = image;
    K.FileOpen = TRUE;
    *FileHandle = FAKE_FILE;
    IoStatusBlock->Status = STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                               ULONG SectionPageProtection, ULONG AllocationAttributes, HANDLE FileHandle) {
    (void)DesiredAccess, (void)ObjectAttributes, (void)MaximumSize;
    if (FileHandle != FAKE_FILE || !K.FileOpen)
        return STATUS_INVALID_HANDLE;
    K.SectionProtect = SectionPageProtection;
    K.SectionAttributes = AllocationAttributes;
    K.SectionOpen = TRUE;
    *SectionHandle = FAKE_SECTION;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess,
                               BOOLEAN InheritObjectTable, HANDLE SectionHandle, HANDLE DebugPort,
                               HANDLE ExceptionPort) {
    (void)DesiredAccess;
    K.CreateParent = ParentProcess;
    K.CreateInherit = InheritObjectTable;
    K.CreateSection = SectionHandle;
    K.CreateDebugPort = DebugPort;
    K.CreateExceptionPort = ExceptionPort;
    K.ProcessSecurity = ObjectAttributes ? ObjectAttributes->SecurityDescriptor : NULL;
    if (SectionHandle != FAKE_SECTION || !K.SectionOpen)
        return STATUS_INVALID_HANDLE;
    /* The image at its base, ntdll is not needed here, and a PEB. */
    PUCHAR file;
    SIZE_T file_size;
    PE_IMAGE_INFO info;
    if (!read_fixture(ChildImage, &file, &file_size))
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = RtlValidateImageFile(file, file_size, &info);
    CHILD_REGION *image = NT_SUCCESS(status) ? new_region(info.ImageBase, info.SizeOfImage, TRUE) : NULL;
    CHILD_REGION *peb = new_region(CHILD_PEB_AT, PAGE, TRUE);
    if (image == NULL || peb == NULL) {
        free(file);
        return STATUS_NO_MEMORY;
    }
    status = RtlLayoutImage(file, file_size, &info, image->Base);
    free(file);
    if (!NT_SUCCESS(status))
        return status;
    ((PPEB)peb->Base)->ImageBaseAddress = image->Base;
    K.ProcessOpen = TRUE;
    *ProcessHandle = FAKE_PROCESS;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle, ULONG ProcessInformationClass,
                                         PVOID ProcessInformation, ULONG Length, PULONG ReturnLength) {
    if (ProcessHandle != FAKE_PROCESS || !K.ProcessOpen)
        return STATUS_INVALID_HANDLE;
    if (ProcessInformationClass != ProcessBasicInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (Length != sizeof(PROCESS_BASIC_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    PROCESS_BASIC_INFORMATION info = {0};
    info.PebBaseAddress = (PPEB)(ULONG_PTR)CHILD_PEB_AT;
    info.UniqueProcessId = 0x40;
    memcpy(ProcessInformation, &info, sizeof info);
    if (ReturnLength != NULL)
        *ReturnLength = sizeof info;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtReadVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, PVOID Buffer, SIZE_T Length,
                                   PSIZE_T BytesRead) {
    CHILD_REGION *r = child_region((ULONG_PTR)BaseAddress, Length);
    if (ProcessHandle != FAKE_PROCESS || r == NULL || !child_committed(r, (ULONG_PTR)BaseAddress, Length))
        return STATUS_ACCESS_VIOLATION;
    memcpy(Buffer, BaseAddress, Length);
    *BytesRead = Length;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtWriteVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, const VOID *Buffer,
                                    SIZE_T Length, PSIZE_T BytesWritten) {
    CHILD_REGION *r = child_region((ULONG_PTR)BaseAddress, Length);
    if (ProcessHandle != FAKE_PROCESS || r == NULL || !child_committed(r, (ULONG_PTR)BaseAddress, Length))
        return STATUS_ACCESS_VIOLATION;
    memcpy(BaseAddress, Buffer, Length);
    *BytesWritten = Length;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI FakeNtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                           PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect) {
    (void)ZeroBits;
    if (ProcessHandle != FAKE_PROCESS)
        return STATUS_INVALID_HANDLE;
    if (Protect != PAGE_READWRITE)
        return STATUS_INVALID_PAGE_PROTECTION;
    SIZE_T size = ALIGN_UP(*RegionSize, (SIZE_T)PAGE);
    if (AllocationType & MEM_RESERVE) {
        if (*BaseAddress != NULL)
            return STATUS_INVALID_PARAMETER; /* RtlCreateUserProcess always lets the kernel choose */
        CHILD_REGION *r = new_region(0, ALIGN_UP(size, (SIZE_T)0x10000), (AllocationType & MEM_COMMIT) != 0);
        if (r == NULL)
            return STATUS_NO_MEMORY;
        r->Reserved = TRUE;
        *BaseAddress = r->Base;
        *RegionSize = r->Size;
        return STATUS_SUCCESS;
    }
    ULONG_PTR start = ALIGN_DOWN((ULONG_PTR)*BaseAddress, (ULONG_PTR)PAGE);
    ULONG_PTR end = ALIGN_UP((ULONG_PTR)*BaseAddress + *RegionSize, (ULONG_PTR)PAGE);
    CHILD_REGION *r = child_region(start, end - start);
    if (r == NULL || !(AllocationType & MEM_COMMIT))
        return STATUS_CONFLICTING_ADDRESSES;
    for (ULONG_PTR at = start; at < end; at += PAGE) {
        r->Committed[(at - (ULONG_PTR)r->Base) / PAGE] = 1;
        r->Protect[(at - (ULONG_PTR)r->Base) / PAGE] = Protect;
    }
    *BaseAddress = (PVOID)start;
    *RegionSize = end - start;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI FakeNtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                       ULONG FreeType) {
    (void)ProcessHandle, (void)BaseAddress, (void)RegionSize, (void)FreeType;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
                                      ULONG NewProtect, PULONG OldProtect) {
    CHILD_REGION *r = child_region((ULONG_PTR)*BaseAddress, *RegionSize);
    if (ProcessHandle != FAKE_PROCESS || r == NULL ||
        !child_committed(r, (ULONG_PTR)*BaseAddress, *RegionSize))
        return STATUS_CONFLICTING_ADDRESSES;
    K.GuardAddress = *BaseAddress;
    K.GuardSize = *RegionSize;
    K.GuardProtect = NewProtect;
    ULONG page = (ULONG)(((ULONG_PTR)*BaseAddress - (ULONG_PTR)r->Base) / PAGE);
    *OldProtect = r->Protect[page];
    for (SIZE_T i = 0; i < *RegionSize / PAGE; i++)
        r->Protect[page + i] = NewProtect;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtCreateThread(PHANDLE ThreadHandle, ACCESS_MASK DesiredAccess,
                              POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ProcessHandle, PCLIENT_ID ClientId,
                              PVOID ThreadContext, PVOID InitialTeb, BOOLEAN CreateSuspended) {
    (void)DesiredAccess;
    if (ProcessHandle != FAKE_PROCESS || !K.ProcessOpen)
        return STATUS_INVALID_HANDLE;
    if (K.FailThread != 0)
        return K.FailThread;
    K.ThreadSecurity = ObjectAttributes ? ObjectAttributes->SecurityDescriptor : NULL;
    memcpy(&K.Context, ThreadContext, sizeof K.Context);
    memcpy(&K.Teb, InitialTeb, sizeof K.Teb);
    K.CreateSuspended = CreateSuspended;
    K.ThreadCreated = K.ThreadOpen = TRUE;
    ClientId->UniqueProcess = (HANDLE)(ULONG_PTR)0x40;
    ClientId->UniqueThread = (HANDLE)(ULONG_PTR)0x44;
    *ThreadHandle = FAKE_THREAD;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus) {
    if (ProcessHandle != FAKE_PROCESS)
        return STATUS_INVALID_HANDLE;
    K.Terminated = TRUE;
    K.TerminateStatus = ExitStatus;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtClose(HANDLE Handle) {
    BOOLEAN *open = Handle == FAKE_FILE      ? &K.FileOpen
                    : Handle == FAKE_SECTION ? &K.SectionOpen
                    : Handle == FAKE_PROCESS ? &K.ProcessOpen
                    : Handle == FAKE_THREAD  ? &K.ThreadOpen
                                             : NULL;
    if (open == NULL || !*open) {
        K.BadCloses++;
        return STATUS_INVALID_HANDLE;
    }
    *open = FALSE;
    K.Closes++;
    return STATUS_SUCCESS;
}

/* ---- the fixtures: programs with and without stack sizes, and a DLL ---- */

static BOOLEAN run_in_fixtures(const char *Command) {
    char line[PATH_MAX + 1024];
    formatf(line, sizeof line, "cd '%s' && { %s ; } >>build.log 2>&1", FixtureDir, Command);
    int rc = system(line);
    if (rc != 0)
        printf("fixture command failed (%d): %s\n", rc, Command);
    return rc == 0;
}

static void build_fixtures(void) {
    formatf(FixtureDir, sizeof FixtureDir, "ntdll_process.XXXXXX");
    if (mkdtemp(FixtureDir) == NULL)
        return;
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/p.c", FixtureDir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return;
    fputs("int value = 3;\nint entry(void) { return value; }\n", f);
    fclose(f);
    FixturesBuilt =
        run_in_fixtures(MINGW_GCC " -nostdlib -O1 -Wl,-e,_entry -Xlinker --stack -Xlinker 0x300000,0x5000"
                                  " -o stack.exe p.c") &&
        run_in_fixtures(MINGW_GCC
                        " -nostdlib -O1 -Wl,-e,_entry -Xlinker --stack -Xlinker 0,0 -o nostack.exe p.c") &&
        run_in_fixtures(MINGW_GCC " -shared -nostdlib -O1 -Wl,-e,_entry -o lib.dll p.c");
}

/* The image's entry point RVA, straight from its file. */
static ULONG entry_rva(const char *Name) {
    PUCHAR file;
    SIZE_T size;
    PE_IMAGE_INFO info;
    if (!read_fixture(Name, &file, &size))
        return 0;
    ULONG rva = RtlValidateImageFile(file, size, &info) == STATUS_SUCCESS ? info.EntryPointRva : 0;
    free(file);
    return rva;
}

static NTSTATUS create(const char *Image, PRTL_USER_PROCESS_PARAMETERS Params, HANDLE Parent,
                       PRTL_USER_PROCESS_INFORMATION Info) {
    WCHAR buffer[128];
    UNICODE_STRING path;
    char text[128];
    formatf(text, sizeof text, "\\SystemRoot\\System32\\%s", Image);
    init_unicode(&path, buffer, ARRAYSIZE(buffer), text);
    return RtlCreateUserProcess(&path, OBJ_CASE_INSENSITIVE, Params, (PVOID)0x5D1, (PVOID)0x5D2, Parent, TRUE,
                                FAKE_DEBUG_PORT, FAKE_EXCEPTION_PORT, Info);
}

static PRTL_USER_PROCESS_PARAMETERS make_params(const char *Image, const WCHAR *Environment) {
    PARAM_STRINGS s;
    PRTL_USER_PROCESS_PARAMETERS p = NULL;
    char text[128];
    fill_strings(&s);
    formatf(text, sizeof text, "\\SystemRoot\\System32\\%s", Image);
    init_unicode(&s.ImageS, s.Image, 64, text);
    if (RtlCreateProcessParameters(&p, &s.ImageS, &s.DllS, &s.DirS, &s.CommandS, (PVOID)Environment,
                                   &s.TitleS, NULL, NULL, NULL) != STATUS_SUCCESS)
        return NULL;
    return p;
}

static const WCHAR TestEnvironment[] = {'A', '=', '1', 0, 'B', 'B', '=', '2', '2', 0, 0};

/* ---- tests: RtlCreateUserProcess ---- */

TEST(create_user_process_makes_a_suspended_thread_at_the_entry_point) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", TestEnvironment);
    RTL_USER_PROCESS_INFORMATION info;
    memset(&info, 0xCC, sizeof info);
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_SUCCESS);
    CHECK_EQ(info.Length, sizeof info);
    CHECK(info.Process == FAKE_PROCESS);
    CHECK(info.Thread == FAKE_THREAD);
    CHECK(info.ClientId.UniqueThread == (HANDLE)(ULONG_PTR)0x44);
    ULONG entry = 0x400000u + entry_rva("stack.exe");
    CHECK_EQ((ULONG_PTR)info.ImageInformation.TransferAddress, entry);
    CHECK_EQ(info.ImageInformation.MaximumStackSize, 0x300000);
    CHECK_EQ(info.ImageInformation.CommittedStackSize, 0x5000);
    CHECK_EQ(info.ImageInformation.Machine, IMAGE_FILE_MACHINE_I386);
    CHECK(info.ImageInformation.ImageContainsCode);

    /* Steps 1 and 2: the file, the section, the process. */
    CHECK(strcmp(K.OpenedPath, "\\SystemRoot\\System32\\stack.exe") == 0);
    CHECK_EQ(K.OpenAttributes, OBJ_CASE_INSENSITIVE);
    CHECK_EQ(K.SectionAttributes, SEC_IMAGE);
    CHECK_EQ(K.SectionProtect, PAGE_EXECUTE);
    CHECK(K.CreateParent == NtCurrentProcess());
    CHECK(K.CreateInherit);
    CHECK(K.CreateSection == FAKE_SECTION);
    CHECK(K.CreateDebugPort == FAKE_DEBUG_PORT && K.CreateExceptionPort == FAKE_EXCEPTION_PORT);
    CHECK(K.ProcessSecurity == (PVOID)0x5D1 && K.ThreadSecurity == (PVOID)0x5D2);
    CHECK(!K.FileOpen && !K.SectionOpen); /* closed */
    CHECK(K.ProcessOpen && K.ThreadOpen); /* the caller's */
    CHECK_EQ(K.BadCloses, 0);
    CHECK(!K.Terminated);

    /* Step 6: the thread. */
    CHECK(K.ThreadCreated);
    CHECK(K.CreateSuspended);
    CHECK_EQ(K.Context.ContextFlags, CONTEXT_FULL);
    CHECK_EQ(K.Context.Eip, entry);
    CHECK_EQ(K.Context.Eax, entry);
    CHECK_EQ(K.Context.Ebx, CHILD_PEB_AT);
    CHECK_EQ(K.Context.EFlags, EFLAGS_INTERRUPT_MASK);
    CHECK_EQ(K.Context.Esp, (ULONG_PTR)K.Teb.StackBase - 8);
    ULONG frame[2];
    memcpy(frame, (PVOID)(ULONG_PTR)K.Context.Esp, sizeof frame);
    CHECK_EQ(frame[0], 0);            /* return address */
    CHECK_EQ(frame[1], CHILD_PEB_AT); /* the entry point's argument */
    CHECK_STATUS(RtlDestroyProcessParameters(params), STATUS_SUCCESS);
    CHECK_EQ(heap_blocks(), 0); /* the temporary copies are gone */
}

TEST(the_stack_is_reserved_committed_at_the_top_and_guarded) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", NULL);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_SUCCESS);
    PINITIAL_TEB teb = &K.Teb;
    CHECK(teb->PreviousStackBase == NULL && teb->PreviousStackLimit == NULL);
    ULONG_PTR base = (ULONG_PTR)teb->AllocatedStackBase, top = (ULONG_PTR)teb->StackBase;
    CHECK_EQ(top - base, 0x300000);
    CHECK_EQ(top - (ULONG_PTR)teb->StackLimit, 0x5000);
    CHILD_REGION *r = child_region(base, top - base);
    if (!CHECK(r != NULL))
        return;
    for (ULONG_PTR at = base; at < top; at += PAGE) {
        ULONG page = (ULONG)((at - base) / PAGE);
        if (at >= top - 0x5000) {
            CHECK(r->Committed[page] && r->Protect[page] == PAGE_READWRITE);
        } else if (at == top - 0x5000 - PAGE) {
            CHECK(r->Committed[page]);
            CHECK_EQ(r->Protect[page], PAGE_READWRITE | PAGE_GUARD);
        } else if (r->Committed[page]) {
            CHECK(!"a page below the guard is committed");
            break;
        }
    }
    CHECK_EQ((ULONG_PTR)K.GuardAddress, top - 0x5000 - PAGE);
    CHECK_EQ(K.GuardSize, PAGE);
}

TEST(an_image_without_stack_sizes_gets_one_mebibyte_and_one_page) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("nostack.exe", NULL);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("nostack.exe", params, FAKE_PARENT, &info), STATUS_SUCCESS);
    CHECK(K.CreateParent == FAKE_PARENT);
    CHECK_EQ((ULONG_PTR)K.Teb.StackBase - (ULONG_PTR)K.Teb.AllocatedStackBase, 0x100000);
    CHECK_EQ((ULONG_PTR)K.Teb.StackBase - (ULONG_PTR)K.Teb.StackLimit, PAGE);
}

TEST(the_parameters_land_normalized_for_the_child_with_their_environment) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", TestEnvironment);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_SUCCESS);
    PPEB child_peb = (PPEB)(ULONG_PTR)CHILD_PEB_AT;
    PRTL_USER_PROCESS_PARAMETERS child = child_peb->ProcessParameters;
    if (!CHECK(child != NULL && child != params))
        return;
    CHILD_REGION *r = child_region((ULONG_PTR)child, params->Length);
    CHECK(r != NULL);
    CHECK(child->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    CHECK_EQ(child->Length, params->Length);
    CHECK(wide_is(child->ImagePathName.Buffer, child->ImagePathName.Length,
                  "\\SystemRoot\\System32\\stack.exe"));
    CHECK(wide_is(child->CommandLine.Buffer, child->CommandLine.Length, "csrss ObjectDirectory=\\Windows"));
    CHECK(wide_is(child->DllPath.Buffer, child->DllPath.Length, "C:\\nt\\system32"));
    CHECK(wide_is(child->CurrentDirectory.DosPath.Buffer, child->CurrentDirectory.DosPath.Length, "C:\\"));
    CHECK(wide_is(child->WindowTitle.Buffer, child->WindowTitle.Length, "Title"));
    /* Every buffer inside the child's copy of the block. */
    PUNICODE_STRING strings[] = {&child->CurrentDirectory.DosPath,
                                 &child->DllPath,
                                 &child->ImagePathName,
                                 &child->CommandLine,
                                 &child->WindowTitle,
                                 &child->DesktopInfo,
                                 &child->ShellInfo,
                                 &child->RuntimeData};
    for (ULONG i = 0; i < ARRAYSIZE(strings); i++)
        CHECK((PUCHAR)strings[i]->Buffer >= (PUCHAR)child &&
              (PUCHAR)strings[i]->Buffer + strings[i]->MaximumLength <= (PUCHAR)child + child->Length);
    /* The environment: a copy of its own in the child. */
    CHECK(child->Environment != NULL && child->Environment != TestEnvironment);
    CHECK(child_region((ULONG_PTR)child->Environment, sizeof TestEnvironment) != NULL);
    CHECK(memcmp(child->Environment, TestEnvironment, sizeof TestEnvironment) == 0);
    /* The caller's block is untouched (still the travelling form). */
    CHECK(!(params->Flags & RTL_USER_PROC_PARAMS_NORMALIZED));
    CHECK(params->Environment == TestEnvironment);
}

TEST(normalized_parameters_are_copied_just_the_same) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", NULL);
    RtlNormalizeProcessParams(params);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_SUCCESS);
    PRTL_USER_PROCESS_PARAMETERS child = ((PPEB)(ULONG_PTR)CHILD_PEB_AT)->ProcessParameters;
    CHECK(wide_is(child->ImagePathName.Buffer, child->ImagePathName.Length,
                  "\\SystemRoot\\System32\\stack.exe"));
    CHECK((PUCHAR)child->ImagePathName.Buffer - (PUCHAR)child ==
          (PUCHAR)params->ImagePathName.Buffer - (PUCHAR)params);
    CHECK(child->Environment == NULL);
}

TEST(parameters_pointing_outside_their_block_are_refused) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", NULL);
    RtlNormalizeProcessParams(params);
    static WCHAR elsewhere[] = {'x', 0};
    params->WindowTitle.Buffer = elsewhere;
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_INVALID_PARAMETER);
    CHECK(K.Terminated);
    CHECK_STATUS(K.TerminateStatus, STATUS_INVALID_PARAMETER);
    CHECK(!K.ProcessOpen && !K.ThreadCreated);
    CHECK(info.Process == NULL && info.Thread == NULL);
}

TEST(a_dll_is_not_a_program) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("lib.dll", NULL);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("lib.dll", params, NULL, &info), STATUS_INVALID_IMAGE_FORMAT);
    CHECK(K.Terminated);
    CHECK(!K.ProcessOpen && !K.FileOpen && !K.SectionOpen);
    CHECK_EQ(K.BadCloses, 0);
}

TEST(a_missing_image_makes_no_process) {
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("nothere.exe", NULL);
    RTL_USER_PROCESS_INFORMATION info;
    CHECK_STATUS(create("nothere.exe", params, NULL, &info), STATUS_OBJECT_NAME_NOT_FOUND);
    CHECK(!K.ProcessOpen && !K.Terminated);
    CHECK_STATUS(RtlCreateUserProcess(NULL, 0, params, NULL, NULL, NULL, FALSE, NULL, NULL, &info),
                 STATUS_INVALID_PARAMETER);
}

TEST(a_thread_that_cannot_be_made_takes_the_process_with_it) {
    if (!CHECK(FixturesBuilt))
        return;
    make_heap();
    PRTL_USER_PROCESS_PARAMETERS params = make_params("stack.exe", NULL);
    RTL_USER_PROCESS_INFORMATION info;
    K.FailThread = STATUS_NO_MEMORY;
    CHECK_STATUS(create("stack.exe", params, NULL, &info), STATUS_NO_MEMORY);
    CHECK(K.Terminated);
    CHECK_STATUS(K.TerminateStatus, STATUS_NO_MEMORY);
    CHECK(!K.ProcessOpen && !K.FileOpen && !K.SectionOpen);
    CHECK_EQ(K.BadCloses, 0);
    CHECK_EQ(heap_blocks(), 1); /* only the caller's parameter block */
}

int main(void) {
    build_fixtures();

    RUN(create_process_parameters_lays_out_one_denormalized_block);
    RUN(normalizing_turns_offsets_into_addresses_and_back);
    RUN(missing_strings_take_their_defaults);
    RUN(bad_strings_are_refused_and_nothing_is_allocated);
    RUN(create_user_process_makes_a_suspended_thread_at_the_entry_point);
    RUN(the_stack_is_reserved_committed_at_the_top_and_guarded);
    RUN(an_image_without_stack_sizes_gets_one_mebibyte_and_one_page);
    RUN(the_parameters_land_normalized_for_the_child_with_their_environment);
    RUN(normalized_parameters_are_copied_just_the_same);
    RUN(parameters_pointing_outside_their_block_are_refused);
    RUN(a_dll_is_not_a_program);
    RUN(a_missing_image_makes_no_process);
    RUN(a_thread_that_cannot_be_made_takes_the_process_with_it);

    int rc = UtFinish();
    if (rc == 0 && FixturesBuilt) {
        char command[PATH_MAX + 32];
        formatf(command, sizeof command, "rm -rf '%s'", FixtureDir);
        if (system(command) != 0)
            printf("could not remove %s\n", FixtureDir);
    }
    return rc;
}
