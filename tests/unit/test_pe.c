/*
 * test_pe.c - the PE32 reader (libs/rtl/image.c) accepts what the stock
 * mingw-w64 toolchain builds, agrees with objdump about it, and refuses every
 * malformed image without reading outside it.
 *
 * Why: Win32 programs built with the stock toolchain must load unchanged, so
 * the fixtures are not hand-made bytes but real images: at start-up the test
 * writes small C sources and .def files into a fresh directory and builds
 * with i686-w64-mingw32-gcc/dlltool a DLL exporting by name, by ordinal only
 * and by forwarder (with data relocations and an entry point), a second DLL,
 * and two programs importing from both by name and by ordinal (one with base
 * relocations, one with them stripped). What the parser reports is then
 * compared with `i686-w64-mingw32-objdump -p/-h`, an independent reader.
 *
 * The second half breaks one thing at a time in a copy of a good image. Every
 * file and every mapped image is passed in a malloc'd buffer of exactly its
 * size, so AddressSanitizer turns any read past the end into a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nt/rtlimage.h>

#include "unit.h"

#define MINGW_GCC "i686-w64-mingw32-gcc"
#define MINGW_DLLTOOL "i686-w64-mingw32-dlltool"
#define MINGW_OBJDUMP "i686-w64-mingw32-objdump"

#define FX_IMAGE_BASE 0x10000000u
#define TWO_IMAGE_BASE 0x20000000u
#define APP_IMAGE_BASE 0x00400000u /* ld's default for an .exe */
#define APP_STACK_RESERVE 0x300000u
#define APP_STACK_COMMIT 0x2000u

/* ---- the fixture sources ---- */

static const char FxSource[] =
    "int counter = 5;\n"
    "int *counter_ptr = &counter;\n"      /* a HIGHLOW in .data */
    "const char *greeting = \"hello\";\n" /* another */
    "int __stdcall DllEntry(void *h, unsigned long r, void *p) { (void)h; (void)r; (void)p; return 1; }\n"
    "int FxAdd(int a, int b) { return a + b; }\n"
    "int FxGetCounter(void) { return *counter_ptr; }\n" /* a HIGHLOW in .text */
    "int FxHidden(void) { return 42; }\n";

/* Ordinal 6 is left out on purpose: a hole in the export address table. */
static const char FxDef[] = "LIBRARY fx.dll\n"
                            "EXPORTS\n"
                            "    FxAdd @1\n"
                            "    FxGetCounter @2\n"
                            "    Fwd = OTHER.Target @3\n"
                            "    counter @4 DATA\n"
                            "    FxHidden @5 NONAME\n"
                            "    counter_ptr @7 DATA\n"
                            "    FwdTwo = OTHER.Second @8\n";

/* What the program links against: FxHidden only by ordinal. */
static const char FxImportDef[] = "LIBRARY fx.dll\n"
                                  "EXPORTS\n"
                                  "    FxAdd @1\n"
                                  "    FxGetCounter @2\n"
                                  "    counter @4 DATA\n"
                                  "    FxHidden @5 NONAME\n";

static const char TwoSource[] = "int TwoA(void) { return 1; }\n"
                                "int TwoB(void) { return 2; }\n"
                                "int TwoC(void) { return 3; }\n";

static const char TwoDef[] = "LIBRARY two.dll\n"
                             "EXPORTS\n"
                             "    TwoA @1\n"
                             "    TwoB @7 NONAME\n"
                             "    TwoC @9\n";

static const char AppSource[] = "int FxAdd(int, int);\n"
                                "int FxGetCounter(void);\n"
                                "int FxHidden(void);\n"
                                "extern int __declspec(dllimport) counter;\n"
                                "int TwoA(void);\n"
                                "int TwoB(void);\n"
                                "int TwoC(void);\n"
                                "static char big[20000];\n" /* .bss: no raw data, several pages */
                                "char *get_big(void) { return big; }\n"
                                "int entry(void) {\n"
                                "    return FxAdd(1, 2) + FxGetCounter() + FxHidden() + counter + TwoA() + "
                                "TwoB() + TwoC() + *get_big();\n"
                                "}\n";

/* ---- what objdump says about an image ---- */

#define MAX_ITEMS 64
#define MAX_NAME 64
#define MAX_SECTION_ITEMS 128

typedef struct _OBJDUMP_FACTS {
    ULONG Characteristics, EntryPoint, ImageBase, SectionAlignment, FileAlignment, SizeOfImage, SizeOfHeaders;
    ULONG Subsystem, DllCharacteristics, StackReserve, StackCommit, HeapReserve, HeapCommit,
        NumberOfRvaAndSizes;
    ULONG DirRva[IMAGE_NUMBEROF_DIRECTORY_ENTRIES], DirSize[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
    ULONG HeaderKeysSeen;

    ULONG Relocs[MAX_ITEMS]; /* RVAs of HIGHLOW fixups, in table order */
    ULONG RelocCount;

    ULONG OrdinalBase;
    struct {
        ULONG Index, Rva;
        char Forwarder[MAX_NAME]; /* "" when not forwarded */
    } Eat[MAX_ITEMS];
    ULONG EatCount;
    struct {
        ULONG Index;
        char Name[MAX_NAME];
    } Names[MAX_ITEMS];
    ULONG NameCount;

    struct {
        char Dll[MAX_NAME];
        char Name[MAX_NAME]; /* "" for an import by ordinal */
        ULONG HintOrOrdinal;
        ULONG HintNameRva; /* name imports: RVA of IMAGE_IMPORT_BY_NAME */
        ULONG SlotRva;
    } Imports[MAX_ITEMS];
    ULONG ImportCount;

    struct {
        char Name[MAX_NAME];
        ULONG Size, Vma, FileOffset;
        BOOLEAN Code, ReadOnly, Contents;
    } Sections[MAX_SECTION_ITEMS];
    ULONG SectionCount;
} OBJDUMP_FACTS;

typedef struct _FIXTURE {
    const char *Name;
    UCHAR *Data;
    SIZE_T Size;
    OBJDUMP_FACTS Facts;
    BOOLEAN Loaded;
} FIXTURE;

static char FixtureDir[256];
static FIXTURE FxDll = {.Name = "fx.dll"};
static FIXTURE TwoDll = {.Name = "two.dll"};
static FIXTURE AppExe = {.Name = "app.exe"};
static FIXTURE FixedExe = {.Name = "fixed.exe"};
static FIXTURE ManyDll = {.Name = "many.dll"};

/* many.dll: one small data section per variable, more than NT's 96. Its
 * section table needs more than a page of headers, and ld still puts .text
 * at SectionAlignment, so it is linked with 8 KiB sections; with 4 KiB ones
 * ld lets the headers run into .text, which the validator refuses too. */
#define MANY_SECTIONS 100

/* ---- building the fixtures ---- */

static BOOLEAN write_text(const char *Name, const char *Text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FixtureDir, Name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return FALSE;
    BOOLEAN ok = fputs(Text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Runs Command inside the fixture directory, output to build.log. */
static BOOLEAN run_in_dir(const char *Command) {
    char line[2048];
    snprintf(line, sizeof line, "cd '%s' && { %s ; } >>build.log 2>&1", FixtureDir, Command);
    int rc = system(line);
    if (rc != 0)
        printf("fixture command failed (%d): %s\n", rc, Command);
    return rc == 0;
}

static BOOLEAN read_whole(const char *Name, UCHAR **Data, SIZE_T *Size) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FixtureDir, Name);
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return FALSE;
    fseek(f, 0, SEEK_END);
    long length = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (length <= 0) {
        fclose(f);
        return FALSE;
    }
    *Data = malloc((size_t)length);
    *Size = (SIZE_T)length;
    BOOLEAN ok = *Data != NULL && fread(*Data, 1, (size_t)length, f) == (size_t)length;
    fclose(f);
    return ok;
}

/* Copies Source into Dest (MAX_NAME bytes), dropping a trailing newline. */
static void copy_word(char *Dest, const char *Source) {
    snprintf(Dest, MAX_NAME, "%s", Source);
    Dest[strcspn(Dest, "\r\n")] = 0;
}

static const struct {
    const char *Key;
    size_t Offset;
} HeaderKeys[] = {
    {"Characteristics", offsetof(OBJDUMP_FACTS, Characteristics)},
    {"AddressOfEntryPoint", offsetof(OBJDUMP_FACTS, EntryPoint)},
    {"ImageBase", offsetof(OBJDUMP_FACTS, ImageBase)},
    {"SectionAlignment", offsetof(OBJDUMP_FACTS, SectionAlignment)},
    {"FileAlignment", offsetof(OBJDUMP_FACTS, FileAlignment)},
    {"SizeOfImage", offsetof(OBJDUMP_FACTS, SizeOfImage)},
    {"SizeOfHeaders", offsetof(OBJDUMP_FACTS, SizeOfHeaders)},
    {"Subsystem", offsetof(OBJDUMP_FACTS, Subsystem)},
    {"DllCharacteristics", offsetof(OBJDUMP_FACTS, DllCharacteristics)},
    {"SizeOfStackReserve", offsetof(OBJDUMP_FACTS, StackReserve)},
    {"SizeOfStackCommit", offsetof(OBJDUMP_FACTS, StackCommit)},
    {"SizeOfHeapReserve", offsetof(OBJDUMP_FACTS, HeapReserve)},
    {"SizeOfHeapCommit", offsetof(OBJDUMP_FACTS, HeapCommit)},
    {"NumberOfRvaAndSizes", offsetof(OBJDUMP_FACTS, NumberOfRvaAndSizes)},
};

/* Parses `objdump -p` (headers, directories, relocations, exports, imports). */
static BOOLEAN parse_objdump_p(const char *Path, OBJDUMP_FACTS *Facts) {
    enum { S_HEADER, S_BODY, S_IMPORTS, S_MEMBERS, S_EAT, S_NAMES } state = S_HEADER;
    char line[512], dll[MAX_NAME] = "";
    ULONG first_thunk = 0, member = 0;
    FILE *f = fopen(Path, "r");
    if (f == NULL)
        return FALSE;
    while (fgets(line, sizeof line, f) != NULL) {
        char key[128], text[256];
        unsigned long long value;
        unsigned a, b, c, d, e, g;

        if (strncmp(line, "The Data Directory", 18) == 0) {
            state = S_BODY;
            continue;
        }
        if (state == S_HEADER) {
            if (sscanf(line, "%127s %llx", key, &value) == 2) {
                for (size_t i = 0; i < ARRAYSIZE(HeaderKeys); i++) {
                    ULONG bit = 1u << i;
                    if (strcmp(key, HeaderKeys[i].Key) == 0 && !(Facts->HeaderKeysSeen & bit)) {
                        *(ULONG *)((char *)Facts + HeaderKeys[i].Offset) = (ULONG)value;
                        Facts->HeaderKeysSeen |= bit;
                    }
                }
            }
            continue;
        }
        if (sscanf(line, "Entry %x %x %x", &a, &b, &c) == 3 && a < IMAGE_NUMBEROF_DIRECTORY_ENTRIES) {
            Facts->DirRva[a] = b;
            Facts->DirSize[a] = c;
            continue;
        }
        if (strncmp(line, "The Import Tables", 17) == 0) {
            state = S_IMPORTS;
            continue;
        }
        if (strncmp(line, "Export Address Table -- Ordinal Base", 36) == 0) {
            Facts->OrdinalBase = (ULONG)strtoul(line + 36, NULL, 10);
            state = S_EAT;
            continue;
        }
        if (strncmp(line, "[Ordinal/Name Pointer] Table", 28) == 0) {
            state = S_NAMES;
            continue;
        }
        if (strncmp(line, "PE File Base Relocations", 24) == 0 ||
            strncmp(line, "There is an export", 18) == 0 || strncmp(line, "The Export Tables", 17) == 0) {
            state = S_BODY;
            continue;
        }
        if (sscanf(line, " reloc %u offset %x [%x] %127s", &a, &b, &c, key) == 4) {
            if (strcmp(key, "HIGHLOW") == 0 && Facts->RelocCount < MAX_ITEMS)
                Facts->Relocs[Facts->RelocCount++] = c;
            continue;
        }
        switch (state) {
        case S_IMPORTS:
            if (sscanf(line, " %x %x %x %x %x %x", &a, &b, &c, &d, &e, &g) == 6) {
                first_thunk = g;
            } else if (sscanf(line, " DLL Name: %63s", text) == 1) {
                copy_word(dll, text);
                member = 0;
            } else if (strstr(line, "Hint/Ord") != NULL) {
                state = S_MEMBERS;
            }
            break;
        case S_MEMBERS:
            if (sscanf(line, " %x %u %255s", &a, &b, text) == 3 && Facts->ImportCount < MAX_ITEMS) {
                ULONG n = Facts->ImportCount++;
                copy_word(Facts->Imports[n].Dll, dll);
                if (strcmp(text, "<none>") == 0) {
                    Facts->Imports[n].Name[0] = 0;
                    Facts->Imports[n].HintNameRva = 0;
                } else {
                    copy_word(Facts->Imports[n].Name, text);
                    Facts->Imports[n].HintNameRva = a;
                }
                Facts->Imports[n].HintOrOrdinal = b;
                Facts->Imports[n].SlotRva = first_thunk + member * 4;
                member++;
            } else if (line[0] == '\n') {
                state = S_IMPORTS;
            }
            break;
        case S_EAT:
            if (sscanf(line, " [%u] +base[%u] %x", &a, &b, &c) == 3 && Facts->EatCount < MAX_ITEMS) {
                ULONG n = Facts->EatCount++;
                const char *forward = strstr(line, "Forwarder RVA -- ");
                Facts->Eat[n].Index = a;
                Facts->Eat[n].Rva = c;
                copy_word(Facts->Eat[n].Forwarder, forward ? forward + 17 : "");
            }
            break;
        case S_NAMES:
            if (sscanf(line, " [%u] %255s", &a, text) == 2 && Facts->NameCount < MAX_ITEMS) {
                ULONG n = Facts->NameCount++;
                Facts->Names[n].Index = a;
                copy_word(Facts->Names[n].Name, text);
            }
            break;
        default: break;
        }
    }
    fclose(f);
    return Facts->HeaderKeysSeen == (1u << ARRAYSIZE(HeaderKeys)) - 1;
}

/* Parses `objdump -h` (the section list). */
static BOOLEAN parse_objdump_h(const char *Path, OBJDUMP_FACTS *Facts) {
    char line[512];
    FILE *f = fopen(Path, "r");
    if (f == NULL)
        return FALSE;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned index, size, vma, lma, offset;
        char name[MAX_NAME];
        if (sscanf(line, " %u %63s %x %x %x %x", &index, name, &size, &vma, &lma, &offset) == 6 &&
            Facts->SectionCount < MAX_SECTION_ITEMS) {
            ULONG n = Facts->SectionCount++;
            copy_word(Facts->Sections[n].Name, name);
            Facts->Sections[n].Size = size;
            Facts->Sections[n].Vma = vma;
            Facts->Sections[n].FileOffset = offset;
            if (fgets(line, sizeof line, f) != NULL) {
                Facts->Sections[n].Code = strstr(line, "CODE") != NULL;
                Facts->Sections[n].ReadOnly = strstr(line, "READONLY") != NULL;
                Facts->Sections[n].Contents = strstr(line, "CONTENTS") != NULL;
            }
        }
    }
    fclose(f);
    return Facts->SectionCount > 0;
}

