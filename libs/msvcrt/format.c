/*
 * format.c - crt_format, the one printf engine behind every msvcrt printf:
 * sprintf and snprintf, printf and fprintf, and the wide ones.
 *
 * Why: a single engine writing code units into a sink (crtlib.h) serves a
 * memory buffer, a FILE and the wide variants alike; the narrow or wide
 * format string is read through one accessor, and narrow and wide string
 * arguments through another, so every conversion is written once.
 *
 * Floating point is converted exactly. A double is M * 2^E; its decimal
 * expansion is finite, so it is produced digit for digit with a small base
 * 10^9 big number (at most about 770 significant digits) and then rounded
 * once, half to even on an exact tie, at the digit the conversion asks for.
 * That gives what the C standard and glibc give for every precision, where
 * Microsoft's msvcrt stops after 17 digits. Where Microsoft and C99 differ,
 * this follows C99 and the GNU printf that mingw programs use by default:
 * two-digit exponents ("1e+07", not "1e+007"), "inf" and "nan" rather than
 * "1.#INF", round half to even. It follows Microsoft where C leaves the
 * choice or Windows programs rely on it: %p is eight upper-case hex digits,
 * %S and %C (and %s, %c in a wide format) swap the string width, the I, I32
 * and I64 size prefixes, a NULL string prints "(null)" cut to the precision,
 * an unknown conversion prints its own letter. %L reads a double, because
 * Microsoft's long double is a double. Pure: no KERNEL32 calls.
 */
#include "crtlib.h"

/* ---- reading the format and string arguments ---- */

static unsigned unit_of(const void *String, int Wide, size_t i) {
    return Wide ? ((const crt_wchar *)String)[i] : ((const unsigned char *)String)[i];
}

/* ---- the conversion specification ---- */

enum size_prefix { SIZE_NONE, SIZE_HH, SIZE_H, SIZE_L, SIZE_LL, SIZE_PTR, SIZE_LONG_DOUBLE, SIZE_WIDE };

typedef struct conversion {
    int Left, Plus, Space, Alt, Zero;
    int Width;     /* 0 when none */
    int Precision; /* -1 when none */
    enum size_prefix Size;
    unsigned Letter;
} CONVERSION;

typedef struct out {
    CRT_SINK *Sink;
    int Count;  /* units produced */
    int Failed; /* the sink refused a unit */
} OUT;

static void put(OUT *o, unsigned Unit) {
    if (o->Failed)
        return;
    if (o->Sink->Put(o->Sink, Unit) != 0)
        o->Failed = 1;
    else
        o->Count++;
}

static void pad(OUT *o, unsigned Unit, int Count) {
    while (Count-- > 0)
        put(o, Unit);
}

static void put_ascii(OUT *o, const char *Text) {
    while (*Text)
        put(o, (unsigned char)*Text++);
}

/* ---- strings and characters ---- */

/* Emits Length units of String (narrow or wide), padded to the width. */
static void emit_string(OUT *o, const CONVERSION *c, const void *String, int Wide, int Length) {
    if (!c->Left)
        pad(o, ' ', c->Width - Length);
    for (int i = 0; i < Length; i++)
        put(o, unit_of(String, Wide, (size_t)i));
    if (c->Left)
        pad(o, ' ', c->Width - Length);
}

/* Whether a %s or %c in this format takes a wide argument. */
static int argument_is_wide(const CONVERSION *c, int WideFormat) {
    if (c->Size == SIZE_H || c->Size == SIZE_HH)
        return 0;
    if (c->Size == SIZE_L || c->Size == SIZE_WIDE)
        return 1;
    int upper = c->Letter == 'S' || c->Letter == 'C';
    return WideFormat ? !upper : upper;
}

static void convert_string(OUT *o, const CONVERSION *c, int WideFormat, va_list *Args) {
    int wide = argument_is_wide(c, WideFormat);
    const void *s = va_arg(*Args, const void *);
    static const crt_wchar wideNull[] = {'(', 'n', 'u', 'l', 'l', ')', 0};
    if (s == NULL)
        s = wide ? (const void *)wideNull : (const void *)"(null)";
    int length = 0;
    while ((c->Precision < 0 || length < c->Precision) && unit_of(s, wide, (size_t)length) != 0)
        length++;
    emit_string(o, c, s, wide, length);
}

