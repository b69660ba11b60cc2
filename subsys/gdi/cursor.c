/*
 * cursor.c - the software mouse cursor, drawn by the engine on the screen
 * with a save-under.
 *
 * Why: the display has no hardware cursor, so the engine draws the arrow
 * itself and keeps the pixels it covered. Anything that paints the screen
 * under it must take it off first and put it back after (NT's display
 * drivers call this "pointer exclusion"): GreCursorExclude restores the
 * saved pixels if the area to paint could meet the cursor, and
 * GreCursorRestore saves the (possibly new) pixels and draws the arrow
 * again. The cursor moves with SetCursorPos (the mouse driver will call the
 * same) and ShowCursor counts like Win32's.
 */
#include "gre.h"

#define CURSOR_W 12
#define CURSOR_H 19

/* The classic arrow: 'X' black outline, '.' white fill, ' ' transparent. */
static const char *const Arrow[CURSOR_H] = {
    "X           ", "XX          ", "X.X         ", "X..X        ", "X...X       ",
    "X....X      ", "X.....X     ", "X......X    ", "X.......X   ", "X........X  ",
    "X.........X ", "X......XXXXX", "X...X..X    ", "X..XX..X    ", "X.X  X..X   ",
    "XX   X..X   ", "X     X..X  ", "      X..X  ", "       XX   ",
};

static GDI_SURFACE *CursorScreen;
static GDI_POINT CursorPos;
static int32_t CursorShowCount = -1; /* < 0 hidden; the csrss host shows it */
static int CursorDrawn;
static int32_t CursorExclusions;
static GDI_PIXEL CursorSave[CURSOR_H][CURSOR_W];

void GreCursorAttach(GDI_SURFACE *Screen) {
    CursorScreen = Screen;
    CursorPos = (GDI_POINT){Screen ? Screen->Width / 2 : 0, Screen ? Screen->Height / 2 : 0};
}

static int inside(int32_t X, int32_t Y) {
    return X >= 0 && Y >= 0 && X < CursorScreen->Width && Y < CursorScreen->Height;
}

static void draw(void) {
    if (!CursorScreen || CursorDrawn || CursorShowCount < 0 || CursorExclusions)
        return;
    for (int y = 0; y < CURSOR_H; y++)
        for (int x = 0; x < CURSOR_W; x++) {
            int32_t sx = CursorPos.x + x, sy = CursorPos.y + y;
            if (!inside(sx, sy))
                continue;
            GDI_PIXEL *p = GdiPixelAddress(CursorScreen, sx, sy);
            CursorSave[y][x] = *p;
            if (Arrow[y][x] == 'X')
                *p = 0x000000;
            else if (Arrow[y][x] == '.')
                *p = 0xFFFFFF;
        }
    CursorDrawn = 1;
}

static void erase(void) {
    if (!CursorDrawn)
        return;
    for (int y = 0; y < CURSOR_H; y++)
        for (int x = 0; x < CURSOR_W; x++)
            if (inside(CursorPos.x + x, CursorPos.y + y))
                *GdiPixelAddress(CursorScreen, CursorPos.x + x, CursorPos.y + y) = CursorSave[y][x];
    CursorDrawn = 0;
}

void GreCursorExclude(const GDI_RECT *Rect) {
    CursorExclusions++;
    if (!CursorDrawn)
        return;
    if (Rect && (Rect->right <= CursorPos.x || Rect->left >= CursorPos.x + CURSOR_W ||
                 Rect->bottom <= CursorPos.y || Rect->top >= CursorPos.y + CURSOR_H))
        return; /* the paint cannot touch it: it stays */
    erase();
}

void GreCursorRestore(void) {
    if (CursorExclusions > 0)
        CursorExclusions--;
    draw();
}

int GreSetCursorPos(int32_t X, int32_t Y) {
    if (!CursorScreen)
        return 0;
    erase();
    CursorPos.x = X < 0 ? 0 : X >= CursorScreen->Width ? CursorScreen->Width - 1 : X;
    CursorPos.y = Y < 0 ? 0 : Y >= CursorScreen->Height ? CursorScreen->Height - 1 : Y;
    draw();
    return 1;
}

/* ShowCursor(TRUE/FALSE): returns the new display count (>= 0 shown). */
int32_t GreShowCursor(int Show) {
    CursorShowCount += Show ? 1 : -1;
    if (CursorShowCount < 0)
        erase();
    else
        draw();
    return CursorShowCount;
}
