/* load.c: policy files and presets into a compiled rule table (see load.h).
 *
 * Two passes: the chain of files (a policy, what it extends, and so on) is read and
 * checked first, so that ROOT is known before any relative pattern is expanded; then
 * the rules go to the builder in order, inherited ones first.
 */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/path.h"
#include "../common/policy.h"
#include "../common/sys.h"

#define MAX_CHAIN 16
#define MAX_POLICY_BYTES (64u << 20)

int64_t wc_parse_duration(const char *s)
{
	if (!s || !*s)
		return -1;
	int64_t v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > 100000000)
			return -1;
		p++;
	}
	if (p == s || p[0] == 0 || p[1] != 0)
		return -1;
	int64_t mul;
	switch (*p) {
	case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	v *= mul;
	if (v <= 0 || v > UINT32_MAX)
		return -1;
	return v;
}

int64_t wc_parse_size(const char *s)
{
	if (!s || !*s)
		return -1;
	int64_t v = 0;
	const char *p = s;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p - '0');
		if (v > ((int64_t)1 << 40))
			return -1;
		p++;
	}
	if (p == s)
		return -1;
	int64_t mul = 1;
	if (*p) {
		if (p[1] != 0)
			return -1;
		switch (*p) {
		case 'K': mul = 1024; break;
		case 'M': mul = 1024 * 1024; break;
		case 'G': mul = 1024 * 1024 * 1024; break;
		default: return -1;
		}
	}
	if (v <= 0)
		return -1;
	return v * mul;
}

/* The real path of what `path` names (opened with O_PATH and `flags`). */
static char *real_path_of(const char *path, int flags)
{
	int fd = ws_openat(AT_FDCWD, path, O_PATH | O_CLOEXEC | flags, 0);
	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	char *buf = malloc(4097);
	if (!buf) {
		ws_close(fd);
		errno = ENOMEM;
		return NULL;
	}
	long n = ws_readlinkat(AT_FDCWD, proc, buf, 4096);
	ws_close(fd);
	if (n < 0 || n >= 4096 || buf[0] != '/') {
		free(buf);
		errno = n < 0 ? (int)-n : ENAMETOOLONG;
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

char *wc_realpath(const char *path)
{
	return real_path_of(path, 0);
}

/* Reads a whole policy file with raw system calls into a NUL-terminated buffer
 * (*len bytes, which may hold NULs of their own). Only a regular file is read: a
 * FIFO or a device would make every process of the session wait, or read forever
 * (O_NONBLOCK: a FIFO's open must not wait for a writer before the check). */
static char *read_file(const char *path, size_t *len, const char **why)
{
	int fd = ws_openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0) {
		*why = strerror(-fd);
		return NULL;
	}
	struct stat st;
	long e = ws_sc2(SYS_fstat, fd, &st);
	if (e < 0 || !S_ISREG(st.st_mode)) {
		ws_close(fd);
		*why = e < 0 ? strerror((int)-e) : S_ISDIR(st.st_mode) ? "it is a folder" : "not a regular file";
		return NULL;
	}
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		ws_close(fd);
		*why = strerror(ENOMEM);
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= MAX_POLICY_BYTES) {
				free(buf);
				ws_close(fd);
				*why = "larger than 64 MiB";
				return NULL;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				ws_close(fd);
				*why = strerror(ENOMEM);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		long r = ws_read(fd, buf + n, cap - n - 1);
		if (r == -EINTR || r == -EAGAIN)
			continue;
		if (r < 0) {
			free(buf);
			ws_close(fd);
			*why = strerror((int)-r);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	ws_close(fd);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* ---- the raw chain ---- */

struct rrule {
	int kind; /* WK_RULE, WK_HIDE, WK_EXEC, or -1 for unhide */
	char *path;
	int level;
	uint32_t ttl, expires;
	char *just;
	unsigned line;
};

struct rpol {
	char *label;   /* "FILE" or "preset NAME" */
	bool preset;
	char *dir;     /* folder of the file (real), for a relative root and extends */
	char *text;
	config_t cfg;
	bool cfg_live;
	/* settings, with the line where each was set (0: not set) */
	char *root;
	unsigned root_line;
	int mode;
	unsigned mode_line;
	int def;
	unsigned def_line;
	int backstop;
	unsigned backstop_line;
	int64_t max_size;
	unsigned max_size_line;
	int log_reads;
	unsigned log_line;
	int abstract_sockets; /* -1: not set */
	bool has_exec;
	struct rrule *r;
	size_t n, cap;
};

struct ctx {
	const struct wc_libconfig *lc;
	const struct wc_opts *o;
	struct rpol chain[MAX_CHAIN];
	size_t n;
	char *err;
	size_t errsz;
};

static int fail(struct ctx *c, const struct rpol *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct ctx *c, const struct rpol *p, unsigned line, const char *fmt, ...)
{
	char msg[1024], whole[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p)
		snprintf(whole, sizeof whole, "%s:%u: %s", p->label, line, msg);
	else
		snprintf(whole, sizeof whole, "%s", msg);
	/* one line whatever the policy's strings hold: control characters as \xHH */
	size_t o = 0;
	for (const char *q = whole; *q && o + 5 < c->errsz; q++) {
		unsigned char ch = (unsigned char)*q;
		if (ch < 0x20 || ch == 0x7f) {
			static const char hex[] = "0123456789abcdef";
			c->err[o++] = '\\';
			c->err[o++] = 'x';
			c->err[o++] = hex[ch >> 4];
			c->err[o++] = hex[ch & 15];
		} else {
			c->err[o++] = (char)ch;
		}
	}
	if (c->errsz)
		c->err[o < c->errsz ? o : c->errsz - 1] = 0;
	return -1;
}

static int push_rule(struct rpol *p, struct rrule r)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 32;
		struct rrule *nr = realloc(p->r, nc * sizeof *nr);
		if (!nr)
			return -1;
		p->r = nr;
		p->cap = nc;
	}
	p->r[p->n++] = r;
	return 0;
}

static const char *type_name(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP: return "a group";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "a number";
	case CONFIG_TYPE_FLOAT: return "a number";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array";
	case CONFIG_TYPE_LIST: return "a list";
	}
	return "a value";
}

