/*
 * test_ntdll_stubs.c - ntdll.dll's system service stubs are what services.h
 * says, and the DLL exports what mingw-built programs ask for.
 *
 * Why: a stub with the wrong number calls the wrong service; one that pops
 * the wrong number of bytes corrupts its caller's stack; an export under a
 * decorated name ("NtClose@4") leaves every program linked against mingw's
 * libntdll.a unable to load. None of that can be seen until a process runs,
 * so it is checked here on the built file, with tools that do not share our
 * code: the expected numbers come from services.h through the C
 * preprocessor (the kernel's route, not gensvc.py's regular expression), the
 * machine code from `objdump -d`, the export table from `objdump -p`, and
 * the names programs import from a program linked against mingw's own
 * libntdll.a. gensvc.py itself is run on good and broken service lists.
 *
 * Paths: the test runs in $(BUILD)/unit; the DLL is $(BUILD)/system32/ntdll.dll
 * (the Makefile builds it first) and the source tree is found upwards from
 * the test binary.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nt/rtlimage.h>
#include <nt/services.h>

#include "unit.h"

#define MINGW_GCC "i686-w64-mingw32-gcc"
#define MINGW_OBJDUMP "i686-w64-mingw32-objdump"
#define NTDLL_BASE 0x77F00000u

typedef struct _SERVICE {
    const char *Name;
    ULONG Bytes;
} SERVICE;

#define SERVICE_ENTRY(Name, Bytes) {#Name, Bytes},
static const SERVICE Services[] = {NT_SERVICE_TABLE(SERVICE_ENTRY)};
#undef SERVICE_ENTRY

/* What ntdll.def lists besides the services (read from the file). */
#define MAX_EXPORTS 1024
#define MAX_NAME 96

static char RootDir[PATH_MAX];
static char NtdllPath[PATH_MAX];
static char WorkDir[PATH_MAX];

/* objdump -p of ntdll.dll: export names with their RVAs. */
static struct {
    char Name[MAX_NAME];
    ULONG Rva;
} Exports[MAX_EXPORTS];
static ULONG ExportCount;
static ULONG ImageBase, EntryPoint, ImportDescriptorBytes;
static BOOLEAN SawImportedDll;

/* objdump -d of ntdll.dll, whole. */
static char *Disassembly;

/* Names the hand-written .def exports. */
static char DefNames[MAX_EXPORTS][MAX_NAME];
static ULONG DefNameCount;

/* Names a program linked against mingw's libntdll.a imports from ntdll.dll. */
static char MingwImports[64][MAX_NAME];
static ULONG MingwImportCount;

/* snprintf that says whether everything fitted (paths here are short; a
 * cut one fails the command that uses it, loudly). */
static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static BOOLEAN formatf(char *Buffer, size_t Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = vsnprintf(Buffer, Size, Format, args);
    va_end(args);
    return n >= 0 && (size_t)n < Size;
}

/* ---- setup ---- */

static BOOLEAN find_paths(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return FALSE;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return FALSE;
    *slash = 0; /* $(BUILD)/unit */
    formatf(NtdllPath, sizeof NtdllPath, "%s/../system32/ntdll.dll", exe);
    formatf(RootDir, sizeof RootDir, "%s", exe);
    for (int up = 0; up < 8; up++) {
        char probe[PATH_MAX + 32];
        formatf(probe, sizeof probe, "%s/tools/gensvc.py", RootDir);
        if (access(probe, R_OK) == 0)
            return TRUE;
        slash = strrchr(RootDir, '/');
        if (slash == NULL || slash == RootDir)
            return FALSE;
        *slash = 0;
    }
    return FALSE;
}

