/* exec.c: starting programs: the exec family, posix_spawn(p), system, popen, and
 * dlopen. Every child gets ward back in its environment (LD_PRELOAD and WARD_*, as
 * the library found them at start), whatever environment the program hands it.
 *
 * An exec needs `read` on the file (and a match in the exec allowlist when there is
 * one). A native binary is executed through the resolved folder's descriptor and its
 * last name (execveat with AT_SYMLINK_NOFOLLOW), so the file checked is the file run.
 * A script ("#!") cannot be run that way (its interpreter would be handed an
 * unreachable /dev/fd path), so its interpreter is checked too and the script is run
 * by its real path.
 *
 * These wrappers run in vfork children (python's subprocess, sh): they use the stack
 * and raw system calls only; no malloc, no lock, no write to shared state.
 */
#include <alloca.h>
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/decide.h"
#include "common/path.h"
#include "shim/real.h"
#include "shim/shim.h"

extern char **environ;

/* ---- the child's environment ---- */

static bool is_ours(const char *e)
{
	if (strncmp(e, "WARD_", 5) == 0)
		return true;
	return strncmp(e, "LD_PRELOAD=", 11) == 0;
}

int ws_env_count(char *const envp[])
{
	int n = 0;
	while (envp && envp[n])
		n++;
	return n;
}

int ws_child_env(char *const envp[], char **out, int max)
{
	int n = 0;
	for (int i = 0; envp && envp[i]; i++) {
		if (is_ours(envp[i]))
			continue;
		if (n >= max - 1)
			return -1;
		out[n++] = envp[i];
	}
	for (int i = 0; i < ws.n_env_keep; i++) {
		if (n >= max - 1)
			return -1;
		out[n++] = (char *)ws.env_keep[i];
	}
	out[n] = NULL;
	return n;
}

/* Room for a child environment: on the stack when small, else an anonymous map
 * (never malloc: this may run in a vfork child). */
#define ENV_STACK 512
struct envbuf {
	char **v;
	size_t mapped;
	char *stackv[ENV_STACK];
};

