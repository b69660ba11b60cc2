/*
 * test_unicode.c - the Rtl counted-string routines keep NT's contracts at
 * every boundary and never read past Length or write past MaximumLength.
 *
 * Why: object names, paths and registry keys all travel as UNICODE_STRINGs,
 * and the bugs that matter are at the edges: a buffer that fits exactly, one
 * byte short, a zero MaximumLength, an odd byte count, a string without a
 * terminator. Every string a routine reads or writes here lives in a malloc'd
 * buffer of exactly its stated size (sources carry no terminator unless the
 * test is about one), so ASan turns any step past a length into a failure.
 * Results that NT defines exactly (statuses, truncation, integer wrap-around)
 * are checked exactly. String memory comes from host_nt.c, which counts it
 * and can be made to fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nt/rtlstring.h>

#include "unit.h"

/* host_nt.c */
extern ULONG HostStringAllocationsOutstanding;
extern BOOLEAN HostStringFailAllocations;

/* ---- helpers ---- */

static ULONG wide_length(const WCHAR *S) {
    ULONG n = 0;
    while (S[n])
        n++;
    return n;
}

/* A UNICODE_STRING over a malloc'd buffer of exactly Max bytes holding the
 * first min(Length, Max) bytes of Chars and nothing else. */
static UNICODE_STRING ustr_exact(const WCHAR *Chars, USHORT Length, USHORT Max) {
    UNICODE_STRING s;
    s.Buffer = malloc(Max != 0 ? Max : 1);
    memset(s.Buffer, 0xCC, Max);
    if (Chars != NULL)
        memcpy(s.Buffer, Chars, Length < Max ? Length : Max);
    s.Length = Length;
    s.MaximumLength = Max;
    return s;
}

/* An exact, unterminated source string for the literal Chars. */
static UNICODE_STRING ustr_of(const WCHAR *Chars) {
    USHORT bytes = (USHORT)(wide_length(Chars) * sizeof(WCHAR));
    return ustr_exact(Chars, bytes, bytes);
}

static void ustr_release(UNICODE_STRING *S) {
    free(S->Buffer);
    S->Buffer = NULL;
}

/* TRUE when S holds exactly the characters of Chars. */
static BOOLEAN ustr_is(const UNICODE_STRING *S, const WCHAR *Chars) {
    ULONG n = wide_length(Chars);
    return S->Length == n * sizeof(WCHAR) && memcmp(S->Buffer, Chars, S->Length) == 0;
}

static ANSI_STRING astr_exact(const char *Chars, USHORT Length, USHORT Max) {
    ANSI_STRING s;
    s.Buffer = malloc(Max != 0 ? Max : 1);
    memset(s.Buffer, 0xCC, Max);
    if (Chars != NULL)
        memcpy(s.Buffer, Chars, Length < Max ? Length : Max);
    s.Length = Length;
    s.MaximumLength = Max;
    return s;
}

static ANSI_STRING astr_of(const char *Chars) {
    USHORT n = (USHORT)strlen(Chars);
    return astr_exact(Chars, n, n);
}

/* A heap copy of Chars with no terminator: a routine that looks for one
 * runs off the end, and ASan says so. */
static WCHAR *wide_unterminated(const WCHAR *Chars, ULONG Count) {
    WCHAR *p = malloc(Count != 0 ? Count * sizeof(WCHAR) : 1);
    memcpy(p, Chars, Count * sizeof(WCHAR));
    return p;
}

/* ---- initialising ---- */

TEST(init_unicode_string_describes_without_copying) {
    static const WCHAR text[] = u"abc";
    UNICODE_STRING s;
    RtlInitUnicodeString(&s, text);
    CHECK_EQ(s.Length, 6);
    CHECK_EQ(s.MaximumLength, 8);
    CHECK(s.Buffer == text);

    RtlInitUnicodeString(&s, u"");
    CHECK_EQ(s.Length, 0);
    CHECK_EQ(s.MaximumLength, 2);

    memset(&s, 0x55, sizeof s);
    RtlInitUnicodeString(&s, NULL);
    CHECK_EQ(s.Length, 0);
    CHECK_EQ(s.MaximumLength, 0);
    CHECK(s.Buffer == NULL);

    RtlInitUnicodeString(NULL, text); /* no crash */

    UNICODE_STRING e;
    CHECK_STATUS(RtlInitUnicodeStringEx(&e, text), STATUS_SUCCESS);
    CHECK_EQ(e.Length, 6);
    CHECK_EQ(e.MaximumLength, 8);
    CHECK_STATUS(RtlInitUnicodeStringEx(&e, NULL), STATUS_SUCCESS);
    CHECK_EQ(e.MaximumLength, 0);
    CHECK_STATUS(RtlInitUnicodeStringEx(NULL, text), STATUS_INVALID_PARAMETER);
}

TEST(init_unicode_string_cuts_at_0xfffc_and_ex_refuses) {
    /* 0x7FFE characters is the longest that fits: Length 0xFFFC. */
    WCHAR *longest = malloc(0x7FFF * sizeof(WCHAR));
    for (ULONG i = 0; i < 0x7FFE; i++)
        longest[i] = 'x';
    longest[0x7FFE] = 0;
    UNICODE_STRING s;
    RtlInitUnicodeString(&s, longest);
    CHECK_EQ(s.Length, 0xFFFC);
    CHECK_EQ(s.MaximumLength, 0xFFFE);
    CHECK_STATUS(RtlInitUnicodeStringEx(&s, longest), STATUS_SUCCESS);
    CHECK_EQ(s.Length, 0xFFFC);

    /* One more character, and no terminator anywhere in the buffer: the
     * scan must stop at the limit (ASan checks it reads no further). */
    WCHAR *toolong = malloc(0x7FFF * sizeof(WCHAR));
    for (ULONG i = 0; i < 0x7FFF; i++)
        toolong[i] = 'y';
    RtlInitUnicodeString(&s, toolong);
    CHECK_EQ(s.Length, 0xFFFC);
    CHECK_EQ(s.MaximumLength, 0xFFFE);
    CHECK(s.Buffer == toolong);

    UNICODE_STRING untouched = {2, 4, longest};
    CHECK_STATUS(RtlInitUnicodeStringEx(&untouched, toolong), STATUS_NAME_TOO_LONG);
    CHECK_EQ(untouched.Length, 2);
    CHECK_EQ(untouched.MaximumLength, 4);
    CHECK(untouched.Buffer == longest);
    free(longest);
    free(toolong);
}

