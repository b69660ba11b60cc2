/*
 * strtol.c - numbers from text and back: strtol and its family, atoi, the
 * _itoa family, abs and div.
 *
 * Why: one scanner (scan_digits) reads the sign, the base prefix and the
 * digits of every variant, narrow or wide, into a 64-bit magnitude with an
 * overflow flag; each public function only clamps that magnitude to its own
 * type, as C specifies: out of range gives the type's limit and ERANGE, no
 * digits give 0 with *End at the start of the string, an impossible base
 * gives 0 and EINVAL. The sizes come from limits.h, so on the host (where
 * long is 64 bits) the code is checked against glibc like for like, and on
 * the target long is Microsoft's 32 bits. Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

typedef struct scan_result {
    uint64_t Magnitude;
    int Negative;
    int Overflow;  /* the digits did not fit in 64 bits */
    int Valid;     /* at least one digit was read */
    size_t Length; /* units consumed, when Valid */
} SCAN_RESULT;

static unsigned unit_at(const void *String, int Wide, size_t i) {
    return Wide ? ((const crt_wchar *)String)[i] : ((const unsigned char *)String)[i];
}

static int digit_value(unsigned c) {
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'z')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z')
        return (int)(c - 'A' + 10);
    return 99;
}

static int is_space_unit(unsigned c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* Reads [space][sign][0x|0]digits in Base (0 = by prefix). Base must be 0
 * or 2..36; the caller checks. */
static SCAN_RESULT scan_digits(const void *String, int Wide, int Base) {
    SCAN_RESULT r = {0, 0, 0, 0, 0};
    size_t i = 0;
    while (is_space_unit(unit_at(String, Wide, i)))
        i++;
    if (unit_at(String, Wide, i) == '-' || unit_at(String, Wide, i) == '+') {
        r.Negative = unit_at(String, Wide, i) == '-';
        i++;
    }
    if (unit_at(String, Wide, i) == '0' && (Base == 0 || Base == 16) &&
        (unit_at(String, Wide, i + 1) | 0x20) == 'x' && digit_value(unit_at(String, Wide, i + 2)) < 16) {
        Base = 16;
        i += 2;
    } else if (Base == 0) {
        Base = unit_at(String, Wide, i) == '0' ? 8 : 10;
    }
    for (;; i++) {
        int d = digit_value(unit_at(String, Wide, i));
        if (d >= Base)
            break;
        if (r.Magnitude > (UINT64_MAX - (uint64_t)d) / (uint64_t)Base)
            r.Overflow = 1;
        r.Magnitude = r.Magnitude * (uint64_t)Base + (uint64_t)d;
        r.Valid = 1;
    }
    r.Length = i;
    return r;
}

/* Scans and sets *End; returns 0 with EINVAL for a bad base. */
static int scan(const void *String, int Wide, void **End, int Base, SCAN_RESULT *r) {
    if (Base < 0 || Base == 1 || Base > 36) {
        *crt_errno_location() = CRT_EINVAL;
        if (End)
            *End = (void *)String;
        return 0;
    }
    *r = scan_digits(String, Wide, Base);
    if (End)
        *End = (char *)String + (r->Valid ? r->Length * (Wide ? 2 : 1) : 0);
    return r->Valid;
}

/* Clamps to a signed type whose largest value is Maximum. */
static int64_t to_signed(const SCAN_RESULT *r, uint64_t Maximum) {
    uint64_t limit = r->Negative ? Maximum + 1 : Maximum;
    if (r->Overflow || r->Magnitude > limit) {
        *crt_errno_location() = CRT_ERANGE;
        return r->Negative ? -(int64_t)Maximum - 1 : (int64_t)Maximum;
    }
    return r->Negative ? (int64_t)(0 - r->Magnitude) : (int64_t)r->Magnitude;
}

/* Clamps to an unsigned type whose largest value is Maximum; a '-' negates
 * in that type, as C says. */
static uint64_t to_unsigned(const SCAN_RESULT *r, uint64_t Maximum) {
    if (r->Overflow || r->Magnitude > Maximum) {
        *crt_errno_location() = CRT_ERANGE;
        return Maximum;
    }
    return (r->Negative ? 0 - r->Magnitude : r->Magnitude) & Maximum;
}

long strtol(const char *String, char **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 0, (void **)End, Base, &r) ? (long)to_signed(&r, LONG_MAX) : 0;
}

unsigned long strtoul(const char *String, char **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 0, (void **)End, Base, &r) ? (unsigned long)to_unsigned(&r, ULONG_MAX) : 0;
}

long long strtoll(const char *String, char **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 0, (void **)End, Base, &r) ? (long long)to_signed(&r, LLONG_MAX) : 0;
}

