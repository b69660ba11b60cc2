/*
 * cmdline.c - argv from the command line, by msvcrt's rules.
 *
 * Why: Windows hands a process one command-line string; each program's C
 * run-time splits it, so the rules are the CRT's, and programs (and the
 * shells quoting for them) depend on them exactly:
 *
 *  - argv[0], the program name, ends at the first space or tab, unless it
 *    starts with '"': then it runs to the next '"', and backslashes in it
 *    are ordinary characters.
 *  - Other arguments are separated by spaces and tabs outside quotes.
 *  - 2n backslashes and a '"' give n backslashes, and the '"' opens or
 *    closes a quoted part; 2n+1 backslashes and a '"' give n backslashes and
 *    a literal '"'. Backslashes not followed by '"' are literal.
 *  - Inside a quoted part, "" gives a literal '"' and ends the quoted part
 *    (msvcrt.dll's rule; the Visual C++ 2008 run-time and later stay quoted).
 *
 * One parser serves the narrow and the wide command line, counting on a
 * first pass and filling on a second, so the caller allocates once.
 * Wildcards are not expanded. Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

typedef struct cmdline_writer {
    int Wide;
    void **Argv; /* NULL on the counting pass */
    void *Chars;
    size_t Used; /* characters written (or counted) */
    int Count;   /* arguments started */
} CMDLINE_WRITER;

static unsigned cmd_unit(const void *Line, int Wide, size_t i) {
    return Wide ? ((const crt_wchar *)Line)[i] : ((const unsigned char *)Line)[i];
}

static void emit(CMDLINE_WRITER *w, unsigned Unit) {
    if (w->Argv) {
        if (w->Wide)
            ((crt_wchar *)w->Chars)[w->Used] = (crt_wchar)Unit;
        else
            ((char *)w->Chars)[w->Used] = (char)Unit;
    }
    w->Used++;
}

static void begin_argument(CMDLINE_WRITER *w) {
    if (w->Argv)
        w->Argv[w->Count] =
            w->Wide ? (void *)((crt_wchar *)w->Chars + w->Used) : (void *)((char *)w->Chars + w->Used);
    w->Count++;
}

static int is_separator(unsigned Unit) {
    return Unit == ' ' || Unit == '\t';
}

static void parse(const void *Line, int Wide, CMDLINE_WRITER *w) {
    size_t p = 0;
    /* The program name. */
    begin_argument(w);
    if (cmd_unit(Line, Wide, p) == '"') {
        for (p++; cmd_unit(Line, Wide, p) != 0 && cmd_unit(Line, Wide, p) != '"'; p++)
            emit(w, cmd_unit(Line, Wide, p));
        if (cmd_unit(Line, Wide, p) == '"')
            p++;
    } else {
        for (; cmd_unit(Line, Wide, p) != 0 && !is_separator(cmd_unit(Line, Wide, p)); p++)
            emit(w, cmd_unit(Line, Wide, p));
    }
    emit(w, 0);

    for (;;) {
        while (is_separator(cmd_unit(Line, Wide, p)))
            p++;
        if (cmd_unit(Line, Wide, p) == 0)
            break;
        begin_argument(w);
        int quoted = 0;
        for (;;) {
            size_t slashes = 0;
            while (cmd_unit(Line, Wide, p) == '\\') {
                slashes++;
                p++;
            }
            int copy = 1;
            if (cmd_unit(Line, Wide, p) == '"') {
                if (slashes % 2 == 0) {
                    if (quoted && cmd_unit(Line, Wide, p + 1) == '"')
                        p++; /* "" inside quotes: a literal '"', and the quotes end */
                    else
                        copy = 0;
                    quoted = !quoted;
                }
                slashes /= 2;
            }
            while (slashes--)
                emit(w, '\\');
            unsigned u = cmd_unit(Line, Wide, p);
            if (u == 0 || (!quoted && is_separator(u)))
                break;
            if (copy)
                emit(w, u);
            p++;
        }
        emit(w, 0);
    }
    if (w->Argv)
        w->Argv[w->Count] = NULL;
}

static void parse_either(const void *Line, int Wide, void **Argv, void *Chars, int *ArgCount,
                         size_t *CharCount) {
    static const crt_wchar empty[1] = {0};
    CMDLINE_WRITER w = {Wide, Argv, Chars, 0, 0};
    parse(Line ? Line : (const void *)empty, Wide, &w);
    *ArgCount = w.Count;
    *CharCount = w.Used;
}

void crt_parse_cmdline(const char *CommandLine, char **Argv, char *Chars, int *ArgCount, size_t *CharCount) {
    parse_either(CommandLine, 0, (void **)Argv, Chars, ArgCount, CharCount);
}

void crt_parse_wcmdline(const crt_wchar *CommandLine, crt_wchar **Argv, crt_wchar *Chars, int *ArgCount,
                        size_t *CharCount) {
    parse_either(CommandLine, 1, (void **)Argv, Chars, ArgCount, CharCount);
}
