/*
 * test_kernel32_exports.c - kernel32.dll exports what stock mingw-w64
 * programs import, with the argument sizes they call with.
 *
 * Why: a program built with a plain i686-w64-mingw32-gcc calls kernel32
 * through libkernel32.a, which names each function by its stdcall
 * decoration (_CreateFileA@28) and imports it by its plain name. The .def
 * file matches names only (--enable-stdcall-fixup), so a prototype with one
 * argument too many or too few would link and then unbalance the stack at
 * run time. This test reads the decorations of kernel32's own objects and
 * of mingw's import library and requires them to agree for every export;
 * then it requires that the built DLL exports every kernel32 function that
 * mingw's start-up code, libmingwex, libmingw32 and libgcc import (read
 * from those libraries, so a toolchain update is noticed), and every one
 * msvcrt.dll imports (a fixed list, agreed with msvcrt's author).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#define MINGW "i686-w64-mingw32-"
#define MAX_NAMES 4096

typedef struct _NAME_SET {
    char *Name[MAX_NAMES];
    int Bytes[MAX_NAMES]; /* the @N of the decoration, or -1 */
    int Count;
} NAME_SET;

static char BuildDir[PATH_MAX + 8], RootDir[PATH_MAX];

static BOOLEAN find_paths(void) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return FALSE;
    exe[n] = 0;
    *strrchr(exe, '/') = 0; /* $(BUILD)/unit */
    snprintf(BuildDir, sizeof BuildDir, "%s/..", exe);
    snprintf(RootDir, sizeof RootDir, "%s", exe);
    for (int up = 0; up < 8; up++) {
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/libs/kernel32/kernel32.def", RootDir);
        if (access(probe, R_OK) == 0)
            return TRUE;
        char *slash = strrchr(RootDir, '/');
        if (slash == NULL || slash == RootDir)
            return FALSE;
        *slash = 0;
    }
    return FALSE;
}

static int find(const NAME_SET *Set, const char *Name) {
    for (int i = 0; i < Set->Count; i++)
        if (strcmp(Set->Name[i], Name) == 0)
            return i;
    return -1;
}

static void add(NAME_SET *Set, const char *Name, int Bytes) {
    if (find(Set, Name) >= 0 || Set->Count >= MAX_NAMES)
        return;
    Set->Name[Set->Count] = strdup(Name);
    Set->Bytes[Set->Count++] = Bytes;
}

static void free_set(NAME_SET *Set) {
    for (int i = 0; i < Set->Count; i++)
        free(Set->Name[i]);
    Set->Count = 0;
}

/* Adds every symbol Prefix + "Name@N" in the output of Command. */
static BOOLEAN read_decorations(const char *Command, const char *Prefix, char Kind, NAME_SET *Set) {
    FILE *p = popen(Command, "r");
    if (p == NULL)
        return FALSE;
    char line[512];
    size_t prefix = strlen(Prefix);
    while (fgets(line, sizeof line, p) != NULL) {
        char kind = 0, symbol[400] = {0};
        /* nm lines: "00000000 T _Name@8" or "         U __imp__Name@8" */
        char *s = line;
        while (*s == ' ' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))
            s++;
        if (sscanf(s, "%c %399s", &kind, symbol) != 2 || kind != Kind || strncmp(symbol, Prefix, prefix) != 0)
            continue;
        char *at = strrchr(symbol + prefix, '@');
        if (at == NULL)
            continue;
        *at = 0;
        add(Set, symbol + prefix, atoi(at + 1));
    }
    return pclose(p) == 0;
}

