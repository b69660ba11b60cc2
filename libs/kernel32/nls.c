/*
 * nls.c - code pages and the lstr* string functions.
 *
 * Why: every "A" function of Win32 is its "W" twin behind a conversion, and
 * every C run-time converts argv and the environment with
 * MultiByteToWideChar / WideCharToMultiByte. Daytona has no NLS files, so
 * the code pages are built in: the ANSI and OEM code pages are both Windows
 * 1252 (Latin-1 with 0x80-0x9F given cp1252's typographic characters), and
 * UTF-8 is complete (surrogate pairs, and NT's rules for invalid input:
 * U+FFFD, or a failure with MB_ERR_INVALID_CHARS / WC_ERR_INVALID_CHARS).
 * There are no double-byte code pages, so IsDBCSLeadByte is always FALSE.
 *
 * NT's lstrcmp and lstrcmpi compare with the user's locale (CompareString);
 * Daytona has no locale tables, so they compare code points, lstrcmpi after
 * folding ASCII and Latin-1 letters to upper case, and answer -1, 0 or 1.
 *
 * Pure: tests/unit/test_kernel32_pure.c includes this file (and supplies
 * SetLastError).
 */
#include "k32p.h"

/* What cp1252 puts at 0x80-0x9F; the five holes map to themselves, as NT's
 * table does. */
static const WCHAR BasepCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static BOOLEAN is_single_byte_page(UINT CodePage) {
    return CodePage == CP_ACP || CodePage == CP_OEMCP || CodePage == CP_THREAD_ACP || CodePage == CP_MACCP ||
           CodePage == BASEP_ACP;
}

static WCHAR cp1252_to_wide(UCHAR C) {
    return (C >= 0x80 && C < 0xA0) ? BasepCp1252High[C - 0x80] : (WCHAR)C;
}

/* The cp1252 byte for W, or -1 when there is none. */
static int wide_to_cp1252(WCHAR W) {
    if (W < 0x80 || (W >= 0xA0 && W <= 0xFF))
        return W;
    for (int i = 0; i < 32; i++)
        if (BasepCp1252High[i] == W)
            return 0x80 + i;
    return -1;
}

/* Decodes one UTF-8 sequence at S (Left bytes); *Used gets its length.
 * Returns the code point, or -1 for an invalid or cut-short sequence (one
 * byte is then consumed). */
