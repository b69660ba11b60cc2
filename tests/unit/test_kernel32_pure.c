/*
 * test_kernel32_pure.c - kernel32's pure parts on the host: the NTSTATUS to
 * Win32 error table, Win32 paths to NT names and back, the program name in a
 * command line, code-page conversion and lstr*, the console line buffer,
 * FILETIME <-> SYSTEMTIME, and environment blocks.
 *
 * Why: these decide what a Win32 program sees (GetLastError's number, the
 * file CreateFile opens, the image CreateProcess runs, the bytes argv is
 * made of, the log lines its output becomes) and none of it needs the
 * kernel, so each is driven here through its edge cases under ASan/UBSan,
 * with buffers sized exactly so an overrun is caught. The error table is
 * checked against every status the kernel, ntdll and kernel32 define: the
 * headers and the kernel's sources are read at run time, so a status added
 * later without a row fails this test.
 */
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../libs/kernel32/cmdline.c"
#include "../../libs/kernel32/conbuf.c"
#include "../../libs/kernel32/envblk.c"
#include "../../libs/kernel32/errtab.c"
#include "../../libs/kernel32/nls.c"
#include "../../libs/kernel32/path.c"
#include "../../libs/kernel32/timeconv.c"
#include "unit.h"

/* ---- what the pure code calls ---- */

static DWORD LastError;

VOID WINAPI SetLastError(DWORD ErrorCode) {
    LastError = ErrorCode;
}

/* ---- helpers ---- */

/* A UTF-16 copy of an ASCII string in a buffer of exactly the needed size. */
static PWSTR W(const char *S) {
    size_t n = strlen(S);
    PWSTR w = malloc((n + 1) * sizeof(WCHAR));
    for (size_t i = 0; i <= n; i++)
        w[i] = (UCHAR)S[i];
    return w;
}

/* TRUE when the UTF-16 string equals the ASCII one. */
static BOOLEAN weq(PCWSTR A, const char *B) {
    size_t i = 0;
    for (; B[i] != 0; i++)
        if (A[i] != (UCHAR)B[i])
            return FALSE;
    return A[i] == 0;
}

static char RootDir[PATH_MAX];

static BOOLEAN find_root(void) {
    ssize_t n = readlink("/proc/self/exe", RootDir, sizeof RootDir - 1);
    if (n <= 0)
        return FALSE;
    RootDir[n] = 0;
    for (int up = 0; up < 8; up++) {
        char *slash = strrchr(RootDir, '/');
        if (slash == NULL || slash == RootDir)
            return FALSE;
        *slash = 0;
        char probe[PATH_MAX + 64];
        snprintf(probe, sizeof probe, "%s/libs/kernel32/errtab.c", RootDir);
        if (access(probe, R_OK) == 0)
            return TRUE;
    }
    return FALSE;
}

/* ---- the error table ---- */

TEST(errors_of_common_statuses) {
    CHECK_EQ(BasepNtStatusToDosError(STATUS_SUCCESS), ERROR_SUCCESS);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_INVALID_HANDLE), ERROR_INVALID_HANDLE);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_OBJECT_TYPE_MISMATCH), ERROR_INVALID_HANDLE);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_OBJECT_NAME_NOT_FOUND), ERROR_FILE_NOT_FOUND);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_OBJECT_PATH_NOT_FOUND), ERROR_PATH_NOT_FOUND);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_NO_MEMORY), ERROR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_ACCESS_VIOLATION), ERROR_NOACCESS);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_DLL_NOT_FOUND), ERROR_MOD_NOT_FOUND);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_ENTRYPOINT_NOT_FOUND), ERROR_PROC_NOT_FOUND);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_INVALID_PARAMETER_3), ERROR_INVALID_PARAMETER);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_MUTANT_NOT_OWNED), ERROR_NOT_OWNER);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_SEMAPHORE_LIMIT_EXCEEDED), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_CONFLICTING_ADDRESSES), ERROR_INVALID_ADDRESS);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_OBJECT_NAME_EXISTS), ERROR_ALREADY_EXISTS);
    CHECK_EQ(BasepNtStatusToDosError(STATUS_INVALID_IMAGE_FORMAT), ERROR_BAD_EXE_FORMAT);
}

