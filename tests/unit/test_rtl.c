/*
 * test_rtl.c - RtlFormatString prints what the C library's snprintf prints,
 * and the RTL_BITMAP routines agree with a bit-by-bit reference model.
 *
 * Why: every log line and the STOP screen go through RtlFormatString, and
 * both the PFN database and the system PTE range are bitmaps searched with
 * RtlFindClearBitsAndSet. The formatter is compared with glibc over a table
 * of conversions, flags and widths, truncation included; NT's own choices
 * (%p without 0x, "(null)") are checked directly. The bitmap is exercised at
 * word boundaries and with sizes that are not a multiple of 32, then driven
 * by thousands of random operations (fixed seed) against a one-byte-per-bit
 * model. Bitmap storage is malloc'd to exactly its words so ASan traps any
 * access past the end.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/include/rtl.h"
#include "unit.h"

/* ---- RtlFormatString against snprintf ---- */

static void check_same(const char *Rtl, int RtlLength, const char *Libc, int LibcLength, const char *What,
                       const char *File, int Line) {
    BOOLEAN same = RtlLength == LibcLength && strcmp(Rtl, Libc) == 0;
    if (!ut_check(same, What, File, Line))
        printf("    RtlFormatString: %d \"%s\"\n    snprintf:        %d \"%s\"\n", RtlLength, Rtl, LibcLength,
               Libc);
}