static LONG utf8_decode(const UCHAR *S, ULONG Left, PULONG Used) {
    UCHAR c = S[0];
    ULONG need;
    LONG cp, min;
    *Used = 1;
    if (c < 0x80)
        return c;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return -1;
    }
    if (Left < need + 1)
        return -1;
    for (ULONG i = 1; i <= need; i++) {
        if ((S[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (S[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *Used = need + 1;
    return cp;
}

int WINAPI MultiByteToWideChar(UINT CodePage, DWORD Flags, LPCSTR MultiByteStr, int MultiByte,
                               LPWSTR WideCharStr, int WideChar) {
    if (MultiByteStr == NULL || MultiByte == 0 || WideChar < 0 || (WideChar > 0 && WideCharStr == NULL) ||
        (const void *)MultiByteStr == (const void *)WideCharStr) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    BOOLEAN utf8 = CodePage == CP_UTF8;
    if (!utf8 && !is_single_byte_page(CodePage)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (utf8 && (Flags & ~MB_ERR_INVALID_CHARS) != 0) {
        SetLastError(ERROR_INVALID_FLAGS);
        return 0;
    }
    const UCHAR *src = (const UCHAR *)MultiByteStr;
    ULONG length = MultiByte < 0 ? 0 : (ULONG)MultiByte;
    if (MultiByte < 0) {
        while (src[length] != 0)
            length++;
        length++; /* the NUL is converted too */
    }
    ULONG out = 0, cap = (ULONG)WideChar;
    for (ULONG i = 0; i < length;) {
        WCHAR units[2];
        ULONG n = 1;
        if (!utf8) {
            units[0] = cp1252_to_wide(src[i]);
            i++;
        } else {
            ULONG used;
            LONG cp = utf8_decode(src + i, length - i, &used);
            i += used;
            if (cp < 0) {
                if (Flags & MB_ERR_INVALID_CHARS) {
                    SetLastError(ERROR_NO_UNICODE_TRANSLATION);
                    return 0;
                }
                cp = 0xFFFD;
            }
            if (cp >= 0x10000) {
                cp -= 0x10000;
                units[0] = (WCHAR)(0xD800 + (cp >> 10));
                units[1] = (WCHAR)(0xDC00 + (cp & 0x3FF));
                n = 2;
            } else {
                units[0] = (WCHAR)cp;
            }
        }
        if (cap != 0) {
            if (out + n > cap) {
                SetLastError(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            for (ULONG k = 0; k < n; k++)
                WideCharStr[out + k] = units[k];
        }
        out += n;
    }
    return (int)out;
}

int WINAPI WideCharToMultiByte(UINT CodePage, DWORD Flags, LPCWSTR WideCharStr, int WideChar,
                               LPSTR MultiByteStr, int MultiByte, LPCSTR DefaultChar,
                               LPBOOL UsedDefaultChar) {
    if (WideCharStr == NULL || WideChar == 0 || MultiByte < 0 || (MultiByte > 0 && MultiByteStr == NULL) ||
        (const void *)MultiByteStr == (const void *)WideCharStr) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    BOOLEAN utf8 = CodePage == CP_UTF8;
    if (!utf8 && !is_single_byte_page(CodePage)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (utf8 && (DefaultChar != NULL || UsedDefaultChar != NULL)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (utf8 && (Flags & ~WC_ERR_INVALID_CHARS) != 0) {
        SetLastError(ERROR_INVALID_FLAGS);
        return 0;
    }
    ULONG length = WideChar < 0 ? 0 : (ULONG)WideChar;
    if (WideChar < 0) {
        while (WideCharStr[length] != 0)
            length++;
        length++;
    }
    UCHAR fallback = DefaultChar != NULL ? (UCHAR)DefaultChar[0] : (UCHAR)'?';
    BOOL used_default = FALSE;
    ULONG out = 0, cap = (ULONG)MultiByte;
    for (ULONG i = 0; i < length;) {
        UCHAR bytes[4];
        ULONG n = 1;
        ULONG cp = WideCharStr[i++];
        if (!utf8) {
            int b = wide_to_cp1252((WCHAR)cp);
            if (b < 0) {
                b = fallback;
                used_default = TRUE;
            }
            bytes[0] = (UCHAR)b;
        } else {
            if (cp >= 0xD800 && cp <= 0xDBFF && i < length && WideCharStr[i] >= 0xDC00 &&
                WideCharStr[i] <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (WideCharStr[i] - 0xDC00u);
                i++;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                if (Flags & WC_ERR_INVALID_CHARS) {
                    SetLastError(ERROR_NO_UNICODE_TRANSLATION);
                    return 0;
                }
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                bytes[0] = (UCHAR)cp;
            } else if (cp < 0x800) {
                bytes[0] = (UCHAR)(0xC0 | (cp >> 6));
                bytes[1] = (UCHAR)(0x80 | (cp & 0x3F));
                n = 2;
            } else if (cp < 0x10000) {
                bytes[0] = (UCHAR)(0xE0 | (cp >> 12));
                bytes[1] = (UCHAR)(0x80 | ((cp >> 6) & 0x3F));
                bytes[2] = (UCHAR)(0x80 | (cp & 0x3F));
                n = 3;
            } else {
                bytes[0] = (UCHAR)(0xF0 | (cp >> 18));
                bytes[1] = (UCHAR)(0x80 | ((cp >> 12) & 0x3F));
                bytes[2] = (UCHAR)(0x80 | ((cp >> 6) & 0x3F));
                bytes[3] = (UCHAR)(0x80 | (cp & 0x3F));
                n = 4;
            }
        }
        if (cap != 0) {
            if (out + n > cap) {
                SetLastError(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            for (ULONG k = 0; k < n; k++)
                MultiByteStr[out + k] = (CHAR)bytes[k];
        }
        out += n;
    }
    if (UsedDefaultChar != NULL)
        *UsedDefaultChar = used_default;
    return (int)out;
}

BOOLEAN BasepAnsiToWide(LPCSTR Ansi, PWSTR Buffer, ULONG Capacity) {
    ULONG i = 0;
    for (; Ansi[i] != 0; i++) {
        if (i + 1 >= Capacity)
            return FALSE;
        Buffer[i] = cp1252_to_wide((UCHAR)Ansi[i]);
    }
    if (Capacity == 0)
        return FALSE;
    Buffer[i] = 0;
    return TRUE;
}

UINT WINAPI GetACP(VOID) {
    return BASEP_ACP;
}

/* The OEM code page is the ANSI one (see the header). */
UINT WINAPI GetOEMCP(VOID) {
    return BASEP_ACP;
}

BOOL WINAPI IsDBCSLeadByte(BYTE TestChar) {
    (void)TestChar;
    return FALSE;
}

BOOL WINAPI IsDBCSLeadByteEx(UINT CodePage, BYTE TestChar) {
    (void)CodePage;
    (void)TestChar;
    return FALSE;
}

BOOL WINAPI IsValidCodePage(UINT CodePage) {
    return CodePage == BASEP_ACP || CodePage == CP_UTF8;
}

/* ---- lstr* ---- */

/* Upper case for ASCII and Latin-1 letters (not U+00D7, U+00DF, U+00F7, U+00FF). */
static ULONG fold(ULONG C) {
    if ((C >= 'a' && C <= 'z') || (C >= 0xE0 && C <= 0xFE && C != 0xF7))
        return C - 0x20;
    return C;
}

int WINAPI lstrlenA(LPCSTR String) {
    int n = 0;
    while (String != NULL && String[n] != 0)
        n++;
    return n;
}

int WINAPI lstrlenW(LPCWSTR String) {
    int n = 0;
    while (String != NULL && String[n] != 0)
        n++;
    return n;
}

LPSTR WINAPI lstrcpyA(LPSTR Dest, LPCSTR Source) {
    if (Dest == NULL || Source == NULL)
        return NULL;
    ULONG i = 0;
    do
        Dest[i] = Source[i];
    while (Source[i++] != 0);
    return Dest;
}

LPWSTR WINAPI lstrcpyW(LPWSTR Dest, LPCWSTR Source) {
    if (Dest == NULL || Source == NULL)
        return NULL;
    ULONG i = 0;
    do
        Dest[i] = Source[i];
    while (Source[i++] != 0);
    return Dest;
}

static int sign(LONG Difference) {
    return Difference < 0 ? -1 : Difference > 0 ? 1 : 0;
}

int WINAPI lstrcmpA(LPCSTR A, LPCSTR B) {
    const UCHAR *a = (const UCHAR *)(A ? A : ""), *b = (const UCHAR *)(B ? B : "");
    while (*a != 0 && *a == *b)
        a++, b++;
    return sign((LONG)*a - (LONG)*b);
}

int WINAPI lstrcmpiA(LPCSTR A, LPCSTR B) {
    const UCHAR *a = (const UCHAR *)(A ? A : ""), *b = (const UCHAR *)(B ? B : "");
    while (*a != 0 && fold(*a) == fold(*b))
        a++, b++;
    return sign((LONG)fold(*a) - (LONG)fold(*b));
}

int WINAPI lstrcmpW(LPCWSTR A, LPCWSTR B) {
    static const WCHAR empty[1] = {0};
    const WCHAR *a = A ? A : empty, *b = B ? B : empty;
    while (*a != 0 && *a == *b)
        a++, b++;
    return sign((LONG)*a - (LONG)*b);
}

int WINAPI lstrcmpiW(LPCWSTR A, LPCWSTR B) {
    static const WCHAR empty[1] = {0};
    const WCHAR *a = A ? A : empty, *b = B ? B : empty;
    while (*a != 0 && fold(*a) == fold(*b))
        a++, b++;
    return sign((LONG)fold(*a) - (LONG)fold(*b));
}
