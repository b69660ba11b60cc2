/*
 * test_msvcrt_libc.c - msvcrt's pure library routines agree with glibc, and
 * its Microsoft-only rules hold: strings and memory, ctype, strtol and its
 * family, qsort and bsearch, rand, argv parsing, strerror, the "C" locale.
 *
 * Why: these run under every Win32 program. Where C defines the answer
 * they are compared with the host C library over tables of inputs (every
 * character for ctype, overflow edges and base prefixes for strtol,
 * thousands of random arrays for qsort, checked also for O(n log n) work on
 * adversarial orders). Where Microsoft defines it - the command-line
 * quoting rules, rand's sequence, _itoa, _stricmp - the expected values are
 * written out.
 *
 * The sources are #included with their public names renamed (strlen ->
 * crt_strlen, ...) so they do not clash with glibc's.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unit.h"

/* ---- the sources under test, renamed ---- */

/* glibc may define some of these as macros; the renames replace them. */
#undef isalpha
#undef isupper
#undef islower
#undef isdigit
#undef isxdigit
#undef isspace
#undef ispunct
#undef isalnum
#undef isprint
#undef isgraph
#undef iscntrl
#undef isblank
#undef tolower
#undef toupper
#undef _tolower
#undef _toupper
#undef __isascii
#undef __toascii

#define memcpy crt_memcpy
#define memmove crt_memmove
#define memset crt_memset
#define memcmp crt_memcmp
#define memchr crt_memchr
#define _memicmp crt__memicmp
#define strlen crt_strlen
#define strnlen crt_strnlen
#define strcpy crt_strcpy
#define strncpy crt_strncpy
#define strcat crt_strcat
#define strncat crt_strncat
#define strcmp crt_strcmp
#define strncmp crt_strncmp
#define strcoll crt_strcoll
#define _stricmp crt__stricmp
#define _strnicmp crt__strnicmp
#define strchr crt_strchr
#define strrchr crt_strrchr
#define strstr crt_strstr
#define strspn crt_strspn
#define strcspn crt_strcspn
#define strpbrk crt_strpbrk
#define strtok crt_strtok
#define _strlwr crt__strlwr
#define _strupr crt__strupr
#define _strrev crt__strrev
#define wcslen crt_wcslen
#define wcscpy crt_wcscpy
#define wcsncpy crt_wcsncpy
#define wcscat crt_wcscat
#define wcscmp crt_wcscmp
#define wcsncmp crt_wcsncmp
#define _wcsicmp crt__wcsicmp
#define wcschr crt_wcschr
#define wcsrchr crt_wcsrchr
#define wcsstr crt_wcsstr
#define _pctype crt__pctype
#define _pwctype crt__pwctype
#define __pctype_func crt___pctype_func
#define __p__pctype crt___p__pctype
#define __p__pwctype crt___p__pwctype
#define _isctype crt__isctype
#define isalpha crt_isalpha
#define isupper crt_isupper
#define islower crt_islower
#define isdigit crt_isdigit
#define isxdigit crt_isxdigit
#define isspace crt_isspace
#define ispunct crt_ispunct
#define isalnum crt_isalnum
#define isprint crt_isprint
#define isgraph crt_isgraph
#define iscntrl crt_iscntrl
#define isblank crt_isblank
#define __isascii crt___isascii
#define __iscsym crt___iscsym
#define __iscsymf crt___iscsymf
#define __toascii crt___toascii
#define tolower crt_tolower
#define toupper crt_toupper
#define _tolower crt__tolower
#define _toupper crt__toupper
#define iswctype crt_iswctype
#define iswalpha crt_iswalpha
#define iswupper crt_iswupper
#define iswlower crt_iswlower
#define iswdigit crt_iswdigit
#define iswxdigit crt_iswxdigit
#define iswspace crt_iswspace
#define iswpunct crt_iswpunct
#define iswalnum crt_iswalnum
#define iswprint crt_iswprint
#define iswgraph crt_iswgraph
#define iswcntrl crt_iswcntrl
#define towlower crt_towlower
#define towupper crt_towupper
#define strtol crt_strtol
#define strtoul crt_strtoul
#define strtoll crt_strtoll
#define strtoull crt_strtoull
#define _strtoi64 crt__strtoi64
#define _strtoui64 crt__strtoui64
#define wcstol crt_wcstol
#define wcstoul crt_wcstoul
#define atoi crt_atoi
#define atol crt_atol
#define atoll crt_atoll
#define _atoi64 crt__atoi64
#define _wtoi crt__wtoi
#define _wtol crt__wtol
#define _itoa crt__itoa
#define _ltoa crt__ltoa
#define _ultoa crt__ultoa
#define _i64toa crt__i64toa
#define _ui64toa crt__ui64toa
#define abs crt_abs
#define labs crt_labs
#define llabs crt_llabs
#define _abs64 crt__abs64
#define div crt_div
#define ldiv crt_ldiv
#define qsort crt_qsort
#define bsearch crt_bsearch
#define srand crt_srand
#define rand crt_rand
#define strerror crt_strerror
#define __mb_cur_max crt___mb_cur_max
#define __p___mb_cur_max crt___p___mb_cur_max
#define ___mb_cur_max_func crt____mb_cur_max_func
#define ___lc_codepage_func crt____lc_codepage_func
#define ___lc_handle_func crt____lc_handle_func
#define localeconv crt_localeconv
#define setlocale crt_setlocale
#define _wsetlocale crt__wsetlocale
#define mbtowc crt_mbtowc
#define mblen crt_mblen
#define wctomb crt_wctomb
#define wcstombs crt_wcstombs
#define mbstowcs crt_mbstowcs

