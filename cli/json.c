/* json.c: reading the audit log's lines (flat JSON objects) back (see json.h). */
#include "cli/json.h"

#include <stdlib.h>
#include <string.h>

/* ---- a flat JSON object reader: keys to strings (unescaped) or raw values ---- */


static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Parses a JSON string at p (after the quote); writes its bytes to out. */
static const char *parse_str(const char *p, char *out, size_t *on)
{
	size_t o = 0;
	while (*p && *p != '"') {
		if (*p == '\\') {
			p++;
			switch (*p) {
			case 'n': out[o++] = '\n'; break;
			case 't': out[o++] = '\t'; break;
			case 'r': out[o++] = '\r'; break;
			case 'b': out[o++] = '\b'; break;
			case 'f': out[o++] = '\f'; break;
			case 'u': {
				unsigned v = 0;
				for (int i = 1; i <= 4 && p[i]; i++) {
					char c = p[i];
					v = v * 16 + (unsigned)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
				}
				p += 4;
				if (v < 0x80)
					out[o++] = (char)v;
				else if (v < 0x800) {
					out[o++] = (char)(0xC0 | v >> 6);
					out[o++] = (char)(0x80 | (v & 63));
				} else {
					out[o++] = (char)(0xE0 | v >> 12);
					out[o++] = (char)(0x80 | ((v >> 6) & 63));
					out[o++] = (char)(0x80 | (v & 63));
				}
				break;
			}
			case 0: goto end;
			default: out[o++] = *p;
			}
			p++;
			continue;
		}
		out[o++] = *p++;
	}
end:
	out[o] = 0;
	*on = o;
	return *p == '"' ? p + 1 : NULL;
}

/* Skips one JSON value (for nested arrays and objects, kept raw). */
static const char *skip_value(const char *p)
{
	int depth = 0;
	bool in_str = false;
	for (; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"')
			in_str = true;
		else if (*p == '[' || *p == '{')
			depth++;
		else if (*p == ']' || *p == '}') {
			if (depth == 0)
				return p;
			depth--;
			if (depth == 0)
				return p + 1;
		} else if (*p == ',' && depth == 0)
			return p;
	}
	return p;
}

void jfree(struct jobj *o)
{
	for (int i = 0; i < o->n; i++) {
		free(o->key[i]);
		free(o->val[i]);
	}
	o->n = 0;
}

bool jparse(const char *line, struct jobj *o)
{
	size_t len = strlen(line), kn;
	char *tmp = malloc(len + 1);
	o->n = 0;
	if (!tmp)
		return false;
	const char *p = skip_ws(line);
	if (*p++ != '{')
		goto bad;
	for (;;) {
		p = skip_ws(p);
		if (*p == '}')
			break;
		if (*p++ != '"')
			goto bad;
		if (!(p = parse_str(p, tmp, &kn)))
			goto bad;
		p = skip_ws(p);
		if (*p++ != ':')
			goto bad;
		p = skip_ws(p);
		if (o->n >= MAXF)
			goto bad;
		o->key[o->n] = strdup(tmp);
		if (*p == '"') {
			size_t vn;
			if (!(p = parse_str(p + 1, tmp, &vn)))
				goto bad_k;
			o->val[o->n] = strdup(tmp);
			o->str[o->n] = true;
		} else {
			const char *e = skip_value(p);
			o->val[o->n] = strndup(p, (size_t)(e - p));
			o->str[o->n] = false;
			p = e;
		}
		o->n++;
		p = skip_ws(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}')
			break;
		goto bad;
	}
	free(tmp);
	return true;
bad_k:
	free(o->key[o->n]);
bad:
	free(tmp);
	jfree(o);
	return false;
}

const char *jget(const struct jobj *o, const char *k)
{
	for (int i = 0; i < o->n; i++)
		if (strcmp(o->key[i], k) == 0)
			return o->val[i];
	return NULL;
}

