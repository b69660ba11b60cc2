/*
 * gditest.c - GDI through gdi32 to the engine, in csrss (NT 3.51's layout)
 * or in the kernel (NT 4.0's), from a program built with nothing but the
 * stock mingw-w64 toolchain.
 *
 * Why: the engine's pixel rules are tested on the host; this proves the
 * whole NT 3.51 path in the running system: the screen DC, drawing calls
 * batched in the thread's quick-LPC window, values read back (a read flushes
 * the batch first), the batch limit per thread, and csrss refusing bad,
 * stale and foreign handles and absurd sizes without harm. In the NT 4.0
 * layout it also attacks the NtGdi* services and the TEB batch directly and
 * checks that a process's GDI memory goes when it ends. Each check
 * prints PASS or FAIL; the last line is "gditest: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* The engine's call numbers, to reach NtGdi* services directly below. */
#define GDI_NO_NT_TYPES
#include "../../subsys/gdi/gdi.h"

static int passed, failed;

static void check(int ok, const char *what) {
    printf("%s %s\n", ok ? "PASS" : "FAIL", what);
    if (ok)
        passed++;
    else
        failed++;
}

#define RED RGB(255, 0, 0)
#define GREEN RGB(0, 255, 0)
#define BLUE RGB(0, 0, 255)
#define WHITE RGB(255, 255, 255)
#define BLACK RGB(0, 0, 0)

typedef DWORD(WINAPI *BATCH_COUNT)(void);
static BATCH_COUNT BatchCount;

static void clear(HDC dc, int x, int y, int w, int h) {
    PatBlt(dc, x, y, w, h, BLACKNESS);
}

static void test_screen_dc(HDC dc) {
    check(dc != NULL, "GetDC(NULL) gives the screen's DC");
    check(GetDeviceCaps(dc, HORZRES) == 1024 && GetDeviceCaps(dc, VERTRES) == 768, "the screen is 1024x768");
    check(GetDeviceCaps(dc, BITSPIXEL) == 32, "at 32 bits per pixel");
    check(GetDC((HWND)0x1234) == NULL && GetLastError() == ERROR_INVALID_WINDOW_HANDLE,
          "no DC for a window yet");
}

static void test_fill_rect_excludes_right_and_bottom(HDC dc) {
    clear(dc, 600, 20, 40, 40);
    HBRUSH red = CreateSolidBrush(RED);
    RECT r = {610, 30, 620, 40};
    check(FillRect(dc, &r, red), "FillRect");
    check(GetPixel(dc, 610, 30) == RED && GetPixel(dc, 619, 39) == RED,
          "FillRect paints its top-left and last pixel");
    check(GetPixel(dc, 620, 35) == BLACK && GetPixel(dc, 615, 40) == BLACK,
          "and not its right or bottom edge");
    DeleteObject(red);
}

static void test_rectangle_pen_and_brush(HDC dc) {
    clear(dc, 600, 60, 40, 40);
    HPEN pen = CreatePen(PS_SOLID, 1, BLUE);
    HBRUSH brush = CreateSolidBrush(GREEN);
    HGDIOBJ oldPen = SelectObject(dc, pen), oldBrush = SelectObject(dc, brush);
    check(Rectangle(dc, 610, 70, 630, 90), "Rectangle");
    check(GetPixel(dc, 610, 70) == BLUE && GetPixel(dc, 629, 89) == BLUE,
          "its outline is the pen, ending at r-1, b-1");
    check(GetPixel(dc, 620, 80) == GREEN, "its inside is the brush");
    check(GetPixel(dc, 630, 80) == BLACK && GetPixel(dc, 620, 90) == BLACK, "nothing at r or b");
    SelectObject(dc, oldPen);
    SelectObject(dc, oldBrush);
    check(DeleteObject(pen) && DeleteObject(brush), "pen and brush deleted once deselected");
}

static void test_lineto_leaves_its_end_point(HDC dc) {
    clear(dc, 600, 100, 40, 10);
    HGDIOBJ old = SelectObject(dc, GetStockObject(WHITE_PEN));
    MoveToEx(dc, 605, 105, NULL);
    LineTo(dc, 615, 105);
    check(GetPixel(dc, 605, 105) == WHITE && GetPixel(dc, 614, 105) == WHITE, "LineTo draws from its start");
    check(GetPixel(dc, 615, 105) == BLACK, "and not its end point");
    POINT p;
    check(MoveToEx(dc, 0, 0, &p) && p.x == 615 && p.y == 105, "the current position moved to the end");
    SelectObject(dc, old);
}

