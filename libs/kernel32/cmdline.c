/*
 * cmdline.c - reading the program name out of a command line, and quoting
 * one into it: the string work of CreateProcess.
 *
 * Why: CreateProcess(NULL, "\"C:\\My Dir\\x.exe\" -a b", ...) must find the
 * image from the command line alone, as NT does: a quoted first token runs
 * to the closing quote, an unquoted one to the first blank or tab. When only
 * an application name is given, the command line NT builds is that name,
 * quoted if it holds a blank, so the child's argv[0] parses back to it.
 * (NT also retries an unquoted name with blanks in it one word longer at a
 * time, "C:\Program Files\x" trying "C:\Program" first; Daytona does not.)
 *
 * Pure: tests/unit/test_kernel32_pure.c includes this file.
 */
#include "k32p.h"

#define IS_BLANK(c) ((c) == u' ' || (c) == u'\t')

ULONG BasepCommandLineImageName(PCWSTR CommandLine, PWSTR Buffer, ULONG Capacity) {
    if (CommandLine == NULL || Buffer == NULL || Capacity == 0)
        return 0;
    PCWSTR p = CommandLine;
    while (IS_BLANK(*p))
        p++;
    PCWSTR start, end;
    if (*p == u'"') {
        start = ++p;
        while (*p != 0 && *p != u'"')
            p++;
        end = p;
    } else {
        start = p;
        while (*p != 0 && !IS_BLANK(*p))
            p++;
        end = p;
    }
    ULONG n = (ULONG)(end - start);
    if (n == 0 || n + 1 > Capacity)
        return 0;
    for (ULONG i = 0; i < n; i++)
        Buffer[i] = start[i];
    Buffer[n] = 0;
    return n;
}

BOOLEAN BasepHasExtension(PCWSTR Name) {
    BOOLEAN dot = FALSE;
    for (; Name != NULL && *Name != 0; Name++) {
        if (*Name == u'\\' || *Name == u'/' || *Name == u':')
            dot = FALSE;
        else if (*Name == u'.')
            dot = TRUE;
    }
    return dot;
}

ULONG BasepQuoteName(PCWSTR Name, PWSTR Buffer, ULONG Capacity) {
    ULONG n = 0;
    BOOLEAN blank = FALSE;
    while (Name[n] != 0) {
        if (IS_BLANK(Name[n]))
            blank = TRUE;
        n++;
    }
    ULONG total = n + (blank ? 2 : 0);
    if (total + 1 > Capacity)
        return 0;
    ULONG o = 0;
    if (blank)
        Buffer[o++] = u'"';
    for (ULONG i = 0; i < n; i++)
        Buffer[o++] = Name[i];
    if (blank)
        Buffer[o++] = u'"';
    Buffer[o] = 0;
    return o;
}