unsigned long long strtoull(const char *String, char **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 0, (void **)End, Base, &r) ? (unsigned long long)to_unsigned(&r, ULLONG_MAX) : 0;
}

long long _strtoi64(const char *String, char **End, int Base) {
    return strtoll(String, End, Base);
}
unsigned long long _strtoui64(const char *String, char **End, int Base) {
    return strtoull(String, End, Base);
}

long wcstol(const crt_wchar *String, crt_wchar **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 1, (void **)End, Base, &r) ? (long)to_signed(&r, LONG_MAX) : 0;
}

unsigned long wcstoul(const crt_wchar *String, crt_wchar **End, int Base) {
    SCAN_RESULT r;
    return scan(String, 1, (void **)End, Base, &r) ? (unsigned long)to_unsigned(&r, ULONG_MAX) : 0;
}

/* atoi and friends: strtol in base 10, clamped to their own type. */
int atoi(const char *String) {
    SCAN_RESULT r;
    return scan(String, 0, NULL, 10, &r) ? (int)to_signed(&r, INT_MAX) : 0;
}

long atol(const char *String) {
    return strtol(String, NULL, 10);
}
long long atoll(const char *String) {
    return strtoll(String, NULL, 10);
}
long long _atoi64(const char *String) {
    return strtoll(String, NULL, 10);
}

int _wtoi(const crt_wchar *String) {
    SCAN_RESULT r;
    return scan(String, 1, NULL, 10, &r) ? (int)to_signed(&r, INT_MAX) : 0;
}

long _wtol(const crt_wchar *String) {
    return wcstol(String, NULL, 10);
}

/* ---- the other way ---- */

/* Writes Value in Radix (2..36) into Buffer with a '-' when Negative;
 * Microsoft's _itoa family does not check the radix, this one writes an
 * empty string for a bad one. */
static char *unsigned_to_text(uint64_t Value, int Negative, char *Buffer, int Radix) {
    char tmp[66];
    int n = 0;
    char *out = Buffer;
    if (Radix < 2 || Radix > 36) {
        *Buffer = '\0';
        return Buffer;
    }
    do {
        unsigned d = (unsigned)(Value % (unsigned)Radix);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        Value /= (unsigned)Radix;
    } while (Value);
    if (Negative)
        *out++ = '-';
    while (n)
        *out++ = tmp[--n];
    *out = '\0';
    return Buffer;
}

/* Negative values get a sign only in radix 10; in other radices they are
 * written as the unsigned bit pattern of their width, as Microsoft's do. */
char *_itoa(int Value, char *Buffer, int Radix) {
    if (Radix == 10 && Value < 0)
        return unsigned_to_text(0 - (uint64_t)(int64_t)Value, 1, Buffer, Radix);
    return unsigned_to_text((unsigned)Value, 0, Buffer, Radix);
}

char *_ltoa(long Value, char *Buffer, int Radix) {
    if (Radix == 10 && Value < 0)
        return unsigned_to_text(0 - (uint64_t)(int64_t)Value, 1, Buffer, Radix);
    return unsigned_to_text((unsigned long)Value, 0, Buffer, Radix);
}

char *_ultoa(unsigned long Value, char *Buffer, int Radix) {
    return unsigned_to_text(Value, 0, Buffer, Radix);
}

char *_i64toa(long long Value, char *Buffer, int Radix) {
    if (Radix == 10 && Value < 0)
        return unsigned_to_text(0 - (uint64_t)Value, 1, Buffer, Radix);
    return unsigned_to_text((uint64_t)Value, 0, Buffer, Radix);
}

char *_ui64toa(unsigned long long Value, char *Buffer, int Radix) {
    return unsigned_to_text(Value, 0, Buffer, Radix);
}

/* ---- absolute values and division ---- */

typedef struct {
    int quot, rem;
} CRT_DIV;
typedef struct {
    long quot, rem;
} CRT_LDIV;

int abs(int Value) {
    return Value < 0 ? -Value : Value;
}
long labs(long Value) {
    return Value < 0 ? -Value : Value;
}
long long llabs(long long Value) {
    return Value < 0 ? -Value : Value;
}
long long _abs64(long long Value) {
    return Value < 0 ? -Value : Value;
}

/* Returned in EDX:EAX on i386, as Microsoft's div returns its 8 bytes. */
CRT_DIV div(int Numerator, int Denominator) {
    CRT_DIV r = {Numerator / Denominator, Numerator % Denominator};
    return r;
}

CRT_LDIV ldiv(long Numerator, long Denominator) {
    CRT_LDIV r = {Numerator / Denominator, Numerator % Denominator};
    return r;
}
