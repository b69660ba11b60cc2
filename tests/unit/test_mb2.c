/*
 * test_mb2.c - KiParseMultiboot2 accepts what GRUB hands over and refuses,
 * with a reason, every malformed structure, without reading past it.
 *
 * Why: the multiboot2 information is the first input the kernel did not build
 * itself. Each test builds the structure byte by byte (8-byte aligned tags, as
 * in the multiboot2 specification), copies it into a malloc'd buffer of
 * exactly the advertised size, and parses it: ASan turns any read past the
 * buffer into a failure, so "must not read outside" is checked, not hoped.
 */
#include <stdlib.h>
#include <string.h>

#include "../../kernel/include/arc.h"
#include "unit.h"

/* ---- building multiboot2 information ---- */

typedef struct _MB2_BUILDER {
    _Alignas(8) UCHAR Data[16384];
    ULONG Length;
} MB2_BUILDER;

static void put32(UCHAR *p, ULONG v) {
    memcpy(p, &v, 4);
}
static void put64(UCHAR *p, ULONGLONG v) {
    memcpy(p, &v, 8);
}

static void mb2_begin(MB2_BUILDER *b) {
    memset(b->Data, 0, sizeof b->Data);
    b->Length = 8; /* total_size, reserved */
}

/* Appends a tag whose size field says Size (normally 8 + Length) and whose
 * payload is Payload; pads to the next 8-byte boundary. Returns its offset. */
static ULONG mb2_tag_sized(MB2_BUILDER *b, ULONG Type, ULONG Size, const void *Payload, ULONG Length) {
    ULONG at = b->Length;
    put32(b->Data + at, Type);
    put32(b->Data + at + 4, Size);
    if (Length)
        memcpy(b->Data + at + 8, Payload, Length);
    b->Length = ALIGN_UP(at + 8 + Length, 8u);
    return at;
}

static ULONG mb2_tag(MB2_BUILDER *b, ULONG Type, const void *Payload, ULONG Length) {
    return mb2_tag_sized(b, Type, 8 + Length, Payload, Length);
}

static void mb2_string(MB2_BUILDER *b, ULONG Type, const char *Text) {
    mb2_tag(b, Type, Text, (ULONG)strlen(Text) + 1);
}

static void mb2_module(MB2_BUILDER *b, ULONG Start, ULONG End, const char *Name) {
    UCHAR p[128];
    put32(p, Start);
    put32(p + 4, End);
    memcpy(p + 8, Name, strlen(Name) + 1);
    mb2_tag(b, MB2_TAG_MODULE, p, 8 + (ULONG)strlen(Name) + 1);
}

static void mb2_meminfo(MB2_BUILDER *b, ULONG LowerKb, ULONG UpperKb) {
    UCHAR p[8];
    put32(p, LowerKb);
    put32(p + 4, UpperKb);
    mb2_tag(b, MB2_TAG_BASIC_MEMINFO, p, 8);
}

typedef struct _MMAP_ENTRY {
    ULONGLONG Base, Length;
    ULONG Type;
} MMAP_ENTRY;

/* A memory map tag with entries laid out EntrySize bytes apart. */
static void mb2_mmap(MB2_BUILDER *b, ULONG EntrySize, ULONG Version, const MMAP_ENTRY *Entries, ULONG Count) {
    static UCHAR p[8192];
    memset(p, 0, sizeof p);
    put32(p, EntrySize);
    put32(p + 4, Version);
    for (ULONG i = 0; i < Count; i++) {
        UCHAR *e = p + 8 + i * EntrySize;
        put64(e, Entries[i].Base);
        put64(e + 8, Entries[i].Length);
        if (EntrySize >= 20)
            put32(e + 16, Entries[i].Type);
    }
    mb2_tag(b, MB2_TAG_MMAP, p, 8 + Count * EntrySize);
}