/* The names kernel32.def exports (for "A = B", A). */
static BOOLEAN read_def(NAME_SET *Set, NAME_SET *Targets) {
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/libs/kernel32/kernel32.def", RootDir);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return FALSE;
    char line[512];
    BOOLEAN exports = FALSE;
    while (fgets(line, sizeof line, f) != NULL) {
        char a[256] = {0}, eq[4] = {0}, b[256] = {0};
        if (line[0] == ';')
            continue;
        int n = sscanf(line, "%255s %3s %255s", a, eq, b);
        if (n < 1)
            continue;
        if (strcmp(a, "EXPORTS") == 0) {
            exports = TRUE;
            continue;
        }
        if (!exports)
            continue;
        add(Set, a, -1);
        add(Targets, n == 3 && strcmp(eq, "=") == 0 ? b : a, -1);
    }
    fclose(f);
    return TRUE;
}

/* The names the built DLL's export table holds. */
static BOOLEAN read_dll_exports(NAME_SET *Set) {
    char command[PATH_MAX + 128];
    snprintf(command, sizeof command, MINGW "objdump -p '%s/system32/kernel32.dll'", BuildDir);
    FILE *p = popen(command, "r");
    if (p == NULL)
        return FALSE;
    char line[512];
    BOOLEAN table = FALSE;
    while (fgets(line, sizeof line, p) != NULL) {
        if (strstr(line, "[Ordinal/Name Pointer] Table") != NULL) {
            table = TRUE;
            continue;
        }
        char *close = strchr(line, ']');
        if (table && line[0] == '\t' && close != NULL) {
            char name[256];
            if (sscanf(close + 1, "%255s", name) == 1)
                add(Set, name, -1);
        } else if (table && line[0] != '\t') {
            table = FALSE;
        }
    }
    return pclose(p) == 0;
}

static NAME_SET Ours, Library, Def, DefTargets, Dll;

TEST(every_export_has_the_decoration_libkernel32_calls_it_by) {
    char command[PATH_MAX + 256];
    if (!CHECK(find_paths()) || !CHECK(read_def(&Def, &DefTargets)))
        return;
    snprintf(command, sizeof command, MINGW "nm -g --defined-only %s/uobj/libs/kernel32/*.o", BuildDir);
    CHECK(read_decorations(command, "_", 'T', &Ours));
    CHECK(read_decorations(MINGW "nm \"$(" MINGW "gcc -print-file-name=libkernel32.a)\" 2>/dev/null",
                           "__imp__", 'I', &Library));
    CHECK(Library.Count > 1000);
    int compared = 0;
    for (int i = 0; i < DefTargets.Count; i++) {
        int ours = find(&Ours, DefTargets.Name[i]);
        if (!CHECK(ours >= 0)) {
            printf("  %s is exported but no object defines _%s@N\n", DefTargets.Name[i], DefTargets.Name[i]);
            continue;
        }
        int lib = find(&Library, DefTargets.Name[i]);
        if (lib < 0)
            continue;
        compared++;
        if (!CHECK(Ours.Bytes[ours] == Library.Bytes[lib]))
            printf("  %s: kernel32 pops %d bytes, libkernel32.a pushes %d\n", DefTargets.Name[i],
                   Ours.Bytes[ours], Library.Bytes[lib]);
    }
    printf("  %d exports compared with libkernel32.a\n", compared);
    CHECK(compared > 150);
    free_set(&Ours);
    free_set(&Library);
    free_set(&Def);
    free_set(&DefTargets);
}

