/*
 * test_msvcrt_format.c - msvcrt's printf engine prints what glibc prints,
 * and keeps Microsoft's contracts where they differ.
 *
 * Why: every printf, sprintf and fprintf of a Win32 program ends in
 * libs/msvcrt/format.c. Its integer and floating conversions are compared
 * with the host C library's snprintf over generated tables - every flag
 * combination, widths, precisions (0 with the value 0 included), INT_MIN,
 * LLONG_MAX, the smallest denormal printed to its last digit, ties that
 * round half to even, and thousands of random doubles (fixed seed). What
 * Microsoft does differently on purpose is checked directly: %p, %S and the
 * wide formats, I64, the _snprintf truncation contract, "(null)".
 *
 * The .c files are #included with their public names renamed (sprintf ->
 * crt_sprintf, ...) so they do not clash with glibc's.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#define vsnprintf crt_vsnprintf
#define _vsnprintf crt__vsnprintf
#define vsprintf crt_vsprintf
#define _vscprintf crt__vscprintf
#define snprintf crt_snprintf
#define _snprintf crt__snprintf
#define sprintf crt_sprintf
#define _scprintf crt__scprintf
#define _vsnwprintf crt__vsnwprintf
#define _snwprintf crt__snwprintf
#define vswprintf crt_vswprintf
#define swprintf crt_swprintf
#include "../../libs/msvcrt/format.c"
#include "../../libs/msvcrt/sprintf.c"
#undef vsnprintf
#undef _vsnprintf
#undef vsprintf
#undef _vscprintf
#undef snprintf
#undef _snprintf
#undef sprintf
#undef _scprintf
#undef _vsnwprintf
#undef _snwprintf
#undef vswprintf
#undef swprintf

/* The host has no use for errno here; strtol.c's users supply it. */
int *crt_errno_location(void) {
    return &errno;
}

/* ---- comparison with glibc ---- */

static int compare_one(const char *Format, ...) {
    static char mine[4096], theirs[4096];
    va_list a, b;
    va_start(a, Format);
    va_copy(b, a);
    int n1 = crt_vsnprintf_c99(mine, sizeof mine, Format, a);
    int n2 = vsnprintf(theirs, sizeof theirs, Format, b);
    va_end(b);
    va_end(a);
    if (n1 == n2 && strcmp(mine, theirs) == 0)
        return 1;
    printf("    format \"%s\": msvcrt %d \"%.200s\", glibc %d \"%.200s\"\n", Format, n1, mine, n2, theirs);
    return 0;
}

/* Counts mismatches over a batch, reporting the first few; one CHECK per
 * batch keeps the log short when everything agrees. */
static int mismatches;
#define SAME(...)                                                                                            \
    do {                                                                                                     \
        if (!compare_one(__VA_ARGS__))                                                                       \
            mismatches++;                                                                                    \
    } while (0)

static const char *const flag_sets[] = {"",   "-",  "+",  " ",  "0",  "#",  "-+",
                                        "+0", " 0", "#0", "-#", "-0", "+ ", "#+0"};
static const char *const widths[] = {"", "1", "7", "25"};
static const char *const int_precisions[] = {"", ".", ".0", ".1", ".5", ".20"};

TEST(integers_match_glibc) {
    static const int values[] = {0, 1, -1, 7, -42, 255, 4096, 123456789, INT_MIN, INT_MAX};
    const char *letters = "diuxXo";
    char format[64];
    mismatches = 0;
    for (size_t f = 0; f < sizeof flag_sets / sizeof *flag_sets; f++)
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
            for (size_t p = 0; p < sizeof int_precisions / sizeof *int_precisions; p++)
                for (const char *l = letters; *l; l++) {
                    snprintf(format, sizeof format, "[%%%s%s%s%c]", flag_sets[f], widths[w],
                             int_precisions[p], *l);
                    for (size_t v = 0; v < sizeof values / sizeof *values; v++)
                        SAME(format, values[v]);
                }
    CHECK_EQ(mismatches, 0);
}

