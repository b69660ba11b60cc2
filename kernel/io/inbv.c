/*
 * inbv.c - the boot screen (NT's Inbv layer on top of bootvid).
 *
 * Why: NT 3.51 greeted you with a blue screen naming the version, the build,
 * the processors and the memory, then printed a dot for each step of
 * initialisation. The same screen here tells a reader at a glance what the
 * kernel found and how far it got; every line also goes to the serial log.
 */
#define KD_COMPONENT "inbv"
#include "../include/io.h"
#include "../include/kd.h"
#include "../include/ke.h"
#include "../include/rtl.h"

#define BOOT_LINE 256

static ULONG InbvProgressSteps;

static BOOLEAN InbvDisplayLost;

VOID InbvNotifyDisplayOwnershipLost(VOID) {
    if (!InbvDisplayLost)
        KdPrint("the display now belongs to user mode (the boot screen stops drawing)");
    InbvDisplayLost = TRUE;
}

BOOLEAN InbvCheckDisplayOwnership(VOID) { return !InbvDisplayLost; }

VOID InbvDisplayString(PCSTR Text) {
    VidDisplayString(Text);
}

VOID InbvShowBootScreen(const LOADER_PARAMETER_BLOCK *LoaderBlock) {
    char line[BOOT_LINE];
    ULONG mb = (ULONG)(KiUsableMemoryBytes(LoaderBlock) >> 20);
    VidResetDisplay(VID_NT_BLUE);
    VidSetTextColor(VID_WHITE);
    RtlFormatString(line, sizeof line, "Daytona (R) NT Kernel Version %s (Build %u)\n", KeVersionString,
                    NtBuildNumber);
    VidDisplayString(line);
    KdPrint("%s", line);
    RtlFormatString(line, sizeof line, "1 System Processor [%u MB Memory]  Uniprocessor Kernel\n", mb);
    VidDisplayString(line);
    KdPrint("%s", line);
    if (LoaderBlock->Framebuffer.Present) {
        RtlFormatString(line, sizeof line, "Display %ux%ux%u, loaded by %s\n", LoaderBlock->Framebuffer.Width,
                        LoaderBlock->Framebuffer.Height, LoaderBlock->Framebuffer.Bpp,
                        LoaderBlock->LoaderName[0] ? LoaderBlock->LoaderName : "a multiboot2 loader");
        VidDisplayString(line);
    }
    VidDisplayString("\n");
}

VOID InbvProgress(PCSTR Phase) {
    InbvProgressSteps++;
    VidDisplayString(".");
    KdPrint("progress %u: %s", InbvProgressSteps, Phase);
}
