/*
 * test_ntdll_ldr.c - ntdll's loader binds real mingw-built programs and DLLs
 * the way NT does: every import address table slot holds the run address of
 * the right export, forwarders and ordinals included; DLLs load depth first
 * and initialize dependencies first; a missing DLL or export is named and
 * undone; load counts, unloading, thread and shutdown calls; and
 * LdrInitializeThunk drives it all through the Nt services.
 *
 * Why: the loader runs before any program code and cannot be debugged in the
 * OS yet (the kernel's file, section and process services are still being
 * written), so it is run here against the real thing: at start-up the test
 * builds with i686-w64-mingw32-gcc and dlltool a family of DLLs (with
 * relocations, entry points, exports by name, by ordinal only, and
 * forwarders by name and by ordinal) and programs importing from them and,
 * through mingw's own libntdll.a, from the built ntdll.dll. The loader core
 * (libs/ntdll/ldrcore.c) and the real start-up code (ldrinit.c) are
 * #included and given a host "mapper": it reads an image file, lays it out
 * with RtlLayoutImage at its preferred base (a real mmap at that 32-bit
 * address) or, when that is taken or the test says so, elsewhere, as the
 * kernel's NtMapViewOfSection will. Entry points are recorded, not run.
 * What the loader wrote is checked against `objdump -p`, a reader that
 * shares no code with it.
 */
#include <ctype.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../libs/ntdll/critsect.c"
#include "../../libs/ntdll/ldrcore.c"
#include "../../libs/ntdll/ldrinit.c"
#include "../../libs/ntdll/rtlparam.c"
#include "unit.h"

#define MINGW_GCC "i686-w64-mingw32-gcc"
#define MINGW_DLLTOOL "i686-w64-mingw32-dlltool"
#define MINGW_OBJDUMP "i686-w64-mingw32-objdump"

/* ---- the fixtures ---- */

typedef struct _FIXTURE_FILE {
    const char *Name;
    const char *Text;
} FIXTURE_FILE;

static const FIXTURE_FILE FixtureFiles[] = {
    {"c.c",
     "int CValue = 7;\n"
     "int *CPtr = &CValue;\n" /* a HIGHLOW relocation */
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int CFunc(void) { return *CPtr; }\n"
     "int CHidden(void) { return 3; }\n"},
    {"c.def",
     "LIBRARY c.dll\nEXPORTS\n    CFunc @1\n    CHidden @2 NONAME\n    CValue @3 DATA\n    CPtr @4 DATA\n"},
    {"b.c",
     "int CFunc(void);\n"
     "int BValue = 9;\n"
     "int *BPtr = &BValue;\n"
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int BFunc1(void) { return CFunc() + *BPtr; }\n"
     "int BFunc2(void) { return 2; }\n"
     "int BHidden(void) { return 5; }\n"},
    {"b.def",
     "LIBRARY b.dll\nEXPORTS\n    BFunc1 @1\n    BFunc2 @2\n    BHidden @3 NONAME\n    BValue @4 DATA\n"
     "    BPtr @5 DATA\n"},
    {"a.c",
     "int BFunc1(void);\n"
     "long __stdcall NtClose(void *);\n"
     "int AValue = 1;\n"
     "int *APtr = &AValue;\n"
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int AFunc(void) { return BFunc1() + (int)NtClose(0) + *APtr; }\n"},
    {"a.def",
     "LIBRARY a.dll\nEXPORTS\n    AFunc @1\n    AFwd = b.BFunc2 @2\n    AFwdOrd = \"b.#3\" @3\n"
     "    AFwdNt = ntdll.NtClose @4\n    AFwdMissing = b.Nothing @5\n    AFwdNoDll = nosuch.Thing @6\n"
     "    AFwdLoop = a.AFwdLoop @7\n    APtr @8 DATA\n    AValue @9 DATA\n"},
    /* What the programs link against. */
    {"aimp.def", "LIBRARY a.dll\nEXPORTS\n    AFunc @1\n    AFwd @2\n    AFwdOrd @3\n    AFwdNt @4\n"},
    {"bimp.def", "LIBRARY b.dll\nEXPORTS\n    BHidden @3 NONAME\n"},
    {"nosuch.def", "LIBRARY nosuch.dll\nEXPORTS\n    Thing\n"},
    {"cmiss.def", "LIBRARY c.dll\nEXPORTS\n    CMissing\n"},
    {"cnine.def", "LIBRARY c.dll\nEXPORTS\n    CNine @9 NONAME\n"},
    {"app.c",
     "int AFunc(void);\n"
     "int AFwd(void);\n"
     "int AFwdOrd(void);\n"
     "long AFwdNt(void *);\n"
     "int BHidden(void);\n"
     "extern int __declspec(dllimport) CValue;\n"
     "long __stdcall NtClose(void *);\n"
     "long __stdcall ZwClose(void *);\n"
     "long __stdcall RtlEnterCriticalSection(void *);\n"
     "unsigned long DbgPrint(const char *, ...);\n"
     "int entry(void) {\n"
     "    return AFunc() + AFwd() + AFwdOrd() + (int)AFwdNt(0) + BHidden() + CValue + (int)NtClose(0) +\n"
     "           (int)ZwClose(0) + (int)RtlEnterCriticalSection(0) + (int)DbgPrint(\"x\");\n"
     "}\n"},
    {"plain.c", "long __stdcall NtClose(void *);\nint entry(void) { return (int)NtClose(0); }\n"},
    {"miss.c", "int Thing(void);\nint entry(void) { return Thing(); }\n"},
    {"missexp.c",
     "int CFunc(void);\nint CMissing(void);\nint entry(void) { return CFunc() + CMissing(); }\n"},
    {"missord.c", "int CNine(void);\nint entry(void) { return CNine(); }\n"},
    /* A cycle: cyc1 imports cyc2 imports cyc1. */
    {"cyc1.c",
     "int Cyc2Func(void);\n"
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int Cyc1Func(void) { return Cyc2Func(); }\n"},
    {"cyc1.def", "LIBRARY cyc1.dll\nEXPORTS\n    Cyc1Func\n"},
    {"cyc2.c",
     "int Cyc1Func(void);\n"
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int Cyc2Func(void) { return Cyc1Func() + 1; }\n"},
    {"cyc2.def", "LIBRARY cyc2.dll\nEXPORTS\n    Cyc2Func\n"},
    {"cycapp.c", "int Cyc1Func(void);\nint entry(void) { return Cyc1Func(); }\n"},
    /* A DLL that only forwards to one it does not import. */
    {"fwd.c",
     "int __stdcall DllMain(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
     "int FwdOwn(void) { return 1; }\n"},
    {"fwd.def", "LIBRARY fwd.dll\nEXPORTS\n    FwdOwn @1\n    FwdC = c.CFunc @2\n"},
};

#define DLL_FLAGS " -shared -nostdlib -O1 -Wl,-e,_DllMain@12 -Wl,--enable-stdcall-fixup"
#define EXE_FLAGS " -nostdlib -O1 -Wl,-e,_entry"

static const char *const FixtureCommands[] = {
    MINGW_DLLTOOL " -d c.def -l libcimp.a",
    MINGW_DLLTOOL " -d b.def -l libbfull.a",
    MINGW_DLLTOOL " -d aimp.def -l libaimp.a",
    MINGW_DLLTOOL " -d bimp.def -l libbimp.a",
    MINGW_DLLTOOL " -d nosuch.def -l libnosuch.a",
    MINGW_DLLTOOL " -d cmiss.def -l libcmiss.a",
    MINGW_DLLTOOL " -d cnine.def -l libcnine.a",
    MINGW_DLLTOOL " -d cyc1.def -l libcyc1.a",
    MINGW_DLLTOOL " -d cyc2.def -l libcyc2.a",
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x11000000 -o c.dll c.c c.def",
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x10000000 -o b.dll b.c b.def -L. -lcimp",
    /* a wants b's base: whichever maps second is relocated. */
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x10000000 -o a.dll a.c a.def -L. -lbfull -lntdll",
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x12000000 -o cyc1.dll cyc1.c cyc1.def -L. -lcyc2",
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x13000000 -o cyc2.dll cyc2.c cyc2.def -L. -lcyc1",
    MINGW_GCC DLL_FLAGS " -Wl,--image-base,0x14000000 -o fwd.dll fwd.c fwd.def",
    MINGW_GCC EXE_FLAGS " -o app.exe app.c -L. -laimp -lbimp -lcimp -lntdll",
    MINGW_GCC EXE_FLAGS " -o plain.exe plain.c -lntdll",
    MINGW_GCC EXE_FLAGS " -o miss.exe miss.c -L. -lnosuch",
    MINGW_GCC EXE_FLAGS " -o missexp.exe missexp.c -L. -lcimp -lcmiss",
    MINGW_GCC EXE_FLAGS " -o missord.exe missord.c -L. -lcnine",
    MINGW_GCC EXE_FLAGS " -o cycapp.exe cycapp.c -L. -lcyc1",
};

static const char *const Images[] = {"ntdll.dll",   "a.dll",       "b.dll",     "c.dll",     "cyc1.dll",
                                     "cyc2.dll",    "fwd.dll",     "app.exe",   "plain.exe", "miss.exe",
                                     "missexp.exe", "missord.exe", "cycapp.exe"};

static char FixtureDir[PATH_MAX];
static BOOLEAN FixturesBuilt;

/* ---- what objdump says about each image ---- */

#define MAX_ITEMS 256
#define MAX_NAME 64

typedef struct _FACTS {
    char Name[MAX_NAME];
    ULONG ImageBase, SizeOfImage, EntryPoint, OrdinalBase;
    struct {
        ULONG Rva;
        char Forwarder[MAX_NAME]; /* "" when not forwarded */
        BOOLEAN Present;
    } Eat[MAX_ITEMS];
    struct {
        char Name[MAX_NAME];
        ULONG Index;
    } Names[MAX_ITEMS];
    ULONG NameCount;
    struct {
        char Dll[MAX_NAME];
        char Name[MAX_NAME]; /* "" by ordinal */
        ULONG Ordinal;
        ULONG SlotRva;
    } Imports[MAX_ITEMS];
    ULONG ImportCount;
} FACTS;

static FACTS Facts[ARRAYSIZE(Images)];

static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(Buffer, Size, Format, args);
    va_end(args);
    return n >= 0 && (size_t)n < Size;
}

static BOOLEAN run_in_fixtures(const char *Command) {
    char line[PATH_MAX + 1024];
    formatf(line, sizeof line, "cd '%s' && { %s ; } >>build.log 2>&1", FixtureDir, Command);
    int rc = system(line);
    if (rc != 0)
        printf("fixture command failed (%d): %s\n", rc, Command);
    return rc == 0;
}

static void parse_facts(const char *Image, FACTS *Out) {
    char path[PATH_MAX + 64], line[512], dll[MAX_NAME] = "";
    ULONG first_thunk = 0, member = 0;
    enum { OTHER, IMPORTS, MEMBERS, EAT, NAMES } state = OTHER;

    formatf(Out->Name, sizeof Out->Name, "%s", Image);
    formatf(path, sizeof path, "%s/%s.p", FixtureDir, Image);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned a, b, c, d, e, g;
        char text[256];
        if (sscanf(line, "ImageBase %x", &a) == 1)
            Out->ImageBase = a;
        else if (sscanf(line, "SizeOfImage %x", &a) == 1)
            Out->SizeOfImage = a;
        else if (sscanf(line, "AddressOfEntryPoint %x", &a) == 1)
            Out->EntryPoint = a;
        if (strncmp(line, "The Import Tables", 17) == 0) {
            state = IMPORTS;
            continue;
        }
        if (strncmp(line, "Export Address Table -- Ordinal Base", 36) == 0) {
            Out->OrdinalBase = (ULONG)strtoul(line + 36, NULL, 10);
            state = EAT;
            continue;
        }
        if (strncmp(line, "[Ordinal/Name Pointer] Table", 28) == 0) {
            state = NAMES;
            continue;
        }
        if (strncmp(line, "PE File Base Relocations", 24) == 0 ||
            strncmp(line, "There is an export", 18) == 0) {
            state = OTHER;
            continue;
        }
        switch (state) {
        case IMPORTS:
            if (sscanf(line, " %x %x %x %x %x %x", &a, &b, &c, &d, &e, &g) == 6)
                first_thunk = g;
            else if (sscanf(line, " DLL Name: %63s", text) == 1) {
                formatf(dll, sizeof dll, "%s", text);
                member = 0;
            } else if (strstr(line, "Hint/Ord") != NULL)
                state = MEMBERS;
            break;
        case MEMBERS:
            if (sscanf(line, " %x %u %255s", &a, &b, text) == 3 && Out->ImportCount < MAX_ITEMS) {
                ULONG n = Out->ImportCount++;
                formatf(Out->Imports[n].Dll, MAX_NAME, "%s", dll);
                if (strcmp(text, "<none>") == 0) {
                    Out->Imports[n].Name[0] = 0;
                    Out->Imports[n].Ordinal = b;
                } else {
                    formatf(Out->Imports[n].Name, MAX_NAME, "%s", text);
                }
                Out->Imports[n].SlotRva = first_thunk + member * 4;
                member++;
            } else if (line[0] == '\n') {
                state = IMPORTS;
            }
            break;
        case EAT:
            if (sscanf(line, " [%u] +base[%u] %x", &a, &b, &c) == 3 && a < MAX_ITEMS) {
                const char *forward = strstr(line, "Forwarder RVA -- ");
                Out->Eat[a].Rva = c;
                Out->Eat[a].Present = TRUE;
                if (forward != NULL) {
                    formatf(Out->Eat[a].Forwarder, MAX_NAME, "%s", forward + 17);
                    Out->Eat[a].Forwarder[strcspn(Out->Eat[a].Forwarder, "\r\n")] = 0;
                }
            }
            break;
        case NAMES:
            if (sscanf(line, " [%u] %255s", &a, text) == 2 && Out->NameCount < MAX_ITEMS) {
                formatf(Out->Names[Out->NameCount].Name, MAX_NAME, "%s", text);
                Out->Names[Out->NameCount].Index = a;
                Out->NameCount++;
            }
            break;
        default: break;
        }
    }
    fclose(f);
}

static BOOLEAN find_paths(char *NtdllPath, size_t Size) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return FALSE;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return FALSE;
    *slash = 0;
    return formatf(NtdllPath, Size, "%s/../system32/ntdll.dll", exe);
}

