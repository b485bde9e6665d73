/* ward.h: what the subcommands of the ward command share. */
#ifndef WARD_CLI_H
#define WARD_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/policy.h"
#include "conf/load.h"

#define EXIT_USAGE 2
#define EXIT_CONFINE 126

extern const struct wc_libconfig cli_libconfig;

/* Prints "ward: ..." on stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Fills the load options every command starts from: the real working directory,
 * HOME, and ward's state folder. Exits 1 with a message when the working directory
 * cannot be resolved. */
void cli_opts(struct wc_opts *o);

/* $XDG_STATE_HOME/ward or ~/.local/state/ward (malloc'd), or NULL without HOME. */
char *cli_state_dir(void);

/* Compiles -p POLICY or -P PRESET (neither: the default preset agent-safe). On
 * error prints "ward: FILE:LINE: message" and returns NULL. */
void *cli_compile(const char *policy, const char *preset, const struct wc_opts *o, size_t *size);

/* The real absolute path of `path` as the library would decide it: links resolved
 * as far as the path exists, the rest joined lexically. malloc'd, or NULL. */
char *cli_resolve(const char *path, int *is_dir);

/* The libward.so to preload: $WARD_LIBRARY, else the one of the build tree this
 * command was built in when it runs from there, else the installed one. */
const char *cli_library(void);
int cli_mkdirs(const char *path, mode_t mode);
/* $XDG_STATE_HOME/ward/audit.jsonl (malloc'd), or NULL without HOME. */
char *cli_default_log(void);
/* Opens a log for appending, 0600, making its folders; prints why on failure. */
int cli_open_log(const char *path);
void cli_rm_rf(const char *path);
/* A sealed memfd holding the compiled policy; -1 after printing why. */
int cli_seal_policy(const void *blob, size_t size);
/* A new session: random id, start times now. */
void cli_new_session(struct wp_hdr *h);

/* A confined run: what ward run and ward learn share. */
struct session {
	const char *policy, *preset, *root, *log;
	const char *policy_text, *policy_label; /* compile this text instead */
	bool verbose, audit, no_landlock, quiet;
	char **cmd;
	long denied;     /* out: operations denied (or would-be) */
	char tmpdir[64]; /* out: the private TMPDIR it had */
};
/* Runs ss->cmd confined; returns its exit status (128 + signal when killed), or 126
 * when confinement could not be set up. */
int cli_session(struct session *ss);
/* Is the session's ward run still running (its marker in ward's state folder)? */
bool cli_session_alive(const char *session);

/* Deletes what is older than its ttl in every transient area of the policy, logging
 * each as a `purge` event (with a `policy` event first when log_policy). Returns the
 * number deleted. */
long cli_purge(const struct wp_hdr *h, int log_fd, bool log_policy);
/* How often ward run purges: min(ttl/4, 60 s) over the ttl rules; 0 when none. */
uint32_t cli_purge_interval_ms(const struct wp_hdr *h);

/* The kernel backstop (backstop.c): a Landlock ruleset from the policy (granted
 * around the hidden objects that exist), Landlock's scopes, and a seccomp filter for
 * io_uring and terminal injection, applied to the command just before exec. */
enum { BS_HIDDEN = 1, BS_CLOSED = 2, BS_DEVICE = 3 };
enum { BS_WHY_ABSENT = 1, BS_WHY_LINK = 2, BS_WHY_NARROW = 3, BS_WHY_NARROW_CUT = 4 };
struct bs_area { /* what a rule grants: a real path, its level */
	char *path;
	int level; /* WL_VIEW, WL_READ or WL_WRITE */
	bool is_dir;
	uint32_t rule; /* or WP_NONE32 */
};
struct bs_obj { /* an object withheld: hidden, closed, or a raw device */
	char *path;
	uint8_t kind; /* BS_HIDDEN, BS_CLOSED, BS_DEVICE */
	bool is_dir;
};
struct bs_grant { /* one Landlock rule */
	char *path;
	uint64_t rights;
	bool is_dir;
	bool deferred; /* /proc/self...: opened by the command itself */
};
struct bs_note { /* a write rule the kernel does not grant whole */
	uint32_t rule;
	int why; /* BS_WHY_* */
	long granted; /* narrow rules: the objects granted */
	char *path, *label;
};
struct bs_plan {
	int abi;          /* Landlock ABI of the kernel, 0 without Landlock */
	bool abstract_ok; /* abstract_sockets = true */
	int rs;           /* the Landlock ruleset, made here (-1: none) */
	uint64_t handled; /* the rights the kernel knows */
	int error;        /* why the plan failed (errno) */
	struct bs_area *a;
	size_t na, ca;
	struct bs_obj *x;
	size_t nx, cx;
	struct bs_grant *g;
	size_t ng, cg;
	struct bs_note *notes;
	size_t nn, cn;
	int absent;  /* areas not in the ruleset because they did not exist */
	int created; /* folder areas made for the session */
	int linked;  /* write areas not granted: a link on their way */
	int narrowed; /* write rules narrower than their folder: only what exists granted */
	long hidden_kernel, hidden_library_only; /* hidden objects withheld, or left to the library */
	long hidden_in_write;                    /* ... of which inside write areas */
	long closed_kernel, closed_library_only; /* the same for what the /tmp closure hides */
	long devices;                            /* raw devices withheld */
	long walked;                             /* entries looked at */
	bool walk_cut, rules_cut;
	int wide; /* folders granted whole: too many entries to grant one by one */
	char *first_library_only;
};
int bs_abi(void);
/* Plans the backstop and makes its Landlock ruleset (when the kernel has Landlock).
 * Returns 0 or -errno. */
int bs_plan(const struct wp_hdr *h, const char *library, struct bs_plan *p);
void bs_free(struct bs_plan *p);
/* ward run -v: what the kernel does not grant, or leaves to the library. */
void bs_verbose(const struct bs_plan *p, const struct wp_hdr *h, FILE *out);
/* The policy event's `backstop` object (without newline); off: why it is off, or NULL. */
size_t bs_json(const struct bs_plan *p, const char *off, char *buf, size_t size);
/* In the child: no_new_privs, the seccomp filter, then Landlock when `landlock`.
 * Returns 0 or -errno. */
int bs_apply(const struct bs_plan *p, bool landlock);

int cmd_check(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_presets(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
