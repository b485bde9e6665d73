/* json.c: reading an audit log back, and printing its values safely (see json.h). */
#include "cli/json.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonl.h"

bool jreader_init(struct jreader *r, FILE *f)
{
	r->f = f;
	r->eof = false;
	r->buf = malloc(JL_LINE_MAX + 1);
	return r->buf != NULL;
}

void jreader_free(struct jreader *r)
{
	free(r->buf);
	r->buf = NULL;
}

int jreader_next(struct jreader *r, size_t *len)
{
	size_t n = 0;
	bool over = false;
	*len = 0;
	if (r->eof)
		return 0;
	for (;;) {
		int c = getc_unlocked(r->f);
		if (c == EOF) {
			if (ferror(r->f))
				return -1;
			r->eof = true;
			if (n == 0 && !over)
				return 0;
			break; /* a last line without its newline */
		}
		if (c == '\n')
			break;
		if (over)
			continue;
		if (n == JL_LINE_MAX) {
			over = true; /* the rest of it is read and dropped */
			continue;
		}
		r->buf[n++] = (char)c;
	}
	r->buf[over ? 0 : n] = 0;
	if (over)
		return 2;
	*len = n;
	return 1;
}

bool jparse(const char *buf, size_t len, struct jobj *o)
{
	json_error_t e;
	o->o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e);
	if (o->o && !json_is_object(o->o)) {
		json_decref(o->o);
		o->o = NULL;
	}
	return o->o != NULL;
}

const char *jget(const struct jobj *o, const char *k)
{
	return json_string_value(json_object_get(o->o, k));
}

bool jget_int(const struct jobj *o, const char *k, long long *v)
{
	json_t *x = json_object_get(o->o, k);
	if (!json_is_integer(x))
		return false;
	*v = (long long)json_integer_value(x);
	return true;
}

void jfree(struct jobj *o)
{
	json_decref(o->o);
	o->o = NULL;
}

/* The code point of the valid UTF-8 sequence u[0..l). */
static uint32_t code_point(const unsigned char *u, size_t l)
{
	if (l == 1)
		return u[0];
	uint32_t c = u[0] & (0x7f >> l);
	for (size_t i = 1; i < l; i++)
		c = c << 6 | (u[i] & 0x3f);
	return c;
}

/* Is this code point one a terminal acts on, or one that reorders what follows? */
static bool unsafe_cp(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Walks s: calls `plain` for bytes that may go out as they are, `esc` for the
 * sequences that must be escaped (with their code point, or -1 for a byte that is
 * not UTF-8). */
static void walk(FILE *f, const char *s, bool conf)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)u);
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		size_t l = c < 0x80 ? 1 : wj_utf8_len(u + i, n - i);
		bool bad = l == 0 || c < 0x20 || c == 0x7f || (l > 1 && unsafe_cp(code_point(u + i, l)));
		if (!bad) {
			if (c == '\\' || (conf && c == '"'))
				putc('\\', f);
			fwrite(u + i, 1, l, f);
			i += l;
			continue;
		}
		if (l == 0)
			l = 1;
		if (!conf && (c == '\n' || c == '\t' || c == '\r')) {
			putc('\\', f);
			putc(c == '\n' ? 'n' : c == '\t' ? 't' : 'r', f);
		} else if (!conf && l > 1) {
			uint32_t cp = code_point(u + i, l);
			fprintf(f, "\\u%04x", (unsigned)cp);
		} else {
			for (size_t k = 0; k < l; k++) {
				putc('\\', f);
				putc('x', f);
				putc(hex[u[i + k] >> 4], f);
				putc(hex[u[i + k] & 15], f);
			}
		}
		i += l;
	}
}

void jput_text(FILE *f, const char *s)
{
	walk(f, s, false);
}

void jput_conf(FILE *f, const char *s)
{
	walk(f, s, true);
}

void jput_json(FILE *f, const char *s)
{
	const unsigned char *u = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)u);
	putc('"', f);
	for (size_t i = 0; i < n;) {
		char esc[8];
		size_t adv;
		size_t el = wj_esc(u + i, n - i, esc, &adv);
		fwrite(esc, 1, el, f);
		i += adv;
	}
	putc('"', f);
}
