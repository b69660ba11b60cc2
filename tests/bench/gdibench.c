/*
 * gdibench.c - what a GDI call costs through csrss (NT 3.51's layout),
 * through the kernel (NT 4.0's), and with no boundary at all (the floor).
 *
 * Why: DESIGN.md sections 9 and 10, issue 6. Under `qemu -icount
 * shift=0,sleep=off` the TSC counts guest instructions, so rdtsc around a
 * loop gives an exact, repeatable cost. The same program runs in both
 * layouts (gdi32's transport is the only difference), and, built a second
 * time with -DGDIBENCH_FLOOR and gdi32 plus the whole engine linked in
 * (libs/gdi32/inproc.c; gdibfloor.exe), gives the floor: the engine's own
 * work, from which the boundary's share of each layout follows.
 *
 * Workloads: the small drawing calls at batch limits 1, 10 and 100 (at 1
 * every call crosses on its own; GetPixel and CombineRgn return a value and
 * so always cross); one null crossing (GetMapMode with nothing pending:
 * one round trip and the engine's smallest call); and three macro
 * workloads at the default limit 10: a console-like repaint of 80x25
 * characters, 1,000 random filled rectangles, and a 200-step window drag.
 *
 * Profile mode (`profile` among the command-line words; smss passes it on
 * from the kernel command line `bench profile`, tools/profile.py boots
 * that): a tenth of the micro rounds, and of the macro workloads only the
 * text repaint, once, so the instruction trace stays a few hundred
 * megabytes (1,000 rectangles and the drag are 46 and 162 million
 * instructions an iteration, mostly the engine's own loops, which the
 * micro workloads show already). Each measured loop sits between a call of
 * BenchBegin and a call of BenchEnd, outside the rdtsc pair, as in
 * nbench.exe; the profiler finds them in the trace by their addresses.
 *
 * Lines (smss prefixes "[gdibench.exe] "):
 *   bench begin NAME OPS                      before each loop (progress;
 *                                             OPS counts GDI calls)
 *   bench NAME VALUE tsc                      TSC ticks per operation
 *   bench NAME.per_call VALUE tsc             macro workloads: per GDI call
 *   counters NAME syscalls=... records=...    events per GDI call, and
 *                                             records per batch sent
 * "tsc" is the unit because that is what rdtsc counts: under icount a tick
 * is an instruction (tools/bench.py knows it booted so and says so), on
 * silicon or a hypervisor it is a cycle. The counters are the kernel's
 * System block (NtQuerySystemInformation class 0x81, every thread, so
 * csrss's server thread is included) and gdi32's own batches and records;
 * the kernel's are left out when the kernel does not offer the class.
 */
#include <stdio.h>
#include <string.h>
#include <windows.h>

#ifdef GDIBENCH_FLOOR
#define GDI_NO_NT_TYPES
#include "../../subsys/gdi/gdi.h"
#endif

/* Operations per measured loop. Under TCG a whole boot of this program
 * takes seconds; these keep each figure an average over many calls. */
#define MICRO_ROUNDS 400
#define MICRO_WARM 20
#define MACRO_ROUNDS 4
#define MACRO_WARM 1
#define NULL_ROUNDS 2000
#define PROFILE_DIVISOR 10

static int Divisor = 1; /* PROFILE_DIVISOR in profile mode */

/* ---- the kernel's event counters (windows.h and the NT headers cannot
 * meet in one file, so the structure is restated here) ---- */

typedef struct _SYSTEM_EVENT_COUNTERS {
    ULONG SystemCalls, LpcMessages, QuickLpcCalls, ContextSwitches, AddressSpaceSwitches, BytesCopied,
        GdiBatches, GdiRecords;
} SYSTEM_EVENT_COUNTERS;
#define SystemEventCounterInformation 0x81
typedef struct _SYSTEM_EVENT_COUNTER_INFORMATION {
    SYSTEM_EVENT_COUNTERS System;
    SYSTEM_EVENT_COUNTERS CurrentThread;
} SYSTEM_EVENT_COUNTER_INFORMATION;