static void convert_char(OUT *o, const CONVERSION *c, int WideFormat, va_list *Args) {
    int wide = argument_is_wide(c, WideFormat);
    unsigned value = (unsigned)va_arg(*Args, int);
    crt_wchar unit = (crt_wchar)(wide ? value & 0xFFFF : value & 0xFF);
    emit_string(o, c, &unit, 1, 1);
}

/* ---- integers ---- */

static int64_t fetch_signed(const CONVERSION *c, va_list *Args) {
    switch (c->Size) {
    case SIZE_HH: return (signed char)va_arg(*Args, int);
    case SIZE_H: return (short)va_arg(*Args, int);
    case SIZE_L: return va_arg(*Args, long);
    case SIZE_LL: return va_arg(*Args, long long);
    case SIZE_PTR: return va_arg(*Args, intptr_t);
    default: return va_arg(*Args, int);
    }
}

static uint64_t fetch_unsigned(const CONVERSION *c, va_list *Args) {
    switch (c->Size) {
    case SIZE_HH: return (unsigned char)va_arg(*Args, unsigned);
    case SIZE_H: return (unsigned short)va_arg(*Args, unsigned);
    case SIZE_L: return va_arg(*Args, unsigned long);
    case SIZE_LL: return va_arg(*Args, unsigned long long);
    case SIZE_PTR: return va_arg(*Args, uintptr_t);
    default: return va_arg(*Args, unsigned);
    }
}

/* Lays out Prefix ("-", "+", " ", "0x", ...), zeros and Digits (Count of
 * them) in the field: zeros from the precision always, from the 0 flag when
 * ZeroAllowed, spaces outside. */
static void emit_number(OUT *o, const CONVERSION *c, const char *Prefix, const char *Digits, int Count,
                        int MinimumDigits, int ZeroAllowed) {
    int prefixLength = 0;
    while (Prefix[prefixLength])
        prefixLength++;
    int zeros = MinimumDigits > Count ? MinimumDigits - Count : 0;
    int body = prefixLength + zeros + Count;
    int fill = c->Width > body ? c->Width - body : 0;
    if (!c->Left && c->Zero && ZeroAllowed) {
        zeros += fill;
        fill = 0;
    }
    if (!c->Left)
        pad(o, ' ', fill);
    put_ascii(o, Prefix);
    pad(o, '0', zeros);
    for (int i = 0; i < Count; i++)
        put(o, (unsigned char)Digits[i]);
    if (c->Left)
        pad(o, ' ', fill);
}

static void convert_integer(OUT *o, const CONVERSION *c, va_list *Args) {
    unsigned base = 10;
    int isSigned = c->Letter == 'd' || c->Letter == 'i';
    int upper = c->Letter == 'X' || c->Letter == 'p';
    const char *prefix = "";
    uint64_t value;
    if (isSigned) {
        int64_t v = fetch_signed(c, Args);
        value = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
        prefix = v < 0 ? "-" : c->Plus ? "+" : c->Space ? " " : "";
    } else {
        value = fetch_unsigned(c, Args);
    }
    if (c->Letter == 'o')
        base = 8;
    else if (c->Letter == 'x' || c->Letter == 'X' || c->Letter == 'p')
        base = 16;

    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    char reversed[24];
    int count = 0;
    for (uint64_t v = value; v != 0; v /= base)
        reversed[count++] = alphabet[v % base];
    for (int i = 0; i < count; i++)
        digits[i] = reversed[count - 1 - i];

    int minimum = c->Precision < 0 ? 1 : c->Precision;
    if (c->Alt && base == 8 && minimum <= count)
        minimum = count + 1; /* a leading 0 */
    if (c->Alt && base == 16 && value != 0 && c->Letter != 'p')
        prefix = upper ? "0X" : "0x";
    emit_number(o, c, prefix, digits, count, minimum, c->Precision < 0);
}