static void build_fixtures(void) {
    char ntdll[PATH_MAX], command[2 * PATH_MAX];
    formatf(FixtureDir, sizeof FixtureDir, "ntdll_ldr.XXXXXX");
    if (mkdtemp(FixtureDir) == NULL || !find_paths(ntdll, sizeof ntdll))
        return;
    for (ULONG i = 0; i < ARRAYSIZE(FixtureFiles); i++) {
        char path[PATH_MAX + 64];
        formatf(path, sizeof path, "%s/%s", FixtureDir, FixtureFiles[i].Name);
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return;
        fputs(FixtureFiles[i].Text, f);
        fclose(f);
    }
    formatf(command, sizeof command, "cp '%s' ntdll.dll", ntdll);
    if (!run_in_fixtures(command))
        return;
    for (ULONG i = 0; i < ARRAYSIZE(FixtureCommands); i++)
        if (!run_in_fixtures(FixtureCommands[i]))
            return;
    for (ULONG i = 0; i < ARRAYSIZE(Images); i++) {
        formatf(command, sizeof command, MINGW_OBJDUMP " -p %s > %s.p", Images[i], Images[i]);
        if (!run_in_fixtures(command))
            return;
        parse_facts(Images[i], &Facts[i]);
    }
    FixturesBuilt = TRUE;
}

static FACTS *facts_of(const char *Image) {
    for (ULONG i = 0; i < ARRAYSIZE(Images); i++)
        if (strcasecmp(Images[i], Image) == 0)
            return &Facts[i];
    return NULL;
}

/* ---- the host mapper: images laid out at real 32-bit addresses ---- */

#define HOST_MAX_VIEWS 32
#define HOST_PAGE 0x1000u

typedef struct _HOST_VIEW {
    PUCHAR Base;
    SIZE_T Size;
    char Name[MAX_NAME];
} HOST_VIEW;

static HOST_VIEW Views[HOST_MAX_VIEWS];
static ULONG LiveViews, MapCalls, UnmapCalls;
/* An image the mapper must put anywhere but its preferred base. */
static const char *ForceElsewhere;

static HOST_VIEW *view_at(PVOID Base) {
    for (ULONG i = 0; i < HOST_MAX_VIEWS; i++)
        if (Views[i].Base != NULL && Views[i].Base == Base)
            return &Views[i];
    return NULL;
}

static const char *view_name(PVOID Base) {
    HOST_VIEW *view = view_at(Base);
    return view ? view->Name : "?";
}

static BOOLEAN read_fixture(const char *Name, PUCHAR *Data, SIZE_T *Size) {
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/%s", FixtureDir, Name);
    size_t size = 0;
    BOOLEAN ok = UtReadFile(path, Data, &size) != 0;
    *Size = (SIZE_T)size;
    return ok;
}

/* Maps the fixture Name (lower case) as the kernel would: at its ImageBase
 * if free, else at the next free 64 KiB-aligned address from 0x50000000. */