TEST(init_ansi_string_counts_bytes_and_cuts_at_0xfffe) {
    ANSI_STRING a;
    RtlInitAnsiString(&a, "hello");
    CHECK_EQ(a.Length, 5);
    CHECK_EQ(a.MaximumLength, 6);
    RtlInitString(&a, "");
    CHECK_EQ(a.Length, 0);
    CHECK_EQ(a.MaximumLength, 1);
    RtlInitAnsiString(&a, NULL);
    CHECK_EQ(a.Length, 0);
    CHECK_EQ(a.MaximumLength, 0);
    CHECK(a.Buffer == NULL);
    RtlInitAnsiString(NULL, "x");

    char *longest = malloc(0xFFFF);
    memset(longest, 'a', 0xFFFE);
    longest[0xFFFE] = 0;
    RtlInitAnsiString(&a, longest);
    CHECK_EQ(a.Length, 0xFFFE);
    CHECK_EQ(a.MaximumLength, 0xFFFF);

    char *toolong = malloc(0xFFFF); /* no terminator at all */
    memset(toolong, 'b', 0xFFFF);
    RtlInitString(&a, toolong);
    CHECK_EQ(a.Length, 0xFFFE);
    CHECK_EQ(a.MaximumLength, 0xFFFF);
    free(longest);
    free(toolong);
}

/* ---- copying ---- */

TEST(copy_unicode_string_exact_fit_has_no_terminator) {
    UNICODE_STRING src = ustr_of(u"abcd");
    UNICODE_STRING dst = ustr_exact(NULL, 0, 8);
    RtlCopyUnicodeString(&dst, &src);
    CHECK(ustr_is(&dst, u"abcd"));
    ustr_release(&dst);

    dst = ustr_exact(NULL, 0, 10); /* room for the terminator */
    RtlCopyUnicodeString(&dst, &src);
    CHECK(ustr_is(&dst, u"abcd"));
    CHECK_EQ(dst.Buffer[4], 0);
    ustr_release(&dst);
    ustr_release(&src);
}

TEST(copy_unicode_string_truncates_to_whole_characters) {
    UNICODE_STRING src = ustr_of(u"abcd");
    UNICODE_STRING dst = ustr_exact(NULL, 0, 7); /* one byte short */
    RtlCopyUnicodeString(&dst, &src);
    CHECK(ustr_is(&dst, u"abc"));
    CHECK_EQ(dst.MaximumLength, 7);
    ustr_release(&dst);

    dst = ustr_exact(NULL, 0, 5); /* two characters and an odd byte */
    RtlCopyUnicodeString(&dst, &src);
    CHECK(ustr_is(&dst, u"ab"));
    ustr_release(&dst);

    dst = ustr_exact(NULL, 0, 0);
    dst.Length = 4; /* stale length: replaced */
    RtlCopyUnicodeString(&dst, &src);
    CHECK_EQ(dst.Length, 0);
    ustr_release(&dst);
    ustr_release(&src);
}

TEST(copy_unicode_string_null_source_and_odd_source) {
    UNICODE_STRING dst = ustr_exact(u"zz", 4, 8);
    RtlCopyUnicodeString(&dst, NULL);
    CHECK_EQ(dst.Length, 0);
    CHECK_EQ(dst.Buffer[0], 0);

    UNICODE_STRING odd = ustr_exact(u"abc", 5, 5); /* 2.5 characters: 2 are read */
    RtlCopyUnicodeString(&dst, &odd);
    CHECK(ustr_is(&dst, u"ab"));
    ustr_release(&odd);

    UNICODE_STRING nobuffer = {0, 10, NULL};
    UNICODE_STRING src = ustr_of(u"q");
    RtlCopyUnicodeString(&nobuffer, &src);
    CHECK_EQ(nobuffer.Length, 0);
    RtlCopyUnicodeString(NULL, &src); /* no crash */
    ustr_release(&src);
    ustr_release(&dst);
}

TEST(copy_unicode_string_overlapping_is_a_move) {
    WCHAR storage[8] = u"abcdef";
    UNICODE_STRING dst = {0, 8, storage + 1};
    UNICODE_STRING src = {6, 6, storage};
    RtlCopyUnicodeString(&dst, &src);
    CHECK(memcmp(storage, u"aabcef", 12) == 0 || memcmp(storage, u"aabc\0f", 12) == 0);
    CHECK(ustr_is(&dst, u"abc"));
}

/* ---- appending ---- */

TEST(append_string_exact_fit_and_terminator_when_room) {
    UNICODE_STRING dst = ustr_exact(u"ab", 4, 8);
    UNICODE_STRING src = ustr_of(u"cd");
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"abcd"));
    ustr_release(&dst);

    dst = ustr_exact(u"ab", 4, 10);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"abcd"));
    CHECK_EQ(dst.Buffer[4], 0);
    ustr_release(&dst);

    dst = ustr_exact(NULL, 0, 4); /* empty destination */
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"cd"));
    ustr_release(&dst);
    ustr_release(&src);
}

TEST(append_string_one_byte_short_changes_nothing) {
    UNICODE_STRING dst = ustr_exact(u"ab", 4, 7);
    UNICODE_STRING src = ustr_of(u"cd");
    UCHAR before[7];
    memcpy(before, dst.Buffer, 7);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(dst.Length, 4);
    CHECK_EQ(dst.MaximumLength, 7);
    CHECK(memcmp(before, dst.Buffer, 7) == 0);
    ustr_release(&dst);

    dst = ustr_exact(NULL, 0, 0);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);
    CHECK_EQ(dst.Length, 0);
    ustr_release(&dst);
    ustr_release(&src);
}

TEST(append_string_empty_source_always_succeeds) {
    UNICODE_STRING dst = ustr_exact(u"ab", 4, 4); /* full */
    UNICODE_STRING empty = ustr_exact(NULL, 0, 0);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &empty), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"ab"));
    UNICODE_STRING nullbuffer = {0, 0, NULL};
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &nullbuffer), STATUS_SUCCESS);
    UNICODE_STRING zero = {0, 0, NULL};
    CHECK_STATUS(RtlAppendUnicodeStringToString(&zero, &empty), STATUS_SUCCESS);
    ustr_release(&empty);
    ustr_release(&dst);
}