static char **env_build(struct envbuf *b, char *const envp[])
{
	int need = ws_env_count(envp) + ws.n_env_keep + 1;
	b->mapped = 0;
	b->v = b->stackv;
	if (need > ENV_STACK) {
		size_t sz = (size_t)need * sizeof(char *);
		void *p = (void *)ws_sc6(SYS_mmap, 0, (long)sz, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if ((unsigned long)p > -4096UL)
			return NULL;
		b->v = p;
		b->mapped = sz;
	}
	if (ws_child_env(envp, b->v, need) < 0)
		return NULL;
	return b->v;
}

static void env_free(struct envbuf *b)
{
	if (b->mapped)
		ws_sc2(SYS_munmap, b->v, b->mapped);
}

/* ---- checking what is executed ---- */

/* Resolves and judges one file to execute; on success r is kept open. */
static int check_exec(const char *fn, int dirfd, const char *path, bool follow, struct wr *r)
{
	int rc = ws_prepare(fn, dirfd, path, follow ? WR_FOLLOW | WR_OBJONLY : 0, WA_EXEC, WL_READ,
			    false, r);
	if (rc < 0)
		return rc;
	if (!S_ISREG(r->st.st_mode)) {
		wr_done(r);
		return -EACCES;
	}
	return 0;
}


/* What a file to execute asks the kernel to load next. */
enum { LOAD_NONE, LOAD_SCRIPT, LOAD_ELF_INTERP, LOAD_LOADER };

static bool is_loader_name(const char *name)
{
	return strncmp(name, "ld-", 3) == 0 || strncmp(name, "ld.so", 5) == 0 ||
	       strncmp(name, "ld64.so", 7) == 0;
}

/* len bytes of the file at off: from the head already read when they lie in it
 * (one read for a usual ELF file, not four), else read. */
static bool head_get(int fd, const unsigned char *head, long n, void *dst, size_t len, uint64_t off)
{
	if (n > 0 && off <= (uint64_t)n && len <= (uint64_t)n - off) {
		memcpy(dst, head + off, len);
		return true;
	}
	return off <= (uint64_t)LONG_MAX && ws_pread(fd, dst, len, (long)off) == (long)len;
}

/* Reads the head of a resolved file: the "#!" interpreter, the ELF interpreter
 * (PT_INTERP), or whether it is the dynamic loader itself (an ELF shared object with
 * no interpreter, named ld-*.so*). */
static int read_head(const struct wr *r, char *out, size_t size)
{
	unsigned char buf[1024];
	out[0] = 0;
	/* the very object judged, through its descriptor */
	char proc[32];
	int fd = -EBADF;
	if (r->obj_fd >= 0) {
		ws_proc_fd(proc, r->obj_fd);
		fd = ws_openat(AT_FDCWD, proc, O_RDONLY | O_CLOEXEC, 0);
	}
	if (fd < 0)
		return -1; /* not readable (mode 0711): what it loads cannot be judged, so no */
	long n = ws_pread(fd, buf, sizeof buf - 1, 0);
	int kind = LOAD_NONE;
	if (n >= 2 && buf[0] == '#' && buf[1] == '!') {
		/* the "#!" line as Linux reads it: its first 255 bytes at most */
		buf[n < 255 ? n : 255] = 0;
		char *p = (char *)buf + 2;
		while (*p == ' ' || *p == '\t')
			p++;
		char *e = p;
		while (*e && *e != ' ' && *e != '\t' && *e != '\n')
			e++;
		size_t l = (size_t)(e - p);
		if (l > 0 && l < size) {
			memcpy(out, p, l);
			out[l] = 0;
			kind = LOAD_SCRIPT;
			/* the optional argument, as Linux takes it: the rest of the line,
			 * trimmed, after the interpreter's name (out + l + 1) */
			char *a = e;
			while (*a == ' ' || *a == '\t')
				a++;
			char *z = a;
			while (*z && *z != '\n')
				z++;
			while (z > a && (z[-1] == ' ' || z[-1] == '\t'))
				z--;
			size_t al = (size_t)(z - a);
			if (l + 1 + al < size) {
				memcpy(out + l + 1, a, al);
				out[l + 1 + al] = 0;
			} else {
				out[l + 1] = 0;
			}
		}
	} else if (n >= 52 && memcmp(buf, "\177ELF", 4) == 0 && (buf[4] == 1 || buf[4] == 2)) {
		bool is64 = buf[4] == 2;
		uint64_t phoff;
		unsigned phentsize, phnum, type;
		if (is64) {
			const Elf64_Ehdr *eh = (const void *)buf;
			phoff = eh->e_phoff, phentsize = eh->e_phentsize, phnum = eh->e_phnum, type = eh->e_type;
		} else {
			const Elf32_Ehdr *eh = (const void *)buf;
			phoff = eh->e_phoff, phentsize = eh->e_phentsize, phnum = eh->e_phnum, type = eh->e_type;
		}
		bool interp = false;
		size_t want = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
		/* as the kernel: entries of exactly that size, a table of 64 KiB at most
		 * (it reads them all and takes the first PT_INTERP); a table it would
		 * refuse is refused here too */
		if (phnum > 0 && (phentsize != want || (uint64_t)phnum * want > 65536 || phoff > UINT64_MAX / 2))
			kind = -1;
		for (unsigned i = 0; kind != -1 && i < phnum; i++) {
			union {
				Elf64_Phdr p64;
				Elf32_Phdr p32;
			} ph;
			if (!head_get(fd, buf, n, &ph, want, phoff + (uint64_t)i * want)) {
				kind = -1; /* a table that cannot be read whole: what it names is unknown */
				break;
			}
			uint32_t pt = is64 ? ph.p64.p_type : ph.p32.p_type;
			if (pt != PT_INTERP)
				continue;
			uint64_t off = is64 ? ph.p64.p_offset : ph.p32.p_offset;
			uint64_t len = is64 ? ph.p64.p_filesz : ph.p32.p_filesz;
			interp = true;
			if (len == 0 || len >= size) {
				/* an interpreter the library cannot name: refuse */
				kind = -1;
				break;
			}
			if (!head_get(fd, buf, n, out, (size_t)len, off) || out[len - 1] != 0) {
				kind = -1; /* the kernel wants the name ended by a NUL */
				break;
			}
			out[len] = 0;
			kind = strlen(out) ? LOAD_ELF_INTERP : -1;
			break;
		}
		if (kind != -1 && !interp && type == ET_DYN && is_loader_name(wr_name(r)))
			kind = LOAD_LOADER;
	}
	ws_close(fd);
	return kind;
}

/* The dynamic loader of the new program reads what some variables name before the
 * library is there to judge it: audit libraries (LD_AUDIT) and library folders
 * (LD_LIBRARY_PATH) are judged here like reads and listings, and the loader's own
 * output files (LD_DEBUG_OUTPUT.PID, LD_PROFILE_OUTPUT/LIB.profile, by default
 * /var/tmp/LIB.profile) like writes. A name that the policy refuses makes the exec
 * fail, with the error a direct use would get. `path`: true when the element is a
 * path even without a '/' (relative to the working directory); false for LD_AUDIT,
 * whose plain names the loader searches in its own folders. */
static int check_one(const char *fn, const char *elem, size_t l, int access, int need, bool path)
{
	char p[PATH_MAX];
	if (l >= sizeof p || (!path && (l == 0 || !memchr(elem, '/', l))))
		return 0; /* searched by the loader in its own folders */
	if (l == 0) {
		elem = "."; /* an empty entry of a search path is the working directory */
		l = 1;
	}
	memcpy(p, elem, l);
	p[l] = 0;
	struct wr r;
	if (need != WL_WRITE) {
		/* a hidden name refuses the exec; a missing folder of a search path is
		 * the loader's to skip (a missing audit library too: it says so) */
		if (wr_resolve(AT_FDCWD, p, WR_FOLLOW, &r) < 0)
			return -ENOENT;
		struct wd_out d;
		if (wd_decide_str(ws.pol, r.real, r.len, access == WA_LIST ? 1 : 0, &d) == 0 &&
		    d.level == WL_NONE && ws.mode != WM_AUDIT)
			return ws_forbid(fn, AT_FDCWD, p, ENOENT);
		if (r.err || !r.exists)
			return 0;
	}
	int rc = ws_prepare(fn, AT_FDCWD, p, WR_FOLLOW, access, need, need == WL_WRITE, &r);
	if (rc == 0)
		wr_done(&r);
	return rc;
}

/* The dynamic loader run as a program ("ld.so [options] PROGRAM args") opens the
 * program and the --preload and --audit libraries itself, with raw system calls the
 * library never sees: they are judged here, the program as an exec, the libraries
 * as reads. */
static int check_loader_args(const char *fn, char *const argv[])
{
	if (!argv || !argv[0])
		return 0;
	for (int i = 1; argv[i]; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0) {
			struct wr r;
			int rc = ws_prepare(fn, AT_FDCWD, a, WR_FOLLOW, WA_EXEC, WL_READ, false, &r);
			if (rc == 0)
				wr_done(&r);
			return rc;
		}
		bool libs = !strcmp(a, "--preload") || !strcmp(a, "--audit");
		if (libs || !strcmp(a, "--library-path") || !strcmp(a, "--glibc-hwcaps-prefix") ||
		    !strcmp(a, "--glibc-hwcaps-mask") || !strcmp(a, "--inhibit-rpath") || !strcmp(a, "--argv0")) {
			if (!argv[i + 1])
				return 0;
			i++;
			if (!strcmp(a, "--library-path")) {
				const char *q = argv[i];
				while (*q) {
					size_t l = strcspn(q, ":; ");
					int rc = check_one(fn, q, l, WA_LIST, WL_VIEW, true);
					if (rc < 0)
						return rc;
					q += l;
					while (*q == ':' || *q == ';' || *q == ' ')
						q++;
				}
				continue;
			}
			if (!libs)
				continue;
			/* a list of libraries, separated by ':' or ' ' */
			const char *p = argv[i];
			while (*p) {
				size_t l = strcspn(p, ": ");
				if (l > 0 && l < PATH_MAX) {
					char lib[PATH_MAX];
					memcpy(lib, p, l);
					lib[l] = 0;
					struct wr r;
					int rc = ws_prepare(fn, AT_FDCWD, lib, WR_FOLLOW, WA_READ, WL_READ, false, &r);
					if (rc < 0)
						return rc;
					wr_done(&r);
				}
				p += l;
				while (*p == ':' || *p == ' ')
					p++;
			}
		}
	}
	return 0;
}

