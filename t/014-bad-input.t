#!/bin/sh
# 014-bad-input: what ward's commands make of input that is not what they expect
# (issue 20, each case reproduced on 0.1.0): a FIFO or a device as a policy or as
# the file it extends (refused, never waited on); a path whose first folder does
# not exist (judged as itself, not as "/"); audit logs that are folders, devices,
# garbage or crafted lines (an error, bounded memory, names escaped); the policy
# event and `ward report --json` when a value is cut (valid JSON, no stray key);
# `ward learn` on names with control characters and a backslash. Hangs are
# bounded by timeout(1), which is no timing assertion: a hang is the failure.
. "$top_srcdir/t/lib.sh"
plan_lazy
need_cmd timeout
tab=$(printf '\t')
py=${PYTHON3:-}

# ---- a FIFO, a folder or a device as a policy ----
mkfifo fifo.conf
printf 'version = 1;\nextends = "fifo.conf";\nrules = ( );\n' > ext-fifo.conf
printf 'version = 1;\nextends = "/dev/zero";\nrules = ( );\n' > ext-zero.conf

timeout 20 "$WARD" check fifo.conf > out 2> err
rc=$?
is 1 "$rc" "check of a FIFO: exit 1 (not a hang: 124)"
like "fifo\\.conf: cannot read the policy: not a regular file" "$(cat err)" "... it says it is not a regular file"
timeout 20 "$WARD" check ext-fifo.conf > out 2> err
is 1 "$?" "check of a policy that extends a FIFO: exit 1"
like "^ward: ext-fifo\\.conf:2: cannot read '\\./fifo\\.conf': not a regular file$" "$(cat err)" "... at the extends line"
timeout 20 "$WARD" check ext-zero.conf > out 2> err
is 1 "$?" "check of a policy that extends /dev/zero: exit 1 (not read to 64 MiB)"
like "^ward: ext-zero\\.conf:2: .*not a regular file" "$(cat err)" "... at the extends line"
timeout 20 "$WARD" explain -p fifo.conf /etc > out 2> err
is 1 "$?" "explain -p FIFO: exit 1"
timeout 20 "$WARD" run -p ext-fifo.conf -- "$CALL" create ok marker > out 2> err
is 126 "$?" "run -p (extends a FIFO): exit 126"
ok "... the command did not run" test ! -e marker
rm -f marker
timeout 20 env LD_PRELOAD="$WARD_PRELOAD" WARD_POLICY="$T/fifo.conf" "$CALL" create ok marker > out 2> err
is 126 "$?" "the library with WARD_POLICY a FIFO: exit 126, before main"
ok "... the program did not run" test ! -e marker
timeout 20 env LD_PRELOAD="$WARD_PRELOAD" WARD_POLICY=/dev/zero "$CALL" create ok marker > out 2> err
is 126 "$?" "the library with WARD_POLICY=/dev/zero: exit 126"
like "not a regular file" "$(cat err)" "... not a regular file"

# ---- ward explain: a path under a folder that does not exist ----
ok_program "explain /zzz/.env (no /zzz): hidden by agent-safe" 0 \
	"none$tab/ward-no-such-dir/.env${tab}preset agent-safe:$(grep -n '"/\*\*/\.env"' "$top_srcdir/conf/presets/agent-safe.conf" | cut -d: -f1)" \
	"$WARD" explain -P agent-safe /ward-no-such-dir/.env
policy p.conf <<'P'
default = "read";
rules = ( { path = "/ward-no-such-dir/a/**"; level = "none"; } );
P
ok_program "explain /missing/a/b: judged as itself, not as /" 0 "none$tab/ward-no-such-dir/a/b${tab}p.conf:3" \
	"$WARD" explain -p p.conf /ward-no-such-dir/a/b
ok_program "explain /missing: the missing folder" 0 "read$tab/ward-no-such-dir${tab}default" \
	"$WARD" explain -p p.conf /ward-no-such-dir