static const MMAP_ENTRY StandardMap[] = {
    {0x00000000, 0x0009FC00, MB2_MEMORY_AVAILABLE},        {0x0009FC00, 0x00000400, MB2_MEMORY_RESERVED},
    {0x000F0000, 0x00010000, MB2_MEMORY_RESERVED},         {0x00100000, 0x07EE0000, MB2_MEMORY_AVAILABLE},
    {0x07FE0000, 0x00020000, MB2_MEMORY_ACPI_RECLAIMABLE}, {0xFFFC0000, 0x00040000, MB2_MEMORY_RESERVED},
};
#define STANDARD_USABLE (0x0009FC00ull + 0x07EE0000ull)

typedef struct _FB_SPEC {
    ULONGLONG Address;
    ULONG Pitch, Width, Height;
    UCHAR Bpp, Type;
    UCHAR Colour[6]; /* red pos/size, green pos/size, blue pos/size */
} FB_SPEC;

static const FB_SPEC StandardFb = {0xFD000000ull,      4096, 1024, 768, 32, MB2_FRAMEBUFFER_RGB,
                                   {16, 8, 8, 8, 0, 8}};

/* A framebuffer tag; Size 0 means the natural size (38 for RGB, 32 otherwise). */
static void mb2_framebuffer(MB2_BUILDER *b, const FB_SPEC *Fb, ULONG Size) {
    UCHAR p[64] = {0};
    put64(p, Fb->Address);
    put32(p + 8, Fb->Pitch);
    put32(p + 12, Fb->Width);
    put32(p + 16, Fb->Height);
    p[20] = Fb->Bpp;
    p[21] = Fb->Type;
    memcpy(p + 24, Fb->Colour, 6);
    ULONG natural = Fb->Type == MB2_FRAMEBUFFER_RGB ? 38 : 32;
    if (Size == 0)
        Size = natural;
    mb2_tag_sized(b, MB2_TAG_FRAMEBUFFER, Size, p, Size - 8);
}

/* Closes the structure with an end tag and writes total_size. */
static void mb2_finish(MB2_BUILDER *b) {
    mb2_tag(b, MB2_TAG_END, NULL, 0);
    put32(b->Data, b->Length);
}

/* Writes total_size without adding an end tag. */
static void mb2_finish_without_end(MB2_BUILDER *b) {
    put32(b->Data, b->Length);
}

