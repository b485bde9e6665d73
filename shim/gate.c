/* gate.c: the one decision every interposer asks, and the audit events it writes.
 *
 * A wrapper resolves its path(s), fills a struct ws_op and calls ws_gate: this file
 * asks common/decide.c for the level of each real path, applies the two-path
 * invariant and the exec allowlist, logs what §7 of the contract says to log, and
 * answers 0 (go ahead) or -errno. The log line is written before the operation; if
 * it cannot be written, the operation is refused, so nothing logged is ever done
 * unlogged.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "common/audit.h"
#include "common/jsonl.h"
#include "shim/shim.h"

static const char *const access_names[] = {
	"read", "write", "create", "delete", "list", "stat", "exec", "connect",
};

/* Writes one line to the audit descriptor with a single system call. A socket gets
 * MSG_NOSIGNAL; a pipe is written with SIGPIPE blocked, and a SIGPIPE that the write
 * raised is taken back, so the program never sees one. */
int ws_log_raw(const char *line, size_t len)
{
	long r;
	if (ws.log_fd < 0)
		return 0;
	if (ws.log_kind == WS_LOG_SOCK) {
		do
			r = ws_sc6(SYS_sendto, ws.log_fd, (long)line, (long)len, MSG_NOSIGNAL, 0, 0);
		while (r == -EINTR);
	} else if (ws.log_kind == WS_LOG_PIPE) {
		uint64_t block = 1ull << (SIGPIPE - 1), old = 0, pending = 0;
		ws_sc4(SYS_rt_sigprocmask, SIG_BLOCK, &block, &old, 8);
		ws_sc2(SYS_rt_sigpending, &pending, 8);
		do
			r = ws_write(ws.log_fd, line, len);
		while (r == -EINTR);
		if (r == -EPIPE && !(pending & block)) {
			struct timespec zero = {0, 0};
			ws_sc4(SYS_rt_sigtimedwait, &block, NULL, &zero, 8);
		}
		ws_sc4(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
	} else {
		do
			r = ws_write(ws.log_fd, line, len);
		while (r == -EINTR);
	}
	return r == (long)len ? 0 : -1;
}

static void common_fields(struct wj *j, const char *event)
{
	char ts[32];
	wj_ts(ts, wj_now_us());
	wj_str(j, "ts", ts, 27, 64);
	wj_str(j, "session", ws.session_hex, 16, 32);
	wj_int(j, "pid", ws_getpid());
	wj_cstr(j, "event", event);
}

int ws_log_op(const struct ws_op *op, int decision, const struct wd_out *d1,
	      const struct wd_out *d2, int err)
{
	static const char *const dec[] = {"allow", "deny", "would-deny"};
	char buf[WJ_LINE_MAX];
	struct wj j;
	const struct wp_hdr *h = ws.pol;
	size_t lim = op->path2 ? 880 : 1700;
	wj_begin(&j, buf, sizeof buf);
	common_fields(&j, "op");
	wj_cstr(&j, "op", op->fn);
	if (op->path)
		wj_str(&j, "path", op->path, strlen(op->path), lim);
	wj_str(&j, "real", op->r->real, op->r->len, lim);
	if (op->path2 && op->r2) {
		wj_str(&j, "to", op->path2, strlen(op->path2), lim);
		wj_str(&j, "real_to", op->r2->real, op->r2->len, lim);
	}
	wj_cstr(&j, "access", access_names[op->access]);
	wj_cstr(&j, "decision", dec[decision]);
	/* the level and rule that decided: of the side that refused, else the first */
	const struct wd_out *d = d1;
	if (d2 && decision != 0 && d1->level >= op->need)
		d = d2;
	wj_cstr(&j, "level", wp_level_name(d->level));
	uint32_t ll;
	const char *label = wd_rule_label(h, d->rule, &ll);
	wj_str(&j, "rule", label, ll, 512);
	if (d2) {
		const struct wd_out *o = d == d1 ? d2 : d1;
		wj_cstr(&j, d == d1 ? "level_to" : "level_from", wp_level_name(o->level));
		label = wd_rule_label(h, o->rule, &ll);
		wj_str(&j, d == d1 ? "rule_to" : "rule_from", label, ll, 512);
	}
	if (err) {
		char tmp[16];
		wj_cstr(&j, "errno", wj_errno_name(err, tmp));
		/* an attempt to use a name where nothing exists (a probe), told apart from
		 * the refusal of an existing object or of a creation */
		if ((!op->r->exists || op->r->err) && op->access != WA_CREATE)
			wj_bool(&j, "absent", true);
	}
	/* the grant, when a ttl or expires rule decided (or the write side of a move) */
	const struct wd_out *gd = d2 && d2->level == WL_WRITE ? d2 : d1;
	if (gd->rule != WP_NONE32) {
		const struct wp_rule *r = &wp_rules(h)[gd->rule];
		if (r->kind == WK_RULE && (r->ttl_s || r->expires_s || r->implicit) && r->grant) {
			char g[16];
			wa_grant_id(g, r->grant);
			wj_cstr(&j, "grant", g);
		}
	}
	size_t n = wj_end(&j);
	return ws_log_raw(buf, n);
}

/* Should this decision be logged? Denials always; allowed writes, creations,
 * deletions, moves, links and execs always; reads, listings and stats only with
 * log.reads. */
static bool wants_log(const struct ws_op *op, bool denied)
{
	if (ws.log_fd < 0)
		return false;
	if (op->quiet) /* a query: its denials are logged, its answers with log.reads */
		return denied || ws.pol->log_reads;
	if (denied)
		return true;
	switch (op->access) {
	case WA_READ:
	case WA_LIST:
	case WA_STAT:
		return ws.pol->log_reads || op->path2;
	default:
		return true;
	}
}

static void decide_r(const struct wr *r, struct wd_out *out)
{
	struct wg_path p;
	if (wg_split(&p, r->real, r->len) < 0) {
		out->level = WL_NONE; /* deeper than ward can judge: fail closed */
		out->rule = WP_NONE32;
		out->hidden = false;
		out->need_dir = false;
		return;
	}
	wd_decide(ws.pol, &p, r->is_dir, out);
	if (out->need_dir) /* unknown and it matters: the stricter of the two answers */ {
		struct wd_out a, b;
		wd_decide(ws.pol, &p, 0, &a);
		wd_decide(ws.pol, &p, 1, &b);
		*out = a.level <= b.level ? a : b;
	}
}

/* Digits only, as a number (or -1). */
static long digits(const char *s, size_t n)
{
	long v = 0;
	if (!n || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Is `dir` a descriptor folder of this process under /proc (/proc/self/fd,
 * /proc/PID/fd, .../task/TID/fd, and the fdinfo folders)? */
static bool proc_fd_dir(const char *dir, size_t dl)
{
	if (dl < 8 || memcmp(dir, "/proc/", 6) != 0)
		return false;
	const char *p = dir + 6, *end = dir + dl;
	const char *c = memchr(p, '/', (size_t)(end - p));
	if (!c)
		return false;
	size_t n = (size_t)(c - p);
	bool self = (n == 4 && !memcmp(p, "self", 4)) || (n == 11 && !memcmp(p, "thread-self", 11));
	if (!self) {
		long pid = digits(p, n);
		if (pid < 0 || pid != ws_getpid())
			return false;
	}
	p = c + 1;
	if ((size_t)(end - p) > 5 && !memcmp(p, "task/", 5)) {
		const char *t = memchr(p + 5, '/', (size_t)(end - p - 5));
		if (!t || digits(p + 5, (size_t)(t - p - 5)) < 0)
			return false;
		p = t + 1;
	}
	size_t rest = (size_t)(end - p);
	return (rest == 2 && !memcmp(p, "fd", 2)) || (rest == 6 && !memcmp(p, "fdinfo", 6));
}

bool ws_own_fd_name(const char *dir, size_t dl, const char *name, size_t nl)
{
	if (!ws.n_own || !proc_fd_dir(dir, dl))
		return false;
	long fd = digits(name, nl);
	return fd >= 0 && ws_is_own_fd((int)fd);
}

bool ws_own_fd_path(const char *real, size_t len)
{
	if (len < 10 || memcmp(real, "/proc/", 6) != 0)
		return false;
	size_t i = len;
	while (i > 0 && real[i - 1] != '/')
		i--;
	return i > 1 && ws_own_fd_name(real, i - 1, real + i, len - i);
}

int ws_gate(struct ws_op *op)
{
	struct wd_out d1, d2;
	int err = 0;

	if (WS_UNLIKELY(op->r->len > 9 && op->r->real[1] == 'p') &&
	    (ws_own_fd_path(op->r->real, op->r->len) ||
	     (op->r2 && ws_own_fd_path(op->r2->real, op->r2->len)))) {
		/* the library's own descriptors have no name the program can use */
		d1.level = WL_NONE;
		d1.rule = WP_NONE32;
		d1.hidden = true;
		d1.need_dir = false;
		if (ws.log_fd >= 0)
			ws_log_op(op, 1, &d1, NULL, ENOENT);
		return -ENOENT;
	}
	decide_r(op->r, &d1);
	if (op->r->magic) {
		/* a descriptor the program holds that is no file (pipe, socket) */
		d1.level = WL_WRITE;
	}
	err = ws_level_errno(d1.level, op->need);
	if (!err && op->access == WA_EXEC) {
		struct wg_path p;
		if (wg_split(&p, op->r->real, op->r->len) < 0 || !wd_exec_allowed(ws.pol, &p))
			err = -EACCES;
	}
	if (op->r2) {
		decide_r(op->r2, &d2);
		int e2 = ws_level_errno(d2.level, op->need2);
		if (!err)
			err = e2;
		if (!err && op->move) {
			struct wg_path ps, pd;
			if (wg_split(&ps, op->r->real, op->r->len) < 0 ||
			    wg_split(&pd, op->r2->real, op->r2->len) < 0)
				err = -EACCES;
			else if (op->src_is_dir && !wd_move_ok(ws.pol, &ps, &pd))
				err = -EACCES;
			else if (op->exchange && op->r2->is_dir == 1 && !wd_move_ok(ws.pol, &pd, &ps))
				err = -EACCES;
		}
	}
	if (err == -ENOENT && op->retry)
		err = -EACCES;
	bool denied = err != 0;
	int decision = denied ? (ws.mode == WM_AUDIT ? 2 : 1) : 0;
	if (wants_log(op, denied)) {
		if (ws_log_op(op, decision, &d1, op->r2 ? &d2 : NULL, denied ? -err : 0) < 0 && !denied)
			return -EACCES; /* no unlogged allow */
	}
	if (denied && ws.mode == WM_AUDIT)
		return 0;
	return err;
}

int ws_entry_known(const char *dir, size_t dl, const char *name, size_t nl, unsigned char dtype)
{
	if (WS_UNLIKELY(dir[1] == 'p') && ws_own_fd_name(dir, dl, name, nl))
		return 0; /* a descriptor of the library's in /proc/self/fd */
	if (ws.mode == WM_AUDIT)
		return 1;
	if (dtype == 0 /* DT_UNKNOWN */ || (nl <= 2 && name[0] == '.' && (nl == 1 || name[1] == '.')))
		return -1;
	struct wd_out k;
	if (wd_decide_kid(ws.pol, dir, dl, name, nl, dtype == 4 /* DT_DIR */, &k) < 0)
		return -1;
	return k.level > WL_NONE;
}

bool ws_entry_visible(const char *dir, size_t dl, const char *name, size_t nl, unsigned char dtype,
		      int dirfd)
{
	char path[PATH_MAX];
	size_t n;
	/* the common case: the type is known, and the folder's part is worked out once
	 * (audit mode hides nothing, and a listing is not logged) */
	int v = ws_entry_known(dir, dl, name, nl, dtype);
	if (v >= 0)
		return v;
	if (nl == 1 && name[0] == '.')
		return true; /* the folder itself, which is being listed */
	if (dl + 1 + nl >= sizeof path)
		return false;
	bool dotdot = nl == 2 && name[0] == '.' && name[1] == '.';
	memcpy(path, dir, dl);
	if (dotdot) {
		n = wn_parent_len(path, dl); /* "..": the parent folder, shown as its level says */
		dtype = 4;
	} else {
		n = dl;
		if (n > 1)
			path[n++] = '/';
		memcpy(path + n, name, nl);
		n += nl;
	}
	path[n] = 0;
	struct wg_path p;
	if (wg_split(&p, path, n) < 0)
		return false;
	int is_dir = dtype == 4 /* DT_DIR */ ? 1 : (dtype == 0 /* DT_UNKNOWN */ ? -1 : 0);
	struct wd_out d;
	wd_decide(ws.pol, &p, is_dir, &d);
	if (d.need_dir && dirfd >= 0) {
		struct stat st;
		char nm[256];
		if (nl < sizeof nm) {
			memcpy(nm, name, nl);
			nm[nl] = 0;
			if (ws_sc4(SYS_newfstatat, dirfd, nm, &st, AT_SYMLINK_NOFOLLOW) == 0)
				wd_decide(ws.pol, &p, S_ISDIR(st.st_mode) ? 1 : 0, &d);
		}
	}
	if (d.need_dir) {
		struct wd_out a, b;
		wd_decide(ws.pol, &p, 0, &a);
		wd_decide(ws.pol, &p, 1, &b);
		d.level = a.level <= b.level ? a.level : b.level;
	}
	return d.level > WL_NONE;
}

int ws_refusal(struct wr *r, const char *fn, const char *path, int access, int need)
{
	/* The walk failed, or the object is missing: the kernel's answer stands, unless
	 * the path is hidden, which must look missing whatever the reason. A decision
	 * below the need is logged as a denial all the same: an attempt on a hidden
	 * name that does not exist is what an audit most needs to show (DESIGN §7). */
	struct wd_out d;
	decide_r(r, &d);
	int e = r->err ? r->err : ENOENT;
	int ret = d.level == WL_NONE && ws.mode != WM_AUDIT ? ENOENT : e;
	if (d.level < need && ws.log_fd >= 0) {
		struct ws_op op = {.fn = fn, .access = access, .need = need, .path = path, .r = r};
		ws_log_op(&op, ws.mode == WM_AUDIT ? 2 : 1, &d, NULL, d.level == WL_NONE ? ENOENT : e);
	}
	wr_done(r);
	return -ret;
}

int ws_prepare(const char *fn, int dirfd, const char *path, unsigned rflags, int access, int need,
	       bool create, struct wr *r)
{
	int rc = wr_resolve(dirfd, path, rflags | WR_KEEP, r);
	if (rc < 0)
		return rc;
	if (r->err || (!r->exists && !create))
		return ws_refusal(r, fn, path, access, need);
	struct ws_op op = {.fn = fn, .access = access, .need = need, .path = path, .r = r};
	rc = ws_gate(&op);
	if (rc < 0)
		wr_done(r);
	return rc;
}

int ws_gate_fd(const char *fn, int fd, int access, int need)
{
	return ws_gate_fd_named(fn, fd, NULL, 0, NULL, access, need);
}

int ws_gate_fd_named(const char *fn, int fd, const char *path, size_t len, const struct stat *st,
		     int access, int need)
{
	struct wr r;
	if (ws_is_own_fd(fd))
		return -EBADF;
	r.parent_fd = r.obj_fd = -1;
	r.err = 0;
	r.magic = 0;
	r.exists = 1;
	long n;
	if (path) {
		memcpy(r.real, path, len + 1);
		n = (long)len;
	} else {
		n = wr_fd_path(fd, r.real, sizeof r.real);
	}
	if (n == -ENOTDIR)
		return 0; /* a pipe or socket: no file to judge */
	if (n < 0)
		return (int)n == -EBADF ? -EBADF : (int)n;
	r.len = (uint32_t)n;
	struct stat own;
	if (!st)
		st = ws_sc2(SYS_fstat, fd, &own) == 0 ? &own : NULL;
	r.is_dir = st ? S_ISDIR(st->st_mode) : -1;
	r.name_off = 0;
	struct ws_op op = {.fn = fn, .access = access, .need = need, .path = NULL, .r = &r};
	return ws_gate(&op);
}

int ws_forbid(const char *fn, int dirfd, const char *path, int err)
{
	struct wr r;
	struct wd_out d = {.level = WL_NONE, .rule = WP_NONE32};
	r.parent_fd = r.obj_fd = -1;
	r.err = 0;
	r.magic = 0;
	r.exists = 1;
	r.is_dir = -1;
	r.name_off = 0;
	r.len = 0;
	r.real[0] = 0;
	if (path) {
		int rc = wr_resolve(dirfd, path, WR_FOLLOW, &r);
		if (rc < 0)
			return rc;
		decide_r(&r, &d);
		if (d.level == WL_NONE || r.err || !r.exists)
			err = d.level == WL_NONE ? ENOENT : (r.err ? r.err : ENOENT);
	}
	struct ws_op op = {.fn = fn, .access = WA_WRITE, .need = WL_WRITE, .path = path, .r = &r};
	if (ws.log_fd >= 0)
		ws_log_op(&op, 1, &d, NULL, err);
	return -err;
}
