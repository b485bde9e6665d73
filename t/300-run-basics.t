#!/bin/sh
# 300-run-basics: what `ward run` does around the command (DESIGN §3, §4): its exit
# status, the summary of denials and -v, the log out of the program's reach, the
# private TMPDIR, and failing closed on a bad policy.
. "$top_srcdir/t/run/lib.sh"
plan 41

mkdir -p docs secrets
echo SECRET > secrets/k
std_policy p.conf
run() {
	"$WARD" run -p p.conf -l "$T/log.jsonl" "$@"
}

# -- exit status ---------------------------------------------------------------------
ok_program "exit status 0" 0 "" run -- true
ok_program "exit status 7 (and, with no denial logged, the note that the kernel may have refused something)" 7 \
	"ward: sh exited with status 7 and no denial was logged; the kernel backstop may have refused operations the log cannot show" \
	run -- sh -c 'exit 7'
ok_program "killed by SIGTERM: 143" 143 "" run -- sh -c 'kill -TERM $$'
ok_program "killed by SIGKILL: 137" 137 "" run -- sh -c 'kill -KILL $$'
ok_program "the status of a denied run is still the command's" 3 "ward: 1 operation denied; see $T/log.jsonl" \
	run -- sh -c 'exec 2>/dev/null; cat secrets/k; exit 3'
# SIGTERM to ward run goes to the command, and ward run exits as it did
started=$(date +%s)
run -- sleep 20 >/dev/null 2>&1 &
wp=$!
sleep 0.5
kill -TERM $wp
wait $wp
is 143 $? "SIGTERM to ward run ends the command, and ward run exits 143"
like '^[0-9]$' "$(($(date +%s) - started))" "and at once (not after the command's 20 s)"

