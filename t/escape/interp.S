/* interp.S: built by t/204-escape-children.t as a stand-in ELF interpreter, hidden by
 * the policy. If the kernel was allowed to load it for a program, it says so on
 * standard output and exits 0 (x86-64 Linux system calls, no libc). */
	.globl _start
	.text
_start:
	movl $1, %eax          /* write(1, said, said_len) */
	movl $1, %edi
	leaq said(%rip), %rsi
	movl $said_len, %edx
	syscall
	movl $60, %eax         /* exit(0) */
	xorl %edi, %edi
	syscall
	.section .rodata
said:
	.ascii "RAN-HIDDEN-INTERP\n"
	said_len = . - said
	.section .note.GNU-stack, "", @progbits