static void load_fixture(FIXTURE *Fixture) {
    char command[512], path[512];
    snprintf(command, sizeof command, MINGW_OBJDUMP " -p %s > %s.p && " MINGW_OBJDUMP " -h %s > %s.h",
             Fixture->Name, Fixture->Name, Fixture->Name, Fixture->Name);
    if (!run_in_dir(command) || !read_whole(Fixture->Name, &Fixture->Data, &Fixture->Size))
        return;
    snprintf(path, sizeof path, "%s/%s.p", FixtureDir, Fixture->Name);
    if (!parse_objdump_p(path, &Fixture->Facts)) {
        printf("could not parse %s\n", path);
        return;
    }
    snprintf(path, sizeof path, "%s/%s.h", FixtureDir, Fixture->Name);
    if (!parse_objdump_h(path, &Fixture->Facts)) {
        printf("could not parse %s\n", path);
        return;
    }
    Fixture->Loaded = TRUE;
}

static void build_fixtures(void) {
    snprintf(FixtureDir, sizeof FixtureDir, "pe_fixtures.XXXXXX");
    if (mkdtemp(FixtureDir) == NULL) {
        perror("mkdtemp");
        return;
    }
    char many[MANY_SECTIONS * 64] = "";
    for (unsigned i = 0; i < MANY_SECTIONS; i++) {
        char line[96];
        snprintf(line, sizeof line, "__attribute__((section(\".d%02u\"))) int v%02u = %u;\n", i, i, i);
        strcat(many, line);
    }
    if (!write_text("many.c", many) || !write_text("fx.c", FxSource) || !write_text("fx.def", FxDef) ||
        !write_text("fximp.def", FxImportDef) || !write_text("two.c", TwoSource) ||
        !write_text("two.def", TwoDef) || !write_text("app.c", AppSource))
        return;
    /* -s: no COFF symbol table after the last section, so the file ends
     * where the last section's raw data ends. */
    if (!run_in_dir(MINGW_GCC " -shared -nostdlib -s -O1 -Wl,--image-base,0x10000000 -Wl,-e,_DllEntry@12"
                              " -o fx.dll fx.c fx.def") ||
        !run_in_dir(MINGW_GCC
                    " -shared -nostdlib -s -O1 -Wl,--image-base,0x20000000 -o two.dll two.c two.def") ||
        !run_in_dir(MINGW_DLLTOOL " -d fximp.def -l libfx.a && " MINGW_DLLTOOL " -d two.def -l libtwo.a") ||
        !run_in_dir(MINGW_GCC " -nostdlib -s -O1 -Wl,-e,_entry -Wl,--subsystem,windows"
                              " -Xlinker --stack -Xlinker 0x300000,0x2000 -o app.exe app.c -L. -lfx -ltwo") ||
        !run_in_dir(MINGW_GCC " -nostdlib -s -O1 -Wl,-e,_entry -Wl,--disable-reloc-section"
                              " -o fixed.exe app.c -L. -lfx -ltwo") ||
        !run_in_dir(MINGW_GCC " -shared -nostdlib -s -Wl,--section-alignment,0x2000 -o many.dll many.c"))
        return;
    load_fixture(&FxDll);
    load_fixture(&TwoDll);
    load_fixture(&AppExe);
    load_fixture(&FixedExe);
    load_fixture(&ManyDll);
}

/* ---- helpers for the tests ---- */

static ULONG get32(const UCHAR *Base, ULONG Offset) {
    ULONG v;
    memcpy(&v, Base + Offset, sizeof v);
    return v;
}

static USHORT get16(const UCHAR *Base, ULONG Offset) {
    USHORT v;
    memcpy(&v, Base + Offset, sizeof v);
    return v;
}

static void put32(UCHAR *Base, ULONG Offset, ULONG Value) {
    memcpy(Base + Offset, &Value, sizeof Value);
}

static void put16(UCHAR *Base, ULONG Offset, USHORT Value) {
    memcpy(Base + Offset, &Value, sizeof Value);
}

/* Offsets of the headers in a file (and, identically, in its layout). */
static ULONG nt_offset(const UCHAR *Data) {
    return get32(Data, offsetof(IMAGE_DOS_HEADER, e_lfanew));
}
static ULONG file_header(const UCHAR *Data) {
    return nt_offset(Data) + offsetof(IMAGE_NT_HEADERS32, FileHeader);
}
static ULONG optional_header(const UCHAR *Data) {
    return nt_offset(Data) + offsetof(IMAGE_NT_HEADERS32, OptionalHeader);
}
static ULONG section_header(const UCHAR *Data, ULONG Index) {
    return optional_header(Data) +
           get16(Data, file_header(Data) + offsetof(IMAGE_FILE_HEADER, SizeOfOptionalHeader)) +
           Index * (ULONG)sizeof(IMAGE_SECTION_HEADER);
}
#define OPT(field) (optional_header(copy) + (ULONG)offsetof(IMAGE_OPTIONAL_HEADER32, field))
#define FH(field) (file_header(copy) + (ULONG)offsetof(IMAGE_FILE_HEADER, field))
#define SEC(i, field) (section_header(copy, (i)) + (ULONG)offsetof(IMAGE_SECTION_HEADER, field))
#define DIR_RVA(i) (OPT(DataDirectory) + (i)*8u)
#define DIR_SIZE(i) (OPT(DataDirectory) + (i)*8u + 4u)

/* A malloc'd copy of exactly Size bytes (ASan guards its end). */
static UCHAR *exact_copy(const UCHAR *Data, SIZE_T Size) {
    UCHAR *copy = malloc(Size);
    if (copy == NULL && Size == 0)
        copy = malloc(1);
    if (Size != 0)
        memcpy(copy, Data, Size);
    return copy;
}

static NTSTATUS validate(const UCHAR *Data, SIZE_T Size) {
    PE_IMAGE_INFO info;
    UCHAR *copy = exact_copy(Data, Size);
    NTSTATUS status = RtlValidateImageFile(copy, Size, &info);
    free(copy);
    return status;
}

/* Validates and lays out Fixture into a zeroed buffer of exactly SizeOfImage. */
static UCHAR *map_fixture(const FIXTURE *Fixture, PE_IMAGE_INFO *Info) {
    UCHAR *file = exact_copy(Fixture->Data, Fixture->Size);
    UCHAR *image = NULL;
    if (CHECK_STATUS(RtlValidateImageFile(file, Fixture->Size, Info), STATUS_SUCCESS)) {
        image = calloc(1, Info->SizeOfImage);
        if (!CHECK_STATUS(RtlLayoutImage(file, Fixture->Size, Info, image), STATUS_SUCCESS)) {
            free(image);
            image = NULL;
        }
    }
    free(file);
    return image;
}

static BOOLEAN fixture_ready(const FIXTURE *Fixture) {
    return CHECK(Fixture->Loaded);
}

/* ---- valid images ---- */

