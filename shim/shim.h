/* shim.h: the inside of libward.so, shared by its files.
 *
 * Layers, as in cwrap: the exported libc name (one small function in the file of its
 * family) -> resolution (resolve.c) and the one decision (gate.c, which asks
 * common/decide.c and writes the audit event) -> the real call, preferably a raw
 * system call on what resolution produced. Nothing here calls an interposed libc
 * function by name; libc functions that are wrapped are reached through `real`
 * (bound once, see real.c).
 *
 * Rules every wrapper keeps (see ../shared/SURFACE.md for why):
 *  - no malloc, no lock and no TLS on the hot path: wrappers may run in signal
 *    handlers, in threads racing a fork, and in vfork children, which share the
 *    parent's memory and TLS;
 *  - errno is saved on entry and set only on the way out;
 *  - a decision is made on the real path of the object that is then used.
 */
#ifndef WARD_SHIM_H
#define WARD_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "common/decide.h"
#include "common/path.h"
#include "common/policy.h"
#include "common/sys.h"
#include "shim/protos.h"

#define WS_EXPORT __attribute__((visibility("default")))
/* Small state written by every process at start: kept in .data, on the page of the
 * `ws` state, so that a process start takes one page fault for it, not three (page
 * faults cost tens of microseconds on some virtual machines). */
#define WS_HOT __attribute__((section(".data")))
#define WS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WS_LIKELY(x) __builtin_expect(!!(x), 1)

/* libc's headers declare many path arguments nonnull, which lets the compiler drop a
 * NULL test; programs do pass NULL, and must get EFAULT, not a crash in ward. The
 * empty asm hides the pointer's origin from the optimiser. */
static inline bool ws_null(const void *p)
{
	__asm__("" : "+r"(p));
	return p == NULL;
}

/* What an operation does, for the decision and for the log's "access" field. */
enum ws_access {
	WA_READ = 0, WA_WRITE, WA_CREATE, WA_DELETE, WA_LIST, WA_STAT, WA_EXEC, WA_CONNECT,
};

enum ws_logkind { WS_LOG_NONE = 0, WS_LOG_FILE, WS_LOG_SOCK, WS_LOG_PIPE };

#define WS_MAX_OWN_FDS 4

struct ws_state {
	atomic_int ready;        /* 0: not yet, 1: initialising, 2: ready */
	const struct wp_hdr *pol; /* the sealed, mapped policy */
	int mode;                /* WM_ENFORCE or WM_AUDIT */
	int log_fd;              /* -1: no audit log */
	int log_kind;
	int pol_fd;              /* the sealed memfd children inherit */
	int own_fds[WS_MAX_OWN_FDS]; /* descriptors the program may not touch */
	int n_own;
	char session_hex[17];
	int pid;                 /* this process's pid, known at start and after fork */
	int log_is_reg;          /* the audit log is a regular file (by hand) */
	size_t pol_size;         /* bytes of the mapped policy */
	/* the environment to give every child: "NAME=value" strings */
	const char *env_keep[8];
	int n_env_keep;
};
extern struct ws_state ws;

/* Initialises once (constructor, or the first wrapper that runs before it). Exits
 * the process with status 126 and a "ward: ..." line when confinement cannot be set
 * up. Returns true when wrappers must check, false while the library initialises
 * itself (its own calls then go straight through). */
bool ws_init_slow(void);
static inline bool ws_active(void)
{
	if (WS_LIKELY(atomic_load_explicit(&ws.ready, memory_order_acquire) == 2))
		return true;
	return ws_init_slow();
}

/* Is fd one of the library's own (audit log, policy)? */
static inline bool ws_is_own_fd(int fd)
{
	for (int i = 0; i < ws.n_own; i++)
		if (__atomic_load_n(&ws.own_fds[i], __ATOMIC_RELAXED) == fd)
			return true;
	return false;
}

/* The program asked for the number of one of the library's descriptors (dup2, dup3,
 * F_DUPFD onto it): the library's descriptor moves to another number first. Returns
 * 0, or -errno (EBADF in a vfork child, which shares the parent's memory). */
int ws_own_move(int fd, bool close_old);

/* Prints "ward: msg" on stderr and exits 126 (fail closed). */
__attribute__((noreturn, format(printf, 1, 2))) void ws_die(const char *fmt, ...);

/* ---- resolution (resolve.c) ---- */

#define WR_FOLLOW 1u     /* follow a symbolic link in the last name */
#define WR_NOAUTO 2u     /* (unused) */
#define WR_KEEP 4u       /* keep descriptors of the parent and of the object */
#define WR_OBJONLY 8u    /* with WR_FOLLOW: an existing object is all that is wanted (no
			  * parent descriptor): links may be resolved by the kernel */