static const char *get_string(struct ctx *c, struct rpol *p, config_setting_t *s, const char *what)
{
	if (s->type != CONFIG_TYPE_STRING) {
		fail(c, p, s->line, "'%s' must be a string, not %s", what, type_name(s->type));
		return NULL;
	}
	return s->value.sval ? s->value.sval : "";
}

/* A list or array of strings (hide, unhide, exec). */
static int string_list(struct ctx *c, struct rpol *p, config_setting_t *s, const char *key, int kind)
{
	if (s->type != CONFIG_TYPE_ARRAY && s->type != CONFIG_TYPE_LIST)
		return fail(c, p, s->line, "'%s' must be a list of patterns, as in %s = ( \"/**/.env\" );",
			    key, key);
	config_list_t *l = s->value.list;
	for (unsigned i = 0; l && i < l->length; i++) {
		config_setting_t *e = l->elements[i];
		const char *v = get_string(c, p, e, key);
		if (!v)
			return -1;
		if (!*v)
			return fail(c, p, e->line, "an empty pattern in '%s'", key);
		struct rrule r = {.kind = kind, .path = strdup(v), .line = e->line};
		if (!r.path || push_rule(p, r) < 0)
			return fail(c, p, e->line, "out of memory");
	}
	return 0;
}

static int parse_rules(struct ctx *c, struct rpol *p, config_setting_t *s)
{
	if (s->type != CONFIG_TYPE_LIST)
		return fail(c, p, s->line, "'rules' must be a list of groups: rules = ( { path = \"...\"; level = \"read\"; } );");
	config_list_t *l = s->value.list;
	for (unsigned i = 0; l && i < l->length; i++) {
		config_setting_t *g = l->elements[i];
		if (g->type != CONFIG_TYPE_GROUP)
			return fail(c, p, g->line, "each rule must be a group { path = ...; level = ...; }");
		struct rrule r = {.kind = WK_RULE, .level = -1, .line = g->line};
		const char *path = NULL, *just = NULL;
		config_list_t *gl = g->value.list;
		for (unsigned j = 0; gl && j < gl->length; j++) {
			config_setting_t *m = gl->elements[j];
			const char *k = m->name ? m->name : "";
			if (strcmp(k, "path") == 0) {
				if (!(path = get_string(c, p, m, "path")))
					return -1;
				if (!*path)
					return fail(c, p, m->line, "an empty path");
			} else if (strcmp(k, "level") == 0) {
				const char *v = get_string(c, p, m, "level");
				if (!v)
					return -1;
				r.level = wp_level_parse(v);
				if (r.level < 0)
					return fail(c, p, m->line, "unknown level '%s' (none, view, read or write)", v);
			} else if (strcmp(k, "ttl") == 0) {
				const char *v = get_string(c, p, m, "ttl");
				if (!v)
					return -1;
				int64_t d = wc_parse_duration(v);
				if (d < 0)
					return fail(c, p, m->line, "bad duration '%s' for ttl (a number and s, m, h or d: \"15m\")", v);
				r.ttl = (uint32_t)d;
			} else if (strcmp(k, "expires") == 0) {
				const char *v = get_string(c, p, m, "expires");
				if (!v)
					return -1;
				int64_t d = wc_parse_duration(v);
				if (d < 0)
					return fail(c, p, m->line, "bad duration '%s' for expires (a number and s, m, h or d: \"30m\")", v);
				r.expires = (uint32_t)d;
			} else if (strcmp(k, "justification") == 0) {
				if (!(just = get_string(c, p, m, "justification")))
					return -1;
			} else {
				return fail(c, p, m->line, "unknown key '%s' in a rule (path, level, ttl, expires, justification)", k);
			}
		}
		if (!path)
			return fail(c, p, g->line, "a rule without 'path'");
		if (r.level < 0)
			return fail(c, p, g->line, "a rule without 'level'");
		if (r.ttl && r.level != WL_WRITE)
			return fail(c, p, g->line, "'ttl' makes sense on a write rule only");
		r.path = strdup(path);
		r.just = strdup(just ? just : "");
		if (!r.path || !r.just || push_rule(p, r) < 0)
			return fail(c, p, g->line, "out of memory");
	}
	return 0;
}

