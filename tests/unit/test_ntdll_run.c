/*
 * test_ntdll_run.c - the built ntdll.dll, executed: its service stubs, DbgPrint,
 * C run-time and arithmetic helpers, heap and critical sections run as i386
 * code, and a mingw-built native program with two DLLs starts through
 * LdrInitializeThunk, runs, loads and unloads a DLL and exits.
 *
 * Why: everything else checks ntdll's code compiled for the host, or reads
 * the DLL with objdump. Until the kernel's file and process services land,
 * nothing runs the DLL itself, and the parts only the DLL has - the
 * assembly (stubs, the DllMain thunk, the 64-bit shift helpers), the int
 * 0x2D/0x2E register protocols, stdcall stack balance, the fs:-relative TEB
 * - would first meet reality in the OS, where a mistake is a silent crash.
 * So this file is also a tiny NT "kernel" for one i386 Linux process: built a
 * second time with the kernel's compiler (i686-linux-gnu-gcc, -DNTDLL_RUN32)
 * it lays ntdll.dll out at 0x77F00000 with RtlLayoutImage, points fs: at a
 * TEB (set_thread_area), and catches every int 0x2D and int 0x2E on SIGSEGV
 * (user mode may not raise them on Linux): DbgPrint's text is printed, and
 * the services a process start needs (files, image sections and views,
 * virtual memory, NtContinue, NtTerminateProcess) are done with open and
 * mmap. The host test builds the fixtures and that runner, runs it, and
 * reads its report: one line per check, "ok GROUP ..." or "not ok GROUP ...".
 */
#if defined(NTDLL_RUN32)

/* ======================= the i386 runner ======================= */

#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include <asm/ldt.h>

#include <nt/ntldr.h>
#include <nt/ntrtl.h>
#include <nt/rtlheap.h>
#include <nt/rtlimage.h>
#include <nt/services.h>

#define PAGE 0x1000u
#define STDCALL __attribute__((stdcall))

static const char *Dir;
static PUCHAR Ntdll;
static ULONG NtdllSize;
static TEB Teb __attribute__((aligned(4096)));
static PEB Peb __attribute__((aligned(4096)));
static ULONG Failures;

#define SERVICE_NAME(Name, Bytes) #Name,
static const char *const ServiceNames[] = {NT_SERVICE_TABLE(SERVICE_NAME)};
#undef SERVICE_NAME
#define SERVICE_BYTES(Name, Bytes) Bytes,
static const ULONG ServiceBytes[] = {NT_SERVICE_TABLE(SERVICE_BYTES)};
#undef SERVICE_BYTES

static void report(BOOLEAN Ok, const char *Group, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static void report(BOOLEAN Ok, const char *Group, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    printf("%s %s ", Ok ? "ok" : "not ok", Group);
    vprintf(Format, args);
    printf("\n");
    va_end(args);
    fflush(stdout);
    if (!Ok)
        Failures++;
}

/* ---- images ---- */

static BOOLEAN read_file(const char *Name, PUCHAR *Data, ULONG *Size) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", Dir, Name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return FALSE;
    fseek(f, 0, SEEK_END);
    long length = ftell(f);
    fseek(f, 0, SEEK_SET);
    *Data = malloc((size_t)length);
    *Size = (ULONG)length;
    BOOLEAN ok = *Data != NULL && fread(*Data, 1, (size_t)length, f) == (size_t)length;
    fclose(f);
    return ok;
}

/* Lays the image file Name out at its base (or, if that is taken, at a free
 * 64 KiB-aligned address), as NtMapViewOfSection does. */