static const char *env_value(char *const envp[], const char *name, size_t nl)
{
	for (int i = 0; envp && envp[i]; i++)
		if (strncmp(envp[i], name, nl) == 0 && envp[i][nl] == '=')
			return envp[i] + nl + 1;
	return NULL;
}

/* "VALUE" + suffix, into buf; false when it does not fit. */
static bool with_suffix(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
	if (la + lb + lc >= size)
		return false;
	memcpy(buf, a, la);
	memcpy(buf + la, b, lb);
	memcpy(buf + la + lb, c, lc + 1);
	return true;
}

static int check_loader_env(const char *fn, char *const envp[])
{
	const char *v;
	char buf[PATH_MAX];
	if ((v = env_value(envp, "LD_AUDIT", 8))) {
		while (*v) {
			size_t l = strcspn(v, ":; ");
			int rc = check_one(fn, v, l, WA_READ, WL_READ, false);
			if (rc < 0)
				return rc;
			v += l;
			while (*v == ':' || *v == ';' || *v == ' ')
				v++;
		}
	}
	if ((v = env_value(envp, "LD_LIBRARY_PATH", 15))) {
		for (;;) {
			size_t l = strcspn(v, ":;");
			int rc = check_one(fn, v, l, WA_LIST, WL_VIEW, true);
			if (rc < 0)
				return rc;
			v += l;
			if (!*v)
				break;
			v++;
		}
	}
	if ((v = env_value(envp, "LD_DEBUG_OUTPUT", 15)) && *v) {
		/* the loader writes VALUE.PID, and an exec keeps the pid */
		char pid[16];
		snprintf(pid, sizeof pid, ".%d", ws_getpid());
		if (!with_suffix(buf, sizeof buf, v, pid, ""))
			return -ENAMETOOLONG;
		int rc = check_one(fn, buf, strlen(buf), WA_CREATE, WL_WRITE, true);
		if (rc < 0)
			return rc;
	}
	const char *prof = env_value(envp, "LD_PROFILE", 10);
	if (prof && *prof) {
		/* the loader writes DIR/SONAME.profile, DIR being LD_PROFILE_OUTPUT or
		 * /var/tmp */
		const char *dir = env_value(envp, "LD_PROFILE_OUTPUT", 17);
		if (!dir || !*dir)
			dir = "/var/tmp";
		const char *base = strrchr(prof, '/');
		base = base ? base + 1 : prof;
		if (!with_suffix(buf, sizeof buf, dir, "/", base) ||
		    !with_suffix(buf + strlen(buf), sizeof buf - strlen(buf), ".profile", "", ""))
			return -ENAMETOOLONG;
		int rc = check_one(fn, buf, strlen(buf), WA_CREATE, WL_WRITE, true);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Judges everything the kernel will load to run the checked file `top`: the chain
 * of "#!" interpreters (each an exec of its own, scripts of scripts included, as
 * deep as Linux follows them), the ELF interpreter of the native program at the end
 * of the chain (a read), and the program given to the dynamic loader. Sets *script
 * when `top` is a script. Returns 0 or -errno. */
static __attribute__((noinline)) int check_chain(const char *fn, const struct wr *top,
						 char *const argv[], bool *script)
{
	char next[PATH_MAX];
	struct wr hold;
	const struct wr *cur = top;
	int rc = 0;
	*script = false;
	for (int depth = 0;; depth++) {
		int kind = read_head(cur, next, sizeof next);
		if (kind < 0) {
			rc = -EACCES;
			break;
		}
		if (kind == LOAD_SCRIPT) {
			if (depth == 0)
				*script = true;
			if (depth >= 5) {
				rc = -ELOOP;
				break;
			}
			struct wr ir;
			rc = check_exec(fn, AT_FDCWD, next, true, &ir);
			if (rc < 0)
				break;
			if (cur != top)
				wr_done(&hold);
			hold = ir;
			cur = &hold;
			continue;
		}
		if (kind == LOAD_ELF_INTERP) {
			struct wr ir;
			rc = ws_prepare(fn, AT_FDCWD, next, WR_FOLLOW | WR_OBJONLY, WA_READ, WL_READ, false,
					&ir);
			if (rc == 0)
				wr_done(&ir);
		} else if (kind == LOAD_LOADER && depth == 0) {
			rc = check_loader_args(fn, argv);
		}
		break;
	}
	if (cur != top)
		wr_done(&hold);
	return rc;
}

/* A script: start its judged interpreter (rare; kept out of ws_exec_impl, whose stack
 * every exec pays for: each page of stack a forked child writes is a page fault). */
static __attribute__((noinline)) int exec_script(const char *fn, int dirfd, const char *path,
						 char *const argv[], char *const envp[], struct wr *r)
{
	/* The interpreter judged is the one run: ward starts it itself, as Linux
	 * would (interpreter, its optional argument, the script's path, the
	 * arguments), so that a script swapped after the check cannot name another
	 * one. The script runs by its real path (the given one when it has no
	 * link); an interpreter that is a script is judged the same way again. */
	char head[PATH_MAX + 256];
	int kind = read_head(r, head, sizeof head);
	const char *run = path;
	char lex[PATH_MAX];
	unsigned nf;
	long ln = wr_lexical(dirfd, path, lex, sizeof lex, &nf);
	if (ln < 0 || (size_t)ln != r->len || memcmp(lex, r->real, r->len) != 0 || dirfd != AT_FDCWD)
		run = r->real;
	if (kind != LOAD_SCRIPT) {
		wr_done(r);
		return -EACCES; /* changed since it was judged */
	}
	const char *interp = head, *optarg = head + strlen(head) + 1;
	int argc = 0;
	while (argv && argv[argc])
		argc++;
	if (argc > 65536) {
		wr_done(r);
		return -E2BIG;
	}
	char **nargv = alloca((size_t)(argc + 4) * sizeof(char *));
	int k = 0;
	nargv[k++] = (char *)interp;
	if (*optarg)
		nargv[k++] = (char *)optarg;
	nargv[k++] = (char *)run;
	for (int i = 1; i < argc; i++)
		nargv[k++] = argv[i];
	nargv[k] = NULL;
	char runbuf[PATH_MAX];
	if (run == r->real) {
		memcpy(runbuf, r->real, r->len + 1);
		nargv[optarg[0] ? 2 : 1] = runbuf;
	}
	wr_done(r);
	return ws_exec_impl(fn, AT_FDCWD, interp, nargv, envp, 0);
}

/* The ELF interpreter: read access to it. */
static __attribute__((noinline)) int check_interp(const char *fn, const char *next)
{
	struct wr ir;
	int rc = ws_prepare(fn, AT_FDCWD, next, WR_FOLLOW | WR_OBJONLY, WA_READ, WL_READ, false, &ir);
	if (rc == 0)
		wr_done(&ir);
	return rc;
}

/* What the kernel loads with the program: the usual cases here, with a small stack
 * (each page of stack a forked child writes costs a page fault); "#!" chains in
 * check_chain. */
static int check_loaded(const char *fn, const struct wr *top, char *const argv[], bool *script)
{
	char next[PATH_MAX];
	*script = false;
	int kind = read_head(top, next, sizeof next);
	if (kind < 0)
		return -EACCES;
	if (kind == LOAD_SCRIPT)
		return check_chain(fn, top, argv, script);
	if (kind == LOAD_ELF_INTERP)
		return check_interp(fn, next);
	if (kind == LOAD_LOADER)
		return check_loader_args(fn, argv);
	return 0;
}

int ws_exec_impl(const char *fn, int dirfd, const char *path, char *const argv[], char *const envp[],
		 int flags)
{
	struct wr r;
	int rc = check_exec(fn, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &r);
	if (rc < 0)
		return rc;
	bool script;
	rc = check_loaded(fn, &r, argv, &script);
	if (rc == 0)
		rc = check_loader_env(fn, envp);
	if (rc < 0) {
		wr_done(&r);
		return rc;
	}
	struct envbuf eb;
	char **env = env_build(&eb, envp);
	if (!env) {
		wr_done(&r);
		return -E2BIG;
	}
	if (script) {
		env_free(&eb);
		return exec_script(fn, dirfd, path, argv, envp, &r);
	} else {
		/* the object judged is the object run: no name is looked up again */
		rc = (int)ws_sc5(SYS_execveat, r.obj_fd, "", argv, env, AT_EMPTY_PATH);
	}
	env_free(&eb);
	wr_done(&r);
	return rc;
}

WS_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	if (!ws_active())
		return ws_ret(ws_sc3(SYS_execve, path, argv, envp));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	return ws_ret(ws_exec_impl("execve", AT_FDCWD, path, argv, envp, 0));
}

WS_EXPORT int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
	if (!ws_active())
		return ws_ret(ws_sc5(SYS_execveat, dirfd, path, argv, envp, flags));
	if (ws_null(path))
		return ws_ret(-EFAULT);
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		int rc = ws_gate_fd("fexecve", dirfd, WA_EXEC, WL_READ);
		if (rc < 0)
			return ws_ret(rc);
		struct envbuf eb;
		char **env = env_build(&eb, envp);
		if (!env)
			return ws_ret(-E2BIG);
		rc = (int)ws_sc5(SYS_execveat, dirfd, "", argv, env, flags);
		env_free(&eb);
		return ws_ret(rc);
	}
	return ws_ret(ws_exec_impl("execveat", dirfd, path, argv, envp, flags));
}