static char *join_dir(const char *dir, const char *rel)
{
	if (rel[0] == '/')
		return strdup(rel);
	size_t dl = strlen(dir), rl = strlen(rel);
	char *s = malloc(dl + rl + 2);
	if (!s)
		return NULL;
	memcpy(s, dir, dl);
	s[dl] = '/';
	memcpy(s + dl + 1, rel, rl + 1);
	return s;
}

static char *dir_of(const char *path)
{
	const char *sl = strrchr(path, '/');
	if (!sl)
		return strdup(".");
	if (sl == path)
		return strdup("/");
	return strndup(path, (size_t)(sl - path));
}

static int load_one(struct ctx *c, const char *name, bool preset, const struct rpol *from,
		    unsigned from_line);
static const char *inline_text; /* wc_compile_text: the top policy's text */

/* What libconfig lets pass and ward does not: a block comment that is never closed
 * (libconfig reads it as running to the end, so whatever follows "/ *" would be
 * silently dropped). Strings are skipped as libconfig reads them, so that "/usr/ *"
 * is no comment. Returns the line where the unclosed comment starts, or 0. */
static unsigned open_comment(const char *t)
{
	unsigned line = 1, start = 0;
	enum { CODE, STR, LINE, BLOCK } st = CODE;
	for (; *t; t++) {
		char ch = *t;
		switch (st) {
		case CODE:
			if (ch == '"')
				st = STR;
			else if (ch == '#' || (ch == '/' && t[1] == '/'))
				st = LINE;
			else if (ch == '/' && t[1] == '*') {
				st = BLOCK;
				start = line;
				t++;
			}
			break;
		case STR:
			if (ch == '\\' && t[1] && t[1] != '\n')
				t++;
			else if (ch == '"')
				st = CODE;
			break;
		case LINE:
			if (ch == '\n')
				st = CODE;
			break;
		case BLOCK:
			if (ch == '*' && t[1] == '/') {
				st = CODE;
				t++;
			}
			break;
		}
		if (ch == '\n')
			line++;
	}
	return st == BLOCK ? start : 0;
}

