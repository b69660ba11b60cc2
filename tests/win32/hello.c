/*
 * hello.c - the smallest Win32 program: printf through the stock mingw-w64
 * start-up code and Daytona's msvcrt.dll.
 *
 * Why: it is built with nothing but `i686-w64-mingw32-gcc hello.c`, so it
 * proves that an unmodified program's imports (mingw's crt2.o, libmingwex's
 * printf, msvcrt.dll, KERNEL32.dll) all resolve against Daytona's DLLs, and
 * that argc/argv arrive parsed from the command line.
 */
#include <stdio.h>

int main(int argc, char **argv) {
    printf("Hello from Daytona! argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