static void test_ellipse_stays_in_its_box(HDC dc) {
    clear(dc, 600, 120, 60, 60);
    HGDIOBJ oldPen = SelectObject(dc, GetStockObject(WHITE_PEN));
    HGDIOBJ oldBrush = SelectObject(dc, GetStockObject(WHITE_BRUSH));
    Ellipse(dc, 610, 130, 640, 150);
    int outside = 0, inside = 0;
    for (int y = 125; y < 155; y++)
        for (int x = 605; x < 645; x++) {
            int in_box = x >= 610 && x < 640 && y >= 130 && y < 150;
            if (GetPixel(dc, x, y) == WHITE) {
                if (in_box)
                    inside++;
                else
                    outside++;
            }
        }
    check(outside == 0 && inside > 400, "Ellipse paints only inside its box, and fills it");
    SelectObject(dc, oldPen);
    SelectObject(dc, oldBrush);
}

static void test_clipping(HDC dc) {
    clear(dc, 700, 20, 40, 40);
    HRGN clip = CreateRectRgn(710, 30, 720, 40);
    check(SelectClipRgn(dc, clip) == SIMPLEREGION, "SelectClipRgn");
    check(SetPixel(dc, 705, 25, RED) == (COLORREF)-1, "SetPixel outside the clip does nothing");
    check(SetPixel(dc, 715, 35, RED) == RED, "SetPixel inside it draws");
    HBRUSH white = CreateSolidBrush(WHITE);
    RECT all = {700, 20, 740, 60};
    FillRect(dc, &all, white);
    RECT box;
    check(GetClipBox(dc, &box) == SIMPLEREGION && box.left == 710 && box.bottom == 40, "GetClipBox");
    SelectClipRgn(dc, NULL);
    check(GetPixel(dc, 712, 32) == WHITE && GetPixel(dc, 705, 25) == BLACK && GetPixel(dc, 725, 45) == BLACK,
          "FillRect is clipped to the region");
    DeleteObject(white);
    DeleteObject(clip);
}

static void test_text(HDC dc) {
    clear(dc, 700, 70, 200, 30);
    SIZE size;
    TEXTMETRICA tm;
    check(GetTextExtentPoint32A(dc, "Daytona GDI!", 12, &size) && size.cx > 0, "GetTextExtentPoint32");
    check(GetTextMetricsA(dc, &tm) && tm.tmHeight == size.cy, "GetTextMetrics agrees on the height");
    SetTextColor(dc, WHITE);
    SetBkMode(dc, TRANSPARENT);
    SetTextAlign(dc, TA_UPDATECP);
    MoveToEx(dc, 700, 70, NULL);
    check(TextOutA(dc, 0, 0, "Daytona GDI!", 12), "TextOut");
    POINT p;
    MoveToEx(dc, 0, 0, &p);
    check(p.x == 700 + size.cx, "TextOut's advance equals GetTextExtentPoint32's width");
    SetTextAlign(dc, TA_LEFT | TA_TOP);
    int ink = 0;
    for (int x = 700; x < 700 + size.cx; x++)
        for (int y = 70; y < 70 + size.cy; y++)
            ink += GetPixel(dc, x, y) == WHITE;
    check(ink > 30, "the text is on the screen");
    RECT r = {0, 0, 100, 0};
    check(DrawTextA(dc, "a few words that must wrap", -1, &r, DT_CALCRECT | DT_WORDBREAK) > tm.tmHeight,
          "DrawText wraps into several lines");
}

static void test_memory_dc_and_blit(HDC dc) {
    HDC mem = CreateCompatibleDC(dc);
    HBITMAP bm = CreateCompatibleBitmap(dc, 16, 16);
    check(mem && bm, "CreateCompatibleDC and CreateCompatibleBitmap");
    HGDIOBJ old = SelectObject(mem, bm);
    check(old != NULL, "a bitmap selects into the memory DC");
    PatBlt(mem, 0, 0, 16, 16, WHITENESS);
    SetPixel(mem, 3, 4, RED);
    clear(dc, 760, 20, 20, 20);
    check(BitBlt(dc, 760, 20, 16, 16, mem, 0, 0, SRCCOPY), "BitBlt");
    check(GetPixel(dc, 763, 24) == RED && GetPixel(dc, 775, 35) == WHITE && GetPixel(dc, 776, 36) == BLACK,
          "BitBlt copies exactly the rectangle");
    check(!DeleteObject(bm), "a selected bitmap cannot be deleted");
    SelectObject(mem, old);
    check(DeleteObject(bm) && DeleteDC(mem), "bitmap and DC deleted");
}