/* Formats the arguments with both and checks text and return value match. */
#define CHECK_FORMAT(...)                                                                                    \
    do {                                                                                                     \
        char rtl_[256], libc_[256];                                                                          \
        memset(rtl_, 0x7E, sizeof rtl_);                                                                     \
        int rtlLength_ = RtlFormatString(rtl_, sizeof rtl_, __VA_ARGS__);                                    \
        int libcLength_ = snprintf(libc_, sizeof libc_, __VA_ARGS__);                                        \
        check_same(rtl_, rtlLength_, libc_, libcLength_, #__VA_ARGS__, __FILE__, __LINE__);                  \
    } while (0)

/* The same into a buffer of Size bytes: equal return values, equal prefixes,
 * and nothing written at or after Buffer[Size]. The size goes through a
 * volatile so GCC's -Wformat-truncation does not flag the deliberate cut. */
#define CHECK_FORMAT_TRUNCATED(size, ...)                                                                    \
    do {                                                                                                     \
        char rtl_[64], libc_[64];                                                                            \
        volatile SIZE_T size_ = (size);                                                                      \
        memset(rtl_, 0x7E, sizeof rtl_);                                                                     \
        memset(libc_, 0x7E, sizeof libc_);                                                                   \
        int rtlLength_ = RtlFormatString(rtl_, size_, __VA_ARGS__);                                          \
        int libcLength_ = snprintf(libc_, size_, __VA_ARGS__);                                               \
        CHECK_EQ(rtlLength_, libcLength_);                                                                   \
        CHECK(memcmp(rtl_, libc_, sizeof rtl_) == 0);                                                        \
        CHECK_EQ(rtl_[(size)-1], '\0');                                                                      \
        CHECK_EQ((UCHAR)rtl_[(size)], 0x7E);                                                                 \
    } while (0)

TEST(integers_format_like_snprintf) {
    CHECK_FORMAT("%d", 0);
    CHECK_FORMAT("%d", 42);
    CHECK_FORMAT("%d", -42);
    CHECK_FORMAT("%d", INT_MIN);
    CHECK_FORMAT("%d", INT_MAX);
    CHECK_FORMAT("%i", -7);
    CHECK_FORMAT("%u", 0u);
    CHECK_FORMAT("%u", UINT_MAX);
    CHECK_FORMAT("%x", 0u);
    CHECK_FORMAT("%x", 0xDEADBEEFu);
    CHECK_FORMAT("%X", 0xDEADBEEFu);
    CHECK_FORMAT("%ld", LONG_MIN);
    CHECK_FORMAT("%ld", LONG_MAX);
    CHECK_FORMAT("%lu", ULONG_MAX);
    CHECK_FORMAT("%lx", 0xFEEDFACECAFEBEEFul);
    CHECK_FORMAT("%lld", LLONG_MIN);
    CHECK_FORMAT("%lld", 0ll);
    CHECK_FORMAT("%llu", ULLONG_MAX);
    CHECK_FORMAT("%llx", ULLONG_MAX);
    CHECK_FORMAT("%llX", 0x0123456789ABCDEFull);
    CHECK_FORMAT("%zu", (size_t)SIZE_MAX);
    CHECK_FORMAT("%zu", (size_t)0);
    CHECK_FORMAT("%zx", (size_t)0x1234);
    CHECK_FORMAT("%zd", (ptrdiff_t)-5);
}

TEST(widths_and_flags_format_like_snprintf) {
    CHECK_FORMAT("[%5d]", 42);
    CHECK_FORMAT("[%-5d]", 42);
    CHECK_FORMAT("[%05d]", 42);
    CHECK_FORMAT("[%05d]", -42);
    CHECK_FORMAT("[%-6d]", -42);
    CHECK_FORMAT("[%2d]", 12345);
    CHECK_FORMAT("[%012d]", INT_MIN);
    CHECK_FORMAT("[%8x]", 255u);
    CHECK_FORMAT("[%-8x]", 255u);
    CHECK_FORMAT("[%08X]", 255u);
    CHECK_FORMAT("[%#x]", 255u);
    CHECK_FORMAT("[%#X]", 255u);
    CHECK_FORMAT("[%#x]", 0u);
    CHECK_FORMAT("[%#010x]", 255u);
    CHECK_FORMAT("[%#8x]", 255u);
    CHECK_FORMAT("[%-#8x]", 255u);
    CHECK_FORMAT("[%#llx]", ULLONG_MAX);
    CHECK_FORMAT("[%20llu]", ULLONG_MAX);
    CHECK_FORMAT("[%-24lld]", LLONG_MIN);
    CHECK_FORMAT("[%025lld]", LLONG_MIN);
    CHECK_FORMAT("[%010u]", 0u);
    CHECK_FORMAT("[%*d]", 6, 42);
    CHECK_FORMAT("[%*d]", -6, 42);
    CHECK_FORMAT("[%-*d]", 6, 42);
    CHECK_FORMAT("[%*u]", 0, 7u);
    CHECK_FORMAT("[%0*x]", 8, 0xABCu);
}

TEST(characters_and_strings_format_like_snprintf) {
    CHECK_FORMAT("%c", 'A');
    CHECK_FORMAT("[%3c]", 'x');
    CHECK_FORMAT("[%-3c]", 'x');
    CHECK_FORMAT("%s", "hello");
    CHECK_FORMAT("[%s]", "");
    CHECK_FORMAT("[%5s]", "ab");
    CHECK_FORMAT("[%-5s]", "ab");
    CHECK_FORMAT("[%2s]", "abcdef");
    CHECK_FORMAT("[%.3s]", "abcdef");
    CHECK_FORMAT("[%.0s]", "abc");
    CHECK_FORMAT("[%.10s]", "abc");
    CHECK_FORMAT("[%8.3s]", "abcdef");
    CHECK_FORMAT("[%-8.3s]", "abcdef");
    CHECK_FORMAT("[%.*s]", 2, "abcdef");
    CHECK_FORMAT("[%*.*s]", 6, 2, "abcdef");
    CHECK_FORMAT("%%");
    CHECK_FORMAT("100%% done");
    CHECK_FORMAT("no conversions at all");
    CHECK_FORMAT("%s=%d (0x%08X) %c%%", "status", -1073741811, 0xC000000Du, '!');
    CHECK_FORMAT("*** STOP: 0x%08X (0x%08X,0x%08X,0x%08X,0x%08X)", 0x50u, 0xC0000000u, 0u, 0x80001234u, 0u);
}

TEST(null_string_prints_as_null_in_parentheses) {
    const char *volatile nothing = NULL;
    char buffer[32];
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "%s", nothing), 6);
    CHECK(strcmp(buffer, "(null)") == 0);
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "[%8s]", nothing), 10);
    CHECK(strcmp(buffer, "[  (null)]") == 0);
}