TEST(append_string_rejects_odd_and_inconsistent_lengths) {
    UNICODE_STRING dst = ustr_exact(u"ab", 4, 16);
    UNICODE_STRING odd = ustr_exact(u"cd", 3, 3);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &odd), STATUS_INVALID_PARAMETER);
    CHECK_EQ(dst.Length, 4);
    UNICODE_STRING src = ustr_of(u"cd");
    dst.Length = 3;
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_INVALID_PARAMETER);
    dst.Length = 18; /* beyond MaximumLength */
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &src), STATUS_INVALID_PARAMETER);
    dst.Length = 4;
    CHECK_STATUS(RtlAppendUnicodeStringToString(NULL, &src), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, NULL), STATUS_INVALID_PARAMETER);
    UNICODE_STRING nobuffer = {4, 4, NULL};
    CHECK_STATUS(RtlAppendUnicodeStringToString(&dst, &nobuffer), STATUS_INVALID_PARAMETER);
    UNICODE_STRING nodest = {0, 8, NULL};
    CHECK_STATUS(RtlAppendUnicodeStringToString(&nodest, &src), STATUS_INVALID_PARAMETER);
    CHECK_EQ(dst.Length, 4);
    ustr_release(&src);
    ustr_release(&odd);
    ustr_release(&dst);
}

TEST(append_wide_string_fits_exactly_and_scans_no_further_than_room) {
    UNICODE_STRING dst = ustr_exact(u"ab", 4, 10);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, u"cde"), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"abcde"));
    ustr_release(&dst);

    dst = ustr_exact(u"ab", 4, 12);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, u"cde"), STATUS_SUCCESS);
    CHECK_EQ(dst.Buffer[5], 0);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, NULL), STATUS_SUCCESS);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, u""), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"abcde"));
    ustr_release(&dst);

    /* Room for 3 characters; the source has 4 and no terminator: the scan
     * reads one past the room and stops (ASan checks). */
    dst = ustr_exact(u"ab", 4, 10);
    WCHAR *source = wide_unterminated(u"wxyz", 4);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, source), STATUS_BUFFER_TOO_SMALL);
    CHECK(ustr_is(&dst, u"ab"));
    free(source);
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, u"wxy"), STATUS_SUCCESS);
    CHECK(ustr_is(&dst, u"abwxy"));
    CHECK_STATUS(RtlAppendUnicodeToString(&dst, u"!"), STATUS_BUFFER_TOO_SMALL);
    ustr_release(&dst);

    UNICODE_STRING odd = ustr_exact(u"a", 1, 8);
    CHECK_STATUS(RtlAppendUnicodeToString(&odd, u"b"), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlAppendUnicodeToString(NULL, u"b"), STATUS_INVALID_PARAMETER);
    ustr_release(&odd);
}

/* ---- comparing ---- */

TEST(compare_returns_character_difference_then_length_difference) {
    UNICODE_STRING abc = ustr_of(u"abc"), abd = ustr_of(u"abd"), ab = ustr_of(u"ab"), abc2 = ustr_of(u"abc");
    CHECK_EQ(RtlCompareUnicodeString(&abc, &abc2, FALSE), 0);
    CHECK_EQ((LONG)RtlCompareUnicodeString(&abc, &abd, FALSE), -1);
    CHECK_EQ((LONG)RtlCompareUnicodeString(&abd, &abc, FALSE), 1);
    CHECK_EQ((LONG)RtlCompareUnicodeString(&ab, &abc, FALSE), -2); /* bytes */
    CHECK_EQ((LONG)RtlCompareUnicodeString(&abc, &ab, FALSE), 2);
    UNICODE_STRING empty = ustr_exact(NULL, 0, 0);
    CHECK_EQ(RtlCompareUnicodeString(&empty, &empty, FALSE), 0);
    CHECK_EQ(RtlCompareUnicodeString(NULL, &empty, TRUE), 0);
    CHECK(RtlCompareUnicodeString(NULL, &abc, FALSE) < 0);
    CHECK(RtlCompareUnicodeString(&abc, NULL, FALSE) > 0);
    /* Characters compare unsigned: U+FFFF sorts after 'a'. */
    UNICODE_STRING high = ustr_of(u"\uFFFF");
    UNICODE_STRING a = ustr_of(u"a");
    CHECK(RtlCompareUnicodeString(&high, &a, FALSE) > 0);
    ustr_release(&high);
    ustr_release(&a);
    ustr_release(&abc);
    ustr_release(&abd);
    ustr_release(&ab);
    ustr_release(&abc2);
    ustr_release(&empty);
}

TEST(compare_case_insensitive_folds_ascii_and_latin1) {
    UNICODE_STRING lower = ustr_of(u"\u00e9t\u00e9 abc"), upper = ustr_of(u"\u00c9T\u00c9 ABC");
    CHECK_EQ(RtlCompareUnicodeString(&lower, &upper, TRUE), 0);
    CHECK(RtlCompareUnicodeString(&lower, &upper, FALSE) > 0);
    CHECK(RtlEqualUnicodeString(&lower, &upper, TRUE));
    CHECK(!RtlEqualUnicodeString(&lower, &upper, FALSE));

    /* Insensitive order is that of the upcased characters. */
    UNICODE_STRING a = ustr_of(u"a"), B = ustr_of(u"B");
    CHECK(RtlCompareUnicodeString(&a, &B, TRUE) < 0);
    CHECK(RtlCompareUnicodeString(&a, &B, FALSE) > 0);

    /* Not letters, or without a Latin-1 partner: never folded. */
    UNICODE_STRING divide = ustr_of(u"\u00f7"), times = ustr_of(u"\u00d7");
    CHECK(!RtlEqualUnicodeString(&divide, &times, TRUE));
    UNICODE_STRING ydiaeresis = ustr_of(u"\u00ff"), Ydiaeresis = ustr_of(u"\u0178");
    CHECK(!RtlEqualUnicodeString(&ydiaeresis, &Ydiaeresis, TRUE));
    UNICODE_STRING at = ustr_of(u"@"), backtick = ustr_of(u"`");
    CHECK(!RtlEqualUnicodeString(&at, &backtick, TRUE));
    ustr_release(&lower);
    ustr_release(&upper);
    ustr_release(&a);
    ustr_release(&B);
    ustr_release(&divide);
    ustr_release(&times);
    ustr_release(&ydiaeresis);
    ustr_release(&Ydiaeresis);
    ustr_release(&at);
    ustr_release(&backtick);
}