/* %p: the pointer as Microsoft prints it, all its hex digits, upper case. */
static void convert_pointer(OUT *o, CONVERSION *c, va_list *Args) {
    c->Size = SIZE_PTR;
    c->Precision = (int)sizeof(void *) * 2;
    convert_integer(o, c, Args);
}

/* ---- floating point ---- */

/* A non-negative decimal number 0.Digits[0..Count) * 10^Point, with no
 * leading zero and no trailing zero; Count == 0 is zero. */
enum { DECIMAL_DIGITS_MAX = 1100 };
typedef struct decimal {
    char Digits[DECIMAL_DIGITS_MAX];
    int Count;
    int Point;
} DECIMAL;

/* Digit i of D, '0' outside the significant ones. */
static char digit_at(const DECIMAL *D, int i) {
    return i >= 0 && i < D->Count ? D->Digits[i] : '0';
}

/* A big number in base 10^9, least significant limb first; 10^1080 fits. */
enum { BIG_LIMBS = 122, BIG_BASE = 1000000000 };
typedef struct big {
    uint32_t Limb[BIG_LIMBS];
    int Used;
} BIG;

static void big_set(BIG *b, uint64_t Value) {
    b->Used = 0;
    while (Value) {
        b->Limb[b->Used++] = (uint32_t)(Value % BIG_BASE);
        Value /= BIG_BASE;
    }
}

/* b *= Factor, Factor < 2^32. */
static void big_multiply(BIG *b, uint32_t Factor) {
    uint64_t carry = 0;
    for (int i = 0; i < b->Used; i++) {
        uint64_t v = (uint64_t)b->Limb[i] * Factor + carry;
        b->Limb[i] = (uint32_t)(v % BIG_BASE);
        carry = v / BIG_BASE;
    }
    while (carry && b->Used < BIG_LIMBS) {
        b->Limb[b->Used++] = (uint32_t)(carry % BIG_BASE);
        carry /= BIG_BASE;
    }
}

/* Writes b as exactly Width decimal digits (leading zeros included) when
 * Width > 0, or without leading zeros when Width == 0; returns the count. */
static int big_to_digits(const BIG *b, char *Out, int Width) {
    char tmp[BIG_LIMBS * 9];
    int n = 0;
    for (int i = 0; i < b->Used; i++) {
        uint32_t limb = b->Limb[i];
        for (int k = 0; k < 9; k++) {
            tmp[n++] = (char)('0' + limb % 10);
            limb /= 10;
        }
    }
    if (Width == 0) {
        while (n > 0 && tmp[n - 1] == '0')
            n--;
        Width = n;
    }
    for (int i = 0; i < Width; i++)
        Out[i] = i < Width - n ? '0' : tmp[Width - 1 - i];
    return Width;
}

/* Normalises D: no leading zeros (moving the point) and no trailing ones. */
static void decimal_trim(DECIMAL *D) {
    int lead = 0;
    while (lead < D->Count && D->Digits[lead] == '0')
        lead++;
    if (lead) {
        for (int i = lead; i < D->Count; i++)
            D->Digits[i - lead] = D->Digits[i];
        D->Count -= lead;
        D->Point -= lead;
    }
    while (D->Count > 0 && D->Digits[D->Count - 1] == '0')
        D->Count--;
    if (D->Count == 0)
        D->Point = 1;
}

/* The exact decimal value of the finite, non-negative double with
 * significand Mantissa and exponent Exponent (value = Mantissa * 2^Exponent). */