WS_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	return execveat(fd, "", argv, envp, AT_EMPTY_PATH);
}

WS_EXPORT int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

/* execvpe: the PATH search of glibc, each candidate through the checked exec. A file
 * without "#!" that the kernel refuses as ENOEXEC is run by /bin/sh, as glibc does. */
WS_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	if (ws_null(file) || !*file)
		return ws_ret(-ENOENT);
	if (strchr(file, '/')) {
		int rc = execve(file, argv, envp);
		if (rc < 0 && errno == ENOEXEC) {
			int argc = 0;
			while (argv[argc])
				argc++;
			if (argc + 3 > 65536)
				return ws_ret(-E2BIG);
			char **nargv = alloca((size_t)(argc + 3) * sizeof(char *));
			nargv[0] = (char *)"/bin/sh";
			nargv[1] = (char *)file;
			for (int i = 1; i <= argc; i++)
				nargv[i + 1] = argv[i];
			execve("/bin/sh", nargv, envp);
			errno = ENOEXEC;
		}
		return -1;
	}
	const char *path = NULL;
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	if (ws_null(path))
		path = "/bin:/usr/bin";
	size_t fl = strlen(file);
	bool eacces = false;
	int last = ENOENT;
	const char *p = path;
	for (;;) {
		const char *c = strchr(p, ':');
		size_t dl = c ? (size_t)(c - p) : strlen(p);
		char buf[PATH_MAX];
		if (dl + 1 + fl < sizeof buf) {
			size_t o = 0;
			if (dl == 0)
				buf[o++] = '.';
			memcpy(buf + o, p, dl);
			o += dl;
			buf[o++] = '/';
			memcpy(buf + o, file, fl + 1);
			execve(buf, argv, envp);
			int e = errno;
			if (e == ENOEXEC) {
				int argc = 0;
				while (argv[argc])
					argc++;
				if (argc + 3 <= 65536) {
					char **nargv = alloca((size_t)(argc + 3) * sizeof(char *));
					nargv[0] = (char *)"/bin/sh";
					nargv[1] = buf;
					for (int i = 1; i <= argc; i++)
						nargv[i + 1] = argv[i];
					execve("/bin/sh", nargv, envp);
				}
				return -1;
			}
			if (e == EACCES)
				eacces = true;
			else if (e != ENOENT && e != ENOTDIR && e != ESTALE && e != ENODEV && e != ETIMEDOUT)
				return -1;
			last = e;
		}
		if (!c)
			break;
		p = c + 1;
	}
	errno = eacces ? EACCES : last;
	return -1;
}