# ---- ward report on what is not an audit log ----
# bound_memory: 1 GB of address space for what follows in the subshell (not under
# AddressSanitizer, whose shadow memory alone is larger)
bound_memory() {
	[ -n "${WARD_PRELOAD_PREFIX:-}" ] || ulimit -v 1000000 2>/dev/null || :
}
mkdir adir
"$WARD" report adir > out 2> err
is 1 "$?" "report of a folder: exit 1"
like "cannot read adir: it is a folder" "$(cat err)" "... it says so"
is "" "$(cat out)" "... and prints no report"
# /dev/zero would be read for ever, one endless line: refused before, and memory
# bounded all the same (ulimit: a reader that kept the line would be stopped)
(bound_memory; exec timeout 20 "$WARD" report /dev/zero) > out 2> err
is 1 "$?" "report of /dev/zero: exit 1"
like "cannot read /dev/zero: not a file or a pipe" "$(cat err)" "... not a file or a pipe"
head -c 3000 /dev/urandom | tr -d '\n' > garbage
printf 'not json\n{"a":1}\n' >> garbage
"$WARD" report garbage > out 2> err
is 1 "$?" "report of garbage: exit 1"
like "garbage is not an audit log" "$(cat err)" "... not an audit log"
: > empty.jsonl
ok_program "report of an empty log: exit 0, 0 events" 0 "" sh -c "'$WARD' report empty.jsonl | grep -q '^Audit log empty.jsonl: 0 events\$' && echo -n"
# an endless line through a pipe: memory stays bounded, the line is unreadable
(bound_memory
 { head -c 50000000 /dev/zero | tr '\0' 'x'; printf '\n{"session":"s","event":"op"}\n'; } | "$WARD" report /dev/stdin) > out 2> err
is 0 "$?" "report of a 50 MB line then an event, through a pipe: exit 0"
like "^Audit log /dev/stdin: 1 events, 1 unreadable lines$" "$(head -n 1 out)" "... the long line is one unreadable line"

# ---- crafted lines: escapes that end early, control characters in names ----
s=0123456789abcdef
{
	printf '{"ts":"t","session":"%s","pid":1,"event":"op","real":"%s"}\n' $s "$(printf '%03000d' 0)"
	printf '{"ts":"t","session":"%s","pid":1,"event":"op","real":"/x\\u' $s
	printf '\n{"ts":"t","session":"%s","pid":1,"event":"op","real":"/y\\u00"}\n' $s
	printf '{"ts":"t","session":"%s","pid":1,"event":"op","op":"open","access":"read","decision":"deny","rule":"r\\u001b[31m","real":"/a\\nDenials: 99\\n  \\u001b[2J\\u009b\\u202e\\ud83d\\ude00"}\n' $s
	printf '{"ts":"t","session":"%s","pid":1,"event":"op","op":"open","access":"read","decision":"deny","rule":"r","real":"\\ud800"}\n' $s
} > crafted.jsonl
"$WARD" report crafted.jsonl > out 2> err
is 0 "$?" "report of crafted lines: exit 0"
like "^Audit log crafted.jsonl: 2 events, 3 unreadable lines$" "$(head -n 1 out)" \
	"... a cut \\u escape and a lone surrogate make unreadable lines"
is 1 "$(grep -c '^Denials' out)" "... a name cannot draw a row of its own (one 'Denials' line)"
ok "... no escape character reaches the terminal" sh -c "! grep -q \"\$(printf '\\033')\" out"
ok "... no C1 control (U+009B) reaches it" sh -c "! grep -q \"\$(printf '\\302\\233')\" out"
ok "... no bidirectional override (U+202E)" sh -c "! grep -q \"\$(printf '\\342\\200\\256')\" out"
like '^ +1 +read +/a\\nDenials: 99\\n  \\x1b\[2J\\u009b\\u202e.* +\(r\\x1b\[31m\)$' "$(grep '/a' out)" \
	"... the name and the rule are printed escaped, on their row"
like "\\x1b" "$(cat out)" "... ESC as \\x1b"

