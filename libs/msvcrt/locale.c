/*
 * locale.c - the "C" locale, the only one there is: setlocale, localeconv,
 * __mb_cur_max, the code-page queries, and the single-byte conversions
 * between char and wchar_t.
 *
 * Why: mingw's printf (libmingwex) asks localeconv for the decimal point
 * and its start-up code and wide-character helpers read __mb_cur_max and
 * ___lc_codepage_func; they must get consistent "C" answers. setlocale
 * accepts "C", "POSIX" and "" (the user's default, which is "C" here) and
 * refuses any other name with NULL, as C allows. In the "C" locale a byte
 * is the code unit of the same value (0x00-0xFF); a wide character above
 * U+00FF has no single-byte form (wctomb returns -1 with EILSEQ). Pure: no
 * KERNEL32 calls.
 */
#include "crtlib.h"

int __mb_cur_max = 1;

int *__p___mb_cur_max(void) {
    return &__mb_cur_max;
}
int ___mb_cur_max_func(void) {
    return __mb_cur_max;
}

/* The ANSI code page of the current locale: 0 means "C". */
unsigned ___lc_codepage_func(void) {
    return 0;
}

/* The LCIDs of the six categories: all 0, the "C" locale. */
static unsigned long locale_handles[6];
unsigned long *___lc_handle_func(void) {
    return locale_handles;
}

typedef struct crt_lconv {
    char *decimal_point;
    char *thousands_sep;
    char *grouping;
    char *int_curr_symbol;
    char *currency_symbol;
    char *mon_decimal_point;
    char *mon_thousands_sep;
    char *mon_grouping;
    char *positive_sign;
    char *negative_sign;
    char int_frac_digits, frac_digits, p_cs_precedes, p_sep_by_space, n_cs_precedes, n_sep_by_space,
        p_sign_posn, n_sign_posn;
    /* The wide fields newer mingw headers may declare after these. */
    crt_wchar *_W_decimal_point, *_W_thousands_sep, *_W_int_curr_symbol, *_W_currency_symbol,
        *_W_mon_decimal_point, *_W_mon_thousands_sep, *_W_positive_sign, *_W_negative_sign;
} CRT_LCONV;
#if UINTPTR_MAX == 0xFFFFFFFFu
_Static_assert(__builtin_offsetof(CRT_LCONV, int_frac_digits) == 40, "struct lconv (mingw locale.h)");
#endif

static char dot[] = ".", empty[] = "";
static crt_wchar wide_dot[] = {'.', 0}, wide_empty[] = {0};

static CRT_LCONV c_lconv = {
    dot,      empty,      empty,      empty,      empty,      empty,      empty,      empty,      empty,
    empty,    CHAR_MAX,   CHAR_MAX,   CHAR_MAX,   CHAR_MAX,   CHAR_MAX,   CHAR_MAX,   CHAR_MAX,   CHAR_MAX,
    wide_dot, wide_empty, wide_empty, wide_empty, wide_empty, wide_empty, wide_empty, wide_empty,
};

CRT_LCONV *localeconv(void) {
    return &c_lconv;
}

static int is_c_locale_name(const char *Name) {
    static const char *const names[] = {"C", "POSIX", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *a = Name, *b = names[i];
        while (*a && *a == *b) {
            a++;
            b++;
        }
        if (*a == *b)
            return 1;
    }
    return 0;
}

/* Category 0 (LC_ALL) to 5 (LC_TIME). NULL Locale asks: always "C". */
char *setlocale(int Category, const char *Locale) {
    static char c_name[] = "C";
    if (Category < 0 || Category > 5)
        return NULL;
    if (Locale == NULL || is_c_locale_name(Locale))
        return c_name;
    return NULL;
}

crt_wchar *_wsetlocale(int Category, const crt_wchar *Locale) {
    static crt_wchar c_name[] = {'C', 0};
    if (Category < 0 || Category > 5)
        return NULL;
    if (Locale == NULL || Locale[0] == 0 || (Locale[0] == 'C' && Locale[1] == 0))
        return c_name;
    return NULL;
}

/* ---- single-byte conversions of the "C" locale ---- */

/* One byte is one character: 1 (0 for the NUL), or -1 for no input. */
int mbtowc(crt_wchar *Wide, const char *Bytes, size_t Count) {
    if (Bytes == NULL)
        return 0; /* no shift states */
    if (Count == 0)
        return -1;
    if (Wide)
        *Wide = (unsigned char)*Bytes;
    return *Bytes != '\0';
}

int mblen(const char *Bytes, size_t Count) {
    return mbtowc(NULL, Bytes, Count);
}

int wctomb(char *Bytes, crt_wchar Wide) {
    if (Bytes == NULL)
        return 0;
    if (Wide > 0xFF) {
        *crt_errno_location() = CRT_EILSEQ;
        return -1;
    }
    *Bytes = (char)Wide;
    return 1;
}

/* Converts up to Count wide characters (all, with Bytes NULL, to count);
 * returns the bytes written without the NUL, or (size_t)-1 at a character
 * above U+00FF. */
size_t wcstombs(char *Bytes, const crt_wchar *Wide, size_t Count) {
    size_t n = 0;
    for (; Bytes == NULL || n < Count; n++) {
        if (Wide[n] > 0xFF) {
            *crt_errno_location() = CRT_EILSEQ;
            return (size_t)-1;
        }
        if (Bytes)
            Bytes[n] = (char)Wide[n];
        if (Wide[n] == 0)
            break;
    }
    return n;
}

size_t mbstowcs(crt_wchar *Wide, const char *Bytes, size_t Count) {
    size_t n = 0;
    for (; Wide == NULL || n < Count; n++) {
        if (Wide)
            Wide[n] = (unsigned char)Bytes[n];
        if (Bytes[n] == '\0')
            break;
    }
    return n;
}