TEST(equal_needs_equal_lengths) {
    UNICODE_STRING ab = ustr_of(u"ab"), abc = ustr_of(u"abc");
    CHECK(!RtlEqualUnicodeString(&ab, &abc, FALSE));
    CHECK(!RtlEqualUnicodeString(&abc, &ab, TRUE));
    UNICODE_STRING ab2 = ustr_exact(u"abz", 4, 6); /* MaximumLength does not matter */
    CHECK(RtlEqualUnicodeString(&ab, &ab2, FALSE));
    UNICODE_STRING empty = {0, 0, NULL};
    CHECK(RtlEqualUnicodeString(&empty, &empty, FALSE));
    CHECK(!RtlEqualUnicodeString(&empty, &ab, FALSE));
    ustr_release(&ab);
    ustr_release(&abc);
    ustr_release(&ab2);
}

TEST(prefix_matches_leading_characters) {
    UNICODE_STRING path = ustr_of(u"\\Device\\Harddisk0"), device = ustr_of(u"\\Device"),
                   shouty = ustr_of(u"\\DEVICE"), other = ustr_of(u"\\Devicf"),
                   empty = ustr_exact(NULL, 0, 0);
    CHECK(RtlPrefixUnicodeString(&device, &path, FALSE));
    CHECK(!RtlPrefixUnicodeString(&shouty, &path, FALSE));
    CHECK(RtlPrefixUnicodeString(&shouty, &path, TRUE));
    CHECK(!RtlPrefixUnicodeString(&other, &path, TRUE));
    CHECK(!RtlPrefixUnicodeString(&path, &device, FALSE)); /* longer than the string */
    CHECK(RtlPrefixUnicodeString(&path, &path, FALSE));
    CHECK(RtlPrefixUnicodeString(&empty, &path, FALSE));
    CHECK(RtlPrefixUnicodeString(&empty, &empty, FALSE));
    CHECK(RtlPrefixUnicodeString(NULL, &path, FALSE));

    UNICODE_STRING cafe = ustr_of(u"caf\u00e9s"), CAFE = ustr_of(u"CAF\u00c9");
    CHECK(RtlPrefixUnicodeString(&CAFE, &cafe, TRUE));
    CHECK(!RtlPrefixUnicodeString(&CAFE, &cafe, FALSE));
    ustr_release(&path);
    ustr_release(&device);
    ustr_release(&shouty);
    ustr_release(&other);
    ustr_release(&empty);
    ustr_release(&cafe);
    ustr_release(&CAFE);
}

/* ---- case ---- */

TEST(upcase_and_downcase_every_character) {
    ULONG wrong = 0;
    for (ULONG c = 0; c <= 0xFFFF; c++) {
        ULONG up = c, down = c;
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7))
            up = c - 0x20;
        if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
            down = c + 0x20;
        if (RtlUpcaseUnicodeChar((WCHAR)c) != up || RtlDowncaseUnicodeChar((WCHAR)c) != down) {
            if (wrong++ < 5)
                printf("  case of U+%04lX wrong\n", (unsigned long)c);
        }
    }
    CHECK_EQ(wrong, 0);
    CHECK_EQ(RtlUpcaseUnicodeChar(0xFF), 0xFF);
    CHECK_EQ(RtlUpcaseUnicodeChar(0xE9), 0xC9);
    CHECK_EQ(RtlDowncaseUnicodeChar(0xDE), 0xFE);
    CHECK_EQ(RtlUpcaseUnicodeChar(0xB5), 0xB5);
}

TEST(upcase_string_allocates_converts_in_place_and_refuses_short) {
    UNICODE_STRING src = ustr_of(u"Caf\u00e9 \u00ff!");
    UNICODE_STRING out;
    CHECK_STATUS(RtlUpcaseUnicodeString(&out, &src, TRUE), STATUS_SUCCESS);
    CHECK(ustr_is(&out, u"CAF\u00c9 \u00ff!"));
    CHECK_EQ(out.MaximumLength, src.Length);
    RtlFreeUnicodeString(&out);

    CHECK_STATUS(RtlUpcaseUnicodeString(&src, &src, FALSE), STATUS_SUCCESS);
    CHECK(ustr_is(&src, u"CAF\u00c9 \u00ff!"));

    UNICODE_STRING small = ustr_exact(NULL, 0, (USHORT)(src.Length - 1));
    CHECK_STATUS(RtlUpcaseUnicodeString(&small, &src, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(small.Length, 0);
    ustr_release(&small);

    UNICODE_STRING odd = ustr_exact(u"ab", 3, 3);
    UNICODE_STRING dst = ustr_exact(NULL, 0, 8);
    CHECK_STATUS(RtlUpcaseUnicodeString(&dst, &odd, FALSE), STATUS_INVALID_PARAMETER);
    ustr_release(&odd);
    ustr_release(&dst);

    HostStringFailAllocations = TRUE;
    CHECK_STATUS(RtlUpcaseUnicodeString(&out, &src, TRUE), STATUS_NO_MEMORY);
    HostStringFailAllocations = FALSE;
    ustr_release(&src);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);
}

/* ---- ANSI <-> UTF-16 ---- */

TEST(ansi_to_unicode_allocating_widens_latin1) {
    ANSI_STRING a = astr_exact("caf\xe9\xff\x80", 6, 6);
    UNICODE_STRING u;
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, TRUE), STATUS_SUCCESS);
    static const WCHAR expected[] = {'c', 'a', 'f', 0xE9, 0xFF, 0x80, 0};
    CHECK(ustr_is(&u, expected));
    CHECK_EQ(u.MaximumLength, 14);
    CHECK_EQ(u.Buffer[6], 0);
    CHECK_EQ(HostStringAllocationsOutstanding, 1);
    RtlFreeUnicodeString(&u);
    CHECK(u.Buffer == NULL);
    CHECK_EQ(u.Length, 0);
    CHECK_EQ(u.MaximumLength, 0);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);

    ANSI_STRING empty = astr_exact(NULL, 0, 0);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &empty, TRUE), STATUS_SUCCESS);
    CHECK_EQ(u.Length, 0);
    CHECK_EQ(u.MaximumLength, 2);
    CHECK_EQ(u.Buffer[0], 0);
    RtlFreeUnicodeString(&u);
    free(a.Buffer);
    free(empty.Buffer);
}

