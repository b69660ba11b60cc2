/*
 * gdidemo.c - what NT 3.51's GDI can draw, on the screen DC, until windows
 * exist: shapes with pens and brushes, every bundled font face, regions, a
 * bitmap blitted and stretched, and the mouse cursor; its title says which
 * layout drew it (gdi32's GdiDaytonaHost).
 *
 * Why: the default boot entry runs it (smss.ini's [Run]) so a person who
 * boots Daytona sees the graphics path work; the boot test also runs it
 * through AUTORUN and checks pixels of the screen it leaves. It is an
 * ordinary Win32 program: `i686-w64-mingw32-gcc gdidemo.c -lgdi32`.
 */
#include <stdio.h>
#include <windows.h>

#define TEAL RGB(0, 128, 128)

static void title(HDC dc, int x, int y, const char *text) {
    SetTextColor(dc, RGB(255, 255, 0));
    TextOutA(dc, x, y, text, (int)strlen(text));
}

static void shapes(HDC dc) {
    title(dc, 20, 50, "Shapes, pens and brushes");
    HPEN thick = CreatePen(PS_SOLID, 3, RGB(255, 255, 255));
    HPEN dash = CreatePen(PS_DASH, 1, RGB(255, 255, 255));
    HBRUSH red = CreateSolidBrush(RGB(220, 0, 0)), hatch = CreateHatchBrush(HS_DIAGCROSS, RGB(0, 200, 255));
    HGDIOBJ oldPen = SelectObject(dc, thick), oldBrush = SelectObject(dc, red);
    Rectangle(dc, 20, 75, 120, 145);
    SelectObject(dc, hatch);
    Ellipse(dc, 135, 75, 235, 145);
    SelectObject(dc, dash);
    RoundRect(dc, 250, 75, 350, 145, 30, 30);
    SelectObject(dc, thick);
    SelectObject(dc, GetStockObject(LTGRAY_BRUSH));
    Pie(dc, 365, 75, 465, 145, 465, 110, 415, 75);
    POINT star[5] = {{530, 72}, {555, 148}, {490, 100}, {570, 100}, {505, 148}};
    SetPolyFillMode(dc, WINDING);
    SelectObject(dc, CreateSolidBrush(RGB(0, 200, 0)));
    Polygon(dc, star, 5);
    DeleteObject(SelectObject(dc, oldBrush));
    SelectObject(dc, GetStockObject(WHITE_PEN));
    for (int i = 0; i < 12; i++) {
        MoveToEx(dc, 600, 145, NULL);
        LineTo(dc, 600 + i * 12, 75);
    }
    SelectObject(dc, oldPen);
    DeleteObject(thick);
    DeleteObject(dash);
    DeleteObject(red);
    DeleteObject(hatch);
}

static void fonts(HDC dc) {
    title(dc, 20, 165, "Every bundled face (bitmap fonts from Debian's X11 packages)");
    static const struct {
        const char *face;
        int height, weight;
        BOOL italic;
    } list[] = {
        {"Helvetica", 13, 400, 0}, {"Helvetica", 17, 700, 0}, {"Helvetica", 23, 400, 0},
        {"Helvetica", 15, 400, 1}, {"Times", 13, 400, 0},     {"Times", 17, 700, 0},
        {"Times", 21, 400, 0},     {"Times", 15, 400, 1},     {"Courier", 14, 400, 0},
        {"Courier", 16, 700, 0},   {"Fixed", 13, 400, 0},     {"Fixed", 20, 400, 0},
    };
    SetTextColor(dc, RGB(255, 255, 255));
    int y = 190;
    for (unsigned i = 0; i < sizeof list / sizeof list[0]; i++) {
        HFONT f = CreateFontA(list[i].height, 0, 0, 0, list[i].weight, list[i].italic, 0, 0, ANSI_CHARSET, 0,
                              0, 0, 0, list[i].face);
        HGDIOBJ old = SelectObject(dc, f);
        char line[96];
        snprintf(line, sizeof line, "%s %d: The quick brown fox jumps over the lazy dog", list[i].face,
                 list[i].height);
        int length = (int)strlen(line);
        SIZE extent;
        /* a wide face loses the last words rather than run off the screen */
        while (length > 0 && GetTextExtentPoint32A(dc, line, length, &extent) && extent.cx > 490) {
            while (length > 0 && line[length - 1] != ' ')
                length--;
            while (length > 0 && line[length - 1] == ' ')
                length--;
        }
        TextOutA(dc, 20 + (i % 2) * 500, y, line, length);
        if (i % 2)
            y += (list[i].height > list[i - 1].height ? list[i].height : list[i - 1].height) + 6;
        SelectObject(dc, old);
        DeleteObject(f);
    }
    static const int stock[] = {SYSTEM_FONT, SYSTEM_FIXED_FONT, ANSI_VAR_FONT, OEM_FIXED_FONT};
    static const char *names[] = {"SYSTEM_FONT", "SYSTEM_FIXED_FONT", "ANSI_VAR_FONT", "OEM_FIXED_FONT"};
    for (int i = 0; i < 4; i++) {
        HGDIOBJ old = SelectObject(dc, GetStockObject(stock[i]));
        TextOutA(dc, 20 + i * 240, y + 6, names[i], (int)strlen(names[i]));
        SelectObject(dc, old);
    }
}