WS_EXPORT int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

/* The execl family: the arguments go into an array on the stack. */
#define COLLECT_ARGS(first, ap, argv, envp_out, with_env)                                          \
	int argc_ = 1;                                                                             \
	va_list cp_;                                                                               \
	va_copy(cp_, ap);                                                                          \
	while (va_arg(cp_, char *) != NULL)                                                        \
		argc_++;                                                                           \
	va_end(cp_);                                                                               \
	if (argc_ > 65536)                                                                         \
		return ws_ret(-E2BIG);                                                             \
	char **argv = alloca((size_t)(argc_ + 1) * sizeof(char *));                                \
	argv[0] = (char *)(first);                                                                 \
	for (int i_ = 1; i_ <= argc_; i_++)                                                        \
		argv[i_] = va_arg(ap, char *);                                                     \
	if (with_env)                                                                              \
		envp_out = va_arg(ap, char **);

WS_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	char **envp = environ;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv, envp, 0)
	va_end(ap);
	return execve(path, argv, envp);
}

WS_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	char **envp = environ;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv, envp, 0)
	va_end(ap);
	return execvpe(file, argv, envp);
}

WS_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	char **envp = NULL;
	va_start(ap, arg);
	COLLECT_ARGS(arg, ap, argv, envp, 1)
	va_end(ap);
	return execve(path, argv, envp);
}