TEST(ansi_to_unicode_into_caller_buffer_exact_fit_and_one_short) {
    ANSI_STRING a = astr_of("hey");
    UNICODE_STRING u = ustr_exact(NULL, 0, 8); /* 3 characters and the terminator */
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_SUCCESS);
    CHECK(ustr_is(&u, u"hey"));
    CHECK_EQ(u.Buffer[3], 0);
    CHECK_EQ(u.MaximumLength, 8);
    ustr_release(&u);

    u = ustr_exact(u"zz", 4, 7); /* one byte short: untouched */
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK(ustr_is(&u, u"zz"));
    ustr_release(&u);

    u = ustr_exact(u"zz", 4, 6); /* room for the characters, not the terminator */
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(u.Length, 4);
    ustr_release(&u);

    u = ustr_exact(NULL, 0, 0);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(u.Length, 0);
    ustr_release(&u);

    UNICODE_STRING nobuffer = {0, 8, NULL};
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&nobuffer, &a, FALSE), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(NULL, &a, FALSE), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&nobuffer, NULL, FALSE), STATUS_INVALID_PARAMETER);
    ANSI_STRING bad = {3, 3, NULL};
    u = ustr_exact(NULL, 0, 8);
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &bad, FALSE), STATUS_INVALID_PARAMETER);
    ustr_release(&u);
    free(a.Buffer);
}

TEST(ansi_to_unicode_too_long_for_a_unicode_string) {
    /* 0x7FFE bytes widen to 0xFFFC plus the terminator: the largest that fits. */
    ANSI_STRING a = astr_exact(NULL, 0x7FFE, 0x7FFE);
    memset(a.Buffer, 'k', 0x7FFE);
    UNICODE_STRING u;
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, TRUE), STATUS_SUCCESS);
    CHECK_EQ(u.Length, 0xFFFC);
    CHECK_EQ(u.MaximumLength, 0xFFFE);
    CHECK_EQ(u.Buffer[0x7FFD], 'k');
    RtlFreeUnicodeString(&u);
    free(a.Buffer);

    a = astr_exact(NULL, 0x7FFF, 0x7FFF);
    memset(a.Buffer, 'k', 0x7FFF);
    UNICODE_STRING untouched = {0, 0, NULL};
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&untouched, &a, TRUE), STATUS_INVALID_PARAMETER_2);
    CHECK(untouched.Buffer == NULL);
    free(a.Buffer);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);
}

TEST(ansi_to_unicode_allocation_failure) {
    ANSI_STRING a = astr_of("abc");
    UNICODE_STRING u = {2, 2, (PWCHAR)(ULONG_PTR)0x1000};
    HostStringFailAllocations = TRUE;
    CHECK_STATUS(RtlAnsiStringToUnicodeString(&u, &a, TRUE), STATUS_NO_MEMORY);
    HostStringFailAllocations = FALSE;
    CHECK_EQ(u.Length, 2);
    CHECK(u.Buffer == (PWCHAR)(ULONG_PTR)0x1000);
    free(a.Buffer);
}

TEST(unicode_to_ansi_narrows_and_replaces_beyond_latin1) {
    UNICODE_STRING u = ustr_of(u"a\u00e9\u0100\u20ac\u00ffz");
    ANSI_STRING a;
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &u, TRUE), STATUS_SUCCESS);
    CHECK_EQ(a.Length, 6);
    CHECK_EQ(a.MaximumLength, 7);
    CHECK(memcmp(a.Buffer, "a\xe9??\xffz", 7) == 0); /* the terminator included */
    RtlFreeAnsiString(&a);
    CHECK(a.Buffer == NULL);
    CHECK_EQ(a.MaximumLength, 0);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);

    UNICODE_STRING empty = {0, 0, NULL};
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &empty, TRUE), STATUS_SUCCESS);
    CHECK_EQ(a.Length, 0);
    CHECK_EQ(a.MaximumLength, 1);
    CHECK_EQ(a.Buffer[0], 0);
    RtlFreeAnsiString(&a);
    ustr_release(&u);
}

TEST(unicode_to_ansi_caller_buffer_truncates_with_buffer_overflow) {
    UNICODE_STRING u = ustr_of(u"hello");
    ANSI_STRING a = astr_exact(NULL, 0, 6); /* exact fit */
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_SUCCESS);
    CHECK_EQ(a.Length, 5);
    CHECK(memcmp(a.Buffer, "hello", 6) == 0);
    free(a.Buffer);

    a = astr_exact(NULL, 0, 5); /* one short: NT writes what fits */
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(a.Length, 4);
    CHECK(memcmp(a.Buffer, "hell", 5) == 0);
    free(a.Buffer);

    a = astr_exact(NULL, 0, 1);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(a.Length, 0);
    CHECK_EQ(a.Buffer[0], 0);
    free(a.Buffer);

    a = astr_exact("q", 1, 0); /* MaximumLength 0: nothing written */
    a.Length = 0;
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(a.Length, 0);
    free(a.Buffer);

    ANSI_STRING nobuffer = {0, 4, NULL};
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&nobuffer, &u, FALSE), STATUS_INVALID_PARAMETER);
    ustr_release(&u);
}

TEST(unicode_to_ansi_rejects_odd_length_and_handles_alloc_failure) {
    UNICODE_STRING odd = ustr_exact(u"ab", 3, 3);
    ANSI_STRING a = astr_exact(NULL, 0, 8);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, &odd, FALSE), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&a, NULL, FALSE), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlUnicodeStringToAnsiString(NULL, &odd, FALSE), STATUS_INVALID_PARAMETER);
    CHECK_EQ(a.Length, 0);
    UNICODE_STRING u = ustr_of(u"x");
    ANSI_STRING out = {0, 0, NULL};
    HostStringFailAllocations = TRUE;
    CHECK_STATUS(RtlUnicodeStringToAnsiString(&out, &u, TRUE), STATUS_NO_MEMORY);
    HostStringFailAllocations = FALSE;
    CHECK(out.Buffer == NULL);
    ustr_release(&u);
    ustr_release(&odd);
    free(a.Buffer);
}