static void check_info_against_objdump(const FIXTURE *Fixture) {
    const OBJDUMP_FACTS *facts = &Fixture->Facts;
    PE_IMAGE_INFO info;
    UCHAR *copy = exact_copy(Fixture->Data, Fixture->Size);

    if (CHECK_STATUS(RtlValidateImageFile(copy, Fixture->Size, &info), STATUS_SUCCESS)) {
        CHECK_EQ(info.ImageBase, facts->ImageBase);
        CHECK_EQ(info.SizeOfImage, facts->SizeOfImage);
        CHECK_EQ(info.SizeOfHeaders, facts->SizeOfHeaders);
        CHECK_EQ(info.EntryPointRva, facts->EntryPoint);
        CHECK_EQ(info.SectionAlignment, facts->SectionAlignment);
        CHECK_EQ(info.FileAlignment, facts->FileAlignment);
        CHECK_EQ(info.Subsystem, facts->Subsystem);
        CHECK_EQ(info.Characteristics, facts->Characteristics);
        CHECK_EQ(info.DllCharacteristics, facts->DllCharacteristics);
        CHECK_EQ(info.SizeOfStackReserve, facts->StackReserve);
        CHECK_EQ(info.SizeOfStackCommit, facts->StackCommit);
        CHECK_EQ(info.SizeOfHeapReserve, facts->HeapReserve);
        CHECK_EQ(info.SizeOfHeapCommit, facts->HeapCommit);
        CHECK_EQ(info.NumberOfSections, facts->SectionCount);
        CHECK_EQ(info.NtHeadersOffset, nt_offset(copy));
        CHECK_EQ(info.SectionTableOffset, section_header(copy, 0));
        CHECK_EQ(info.IsDll, (facts->Characteristics & IMAGE_FILE_DLL) != 0);
        CHECK_EQ(info.RelocsStripped, (facts->Characteristics & IMAGE_FILE_RELOCS_STRIPPED) != 0);
        CHECK_EQ(info.HasRelocations, facts->DirRva[IMAGE_DIRECTORY_ENTRY_BASERELOC] != 0 &&
                                          facts->DirSize[IMAGE_DIRECTORY_ENTRY_BASERELOC] != 0);
    }
    free(copy);
}

TEST(fx_dll_info_matches_objdump) {
    if (!fixture_ready(&FxDll))
        return;
    check_info_against_objdump(&FxDll);
    PE_IMAGE_INFO info;
    if (CHECK_STATUS(RtlValidateImageFile(FxDll.Data, FxDll.Size, &info), STATUS_SUCCESS)) {
        /* What the build flags promise, independently of objdump. */
        CHECK_EQ(info.ImageBase, FX_IMAGE_BASE);
        CHECK(info.IsDll);
        CHECK(info.EntryPointRva != 0);
        CHECK(info.HasRelocations);
        CHECK(!info.RelocsStripped);
    }
}

TEST(two_dll_without_entry_point_is_valid) {
    if (!fixture_ready(&TwoDll))
        return;
    check_info_against_objdump(&TwoDll);
    PE_IMAGE_INFO info;
    if (CHECK_STATUS(RtlValidateImageFile(TwoDll.Data, TwoDll.Size, &info), STATUS_SUCCESS)) {
        CHECK_EQ(info.ImageBase, TWO_IMAGE_BASE);
        CHECK_EQ(info.EntryPointRva, 0);
    }
}

TEST(app_exe_info_matches_objdump) {
    if (!fixture_ready(&AppExe))
        return;
    check_info_against_objdump(&AppExe);
    PE_IMAGE_INFO info;
    if (CHECK_STATUS(RtlValidateImageFile(AppExe.Data, AppExe.Size, &info), STATUS_SUCCESS)) {
        CHECK_EQ(info.ImageBase, APP_IMAGE_BASE);
        CHECK_EQ(info.Subsystem, IMAGE_SUBSYSTEM_WINDOWS_GUI);
        CHECK_EQ(info.SizeOfStackReserve, APP_STACK_RESERVE);
        CHECK_EQ(info.SizeOfStackCommit, APP_STACK_COMMIT);
        CHECK(!info.IsDll);
        CHECK(info.HasRelocations);
    }
}

TEST(fixed_exe_reports_stripped_relocations) {
    if (!fixture_ready(&FixedExe))
        return;
    check_info_against_objdump(&FixedExe);
    PE_IMAGE_INFO info;
    if (CHECK_STATUS(RtlValidateImageFile(FixedExe.Data, FixedExe.Size, &info), STATUS_SUCCESS)) {
        CHECK(info.RelocsStripped);
        CHECK(!info.HasRelocations);
        CHECK_EQ(info.Subsystem, IMAGE_SUBSYSTEM_WINDOWS_CUI);
    }
}

/* Section iteration agrees with objdump -h, and the raw part is what the
 * file holds: min(SizeOfRawData, VirtualSize rounded to SectionAlignment). */
static void check_sections(const FIXTURE *Fixture) {
    const OBJDUMP_FACTS *facts = &Fixture->Facts;
    PE_IMAGE_INFO info;
    if (!CHECK_STATUS(RtlValidateImageFile(Fixture->Data, Fixture->Size, &info), STATUS_SUCCESS))
        return;
    for (ULONG i = 0; i < info.NumberOfSections && i < facts->SectionCount; i++) {
        PE_SECTION_INFO section;
        const UCHAR *copy = Fixture->Data;
        if (!CHECK_STATUS(RtlGetImageFileSection(Fixture->Data, Fixture->Size, &info, i, &section),
                          STATUS_SUCCESS))
            continue;
        ULONG raw_size = get32(copy, SEC(i, SizeOfRawData));
        ULONG mapped = (section.VirtualSize + info.SectionAlignment - 1) & ~(info.SectionAlignment - 1);
        CHECK(strcmp(section.Name, facts->Sections[i].Name) == 0);
        CHECK_EQ(section.VirtualAddress, facts->Sections[i].Vma - info.ImageBase);
        CHECK_EQ(section.VirtualSize, facts->Sections[i].Size);
        CHECK_EQ(section.MappedSize, mapped);
        CHECK_EQ(section.RawSize, raw_size < mapped ? raw_size : mapped);
        CHECK_EQ(section.RawOffset, raw_size ? facts->Sections[i].FileOffset : 0);
        CHECK_EQ(section.RawSize != 0, facts->Sections[i].Contents);
        CHECK_EQ((section.Characteristics & IMAGE_SCN_CNT_CODE) != 0, facts->Sections[i].Code);
        CHECK_EQ((section.Characteristics & IMAGE_SCN_MEM_WRITE) == 0, facts->Sections[i].ReadOnly);
    }
    CHECK_EQ(info.NumberOfSections, facts->SectionCount);
    PE_SECTION_INFO section;
    CHECK_STATUS(RtlGetImageFileSection(Fixture->Data, Fixture->Size, &info, info.NumberOfSections, &section),
                 STATUS_INVALID_PARAMETER);
}

TEST(sections_match_objdump) {
    if (!fixture_ready(&FxDll) || !fixture_ready(&AppExe) || !fixture_ready(&FixedExe))
        return;
    check_sections(&FxDll);
    check_sections(&AppExe);
    check_sections(&FixedExe);
    /* The .bss of app.exe: no file bytes, several pages of address space. */
    PE_IMAGE_INFO info;
    BOOLEAN found = FALSE;
    if (CHECK_STATUS(RtlValidateImageFile(AppExe.Data, AppExe.Size, &info), STATUS_SUCCESS)) {
        for (ULONG i = 0; i < info.NumberOfSections; i++) {
            PE_SECTION_INFO section;
            if (RtlGetImageFileSection(AppExe.Data, AppExe.Size, &info, i, &section) == STATUS_SUCCESS &&
                strcmp(section.Name, ".bss") == 0) {
                found = TRUE;
                CHECK_EQ(section.RawSize, 0);
                CHECK(section.MappedSize >= 20000);
            }
        }
    }
    CHECK(found);
}

/* The layout holds the headers at 0 and each section's raw bytes at its
 * RVA, zero elsewhere; the mapped-image accessors agree with objdump. */
static void check_layout(const FIXTURE *Fixture) {
    PE_IMAGE_INFO info;
    UCHAR *image = map_fixture(Fixture, &info);
    if (image == NULL)
        return;
    UCHAR *expected = calloc(1, info.SizeOfImage);
    memcpy(expected, Fixture->Data, info.SizeOfHeaders);
    for (ULONG i = 0; i < info.NumberOfSections; i++) {
        PE_SECTION_INFO section;
        if (CHECK_STATUS(RtlGetImageFileSection(Fixture->Data, Fixture->Size, &info, i, &section),
                         STATUS_SUCCESS))
            memcpy(expected + section.VirtualAddress, Fixture->Data + section.RawOffset, section.RawSize);
    }
    CHECK(memcmp(image, expected, info.SizeOfImage) == 0);

    PIMAGE_NT_HEADERS32 nt = RtlImageNtHeader(image);
    if (CHECK(nt == (PIMAGE_NT_HEADERS32)(image + info.NtHeadersOffset))) {
        CHECK_EQ(nt->OptionalHeader.ImageBase, info.ImageBase);
        CHECK_EQ(nt->OptionalHeader.SizeOfImage, info.SizeOfImage);
    }
    for (USHORT i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; i++) {
        ULONG size = 0xDEADBEEF;
        PVOID data = RtlImageDirectoryEntryToData(image, TRUE, i, &size);
        if (Fixture->Facts.DirRva[i] == 0 || i == IMAGE_DIRECTORY_ENTRY_SECURITY) {
            CHECK(data == NULL);
            CHECK_EQ(size, 0);
        } else {
            CHECK(data == image + Fixture->Facts.DirRva[i]);
            CHECK_EQ(size, Fixture->Facts.DirSize[i]);
        }
    }
    free(expected);
    free(image);
}

TEST(layout_places_headers_and_sections) {
    if (!fixture_ready(&FxDll) || !fixture_ready(&AppExe) || !fixture_ready(&FixedExe))
        return;
    check_layout(&FxDll);
    check_layout(&AppExe);
    check_layout(&FixedExe);
}

TEST(mapped_header_accessors_refuse_bad_input) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image == NULL)
        return;
    ULONG size;
    CHECK(RtlImageNtHeader(NULL) == NULL);
    CHECK(RtlImageDirectoryEntryToData(image, FALSE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size) == NULL);
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_NUMBEROF_DIRECTORY_ENTRIES, &size) == NULL);
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, 0xFFFF, &size) == NULL);
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, NULL) != NULL);

    UCHAR *copy = image;
    ULONG saved = get32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT));
    put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT), info.SizeOfImage); /* runs past the image */
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size) == NULL);
    CHECK_EQ(size, 0);
    put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT), saved);
    /* The security directory holds a file offset: never handed out as data. */
    put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_SECURITY), 0x1000);
    put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_SECURITY), 0x10);
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_DIRECTORY_ENTRY_SECURITY, &size) == NULL);
    CHECK_EQ(size, 0);
    put32(copy, OPT(NumberOfRvaAndSizes), 1); /* only the export directory is present */
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size) != NULL);
    CHECK(RtlImageDirectoryEntryToData(image, TRUE, IMAGE_DIRECTORY_ENTRY_IMPORT, &size) == NULL);
    put32(copy, OPT(NumberOfRvaAndSizes), 17);
    CHECK(RtlImageNtHeader(image) == NULL);
    put32(copy, OPT(NumberOfRvaAndSizes), 16);

    put32(copy, offsetof(IMAGE_DOS_HEADER, e_lfanew),
          IMAGE_PAGE_SIZE - 8); /* NT headers past the first page */
    CHECK(RtlImageNtHeader(image) == NULL);
    put32(copy, offsetof(IMAGE_DOS_HEADER, e_lfanew), info.NtHeadersOffset + 2); /* misaligned */
    CHECK(RtlImageNtHeader(image) == NULL);
    put32(copy, offsetof(IMAGE_DOS_HEADER, e_lfanew), info.NtHeadersOffset);
    CHECK(RtlImageNtHeader(image) != NULL);
    put16(copy, 0, 0x4D5A); /* "ZM" */
    CHECK(RtlImageNtHeader(image) == NULL);
    put16(copy, 0, IMAGE_DOS_SIGNATURE);

    /* A mapping at an odd address would give a misaligned header pointer. */
    UCHAR *odd = malloc(info.SizeOfImage + 1);
    memcpy(odd + 1, image, info.SizeOfImage);
    CHECK(RtlImageNtHeader(odd + 1) == NULL);
    CHECK(RtlImageDirectoryEntryToData(odd + 1, TRUE, IMAGE_DIRECTORY_ENTRY_EXPORT, &size) == NULL);
    free(odd);
    free(image);
}

