/*
 * gdibench.c - GDI calls through csrss, in guest instructions: the first
 * half of the comparison issue 6 makes (GDI in csrss against GDI in the
 * kernel).
 *
 * Why: DESIGN.md section 10. Under `qemu -icount shift=0,sleep=off` the TSC
 * counts instructions, so rdtsc around a loop of N calls gives an exact,
 * repeatable cost per call. Each small workload runs at batch limits 1, 10
 * and 100: at 1 every call is a quick-LPC round trip to csrss; at 10 and
 * 100 the round trip is shared. GetPixel returns a value, so it is never
 * batched. Lines: "bench gdi_NAME_bN VALUE instructions". A Win32 program
 * built with the stock toolchain (-lgdi32), run by smss's [Bench].
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#define ROUNDS 400

static unsigned long long rdtsc(void) {
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

static HDC Screen, Memory;

static void report(const char *name, DWORD limit, unsigned long long total, int ops) {
    unsigned long long hundredths = total * 100 / (unsigned long long)ops;
    printf("bench gdi_%s_b%lu %llu.%02llu instructions\n", name, (unsigned long)limit, hundredths / 100,
           hundredths % 100);
}

static void op_setpixel(int i) { SetPixelV(Screen, 10 + i % 200, 700, RGB(i, 0, 0)); }
static void op_getpixel(int i) { GetPixel(Screen, 10 + i % 200, 700); }
static void op_line(int i) {
    MoveToEx(Screen, 10 + i % 200, 710, NULL);
    LineTo(Screen, 20 + i % 200, 720);
}
static void op_patblt(int i) { PatBlt(Screen, 10 + i % 200, 730, 8, 8, PATCOPY); }
static void op_rectangle(int i) { Rectangle(Screen, 300 + i % 200, 700, 340 + i % 200, 740); }
static void op_textout(int i) { TextOutA(Screen, 300 + i % 100, 745, "Hello, GDI!!", 12); }
static void op_bitblt(int i) { BitBlt(Screen, 600 + i % 100, 680, 64, 64, Memory, 0, 0, SRCCOPY); }

static void run(const char *name, void (*op)(int), DWORD limit) {
    GdiSetBatchLimit(limit);
    for (int i = 0; i < 20; i++) /* warm: pages, caches, the quick-LPC thread */
        op(i);
    GdiFlush();
    unsigned long long t0 = rdtsc();
    for (int i = 0; i < ROUNDS; i++)
        op(i);
    GdiFlush(); /* the last partial batch is part of the cost */
    unsigned long long t1 = rdtsc();
    report(name, limit, t1 - t0, ROUNDS);
}

int main(void) {
    Screen = GetDC(NULL);
    Memory = CreateCompatibleDC(Screen);
    HBITMAP bm = CreateCompatibleBitmap(Screen, 64, 64);
    HGDIOBJ old = SelectObject(Memory, bm);
    PatBlt(Memory, 0, 0, 64, 64, WHITENESS);
    SelectObject(Screen, GetStockObject(GRAY_BRUSH));
    SelectObject(Screen, GetStockObject(WHITE_PEN));
    SetBkMode(Screen, TRANSPARENT);
    static const struct {
        const char *name;
        void (*op)(int);
    } work[] = {{"setpixel", op_setpixel}, {"getpixel", op_getpixel},   {"moveto_lineto", op_line},
                {"patblt8x8", op_patblt},  {"rectangle", op_rectangle}, {"textout12", op_textout},
                {"bitblt64", op_bitblt}};
    static const DWORD limits[] = {1, 10, 100};
    for (unsigned w = 0; w < sizeof work / sizeof work[0]; w++)
        for (unsigned l = 0; l < 3; l++)
            run(work[w].name, work[w].op, limits[l]);
    SelectObject(Memory, old);
    DeleteObject(bm);
    DeleteDC(Memory);
    ReleaseDC(NULL, Screen);
    printf("bench done 0 failures\n");
    return 0;
}