/* ---- posix_spawn ---- */

/* glibc's private layout of posix_spawn_file_actions_t entries (2.29 to 2.40). The
 * actions run inside libc in the child, out of the library's sight, so they are read
 * here, judged, and passed on as a fresh list built with the public calls. */
struct spawn_action {
	int tag;
	union {
		struct { int fd; } close_a;
		struct { int fd; int newfd; } dup2_a;
		struct { int fd; char *path; int oflag; mode_t mode; } open_a;
		struct { char *path; } chdir_a;
		struct { int fd; } fchdir_a;
		struct { int from; } closefrom_a;
		struct { int fd; } tcsetpgrp_a;
	} a;
};
enum { SP_CLOSE, SP_DUP2, SP_OPEN, SP_CHDIR, SP_FCHDIR, SP_CLOSEFROM, SP_TCSETPGRP };

extern int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *, int);

/* Open descriptors >= from, except the library's own, get a close action. */
static int add_closefrom(posix_spawn_file_actions_t *fa, int from)
{
	char buf[4096];
	int dfd = ws_openat(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd < 0)
		return -dfd;
	for (;;) {
		long n = ws_sc3(SYS_getdents64, dfd, buf, sizeof buf);
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64 *e = (struct dirent64 *)(buf + off);
			off += e->d_reclen;
			int fd = 0;
			const char *s = e->d_name;
			if (*s < '0' || *s > '9')
				continue;
			for (; *s >= '0' && *s <= '9'; s++)
				fd = fd * 10 + (*s - '0');
			if (fd >= from && fd != dfd && !ws_is_own_fd(fd))
				posix_spawn_file_actions_addclose(fa, fd);
		}
	}
	ws_close(dfd);
	return 0;
}