static void decimal_from_binary(DECIMAL *D, uint64_t Mantissa, int Exponent) {
    BIG big;
    D->Count = 0;
    D->Point = 1;
    if (Mantissa == 0)
        return;
    while ((Mantissa & 1) == 0) {
        Mantissa >>= 1;
        Exponent++;
    }
    if (Exponent >= 0) {
        /* An integer: Mantissa * 2^Exponent, at most 309 digits. */
        big_set(&big, Mantissa);
        for (int e = Exponent; e > 0; e -= 28)
            big_multiply(&big, (uint32_t)1 << (e > 28 ? 28 : e));
        D->Count = big_to_digits(&big, D->Digits, 0);
        D->Point = D->Count;
    } else {
        /* Integer part Mantissa >> k, and the fraction (Mantissa mod 2^k) / 2^k
         * whose k decimal digits are (Mantissa mod 2^k) * 5^k. */
        int k = -Exponent;
        uint64_t integer = k >= 64 ? 0 : Mantissa >> k;
        uint64_t fraction = k >= 64 ? Mantissa : Mantissa & (((uint64_t)1 << k) - 1);
        big_set(&big, integer);
        int n = integer ? big_to_digits(&big, D->Digits, 0) : 0;
        big_set(&big, fraction);
        for (int e = k; e > 0; e -= 13) {
            uint32_t factor = 1;
            for (int i = 0; i < (e > 13 ? 13 : e); i++)
                factor *= 5;
            big_multiply(&big, factor);
        }
        D->Point = n;
        D->Count = n + big_to_digits(&big, D->Digits + n, k);
    }
    decimal_trim(D);
}

/* Rounds D to its first Keep digits (Keep may be zero or negative: then to
 * a multiple of 10^(Point-Keep)), half to even. */
static void decimal_round(DECIMAL *D, int Keep) {
    if (Keep >= D->Count)
        return;
    if (Keep < 0) {
        D->Count = 0;
        D->Point = 1;
        return;
    }
    char next = D->Digits[Keep];
    int up = next > '5' || (next == '5' && (D->Count > Keep + 1 || (Keep > 0 && (D->Digits[Keep - 1] & 1))));
    D->Count = Keep;
    if (up) {
        int i = Keep - 1;
        while (i >= 0 && D->Digits[i] == '9')
            i--;
        if (i < 0) {
            D->Digits[0] = '1';
            D->Count = 1;
            D->Point++;
            return;
        }
        D->Digits[i]++;
        D->Count = i + 1;
    }
    while (D->Count > 0 && D->Digits[D->Count - 1] == '0')
        D->Count--;
    if (D->Count == 0)
        D->Point = 1;
}

/* What a floating conversion prints between its sign and its padding: an
 * optional lone "0", the digits of D from index First to Last with the
 * point before index Dot, and an exponent suffix. */
typedef struct float_layout {
    int LeadingZero;
    int First, Dot, Last;
    int ShowPoint;
    char Exponent[8]; /* "e+05" or "" */
} FLOAT_LAYOUT;

static void layout_fixed(FLOAT_LAYOUT *L, const DECIMAL *D, int Precision) {
    L->LeadingZero = D->Point <= 0;
    L->First = D->Point <= 0 ? D->Point : 0;
    L->Dot = D->Point <= 0 ? D->Point : D->Point;
    L->Last = L->Dot + Precision;
    L->Exponent[0] = '\0';
}

static void layout_exponent(FLOAT_LAYOUT *L, const DECIMAL *D, int Precision, int Upper) {
    int exponent = D->Count == 0 ? 0 : D->Point - 1;
    L->LeadingZero = 0;
    L->First = 0;
    L->Dot = 1;
    L->Last = 1 + Precision;
    char *e = L->Exponent;
    *e++ = Upper ? 'E' : 'e';
    *e++ = exponent < 0 ? '-' : '+';
    unsigned magnitude = (unsigned)(exponent < 0 ? -exponent : exponent);
    if (magnitude >= 100)
        *e++ = (char)('0' + magnitude / 100);
    *e++ = (char)('0' + magnitude / 10 % 10);
    *e++ = (char)('0' + magnitude % 10);
    *e = '\0';
}