#include "../../libs/msvcrt/cmdline.c"
#include "../../libs/msvcrt/ctype.c"
#include "../../libs/msvcrt/errmsg.c"
#include "../../libs/msvcrt/locale.c"
#include "../../libs/msvcrt/qsort.c"
#include "../../libs/msvcrt/string.c"
#include "../../libs/msvcrt/strtol.c"

/* Back to glibc's names for the comparisons. */
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcpy
#undef strncpy
#undef strcat
#undef strncat
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strstr
#undef strspn
#undef strcspn
#undef strpbrk
#undef strtok
#undef isalpha
#undef isupper
#undef islower
#undef isdigit
#undef isxdigit
#undef isspace
#undef ispunct
#undef isalnum
#undef isprint
#undef isgraph
#undef iscntrl
#undef isblank
#undef tolower
#undef toupper
#undef strtol
#undef strtoul
#undef strtoll
#undef strtoull
#undef atoi
#undef atol
#undef atoll
#undef abs
#undef labs
#undef llabs
#undef div
#undef ldiv
#undef qsort
#undef bsearch
#undef srand
#undef rand
#undef strerror
#undef localeconv
#undef setlocale
#undef mbtowc
#undef mblen
#undef wctomb
#undef wcstombs
#undef mbstowcs

int *crt_errno_location(void) {
    return &errno;
}

static int sign_of(int v) {
    return (v > 0) - (v < 0);
}

/* ---- strings and memory ---- */

static const char *const sample_strings[] = {
    "",    "a",           "abc",      "abd",      "ab",
    "ABC", "hello world", "\xff\x01", "\x01\xff", "the quick brown fox",
    "aaa", "Hello World", "zz top"};
#define SAMPLES (sizeof sample_strings / sizeof *sample_strings)

TEST(string_comparisons_match_glibc) {
    for (size_t i = 0; i < SAMPLES; i++) {
        const char *a = sample_strings[i];
        CHECK_EQ(crt_strlen(a), strlen(a));
        CHECK_EQ(crt_strnlen(a, 2), strnlen(a, 2));
        for (size_t j = 0; j < SAMPLES; j++) {
            const char *b = sample_strings[j];
            CHECK_EQ(sign_of(crt_strcmp(a, b)), sign_of(strcmp(a, b)));
            CHECK_EQ(sign_of(crt_strcoll(a, b)), sign_of(strcmp(a, b)));
            CHECK_EQ(sign_of(crt_strncmp(a, b, 2)), sign_of(strncmp(a, b, 2)));
            CHECK_EQ(sign_of(crt__stricmp(a, b)), sign_of(strcasecmp(a, b)));
            CHECK_EQ(sign_of(crt__strnicmp(a, b, 3)), sign_of(strncasecmp(a, b, 3)));
            size_t n = strlen(a) < strlen(b) ? strlen(a) : strlen(b);
            CHECK_EQ(sign_of(crt_memcmp(a, b, n + 1)), sign_of(memcmp(a, b, n + 1)));
            CHECK(crt_strstr(a, b) == strstr(a, b));
            CHECK_EQ(crt_strspn(a, b), strspn(a, b));
            CHECK_EQ(crt_strcspn(a, b), strcspn(a, b));
            CHECK(crt_strpbrk(a, b) == strpbrk(a, b));
        }
        for (int c = 0; c < 256; c += 17) {
            CHECK(crt_strchr(a, c) == strchr(a, c));
            CHECK(crt_strrchr(a, c) == strrchr(a, c));
            CHECK(crt_memchr(a, c, strlen(a) + 1) == memchr(a, c, strlen(a) + 1));
        }
    }
}

