; svcentry.asm - the int 0x2E system-service entry, fast path.
;
; Why: a system call is the most frequent trap there is, so, as on NT
; (KiSystemService), it gets its own entry instead of the generic trap stub
; and C dispatcher. This path builds the same KTRAP_FRAME, copies the
; caller's arguments with the fault-safe protocol (range checked against
; user space, a fault lands on .args_fault), sets PreviousMode and the
; thread's trap frame, calls the service from its table and returns. Anything
; unusual - a table not installed, a service not built, a reschedule or termination
; pending afterwards, service tracing - goes through the C path
; (KiSystemService in syscall.c), which stays the reference. Table 1
; (NtGdi*, the GDI=kernel build) takes this fast path too, as win32k's
; did. The structure offsets come from ke.h, where _Static_assert checks
; them.

bits 32

KGDT_R0_DATA equ 0x10
KGDT_R0_PCR  equ 0x30
MM_USER_PROBE_ADDRESS equ 0x7FFF0000
STATUS_ACCESS_VIOLATION equ 0xC0000005
USER_MODE equ 1

; ke.h's offsets
KTRAP_FRAME_EDX equ 20
KTRAP_FRAME_EAX equ 28
KTRAP_FRAME_SEGCS equ 60
KPCR_CURRENT_THREAD equ 0x54
KPCR_NEED_RESCHEDULE equ 0x5C
KPCR_SYSTEM_CALLS equ 0x68
KTHREAD_PREVIOUS_MODE equ 0x3E
KTHREAD_TERMINATE_PENDING equ 0x40
KTHREAD_FAULT_RECOVERY equ 0xC4
KTHREAD_TRAP_FRAME equ 0xC8
KTHREAD_SYSTEM_CALLS equ 0xD4
KSERVICE_TABLE_BASE equ 0
KSERVICE_TABLE_ARGUMENTS equ 4
KSERVICE_TABLE_LIMIT equ 8
KSERVICE_TABLE_SIZE equ 12

global KiSystemServiceEntry
extern KiServiceTable
extern KiArgumentTable
extern KiServiceLimit
extern KeServiceDescriptorTable
extern KiTraceFailedServices
extern KiSystemServiceSlow
extern KiSystemServiceExit
extern KiTrapExit

section .text

KiSystemServiceEntry:
    push dword 0                        ; ErrCode
    push dword 0x2E                     ; TrapNumber
    push ds
    push es
    push fs
    push gs
    pushad
    mov bx, KGDT_R0_DATA
    mov ds, bx
    mov es, bx
    mov bx, KGDT_R0_PCR
    mov fs, bx
    cld
    mov ebp, esp                        ; EBP = the trap frame
    cmp byte [KiTraceFailedServices], 0
    jne .slow
    cmp eax, [KiServiceLimit]           ; table 0 (bits 12-13 clear), in range: the common case
    jae .other_table
    mov ecx, [KiServiceTable + eax * 4]
    test ecx, ecx
    jz .slow                            ; listed but not built
    movzx eax, byte [KiArgumentTable + eax] ; EAX = the argument bytes
.dispatch:
    mov ebx, [fs:KPCR_CURRENT_THREAD]
    inc dword [fs:KPCR_SYSTEM_CALLS]    ; the event counters: the system's
    inc dword [ebx + KTHREAD_SYSTEM_CALLS] ; and the thread's (counters.c)
    movzx edx, byte [ebx + KTHREAD_PREVIOUS_MODE]
    push edx                            ; saved PreviousMode
    push dword [ebx + KTHREAD_TRAP_FRAME] ; saved TrapFrame
    mov [ebx + KTHREAD_TRAP_FRAME], ebp
    mov edx, [ebp + KTRAP_FRAME_SEGCS]
    and edx, 3
    setnz dl
    mov [ebx + KTHREAD_PREVIOUS_MODE], dl

    test eax, eax
    jz .call
    mov esi, [ebp + KTRAP_FRAME_EDX]
    test dl, dl
    jz .copy                            ; a kernel caller's pointer is trusted
    lea edi, [esi + eax]
    cmp edi, esi
    jb .args_fault
    cmp edi, MM_USER_PROBE_ADDRESS
    ja .args_fault
.copy:
    sub esp, eax
    mov edi, esp
    mov dword [ebx + KTHREAD_FAULT_RECOVERY], .args_fault
    push ecx
    mov ecx, eax
    shr ecx, 2
    rep movsd
    pop ecx
    mov dword [ebx + KTHREAD_FAULT_RECOVERY], 0
.call:
    sti
    call ecx                            ; __stdcall: the service pops its arguments
    cli
.done:
    mov [ebp + KTRAP_FRAME_EAX], eax
    lea esp, [ebp - 8]                  ; back to the two saved values
    pop dword [ebx + KTHREAD_TRAP_FRAME]
    pop edx
    mov [ebx + KTHREAD_PREVIOUS_MODE], dl
    cmp byte [fs:KPCR_NEED_RESCHEDULE], 0
    jne .exit_slow
    cmp byte [ebx + KTHREAD_TERMINATE_PENDING], 0
    jne .exit_slow
    jmp KiTrapExit

.args_fault:                            ; a bad or faulting argument pointer
    mov dword [ebx + KTHREAD_FAULT_RECOVERY], 0
    mov eax, STATUS_ACCESS_VIOLATION
    jmp .done

.other_table:                           ; table 1 (NtGdi*) or one not installed
    cmp eax, 0x4000                     ; bits 12-13 pick the table, nothing above them
    jae .slow
    mov edi, eax
    shr edi, 12
    lea edi, [edi + edi * 2]
    lea edi, [KeServiceDescriptorTable + edi * 4] ; EDI = the table's descriptor
    and eax, 0xFFF
    cmp eax, [edi + KSERVICE_TABLE_LIMIT] ; in range (an absent table's limit is 0)
    jae .slow
    mov ecx, [edi + KSERVICE_TABLE_BASE]
    mov ecx, [ecx + eax * 4]
    test ecx, ecx
    jz .slow                            ; listed but not built
    mov edi, [edi + KSERVICE_TABLE_ARGUMENTS]
    movzx eax, byte [edi + eax]         ; EAX = the argument bytes
    jmp .dispatch

.exit_slow:                             ; preemption or termination to see to
    push ebp
    call KiSystemServiceExit
    add esp, 4
    jmp KiTrapExit

.slow:
    push ebp
    call KiSystemServiceSlow
    add esp, 4
    jmp KiTrapExit

section .note.GNU-stack noalloc noexec nowrite progbits