static NTSTATUS host_map(const char *Name, PVOID *Base, SIZE_T *ViewSize) {
    PUCHAR file;
    SIZE_T file_size;
    PE_IMAGE_INFO info;

    MapCalls++;
    if (!read_fixture(Name, &file, &file_size))
        return STATUS_DLL_NOT_FOUND;
    NTSTATUS status = RtlValidateImageFile(file, file_size, &info);
    if (!NT_SUCCESS(status)) {
        free(file);
        return status;
    }
    SIZE_T size = ALIGN_UP((SIZE_T)info.SizeOfImage, (SIZE_T)HOST_PAGE);
    PUCHAR base = MAP_FAILED;
    if (ForceElsewhere == NULL || strcasecmp(ForceElsewhere, Name) != 0)
        base = mmap((void *)(ULONG_PTR)info.ImageBase, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (base != MAP_FAILED && base != (PUCHAR)(ULONG_PTR)info.ImageBase) {
        munmap(base, size);
        base = MAP_FAILED;
    }
    for (ULONG_PTR at = 0x50000000u; base == MAP_FAILED && at < 0x70000000u; at += 0x10000u) {
        base = mmap((void *)at, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
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
    if (!NT_SUCCESS(status)) {
        munmap(base, size);
        return status;
    }
    HOST_VIEW *slot = view_at(NULL);
    for (ULONG i = 0; i < HOST_MAX_VIEWS && slot == NULL; i++)
        if (Views[i].Base == NULL)
            slot = &Views[i];
    slot->Base = base;
    slot->Size = size;
    formatf(slot->Name, sizeof slot->Name, "%s", Name);
    LiveViews++;
    *Base = base;
    *ViewSize = size;
    return (ULONG_PTR)base == info.ImageBase ? STATUS_SUCCESS : STATUS_IMAGE_NOT_AT_BASE;
}

static NTSTATUS host_unmap(PVOID Base) {
    UnmapCalls++;
    HOST_VIEW *view = view_at(Base);
    if (view == NULL)
        return STATUS_INVALID_PARAMETER;
    munmap(view->Base, view->Size);
    view->Base = NULL;
    LiveViews--;
    return STATUS_SUCCESS;
}

/* "\SystemRoot\System32\NAME" -> "name"; NULL for any other path. */
static BOOLEAN fixture_name(PCUNICODE_STRING Path, char *Name, size_t Size) {
    static const char prefix[] = "\\SystemRoot\\System32\\";
    ULONG chars = Path->Length / sizeof(WCHAR);
    char narrow[512];
    if (chars >= sizeof narrow)
        return FALSE;
    for (ULONG i = 0; i < chars; i++)
        narrow[i] = Path->Buffer[i] < 0x80 ? (char)Path->Buffer[i] : '?';
    narrow[chars] = 0;
    if (strncasecmp(narrow, prefix, sizeof prefix - 1) != 0)
        return FALSE;
    const char *rest = narrow + sizeof prefix - 1;
    if (strlen(rest) >= Size)
        return FALSE;
    for (size_t i = 0;; i++) {
        Name[i] = (char)tolower((unsigned char)rest[i]);
        if (rest[i] == 0)
            break;
    }
    return TRUE;
}

/* What entry points were called with, in order. */
typedef struct _ENTRY_CALL {
    char Name[MAX_NAME];
    ULONG Reason;
    PVOID Reserved;
} ENTRY_CALL;

static ENTRY_CALL Calls[128];
static ULONG CallCount;
static const char *FailInitOf; /* this DLL's DLL_PROCESS_ATTACH returns FALSE */

static ULONG record_entry(PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved) {
    HOST_VIEW *view = view_at(DllBase);
    FACTS *facts = view ? facts_of(view->Name) : NULL;
    /* The loader must call the image's own entry point. */
    if (facts == NULL || (ULONG_PTR)EntryPoint != (ULONG_PTR)DllBase + facts->EntryPoint)
        printf("  entry call with entry %p for base %p (%s)\n", EntryPoint, DllBase, view_name(DllBase));
    if (CallCount < ARRAYSIZE(Calls)) {
        formatf(Calls[CallCount].Name, MAX_NAME, "%s", view_name(DllBase));
        Calls[CallCount].Reason = Reason;
        Calls[CallCount].Reserved = Reserved;
        CallCount++;
    }
    return !(Reason == DLL_PROCESS_ATTACH && FailInitOf != NULL &&
             strcmp(FailInitOf, view_name(DllBase)) == 0);
}

static NTSTATUS mapper_map(PVOID Context, PCUNICODE_STRING FullPath, PVOID *Base, SIZE_T *ViewSize) {
    char name[MAX_NAME];
    (void)Context;
    if (!fixture_name(FullPath, name, sizeof name))
        return STATUS_DLL_NOT_FOUND;
    return host_map(name, Base, ViewSize);
}

static NTSTATUS mapper_unmap(PVOID Context, PVOID Base) {
    (void)Context;
    return host_unmap(Base);
}

static BOOLEAN mapper_call(PVOID Context, PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved) {
    (void)Context;
    return record_entry(EntryPoint, DllBase, Reason, Reserved) != 0;
}

static const LDRP_MAPPER HostMapper = {mapper_map, mapper_unmap, mapper_call, NULL};

/* ---- what the code under test needs from "the system" ---- */

static TEB HostTeb;
static PEB HostPeb;

PTEB NtCurrentTeb(VOID) {
    HostTeb.ProcessEnvironmentBlock = &HostPeb;
    HostTeb.ClientId.UniqueThread = (HANDLE)(ULONG_PTR)0x44;
    return &HostTeb;
}

static char DebugLog[16384];
static size_t DebugLogLength;

ULONG DbgPrint(PCSTR Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(DebugLog + DebugLogLength, sizeof DebugLog - DebugLogLength, Format, args);
    va_end(args);
    if (n > 0)
        DebugLogLength +=
            (size_t)n < sizeof DebugLog - DebugLogLength ? (size_t)n : sizeof DebugLog - DebugLogLength - 1;
    return STATUS_SUCCESS;
}

ULONG LdrpCallInitRoutine(PVOID EntryPoint, PVOID DllBase, ULONG Reason, PVOID Reserved) {
    return record_entry(EntryPoint, DllBase, Reason, Reserved);
}

/* A tiny handle table for files and sections. */
typedef struct _HOST_OBJECT {
    int Type; /* 0 free, 1 file, 2 section */
    char Name[MAX_NAME];
} HOST_OBJECT;

static HOST_OBJECT Objects[16];
static struct {
    ULONG OpenAttributes, OpenAccess, OpenShare, OpenOptions;
    ULONG SectionProtect, SectionAttributes;
    ULONG MapInherit, MapProtect, MapAllocationType;
    ULONG_PTR MapZeroBits;
    BOOLEAN MapBaseWasNull, MapViewSizeWasZero, MapProcessWasCurrent, MapOffsetWasNull;
    char LastPath[256];
    ULONG Closes, BadCloses, EventCalls;
} Seen;

static HANDLE new_handle(int Type, const char *Name) {
    for (ULONG i = 0; i < ARRAYSIZE(Objects); i++)
        if (Objects[i].Type == 0) {
            Objects[i].Type = Type;
            formatf(Objects[i].Name, MAX_NAME, "%s", Name);
            return (HANDLE)(ULONG_PTR)(0x100 + 4 * i);
        }
    return NULL;
}

static HOST_OBJECT *object_of(HANDLE Handle, int Type) {
    ULONG_PTR value = (ULONG_PTR)Handle;
    if (value < 0x100 || (value - 0x100) % 4 != 0 || (value - 0x100) / 4 >= ARRAYSIZE(Objects))
        return NULL;
    HOST_OBJECT *object = &Objects[(value - 0x100) / 4];
    return object->Type == Type ? object : NULL;
}

static ULONG open_objects(void) {
    ULONG n = 0;
    for (ULONG i = 0; i < ARRAYSIZE(Objects); i++)
        n += Objects[i].Type != 0;
    return n;
}

NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions) {
    char name[MAX_NAME];
    Seen.OpenAttributes = ObjectAttributes->Attributes;
    Seen.OpenAccess = DesiredAccess;
    Seen.OpenShare = ShareAccess;
    Seen.OpenOptions = OpenOptions;
    ULONG chars = ObjectAttributes->ObjectName->Length / sizeof(WCHAR);
    for (ULONG i = 0; i < chars && i < sizeof Seen.LastPath - 1; i++)
        Seen.LastPath[i] = (char)ObjectAttributes->ObjectName->Buffer[i];
    Seen.LastPath[chars < sizeof Seen.LastPath ? chars : sizeof Seen.LastPath - 1] = 0;
    char path[PATH_MAX + 64];
    if (!fixture_name(ObjectAttributes->ObjectName, name, sizeof name))
        return STATUS_OBJECT_PATH_NOT_FOUND;
    formatf(path, sizeof path, "%s/%s", FixtureDir, name);
    if (access(path, R_OK) != 0)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    *FileHandle = new_handle(1, name);
    IoStatusBlock->Status = STATUS_SUCCESS;
    IoStatusBlock->Information = 1; /* FILE_OPENED */
    return *FileHandle ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS NTAPI NtCreateSection(PHANDLE SectionHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes, PLARGE_INTEGER MaximumSize,
                               ULONG SectionPageProtection, ULONG AllocationAttributes, HANDLE FileHandle) {
    (void)DesiredAccess;
    (void)ObjectAttributes;
    (void)MaximumSize;
    Seen.SectionProtect = SectionPageProtection;
    Seen.SectionAttributes = AllocationAttributes;
    HOST_OBJECT *file = object_of(FileHandle, 1);
    if (file == NULL)
        return STATUS_INVALID_HANDLE;
    *SectionHandle = new_handle(2, file->Name);
    return *SectionHandle ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

NTSTATUS NTAPI NtMapViewOfSection(HANDLE SectionHandle, HANDLE ProcessHandle, PVOID *BaseAddress,
                                  ULONG_PTR ZeroBits, SIZE_T CommitSize, PLARGE_INTEGER SectionOffset,
                                  PSIZE_T ViewSize, ULONG InheritDisposition, ULONG AllocationType,
                                  ULONG Win32Protect) {
    (void)CommitSize;
    Seen.MapBaseWasNull = *BaseAddress == NULL;
    Seen.MapViewSizeWasZero = *ViewSize == 0;
    Seen.MapProcessWasCurrent = ProcessHandle == NtCurrentProcess();
    Seen.MapOffsetWasNull = SectionOffset == NULL;
    Seen.MapZeroBits = ZeroBits;
    Seen.MapInherit = InheritDisposition;
    Seen.MapAllocationType = AllocationType;
    Seen.MapProtect = Win32Protect;
    HOST_OBJECT *section = object_of(SectionHandle, 2);
    if (section == NULL)
        return STATUS_INVALID_HANDLE;
    return host_map(section->Name, BaseAddress, ViewSize);
}

NTSTATUS NTAPI NtUnmapViewOfSection(HANDLE ProcessHandle, PVOID BaseAddress) {
    if (ProcessHandle != NtCurrentProcess())
        return STATUS_INVALID_HANDLE;
    return host_unmap(BaseAddress);
}

NTSTATUS NTAPI NtClose(HANDLE Handle) {
    HOST_OBJECT *object = object_of(Handle, 1);
    if (object == NULL)
        object = object_of(Handle, 2);
    if (object == NULL) {
        Seen.BadCloses++;
        return STATUS_INVALID_HANDLE;
    }
    object->Type = 0;
    Seen.Closes++;
    return STATUS_SUCCESS;
}

/* The end of the road for LdrInitializeThunk: NtContinue or NtTerminateProcess. */
static jmp_buf *ExitJump;
static struct {
    BOOLEAN Continued, Terminated;
    PVOID Context;
    BOOLEAN TestAlert;
    HANDLE Process;
    NTSTATUS Status;
} Exit;

NTSTATUS NTAPI NtContinue(PVOID Context, BOOLEAN TestAlert) {
    Exit.Continued = TRUE;
    Exit.Context = Context;
    Exit.TestAlert = TestAlert;
    if (ExitJump != NULL)
        longjmp(*ExitJump, 1);
    return STATUS_UNSUCCESSFUL;
}

NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus) {
    Exit.Terminated = TRUE;
    Exit.Process = ProcessHandle;
    Exit.Status = ExitStatus;
    if (ExitJump != NULL)
        longjmp(*ExitJump, 1);
    abort(); /* the code under test never expects this to return */
}

/* Critical sections are never contended on one thread: these must not run. */
NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                             POBJECT_ATTRIBUTES ObjectAttributes, ULONG EventType, BOOLEAN InitialState) {
    (void)EventHandle, (void)DesiredAccess, (void)ObjectAttributes, (void)EventType, (void)InitialState;
    Seen.EventCalls++;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout) {
    (void)Handle, (void)Alertable, (void)Timeout;
    Seen.EventCalls++;
    return STATUS_NOT_IMPLEMENTED;
}

NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState) {
    (void)EventHandle, (void)PreviousState;
    Seen.EventCalls++;
    return STATUS_NOT_IMPLEMENTED;
}

/* ---- helpers ---- */

static LDRP_LOADER Loader;
static PEB_LDR_DATA PebLdr;
static PLDRP_MODULE ImageModule, NtdllModule;
/* The lists the checks read: the test's own loader's, or (after
 * LdrInitializeThunk) the process's. */
static PPEB_LDR_DATA CurrentLdr = &PebLdr;

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

static BOOLEAN unicode_is(PCUNICODE_STRING String, const char *Text) {
    size_t n = strlen(Text);
    if (String->Length != n * sizeof(WCHAR))
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (String->Buffer[i] != (UCHAR)Text[i])
            return FALSE;
    return TRUE;
}

/* Maps the program Exe and ntdll.dll and hands them to a fresh loader, as
 * LdrInitializeThunk does. */
static BOOLEAN start_loader(const char *Exe) {
    WCHAR buffer[128];
    UNICODE_STRING path;
    PVOID exe_base, ntdll_base;
    SIZE_T size;

    if (!CHECK(FixturesBuilt))
        return FALSE;
    HostPeb.ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    if (!CHECK(HostPeb.ProcessHeap != NULL))
        return FALSE;
    LdrpInitializeLoader(&Loader, &PebLdr, HostPeb.ProcessHeap, &HostMapper);
    NTSTATUS exe_status = host_map(Exe, &exe_base, &size);
    NTSTATUS ntdll_status = host_map("ntdll.dll", &ntdll_base, &size);
    CHECK_STATUS(exe_status, STATUS_SUCCESS);
    CHECK_STATUS(ntdll_status, STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)ntdll_base, MM_NTDLL_BASE);
    char text[128];
    formatf(text, sizeof text, "\\SystemRoot\\System32\\%s", Exe);
    init_unicode(&path, buffer, ARRAYSIZE(buffer), text);
    if (!CHECK_STATUS(LdrpAddMappedModule(&Loader, exe_base, &path, FALSE, &ImageModule), STATUS_SUCCESS))
        return FALSE;
    init_unicode(&path, buffer, ARRAYSIZE(buffer), "\\SystemRoot\\System32\\ntdll.dll");
    return CHECK_STATUS(LdrpAddMappedModule(&Loader, ntdll_base, &path, TRUE, &NtdllModule), STATUS_SUCCESS);
}