/* ---- relocation ---- */

/* Relocates a layout of Fixture to RunAddress and checks that exactly the
 * dwords objdump lists as HIGHLOW fixups moved by the delta, the header's
 * ImageBase became RunAddress, and nothing else changed. */
static void check_relocation(const FIXTURE *Fixture, ULONG RunAddress) {
    PE_IMAGE_INFO info;
    const OBJDUMP_FACTS *facts = &Fixture->Facts;
    UCHAR *original = map_fixture(Fixture, &info);
    UCHAR *moved = map_fixture(Fixture, &info);
    if (original == NULL || moved == NULL) {
        free(original);
        free(moved);
        return;
    }
    ULONG delta = RunAddress - info.ImageBase;
    CHECK(facts->RelocCount > 0);
    if (CHECK_STATUS(LdrRelocateImageTo(moved, info.SizeOfImage, RunAddress), STATUS_SUCCESS)) {
        UCHAR *covered = calloc(1, info.SizeOfImage);
        for (ULONG i = 0; i < facts->RelocCount; i++) {
            ULONG rva = facts->Relocs[i];
            CHECK_EQ(get32(moved, rva), get32(original, rva) + delta);
            memset(covered + rva, 1, 4);
        }
        ULONG image_base = info.NtHeadersOffset + offsetof(IMAGE_NT_HEADERS32, OptionalHeader.ImageBase);
        CHECK_EQ(get32(moved, image_base), RunAddress);
        memset(covered + image_base, 1, 4);
        ULONG stray = 0;
        for (ULONG i = 0; i < info.SizeOfImage; i++)
            if (!covered[i] && moved[i] != original[i])
                stray++;
        CHECK_EQ(stray, 0);
        free(covered);

        /* And back again: the round trip restores every byte. */
        CHECK_STATUS(LdrRelocateImageTo(moved, info.SizeOfImage, info.ImageBase), STATUS_SUCCESS);
        CHECK(memcmp(moved, original, info.SizeOfImage) == 0);
    }
    free(original);
    free(moved);
}

TEST(relocation_moves_exactly_the_highlow_fixups) {
    if (!fixture_ready(&FxDll) || !fixture_ready(&AppExe))
        return;
    check_relocation(&FxDll, 0x31110000);
    check_relocation(&FxDll, 0x00010000); /* downwards: a "negative" delta */
    check_relocation(&AppExe, 0x12340000);
}

TEST(relocated_pointer_points_at_relocated_data) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image == NULL)
        return;
    ULONG counter, counter_ptr;
    PCSTR forwarder;
    const ULONG run = 0x50000000;
    if (CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "counter", 0, &counter, &forwarder),
                     STATUS_SUCCESS) &&
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "counter_ptr", 0, &counter_ptr, &forwarder),
                     STATUS_SUCCESS)) {
        CHECK_EQ(get32(image, counter_ptr), FX_IMAGE_BASE + counter);
        CHECK_EQ(get32(image, counter), 5);
        if (CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, run), STATUS_SUCCESS))
            CHECK_EQ(get32(image, counter_ptr), run + counter);
    }
    free(image);
}

TEST(relocation_with_zero_delta_changes_nothing) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    UCHAR *image = map_fixture(&FxDll, &info);
    UCHAR *original = map_fixture(&FxDll, &info);
    if (image != NULL && original != NULL) {
        CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, FX_IMAGE_BASE), STATUS_SUCCESS);
        CHECK(memcmp(image, original, info.SizeOfImage) == 0);
    }
    free(image);
    free(original);
}

TEST(stripped_image_cannot_move) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FixedExe))
        return;
    UCHAR *image = map_fixture(&FixedExe, &info);
    UCHAR *original = map_fixture(&FixedExe, &info);
    if (image != NULL && original != NULL) {
        CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, 0x01000000), STATUS_INVALID_IMAGE_FORMAT);
        CHECK(memcmp(image, original, info.SizeOfImage) == 0);
        CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, info.ImageBase), STATUS_SUCCESS);
        CHECK(memcmp(image, original, info.SizeOfImage) == 0);

        /* Not marked stripped and no relocation directory: nothing to fix,
         * so moving is allowed and only ImageBase changes. */
        UCHAR *copy = image;
        put16(copy, FH(Characteristics),
              (USHORT)(get16(copy, FH(Characteristics)) & ~IMAGE_FILE_RELOCS_STRIPPED));
        CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, 0x01000000), STATUS_SUCCESS);
        CHECK_EQ(get32(copy, OPT(ImageBase)), 0x01000000);
    }
    free(image);
    free(original);
}

/* A relocation directory broken in one way is refused and leaves every byte
 * of the image as it was (all blocks are checked before any is applied). */
typedef void (*IMAGE_MUTATOR)(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc);

static void reloc_size_too_small(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    put32(Image, Reloc + 4, 6);
}
static void reloc_size_odd(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    put32(Image, Reloc + 4, get32(Image, Reloc + 4) + 1);
}
static void reloc_size_past_directory(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    put32(Image, Reloc + 4, get32(Image, Reloc + 4) + 0x100);
}
static void reloc_size_huge(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    put32(Image, Reloc + 4, 0xFFFFFFF8);
}
/* The first block is good: the bad type sits in the last block, so a
 * one-pass implementation would already have applied the first. */
static ULONG last_block(const UCHAR *Image, ULONG Reloc) {
    const UCHAR *copy = Image;
    ULONG end = Reloc + get32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC)), last = Reloc;
    for (ULONG at = Reloc; at < end; at += get32(Image, at + 4))
        last = at;
    return last;
}
static void reloc_type_high(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    ULONG block = last_block(Image, Reloc);
    put16(Image, block + 8, (USHORT)((IMAGE_REL_BASED_HIGH << 12) | (get16(Image, block + 8) & 0xFFF)));
}
static void reloc_type_dir64(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    ULONG block = last_block(Image, Reloc);
    put16(Image, block + 8, (USHORT)((IMAGE_REL_BASED_DIR64 << 12) | (get16(Image, block + 8) & 0xFFF)));
}
static void reloc_fixup_past_image(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    ULONG block = last_block(Image, Reloc);
    put32(Image, block, Info->SizeOfImage - IMAGE_PAGE_SIZE);
    put16(Image, block + 8, (USHORT)((IMAGE_REL_BASED_HIGHLOW << 12) | 0xFFE)); /* dword at SizeOfImage - 2 */
}
static void reloc_page_wraps(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    (void)Info;
    put32(Image, last_block(Image, Reloc), 0xFFFFF000);
}
static void reloc_directory_past_image(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    const UCHAR *copy = Image;
    (void)Reloc;
    put32(Image, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC),
          Info->SizeOfImage - get32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_BASERELOC)) + 1);
}
static void reloc_trailing_bytes(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    const UCHAR *copy = Image;
    (void)Info;
    (void)Reloc;
    /* 4 more bytes than the blocks: not room for another block header. */
    put32(Image, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC),
          get32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC)) + 4);
}
static void reloc_last_block_odd(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    const UCHAR *copy = Image;
    (void)Info;
    /* Odd, but grown together with the directory so it still fits: only
     * the "multiple of 2" rule is broken. */
    ULONG block = last_block(Image, Reloc);
    put32(Image, block + 4, get32(Image, block + 4) + 1);
    put32(Image, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC),
          get32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC)) + 1);
}
static void reloc_partial_block_at_image_end(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    const UCHAR *copy = Image;
    /* The blocks moved to the image's last bytes, followed by 4 bytes that
     * are not room for a block header: reading one would leave the image. */
    ULONG size = get32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC));
    ULONG at = Info->SizeOfImage - size - 4;
    memmove(Image + at, Image + Reloc, size);
    memset(Image + at + size, 0x08, 4);
    put32(Image, DIR_RVA(IMAGE_DIRECTORY_ENTRY_BASERELOC), at);
    put32(Image, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_BASERELOC), size + 4);
}
static void reloc_marked_stripped(UCHAR *Image, const PE_IMAGE_INFO *Info, ULONG Reloc) {
    const UCHAR *copy = Image;
    (void)Info;
    (void)Reloc;
    put16(Image, FH(Characteristics),
          (USHORT)(get16(copy, FH(Characteristics)) | IMAGE_FILE_RELOCS_STRIPPED));
}

TEST(malformed_relocations_are_refused_and_nothing_is_applied) {
    static const struct {
        const char *What;
        IMAGE_MUTATOR Mutate;
    } cases[] = {
        {"block size < 8", reloc_size_too_small},
        {"block size odd", reloc_size_odd},
        {"block runs past the directory", reloc_size_past_directory},
        {"block size near 4 GiB", reloc_size_huge},
        {"type HIGH", reloc_type_high},
        {"type DIR64", reloc_type_dir64},
        {"fixup straddles the end of the image", reloc_fixup_past_image},
        {"page RVA wraps", reloc_page_wraps},
        {"directory runs past the image", reloc_directory_past_image},
        {"directory has a partial block at the end", reloc_trailing_bytes},
        {"last block odd, directory grown to fit", reloc_last_block_odd},
        {"partial block at the image's end", reloc_partial_block_at_image_end},
        {"relocations marked stripped", reloc_marked_stripped},
    };
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        UCHAR *image = map_fixture(&FxDll, &info);
        if (image == NULL)
            return;
        UCHAR *copy = image;
        cases[i].Mutate(image, &info, get32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_BASERELOC)));
        UCHAR *before = exact_copy(image, info.SizeOfImage);
        if (!CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage, 0x31110000),
                          STATUS_INVALID_IMAGE_FORMAT))
            printf("    case: %s\n", cases[i].What);
        if (!CHECK(memcmp(image, before, info.SizeOfImage) == 0))
            printf("    case: %s (image changed)\n", cases[i].What);
        free(before);
        free(image);
    }
}

TEST(relocation_is_bounded_by_the_smaller_size) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image == NULL)
        return;
    /* Told the mapping is one page short, the fixups in the last pages (and
     * the relocation table itself) fall outside it. */
    CHECK_STATUS(LdrRelocateImageTo(image, info.SizeOfImage - IMAGE_PAGE_SIZE, 0x31110000),
                 STATUS_INVALID_IMAGE_FORMAT);
    CHECK_STATUS(LdrRelocateImageTo(image, 16, 0x31110000), STATUS_INVALID_IMAGE_FORMAT);
    CHECK_STATUS(LdrRelocateImageTo(NULL, info.SizeOfImage, 0x31110000), STATUS_INVALID_IMAGE_FORMAT);
    free(image);
}

