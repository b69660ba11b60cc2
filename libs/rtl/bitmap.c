/*
 * bitmap.c - NT's RTL_BITMAP: runs of bits over caller storage.
 *
 * Why: the physical page allocator (one bit per page frame) and the system
 * PTE range (one bit per page of kernel virtual space) are both "find N clear
 * bits and set them". One well-tested routine serves both.
 */
#include "../../kernel/include/rtl.h"

#define BITS_PER_WORD 32u

VOID RtlInitializeBitMap(PRTL_BITMAP BitMap, ULONG *Buffer, ULONG SizeOfBitMap) {
    BitMap->Buffer = Buffer;
    BitMap->SizeOfBitMap = SizeOfBitMap;
}

static ULONG word_count(PRTL_BITMAP BitMap) {
    return (BitMap->SizeOfBitMap + BITS_PER_WORD - 1) / BITS_PER_WORD;
}

VOID RtlClearAllBits(PRTL_BITMAP BitMap) {
    for (ULONG i = 0; i < word_count(BitMap); i++)
        BitMap->Buffer[i] = 0;
}

VOID RtlSetAllBits(PRTL_BITMAP BitMap) {
    for (ULONG i = 0; i < word_count(BitMap); i++)
        BitMap->Buffer[i] = 0xFFFFFFFFu;
}

BOOLEAN RtlTestBit(PRTL_BITMAP BitMap, ULONG Index) {
    if (Index >= BitMap->SizeOfBitMap)
        return FALSE;
    return (BitMap->Buffer[Index / BITS_PER_WORD] >> (Index % BITS_PER_WORD)) & 1u;
}

/* Sets (Value = 1) or clears bits [Start, Start+Count), clipped to the map. */
static void set_range(PRTL_BITMAP BitMap, ULONG Start, ULONG Count, int Value) {
    if (Start >= BitMap->SizeOfBitMap)
        return;
    if (Count > BitMap->SizeOfBitMap - Start)
        Count = BitMap->SizeOfBitMap - Start;
    ULONG i = Start, end = Start + Count;
    while (i < end) {
        ULONG bit = i % BITS_PER_WORD;
        if (bit == 0 && end - i >= BITS_PER_WORD) {
            BitMap->Buffer[i / BITS_PER_WORD] = Value ? 0xFFFFFFFFu : 0;
            i += BITS_PER_WORD;
            continue;
        }
        if (Value)
            BitMap->Buffer[i / BITS_PER_WORD] |= 1u << bit;
        else
            BitMap->Buffer[i / BITS_PER_WORD] &= ~(1u << bit);
        i++;
    }
}

VOID RtlSetBits(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG NumberToSet) {
    set_range(BitMap, StartingIndex, NumberToSet, 1);
}

VOID RtlClearBits(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG NumberToClear) {
    set_range(BitMap, StartingIndex, NumberToClear, 0);
}

/* TRUE when every bit of the range has the value Want (FALSE if out of map). */
static BOOLEAN range_is(PRTL_BITMAP BitMap, ULONG Start, ULONG Length, ULONG Want) {
    if (Start > BitMap->SizeOfBitMap || Length > BitMap->SizeOfBitMap - Start)
        return FALSE;
    for (ULONG i = Start; i < Start + Length;) {
        ULONG bit = i % BITS_PER_WORD;
        ULONG word = BitMap->Buffer[i / BITS_PER_WORD];
        if (bit == 0 && Start + Length - i >= BITS_PER_WORD) {
            if (word != (Want ? 0xFFFFFFFFu : 0))
                return FALSE;
            i += BITS_PER_WORD;
            continue;
        }
        if (((word >> bit) & 1u) != Want)
            return FALSE;
        i++;
    }
    return TRUE;
}

BOOLEAN RtlAreBitsClear(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG Length) {
    return range_is(BitMap, StartingIndex, Length, 0);
}

BOOLEAN RtlAreBitsSet(PRTL_BITMAP BitMap, ULONG StartingIndex, ULONG Length) {
    return range_is(BitMap, StartingIndex, Length, 1);
}

ULONG RtlNumberOfClearBits(PRTL_BITMAP BitMap) {
    ULONG clear = 0;
    for (ULONG i = 0; i < BitMap->SizeOfBitMap;) {
        if (i % BITS_PER_WORD == 0 && BitMap->SizeOfBitMap - i >= BITS_PER_WORD) {
            clear += BITS_PER_WORD - (ULONG)__builtin_popcount(BitMap->Buffer[i / BITS_PER_WORD]);
            i += BITS_PER_WORD;
            continue;
        }
        clear += !RtlTestBit(BitMap, i);
        i++;
    }
    return clear;
}

/* First run of Count clear bits in [From, To); 0xFFFFFFFF if none. Whole
 * words that are full are skipped at once. */
static ULONG find_clear_run(PRTL_BITMAP BitMap, ULONG Count, ULONG From, ULONG To) {
    ULONG run = 0, runStart = 0;
    for (ULONG i = From; i < To;) {
        if (i % BITS_PER_WORD == 0 && To - i >= BITS_PER_WORD &&
            BitMap->Buffer[i / BITS_PER_WORD] == 0xFFFFFFFFu) {
            run = 0;
            i += BITS_PER_WORD;
            continue;
        }
        if (RtlTestBit(BitMap, i)) {
            run = 0;
        } else {
            if (run == 0)
                runStart = i;
            if (++run == Count)
                return runStart;
        }
        i++;
    }
    return 0xFFFFFFFFu;
}

ULONG RtlFindClearBitsAndSet(PRTL_BITMAP BitMap, ULONG NumberToFind, ULONG HintIndex) {
    if (NumberToFind == 0 || NumberToFind > BitMap->SizeOfBitMap)
        return 0xFFFFFFFFu;
    if (HintIndex >= BitMap->SizeOfBitMap)
        HintIndex = 0;
    ULONG at = find_clear_run(BitMap, NumberToFind, HintIndex, BitMap->SizeOfBitMap);
    if (at == 0xFFFFFFFFu && HintIndex != 0) {
        /* Wrap: a run may straddle the hint, so search up to hint + count. */
        ULONG to = HintIndex + NumberToFind - 1;
        if (to > BitMap->SizeOfBitMap)
            to = BitMap->SizeOfBitMap;
        at = find_clear_run(BitMap, NumberToFind, 0, to);
    }
    if (at != 0xFFFFFFFFu)
        RtlSetBits(BitMap, at, NumberToFind);
    return at;
}