# ---- the JSON of ward report: valid, whole, without stray keys ----
if [ -n "$py" ]; then
	long=$(printf '%04090d' 0)
	printf '{"ts":"t","session":"%s","pid":1,"event":"op","op":"open","access":"read","decision":"deny","rule":"r","real":"/%s"}\n' $s "$long" > long.jsonl
	"$WARD" report --json long.jsonl > out.json 2> err
	is 0 "$?" "report --json of a 4 KB name: exit 0"
	ok_program "... valid JSON, the name whole, no stray key" 0 "ok" "$py" -c '
import json, sys
r = json.load(open("out.json"))
assert set(r) == {"log", "events", "unreadable_lines", "sessions", "denials", "absent", "writes", "execs", "purges"}, sorted(r)
assert set(r["denials"][0]) == {"real", "rule", "access", "decision", "count"}, r["denials"][0].keys()
assert r["denials"][0]["real"] == "/" + "0" * 4090
print("ok")'
	"$WARD" report --json crafted.jsonl > out.json 2> err
	ok_program "report --json of crafted lines: the names decoded as written" 0 "ok" "$py" -c '
import json
r = json.load(open("out.json"))
names = [d["real"] for d in r["denials"]]
assert "/a\nDenials: 99\n  \x1b[2J\x9b\u202e\U0001F600" in names, names
print("ok")'
	# a long log name: cut before, with a "cut" key in the middle of the object
	name=$(printf './%.0s' $(seq 1 2040))empty.jsonl
	"$WARD" report --json "$name" > out.json 2> err
	is 0 "$?" "report --json with a 4 KB LOG argument: exit 0"
	ok_program "... valid JSON with the name whole" 0 "ok" "$py" -c '
import json, sys
r = json.load(open("out.json"))
assert r["log"] == sys.argv[1] and "cut" not in r, sorted(r)
print("ok")' "$name"
else
	skip "no python3: the JSON of ward report is not checked"
fi

# ---- the policy event when a backstop path is cut (a 445-byte ROOT) ----
if [ -n "$py" ]; then
	deep=$T/$(printf 'd%.0s' $(seq 1 60))
	for i in 1 2 3 4 5 6; do deep=$deep/$(printf 'e%.0s' $(seq 1 60)); done
	mkdir -p "$deep/output"
	(cd "$deep" && "$WARD" run -l "$T/deep.jsonl" -- true) > out 2> err
	is 0 "$?" "ward run from a $(printf '%s' "$deep" | wc -c)-byte working directory: exit 0"
	ok_program "... every line of the log is valid JSON (the policy event too)" 0 "ok" "$py" -c '
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
assert lines[-1] == b""
for l in lines[:-1]:
    assert len(l) + 1 <= 4096, len(l)
    json.loads(l)
ev = [json.loads(l) for l in lines[:-1] if b"\"event\":\"policy\"" in l]
assert ev and isinstance(ev[0]["backstop"], (dict, type(None))), ev
print("ok")' "$T/deep.jsonl"
else
	skip "no python3: the policy event is not checked"
fi

# ---- ward learn: names with control characters and backslashes ----
mkdir -p lr
odd=$(printf 'n\033[2Jl\nx')
printf x > "lr/$odd"
printf x > 'lr/back\slash'
"$WARD" learn -o learnt.conf -r lr -- cat "lr/$odd" 'lr/back\slash' > out 2> err
is 0 "$?" "learn over names with ESC, a newline and a backslash: exit 0"
ok "... the policy holds no escape character" sh -c "! grep -q \"\$(printf '\\033')\" learnt.conf"
"$WARD" check learnt.conf > out 2> err
is 0 "$?" "... the learnt policy is valid"
ok_program "... it grants the name with ESC and a newline" 0 "read${tab}lr/$odd${tab}learnt.conf:$(grep -n -F 'path = "n\x1b' learnt.conf | cut -d: -f1)" \
	"$WARD" explain -p learnt.conf "lr/$odd"
like "^read$tab.*back.slash${tab}learnt\\.conf:" "$("$WARD" explain -p learnt.conf 'lr/back\slash')" \
	"... it grants the name with a backslash"
