# jsonl-check.py: parses back, with python's json module, the audit lines that
# t/unit/jsonl writes, and checks them case by case. Prints "PASS|desc" or
# "FAIL|desc|detail" lines for t/013-jsonl.t.
import json
import re
import sys

results = []


def check(cond, desc, detail=""):
    if cond:
        results.append("PASS|" + desc)
    else:
        results.append("FAIL|" + desc + "|" + str(detail)[:300])


def prefix_ok(value, original):
    """A cut value: ends in the marker, and what comes before is a prefix."""
    if not value.endswith("[...]"):
        return False
    return original.startswith(value[:-5])


TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
units = ["a", '"', "\x02", "\u00e9", "\U0001F600"]
ulen = [1, 1, 1, 2, 4]

raw = open(sys.argv[1], "rb").read()
lines = raw.split(b"\n")
check(lines[-1] == b"", "the file ends with a newline")
lines = lines[:-1]
check(len(lines) > 800, "%d lines" % len(lines))

bad_len = [i for i, l in enumerate(lines) if len(l) + 1 > 4096]
check(not bad_len, "every line is at most 4096 bytes with its newline", bad_len[:5])

objs = {}
bad_json = []
for i, l in enumerate(lines):
    try:
        o = json.loads(l.decode("utf-8", "strict"))
        if not isinstance(o, dict):
            raise ValueError("not an object")
        if "case" in o:
            objs[o["case"]] = o
        elif o.get("event") in ("policy", "purge"):
            objs[o["event"] + "-event"] = o  # written by common/audit.c
        else:
            raise ValueError("an object of no known case")
    except Exception as e:  # noqa: BLE001
        bad_json.append((i, repr(e), l[:80]))
check(not bad_json, "every line is strict UTF-8 and valid JSON", bad_json[:3])


def get(name):
    o = objs.get(name)
    check(o is not None, name + ": present")
    return o or {}


o = get("basic")
check(o.get("ts") == "2023-11-14T22:13:20.123456Z" and TS.match(o.get("ts", "")), "basic: ts")
check(o.get("pid") == 4242 and o.get("path") == "/home/u/docs/a b.txt", "basic: pid and path")
check(o.get("t") is True and o.get("f") is False and "n" in o and o["n"] is None, "basic: true, false, null")
check(o.get("raw") == {"x": [1, 2, "y"]}, "basic: raw JSON", o.get("raw"))
check("cut" not in o, "basic: not cut")

o = get("escapes")
want = 'q" b\\ n\n t\t r\r nul\x00 x01\x01 x1f\x1f del\x7f slash/ euro\u20ac g\U0001F600 end'
check(o.get("s") == want, "escapes: quotes, backslash, control characters, NUL, DEL, UTF-8 round-trip",
      repr(o.get("s")))

o = get("invalid-utf8")
s = o.get("s", "")
check(re.match(r"^a.+b.+c.+d.+e.+f.*$", s, re.S) is not None, "invalid UTF-8: the valid characters stay, in order",
      repr(s))
try:
    s.encode("utf-8", "strict")
    enc = True
except UnicodeEncodeError:
    enc = False
check(enc, "invalid UTF-8: no lone surrogate in the decoded string", repr(s))

o = get("all-bytes")
s = o.get("s", "")
check(s[:128] == "".join(chr(i) for i in range(128)), "all bytes: ASCII 0-127 round-trips", repr(s[:40]))
try:
    s.encode("utf-8", "strict")
    enc = True
except UnicodeEncodeError:
    enc = False
check(enc, "all bytes: no lone surrogate", repr(s[128:]))

o = get("ints")
check(o.get("min") == -(2 ** 63) and o.get("max") == 2 ** 63 - 1 and o.get("zero") == 0 and o.get("minus") == -1,
      "ints: extremes", o)

