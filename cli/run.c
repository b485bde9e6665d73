/* run.c: ward run: run a command under the library, with a private TMPDIR, the
 * policy compiled once into a sealed memfd, and the audit log written here from the
 * other end of a socket, so the program never holds a descriptor of the log file.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/ward.h"
#include "common/audit.h"
#include "common/decide.h"
#include "common/jsonl.h"
#include "common/sys.h"

#ifndef MFD_ALLOW_SEALING
#define MFD_ALLOW_SEALING 2U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif

const char *cli_library(void)
{
	static char lib[PATH_MAX];
	const char *env = getenv("WARD_LIBRARY");
	if (env && *env)
		return env;
	/* from the build tree, the library built beside this command */
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		char want[PATH_MAX];
		snprintf(want, sizeof want, "%s/cli/ward", WARD_BUILDDIR);
		char *rw = realpath(want, NULL);
		bool build = rw && strcmp(rw, exe) == 0;
		free(rw);
		if (build) {
			snprintf(lib, sizeof lib, "%s/shim/.libs/libward.so", WARD_BUILDDIR);
			return lib;
		}
	}
	snprintf(lib, sizeof lib, "%s/libward.so", WARD_PKGLIBDIR);
	return lib;
}

int cli_mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

char *cli_default_log(void)
{
	char *state = cli_state_dir();
	if (!state)
		return NULL;
	size_t n = strlen(state) + 16;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/audit.jsonl", state);
	free(state);
	return p;
}

/* Opens the audit log for appending (0600), its folders made as needed. */
int cli_open_log(const char *path)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *sl = strrchr(dir, '/');
	if (sl && sl != dir) {
		*sl = 0;
		if (cli_mkdirs(dir, 0700) < 0) {
			cli_err("cannot make the folder of the log %s: %s", path, strerror(errno));
			return -1;
		}
	}
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		cli_err("cannot open the log %s: %s", path, strerror(errno));
	return fd;
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type == FTW_DP)
		return rmdir(p) < 0 && errno != ENOENT ? 0 : 0;
	unlink(p);
	return 0;
}

