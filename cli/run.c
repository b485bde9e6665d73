/* run.c: ward run: run a command under the library, with a private TMPDIR, the
 * policy compiled once into a sealed memfd, and the audit log written here from the
 * other end of a socket, so the program never holds a descriptor of the log file.
 */
#include <dirent.h>
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
#include <sys/prctl.h>
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

/* ---- what the kernel may have refused: programs the library does not see ---- */

enum { ELF_NOT = 0, ELF_DYNAMIC, ELF_STATIC, ELF_GO };

/* Reads n bytes at off; false when short. */
static bool pread_all(int fd, void *buf, size_t n, off_t off)
{
	return pread(fd, buf, n, off) == (ssize_t)n;
}

/* Is the file an ELF program that the library cannot see into: statically linked
 * (no PT_INTERP), or a Go program (its own system calls, linked to libc or not)? */
static int elf_kind(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return ELF_NOT;
	unsigned char id[64];
	int kind = ELF_NOT;
	if (!pread_all(fd, id, sizeof id, 0) || memcmp(id, "\177ELF", 4) != 0 || (id[4] != 1 && id[4] != 2) ||
	    id[5] != 1 /* little-endian, as on x86-64 and aarch64 */) {
		close(fd);
		return ELF_NOT;
	}
	bool e64 = id[4] == 2;
	uint64_t phoff, shoff;
	uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
#define LE16(p) ((uint16_t)((p)[0] | (p)[1] << 8))
#define LE32(p) ((uint32_t)LE16(p) | (uint32_t)LE16((p) + 2) << 16)
#define LE64(p) ((uint64_t)LE32(p) | (uint64_t)LE32((p) + 4) << 32)
	if (e64) {
		phoff = LE64(id + 32), shoff = LE64(id + 40);
		phentsize = LE16(id + 54), phnum = LE16(id + 56);
		shentsize = LE16(id + 58), shnum = LE16(id + 60), shstrndx = LE16(id + 62);
	} else {
		phoff = LE32(id + 28), shoff = LE32(id + 32);
		phentsize = LE16(id + 42), phnum = LE16(id + 44);
		shentsize = LE16(id + 46), shnum = LE16(id + 48), shstrndx = LE16(id + 50);
	}
	kind = ELF_STATIC;
	for (unsigned i = 0; i < phnum && phentsize >= 4 && phentsize <= 128; i++) {
		unsigned char ph[4];
		if (!pread_all(fd, ph, 4, (off_t)(phoff + (uint64_t)i * phentsize)))
			break;
		if (LE32(ph) == 3 /* PT_INTERP */) {
			kind = ELF_DYNAMIC;
			break;
		}
	}
	/* Go: a section .go.buildinfo (or the build id note) */
	if (shnum && shnum < 4096 && shstrndx < shnum && shentsize >= (e64 ? 64 : 40) && shentsize <= 256) {
		unsigned char sh[64];
		if (pread_all(fd, sh, e64 ? 64 : 40, (off_t)(shoff + (uint64_t)shstrndx * shentsize))) {
			uint64_t stroff = e64 ? LE64(sh + 24) : LE32(sh + 16);
			uint64_t strsz = e64 ? LE64(sh + 32) : LE32(sh + 20);
			char *str = strsz && strsz < (1u << 20) ? malloc(strsz + 1) : NULL;
			if (str && pread_all(fd, str, strsz, (off_t)stroff)) {
				str[strsz] = 0;
				for (uint64_t k = 0; k + 1 < strsz; k += strlen(str + k) + 1)
					if (!strcmp(str + k, ".go.buildinfo") || !strcmp(str + k, ".note.go.buildid")) {
						kind = ELF_GO;
						break;
					}
			}
			free(str);
		}
	}
#undef LE16
#undef LE32
#undef LE64
	close(fd);
	return kind;
}

#define MAX_EXECS 64