TEST(what_mingw_runtime_libraries_import_is_exported) {
    char command[PATH_MAX + 512];
    if (!CHECK(find_paths()) || !CHECK(read_dll_exports(&Dll)))
        return;
    CHECK(read_decorations(MINGW "nm \"$(" MINGW "gcc -print-file-name=libkernel32.a)\" 2>/dev/null",
                           "__imp__", 'I', &Library));
    /* Undefined __imp__ references in the start-up objects and libraries. */
    snprintf(
        command, sizeof command,
        "d=$(dirname \"$(" MINGW "gcc -print-file-name=libkernel32.a)\"); "
        "for f in $d/crt2.o $d/crt1.o $d/crt2u.o $d/crt1u.o $d/dllcrt2.o $d/libmingw32.a $d/libmingwex.a "
        "$d/libmingwthrd.a \"$(" MINGW "gcc -print-libgcc-file-name)\" "
        "\"$(" MINGW "gcc -print-file-name=libgcc_eh.a)\"; do [ -f \"$f\" ] && " MINGW "nm \"$f\"; done "
        "2>/dev/null; true");
    NAME_SET referenced = {0};
    CHECK(read_decorations(command, "__imp__", 'U', &referenced));
    int needed = 0;
    for (int i = 0; i < referenced.Count; i++) {
        if (find(&Library, referenced.Name[i]) < 0)
            continue; /* not a kernel32 function */
        needed++;
        if (!CHECK(find(&Dll, referenced.Name[i]) >= 0))
            printf("  mingw's run-time imports %s, which kernel32.dll does not export\n", referenced.Name[i]);
    }
    printf("  %d kernel32 functions imported by mingw's run-time libraries\n", needed);
    CHECK(needed > 20);
    free_set(&referenced);
    free_set(&Library);
    free_set(&Dll);
}

TEST(what_msvcrt_imports_is_exported) {
    static const char *msvcrt[] = {"GetStdHandle",
                                   "WriteFile",
                                   "ReadFile",
                                   "CreateFileA",
                                   "CloseHandle",
                                   "GetFileSize",
                                   "SetFilePointer",
                                   "GetProcessHeap",
                                   "HeapAlloc",
                                   "HeapFree",
                                   "HeapReAlloc",
                                   "HeapSize",
                                   "ExitProcess",
                                   "GetCommandLineA",
                                   "GetCommandLineW",
                                   "GetEnvironmentStringsA",
                                   "GetEnvironmentStringsW",
                                   "FreeEnvironmentStringsA",
                                   "FreeEnvironmentStringsW",
                                   "GetModuleHandleA",
                                   "GetModuleFileNameA",
                                   "GetProcAddress",
                                   "GetLastError",
                                   "SetLastError",
                                   "InitializeCriticalSection",
                                   "EnterCriticalSection",
                                   "LeaveCriticalSection",
                                   "DeleteCriticalSection",
                                   "TlsAlloc",
                                   "TlsGetValue",
                                   "TlsSetValue",
                                   "GetTickCount",
                                   "QueryPerformanceCounter",
                                   "QueryPerformanceFrequency",
                                   "GetSystemTimeAsFileTime",
                                   "MultiByteToWideChar",
                                   "WideCharToMultiByte",
                                   "OutputDebugStringA",
                                   "GetCurrentThreadId",
                                   "GetCurrentProcessId",
                                   "GetCurrentProcess",
                                   "TerminateProcess",
                                   "Sleep",
                                   "SetUnhandledExceptionFilter"};
    if (!CHECK(find_paths()) || !CHECK(read_dll_exports(&Dll)))
        return;
    for (size_t i = 0; i < ARRAYSIZE(msvcrt); i++)
        if (!CHECK(find(&Dll, msvcrt[i]) >= 0))
            printf("  msvcrt.dll imports %s, which kernel32.dll does not export\n", msvcrt[i]);
    free_set(&Dll);
}

TEST(the_dll_imports_only_ntdll) {
    char command[PATH_MAX + 128];
    if (!CHECK(find_paths()))
        return;
    snprintf(command, sizeof command, MINGW "objdump -p '%s/system32/kernel32.dll' | grep 'DLL Name'",
             BuildDir);
    FILE *p = popen(command, "r");
    if (!CHECK(p != NULL))
        return;
    char line[256];
    int dlls = 0;
    while (fgets(line, sizeof line, p) != NULL) {
        dlls++;
        CHECK(strstr(line, "ntdll.dll") != NULL);
    }
    pclose(p);
    CHECK_EQ(dlls, 1);
}

int main(void) {
    RUN(every_export_has_the_decoration_libkernel32_calls_it_by);
    RUN(what_mingw_runtime_libraries_import_is_exported);
    RUN(what_msvcrt_imports_is_exported);
    RUN(the_dll_imports_only_ntdll);
    return UtFinish();
}