TEST(wrapped_win32_errors_unwrap_and_unknown_statuses_have_no_message) {
    CHECK_EQ(BasepNtStatusToDosError((NTSTATUS)0xC0070005), ERROR_ACCESS_DENIED);
    CHECK_EQ(BasepNtStatusToDosError((NTSTATUS)0x80070057), ERROR_INVALID_PARAMETER);
    CHECK_EQ(BasepNtStatusToDosError((NTSTATUS)0xC0001234), ERROR_MR_MID_NOT_FOUND);
    CHECK_EQ(BasepNtStatusToDosError((NTSTATUS)0xE0000001), ERROR_MR_MID_NOT_FOUND);
}

/* Every "#define STATUS_X ((NTSTATUS)0x...)" in File must have a row. */
static void check_file_statuses(const char *Path, ULONG *Seen) {
    unsigned char *text = NULL;
    size_t size = 0;
    if (!UtReadFile(Path, &text, &size)) {
        free(text);
        return;
    }
    for (char *p = (char *)text; (p = strstr(p, "#define STATUS_")) != NULL; p++) {
        char name[80];
        unsigned long value;
        if (sscanf(p, "#define %79s ((NTSTATUS)%lx", name, &value) != 2)
            continue;
        (*Seen)++;
        if (BasepFindStatus((NTSTATUS)(ULONG)value) == NULL) {
            printf("  %s: %s (0x%08lX) has no row in errtab.c\n", Path, name, value);
            CHECK(FALSE);
        }
    }
    free(text);
}

static void check_directory_statuses(const char *Directory, const char *Suffix, ULONG *Seen) {
    DIR *d = opendir(Directory);
    if (d == NULL)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name), s = strlen(Suffix);
        if (n > s && strcmp(e->d_name + n - s, Suffix) == 0) {
            char path[PATH_MAX + 300];
            snprintf(path, sizeof path, "%s/%s", Directory, e->d_name);
            check_file_statuses(path, Seen);
        }
    }
    closedir(d);
}

TEST(every_status_the_system_defines_has_a_row) {
    if (!CHECK(find_root()))
        return;
    ULONG seen = 0;
    char path[PATH_MAX + 64];
    static const char *dirs[] = {"libs/include/nt", "kernel/include",
                                 "kernel/ke",       "kernel/mm",
                                 "kernel/ob",       "kernel/ps",
                                 "kernel/ex",       "kernel/io",
                                 "kernel/lpc",      "libs/ntdll",
                                 "libs/rtl",        "libs/kernel32",
                                 "subsys/csrss",    "subsys/csrss/basesrv",
                                 "libs/include/csr"};
    for (size_t i = 0; i < ARRAYSIZE(dirs); i++) {
        snprintf(path, sizeof path, "%s/%s", RootDir, dirs[i]);
        check_directory_statuses(path, ".h", &seen);
        check_directory_statuses(path, ".c", &seen);
    }
    CHECK(seen > 80); /* the headers were really read */
}

/* ---- paths ---- */

/* Converts Dos with CurrentDirectory Cur into a buffer of Capacity WCHARs. */
static NTSTATUS convert(const char *Dos, const char *Cur, ULONG Capacity, char *Out, ULONG *FilePart) {
    PWSTR dos = W(Dos), cur = Cur ? W(Cur) : NULL;
    PWSTR buffer = malloc(Capacity * sizeof(WCHAR));
    NTSTATUS status = BasepDosPathToNtPath(dos, cur, buffer, Capacity, FilePart);
    Out[0] = 0;
    if (NT_SUCCESS(status)) {
        ULONG i = 0;
        for (; buffer[i] != 0; i++)
            Out[i] = (char)buffer[i];
        Out[i] = 0;
    }
    free(dos);
    free(cur);
    free(buffer);
    return status;
}