static int parse_pol(struct ctx *c, struct rpol *p)
{
	unsigned open_at = open_comment(p->text);
	if (open_at)
		return fail(c, p, open_at, "a '/*' comment that is never closed by '*/'");
	/* libconfig would open @include files itself; ward keeps to one file a level. */
	for (const char *t = p->text; *t;) {
		const char *ls = t;
		while (*ls == ' ' || *ls == '\t')
			ls++;
		if (strncmp(ls, "@include", 8) == 0) {
			unsigned line = 1;
			for (const char *q = p->text; q < ls; q++)
				line += *q == '\n';
			return fail(c, p, line, "@include is not supported; use extends");
		}
		const char *nl = strchr(t, '\n');
		if (!nl)
			break;
		t = nl + 1;
	}
	c->lc->init(&p->cfg);
	p->cfg_live = true;
	if (!c->lc->read_string(&p->cfg, p->text))
		return fail(c, p, (unsigned)p->cfg.error_line, "%s", p->cfg.error_text ? p->cfg.error_text : "syntax error");
	config_setting_t *root = p->cfg.root;
	config_list_t *l = root ? root->value.list : NULL;
	bool has_rules = false;
	const char *extends = NULL;
	unsigned ext_line = 0;
	p->mode = -1;
	p->def = -1;
	p->backstop = -1;
	p->max_size = -1;
	p->log_reads = -1;
	p->abstract_sockets = -1;
	for (unsigned i = 0; l && i < l->length; i++) {
		config_setting_t *s = l->elements[i];
		const char *k = s->name ? s->name : "";
		if (strcmp(k, "version") == 0) {
			if (s->type != CONFIG_TYPE_INT || s->value.ival != 1)
				return fail(c, p, s->line, "this ward reads policies of version 1");
		} else if (strcmp(k, "root") == 0) {
			const char *v = get_string(c, p, s, "root");
			if (!v)
				return -1;
			if (!*v)
				return fail(c, p, s->line, "an empty root");
			p->root = strdup(v);
			p->root_line = s->line;
		} else if (strcmp(k, "extends") == 0) {
			if (!(extends = get_string(c, p, s, "extends")))
				return -1;
			if (!*extends)
				return fail(c, p, s->line, "an empty 'extends'");
			ext_line = s->line;
		} else if (strcmp(k, "mode") == 0) {
			const char *v = get_string(c, p, s, "mode");
			if (!v)
				return -1;
			if (strcmp(v, "enforce") == 0)
				p->mode = WM_ENFORCE;
			else if (strcmp(v, "audit") == 0)
				p->mode = WM_AUDIT;
			else
				return fail(c, p, s->line, "unknown mode '%s' (enforce or audit)", v);
			p->mode_line = s->line;
		} else if (strcmp(k, "default") == 0) {
			const char *v = get_string(c, p, s, "default");
			if (!v)
				return -1;
			p->def = wp_level_parse(v);
			if (p->def < 0)
				return fail(c, p, s->line, "unknown level '%s' (none, view, read or write)", v);
			p->def_line = s->line;
		} else if (strcmp(k, "hide") == 0) {
			if (string_list(c, p, s, "hide", WK_HIDE) < 0)
				return -1;
		} else if (strcmp(k, "unhide") == 0) {
			if (string_list(c, p, s, "unhide", -1) < 0)
				return -1;
		} else if (strcmp(k, "rules") == 0) {
			has_rules = true;
			if (parse_rules(c, p, s) < 0)
				return -1;
		} else if (strcmp(k, "exec") == 0) {
			p->has_exec = true;
			if (string_list(c, p, s, "exec", WK_EXEC) < 0)
				return -1;
		} else if (strcmp(k, "limits") == 0) {
			if (s->type != CONFIG_TYPE_GROUP)
				return fail(c, p, s->line, "'limits' must be a group: limits = { max_file_size = \"10M\"; };");
			config_list_t *gl = s->value.list;
			for (unsigned j = 0; gl && j < gl->length; j++) {
				config_setting_t *m = gl->elements[j];
				if (strcmp(m->name ? m->name : "", "max_file_size") != 0)
					return fail(c, p, m->line, "unknown key '%s' in limits (max_file_size)", m->name ? m->name : "");
				int64_t v;
				if (m->type == CONFIG_TYPE_INT || m->type == CONFIG_TYPE_INT64)
					v = m->type == CONFIG_TYPE_INT ? m->value.ival : m->value.llval;
				else if (m->type == CONFIG_TYPE_STRING)
					v = wc_parse_size(m->value.sval);
				else
					v = -1;
				if (v <= 0)
					return fail(c, p, m->line, "bad size for max_file_size (a number and K, M or G: \"10M\")");
				p->max_size = v;
				p->max_size_line = m->line;
			}
		} else if (strcmp(k, "log") == 0) {
			if (s->type != CONFIG_TYPE_GROUP)
				return fail(c, p, s->line, "'log' must be a group: log = { reads = true; };");
			config_list_t *gl = s->value.list;
			for (unsigned j = 0; gl && j < gl->length; j++) {
				config_setting_t *m = gl->elements[j];
				if (strcmp(m->name ? m->name : "", "reads") != 0)
					return fail(c, p, m->line, "unknown key '%s' in log (reads)", m->name ? m->name : "");
				if (m->type != CONFIG_TYPE_BOOL)
					return fail(c, p, m->line, "'reads' must be true or false");
				p->log_reads = m->value.ival ? 1 : 0;
				p->log_line = m->line;
			}
		} else if (strcmp(k, "abstract_sockets") == 0) {
			if (s->type != CONFIG_TYPE_BOOL)
				return fail(c, p, s->line, "'abstract_sockets' must be true or false");
			p->abstract_sockets = s->value.ival ? 1 : 0;
		} else if (strcmp(k, "backstop") == 0) {
			const char *v = get_string(c, p, s, "backstop");
			if (!v)
				return -1;
			if (strcmp(v, "auto") == 0)
				p->backstop = WB_AUTO;
			else if (strcmp(v, "required") == 0)
				p->backstop = WB_REQUIRED;
			else if (strcmp(v, "off") == 0)
				p->backstop = WB_OFF;
			else
				return fail(c, p, s->line, "unknown backstop '%s' (auto, required or off)", v);
			p->backstop_line = s->line;
		} else {
			return fail(c, p, s->line,
				    "unknown key '%s' (version, root, extends, mode, default, hide, unhide, rules, exec, limits, log, backstop, abstract_sockets)", k);
		}
	}
	if (!has_rules)
		return fail(c, p, 1, "a policy needs 'rules' (it may be empty: rules = ( );)");
	if (extends) {
		/* a preset name, or a file relative to this policy's folder */
		if (!strchr(extends, '/') && wc_preset_find(extends))
			return load_one(c, extends, true, p, ext_line);
		if (p->preset)
			return fail(c, p, ext_line, "a preset extends presets only");
		char *d = dir_of(p->label);
		char *path = d ? join_dir(d, extends) : NULL;
		free(d);
		if (!path)
			return fail(c, p, ext_line, "out of memory");
		int rc = load_one(c, path, false, p, ext_line);
		free(path);
		return rc;
	}
	return 0;
}