LONG WINAPI NtQuerySystemInformation(ULONG Class, PVOID Buffer, ULONG Bytes, PULONG Returned);

typedef DWORD(WINAPI *GDI_COUNT)(void);
#ifdef GDIBENCH_FLOOR
DWORD WINAPI GdiDaytonaBatchCount(void);
DWORD WINAPI GdiDaytonaRecordCount(void);
DWORD WINAPI GdiDaytonaCall(DWORD Call, CONST DWORD *Args, DWORD Count, CONST VOID *Data, DWORD DataBytes,
                            PVOID Out, DWORD OutBytes);
BOOL WINAPI GdiInProcessInitialize(const char **Why);
static GDI_COUNT BatchCount = GdiDaytonaBatchCount, RecordCount = GdiDaytonaRecordCount;
#else
static GDI_COUNT BatchCount, RecordCount; /* gdi32.dll's own exports; not in mingw's libgdi32.a */
#endif

typedef struct _SNAPSHOT {
    SYSTEM_EVENT_COUNTERS Kernel;
    BOOL HaveKernel;
    DWORD Batches, Records;
} SNAPSHOT;

static SNAPSHOT snapshot(void) {
    SNAPSHOT s;
    SYSTEM_EVENT_COUNTER_INFORMATION info;
    memset(&s, 0, sizeof s);
    memset(&info, 0, sizeof info);
    s.HaveKernel = NtQuerySystemInformation(SystemEventCounterInformation, &info, sizeof info, NULL) >= 0;
    s.Kernel = info.System;
    s.Batches = BatchCount ? BatchCount() : 0;
    s.Records = RecordCount ? RecordCount() : 0;
    return s;
}

/* The profiler's markers: nothing but distinct code at a known symbol
 * (noipa keeps GCC from inlining them or folding the two together). */
__attribute__((noipa)) void BenchBegin(void) {
    __asm__ volatile("nop" ::: "memory");
}
__attribute__((noipa)) void BenchEnd(void) {
    __asm__ volatile("nop; nop" ::: "memory");
}