struct runstate {
	int log_fd;
	int sock;
	bool verbose;
	long denied;
	long absent; /* denials of names where nothing exists */
	long unparsed;
	const struct wp_hdr *pol;
	char *execs[MAX_EXECS]; /* the programs the session ran (exec events), distinct */
	int nexecs;
};

/* Remembers a program the session ran. */
static void saw_exec(struct runstate *rs, const char *real)
{
	if (rs->nexecs >= MAX_EXECS || !real[0])
		return;
	for (int i = 0; i < rs->nexecs; i++)
		if (!strcmp(rs->execs[i], real))
			return;
	char *c = strdup(real);
	if (c)
		rs->execs[rs->nexecs++] = c;
}

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
	char dec[32], acc[16];
	if (json_field(msg, n, "access", acc, sizeof acc) && !strcmp(acc, "exec") &&
	    json_field(msg, n, "decision", dec, sizeof dec) && !strcmp(dec, "allow")) {
		char real[PATH_MAX];
		if (json_field(msg, n, "real", real, sizeof real))
			saw_exec(rs, real);
	}
	if (json_field(msg, n, "decision", dec, sizeof dec) &&
	    (strcmp(dec, "deny") == 0 || strcmp(dec, "would-deny") == 0)) {
		/* attempts on hidden names where nothing exists are logged, not counted
		 * in the summary (they changed nothing: the name was missing anyway) */
		bool absent = memmem(msg, n, "\"absent\":true", 13) != NULL;
		if (absent)
			rs->absent++;
		else
			rs->denied++;
		if (rs->verbose && !absent) {
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

/* ---- sessions whose ward run died ----
 *
 * While a session runs, ward's state folder holds sessions/SESSION: the pid and
 * start time of its ward run, and its log. A ward run that ends removes it. One
 * that dies (killed, out of memory) cannot: the next ward run finds the marker of a
 * process that is gone, says that the log of that session is incomplete, and appends
 * a `supervisor-lost` event to that log, so that ward report says it too. */

/* The start time of a process (clock ticks since boot), or 0 when it is gone. */
static unsigned long long proc_start(pid_t pid)
{
	char p[64], buf[1024];
	snprintf(p, sizeof p, "/proc/%d/stat", (int)pid);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *q = strrchr(buf, ')');
	if (!q)
		return 0;
	/* after the name: state (3), then fields 4 .. 22, the start time */
	q++;
	for (int f = 3; f < 22 && q; f++)
		q = strchr(q + 1, ' ');
	return q ? strtoull(q + 1, NULL, 10) : 0;
}

static char *sessions_dir(void)
{
	char *state = cli_state_dir();
	if (!state)
		return NULL;
	size_t n = strlen(state) + 16;
	char *d = malloc(n);
	if (d)
		snprintf(d, n, "%s/sessions", state);
	free(state);
	return d;
}

bool cli_session_alive(const char *session)
{
	char *dir = sessions_dir();
	if (!dir || strlen(session) != 16 || strspn(session, "0123456789abcdef") != 16) {
		free(dir);
		return false;
	}
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, session);
	free(dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	int pid = 0;
	unsigned long long st = 0;
	bool alive = fscanf(f, "%d %llu", &pid, &st) == 2 && pid > 0 && proc_start(pid) == st;
	fclose(f);
	return alive;
}

/* Reports (and marks in their logs) the sessions whose ward run died. */
static void check_lost_sessions(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strlen(e->d_name) != 16 || strspn(e->d_name, "0123456789abcdef") != 16)
			continue;
		char path[PATH_MAX], log[PATH_MAX] = "";
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "re");
		if (!f)
			continue;
		int pid = 0;
		unsigned long long st = 0;
		int got = fscanf(f, "%d %llu\n", &pid, &st);
		if (!fgets(log, sizeof log, f))
			log[0] = 0;
		fclose(f);
		log[strcspn(log, "\n")] = 0;
		if (got == 2 && pid > 0 && proc_start(pid) == st)
			continue; /* still running */
		if (unlink(path) < 0)
			continue; /* another ward run took it */
		fprintf(stderr,
			"ward: warning: the ward run of session %s (pid %d) ended before its session: the log %s is "
			"incomplete\n",
			e->d_name, pid, log[0] ? log : "(unknown)");
		int lfd = log[0] == '/' ? open(log, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (lfd < 0)
			continue;
		char line[WJ_LINE_MAX], ts[32];
		struct wj j;
		wj_begin(&j, line, sizeof line);
		wj_ts(ts, wj_now_us());
		wj_str(&j, "ts", ts, 27, 64);
		wj_str(&j, "session", e->d_name, 16, 32);
		wj_int(&j, "pid", pid);
		wj_cstr(&j, "event", "supervisor-lost");
		wj_cstr(&j, "found_by", "ward run");
		size_t n = wj_end(&j);
		if (write(lfd, line, n) != (ssize_t)n)
			cli_err("cannot write the log %s: %s", log, strerror(errno));
		close(lfd);
	}
	closedir(d);
}