#define CHECK_PATH(dos, cur, expected)                                                                       \
    do {                                                                                                     \
        char out_[600];                                                                                      \
        CHECK_STATUS(convert(dos, cur, 300, out_, NULL), STATUS_SUCCESS);                                    \
        if (!CHECK(strcmp(out_, expected) == 0))                                                             \
            printf("    %s -> %s, expected %s\n", dos, out_, expected);                                      \
    } while (0)

TEST(drive_paths_become_dos_devices_names) {
    CHECK_PATH("C:\\System32\\smss.ini", "C:\\", "\\??\\C:\\System32\\smss.ini");
    CHECK_PATH("c:/a/b/../c/./d", "C:\\", "\\??\\C:\\a\\c\\d");
    CHECK_PATH("C:\\..\\..\\x", "C:\\", "\\??\\C:\\x");
    CHECK_PATH("C:\\a\\\\\\b", "C:\\", "\\??\\C:\\a\\b");
    CHECK_PATH("C:\\dir\\", "C:\\", "\\??\\C:\\dir\\");
    CHECK_PATH("C:\\", "D:\\", "\\??\\C:\\");
    CHECK_PATH("C:\\a\\..", "C:\\", "\\??\\C:\\");
}

TEST(relative_paths_complete_from_the_current_directory) {
    CHECK_PATH("x.dll", "C:\\System32\\", "\\??\\C:\\System32\\x.dll");
    CHECK_PATH("x.dll", "C:\\System32", "\\??\\C:\\System32\\x.dll");
    CHECK_PATH("..\\smss.ini", "C:\\System32\\", "\\??\\C:\\smss.ini");
    CHECK_PATH("..\\..\\..\\a", "C:\\b\\", "\\??\\C:\\a");
    CHECK_PATH("\\foo", "D:\\bar\\", "\\??\\D:\\foo");
    CHECK_PATH("C:x", "C:\\dir\\", "\\??\\C:\\dir\\x");
    CHECK_PATH("D:x", "C:\\dir\\", "\\??\\D:\\x");
    CHECK_PATH("C:", "C:\\dir\\", "\\??\\C:\\dir");
    CHECK_PATH("x", NULL, "\\??\\C:\\x");      /* no current directory: C:\ */
    CHECK_PATH("x", "garbage", "\\??\\C:\\x"); /* nor a usable one */
}

TEST(device_and_unc_paths) {
    CHECK_PATH("\\\\?\\C:\\a\\..\\b", "C:\\", "\\??\\C:\\a\\..\\b");
    CHECK_PATH("\\\\.\\COM1", "C:\\", "\\??\\COM1");
    CHECK_PATH("\\\\.\\C:\\a\\.\\b", "C:\\", "\\??\\C:\\a\\b");
    CHECK_PATH("\\\\server\\share\\x", "C:\\", "\\??\\UNC\\server\\share\\x");
    CHECK_EQ(BasepPathType(u"\\\\."), BasepPathRootLocalDevice);
}

TEST(bad_and_too_long_paths_are_refused) {
    char out[64];
    ULONG part = 0;
    CHECK_STATUS(convert("", "C:\\", 64, out, NULL), STATUS_OBJECT_NAME_INVALID);
    WCHAR buffer[8];
    CHECK_STATUS(BasepDosPathToNtPath(NULL, u"C:\\", buffer, 8, NULL), STATUS_OBJECT_NAME_INVALID);
    CHECK_STATUS(convert("C:\\abcdef", "C:\\", 8, out, NULL), STATUS_NAME_TOO_LONG);
    CHECK_STATUS(convert("C:\\abcdef", "C:\\", 14, out, NULL), STATUS_NAME_TOO_LONG);
    CHECK_STATUS(convert("C:\\abcdef", "C:\\", 15, out, &part), STATUS_SUCCESS); /* exactly fits */
    CHECK_STATUS(convert("\\\\?\\abcdefgh", "C:\\", 8, out, NULL), STATUS_NAME_TOO_LONG);
    CHECK_STATUS(BasepDosPathToNtPath(u"C:\\x", u"C:\\", buffer, 0, NULL), STATUS_INVALID_PARAMETER);
}