TEST(pointer_prints_nt_style_hex_digits_without_prefix) {
    char buffer[64];
    int digits = (int)(2 * sizeof(void *));
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "%p", (void *)(uintptr_t)0x1234), digits);
    CHECK(strcmp(buffer, sizeof(void *) == 8 ? "0000000000001234" : "00001234") == 0);
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "%p", (void *)(uintptr_t)0xABCDEF), digits);
    CHECK(strcmp(buffer, sizeof(void *) == 8 ? "0000000000ABCDEF" : "00ABCDEF") == 0);
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "%p", (void *)NULL), digits);
    CHECK(strcmp(buffer, sizeof(void *) == 8 ? "0000000000000000" : "00000000") == 0);
    CHECK_EQ(RtlFormatString(buffer, sizeof buffer, "<%p>", (void *)(uintptr_t)UINTPTR_MAX), digits + 2);
    CHECK(strcmp(buffer, sizeof(void *) == 8 ? "<FFFFFFFFFFFFFFFF>" : "<FFFFFFFF>") == 0);
}

TEST(truncated_output_returns_full_length_and_terminates) {
    CHECK_FORMAT_TRUNCATED(1, "hello %s", "world");
    CHECK_FORMAT_TRUNCATED(5, "hello %s", "world");
    CHECK_FORMAT_TRUNCATED(6, "hello %s", "world");
    CHECK_FORMAT_TRUNCATED(11, "hello %s", "world");
    CHECK_FORMAT_TRUNCATED(12, "hello %s", "world");
    CHECK_FORMAT_TRUNCATED(4, "%d", INT_MIN);
    CHECK_FORMAT_TRUNCATED(3, "[%10d]", 5);
    CHECK_FORMAT_TRUNCATED(8, "%-10s|", "ab");
    CHECK_FORMAT_TRUNCATED(10, "%llu", ULLONG_MAX);
    CHECK_FORMAT_TRUNCATED(2, "%c%c%c", 'a', 'b', 'c');
}

TEST(size_zero_writes_nothing) {
    char buffer[8];
    memset(buffer, 0x7E, sizeof buffer);
    CHECK_EQ(RtlFormatString(buffer, 0, "hello %d", 12345), 11);
    int untouched = 1;
    for (ULONG i = 0; i < sizeof buffer; i++)
        untouched &= (UCHAR)buffer[i] == 0x7E;
    CHECK(untouched);
    CHECK_EQ(RtlFormatString(NULL, 0, "%s-%s", "abc", "de"), 6);
}

static int format_through_va_list(char *Buffer, SIZE_T Size, const char *Format, ...)
    __attribute__((format(printf, 3, 4)));
static int format_through_va_list(char *Buffer, SIZE_T Size, const char *Format, ...) {
    va_list args;
    va_start(args, Format);
    int n = RtlFormatStringV(Buffer, Size, Format, args);
    va_end(args);
    return n;
}

TEST(va_list_form_matches_the_variadic_form) {
    char a[64], b[64];
    int na = format_through_va_list(a, sizeof a, "%s %d %llx %c", "x", -3, 0xABCull, 'q');
    int nb = RtlFormatString(b, sizeof b, "%s %d %llx %c", "x", -3, 0xABCull, 'q');
    CHECK_EQ(na, nb);
    CHECK(strcmp(a, b) == 0);
    CHECK(strcmp(a, "x -3 abc q") == 0);
}

TEST(string_copy_truncates_and_terminates) {
    char buffer[8];
    memset(buffer, 0x7E, sizeof buffer);
    size_t n = RtlStringCopy(buffer, "hello", 3);
    CHECK(strcmp(buffer, "he") == 0);
    CHECK_EQ(n, strlen(buffer));
    CHECK_EQ((UCHAR)buffer[3], 0x7E);

    n = RtlStringCopy(buffer, "hello", sizeof buffer);
    CHECK(strcmp(buffer, "hello") == 0);
    CHECK_EQ(n, 5);

    n = RtlStringCopy(buffer, "exactly8", sizeof buffer);
    CHECK(strcmp(buffer, "exactly") == 0);
    CHECK_EQ(n, 7);

    n = RtlStringCopy(buffer, "", sizeof buffer);
    CHECK_EQ(buffer[0], '\0');
    CHECK_EQ(n, 0);

    memset(buffer, 0x7E, sizeof buffer);
    n = RtlStringCopy(buffer, "hello", 1);
    CHECK_EQ(buffer[0], '\0');
    CHECK_EQ((UCHAR)buffer[1], 0x7E);
    CHECK_EQ(n, 0);

    memset(buffer, 0x7E, sizeof buffer);
    n = RtlStringCopy(buffer, "hello", 0);
    CHECK_EQ((UCHAR)buffer[0], 0x7E);
    CHECK_EQ(n, 0);
}

