/*
 * user32.c - the first user32.dll: the screen's DC and USER's drawing
 * helpers, until the window manager arrives.
 *
 * Why: in Win32 GetDC, ReleaseDC, FillRect, FrameRect, InvertRect and
 * DrawText are USER's, not GDI's, so a program imports them from
 * user32.dll. There are no windows yet: GetDC(NULL) and GetWindowDC(NULL)
 * give a DC for the whole screen, and any other window handle is refused
 * (ERROR_INVALID_WINDOW_HANDLE). Each call goes to the engine through
 * gdi32's transport (GdiDaytonaCall / GdiDaytonaBatch), in the same batch
 * as the thread's GDI calls, so their order is kept.
 */
#define _USER32_
#include <windows.h>

#define GDI_NO_NT_TYPES
#include "../../subsys/gdi/gdi.h"

DWORD WINAPI GdiDaytonaCall(DWORD Call, CONST DWORD *Args, DWORD Count, CONST VOID *Data, DWORD DataBytes,
                            PVOID Out, DWORD OutBytes);
WINBOOL WINAPI GdiDaytonaBatch(DWORD Call, CONST DWORD *Args, DWORD Count, CONST VOID *Data, DWORD DataBytes);

#define ARGS(...) ((const DWORD[]){__VA_ARGS__}), (DWORD)(sizeof((const DWORD[]){__VA_ARGS__}) / 4)
#define H(x) ((DWORD)(ULONG_PTR)(x))
#define MAX_CHARS 4096

HDC WINAPI GetDC(HWND hwnd) {
    if (hwnd) {
        SetLastError(ERROR_INVALID_WINDOW_HANDLE); /* no windows yet */
        return NULL;
    }
    return (HDC)(ULONG_PTR)GdiDaytonaCall(GdiCallGetDC, ARGS(0), NULL, 0, NULL, 0);
}

HDC WINAPI GetWindowDC(HWND hwnd) {
    return GetDC(hwnd);
}

int WINAPI ReleaseDC(HWND hwnd, HDC hdc) {
    return hwnd ? 0 : (int)GdiDaytonaCall(GdiCallReleaseDC, ARGS(0, H(hdc)), NULL, 0, NULL, 0);
}

int WINAPI FillRect(HDC hdc, CONST RECT *r, HBRUSH br) {
    if (!r)
        return 0;
    /* A system colour index + 1 stands for that colour's brush (COLOR_WINDOW + 1 ...). */
    if ((ULONG_PTR)br <= 31) {
        static const COLORREF system[] = {0xC0C0C0, 0x808000, 0x800000, 0x808080, 0xC0C0C0, 0xFFFFFF,
                                          0x000000, 0x000000, 0x000000, 0xFFFFFF, 0xC0C0C0, 0xC0C0C0,
                                          0x808080, 0x800000, 0xFFFFFF, 0xC0C0C0, 0x808080, 0x808080,
                                          0x000000, 0xC0C0C0, 0xFFFFFF};
        ULONG_PTR index = (ULONG_PTR)br - 1;
        if ((ULONG_PTR)br == 0 || index >= sizeof system / sizeof system[0])
            return 0;
        HBRUSH solid = CreateSolidBrush(system[index]);
        int ok = FillRect(hdc, r, solid);
        DeleteObject(solid);
        return ok;
    }
    return GdiDaytonaBatch(
        GdiCallFillRect,
        ARGS(H(hdc), (DWORD)r->left, (DWORD)r->top, (DWORD)r->right, (DWORD)r->bottom, H(br)), NULL, 0);
}

int WINAPI FrameRect(HDC hdc, CONST RECT *r, HBRUSH br) {
    if (!r)
        return 0;
    return GdiDaytonaBatch(
        GdiCallFrameRect,
        ARGS(H(hdc), (DWORD)r->left, (DWORD)r->top, (DWORD)r->right, (DWORD)r->bottom, H(br)), NULL, 0);
}

WINBOOL WINAPI InvertRect(HDC hdc, CONST RECT *r) {
    if (!r)
        return FALSE;
    return GdiDaytonaBatch(GdiCallInvertRect,
                           ARGS(H(hdc), (DWORD)r->left, (DWORD)r->top, (DWORD)r->right, (DWORD)r->bottom),
                           NULL, 0);
}

int WINAPI DrawTextW(HDC hdc, LPCWSTR text, int count, LPRECT r, UINT format) {
    if (!r || (!text && count)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (count < 0)
        for (count = 0; text[count] && count <= MAX_CHARS; count++)
            ;
    if (count > MAX_CHARS) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    RECT out = *r;
    int h = (int)GdiDaytonaCall(
        GdiCallDrawText,
        ARGS(H(hdc), (DWORD)r->left, (DWORD)r->top, (DWORD)r->right, (DWORD)r->bottom, format, (DWORD)count),
        text, 2 * (DWORD)count, &out, sizeof out);
    if (format & DT_CALCRECT)
        *r = out;
    return h;
}

int WINAPI DrawTextA(HDC hdc, LPCSTR text, int count, LPRECT r, UINT format) {
    static WCHAR w[MAX_CHARS];
    if (!text && count)
        return 0;
    if (count < 0)
        for (count = 0; text[count] && count <= MAX_CHARS; count++)
            ;
    if (count > MAX_CHARS)
        return 0;
    for (int i = 0; i < count; i++)
        w[i] = (BYTE)text[i];
    return DrawTextW(hdc, w, count, r, format);
}

WINBOOL WINAPI SetCursorPos(int x, int y) {
    return GdiDaytonaCall(GdiCallSetCursorPos, ARGS((DWORD)x, (DWORD)y), NULL, 0, NULL, 0);
}

int WINAPI ShowCursor(WINBOOL show) {
    return (int)GdiDaytonaCall(GdiCallShowCursor, ARGS((DWORD)show), NULL, 0, NULL, 0);
}

int WINAPI GetSystemMetrics(int index) {
    HDC dc;
    int v = 0;
    switch (index) {
    case SM_CXSCREEN:
    case SM_CYSCREEN:
        dc = GetDC(NULL);
        v = GetDeviceCaps(dc, index == SM_CXSCREEN ? HORZRES : VERTRES);
        ReleaseDC(NULL, dc);
        return v;
    case SM_CXCURSOR:
    case SM_CYCURSOR: return 32;
    default: return 0;
    }
}

BOOL WINAPI UserDllInitialize(HINSTANCE Instance, DWORD Reason, LPVOID Reserved) {
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}