/* Writes this session's marker; returns its path (malloc'd) or NULL. */
static char *mark_session(const struct wp_hdr *h, const char *log)
{
	char *dir = sessions_dir();
	if (!dir)
		return NULL;
	if (cli_mkdirs(dir, 0700) < 0) {
		free(dir);
		return NULL;
	}
	check_lost_sessions(dir);
	char sess[17];
	wa_session_hex(h->session, sess);
	size_t n = strlen(dir) + 20;
	char *path = malloc(n);
	if (path)
		snprintf(path, n, "%s/%s", dir, sess);
	free(dir);
	if (!path)
		return NULL;
	/* written whole under another name, then renamed: another ward run never reads
	 * a marker half written (and takes it for one whose ward run is gone) */
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	char buf[PATH_MAX + 64];
	int l = snprintf(buf, sizeof buf, "%d %llu\n%s\n", (int)getpid(), proc_start(getpid()), log);
	bool ok = l > 0 && l < (int)sizeof buf && write(fd, buf, (size_t)l) == l;
	close(fd);
	if (!ok || rename(tmp, path) < 0) {
		unlink(tmp);
		free(path);
		return NULL;
	}
	return path;
}

/* Could the program rewrite the log? A write rule of the policy reaches it (or
 * default is write): the kernel backstop grants write there, whatever the hide
 * pattern the library adds for it. Returns the rule's label, or NULL. */