TEST(sized_integers_match_glibc) {
    static const long long values[] = {0,         1,         -1,
                                       300,       -129,      65537,
                                       INT_MIN,   INT_MAX,   (long long)INT_MAX + 1,
                                       LLONG_MIN, LLONG_MAX, -1000000000000LL};
    static const char *const sizes[] = {"hh", "h", "l", "ll", "j", "z", "t"};
    const char *letters = "diuxXo";
    char format[64];
    mismatches = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t f = 0; f < sizeof flag_sets / sizeof *flag_sets; f += 3)
            for (const char *l = letters; *l; l++) {
                snprintf(format, sizeof format, "<%%%s12.3%s%c|%%%s%s%c>", flag_sets[f], sizes[s], *l,
                         flag_sets[f], sizes[s], *l);
                for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
                    long long x = values[v];
                    switch (sizes[s][0]) {
                    case 'h': SAME(format, (int)x, (int)x); break;
                    default: SAME(format, x, x); break; /* l, ll, j, z, t are 64 bits on the host */
                    }
                }
            }
    CHECK_EQ(mismatches, 0);
}

static const char *const float_precisions[] = {"",   ".",   ".0",  ".1",  ".2", ".3",
                                               ".6", ".10", ".17", ".20", ".40"};

static double float_values(size_t i, int *Count) {
    static double values[] = {0.0,
                              1.0,
                              0.5,
                              1.5,
                              2.5,
                              0.125,
                              0.1,
                              0.2,
                              0.3,
                              1e-5,
                              1e-4,
                              9.5,
                              99.5,
                              0.05,
                              0.15,
                              0.25,
                              0.35,
                              3.14159265358979,
                              2.718281828459045,
                              123456789.125,
                              1e15,
                              1e16,
                              1e17,
                              1e21,
                              1e22,
                              1e100,
                              1e300,
                              9.9999995,
                              0.000123456,
                              999999.5,
                              9999999.0,
                              1.0 / 3,
                              2.0 / 3,
                              5e-324,
                              2.2250738585072014e-308,
                              1.7976931348623157e308,
                              4503599627370496.5,
                              0.999999,
                              0.9999995,
                              12345.678};
    *Count = (int)(sizeof values / sizeof *values);
    return values[i];
}

TEST(floats_match_glibc) {
    const char *letters = "feEgGF";
    char format[64];
    int count;
    float_values(0, &count);
    mismatches = 0;
    for (size_t f = 0; f < sizeof flag_sets / sizeof *flag_sets; f++)
        for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
            for (size_t p = 0; p < sizeof float_precisions / sizeof *float_precisions; p++)
                for (const char *l = letters; *l; l++) {
                    snprintf(format, sizeof format, "[%%%s%s%s%c]", flag_sets[f], widths[w],
                             float_precisions[p], *l);
                    for (int v = 0; v < count; v++) {
                        double x = float_values((size_t)v, &count);
                        /* glibc drops the zeros of %#g when rounding carries
                         * into a new digit; checked on its own below. */
                        if (strchr(flag_sets[f], '#') && (*l == 'g' || *l == 'G') &&
                            (x == 999999.5 || x == 99.5))
                            continue;
                        SAME(format, x);
                        SAME(format, -x);
                    }
                }
    CHECK_EQ(mismatches, 0);
}

TEST(infinities_and_nans_match_glibc) {
    const char *formats[] = {"%f",   "%e",     "%g",  "%F",  "%E",    "%G",
                             "%10f", "%-10e|", "%+g", "% f", "%010f", "%.3f"};
    mismatches = 0;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        SAME(formats[i], INFINITY);
        SAME(formats[i], -INFINITY);
        SAME(formats[i], NAN);
        SAME(formats[i], -NAN);
    }
    CHECK_EQ(mismatches, 0);
}

/* C11 7.21.6.1: with '#', %g keeps its trailing zeros - also when the
 * rounding carries into a new digit, where glibc (2.36) prints "1.e+06". */
TEST(alternate_g_keeps_zeros_after_a_carry) {
    char b[64];
    crt_snprintf(b, sizeof b, "%#g|%#.2g|%#G", 999999.5, 99.5, -999999.5);
    CHECK(strcmp(b, "1.00000e+06|1.0e+02|-1.00000E+06") == 0);
    crt_snprintf(b, sizeof b, "%#g|%#.3g", 9.9999996, 0.00099951);
    CHECK(strcmp(b, "10.0000|0.00100") == 0);
}

/* Every digit of the extremes: the exact expansion, not 17 digits and zeros. */
TEST(long_expansions_match_glibc) {
    mismatches = 0;
    SAME("%.1074f", 5e-324);
    SAME("%.1100e", 5e-324);
    SAME("%.760g", 2.2250738585072014e-308);
    SAME("%f", 1.7976931348623157e308);
    SAME("%.30f", 1.7976931348623157e308);
    SAME("%.60f", 0.1);
    SAME("%.70e", 1.0 / 3);
    SAME("%400.300f", 1e-200);
    SAME("%#.0f|%#.0e|%#g|%#.3g", 3.0, 3.0, 3.0, 3.0);
    SAME("%.0f %.0f %.0f %.0f %.0f", 0.5, 1.5, 2.5, 3.5, -0.5);
    SAME("%.1f %.1f %.1f %.2f", 0.25, 0.35, 0.45, 1.005);
    CHECK_EQ(mismatches, 0);
}