/* Judges and copies the file actions. Returns 0 or an errno (the spawn's result). */
#define SPAWN_MAX_OPEN 64
#define SPAWN_FD_BASE 512
static int copy_actions(const posix_spawn_file_actions_t *in, posix_spawn_file_actions_t *out,
			int *opened, int *nopen)
{
	const struct {
		int allocated, used;
		struct spawn_action *actions;
	} *fa = (const void *)in;
	char cwd[PATH_MAX];
	if (wr_cwd(cwd, sizeof cwd) < 0)
		cwd[0] = 0;
	for (int i = 0; i < fa->used; i++) {
		const struct spawn_action *a = &fa->actions[i];
		switch (a->tag) {
		case SP_CLOSE:
			if (!ws_is_own_fd(a->a.close_a.fd))
				posix_spawn_file_actions_addclose(out, a->a.close_a.fd);
			break;
		case SP_DUP2:
			if (ws_is_own_fd(a->a.dup2_a.newfd))
				return EBADF;
			posix_spawn_file_actions_adddup2(out, a->a.dup2_a.fd, a->a.dup2_a.newfd);
			break;
		case SP_OPEN: {
			if (ws_is_own_fd(a->a.open_a.fd))
				return EBADF;
			char lex[PATH_MAX];
			unsigned nf;
			if (!cwd[0] && a->a.open_a.path[0] != '/')
				return ENOENT;
			long n = wn_join(cwd, strlen(cwd), a->a.open_a.path, lex, sizeof lex, &nf);
			if (n < 0)
				return (int)-n;
			/* The file is opened here, judged and opened as one object, and the
			 * child gets a copy of that descriptor: had the child opened the path
			 * by name, a link or folder swapped in between would be followed. The
			 * copy is made at a high number, out of the way of the program's own
			 * actions, and closed in the parent after the spawn. */
			if (*nopen >= SPAWN_MAX_OPEN)
				return E2BIG;
			int fd = ws_open_impl("posix_spawn", AT_FDCWD, lex, a->a.open_a.oflag | O_CLOEXEC,
					      a->a.open_a.mode);
			if (fd < 0)
				return -fd;
			int hi = ws_fcntl(fd, F_DUPFD_CLOEXEC, SPAWN_FD_BASE);
			if (hi >= 0) {
				ws_close(fd);
				fd = hi;
			}
			opened[(*nopen)++] = fd;
			posix_spawn_file_actions_adddup2(out, fd, a->a.open_a.fd);
			break;
		}
		case SP_CHDIR: {
			char nc[PATH_MAX];
			unsigned nf;
			struct wr r;
			int rc = ws_prepare("posix_spawn", AT_FDCWD, a->a.chdir_a.path, WR_FOLLOW, WA_LIST, WL_VIEW,
					    false, &r);
			if (rc < 0)
				return -rc;
			long n = wn_join("", 0, r.real, nc, sizeof nc, &nf);
			wr_done(&r);
			if (n > 0)
				memcpy(cwd, nc, (size_t)n + 1);
			posix_spawn_file_actions_addchdir_np(out, cwd);
			break;
		}
		case SP_FCHDIR: {
			int rc = ws_gate_fd("posix_spawn", a->a.fchdir_a.fd, WA_LIST, WL_VIEW);
			if (rc < 0)
				return -rc;
			if (wr_fd_path(a->a.fchdir_a.fd, cwd, sizeof cwd) < 0)
				cwd[0] = 0;
			posix_spawn_file_actions_addfchdir_np(out, a->a.fchdir_a.fd);
			break;
		}
		case SP_CLOSEFROM: {
			int rc = add_closefrom(out, a->a.closefrom_a.from);
			if (rc)
				return rc;
			break;
		}
		case SP_TCSETPGRP:
			posix_spawn_file_actions_addtcsetpgrp_np(out, a->a.tcsetpgrp_a.fd);
			break;
		default:
			return EINVAL;
		}
	}
	return 0;
}

/* The core of posix_spawn: judge the program and the file actions, then let libc
 * spawn the real path with ward's environment. Returns 0 or an errno. */
static int spawn_impl(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		      const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	struct wr r;
	int rc = check_exec("posix_spawn", AT_FDCWD, path, true, &r);
	if (rc < 0)
		return -rc;
	bool script;
	rc = check_loaded("posix_spawn", &r, argv, &script);
	if (rc == 0)
		rc = check_loader_env("posix_spawn", envp ? envp : environ);
	if (rc < 0) {
		wr_done(&r);
		return -rc;
	}
	char runpath[PATH_MAX];
	memcpy(runpath, r.real, r.len + 1);
	wr_done(&r);

	posix_spawn_file_actions_t copy;
	const posix_spawn_file_actions_t *use = NULL;
	int opened[SPAWN_MAX_OPEN], nopen = 0;
	if (fa) {
		posix_spawn_file_actions_init(&copy);
		rc = copy_actions(fa, &copy, opened, &nopen);
		if (rc) {
			posix_spawn_file_actions_destroy(&copy);
			for (int i = 0; i < nopen; i++)
				ws_close(opened[i]);
			return rc;
		}
		use = &copy;
	}
	struct envbuf eb;
	char **env = env_build(&eb, envp);
	if (!env)
		rc = E2BIG;
	else
		rc = real.posix_spawn(pid, runpath, use, attr, argv, env);
	if (env)
		env_free(&eb);
	if (use)
		posix_spawn_file_actions_destroy(&copy);
	for (int i = 0; i < nopen; i++)
		ws_close(opened[i]);
	return rc;
}

WS_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
			  const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	if (!ws_active())
		return real.posix_spawn(pid, path, fa, attr, argv, envp);
	if (ws_null(path))
		return EFAULT;
	return spawn_impl(pid, path, fa, attr, argv, envp);
}

/* posix_spawnp: the PATH search happens here: the first candidate that is an
 * executable file (as execvp would find it) is spawned. */
