/* json.h: a reader for the audit log's lines: one flat JSON object each, whose
 * string values come back unescaped and whose other values (numbers, null, nested
 * arrays and objects) come back as their raw text. */
#ifndef WARD_CLI_JSON_H
#define WARD_CLI_JSON_H

#include <stdbool.h>

#define MAXF 32
struct jobj {
	int n;
	char *key[MAXF];
	char *val[MAXF];
	bool str[MAXF];
};

/* Parses one line; false when it is not such an object (nothing to free then). */
bool jparse(const char *line, struct jobj *o);
/* The value of a key, or NULL. */
const char *jget(const struct jobj *o, const char *k);
void jfree(struct jobj *o);

#endif
