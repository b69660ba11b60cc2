/*
 * bootvid.c - boot video: solid fills and text on the linear framebuffer.
 *
 * Why: NT's bootvid.dll draws the boot and STOP screens with nothing but a
 * frame buffer and a built-in font; so do we. The framebuffer's pixel format
 * comes from the loader (red/green/blue positions and sizes), so the same
 * code draws correctly at 32, 24, 16 and 15 bpp. The 8x16 font is converted
 * at build time from Debian's xfonts-base by tools/pcf2c.py.
 */
#define KD_COMPONENT "vid"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/rtl.h"

extern const UCHAR VidFontGlyphs[256][VID_FONT_HEIGHT];

#define TEXT_MARGIN 16

static struct {
    BOOLEAN Enabled;
    UCHAR *Base;
    ULONG Pitch, Width, Height, BytesPerPixel;
    UCHAR RedPos, RedSize, GreenPos, GreenSize, BluePos, BlueSize;
    ULONG Foreground, Background;
    ULONG Column, Row, Columns, Rows;
} Vid;

BOOLEAN VidInitialize(const FRAMEBUFFER_INFO *Info, PVOID Va) {
    Vid.Enabled = FALSE;
    if (!Info->Present || Info->Type != MB2_FRAMEBUFFER_RGB) {
        KdPrint("no RGB linear framebuffer (type %u): the boot screen stays on the serial log",
                Info->Present ? Info->Type : 0xFF);
        return FALSE;
    }
    if (Info->Bpp != 15 && Info->Bpp != 16 && Info->Bpp != 24 && Info->Bpp != 32) {
        KdPrint("framebuffer depth %u bpp is not drawable (15, 16, 24 or 32 are)", Info->Bpp);
        return FALSE;
    }
    if (Info->Width < 640 || Info->Height < 400) {
        KdPrint("framebuffer %ux%u is smaller than 640x400", Info->Width, Info->Height);
        return FALSE;
    }
    Vid.Base = Va;
    Vid.Pitch = Info->Pitch;
    Vid.Width = Info->Width;
    Vid.Height = Info->Height;
    Vid.BytesPerPixel = (Info->Bpp + 7) / 8;
    Vid.RedPos = Info->RedPosition;
    Vid.RedSize = Info->RedSize;
    Vid.GreenPos = Info->GreenPosition;
    Vid.GreenSize = Info->GreenSize;
    Vid.BluePos = Info->BluePosition;
    Vid.BlueSize = Info->BlueSize;
    Vid.Columns = (Vid.Width - 2 * TEXT_MARGIN) / VID_FONT_WIDTH;
    Vid.Rows = (Vid.Height - 2 * TEXT_MARGIN) / VID_FONT_HEIGHT;
    Vid.Foreground = VID_WHITE;
    Vid.Background = VID_NT_BLUE;
    Vid.Enabled = TRUE;
    KdPrint("framebuffer %ux%ux%u, pitch %u, RGB at %u/%u/%u: %ux%u text cells", Vid.Width, Vid.Height,
            Info->Bpp, Vid.Pitch, Vid.RedPos, Vid.GreenPos, Vid.BluePos, Vid.Columns, Vid.Rows);
    return TRUE;
}

BOOLEAN VidIsEnabled(VOID) {
    return Vid.Enabled;
}
ULONG VidWidth(VOID) {
    return Vid.Enabled ? Vid.Width : 0;
}
ULONG VidHeight(VOID) {
    return Vid.Enabled ? Vid.Height : 0;
}

/* 8-bit channel c scaled into a field of Size bits at Pos. */
static ULONG channel(ULONG c, UCHAR Pos, UCHAR Size) {
    return Size ? ((c >> (8 - Size)) << Pos) : 0;
}

static ULONG pack(ULONG Rgb) {
    return channel((Rgb >> 16) & 0xFF, Vid.RedPos, Vid.RedSize) |
           channel((Rgb >> 8) & 0xFF, Vid.GreenPos, Vid.GreenSize) |
           channel(Rgb & 0xFF, Vid.BluePos, Vid.BlueSize);
}

static ULONG unpack_channel(ULONG Pixel, UCHAR Pos, UCHAR Size) {
    if (!Size)
        return 0;
    ULONG v = (Pixel >> Pos) & ((1u << Size) - 1);
    return (v << (8 - Size)) | (v >> (2 * Size > 8 ? 2 * Size - 8 : 0));
}

static inline void put_pixel(UCHAR *p, ULONG Pixel) {
    switch (Vid.BytesPerPixel) {
    case 4: *(volatile ULONG *)p = Pixel; break;
    case 3:
        p[0] = Pixel & 0xFF;
        p[1] = (Pixel >> 8) & 0xFF;
        p[2] = (Pixel >> 16) & 0xFF;
        break;
    default: *(volatile USHORT *)p = (USHORT)Pixel; break;
    }
}