enum ws_kind { WK_FILE_OBJ = 0, WK_MAGIC_OBJ = 1 };

struct wr {
	char real[PATH_MAX];  /* the real absolute path (what the decision is made on) */
	uint32_t len;
	uint32_t name_off;    /* offset of the last name in real */
	int exists;           /* 1: the object exists; 0: only its last name is missing */
	int is_dir;           /* 1, 0, or -1 when unknown */
	int is_link;          /* the last name is a symbolic link (not followed) */
	int err;              /* a walk that failed before the last name: its errno */
	int parent_fd;        /* O_PATH descriptor of the parent folder, or -1 */
	int obj_fd;           /* O_PATH descriptor of the object, or -1 */
	int magic;            /* a /proc magic link to a descriptor that is no file (pipe:...) */
	bool lexical;         /* resolved without a walk: the given path has no link */
	bool trail;           /* the path ended in "/" */
	struct stat st;       /* the object's status, when it exists */
};

/* The last name of r->real. */
static inline const char *wr_name(const struct wr *r) { return r->real + r->name_off; }

/* "/proc/self/fd/N" (buf of at least 32 bytes): reaches exactly the object behind a
 * descriptor, for calls that have no descriptor form. */
void ws_proc_fd(char *buf, int fd);

/* Resolves (dirfd, path) into r: real path, and, when WR_KEEP, descriptors of the
 * parent folder and of the object (closed by wr_done). Returns 0, or -errno when no
 * decision can be made at all (EFAULT, ENAMETOOLONG, EBADF...). A walk that fails
 * on the way sets r->err and still fills r->real for the decision. */
int wr_resolve(int dirfd, const char *path, unsigned flags, struct wr *r);
void wr_done(struct wr *r);

/* The real path of an open descriptor (for fchdir, fd-based calls). Returns the
 * length or -errno. */
long wr_fd_path(int fd, char *buf, size_t size);

/* The working directory's real path (cached; see resolve.c). */
long wr_cwd(char *buf, size_t size);
void wr_cwd_changed(void);

/* Lexical join of a base folder and a path: returns length and sets flags, or
 * -errno. `dirfd` is AT_FDCWD or a descriptor. */
long wr_lexical(int dirfd, const char *path, char *out, size_t size, unsigned *nflags);

/* The kind of a path's last name: a name, ".", "..", or the root "/". */
enum { WS_LAST_NAME, WS_LAST_DOT, WS_LAST_DOTDOT, WS_LAST_ROOT };
int ws_last_kind(const char *path);

/* ---- the gate (gate.c): the one decision every wrapper asks ---- */

struct ws_op {
	const char *fn;          /* the libc function, for the log */
	int access;              /* WA_* */
	int need;                /* minimum level */
	const char *path;        /* as given */
	struct wr *r;
	const char *path2;       /* second path of a two-path operation, as given */
	struct wr *r2;
	int need2;
	int access2;
	bool move;               /* rename/link: the two-path invariant applies */
	bool src_is_dir;         /* moving a folder */
	bool exchange;           /* RENAME_EXCHANGE */
	bool quiet;              /* a query (access): log only with log.reads */
	bool retry;              /* mkdir asked again after its parent: EACCES, not ENOENT */
};

/* Decides, logs, and returns 0 to go ahead or -errno to refuse: ENOENT for `none`,
 * EACCES for a level below the need, EACCES when a required log write failed. In
 * audit mode it returns 0 and logs "would-deny". */
int ws_gate(struct ws_op *op);

/* The usual one-path operation: resolve (rflags | WR_KEEP), refuse what the walk or
 * the absence of the object already answers, and ask the gate. Returns 0 with r's
 * descriptors open (the caller acts on them, then calls wr_done), or -errno with
 * nothing open. `create`: the operation makes the last name (absence is expected). */
int ws_prepare(const char *fn, int dirfd, const char *path, unsigned rflags, int access, int need,
	       bool create, struct wr *r);

/* The answer when the walk failed or the object is missing: the kernel's errno, or
 * ENOENT when the path is hidden; a decision below `need` is logged as a denial of
 * fn on path. Closes r's descriptors. */
int ws_refusal(struct wr *r, const char *fn, const char *path, int access, int need);

/* The cores other families reuse (open.c, names.c). Each returns a result or -errno. */
int ws_open_impl(const char *fn, int dirfd, const char *path, int flags, mode_t mode);
int ws_open_need_for(int flags, int *access);
long ws_getdents_impl(int fd, void *buf, size_t size);
int ws_exec_impl(const char *fn, int dirfd, const char *path, char *const argv[], char *const envp[],
		 int flags);
