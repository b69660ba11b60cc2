; svccall.asm - calling a system service with its arguments copied.
;
; Why: KiSystemService has the caller's arguments in a kernel buffer; the
; service is an ordinary __stdcall C function. This pushes the arguments
; (last first) and calls it. ESP is restored from EBP afterwards, so even a
; table entry whose byte count disagreed with the function could not
; unbalance the kernel stack.

bits 32

global KiCallService

section .text

; ULONG KiCallService(PVOID Function, const ULONG *Arguments, ULONG Count)   (cdecl)
KiCallService:
    push ebp
    mov ebp, esp
    push esi
    mov ecx, [ebp + 16]
    mov esi, [ebp + 12]
    lea esi, [esi + ecx * 4]
.push_next:
    test ecx, ecx
    jz .call
    sub esi, 4
    push dword [esi]
    dec ecx
    jmp .push_next
.call:
    call [ebp + 8]
    lea esp, [ebp - 4]
    pop esi
    pop ebp
    ret

section .note.GNU-stack noalloc noexec nowrite progbits
