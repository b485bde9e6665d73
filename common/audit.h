/* audit.h: the audit events that both the library and the command write (see §7 of
 * the contract): `policy` and `purge`. The library's `op` events are in shim/gate.c.
 * Each function fills `buf` (WJ_LINE_MAX bytes) with one line and returns its length. */
#ifndef WARD_AUDIT_H
#define WARD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

/* The session id as 16 hex digits (out: 17 bytes). */
void wa_session_hex(uint64_t session, char out[17]);
/* "xxh3:" and 16 hex digits of a whole compiled policy, header included: passed to
 * every child as WARD_POLICY_HASH, so that a child's library can tell that the
 * policy descriptor it inherits is the session's (shim/init.c). */
void wa_blob_hash(char out[22], const void *blob, size_t size);

/* The `policy` event. backstop_json: raw JSON for the "backstop" field, or NULL for
 * null. */
size_t wa_policy_line(char *buf, const struct wp_hdr *h, int pid, const char *backstop_json);

/* A `purge` event: `real` was deleted, `age_s` old, under grant number `grant`. */
size_t wa_purge_line(char *buf, const struct wp_hdr *h, int pid, const char *real, size_t len,
		     int64_t age_s, uint32_t grant);

/* "g3" for grant 3 (out: 16 bytes). */
void wa_grant_id(char *out, uint32_t grant);

#endif
