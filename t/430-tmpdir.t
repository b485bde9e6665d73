#!/bin/sh
# 430-tmpdir: the private TMPDIR of ward run (DESIGN §3, §5): fresh for each run,
# 0700 and owned by the user, writable by the program and its children (shell, C,
# python's tempfile), private (another session cannot see it, and the rest of /tmp
# stays closed), granted in the policy event, and removed at the end: after a normal
# exit, a failing exit, and when the command was killed with SIGKILL from outside.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

mkdir -p docs
echo OTHER > /tmp/ward-tmpdir-other.$$
trap 'rm -f /tmp/ward-tmpdir-other.$$; _t_cleanup' EXIT
policy p.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; }
);
P
run() { "$WARD" run -p p.conf -l "$T/log.jsonl" "$@"; }

out=$(TMPDIR=/nonexistent-outer run -- sh -c '
printf "%s\n" "$TMPDIR"
stat -c "%a %u %F" "$TMPDIR"
ls -A "$TMPDIR" | wc -l
echo hi > "$TMPDIR/f" && cat "$TMPDIR/f"
mkdir -p "$TMPDIR/a/b" && echo deep > "$TMPDIR/a/b/c" && echo mkdir-ok
f=$(mktemp) && case $f in "$TMPDIR"/*) echo mktemp-ok ;; esac
"$1" create ok "$TMPDIR/from-c" >/dev/null && echo c-ok
"$1" read ENOENT /tmp/ward-tmpdir-other.'$$' >/dev/null && echo rest-of-tmp-closed
' sh "$CALL" 2>&1 | grep -v '^ward: [0-9]* operations\{0,1\} denied; see ')
tmp=$(printf '%s\n' "$out" | sed -n 1p)
like '^/.+' "$tmp" "TMPDIR is an absolute path"
ok "not the TMPDIR ward run was given" eval '[ "$tmp" != /nonexistent-outer ]'
is "700 $(id -u) directory" "$(printf '%s\n' "$out" | sed -n 2p)" "a folder of mode 0700, owned by the user"
is 0 "$(printf '%s\n' "$out" | sed -n 3p)" "empty at the start"
is "hi
mkdir-ok
mktemp-ok
c-ok
rest-of-tmp-closed" "$(printf '%s\n' "$out" | sed -n '4,$p')" \
	"writable (files, folders, mktemp, a C program); the rest of /tmp stays closed"
ok "removed after the run, with everything in it" test ! -e "$tmp"
like '"path":"'"$tmp"'","level":"write",.*"rule":"ward run TMPDIR"' \
	"$(grep -m1 '"event":"policy"' log.jsonl)" "the policy event grants it (rule: ward run TMPDIR)"

if [ -n "$PY" ]; then
	out=$(run -- "$PY" -c '
import os, tempfile, subprocess
t = os.environ["TMPDIR"]
print(tempfile.gettempdir() == t)
with tempfile.NamedTemporaryFile(delete=False) as f:
    f.write(b"x")
print(f.name.startswith(t + "/"))
print(subprocess.run(["sh", "-c", "echo c > \"$TMPDIR/child\" && cat \"$TMPDIR/child\""], capture_output=True, text=True).stdout.strip())
print(t)' 2>&1)
	is "True
True
c" "$(printf '%s\n' "$out" | sed -n '1,3p')" "python: tempfile uses it, a subprocess writes there"
	t2=$(printf '%s\n' "$out" | sed -n 4p)
	ok "... and it is removed afterwards" eval '[ -n "$t2" ] && [ ! -e "$t2" ] && [ "$t2" != "$tmp" ]'
else
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# -- private: a concurrent session cannot see it -----------------------------------------
rm -f a.path a.go
run -- sh -c 'echo secret > "$TMPDIR/mine"; echo "$TMPDIR" > docs/a.path; i=0
while [ ! -e docs/a.go ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done' > /dev/null 2>&1 &
apid=$!
i=0
while [ ! -s docs/a.path ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
atmp=$(cat docs/a.path 2>/dev/null)
like '^/' "$atmp" "a first session runs with its TMPDIR"
ok "another session cannot read a file in it (ENOENT)" \
	"$WARD" run -p p.conf -l "$T/b.jsonl" -- "$CALL" read ENOENT "$atmp/mine"
ok "... nor create one there (ENOENT)" \
	"$WARD" run -p p.conf -l "$T/b.jsonl" -- "$CALL" create ENOENT "$atmp/intruder"
ok "... and has its own" eval '[ "$("$WARD" run -p p.conf -l "$T/b.jsonl" -- sh -c "echo \$TMPDIR")" != "$atmp" ]'
ok "the file of the first session is intact" eval '[ "$(cat "$atmp/mine")" = secret ] && [ ! -e "$atmp/intruder" ]'
touch docs/a.go
wait $apid
ok "the first session's TMPDIR is removed at its end" test ! -e "$atmp"

# -- removal after a failing exit and after SIGKILL ----------------------------------------
t3=$(run -- sh -c 'echo x > "$TMPDIR/f"; echo "$TMPDIR"; exit 9' 2>/dev/null)
ok "removed after a failing exit" eval '[ -n "$t3" ] && [ ! -e "$t3" ]'

rm -f docs/pid docs/tmp
run -- sh -c 'mkdir -p "$TMPDIR/d/e"; echo x > "$TMPDIR/d/e/f"; echo "$TMPDIR" > docs/tmp; echo $$ > docs/pid; exec sleep 30' \
	> /dev/null 2>&1 &
wpid=$!
i=0
while { [ ! -s docs/pid ] || [ ! -s docs/tmp ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
ktmp=$(cat docs/tmp 2>/dev/null)
ok "the command's TMPDIR exists while it runs" test -f "$ktmp/d/e/f"
kill -KILL "$(cat docs/pid)"
wait $wpid
is 137 $? "the command killed with SIGKILL: ward run exits 137"
ok "its TMPDIR is removed, with everything in it" eval '[ -n "$ktmp" ] && [ ! -e "$ktmp" ]'

# killed with a child still writing into it: the child holds no folder open, it is
# removed all the same once ward run ends
rm -f docs/pid docs/tmp
run -- sh -c 'echo "$TMPDIR" > docs/tmp; (cd "$TMPDIR" && exec sleep 1) & echo $$ > docs/pid; wait' \
	> /dev/null 2>&1 &
wpid=$!
i=0
while { [ ! -s docs/pid ] || [ ! -s docs/tmp ]; } && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
ktmp=$(cat docs/tmp 2>/dev/null)
kill -KILL "$(cat docs/pid)"
wait $wpid
is 137 $? "the shell killed with SIGKILL while a child works in TMPDIR: exit 137"
ok "its TMPDIR is gone" eval '[ -n "$ktmp" ] && [ ! -e "$ktmp" ]'