/* xorshift64*: the same sequence on every run. */
static uint64_t next_random(uint64_t *State) {
    *State ^= *State >> 12;
    *State ^= *State << 25;
    *State ^= *State >> 27;
    return *State * 2685821657736338717ULL;
}

TEST(random_doubles_match_glibc) {
    static const char *const formats[] = {"%.17g", "%.3e", "%f", "%.25g", "%g", "%.0e", "%#.12G", "%.9f"};
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    mismatches = 0;
    for (int i = 0; i < 3000; i++) {
        uint64_t bits = next_random(&state);
        if (i % 3 == 1)
            bits = (bits & 0x800FFFFFFFFFFFFFULL) | ((uint64_t)(1023 + (int)(bits >> 52) % 40 - 20) << 52);
        double d;
        memcpy(&d, &bits, sizeof d);
        SAME(formats[i % 8], d);
    }
    CHECK_EQ(mismatches, 0);
}

TEST(strings_and_characters_match_glibc) {
    mismatches = 0;
    static const char *const formats[] = {"[%s]",   "[%10s]", "[%-10s]", "[%.2s]", "[%10.3s]", "[%-*s]",
                                          "[%.*s]", "[%c]",   "[%5c]",   "[%-5c]", "[%%]"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        if (strchr(formats[i], '*'))
            SAME(formats[i], 7, "hello");
        else if (strchr(formats[i], 'c'))
            SAME(formats[i], 'Q');
        else if (strchr(formats[i], 's'))
            SAME(formats[i], "hello");
        else
            SAME(formats[i], 0);
    }
    SAME("%s-%d-%c-%5.1f-%x", "multi", -5, 'z', 2.25, 255u);
    SAME("[%*d] [%-*d] [%.*d] [%*.*f]", 6, 42, 6, 42, 4, 42, 9, 2, 3.14159);
    SAME("[%*d]", -6, 42);
    SAME("[%.*f]", -3, 2.5);
    SAME("%n", &(int){0});
    CHECK_EQ(mismatches, 0);
}

/* ---- Microsoft's own choices ---- */

static int ms_format(char *Buffer, size_t Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = crt_vsnprintf_ms(Buffer, Size, Format, args);
    va_end(args);
    return n;
}

TEST(pointer_is_upper_case_hex_of_full_width) {
    char b[64];
    ms_format(b, sizeof b, "%p", (void *)(uintptr_t)0x12AB);
    CHECK(strcmp(b, sizeof(void *) == 8 ? "00000000000012AB" : "000012AB") == 0);
    ms_format(b, sizeof b, "[%20p]", (void *)NULL);
    CHECK(strcmp(b, sizeof(void *) == 8 ? "[    0000000000000000]" : "[            00000000]") == 0);
}

TEST(i64_and_i32_prefixes) {
    char b[64];
    ms_format(b, sizeof b, "%I64d %I64u %I64x %I32d %Id", LLONG_MIN, ULLONG_MAX, 0xDEADBEEFCAFEULL, -7,
              (intptr_t)-9);
    CHECK(strcmp(b, "-9223372036854775808 18446744073709551615 deadbeefcafe -7 -9") == 0);
    ms_format(b, sizeof b, "%lld %llu %lli", LLONG_MAX, 0ULL, -1LL);
    CHECK(strcmp(b, "9223372036854775807 0 -1") == 0);
}

TEST(wide_strings_in_narrow_formats) {
    static const crt_wchar wide[] = {'W', 'i', 'd', 'e', 0x263A, 0};
    char b[64];
    ms_format(b, sizeof b, "[%S] [%ls] [%ws] [%.3S] [%C] [%lc]", wide, wide, wide, wide, 'x', 0x41);
    CHECK(strcmp(b, "[Wide?] [Wide?] [Wide?] [Wid] [x] [A]") == 0);
    ms_format(b, sizeof b, "[%hs] [%hc]", "narrow", 'n');
    CHECK(strcmp(b, "[narrow] [n]") == 0);
}