/* ---- exports ---- */

TEST(exports_by_name_match_objdump) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    const OBJDUMP_FACTS *facts = &FxDll.Facts;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image == NULL)
        return;
    CHECK_EQ(facts->NameCount, 6);
    for (ULONG i = 0; i < facts->NameCount; i++) {
        ULONG rva = 0;
        PCSTR forwarder = "unset";
        NTSTATUS status =
            LdrFindExportRva(image, info.SizeOfImage, facts->Names[i].Name, 0, &rva, &forwarder);
        if (!CHECK_STATUS(status, STATUS_SUCCESS)) {
            printf("    name: %s\n", facts->Names[i].Name);
            continue;
        }
        for (ULONG j = 0; j < facts->EatCount; j++) {
            if (facts->Eat[j].Index != facts->Names[i].Index)
                continue;
            CHECK_EQ(rva, facts->Eat[j].Rva);
            if (facts->Eat[j].Forwarder[0]) {
                CHECK(forwarder == (PCSTR)image + rva);
                CHECK(forwarder != NULL && strcmp(forwarder, facts->Eat[j].Forwarder) == 0);
            } else {
                CHECK(forwarder == NULL);
            }
        }
    }
    /* The same, from what the .def file says, without objdump. */
    ULONG rva;
    PCSTR forwarder;
    if (CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "Fwd", 0, &rva, &forwarder), STATUS_SUCCESS))
        CHECK(forwarder != NULL && strcmp(forwarder, "OTHER.Target") == 0);
    if (CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FwdTwo", 0, &rva, &forwarder),
                     STATUS_SUCCESS))
        CHECK(forwarder != NULL && strcmp(forwarder, "OTHER.Second") == 0);
    ULONG by_name, by_ordinal;
    if (CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FxAdd", 0, &by_name, &forwarder),
                     STATUS_SUCCESS) &&
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 1, &by_ordinal, &forwarder),
                     STATUS_SUCCESS))
        CHECK_EQ(by_name, by_ordinal);
    PCSTR dll_name;
    if (CHECK_STATUS(LdrGetExportedDllName(image, info.SizeOfImage, &dll_name), STATUS_SUCCESS))
        CHECK(strcmp(dll_name, "fx.dll") == 0);
    free(image);
}

TEST(exports_by_ordinal_match_objdump) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    const OBJDUMP_FACTS *facts = &FxDll.Facts;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image == NULL)
        return;
    CHECK_EQ(facts->OrdinalBase, 1);
    CHECK_EQ(facts->EatCount, 7);
    for (ULONG j = 0; j < facts->EatCount; j++) {
        ULONG rva = 0;
        PCSTR forwarder = "unset";
        ULONG ordinal = facts->OrdinalBase + facts->Eat[j].Index;
        if (!CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, ordinal, &rva, &forwarder),
                          STATUS_SUCCESS))
            continue;
        CHECK_EQ(rva, facts->Eat[j].Rva);
        if (facts->Eat[j].Forwarder[0])
            CHECK(forwarder != NULL && strcmp(forwarder, facts->Eat[j].Forwarder) == 0);
        else
            CHECK(forwarder == NULL);
    }
    /* FxHidden (@5 NONAME) is reachable by ordinal only. */
    ULONG rva;
    PCSTR forwarder;
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 5, &rva, &forwarder), STATUS_SUCCESS);
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FxHidden", 0, &rva, &forwarder),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    /* Ordinal 6 is a hole; 0 is below the base; 9 is past the end. */
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 6, &rva, &forwarder),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 0, &rva, &forwarder),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 9, &rva, &forwarder),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 0xFFFFFFFF, &rva, &forwarder),
                 STATUS_ENTRYPOINT_NOT_FOUND);
    free(image);
}

TEST(missing_exports_are_not_found) {
    static const char *const missing[] = {
        "", "A", "Fw", "FwdZ", "FxAd", "FxAddX", "FxGetcounter", "Zzz", "counter_ptrX", "zzzz", "\xff"};
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll) || !fixture_ready(&AppExe) || !fixture_ready(&TwoDll))
        return;
    UCHAR *image = map_fixture(&FxDll, &info);
    if (image != NULL) {
        for (size_t i = 0; i < ARRAYSIZE(missing); i++) {
            ULONG rva = 1;
            PCSTR forwarder = "unset";
            if (!CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, missing[i], 0, &rva, &forwarder),
                              STATUS_ENTRYPOINT_NOT_FOUND))
                printf("    name: \"%s\"\n", missing[i]);
            CHECK_EQ(rva, 0);
            CHECK(forwarder == NULL);
        }
        ULONG rva;
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FxAdd", 0, NULL, NULL),
                     STATUS_INVALID_PARAMETER);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FxAdd", 0, &rva, NULL),
                     STATUS_INVALID_PARAMETER);
        free(image);
    }
    /* An image with no export directory. */
    image = map_fixture(&AppExe, &info);
    if (image != NULL) {
        ULONG rva;
        PCSTR forwarder, name;
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "FxAdd", 0, &rva, &forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 1, &rva, &forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
        CHECK_STATUS(LdrGetExportedDllName(image, info.SizeOfImage, &name), STATUS_ENTRYPOINT_NOT_FOUND);
        free(image);
    }
    /* two.dll: TwoB is ordinal-only, TwoA and TwoC by name. */
    image = map_fixture(&TwoDll, &info);
    if (image != NULL) {
        ULONG rva;
        PCSTR forwarder;
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "TwoA", 0, &rva, &forwarder), STATUS_SUCCESS);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "TwoC", 0, &rva, &forwarder), STATUS_SUCCESS);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "TwoB", 0, &rva, &forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 7, &rva, &forwarder), STATUS_SUCCESS);
        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, NULL, 8, &rva, &forwarder),
                     STATUS_ENTRYPOINT_NOT_FOUND);
        free(image);
    }
}

/* The export directory of a fresh layout of fx.dll. */
static IMAGE_EXPORT_DIRECTORY read_exports(const UCHAR *Image, ULONG *DirRva) {
    IMAGE_EXPORT_DIRECTORY dir;
    const UCHAR *copy = Image;
    *DirRva = get32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_EXPORT));
    memcpy(&dir, Image + *DirRva, sizeof dir);
    return dir;
}

TEST(malformed_exports_are_refused) {
    enum {
        NAME_POINTERS_PAST_IMAGE,
        NAME_POINTER_WRAPS,
        NAME_UNTERMINATED_AT_END,
        NAME_TABLE_PAST_IMAGE,
        ORDINAL_TABLE_PAST_IMAGE,
        FUNCTION_TABLE_PAST_IMAGE,
        TOO_MANY_FUNCTIONS,
        NAME_ORDINAL_PAST_FUNCTIONS,
        NAME_ORDINAL_FAR_PAST_FUNCTIONS,
        FUNCTION_RVA_PAST_IMAGE,
        FORWARDER_WITHOUT_DOT,
        FORWARDER_UNTERMINATED,
        DIRECTORY_TOO_SMALL,
        DIRECTORY_PAST_IMAGE,
        DLL_NAME_PAST_IMAGE,
        CASE_COUNT
    };
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    for (int c = 0; c < CASE_COUNT; c++) {
        UCHAR *image = map_fixture(&FxDll, &info);
        if (image == NULL)
            return;
        UCHAR *copy = image;
        ULONG dir_rva, fwd_rva = 0;
        PCSTR forwarder;
        ULONG rva;
        IMAGE_EXPORT_DIRECTORY dir = read_exports(image, &dir_rva);
        const char *lookup = "FxAdd";
        ULONG ordinal = 0;
        NTSTATUS expected = STATUS_INVALID_IMAGE_FORMAT;
        ULONG end = info.SizeOfImage;

        CHECK_STATUS(LdrFindExportRva(image, info.SizeOfImage, "Fwd", 0, &fwd_rva, &forwarder),
                     STATUS_SUCCESS);
        switch (c) {
        case NAME_POINTERS_PAST_IMAGE:
            for (ULONG i = 0; i < dir.NumberOfNames; i++)
                put32(image, dir.AddressOfNames + 4 * i, end);
            break;
        case NAME_POINTER_WRAPS:
            for (ULONG i = 0; i < dir.NumberOfNames; i++)
                put32(image, dir.AddressOfNames + 4 * i, 0xFFFFFFFF);
            break;
        case NAME_UNTERMINATED_AT_END:
            /* The last 8 bytes of the image: letters with no NUL after them. */
            memset(image + end - 8, 'F', 8);
            for (ULONG i = 0; i < dir.NumberOfNames; i++)
                put32(image, dir.AddressOfNames + 4 * i, end - 8);
            lookup = "FFFFFFFF";
            break;
        case NAME_TABLE_PAST_IMAGE:
            put32(image, dir_rva + offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNames), end - 4);
            break;
        case ORDINAL_TABLE_PAST_IMAGE:
            put32(image, dir_rva + offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNameOrdinals), end - 2);
            break;
        case FUNCTION_TABLE_PAST_IMAGE:
            put32(image, dir_rva + offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfFunctions), end - 4);
            break;
        case TOO_MANY_FUNCTIONS:
            put32(image, dir_rva + offsetof(IMAGE_EXPORT_DIRECTORY, NumberOfFunctions), 0x40000001);
            ordinal = 1;
            lookup = NULL;
            break;
        case NAME_ORDINAL_PAST_FUNCTIONS:
            for (ULONG i = 0; i < dir.NumberOfNames; i++)
                put16(image, dir.AddressOfNameOrdinals + 2 * i, (USHORT)dir.NumberOfFunctions);
            break;
        case NAME_ORDINAL_FAR_PAST_FUNCTIONS:
            /* Far enough that using it would read past the image. */
            for (ULONG i = 0; i < dir.NumberOfNames; i++)
                put16(image, dir.AddressOfNameOrdinals + 2 * i, 0xFFFF);
            break;
        case FUNCTION_RVA_PAST_IMAGE:
            put32(image, dir.AddressOfFunctions, end); /* ordinal 1, FxAdd */
            break;
        case FORWARDER_WITHOUT_DOT:
            memcpy(image + fwd_rva, "OTHERxTarget", 12);
            lookup = "Fwd";
            break;
        case FORWARDER_UNTERMINATED:
            /* Make the directory reach the image's end and point the
             * forwarder at its last bytes, with no NUL. */
            put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT), end - dir_rva);
            memset(image + end - 6, 'X', 6);
            image[end - 4] = '.';
            put32(image, dir.AddressOfFunctions + 2 * 4, end - 6); /* ordinal 3, Fwd */
            lookup = "Fwd";
            break;
        case DIRECTORY_TOO_SMALL:
            put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT), sizeof(IMAGE_EXPORT_DIRECTORY) - 1);
            break;
        case DIRECTORY_PAST_IMAGE: put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_EXPORT), end - 20); break;
        case DLL_NAME_PAST_IMAGE:
            put32(image, dir_rva + offsetof(IMAGE_EXPORT_DIRECTORY, Name), end);
            CHECK_STATUS(LdrGetExportedDllName(image, info.SizeOfImage, &forwarder),
                         STATUS_INVALID_IMAGE_FORMAT);
            expected = STATUS_SUCCESS; /* lookups do not need the DLL's name */
            break;
        }
        NTSTATUS status = LdrFindExportRva(image, info.SizeOfImage, lookup, ordinal, &rva, &forwarder);
        if (!CHECK_STATUS(status, expected))
            printf("    case %d\n", c);
        free(image);
    }
}

