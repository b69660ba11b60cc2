/*
 * gdipaint.c - a stock-mingw GDI program for the AUTORUN boot test: it
 * paints known shapes on GetDC(NULL), and the test reads the screen back
 * through QEMU's screendump.
 *
 * Built by the plainest command line a GDI program needs:
 *     i686-w64-mingw32-gcc gdipaint.c -o gdipaint.exe -lgdi32
 * (the compiler driver links user32 by default; a console program names
 * gdi32). Exit code 0 when every call succeeded.
 */
#include <stdio.h>
#include <windows.h>

int main(void) {
    HDC dc = GetDC(NULL);
    int ok = dc != NULL;
    RECT all = {0, 0, 1024, 768};
    HBRUSH navy = CreateSolidBrush(RGB(0, 0, 128)), red = CreateSolidBrush(RGB(255, 0, 0));
    ok &= FillRect(dc, &all, navy);
    RECT box = {100, 100, 200, 150};
    ok &= FillRect(dc, &box, red);
    HGDIOBJ oldPen = SelectObject(dc, GetStockObject(WHITE_PEN));
    HGDIOBJ oldBrush = SelectObject(dc, GetStockObject(BLACK_BRUSH));
    ok &= Ellipse(dc, 300, 100, 400, 200);
    ok &= MoveToEx(dc, 500, 100, NULL);
    ok &= LineTo(dc, 600, 100);
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, RGB(255, 255, 0));
    ok &= TextOutA(dc, 100, 300, "Drawn by a stock mingw-w64 program", 34);
    SelectObject(dc, oldPen);
    SelectObject(dc, oldBrush);
    DeleteObject(navy);
    DeleteObject(red);
    GdiFlush();
    printf("gdipaint: painted (%s)\n", ok ? "all calls succeeded" : "a call failed");
    ReleaseDC(NULL, dc);
    return ok ? 0 : 1;
}