TEST(copies_match_glibc) {
    char mine[64], theirs[64];
    memset(mine, '#', sizeof mine);
    memset(theirs, '#', sizeof theirs);
    crt_strncpy(mine, "abc", 8);
    strncpy(theirs, "abc", 8);
    CHECK(memcmp(mine, theirs, sizeof mine) == 0);
    const char *volatile longer = "abcdefgh"; /* volatile: the cut is the point */
    crt_strncpy(mine, longer, 4);
    strncpy(theirs, longer, 4);
    CHECK(memcmp(mine, theirs, sizeof mine) == 0);
    crt_strcpy(mine, "x");
    strcpy(theirs, "x");
    crt_strcat(mine, "yz");
    strcat(theirs, "yz");
    crt_strncat(mine, "12345", 3);
    strncat(theirs, "12345", 3);
    CHECK(strcmp(mine, "xyz123") == 0 && strcmp(mine, theirs) == 0);

    /* memmove both ways over an overlap, memcpy and memset. */
    char a[32], b[32];
    for (int shift = -5; shift <= 5; shift++) {
        for (int i = 0; i < 32; i++)
            a[i] = b[i] = (char)i;
        crt_memmove(a + 10 + shift, a + 10, 12);
        memmove(b + 10 + shift, b + 10, 12);
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
    CHECK(crt_memset(a, 0x5A, 7) == a);
    CHECK(a[6] == 0x5A && a[7] != 0x5A);
    CHECK(crt_memcpy(b, a, 32) == b && memcmp(a, b, 32) == 0);
}

TEST(strtok_splits_like_glibc) {
    char mine[] = "  one,two;;three ,", theirs[] = "  one,two;;three ,";
    const char *d = " ,;";
    char *m = crt_strtok(mine, d), *t = strtok(theirs, d);
    int tokens = 0;
    while (m && t) {
        CHECK(strcmp(m, t) == 0);
        CHECK_EQ(m - mine, t - theirs);
        m = crt_strtok(NULL, d);
        t = strtok(NULL, d);
        tokens++;
    }
    CHECK(m == NULL && t == NULL);
    CHECK_EQ(tokens, 3);
}

TEST(microsoft_string_extras) {
    char s[] = "MiXeD 123";
    CHECK(strcmp(crt__strlwr(s), "mixed 123") == 0);
    CHECK(strcmp(crt__strupr(s), "MIXED 123") == 0);
    CHECK(strcmp(crt__strrev(s), "321 DEXIM") == 0);
    CHECK(crt__memicmp("ABCx", "abcY", 3) == 0);
    CHECK(crt__memicmp("ABCx", "abcY", 4) < 0);
    crt_wchar w[16], v[16];
    const char *ascii = "Wide";
    for (int i = 0; i < 5; i++)
        w[i] = (unsigned char)ascii[i];
    CHECK_EQ(crt_wcslen(w), 4);
    crt_wcscpy(v, w);
    CHECK(crt_wcscmp(v, w) == 0);
    v[0] = 'w';
    CHECK(crt_wcscmp(v, w) > 0 && crt__wcsicmp(v, w) == 0);
    CHECK(crt_wcschr(w, 'd') == w + 2 && crt_wcsrchr(w, 'x') == NULL);
    crt_wcscat(v, w);
    CHECK_EQ(crt_wcslen(v), 8);
    CHECK(crt_wcsstr(v, w) == v + 4);
    CHECK(crt_wcsncmp(v, w, 1) > 0);
}

/* ---- ctype ---- */

TEST(ctype_matches_glibc_for_every_character) {
    for (int c = -1; c < 256; c++) {
        CHECK_EQ(!!crt_isalpha(c), !!isalpha(c));
        CHECK_EQ(!!crt_isupper(c), !!isupper(c));
        CHECK_EQ(!!crt_islower(c), !!islower(c));
        CHECK_EQ(!!crt_isdigit(c), !!isdigit(c));
        CHECK_EQ(!!crt_isxdigit(c), !!isxdigit(c));
        CHECK_EQ(!!crt_isspace(c), !!isspace(c));
        CHECK_EQ(!!crt_ispunct(c), !!ispunct(c));
        CHECK_EQ(!!crt_isalnum(c), !!isalnum(c));
        CHECK_EQ(!!crt_isprint(c), !!isprint(c));
        CHECK_EQ(!!crt_isgraph(c), !!isgraph(c));
        CHECK_EQ(!!crt_iscntrl(c), !!iscntrl(c));
        CHECK_EQ(!!crt_isblank(c), !!isblank(c));
        CHECK_EQ(crt_tolower(c), tolower(c));
        CHECK_EQ(crt_toupper(c), toupper(c));
        if (c >= 0) {
            CHECK_EQ(!!crt_iswalpha((crt_wchar)c), !!isalpha(c));
            CHECK_EQ(crt_towupper((crt_wchar)c), toupper(c));
        }
    }
    /* Microsoft's table layout, which mingw's ctype.h may read directly. */
    CHECK_EQ(crt__pctype['A'], 0x181);
    CHECK_EQ(crt__pctype['z'], 0x102);
    CHECK_EQ(crt__pctype['7'], 0x84);
    CHECK_EQ(crt__pctype[' '], 0x48);
    CHECK_EQ(crt__pctype['\t'], 0x68);
    CHECK_EQ(crt__pctype['\n'], 0x28);
    CHECK_EQ(crt__pctype['!'], 0x10);
    CHECK_EQ(crt__pctype[-1], 0);
    CHECK(crt___pctype_func() == crt__pctype);
    CHECK_EQ(crt_iswalpha(0x3B1), 0);
}

/* ---- strtol and friends ---- */

static const char *const number_strings[] = {"",
                                             "0",
                                             "-0",
                                             "+5",
                                             "  42xyz",
                                             "0x1A",
                                             "0X",
                                             "0x",
                                             "0xg",
                                             "077",
                                             "08",
                                             "-2147483648",
                                             "2147483647",
                                             "2147483648",
                                             "4294967295",
                                             "4294967296",
                                             "9223372036854775807",
                                             "9223372036854775808",
                                             "-9223372036854775808",
                                             "-9223372036854775809",
                                             "18446744073709551615",
                                             "18446744073709551616",
                                             "-1",
                                             "zz",
                                             "Zz",
                                             "\t\n 12",
                                             "1e5",
                                             "0b101",
                                             "-",
                                             "+",
                                             " -0x10",
                                             "99999999999999999999999",
                                             "0x7fffffffffffffff",
                                             "-0x8000000000000000",
                                             "123abc",
                                             "  +-3",
                                             "0x-5",
                                             "--5",
                                             "1010102",
                                             "0000000000000000000000000000123"};
static const int bases[] = {0, 2, 8, 10, 16, 36};

#define COMPARE_CONVERSION(type, mine, theirs)                                                               \
    do {                                                                                                     \
        char *me, *te;                                                                                       \
        errno = 0;                                                                                           \
        type m = mine(s, &me, base);                                                                         \
        int merr = errno;                                                                                    \
        errno = 0;                                                                                           \
        type t = theirs(s, &te, base);                                                                       \
        int terr = errno;                                                                                    \
        if (!CHECK(m == t && me == te && merr == terr))                                                      \
            printf("    %s(\"%s\", %d): %lld end %td errno %d; glibc %lld end %td errno %d\n", #mine, s,     \
                   base, (long long)m, me - s, merr, (long long)t, te - s, terr);                            \
    } while (0)

TEST(strtol_family_matches_glibc) {
    for (size_t i = 0; i < sizeof number_strings / sizeof *number_strings; i++) {
        const char *s = number_strings[i];
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
            int base = bases[b];
            COMPARE_CONVERSION(long, crt_strtol, strtol);
            COMPARE_CONVERSION(unsigned long, crt_strtoul, strtoul);
            COMPARE_CONVERSION(long long, crt_strtoll, strtoll);
            COMPARE_CONVERSION(unsigned long long, crt_strtoull, strtoull);
        }
        CHECK_EQ(crt_atol(s), atol(s));
        CHECK_EQ(crt_atoll(s), atoll(s));
    }
}