WS_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
			   const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	if (ws_null(file) || !*file)
		return ENOENT;
	if (strchr(file, '/'))
		return posix_spawn(pid, file, fa, attr, argv, envp);
	const char *path = NULL;
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	if (ws_null(path))
		path = "/bin:/usr/bin";
	size_t fl = strlen(file);
	int last = ENOENT;
	for (const char *p = path;;) {
		const char *c = strchr(p, ':');
		size_t dl = c ? (size_t)(c - p) : strlen(p);
		char buf[PATH_MAX];
		if (dl + 1 + fl < sizeof buf) {
			size_t o = 0;
			if (dl == 0)
				buf[o++] = '.';
			memcpy(buf + o, p, dl);
			o += dl;
			buf[o++] = '/';
			memcpy(buf + o, file, fl + 1);
			struct stat st;
			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
				return posix_spawn(pid, buf, fa, attr, argv, envp);
			if (errno == EACCES)
				last = EACCES;
		}
		if (!c)
			break;
		p = c + 1;
	}
	return last;
}

/* ---- system, popen: libc would spawn /bin/sh with the program's own environment;
 * here they go through the checked posix_spawn ---- */

WS_EXPORT int system(const char *cmd)
{
	if (ws_null(cmd))
		return access("/bin/sh", X_OK) == 0;
	struct sigaction ign = {.sa_handler = SIG_IGN}, oint, oquit;
	sigset_t chld, omask;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &omask);

	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t def;
	sigemptyset(&def);
	if (oint.sa_handler != SIG_IGN)
		sigaddset(&def, SIGINT);
	if (oquit.sa_handler != SIG_IGN)
		sigaddset(&def, SIGQUIT);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &omask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

	char *argv[] = {(char *)"sh", (char *)"-c", (char *)"--", (char *)cmd, NULL};
	pid_t pid;
	int status = -1;
	int rc = posix_spawn(&pid, "/bin/sh", NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (rc == 0) {
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				status = -1;
				break;
			}
		}
	} else {
		status = 127 << 8; /* the shell could not be run */
	}
	int e = errno;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	sigprocmask(SIG_SETMASK, &omask, NULL);
	errno = e;
	return status;
}

#define NPOPEN 64
static struct {
	_Atomic(void *) fp;
	pid_t pid;
	int fd;
} popen_tab[NPOPEN];

WS_EXPORT FILE *popen(const char *cmd, const char *mode)
{
	if (ws_null(cmd) || ws_null(mode) || (mode[0] != 'r' && mode[0] != 'w')) {
		errno = EINVAL;
		return NULL;
	}
	bool rd = mode[0] == 'r';
	bool cloexec = strchr(mode, 'e') != NULL;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return NULL;
	int mine = rd ? p[0] : p[1], theirs = rd ? p[1] : p[0];
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, theirs, rd ? 1 : 0);
	/* POSIX: streams of earlier popen calls are closed in the child */
	for (int i = 0; i < NPOPEN; i++)
		if (atomic_load(&popen_tab[i].fp))
			posix_spawn_file_actions_addclose(&fa, popen_tab[i].fd);
	char *argv[] = {(char *)"sh", (char *)"-c", (char *)"--", (char *)cmd, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	ws_close(theirs);
	if (rc != 0) {
		ws_close(mine);
		errno = rc;
		return NULL;
	}
	if (!cloexec)
		ws_fcntl(mine, F_SETFD, 0);
	FILE *f = real.fdopen(mine, rd ? "r" : "w");
	if (!f) {
		ws_close(mine);
		return NULL;
	}
	for (int i = 0; i < NPOPEN; i++) {
		void *expected = NULL;
		if (atomic_compare_exchange_strong(&popen_tab[i].fp, &expected, (void *)1)) {
			popen_tab[i].pid = pid;
			popen_tab[i].fd = mine;
			atomic_store(&popen_tab[i].fp, (void *)f);
			return f;
		}
	}
	return f; /* table full: pclose cannot wait for it, but the stream works */
}

WS_EXPORT int pclose(FILE *f)
{
	pid_t pid = -1;
	for (int i = 0; i < NPOPEN; i++)
		if (atomic_load(&popen_tab[i].fp) == (void *)f) {
			pid = popen_tab[i].pid;
			atomic_store(&popen_tab[i].fp, NULL);
			break;
		}
	if (pid < 0) {
		errno = ECHILD;
		return -1;
	}
	real.fclose(f);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* ---- dlopen: a library named by path is read; judge it like a read ---- */

static int dl_check(const char *file)
{
	if (!file || !strchr(file, '/') || !ws_active())
		return 0;
	struct wr r;
	int rc = ws_prepare("dlopen", AT_FDCWD, file, WR_FOLLOW, WA_READ, WL_READ, false, &r);
	if (rc == 0)
		wr_done(&r);
	return rc;
}

WS_EXPORT void *dlopen(const char *file, int mode)
{
	int rc = dl_check(file);
	if (rc < 0) {
		errno = -rc; /* dlerror() has nothing to say; errno does */
		return NULL;
	}
	return real.dlopen(file, mode);
}

WS_EXPORT void *dlmopen(Lmid_t lmid, const char *file, int mode)
{
	int rc = dl_check(file);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	return real.dlmopen(lmid, file, mode);
}
