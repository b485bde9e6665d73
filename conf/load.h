/* load.h: policy files (libconfig syntax) and presets, compiled into a rule table.
 *
 * Used by the `ward` command and, once per session, by libward.so. The loader does
 * its own file access with raw system calls (it runs inside the preload library,
 * whose interposers it must not enter) and reaches libconfig through a table of
 * functions, which the library fills with dlopen at the one moment it needs it.
 */
#ifndef WARD_LOAD_H
#define WARD_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

struct wc_libconfig {
	void (*init)(config_t *);
	void (*destroy)(config_t *);
	int (*read_string)(config_t *, const char *);
};

struct wc_opts {
	const char *cwd;       /* real working directory at start (required) */
	const char *home;      /* $HOME, or NULL */
	const char *root;      /* -r ROOT: overrides the policy's root; NULL otherwise */
	const char *tmpdir;    /* private TMPDIR of `ward run`, made writable and transient; or NULL */
	const char *state;     /* ward's state folder (what "@state" names); or NULL */
	const char *hide_extra; /* one more path to hide (the audit log of `ward run`); or NULL */
	int mode;              /* -1, or a WM_* that overrides the policy's mode */
	bool no_backstop;      /* --no-landlock */
};

/* Compiles the policy file `path` (or, when `preset` is true, the built-in preset of
 * that name). Returns a malloc'd blob and its size, or NULL with "FILE:LINE: message"
 * (or a message without a place) in err. */
void *wc_compile(const struct wc_libconfig *lc, const char *path, bool preset,
		 const struct wc_opts *o, size_t *size, char *err, size_t errsz);

/* The same from a policy's text (`label` names it in messages and rules). Not
 * reentrant: for the command only. */
void *wc_compile_text(const struct wc_libconfig *lc, const char *label, const char *text,
		      const struct wc_opts *o, size_t *size, char *err, size_t errsz);

/* The built-in presets. */
struct wc_preset {
	const char *name;
	const char *summary;
	const char *text;
};
extern const struct wc_preset wc_presets[];
extern const size_t wc_npresets;
const struct wc_preset *wc_preset_find(const char *name);

/* Parses a duration ("90s", "15m", "2h", "1d") into seconds; -1 when invalid. */
int64_t wc_parse_duration(const char *s);
/* Parses a size ("512", "64K", "10M", "1G") into bytes; -1 when invalid. */
int64_t wc_parse_size(const char *s);

/* The real path of an existing folder or file (links resolved), malloc'd; NULL with
 * errno set. Uses raw system calls only. */
char *wc_realpath(const char *path);

#endif