TEST(file_part_is_the_last_component) {
    char out[64];
    ULONG part = 0;
    CHECK_STATUS(convert("C:\\a\\b.txt", "C:\\", 64, out, &part), STATUS_SUCCESS);
    CHECK(strcmp(out + part, "b.txt") == 0);
    CHECK_STATUS(convert("C:\\", "C:\\", 64, out, &part), STATUS_SUCCESS);
    CHECK_EQ(part, 7); /* after "\??\C:\": nothing */
}

static void check_nt_to_dos(const char *Nt, ULONG Capacity, const char *Expected, ULONG ExpectedLength) {
    PWSTR nt = W(Nt);
    PWSTR buffer = malloc(Capacity * sizeof(WCHAR));
    ULONG n = BasepNtPathToDosPath(nt, (ULONG)strlen(Nt), u"C:\\", buffer, Capacity);
    CHECK_EQ(n, ExpectedLength);
    if (!CHECK(weq(buffer, Expected)))
        printf("    %s did not become %s\n", Nt, Expected);
    free(nt);
    free(buffer);
}

TEST(loader_names_become_win32_names) {
    check_nt_to_dos("\\SystemRoot\\System32\\ntdll.dll", 64, "C:\\System32\\ntdll.dll", 21);
    check_nt_to_dos("\\systemroot\\x", 64, "C:\\x", 4);
    check_nt_to_dos("\\SystemRoot", 64, "C:\\", 3);
    check_nt_to_dos("\\??\\D:\\y.dll", 64, "D:\\y.dll", 8);
    check_nt_to_dos("\\??\\UNC\\s\\x", 64, "\\\\s\\x", 5);
    check_nt_to_dos("\\Device\\X", 64, "\\Device\\X", 9);
    check_nt_to_dos("\\SystemRoot\\System32\\ntdll.dll", 6, "C:\\Sy", 21); /* cut, terminated */
}

/* ---- command lines ---- */

static void check_image(const char *Line, ULONG Capacity, const char *Expected) {
    PWSTR line = W(Line);
    PWSTR buffer = malloc(Capacity * sizeof(WCHAR));
    ULONG n = BasepCommandLineImageName(line, buffer, Capacity);
    if (Expected == NULL) {
        CHECK_EQ(n, 0);
    } else {
        CHECK_EQ(n, strlen(Expected));
        if (!CHECK(n > 0 && weq(buffer, Expected)))
            printf("    image of [%s] wrong\n", Line);
    }
    free(line);
    free(buffer);
}

TEST(the_image_is_the_first_word_or_the_quoted_name) {
    check_image("\"C:\\My Dir\\x.exe\" -a b", 64, "C:\\My Dir\\x.exe");
    check_image("  prog arg", 64, "prog");
    check_image("prog\targ", 64, "prog");
    check_image("k32child.exe", 64, "k32child.exe");
    check_image("\"unterminated", 64, "unterminated");
    check_image("", 64, NULL);
    check_image("   ", 64, NULL);
    check_image("\"\" x", 64, NULL);
    check_image("abcdef", 6, NULL); /* no room for the NUL */
    check_image("abcdef", 7, "abcdef");
}

TEST(extensions_and_quoting) {
    CHECK(BasepHasExtension(u"x.exe"));
    CHECK(!BasepHasExtension(u"dir.d\\x"));
    CHECK(!BasepHasExtension(u"x"));
    CHECK(BasepHasExtension(u"C:x.y"));
    CHECK(!BasepHasExtension(NULL));
    WCHAR out[20];
    CHECK_EQ(BasepQuoteName(u"C:\\My Dir\\x", out, 20), 13);
    CHECK(weq(out, "\"C:\\My Dir\\x\""));
    CHECK_EQ(BasepQuoteName(u"x.exe", out, 6), 5);
    CHECK(weq(out, "x.exe"));
    CHECK_EQ(BasepQuoteName(u"x.exe", out, 5), 0);
    CHECK_EQ(BasepQuoteName(u"a b", out, 5), 0);
}