static const char *log_in_write_area(const struct wp_hdr *h, const char *log, uint32_t *ll)
{
	struct stat st;
	if (stat(log, &st) == 0 && !S_ISREG(st.st_mode))
		return NULL; /* /dev/null, a pipe: nothing to rewrite */
	/* a log in a folder the policy hides (the state folder, which every preset hides,
	 * also full-access's default = "write") is out of the program's reach through
	 * libc: nothing there is a write area for it */
	const char *slash = strrchr(log, '/');
	struct wg_path pp;
	if (slash && slash > log && wg_split(&pp, log, (size_t)(slash - log)) == 0) {
		struct wd_out d;
		wd_decide(h, &pp, 1, &d);
		if (d.level == WL_NONE)
			return NULL;
	}
	if (h->default_level == WL_WRITE) {
		*ll = 19;
		return "default = \"write\"";
	}
	struct wg_path wp;
	if (wg_split(&wp, log, strlen(log)) < 0)
		return NULL;
	const struct wp_rule *R = wp_rules(h);
	for (uint32_t i = 0; i < h->nrules; i++) {
		const struct wp_rule *r = &R[i];
		if (r->kind != WK_RULE || r->level != WL_WRITE || r->implicit)
			continue;
		if (wg_match((const char *)h, wp_rule_comps(h, r), r->ncomps, r->dironly, &wp) == WG_YES)
			return wd_rule_label(h, i, ll);
	}
	return NULL;
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
	bool log_existed = access(logpath, F_OK) == 0;
	int log_fd = cli_open_log(logpath);
	if (log_fd < 0)
		return EXIT_CONFINE;
	char *log_real = realpath(logpath, NULL); /* NULL: not a file (a pipe) */

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
	/* the log file is hidden from the program; a log that is not a file (/dev/null,
	 * a pipe) is not, or /dev/null would vanish for the program */
	struct stat lst;
	o.hide_extra = log_real && stat(log_real, &lst) == 0 && S_ISREG(lst.st_mode) ? log_real : NULL;
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
	/* the log, where the program could rewrite it: refused */
	uint32_t wl;
	const char *wlabel = log_real ? log_in_write_area(h, log_real, &wl) : NULL;
	if (wlabel) {
		cli_err("the log %s lies in a write area of the policy (%.*s): the program could rewrite it; "
			"give a log outside the write areas with -l",
			log_real, (int)wl, wlabel);
		close(log_fd);
		if (!log_existed)
			unlink(log_real);
		cli_rm_rf(tmpdir);
		free(blob);
		return EXIT_USAGE;
	}
	/* ward's state folder holds the marker of the session (made below): it exists
	 * before the backstop is planned, so that the kernel withholds it as @state */
	char *sdir = sessions_dir();
	if (sdir)
		cli_mkdirs(sdir, 0700);
	free(sdir);
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

	char *marker = mark_session(h, log_real ? log_real : logpath);

	fflush(NULL);
	pid_t parent = getpid();
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
		char hash[22];
		wa_blob_hash(hash, blob, size);
		set("WARD_POLICY_HASH", hash);
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
		/* The session ends with its ward run: if ward run dies (the backstop keeps
		 * the program's signals from it, but not the rest of the machine's), the
		 * command is killed, and what its children do that must be logged fails. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(EXIT_CONFINE);
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
	bool kernel = !bs_off && plan->abi > 0;
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
	int code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	if (rs.denied && !ss->quiet)
		fprintf(stderr, "ward: %ld operation%s %s; see %s\n", rs.denied, rs.denied == 1 ? "" : "s",
			h->mode == WM_AUDIT ? "would have been denied" : "denied", logpath);
	/* Landlock refuses without a trace the library could log: when the command
	 * failed (126 and 127 are ward's own "cannot run") and no denial was logged, say
	 * so, and name the program the library could not see, if the session ran one. */
	if (WIFEXITED(status) && code != 0 && code != 126 && code != 127 && !rs.denied && kernel && !ss->quiet) {
		const char *blind = NULL;
		int bk = ELF_NOT;
		char *top = find_command(cmd[0]);
		if (top && (bk = elf_kind(top)) >= ELF_STATIC)
			blind = top;
		for (int i = 0; !blind && i < rs.nexecs; i++)
			if ((bk = elf_kind(rs.execs[i])) >= ELF_STATIC)
				blind = rs.execs[i];
		fprintf(stderr,
			"ward: %s exited with status %d and no denial was logged; the kernel backstop may have refused "
			"operations the log cannot show",
			cmd[0], code);
		if (blind)
			fprintf(stderr, " (%s is %s: the library does not see its system calls)", blind,
				bk == ELF_GO ? "a Go program" : "statically linked");
		fputc('\n', stderr);
		free(top);
	}
	{
		/* the end of the session: a log without it is incomplete */
		struct wj j;
		char sess[17], ts[32];
		wj_begin(&j, line, sizeof line);
		wj_ts(ts, wj_now_us());
		wa_session_hex(h->session, sess);
		wj_str(&j, "ts", ts, 27, 64);
		wj_str(&j, "session", sess, 16, 32);
		wj_int(&j, "pid", getpid());
		wj_cstr(&j, "event", "end");
		wj_int(&j, "status", code);
		wj_int(&j, "denied", rs.denied);
		size_t n = wj_end(&j);
		if (write(log_fd, line, n) < 0)
			cli_err("cannot write the audit log: %s", strerror(errno));
	}
	if (marker) {
		unlink(marker);
		free(marker);
	}
	for (int i = 0; i < rs.nexecs; i++)
		free(rs.execs[i]);
	close(log_fd);
	free(logpath);
	free(log_real);
	free(blob);
	return code;
}
