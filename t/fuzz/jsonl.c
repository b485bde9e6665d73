/* t/fuzz/jsonl.c: the JSON Lines writer (common/jsonl.c) and the events built on it
 * (common/audit.c, the policy event's backstop of cli/backstop.c), for any bytes in
 * names.
 *
 * Input: a program of fields. Each field is a header (kind, limit, length: 5 bytes)
 * and its bytes; they are written to one line with wj_str, wj_int, wj_bool, wj_null
 * or wj_raw (nested objects made the same way), in a buffer of a size the first two
 * bytes choose. Every line must be one line, at most 4096 bytes with its newline,
 * and valid JSON (parsed back by jansson), holding each field that was not left out
 * with its value (strings that were not cut: the same bytes, when they were UTF-8),
 * and "cut": true exactly when something was cut or left out. The same bytes then
 * go into the paths, justifications and sources of a policy event, a purge event,
 * and the backstop object of ward run, with the same checks. */
#include <jansson.h>
#include <limits.h>
#include <string.h>

#include "cli/ward.h"
#include "common/audit.h"
#include "common/jsonl.h"
#include "common/policy.h"
#include "t/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Is the line one valid JSON object of at most 4096 bytes ending in its only newline?
 * Returns it parsed (the caller frees it). */
static json_t *check_line(const char *buf, size_t n)
{
	FZ_CHECKF(n >= 3 && n <= WJ_LINE_MAX, "a line of %zu bytes", n);
	FZ_CHECK(buf[n - 1] == '\n');
	FZ_CHECKF(memchr(buf, '\n', n - 1) == NULL, "a newline inside the line: %.*s", (int)n, buf);
	json_error_t e;
	json_t *o = json_loadb(buf, n - 1, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
	FZ_CHECKF(o && json_is_object(o), "not a JSON object (%s at %d): %.*s", e.text, e.position, (int)n, buf);
	return o;
}

/* The length of the valid UTF-8 sequence at s (RFC 3629: shortest forms, no
 * surrogates, at most U+10FFFF; at most n bytes), or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0], l, min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		l = 2, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		l = 3, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		l = 4, min = 0x10000;
	else
		return 0;
	if (n < l)
		return 0;
	uint32_t cp = c & (0x7f >> l);
	for (unsigned k = 1; k < l; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return l;
}

/* What a string reads as once written and parsed back: UTF-8 kept, any other byte
 * b as U+00b (the writer's promise). Returns its length in out (4 * n bytes). */
static size_t as_read(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t l = seq_len(s + i, n - i);
		if (l) {
			memcpy(out + o, s + i, l);
			o += l;
			i += l;
		} else {
			out[o++] = (unsigned char)(0xc0 | s[i] >> 6);
			out[o++] = (unsigned char)(0x80 | (s[i] & 0x3f));
			i++;
		}
	}
	return o;
}

struct rd {
	const uint8_t *p;
	size_t n;
};