static void convert_float(OUT *o, const CONVERSION *c, va_list *Args) {
    double value = va_arg(*Args, double);
    union {
        double d;
        uint64_t u;
    } bits = {value};
    int negative = (int)(bits.u >> 63);
    int biased = (int)((bits.u >> 52) & 0x7FF);
    uint64_t fraction = bits.u & (((uint64_t)1 << 52) - 1);
    unsigned letter = c->Letter;
    int upper = letter == 'E' || letter == 'F' || letter == 'G';
    const char *sign = negative ? "-" : c->Plus ? "+" : c->Space ? " " : "";

    if (biased == 0x7FF) {
        const char *text = fraction ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        char buffer[8];
        int n = 0;
        for (const char *s = sign; *s; s++)
            buffer[n++] = *s;
        for (const char *s = text; *s; s++)
            buffer[n++] = *s;
        emit_number(o, c, "", buffer, n, 0, 0);
        return;
    }

    DECIMAL d;
    if (biased == 0)
        decimal_from_binary(&d, fraction, -1074);
    else
        decimal_from_binary(&d, fraction | ((uint64_t)1 << 52), biased - 1075);

    int precision = c->Precision < 0 ? 6 : c->Precision;
    FLOAT_LAYOUT layout;
    if (letter == 'f' || letter == 'F') {
        decimal_round(&d, d.Point + precision);
        layout_fixed(&layout, &d, precision);
    } else if (letter == 'e' || letter == 'E') {
        decimal_round(&d, precision + 1);
        layout_exponent(&layout, &d, precision, upper);
    } else {
        /* %g: P significant digits, in the style the exponent calls for. */
        int p = precision == 0 ? 1 : precision;
        decimal_round(&d, p);
        int exponent = d.Count == 0 ? 0 : d.Point - 1;
        if (exponent < -4 || exponent >= p)
            layout_exponent(&layout, &d, p - 1, letter == 'G');
        else
            layout_fixed(&layout, &d, p - 1 - exponent);
        if (!c->Alt) {
            /* Drop the trailing zeros of the fraction. */
            int significantEnd = d.Count > layout.Dot ? d.Count : layout.Dot;
            if (layout.Last > significantEnd)
                layout.Last = significantEnd;
        }
    }
    layout.ShowPoint = layout.Last > layout.Dot || c->Alt;

    int exponentLength = 0;
    while (layout.Exponent[exponentLength])
        exponentLength++;
    int signLength = 0;
    while (sign[signLength])
        signLength++;
    int body =
        signLength + layout.LeadingZero + (layout.Last - layout.First) + layout.ShowPoint + exponentLength;
    int fill = c->Width > body ? c->Width - body : 0;
    int zeros = 0;
    if (!c->Left && c->Zero) {
        zeros = fill;
        fill = 0;
    }
    if (!c->Left)
        pad(o, ' ', fill);
    put_ascii(o, sign);
    pad(o, '0', zeros);
    if (layout.LeadingZero)
        put(o, '0');
    for (int i = layout.First; i < layout.Last; i++) {
        if (i == layout.Dot)
            put(o, '.');
        put(o, (unsigned char)digit_at(&d, i));
    }
    if (layout.ShowPoint && layout.Last <= layout.Dot)
        put(o, '.');
    put_ascii(o, layout.Exponent);
    if (c->Left)
        pad(o, ' ', fill);
}

/* ---- the engine ---- */

static void store_count(const CONVERSION *c, int Count, va_list *Args) {
    void *target = va_arg(*Args, void *);
    switch (c->Size) {
    case SIZE_HH: *(signed char *)target = (signed char)Count; break;
    case SIZE_H: *(short *)target = (short)Count; break;
    case SIZE_L: *(long *)target = Count; break;
    case SIZE_LL: *(long long *)target = Count; break;
    default: *(int *)target = Count; break;
    }
}

/* Reads flags, width, precision and size at Format[*i]; leaves *i on the
 * conversion letter. */