static void test_dib_section_and_dibs(HDC dc) {
    BITMAPINFO bi = {{sizeof(BITMAPINFOHEADER), 16, 16, 1, 32, BI_RGB, 0, 0, 0, 0, 0}, {{0, 0, 0, 0}}};
    DWORD *bits = NULL;
    HBITMAP dib = CreateDIBSection(dc, &bi, DIB_RGB_COLORS, (void **)&bits, NULL, 0);
    check(dib && bits, "CreateDIBSection (bottom-up, 32 bpp) maps its bits into the program");
    if (!dib || !bits)
        return;
    HDC mem = CreateCompatibleDC(dc);
    HGDIOBJ old = SelectObject(mem, dib);
    HBRUSH red = CreateSolidBrush(RED);
    RECT top = {0, 0, 16, 1};
    FillRect(mem, &top, red);
    GdiFlush();
    check(bits[15 * 16] == 0x00FF0000 && bits[0] == 0,
          "GDI's drawing is in the program's memory (bottom-up rows)");
    bits[0] = 0x0000FF00; /* the bottom row, written by the program */
    check(GetPixel(mem, 0, 15) == GREEN, "and the program's writes are what GDI sees");
    clear(dc, 800, 100, 20, 20);
    BitBlt(dc, 800, 100, 16, 16, mem, 0, 0, SRCCOPY);
    check(GetPixel(dc, 800, 100) == RED && GetPixel(dc, 800, 115) == GREEN, "BitBlt from a DIB section");
    SelectObject(mem, old);
    DeleteObject(red);
    check(DeleteObject(dib), "the DIB section is deleted");
    DWORD pixels[4] = {0x00FF0000, 0x0000FF00, 0x000000FF, 0x00FFFFFF};
    BITMAPINFO two = {{sizeof(BITMAPINFOHEADER), 2, -2, 1, 32, BI_RGB, 0, 0, 0, 0, 0}, {{0, 0, 0, 0}}};
    clear(dc, 830, 100, 20, 20);
    check(StretchDIBits(dc, 830, 100, 4, 4, 0, 0, 2, 2, pixels, &two, DIB_RGB_COLORS, SRCCOPY) == 2,
          "StretchDIBits");
    check(GetPixel(dc, 830, 100) == RED && GetPixel(dc, 833, 100) == GREEN && GetPixel(dc, 830, 103) == BLUE,
          "StretchDIBits doubles a top-down 2x2 DIB");
    HBITMAP bm = CreateCompatibleBitmap(dc, 2, 2);
    check(SetDIBits(dc, bm, 0, 2, pixels, &two, DIB_RGB_COLORS) == 2, "SetDIBits");
    DWORD back[4] = {0};
    check(GetDIBits(dc, bm, 0, 2, back, &two, DIB_RGB_COLORS) == 2 && back[1] == 0x0000FF00 &&
              back[3] == 0x00FFFFFF,
          "GetDIBits reads back what SetDIBits wrote");
    DeleteObject(bm);
    /* A scan line wider than the bitmap: the pixels the bitmap does not
     * cover come back as zeros, never as whatever the engine's reply
     * buffer (in the kernel: its stack or pool) held before. */
    static DWORD wide[60];
    memset(wide, 0xAA, sizeof wide);
    BITMAPINFO line = {{sizeof(BITMAPINFOHEADER), 60, 1, 1, 32, BI_RGB, 0, 0, 0, 0, 0}, {{0, 0, 0, 0}}};
    HBITMAP one = CreateCompatibleBitmap(dc, 1, 1);
    int zeros = 0;
    int lines = GetDIBits(dc, one, 0, 1, wide, &line, DIB_RGB_COLORS);
    for (int i = 1; i < 60; i++)
        zeros += wide[i] == 0;
    check(lines == 1 && zeros == 59,
          "GetDIBits fills the rest of a scan line wider than the bitmap with zeros");
    DeleteObject(one);
    DeleteDC(mem);
}