static BOOLEAN run(const char *Command) {
    char line[4096];
    formatf(line, sizeof line, "cd '%s' && { %s ; } >>run.log 2>&1", WorkDir, Command);
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

/* Parses objdump -p: the export table (names -> EAT index -> RVA), the
 * image base and entry point, and whether any DLL is imported. */
static void parse_exports(void) {
    char path[PATH_MAX + 64], line[512];
    ULONG eat_rva[4096] = {0};
    struct {
        ULONG Index;
        char Name[MAX_NAME];
    } names[MAX_EXPORTS];
    ULONG name_count = 0;
    enum { OTHER, EAT, NAMES } state = OTHER;

    formatf(path, sizeof path, "%s/ntdll.p", WorkDir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned a, b, c;
        char text[256];
        if (sscanf(line, "ImageBase %x", &a) == 1)
            ImageBase = a;
        if (sscanf(line, "AddressOfEntryPoint %x", &a) == 1)
            EntryPoint = a;
        if (sscanf(line, "Entry 1 %x %x", &a, &b) == 2)
            ImportDescriptorBytes = b;
        if (strstr(line, "DLL Name:") != NULL)
            SawImportedDll = TRUE;
        if (strncmp(line, "Export Address Table", 20) == 0) {
            state = EAT;
            continue;
        }
        if (strncmp(line, "[Ordinal/Name Pointer] Table", 28) == 0) {
            state = NAMES;
            continue;
        }
        if (state == EAT && sscanf(line, " [%u] +base[%u] %x", &a, &b, &c) == 3 && a < ARRAYSIZE(eat_rva))
            eat_rva[a] = c;
        else if (state == NAMES && sscanf(line, " [%u] %255s", &a, text) == 2 && name_count < MAX_EXPORTS) {
            names[name_count].Index = a;
            formatf(names[name_count].Name, MAX_NAME, "%s", text);
            name_count++;
        }
    }
    fclose(f);
    for (ULONG i = 0; i < name_count && ExportCount < MAX_EXPORTS; i++) {
        formatf(Exports[ExportCount].Name, MAX_NAME, "%s", names[i].Name);
        Exports[ExportCount].Rva = names[i].Index < ARRAYSIZE(eat_rva) ? eat_rva[names[i].Index] : 0;
        ExportCount++;
    }
}

/* The names ntdll.def lists (EXPORTS lines, comments skipped). */
static void read_def_names(void) {
    char path[PATH_MAX + 64], line[256];
    formatf(path, sizeof path, "%s/libs/ntdll/ntdll.def", RootDir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    BOOLEAN in_exports = FALSE;
    while (fgets(line, sizeof line, f) != NULL) {
        char word[MAX_NAME];
        if (line[0] == ';' || sscanf(line, " %95s", word) != 1 || word[0] == ';')
            continue;
        if (strcmp(word, "EXPORTS") == 0) {
            in_exports = TRUE;
            continue;
        }
        if (in_exports && DefNameCount < MAX_EXPORTS)
            formatf(DefNames[DefNameCount++], MAX_NAME, "%s", word);
    }
    fclose(f);
}

/* A program calling ntdll through mingw's libntdll.a; what does it import? */
static const char MingwProgram[] =
    "typedef void *HANDLE;\n"
    "long __stdcall NtClose(HANDLE);\n"
    "long __stdcall NtCreateEvent(HANDLE *, unsigned long, void *, unsigned long, unsigned char);\n"
    "long __stdcall NtWaitForSingleObject(HANDLE, unsigned char, void *);\n"
    "long __stdcall ZwClose(HANDLE);\n"
    "long __stdcall NtAllocateVirtualMemory(HANDLE, void **, unsigned long, unsigned long *, unsigned long,"
    " unsigned long);\n"
    "long __stdcall NtContinue(void *, unsigned char);\n"
    "long __stdcall RtlEnterCriticalSection(void *);\n"
    "long __stdcall RtlLeaveCriticalSection(void *);\n"
    "long __stdcall LdrLoadDll(void *, void *, void *, void **);\n"
    "long __stdcall LdrGetProcedureAddress(void *, void *, unsigned long, void **);\n"
    "long __stdcall RtlCreateUserProcess(void *, unsigned long, void *, void *, void *, HANDLE,"
    " unsigned char, HANDLE, HANDLE, void *);\n"
    "void *__stdcall RtlAllocateHeap(void *, unsigned long, unsigned long);\n"
    "void __stdcall RtlInitUnicodeString(void *, const unsigned short *);\n"
    "unsigned long DbgPrint(const char *, ...);\n"
    "int entry(void) {\n"
    "    HANDLE h = 0; void *p = 0; unsigned long n = 0;\n"
    "    NtCreateEvent(&h, 0, 0, 1, 0); NtWaitForSingleObject(h, 0, 0); NtClose(h); ZwClose(h);\n"
    "    NtAllocateVirtualMemory(h, &p, 0, &n, 0, 0); NtContinue(p, 0);\n"
    "    RtlEnterCriticalSection(p); RtlLeaveCriticalSection(p); LdrLoadDll(0, 0, 0, &p);\n"
    "    LdrGetProcedureAddress(p, 0, 1, &p); RtlCreateUserProcess(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);\n"
    "    RtlAllocateHeap(p, 0, 1); RtlInitUnicodeString(p, 0);\n"
    "    return (int)DbgPrint(\"%d\", 1);\n"
    "}\n";

static void read_mingw_imports(void) {
    char path[PATH_MAX + 64], line[512];
    formatf(path, sizeof path, "%s/prog.p", WorkDir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    BOOLEAN in_ntdll = FALSE, in_members = FALSE;
    while (fgets(line, sizeof line, f) != NULL) {
        char text[256];
        unsigned a, b;
        if (sscanf(line, " DLL Name: %255s", text) == 1) {
            in_ntdll = strcasecmp(text, "ntdll.dll") == 0;
            in_members = FALSE;
            continue;
        }
        if (in_ntdll && strstr(line, "Hint/Ord") != NULL) {
            in_members = TRUE;
            continue;
        }
        if (in_members && sscanf(line, " %x %u %255s", &a, &b, text) == 3 && MingwImportCount < 64)
            formatf(MingwImports[MingwImportCount++], MAX_NAME, "%s", text);
        else if (in_members && line[0] == '\n')
            in_members = FALSE;
    }
    fclose(f);
}

static void setup(void) {
    if (!find_paths()) {
        printf("cannot find the source tree above the test binary\n");
        return;
    }
    formatf(WorkDir, sizeof WorkDir, "ntdll_stubs.XXXXXX");
    if (mkdtemp(WorkDir) == NULL)
        return;
    char command[3 * PATH_MAX];
    formatf(command, sizeof command,
            MINGW_OBJDUMP " -p '%s' > ntdll.p && " MINGW_OBJDUMP " -d '%s' > ntdll.d", NtdllPath, NtdllPath);
    if (run(command)) {
        parse_exports();
        Disassembly = read_text("ntdll.d");
    }
    read_def_names();

    char source[PATH_MAX + 64];
    formatf(source, sizeof source, "%s/prog.c", WorkDir);
    FILE *f = fopen(source, "w");
    if (f != NULL) {
        fputs(MingwProgram, f);
        fclose(f);
        if (run(MINGW_GCC " -nostdlib -O1 -Wl,-e,_entry -o prog.exe prog.c -lntdll && " MINGW_OBJDUMP
                          " -p prog.exe > prog.p"))
            read_mingw_imports();
    }
}

/* ---- helpers for the checks ---- */

static const char *find_export(const char *Name, ULONG *Rva) {
    for (ULONG i = 0; i < ExportCount; i++)
        if (strcmp(Exports[i].Name, Name) == 0) {
            if (Rva != NULL)
                *Rva = Exports[i].Rva;
            return Exports[i].Name;
        }
    return NULL;
}

/* The four instructions after the label `<Symbol>:` in the disassembly,
 * each as objdump prints it (mnemonic and operands, spaces squeezed). */
static BOOLEAN stub_instructions(const char *Symbol, char Out[4][64]) {
    char label[160];
    formatf(label, sizeof label, "<%s>:\n", Symbol);
    const char *at = Disassembly ? strstr(Disassembly, label) : NULL;
    if (at == NULL)
        return FALSE;
    at += strlen(label);
    for (int i = 0; i < 4; i++) {
        const char *end = strchr(at, '\n');
        if (end == NULL)
            return FALSE;
        /* "addr:\tbytes\tmnemonic operands" */
        const char *tab = memchr(at, '\t', (size_t)(end - at));
        tab = tab ? memchr(tab + 1, '\t', (size_t)(end - tab - 1)) : NULL;
        if (tab == NULL)
            return FALSE;
        int n = 0;
        BOOLEAN space = FALSE;
        for (const char *p = tab + 1; p < end && n < 63; p++) {
            if (*p == ' ') {
                space = TRUE;
                continue;
            }
            if (space && n > 0)
                Out[i][n++] = ' ';
            space = FALSE;
            Out[i][n++] = *p;
        }
        Out[i][n] = 0;
        at = end + 1;
    }
    return TRUE;
}

/* Runs gensvc.py in the work directory (the file names are relative to it). */
static BOOLEAN run_gensvc(const char *Services, const char *Asm, const char *Def) {
    char command[PATH_MAX + 256];
    formatf(command, sizeof command, "python3 '%s/tools/gensvc.py' --services '%s' --asm '%s' --def '%s'",
            RootDir, Services, Asm, Def);
    return run(command);
}

static BOOLEAN write_work_file(const char *Name, const char *Text) {
    char path[PATH_MAX + 64];
    formatf(path, sizeof path, "%s/%s", WorkDir, Name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return FALSE;
    fputs(Text, f);
    return fclose(f) == 0;
}

/* ---- tests ---- */

TEST(every_service_stub_loads_its_number_and_pops_its_bytes) {
    CHECK(Disassembly != NULL);
    for (ULONG n = 0; n < ARRAYSIZE(Services); n++) {
        char symbol[128], instructions[4][64], expected[64];
        formatf(symbol, sizeof symbol, "_%s@%u", Services[n].Name, (unsigned)Services[n].Bytes);
        if (!CHECK(stub_instructions(symbol, instructions))) {
            printf("  no stub %s\n", symbol);
            continue;
        }
        formatf(expected, sizeof expected, "mov $0x%x,%%eax", (unsigned)n);
        if (!CHECK(strcmp(instructions[0], expected) == 0))
            printf("  %s: '%s', expected '%s'\n", symbol, instructions[0], expected);
        CHECK(strcmp(instructions[1], "lea 0x4(%esp),%edx") == 0);
        CHECK(strcmp(instructions[2], "int $0x2e") == 0);
        if (Services[n].Bytes != 0)
            formatf(expected, sizeof expected, "ret $0x%x", (unsigned)Services[n].Bytes);
        else
            formatf(expected, sizeof expected, "ret");
        if (!CHECK(strcmp(instructions[3], expected) == 0))
            printf("  %s: '%s', expected '%s'\n", symbol, instructions[3], expected);
    }
}

TEST(nt_close_is_service_zero_popping_four_bytes) {
    /* The brief's example, spelled out. */
    char instructions[4][64];
    CHECK(strcmp(Services[0].Name, "NtClose") == 0);
    CHECK(stub_instructions("_NtClose@4", instructions));
    CHECK(strcmp(instructions[0], "mov $0x0,%eax") == 0);
    CHECK(strcmp(instructions[1], "lea 0x4(%esp),%edx") == 0);
    CHECK(strcmp(instructions[2], "int $0x2e") == 0);
    CHECK(strcmp(instructions[3], "ret $0x4") == 0);
}

TEST(every_service_is_exported_as_nt_and_zw_at_one_address) {
    CHECK(ExportCount > ARRAYSIZE(Services) * 2);
    for (ULONG n = 0; n < ARRAYSIZE(Services); n++) {
        char zw[128];
        ULONG nt_rva = 0, zw_rva = 1;
        formatf(zw, sizeof zw, "Zw%s", Services[n].Name + 2);
        if (!CHECK(find_export(Services[n].Name, &nt_rva) != NULL))
            printf("  %s is not exported\n", Services[n].Name);
        if (!CHECK(find_export(zw, &zw_rva) != NULL))
            printf("  %s is not exported\n", zw);
        CHECK_EQ(zw_rva, nt_rva);
        CHECK(nt_rva != 0);
    }
}

TEST(no_export_is_decorated) {
    CHECK(ExportCount > 0);
    for (ULONG i = 0; i < ExportCount; i++)
        if (!CHECK(strchr(Exports[i].Name, '@') == NULL))
            printf("  decorated export %s\n", Exports[i].Name);
}

TEST(everything_ntdll_def_lists_is_exported) {
    CHECK(DefNameCount > 50);
    for (ULONG i = 0; i < DefNameCount; i++) {
        ULONG rva = 0;
        if (!CHECK(find_export(DefNames[i], &rva) != NULL))
            printf("  %s is not exported\n", DefNames[i]);
        CHECK(rva != 0);
    }
    CHECK_EQ(ExportCount, DefNameCount + 2 * ARRAYSIZE(Services));
}

TEST(what_mingws_libntdll_imports_is_exported) {
    /* The names the import library's thunks ask the loader for. */
    CHECK(MingwImportCount >= 14);
    for (ULONG i = 0; i < MingwImportCount; i++)
        if (!CHECK(find_export(MingwImports[i], NULL) != NULL))
            printf("  a mingw program imports %s, ntdll does not export it\n", MingwImports[i]);
}

TEST(ntdll_is_based_at_77f00000_without_entry_point_or_imports) {
    CHECK_EQ(ImageBase, NTDLL_BASE);
    CHECK_EQ(EntryPoint, 0);
    CHECK(!SawImportedDll);
    CHECK(ImportDescriptorBytes <= sizeof(IMAGE_IMPORT_DESCRIPTOR));
}

TEST(ntdll_passes_the_kernels_image_validation) {
    FILE *f = fopen(NtdllPath, "rb");
    if (!CHECK(f != NULL))
        return;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    UCHAR *file = malloc((size_t)size);
    CHECK(file != NULL && fread(file, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    PE_IMAGE_INFO info;
    CHECK_STATUS(RtlValidateImageFile(file, (SIZE_T)size, &info), STATUS_SUCCESS);
    CHECK(info.IsDll);
    CHECK_EQ(info.ImageBase, NTDLL_BASE);
    CHECK_EQ(info.EntryPointRva, 0);
    free(file);
}

TEST(gensvc_writes_the_stub_and_def_lines_for_a_list) {
    CHECK(write_work_file("good.h", "/* SERVICE(Commented, 4) */\n"
                                    "#define NT_SERVICE_TABLE(SERVICE) \\\n"
                                    "    SERVICE(NtFirst, 8) \\\n"
                                    "    /* a group */ \\\n"
                                    "    SERVICE(NtSecond, 0)\n"));
    CHECK(run_gensvc("good.h", "good.S", "good.def"));
    char *text = read_text("good.S");
    CHECK(text != NULL);
    if (text != NULL) {
        CHECK(strstr(text, "_NtFirst@8:\n_ZwFirst@8:\n    movl    $0, %eax\n    leal    4(%esp), %edx\n"
                           "    int     $0x2e\n    ret     $8\n") != NULL);
        CHECK(strstr(text, "_NtSecond@0:\n_ZwSecond@0:\n    movl    $1, %eax\n    leal    4(%esp), %edx\n"
                           "    int     $0x2e\n    ret\n") != NULL);
        CHECK(strstr(text, "Commented") == NULL);
        CHECK(strstr(text, ".globl _ZwSecond@0") != NULL);
        free(text);
    }
    text = read_text("good.def");
    CHECK(text != NULL);
    if (text != NULL) {
        CHECK(strstr(text, "    NtFirst = NtFirst@8\n    ZwFirst = ZwFirst@8\n") != NULL);
        CHECK(strstr(text, "    NtSecond = NtSecond@0\n    ZwSecond = ZwSecond@0\n") != NULL);
        free(text);
    }
}

TEST(gensvc_refuses_lists_it_cannot_trust) {
    static const struct {
        const char *Text;
        const char *Complaint;
    } bad[] = {
        {"#define NT_SERVICE_TABLE(SERVICE) SERVICE(NtA, 4) SERVICE(NtA, 8)\n", "listed twice"},
        {"#define NT_SERVICE_TABLE(SERVICE) SERVICE(NtA, 6)\n", "6 argument bytes"},
        {"#define NT_SERVICE_TABLE(SERVICE) SERVICE(NtA, 256)\n", "256 argument bytes"},
        {"#define NT_SERVICE_TABLE(SERVICE) SERVICE(CreateFoo, 4)\n", "not an Nt* name"},
        {"#define NT_SERVICE_TABLE(SERVICE)\n", "list is empty"},
        {"SERVICE(NtA, 4)\n", "no NT_SERVICE_TABLE(SERVICE) list"},
    };
    for (ULONG i = 0; i < ARRAYSIZE(bad); i++) {
        char name[32], out[32], def[32], errors[32], command[PATH_MAX + 256];
        formatf(name, sizeof name, "bad%u.h", (unsigned)i);
        formatf(out, sizeof out, "bad%u.S", (unsigned)i);
        formatf(def, sizeof def, "bad%u.def", (unsigned)i);
        formatf(errors, sizeof errors, "bad%u.err", (unsigned)i);
        CHECK(write_work_file(name, bad[i].Text));
        CHECK(formatf(command, sizeof command,
                      "cd '%s' && python3 '%s/tools/gensvc.py' --services %s --asm %s --def %s 2>%s", WorkDir,
                      RootDir, name, out, def, errors));
        if (!CHECK(system(command) != 0))
            printf("  gensvc accepted list %u\n", (unsigned)i);
        char *complaint = read_text(errors);
        if (!CHECK(complaint != NULL && strstr(complaint, bad[i].Complaint) != NULL))
            printf("  list %u: expected a complaint about '%s', got: %s\n", (unsigned)i, bad[i].Complaint,
                   complaint ? complaint : "(nothing)");
        free(complaint);
        char path[PATH_MAX + 64];
        formatf(path, sizeof path, "%s/%s", WorkDir, out);
        CHECK(access(path, F_OK) != 0);
    }
}

int main(void) {
    setup();

    RUN(every_service_stub_loads_its_number_and_pops_its_bytes);
    RUN(nt_close_is_service_zero_popping_four_bytes);
    RUN(every_service_is_exported_as_nt_and_zw_at_one_address);
    RUN(no_export_is_decorated);
    RUN(everything_ntdll_def_lists_is_exported);
    RUN(what_mingws_libntdll_imports_is_exported);
    RUN(ntdll_is_based_at_77f00000_without_entry_point_or_imports);
    RUN(ntdll_passes_the_kernels_image_validation);
    RUN(gensvc_writes_the_stub_and_def_lines_for_a_list);
    RUN(gensvc_refuses_lists_it_cannot_trust);
    int rc = UtFinish();
    if (rc == 0 && WorkDir[0] != 0) {
        char command[PATH_MAX + 32];
        formatf(command, sizeof command, "rm -rf '%s'", WorkDir);
        if (system(command) != 0)
            printf("could not remove %s\n", WorkDir);
    }
    return rc;
}