/* ---- imports ---- */

#define MAX_CALLS 32

typedef struct _IMPORT_LOG {
    ULONG Count;
    ULONG FailAt; /* return STATUS_NOT_FOUND on this call (1-based); 0 = never */
    UCHAR *Image;
    struct {
        char Dll[MAX_NAME];
        char Name[MAX_NAME];
        ULONG NameRva; /* of ImportName; 0 for ordinals */
        USHORT Hint;
        ULONG Ordinal;
        ULONG SlotRva;
    } Calls[MAX_CALLS];
} IMPORT_LOG;

static NTSTATUS log_import(PVOID Context, PCSTR DllName, PCSTR ImportName, USHORT Hint, ULONG Ordinal,
                           ULONG *IatSlot) {
    IMPORT_LOG *log = Context;
    ULONG n = log->Count++;
    if (n < MAX_CALLS) {
        copy_word(log->Calls[n].Dll, DllName);
        copy_word(log->Calls[n].Name, ImportName ? ImportName : "");
        log->Calls[n].NameRva = ImportName ? (ULONG)((const UCHAR *)ImportName - log->Image) : 0;
        log->Calls[n].Hint = Hint;
        log->Calls[n].Ordinal = Ordinal;
        log->Calls[n].SlotRva = (ULONG)((UCHAR *)IatSlot - log->Image);
        *IatSlot = 0xB0000000u + n; /* what a loader would store: the import's address */
    }
    if (log->FailAt != 0 && log->Count == log->FailAt)
        return STATUS_NOT_FOUND;
    return STATUS_SUCCESS;
}

TEST(imports_are_listed_exactly_in_order) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&AppExe))
        return;
    const OBJDUMP_FACTS *facts = &AppExe.Facts;
    UCHAR *image = map_fixture(&AppExe, &info);
    if (image == NULL)
        return;
    IMPORT_LOG *log = calloc(1, sizeof *log);
    log->Image = image;
    if (CHECK_STATUS(LdrEnumerateImports(image, info.SizeOfImage, log_import, log), STATUS_SUCCESS) &&
        CHECK_EQ(log->Count, facts->ImportCount)) {
        for (ULONG i = 0; i < log->Count; i++) {
            CHECK(strcmp(log->Calls[i].Dll, facts->Imports[i].Dll) == 0);
            CHECK(strcmp(log->Calls[i].Name, facts->Imports[i].Name) == 0);
            CHECK_EQ(log->Calls[i].SlotRva, facts->Imports[i].SlotRva);
            if (facts->Imports[i].Name[0]) {
                CHECK_EQ(log->Calls[i].Hint, facts->Imports[i].HintOrOrdinal);
                CHECK_EQ(log->Calls[i].Ordinal, 0);
                CHECK_EQ(log->Calls[i].NameRva, facts->Imports[i].HintNameRva + 2);
            } else {
                CHECK_EQ(log->Calls[i].Ordinal, facts->Imports[i].HintOrOrdinal);
                CHECK_EQ(log->Calls[i].Hint, 0);
            }
            /* The callback's store went into the IAT. */
            CHECK_EQ(get32(image, log->Calls[i].SlotRva), 0xB0000000u + i);
        }
    }
    /* What the program imports, from its source, independently of objdump:
     * seven imports from two DLLs, two of them by ordinal. */
    static const struct {
        const char *Dll, *Name;
        ULONG Ordinal;
    } expected[] = {
        {"fx.dll", "FxAdd", 0},   {"fx.dll", "FxGetCounter", 0}, {"fx.dll", NULL, 5},
        {"fx.dll", "counter", 0}, {"two.dll", "TwoA", 0},        {"two.dll", NULL, 7},
        {"two.dll", "TwoC", 0},
    };
    CHECK_EQ(log->Count, ARRAYSIZE(expected));
    for (size_t e = 0; e < ARRAYSIZE(expected); e++) {
        BOOLEAN seen = FALSE;
        for (ULONG i = 0; i < log->Count && i < MAX_CALLS; i++)
            if (strcmp(log->Calls[i].Dll, expected[e].Dll) == 0 &&
                strcmp(log->Calls[i].Name, expected[e].Name ? expected[e].Name : "") == 0 &&
                log->Calls[i].Ordinal == expected[e].Ordinal)
                seen = TRUE;
        if (!CHECK(seen))
            printf("    missing import %s!%s #%u\n", expected[e].Dll,
                   expected[e].Name ? expected[e].Name : "", expected[e].Ordinal);
    }
    free(log);
    free(image);
}

TEST(imports_stop_at_the_first_callback_failure) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&AppExe))
        return;
    UCHAR *image = map_fixture(&AppExe, &info);
    if (image == NULL)
        return;
    IMPORT_LOG *log = calloc(1, sizeof *log);
    log->Image = image;
    log->FailAt = 3;
    CHECK_STATUS(LdrEnumerateImports(image, info.SizeOfImage, log_import, log), STATUS_NOT_FOUND);
    CHECK_EQ(log->Count, 3);
    CHECK_STATUS(LdrEnumerateImports(image, info.SizeOfImage, NULL, log), STATUS_INVALID_PARAMETER);
    free(log);
    free(image);
}

TEST(images_without_imports_call_nothing) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll) || !fixture_ready(&TwoDll))
        return;
    const FIXTURE *fixtures[] = {&FxDll, &TwoDll};
    for (size_t f = 0; f < ARRAYSIZE(fixtures); f++) {
        UCHAR *image = map_fixture(fixtures[f], &info);
        if (image == NULL)
            continue;
        IMPORT_LOG *log = calloc(1, sizeof *log);
        log->Image = image;
        CHECK_STATUS(LdrEnumerateImports(image, info.SizeOfImage, log_import, log), STATUS_SUCCESS);
        CHECK_EQ(log->Count, 0);
        free(log);
        free(image);
    }
}

TEST(descriptor_without_iat_ends_the_import_table) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&AppExe))
        return;
    UCHAR *image = map_fixture(&AppExe, &info);
    if (image == NULL)
        return;
    UCHAR *copy = image;
    ULONG second = get32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_IMPORT)) + sizeof(IMAGE_IMPORT_DESCRIPTOR);
    /* As NT: the walk ends at the first descriptor whose Name or FirstThunk
     * is 0, so two.dll's imports are not reached. */
    put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, FirstThunk), 0);
    IMPORT_LOG *log = calloc(1, sizeof *log);
    log->Image = image;
    if (CHECK_STATUS(LdrEnumerateImports(image, info.SizeOfImage, log_import, log), STATUS_SUCCESS)) {
        CHECK_EQ(log->Count, 4);
        for (ULONG i = 0; i < log->Count && i < MAX_CALLS; i++)
            CHECK(strcmp(log->Calls[i].Dll, "fx.dll") == 0);
    }
    free(log);
    free(image);
}

TEST(malformed_imports_are_refused_before_any_callback) {
    enum {
        HINT_NAME_UNTERMINATED_AT_END,
        HINT_NAME_PAST_IMAGE,
        HINT_NAME_LAST_BYTE,
        DLL_NAME_UNTERMINATED_AT_END,
        DLL_NAME_PAST_IMAGE,
        LOOKUP_TABLE_PAST_IMAGE,
        LOOKUP_TABLE_RUNS_OFF_THE_END,
        IAT_PAST_IMAGE,
        IAT_MISALIGNED,
        ORDINAL_RESERVED_BITS,
        DESCRIPTORS_RUN_OFF_THE_END,
        DIRECTORY_PAST_IMAGE,
        EMPTY_IMPORT_NAME,
        CASE_COUNT
    };
    PE_IMAGE_INFO info;
    if (!fixture_ready(&AppExe))
        return;
    for (int c = 0; c < CASE_COUNT; c++) {
        UCHAR *image = map_fixture(&AppExe, &info);
        if (image == NULL)
            return;
        UCHAR *copy = image;
        ULONG end = info.SizeOfImage;
        ULONG dir = get32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_IMPORT));
        /* The second descriptor (two.dll), so a one-pass walk would already
         * have called back for all of fx.dll's imports. */
        ULONG second = dir + sizeof(IMAGE_IMPORT_DESCRIPTOR);
        IMAGE_IMPORT_DESCRIPTOR descriptor;
        memcpy(&descriptor, image + second, sizeof descriptor);
        ULONG lookup = descriptor.OriginalFirstThunk;
        ULONG first_name = get32(image, lookup); /* TwoA's hint/name */

        switch (c) {
        case HINT_NAME_UNTERMINATED_AT_END:
            memset(image + end - 6, 'A', 6);
            put32(image, lookup, end - 6);
            break;
        case HINT_NAME_PAST_IMAGE: put32(image, lookup, end); break;
        case HINT_NAME_LAST_BYTE:
            put32(image, lookup, end - 1); /* not even room for the hint */
            break;
        case DLL_NAME_UNTERMINATED_AT_END:
            memset(image + end - 5, 'D', 5);
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, Name), end - 5);
            break;
        case DLL_NAME_PAST_IMAGE:
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, Name), 0xFFFFFFF0);
            break;
        case LOOKUP_TABLE_PAST_IMAGE:
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, OriginalFirstThunk), end);
            break;
        case LOOKUP_TABLE_RUNS_OFF_THE_END:
            /* Nonzero entries up to the very end: no terminator. */
            for (ULONG at = end - 16; at < end; at += 4)
                put32(image, at, first_name);
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, OriginalFirstThunk), end - 16);
            break;
        case IAT_PAST_IMAGE:
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, FirstThunk), end - 4);
            break;
        case IAT_MISALIGNED:
            put32(image, second + offsetof(IMAGE_IMPORT_DESCRIPTOR, FirstThunk), descriptor.FirstThunk + 2);
            break;
        case ORDINAL_RESERVED_BITS: put32(image, lookup, IMAGE_ORDINAL_FLAG32 | 0x00010007u); break;
        case DESCRIPTORS_RUN_OFF_THE_END:
            /* A directory at the image's end whose descriptor is cut off. */
            memset(image + end - 12, 0x11, 12);
            put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_IMPORT), end - 12);
            put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_IMPORT), 12);
            break;
        case DIRECTORY_PAST_IMAGE: put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_IMPORT), end); break;
        case EMPTY_IMPORT_NAME: image[first_name + 2] = 0; break;
        }
        IMPORT_LOG *log = calloc(1, sizeof *log);
        log->Image = image;
        UCHAR *before = exact_copy(image, end);
        if (!CHECK_STATUS(LdrEnumerateImports(image, end, log_import, log), STATUS_INVALID_IMAGE_FORMAT) ||
            !CHECK_EQ(log->Count, 0) || !CHECK(memcmp(image, before, end) == 0))
            printf("    case %d\n", c);
        free(before);
        free(log);
        free(image);
    }
}

/* ---- malformed files ---- */