longs = {
    "long-ascii": ("a" * 4000, False),
    "long-ascii-two": ("a" * 4000, True),
    "long-quotes": ('"' * 4000, True),
    "long-backslashes": ("\\" * 4000, True),
    "long-ctrl": ("\x01" * 4000, True),
    "long-utf8-2": ("\u00e9" * 2000, False),
    "long-utf8-2-two": ("\u00e9" * 2000, True),
    "long-utf8-3": ("\u20ac" * 1334, True),
    "long-utf8-4": ("\U0001F600" * 1000, True),
    "long-invalid": (None, True),
    "long-mixed": (None, True),
}
for name, (orig, cut) in longs.items():
    o = get(name)
    check(o.get("event") == "op", name + ": the short field before the long one is kept")
    if not cut:
        check("cut" not in o and o.get("path") == orig, name + ": fits whole, not cut")
        continue
    check(o.get("cut") is True, name + ': "cut": true')
    marked = 0
    for f in ("path", "real"):
        if f not in o:
            continue
        v = o[f]
        marked += v.endswith("[...]")
        if orig is not None:
            check(v == orig or prefix_ok(v, orig), name + ": " + f + ' is whole, or a prefix of the original then "[...]"',
                  repr(v[-20:]))
        else:
            check(v.endswith("[...]") and len(v) > 5, name + ": " + f + ' ends in "[...]"', repr(v[-20:]))
    check(marked >= 1, name + ': a string that did not fit ends in "[...]"')
    check(o.get("decision", "deny") == "deny", name + ": a later field is whole or left out")

o = get("limit")
s = o.get("s", "")
check(prefix_ok(s, "0123456789abcdefghijklmnopqrstuvwxyz") and len(s.encode()) <= 16 and o.get("cut") is True,
      "limit: the value is cut to its limit and marked", repr(s))
check(o.get("after") == "kept", "limit: the next field is kept")

o = get("many-fields")
keys = [k for k in o if re.match(r"^f\d\d$", k)]
check(o.get("cut") is True and 0 < len(keys) < 60, "many fields: some left out, marked cut (%d kept)" % len(keys))
check(all(o[k] == "v" * 100 for k in keys[:-1]) and keys and prefix_ok(o[keys[-1]], "v" * 100 + "x")
      or all(o[k] == "v" * 100 for k in keys),
      "many fields: the fields kept are whole, but the last, which may be cut and marked")
check(keys == ["f%02d" % i for i in range(len(keys))], "many fields: those kept are the first ones")

bad = []
nsweep = 0
for name, o in objs.items():
    m = re.match(r"^sweep-(\d)-(\d+)$", name)
    if not m:
        continue
    nsweep += 1
    u, ln = int(m.group(1)), int(m.group(2))
    orig = units[u] * (ln // ulen[u])
    p = o.get("path")
    if o.get("cut") is True:
        if p is not None and not prefix_ok(p, orig):
            bad.append(name)
    elif p != orig:
        bad.append(name)
check(nsweep == 5 * 161, "sweep: all %d lines parsed" % nsweep)
check(not bad, "sweep: each path is whole, or a prefix marked cut", bad[:5])

o = get("policy-event")
check(o.get("event") == "policy" and TS.match(o.get("ts", "")) is not None, "policy event: event and ts", o.get("ts"))
check(o.get("session") == "0123456789abcdef" and o.get("pid") == 77, "policy event: session and pid")
check(re.match(r"^xxh3:[0-9a-f]{16}$", o.get("hash", "")) is not None, "policy event: hash is xxh3: + 16 hex",
      o.get("hash"))
check(o.get("mode") == "enforce" and "backstop" in o and o["backstop"] is None, "policy event: mode, backstop null")
check(o.get("source") == '/home/u/policy "x".conf', "policy event: source", o.get("source"))
g = o.get("grants")
check(isinstance(g, list) and len(g) > 0, "policy event: grants is a non-empty list")
if isinstance(g, list) and g:
    check(all(set(["id", "path", "ttl", "expires", "justification"]) <= set(x) for x in g),
          "policy event: each grant has id, path, ttl, expires, justification", g[0])
    check(all(x.get("justification") == 'a "quoted"\njustification' for x in g),
          "policy event: justifications round-trip")
    check(any(x.get("expires") for x in g) and any(x.get("expires") is None for x in g),
          "policy event: expires set and null")

o = get("purge-event")
check(o.get("event") == "purge" and o.get("age_s") == 3600 and o.get("grant") == "g3", "purge event: fields")
check(o.get("cut") is True and prefix_ok(o.get("real", ""), "/" + "r" * 3999),
      "purge event: a 4,000-byte path is cut and marked")

print("\n".join(results))