TEST(free_strings_tolerate_null_and_empty) {
    RtlFreeUnicodeString(NULL);
    RtlFreeAnsiString(NULL);
    UNICODE_STRING u = {0, 0, NULL};
    RtlFreeUnicodeString(&u);
    ANSI_STRING a = {0, 0, NULL};
    RtlFreeAnsiString(&a);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);
}

TEST(create_unicode_string_from_asciiz) {
    UNICODE_STRING u;
    CHECK(RtlCreateUnicodeStringFromAsciiz(&u, "\\SystemRoot\\\xe9"));
    CHECK(ustr_is(&u, u"\\SystemRoot\\\u00e9"));
    CHECK_EQ(u.MaximumLength, u.Length + 2);
    CHECK_EQ(u.Buffer[u.Length / 2], 0);
    RtlFreeUnicodeString(&u);

    CHECK(RtlCreateUnicodeStringFromAsciiz(&u, ""));
    CHECK_EQ(u.Length, 0);
    RtlFreeUnicodeString(&u);

    CHECK(!RtlCreateUnicodeStringFromAsciiz(&u, NULL));
    CHECK(!RtlCreateUnicodeStringFromAsciiz(NULL, "x"));
    HostStringFailAllocations = TRUE;
    CHECK(!RtlCreateUnicodeStringFromAsciiz(&u, "x"));
    HostStringFailAllocations = FALSE;

    char *big = malloc(0x8000); /* widens past a UNICODE_STRING */
    memset(big, 'a', 0x7FFF);
    big[0x7FFF] = 0;
    CHECK(!RtlCreateUnicodeStringFromAsciiz(&u, big));
    free(big);
    CHECK_EQ(HostStringAllocationsOutstanding, 0);
}

/* ---- integers ---- */

typedef struct _PARSE_CASE {
    const char *Text;
    ULONG Base;
    ULONG Value;
    NTSTATUS Status;
} PARSE_CASE;

static const PARSE_CASE ParseCases[] = {
    /* base 0: prefixes, sign, whitespace */
    {"123", 0, 123, STATUS_SUCCESS},
    {"  \t\r\n-42", 0, (ULONG)-42, STATUS_SUCCESS},
    {"+7", 0, 7, STATUS_SUCCESS},
    {"-", 0, 0, STATUS_SUCCESS},
    {"", 0, 0, STATUS_SUCCESS},
    {"   ", 0, 0, STATUS_SUCCESS},
    {"0x1F", 0, 31, STATUS_SUCCESS},
    {"0x1f", 0, 31, STATUS_SUCCESS},
    {"0X1F", 0, 0, STATUS_SUCCESS}, /* NT's prefixes are lower-case only */
    {"0o17", 0, 15, STATUS_SUCCESS},
    {"0b101", 0, 5, STATUS_SUCCESS},
    {"0b102", 0, 2, STATUS_SUCCESS},
    {"0x", 0, 0, STATUS_SUCCESS},
    {"-0x10", 0, (ULONG)-16, STATUS_SUCCESS},
    {"0", 0, 0, STATUS_SUCCESS},
    {"017", 0, 17, STATUS_SUCCESS}, /* a leading zero is not octal */
    {"12abc", 0, 12, STATUS_SUCCESS},
    {"abc", 0, 0, STATUS_SUCCESS},
    {"+-5", 0, 0, STATUS_SUCCESS},
    {"- 5", 0, 0, STATUS_SUCCESS},
    {"4294967295", 0, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"4294967296", 0, 0, STATUS_SUCCESS}, /* wraps, as on NT */
    {"4294967297", 0, 1, STATUS_SUCCESS},
    {"99999999999", 0, 1215752191u, STATUS_SUCCESS},
    {"-2147483648", 0, 0x80000000u, STATUS_SUCCESS},
    {"-4294967295", 0, 1, STATUS_SUCCESS},
    {"0xFFFFFFFF", 0, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"0x100000000", 0, 0, STATUS_SUCCESS},
    /* base 2 */
    {"1010", 2, 10, STATUS_SUCCESS},
    {"102", 2, 2, STATUS_SUCCESS},
    {"-1", 2, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"11111111111111111111111111111111", 2, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"111111111111111111111111111111111", 2, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"100000000000000000000000000000000", 2, 0, STATUS_SUCCESS},
    {"0b11", 2, 0, STATUS_SUCCESS}, /* no prefix outside base 0 */
    /* base 8 */
    {"777", 8, 511, STATUS_SUCCESS},
    {"8", 8, 0, STATUS_SUCCESS},
    {"178", 8, 15, STATUS_SUCCESS},
    {"37777777777", 8, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"40000000000", 8, 0, STATUS_SUCCESS},
    {"40000000001", 8, 1, STATUS_SUCCESS},
    /* base 10 */
    {"00042", 10, 42, STATUS_SUCCESS},
    {"42a", 10, 42, STATUS_SUCCESS},
    {"0x10", 10, 0, STATUS_SUCCESS},
    {"4294967295", 10, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"4294967296", 10, 0, STATUS_SUCCESS},
    /* base 16 */
    {"ff", 16, 255, STATUS_SUCCESS},
    {"FfFf", 16, 0xFFFF, STATUS_SUCCESS},
    {"1g", 16, 1, STATUS_SUCCESS},
    {"0x10", 16, 0, STATUS_SUCCESS},
    {"deadBEEF", 16, 0xDEADBEEFu, STATUS_SUCCESS},
    {"FFFFFFFF", 16, 0xFFFFFFFFu, STATUS_SUCCESS},
    {"100000000", 16, 0, STATUS_SUCCESS},
    {"123456789", 16, 0x23456789u, STATUS_SUCCESS},
    {" -a", 16, (ULONG)-10, STATUS_SUCCESS},
    /* bad bases */
    {"1", 1, 0, STATUS_INVALID_PARAMETER},
    {"1", 3, 0, STATUS_INVALID_PARAMETER},
    {"1", 7, 0, STATUS_INVALID_PARAMETER},
    {"1", 17, 0, STATUS_INVALID_PARAMETER},
    {"1", 36, 0, STATUS_INVALID_PARAMETER},
    {"1", 0xFFFFFFFFu, 0, STATUS_INVALID_PARAMETER},
};