TEST(strtol_bad_base_and_null_end) {
    char *end = (char *)1;
    errno = 0;
    CHECK_EQ(crt_strtol("123", &end, 1), 0);
    CHECK_EQ(errno, EINVAL);
    CHECK(end != (char *)1 && strcmp(end, "123") == 0);
    errno = 0;
    CHECK_EQ(crt_strtoul("123", NULL, 37), 0);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(crt_strtol("  -77", NULL, 10), -77);
}

TEST(atoi_clamps_to_int_and_wide_forms_parse) {
    CHECK_EQ(crt_atoi("  -123abc"), -123);
    CHECK_EQ(crt_atoi("2147483647"), INT_MAX);
    CHECK_EQ(crt_atoi("99999999999"), INT_MAX);
    CHECK_EQ(crt_atoi("-99999999999"), INT_MIN);
    CHECK_EQ(crt_atoi("x"), 0);
    CHECK_EQ(crt__atoi64("-9223372036854775808"), LLONG_MIN);
    crt_wchar w[] = {' ', '0', 'x', '1', 'f', 'z', 0};
    crt_wchar *end;
    CHECK_EQ(crt_wcstol(w, &end, 0), 31);
    CHECK(end == w + 5);
    crt_wchar d[] = {'-', '4', '2', 0};
    CHECK_EQ(crt__wtoi(d), -42);
    CHECK_EQ(crt_wcstoul(d, NULL, 10), (unsigned long)-42);
}

