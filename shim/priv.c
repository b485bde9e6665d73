/* priv.c: the names libward.so takes from libc's lookups, and the functions it
 * forwards only for glibc's own code.
 *
 * dlsym and dlvsym (entry.S) ask ws_dlsym_own first: for every name libward.so
 * exports, the answer is libward.so's own function, whatever handle the program
 * gave (a dlopen("libc.so.6") handle, RTLD_NEXT, Python's ctypes), so that no lookup
 * reaches libc's unjudged function. Other names go to libc's dlsym, with the
 * caller's return address intact.
 *
 * WARD_PRIV rows of symbols.def are GLIBC_PRIVATE functions and libc internals that
 * open, load or connect inside libc (the NSS machinery, Sun RPC internals, libio's
 * file openers...). Their callers are glibc's own libraries (libnss_compat calls
 * __nss_lookup_function, libresolv the resolver's internals); a program has no use
 * for them, and through them would reach files unjudged. ws_priv_target forwards a
 * call that comes from glibc's code and refuses any other (EPERM, logged).
 */
#include <dlfcn.h>
#include <stdatomic.h>
#include <string.h>

#include "shim/shim.h"

/* libc's dlsym and dlvsym, which entry.S jumps to */
void *ws_libc_dlsym __attribute__((visibility("hidden")));
void *ws_libc_dlvsym __attribute__((visibility("hidden")));

void *ws_dlsym_own(const char *name) __attribute__((visibility("hidden")));

__attribute__((no_sanitize("address", "undefined"))) static void bind_dl(void)
{
	if (!__atomic_load_n(&ws_libc_dlvsym, __ATOMIC_ACQUIRE)) {
		void *s = ws_next_sym("dlsym", NULL), *v = ws_next_sym("dlvsym", NULL);
		if (!s || !v)
			ws_die("cannot find libc's dlsym");
		__atomic_store_n(&ws_libc_dlsym, s, __ATOMIC_RELEASE);
		__atomic_store_n(&ws_libc_dlvsym, v, __ATOMIC_RELEASE);
	}
}

/* Every exported name and its address, sorted by name (stubs.S, made by
 * mkstubs.sh from symbols.def). */
struct ws_export {
	const char *name;
	void *addr;
};
extern const struct ws_export ws_export_tab[] __attribute__((visibility("hidden")));

/* No sanitizer and no libc call here: a sanitizer runtime preloaded first asks dlsym
 * for its interceptors' targets while it is itself setting up. */
#define WS_RAW __attribute__((no_sanitize("address", "undefined")))

WS_RAW static int cmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