/* Loads `name` and what it extends into c->chain; the base ends up last. */
static int load_one(struct ctx *c, const char *name, bool preset, const struct rpol *from,
		    unsigned from_line)
{
	if (c->n >= MAX_CHAIN)
		return fail(c, from, from_line, "'extends' goes more than %d levels deep", MAX_CHAIN);
	struct rpol *p = &c->chain[c->n];
	memset(p, 0, sizeof *p);
	if (!from && inline_text) {
		p->label = strdup(name);
		p->text = strdup(inline_text);
		p->dir = strdup(c->o->cwd);
		if (!p->label || !p->text || !p->dir)
			return fail(c, from, from_line, "out of memory");
	} else if (preset) {
		const struct wc_preset *ps = wc_preset_find(name);
		if (!ps)
			return fail(c, from, from_line, "unknown preset '%s' (see 'ward presets')", name);
		size_t ll = strlen(name) + 8;
		p->label = malloc(ll);
		if (!p->label)
			return fail(c, from, from_line, "out of memory");
		snprintf(p->label, ll, "preset %s", name);
		p->preset = true;
		p->text = strdup(ps->text);
		p->dir = strdup(c->o->cwd);
		if (!p->text || !p->dir)
			return fail(c, from, from_line, "out of memory");
	} else {
		const char *why = NULL;
		size_t len = 0;
		p->label = strdup(name);
		if (!p->label)
			return fail(c, from, from_line, "out of memory");
		p->text = read_file(name, &len, &why);
		if (!p->text) {
			if (from)
				return fail(c, from, from_line, "cannot read '%s': %s", name, why);
			return fail(c, NULL, 0, "%s: cannot read the policy: %s", name, why);
		}
		const char *nul = memchr(p->text, 0, len);
		if (nul) {
			unsigned line = 1;
			for (const char *q = p->text; q < nul; q++)
				line += *q == '\n';
			return fail(c, p, line, "a NUL byte: a policy is text");
		}
		char *real = wc_realpath(name);
		if (!real)
			return fail(c, from, from_line, "cannot resolve '%s': %s", name, strerror(errno));
		p->dir = dir_of(real);
		/* a loop: the same file twice in the chain */
		for (size_t i = 0; i < c->n; i++) {
			if (c->chain[i].preset || !c->chain[i].dir)
				continue;
			char *other = wc_realpath(c->chain[i].label);
			bool same = other && strcmp(other, real) == 0;
			free(other);
			if (same) {
				free(real);
				return fail(c, from, from_line, "'extends' makes a loop: %s is already in the chain", name);
			}
		}
		free(real);
		if (!p->dir)
			return fail(c, from, from_line, "out of memory");
	}
	if (preset) {
		for (size_t i = 0; i < c->n; i++)
			if (c->chain[i].preset && strcmp(c->chain[i].label, p->label) == 0)
				return fail(c, from, from_line, "'extends' makes a loop: %s is already in the chain", p->label);
	}
	c->n++;
	return parse_pol(c, p);
}