TEST(unicode_string_to_integer_every_base) {
    ULONG wrong = 0;
    for (ULONG i = 0; i < ARRAYSIZE(ParseCases); i++) {
        const PARSE_CASE *c = &ParseCases[i];
        ULONG n = (ULONG)strlen(c->Text);
        WCHAR wide[64];
        for (ULONG k = 0; k < n; k++)
            wide[k] = (UCHAR)c->Text[k];
        UNICODE_STRING s = ustr_exact(wide, (USHORT)(n * 2), (USHORT)(n * 2)); /* unterminated */
        ULONG value = 0xA5A5A5A5u;
        NTSTATUS status = RtlUnicodeStringToInteger(&s, c->Base, &value);
        ULONG expected = c->Status == STATUS_SUCCESS ? c->Value : 0xA5A5A5A5u;
        if (status != c->Status || value != expected) {
            wrong++;
            printf("  \"%s\" base %lu: status 0x%08lx value 0x%08lx, expected 0x%08lx 0x%08lx\n", c->Text,
                   (unsigned long)c->Base, (unsigned long)(ULONG)status, (unsigned long)value,
                   (unsigned long)(ULONG)c->Status, (unsigned long)expected);
        }
        ustr_release(&s);
    }
    CHECK_EQ(wrong, 0);
}

TEST(char_to_integer_every_base) {
    ULONG wrong = 0;
    for (ULONG i = 0; i < ARRAYSIZE(ParseCases); i++) {
        const PARSE_CASE *c = &ParseCases[i];
        ULONG value = 0xA5A5A5A5u;
        NTSTATUS status = RtlCharToInteger(c->Text, c->Base, &value);
        ULONG expected = c->Status == STATUS_SUCCESS ? c->Value : 0xA5A5A5A5u;
        if (status != c->Status || value != expected) {
            wrong++;
            printf("  \"%s\" base %lu: status 0x%08lx value 0x%08lx\n", c->Text, (unsigned long)c->Base,
                   (unsigned long)(ULONG)status, (unsigned long)value);
        }
    }
    CHECK_EQ(wrong, 0);
    ULONG value;
    CHECK_STATUS(RtlCharToInteger(NULL, 10, &value), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlCharToInteger("1", 10, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(RtlCharToInteger("1", 5, NULL), STATUS_INVALID_PARAMETER); /* the base is checked first */
    CHECK_STATUS(RtlCharToInteger("\xa0"
                                  "5",
                                  10, &value),
                 STATUS_SUCCESS); /* 0xA0 is not whitespace */
    CHECK_EQ(value, 0);
}

TEST(unicode_string_to_integer_respects_length_and_rejects_bad_strings) {
    /* Digits beyond Length are not part of the string. */
    UNICODE_STRING s = ustr_exact(u"1234", 4, 8);
    ULONG value = 0;
    CHECK_STATUS(RtlUnicodeStringToInteger(&s, 10, &value), STATUS_SUCCESS);
    CHECK_EQ(value, 12);
    s.Length = 0;
    CHECK_STATUS(RtlUnicodeStringToInteger(&s, 0, &value), STATUS_SUCCESS);
    CHECK_EQ(value, 0);
    s.Length = 3;
    CHECK_STATUS(RtlUnicodeStringToInteger(&s, 10, &value), STATUS_INVALID_PARAMETER);
    s.Length = 4;
    CHECK_STATUS(RtlUnicodeStringToInteger(&s, 10, NULL), STATUS_ACCESS_VIOLATION);
    CHECK_STATUS(RtlUnicodeStringToInteger(NULL, 10, &value), STATUS_INVALID_PARAMETER);
    UNICODE_STRING nobuffer = {4, 4, NULL};
    CHECK_STATUS(RtlUnicodeStringToInteger(&nobuffer, 10, &value), STATUS_INVALID_PARAMETER);
    ustr_release(&s);

    /* A NUL is <= ' ': NT skips it as leading whitespace. */
    static const WCHAR nul5[] = {0, '5'};
    UNICODE_STRING z = ustr_exact(nul5, 4, 4);
    CHECK_STATUS(RtlUnicodeStringToInteger(&z, 0, &value), STATUS_SUCCESS);
    CHECK_EQ(value, 5);
    ustr_release(&z);

    /* Wide digits outside ASCII are not digits: U+FF11 (fullwidth 1) stops. */
    UNICODE_STRING full = ustr_of(u"7\uff11");
    CHECK_STATUS(RtlUnicodeStringToInteger(&full, 10, &value), STATUS_SUCCESS);
    CHECK_EQ(value, 7);
    ustr_release(&full);

    /* "0x" split by Length: only "0" is in the string. */
    UNICODE_STRING cut = ustr_exact(u"0x1", 2, 6);
    CHECK_STATUS(RtlUnicodeStringToInteger(&cut, 0, &value), STATUS_SUCCESS);
    CHECK_EQ(value, 0);
    ustr_release(&cut);
}

TEST(integer_to_unicode_string_every_base) {
    static const struct {
        ULONG Value, Base;
        const WCHAR *Text;
    } cases[] = {
        {0, 10, u"0"},
        {0, 2, u"0"},
        {0, 0, u"0"},
        {1234567890, 0, u"1234567890"},
        {4294967295u, 10, u"4294967295"},
        {4294967295u, 16, u"FFFFFFFF"},
        {0xABCDEF, 16, u"ABCDEF"},
        {4294967295u, 8, u"37777777777"},
        {8, 8, u"10"},
        {4294967295u, 2, u"11111111111111111111111111111111"},
        {5, 2, u"101"},
        {0x80000000u, 10, u"2147483648"}, /* unsigned: no sign */
    };
    for (ULONG i = 0; i < ARRAYSIZE(cases); i++) {
        UNICODE_STRING s = ustr_exact(NULL, 0, 66);
        CHECK_STATUS(RtlIntegerToUnicodeString(cases[i].Value, cases[i].Base, &s), STATUS_SUCCESS);
        if (!CHECK(ustr_is(&s, cases[i].Text)))
            printf("  case %lu\n", (unsigned long)i);
        CHECK_EQ(s.Buffer[s.Length / 2], 0);
        ustr_release(&s);
    }
}

TEST(integer_to_unicode_string_boundaries) {
    /* "12345": 10 bytes and the terminator. */
    UNICODE_STRING s = ustr_exact(NULL, 0, 12);
    CHECK_STATUS(RtlIntegerToUnicodeString(12345, 10, &s), STATUS_SUCCESS);
    CHECK(ustr_is(&s, u"12345"));
    CHECK_EQ(s.Buffer[5], 0);
    ustr_release(&s);

    s = ustr_exact(u"zz", 4, 11); /* one byte short */
    CHECK_STATUS(RtlIntegerToUnicodeString(12345, 10, &s), STATUS_BUFFER_OVERFLOW);
    CHECK(ustr_is(&s, u"zz"));
    ustr_release(&s);

    s = ustr_exact(u"zz", 4, 10); /* the digits fit, the terminator does not */
    CHECK_STATUS(RtlIntegerToUnicodeString(12345, 10, &s), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(s.Length, 4);
    ustr_release(&s);

    s = ustr_exact(NULL, 0, 0);
    CHECK_STATUS(RtlIntegerToUnicodeString(0, 10, &s), STATUS_BUFFER_OVERFLOW);
    ustr_release(&s);

    s = ustr_exact(NULL, 0, 66);
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 3, &s), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 36, &s), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 1, &s), STATUS_INVALID_PARAMETER);
    CHECK_EQ(s.Length, 0);
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 10, NULL), STATUS_INVALID_PARAMETER);
    UNICODE_STRING nobuffer = {0, 8, NULL};
    CHECK_STATUS(RtlIntegerToUnicodeString(1, 10, &nobuffer), STATUS_INVALID_PARAMETER);
    ustr_release(&s);
}