static PLDRP_MODULE module_named(const char *Name) {
    PLIST_ENTRY head = &CurrentLdr->InLoadOrderModuleList;
    for (PLIST_ENTRY link = head->Flink; link != head; link = link->Flink) {
        PLDRP_MODULE module = CONTAINING_RECORD(link, LDRP_MODULE, Entry.InLoadOrderLinks);
        if (strcasecmp(module->AnsiName, Name) == 0)
            return module;
    }
    return NULL;
}

/* The names on one of the three lists, comma-separated. */
static void list_names(PLIST_ENTRY Head, size_t LinkOffset, char *Out, size_t Size) {
    Out[0] = 0;
    for (PLIST_ENTRY link = Head->Flink; link != Head; link = link->Flink) {
        PLDRP_MODULE module = (PLDRP_MODULE)((PUCHAR)link - LinkOffset);
        size_t used = strlen(Out);
        formatf(Out + used, Size - used, "%s%s", used ? "," : "", module->AnsiName);
    }
}

#define LOAD_ORDER(out)                                                                                      \
    list_names(&CurrentLdr->InLoadOrderModuleList, offsetof(LDRP_MODULE, Entry.InLoadOrderLinks), out,       \
               sizeof out)
#define MEMORY_ORDER(out)                                                                                    \
    list_names(&CurrentLdr->InMemoryOrderModuleList, offsetof(LDRP_MODULE, Entry.InMemoryOrderLinks), out,   \
               sizeof out)
#define INIT_ORDER(out)                                                                                      \
    list_names(&CurrentLdr->InInitializationOrderModuleList,                                                 \
               offsetof(LDRP_MODULE, Entry.InInitializationOrderLinks), out, sizeof out)

/* The calls recorded, as "name:reason" comma-separated. */
static void call_names(char *Out, size_t Size) {
    Out[0] = 0;
    for (ULONG i = 0; i < CallCount; i++) {
        size_t used = strlen(Out);
        formatf(Out + used, Size - used, "%s%s:%u", used ? "," : "", Calls[i].Name,
                (unsigned)Calls[i].Reason);
    }
}

#define CHECK_TEXT(actual, expected)                                                                         \
    do {                                                                                                     \
        if (!CHECK(strcmp((actual), (expected)) == 0))                                                       \
            printf("    got      '%s'\n    expected '%s'\n", (actual), (expected));                          \
    } while (0)

/* Where export Name (or #Ordinal) of Dll should be once everything is loaded,
 * following forwarders, from objdump's facts and the loader's bases. 0 when
 * it cannot be found. */