static unsigned byte(struct rd *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

struct field {
	char key[8];
	int kind;
	const char *s;
	size_t len, limit;
	long long v;
	char raw[WJ_LINE_MAX];
	size_t rawlen;
};

/* Writes the fields of r into one line (depth: nested objects for wj_raw); returns
 * its length. */
static size_t line_of(struct rd *r, char *buf, size_t size, int depth)
{
	static struct field F[3][40];
	struct field *f = F[depth];
	struct wj j;
	wj_begin(&j, buf, size);
	size_t nf = 0;
	while (r->n && nf < 40) {
		struct field *x = &f[nf];
		unsigned k = byte(r);
		x->kind = (int)(k % 6);
		snprintf(x->key, sizeof x->key, "k%zu", nf);
		x->limit = byte(r) * 32u + byte(r);
		x->len = byte(r) * 256u + byte(r);
		if (x->len > r->n)
			x->len = r->n;
		x->s = (const char *)r->p;
		switch (x->kind) {
		case 0:
			wj_str(&j, x->key, x->s, x->len, x->limit);
			r->p += x->len;
			r->n -= x->len;
			break;
		case 1:
		{
			uint64_t u = 0;
			for (size_t i = 0; i < 8 && i < x->len; i++)
				u = u << 8 | (uint8_t)x->s[i];
			x->v = (long long)u;
			wj_int(&j, x->key, x->v);
		}
			break;
		case 2:
			wj_bool(&j, x->key, x->len & 1);
			break;
		case 3:
			wj_null(&j, x->key);
			break;
		case 4:
			if (depth < 2) {
				struct rd sub = {r->p, x->len};
				size_t n = line_of(&sub, x->raw, sizeof x->raw, depth + 1);
				x->rawlen = n - 1;
				r->p += x->len;
				r->n -= x->len;
				wj_raw(&j, x->key, x->raw, x->rawlen);
			} else {
				x->kind = 3;
				wj_null(&j, x->key);
			}
			break;
		case 5: {
			char name[16];
			wj_cstr(&j, x->key, wj_errno_name((int)x->len - 200, name));
			break;
		}
		}
		nf++;
	}
	bool cut = j.cut;
	size_t n = wj_end(&j);
	FZ_CHECK(n <= size);
	json_t *o = check_line(buf, n);
	bool missing = false;
	for (size_t i = 0; i < nf; i++) {
		struct field *x = &f[i];
		json_t *v = json_object_get(o, x->key);
		if (!v) {
			missing = true;
			continue;
		}
		switch (x->kind) {
		case 0: {
			FZ_CHECK(json_is_string(v));
			const char *got = json_string_value(v);
			size_t gl = json_string_length(v);
			static unsigned char want[4 * 65536];
			size_t wl = as_read((const unsigned char *)x->s, x->len, want);
			if (gl != wl || memcmp(got, want, gl) != 0) {
				/* cut: what is left is a prefix, then the mark */
				FZ_CHECKF(gl >= 5 && memcmp(got + gl - 5, "[...]", 5) == 0 && gl - 5 <= wl &&
						  memcmp(got, want, gl - 5) == 0,
					  "field %s: the value changed: %.*s", x->key, (int)gl, got);
				missing = true;
			}
			FZ_CHECKF(gl <= x->limit, "field %s: %zu bytes, longer than its limit %zu", x->key, gl, x->limit);
			break;
		}
		case 1:
			FZ_CHECK(json_is_integer(v) && json_integer_value(v) == x->v);
			break;
		case 2:
			FZ_CHECK(json_is_boolean(v) && json_is_true(v) == (x->len & 1));
			break;
		case 3:
			FZ_CHECK(json_is_null(v));
			break;
		case 4:
			FZ_CHECK(json_is_object(v));
			break;
		case 5:
			FZ_CHECK(json_is_string(v));
			break;
		}
	}
	json_t *c = json_object_get(o, "cut");
	FZ_CHECKF((c != NULL) == cut, "\"cut\" %s, but the writer says %d: %.*s", c ? "present" : "absent", cut,
		  (int)n, buf);
	if (c)
		FZ_CHECK(json_is_true(c));
	if (missing)
		FZ_CHECKF(cut, "a field was cut or left out without \"cut\": %.*s", (int)n, buf);
	json_decref(o);
	return n;
}

/* The events of common/audit.c and the backstop object, with the input as names. */
static void events(const uint8_t *data, size_t size)
{
	/* names: pieces of the input, as patterns (escaped so that they are valid) */
	struct wp_builder *b = wpb_new();
	if (!b)
		abort();
	char pat[700], err[512];
	size_t off = 0;
	for (int i = 0; i < 8 && off < size; i++) {
		size_t l = data[off] % 200 + 1, o = 0;
		off++;
		pat[o++] = '/';
		for (size_t k = 0; k < l && off + k < size && o + 3 < sizeof pat; k++) {
			char c = (char)data[off + k];
			if (c == 0)
				c = '0';
			if (strchr("*?[]\\", c))
				pat[o++] = '\\';
			pat[o++] = c;
		}
		pat[o] = 0;
		char just[300];
		size_t jl = size - off < sizeof just - 1 ? size - off : sizeof just - 1;
		memcpy(just, data + off, jl);
		just[jl] = 0;
		if (wpb_add(b, WK_RULE, pat, WL_WRITE, i & 1 ? 900 : 0, i & 2 ? 60 : 0, just, just, false, err,
			    sizeof err) < 0)
			FZ_CHECKF(strstr(err, "pattern") || strstr(err, "ttl"), "a rule refused: %s", err);
		off += l;
	}
	char root[600];
	size_t rl = size < sizeof root - 2 ? size : sizeof root - 2;
	root[0] = '/';
	memcpy(root + 1, data, rl);
	root[rl + 1] = 0;
	wpb_set_paths(b, root, root, root, root, root);
	size_t bs;
	struct wp_hdr *h = wpb_finish(b, &bs, err, sizeof err);
	wpb_free(b);
	if (!h)
		return;
	static char line[WJ_LINE_MAX];
	json_decref(check_line(line, wa_policy_line(line, h, 12345, NULL)));
	json_decref(check_line(line, wa_purge_line(line, h, 1, (const char *)data, size, 77, 3)));

	/* the backstop object: the input's pieces as granted folders */
	static struct bs_plan p;
	static struct bs_area areas[64];
	static char paths[64][PATH_MAX];
	memset(&p, 0, sizeof p);
	p.abi = 6;
	p.a = areas;
	for (size_t i = 0, o = 0; i < 64 && o < size; i++) {
		size_t l = data[o] * 8u + 1;
		if (l > size - o)
			l = size - o;
		if (l >= PATH_MAX)
			l = PATH_MAX - 1;
		memcpy(paths[i], data + o, l);
		paths[i][l] = 0;
		areas[i].path = paths[i];
		areas[i].level = WL_VIEW + (int)(i % 3);
		areas[i].rule = WP_NONE32;
		p.na++;
		o += l;
	}
	char bj[WJ_LINE_MAX];
	size_t bn = bs_json(&p, NULL, bj, sizeof bj);
	if (bn) {
		json_error_t e;
		json_t *o = json_loadb(bj, bn, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
		FZ_CHECKF(o && json_is_object(o), "the backstop object is not JSON (%s): %s", e.text, bj);
		json_decref(o);
		json_decref(check_line(line, wa_policy_line(line, h, 1, bj)));
	}
	free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	size_t bufsize = 32 + (data[0] * 256u + data[1]) % (WJ_LINE_MAX + 64);
	char *buf = malloc(bufsize);
	if (!buf)
		abort();
	struct rd r = {data + 2, size - 2};
	line_of(&r, buf, bufsize, 0);
	free(buf);
	events(data + 2, size - 2);
	return 0;
}