TEST(every_truncation_is_refused) {
    if (!fixture_ready(&FxDll) || !fixture_ready(&AppExe))
        return;
    const FIXTURE *fixtures[] = {&FxDll, &AppExe};
    for (size_t f = 0; f < ARRAYSIZE(fixtures); f++) {
        const FIXTURE *fixture = fixtures[f];
        PE_IMAGE_INFO info;
        if (!CHECK_STATUS(RtlValidateImageFile(fixture->Data, fixture->Size, &info), STATUS_SUCCESS))
            continue;
        /* Precondition: the last raw data ends at the end of the file, so
         * any shorter file is missing something the headers promise. */
        ULONG raw_end = 0;
        for (ULONG i = 0; i < info.NumberOfSections; i++) {
            PE_SECTION_INFO section;
            const UCHAR *copy = fixture->Data;
            if (RtlGetImageFileSection(fixture->Data, fixture->Size, &info, i, &section) == STATUS_SUCCESS &&
                section.RawSize != 0) {
                ULONG end = section.RawOffset + get32(copy, SEC(i, SizeOfRawData));
                if (end > raw_end)
                    raw_end = end;
            }
        }
        CHECK_EQ(raw_end, fixture->Size);
        ULONG wrong = 0;
        for (SIZE_T size = 0; size < fixture->Size; size++) {
            if (validate(fixture->Data, size) != STATUS_INVALID_IMAGE_FORMAT) {
                if (wrong++ < 5)
                    printf("    %s truncated to %zu bytes was not refused\n", fixture->Name, size);
            }
        }
        CHECK_EQ(wrong, 0);
        CHECK_STATUS(validate(fixture->Data, fixture->Size), STATUS_SUCCESS);
    }
}

TEST(validation_rejects_null_arguments) {
    PE_IMAGE_INFO info;
    if (!fixture_ready(&FxDll))
        return;
    CHECK_STATUS(RtlValidateImageFile(NULL, 100, &info), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlValidateImageFile(FxDll.Data, FxDll.Size, NULL), STATUS_INVALID_PARAMETER);
    CHECK_STATUS(RtlLayoutImage(FxDll.Data, FxDll.Size, NULL, NULL), STATUS_INVALID_PARAMETER);
}

/* One field of a good file set to a bad value. */
typedef struct _FIELD_CASE {
    const char *What;
    ULONG Offset;
    int Width; /* 2 or 4 */
    ULONG Value;
} FIELD_CASE;

static void check_field_cases(const FIXTURE *Fixture, const FIELD_CASE *Cases, size_t Count) {
    for (size_t i = 0; i < Count; i++) {
        UCHAR *copy = exact_copy(Fixture->Data, Fixture->Size);
        if (Cases[i].Width == 2)
            put16(copy, Cases[i].Offset, (USHORT)Cases[i].Value);
        else
            put32(copy, Cases[i].Offset, Cases[i].Value);
        PE_IMAGE_INFO info;
        if (!CHECK_STATUS(RtlValidateImageFile(copy, Fixture->Size, &info), STATUS_INVALID_IMAGE_FORMAT))
            printf("    %s: %s\n", Fixture->Name, Cases[i].What);
        free(copy);
    }
}

TEST(malformed_headers_are_refused) {
    if (!fixture_ready(&FxDll))
        return;
    const UCHAR *copy = FxDll.Data;
    ULONG size = (ULONG)FxDll.Size;
    PE_IMAGE_INFO info;
    if (!CHECK_STATUS(RtlValidateImageFile(copy, size, &info), STATUS_SUCCESS))
        return;
    ULONG lfanew = offsetof(IMAGE_DOS_HEADER, e_lfanew);
    const FIELD_CASE cases[] = {
        {"bad MZ", 0, 2, 0x4D5A},
        {"e_lfanew past the end", lfanew, 4, size},
        {"e_lfanew far past the end", lfanew, 4, 0x7FFFFFF0},
        {"e_lfanew negative", lfanew, 4, 0xFFFFFFF0},
        {"e_lfanew misaligned", lfanew, 4, info.NtHeadersOffset + 1},
        {"e_lfanew inside the DOS header", lfanew, 4, 0x20},
        {"e_lfanew past the first page", lfanew, 4, IMAGE_PAGE_SIZE - 200},
        {"bad PE signature", info.NtHeadersOffset, 4, 0x00014550},
        {"wrong machine (AMD64)", FH(Machine), 2, IMAGE_FILE_MACHINE_AMD64},
        {"machine unknown", FH(Machine), 2, 0},
        {"not an executable image", FH(Characteristics), 2, IMAGE_FILE_DLL | IMAGE_FILE_32BIT_MACHINE},
        {"no sections", FH(NumberOfSections), 2, 0},
        {"97 sections", FH(NumberOfSections), 2, 97},
        {"section table past the headers", FH(NumberOfSections), 2, 20},
        {"optional header too small", FH(SizeOfOptionalHeader), 2, 0x50},
        {"optional header short of its directories", FH(SizeOfOptionalHeader), 2, 96 + 8 * 15},
        {"optional header past the end", FH(SizeOfOptionalHeader), 2, 0xFFFF},
        {"PE32+ magic", OPT(Magic), 2, IMAGE_NT_OPTIONAL_HDR64_MAGIC},
        {"ROM magic", OPT(Magic), 2, IMAGE_ROM_OPTIONAL_HDR_MAGIC},
        {"17 data directories", OPT(NumberOfRvaAndSizes), 4, 17},
        {"section alignment 512", OPT(SectionAlignment), 4, 512},
        {"section alignment 0", OPT(SectionAlignment), 4, 0},
        {"section alignment not a power of two", OPT(SectionAlignment), 4, 0x3000},
        {"file alignment 256", OPT(FileAlignment), 4, 256},
        {"file alignment not a power of two", OPT(FileAlignment), 4, 0x300},
        {"file alignment above section alignment", OPT(FileAlignment), 4, 0x2000},
        {"image base not 64 KiB aligned", OPT(ImageBase), 4, FX_IMAGE_BASE + 0x1000},
        {"image base in kernel space", OPT(ImageBase), 4, 0x80000000},
        {"image base 0", OPT(ImageBase), 4, 0},
        {"image starts at 0x7FFF0000", OPT(ImageBase), 4, IMAGE_HIGHEST_END},
        {"image base wraps", OPT(ImageBase), 4, 0xFFFF0000},
        {"size of image not aligned", OPT(SizeOfImage), 4, info.SizeOfImage + 0x200},
        {"size of image 0", OPT(SizeOfImage), 4, 0},
        {"size of image too small for the sections", OPT(SizeOfImage), 4, info.SizeOfImage - 0x1000},
        {"size of headers past the end", OPT(SizeOfHeaders), 4, size + 1},
        {"size of headers short of the section table", OPT(SizeOfHeaders), 4, section_header(copy, 1)},
        {"size of headers 0", OPT(SizeOfHeaders), 4, 0},
        {"entry point at the end of the image", OPT(AddressOfEntryPoint), 4, info.SizeOfImage},
        {"entry point far outside", OPT(AddressOfEntryPoint), 4, 0xFFFFFFFF},
        {"export directory past the image", DIR_SIZE(IMAGE_DIRECTORY_ENTRY_EXPORT), 4, info.SizeOfImage},
        {"directory wraps", DIR_RVA(IMAGE_DIRECTORY_ENTRY_DEBUG), 4, 0xFFFFFFF0},
        {"security directory past the file", DIR_RVA(IMAGE_DIRECTORY_ENTRY_SECURITY), 4, size + 8},
        {"unused directory past the image", DIR_RVA(15), 4, info.SizeOfImage + 0x1000},
    };
    check_field_cases(&FxDll, cases, ARRAYSIZE(cases));

    /* Rules that only a consistent file can isolate: the NT headers and the
     * section table moved together, so nothing but the rule is broken. */
    ULONG nt = info.NtHeadersOffset, table = section_header(copy, 0);
    ULONG table_size = info.NumberOfSections * (ULONG)sizeof(IMAGE_SECTION_HEADER);
    UCHAR *bad = exact_copy(FxDll.Data, FxDll.Size);
    memmove(bad + nt + 4, bad + nt, table + table_size - nt);
    put32(bad, lfanew, nt + 4);
    CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS); /* control: moved by 4 */
    free(bad);
    bad = exact_copy(FxDll.Data, FxDll.Size);
    memmove(bad + nt + 2, bad + nt, table + table_size - nt);
    put32(bad, lfanew, nt + 2);
    CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT); /* moved by 2 */
    free(bad);
    /* The optional header 8 bytes short of its 16 directories, the section
     * table right after it. */
    bad = exact_copy(FxDll.Data, FxDll.Size);
    {
        UCHAR *copy = bad; /* for the offset macros */
        memmove(bad + table - 8, bad + table, table_size);
        put16(copy, FH(SizeOfOptionalHeader), (USHORT)(get16(copy, FH(SizeOfOptionalHeader)) - 8));
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
        put32(copy, OPT(NumberOfRvaAndSizes), 15); /* control: now consistent */
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS);
    }
    free(bad);

    bad = exact_copy(FxDll.Data, FxDll.Size);
    {
        UCHAR *copy = bad; /* for the offset macros */
        put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_DEBUG), 0xFFFFFFF0);
        put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_DEBUG), 0x20);
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
        put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_DEBUG), 0);
        put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_DEBUG), 0);
        /* Security directory: a file offset, good when inside the file. */
        put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_SECURITY), size - 16);
        put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_SECURITY), 16);
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS);
        put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_SECURITY), 17);
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
        put32(copy, DIR_RVA(IMAGE_DIRECTORY_ENTRY_SECURITY), 0);
        put32(copy, DIR_SIZE(IMAGE_DIRECTORY_ENTRY_SECURITY), 0);
        /* The end of user space: ending exactly at 0x7FFF0000 is fine, one
         * page further is not. */
        put32(copy, OPT(ImageBase), IMAGE_HIGHEST_END - 0x10000);
        put32(copy, OPT(SizeOfImage), 0x10000);
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS);
        put32(copy, OPT(SizeOfImage), 0x11000);
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    }
    free(bad);
}