static ULONG expected_export(const char *Dll, const char *Name, ULONG Ordinal, int Depth) {
    FACTS *facts = facts_of(Dll);
    PLDRP_MODULE module = module_named(Dll);
    if (facts == NULL || module == NULL || Depth > 8)
        return 0;
    ULONG index = Ordinal - facts->OrdinalBase;
    if (Name != NULL && Name[0] != 0) {
        index = MAX_ITEMS;
        for (ULONG i = 0; i < facts->NameCount; i++)
            if (strcmp(facts->Names[i].Name, Name) == 0)
                index = facts->Names[i].Index;
    }
    if (index >= MAX_ITEMS || !facts->Eat[index].Present)
        return 0;
    if (facts->Eat[index].Forwarder[0] != 0) {
        char dll[MAX_NAME];
        const char *forwarder = facts->Eat[index].Forwarder;
        const char *dot = strchr(forwarder, '.');
        formatf(dll, sizeof dll, "%.*s.dll", (int)(dot - forwarder), forwarder);
        if (dot[1] == '#')
            return expected_export(dll, NULL, (ULONG)strtoul(dot + 2, NULL, 10), Depth + 1);
        return expected_export(dll, dot + 1, 0, Depth + 1);
    }
    return (ULONG)(ULONG_PTR)module->Entry.DllBase + facts->Eat[index].Rva;
}

/* Every IAT slot of the loaded image Name holds the right run address. */
static void check_bindings(const char *Name) {
    FACTS *facts = facts_of(Name);
    PLDRP_MODULE module = module_named(Name);
    if (!CHECK(facts != NULL && module != NULL))
        return;
    CHECK(facts->ImportCount > 0);
    for (ULONG i = 0; i < facts->ImportCount; i++) {
        ULONG slot;
        memcpy(&slot, (PUCHAR)module->Entry.DllBase + facts->Imports[i].SlotRva, sizeof slot);
        ULONG expected =
            expected_export(facts->Imports[i].Dll, facts->Imports[i].Name, facts->Imports[i].Ordinal, 0);
        CHECK(expected != 0);
        if (!CHECK_EQ(slot, expected))
            printf("    %s imports %s!%s#%u\n", Name, facts->Imports[i].Dll, facts->Imports[i].Name,
                   (unsigned)facts->Imports[i].Ordinal);
    }
}

static void reset_calls(void) {
    CallCount = 0;
}

/* ---- tests: process start-up through the core ---- */

TEST(every_iat_slot_holds_the_run_address_of_its_export) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    check_bindings("app.exe");
    check_bindings("a.dll");
    check_bindings("b.dll");
    CHECK(DebugLogLength == 0);
}

TEST(forwarders_by_name_and_by_ordinal_bind_to_their_target) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    FACTS *app = facts_of("app.exe");
    PLDRP_MODULE b = module_named("b.dll");
    FACTS *bf = facts_of("b.dll");
    ULONG seen = 0;
    for (ULONG i = 0; app && b && bf && i < app->ImportCount; i++) {
        ULONG slot;
        memcpy(&slot, (PUCHAR)ImageModule->Entry.DllBase + app->Imports[i].SlotRva, sizeof slot);
        if (strcmp(app->Imports[i].Name, "AFwd") == 0) {
            /* b.BFunc2 is ordinal 2, EAT index 1 */
            CHECK_EQ(slot, (ULONG)(ULONG_PTR)b->Entry.DllBase + bf->Eat[2 - bf->OrdinalBase].Rva);
            seen++;
        } else if (strcmp(app->Imports[i].Name, "AFwdOrd") == 0) {
            CHECK_EQ(slot, (ULONG)(ULONG_PTR)b->Entry.DllBase + bf->Eat[3 - bf->OrdinalBase].Rva);
            seen++;
        } else if (strcmp(app->Imports[i].Name, "AFwdNt") == 0) {
            CHECK_EQ(slot, expected_export("ntdll.dll", "NtClose", 0, 0));
            CHECK(slot >= MM_NTDLL_BASE);
            seen++;
        }
    }
    CHECK_EQ(seen, 3);
}

TEST(ordinal_imports_bind_to_the_ordinals_export) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    FACTS *app = facts_of("app.exe");
    ULONG seen = 0;
    for (ULONG i = 0; app && i < app->ImportCount; i++) {
        if (app->Imports[i].Name[0] != 0)
            continue;
        ULONG slot;
        memcpy(&slot, (PUCHAR)ImageModule->Entry.DllBase + app->Imports[i].SlotRva, sizeof slot);
        CHECK_EQ(app->Imports[i].Ordinal, 3);
        CHECK(strcasecmp(app->Imports[i].Dll, "b.dll") == 0);
        /* BHidden: exported by ordinal only */
        CHECK_EQ(slot,
                 (ULONG)(ULONG_PTR)module_named("b.dll")->Entry.DllBase + facts_of("b.dll")->Eat[2].Rva);
        seen++;
    }
    CHECK_EQ(seen, 1);
}

TEST(imports_of_ntdll_through_mingws_libntdll_bind_to_the_built_ntdll) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    FACTS *app = facts_of("app.exe");
    ULONG seen = 0;
    for (ULONG i = 0; app && i < app->ImportCount; i++) {
        if (strcasecmp(app->Imports[i].Dll, "ntdll.dll") != 0)
            continue;
        ULONG slot;
        memcpy(&slot, (PUCHAR)ImageModule->Entry.DllBase + app->Imports[i].SlotRva, sizeof slot);
        CHECK(slot > MM_NTDLL_BASE && slot < MM_NTDLL_BASE + facts_of("ntdll.dll")->SizeOfImage);
        CHECK_EQ(slot, expected_export("ntdll.dll", app->Imports[i].Name, 0, 0));
        seen++;
    }
    CHECK_EQ(seen, 4); /* NtClose ZwClose RtlEnterCriticalSection DbgPrint */
    /* NtClose and ZwClose are one stub. */
    CHECK_EQ(expected_export("ntdll.dll", "NtClose", 0, 0), expected_export("ntdll.dll", "ZwClose", 0, 0));
}

TEST(load_order_is_depth_first_and_init_order_puts_dependencies_first) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    char load[256], memory[256], init[256], calls[512];
    LOAD_ORDER(load);
    MEMORY_ORDER(memory);
    INIT_ORDER(init);
    CHECK(strncmp(load, "app.exe,ntdll.dll,", 18) == 0);
    CHECK_TEXT(memory, load);
    CHECK_TEXT(init, "ntdll.dll,c.dll,b.dll,a.dll");
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1,b.dll:1,a.dll:1");
    for (ULONG i = 0; i < CallCount; i++)
        CHECK(Calls[i].Reserved == (PVOID)1); /* a static load */
    CHECK(PebLdr.Initialized);
    CHECK_EQ(PebLdr.Length, sizeof(PEB_LDR_DATA));
}

TEST(modules_loaded_with_the_process_are_pinned_and_described) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    static const char *const names[] = {"app.exe", "ntdll.dll", "a.dll", "b.dll", "c.dll"};
    for (ULONG i = 0; i < ARRAYSIZE(names); i++) {
        PLDRP_MODULE module = module_named(names[i]);
        FACTS *facts = facts_of(names[i]);
        if (!CHECK(module != NULL && facts != NULL))
            continue;
        PLDR_DATA_TABLE_ENTRY entry = &module->Entry;
        char full[128];
        formatf(full, sizeof full, "\\SystemRoot\\System32\\%s", names[i]);
        CHECK(unicode_is(&entry->FullDllName, full));
        CHECK(unicode_is(&entry->BaseDllName, names[i]));
        CHECK(entry->BaseDllName.Buffer + entry->BaseDllName.Length / 2 ==
              entry->FullDllName.Buffer + entry->FullDllName.Length / 2);
        CHECK_EQ(entry->FullDllName.Buffer[entry->FullDllName.Length / 2], 0);
        CHECK_EQ(entry->LoadCount, LDRP_LOAD_COUNT_PINNED);
        CHECK(entry->Flags & LDRP_STATIC_LINK);
        CHECK(!(entry->Flags & LDRP_LOAD_IN_PROGRESS));
        CHECK_EQ(entry->SizeOfImage, facts->SizeOfImage);
        CHECK_EQ((ULONG_PTR)entry->EntryPoint,
                 facts->EntryPoint ? (ULONG_PTR)entry->DllBase + facts->EntryPoint : 0);
        CHECK_EQ(!!(entry->Flags & LDRP_IMAGE_DLL), strstr(names[i], ".dll") != NULL);
        CHECK(view_at(entry->DllBase) != NULL);
    }
    CHECK(module_named("ntdll.dll")->Entry.EntryPoint == NULL);
    CHECK(!(module_named("app.exe")->Entry.Flags & LDRP_ENTRY_PROCESSED)); /* never on the init list */
}