static unsigned long long rdtsc(void) {
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

/* Total/Ops with two decimals, in integers (no floating point in the
 * loop's neighbourhood, and the same digits on every C library). */
static void print_ratio(const char *Prefix, unsigned long long Total, unsigned Ops) {
    unsigned long long hundredths = Total * 100 / Ops;
    printf("%s%llu.%02llu", Prefix, hundredths / 100, hundredths % 100);
}

/* One "counters" line: the deltas between two snapshots per operation. */
static void print_counters(const char *Name, const SNAPSHOT *A, const SNAPSHOT *B, unsigned Ops) {
    printf("counters %s", Name);
    if (A->HaveKernel && B->HaveKernel) {
        print_ratio(" syscalls=", B->Kernel.SystemCalls - A->Kernel.SystemCalls, Ops);
        print_ratio(" lpc=", B->Kernel.LpcMessages - A->Kernel.LpcMessages, Ops);
        print_ratio(" qlpc=", B->Kernel.QuickLpcCalls - A->Kernel.QuickLpcCalls, Ops);
        print_ratio(" cs=", B->Kernel.ContextSwitches - A->Kernel.ContextSwitches, Ops);
        print_ratio(" as=", B->Kernel.AddressSpaceSwitches - A->Kernel.AddressSpaceSwitches, Ops);
        print_ratio(" bytes=", B->Kernel.BytesCopied - A->Kernel.BytesCopied, Ops);
    }
    print_ratio(" batches=", B->Batches - A->Batches, Ops);
    print_ratio(" records=", B->Records - A->Records, Ops);
    if (B->Batches != A->Batches) /* two decimals of batches/op hide a batch cut short; this does not */
        print_ratio(" records_per_batch=", B->Records - A->Records, B->Batches - A->Batches);
    printf("\n");
}

static HDC Screen, Memory;
static HRGN RgnA, RgnB, RgnDest;
static HBRUSH Brushes[16];
static HFONT FixedFont;

/* ---- the micro workloads: one operation each ---- */

static void op_setpixel(int i) {
    SetPixelV(Screen, 10 + i % 200, 700, RGB(i, 0, 0));
}
static void op_getpixel(int i) {
    GetPixel(Screen, 10 + i % 200, 700);
}
static void op_line(int i) {
    MoveToEx(Screen, 10 + i % 200, 710, NULL);
    LineTo(Screen, 20 + i % 200, 720);
}
static void op_patblt(int i) {
    PatBlt(Screen, 10 + i % 200, 730, 8, 8, PATCOPY);
}
static void op_rectangle(int i) {
    Rectangle(Screen, 300 + i % 200, 700, 340 + i % 200, 740);
}
static void op_textout(int i) {
    TextOutA(Screen, 300 + i % 100, 745, "Hello, GDI!!", 12);
}
static void op_bitblt(int i) {
    BitBlt(Screen, 600 + i % 100, 680, 64, 64, Memory, 0, 0, SRCCOPY);
}
static void op_combinergn(int i) {
    (void)i;
    CombineRgn(RgnDest, RgnA, RgnB, RGN_OR);
}
static void op_null(int i) {
    (void)i;
    GetMapMode(Screen); /* a value call with nothing pending: one crossing */
}

/* ---- the macro workloads: one iteration each ---- */

#define TEXT_COLUMNS 80
#define TEXT_ROWS 25
#define TEXT_LINE_HEIGHT 16

/* A full repaint of an 80x25 text screen: 25 lines of 80 characters, each
 * on an opaque background, in a fixed-pitch font. */
static void op_text80x25(int i) {
    char line[TEXT_COLUMNS];
    for (int row = 0; row < TEXT_ROWS; row++) {
        for (int col = 0; col < TEXT_COLUMNS; col++)
            line[col] = (char)(' ' + 1 + (row * 7 + col + i) % 94);
        TextOutA(Screen, 8, 8 + row * TEXT_LINE_HEIGHT, line, TEXT_COLUMNS);
    }
}
#define TEXT_CALLS TEXT_ROWS

/* 1,000 filled rectangles at places, sizes and colours from a fixed LCG:
 * each selects one of a fixed set of 16 solid brushes (SelectObject
 * returns the old brush, so it crosses on its own) and draws a Rectangle. */
#define RECT_COUNT 1000
static unsigned Lcg = 12345;
static unsigned lcg(void) {
    Lcg = Lcg * 1103515245u + 12345u;
    return (Lcg >> 16) & 0x7FFF;
}
static void op_rects(int i) {
    (void)i;
    for (int k = 0; k < RECT_COUNT; k++) {
        int x = (int)(lcg() % 900), y = (int)(lcg() % 640);
        int w = 1 + (int)(lcg() % 100), h = 1 + (int)(lcg() % 100);
        SelectObject(Screen, Brushes[lcg() % 16]);
        Rectangle(Screen, x, y, x + w, y + h);
    }
}
#define RECT_CALLS (2 * RECT_COUNT)

/* A 300x200 "window" dragged 200 steps of (3, 2) pixels: each step moves
 * it with a screen-to-screen BitBlt and repaints the two strips it
 * uncovered with the background brush. Even iterations go down and right,
 * odd ones back. */
#define DRAG_STEPS 200
#define DRAG_W 300
#define DRAG_H 200
#define DRAG_DX 3
#define DRAG_DY 2
#define DRAG_X0 40
#define DRAG_Y0 40
static void op_drag(int i) {
    int dir = (i & 1) ? -1 : 1;
    int x = (i & 1) ? DRAG_X0 + DRAG_STEPS * DRAG_DX : DRAG_X0;
    int y = (i & 1) ? DRAG_Y0 + DRAG_STEPS * DRAG_DY : DRAG_Y0;
    for (int s = 0; s < DRAG_STEPS; s++) {
        int nx = x + dir * DRAG_DX, ny = y + dir * DRAG_DY;
        BitBlt(Screen, nx, ny, DRAG_W, DRAG_H, Screen, x, y, SRCCOPY);
        if (dir > 0) { /* uncovered: the old left columns and top rows */
            PatBlt(Screen, x, y, DRAG_DX, DRAG_H, PATCOPY);
            PatBlt(Screen, x, y, DRAG_W, DRAG_DY, PATCOPY);
        } else { /* the old right columns and bottom rows */
            PatBlt(Screen, x + DRAG_W - DRAG_DX, y, DRAG_DX, DRAG_H, PATCOPY);
            PatBlt(Screen, x, y + DRAG_H - DRAG_DY, DRAG_W, DRAG_DY, PATCOPY);
        }
        x = nx;
        y = ny;
    }
}
#define DRAG_CALLS (3 * DRAG_STEPS)

/* ---- running a workload ---- */

/* Runs Warm unmeasured operations (every page touched, every path taken
 * once), then Rounds measured ones ending with a GdiFlush (the last
 * partial batch is part of the cost); prints the cost per operation, per
 * GDI call when an operation is several calls, and the counters per call. */
static void run(const char *Name, void (*Op)(int), DWORD Limit, int Warm, int Rounds, int CallsPerOp) {
    char name[64];
    Rounds = Rounds / Divisor > 0 ? Rounds / Divisor : 1;
    snprintf(name, sizeof name, "gdi_%s_b%lu", Name, (unsigned long)Limit);
    GdiSetBatchLimit(Limit);
    for (int i = 0; i < Warm; i++)
        Op(i);
    GdiFlush();
    unsigned calls = (unsigned)(Rounds * CallsPerOp);
    printf("bench begin %s %u\n", name, calls);
    fflush(stdout);
    SNAPSHOT a = snapshot();
    BenchBegin();
    unsigned long long t0 = rdtsc();
    for (int i = 0; i < Rounds; i++)
        Op(Warm + i);
    GdiFlush();
    unsigned long long t1 = rdtsc();
    BenchEnd();
    SNAPSHOT b = snapshot();
    printf("bench %s", name);
    print_ratio(" ", t1 - t0, (unsigned)Rounds);
    printf(" tsc\n");
    if (CallsPerOp > 1) {
        printf("bench %s.per_call", name);
        print_ratio(" ", t1 - t0, calls);
        printf(" tsc\n");
    }
    print_counters(name, &a, &b, calls);
    fflush(stdout);
}

static HDC screen_dc(void) {
#ifdef GDIBENCH_FLOOR
    const DWORD args[] = {0};
    return (HDC)(ULONG_PTR)GdiDaytonaCall(GdiCallGetDC, args, 1, NULL, 0, NULL, 0);
#else
    return GetDC(NULL);
#endif
}

static void release_dc(HDC Dc) {
#ifdef GDIBENCH_FLOOR
    const DWORD args[] = {0, (DWORD)(ULONG_PTR)Dc};
    GdiDaytonaCall(GdiCallReleaseDC, args, 2, NULL, 0, NULL, 0);
#else
    ReleaseDC(NULL, Dc);
#endif
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "profile") == 0)
            Divisor = PROFILE_DIVISOR;
    if (Divisor > 1)
        printf("bench profile mode: a tenth of the rounds, no rects1000 or drag200\n");