static NTSTATUS map_image(const char *Name, PVOID *Base, ULONG *Size) {
    PUCHAR file;
    ULONG file_size;
    PE_IMAGE_INFO info;
    if (!read_file(Name, &file, &file_size))
        return STATUS_OBJECT_NAME_NOT_FOUND;
    NTSTATUS status = RtlValidateImageFile(file, file_size, &info);
    if (!NT_SUCCESS(status)) {
        free(file);
        return status;
    }
    ULONG size = (info.SizeOfImage + PAGE - 1) & ~(PAGE - 1);
    int prot = PROT_READ | PROT_WRITE | PROT_EXEC;
    PUCHAR base =
        mmap((void *)info.ImageBase, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (base != MAP_FAILED && base != (PUCHAR)info.ImageBase) {
        munmap(base, size);
        base = MAP_FAILED;
    }
    for (ULONG at = 0x50000000u; base == MAP_FAILED && at < 0x70000000u; at += 0x10000u) {
        base = mmap((void *)at, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (base != MAP_FAILED && base != (PUCHAR)at) {
            munmap(base, size);
            base = MAP_FAILED;
        }
    }
    if (base == MAP_FAILED) {
        free(file);
        return STATUS_NO_MEMORY;
    }
    status = RtlLayoutImage(file, file_size, &info, base);
    free(file);
    *Base = base;
    *Size = size;
    if (!NT_SUCCESS(status))
        return status;
    return (ULONG)base == info.ImageBase ? STATUS_SUCCESS : STATUS_IMAGE_NOT_AT_BASE;
}

static PVOID ntdll_export(const char *Name) {
    ULONG rva;
    PCSTR forwarder;
    if (LdrFindExportRva(Ntdll, NtdllSize, Name, 0, &rva, &forwarder) != STATUS_SUCCESS || forwarder != NULL)
        return NULL;
    return Ntdll + rva;
}

/* ---- the pretend kernel: int 0x2D and int 0x2E ---- */

static char DbgText[1024];
static ULONG DbgLength, DbgService;
static BOOLEAN EchoDbgPrint; /* process mode: print each DbgPrint */
static BOOLEAN StubProbe;    /* unit mode: record stub calls instead of serving them */
static ULONG ProbeNumber, ProbeArgs[32];
static ULONG ProbeArgOffset; /* EDX - ESP at the int: 4 when EDX points past the return address */
static ULONG ServiceCalls;

typedef struct _HOST_HANDLE {
    int Type; /* 0 free, 1 file, 2 section */
    char Name[64];
} HOST_HANDLE;
static HOST_HANDLE Handles[32];

typedef struct _HOST_REGION {
    PUCHAR Base;
    ULONG Size;
} HOST_REGION;
static HOST_REGION Regions[64];

static HANDLE new_handle(int Type, const char *Name) {
    for (ULONG i = 0; i < 32; i++)
        if (Handles[i].Type == 0) {
            Handles[i].Type = Type;
            snprintf(Handles[i].Name, sizeof Handles[i].Name, "%s", Name);
            return (HANDLE)(0x100 + 4 * i);
        }
    return NULL;
}

static HOST_HANDLE *handle_of(HANDLE Handle, int Type) {
    ULONG i = ((ULONG)Handle - 0x100) / 4;
    if ((ULONG)Handle < 0x100 || i >= 32 || Handles[i].Type != Type)
        return NULL;
    return &Handles[i];
}

static void remember_region(PUCHAR Base, ULONG Size) {
    for (ULONG i = 0; i < 64; i++)
        if (Regions[i].Base == NULL) {
            Regions[i].Base = Base;
            Regions[i].Size = Size;
            return;
        }
}

static HOST_REGION *region_of(PUCHAR Base) {
    for (ULONG i = 0; i < 64; i++)
        if (Regions[i].Base == Base)
            return &Regions[i];
    return NULL;
}

static NTSTATUS allocate_vm(ULONG *Args) {
    PVOID *base = (PVOID *)Args[1];
    SIZE_T *size = (SIZE_T *)Args[3];
    ULONG type = Args[4];
    if ((HANDLE)Args[0] != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    if ((type & MEM_RESERVE) || *base == NULL) {
        ULONG bytes = (*size + 0xFFFF) & ~0xFFFFu;
        PUCHAR p = mmap(NULL, bytes + 0x10000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return STATUS_NO_MEMORY;
        PUCHAR aligned = (PUCHAR)(((ULONG)p + 0xFFFF) & ~0xFFFFu);
        if (aligned > p)
            munmap(p, aligned - p);
        munmap(aligned + bytes, (p + bytes + 0x10000) - (aligned + bytes));
        if (type & MEM_COMMIT)
            mprotect(aligned, bytes, PROT_READ | PROT_WRITE);
        remember_region(aligned, bytes);
        *base = aligned;
        *size = bytes;
        return STATUS_SUCCESS;
    }
    ULONG start = (ULONG)*base & ~(PAGE - 1), end = ((ULONG)*base + *size + PAGE - 1) & ~(PAGE - 1);
    if (mprotect((void *)start, end - start, PROT_READ | PROT_WRITE) != 0)
        return STATUS_CONFLICTING_ADDRESSES;
    *base = (PVOID)start;
    *size = end - start;
    return STATUS_SUCCESS;
}

static NTSTATUS free_vm(ULONG *Args) {
    PVOID *base = (PVOID *)Args[1];
    SIZE_T *size = (SIZE_T *)Args[2];
    if (Args[3] == MEM_RELEASE) {
        HOST_REGION *r = region_of(*base);
        if (r == NULL)
            return STATUS_MEMORY_NOT_ALLOCATED;
        munmap(r->Base, r->Size);
        *size = r->Size;
        r->Base = NULL;
        return STATUS_SUCCESS;
    }
    mprotect(*base, *size, PROT_NONE);
    return STATUS_SUCCESS;
}

/* "\SystemRoot\System32\NAME" -> "name". */
static BOOLEAN system_file(PUNICODE_STRING Path, char *Name, size_t Size) {
    static const char prefix[] = "\\SystemRoot\\System32\\";
    char narrow[512];
    ULONG chars = Path->Length / 2;
    if (chars >= sizeof narrow)
        return FALSE;
    for (ULONG i = 0; i < chars; i++)
        narrow[i] = Path->Buffer[i] < 0x80 ? (char)tolower(Path->Buffer[i]) : '?';
    narrow[chars] = 0;
    if (strncasecmp(narrow, prefix, sizeof prefix - 1) != 0 || strlen(narrow) - (sizeof prefix - 1) >= Size)
        return FALSE;
    strcpy(Name, narrow + sizeof prefix - 1);
    return TRUE;
}

static NTSTATUS serve(ULONG Number, ULONG *Args, greg_t *Regs) {
    const char *name = Number < ARRAYSIZE(ServiceNames) ? ServiceNames[Number] : "?";
    ServiceCalls++;
    if (strcmp(name, "NtAllocateVirtualMemory") == 0)
        return allocate_vm(Args);
    if (strcmp(name, "NtFreeVirtualMemory") == 0)
        return free_vm(Args);
    if (strcmp(name, "NtYieldExecution") == 0) {
        sched_yield();
        return STATUS_SUCCESS;
    }
    if (strcmp(name, "NtOpenFile") == 0) {
        POBJECT_ATTRIBUTES oa = (POBJECT_ATTRIBUTES)Args[2];
        char file[64], path[1024];
        if (!system_file(oa->ObjectName, file, sizeof file))
            return STATUS_OBJECT_PATH_NOT_FOUND;
        snprintf(path, sizeof path, "%s/%s", Dir, file);
        if (access(path, R_OK) != 0)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        *(PHANDLE)Args[0] = new_handle(1, file);
        return STATUS_SUCCESS;
    }
    if (strcmp(name, "NtCreateSection") == 0) {
        HOST_HANDLE *file = handle_of((HANDLE)Args[6], 1);
        if (file == NULL || Args[5] != SEC_IMAGE)
            return STATUS_INVALID_PARAMETER;
        *(PHANDLE)Args[0] = new_handle(2, file->Name);
        return STATUS_SUCCESS;
    }
    if (strcmp(name, "NtMapViewOfSection") == 0) {
        HOST_HANDLE *section = handle_of((HANDLE)Args[0], 2);
        if (section == NULL || (HANDLE)Args[1] != NtCurrentProcess() || *(PVOID *)Args[2] != NULL)
            return STATUS_INVALID_PARAMETER;
        ULONG size;
        NTSTATUS status = map_image(section->Name, (PVOID *)Args[2], &size);
        if (NT_SUCCESS(status)) {
            remember_region(*(PUCHAR *)Args[2], size);
            *(SIZE_T *)Args[6] = size;
        }
        return status;
    }
    if (strcmp(name, "NtUnmapViewOfSection") == 0) {
        HOST_REGION *r = region_of((PUCHAR)Args[1]);
        if (r == NULL)
            return STATUS_INVALID_PARAMETER;
        munmap(r->Base, r->Size);
        r->Base = NULL;
        return STATUS_SUCCESS;
    }
    if (strcmp(name, "NtClose") == 0) {
        HOST_HANDLE *h = handle_of((HANDLE)Args[0], 1);
        if (h == NULL)
            h = handle_of((HANDLE)Args[0], 2);
        if (h == NULL)
            return STATUS_INVALID_HANDLE;
        h->Type = 0;
        return STATUS_SUCCESS;
    }
    if (strcmp(name, "NtContinue") == 0) {
        /* Load the CONTEXT into the interrupted thread: it resumes there. */
        PCONTEXT c = (PCONTEXT)Args[0];
        Regs[REG_EIP] = c->Eip;
        Regs[REG_ESP] = c->Esp;
        Regs[REG_EBP] = c->Ebp;
        Regs[REG_EBX] = c->Ebx;
        Regs[REG_ESI] = c->Esi;
        Regs[REG_EDI] = c->Edi;
        Regs[REG_ECX] = c->Ecx;
        Regs[REG_EDX] = c->Edx;
        printf("continue at 0x%08x\n", (unsigned)c->Eip);
        return (NTSTATUS)c->Eax; /* becomes EAX */
    }
    if (strcmp(name, "NtTerminateProcess") == 0) {
        ULONG open = 0;
        for (ULONG i = 0; i < 32; i++)
            open += Handles[i].Type != 0;
        printf("exit 0x%08x, %u handles open\n", (unsigned)Args[1], (unsigned)open);
        fflush(stdout);
        _exit(0);
    }
    printf("unexpected service %u (%s)\n", (unsigned)Number, name);
    return STATUS_NOT_IMPLEMENTED;
}

static void on_fault(int Signal, siginfo_t *Info, void *Context) {
    ucontext_t *uc = Context;
    greg_t *r = uc->uc_mcontext.gregs;
    PUCHAR eip = (PUCHAR)r[REG_EIP];
    (void)Signal;
    if (eip[0] == 0xCD && eip[1] == 0x2D) {
        DbgService = (ULONG)r[REG_EAX];
        DbgLength = (ULONG)r[REG_EDX];
        ULONG n = DbgLength < sizeof DbgText - 1 ? DbgLength : sizeof DbgText - 1;
        memcpy(DbgText, (PVOID)r[REG_ECX], n);
        DbgText[n] = 0;
        if (EchoDbgPrint)
            printf("dbg %s", DbgText);
        r[REG_EIP] += 2;
        return;
    }
    if (eip[0] == 0xCD && eip[1] == 0x2E) {
        ULONG *args = (ULONG *)r[REG_EDX];
        if (StubProbe) {
            ProbeNumber = (ULONG)r[REG_EAX];
            ProbeArgOffset = (ULONG)r[REG_EDX] - (ULONG)r[REG_ESP];
            memcpy(ProbeArgs, args, sizeof ProbeArgs);
            r[REG_EAX] = 0x4000 + ProbeNumber;
            r[REG_EIP] += 2;
        } else {
            greg_t at = r[REG_EIP];
            r[REG_EAX] = serve((ULONG)r[REG_EAX], args, r);
            if (r[REG_EIP] == at) /* NtContinue moved it */
                r[REG_EIP] += 2;
        }
        return;
    }
    printf("fault at eip 0x%08x address %p\n", (unsigned)r[REG_EIP], Info->si_addr);
    fflush(stdout);
    _exit(3);
}

/* ---- calling into the DLL with full control of the stack ---- */

typedef struct _RAW_RESULT {
    ULONG Eax, Edx, Popped; /* Popped: bytes the callee took off the stack */
} RAW_RESULT;

/* Pushes Args[Count-1]..Args[0], loads EAX, ECX, EDX from In, calls Function. */
void call_raw(PVOID Function, ULONG Count, const ULONG *Args, const ULONG *In, RAW_RESULT *Out);
__asm__(".text\n"
        ".globl call_raw\n"
        "call_raw:\n"
        "    pushl %ebp\n"
        "    movl %esp, %ebp\n"
        "    pushl %ebx\n"
        "    pushl %esi\n"
        "    pushl %edi\n"
        "    movl 12(%ebp), %ecx\n"
        "    movl 16(%ebp), %esi\n"
        "1:  testl %ecx, %ecx\n"
        "    jz 2f\n"
        "    decl %ecx\n"
        "    pushl (%esi,%ecx,4)\n"
        "    jmp 1b\n"
        "2:  movl %esp, %edi\n"
        "    movl 20(%ebp), %ebx\n"
        "    movl 0(%ebx), %eax\n"
        "    movl 4(%ebx), %ecx\n"
        "    movl 8(%ebx), %edx\n"
        "    call *8(%ebp)\n"
        "    movl 24(%ebp), %ebx\n"
        "    movl %eax, 0(%ebx)\n"
        "    movl %edx, 4(%ebx)\n"
        "    movl %esp, %eax\n"
        "    subl %edi, %eax\n"
        "    movl %eax, 8(%ebx)\n"
        "    leal -12(%ebp), %esp\n"
        "    popl %edi\n"
        "    popl %esi\n"
        "    popl %ebx\n"
        "    popl %ebp\n"
        "    ret\n");

/* ---- unit checks ---- */

static void check_stubs(void) {
    StubProbe = TRUE;
    for (ULONG n = 0; n < ARRAYSIZE(ServiceNames); n++) {
        char zw[96];
        snprintf(zw, sizeof zw, "Zw%s", ServiceNames[n] + 2);
        PVOID nt = ntdll_export(ServiceNames[n]), zwp = ntdll_export(zw);
        if (nt == NULL || nt != zwp) {
            report(FALSE, "stub", "%s: not exported, or not one address with %s", ServiceNames[n], zw);
            continue;
        }
        ULONG args[32], in[3] = {0xAAAA, 0xCCCC, 0xDDDD};
        ULONG count = ServiceBytes[n] / 4;
        for (ULONG i = 0; i < count; i++)
            args[i] = 0x100 * (n + 1) + i;
        RAW_RESULT out;
        ProbeNumber = 0xFFFFFFFF;
        call_raw(nt, count, args, in, &out);
        BOOLEAN ok = ProbeNumber == n && out.Eax == 0x4000 + n && out.Popped == ServiceBytes[n] &&
                     ProbeArgOffset == 4 && memcmp(ProbeArgs, args, count * 4) == 0;
        report(ok, "stub", "%s: eax=%u edx=esp+%u popped %u of %u, returned 0x%x", ServiceNames[n],
               (unsigned)ProbeNumber, (unsigned)ProbeArgOffset, (unsigned)out.Popped,
               (unsigned)ServiceBytes[n], (unsigned)out.Eax);
    }
    StubProbe = FALSE;
}

static void check_dbgprint(void) {
    ULONG (*print)(PCSTR, ...) = (ULONG(*)(PCSTR, ...))ntdll_export("DbgPrint");
    if (print == NULL) {
        report(FALSE, "dbgprint", "not exported");
        return;
    }
    DbgText[0] = 0;
    ULONG result = print("x=%d %s|%04x", 5, "ab", 0x2Au);
    report(result == 0 && DbgService == BREAKPOINT_PRINT && strcmp(DbgText, "x=5 ab|002a") == 0 &&
               DbgLength == 11,
           "dbgprint", "int 0x2d eax=%u edx=%u text '%s' returned %u", (unsigned)DbgService,
           (unsigned)DbgLength, DbgText, (unsigned)result);
    char big[700];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = 0;
    result = print("%s", big);
    BOOLEAN all_q = TRUE;
    for (ULONG i = 0; i < DbgLength && i < sizeof DbgText; i++)
        all_q = all_q && DbgText[i] == 'q';
    report(result == 0 && DbgLength == 511 && all_q, "dbgprint", "a 699-byte text is cut to %u bytes",
           (unsigned)DbgLength);
}

static void check_crt(void) {
    char buffer[64];
    char *(*strcpy_)(char *, const char *) = (char *(*)(char *, const char *))ntdll_export("strcpy");
    char *(*strcat_)(char *, const char *) = (char *(*)(char *, const char *))ntdll_export("strcat");
    char *(*strchr_)(const char *, int) = (char *(*)(const char *, int))ntdll_export("strchr");
    char *(*strrchr_)(const char *, int) = (char *(*)(const char *, int))ntdll_export("strrchr");
    size_t (*strlen_)(const char *) = (size_t(*)(const char *))ntdll_export("strlen");
    size_t (*wcslen_)(const WCHAR *) = (size_t(*)(const WCHAR *))ntdll_export("wcslen");
    int (*strcmp_)(const char *, const char *) = (int (*)(const char *, const char *))ntdll_export("strcmp");
    int (*memcmp_)(const void *, const void *, size_t) =
        (int (*)(const void *, const void *, size_t))ntdll_export("memcmp");
    void *(*memmove_)(void *, const void *, size_t) =
        (void *(*)(void *, const void *, size_t))ntdll_export("memmove");
    void *(*memset_)(void *, int, size_t) = (void *(*)(void *, int, size_t))ntdll_export("memset");
    int (*sprintf_)(char *, const char *, ...) = (int (*)(char *, const char *, ...))ntdll_export("sprintf");
    int (*snprintf_)(char *, size_t, const char *, ...) =
        (int (*)(char *, size_t, const char *, ...))ntdll_export("_snprintf");

    strcpy_(buffer, "abc");
    strcat_(buffer, "def");
    report(strcmp(buffer, "abcdef") == 0 && strlen_(buffer) == 6, "crt", "strcpy strcat strlen: '%s'",
           buffer);
    report(strchr_(buffer, 'c') == buffer + 2 && strchr_(buffer, 'z') == NULL &&
               strchr_(buffer, 0) == buffer + 6 && strrchr_("a/b/c", '/') != NULL &&
               strcmp(strrchr_("a/b/c", '/'), "/c") == 0,
           "crt", "strchr strrchr");
    static const WCHAR wide[] = {'h', 'i', 0};
    report(wcslen_(wide) == 2 && strcmp_("a", "b") < 0 && strcmp_("b", "b") == 0 &&
               memcmp_("ab", "ac", 2) < 0,
           "crt", "wcslen strcmp memcmp");
    strcpy(buffer, "0123456789");
    memmove_(buffer + 2, buffer, 5);
    report(strcmp(buffer, "0101234789") == 0, "crt", "memmove overlapping: '%s'", buffer);
    memset_(buffer, 'x', 3);
    report(memcmp(buffer, "xxx1234789", 10) == 0, "crt", "memset");
    int n = sprintf_(buffer, "%s-%d-%X", "v", -7, 0xBEEFu);
    report(n == 9 && strcmp(buffer, "v--7-BEEF") == 0, "crt", "sprintf: %d '%s'", n, buffer);
    memset(buffer, '#', sizeof buffer);
    n = snprintf_(buffer, 8, "%s", "short");
    report(n == 5 && strcmp(buffer, "short") == 0, "crt", "_snprintf that fits: %d", n);
    memset(buffer, '#', sizeof buffer);
    n = snprintf_(buffer, 5, "%s", "exact");
    report(n == 5 && memcmp(buffer, "exact#", 6) == 0, "crt", "_snprintf of exactly Count: %d, no NUL", n);
    memset(buffer, '#', sizeof buffer);
    n = snprintf_(buffer, 4, "%s", "too long");
    report(n == -1 && memcmp(buffer, "too #", 5) == 0, "crt", "_snprintf too long: %d, Count chars, no NUL",
           n);
}

static void check_arithmetic(void) {
    static const LONGLONG values[] = {0,
                                      1,
                                      -1,
                                      7,
                                      -7,
                                      0x123456789ALL,
                                      -0x123456789ALL,
                                      0x7FFFFFFFFFFFFFFFLL,
                                      (LONGLONG)0x8000000000000001ULL,
                                      1000000007,
                                      3};
    static const ULONG counts[] = {0, 1, 4, 31, 32, 33, 47, 63, 64, 100};
    PVOID alldiv = ntdll_export("_alldiv"), allrem = ntdll_export("_allrem"),
          allmul = ntdll_export("_allmul");
    PVOID aulldiv = ntdll_export("_aulldiv"), aullrem = ntdll_export("_aullrem");
    PVOID allshl = ntdll_export("_allshl"), allshr = ntdll_export("_allshr"),
          aullshr = ntdll_export("_aullshr");
    ULONG bad = 0, done = 0;
    for (ULONG i = 0; i < ARRAYSIZE(values); i++) {
        for (ULONG j = 0; j < ARRAYSIZE(values); j++) {
            LONGLONG a = values[i], b = values[j];
            ULONG args[4] = {(ULONG)a, (ULONG)((ULONGLONG)a >> 32), (ULONG)b, (ULONG)((ULONGLONG)b >> 32)};
            ULONG in[3] = {0, 0, 0};
            RAW_RESULT r;
            call_raw(allmul, 4, args, in, &r);
            bad += r.Popped != 16 || (((ULONGLONG)r.Edx << 32) | r.Eax) != (ULONGLONG)a * (ULONGLONG)b;
            done++;
            if (b == 0 || (a == (LONGLONG)0x8000000000000000ULL && b == -1))
                continue;
            call_raw(alldiv, 4, args, in, &r);
            bad += r.Popped != 16 || (LONGLONG)(((ULONGLONG)r.Edx << 32) | r.Eax) != a / b;
            call_raw(allrem, 4, args, in, &r);
            bad += r.Popped != 16 || (LONGLONG)(((ULONGLONG)r.Edx << 32) | r.Eax) != a % b;
            call_raw(aulldiv, 4, args, in, &r);
            bad += r.Popped != 16 || (((ULONGLONG)r.Edx << 32) | r.Eax) != (ULONGLONG)a / (ULONGLONG)b;
            call_raw(aullrem, 4, args, in, &r);
            bad += r.Popped != 16 || (((ULONGLONG)r.Edx << 32) | r.Eax) != (ULONGLONG)a % (ULONGLONG)b;
            done += 4;
        }
    }
    report(bad == 0 && done > 400, "arithmetic", "_allmul _alldiv _allrem _aulldiv _aullrem: %u of %u wrong",
           (unsigned)bad, (unsigned)done);
    bad = done = 0;
    for (ULONG i = 0; i < ARRAYSIZE(values); i++) {
        for (ULONG j = 0; j < ARRAYSIZE(counts); j++) {
            LONGLONG a = values[i];
            ULONG c = counts[j];
            ULONG in[3] = {(ULONG)a, c, (ULONG)((ULONGLONG)a >> 32)};
            RAW_RESULT r;
            ULONGLONG shl = c >= 64 ? 0 : (ULONGLONG)a << c;
            LONGLONG shr = c >= 64 ? (a < 0 ? -1 : 0) : a >> c;
            ULONGLONG ushr = c >= 64 ? 0 : (ULONGLONG)a >> c;
            call_raw(allshl, 0, NULL, in, &r);
            bad += r.Popped != 0 || (((ULONGLONG)r.Edx << 32) | r.Eax) != shl;
            call_raw(allshr, 0, NULL, in, &r);
            bad += r.Popped != 0 || (LONGLONG)(((ULONGLONG)r.Edx << 32) | r.Eax) != shr;
            call_raw(aullshr, 0, NULL, in, &r);
            bad += r.Popped != 0 || (((ULONGLONG)r.Edx << 32) | r.Eax) != ushr;
            done += 3;
        }
    }
    report(bad == 0 && done > 300, "arithmetic", "_allshl _allshr _aullshr: %u of %u wrong", (unsigned)bad,
           (unsigned)done);
}

static void check_heap_and_strings(void) {
    PVOID(STDCALL * create)(ULONG, PVOID, SIZE_T, SIZE_T, PVOID, PVOID) = ntdll_export("RtlCreateHeap");
    PVOID(STDCALL * allocate)(PVOID, ULONG, SIZE_T) = ntdll_export("RtlAllocateHeap");
    BOOLEAN(STDCALL * release)(PVOID, ULONG, PVOID) = ntdll_export("RtlFreeHeap");
    BOOLEAN(STDCALL * from_asciiz)(PUNICODE_STRING, PCSTR) = ntdll_export("RtlCreateUnicodeStringFromAsciiz");
    VOID(STDCALL * free_unicode)(PUNICODE_STRING) = ntdll_export("RtlFreeUnicodeString");
    ULONG calls = ServiceCalls;
    PVOID heap = create(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    report(heap != NULL && ServiceCalls > calls, "heap", "RtlCreateHeap through NtAllocateVirtualMemory: %p",
           heap);
    if (heap == NULL)
        return;
    Peb.ProcessHeap = heap;
    char *block = allocate(heap, HEAP_ZERO_MEMORY, 100);
    BOOLEAN zero = block != NULL;
    for (ULONG i = 0; zero && i < 100; i++)
        zero = block[i] == 0;
    report(zero && ((ULONG)block & 7) == 0 && release(heap, 0, block), "heap",
           "allocate, zeroed, aligned, free");
    UNICODE_STRING text = {0, 0, NULL};
    BOOLEAN made = from_asciiz(&text, "Daytona");
    report(made && text.Length == 14 && text.Buffer[0] == 'D' && text.Buffer[7] == 0, "heap",
           "RtlCreateUnicodeStringFromAsciiz on the process heap");
    free_unicode(&text);
    report(text.Buffer == NULL, "heap", "RtlFreeUnicodeString");
}

static void check_critical_sections(void) {
    NTSTATUS(STDCALL * init)(PRTL_CRITICAL_SECTION) = ntdll_export("RtlInitializeCriticalSection");
    NTSTATUS(STDCALL * enter)(PRTL_CRITICAL_SECTION) = ntdll_export("RtlEnterCriticalSection");
    NTSTATUS(STDCALL * leave)(PRTL_CRITICAL_SECTION) = ntdll_export("RtlLeaveCriticalSection");
    BOOLEAN(STDCALL * try_enter)(PRTL_CRITICAL_SECTION) = ntdll_export("RtlTryEnterCriticalSection");
    RTL_CRITICAL_SECTION cs;
    ULONG calls = ServiceCalls;
    init(&cs);
    enter(&cs);
    BOOLEAN owned =
        cs.OwningThread == Teb.ClientId.UniqueThread && cs.LockCount == 0 && cs.RecursionCount == 1;
    BOOLEAN again = try_enter(&cs) && cs.LockCount == 1 && cs.RecursionCount == 2;
    leave(&cs);
    leave(&cs);
    report(owned && again && cs.LockCount == -1 && cs.OwningThread == NULL && ServiceCalls == calls,
           "critsect", "owner from fs:[0x18]->ClientId, recursion, no system call");
}

/* ---- a whole process ---- */

static void run_process(const char *Exe, BOOLEAN WithParameters) {
    PVOID image;
    ULONG size;
    NTSTATUS status = map_image(Exe, &image, &size);
    if (!NT_SUCCESS(status)) {
        printf("cannot map %s: 0x%08x\n", Exe, (unsigned)status);
        return;
    }
    Peb.ImageBaseAddress = image;
    if (WithParameters) {
        /* The creator's side, with the DLL's own routines. */
        PVOID(STDCALL * create)(ULONG, PVOID, SIZE_T, SIZE_T, PVOID, PVOID) = ntdll_export("RtlCreateHeap");
        NTSTATUS(STDCALL * make)
        (PRTL_USER_PROCESS_PARAMETERS *, PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING,
         PVOID, PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING, PUNICODE_STRING) =
            ntdll_export("RtlCreateProcessParameters");
        Peb.ProcessHeap = create(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
        static WCHAR path[128];
        char text[128];
        snprintf(text, sizeof text, "\\SystemRoot\\System32\\%s", Exe);
        for (ULONG i = 0; i <= strlen(text); i++)
            path[i] = (UCHAR)text[i];
        UNICODE_STRING image_path = {(USHORT)(strlen(text) * 2), (USHORT)(strlen(text) * 2 + 2), path};
        PRTL_USER_PROCESS_PARAMETERS params = NULL;
        status = make(&params, &image_path, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        if (!NT_SUCCESS(status)) {
            printf("RtlCreateProcessParameters: 0x%08x\n", (unsigned)status);
            return;
        }
        Peb.ProcessParameters = params; /* the travelling form: the loader normalizes it */
    }
    /* The thread: a stack with the entry point's frame, and its CONTEXT. */
    PUCHAR stack = mmap(NULL, 0x100000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ULONG *top = (ULONG *)(stack + 0x100000);
    top[-1] = (ULONG)&Peb;
    top[-2] = 0;
    static CONTEXT context;
    memset(&context, 0, sizeof context);
    context.ContextFlags = CONTEXT_FULL;
    context.Eip = (ULONG)image + RtlImageNtHeader(image)->OptionalHeader.AddressOfEntryPoint;
    context.Esp = (ULONG)(top - 2);
    context.Eax = context.Eip;
    context.Ebx = (ULONG)&Peb;
    context.EFlags = EFLAGS_INTERRUPT_MASK;
    EchoDbgPrint = TRUE;
    VOID(STDCALL * thunk)(PCONTEXT, PVOID) = ntdll_export("LdrInitializeThunk");
    thunk(&context, Ntdll);
    printf("LdrInitializeThunk returned\n");
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    Dir = argv[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &action, NULL);

    /* fs: -> the TEB, as the kernel's KGDT_R3_TEB selector is. */
    struct user_desc descriptor;
    memset(&descriptor, 0, sizeof descriptor);
    descriptor.entry_number = (unsigned)-1;
    descriptor.base_addr = (unsigned)&Teb;
    descriptor.limit = sizeof Teb - 1;
    descriptor.seg_32bit = 1;
    descriptor.useable = 1;
    if (syscall(SYS_set_thread_area, &descriptor) != 0) {
        printf("set_thread_area failed\n");
        return 2;
    }
    USHORT selector = (USHORT)(descriptor.entry_number << 3 | 3);
    __asm__ volatile("movw %0, %%fs" : : "r"(selector));
    Teb.NtTib.ExceptionList = (PVOID)-1;
    Teb.NtTib.Self = &Teb.NtTib;
    Teb.ClientId.UniqueProcess = (HANDLE)0x40;
    Teb.ClientId.UniqueThread = (HANDLE)0x44;
    Teb.ProcessEnvironmentBlock = &Peb;
    Peb.NumberOfProcessors = 1;
    Peb.OSMajorVersion = 3;
    Peb.OSMinorVersion = 51;

    PVOID base;
    NTSTATUS status = map_image("ntdll.dll", &base, &NtdllSize);
    if (status != STATUS_SUCCESS || base != (PVOID)MM_NTDLL_BASE) {
        printf("cannot lay out ntdll.dll at its base: 0x%08x\n", (unsigned)status);
        return 2;
    }
    Ntdll = base;

    if (strcmp(argv[2], "units") == 0) {
        check_stubs();
        check_dbgprint();
        check_heap_and_strings(); /* first: _snprintf needs the process heap */
        check_crt();
        check_arithmetic();
        check_critical_sections();
        printf("done, %u failures\n", (unsigned)Failures);
        return 0;
    }
    if (strcmp(argv[2], "process") == 0 && argc >= 4) {
        run_process(argv[3], argc < 5 || strcmp(argv[4], "noparams") != 0);
        return 1;
    }
    return 2;
}

#else

/* ======================= the host test ======================= */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nt/services.h>

#include "unit.h"

#define MINGW_GCC "i686-w64-mingw32-gcc"
#define MINGW_DLLTOOL "i686-w64-mingw32-dlltool"
#define KERNEL_GCC "i686-linux-gnu-gcc"

static char RootDir[PATH_MAX], NtdllPath[PATH_MAX], WorkDir[PATH_MAX];
static BOOLEAN RunnerBuilt, FixturesBuilt;
static char *UnitReport, *HelloReport, *MissReport, *BareReport;

static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(Buffer, Size, Format, args);
    va_end(args);
    return n >= 0 && (size_t)n < Size;
}

/* The fixtures: a native program, a DLL it imports (with an entry point that
 * prints), and one it loads at run time (wanting the same base, so it is
 * relocated; its answer goes through a relocated pointer). */
static const struct {
    const char *Name, *Text;
} Sources[] = {
    {"greet.c", "unsigned long DbgPrint(const char *, ...);\n"
                "static int attached;\n"
                "int __stdcall DllMain(void *h, unsigned long reason, void *reserved) {\n"
                "    (void)h;\n"
                "    DbgPrint(\"greet: DllMain %lu %lu\\n\", reason, (unsigned long)reserved);\n"
                "    if (reason == 1) attached = 40;\n"
                "    return 1;\n"
                "}\n"
                "int Greet(int x) { return attached + x; }\n"},
    {"greet.def", "LIBRARY greet.dll\nEXPORTS\n    Greet\n"},
    {"second.c", "unsigned long DbgPrint(const char *, ...);\n"
                 "int counter = 5;\n"
                 "int *counter_ptr = &counter;\n"
                 "int __stdcall DllMain(void *h, unsigned long reason, void *reserved) {\n"
                 "    (void)h;\n"
                 "    DbgPrint(\"second: DllMain %lu %lu\\n\", reason, (unsigned long)reserved);\n"
                 "    return 1;\n"
                 "}\n"
                 "int Second(void) { return *counter_ptr * 2; }\n"},
    {"second.def", "LIBRARY second.dll\nEXPORTS\n    Second\n"},
    {"crt.def", "LIBRARY ntdll.dll\nEXPORTS\n    _snprintf\n    strlen\n"},
    {"hello.c",
     "typedef struct { unsigned short Length, MaximumLength; unsigned short *Buffer; } US;\n"
     "typedef struct { unsigned short Length, MaximumLength; char *Buffer; } AS;\n"
     "typedef struct { void *a; long b, c; void *d, *e; unsigned long f; } CS;\n"
     "long __stdcall LdrLoadDll(void *, void *, US *, void **);\n"
     "long __stdcall LdrGetProcedureAddress(void *, AS *, unsigned long, void **);\n"
     "long __stdcall LdrUnloadDll(void *);\n"
     "long __stdcall NtTerminateProcess(void *, long);\n"
     "long __stdcall RtlInitializeCriticalSection(CS *);\n"
     "long __stdcall RtlEnterCriticalSection(CS *);\n"
     "long __stdcall RtlLeaveCriticalSection(CS *);\n"
     "void *__stdcall RtlAllocateHeap(void *, unsigned long, unsigned long);\n"
     "unsigned long DbgPrint(const char *, ...);\n"
     "int _snprintf(char *, unsigned, const char *, ...);\n"
     "unsigned strlen(const char *);\n"
     "int Greet(int);\n"
     "static unsigned short second_name[] = {'s','e','c','o','n','d',0};\n"
     "void entry(void) {\n"
     "    void *peb; __asm__(\"movl %%fs:0x30, %0\" : \"=r\"(peb));\n"
     "    void *heap = ((void **)peb)[6];\n"
     "    char *text = RtlAllocateHeap(heap, 0, 32);\n"
     "    int n = _snprintf(text, 32, \"%d+%d\", 40, 2);\n"
     "    DbgPrint(\"hello: Greet(2) = %d, text %s (%d)\\n\", Greet(2), text, (int)strlen(text) + n);\n"
     "    US name = {12, 14, second_name};\n"
     "    void *dll = 0, *fn = 0;\n"
     "    long status = LdrLoadDll(0, 0, &name, &dll);\n"
     "    AS proc = {6, 6, \"SecondXX\"};\n"
     "    if (status >= 0) status = LdrGetProcedureAddress(dll, &proc, 0, &fn);\n"
     "    int value = status >= 0 ? ((int (*)(void))fn)() : -1;\n"
     "    DbgPrint(\"hello: Second() = %d\\n\", value);\n"
     "    if (status >= 0) status = LdrUnloadDll(dll);\n"
     "    CS cs; RtlInitializeCriticalSection(&cs); RtlEnterCriticalSection(&cs);\n"
     "    RtlLeaveCriticalSection(&cs);\n"
     "    NtTerminateProcess((void *)-1, status < 0 ? status : 0x1000 + Greet(2) + value);\n"
     "}\n"},
    {"nosuch.def", "LIBRARY nosuch.dll\nEXPORTS\n    Thing\n"},
    {"miss.c", "int Thing(void);\nvoid entry(void) { Thing(); }\n"},
};

static const char *const Commands[] = {
    MINGW_DLLTOOL " -d greet.def -l libgreet.a",
    MINGW_DLLTOOL " -d crt.def -l libcrt.a",
    MINGW_DLLTOOL " -d nosuch.def -l libnosuch.a",
    MINGW_GCC
    " -shared -nostdlib -O1 -Wl,-e,_DllMain@12 -Wl,--image-base,0x10000000 -o greet.dll greet.c greet.def"
    " -lntdll",
    MINGW_GCC " -shared -nostdlib -O1 -Wl,-e,_DllMain@12 -Wl,--image-base,0x10000000 -o second.dll second.c"
              " second.def -lntdll",
    MINGW_GCC " -nostdlib -O1 -Wl,-e,_entry -Wl,--subsystem,native -Wl,--enable-stdcall-fixup -o hello.exe "
              "hello.c -L. -lgreet -lcrt -lntdll",
    MINGW_GCC " -nostdlib -O1 -Wl,-e,_entry -Wl,--subsystem,native -o miss.exe miss.c -L. -lnosuch",
};

static BOOLEAN run(const char *Command) {
    char line[PATH_MAX + 1024];
    formatf(line, sizeof line, "cd '%s' && { %s ; } >>build.log 2>&1", WorkDir, Command);
    int rc = system(line);
    if (rc != 0)
        printf("command failed (%d): %s\n", rc, Command);
    return rc == 0;
}

static char *read_text(const char *Name) {
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/%s", WorkDir, Name);
    unsigned char *text = NULL;
    size_t size;
    if (!UtReadFile(path, &text, &size)) {
        free(text);
        return NULL;
    }
    return (char *)text;
}

static BOOLEAN find_paths(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return FALSE;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return FALSE;
    *slash = 0;
    formatf(NtdllPath, sizeof NtdllPath, "%s/../system32/ntdll.dll", exe);
    formatf(RootDir, sizeof RootDir, "%s", exe);
    for (int up = 0; up < 8; up++) {
        char probe[PATH_MAX + 64];
        formatf(probe, sizeof probe, "%s/tests/unit/test_ntdll_run.c", RootDir);
        if (access(probe, R_OK) == 0)
            return TRUE;
        slash = strrchr(RootDir, '/');
        if (slash == NULL || slash == RootDir)
            return FALSE;
        *slash = 0;
    }
    return FALSE;
}

/* Runs the i386 runner with Arguments; its output, or NULL. */
static char *run_runner(const char *Arguments, const char *Output) {
    char command[PATH_MAX + 256];
    formatf(command, sizeof command, "timeout 60 ./run32 . %s > %s 2>&1", Arguments, Output);
    if (!run(command))
        printf("the runner failed: %s\n", Arguments);
    return read_text(Output);
}

static void setup(void) {
    if (!find_paths())
        return;
    formatf(WorkDir, sizeof WorkDir, "ntdll_run.XXXXXX");
    if (mkdtemp(WorkDir) == NULL)
        return;
    for (ULONG i = 0; i < ARRAYSIZE(Sources); i++) {
        char path[PATH_MAX + 64];
        formatf(path, sizeof path, "%s/%s", WorkDir, Sources[i].Name);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return;
        fputs(Sources[i].Text, f);
        fclose(f);
    }
    char command[4 * PATH_MAX];
    formatf(command, sizeof command,
            KERNEL_GCC " -std=c11 -O1 -static -Wall -Wextra -Werror -DNTDLL_RUN32 -I'%s/libs/include'"
                       " -o run32 '%s/tests/unit/test_ntdll_run.c' '%s/libs/rtl/image.c'",
            RootDir, RootDir, RootDir);
    RunnerBuilt = run(command);
    formatf(command, sizeof command, "cp '%s' ntdll.dll", NtdllPath);
    FixturesBuilt = run(command);
    for (ULONG i = 0; i < ARRAYSIZE(Commands) && FixturesBuilt; i++)
        FixturesBuilt = run(Commands[i]);
    if (!RunnerBuilt || !FixturesBuilt)
        return;
    UnitReport = run_runner("units", "units.out");
    HelloReport = run_runner("process hello.exe", "hello.out");
    MissReport = run_runner("process miss.exe", "miss.out");
    BareReport = run_runner("process hello.exe noparams", "bare.out");
}

/* Every "ok Group ..." / "not ok Group ..." line of the unit report: at
 * least Minimum of them, none failed. */
static void check_group(const char *Group, ULONG Minimum) {
    char ok[64], bad[64];
    ULONG passed = 0;
    if (!CHECK(UnitReport != NULL))
        return;
    formatf(ok, sizeof ok, "ok %s ", Group);
    formatf(bad, sizeof bad, "not ok %s ", Group);
    for (const char *line = UnitReport; *line != 0;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, ok, strlen(ok)) == 0)
            passed++;
        if (strncmp(line, bad, strlen(bad)) == 0)
            ut_check(FALSE, "the runner's check", __FILE__, __LINE__),
                printf("    %.*s\n", (int)length, line);
        line += length + (end ? 1 : 0);
    }
    if (!CHECK(passed >= Minimum))
        printf("    %u '%s' lines, expected %u\n", (unsigned)passed, Group, (unsigned)Minimum);
}

#define SERVICE_ONE(Name, Bytes) +1
enum { SERVICE_COUNT = 0 NT_SERVICE_TABLE(SERVICE_ONE) };
#undef SERVICE_ONE

TEST(the_runner_and_fixtures_build) {
    CHECK(RunnerBuilt);
    CHECK(FixturesBuilt);
    CHECK(UnitReport != NULL && strstr(UnitReport, "done, 0 failures") != NULL);
}

TEST(every_stub_raises_int_2e_with_its_number_and_arguments_and_pops_them) {
    check_group("stub", SERVICE_COUNT);
}

TEST(dbgprint_hands_the_text_to_int_2d_and_cuts_it_at_511_bytes) {
    check_group("dbgprint", 2);
}

TEST(the_c_run_time_exports_behave) {
    check_group("crt", 9);
}

TEST(the_64_bit_helpers_compute_and_pop_as_microsofts) {
    check_group("arithmetic", 2);
}

TEST(the_heap_and_string_memory_run_on_the_services) {
    check_group("heap", 4);
}

TEST(critical_sections_find_their_owner_through_fs) {
    check_group("critsect", 1);
}

/* Lines of Report, in order, each expected as a prefix. */
static void check_lines(const char *Report, const char *const *Expected, ULONG Count) {
    if (!CHECK(Report != NULL))
        return;
    const char *at = Report;
    for (ULONG i = 0; i < Count; i++) {
        const char *found = strstr(at, Expected[i]);
        if (!CHECK(found != NULL)) {
            printf("    missing, in order: '%s'\n    the runner said:\n%s\n", Expected[i], Report);
            return;
        }
        at = found + strlen(Expected[i]);
    }
}

TEST(a_native_program_starts_runs_loads_a_dll_and_exits) {
    static const char *const expected[] = {
        "dbg greet: DllMain 1 1\n", /* static load: Reserved = 1 */
        "continue at 0x",           /* NtContinue to the entry point */
        "dbg hello: Greet(2) = 42, text 40+2 (8)\n",
        "dbg second: DllMain 1 0\n",  /* LdrLoadDll: Reserved = NULL */
        "dbg hello: Second() = 10\n", /* relocated: its pointer was fixed */
        "dbg second: DllMain 0 0\n",  /* LdrUnloadDll */
        "exit 0x00001034, 0 handles open\n",
    };
    check_lines(HelloReport, expected, ARRAYSIZE(expected));
    CHECK(HelloReport != NULL && strstr(HelloReport, "unexpected service") == NULL);
    CHECK(HelloReport != NULL && strstr(HelloReport, "LDR:") == NULL);
}

TEST(a_program_without_parameters_starts_too) {
    static const char *const expected[] = {"dbg greet: DllMain 1 1\n", "exit 0x00001034, 0 handles open\n"};
    check_lines(BareReport, expected, ARRAYSIZE(expected));
}

TEST(a_program_needing_a_missing_dll_ends_with_dll_not_found) {
    static const char *const expected[] = {
        "dbg LDR: DLL nosuch.dll not found (needed by miss.exe)\n",
        "exit 0xc0000135, 0 handles open\n",
    };
    check_lines(MissReport, expected, ARRAYSIZE(expected));
    CHECK(MissReport != NULL && strstr(MissReport, "continue at") == NULL);
}

int main(void) {
    setup();

    RUN(the_runner_and_fixtures_build);
    RUN(every_stub_raises_int_2e_with_its_number_and_arguments_and_pops_them);
    RUN(dbgprint_hands_the_text_to_int_2d_and_cuts_it_at_511_bytes);
    RUN(the_c_run_time_exports_behave);
    RUN(the_64_bit_helpers_compute_and_pop_as_microsofts);
    RUN(the_heap_and_string_memory_run_on_the_services);
    RUN(critical_sections_find_their_owner_through_fs);
    RUN(a_native_program_starts_runs_loads_a_dll_and_exits);
    RUN(a_program_without_parameters_starts_too);
    RUN(a_program_needing_a_missing_dll_ends_with_dll_not_found);

    int rc = UtFinish();
    if (rc == 0 && WorkDir[0] != 0) {
        char command[PATH_MAX + 32];
        formatf(command, sizeof command, "rm -rf '%s'", WorkDir);
        if (system(command) != 0)
            printf("could not remove %s\n", WorkDir);
    }
    return rc;
}

#endif