WS_RAW static void *own_name(const char *name)
{
	size_t lo = 0, hi = 0;
	while (ws_export_tab[hi].name)
		hi++;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp(name, ws_export_tab[mid].name);
		if (c == 0)
			return ws_export_tab[mid].addr;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

WS_RAW void *ws_dlsym_own(const char *name)
{
	void *p = ws_null(name) ? NULL : own_name(name);
	if (!p) {
		int saved = errno;
		bind_dl();
		errno = saved;
	}
	return p;
}

/* What a refused call returns (the row's kind): NULL, -1, an errno value, nothing,
 * 0; rN: *argument N (from 1) = NULL and the errno value returned (the _r lookups);
 * mN: *argument N = NULL and -1 returned (getutent_r); ggl: getgrouplist's answer
 * for a user in no group but their own. */
enum {
	WS_PRIV_ptr, WS_PRIV_int, WS_PRIV_err, WS_PRIV_void, WS_PRIV_zero,
	WS_PRIV_r4, WS_PRIV_r5, WS_PRIV_m2, WS_PRIV_m3, WS_PRIV_ggl,
};

/* The files a WARD_GUARD row judges before it forwards (read, or write for _W). */
enum {
	PASSWD = 1 << 0, GROUP = 1 << 1, SHADOW = 1 << 2, GSHADOW = 1 << 3, NETGROUP = 1 << 4,
	ALIASES = 1 << 5, PUBLICKEY = 1 << 6, UTMP = 1 << 7, UTMP_W = 1 << 8, WTMP_W = 1 << 9,
	PWDLOCK_W = 1 << 10,
};

struct ws_priv {
	const char *name;
	int kind;
	unsigned files; /* 0: a WARD_PRIV row (forwarded for glibc's own code only) */
	void *real;
};

#define WARD_SYM(n, f)
#define WARD_ALIAS(a, t, f)
#define WARD_PRIV(n, k, f) {#n, WS_PRIV_##k, 0, NULL},
#define WARD_GUARD(n, k, files, f) {#n, WS_PRIV_##k, (files), NULL},
static struct ws_priv priv_tab[] = {
#include "shim/symbols.def"
	{NULL, WS_PRIV_int, 0, NULL},
};
#undef WARD_SYM
#undef WARD_ALIAS
#undef WARD_PRIV
#undef WARD_GUARD

/* The utmp file that utmpname() chose (read by the getut* and pututline rows). */
static char utmp_file[PATH_MAX] = "/var/run/utmp";

const char *ws_utmp_file(void) { return utmp_file; }
void ws_set_utmp_file(const char *p)
{
	size_t n = strlen(p);
	if (n < sizeof utmp_file)
		memcpy(utmp_file, p, n + 1);
}

static const struct {
	unsigned bit;
	const char *path;
	int need;
} guarded[] = {
	{PASSWD, "/etc/passwd", WL_READ},      {GROUP, "/etc/group", WL_READ},
	{SHADOW, "/etc/shadow", WL_READ},      {GSHADOW, "/etc/gshadow", WL_READ},
	{NETGROUP, "/etc/netgroup", WL_READ},  {ALIASES, "/etc/aliases", WL_READ},
	{PUBLICKEY, "/etc/publickey", WL_READ}, {UTMP, NULL, WL_READ},
	{UTMP_W, NULL, WL_WRITE},              {WTMP_W, "/var/log/wtmp", WL_WRITE},
	{PWDLOCK_W, "/etc/.pwd.lock", WL_WRITE},
};

/* Judges the files of a guarded call: 0 when every one may be read (written), or
 * -errno (the refusal is logged). A file that does not exist is judged by its name
 * (a hidden one must look missing, a visible one is libc's to report). */
static int guard(const char *fn, unsigned files)
{
	for (size_t i = 0; i < sizeof guarded / sizeof guarded[0]; i++) {
		if (!(files & guarded[i].bit))
			continue;
		const char *path = guarded[i].path ? guarded[i].path : utmp_file;
		struct wr r;
		int rc = wr_resolve(AT_FDCWD, path, WR_FOLLOW, &r);
		if (rc < 0)
			return rc;
		int access = guarded[i].need == WL_WRITE ? WA_WRITE : WA_READ;
		struct ws_op op = {.fn = fn, .access = access, .need = guarded[i].need, .path = path, .r = &r};
		rc = ws_gate(&op);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* What a refused call returns, by the function's kind: every argument is ignored. */
static void *refuse_ptr(void) { return NULL; }
static long refuse_int(void) { return -1; }
static long refuse_zero(void) { return 0; }
static void refuse_void(void) {}
static __thread int refuse_errno __attribute__((tls_model("initial-exec")));
static long refuse_err(void) { return refuse_errno; }

void *ws_priv_target(unsigned idx, void *ret, long *regs) __attribute__((visibility("hidden")));

/* regs: the saved argument registers (rdi, rsi, rdx, rcx, r8, r9), then at +26 longs
 * (208 bytes: the save area, %rbp and the return address) the caller's stack
 * arguments. */
static long *arg_slot(long *regs, int n)
{
	return n <= 6 ? &regs[n - 1] : &regs[26 + (n - 7)];
}

void *ws_priv_target(unsigned idx, void *ret, long *regs)
{
	int saved = errno;
	if (idx + 1 >= sizeof priv_tab / sizeof priv_tab[0])
		ws_die("a private stub out of its table (%u)", idx);
	struct ws_priv *p = &priv_tab[idx];
	int err;
	bool pass;
	if (p->files) {
		int rc = ws_active() ? guard(p->name, p->files) : 0;
		pass = rc == 0;
		err = rc < 0 ? -rc : 0;
	} else {
		pass = ws_addr_in_glibc(ret);
		err = EPERM;
	}
	if (pass) {
		void *r = __atomic_load_n(&p->real, __ATOMIC_ACQUIRE);
		if (!r) {
			r = ws_next_sym(p->name, NULL);
			if (!r)
				r = ws_next_sym(p->name, "GLIBC_PRIVATE");
			__atomic_store_n(&p->real, r, __ATOMIC_RELEASE);
		}
		if (r) {
			errno = saved;
			return r;
		}
		err = ENOSYS;
	} else if (!p->files && ws_active()) {
		ws_forbid(p->name, AT_FDCWD, NULL, EPERM);
	}
	errno = err;
	refuse_errno = err;
	switch (p->kind) {
	case WS_PRIV_ptr: return (void *)refuse_ptr;
	case WS_PRIV_err: return (void *)refuse_err;
	case WS_PRIV_void: return (void *)refuse_void;
	case WS_PRIV_zero: return (void *)refuse_zero;
	case WS_PRIV_r4:
	case WS_PRIV_r5: {
		void **out = (void **)*arg_slot(regs, p->kind == WS_PRIV_r4 ? 4 : 5);
		if (!ws_null(out))
			*out = NULL;
		return (void *)refuse_err;
	}
	case WS_PRIV_m2:
	case WS_PRIV_m3: {
		void **out = (void **)*arg_slot(regs, p->kind == WS_PRIV_m2 ? 2 : 3);
		if (!ws_null(out))
			*out = NULL;
		return (void *)refuse_int;
	}
	case WS_PRIV_ggl: {
		/* getgrouplist(user, group, groups, ngroups): only the group given */
		gid_t *groups = (gid_t *)*arg_slot(regs, 3);
		int *ngroups = (int *)*arg_slot(regs, 4);
		if (ws_null(ngroups))
			return (void *)refuse_int;
		if (*ngroups >= 1 && !ws_null(groups)) {
			groups[0] = (gid_t)*arg_slot(regs, 2);
			*ngroups = 1;
			refuse_errno = 1;
			return (void *)refuse_err;
		}
		*ngroups = 1;
		return (void *)refuse_int;
	}
	default: return (void *)refuse_int;
	}
}
