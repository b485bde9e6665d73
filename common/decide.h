/* decide.h: the one decision function. Every interposer asks it; none has policy
 * logic of its own. Pure code: no allocation, no lock, no system call (the clock is
 * read through the vDSO, and only when an expiring rule is a candidate). */
#ifndef WARD_DECIDE_H
#define WARD_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "glob.h"
#include "policy.h"

struct wd_out {
	int level;      /* WL_* */
	uint32_t rule;  /* index of the deciding pattern, or WP_NONE32 for the default */
	bool hidden;    /* a hide pattern decided */
	bool need_dir;  /* is_dir was unknown and a folder-only pattern would have counted */
	bool closed;    /* the path lies in a closed area (/tmp, /var/tmp, /dev/shm) */
};

/* Decides the level of the real, normalised absolute path `p`. is_dir: 1 folder, 0
 * not a folder, -1 unknown (then need_dir may be set, and the caller decides again
 * once it knows). */
void wd_decide(const struct wp_hdr *h, const struct wg_path *p, int is_dir, struct wd_out *out);

/* The same, from a string. Returns -1 when the path is too deep. */
int wd_decide_str(const struct wp_hdr *h, const char *path, size_t len, int is_dir,
		  struct wd_out *out);

/* The same for the entry `name` of the folder `dir` (real, normalised, absolute),
 * whose type is known (is_dir 0 or 1): made for listings, where the folder's part of
 * the work is done once. Returns 0 with the answer wd_decide would give, or -1 when
 * the caller must ask wd_decide (unknown type, long names, a folder holding a closed
 * area, too many candidate patterns, or a signal handler interrupting a listing). */
int wd_decide_kid(const struct wp_hdr *h, const char *dir, size_t dl, const char *name, size_t nl,
		  int is_dir, struct wd_out *out);

/* May the file at `p` be executed under the exec allowlist? */
bool wd_exec_allowed(const struct wp_hdr *h, const struct wg_path *p);

/* May the folder at `src` move to `dst` without anything beneath it getting a higher
 * level than it has now? (Both ends are already known to be writable.) */
bool wd_move_ok(const struct wp_hdr *h, const struct wg_path *src, const struct wg_path *dst);

/* Has the rule's `expires` time passed (session start + expires)? */
bool wd_rule_has_expired(const struct wp_hdr *h, const struct wp_rule *r);

/* "FILE:LINE", "preset NAME:N" or "default": the rule as `ward explain` writes it. */
const char *wd_rule_label(const struct wp_hdr *h, uint32_t rule, uint32_t *len);

#endif
