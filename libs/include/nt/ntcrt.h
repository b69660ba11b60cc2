/*
 * ntcrt.h - the C run-time functions ntdll.dll exports, for native programs.
 *
 * Why: NT's ntdll exports a small C library (memcpy, strlen, _snprintf...)
 * so native programs like smss need no CRT of their own; Daytona's ntdll
 * does the same (libs/ntdll/crt.c, libs/rtl/string.c). Native programs
 * include this instead of <string.h>.
 */
#ifndef NT_NTCRT_H
#define NT_NTCRT_H

#include <stdarg.h>
#include <nt/ntdef.h>

void *memcpy(void *Dest, const void *Src, size_t Count);
void *memmove(void *Dest, const void *Src, size_t Count);
void *memset(void *Dest, int Value, size_t Count);
int memcmp(const void *A, const void *B, size_t Count);
size_t strlen(const char *S);
int strcmp(const char *A, const char *B);
int strncmp(const char *A, const char *B, size_t Count);
char *strcpy(char *Dest, const char *Src);
char *strcat(char *Dest, const char *Src);
char *strchr(const char *S, int C);
char *strrchr(const char *S, int C);
int sprintf(char *Buffer, const char *Format, ...);
int vsprintf(char *Buffer, const char *Format, va_list Args);
int _snprintf(char *Buffer, size_t Count, const char *Format, ...);
int _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

#endif