/* L"..." on the host is 32-bit, so wide formats are built from ASCII. */
static void widen(crt_wchar *Out, const char *In) {
    while ((*Out++ = (unsigned char)*In++) != 0)
        ;
}

static int wide_equals(const crt_wchar *Wide, const char *Ascii) {
    for (; *Ascii; Wide++, Ascii++) {
        if (*Wide != (unsigned char)*Ascii)
            return 0;
    }
    return *Wide == 0;
}

TEST(wide_formats_swap_s_and_S) {
    crt_wchar format[64], out[64], arg[8];
    widen(format, "<%s|%S|%c|%C|%5d|%hs>");
    widen(arg, "wide");
    int n = crt__snwprintf(out, 64, format, arg, "narrow", 'W', 'n', 42, "h");
    CHECK_EQ(n, 25);
    CHECK(wide_equals(out, "<wide|narrow|W|n|   42|h>"));
    widen(format, "%.2f %e");
    crt_swprintf(out, format, 1.005, 12345.0);
    CHECK(wide_equals(out, "1.00 1.234500e+04"));
}

TEST(snprintf_keeps_the_microsoft_truncation_contract) {
    char b[16];
    memset(b, 'X', sizeof b);
    CHECK_EQ(crt__snprintf(b, 4, "%d", 123456), -1); /* too long: 4 chars, no NUL, -1 */
    CHECK(memcmp(b, "1234X", 5) == 0);
    memset(b, 'X', sizeof b);
    CHECK_EQ(crt__snprintf(b, 6, "%d", 123456), 6); /* exactly Count: no NUL */
    CHECK(memcmp(b, "123456X", 7) == 0);
    memset(b, 'X', sizeof b);
    CHECK_EQ(crt__snprintf(b, 8, "%d", 123456), 6);
    CHECK(strcmp(b, "123456") == 0);
    crt_wchar w[4], f[8];
    widen(f, "abcdef");
    CHECK_EQ(crt__snwprintf(w, 4, f), -1);
    CHECK(w[3] == 'd');
}

TEST(c99_snprintf_truncates_with_a_nul_and_returns_the_full_length) {
    char b[16];
    memset(b, 'X', sizeof b);
    CHECK_EQ(crt_snprintf(b, 4, "%s", "abcdefgh"), 8);
    CHECK(memcmp(b, "abc\0X", 5) == 0);
    CHECK_EQ(crt_snprintf(NULL, 0, "%d", -12345), 6);
    CHECK_EQ(crt__scprintf("%5.1f|%s", 2.0, "xy"), 8);
    CHECK_EQ(crt_sprintf(b, "%03d:%-3s|", 7, "a"), 8);
    CHECK(strcmp(b, "007:a  |") == 0);
}

TEST(null_strings_and_unknown_conversions) {
    char b[64];
    ms_format(b, sizeof b, "[%s] [%.3s] [%8s] [%S]", (char *)NULL, (char *)NULL, (char *)NULL,
              (crt_wchar *)NULL);
    CHECK(strcmp(b, "[(null)] [(nu] [  (null)] [(null)]") == 0);
    ms_format(b, sizeof b, "%y|%k|100%", 1);
    CHECK(strcmp(b, "y|k|100") == 0);
}

TEST(n_stores_the_count_so_far) {
    char b[64];
    int n = -1;
    short h = -1;
    long long ll = -1;
    ms_format(b, sizeof b, "abc%nde%hnfgh%lln", &n, &h, &ll);
    CHECK_EQ(n, 3);
    CHECK_EQ(h, 5);
    CHECK_EQ(ll, 8);
}

int main(void) {
    RUN(integers_match_glibc);
    RUN(sized_integers_match_glibc);
    RUN(floats_match_glibc);
    RUN(infinities_and_nans_match_glibc);
    RUN(alternate_g_keeps_zeros_after_a_carry);
    RUN(long_expansions_match_glibc);
    RUN(random_doubles_match_glibc);
    RUN(strings_and_characters_match_glibc);
    RUN(pointer_is_upper_case_hex_of_full_width);
    RUN(i64_and_i32_prefixes);
    RUN(wide_strings_in_narrow_formats);
    RUN(wide_formats_swap_s_and_S);
    RUN(snprintf_keeps_the_microsoft_truncation_contract);
    RUN(c99_snprintf_truncates_with_a_nul_and_returns_the_full_length);
    RUN(null_strings_and_unknown_conversions);
    RUN(n_stores_the_count_so_far);
    return UtFinish();
}
