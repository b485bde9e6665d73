/* init.c: setting up confinement, once per process, before the program's main.
 *
 * Order: read ward's variables from the environment (programs may clear it later),
 * secure the audit descriptor, map the session's compiled policy (inherited sealed
 * memfd) or compile it (first process of a session started by hand), then write the
 * `policy` event. Any failure prints "ward: ..." and exits 126: a program never runs
 * unconfined because its policy or log is broken.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <pthread.h>
#include <time.h>

#include "common/audit.h"
#include "common/jsonl.h"
#include "conf/load.h"
#include "shim/real.h"
#include "shim/shim.h"

#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

struct ws_state ws = {.log_fd = -1, .pol_fd = -1};

extern char **environ;

static void fd_text(char *out, int fd);

/* The kept variables, one after the other (a page or two touched, not eight). */
static char env_store[8 * (PATH_MAX + 64)];
static WS_HOT size_t env_used;

void ws_die(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;
	memcpy(buf, "ward: ", 6);
	va_start(ap, fmt);
	int n = vsnprintf(buf + 6, sizeof buf - 8, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	size_t len = 6 + ((size_t)n < sizeof buf - 8 ? (size_t)n : sizeof buf - 8);
	buf[len++] = '\n';
	ws_write(2, buf, len);
	ws_exit_group(126);
}

static const char *env_get(const char *name)
{
	size_t nl = strlen(name);
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, nl) == 0 && (*e)[nl] == '=')
			return *e + nl + 1;
	return NULL;
}

/* The descriptor variables, in buffers of their own: the library rewrites them
 * when it moves a descriptor out of a number the program asked for (ws_own_moved). */
static char env_logfd[32], env_polfd[32], env_polhash[48];

static void set_fd_env(char *buf, const char *name, int fd)
{
	size_t nl = strlen(name);
	char num[16];
	memcpy(buf, name, nl);
	buf[nl] = '=';
	fd_text(num, fd);
	memcpy(buf + nl + 1, num, strlen(num) + 1);
}

static void keep_env(const char *name, const char *value)
{
	if (ws.n_env_keep >= 8 || !value)
		return;
	/* "NAME=VALUE", without stdio: printf's deep stack frame costs page faults in
	 * every process, and this runs in every process */
	char *s = env_store + env_used;
	size_t nl = strlen(name), vl = strlen(value), n = nl + 1 + vl;
	if (n >= PATH_MAX + 64 || n >= sizeof env_store - env_used)
		ws_die("%s is too long", name);
	memcpy(s, name, nl);
	s[nl] = '=';
	memcpy(s + nl + 1, value, vl + 1);
	env_used += n + 1;
	ws.env_keep[ws.n_env_keep++] = s;
}

/* A descriptor number as decimal text (out: 12 bytes at least). */
static void fd_text(char *out, int fd)
{
	char t[12];
	int n = 0;
	unsigned u = fd < 0 ? 0u : (unsigned)fd;
	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	int o = 0;
	while (n)
		out[o++] = t[--n];
	out[o] = 0;
}

/* Strict decimal descriptor number. */
static int parse_fd(const char *s)
{
	long v = 0;
	if (!s || !*s)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > 1 << 24)
			return -1;
	}
	return (int)v;
}

/* The lowest number for the library's own descriptors: near the top of the soft
 * limit, out of the way of the low numbers programs use and of bash's 10..255. */