static void test_regions(void) {
    HRGN a = CreateRectRgn(0, 0, 10, 10), b = CreateRectRgn(5, 5, 15, 15), d = CreateRectRgn(0, 0, 0, 0);
    check(CombineRgn(d, a, b, RGN_AND) == SIMPLEREGION, "CombineRgn AND of overlapping squares");
    RECT box;
    check(GetRgnBox(d, &box) == SIMPLEREGION && box.left == 5 && box.right == 10, "GetRgnBox");
    check(CombineRgn(d, a, b, RGN_XOR) == COMPLEXREGION && !PtInRegion(d, 7, 7) && PtInRegion(d, 2, 2),
          "CombineRgn XOR");
    HRGN e = CreateEllipticRgn(0, 0, 20, 20);
    check(e && PtInRegion(e, 10, 10) && !PtInRegion(e, 0, 0), "CreateEllipticRgn");
    check(CombineRgn(d, a, NULL, RGN_COPY) == SIMPLEREGION && EqualRgn(d, a), "RGN_COPY and EqualRgn");
    DeleteObject(a);
    DeleteObject(b);
    DeleteObject(d);
    DeleteObject(e);
}

static void test_batching(HDC dc) {
    check(GdiGetBatchLimit() == 10, "the batch limit starts at 10");
    check(BatchCount != NULL, "gdi32 counts its batches (GdiDaytonaBatchCount)");
    if (!BatchCount)
        return;
    GdiFlush();
    DWORD before = BatchCount();
    for (int i = 0; i < 25; i++)
        SetPixelV(dc, 800 + i, 200, RED);
    check(BatchCount() - before == 2, "25 batched calls at limit 10: two batches sent so far");
    check(GetPixel(dc, 824, 200) == RED, "a call that returns a value flushes the batch first");
    check(BatchCount() - before == 3, "and goes in the same round trip");
    for (int i = 0; i < 3; i++)
        SetPixelV(dc, 800 + i, 201, RED);
    before = BatchCount();
    check(GdiFlush() && BatchCount() - before == 1, "GdiFlush sends what is pending");
    check(GdiSetBatchLimit(1) == 10, "GdiSetBatchLimit returns the old limit");
    before = BatchCount();
    for (int i = 0; i < 5; i++)
        SetPixelV(dc, 800 + i, 202, GREEN);
    check(BatchCount() - before == 5, "limit 1: every call is sent at once");
    GdiSetBatchLimit(0);
    check(GdiGetBatchLimit() == 10, "limit 0 restores the default");
}

static DWORD WINAPI other_thread(LPVOID arg) {
    (void)arg;
    return GdiGetBatchLimit(); /* its own thread: its own limit */
}

static void test_batch_limit_is_per_thread(void) {
    GdiSetBatchLimit(3);
    HANDLE t = CreateThread(NULL, 0, other_thread, NULL, 0, NULL);
    DWORD code = 0;
    WaitForSingleObject(t, INFINITE);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    check(code == 10 && GdiGetBatchLimit() == 3, "the batch limit is per thread");
    GdiSetBatchLimit(0);
}

static void test_bad_handles_and_sizes(HDC dc) {
    SetLastError(0);
    check(!DeleteObject((HGDIOBJ)0x12345678) && GetLastError() == ERROR_INVALID_HANDLE,
          "DeleteObject of garbage fails with ERROR_INVALID_HANDLE");
    HBRUSH b = CreateSolidBrush(RED);
    DeleteObject(b);
    check(!SelectObject(dc, b), "a freed handle is refused");
    Rectangle((HDC)0x777, 0, 0, 5, 5); /* batched: its failure has no answer, as on NT */
    check(GdiFlush(), "a batch holding a call on a garbage DC is still run");
    check(GetPixel((HDC)0x777, 0, 0) == CLR_INVALID, "a garbage DC gives CLR_INVALID");
    check(CreateBitmap(100000, 100000, 1, 32, NULL) == NULL, "a huge bitmap is refused");
    check(CreateCompatibleBitmap(dc, -5, 10) == NULL, "a negative size is refused");
    Rectangle(dc, -2000000000, -2000000000, 2000000000, 2000000000); /* absurd coordinates: refused quietly */
    check(GetPixel(dc, 0, 0) != CLR_INVALID, "and the engine still answers after absurd coordinates");
    static HPEN pens[5000];
    int made = 0;
    while (made < 5000 && (pens[made] = CreatePen(PS_SOLID, 1, RED)) != NULL)
        made++;
    check(made > 1000 && made < 5000, "the per-process quota stops runaway creation");
    for (int i = 0; i < made; i++)
        DeleteObject(pens[i]);
    HPEN again = CreatePen(PS_SOLID, 1, RED);
    check(again != NULL, "and frees up when objects are deleted");
    DeleteObject(again);
}

