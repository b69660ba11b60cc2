/*
 * mb2parse.c - turns GRUB's multiboot2 information into a
 * LOADER_PARAMETER_BLOCK, checking every tag on the way.
 *
 * Why: the boot information is the first input the kernel reads that it did
 * not build itself. A tag whose size runs past the structure, a string with
 * no terminator or a memory map with a bogus entry size must stop the boot
 * with a clear reason, not send the kernel reading wild. Pure code: the host
 * unit tests build malformed structures and check each is refused.
 */
#include "../include/arc.h"
#include "../include/rtl.h"

#define MB2_TAG_ALIGN 8u
#define MB2_FIXED_HEADER 8u /* total_size, reserved */

static ULONG read32(const UCHAR *p) {
    ULONG v;
    memcpy(&v, p, sizeof v);
    return v;
}

static ULONGLONG read64(const UCHAR *p) {
    ULONGLONG v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Copies a string that must be NUL-terminated within [p, p+Max). */
static BOOLEAN copy_tag_string(const UCHAR *p, SIZE_T Max, char *Out, SIZE_T OutSize) {
    SIZE_T len = 0;
    while (len < Max && p[len] != 0)
        len++;
    if (len == Max)
        return FALSE; /* unterminated */
    RtlStringCopy(Out, (const char *)p, OutSize);
    return TRUE;
}

static NTSTATUS fail(PCSTR *Reason, PCSTR Why) {
    *Reason = Why;
    return STATUS_INVALID_PARAMETER;
}

static NTSTATUS parse_mmap(const UCHAR *Tag, ULONG Size, PLOADER_PARAMETER_BLOCK Block, PCSTR *Reason) {
    if (Size < 16)
        return fail(Reason, "memory map tag shorter than its header");
    ULONG entrySize = read32(Tag + 8);
    ULONG entryVersion = read32(Tag + 12);
    if (entrySize < 24 || entrySize % 8 != 0)
        return fail(Reason, "memory map entry size is not a multiple of 8 of at least 24");
    if (entryVersion != 0)
        return fail(Reason, "memory map entry version is not 0");
    if ((Size - 16) % entrySize != 0)
        return fail(Reason, "memory map tag does not hold a whole number of entries");
    for (ULONG off = 16; off < Size; off += entrySize) {
        ULONGLONG base = read64(Tag + off);
        ULONGLONG length = read64(Tag + off + 8);
        ULONG type = read32(Tag + off + 16);
        if (base + length < base)
            return fail(Reason, "memory map entry wraps past 2^64");
        if (Block->MemoryDescriptorCount == LOADER_MAX_MEMORY_DESCRIPTORS) {
            Block->DroppedEntries++;
            continue;
        }
        MEMORY_DESCRIPTOR *d = &Block->MemoryDescriptors[Block->MemoryDescriptorCount++];
        d->BasePage = base;
        d->Length = length;
        d->Type = type;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS parse_framebuffer(const UCHAR *Tag, ULONG Size, PLOADER_PARAMETER_BLOCK Block,
                                  PCSTR *Reason) {
    if (Size < 32)
        return fail(Reason, "framebuffer tag shorter than its common part");
    FRAMEBUFFER_INFO *fb = &Block->Framebuffer;
    fb->PhysicalAddress = read64(Tag + 8);
    fb->Pitch = read32(Tag + 16);
    fb->Width = read32(Tag + 20);
    fb->Height = read32(Tag + 24);
    fb->Bpp = Tag[28];
    fb->Type = Tag[29];
    if (fb->Type == MB2_FRAMEBUFFER_RGB) {
        if (Size < 38)
            return fail(Reason, "RGB framebuffer tag without its colour fields");
        fb->RedPosition = Tag[32];
        fb->RedSize = Tag[33];
        fb->GreenPosition = Tag[34];
        fb->GreenSize = Tag[35];
        fb->BluePosition = Tag[36];
        fb->BlueSize = Tag[37];
        if (fb->RedPosition + fb->RedSize > fb->Bpp || fb->GreenPosition + fb->GreenSize > fb->Bpp ||
            fb->BluePosition + fb->BlueSize > fb->Bpp)
            return fail(Reason, "framebuffer colour field lies outside the pixel");
    }
    if (fb->Width == 0 || fb->Height == 0 || fb->Bpp == 0 || fb->Bpp > 32)
        return fail(Reason, "framebuffer has a zero size or an impossible depth");
    if (fb->Type != MB2_FRAMEBUFFER_EGA_TEXT && (ULONGLONG)fb->Pitch * 8 < (ULONGLONG)fb->Width * fb->Bpp)
        return fail(Reason, "framebuffer pitch is narrower than a row of pixels");
    ULONGLONG bytes = (ULONGLONG)fb->Pitch * fb->Height;
    if (fb->PhysicalAddress + bytes > 0x100000000ull || fb->PhysicalAddress + bytes < fb->PhysicalAddress)
        return fail(Reason, "framebuffer lies above 4 GiB, out of reach without PAE");
    fb->Present = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS KiParseMultiboot2(const UCHAR *Info, SIZE_T Available, PLOADER_PARAMETER_BLOCK Block,
                           PCSTR *Reason) {
    memset(Block, 0, sizeof *Block);
    *Reason = "";
    if (Info == NULL || Available < MB2_FIXED_HEADER)
        return fail(Reason, "boot information shorter than its fixed header");
    if (((ULONG_PTR)Info & (MB2_TAG_ALIGN - 1)) != 0)
        return fail(Reason, "boot information is not 8-byte aligned");
    ULONG total = read32(Info);
    if (total < MB2_FIXED_HEADER + 8 || total > Available)
        return fail(Reason, "boot information total_size is out of bounds");

    BOOLEAN sawEnd = FALSE;
    ULONG off = MB2_FIXED_HEADER;
    while (off + 8 <= total) {
        const UCHAR *tag = Info + off;
        ULONG type = read32(tag);
        ULONG size = read32(tag + 4);
        if (size < 8)
            return fail(Reason, "a tag is shorter than its 8-byte header");
        if (size > total - off)
            return fail(Reason, "a tag runs past the end of the boot information");
        NTSTATUS status = STATUS_SUCCESS;
        switch (type) {
        case MB2_TAG_END:
            if (size != 8)
                return fail(Reason, "end tag size is not 8");
            sawEnd = TRUE;
            break;
        case MB2_TAG_CMDLINE:
            if (!copy_tag_string(tag + 8, size - 8, Block->CommandLine, sizeof Block->CommandLine))
                return fail(Reason, "command line is not terminated inside its tag");
            break;
        case MB2_TAG_LOADER_NAME:
            if (!copy_tag_string(tag + 8, size - 8, Block->LoaderName, sizeof Block->LoaderName))
                return fail(Reason, "boot loader name is not terminated inside its tag");
            break;
        case MB2_TAG_MODULE: {
            if (size < 17)
                return fail(Reason, "module tag shorter than its fields");
            ULONG start = read32(tag + 8), end = read32(tag + 12);
            if (end < start)
                return fail(Reason, "module ends before it starts");
            if (Block->ModuleCount == LOADER_MAX_MODULES) {
                Block->DroppedEntries++;
                break;
            }
            BOOT_MODULE *m = &Block->Modules[Block->ModuleCount];
            if (!copy_tag_string(tag + 16, size - 16, m->Name, sizeof m->Name))
                return fail(Reason, "module name is not terminated inside its tag");
            m->Start = start;
            m->End = end;
            Block->ModuleCount++;
            break;
        }
        case MB2_TAG_BASIC_MEMINFO:
            if (size < 16)
                return fail(Reason, "basic memory tag shorter than its fields");
            Block->HasBasicMemInfo = TRUE;
            Block->MemLowerKb = read32(tag + 8);
            Block->MemUpperKb = read32(tag + 12);
            break;
        case MB2_TAG_MMAP: status = parse_mmap(tag, size, Block, Reason); break;
        case MB2_TAG_FRAMEBUFFER: status = parse_framebuffer(tag, size, Block, Reason); break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW: Block->HasAcpiRsdp = TRUE; break;
        default: break; /* tags we do not use: their size was checked above */
        }
        if (!NT_SUCCESS(status))
            return status;
        if (sawEnd)
            break;
        off += ALIGN_UP(size, MB2_TAG_ALIGN);
    }
    if (!sawEnd)
        return fail(Reason, "boot information has no end tag");
    if (Block->MemoryDescriptorCount == 0)
        return fail(Reason, "boot information has no memory map");
    return STATUS_SUCCESS;
}

BOOLEAN KiCommandLineHasWord(PCSTR CommandLine, PCSTR Word) {
    SIZE_T wlen = strlen(Word);
    for (PCSTR p = CommandLine; *p;) {
        while (*p == ' ')
            p++;
        PCSTR start = p;
        while (*p && *p != ' ')
            p++;
        if ((SIZE_T)(p - start) == wlen && wlen != 0 && memcmp(start, Word, wlen) == 0)
            return TRUE;
    }
    return FALSE;
}

ULONGLONG KiUsableMemoryBytes(const LOADER_PARAMETER_BLOCK *Block) {
    ULONGLONG total = 0;
    for (ULONG i = 0; i < Block->MemoryDescriptorCount; i++)
        if (Block->MemoryDescriptors[i].Type == MB2_MEMORY_AVAILABLE)
            total += Block->MemoryDescriptors[i].Length;
    return total;
}
