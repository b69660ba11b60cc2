; entry.asm - the multiboot2 header and the first instructions of ntoskrnl.
;
; Why: GRUB enters us in 32-bit protected mode with paging off, EAX holding the
; multiboot2 magic and EBX the physical address of the boot information. The
; kernel is linked in the higher half at 0x80100000 (NT's layout) but loaded at
; physical 1 MiB, so before any C runs we build a boot page directory that maps
; physical 0-16 MiB both at 0 (so the next instruction still exists) and at
; 0x80000000, install NT's page-table self-map at 0xC0000000, turn paging on and
; jump up. KiSystemStartup later drops the identity map.

bits 32

MB2_MAGIC          equ 0xE85250D6
MB2_ARCH_I386      equ 0
MB2_TAG_END        equ 0
MB2_TAG_FRAMEBUFFER equ 5
MB2_TAG_MODULE_ALIGN equ 6
MB2_BOOTLOADER_MAGIC equ 0x36D76289

KSEG0_BASE         equ 0x80000000      ; kernel virtual = physical + KSEG0_BASE
BOOT_MAP_TABLES    equ 4               ; 4 page tables map 16 MiB
PDE_SELFMAP_INDEX  equ 0x300           ; 0xC0000000 >> 22
PDE_KSEG0_INDEX    equ 0x200           ; 0x80000000 >> 22
PG_PRESENT_WRITE   equ 0x003
CR0_PG             equ 0x80000000
CR0_WP             equ 0x00010000

section .multiboot
align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
align 8
    ; Ask for a 1024x768x32 linear framebuffer (multiboot2 spec 3.1.10).
    dw MB2_TAG_FRAMEBUFFER, 0
    dd 20
    dd 1024, 768, 32
align 8
    ; Page-align modules so the system image can be mapped page by page.
    dw MB2_TAG_MODULE_ALIGN, 0
    dd 8
align 8
    dw MB2_TAG_END, 0
    dd 8
mb2_header_end:

section .text
global KiBootEntry
extern KiSystemStartup
extern __bss_start
extern __bss_end

; Runs at its physical address (GRUB translates the ELF entry; see linker.ld).
KiBootEntry:
    cli
    cld
    mov esi, eax                        ; multiboot2 magic
    mov ebp, ebx                        ; boot information (physical)

    ; Clear .bss (which holds the boot stack and page tables): GRUB
    ; zero-fills it too, but the page directory must be clean whatever
    ; loaded us. No stack is used before this point.
    mov edi, __bss_start - KSEG0_BASE
    mov ecx, __bss_end - KSEG0_BASE
    sub ecx, edi
    shr ecx, 2
    xor eax, eax
    rep stosd

    ; Fill the boot page tables: entry i maps physical page i.
    mov ebx, KiBootPageTables - KSEG0_BASE
    xor ecx, ecx
.fill_pte:
    mov eax, ecx
    shl eax, 12
    or eax, PG_PRESENT_WRITE
    mov [ebx + ecx * 4], eax
    inc ecx
    cmp ecx, BOOT_MAP_TABLES * 1024
    jb .fill_pte

    ; Point the identity and KSEG0 directory entries at those tables.
    mov edx, KiBootPageDirectory - KSEG0_BASE
    xor ecx, ecx
.fill_pde:
    mov eax, ecx
    shl eax, 12
    add eax, KiBootPageTables - KSEG0_BASE
    or eax, PG_PRESENT_WRITE
    mov [edx + ecx * 4], eax
    mov [edx + (PDE_KSEG0_INDEX + ecx) * 4], eax
    inc ecx
    cmp ecx, BOOT_MAP_TABLES
    jb .fill_pde

    ; NT's self-map: the directory is its own page table for 0xC0000000.
    mov eax, edx
    or eax, PG_PRESENT_WRITE
    mov [edx + PDE_SELFMAP_INDEX * 4], eax

    mov cr3, edx
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax
    lea eax, [.higher_half]
    jmp eax

.higher_half:
    mov esp, KiBootStackTop
    push ebp                            ; boot information (physical)
    push esi                            ; magic
    xor ebp, ebp                        ; ends stack walks
    call KiSystemStartup
.hang:
    cli
    hlt
    jmp .hang

section .bss
global KiBootPageDirectory
global KiBootPageTables
global KiBootStackGuard
global KiBootStackTop
align 4096
KiBootPageDirectory:    resb 4096
KiBootPageTables:       resb BOOT_MAP_TABLES * 4096
; The page below the boot stack is unmapped by MiFinishBootMappings, so an
; overflow faults (and, the stack being gone, double-faults onto the STOP
; screen) instead of silently overwriting the page tables.
KiBootStackGuard:       resb 4096
KiBootStack:            resb 16384
KiBootStackTop:

section .note.GNU-stack noalloc noexec nowrite progbits