static void parse_conversion(CONVERSION *c, const void *Format, int Wide, size_t *i, va_list *Args) {
    size_t p = *i;
    c->Left = c->Plus = c->Space = c->Alt = c->Zero = 0;
    c->Width = 0;
    c->Precision = -1;
    c->Size = SIZE_NONE;
    for (;; p++) {
        unsigned u = unit_of(Format, Wide, p);
        if (u == '-')
            c->Left = 1;
        else if (u == '+')
            c->Plus = 1;
        else if (u == ' ')
            c->Space = 1;
        else if (u == '#')
            c->Alt = 1;
        else if (u == '0')
            c->Zero = 1;
        else
            break;
    }
    if (unit_of(Format, Wide, p) == '*') {
        c->Width = va_arg(*Args, int);
        if (c->Width < 0) {
            c->Left = 1;
            c->Width = c->Width == INT_MIN ? INT_MAX : -c->Width;
        }
        p++;
    } else {
        while (unit_of(Format, Wide, p) >= '0' && unit_of(Format, Wide, p) <= '9') {
            if (c->Width < INT_MAX / 10)
                c->Width = c->Width * 10 + (int)(unit_of(Format, Wide, p) - '0');
            p++;
        }
    }
    if (unit_of(Format, Wide, p) == '.') {
        p++;
        c->Precision = 0;
        if (unit_of(Format, Wide, p) == '*') {
            c->Precision = va_arg(*Args, int);
            if (c->Precision < 0)
                c->Precision = -1; /* a negative precision is taken as none */
            p++;
        } else {
            while (unit_of(Format, Wide, p) >= '0' && unit_of(Format, Wide, p) <= '9') {
                if (c->Precision < INT_MAX / 10)
                    c->Precision = c->Precision * 10 + (int)(unit_of(Format, Wide, p) - '0');
                p++;
            }
        }
    }
    for (;;) {
        unsigned u = unit_of(Format, Wide, p);
        if (u == 'h') {
            c->Size = c->Size == SIZE_H ? SIZE_HH : SIZE_H;
        } else if (u == 'l') {
            c->Size = c->Size == SIZE_L ? SIZE_LL : SIZE_L;
        } else if (u == 'L') {
            c->Size = SIZE_LONG_DOUBLE;
        } else if (u == 'w') {
            c->Size = SIZE_WIDE;
        } else if (u == 'j') {
            c->Size = SIZE_LL;
        } else if (u == 'z' || u == 't') {
            c->Size = SIZE_PTR;
        } else if (u == 'I') {
            if (unit_of(Format, Wide, p + 1) == '6' && unit_of(Format, Wide, p + 2) == '4') {
                c->Size = SIZE_LL;
                p += 2;
            } else if (unit_of(Format, Wide, p + 1) == '3' && unit_of(Format, Wide, p + 2) == '2') {
                c->Size = SIZE_NONE;
                p += 2;
            } else {
                c->Size = SIZE_PTR;
            }
        } else {
            break;
        }
        p++;
    }
    c->Letter = unit_of(Format, Wide, p);
    *i = p;
}

int crt_format(CRT_SINK *Sink, const void *Format, int Wide, va_list Arguments) {
    OUT o = {Sink, 0, 0};
    va_list args;
    va_copy(args, Arguments);
    for (size_t i = 0; unit_of(Format, Wide, i) != 0 && !o.Failed; i++) {
        unsigned u = unit_of(Format, Wide, i);
        if (u != '%') {
            put(&o, u);
            continue;
        }
        i++;
        CONVERSION c;
        parse_conversion(&c, Format, Wide, &i, &args);
        switch (c.Letter) {
        case 0: i--; break; /* a lone '%' at the end prints nothing */
        case '%': put(&o, '%'); break;
        case 'c':
        case 'C': convert_char(&o, &c, Wide, &args); break;
        case 's':
        case 'S': convert_string(&o, &c, Wide, &args); break;
        case 'd':
        case 'i':
        case 'u':
        case 'o':
        case 'x':
        case 'X': convert_integer(&o, &c, &args); break;
        case 'p': convert_pointer(&o, &c, &args); break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G': convert_float(&o, &c, &args); break;
        case 'n': store_count(&c, o.Count, &args); break;
        default: put(&o, c.Letter); break;
        }
    }
    va_end(args);
    return o.Failed ? -1 : o.Count;
}
