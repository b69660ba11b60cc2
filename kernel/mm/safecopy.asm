; safecopy.asm - copying to and from user memory without trusting it.
;
; Why: every pointer a system service receives from user mode may be bad.
; The caller checks that the range lies in user space; this routine then
; copies with the thread's FaultRecovery slot pointing at .fault, so a page
; fault on a bad user page (one no VAD describes) lands there instead of
; on the STOP screen, and the service returns STATUS_ACCESS_VIOLATION.

bits 32

STATUS_ACCESS_VIOLATION equ 0xC0000005

global KiSafeCopy

section .text

; NTSTATUS KiSafeCopy(void *Dest, const void *Src, ULONG Count, ULONG *RecoverySlot)  (cdecl)
KiSafeCopy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    mov edx, [esp + 24]
    mov dword [edx], .fault
    cld
    mov eax, ecx
    shr ecx, 2                          ; whole dwords first: under -icount each
    rep movsd                           ; rep iteration counts, so bytes cost 4x
    mov ecx, eax
    and ecx, 3
    rep movsb
    mov dword [edx], 0
    xor eax, eax
    pop edi
    pop esi
    ret
.fault:                                 ; entered from the page-fault handler
    mov edx, [esp + 24]
    mov dword [edx], 0
    mov eax, STATUS_ACCESS_VIOLATION
    pop edi
    pop esi
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