TEST(a_dll_that_cannot_have_its_base_is_relocated) {
    if (!start_loader("app.exe"))
        return;
    ForceElsewhere = "c.dll";
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    PLDRP_MODULE a = module_named("a.dll"), b = module_named("b.dll"), c = module_named("c.dll");
    if (!CHECK(a && b && c))
        return;
    /* a and b both want 0x10000000: exactly one got it. */
    CHECK(((ULONG_PTR)a->Entry.DllBase == 0x10000000u) != ((ULONG_PTR)b->Entry.DllBase == 0x10000000u));
    PLDRP_MODULE moved = (ULONG_PTR)a->Entry.DllBase == 0x10000000u ? b : a;
    CHECK(moved->Entry.Flags & LDRP_IMAGE_NOT_AT_BASE);
    CHECK(c->Entry.Flags & LDRP_IMAGE_NOT_AT_BASE);
    CHECK((ULONG_PTR)c->Entry.DllBase != 0x11000000u);
    /* The headers now say where they run, and the pointers in their data were fixed. */
    CHECK_EQ(RtlImageNtHeader(moved->Entry.DllBase)->OptionalHeader.ImageBase,
             (ULONG_PTR)moved->Entry.DllBase);
    CHECK_EQ(RtlImageNtHeader(c->Entry.DllBase)->OptionalHeader.ImageBase, (ULONG_PTR)c->Entry.DllBase);
    ULONG cptr, bptr;
    memcpy(&cptr, (PUCHAR)(ULONG_PTR)expected_export("c.dll", "CPtr", 0, 0), sizeof cptr);
    CHECK_EQ(cptr, expected_export("c.dll", "CValue", 0, 0));
    memcpy(&bptr, (PUCHAR)(ULONG_PTR)expected_export("b.dll", "BPtr", 0, 0), sizeof bptr);
    CHECK_EQ(bptr, expected_export("b.dll", "BValue", 0, 0));
    ULONG aptr;
    memcpy(&aptr, (PUCHAR)(ULONG_PTR)expected_export("a.dll", "APtr", 0, 0), sizeof aptr);
    CHECK_EQ(aptr, expected_export("a.dll", "AValue", 0, 0));
    /* And everything bound to the moved images' real addresses. */
    check_bindings("app.exe");
    check_bindings("a.dll");
    check_bindings("b.dll");
}

TEST(a_missing_dll_is_named_and_ends_the_load) {
    if (!start_loader("miss.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_DLL_NOT_FOUND);
    CHECK_TEXT(DebugLog, "LDR: DLL nosuch.dll not found (needed by miss.exe)\n");
    char load[256];
    LOAD_ORDER(load);
    CHECK_TEXT(load, "miss.exe,ntdll.dll");
    CHECK_EQ(CallCount, 0);
}

TEST(a_missing_export_is_named_and_everything_loaded_for_it_is_undone) {
    if (!start_loader("missexp.exe"))
        return;
    ULONG views = LiveViews;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_TEXT(DebugLog, "LDR: entry point CMissing not found in c.dll\n");
    char load[256], init[256];
    LOAD_ORDER(load);
    INIT_ORDER(init);
    CHECK_TEXT(load, "missexp.exe,ntdll.dll");
    CHECK_TEXT(init, "ntdll.dll");
    CHECK_EQ(LiveViews, views); /* c.dll was mapped, then unmapped */
    CHECK_EQ(UnmapCalls, 1);
    CHECK_EQ(CallCount, 0);
}

TEST(a_missing_ordinal_is_named_with_its_number) {
    if (!start_loader("missord.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_ORDINAL_NOT_FOUND);
    CHECK_TEXT(DebugLog, "LDR: entry point #9 not found in c.dll\n");
}

TEST(import_cycles_load_once_and_bind_both_ways) {
    if (!start_loader("cycapp.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    char load[256], init[256];
    LOAD_ORDER(load);
    INIT_ORDER(init);
    CHECK_TEXT(load, "cycapp.exe,ntdll.dll,cyc1.dll,cyc2.dll");
    CHECK_TEXT(init, "ntdll.dll,cyc2.dll,cyc1.dll");
    check_bindings("cycapp.exe");
    check_bindings("cyc1.dll");
    check_bindings("cyc2.dll");
    CHECK_EQ(MapCalls, 4); /* the two programs' images at start, then each DLL once */
}

TEST(a_dllmain_returning_false_fails_start_up_before_its_dependents_run) {
    if (!start_loader("app.exe"))
        return;
    FailInitOf = "b.dll";
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_DLL_INIT_FAILED);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1,b.dll:1");
    CHECK(strstr(DebugLog, "b.dll failed to initialize") != NULL);
}

/* ---- tests: dynamic loading ---- */

static NTSTATUS load(const char *Name, PVOID *Base) {
    WCHAR buffer[400];
    UNICODE_STRING name;
    init_unicode(&name, buffer, ARRAYSIZE(buffer), Name);
    return LdrpLoadDll(&Loader, &name, Base);
}

static NTSTATUS get_handle(const char *Name, PVOID *Base) {
    WCHAR buffer[400];
    UNICODE_STRING name;
    init_unicode(&name, buffer, ARRAYSIZE(buffer), Name);
    return LdrpGetDllHandle(&Loader, &name, Base);
}

static BOOLEAN start_plain(void) {
    if (!start_loader("plain.exe"))
        return FALSE;
    BOOLEAN ok = CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    reset_calls();
    return ok;
}

TEST(load_dll_loads_binds_and_initializes_with_reserved_null) {
    if (!start_plain())
        return;
    PVOID a = NULL;
    CHECK_STATUS(load("a", &a), STATUS_SUCCESS);
    CHECK(a != NULL && a == module_named("a.dll")->Entry.DllBase);
    char calls[256], init[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1,b.dll:1,a.dll:1");
    for (ULONG i = 0; i < CallCount; i++)
        CHECK(Calls[i].Reserved == NULL);
    INIT_ORDER(init);
    CHECK_TEXT(init, "ntdll.dll,c.dll,b.dll,a.dll");
    check_bindings("a.dll");
    check_bindings("b.dll");
    CHECK_EQ(module_named("a.dll")->Entry.LoadCount, 1);
    CHECK_EQ(module_named("b.dll")->Entry.LoadCount, 1); /* held by a */
    CHECK_EQ(module_named("c.dll")->Entry.LoadCount, 1); /* held by b */
    CHECK(!(module_named("a.dll")->Entry.Flags & LDRP_STATIC_LINK));
}

TEST(dll_names_are_matched_without_case_and_get_dll_appended) {
    if (!start_plain())
        return;
    PVOID a = NULL, same = NULL;
    CHECK_STATUS(load("a", &a), STATUS_SUCCESS);
    CHECK_STATUS(load("A.DLL", &same), STATUS_SUCCESS);
    CHECK(same == a);
    CHECK_STATUS(load("\\SystemRoot\\System32\\a.dll", &same), STATUS_SUCCESS);
    CHECK(same == a);
    CHECK_EQ(module_named("a.dll")->Entry.LoadCount, 3);
    CHECK_STATUS(get_handle("B", &same), STATUS_SUCCESS);
    CHECK(same == module_named("b.dll")->Entry.DllBase);
    CHECK_EQ(module_named("b.dll")->Entry.LoadCount, 1); /* LdrGetDllHandle takes no count */
    CHECK_STATUS(get_handle("ntdll", &same), STATUS_SUCCESS);
    CHECK(same == (PVOID)(ULONG_PTR)MM_NTDLL_BASE);
    CHECK_STATUS(get_handle("fwd.dll", &same), STATUS_DLL_NOT_FOUND);
    CHECK_STATUS(load("a.", &same), STATUS_DLL_NOT_FOUND); /* "a." is the file "a", no extension */
    CHECK_STATUS(load("", &same), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(load("\\SystemRoot\\System32\\", &same), STATUS_INVALID_PARAMETER);
    char longname[300];
    memset(longname, 'x', 290);
    longname[290] = 0;
    CHECK_STATUS(load(longname, &same), STATUS_NAME_TOO_LONG);
    CHECK(DebugLogLength == 0); /* a failing LoadLibrary is not an error worth logging */
}

TEST(unload_detaches_and_unmaps_at_zero_in_reverse_order) {
    if (!start_plain())
        return;
    PVOID a, c;
    ULONG views = LiveViews;
    CHECK_STATUS(load("c", &c), STATUS_SUCCESS);
    CHECK_STATUS(load("a", &a), STATUS_SUCCESS);
    CHECK_EQ(module_named("c.dll")->Entry.LoadCount, 2);
    CHECK_STATUS(load("a", &a), STATUS_SUCCESS);
    reset_calls();
    CHECK_STATUS(LdrpUnloadDll(&Loader, a), STATUS_SUCCESS);
    CHECK_EQ(CallCount, 0);
    CHECK_STATUS(LdrpUnloadDll(&Loader, a), STATUS_SUCCESS);
    char calls[256], load_order[256], init[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "a.dll:0,b.dll:0");
    LOAD_ORDER(load_order);
    INIT_ORDER(init);
    CHECK_TEXT(load_order, "plain.exe,ntdll.dll,c.dll");
    CHECK_TEXT(init, "ntdll.dll,c.dll");
    CHECK_EQ(module_named("c.dll")->Entry.LoadCount, 1);
    CHECK_EQ(LiveViews, views + 1);
    reset_calls();
    CHECK_STATUS(LdrpUnloadDll(&Loader, c), STATUS_SUCCESS);
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:0");
    CHECK_EQ(LiveViews, views);
    CHECK_STATUS(LdrpUnloadDll(&Loader, c), STATUS_DLL_NOT_FOUND);
    /* Modules loaded with the process stay. */
    CHECK_STATUS(LdrpUnloadDll(&Loader, (PVOID)(ULONG_PTR)MM_NTDLL_BASE), STATUS_SUCCESS);
    CHECK(module_named("ntdll.dll") != NULL);
}

TEST(a_failed_dynamic_load_leaves_nothing_behind) {
    if (!start_plain())
        return;
    ULONG views = LiveViews;
    PVOID base = (PVOID)0x1234;
    CHECK_STATUS(load("missexp.exe", &base), STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK(base == (PVOID)0x1234);
    CHECK_EQ(LiveViews, views);
    CHECK_STATUS(load("nosuch", &base), STATUS_DLL_NOT_FOUND);
    char load_order[256];
    LOAD_ORDER(load_order);
    CHECK_TEXT(load_order, "plain.exe,ntdll.dll");
    /* A DllMain saying no: what attached is detached, everything unmapped. */
    FailInitOf = "b.dll";
    reset_calls();
    CHECK_STATUS(load("a", &base), STATUS_DLL_INIT_FAILED);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1,b.dll:1,c.dll:0");
    LOAD_ORDER(load_order);
    CHECK_TEXT(load_order, "plain.exe,ntdll.dll");
    CHECK_EQ(LiveViews, views);
}

TEST(get_procedure_address_by_name_ordinal_and_forwarder) {
    if (!start_plain())
        return;
    PVOID a, address;
    CHECK_STATUS(load("a", &a), STATUS_SUCCESS);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFunc", 0, &address), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)address, expected_export("a.dll", "AFunc", 0, 0));
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, NULL, 1, &address), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)address, expected_export("a.dll", "AFunc", 0, 0));
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFwd", 0, &address), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)address, expected_export("b.dll", "BFunc2", 0, 0));
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, NULL, 3, &address), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)address, expected_export("b.dll", NULL, 3, 0));
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFwdNt", 0, &address), STATUS_SUCCESS);
    CHECK_EQ((ULONG_PTR)address, expected_export("ntdll.dll", "NtClose", 0, 0));
    CHECK(DebugLogLength == 0);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "Nothing", 0, &address), STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, NULL, 77, &address), STATUS_ORDINAL_NOT_FOUND);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFwdMissing", 0, &address),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK(DebugLogLength == 0); /* GetProcAddress probing is not an error */
    ULONG views = LiveViews;
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFwdNoDll", 0, &address), STATUS_DLL_NOT_FOUND);
    CHECK_EQ(LiveViews, views);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, a, "AFwdLoop", 0, &address), STATUS_INVALID_IMAGE_FORMAT);
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, (PVOID)0x5000, "AFunc", 0, &address), STATUS_DLL_NOT_FOUND);
}