ULONG VidReadPixel(ULONG X, ULONG Y) {
    if (!Vid.Enabled || X >= Vid.Width || Y >= Vid.Height)
        return 0;
    UCHAR *p = Vid.Base + Y * Vid.Pitch + X * Vid.BytesPerPixel;
    ULONG px = Vid.BytesPerPixel == 4   ? *(volatile ULONG *)p
               : Vid.BytesPerPixel == 3 ? (ULONG)p[0] | ((ULONG)p[1] << 8) | ((ULONG)p[2] << 16)
                                        : *(volatile USHORT *)p;
    return (unpack_channel(px, Vid.RedPos, Vid.RedSize) << 16) |
           (unpack_channel(px, Vid.GreenPos, Vid.GreenSize) << 8) |
           unpack_channel(px, Vid.BluePos, Vid.BlueSize);
}

/* Fills [Left, Right] x [Top, Bottom], inclusive as NT's VidSolidColorFill. */
VOID VidSolidColorFill(ULONG Left, ULONG Top, ULONG Right, ULONG Bottom, ULONG Color) {
    if (!Vid.Enabled || Left > Right || Top > Bottom || Left >= Vid.Width || Top >= Vid.Height)
        return;
    if (Right >= Vid.Width)
        Right = Vid.Width - 1;
    if (Bottom >= Vid.Height)
        Bottom = Vid.Height - 1;
    ULONG px = pack(Color);
    for (ULONG y = Top; y <= Bottom; y++) {
        UCHAR *row = Vid.Base + y * Vid.Pitch + Left * Vid.BytesPerPixel;
        for (ULONG x = Left; x <= Right; x++, row += Vid.BytesPerPixel)
            put_pixel(row, px);
    }
}

VOID VidResetDisplay(ULONG Background) {
    Vid.Background = Background;
    VidSolidColorFill(0, 0, Vid.Width - 1, Vid.Height - 1, Background);
    Vid.Column = Vid.Row = 0;
}

VOID VidSetTextColor(ULONG Foreground) {
    Vid.Foreground = Foreground;
}

VOID VidSetCursor(ULONG Column, ULONG Row) {
    Vid.Column = Column < Vid.Columns ? Column : 0;
    Vid.Row = Row < Vid.Rows ? Row : Vid.Rows - 1;
}

static void draw_glyph(ULONG X, ULONG Y, UCHAR Ch, ULONG Fg, ULONG Bg) {
    ULONG fg = pack(Fg), bg = pack(Bg);
    for (ULONG r = 0; r < VID_FONT_HEIGHT && Y + r < Vid.Height; r++) {
        UCHAR bits = VidFontGlyphs[Ch][r];
        UCHAR *row = Vid.Base + (Y + r) * Vid.Pitch + X * Vid.BytesPerPixel;
        for (ULONG c = 0; c < VID_FONT_WIDTH && X + c < Vid.Width; c++, row += Vid.BytesPerPixel)
            put_pixel(row, (bits & (0x80 >> c)) ? fg : bg);
    }
}

VOID VidDrawStringAt(ULONG X, ULONG Y, PCSTR Text, ULONG Foreground, ULONG Background) {
    if (!Vid.Enabled)
        return;
    for (; *Text && X + VID_FONT_WIDTH <= Vid.Width; Text++, X += VID_FONT_WIDTH)
        draw_glyph(X, Y, (UCHAR)*Text, Foreground, Background);
}

/* Moves the text area up one line and clears the last. */
static void scroll(void) {
    ULONG top = TEXT_MARGIN, line = VID_FONT_HEIGHT * Vid.Pitch;
    ULONG rows = Vid.Rows * VID_FONT_HEIGHT;
    memmove(Vid.Base + top * Vid.Pitch, Vid.Base + top * Vid.Pitch + line,
            (rows - VID_FONT_HEIGHT) * Vid.Pitch);
    VidSolidColorFill(0, top + rows - VID_FONT_HEIGHT, Vid.Width - 1, top + rows - 1, Vid.Background);
    Vid.Row = Vid.Rows - 1;
}

static void newline(void) {
    Vid.Column = 0;
    if (++Vid.Row >= Vid.Rows)
        scroll();
}

VOID VidDisplayString(PCSTR Text) {
    if (!Vid.Enabled)
        return;
    for (; *Text; Text++) {
        if (*Text == '\n') {
            newline();
            continue;
        }
        if (*Text == '\r') {
            Vid.Column = 0;
            continue;
        }
        if (Vid.Column >= Vid.Columns)
            newline();
        draw_glyph(TEXT_MARGIN + Vid.Column * VID_FONT_WIDTH, TEXT_MARGIN + Vid.Row * VID_FONT_HEIGHT,
                   (UCHAR)*Text, Vid.Foreground, Vid.Background);
        Vid.Column++;
    }
}
