; ctxswap.asm - the context switch and the first instructions of a thread.
;
; Why: a switch only has to save what the C calling convention says a
; callee must preserve (EBX, ESI, EDI, EBP) on the old thread's kernel stack,
; store its stack pointer, and load the new one's. Everything else a thread
; owns (its user registers) is already in the trap frame at the top of its
; kernel stack. A new thread's stack is built so that this same `ret` lands
; in KiThreadStartup (see KeInitializeThread).

bits 32

global KiSwapContext
global KiThreadStartup
extern KiThreadStartupC
extern KiTrapExit

section .text

; VOID KiSwapContext(ULONG *SaveEsp, ULONG NewEsp)   (cdecl)
KiSwapContext:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp
    mov esp, edx
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; A new thread arrives here with EBX = its KTHREAD. A kernel thread's start
; routine never returns; a user thread returns and leaves through the trap
; frame that KeInitializeThread placed above this point.
KiThreadStartup:
    push ebx
    call KiThreadStartupC
    add esp, 4
    jmp KiTrapExit

section .note.GNU-stack noalloc noexec nowrite progbits