TEST(itoa_family_follows_microsoft) {
    char b[80];
    CHECK(strcmp(crt__itoa(-42, b, 10), "-42") == 0);
    CHECK(strcmp(crt__itoa(-1, b, 16), "ffffffff") == 0);
    CHECK(strcmp(crt__itoa(INT_MIN, b, 10), "-2147483648") == 0);
    CHECK(strcmp(crt__itoa(5, b, 2), "101") == 0);
    CHECK(strcmp(crt__ultoa(35, b, 36), "z") == 0);
    CHECK(strcmp(crt__i64toa(LLONG_MIN, b, 10), "-9223372036854775808") == 0);
    CHECK(strcmp(crt__ui64toa(ULLONG_MAX, b, 16), "ffffffffffffffff") == 0);
    CHECK(strcmp(crt__itoa(7, b, 1), "") == 0);
    CHECK_EQ(crt_abs(-5), 5);
    CHECK_EQ(crt_llabs(-5000000000LL), 5000000000LL);
    CRT_DIV q = crt_div(-7, 2);
    CHECK(q.quot == -3 && q.rem == -1);
}

/* ---- qsort, bsearch, rand ---- */

static long comparisons;
static int compare_ints(const void *a, const void *b) {
    comparisons++;
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compare_ints_plain(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

TEST(qsort_sorts_random_arrays_like_glibc) {
    uint32_t state = 12345;
    for (int round = 0; round < 2000; round++) {
        int n = round % 200;
        int range = round % 3 == 0 ? 4 : 1000000; /* many equal keys, or few */
        int *mine = malloc(sizeof(int) * (size_t)(n + 1)), *theirs = malloc(sizeof(int) * (size_t)(n + 1));
        for (int i = 0; i < n; i++) {
            state = state * 1103515245u + 12345u;
            mine[i] = theirs[i] = (int)((state >> 8) % (uint32_t)range) - range / 2;
        }
        crt_qsort(mine, (size_t)n, sizeof(int), compare_ints);
        qsort(theirs, (size_t)n, sizeof(int), compare_ints_plain);
        if (!CHECK(memcmp(mine, theirs, sizeof(int) * (size_t)n) == 0))
            round = 2000;
        free(mine);
        free(theirs);
    }
}

typedef struct record {
    int Key;
    int Serial;
    char Pad[5];
} RECORD; /* an odd element size */

static int compare_records(const void *a, const void *b) {
    return compare_ints(&((const RECORD *)a)->Key, &((const RECORD *)b)->Key);
}

TEST(qsort_handles_odd_sizes_and_adversarial_orders) {
    enum { N = 6000 };
    RECORD *r = malloc(sizeof(RECORD) * N);
    for (int pattern = 0; pattern < 5; pattern++) {
        long long checksum = 0;
        for (int i = 0; i < N; i++) {
            r[i].Key = pattern == 0   ? i
                       : pattern == 1 ? N - i
                       : pattern == 2 ? 7
                       : pattern == 3 ? (i < N / 2 ? i : N - i)
                                      : (i * 7919) % 613;
            r[i].Serial = i;
            memset(r[i].Pad, pattern, sizeof r[i].Pad);
            checksum += r[i].Key * 31LL + r[i].Serial;
        }
        comparisons = 0;
        crt_qsort(r, N, sizeof(RECORD), compare_records);
        int sorted = 1;
        for (int i = 1; i < N; i++)
            sorted &= r[i - 1].Key <= r[i].Key;
        for (int i = 0; i < N; i++)
            checksum -= r[i].Key * 31LL + r[i].Serial;
        CHECK(sorted);
        CHECK_EQ(checksum, 0);             /* a permutation: nothing lost or duplicated */
        CHECK(comparisons < 30L * N * 13); /* n log n, not n^2 */
    }
    free(r);
}

TEST(bsearch_finds_every_element_and_nothing_else) {
    int a[101];
    for (int i = 0; i < 101; i++)
        a[i] = i * 2;
    for (int k = -1; k <= 202; k++) {
        int *found = crt_bsearch(&k, a, 101, sizeof(int), compare_ints_plain);
        if (k >= 0 && k <= 200 && k % 2 == 0)
            CHECK(found && *found == k);
        else
            CHECK(found == NULL);
    }
    int k = 3;
    CHECK(crt_bsearch(&k, a, 0, sizeof(int), compare_ints_plain) == NULL);
}

TEST(rand_is_microsofts_sequence) {
    static const int expected[] = {41, 18467, 6334, 26500, 19169, 15724, 11478, 29358, 26962, 24464};
    crt_srand(1);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(crt_rand(), expected[i]);
    crt_srand(1);
    CHECK_EQ(crt_rand(), 41);
}

/* ---- argv ---- */

/* Parses Line and checks argv against the '|'-separated Expected. */
static void check_cmdline(const char *Line, const char *Expected, int Count, const char *File, int LineNo) {
    int argc;
    size_t chars;
    crt_parse_cmdline(Line, NULL, NULL, &argc, &chars);
    char **argv = malloc(sizeof(char *) * (size_t)(argc + 1) + chars);
    int argc2;
    size_t chars2;
    crt_parse_cmdline(Line, argv, (char *)(argv + argc + 1), &argc2, &chars2);
    char joined[256] = "";
    for (int i = 0; i < argc2; i++) {
        if (i)
            strcat(joined, "|");
        strcat(joined, argv[i]);
    }
    int ok = argc == Count && argc2 == argc && chars2 == chars && argv[argc] == NULL &&
             strcmp(joined, Expected) == 0;
    if (!ut_check(ok, Line, File, LineNo))
        printf("    got %d: [%s], expected %d: [%s]\n", argc2, joined, Count, Expected);

    /* The wide parser gives the same answer. */
    crt_wchar wide[128];
    size_t n = strlen(Line);
    for (size_t i = 0; i <= n; i++)
        wide[i] = (unsigned char)Line[i];
    crt_parse_wcmdline(wide, NULL, NULL, &argc2, &chars2);
    crt_wchar **wargv = malloc(sizeof(crt_wchar *) * (size_t)(argc2 + 1) + chars2 * sizeof(crt_wchar));
    crt_parse_wcmdline(wide, wargv, (crt_wchar *)(wargv + argc2 + 1), &argc2, &chars2);
    int same = argc2 == argc;
    for (int i = 0; same && i < argc; i++) {
        size_t k = 0;
        for (; argv[i][k]; k++)
            same &= wargv[i][k] == (unsigned char)argv[i][k];
        same &= wargv[i][k] == 0;
    }
    ut_check(same, "wide parse of the same line", File, LineNo);
    free(wargv);
    free(argv);
}
#define CMDLINE(line, expected, count) check_cmdline(line, expected, count, __FILE__, __LINE__)

TEST(command_lines_split_by_microsofts_rules) {
    CMDLINE("prog a b c", "prog|a|b|c", 4);
    CMDLINE("\"C:\\Program Files\\x.exe\" arg", "C:\\Program Files\\x.exe|arg", 2);
    CMDLINE("prog \"a b\" c", "prog|a b|c", 3);
    CMDLINE("prog a\\\\\\\"b", "prog|a\\\"b", 2);             /* 3 backslashes + " -> \" */
    CMDLINE("prog a\\\\\\\\\"b c\" d", "prog|a\\\\b c|d", 3); /* 4 backslashes + " -> \\ and a quote */
    CMDLINE("prog a\\\\b \\x", "prog|a\\\\b|\\x", 3);         /* backslashes alone are literal */
    CMDLINE("prog \"a\"\"b\"", "prog|a\"b", 2);               /* "" inside quotes: literal, quotes end */
    CMDLINE("prog \"a\"\"b c\"", "prog|a\"b|c", 3);
    CMDLINE("prog \"\"", "prog|", 2);
    CMDLINE("prog \"\" \"\"", "prog||", 3);
    CMDLINE("prog   ", "prog", 1);
    CMDLINE("", "", 1);
    CMDLINE("prog\ta\t\tb", "prog|a|b", 3);
    CMDLINE("\"prog with space\"rest a", "prog with space|rest|a", 3);
    CMDLINE("c:\\dir\\prog.exe x", "c:\\dir\\prog.exe|x", 2);
    CMDLINE("\"c:\\dir\\\"prog x", "c:\\dir\\|prog|x", 3); /* no escapes in argv[0] */
    CMDLINE("prog a\\\"b", "prog|a\"b", 2);
    CMDLINE("prog \"a\\\"b\"", "prog|a\"b", 2);
    CMDLINE("prog \\\\\"a b\\\\\"", "prog|\\a b\\", 2);
    CMDLINE("prog \"unterminated arg", "prog|unterminated arg", 2);
    CMDLINE("prog a\"b c\"d e", "prog|ab cd|e", 3);
    CMDLINE("prog trailing\\", "prog|trailing\\", 2);
}

/* ---- strerror and the locale ---- */

TEST(strerror_gives_microsofts_messages) {
    CHECK(strcmp(crt_strerror(ENOMEM), "Not enough space") == 0);
    CHECK(strcmp(crt_strerror(ENOENT), "No such file or directory") == 0);
    CHECK(strcmp(crt_strerror(0), "No error") == 0);
    CHECK(strcmp(crt_strerror(9999), "Unknown error") == 0);
    CHECK(strcmp(crt_strerror(-1), "Unknown error") == 0);
}

TEST(only_the_c_locale_exists) {
    CHECK(strcmp(crt_setlocale(0, NULL), "C") == 0);
    CHECK(strcmp(crt_setlocale(0, ""), "C") == 0);
    CHECK(strcmp(crt_setlocale(2, "C"), "C") == 0);
    CHECK(crt_setlocale(0, "French_France.1252") == NULL);
    CHECK(crt_setlocale(9, "C") == NULL);
    CHECK(strcmp(crt_localeconv()->decimal_point, ".") == 0);
    CHECK_EQ(crt_localeconv()->frac_digits, CHAR_MAX);
    CHECK_EQ(crt___mb_cur_max, 1);
    crt_wchar w = 0;
    CHECK_EQ(crt_mbtowc(&w, "\xe9x", 2), 1);
    CHECK_EQ(w, 0xE9);
    char c[2];
    CHECK_EQ(crt_wctomb(c, 0x41), 1);
    errno = 0;
    CHECK_EQ(crt_wctomb(c, 0x263A), -1);
    CHECK_EQ(errno, 42);
    crt_wchar ws[8];
    CHECK_EQ(crt_mbstowcs(ws, "abc", 8), 3);
    char bs[8];
    CHECK_EQ(crt_wcstombs(bs, ws, 8), 3);
    CHECK(strcmp(bs, "abc") == 0);
    CHECK_EQ(crt_wcstombs(NULL, ws, 0), 3);
}

int main(void) {
    RUN(string_comparisons_match_glibc);
    RUN(copies_match_glibc);
    RUN(strtok_splits_like_glibc);
    RUN(microsoft_string_extras);
    RUN(ctype_matches_glibc_for_every_character);
    RUN(strtol_family_matches_glibc);
    RUN(strtol_bad_base_and_null_end);
    RUN(atoi_clamps_to_int_and_wide_forms_parse);
    RUN(itoa_family_follows_microsoft);
    RUN(qsort_sorts_random_arrays_like_glibc);
    RUN(qsort_handles_odd_sizes_and_adversarial_orders);
    RUN(bsearch_finds_every_element_and_nothing_else);
    RUN(rand_is_microsofts_sequence);
    RUN(command_lines_split_by_microsofts_rules);
    RUN(strerror_gives_microsofts_messages);
    RUN(only_the_c_locale_exists);
    return UtFinish();
}