/* ---- code pages ---- */

TEST(ansi_is_windows_1252) {
    WCHAR w[8];
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, "A\x80\xFF", 3, w, 8), 3);
    CHECK_EQ(w[0], 0x41);
    CHECK_EQ(w[1], 0x20AC);
    CHECK_EQ(w[2], 0xFF);
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, "abc", -1, NULL, 0), 4); /* the NUL counts */
    CHECK_EQ(MultiByteToWideChar(CP_OEMCP, 0, "abc", -1, w, 4), 4);
    CHECK_EQ(w[3], 0);

    char a[8];
    BOOL used = TRUE;
    const WCHAR euro[] = {0x20AC, 0x41, 0};
    CHECK_EQ(WideCharToMultiByte(CP_ACP, 0, euro, -1, a, 8, NULL, &used), 3);
    CHECK_EQ((UCHAR)a[0], 0x80);
    CHECK(!used);
    const WCHAR han[] = {0x4E2D, 0};
    CHECK_EQ(WideCharToMultiByte(CP_ACP, 0, han, 1, a, 8, NULL, &used), 1);
    CHECK_EQ(a[0], '?');
    CHECK(used);
    CHECK_EQ(WideCharToMultiByte(CP_ACP, 0, han, 1, a, 8, "#", NULL), 1);
    CHECK_EQ(a[0], '#');
}

TEST(utf8_round_trips_and_rejects_malformed_input) {
    WCHAR w[8];
    char a[16];
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xC3\xA9", 2, w, 8), 1);
    CHECK_EQ(w[0], 0xE9);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xF0\x9F\x98\x80", 4, w, 8), 2);
    CHECK_EQ(w[0], 0xD83D);
    CHECK_EQ(w[1], 0xDE00);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, w, 2, a, 16, NULL, NULL), 4);
    CHECK(memcmp(a, "\xF0\x9F\x98\x80", 4) == 0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xC3(", 2, w, 8), 2);
    CHECK_EQ(w[0], 0xFFFD);
    CHECK_EQ(w[1], '(');
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "\xC3(", 2, w, 8), 0);
    CHECK_EQ(LastError, ERROR_NO_UNICODE_TRANSLATION);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xC0\x80", 2, w, 8), 2);     /* overlong: two bad bytes */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xED\xA0\x80", 3, w, 8), 3); /* an encoded surrogate */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xE2\x82", 2, w, 8), 2);     /* cut short */
    const WCHAR lone[] = {0xD800, 0x41};
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, lone, 2, a, 16, NULL, NULL), 4);
    CHECK(memcmp(a,
                 "\xEF\xBF\xBD"
                 "A",
                 4) == 0);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, lone, 2, a, 16, NULL, NULL), 0);
    CHECK_EQ(LastError, ERROR_NO_UNICODE_TRANSLATION);
    const WCHAR e[] = {0xE9, 0x800, 0};
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, e, -1, NULL, 0, NULL, NULL), 6);
}

TEST(conversion_errors) {
    WCHAR w[2];
    char a[2];
    BOOL used;
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, "abc", 3, w, 2), 0);
    CHECK_EQ(LastError, ERROR_INSUFFICIENT_BUFFER);
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(932, 0, "abc", 3, w, 2), 0);
    CHECK_EQ(LastError, ERROR_INVALID_PARAMETER);
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, NULL, 3, w, 2), 0);
    CHECK_EQ(LastError, ERROR_INVALID_PARAMETER);
    LastError = 0;
    CHECK_EQ(MultiByteToWideChar(CP_ACP, 0, "a", 0, w, 2), 0);
    CHECK_EQ(LastError, ERROR_INVALID_PARAMETER);
    LastError = 0;
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, u"a", 1, a, 2, NULL, &used), 0);
    CHECK_EQ(LastError, ERROR_INVALID_PARAMETER);
    LastError = 0;
    CHECK_EQ(WideCharToMultiByte(CP_ACP, 0, u"abc", 3, a, 2, NULL, NULL), 0);
    CHECK_EQ(LastError, ERROR_INSUFFICIENT_BUFFER);
    CHECK(!IsDBCSLeadByte(0x81));
    CHECK(!IsDBCSLeadByteEx(CP_ACP, 0x81));
    CHECK_EQ(GetACP(), 1252);
}

