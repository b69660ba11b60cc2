; trapstub.asm - the entry stubs of all 256 interrupt vectors.
;
; Why: the processor pushes an error code for some exceptions and not for
; others. Each stub evens that out (pushing a zero where the CPU did not),
; pushes its vector number and joins KiTrapCommon, which saves the rest of a
; KTRAP_FRAME (see ke.h), loads the kernel's data segments and fs = KPCR, and
; calls KiDispatchTrap(frame). One C dispatcher then sees every trap the same
; way. KiTrapStubTable lists the stubs for KiInitializeIdt.

bits 32

KGDT_R0_DATA equ 0x10
KGDT_R0_PCR  equ 0x30

extern KiDispatchTrap
global KiTrapStubTable
global KiTrapExit

section .text

%macro TRAP_STUB 1
KiTrapStub%1:
%if (%1 = 8) || (%1 = 10) || (%1 = 11) || (%1 = 12) || (%1 = 13) || (%1 = 14) || (%1 = 17) || (%1 = 21) || (%1 = 29) || (%1 = 30)
    ; the processor pushed an error code
%else
    push dword 0
%endif
    push dword %1
    jmp KiTrapCommon
%endmacro

%assign vec 0
%rep 256
TRAP_STUB vec
%assign vec vec + 1
%endrep

KiTrapCommon:
    push ds
    push es
    push fs
    push gs
    pushad
    mov ax, KGDT_R0_DATA
    mov ds, ax
    mov es, ax
    mov ax, KGDT_R0_PCR
    mov fs, ax
    cld
    mov eax, esp
    push eax
    call KiDispatchTrap
    add esp, 4
KiTrapExit:
    popad
    pop gs
    pop fs
    pop es
    pop ds
    add esp, 8                          ; vector number, error code
    iretd

section .rodata
align 4
KiTrapStubTable:
%assign vec 0
%rep 256
    dd KiTrapStub %+ vec
%assign vec vec + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