TEST(malformed_sections_are_refused) {
    if (!fixture_ready(&FxDll))
        return;
    const UCHAR *copy = FxDll.Data;
    ULONG size = (ULONG)FxDll.Size;
    PE_IMAGE_INFO info;
    if (!CHECK_STATUS(RtlValidateImageFile(copy, size, &info), STATUS_SUCCESS))
        return;
    ULONG last = info.NumberOfSections - 1u;
    ULONG va0 = get32(copy, SEC(0, VirtualAddress)), va1 = get32(copy, SEC(1, VirtualAddress));
    const FIELD_CASE cases[] = {
        {"section raw data past EOF", SEC(last, PointerToRawData), 4, size - 0x100},
        {"section raw size past EOF", SEC(last, SizeOfRawData), 4,
         get32(copy, SEC(last, SizeOfRawData)) + 0x200},
        {"section raw pointer wraps", SEC(0, PointerToRawData), 4, 0xFFFFFF00},
        {"section outside SizeOfImage", SEC(last, VirtualAddress), 4, info.SizeOfImage},
        {"section runs past SizeOfImage", SEC(last, Misc.VirtualSize), 4, 0x1001},
        {"section virtual size wraps", SEC(last, Misc.VirtualSize), 4, 0xFFFFFFFF},
        {"section misaligned", SEC(1, VirtualAddress), 4, va1 + 0x200},
        {"sections overlap", SEC(1, VirtualAddress), 4, va0},
        {"section overlaps the next", SEC(0, Misc.VirtualSize), 4, va1 - va0 + 1},
        {"section over the headers", SEC(0, VirtualAddress), 4, 0},
        {"sections descending", SEC(last, VirtualAddress), 4, va0},
    };
    check_field_cases(&FxDll, cases, ARRAYSIZE(cases));

    /* Two sections swapped: each is fine, the order is not. */
    UCHAR *bad = exact_copy(FxDll.Data, FxDll.Size);
    IMAGE_SECTION_HEADER a, b;
    memcpy(&a, bad + section_header(bad, 0), sizeof a);
    memcpy(&b, bad + section_header(bad, 1), sizeof b);
    memcpy(bad + section_header(bad, 0), &b, sizeof b);
    memcpy(bad + section_header(bad, 1), &a, sizeof a);
    CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    free(bad);

    /* Still good: VirtualSize 0 means SizeOfRawData; a gap between sections;
     * raw data larger than the virtual size (copy stops at the pages). */
    const struct {
        const char *What;
        ULONG Offset, Value;
    } good[] = {
        {"virtual size 0", SEC(0, Misc.VirtualSize), 0},
        {"raw data longer than virtual size", SEC(0, Misc.VirtualSize), 4},
    };
    for (size_t i = 0; i < ARRAYSIZE(good); i++) {
        bad = exact_copy(FxDll.Data, FxDll.Size);
        put32(bad, good[i].Offset, good[i].Value);
        if (!CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS))
            printf("    %s\n", good[i].What);
        free(bad);
    }
    /* A gap: the last section moved up a page in a larger image. */
    bad = exact_copy(FxDll.Data, FxDll.Size);
    put32(bad, SEC(last, VirtualAddress), get32(copy, SEC(last, VirtualAddress)) + info.SectionAlignment);
    put32(bad, OPT(SizeOfImage), info.SizeOfImage + info.SectionAlignment);
    CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS);
    free(bad);
    /* The same with the section moved by less than SectionAlignment. */
    bad = exact_copy(FxDll.Data, FxDll.Size);
    put32(bad, SEC(last, VirtualAddress), get32(copy, SEC(last, VirtualAddress)) + info.FileAlignment);
    put32(bad, OPT(SizeOfImage), get32(copy, OPT(SizeOfImage)) + info.SectionAlignment);
    CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    free(bad);

    bad = exact_copy(FxDll.Data, FxDll.Size);
    put32(bad, SEC(0, Misc.VirtualSize), 0);
    PE_SECTION_INFO section;
    if (CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS) &&
        CHECK_STATUS(RtlGetImageFileSection(bad, FxDll.Size, &info, 0, &section), STATUS_SUCCESS)) {
        CHECK_EQ(section.VirtualSize, get32(copy, SEC(0, SizeOfRawData)));
        CHECK_EQ(section.RawSize, section.VirtualSize);
    }
    put32(bad, SEC(0, Misc.VirtualSize), 4);
    if (CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS) &&
        CHECK_STATUS(RtlGetImageFileSection(bad, FxDll.Size, &info, 0, &section), STATUS_SUCCESS)) {
        CHECK_EQ(section.MappedSize, info.SectionAlignment);
        CHECK_EQ(section.RawSize, get32(copy, SEC(0, SizeOfRawData)));
    }
    free(bad);

    /* Raw data longer than the section's pages: only the pages' worth is
     * copied, so the next section is not overwritten. Section 0 is pointed
     * at the whole file (inside it, so valid). */
    bad = exact_copy(FxDll.Data, FxDll.Size);
    put32(bad, SEC(0, PointerToRawData), 0);
    put32(bad, SEC(0, SizeOfRawData), size);
    if (CHECK(size > info.SectionAlignment) &&
        CHECK_STATUS(RtlValidateImageFile(bad, FxDll.Size, &info), STATUS_SUCCESS) &&
        CHECK_STATUS(RtlGetImageFileSection(bad, FxDll.Size, &info, 0, &section), STATUS_SUCCESS)) {
        CHECK_EQ(section.RawSize, info.SectionAlignment);
        CHECK_EQ(section.RawOffset, 0);
        UCHAR *image = calloc(1, info.SizeOfImage);
        PE_SECTION_INFO next;
        if (CHECK_STATUS(RtlLayoutImage(bad, FxDll.Size, &info, image), STATUS_SUCCESS) &&
            CHECK_STATUS(RtlGetImageFileSection(bad, FxDll.Size, &info, 1, &next), STATUS_SUCCESS)) {
            CHECK(memcmp(image + section.VirtualAddress, bad, section.RawSize) == 0);
            CHECK(memcmp(image + next.VirtualAddress, bad + next.RawOffset, next.RawSize) == 0);
        }
        free(image);
    }
    free(bad);

    /* A forged Info cannot lead the iterator or the layout outside the file. */
    PE_IMAGE_INFO valid, forged;
    if (CHECK_STATUS(RtlValidateImageFile(FxDll.Data, FxDll.Size, &valid), STATUS_SUCCESS)) {
        forged = valid;
        forged.SectionTableOffset = size - 8;
        forged.SizeOfHeaders = size;
        CHECK_STATUS(RtlGetImageFileSection(FxDll.Data, FxDll.Size, &forged, 0, &section),
                     STATUS_INVALID_IMAGE_FORMAT);
        forged = valid;
        forged.SectionAlignment = 3; /* not a power of two */
        CHECK_STATUS(RtlGetImageFileSection(FxDll.Data, FxDll.Size, &forged, 0, &section),
                     STATUS_INVALID_IMAGE_FORMAT);
        forged = valid;
        forged.SizeOfImage = valid.SizeOfImage - valid.SectionAlignment; /* the last section no longer fits */
        CHECK_STATUS(RtlGetImageFileSection(FxDll.Data, FxDll.Size, &forged, last, &section),
                     STATUS_INVALID_IMAGE_FORMAT);
        UCHAR *image = calloc(1, valid.SizeOfImage);
        forged = valid;
        forged.SizeOfHeaders = valid.SizeOfImage + 1;
        CHECK_STATUS(RtlLayoutImage(FxDll.Data, FxDll.Size, &forged, image), STATUS_INVALID_IMAGE_FORMAT);
        forged = valid;
        forged.SizeOfImage = valid.SizeOfImage - valid.SectionAlignment;
        CHECK_STATUS(RtlLayoutImage(FxDll.Data, FxDll.Size, &forged, image), STATUS_INVALID_IMAGE_FORMAT);
        free(image);
    }
}

TEST(more_than_96_sections_are_refused) {
    if (!fixture_ready(&ManyDll))
        return;
    PE_IMAGE_INFO info;
    UCHAR *copy = exact_copy(ManyDll.Data, ManyDll.Size);
    CHECK(ManyDll.Facts.SectionCount > IMAGE_MAX_SECTIONS);
    CHECK_EQ(get16(copy, FH(NumberOfSections)), ManyDll.Facts.SectionCount);
    CHECK_STATUS(RtlValidateImageFile(copy, ManyDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    /* The same file declaring only its first 97, then 96 sections (the rest
     * become unused bytes): only the count decides. */
    put16(copy, FH(NumberOfSections), IMAGE_MAX_SECTIONS + 1);
    CHECK_STATUS(RtlValidateImageFile(copy, ManyDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    put16(copy, FH(NumberOfSections), IMAGE_MAX_SECTIONS);
    if (CHECK_STATUS(RtlValidateImageFile(copy, ManyDll.Size, &info), STATUS_SUCCESS)) {
        CHECK_EQ(info.NumberOfSections, IMAGE_MAX_SECTIONS);
        CHECK_EQ(info.SectionAlignment, 0x2000);
        CHECK_EQ(info.SizeOfHeaders, ManyDll.Facts.SizeOfHeaders);
        CHECK(info.SizeOfHeaders > IMAGE_PAGE_SIZE);
    }
    /* With the first section moved onto the headers' second page (what ld
     * does with 4 KiB sections and this many), the file is refused. */
    put32(copy, SEC(0, VirtualAddress), IMAGE_PAGE_SIZE);
    put32(copy, OPT(SectionAlignment), IMAGE_PAGE_SIZE);
    CHECK_STATUS(RtlValidateImageFile(copy, ManyDll.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    free(copy);
}

TEST(exe_without_entry_point_is_refused) {
    if (!fixture_ready(&AppExe))
        return;
    UCHAR *copy = exact_copy(AppExe.Data, AppExe.Size);
    PE_IMAGE_INFO info;
    put32(copy, OPT(AddressOfEntryPoint), 0);
    CHECK_STATUS(RtlValidateImageFile(copy, AppExe.Size, &info), STATUS_INVALID_IMAGE_FORMAT);
    /* The same image marked as a DLL may have no entry point. */
    put16(copy, FH(Characteristics), (USHORT)(get16(copy, FH(Characteristics)) | IMAGE_FILE_DLL));
    CHECK_STATUS(RtlValidateImageFile(copy, AppExe.Size, &info), STATUS_SUCCESS);
    free(copy);
}

/* ---- main ---- */

int main(void) {
    build_fixtures();

    RUN(fx_dll_info_matches_objdump);
    RUN(two_dll_without_entry_point_is_valid);
    RUN(app_exe_info_matches_objdump);
    RUN(fixed_exe_reports_stripped_relocations);
    RUN(sections_match_objdump);
    RUN(layout_places_headers_and_sections);
    RUN(mapped_header_accessors_refuse_bad_input);
    RUN(relocation_moves_exactly_the_highlow_fixups);
    RUN(relocated_pointer_points_at_relocated_data);
    RUN(relocation_with_zero_delta_changes_nothing);
    RUN(stripped_image_cannot_move);
    RUN(malformed_relocations_are_refused_and_nothing_is_applied);
    RUN(relocation_is_bounded_by_the_smaller_size);
    RUN(exports_by_name_match_objdump);
    RUN(exports_by_ordinal_match_objdump);
    RUN(missing_exports_are_not_found);
    RUN(malformed_exports_are_refused);
    RUN(imports_are_listed_exactly_in_order);
    RUN(imports_stop_at_the_first_callback_failure);
    RUN(images_without_imports_call_nothing);
    RUN(descriptor_without_iat_ends_the_import_table);
    RUN(malformed_imports_are_refused_before_any_callback);
    RUN(every_truncation_is_refused);
    RUN(validation_rejects_null_arguments);
    RUN(malformed_headers_are_refused);
    RUN(malformed_sections_are_refused);
    RUN(more_than_96_sections_are_refused);
    RUN(exe_without_entry_point_is_refused);

    /* Keep the fixtures for a look when something failed. */
    if (ut_state()->Failed == 0 && FixtureDir[0] != 0 && strncmp(FixtureDir, "pe_fixtures.", 12) == 0) {
        char command[512];
        snprintf(command, sizeof command, "rm -rf '%s'", FixtureDir);
        if (system(command) != 0)
            printf("could not remove %s\n", FixtureDir);
    } else if (FixtureDir[0] != 0) {
        printf("fixtures kept in %s\n", FixtureDir);
    }
    return UtFinish();
}