/* The loader's view: cmdline, loader name, module, meminfo, map, framebuffer. */
static void mb2_standard_tags(MB2_BUILDER *b) {
    mb2_string(b, MB2_TAG_CMDLINE, "test crash");
    mb2_string(b, MB2_TAG_LOADER_NAME, "GRUB 2.06");
    mb2_module(b, 0x00200000, 0x00234800, "SystemRoot");
    mb2_meminfo(b, 639, 130048);
    mb2_mmap(b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_framebuffer(b, &StandardFb, 0);
}

/* Parses a copy of the first Available bytes in a buffer of exactly that
 * size, so ASan traps any read past it. */
static NTSTATUS parse(const MB2_BUILDER *b, SIZE_T Available, LOADER_PARAMETER_BLOCK *Block, PCSTR *Reason) {
    UCHAR *copy = malloc(Available ? Available : 1);
    memcpy(copy, b->Data, Available < sizeof b->Data ? Available : sizeof b->Data);
    NTSTATUS status = KiParseMultiboot2(copy, Available, Block, Reason);
    free(copy);
    return status;
}

/* Checks the structure (all of Available) is refused with a reason. */
#define CHECK_REFUSED(b, available)                                                                          \
    do {                                                                                                     \
        LOADER_PARAMETER_BLOCK lb_;                                                                          \
        PCSTR reason_ = NULL;                                                                                \
        CHECK_STATUS(parse((b), (available), &lb_, &reason_), STATUS_INVALID_PARAMETER);                     \
        CHECK(reason_ != NULL && reason_[0] != '\0');                                                        \
    } while (0)

/* ---- accepted structures ---- */

TEST(valid_information_fills_every_field_of_the_loader_block) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    UCHAR acpi[20] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    mb2_tag(&b, MB2_TAG_ACPI_NEW, acpi, sizeof acpi);
    mb2_finish(&b);

    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason = NULL;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK(strcmp(lb.CommandLine, "test crash") == 0);
    CHECK(strcmp(lb.LoaderName, "GRUB 2.06") == 0);

    CHECK_EQ(lb.ModuleCount, 1);
    CHECK_EQ(lb.Modules[0].Start, 0x00200000);
    CHECK_EQ(lb.Modules[0].End, 0x00234800);
    CHECK(strcmp(lb.Modules[0].Name, "SystemRoot") == 0);

    CHECK(lb.HasBasicMemInfo);
    CHECK_EQ(lb.MemLowerKb, 639);
    CHECK_EQ(lb.MemUpperKb, 130048);
    CHECK(lb.HasAcpiRsdp);
    CHECK_EQ(lb.DroppedEntries, 0);

    CHECK_EQ(lb.MemoryDescriptorCount, ARRAYSIZE(StandardMap));
    for (ULONG i = 0; i < ARRAYSIZE(StandardMap) && i < lb.MemoryDescriptorCount; i++) {
        CHECK_EQ(lb.MemoryDescriptors[i].BasePage, StandardMap[i].Base);
        CHECK_EQ(lb.MemoryDescriptors[i].Length, StandardMap[i].Length);
        CHECK_EQ(lb.MemoryDescriptors[i].Type, StandardMap[i].Type);
    }
    CHECK_EQ(KiUsableMemoryBytes(&lb), STANDARD_USABLE);

    const FRAMEBUFFER_INFO *fb = &lb.Framebuffer;
    CHECK(fb->Present);
    CHECK_EQ(fb->Type, MB2_FRAMEBUFFER_RGB);
    CHECK_EQ(fb->PhysicalAddress, 0xFD000000ull);
    CHECK_EQ(fb->Pitch, 4096);
    CHECK_EQ(fb->Width, 1024);
    CHECK_EQ(fb->Height, 768);
    CHECK_EQ(fb->Bpp, 32);
    CHECK_EQ(fb->RedPosition, 16);
    CHECK_EQ(fb->RedSize, 8);
    CHECK_EQ(fb->GreenPosition, 8);
    CHECK_EQ(fb->GreenSize, 8);
    CHECK_EQ(fb->BluePosition, 0);
    CHECK_EQ(fb->BlueSize, 8);
}

TEST(command_line_words_match_whole_words_only) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK(KiCommandLineHasWord(lb.CommandLine, "test"));
    CHECK(KiCommandLineHasWord(lb.CommandLine, "crash"));
    CHECK(!KiCommandLineHasWord(lb.CommandLine, "tes"));
    CHECK(!KiCommandLineHasWord(lb.CommandLine, "crash=stack"));
    CHECK(!KiCommandLineHasWord(lb.CommandLine, "test crash"));
    CHECK(!KiCommandLineHasWord(lb.CommandLine, ""));
    CHECK(KiCommandLineHasWord("  crash=stack   test  ", "test"));
    CHECK(KiCommandLineHasWord("  crash=stack   test  ", "crash=stack"));
    CHECK(!KiCommandLineHasWord("  crash=stack   test  ", "crash"));
    CHECK(!KiCommandLineHasWord("", "test"));
}

TEST(usable_memory_counts_only_available_ranges) {
    LOADER_PARAMETER_BLOCK lb;
    memset(&lb, 0, sizeof lb);
    CHECK_EQ(KiUsableMemoryBytes(&lb), 0);
    lb.MemoryDescriptorCount = 3;
    lb.MemoryDescriptors[0] = (MEMORY_DESCRIPTOR){0x100000, 0x100000, MB2_MEMORY_AVAILABLE};
    lb.MemoryDescriptors[1] = (MEMORY_DESCRIPTOR){0x200000, 0x300000, MB2_MEMORY_BADRAM};
    lb.MemoryDescriptors[2] = (MEMORY_DESCRIPTOR){0x100000000ull, 0x200000000ull, MB2_MEMORY_AVAILABLE};
    CHECK_EQ(KiUsableMemoryBytes(&lb), 0x100000ull + 0x200000000ull);
}