static int high_base(void)
{
	struct rlimit rl;
	if (ws_sc2(SYS_getrlimit, RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1000;
	/* Not higher than about a thousand: the kernel sizes a process's descriptor
	 * table to its highest descriptor, and every fork copies that table (a
	 * descriptor near a soft limit of 20,000 made each fork copy 256 KiB). */
	if (rl.rlim_cur > 1024)
		return 1000;
	if (rl.rlim_cur > 300)
		return (int)rl.rlim_cur - 24;
	return 256 < (int)rl.rlim_cur ? 256 : (int)rl.rlim_cur / 2;
}

/* The lowest number of the library's own descriptors (high_base, at start). */
static WS_HOT int own_base;

static int move_high(int fd, int base)
{
	if (fd >= base)
		return fd;
	int nfd = ws_fcntl(fd, F_DUPFD, base);
	if (nfd < 0)
		return nfd;
	ws_close(fd);
	return nfd;
}

static void add_own(int fd)
{
	if (ws.n_own < WS_MAX_OWN_FDS)
		ws.own_fds[ws.n_own++] = fd;
}

int ws_own_move(int fd, bool close_old)
{
	/* A vfork child shares this memory with its parent, not its descriptor table:
	 * moving here would leave the parent with numbers it does not have. A process
	 * whose pid is not the one the library knows (a vfork child, or a child of a
	 * raw clone) refuses instead. */
	if (ws_getpid() != ws.pid)
		return -EBADF;
	int base = own_base > fd ? own_base : fd + 1;
	int nfd = ws_fcntl(fd, F_DUPFD, base);
	if (nfd < 0)
		return nfd;
	for (int i = 0; i < ws.n_own; i++)
		if (ws.own_fds[i] == fd)
			__atomic_store_n(&ws.own_fds[i], nfd, __ATOMIC_RELEASE);
	if (ws.log_fd == fd) {
		__atomic_store_n(&ws.log_fd, nfd, __ATOMIC_RELEASE);
		set_fd_env(env_logfd, "WARD_LOG_FD", nfd);
	}
	if (ws.pol_fd == fd) {
		__atomic_store_n(&ws.pol_fd, nfd, __ATOMIC_RELEASE);
		set_fd_env(env_polfd, "WARD_POLICY_FD", nfd);
	}
	/* For dup2 and dup3 the old number stays open until the program's own call
	 * replaces it, so that a thread writing an event at this moment still writes to
	 * the log; F_DUPFD needs the number free. */
	if (close_old)
		ws_close(fd);
	return 0;
}

static void atfork_child(void) { ws.pid = ws_getpid(); }

static void setup_log(int base)
{
	const char *v = env_get("WARD_LOG_FD");
	if (!v) {
		ws.log_fd = -1;
		return;
	}
	int fd = parse_fd(v);
	if (fd < 0)
		ws_die("WARD_LOG_FD='%s' is not a descriptor number", v);
	int fl = ws_fcntl(fd, F_GETFL, 0);
	if (fl < 0)
		ws_die("WARD_LOG_FD=%d is not an open descriptor", fd);
	if ((fl & O_ACCMODE) == O_RDONLY)
		ws_die("WARD_LOG_FD=%d is not open for writing", fd);
	struct stat st;
	if (ws_sc2(SYS_fstat, fd, &st) < 0)
		ws_die("WARD_LOG_FD=%d cannot be examined", fd);
	if (S_ISSOCK(st.st_mode))
		ws.log_kind = WS_LOG_SOCK;
	else if (S_ISFIFO(st.st_mode))
		ws.log_kind = WS_LOG_PIPE;
	else if (S_ISREG(st.st_mode)) {
		if (!(fl & O_APPEND))
			ws_die("WARD_LOG_FD=%d is a file not opened for appending (use 3>>FILE)", fd);
		ws.log_kind = WS_LOG_FILE;
		ws.log_is_reg = 1;
	} else if (S_ISCHR(st.st_mode)) {
		ws.log_kind = WS_LOG_FILE;
	} else {
		ws_die("WARD_LOG_FD=%d is neither a file, a pipe nor a socket", fd);
	}
	fd = move_high(fd, base);
	if (fd < 0)
		ws_die("cannot move the audit descriptor out of the program's way");
	ws.log_fd = fd;
	add_own(fd);
}

/* Maps an inherited policy descriptor; it must be a sealed memfd holding a whole,
 * consistent compiled policy. */
static bool map_inherited(int base)
{
	const char *v = env_get("WARD_POLICY_FD");
	if (!v)
		return false;
	int fd = parse_fd(v);
	if (fd < 0)
		ws_die("WARD_POLICY_FD='%s' is not a descriptor number", v);
	int seals = ws_fcntl(fd, F_GET_SEALS, 0);
	int need = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW;
	if (seals < 0 || (seals & need) != need)
		ws_die("WARD_POLICY_FD=%d is not a sealed policy", fd);
	struct stat st;
	if (ws_sc2(SYS_fstat, fd, &st) < 0 || st.st_size < (off_t)sizeof(struct wp_hdr))
		ws_die("WARD_POLICY_FD=%d is not a ward policy", fd);
	/* MAP_POPULATE: the policy is read whole just below; mapped at once, not one
	 * page fault per page */
	void *p = (void *)ws_sc6(SYS_mmap, 0, st.st_size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
	if ((unsigned long)p > -4096UL)
		ws_die("cannot map the policy of WARD_POLICY_FD=%d", fd);
	const char *bad = wp_verify(p, (size_t)st.st_size);
	if (bad)
		ws_die("WARD_POLICY_FD=%d: %s", fd, bad);
	/* Well-formed is not enough: it must be the session's policy, whose hash the
	 * parent's library passed down beside it (a program that swaps the descriptor
	 * cannot also change what ward's exec wrappers put into the environment). */
	char got[22];
	const char *h = env_get("WARD_POLICY_HASH");
	wa_blob_hash(got, p, (size_t)st.st_size);
	if (!h || strcmp(h, got) != 0)
		ws_die("WARD_POLICY_FD=%d is not the session's policy (its hash does not match "
		       "WARD_POLICY_HASH)", fd);
	ws.pol_size = (size_t)st.st_size;
	fd = move_high(fd, base);
	ws.pol = p;
	ws.pol_fd = fd;
	add_own(fd);
	return true;
}

static uint64_t random64(void)
{
	uint64_t v = 0;
	if (ws_sc3(SYS_getrandom, &v, sizeof v, 0) != (long)sizeof v) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		v = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)ws_getpid() << 32 ^
		    (uint64_t)ts.tv_sec;
	}
	return v ? v : 1;
}

/* First process of a session started by hand: compile, seal into a memfd. */
static void compile_here(int base)
{
	const char *policy = env_get("WARD_POLICY");
	const char *mode = env_get("WARD_MODE");
	struct wc_libconfig lc;
	void *h = real.dlopen(WARD_LIBCONFIG_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		ws_die("cannot load %s to read the policy: %s", WARD_LIBCONFIG_SONAME, dlerror());
	lc.init = (void (*)(config_t *))dlsym(h, "config_init");
	lc.destroy = (void (*)(config_t *))dlsym(h, "config_destroy");
	lc.read_string = (int (*)(config_t *, const char *))dlsym(h, "config_read_string");
	if (!lc.init || !lc.destroy || !lc.read_string)
		ws_die("%s lacks config_read_string", WARD_LIBCONFIG_SONAME);

	char cwd[PATH_MAX], state[PATH_MAX];
	if (wr_cwd(cwd, sizeof cwd) < 0)
		ws_die("cannot resolve the working directory");
	struct wc_opts o;
	memset(&o, 0, sizeof o);
	o.cwd = cwd;
	o.mode = mode ? (strcmp(mode, "audit") == 0 ? WM_AUDIT : WM_ENFORCE) : -1;
	const char *home = env_get("HOME");
	o.home = home && home[0] == '/' ? home : NULL;
	const char *xdg = env_get("XDG_STATE_HOME");
	if (xdg && xdg[0] == '/')
		snprintf(state, sizeof state, "%s/ward", xdg);
	else if (o.home)
		snprintf(state, sizeof state, "%s/.local/state/ward", o.home);
	else
		state[0] = 0;
	o.state = state[0] ? state : NULL;
	const char *root = env_get("WARD_ROOT");
	o.root = root && *root ? root : NULL;
	/* the audit file itself is hidden from the program (it could reopen it through
	 * /proc/self/fd otherwise) */
	char logpath[PATH_MAX];
	if (ws.log_kind == WS_LOG_FILE && wr_fd_path(ws.log_fd, logpath, sizeof logpath) > 0)
		o.hide_extra = logpath;

	char err[2048];
	size_t size = 0;
	void *blob = policy && *policy ? wc_compile(&lc, policy, false, &o, &size, err, sizeof err)
				       : wc_compile(&lc, "agent-safe", true, &o, &size, err, sizeof err);
	if (!blob)
		ws_die("%s", err);
	struct wp_hdr *hd = blob;
	struct timespec ts;
	hd->session = random64();
	clock_gettime(CLOCK_BOOTTIME, &ts);
	hd->start_bt_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	hd->start_rt_us = wj_now_us();

	int fd = (int)ws_sc2(SYS_memfd_create, "ward-policy", MFD_ALLOW_SEALING);
	if (fd < 0)
		ws_die("cannot create the policy memfd");
	size_t off = 0;
	while (off < size) {
		long w = ws_write(fd, (char *)blob + off, size - off);
		if (w == -EINTR)
			continue;
		if (w <= 0)
			ws_die("cannot write the policy memfd");
		off += (size_t)w;
	}
	free(blob);
	if (ws_fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		ws_die("cannot seal the policy memfd");
	void *p = (void *)ws_sc6(SYS_mmap, 0, (long)size, PROT_READ, MAP_SHARED, fd, 0);
	if ((unsigned long)p > -4096UL)
		ws_die("cannot map the policy memfd");
	ws.pol_size = size;
	fd = move_high(fd, base);
	ws.pol = p;
	ws.pol_fd = fd;
	add_own(fd);
	ws_log_policy_event();
}

void ws_log_policy_event(void)
{
	char buf[WJ_LINE_MAX];
	if (ws.log_fd < 0)
		return;
	size_t n = wa_policy_line(buf, ws.pol, ws_getpid(), NULL);
	ws_log_raw(buf, n);
}

static void do_init(void)
{
	ws_bind_real();
	int base = high_base();
	own_base = base;
	const char *mode = env_get("WARD_MODE");
	if (mode && strcmp(mode, "enforce") != 0 && strcmp(mode, "audit") != 0)
		ws_die("WARD_MODE must be 'enforce' or 'audit', not '%s'", mode);

	setup_log(base);
	if (!map_inherited(base)) {
		/* the first process of a session; its children run on the same kernel
		 * (and a missing openat2 fails every check, closed) */
		if (!ws_has_openat2())
			ws_die("this kernel lacks openat2 (Linux 5.6 or later is needed)");
		compile_here(base);
	}
	ws.mode = ws.pol->mode;
	wa_session_hex(ws.pol->session, ws.session_hex);

	/* what every child gets back, whatever environment the program hands it */
	keep_env("LD_PRELOAD", env_get("LD_PRELOAD"));
	set_fd_env(env_polfd, "WARD_POLICY_FD", ws.pol_fd);
	ws.env_keep[ws.n_env_keep++] = env_polfd;
	wa_blob_hash(env_polhash + 17, ws.pol, ws.pol_size);
	memcpy(env_polhash, "WARD_POLICY_HASH=", 17);
	ws.env_keep[ws.n_env_keep++] = env_polhash;
	if (ws.log_fd >= 0) {
		set_fd_env(env_logfd, "WARD_LOG_FD", ws.log_fd);
		ws.env_keep[ws.n_env_keep++] = env_logfd;
	}
	keep_env("WARD_MODE", ws.mode == WM_AUDIT ? "audit" : "enforce");
	keep_env("WARD_POLICY", env_get("WARD_POLICY"));
	keep_env("WARD_ROOT", WP_STR(ws.pol, ws.pol->root_off));

	/* RLIMIT_FSIZE (limits.max_file_size) would stop the library's own writes to a
	 * log file, and a library that cannot log refuses everything: refused at start */
	if (ws.log_is_reg && ws.pol->max_file_size)
		ws_die("limits.max_file_size cannot apply with an audit log file (WARD_LOG_FD=%s): "
		       "log to a pipe or socket (3> >(cat >> FILE)), or use ward run",
		       env_get("WARD_LOG_FD") ? env_get("WARD_LOG_FD") : "?");
	ws_apply_limits();
	ws.pid = ws_getpid();
	pthread_atfork(NULL, NULL, atfork_child);
	ws_env_judge();

	/* a set-user-ID program would drop LD_PRELOAD and run unconfined */
	ws_sc5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Set in the thread that initialises (a flag in TLS, not a gettid per process). */
static __thread int init_here __attribute__((tls_model("initial-exec")));

bool ws_init_slow(void)
{
	int expected = 0;
	if (atomic_compare_exchange_strong(&ws.ready, &expected, 1)) {
		init_here = 1;
		do_init();
		init_here = 0;
		atomic_store_explicit(&ws.ready, 2, memory_order_release);
		return true;
	}
	if (expected == 2)
		return true;
	/* initialising: the library's own calls go straight through; other threads wait */
	if (init_here)
		return false;
	while (atomic_load_explicit(&ws.ready, memory_order_acquire) != 2)
		ws_sc0(SYS_sched_yield);
	return true;
}

__attribute__((constructor)) static void ws_constructor(void) { (void)ws_active(); }