TEST(integer_round_trips_in_every_base) {
    static const ULONG bases[] = {2, 8, 10, 16};
    ULONG seed = 12345, wrong = 0;
    for (ULONG i = 0; i < 4000; i++) {
        seed = seed * 1103515245u + 12345u;
        ULONG value = i < 64 ? (1u << (i % 32)) - (i >= 32) : seed ^ (seed << 7);
        ULONG base = bases[i % 4];
        UNICODE_STRING s = ustr_exact(NULL, 0, 66);
        ULONG back = 0;
        if (!NT_SUCCESS(RtlIntegerToUnicodeString(value, base, &s)) ||
            !NT_SUCCESS(RtlUnicodeStringToInteger(&s, base, &back)) || back != value)
            wrong++;
        ustr_release(&s);
    }
    CHECK_EQ(wrong, 0);
}

TEST(integer_to_char_terminates_only_when_room) {
    char buffer[8];
    memset(buffer, 'x', sizeof buffer);
    CHECK_STATUS(RtlIntegerToChar(255, 16, 2, buffer), STATUS_SUCCESS);
    CHECK(memcmp(buffer, "FFx", 3) == 0); /* exact fit: no terminator */
    CHECK_STATUS(RtlIntegerToChar(255, 16, 3, buffer), STATUS_SUCCESS);
    CHECK(memcmp(buffer, "FF\0", 3) == 0);
    memset(buffer, 'x', sizeof buffer);
    CHECK_STATUS(RtlIntegerToChar(255, 16, 1, buffer), STATUS_BUFFER_OVERFLOW);
    CHECK_EQ(buffer[0], 'x');
    CHECK_STATUS(RtlIntegerToChar(255, 10, -1, buffer), STATUS_BUFFER_OVERFLOW);
    CHECK_STATUS(RtlIntegerToChar(255, 0, 8, buffer), STATUS_SUCCESS);
    CHECK(strcmp(buffer, "255") == 0);
    CHECK_STATUS(RtlIntegerToChar(255, 9, 8, buffer), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlIntegerToChar(255, 10, 8, NULL), STATUS_ACCESS_VIOLATION);
}

int main(void) {
    RUN(init_unicode_string_describes_without_copying);
    RUN(init_unicode_string_cuts_at_0xfffc_and_ex_refuses);
    RUN(init_ansi_string_counts_bytes_and_cuts_at_0xfffe);
    RUN(copy_unicode_string_exact_fit_has_no_terminator);
    RUN(copy_unicode_string_truncates_to_whole_characters);
    RUN(copy_unicode_string_null_source_and_odd_source);
    RUN(copy_unicode_string_overlapping_is_a_move);
    RUN(append_string_exact_fit_and_terminator_when_room);
    RUN(append_string_one_byte_short_changes_nothing);
    RUN(append_string_empty_source_always_succeeds);
    RUN(append_string_rejects_odd_and_inconsistent_lengths);
    RUN(append_wide_string_fits_exactly_and_scans_no_further_than_room);
    RUN(compare_returns_character_difference_then_length_difference);
    RUN(compare_case_insensitive_folds_ascii_and_latin1);
    RUN(equal_needs_equal_lengths);
    RUN(prefix_matches_leading_characters);
    RUN(upcase_and_downcase_every_character);
    RUN(upcase_string_allocates_converts_in_place_and_refuses_short);
    RUN(ansi_to_unicode_allocating_widens_latin1);
    RUN(ansi_to_unicode_into_caller_buffer_exact_fit_and_one_short);
    RUN(ansi_to_unicode_too_long_for_a_unicode_string);
    RUN(ansi_to_unicode_allocation_failure);
    RUN(unicode_to_ansi_narrows_and_replaces_beyond_latin1);
    RUN(unicode_to_ansi_caller_buffer_truncates_with_buffer_overflow);
    RUN(unicode_to_ansi_rejects_odd_length_and_handles_alloc_failure);
    RUN(free_strings_tolerate_null_and_empty);
    RUN(create_unicode_string_from_asciiz);
    RUN(unicode_string_to_integer_every_base);
    RUN(char_to_integer_every_base);
    RUN(unicode_string_to_integer_respects_length_and_rejects_bad_strings);
    RUN(integer_to_unicode_string_every_base);
    RUN(integer_to_unicode_string_boundaries);
    RUN(integer_round_trips_in_every_base);
    RUN(integer_to_char_terminates_only_when_room);
    return UtFinish();
}