TEST(memory_map_beyond_the_table_is_counted_as_dropped) {
    static MB2_BUILDER b;
    MMAP_ENTRY many[LOADER_MAX_MEMORY_DESCRIPTORS + 6];
    for (ULONG i = 0; i < ARRAYSIZE(many); i++)
        many[i] = (MMAP_ENTRY){0x100000ull * i, 0x1000, MB2_MEMORY_AVAILABLE};
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, many, ARRAYSIZE(many));
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK_EQ(lb.MemoryDescriptorCount, LOADER_MAX_MEMORY_DESCRIPTORS);
    CHECK_EQ(lb.DroppedEntries, 6);
    CHECK(lb.DroppedEntries > 0);
    CHECK_EQ(lb.MemoryDescriptors[LOADER_MAX_MEMORY_DESCRIPTORS - 1].BasePage,
             0x100000ull * (LOADER_MAX_MEMORY_DESCRIPTORS - 1));
}

TEST(larger_memory_map_entries_are_stepped_over_by_entry_size) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 32, 0, StandardMap, ARRAYSIZE(StandardMap)); /* a future, longer entry */
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK_EQ(lb.MemoryDescriptorCount, ARRAYSIZE(StandardMap));
    CHECK_EQ(lb.MemoryDescriptors[3].BasePage, 0x00100000);
    CHECK_EQ(KiUsableMemoryBytes(&lb), STANDARD_USABLE);
}

TEST(unknown_tags_are_skipped) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    UCHAR junk[13] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}; /* odd size: padding follows */
    mb2_tag(&b, 0x1234, junk, sizeof junk);
    mb2_tag(&b, MB2_TAG_BOOTDEV, junk, 12);
    mb2_tag(&b, 21, NULL, 0); /* load base address, payload-less here */
    mb2_standard_tags(&b);
    mb2_tag(&b, 0xFFFFFFFFu, junk, 5);
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK(strcmp(lb.CommandLine, "test crash") == 0);
    CHECK_EQ(lb.ModuleCount, 1);
    CHECK_EQ(lb.MemoryDescriptorCount, ARRAYSIZE(StandardMap));
    CHECK(lb.Framebuffer.Present);
}

TEST(tags_after_the_end_tag_are_not_read) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_tag(&b, MB2_TAG_END, NULL, 0);
    mb2_string(&b, MB2_TAG_CMDLINE, "after the end");
    put32(b.Data, b.Length);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK_EQ(lb.CommandLine[0], 0);
}

TEST(available_larger_than_total_size_is_accepted) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length + 4096, &lb, &reason), STATUS_SUCCESS);
    CHECK(strcmp(lb.Modules[0].Name, "SystemRoot") == 0);
}

/* ---- refused structures: the fixed header ---- */

TEST(available_shorter_than_fixed_header_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish(&b);
    for (SIZE_T available = 0; available < 8; available++)
        CHECK_REFUSED(&b, available);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason = NULL;
    CHECK_STATUS(KiParseMultiboot2(NULL, 4096, &lb, &reason), STATUS_INVALID_PARAMETER);
    CHECK(reason != NULL && reason[0] != '\0');
}

TEST(total_size_larger_than_available_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length - 8); /* the end tag is cut off */
    CHECK_REFUSED(&b, b.Length - 1);
    put32(b.Data, b.Length + 8);
    CHECK_REFUSED(&b, b.Length);
    put32(b.Data, 0xFFFFFFF8u);
    CHECK_REFUSED(&b, b.Length);
}