int ws_statx_impl(int dirfd, const char *path, int flags, unsigned mask, void *buf);
int ws_access_impl(const char *fn, int dirfd, const char *path, int mode, int flags);
long ws_readlink_impl(int dirfd, const char *path, char *buf, size_t size);
int ws_mkdir_impl(const char *fn, int dirfd, const char *path, mode_t mode);
int ws_unlink_impl(const char *fn, int dirfd, const char *path, int flags);
int ws_make_temp(char *tmpl, int suffixlen, int flags, bool dir);
int ws_close_range_impl(unsigned first, unsigned last, unsigned flags);
void ws_apply_limits(void);
struct __dirstream;
struct __dirstream *ws_opendir_impl(const char *fn, int dirfd, const char *path);

/* A decision about an object known by descriptor (fchdir, fchmod, fexecve...): its
 * real path comes from /proc. Same answer as ws_gate. */
int ws_gate_fd(const char *fn, int fd, int access, int need);
/* The same, with the descriptor's real path already read (path, len < PATH_MAX) and,
 * when st is not NULL, its status. */
int ws_gate_fd_named(const char *fn, int fd, const char *path, size_t len, const struct stat *st,
		     int access, int need);

/* Refuses an operation that no policy allows (chroot, mount, new namespaces): logs a
 * denial naming the path (or none) and returns -err, or -ENOENT when the path is
 * hidden or missing. Nothing is done, in audit mode too. */
int ws_forbid(const char *fn, int dirfd, const char *path, int err);

/* Returns -errno for the level and need (0 when enough). */
static inline int ws_level_errno(int level, int need)
{
	if (level >= need)
		return 0;
	return level == WL_NONE ? -ENOENT : -EACCES;
}

/* The quick answer for an entry of a listing: 1 visible, 0 hidden, -1 ask
 * ws_entry_visible (unknown type, ".", "..", or no plan for the folder). */
int ws_entry_known(const char *dir, size_t dl, const char *name, size_t nl, unsigned char dtype);
/* Is a name of a folder's listing visible (not none)? `dir` is the folder's real
 * path (length dl), `name` one entry (length nl), dtype its d_type. */
bool ws_entry_visible(const char *dir, size_t dl, const char *name, size_t nl, unsigned char dtype,
		      int dirfd);

/* Does the /proc path name one of the library's own descriptors (/proc/self/fd/N,
 * /proc/PID/fd/N, .../fdinfo/N)? Such names are hidden: the program cannot reopen,
 * stat or list the library's descriptors. */
bool ws_own_fd_path(const char *real, size_t len);
bool ws_own_fd_name(const char *dir, size_t dl, const char *name, size_t nl);

/* ---- inotify (notify.c) ---- */

/* Is fd one of the inotify descriptors the library made? */
bool ws_notify_fd(int fd);
/* fd was copied to `to` (dup2, dup3, F_DUPFD), or closed. */
void ws_notify_dup(int from, int to);
void ws_notify_closed(int fd);
/* The events read from an inotify descriptor, without those that name hidden
 * entries: returns the new length. */
long ws_notify_filter(int fd, char *buf, long n);

/* ---- audit (audit.c) ---- */

/* Writes one `op` event. Returns 0, or -1 when the log could not be written. */
int ws_log_op(const struct ws_op *op, int decision, const struct wd_out *d1,
	      const struct wd_out *d2, int err);
int ws_log_raw(const char *line, size_t len);
void ws_log_policy_event(void);

/* ---- exec and environment (exec.c) ---- */

/* Builds a child environment: `envp` without ward's variables, then ward's own.
 * `out` has room for `max` pointers. Returns the count or -1 when it does not fit. */
int ws_child_env(char *const envp[], char **out, int max);
int ws_env_count(char *const envp[]);

/* ---- finding functions without dlsym (elfsym.c) ---- */

/* The definition of `name` (of `version`, or the default one when NULL) in the
 * objects loaded after libward.so, or NULL. Never goes through dlsym (which the
 * library interposes). */
void *ws_next_sym(const char *name, const char *version);
/* libward.so's own exported definition of `name`, or NULL. */
void *ws_self_sym(const char *name);
/* Judges the paths libc takes from the environment (env.c), at start. */
void ws_env_judge(void);

/* The utmp file that utmpname() chose, judged by the guarded utmp calls (priv.c). */
const char *ws_utmp_file(void);
void ws_set_utmp_file(const char *path);

/* Is addr in the code of one of glibc's own libraries (from libc's folder)? */
bool ws_addr_in_glibc(const void *addr);

/* errno handling: wrappers return through these. */
static inline int ws_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

#endif