TEST(a_forwarder_to_an_unloaded_dll_loads_and_initializes_it) {
    if (!start_plain())
        return;
    PVOID fwd, address;
    CHECK_STATUS(load("fwd", &fwd), STATUS_SUCCESS);
    CHECK(module_named("c.dll") == NULL);
    reset_calls();
    CHECK_STATUS(LdrpGetProcedureAddress(&Loader, fwd, "FwdC", 0, &address), STATUS_SUCCESS);
    CHECK(module_named("c.dll") != NULL);
    CHECK_EQ((ULONG_PTR)address, expected_export("c.dll", "CFunc", 0, 0));
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1");
    CHECK_EQ(module_named("c.dll")->Entry.LoadCount, 1); /* held by fwd */
    reset_calls();
    CHECK_STATUS(LdrpUnloadDll(&Loader, fwd), STATUS_SUCCESS);
    call_names(calls, sizeof calls);
    /* Reverse initialization order: c initialized after fwd, so it goes
     * first (fwd does not call c; its callers did, through the forwarder). */
    CHECK_TEXT(calls, "c.dll:0,fwd.dll:0");
    CHECK(module_named("c.dll") == NULL);
}

TEST(thread_attach_and_detach_reach_every_dll_that_wants_them) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    reset_calls();
    LdrpCallThreadRoutines(&Loader, DLL_THREAD_ATTACH);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:2,b.dll:2,a.dll:2");
    reset_calls();
    CHECK_STATUS(LdrpDisableThreadCallouts(&Loader, module_named("b.dll")->Entry.DllBase), STATUS_SUCCESS);
    LdrpCallThreadRoutines(&Loader, DLL_THREAD_DETACH);
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "a.dll:3,c.dll:3");
    CHECK_STATUS(LdrpDisableThreadCallouts(&Loader, (PVOID)0x5000), STATUS_DLL_NOT_FOUND);
}

TEST(shutdown_detaches_everything_in_reverse_and_then_calls_nothing) {
    if (!start_loader("app.exe"))
        return;
    CHECK_STATUS(LdrpInitializeProcessImports(&Loader, ImageModule), STATUS_SUCCESS);
    PVOID fwd;
    CHECK_STATUS(load("fwd", &fwd), STATUS_SUCCESS);
    reset_calls();
    LdrpShutdownProcess(&Loader);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "fwd.dll:0,a.dll:0,b.dll:0,c.dll:0");
    for (ULONG i = 0; i < CallCount; i++)
        CHECK(Calls[i].Reserved == (PVOID)1);
    reset_calls();
    LdrpCallThreadRoutines(&Loader, DLL_THREAD_DETACH);
    CHECK_STATUS(LdrpUnloadDll(&Loader, fwd), STATUS_SUCCESS);
    CHECK_EQ(CallCount, 0);
    CHECK(module_named("fwd.dll") == NULL); /* unmapped, without a second DETACH */
}

/* ---- tests: LdrInitializeThunk and the Ldr* exports, through the Nt services ---- */

/* Sets up the PEB the kernel would have made for Exe (image and ntdll
 * mapped, parameters written by the creator), then runs LdrInitializeThunk
 * until it leaves through NtContinue or NtTerminateProcess. */
static BOOLEAN run_thunk(const char *Exe, PCONTEXT Context, BOOLEAN MakeParameters) {
    PVOID exe_base = NULL, ntdll_base = NULL;
    SIZE_T size;
    if (HostPeb.ImageBaseAddress == NULL) {
        if (!CHECK(FixturesBuilt))
            return FALSE;
        CHECK_STATUS(host_map(Exe, &exe_base, &size), STATUS_SUCCESS);
        CHECK_STATUS(host_map("ntdll.dll", &ntdll_base, &size), STATUS_SUCCESS);
        HostPeb.ImageBaseAddress = exe_base;
        HostPeb.NumberOfProcessors = 1;
        if (MakeParameters) {
            /* The creator's heap, not the process heap the loader makes. */
            WCHAR buffer[128];
            UNICODE_STRING path;
            char text[128];
            formatf(text, sizeof text, "\\SystemRoot\\System32\\%s", Exe);
            init_unicode(&path, buffer, ARRAYSIZE(buffer), text);
            HostPeb.ProcessHeap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
            PRTL_USER_PROCESS_PARAMETERS params = NULL;
            CHECK_STATUS(
                RtlCreateProcessParameters(&params, &path, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                STATUS_SUCCESS);
            HostPeb.ProcessParameters = params; /* denormalized, as a creator may leave it */
        }
    } else {
        ntdll_base = (PVOID)(ULONG_PTR)MM_NTDLL_BASE;
    }
    memset(&Exit, 0, sizeof Exit);
    jmp_buf jump;
    ExitJump = &jump;
    if (setjmp(jump) == 0) {
        LdrInitializeThunk(Context, ntdll_base);
        ExitJump = NULL;
        return CHECK(FALSE); /* LdrInitializeThunk returned */
    }
    ExitJump = NULL;
    return TRUE;
}

TEST(ldr_initialize_thunk_sets_up_the_process_and_continues) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    context.Eip = 0x401000;
    if (!run_thunk("app.exe", &context, TRUE))
        return;
    CHECK(Exit.Continued);
    CHECK(!Exit.Terminated);
    CHECK(Exit.Context == &context);
    CHECK(!Exit.TestAlert);
    CHECK(HostPeb.Ldr == &LdrpPebLdr);
    CHECK(LdrpPebLdr.Initialized);
    CHECK(HostPeb.ProcessHeap != NULL);
    CHECK(HostPeb.LoaderLock == &LdrpLoaderLock);
    CHECK_EQ(LdrpLoaderLock.LockCount, -1); /* free again */
    CHECK_EQ(LdrpLoaderLock.RecursionCount, 0);
    CHECK(HostPeb.ProcessParameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
    CHECK(unicode_is(&HostPeb.ProcessParameters->ImagePathName, "\\SystemRoot\\System32\\app.exe"));

    /* The same bindings as through the core, made with the Nt services. */
    CurrentLdr = &LdrpPebLdr;
    check_bindings("app.exe");
    check_bindings("a.dll");
    check_bindings("b.dll");
    PLDRP_MODULE image = module_named("app.exe");
    CHECK(image != NULL && unicode_is(&image->Entry.FullDllName, "\\SystemRoot\\System32\\app.exe"));
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:1,b.dll:1,a.dll:1");
    for (ULONG i = 0; i < CallCount; i++)
        CHECK(Calls[i].Reserved == (PVOID)1);

    /* How the DLLs were opened and mapped. */
    CHECK_EQ(Seen.OpenAttributes, OBJ_CASE_INSENSITIVE);
    CHECK(Seen.OpenAccess & FILE_EXECUTE);
    CHECK_EQ(Seen.SectionAttributes, SEC_IMAGE);
    CHECK_EQ(Seen.SectionProtect, PAGE_EXECUTE);
    CHECK(Seen.MapBaseWasNull && Seen.MapViewSizeWasZero && Seen.MapProcessWasCurrent &&
          Seen.MapOffsetWasNull);
    CHECK_EQ(Seen.MapZeroBits, 0);
    CHECK_EQ(Seen.MapInherit, 1); /* ViewShare */
    CHECK_EQ(Seen.MapAllocationType, 0);
    CHECK_EQ(Seen.MapProtect, PAGE_READWRITE);
    CHECK_EQ(open_objects(), 0); /* every file and section handle closed */
    CHECK_EQ(Seen.Closes, 6);
    CHECK_EQ(Seen.BadCloses, 0);
    CHECK_EQ(Seen.EventCalls, 0);
    CHECK(DebugLogLength == 0);
}

TEST(ldr_initialize_thunk_without_parameters_names_the_image_anyway) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    if (!run_thunk("plain.exe", &context, FALSE))
        return;
    CHECK(Exit.Continued);
    PLIST_ENTRY first = LdrpPebLdr.InLoadOrderModuleList.Flink;
    PLDRP_MODULE image = CONTAINING_RECORD(first, LDRP_MODULE, Entry.InLoadOrderLinks);
    CHECK(image->Entry.DllBase == HostPeb.ImageBaseAddress);
    CHECK(unicode_is(&image->Entry.BaseDllName, "image.exe"));
}