void cli_rm_rf(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Seals a compiled policy into a memfd the children inherit. Returns the fd. */
int cli_seal_policy(const void *blob, size_t size)
{
	int fd = (int)syscall(SYS_memfd_create, "ward-policy", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (fd < 0) {
		cli_err("cannot create a memfd for the policy: %s", strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, (const char *)blob + off, size - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			cli_err("cannot write the policy memfd: %s", strerror(errno));
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		cli_err("cannot seal the policy memfd: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void cli_new_session(struct wp_hdr *h)
{
	uint64_t s = 0;
	if (getrandom(&s, sizeof s, 0) != (ssize_t)sizeof s || !s)
		s = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
	h->session = s;
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	h->start_bt_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	h->start_rt_us = wj_now_us();
}

/* Reads the string value of "key" in a flat JSON line (escapes kept raw). */
static bool json_field(const char *line, size_t len, const char *key, char *out, size_t size)
{
	char pat[64];
	int pl = snprintf(pat, sizeof pat, "\"%s\":\"", key);
	const char *p = memmem(line, len, pat, (size_t)pl);
	if (!p)
		return false;
	p += pl;
	size_t o = 0;
	while (p < line + len && *p != '"' && o + 1 < size) {
		if (*p == '\\' && p + 1 < line + len) {
			out[o++] = p[1];
			p += 2;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = 0;
	return true;
}

struct runstate {
	int log_fd;
	int sock;
	bool verbose;
	long denied;
	long unparsed;
	const struct wp_hdr *pol;
};

/* One message from the library: a line to append, and perhaps a denial to show. */
static void take(struct runstate *rs, const char *msg, size_t n)
{
	bool line = n >= 3 && msg[0] == '{' && msg[n - 1] == '\n' && msg[n - 2] == '}' &&
		    memchr(msg, '\n', n - 1) == NULL && memchr(msg, 0, n) == NULL && n <= WJ_LINE_MAX;
	if (!line) {
		/* not a line the library writes: recorded as such, never copied */
		rs->unparsed++;
		return;
	}
	if (write(rs->log_fd, msg, n) != (ssize_t)n)
		cli_err("cannot write the audit log: %s", strerror(errno));
	char dec[32];
	if (json_field(msg, n, "decision", dec, sizeof dec) &&
	    (strcmp(dec, "deny") == 0 || strcmp(dec, "would-deny") == 0)) {
		rs->denied++;
		if (rs->verbose) {
			char access[32], real[4200], rule[600];
			if (!json_field(msg, n, "access", access, sizeof access))
				strcpy(access, "?");
			if (!json_field(msg, n, "real", real, sizeof real))
				strcpy(real, "?");
			if (!json_field(msg, n, "rule", rule, sizeof rule))
				strcpy(rule, "?");
			fprintf(stderr, "ward: %s %s %s (%s)\n", dec[0] == 'd' ? "denied" : "would deny", access,
				real, rule);
		}
	}
}

static void drain(struct runstate *rs, int timeout_ms)
{
	char buf[WJ_LINE_MAX + 64];
	for (;;) {
		struct pollfd p = {rs->sock, POLLIN, 0};
		int r = poll(&p, 1, timeout_ms);
		if (r <= 0)
			return;
		ssize_t n = recv(rs->sock, buf, sizeof buf, MSG_DONTWAIT);
		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			return;
		}
		take(rs, buf, (size_t)n);
	}
}

static volatile sig_atomic_t child_pid;

static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Looks the command up as execvp would, for the first check. */
static char *find_command(const char *cmd)
{
	if (strchr(cmd, '/'))
		return realpath(cmd, NULL);
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	char *dup = strdup(path);
	for (char *save = NULL, *d = strtok_r(dup, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char buf[PATH_MAX];
		snprintf(buf, sizeof buf, "%s/%s", *d ? d : ".", cmd);
		if (access(buf, X_OK) == 0) {
			free(dup);
			return realpath(buf, NULL);
		}
	}
	free(dup);
	return NULL;
}

static int parse(int argc, char **argv, struct session *o)
{
	static const struct option lo[] = {
		{"audit", no_argument, NULL, 'A'}, {"no-landlock", no_argument, NULL, 'N'},
		{"help", no_argument, NULL, 'h'},  {0, 0, 0, 0},
	};
	const char *usage = "usage: ward run [-p POLICY | -P PRESET] [-r ROOT] [-l LOG] [-v] [--audit] "
			    "[--no-landlock] -- COMMAND [ARG]...\n";
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:P:r:l:vh", lo, NULL)) != -1) {
		switch (c) {
		case 'p': o->policy = optarg; break;
		case 'P': o->preset = optarg; break;
		case 'r': o->root = optarg; break;
		case 'l': o->log = optarg; break;
		case 'v': o->verbose = true; break;
		case 'A': o->audit = true; break;
		case 'N': o->no_landlock = true; break;
		case 'h': fputs(usage, stdout); exit(0);
		default: fputs(usage, stderr); return -1;
		}
	}
	if (o->policy && o->preset) {
		cli_err("-p and -P exclude each other");
		return -1;
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return -1;
	}
	return optind;
}

/* Sets an environment variable for the child, or dies. */
static void set(const char *k, const char *v)
{
	if (setenv(k, v, 1) < 0) {
		cli_err("cannot set %s", k);
		_exit(EXIT_CONFINE);
	}
}

int cmd_run(int argc, char **argv)
{
	struct session ss = {0};
	int first = parse(argc, argv, &ss);
	if (first < 0)
		return EXIT_USAGE;
	ss.cmd = argv + first;
	return cli_session(&ss);
}

int cli_session(struct session *ss)
{
	char **cmd = ss->cmd;
	/* the library's processes trust the first of their session to have asked */
	if (!ws_has_openat2()) {
		cli_err("this kernel lacks openat2 (Linux 5.6 or later is needed)");
		return EXIT_CONFINE;
	}
	/* the log */
	char *logpath = ss->log ? strdup(ss->log) : cli_default_log();
	if (!logpath) {
		cli_err("no -l LOG and no HOME for the default log");
		return EXIT_CONFINE;
	}
	int log_fd = cli_open_log(logpath);
	if (log_fd < 0)
		return EXIT_CONFINE;
	char *log_real = realpath(logpath, NULL);

	/* the private TMPDIR */
	char tmpdir[] = "/tmp/ward.XXXXXX";
	if (!mkdtemp(tmpdir)) {
		cli_err("cannot make a private TMPDIR: %s", strerror(errno));
		return EXIT_CONFINE;
	}
	chmod(tmpdir, 0700);
	snprintf(ss->tmpdir, sizeof ss->tmpdir, "%s", tmpdir);

	/* the policy, compiled once for the whole session */
	struct wc_opts o;
	cli_opts(&o);
	o.root = ss->root;
	o.tmpdir = tmpdir;
	o.hide_extra = log_real;
	o.mode = ss->audit ? WM_AUDIT : -1;
	/* --no-landlock is applied below, not in the policy: the hash stays the file's */
	size_t size;
	void *blob;
	if (ss->policy_text) {
		char err[2048];
		blob = wc_compile_text(&cli_libconfig, ss->policy_label, ss->policy_text, &o, &size, err,
				       sizeof err);
		if (!blob)
			cli_err("%s", err);
	} else {
		blob = cli_compile(ss->policy, ss->preset, &o, &size);
	}
	if (!blob) {
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}
	struct wp_hdr *h = blob;
	cli_new_session(h);
	/* the command itself is the first exec: judged here, as the library would */
	char *exe = find_command(cmd[0]);
	if (exe) {
		struct wd_out d;
		struct wg_path wp;
		if (wd_decide_str(h, exe, strlen(exe), 0, &d) == 0 && h->mode != WM_AUDIT &&
		    (d.level < WL_READ || (wg_split(&wp, exe, strlen(exe)) == 0 && !wd_exec_allowed(h, &wp)))) {
			uint32_t ll;
			const char *label = wd_rule_label(h, d.rule, &ll);
			cli_err("denied exec %s (%.*s)", exe, (int)ll, label);
			cli_rm_rf(tmpdir);
			return EXIT_CONFINE;
		}
	}
	free(exe);

	int pol_fd = cli_seal_policy(blob, size);
	if (pol_fd < 0) {
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		cli_err("cannot make the audit socket: %s", strerror(errno));
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}
	/* a big receive buffer: the program never waits on ward for long */
	int rcv = 4 << 20;
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);

	/* the kernel backstop: planned here, recorded in the policy event, applied in the
	 * child just before exec */
	const char *bs_off = NULL;
	if (h->mode == WM_AUDIT)
		bs_off = "audit mode";
	else if (ss->no_landlock)
		bs_off = "--no-landlock";
	else if (h->backstop == WB_OFF)
		bs_off = "backstop = \"off\" in the policy";
	struct bs_plan *plan = calloc(1, sizeof *plan);
	if (!plan) {
		cli_err("out of memory");
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}
	if (bs_off) {
		plan->abi = bs_abi();
	} else {
		int e = bs_plan(h, cli_library(), plan);
		if (e < 0) {
			cli_err("cannot make the kernel backstop: %s", strerror(-e));
			bs_free(plan);
			free(plan);
			cli_rm_rf(tmpdir);
			return EXIT_CONFINE;
		}
		if (plan->abi == 0) {
			if (h->backstop == WB_REQUIRED) {
				cli_err("the policy requires the kernel backstop (backstop = \"required\"), and this kernel has no Landlock");
				cli_rm_rf(tmpdir);
				return EXIT_CONFINE;
			}
			fprintf(stderr, "ward: warning: this kernel has no Landlock; the library alone confines %s\n",
				cmd[0]);
		} else if (ss->verbose) {
			bs_verbose(plan, h, stderr);
		}
	}
	char bsj[2048];
	if (!bs_json(plan, bs_off, bsj, sizeof bsj))
		snprintf(bsj, sizeof bsj, "{\"landlock\":\"%s\",\"abi\":%d}", bs_off || !plan->abi ? "off" : "on",
			 plan->abi);

	char line[WJ_LINE_MAX];
	size_t ln = wa_policy_line(line, h, getpid(), bsj);
	if (write(log_fd, line, ln) != (ssize_t)ln) {
		cli_err("cannot write the audit log %s: %s", logpath, strerror(errno));
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		cli_err("fork: %s", strerror(errno));
		cli_rm_rf(tmpdir);
		return EXIT_CONFINE;
	}
	if (pid == 0) {
		char num[32];
		close(sv[0]);
		close(log_fd);
		int sock = dup(sv[1]); /* without close-on-exec */
		snprintf(num, sizeof num, "%d", sock);
		set("WARD_LOG_FD", num);
		int pfd = dup(pol_fd);
		snprintf(num, sizeof num, "%d", pfd);
		set("WARD_POLICY_FD", num);
		set("WARD_MODE", h->mode == WM_AUDIT ? "audit" : "enforce");
		unsetenv("WARD_POLICY");
		unsetenv("WARD_ROOT");
		set("TMPDIR", tmpdir);
		/* tool caches go to the private TMPDIR when ~/.cache is not writable */
		if (o.home) {
			char cache[PATH_MAX];
			struct wd_out d;
			snprintf(cache, sizeof cache, "%s/.cache", o.home);
			if (wd_decide_str(h, cache, strlen(cache), 1, &d) == 0 && d.level < WL_WRITE) {
				char p[PATH_MAX];
				snprintf(p, sizeof p, "%s/cache", tmpdir);
				set("XDG_CACHE_HOME", p);
				snprintf(p, sizeof p, "%s/cache/pip", tmpdir);
				set("PIP_CACHE_DIR", p);
				snprintf(p, sizeof p, "%s/cache/npm", tmpdir);
				set("npm_config_cache", p);
			}
		}
		set("LD_PRELOAD", cli_library());
		if (!bs_off) {
			int e = bs_apply(plan, plan->abi > 0);
			if (e < 0) {
				fprintf(stderr, "ward: cannot apply the kernel backstop: %s\n", strerror(-e));
				_exit(EXIT_CONFINE);
			}
		}
		execvp(cmd[0], cmd);
		int e = errno;
		fprintf(stderr, "ward: cannot run %s: %s\n", cmd[0], strerror(e));
		_exit(e == ENOENT ? 127 : 126);
	}
	close(sv[1]);
	close(pol_fd);
	bs_free(plan);
	free(plan);

	child_pid = pid;
	struct sigaction sa = {.sa_handler = forward};
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	struct runstate rs = {.log_fd = log_fd, .sock = sv[0], .verbose = ss->verbose};
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int status = 0;
	bool done = false;
	char buf[WJ_LINE_MAX + 64];
	uint32_t every = cli_purge_interval_ms(h);
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!done) {
		int timeout = pidfd >= 0 ? -1 : 100;
		if (every) {
			/* the transient areas are purged while the command runs */
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			int64_t left = (int64_t)(next.tv_sec - now.tv_sec) * 1000 + (next.tv_nsec - now.tv_nsec) / 1000000;
			if (left <= 0) {
				drain(&rs, 0);
				cli_purge(h, log_fd, false);
				next = now;
				next.tv_sec += every / 1000;
				next.tv_nsec += (long)(every % 1000) * 1000000;
				if (next.tv_nsec >= 1000000000) {
					next.tv_sec++;
					next.tv_nsec -= 1000000000;
				}
				left = every;
			}
			if (timeout < 0 || left < timeout)
				timeout = (int)left;
		}
		struct pollfd p[2] = {{sv[0], POLLIN, 0}, {pidfd, POLLIN, 0}};
		int r = poll(p, pidfd >= 0 ? 2 : 1, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (p[0].revents & POLLIN) {
			ssize_t n = recv(sv[0], buf, sizeof buf, MSG_DONTWAIT);
			if (n > 0)
				take(&rs, buf, (size_t)n);
		}
		if (pidfd < 0 || (p[1].revents & POLLIN) || (p[0].revents & POLLHUP)) {
			pid_t w = waitpid(pid, &status, pidfd < 0 ? WNOHANG : 0);
			if (w == pid)
				done = true;
		}
	}
	/* what the tree wrote before the command ended */
	drain(&rs, 50);
	if (rs.unparsed) {
		struct wj j;
		char sess[17], ts[32];
		wj_begin(&j, line, sizeof line);
		wj_ts(ts, wj_now_us());
		wa_session_hex(h->session, sess);
		wj_str(&j, "ts", ts, 27, 64);
		wj_str(&j, "session", sess, 16, 32);
		wj_int(&j, "pid", getpid());
		wj_cstr(&j, "event", "unparsed");
		wj_int(&j, "messages", rs.unparsed);
		size_t n = wj_end(&j);
		if (write(log_fd, line, n) < 0)
			cli_err("cannot write the audit log: %s", strerror(errno));
	}
	close(sv[0]);
	if (every)
		cli_purge(h, log_fd, false);
	cli_rm_rf(tmpdir);
	ss->denied = rs.denied;
	if (rs.denied && !ss->quiet)
		fprintf(stderr, "ward: %ld operation%s %s; see %s\n", rs.denied, rs.denied == 1 ? "" : "s",
			h->mode == WM_AUDIT ? "would have been denied" : "denied", logpath);
	close(log_fd);
	free(logpath);
	free(log_real);
	free(blob);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