TEST(total_size_below_sixteen_is_refused) {
    static MB2_BUILDER b;
    for (ULONG total = 0; total < 16; total++) {
        mb2_begin(&b);
        mb2_finish(&b);
        put32(b.Data, total);
        CHECK_REFUSED(&b, 16);
    }
}

TEST(misaligned_information_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish(&b);
    UCHAR *copy = malloc(b.Length + 4);
    memcpy(copy + 4, b.Data, b.Length);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason = NULL;
    CHECK_STATUS(KiParseMultiboot2(copy + 4, b.Length, &lb, &reason), STATUS_INVALID_PARAMETER);
    CHECK(reason != NULL && reason[0] != '\0');
    free(copy);
}

/* ---- refused structures: tag framing ---- */

TEST(tag_shorter_than_its_header_is_refused) {
    static MB2_BUILDER b;
    for (ULONG size = 0; size < 8; size++) {
        mb2_begin(&b);
        mb2_string(&b, MB2_TAG_CMDLINE, "test");
        mb2_tag_sized(&b, 0x77, size, NULL, 0);
        mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
        mb2_finish(&b);
        CHECK_REFUSED(&b, b.Length);
    }
}

TEST(tag_running_past_total_size_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    ULONG at = mb2_tag(&b, 0x77, "0123456789abcdef", 16);
    mb2_finish(&b);
    /* The unknown tag claims the end tag and one byte more. */
    put32(b.Data + at + 4, b.Length - at + 1);
    CHECK_REFUSED(&b, b.Length);
    put32(b.Data + at + 4, 0xFFFFFFF0u);
    CHECK_REFUSED(&b, b.Length);

    /* A known tag (the command line) that runs past, with no NUL before the end. */
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    at = mb2_tag(&b, MB2_TAG_CMDLINE, "abcdefgh", 8);
    mb2_finish_without_end(&b);
    put32(b.Data + at + 4, 8 + 8 + 8);
    CHECK_REFUSED(&b, b.Length);
}

TEST(missing_end_tag_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_standard_tags(&b);
    mb2_finish_without_end(&b);
    CHECK_REFUSED(&b, b.Length);
    /* total_size leaving 4 stray bytes where a tag header would not fit */
    mb2_begin(&b);
    mb2_standard_tags(&b);
    put32(b.Data, b.Length + 4);
    CHECK_REFUSED(&b, b.Length + 4);
}

TEST(end_tag_with_size_other_than_eight_is_refused) {
    static MB2_BUILDER b;
    static const ULONG sizes[] = {16, 9, 24};
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) {
        mb2_begin(&b);
        mb2_standard_tags(&b);
        mb2_tag_sized(&b, MB2_TAG_END, sizes[i], "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", sizes[i] - 8);
        mb2_finish_without_end(&b);
        CHECK_REFUSED(&b, b.Length);
    }
}

/* ---- refused structures: strings and modules ---- */

TEST(command_line_without_nul_inside_its_tag_is_refused) {
    static MB2_BUILDER b;
    /* 8 characters: the tag ends exactly where the next tag's zero type begins. */
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_CMDLINE, "testtest", 8);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    /* 4 characters followed by zero padding that lies outside the tag. */
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_CMDLINE, "test", 4);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    /* An empty payload. */
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_CMDLINE, NULL, 0);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(loader_name_without_nul_inside_its_tag_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_LOADER_NAME, "GRUB", 4);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(long_command_line_is_truncated_and_terminated) {
    static MB2_BUILDER b;
    char line[LOADER_MAX_STRING * 2];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    mb2_begin(&b);
    mb2_string(&b, MB2_TAG_CMDLINE, line);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK_EQ(strlen(lb.CommandLine), LOADER_MAX_STRING - 1);
}

