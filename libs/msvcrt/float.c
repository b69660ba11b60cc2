/*
 * float.c - the x87 control word behind _controlfp, _control87, _fpreset,
 * _clearfp and _statusfp.
 *
 * Why: mingw's start-up code resets the floating-point unit with _fpreset,
 * and programs set precision and rounding with _controlfp. Microsoft's
 * interface uses its own bit layout (float.h: _MCW_EM, _MCW_RC, _MCW_PC,
 * _MCW_IC), which differs from the hardware's, so each call maps one to the
 * other field by field. Only the x87 unit is handled (no SSE's MXCSR:
 * Daytona's msvcrt is built for i686 without SSE math).
 */
#include "msvcrtp.h"

/* Microsoft's bits (float.h) and the x87 control word's. */
enum {
    MS_EM_INEXACT = 0x01,
    MS_EM_UNDERFLOW = 0x02,
    MS_EM_OVERFLOW = 0x04,
    MS_EM_ZERODIVIDE = 0x08,
    MS_EM_INVALID = 0x10,
    MS_EM_DENORMAL = 0x80000,
    MS_RC_DOWN = 0x100,
    MS_RC_UP = 0x200,
    MS_MCW_RC = 0x300,
    MS_PC_53 = 0x10000,
    MS_PC_24 = 0x20000,
    MS_MCW_PC = 0x30000,
    MS_IC_AFFINE = 0x40000,
    X87_IM = 0x01,
    X87_DM = 0x02,
    X87_ZM = 0x04,
    X87_OM = 0x08,
    X87_UM = 0x10,
    X87_PM = 0x20,
    X87_PC_SHIFT = 8,
    X87_RC_SHIFT = 10,
    X87_IC = 0x1000,
};

static unsigned short read_control_word(void) {
    unsigned short cw;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    return cw;
}

static void write_control_word(unsigned short cw) {
    __asm__ volatile("fldcw %0" : : "m"(cw));
}

static unsigned from_x87(unsigned short cw) {
    unsigned ms = 0;
    if (cw & X87_IM)
        ms |= MS_EM_INVALID;
    if (cw & X87_DM)
        ms |= MS_EM_DENORMAL;
    if (cw & X87_ZM)
        ms |= MS_EM_ZERODIVIDE;
    if (cw & X87_OM)
        ms |= MS_EM_OVERFLOW;
    if (cw & X87_UM)
        ms |= MS_EM_UNDERFLOW;
    if (cw & X87_PM)
        ms |= MS_EM_INEXACT;
    switch ((cw >> X87_RC_SHIFT) & 3) {
    case 1: ms |= MS_RC_DOWN; break;
    case 2: ms |= MS_RC_UP; break;
    case 3: ms |= MS_RC_DOWN | MS_RC_UP; break;
    default: break;
    }
    switch ((cw >> X87_PC_SHIFT) & 3) {
    case 0: ms |= MS_PC_24; break;
    case 2: ms |= MS_PC_53; break;
    default: break; /* 3: 64 bits, _PC_64 == 0 */
    }
    if (cw & X87_IC)
        ms |= MS_IC_AFFINE;
    return ms;
}

static unsigned short to_x87(unsigned ms, unsigned short cw) {
    cw &= (unsigned short)~(0x3F | (3 << X87_PC_SHIFT) | (3 << X87_RC_SHIFT) | X87_IC);
    if (ms & MS_EM_INVALID)
        cw |= X87_IM;
    if (ms & MS_EM_DENORMAL)
        cw |= X87_DM;
    if (ms & MS_EM_ZERODIVIDE)
        cw |= X87_ZM;
    if (ms & MS_EM_OVERFLOW)
        cw |= X87_OM;
    if (ms & MS_EM_UNDERFLOW)
        cw |= X87_UM;
    if (ms & MS_EM_INEXACT)
        cw |= X87_PM;
    unsigned rc = ((ms & MS_RC_DOWN) ? 1 : 0) | ((ms & MS_RC_UP) ? 2 : 0);
    cw |= (unsigned short)(rc << X87_RC_SHIFT);
    unsigned pc = (ms & MS_MCW_PC) == MS_PC_24 ? 0 : (ms & MS_MCW_PC) == MS_PC_53 ? 2 : 3;
    cw |= (unsigned short)(pc << X87_PC_SHIFT);
    if (ms & MS_IC_AFFINE)
        cw |= X87_IC;
    return cw;
}

/* Replaces the bits of Mask with those of New; returns the resulting word
 * in Microsoft's layout. Mask 0 only reads. */
unsigned _control87(unsigned New, unsigned Mask) {
    unsigned short cw = read_control_word();
    unsigned ms = (from_x87(cw) & ~Mask) | (New & Mask);
    if (Mask) {
        cw = to_x87(ms, cw);
        write_control_word(cw);
    }
    return from_x87(cw);
}

/* As _control87, except that the denormal mask cannot be changed. */
unsigned _controlfp(unsigned New, unsigned Mask) {
    return _control87(New, Mask & ~(unsigned)MS_EM_DENORMAL);
}

/* Reinitialises the FPU: all exceptions masked, round to nearest, 64-bit
 * precision - the state a Win32 thread starts in. */
void _fpreset(void) {
    __asm__ volatile("fninit");
}

/* The exception flags in Microsoft's _SW_* layout (same bits as _EM_*). */
static unsigned status_bits(unsigned short sw) {
    unsigned ms = 0;
    if (sw & 0x01)
        ms |= MS_EM_INVALID;
    if (sw & 0x02)
        ms |= MS_EM_DENORMAL;
    if (sw & 0x04)
        ms |= MS_EM_ZERODIVIDE;
    if (sw & 0x08)
        ms |= MS_EM_OVERFLOW;
    if (sw & 0x10)
        ms |= MS_EM_UNDERFLOW;
    if (sw & 0x20)
        ms |= MS_EM_INEXACT;
    return ms;
}

unsigned _statusfp(void) {
    unsigned short sw;
    __asm__ volatile("fnstsw %0" : "=m"(sw));
    return status_bits(sw);
}

/* Returns the exception flags and clears them. */
unsigned _clearfp(void) {
    unsigned flags = _statusfp();
    __asm__ volatile("fnclex");
    return flags;
}