/* ---- RTL_BITMAP ---- */

typedef struct _TEST_BITMAP {
    RTL_BITMAP Map;
    ULONG *Words;
} TEST_BITMAP;

/* A cleared bitmap of Bits bits over exactly the words it needs. */
static void bitmap_create(TEST_BITMAP *b, ULONG Bits) {
    ULONG words = (Bits + 31) / 32;
    b->Words = malloc(words ? words * sizeof(ULONG) : 1);
    RtlInitializeBitMap(&b->Map, b->Words, Bits);
    RtlClearAllBits(&b->Map);
}

static void bitmap_destroy(TEST_BITMAP *b) {
    free(b->Words);
}

/* TRUE when bits [Start, Start+Count) are all Value and the rest are not. */
static BOOLEAN bitmap_is_exactly(TEST_BITMAP *b, ULONG Start, ULONG Count, BOOLEAN Value) {
    for (ULONG i = 0; i < b->Map.SizeOfBitMap; i++) {
        BOOLEAN inside = i >= Start && i < Start + Count;
        if ((RtlTestBit(&b->Map, i) ? TRUE : FALSE) != (inside ? Value : !Value))
            return FALSE;
    }
    return TRUE;
}

TEST(set_and_clear_bits_across_word_boundaries) {
    TEST_BITMAP b;
    bitmap_create(&b, 100);
    RtlSetBits(&b.Map, 30, 40);
    CHECK(bitmap_is_exactly(&b, 30, 40, TRUE));
    CHECK(RtlAreBitsSet(&b.Map, 30, 40));
    CHECK(RtlAreBitsSet(&b.Map, 31, 33));
    CHECK(!RtlAreBitsSet(&b.Map, 29, 2));
    CHECK(!RtlAreBitsSet(&b.Map, 69, 2));
    CHECK(RtlAreBitsClear(&b.Map, 0, 30));
    CHECK(RtlAreBitsClear(&b.Map, 70, 30));
    CHECK(!RtlAreBitsClear(&b.Map, 0, 31));
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 60);

    RtlClearBits(&b.Map, 31, 33); /* leaves 30 and 64..69 */
    CHECK(RtlTestBit(&b.Map, 30));
    CHECK(RtlAreBitsClear(&b.Map, 31, 33));
    CHECK(RtlAreBitsSet(&b.Map, 64, 6));
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 93);

    RtlSetBits(&b.Map, 0, 100);
    CHECK(RtlAreBitsSet(&b.Map, 0, 100));
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 0);
    RtlClearBits(&b.Map, 32, 32); /* exactly one whole word */
    CHECK(bitmap_is_exactly(&b, 32, 32, FALSE));
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 32);
    bitmap_destroy(&b);
}

TEST(ranges_past_the_end_are_clipped_or_refused) {
    TEST_BITMAP b;
    bitmap_create(&b, 100);
    RtlSetBits(&b.Map, 95, 10); /* clipped to 95..99 */
    CHECK(RtlAreBitsSet(&b.Map, 95, 5));
    CHECK(!RtlTestBit(&b.Map, 100));
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 95);
    CHECK(!RtlAreBitsSet(&b.Map, 95, 6));    /* runs past the end */
    CHECK(!RtlAreBitsClear(&b.Map, 90, 20)); /* runs past the end */
    CHECK(!RtlAreBitsClear(&b.Map, 101, 0));
    CHECK(RtlAreBitsClear(&b.Map, 0, 0));
    RtlSetBits(&b.Map, 200, 5); /* wholly outside: nothing happens */
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 95);
    RtlSetAllBits(&b.Map);
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 0);
    RtlClearAllBits(&b.Map);
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 100);
    bitmap_destroy(&b);
}