static void free_chain(struct ctx *c)
{
	/* one more than c->n: a policy whose loading failed half-way (all zero when
	 * none did) */
	for (size_t i = 0; i <= c->n && i < MAX_CHAIN; i++) {
		struct rpol *p = &c->chain[i];
		for (size_t j = 0; j < p->n; j++) {
			free(p->r[j].path);
			free(p->r[j].just);
		}
		free(p->r);
		if (p->cfg_live)
			c->lc->destroy(&p->cfg);
		free(p->label);
		free(p->dir);
		free(p->text);
		free(p->root);
	}
	c->n = 0;
}

/* A literal path as a pattern: the characters globs give a meaning are escaped. */
static char *glob_escape(const char *s)
{
	size_t n = strlen(s), extra = 0;
	for (size_t i = 0; i < n; i++)
		if (strchr("*?[]\\", s[i]))
			extra++;
	char *o = malloc(n + extra + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (strchr("*?[]\\", s[i]))
			o[k++] = '\\';
		o[k++] = s[i];
	}
	o[k] = 0;
	return o;
}

static char *join_escaped(const char *dir, const char *rel)
{
	char *e = glob_escape(dir);
	if (!e)
		return NULL;
	char *r = join_dir(e, rel);
	free(e);
	return r;
}

/* Expands a written pattern to an absolute one: "/x" stays, "~/x" is under HOME,
 * "@state" is ward's state folder, anything else is under ROOT. */
static char *expand(struct ctx *c, const struct rpol *p, unsigned line, const char *pat,
		    const char *root)
{
	const char *home = c->o->home;
	if (pat[0] == '/')
		return strdup(pat);
	if (pat[0] == '~' && (pat[1] == '/' || pat[1] == 0)) {
		if (!home || home[0] != '/') {
			fail(c, p, line, "'%s' needs HOME, which is not set to an absolute path", pat);
			return NULL;
		}
		return join_escaped(home, pat[1] ? pat + 2 : "");
	}
	if (pat[0] == '~') {
		fail(c, p, line, "only '~/' is understood, not '%s'", pat);
		return NULL;
	}
	if (pat[0] == '@') {
		if (strncmp(pat, "@state", 6) == 0 && (pat[6] == 0 || pat[6] == '/')) {
			if (!c->o->state) {
				fail(c, p, line, "'@state' needs ward's state folder (HOME or XDG_STATE_HOME)");
				return NULL;
			}
			return join_escaped(c->o->state, pat[6] ? pat + 7 : "");
		}
		fail(c, p, line, "unknown name '%s' ('@state' is the only one)", pat);
		return NULL;
	}
	if (strcmp(pat, ".") == 0 || strcmp(pat, "./") == 0)
		return glob_escape(root);
	if (pat[0] == '.' && pat[1] == '/')
		pat += 2;
	return join_escaped(root, pat);
}