# -- the summary of denials -----------------------------------------------------------
err=$("$WARD" run -p p.conf -l "$T/deny.jsonl" -- sh -c '
exec 2>/dev/null
cat secrets/k; cat secrets/k      # 2 reads, ENOENT
echo x > top-level                # create at read level, EACCES
echo x > docs/allowed             # allowed: logged, not counted
exit 0' 2>&1 >/dev/null)
is "ward: 3 operations denied; see $T/deny.jsonl" "$err" "3 denials: one line at the end on stderr"
is 3 "$(grep -c '"decision":"deny"' deny.jsonl)" "and the log holds the 3 denials"
ok "nothing was created at read level" test ! -e top-level
err=$("$WARD" run -p p.conf -l "$T/none.jsonl" -- sh -c 'cat docs/allowed; echo y > docs/b' 2>&1 >/dev/null)
is "" "$err" "no denial: nothing on stderr"
# a denial in a grandchild counts too
err=$("$WARD" run -p p.conf -l "$T/gc.jsonl" -- sh -c 'sh -c "cat secrets/k 2>/dev/null; cat secrets/k 2>/dev/null"' 2>&1 >/dev/null)
is "ward: 2 operations denied; see $T/gc.jsonl" "$err" "denials of a grandchild are counted"

# -- -v -----------------------------------------------------------------------------------
err=$("$WARD" run -v -p p.conf -l "$T/v.jsonl" -- sh -c '
echo before >&2
cat secrets/k 2>/dev/null
sleep 0.3
echo x 2>/dev/null > top-level
sleep 0.3
echo after >&2' 2>&1 >/dev/null)
is "before
ward: denied read $T/secrets/k (p.conf:7)
ward: denied create $T/top-level (p.conf:4)
after
ward: 2 operations denied; see $T/v.jsonl" "$err" \
	"-v prints each denial as it happens (ward: denied ACCESS PATH (RULE)), then the summary"
ok_program "-v with no denial prints nothing" 0 "" \
	"$WARD" run -v -p p.conf -l "$T/v2.jsonl" -- sh -c 'cat docs/allowed >/dev/null'

# -- the program holds no descriptor of the log, and cannot see it --------------------
cp "$top_srcdir/t/run/fdscan.py" fdscan.py
for where in . "$LOGS"; do
	touch "$where/scan.jsonl"
	log=$(cd "$where" && pwd -P)/scan.jsonl
	ok "log in $where: the program holds no descriptor of the log, and cannot see it" \
		"$WARD" run -p p.conf -l "$log" -- "$PY" fdscan.py \
		"$(stat -c %d "$log")" "$(stat -c %i "$log")" "$log"
	ok "log in $where: the log got the program's lines" grep -q '"event":"op"' "$log"
done
# a log inside a write area could be rewritten by a program the library does not see
touch docs/scan.jsonl
ok_program "log in docs (a write area): refused, exit 2" 2 \
	"ward: the log $T/docs/scan.jsonl lies in a write area of the policy (p.conf:6): the program could rewrite it; give a log outside the write areas with -l" \
	"$WARD" run -p p.conf -l "$T/docs/scan.jsonl" -- true
ok_program "development preset (write under root): a log in root is refused too" 2 \
	"ward: the log $T/dev.jsonl lies in a write area of the policy (preset development:5): the program could rewrite it; give a log outside the write areas with -l" \
	"$WARD" run -P development -r "$T" -l "$T/dev.jsonl" -- true
ok "development preset: a log outside root is invisible" \
	"$WARD" run -P development -r "$T" -l "$LOGS/dev.jsonl" -- "$PY" fdscan.py \
	0 0 "$LOGS/dev.jsonl"
# full-access writes everywhere, but hides the state folder: its default log is taken
ok "full-access: the default log in the hidden state folder is accepted and invisible" \
	env XDG_STATE_HOME="$T/state" "$WARD" run -P full-access -r "$T" -- "$PY" fdscan.py \
	0 0 "$T/state/ward/audit.jsonl"
ok "full-access: the default log got the session" grep -q '"event":"end"' "$T/state/ward/audit.jsonl"
ok_program "full-access: a log elsewhere is refused (default = write)" 2 \
	"ward: the log $T/fa.jsonl lies in a write area of the policy (default = \"write\"): the program could rewrite it; give a log outside the write areas with -l" \
	"$WARD" run -P full-access -r "$T" -l "$T/fa.jsonl" -- true
ok "by hand (3>>LOG): the log file is invisible to the program" \
	sh -c 'LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$1" stat ENOENT "$2" 3>>"$2"' \
	sh "$CALL" "$T/docs/hand.jsonl"
ok "by hand: the log file cannot be opened for appending" \
	sh -c 'LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$1" append ENOENT "$2" x 3>>"$2"' \
	sh "$CALL" "$T/docs/hand.jsonl"

# -- the private TMPDIR -----------------------------------------------------------------
out=$(TMPDIR=/tmp/outer-tmpdir-of-the-test run -- sh -c '
printf "%s\n" "$TMPDIR"
stat -c "%a %u" "$TMPDIR"
echo hi > "$TMPDIR/f" && cat "$TMPDIR/f"
mkdir "$TMPDIR/d" && echo dir-ok
f=$(mktemp) && case $f in "$TMPDIR"/*) echo mktemp-ok ;; esac
sh -c "echo child > \"\$TMPDIR/d/c\" && cat \"\$TMPDIR/d/c\""' 2>&1)
tmp=$(printf '%s\n' "$out" | sed -n 1p)
like '^/' "$tmp" "TMPDIR is set to an absolute path"
ok "not the TMPDIR ward run was given, nor the test's folder" \
	eval 'case $tmp in /tmp/outer-tmpdir-of-the-test | "$T" | "$T"/*) false ;; *) [ -n "$tmp" ] ;; esac'
is "700 $(id -u)" "$(printf '%s\n' "$out" | sed -n 2p)" "mode 0700, owned by the user"
is "hi
dir-ok
mktemp-ok
child" "$(printf '%s\n' "$out" | sed -n '3,$p')" \
	"the program and its children can write there (files, folders, mktemp)"
ok "it is gone after the run" test ! -e "$tmp"
tmp2=$(run -- sh -c 'echo "$TMPDIR"')
ok "each run gets a fresh one" eval '[ -n "$tmp2" ] && [ "$tmp2" != "$tmp" ] && [ ! -e "$tmp2" ]'
tmp3=$(run -- sh -c 'echo "$TMPDIR"; kill -KILL $$' 2>/dev/null)
ok "gone also when the command was killed" eval '[ -n "$tmp3" ] && [ ! -e "$tmp3" ]'

# -- failing closed -----------------------------------------------------------------------
policy bad.conf <<'P'
root = ".";
rules = (
  { path = "/**"; level = "reed"; }
);
P
# ward: FILE:LINE: message, exit 126, and the command never ran
closed() {
	_want=$1
	shift
	_err=$("$WARD" run "$@" -l "$T/closed.jsonl" -- sh -c 'touch "$1"' sh "$T/ran" 2>&1)
	_st=$?
	[ "$_st" = 126 ] || { echo "status $_st: $_err"; return 1; }
	printf '%s\n' "$_err" | grep -Eq "$_want" || { echo "stderr: $_err"; return 1; }
	[ ! -e "$T/ran" ] || { echo "the command ran"; return 1; }
}
ok "invalid level: ward: FILE:LINE: ..., exit 126, not run" closed '^ward: bad\.conf:4: ' -p bad.conf
policy bad2.conf <<'P'
bogus = 1;
rules = ( );
P
ok "unknown key: ward: FILE:LINE: ..., exit 126, not run" closed '^ward: bad2\.conf:2: ' -p bad2.conf
printf 'version = 1;\nrules = ( { path = "/**"; level = "read"; }\n' > bad3.conf
ok "syntax error: ward: FILE:LINE: ..., exit 126, not run" closed '^ward: bad3\.conf:[0-9]+: ' -p bad3.conf
policy bad4.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "/tmp/exports"; level = "write"; }
);
P
ok "a /tmp rule without justification: ward: FILE:LINE: ..., exit 126, not run" \
	closed '^ward: bad4\.conf:4: ' -p bad4.conf
ok "a missing policy: ward: ..., exit 126, not run" closed '^ward: .*missing\.conf' -p missing.conf
ok "an unknown preset: exit 126, not run" closed '^ward: ' -P no-such-preset
ok "nothing was logged for a run that did not start" eval '! grep -q "\"event\":\"op\"" closed.jsonl 2>/dev/null'
ok_program "ward run without a command is a usage error (2)" 2 \
	"usage: ward run [-p POLICY | -P PRESET] [-r ROOT] [-l LOG] [-v] [--audit] [--no-landlock] -- COMMAND [ARG]..." \
	"$WARD" run -p p.conf -l "$T/log.jsonl"
