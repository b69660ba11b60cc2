/*
 * ctype.c - character classes of the "C" locale, and the table behind them.
 *
 * Why: mingw's ctype.h may test a character through the exported table
 * (_pctype, _ctype, __pctype_func) instead of calling isalpha, so the table
 * is public data with Microsoft's bit layout (_UPPER 1, _LOWER 2, _DIGIT 4,
 * _SPACE 8, _PUNCT 0x10, _CONTROL 0x20, _BLANK 0x40, _HEX 0x80, alphabetic
 * 0x100), indexed from EOF (-1). It is built by a macro from the ASCII
 * ranges instead of being typed out, so each class is stated once. Bytes
 * 0x80-0xFF have no class in the "C" locale. The wide functions classify
 * U+0000-U+00FF by the same table and nothing above it.
 */
#include "crtlib.h"

#define IN(c, lo, hi) ((c) >= (lo) && (c) <= (hi))
#define CLASS_OF(c)                                                                                          \
    (unsigned short)((IN(c, 'A', 'Z') ? CRT_ALPHA & ~CRT_LOWER : 0) |                                        \
                     (IN(c, 'a', 'z') ? CRT_ALPHA & ~CRT_UPPER : 0) | (IN(c, '0', '9') ? CRT_DIGIT : 0) |    \
                     (IN(c, '0', '9') || IN(c, 'A', 'F') || IN(c, 'a', 'f') ? CRT_HEX : 0) |                 \
                     (IN(c, 0x09, 0x0D) || (c) == ' ' ? CRT_SPACE : 0) |                                     \
                     ((c) == 0x09 || (c) == ' ' ? CRT_BLANK : 0) |                                           \
                     (IN(c, 0x00, 0x1F) || (c) == 0x7F ? CRT_CONTROL : 0) |                                  \
                     (IN(c, 0x21, 0x2F) || IN(c, 0x3A, 0x40) || IN(c, 0x5B, 0x60) || IN(c, 0x7B, 0x7E)       \
                          ? CRT_PUNCT                                                                        \
                          : 0))
#define ROW4(c) CLASS_OF(c), CLASS_OF((c) + 1), CLASS_OF((c) + 2), CLASS_OF((c) + 3)
#define ROW16(c) ROW4(c), ROW4((c) + 4), ROW4((c) + 8), ROW4((c) + 12)
#define ROW64(c) ROW16(c), ROW16((c) + 16), ROW16((c) + 32), ROW16((c) + 48)

/* Entry 0 is EOF; entry c + 1 is character c. */
const unsigned short crt_ctype_table[257] = {0, ROW64(0), ROW64(64), ROW64(128), ROW64(192)};

/* The exported names of the table: _ctype is the array from EOF, _pctype
 * and _pwctype point at character 0. */
const unsigned short *_pctype = crt_ctype_table + 1;
const unsigned short *_pwctype = crt_ctype_table + 1;

const unsigned short *__pctype_func(void) {
    return crt_ctype_table + 1;
}
const unsigned short **__p__pctype(void) {
    return &_pctype;
}
const unsigned short **__p__pwctype(void) {
    return &_pwctype;
}

/* The class bits of c (EOF or 0..255) that are in Mask; 0 outside. */
int _isctype(int c, int Mask) {
    return c >= -1 && c <= 255 ? crt_ctype_table[c + 1] & Mask : 0;
}

int isalpha(int c) {
    return _isctype(c, CRT_ALPHA);
}
int isupper(int c) {
    return _isctype(c, CRT_UPPER);
}
int islower(int c) {
    return _isctype(c, CRT_LOWER);
}
int isdigit(int c) {
    return _isctype(c, CRT_DIGIT);
}
int isxdigit(int c) {
    return _isctype(c, CRT_HEX);
}
int isspace(int c) {
    return _isctype(c, CRT_SPACE);
}
int ispunct(int c) {
    return _isctype(c, CRT_PUNCT);
}
int isalnum(int c) {
    return _isctype(c, CRT_ALPHA | CRT_DIGIT);
}
int isprint(int c) {
    return _isctype(c, CRT_ALPHA | CRT_DIGIT | CRT_PUNCT | CRT_BLANK) && c != '\t';
}
int isgraph(int c) {
    return _isctype(c, CRT_ALPHA | CRT_DIGIT | CRT_PUNCT);
}
int iscntrl(int c) {
    return _isctype(c, CRT_CONTROL);
}
int isblank(int c) {
    return _isctype(c, CRT_BLANK);
}
int __isascii(int c) {
    return (unsigned)c < 0x80;
}
int __iscsym(int c) {
    return isalnum(c) || c == '_';
}
int __iscsymf(int c) {
    return isalpha(c) || c == '_';
}
int __toascii(int c) {
    return c & 0x7F;
}

int tolower(int c) {
    return IN(c, 'A', 'Z') ? c + ('a' - 'A') : c;
}
int toupper(int c) {
    return IN(c, 'a', 'z') ? c - ('a' - 'A') : c;
}
/* The unchecked forms: only meaningful for letters of the other case. */
int _tolower(int c) {
    return c + ('a' - 'A');
}
int _toupper(int c) {
    return c - ('a' - 'A');
}

/* ---- wide ---- */

int iswctype(crt_wchar c, unsigned short Mask) {
    return c <= 0xFF ? crt_ctype_table[c + 1] & Mask : 0;
}
int iswalpha(crt_wchar c) {
    return iswctype(c, CRT_ALPHA);
}
int iswupper(crt_wchar c) {
    return iswctype(c, CRT_UPPER);
}
int iswlower(crt_wchar c) {
    return iswctype(c, CRT_LOWER);
}
int iswdigit(crt_wchar c) {
    return iswctype(c, CRT_DIGIT);
}
int iswxdigit(crt_wchar c) {
    return iswctype(c, CRT_HEX);
}
int iswspace(crt_wchar c) {
    return iswctype(c, CRT_SPACE);
}
int iswpunct(crt_wchar c) {
    return iswctype(c, CRT_PUNCT);
}
int iswalnum(crt_wchar c) {
    return iswctype(c, CRT_ALPHA | CRT_DIGIT);
}
int iswprint(crt_wchar c) {
    return iswctype(c, CRT_ALPHA | CRT_DIGIT | CRT_PUNCT | CRT_BLANK) && c != '\t';
}
int iswgraph(crt_wchar c) {
    return iswctype(c, CRT_ALPHA | CRT_DIGIT | CRT_PUNCT);
}
int iswcntrl(crt_wchar c) {
    return iswctype(c, CRT_CONTROL);
}
crt_wchar towlower(crt_wchar c) {
    return IN(c, 'A', 'Z') ? (crt_wchar)(c + ('a' - 'A')) : c;
}
crt_wchar towupper(crt_wchar c) {
    return IN(c, 'a', 'z') ? (crt_wchar)(c - ('a' - 'A')) : c;
}