static void regions_and_blits(HDC dc) {
    title(dc, 20, 470, "Regions and bitmaps");
    HRGN a = CreateEllipticRgn(20, 495, 140, 600), b = CreateRectRgn(80, 520, 200, 620),
         x = CreateRectRgn(0, 0, 0, 0);
    CombineRgn(x, a, b, RGN_XOR);
    HBRUSH orange = CreateSolidBrush(RGB(255, 140, 0));
    FillRgn(dc, x, orange);
    FrameRgn(dc, x, (HBRUSH)GetStockObject(WHITE_BRUSH), 1, 1);
    /* A 32x32 bitmap drawn in a memory DC, then blitted and stretched. */
    HDC mem = CreateCompatibleDC(dc);
    HBITMAP bm = CreateCompatibleBitmap(dc, 32, 32);
    HGDIOBJ old = SelectObject(mem, bm);
    PatBlt(mem, 0, 0, 32, 32, WHITENESS);
    for (int i = 0; i < 16; i += 2) {
        RECT r = {i, i, 32 - i, 32 - i};
        HBRUSH b2 = CreateSolidBrush(RGB(i * 16, 255 - i * 16, 128));
        FillRect(mem, &r, b2);
        DeleteObject(b2);
    }
    BitBlt(dc, 230, 500, 32, 32, mem, 0, 0, SRCCOPY);
    StretchBlt(dc, 280, 500, 128, 128, mem, 0, 0, 32, 32, SRCCOPY);
    StretchBlt(dc, 420, 500, 128, 64, mem, 31, 0, -32, 32, SRCCOPY); /* mirrored */
    BitBlt(dc, 420, 570, 32, 32, mem, 0, 0, NOTSRCCOPY);
    SelectObject(mem, old);
    DeleteObject(bm);
    DeleteDC(mem);
    /* a DIB drawn with StretchDIBits: a 16x16 gradient */
    static DWORD pixels[16 * 16];
    for (int y = 0; y < 16; y++)
        for (int xx = 0; xx < 16; xx++)
            pixels[y * 16 + xx] = (DWORD)((xx * 16) << 16 | (y * 16) << 8 | 200);
    BITMAPINFO bi = {{sizeof(BITMAPINFOHEADER), 16, -16, 1, 32, BI_RGB, 0, 0, 0, 0, 0}, {{0, 0, 0, 0}}};
    StretchDIBits(dc, 570, 500, 96, 96, 0, 0, 16, 16, pixels, &bi, DIB_RGB_COLORS, SRCCOPY);
    DeleteObject(a);
    DeleteObject(b);
    DeleteObject(x);
    DeleteObject(orange);
}

/* Where the GDI engine runs: Daytona's gdi32 says (GdiDaytonaHost); any
 * other gdi32 does not have the export. */
static const char *gdi_host(void) {
    typedef LPCSTR(WINAPI * HOST_NAME)(void);
    HOST_NAME host =
        (HOST_NAME)(void (*)(void))GetProcAddress(GetModuleHandleA("gdi32.dll"), "GdiDaytonaHost");
    return host ? host() : "GDI";
}

int main(void) {
    HDC dc = GetDC(NULL);
    if (!dc) {
        printf("gdidemo: no screen DC (error %lu)\n", GetLastError());
        return 1;
    }
    RECT all = {0, 0, GetDeviceCaps(dc, HORZRES), GetDeviceCaps(dc, VERTRES)};
    HBRUSH back = CreateSolidBrush(TEAL);
    FillRect(dc, &all, back);
    DeleteObject(back);
    SetBkMode(dc, TRANSPARENT);
    HGDIOBJ old = SelectObject(dc, GetStockObject(SYSTEM_FONT));
    char caption[160];
    snprintf(caption, sizeof caption, "Daytona: %s - drawn by gdidemo.exe on GetDC(NULL)", gdi_host());
    printf("gdidemo: drawing through %s\n", gdi_host());
    title(dc, 20, 15, caption);
    SelectObject(dc, old);
    shapes(dc);
    fonts(dc);
    regions_and_blits(dc);
    ShowCursor(TRUE);
    SetCursorPos(700, 600);
    GdiFlush();
    printf("gdidemo: drew the demo on the %ldx%ld screen\n", all.right, all.bottom);
    ReleaseDC(NULL, dc);
    return 0;
}
