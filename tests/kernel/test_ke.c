/*
 * test_ke.c - in-kernel checks of the processor tables, the clock and the
 * loader block.
 */
#include "../../kernel/include/io.h"
#include "../../kernel/include/ke.h"
#include "../../kernel/include/ktest.h"
#include "../../kernel/include/rtl.h"
#include "../../kernel/include/x86.h"

KTEST(gdt_tss_and_kpcr_are_loaded) {
    USHORT tr, fs;
    KDESCRIPTOR idtr;
    __asm__ volatile("str %0" : "=r"(tr));
    __asm__ volatile("mov %%fs, %0" : "=r"(fs));
    __asm__ volatile("sidt %0" : "=m"(idtr));
    KT_CHECK_EQ(tr, KGDT_TSS);
    KT_CHECK_EQ(fs, KGDT_R0_PCR);
    KT_CHECK_EQ(idtr.Limit, 256 * 8 - 1);
    ULONG self;
    __asm__ volatile("mov %%fs:0x1C, %0" : "=r"(self));
    KT_CHECK_EQ(self, (ULONG)&KiPcr); /* fs:[0x1C] is KPCR.SelfPcr, as on NT */
    KT_CHECK(KiPcr.IDT != NULL && KiPcr.GDT != NULL);
}

KTEST(clock_interrupts_advance_the_tick_count) {
    ULONGLONG before = KeQueryTickCount();
    ULONGLONG interrupts = KiPcr.InterruptCount;
    KeDelayTicks(5);
    KT_CHECK(KeQueryTickCount() >= before + 5);
    KT_CHECK(KiPcr.InterruptCount >= interrupts + 5);
    KT_CHECK(KiReadEflags() & EFLAGS_IF);
}

KTEST(bugcheck_names_match_nt) {
    KT_CHECK(strcmp(KeBugCheckName(0x50), "PAGE_FAULT_IN_NONPAGED_AREA") == 0);
    KT_CHECK(strcmp(KeBugCheckName(0x7F), "UNEXPECTED_KERNEL_MODE_TRAP") == 0);
    KT_CHECK(strcmp(KeBugCheckName(0xC000021A), "STATUS_SYSTEM_PROCESS_TERMINATED") == 0);
    KT_CHECK(strcmp(KeBugCheckName(0x12345), "UNKNOWN_BUGCHECK_CODE") == 0);
}

KTEST(loader_block_describes_this_machine) {
    PLOADER_PARAMETER_BLOCK lb = KeGetLoaderBlock();
    KT_CHECK(lb->MemoryDescriptorCount > 0);
    KT_CHECK(KiUsableMemoryBytes(lb) >= 32u << 20);
    KT_CHECK(KiCommandLineHasWord(lb->CommandLine, "test"));
    KT_CHECK_EQ(lb->ModuleCount, 1);
    KT_CHECK(strcmp(lb->Modules[0].Name, "SystemRoot") == 0);
    KT_CHECK(lb->Framebuffer.Present);
    KT_CHECK_EQ(lb->Framebuffer.Width, 1024);
    KT_CHECK_EQ(lb->Framebuffer.Height, 768);
    KT_CHECK_EQ(lb->Framebuffer.Bpp, 32);
}

KTEST(boot_screen_is_drawn_in_nt_blue) {
    KT_CHECK(VidIsEnabled());
    /* The corner is background; the first text row holds white glyph pixels. */
    KT_CHECK_EQ(VidReadPixel(0, 0), VID_NT_BLUE);
    KT_CHECK_EQ(VidReadPixel(VidWidth() - 1, VidHeight() - 1), VID_NT_BLUE);
    ULONG white = 0;
    for (ULONG y = 16; y < 32; y++)
        for (ULONG x = 16; x < 16 + 8 * 40; x++)
            white += VidReadPixel(x, y) == VID_WHITE;
    KT_CHECK(white > 200);
}