#ifdef GDIBENCH_FLOOR
    const char *why = NULL;
    if (!GdiInProcessInitialize(&why)) {
        printf("gdibfloor: the in-process engine did not start: %s\n", why ? why : "?");
        printf("bench done 1 failures\n");
        return 1;
    }
#else
    HMODULE gdi32 = GetModuleHandleA("gdi32.dll");
    BatchCount = (GDI_COUNT)(void (*)(void))GetProcAddress(gdi32, "GdiDaytonaBatchCount");
    RecordCount = (GDI_COUNT)(void (*)(void))GetProcAddress(gdi32, "GdiDaytonaRecordCount");
#endif
    Screen = screen_dc();
    if (!Screen) {
        printf("gdibench: no screen DC\n");
        printf("bench done 1 failures\n");
        return 1;
    }
    Memory = CreateCompatibleDC(Screen);
    HBITMAP bm = CreateCompatibleBitmap(Screen, 64, 64);
    HGDIOBJ oldBitmap = SelectObject(Memory, bm);
    PatBlt(Memory, 0, 0, 64, 64, WHITENESS);
    RgnA = CreateRectRgn(10, 10, 110, 60);
    RgnB = CreateRectRgn(60, 30, 160, 90);
    RgnDest = CreateRectRgn(0, 0, 1, 1);
    for (int i = 0; i < 16; i++)
        Brushes[i] = CreateSolidBrush(RGB(i * 16, 255 - i * 16, (i * 40) & 0xFF));
    FixedFont = GetStockObject(SYSTEM_FIXED_FONT);

    SelectObject(Screen, GetStockObject(GRAY_BRUSH));
    SelectObject(Screen, GetStockObject(WHITE_PEN));
    SetBkMode(Screen, TRANSPARENT);
    static const struct {
        const char *Name;
        void (*Op)(int);
    } micro[] = {{"setpixel", op_setpixel}, {"getpixel", op_getpixel},    {"moveto_lineto", op_line},
                 {"patblt8x8", op_patblt},  {"rectangle", op_rectangle},  {"textout12", op_textout},
                 {"bitblt64", op_bitblt},   {"combinergn", op_combinergn}};
    static const DWORD limits[] = {1, 10, 100};
    for (unsigned w = 0; w < sizeof micro / sizeof micro[0]; w++)
        for (unsigned l = 0; l < sizeof limits / sizeof limits[0]; l++)
            run(micro[w].Name, micro[w].Op, limits[l], MICRO_WARM, MICRO_ROUNDS, 1);
    run("null_getmapmode", op_null, 10, MICRO_WARM, NULL_ROUNDS, 1);

    /* The macro workloads, at the default limit. */
    HGDIOBJ oldFont = SelectObject(Screen, FixedFont);
    SetBkMode(Screen, OPAQUE);
    SetBkColor(Screen, RGB(0, 0, 128));
    SetTextColor(Screen, RGB(192, 192, 192));
    run("text80x25", op_text80x25, 10, MACRO_WARM, MACRO_ROUNDS, TEXT_CALLS);
    SelectObject(Screen, oldFont);
    if (Divisor == 1) {
        SelectObject(Screen, GetStockObject(BLACK_PEN));
        run("rects1000", op_rects, 10, MACRO_WARM, MACRO_ROUNDS, RECT_CALLS);
        SelectObject(Screen, GetStockObject(GRAY_BRUSH));
        Rectangle(Screen, DRAG_X0, DRAG_Y0, DRAG_X0 + DRAG_W, DRAG_Y0 + DRAG_H);
        SelectObject(Screen, GetStockObject(LTGRAY_BRUSH)); /* the background the strips get */
        /* MACRO_WARM is odd: the measured iterations start going back, and
         * alternate, so the window stays on the screen. */
        run("drag200", op_drag, 10, MACRO_WARM, MACRO_ROUNDS, DRAG_CALLS);
    }

    SelectObject(Screen, GetStockObject(WHITE_BRUSH));
    for (int i = 0; i < 16; i++)
        DeleteObject(Brushes[i]);
    DeleteObject(RgnA);
    DeleteObject(RgnB);
    DeleteObject(RgnDest);
    SelectObject(Memory, oldBitmap);
    DeleteObject(bm);
    DeleteDC(Memory);
    release_dc(Screen);
    printf("bench done 0 failures\n");
    return 0;
}