TEST(find_clear_bits_takes_the_first_fit_at_or_after_the_hint) {
    TEST_BITMAP b;
    bitmap_create(&b, 64);
    RtlSetBits(&b.Map, 10, 10);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 5, 12), 20);
    CHECK(RtlAreBitsSet(&b.Map, 20, 5));
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 3, 0), 0);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 8, 3), 25); /* 3..9 holds only 7 */
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 7, 3), 3);
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 64 - 10 - 5 - 3 - 8 - 7);
    bitmap_destroy(&b);
}

TEST(find_clear_bits_wraps_around_past_the_end) {
    TEST_BITMAP b;
    bitmap_create(&b, 64);
    RtlSetBits(&b.Map, 0, 5);
    RtlSetBits(&b.Map, 40, 24);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 10, 50), 5);
    CHECK(RtlAreBitsSet(&b.Map, 5, 10));
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 4, 63), 15);
    bitmap_destroy(&b);
}

TEST(find_clear_bits_finds_a_run_straddling_the_hint_on_wrap) {
    TEST_BITMAP b;
    bitmap_create(&b, 64);
    RtlSetBits(&b.Map, 0, 10);
    RtlSetBits(&b.Map, 30, 34); /* clear: 10..29 */
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 15, 20), 10);
    CHECK(RtlAreBitsSet(&b.Map, 0, 25));
    CHECK(RtlAreBitsClear(&b.Map, 25, 5));
    /* The run ends exactly one bit before hint + count. */
    RtlClearAllBits(&b.Map);
    RtlSetBits(&b.Map, 0, 19);
    RtlSetBits(&b.Map, 23, 41); /* clear: 19..22 */
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 4, 20), 19);
    bitmap_destroy(&b);
}

TEST(find_clear_bits_fails_when_no_run_fits) {
    TEST_BITMAP b;
    bitmap_create(&b, 64);
    for (ULONG i = 0; i < 64; i += 4)
        RtlSetBits(&b.Map, i, 1); /* clear runs of 3 */
    ULONG before[2] = {b.Words[0], b.Words[1]};
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 4, 0), 0xFFFFFFFFu);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 4, 33), 0xFFFFFFFFu);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 65, 0), 0xFFFFFFFFu);
    CHECK_EQ(b.Words[0], before[0]);
    CHECK_EQ(b.Words[1], before[1]);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 3, 33), 33);
    RtlSetAllBits(&b.Map);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 1, 0), 0xFFFFFFFFu);
    bitmap_destroy(&b);
}

TEST(find_clear_bits_handles_sizes_not_a_multiple_of_32) {
    TEST_BITMAP b;
    bitmap_create(&b, 77);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 77, 0), 0);
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 0);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 1, 0), 0xFFFFFFFFu);
    RtlClearBits(&b.Map, 70, 7);
    CHECK_EQ(RtlNumberOfClearBits(&b.Map), 7);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 8, 0), 0xFFFFFFFFu);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 7, 5), 70);
    RtlClearBits(&b.Map, 74, 3);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 1, 1000), 74); /* hint past the end: from 0 */
    bitmap_destroy(&b);

    bitmap_create(&b, 1);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 1, 0), 0);
    CHECK_EQ(RtlFindClearBitsAndSet(&b.Map, 1, 0), 0xFFFFFFFFu);
    bitmap_destroy(&b);
}

/* The reference model: one byte per bit, searched the obvious way. */
static ULONG reference_find(const UCHAR *Bits, ULONG Size, ULONG Count, ULONG Hint) {
    if (Count == 0 || Count > Size)
        return 0xFFFFFFFFu;
    if (Hint >= Size)
        Hint = 0;
    for (ULONG pass = 0; pass < 2; pass++) {
        ULONG from = pass == 0 ? Hint : 0, to = pass == 0 ? Size : Hint;
        for (ULONG s = from; s < to && s + Count <= Size; s++) {
            ULONG k = 0;
            while (k < Count && !Bits[s + k])
                k++;
            if (k == Count)
                return s;
        }
    }
    return 0xFFFFFFFFu;
}