TEST(module_name_without_nul_is_refused) {
    static MB2_BUILDER b;
    UCHAR p[8 + 8];
    put32(p, 0x200000);
    put32(p + 4, 0x201000);
    memcpy(p + 8, "SystemRo", 8);
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_MODULE, p, sizeof p);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    /* No name bytes at all (a 16-byte tag). */
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_MODULE, p, 8);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(module_ending_before_it_starts_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_module(&b, 0x300000, 0x2FFFFF, "SystemRoot");
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

/* ---- refused structures: the memory map ---- */

TEST(memory_map_entry_size_not_a_multiple_of_eight_or_below_24_is_refused) {
    static MB2_BUILDER b;
    static const ULONG sizes[] = {20, 28, 16, 0, 25};
    for (ULONG i = 0; i < ARRAYSIZE(sizes); i++) {
        mb2_begin(&b);
        mb2_mmap(&b, sizes[i], 0, StandardMap, 2);
        mb2_finish(&b);
        CHECK_REFUSED(&b, b.Length);
    }
}

TEST(memory_map_entry_version_one_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 1, StandardMap, ARRAYSIZE(StandardMap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(memory_map_not_a_whole_number_of_entries_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    ULONG at = b.Length;
    mb2_mmap(&b, 24, 0, StandardMap, 2);
    mb2_finish(&b);
    put32(b.Data + at + 4, 16 + 24 + 8); /* one entry and a third */
    CHECK_REFUSED(&b, b.Length);
    put32(b.Data + at + 4, 16 + 24 * 2 - 1);
    CHECK_REFUSED(&b, b.Length);
    put32(b.Data + at + 4, 12); /* shorter than entry_size and entry_version */
    CHECK_REFUSED(&b, b.Length);
}

TEST(memory_map_entry_wrapping_past_2_pow_64_is_refused) {
    static MB2_BUILDER b;
    MMAP_ENTRY wrap[] = {
        {0x100000, 0x100000, MB2_MEMORY_AVAILABLE},
        {0xFFFFFFFFFFFFF000ull, 0x2000, MB2_MEMORY_AVAILABLE},
    };
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, wrap, ARRAYSIZE(wrap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    wrap[1].Base = 0x8000000000000000ull;
    wrap[1].Length = 0x8000000000001000ull;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, wrap, ARRAYSIZE(wrap));
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(no_memory_map_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_string(&b, MB2_TAG_CMDLINE, "test crash");
    mb2_module(&b, 0x00200000, 0x00234800, "SystemRoot");
    mb2_meminfo(&b, 639, 130048);
    mb2_framebuffer(&b, &StandardFb, 0);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    /* A memory map with no entries is no memory map either. */
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, NULL, 0);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

/* ---- refused structures: the framebuffer ---- */

TEST(framebuffer_tag_too_short_is_refused) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_framebuffer(&b, &StandardFb, 24);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
    /* RGB type with the common part but no colour fields. */
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_framebuffer(&b, &StandardFb, 32);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

static void check_framebuffer_refused(const FB_SPEC *Fb) {
    static MB2_BUILDER b;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_framebuffer(&b, Fb, 0);
    mb2_finish(&b);
    CHECK_REFUSED(&b, b.Length);
}

TEST(rgb_colour_field_beyond_the_pixel_is_refused) {
    FB_SPEC fb = StandardFb;
    fb.Colour[0] = 24; /* red at 24, 16 bits wide: past bit 32 */
    fb.Colour[1] = 16;
    check_framebuffer_refused(&fb);
    fb = StandardFb;
    fb.Colour[3] = 25; /* green 8+25 */
    check_framebuffer_refused(&fb);
    fb = StandardFb;
    fb.Bpp = 16;
    fb.Pitch = 2048; /* blue at 0/8 fits, red at 16/8 does not */
    check_framebuffer_refused(&fb);
}

TEST(framebuffer_pitch_narrower_than_a_row_is_refused) {
    FB_SPEC fb = StandardFb;
    fb.Pitch = 4095; /* 1024 * 32 / 8 = 4096 */
    check_framebuffer_refused(&fb);
}

TEST(framebuffer_above_4_gib_is_refused) {
    FB_SPEC fb = StandardFb;
    fb.Address = 0x100000000ull;
    check_framebuffer_refused(&fb);
    fb.Address = 0xFFFFF000ull; /* starts below, ends above */
    check_framebuffer_refused(&fb);
    fb.Address = 0xFFFFFFFFFFFFF000ull; /* address + size wraps */
    check_framebuffer_refused(&fb);
}

TEST(zero_sized_framebuffer_is_refused) {
    FB_SPEC fb = StandardFb;
    fb.Width = 0;
    check_framebuffer_refused(&fb);
    fb = StandardFb;
    fb.Height = 0;
    check_framebuffer_refused(&fb);
    fb = StandardFb;
    fb.Bpp = 0;
    fb.Colour[0] = fb.Colour[1] = fb.Colour[2] = fb.Colour[3] = fb.Colour[4] = fb.Colour[5] = 0;
    check_framebuffer_refused(&fb);
}

TEST(framebuffer_ending_exactly_at_4_gib_is_accepted) {
    static MB2_BUILDER b;
    FB_SPEC fb = StandardFb;
    fb.Address = 0x100000000ull - 4096ull * 768;
    mb2_begin(&b);
    mb2_mmap(&b, 24, 0, StandardMap, ARRAYSIZE(StandardMap));
    mb2_framebuffer(&b, &fb, 0);
    mb2_finish(&b);
    LOADER_PARAMETER_BLOCK lb;
    PCSTR reason;
    CHECK_STATUS(parse(&b, b.Length, &lb, &reason), STATUS_SUCCESS);
    CHECK(lb.Framebuffer.Present);
    CHECK_EQ(lb.Framebuffer.PhysicalAddress, 0x100000000ull - 4096ull * 768);
}

int main(void) {
    RUN(valid_information_fills_every_field_of_the_loader_block);
    RUN(command_line_words_match_whole_words_only);
    RUN(usable_memory_counts_only_available_ranges);
    RUN(memory_map_beyond_the_table_is_counted_as_dropped);
    RUN(larger_memory_map_entries_are_stepped_over_by_entry_size);
    RUN(unknown_tags_are_skipped);
    RUN(tags_after_the_end_tag_are_not_read);
    RUN(available_larger_than_total_size_is_accepted);
    RUN(available_shorter_than_fixed_header_is_refused);
    RUN(total_size_larger_than_available_is_refused);
    RUN(total_size_below_sixteen_is_refused);
    RUN(misaligned_information_is_refused);
    RUN(tag_shorter_than_its_header_is_refused);
    RUN(tag_running_past_total_size_is_refused);
    RUN(missing_end_tag_is_refused);
    RUN(end_tag_with_size_other_than_eight_is_refused);
    RUN(command_line_without_nul_inside_its_tag_is_refused);
    RUN(loader_name_without_nul_inside_its_tag_is_refused);
    RUN(long_command_line_is_truncated_and_terminated);
    RUN(module_name_without_nul_is_refused);
    RUN(module_ending_before_it_starts_is_refused);
    RUN(memory_map_entry_size_not_a_multiple_of_eight_or_below_24_is_refused);
    RUN(memory_map_entry_version_one_is_refused);
    RUN(memory_map_not_a_whole_number_of_entries_is_refused);
    RUN(memory_map_entry_wrapping_past_2_pow_64_is_refused);
    RUN(no_memory_map_is_refused);
    RUN(framebuffer_tag_too_short_is_refused);
    RUN(rgb_colour_field_beyond_the_pixel_is_refused);
    RUN(framebuffer_pitch_narrower_than_a_row_is_refused);
    RUN(framebuffer_above_4_gib_is_refused);
    RUN(zero_sized_framebuffer_is_refused);
    RUN(framebuffer_ending_exactly_at_4_gib_is_accepted);
    return UtFinish();
}