TEST(lstr_functions) {
    CHECK_EQ(lstrlenA("abc"), 3);
    CHECK_EQ(lstrlenA(NULL), 0);
    CHECK_EQ(lstrlenW(u"abcd"), 4);
    CHECK_EQ(lstrlenW(NULL), 0);
    CHECK_EQ(lstrcmpA("a", "b"), -1);
    CHECK_EQ(lstrcmpA("b", "a"), 1);
    CHECK_EQ(lstrcmpA("ab", "ab"), 0);
    CHECK_EQ(lstrcmpA("a", "ab"), -1);
    CHECK_EQ(lstrcmpA(NULL, ""), 0);
    CHECK_EQ(lstrcmpiA("abc", "ABC"), 0);
    CHECK_EQ(lstrcmpiA("abc", "ABD"), -1);
    CHECK_EQ(lstrcmpiW(u"\u00e9t\u00e9", u"\u00c9T\u00c9"), 0);
    CHECK_EQ(lstrcmpW(u"a", u"A"), 1);
    char a[4];
    WCHAR w[4];
    CHECK(lstrcpyA(a, "xyz") == a && strcmp(a, "xyz") == 0);
    CHECK(lstrcpyW(w, u"xyz") == w && weq(w, "xyz"));
    CHECK(lstrcpyA(NULL, "x") == NULL);
}

/* ---- the console line buffer ---- */

static char Lines[8][BASEP_LINE_MAX + 2];
static ULONG LineCount;

static VOID sink(PVOID Context, PCSTR Text, ULONG Length) {
    (void)Context;
    if (LineCount < 8 && Length <= BASEP_LINE_MAX + 1) {
        memcpy(Lines[LineCount], Text, Length);
        Lines[LineCount][Length] = 0;
    }
    LineCount++;
}

TEST(partial_lines_wait_for_their_newline) {
    BASEP_LINE_BUFFER b = {0};
    LineCount = 0;
    BasepLineBufferWrite(&b, "3 passed", 8, sink, NULL);
    CHECK_EQ(LineCount, 0);
    BasepLineBufferWrite(&b, ", 0 failed\nnext", 15, sink, NULL);
    CHECK_EQ(LineCount, 1);
    CHECK(strcmp(Lines[0], "3 passed, 0 failed\n") == 0);
    BasepLineBufferFlush(&b, sink, NULL);
    CHECK_EQ(LineCount, 2);
    CHECK(strcmp(Lines[1], "next\n") == 0);
    BasepLineBufferFlush(&b, sink, NULL);
    CHECK_EQ(LineCount, 2); /* nothing held: nothing sent */
}

TEST(crlf_ends_a_line_and_long_lines_are_cut) {
    BASEP_LINE_BUFFER b = {0};
    LineCount = 0;
    BasepLineBufferWrite(&b, "a\r\nb\n\n", 6, sink, NULL);
    CHECK_EQ(LineCount, 3);
    CHECK(strcmp(Lines[0], "a\n") == 0);
    CHECK(strcmp(Lines[1], "b\n") == 0);
    CHECK(strcmp(Lines[2], "\n") == 0);
    LineCount = 0;
    char text[600];
    memset(text, 'x', sizeof text);
    BasepLineBufferWrite(&b, text, sizeof text, sink, NULL);
    CHECK_EQ(LineCount, 2);
    CHECK_EQ(strlen(Lines[0]), BASEP_LINE_MAX + 1);
    CHECK_EQ(Lines[0][BASEP_LINE_MAX], '\n');
    BasepLineBufferFlush(&b, sink, NULL);
    CHECK_EQ(LineCount, 3);
    CHECK_EQ(strlen(Lines[2]), 600 - 2 * BASEP_LINE_MAX + 1);
}