/* Runs a command line to its end; its exit code (99 if it could not start). */
static DWORD run_child(const char *Command) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "%s", Command);
    STARTUPINFOA si = {sizeof si};
    PROCESS_INFORMATION pi;
    DWORD code = 99;
    if (CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        WaitForSingleObject(pi.hProcess, INFINITE);
        GetExitCodeProcess(pi.hProcess, &code);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    return code;
}

static void test_foreign_handles(HDC dc) {
    HBRUSH mine = CreateSolidBrush(BLUE);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "gditest.exe foreign %lu", (unsigned long)(ULONG_PTR)mine);
    DWORD code = run_child(cmd);
    if (code != 0)
        printf("gditest:   the child answered %lu\n", (unsigned long)code);
    check(code == 0, "another process can neither delete nor use this process's brush");
    RECT r = {790, 60, 800, 70};
    check(FillRect(dc, &r, mine) && DeleteObject(mine), "the brush is still ours");
}

/* ---- the system-service boundary of the NT 4.0 layout (GDI in the kernel) ---- */

#define NTGDI_FLUSH_USER_BATCH 0x1000u
#define NTGDI_SERVICE(Call) (0x1000u + 1u + (Call))
#define STATUS_INVALID_PARAMETER_ 0xC000000Du
#define STATUS_INVALID_SYSTEM_SERVICE_ 0xC000001Cu
#define TEB_GDI_BATCH 0x1FC /* GdiTebBatch: Offset, Records, 3 KiB of records */

static ULONG system_call(ULONG Service, const ULONG *Arguments) {
    ULONG result = Service;
    __asm__ volatile("int $0x2e" : "+a"(result), "+d"(Arguments) : : "ecx", "memory");
    return result;
}

static ULONG *teb_batch(void) {
    UCHAR *teb;
    __asm__("movl %%fs:0x18, %0" : "=r"(teb));
    return (ULONG *)(teb + TEB_GDI_BATCH);
}

typedef LONG(WINAPI *QUERY_SYSTEM_INFORMATION)(ULONG, PVOID, ULONG, PULONG);

/* Bytes and allocations of the kernel pool's 'Gdi ' tag (NtQuerySystemInformation,
 * SystemPoolTagInformation: a count, then 28-byte entries). */
