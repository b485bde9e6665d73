/* entry.S: the interposers that must leave the caller's registers and stack as they
 * found them, because they end in a jump to another function.
 *
 *  - dlsym and dlvsym: glibc finds the caller of dlsym(RTLD_NEXT, ...) from the
 *    return address; ward answers with its own function for a name it interposes
 *    (ws_dlsym_own), and otherwise jumps to libc's dlsym with the caller's return
 *    address still on the stack, so that RTLD_NEXT means what the caller meant.
 *  - ws_priv_entry: the common tail of the generated stubs of stubs.S for the
 *    GLIBC_PRIVATE functions and libc internals that ward forwards only when glibc's
 *    own code calls them (ws_priv_target decides). Every argument register, vector
 *    registers included, and %al (the count of vector arguments of a variadic call)
 *    are kept; arguments on the stack are untouched.
 */
#if defined(__x86_64__)
	.text

	.globl dlsym
	.type dlsym, @function
dlsym:
	push %rbp
	mov %rsp, %rbp
	push %rdi
	push %rsi
	mov %rsi, %rdi
	call ws_dlsym_own
	pop %rsi
	pop %rdi
	pop %rbp
	test %rax, %rax
	jz 1f
	ret
1:	jmp *ws_libc_dlsym(%rip)
	.size dlsym, .-dlsym

	.globl dlvsym
	.type dlvsym, @function
dlvsym:
	push %rbp
	mov %rsp, %rbp
	push %rdi
	push %rsi
	push %rdx
	sub $8, %rsp
	mov %rsi, %rdi
	call ws_dlsym_own
	add $8, %rsp
	pop %rdx
	pop %rsi
	pop %rdi
	pop %rbp
	test %rax, %rax
	jz 1f
	ret
1:	jmp *ws_libc_dlvsym(%rip)
	.size dlvsym, .-dlvsym

	.globl ws_priv_entry
	.hidden ws_priv_entry
	.type ws_priv_entry, @function
ws_priv_entry:
	/* %r11d: the stub's index */
	push %rbp
	mov %rsp, %rbp
	sub $192, %rsp
	mov %rdi, 0(%rsp)
	mov %rsi, 8(%rsp)
	mov %rdx, 16(%rsp)
	mov %rcx, 24(%rsp)
	mov %r8, 32(%rsp)
	mov %r9, 40(%rsp)
	mov %rax, 48(%rsp)
	movdqu %xmm0, 64(%rsp)
	movdqu %xmm1, 80(%rsp)
	movdqu %xmm2, 96(%rsp)
	movdqu %xmm3, 112(%rsp)
	movdqu %xmm4, 128(%rsp)
	movdqu %xmm5, 144(%rsp)
	movdqu %xmm6, 160(%rsp)
	movdqu %xmm7, 176(%rsp)
	mov %r11d, %edi
	mov 8(%rbp), %rsi
	mov %rsp, %rdx
	call ws_priv_target
	mov %rax, %r11
	movdqu 64(%rsp), %xmm0
	movdqu 80(%rsp), %xmm1
	movdqu 96(%rsp), %xmm2
	movdqu 112(%rsp), %xmm3
	movdqu 128(%rsp), %xmm4
	movdqu 144(%rsp), %xmm5
	movdqu 160(%rsp), %xmm6
	movdqu 176(%rsp), %xmm7
	mov 0(%rsp), %rdi
	mov 8(%rsp), %rsi
	mov 16(%rsp), %rdx
	mov 24(%rsp), %rcx
	mov 32(%rsp), %r8
	mov 40(%rsp), %r9
	mov 48(%rsp), %rax
	leave
	jmp *%r11
	.size ws_priv_entry, .-ws_priv_entry
#else
#error "ward: entry.S is written for x86_64"
#endif
	.section .note.GNU-stack,"",@progbits