/* ---- time ---- */

static FILETIME ft(ULONGLONG T) {
    FILETIME f = {(DWORD)T, (DWORD)(T >> 32)};
    return f;
}

TEST(filetime_epochs) {
    SYSTEMTIME st;
    FILETIME f = ft(0);
    CHECK(FileTimeToSystemTime(&f, &st));
    CHECK(st.wYear == 1601 && st.wMonth == 1 && st.wDay == 1 && st.wDayOfWeek == 1);
    f = ft(116444736000000000ULL); /* the Unix epoch */
    CHECK(FileTimeToSystemTime(&f, &st));
    CHECK(st.wYear == 1970 && st.wMonth == 1 && st.wDay == 1 && st.wDayOfWeek == 4 && st.wHour == 0);
    f = ft(116444736000000000ULL + 10000000ULL * (86400ULL * 11017 + 3723) + 4560000);
    CHECK(FileTimeToSystemTime(&f, &st)); /* 1 March 2000, 01:02:03.456 */
    CHECK(st.wYear == 2000 && st.wMonth == 3 && st.wDay == 1 && st.wHour == 1 && st.wMinute == 2 &&
          st.wSecond == 3 && st.wMilliseconds == 456 && st.wDayOfWeek == 3);
    SYSTEMTIME nt351 = {1995, 5, 0, 30, 0, 0, 0, 0};
    CHECK(SystemTimeToFileTime(&nt351, &f));
    CHECK(FileTimeToSystemTime(&f, &st));
    CHECK(st.wYear == 1995 && st.wMonth == 5 && st.wDay == 30 && st.wDayOfWeek == 2);
    f = ft(0x8000000000000000ULL);
    CHECK(!FileTimeToSystemTime(&f, &st));
}

TEST(every_day_of_four_centuries_round_trips) {
    ULONG bad = 0;
    for (ULONGLONG day = 0; day < 146097 * 2 + 3; day++) {
        SYSTEMTIME st;
        FILETIME f = ft(day * 864000000000ULL + 12340000), back;
        if (!FileTimeToSystemTime(&f, &st) || !SystemTimeToFileTime(&st, &back) ||
            back.dwLowDateTime != f.dwLowDateTime || back.dwHighDateTime != f.dwHighDateTime)
            bad++;
    }
    CHECK_EQ(bad, 0);
}

TEST(impossible_dates_are_refused) {
    FILETIME f;
    SYSTEMTIME feb29_1900 = {1900, 2, 0, 29, 0, 0, 0, 0}, feb29_2000 = {2000, 2, 0, 29, 0, 0, 0, 0},
               month13 = {2000, 13, 0, 1, 0, 0, 0, 0}, early = {1600, 12, 0, 31, 0, 0, 0, 0},
               hour24 = {2000, 1, 0, 1, 24, 0, 0, 0};
    CHECK(!SystemTimeToFileTime(&feb29_1900, &f));
    CHECK(SystemTimeToFileTime(&feb29_2000, &f));
    CHECK(!SystemTimeToFileTime(&month13, &f));
    CHECK(!SystemTimeToFileTime(&early, &f));
    CHECK(!SystemTimeToFileTime(&hour24, &f));
}

/* ---- environment blocks ---- */

/* A block from strings separated by '|' ("A=1|B=2"), ending "\0\0". */
static PWSTR block(const char *S) {
    size_t n = strlen(S);
    PWSTR w = malloc((n + 2) * sizeof(WCHAR));
    for (size_t i = 0; i < n; i++)
        w[i] = S[i] == '|' ? 0 : (UCHAR)S[i];
    w[n] = 0;
    w[n + 1] = 0;
    return w;
}