static BOOL gdi_pool(ULONG *Bytes, ULONG *Allocations) {
    static ULONG buffer[4096];
    QUERY_SYSTEM_INFORMATION query = (QUERY_SYSTEM_INFORMATION)(void *)GetProcAddress(
        GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    if (!query || query(22, buffer, sizeof buffer, NULL) < 0)
        return FALSE;
    for (ULONG i = 0; i < buffer[0]; i++) {
        ULONG *t = &buffer[1 + 7 * i];
        if (t[0] == ('G' | 'd' << 8 | 'i' << 16 | (ULONG)' ' << 24)) {
            *Allocations = t[4];
            *Bytes = t[6];
            return TRUE;
        }
    }
    return FALSE;
}

static BOOL KernelLayout; /* found by test_system_service_boundary */

static void test_system_service_boundary(HDC dc) {
    GdiFlush();
    ULONG status = system_call(NTGDI_FLUSH_USER_BATCH, NULL);
    if (status == STATUS_INVALID_SYSTEM_SERVICE_) {
        printf("gditest: NT 3.51 layout: no service table 1, GDI is in csrss\n");
        check(TRUE, "GDI in csrss: the kernel has no GDI services (table 1 is empty)");
        return;
    }
    printf("gditest: NT 4.0 layout: GDI is in the kernel, behind service table 1\n");
    check(status == 0, "NtGdiFlushUserBatch with an empty TEB batch succeeds");
    ULONG a[8] = {(ULONG)(ULONG_PTR)dc, 3, 0x80001000u, 6, (ULONG)(ULONG_PTR)&a[7], 8};
    SetLastError(0);
    check(system_call(NTGDI_SERVICE(GdiCallGetTextExtentPoint32), a) == 0 &&
              GetLastError() == ERROR_INVALID_PARAMETER,
          "NtGdiGetTextExtentPoint32 with its text in kernel space fails with ERROR_INVALID_PARAMETER");
    static const WCHAR abc[] = L"abc";
    ULONG b[6] = {(ULONG)(ULONG_PTR)dc, 3, (ULONG)(ULONG_PTR)abc, 6, 0xC0000000u, 8};
    SetLastError(0);
    check(system_call(NTGDI_SERVICE(GdiCallGetTextExtentPoint32), b) == 0 &&
              GetLastError() == ERROR_INVALID_PARAMETER,
          "and with its answer aimed at kernel space too");
    ULONG c[6] = {(ULONG)(ULONG_PTR)dc, 3, (ULONG)(ULONG_PTR)abc, 0x7FFFFFFFu, 0, 0};
    SetLastError(0);
    check(system_call(NTGDI_SERVICE(GdiCallGetTextExtentPoint32), c) == 0 &&
              GetLastError() == ERROR_INVALID_PARAMETER,
          "an absurd data length is refused");
    /* 64 KiB of data for a call that takes 92 bytes, starting with a
     * SetPixelV record: were the data taken, the record's 16-bit size would
     * wrap and the engine would run the smuggled record after the call. */
    static ULONG smuggled[16384];
    smuggled[0] = GdiCallSetPixelV | 20u << 16; /* a record's header (gdibatch.h): call, then size in bytes */
    smuggled[1] = (ULONG)(ULONG_PTR)dc;
    smuggled[2] = 791;
    smuggled[3] = 81;
    smuggled[4] = RED;
    clear(dc, 791, 81, 1, 1);
    GdiFlush(); /* before the raw call below, which gdi32's batch knows nothing of */
    ULONG d[4] = {(ULONG)(ULONG_PTR)smuggled, sizeof smuggled, 0, 0};
    SetLastError(0);
    check(system_call(NTGDI_SERVICE(GdiCallCreateFontIndirect), d) == 0 &&
              GetLastError() == ERROR_INVALID_PARAMETER && GetPixel(dc, 791, 81) != RED,
          "more data than a call takes is refused, and nothing in it runs");
    check(system_call(NTGDI_SERVICE(GdiCallCount + 5), a) == STATUS_INVALID_SYSTEM_SERVICE_,
          "a service past the end of table 1 is STATUS_INVALID_SYSTEM_SERVICE");
    ULONG *batch = teb_batch();
    batch[0] = 0x10000;
    check(system_call(NTGDI_FLUSH_USER_BATCH, NULL) == STATUS_INVALID_PARAMETER_ && batch[0] == 0,
          "a TEB batch longer than its buffer is refused and emptied");
    memset(&batch[2], 0xEE, 64);
    batch[0] = 64;
    check(system_call(NTGDI_FLUSH_USER_BATCH, NULL) == STATUS_INVALID_PARAMETER_,
          "a TEB batch of garbage records is refused");
    SetPixelV(dc, 790, 80, RED);
    check(GetPixel(dc, 790, 80) == RED, "and GDI goes on working");
    ULONG bytes0, allocs0, bytes1, allocs1;
    BOOL ok = gdi_pool(&bytes0, &allocs0);
    DWORD code = run_child("gditest.exe leak");
    ok = ok && gdi_pool(&bytes1, &allocs1);
    if (ok)
        printf("gditest:   'Gdi ' pool: %lu bytes before the child, %lu after; %lu allocations by it\n",
               (unsigned long)bytes0, (unsigned long)bytes1, (unsigned long)(allocs1 - allocs0));
    check(ok && code == 0 && allocs1 - allocs0 >= 200 && bytes1 == bytes0,
          "a process that ends with 200 GDI objects undeleted leaves no GDI memory behind");
    KernelLayout = TRUE;
}

/* 16 MiB DIB sections, made until one is refused (at most Max); how many
 * were made, and the refusal's error. They stay for the caller to delete. */
static int make_big_dib_sections(HDC Dc, HBITMAP *Made, int Max, DWORD *Error) {
    BITMAPINFO big = {{sizeof(BITMAPINFOHEADER), 2048, 2048, 1, 32, BI_RGB, 0, 0, 0, 0, 0}, {{0, 0, 0, 0}}};
    void *bits;
    *Error = 0;
    for (int i = 0; i < Max; i++) {
        SetLastError(0);
        Made[i] = CreateDIBSection(Dc, &big, DIB_RGB_COLORS, &bits, NULL, 0);
        if (!Made[i]) {
            *Error = GetLastError();
            return i;
        }
    }
    return Max;
}

/* A DIB section's bits are committed for its whole life: a process may
 * own 32 MiB of them (the engine's quota, both layouts), and in the NT 4.0
 * layout all processes together 48 MiB of system space (win32k's budget):
 * with our 32 MiB held, a child gets one more 16 MiB section and no more. */
static void test_dib_section_budgets(HDC dc) {
    HBITMAP made[4] = {0};
    DWORD error;
    int count = make_big_dib_sections(dc, made, 4, &error);
    printf("gditest:   %d DIB sections of 16 MiB made before one was refused (error %lu)\n", count,
           (unsigned long)error);
    check(count == 2 && error == ERROR_NOT_ENOUGH_MEMORY,
          "a process's DIB sections stop at its 32 MiB quota with ERROR_NOT_ENOUGH_MEMORY");
    if (KernelLayout) {
        DWORD child = run_child("gditest.exe dibs");
        printf("gditest:   a child made %lu more while we held ours\n", (unsigned long)child);
        check(child == 1, "all processes' DIB sections stop at win32k's 48 MiB of system space");
    }
    for (int i = 0; i < count; i++)
        DeleteObject(made[i]);
    count = make_big_dib_sections(dc, made, 2, &error);
    check(count == 2, "deleting them gives the quota back");
    for (int i = 0; i < count; i++)
        DeleteObject(made[i]);
}

/* The child of the last check: GDI objects it never deletes. */
static int leak_objects(void) {
    HDC dc = GetDC(NULL);
    int made = 0;
    for (int i = 0; i < 200; i++)
        made += CreateSolidBrush(RGB(i, 0, 0)) != NULL;
    HDC mem = CreateCompatibleDC(dc);
    HBITMAP bm = CreateCompatibleBitmap(dc, 64, 64);
    BOOL selected = SelectObject(mem, bm) != NULL;
    return made == 200 && mem && bm && selected ? 0 : 1;
}

int main(int argc, char **argv) {
    if (argc == 2 && !strcmp(argv[1], "leak"))
        return leak_objects();
    if (argc == 2 && !strcmp(argv[1], "dibs")) { /* the budget check's child: how many it could make */
        HBITMAP made[4];
        DWORD error;
        HDC dc = GetDC(NULL);
        return make_big_dib_sections(dc, made, 4, &error); /* they go with the process */
    }
    if (argc == 3 && !strcmp(argv[1], "foreign")) {
        HBRUSH theirs = (HBRUSH)(ULONG_PTR)strtoul(argv[2], NULL, 10);
        HDC dc = GetDC(NULL);
        int bad = DeleteObject(theirs) || SelectObject(dc, theirs) != NULL;
        ReleaseDC(NULL, dc);
        return bad;
    }
    printf("gditest: GDI from a stock-mingw program\n");
    BatchCount = (BATCH_COUNT)(void *)GetProcAddress(GetModuleHandleA("gdi32.dll"), "GdiDaytonaBatchCount");
    HDC dc = GetDC(NULL);
    test_screen_dc(dc);
    test_fill_rect_excludes_right_and_bottom(dc);
    test_rectangle_pen_and_brush(dc);
    test_lineto_leaves_its_end_point(dc);
    test_ellipse_stays_in_its_box(dc);
    test_clipping(dc);
    test_text(dc);
    test_memory_dc_and_blit(dc);
    test_regions();
    test_dib_section_and_dibs(dc);
    test_batching(dc);
    test_batch_limit_is_per_thread();
    test_bad_handles_and_sizes(dc);
    test_foreign_handles(dc);
    test_system_service_boundary(dc);
    test_dib_section_budgets(dc);
    check(ReleaseDC(NULL, dc) == 1, "ReleaseDC");
    printf("gditest: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