static int root_of(struct ctx *c, char **out)
{
	/* -r wins; then the nearest root setting in the chain, relative to its file. */
	const char *given = NULL;
	const struct rpol *where = NULL;
	if (c->o->root) {
		given = c->o->root;
	} else {
		for (size_t i = 0; i < c->n; i++)
			if (c->chain[i].root) {
				where = &c->chain[i];
				given = where->root;
				break;
			}
	}
	char *joined;
	if (!given)
		joined = strdup(c->o->cwd);
	else if (where)
		joined = join_dir(where->dir, given);
	else
		joined = join_dir(c->o->cwd, given);
	if (!joined)
		return fail(c, NULL, 0, "out of memory");
	/* ROOT is a folder: a file as ROOT would make "." and every relative rule name
	 * that file and what lies "beneath" it */
	char *real = real_path_of(joined, O_DIRECTORY);
	if (!real) {
		int e = errno;
		const char *why = e == ENOTDIR ? "not a folder" : strerror(e);
		if (where)
			fail(c, where, where->root_line, "root '%s': %s", given, why);
		else
			fail(c, NULL, 0, "root '%s': %s", joined, why);
		free(joined);
		return -1;
	}
	free(joined);
	*out = real;
	return 0;
}

void *wc_compile(const struct wc_libconfig *lc, const char *path, bool preset,
		 const struct wc_opts *o, size_t *size, char *err, size_t errsz)
{
	struct ctx c = {.lc = lc, .o = o, .err = err, .errsz = errsz};
	void *blob = NULL;
	struct wp_builder *b = NULL;
	char *root = NULL;
	err[0] = 0;
	if (load_one(&c, path, preset, NULL, 0) < 0)
		goto out;
	if (root_of(&c, &root) < 0)
		goto out;
	b = wpb_new();
	if (!b) {
		fail(&c, NULL, 0, "out of memory");
		goto out;
	}
	int def = WL_NONE, mode = WM_ENFORCE, backstop = WB_AUTO, log_reads = 0;
	int64_t max_size = 0;
	bool has_exec = false;
	size_t rootlen = strlen(root);
	bool root_exempt = wp_root_is_exempt(root, rootlen);
	int abstract_sockets = 0;
	/* base first: the chain holds the top policy first */
	for (size_t k = c.n; k-- > 0;) {
		struct rpol *p = &c.chain[k];
		if (p->def >= 0)
			def = p->def;
		if (p->mode >= 0)
			mode = p->mode;
		if (p->backstop >= 0)
			backstop = p->backstop;
		if (p->log_reads >= 0)
			log_reads = p->log_reads;
		if (p->abstract_sockets >= 0)
			abstract_sockets = p->abstract_sockets;
		if (p->max_size > 0)
			max_size = p->max_size;
		if (p->has_exec)
			has_exec = true;
		for (size_t j = 0; j < p->n; j++) {
			struct rrule *r = &p->r[j];
			char src[4200];
			snprintf(src, sizeof src, "%s:%u", p->label, r->line);
			char *abs = expand(&c, p, r->line, r->path, root);
			if (!abs)
				goto out;
			if (r->kind < 0) {
				int rc = wpb_unhide(b, abs);
				free(abs);
				if (rc < 0) {
					fail(&c, p, r->line, "unhide '%s' is not in an inherited hide list", r->path);
					goto out;
				}
				continue;
			}
			char msg[512];
			if (r->kind == WK_RULE && r->level > WL_NONE && !r->just[0]) {
				/* a rule that opens /tmp, /var/tmp or /dev/shm must say why, unless
				 * its fixed part lies in ROOT's own tree and ROOT lies strictly
				 * beneath one of them (the fixed part is compared unescaped: ROOT's
				 * name is escaped in root-relative patterns) */
				char normbuf[4200], fixed[4200];
				const char *nm;
				long nl = wp_norm_pattern(abs, normbuf, sizeof normbuf, &nm);
				long fl = nl > 0 ? wp_fixed_part(normbuf, (size_t)nl, fixed, sizeof fixed) : -1;
				if (nl > 0 && wp_names_closed(normbuf, (size_t)nl) &&
				    !(fl > 0 && root_exempt && wn_is_under(fixed, (size_t)fl, root, rootlen))) {
					bool rel = r->path[0] != '/' && r->path[0] != '~' && r->path[0] != '@';
					if (rel && wp_in_closed(root, rootlen) && !root_exempt)
						fail(&c, p, r->line,
						     "a rule that opens %s needs a non-empty 'justification': ROOT %s is not exempt from the closure of /tmp, /var/tmp and /dev/shm (only a ROOT strictly beneath one of them is)",
						     r->path, root);
					else
						fail(&c, p, r->line,
						     "a rule that opens %s needs a non-empty 'justification' (they are closed unless a rule says why)",
						     r->path);
					free(abs);
					goto out;
				}
			}
			if (wpb_add(b, r->kind, abs, r->level, r->ttl, r->expires, r->just, src, false, msg,
				    sizeof msg) < 0) {
				fail(&c, p, r->line, "%s", msg);
				free(abs);
				goto out;
			}
			free(abs);
		}
	}
	/* What every program needs and no policy should have to say (DESIGN §6: these
	 * "stay usable"): the harmless devices, and the process's own /proc/self. They
	 * come last, so that a broad read rule over everything does not take them away; hide
	 * patterns still win. */
	static const struct {
		const char *path;
		int level;
	} builtin[] = {
		{"/dev/null", WL_WRITE}, {"/dev/zero", WL_WRITE},     {"/dev/full", WL_WRITE},
		{"/dev/tty", WL_WRITE},  {"/dev/random", WL_READ},    {"/dev/urandom", WL_READ},
		{"/proc/self/**", WL_READ}, {"/proc/thread-self/**", WL_READ},
	};
	for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++) {
		char msg[512];
		if (wpb_add(b, WK_RULE, builtin[i].path, builtin[i].level, 0, 0, NULL, "ward built-in", true,
			    msg, sizeof msg) < 0) {
			fail(&c, NULL, 0, "%s", msg);
			goto out;
		}
	}
	if (o->hide_extra) {
		char msg[512];
		char *e = glob_escape(o->hide_extra);
		if (!e || wpb_add(b, WK_HIDE, e, WL_NONE, 0, 0, NULL, "audit log", true, msg, sizeof msg) < 0) {
			fail(&c, NULL, 0, "%s", e ? msg : "out of memory");
			free(e);
			goto out;
		}
		free(e);
	}
	if (o->tmpdir) {
		char msg[512];
		char *e = glob_escape(o->tmpdir);
		if (!e || wpb_add(b, WK_RULE, e, WL_WRITE, 0, 0, "the private TMPDIR of ward run",
				  "ward run TMPDIR", true, msg, sizeof msg) < 0) {
			fail(&c, NULL, 0, "%s", e ? msg : "out of memory");
			free(e);
			goto out;
		}
		free(e);
	}
	if (o->mode >= 0)
		mode = o->mode;
	if (o->no_backstop)
		backstop = WB_OFF;
	wpb_set(b, def, mode, backstop, log_reads, (uint64_t)max_size, has_exec);
	wpb_set_abstract_sockets(b, abstract_sockets > 0);
	const char *src_label = preset ? NULL : path;
	char srcbuf[4200];
	if (preset) {
		snprintf(srcbuf, sizeof srcbuf, "preset %s", path);
		src_label = srcbuf;
	}
	wpb_set_paths(b, root, o->home, src_label, o->tmpdir, o->state);
	blob = wpb_finish(b, size, err, errsz);
out:
	wpb_free(b);
	free(root);
	free_chain(&c);
	return blob;
}

void *wc_compile_text(const struct wc_libconfig *lc, const char *label, const char *text,
		      const struct wc_opts *o, size_t *size, char *err, size_t errsz)
{
	inline_text = text;
	void *blob = wc_compile(lc, label, false, o, size, err, errsz);
	inline_text = NULL;
	return blob;
}