static ULONG Seed = 0x5EED1234u;

static ULONG random_below(ULONG Limit) {
    Seed = Seed * 1664525u + 1013904223u;
    return Limit ? (Seed >> 8) % Limit : 0;
}

TEST(random_operations_agree_with_a_reference_model) {
    static const ULONG sizes[] = {1, 31, 32, 33, 77, 200, 1000};
    ULONG mismatches = 0;
    for (ULONG si = 0; si < ARRAYSIZE(sizes); si++) {
        ULONG size = sizes[si];
        TEST_BITMAP b;
        bitmap_create(&b, size);
        UCHAR *model = calloc(size, 1);
        for (ULONG op = 0; op < 3000 && mismatches < 10; op++) {
            ULONG kind = random_below(10);
            ULONG start = random_below(size + 2);
            ULONG count = random_below(size / 3 + 3);
            if (kind < 3) {
                RtlSetBits(&b.Map, start, count);
                for (ULONG i = start; i < start + count && i < size; i++)
                    model[i] = 1;
            } else if (kind < 6) {
                RtlClearBits(&b.Map, start, count);
                for (ULONG i = start; i < start + count && i < size; i++)
                    model[i] = 0;
            } else {
                ULONG want = reference_find(model, size, count, start);
                ULONG got = RtlFindClearBitsAndSet(&b.Map, count, start);
                if (got != want && mismatches++ < 10)
                    printf("    size %u: find %u from %u: got %u, model %u\n", size, count, start, got, want);
                if (want != 0xFFFFFFFFu)
                    memset(model + want, 1, count);
            }
            /* Compare every bit, the clear count and a random range query. */
            ULONG clear = 0;
            for (ULONG i = 0; i < size; i++) {
                clear += !model[i];
                if ((RtlTestBit(&b.Map, i) ? 1 : 0) != model[i] && mismatches++ < 10)
                    printf("    size %u: bit %u differs after op %u\n", size, i, op);
            }
            if (RtlNumberOfClearBits(&b.Map) != clear && mismatches++ < 10)
                printf("    size %u: %u clear bits, model %u\n", size, RtlNumberOfClearBits(&b.Map), clear);
            ULONG qs = random_below(size + 1), ql = random_below(size - qs + 2);
            BOOLEAN allSet = qs + ql <= size, allClear = qs + ql <= size;
            for (ULONG i = qs; i < qs + ql && i < size; i++) {
                allSet &= model[i] == 1;
                allClear &= model[i] == 0;
            }
            if ((RtlAreBitsSet(&b.Map, qs, ql) ? 1 : 0) != allSet && mismatches++ < 10)
                printf("    size %u: AreBitsSet(%u, %u) differs\n", size, qs, ql);
            if ((RtlAreBitsClear(&b.Map, qs, ql) ? 1 : 0) != allClear && mismatches++ < 10)
                printf("    size %u: AreBitsClear(%u, %u) differs\n", size, qs, ql);
        }
        free(model);
        bitmap_destroy(&b);
    }
    CHECK_EQ(mismatches, 0);
}

int main(void) {
    RUN(integers_format_like_snprintf);
    RUN(widths_and_flags_format_like_snprintf);
    RUN(characters_and_strings_format_like_snprintf);
    RUN(null_string_prints_as_null_in_parentheses);
    RUN(pointer_prints_nt_style_hex_digits_without_prefix);
    RUN(truncated_output_returns_full_length_and_terminates);
    RUN(size_zero_writes_nothing);
    RUN(va_list_form_matches_the_variadic_form);
    RUN(string_copy_truncates_and_terminates);
    RUN(set_and_clear_bits_across_word_boundaries);
    RUN(ranges_past_the_end_are_clipped_or_refused);
    RUN(find_clear_bits_takes_the_first_fit_at_or_after_the_hint);
    RUN(find_clear_bits_wraps_around_past_the_end);
    RUN(find_clear_bits_finds_a_run_straddling_the_hint_on_wrap);
    RUN(find_clear_bits_fails_when_no_run_fits);
    RUN(find_clear_bits_handles_sizes_not_a_multiple_of_32);
    RUN(random_operations_agree_with_a_reference_model);
    return UtFinish();
}