TEST(ldr_initialize_thunk_ends_the_process_when_a_dll_is_missing) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    if (!run_thunk("miss.exe", &context, TRUE))
        return;
    CHECK(!Exit.Continued);
    CHECK(Exit.Terminated);
    CHECK(Exit.Process == NtCurrentProcess());
    CHECK_STATUS(Exit.Status, STATUS_DLL_NOT_FOUND);
    CHECK_TEXT(DebugLog, "LDR: DLL nosuch.dll not found (needed by miss.exe)\n");
    CHECK(strcmp(Seen.LastPath, "\\SystemRoot\\System32\\nosuch.dll") == 0);
}

TEST(ldr_initialize_thunk_ends_the_process_when_an_export_is_missing) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    if (!run_thunk("missexp.exe", &context, TRUE))
        return;
    CHECK(Exit.Terminated);
    CHECK_STATUS(Exit.Status, STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_TEXT(DebugLog, "LDR: entry point CMissing not found in c.dll\n");
}

TEST(ldr_initialize_thunk_ends_the_process_when_a_dllmain_fails) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    FailInitOf = "c.dll";
    if (!run_thunk("app.exe", &context, TRUE))
        return;
    CHECK(Exit.Terminated);
    CHECK_STATUS(Exit.Status, STATUS_DLL_INIT_FAILED);
}

TEST(a_second_thread_gets_thread_attach_then_continues) {
    CONTEXT first, second;
    memset(&first, 0, sizeof first);
    memset(&second, 0, sizeof second);
    if (!run_thunk("app.exe", &first, TRUE))
        return;
    reset_calls();
    if (!run_thunk("app.exe", &second, TRUE))
        return;
    CHECK(Exit.Continued);
    CHECK(Exit.Context == &second);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:2,b.dll:2,a.dll:2");
    CHECK_EQ(LdrpLoaderLock.LockCount, -1);
}

TEST(the_ldr_exports_work_under_the_loader_lock) {
    CONTEXT context;
    memset(&context, 0, sizeof context);
    if (!run_thunk("plain.exe", &context, TRUE))
        return;
    WCHAR buffer[32];
    UNICODE_STRING name;
    PVOID fwd = NULL, again = NULL, address = NULL;
    init_unicode(&name, buffer, ARRAYSIZE(buffer), "FWD");
    CHECK_STATUS(LdrLoadDll(NULL, NULL, &name, &fwd), STATUS_SUCCESS);
    CHECK(fwd != NULL);
    CHECK_STATUS(LdrGetDllHandle(NULL, NULL, &name, &again), STATUS_SUCCESS);
    CHECK(again == fwd);
    /* A counted name that is not NUL-terminated. */
    char text[] = "FwdOwnXYZ";
    ANSI_STRING procedure = {6, sizeof text, text};
    CHECK_STATUS(LdrGetProcedureAddress(fwd, &procedure, 0, &address), STATUS_SUCCESS);
    CHECK(address != NULL);
    CHECK_EQ((ULONG_PTR)address, (ULONG_PTR)fwd + facts_of("fwd.dll")->Eat[0].Rva);
    /* A long one goes through the heap. */
    char long_name[300];
    memset(long_name, 'Q', sizeof long_name);
    ANSI_STRING long_procedure = {sizeof long_name, sizeof long_name, long_name};
    CHECK_STATUS(LdrGetProcedureAddress(fwd, &long_procedure, 0, &address), STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(LdrGetProcedureAddress(fwd, NULL, 2, &address), STATUS_SUCCESS); /* FwdC -> c.CFunc */
    CHECK_STATUS(LdrDisableThreadCalloutsForDll(fwd), STATUS_SUCCESS);
    reset_calls();
    CHECK_STATUS(LdrShutdownThread(), STATUS_SUCCESS);
    char calls[256];
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:3");
    reset_calls();
    CHECK_STATUS(LdrUnloadDll(fwd), STATUS_SUCCESS);
    call_names(calls, sizeof calls);
    CHECK_TEXT(calls, "c.dll:0,fwd.dll:0");
    CHECK_STATUS(LdrUnloadDll(fwd), STATUS_DLL_NOT_FOUND);
    CHECK_STATUS(LdrShutdownProcess(), STATUS_SUCCESS);
    CHECK_EQ(LdrpLoaderLock.LockCount, -1);
    CHECK_EQ(open_objects(), 0);
}

int main(void) {
    build_fixtures();

    RUN(every_iat_slot_holds_the_run_address_of_its_export);
    RUN(forwarders_by_name_and_by_ordinal_bind_to_their_target);
    RUN(ordinal_imports_bind_to_the_ordinals_export);
    RUN(imports_of_ntdll_through_mingws_libntdll_bind_to_the_built_ntdll);
    RUN(load_order_is_depth_first_and_init_order_puts_dependencies_first);
    RUN(modules_loaded_with_the_process_are_pinned_and_described);
    RUN(a_dll_that_cannot_have_its_base_is_relocated);
    RUN(a_missing_dll_is_named_and_ends_the_load);
    RUN(a_missing_export_is_named_and_everything_loaded_for_it_is_undone);
    RUN(a_missing_ordinal_is_named_with_its_number);
    RUN(import_cycles_load_once_and_bind_both_ways);
    RUN(a_dllmain_returning_false_fails_start_up_before_its_dependents_run);
    RUN(load_dll_loads_binds_and_initializes_with_reserved_null);
    RUN(dll_names_are_matched_without_case_and_get_dll_appended);
    RUN(unload_detaches_and_unmaps_at_zero_in_reverse_order);
    RUN(a_failed_dynamic_load_leaves_nothing_behind);
    RUN(get_procedure_address_by_name_ordinal_and_forwarder);
    RUN(a_forwarder_to_an_unloaded_dll_loads_and_initializes_it);
    RUN(thread_attach_and_detach_reach_every_dll_that_wants_them);
    RUN(shutdown_detaches_everything_in_reverse_and_then_calls_nothing);
    RUN(ldr_initialize_thunk_sets_up_the_process_and_continues);
    RUN(ldr_initialize_thunk_without_parameters_names_the_image_anyway);
    RUN(ldr_initialize_thunk_ends_the_process_when_a_dll_is_missing);
    RUN(ldr_initialize_thunk_ends_the_process_when_an_export_is_missing);
    RUN(ldr_initialize_thunk_ends_the_process_when_a_dllmain_fails);
    RUN(a_second_thread_gets_thread_attach_then_continues);
    RUN(the_ldr_exports_work_under_the_loader_lock);

    int rc = UtFinish();
    if (rc == 0 && FixturesBuilt) {
        char command[PATH_MAX + 32];
        formatf(command, sizeof command, "rm -rf '%s'", FixtureDir);
        if (system(command) != 0)
            printf("could not remove %s\n", FixtureDir);
    }
    return rc;
}
