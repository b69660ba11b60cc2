/*
 * i386.S - the few pieces of ntdll that must be written in assembly.
 *
 * Why: calling a DLL's entry point safely needs control of the stack
 * pointer, and Microsoft's 64-bit shift helpers take their operands in
 * registers (EDX:EAX and CL), which C cannot declare. Names carry the
 * leading underscore of the i386 PE C convention.
 */
    .text

/*
 * ULONG LdrpCallInitRoutine(PVOID EntryPoint, PVOID DllBase, ULONG Reason,
 *                           PVOID Reserved)   (cdecl)
 * Calls EntryPoint(DllBase, Reason, Reserved) as stdcall and returns its
 * EAX. EBX, ESI, EDI and EBP are saved here and ESP is restored from EBP,
 * so an entry point built as cdecl (which leaves its arguments on the
 * stack) or one that clobbers a callee-saved register cannot unbalance the
 * loader: NT's LdrpCallInitRoutine protects itself the same way.
 */
    .globl _LdrpCallInitRoutine
    .p2align 4
_LdrpCallInitRoutine:
    pushl   %ebp
    movl    %esp, %ebp
    pushl   %ebx
    pushl   %esi
    pushl   %edi
    pushl   20(%ebp)            /* Reserved */
    pushl   16(%ebp)            /* Reason */
    pushl   12(%ebp)            /* DllBase */
    call    *8(%ebp)
    leal    -12(%ebp), %esp     /* whatever the callee popped */
    popl    %edi
    popl    %esi
    popl    %ebx
    popl    %ebp
    ret

/* LONGLONG _allshl(EDX:EAX value, CL count): shift left; counts >= 64 give 0. */
    .globl __allshl
    .p2align 4
__allshl:
    cmpb    $64, %cl
    jae     1f
    cmpb    $32, %cl
    jae     2f
    shldl   %cl, %eax, %edx
    shll    %cl, %eax
    ret
2:  movl    %eax, %edx
    xorl    %eax, %eax
    andb    $31, %cl
    shll    %cl, %edx
    ret
1:  xorl    %eax, %eax
    xorl    %edx, %edx
    ret

/* LONGLONG _allshr(EDX:EAX value, CL count): arithmetic shift right;
 * counts >= 64 give 0 or -1 by the sign. */
    .globl __allshr
    .p2align 4
__allshr:
    cmpb    $64, %cl
    jae     1f
    cmpb    $32, %cl
    jae     2f
    shrdl   %cl, %edx, %eax
    sarl    %cl, %edx
    ret
2:  movl    %edx, %eax
    sarl    $31, %edx
    andb    $31, %cl
    sarl    %cl, %eax
    ret
1:  sarl    $31, %edx
    movl    %edx, %eax
    ret

/* ULONGLONG _aullshr(EDX:EAX value, CL count): logical shift right;
 * counts >= 64 give 0. */
    .globl __aullshr
    .p2align 4
__aullshr:
    cmpb    $64, %cl
    jae     1f
    cmpb    $32, %cl
    jae     2f
    shrdl   %cl, %edx, %eax
    shrl    %cl, %edx
    ret
2:  movl    %edx, %eax
    xorl    %edx, %edx
    andb    $31, %cl
    shrl    %cl, %eax
    ret
1:  xorl    %eax, %eax
    xorl    %edx, %edx
    ret