/* The block as '|'-separated text. */
static void text_of(PCWSTR Block, char *Out) {
    size_t o = 0;
    for (PCWSTR e = Block; *e != 0;) {
        if (o > 0)
            Out[o++] = '|';
        while (*e != 0)
            Out[o++] = (char)*e++;
        e++;
    }
    Out[o] = 0;
}

TEST(environment_lookup) {
    PWSTR b = block("A=1|Path=C:\\|=C:=C:\\x");
    ULONG length = 0;
    PCWSTR v = BasepEnvironmentFind(b, u"PATH", &length);
    CHECK(v != NULL && length == 3 && v[0] == 'C');
    v = BasepEnvironmentFind(b, u"=C:", &length);
    CHECK(v != NULL && length == 4 && v[3] == 'x');
    CHECK(BasepEnvironmentFind(b, u"B", &length) == NULL);
    CHECK(BasepEnvironmentFind(b, u"", &length) == NULL);
    CHECK(BasepEnvironmentFind(b, u"A=", &length) == NULL);
    CHECK(BasepEnvironmentFind(NULL, u"A", &length) == NULL);
    CHECK_EQ(BasepEnvironmentSize(b), 23);
    free(b);
}

TEST(environment_changes) {
    PWSTR b = block("A=1|Path=C:\\");
    WCHAR out[64];
    char text[128];
    CHECK(BasepEnvironmentSet(b, u"B", u"two", out, 64) > 0);
    text_of(out, text);
    CHECK(strcmp(text, "A=1|Path=C:\\|B=two") == 0);
    CHECK(BasepEnvironmentSet(b, u"path", u"D:\\", out, 64) > 0);
    text_of(out, text);
    CHECK(strcmp(text, "A=1|path=D:\\") == 0);
    CHECK(BasepEnvironmentSet(b, u"A", NULL, out, 64) > 0);
    text_of(out, text);
    CHECK(strcmp(text, "Path=C:\\") == 0);
    CHECK_EQ(BasepEnvironmentSet(b, u"X=Y", u"1", out, 64), 0);
    CHECK_EQ(BasepEnvironmentSet(b, u"", u"1", out, 64), 0);
    CHECK_EQ(BasepEnvironmentSet(b, u"B", u"two", out, 19), 0); /* one short */
    CHECK_EQ(BasepEnvironmentSet(b, u"B", u"two", out, 20), 20);
    free(b);
    PWSTR one = block("A=1");
    CHECK_EQ(BasepEnvironmentSet(one, u"A", NULL, out, 2), 2);
    CHECK(out[0] == 0 && out[1] == 0);
    CHECK_EQ(BasepEnvironmentSet(NULL, u"Z", u"9", out, 64), 5);
    free(one);
}

int main(void) {
    RUN(errors_of_common_statuses);
    RUN(wrapped_win32_errors_unwrap_and_unknown_statuses_have_no_message);
    RUN(every_status_the_system_defines_has_a_row);
    RUN(drive_paths_become_dos_devices_names);
    RUN(relative_paths_complete_from_the_current_directory);
    RUN(device_and_unc_paths);
    RUN(bad_and_too_long_paths_are_refused);
    RUN(file_part_is_the_last_component);
    RUN(loader_names_become_win32_names);
    RUN(the_image_is_the_first_word_or_the_quoted_name);
    RUN(extensions_and_quoting);
    RUN(ansi_is_windows_1252);
    RUN(utf8_round_trips_and_rejects_malformed_input);
    RUN(conversion_errors);
    RUN(lstr_functions);
    RUN(partial_lines_wait_for_their_newline);
    RUN(crlf_ends_a_line_and_long_lines_are_cut);
    RUN(filetime_epochs);
    RUN(every_day_of_four_centuries_round_trips);
    RUN(impossible_dates_are_refused);
    RUN(environment_lookup);
    RUN(environment_changes);
    return UtFinish();
}
