#!/bin/sh
# 440-exec-allowlist: with an `exec` list, only files matching one of its patterns may
# be executed, through every exec and spawn function; the others fail with EACCES and
# the denial is logged (DESIGN §5 "exec and limits"). Tried through execve and
# posix_spawn from C (and call's execv), python's subprocess, os.execv and
# os.posix_spawn, bash and sh; by hand and under ward run. A control policy without
# the list runs everything.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

TRUE=; ID=
for f in /usr/bin/true /bin/true; do [ -x "$f" ] && { TRUE=$(readlink -f "$f"); break; }; done
for f in /usr/bin/id /bin/id; do [ -x "$f" ] && { ID=$(readlink -f "$f"); break; }; done
[ -n "$TRUE" ] && [ -n "$ID" ] || skip_all "no true or id in /usr/bin or /bin"
SH=$(readlink -f /bin/sh)
BASH=$(command -v bash 2>/dev/null) && BASH=$(readlink -f "$BASH")
ENV=$(command -v env) && ENV=$(readlink -f "$ENV") || skip_all "env is not installed"
PYREAL=
[ -n "$PY" ] && PYREAL=$("$PY" -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)

mkdir -p docs
allow="\"$BIN/*\", \"$TRUE\", \"$SH\", \"$ENV\"${BASH:+, \"$BASH\"}${PYREAL:+, \"$PYREAL\"}"
policy p.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; }
);
exec = ( $allow );
P
sed '/^exec = /d' p.conf > open.conf
ok "the policy with an exec list is valid" "$WARD" check p.conf
is "read" "$("$WARD" explain -p p.conf "$ID" | cut -f1)" "the program refused is readable (only the list refuses it)"

hand() { _p=$1; shift; LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=$_p WARD_LOG_FD=3 "$@" 3>>"$T/hand.jsonl"; }

# -- C: execve, posix_spawn, execv --------------------------------------------------------
is "ok 0" "$(hand p.conf "$PROBE" execve "$TRUE")" "execve of a listed program runs it"
is "EACCES 0" "$(hand p.conf "$PROBE" execve "$ID")" "execve of an unlisted program: EACCES"
is "ok 0" "$(hand open.conf "$PROBE" execve "$ID" | tail -n 1)" "control: without the list, execve runs it"
is "ok 0" "$(hand p.conf "$PROBE" spawn "$TRUE")" "posix_spawn of a listed program runs it"
is "EACCES 0" "$(hand p.conf "$PROBE" spawn "$ID")" "posix_spawn of an unlisted program: EACCES"
is "ok 0" "$(hand open.conf "$PROBE" spawn "$ID" | tail -n 1)" "control: without the list, posix_spawn runs it"
ok "execv (call exec) of an unlisted program: EACCES" hand p.conf "$CALL" exec EACCES "$ID"
ok "posix_spawn (call spawn) of an unlisted program: EACCES" hand p.conf "$CALL" spawn EACCES "$ID"
ok "the execve denial is logged: access exec, EACCES" \
	test -n "$(field hand.jsonl op real "$ID" access exec decision deny errno EACCES)"
is 4 "$(field hand.jsonl op real "$ID" access exec decision deny | wc -l)" "the four denials are logged"

# -- python --------------------------------------------------------------------------------
if [ -n "$PYREAL" ]; then
	out=$(hand p.conf "$PYREAL" -c '
import os, subprocess, sys
def tryit(name, f):
    try:
        r = f()
        print(name, "ran", r)
    except PermissionError:
        print(name, "EACCES")
tryit("subprocess-true", lambda: subprocess.run([sys.argv[1]]).returncode)
tryit("subprocess-id", lambda: subprocess.run([sys.argv[2]], stdout=subprocess.DEVNULL).returncode)
tryit("posix_spawn-id", lambda: os.waitpid(os.posix_spawn(sys.argv[2], [sys.argv[2]], dict(os.environ)), 0)[1])
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], [sys.argv[2]])
    except PermissionError:
        os._exit(13)
    os._exit(0)
print("execv-id", "exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
' "$TRUE" "$ID" 2>&1)
	is "subprocess-true ran 0
subprocess-id EACCES
posix_spawn-id EACCES
execv-id exit 13" "$out" "python: subprocess, os.posix_spawn and os.execv of an unlisted program: EACCES"
	out=$(hand open.conf "$PYREAL" -c '
import subprocess, sys
print(subprocess.run([sys.argv[1]], stdout=subprocess.DEVNULL).returncode)' "$ID" 2>&1)
	is 0 "$out" "control: without the list, python's subprocess runs it"
else
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# -- shells ----------------------------------------------------------------------------------
if [ -n "$BASH" ]; then
	out=$(hand p.conf "$BASH" -c '"$1"; echo "true $?"; "$2"; echo "id $?"; PATH=${2%/*}; id; echo "id-by-name $?"' \
		bash "$TRUE" "$ID" 2>&1)
	like "^true 0$" "$out" "bash runs a listed program"
	like "^id 126$" "$out" "bash: an unlisted program cannot be executed (126)"
	like "^id-by-name 126$" "$out" "bash: found along PATH, the same"
	like "Permission denied" "$out" "bash says: Permission denied"
	ok_not "bash: id printed nothing" eval 'printf "%s\n" "$out" | grep -q "uid="'
	out=$(hand open.conf "$BASH" -c '"$1" >/dev/null; echo "id $?"' bash "$ID" 2>&1)
	is "id 0" "$out" "control: without the list, bash runs it"
else
	for i in 1 2 3 4 5 6; do skip "bash is not installed"; done
fi
out=$(hand p.conf sh -c '"$1" >/dev/null 2>&1; echo "id $?"' sh "$ID" 2>&1)
is "id 126" "$out" "sh: an unlisted program cannot be executed (126)"
out=$(hand p.conf sh -c 'exec "$1"' sh "$ID" 2>&1)
like "Permission denied" "$out" "sh: exec of an unlisted program: Permission denied"

# -- a child cannot escape the list: env -i, a fresh environment ----------------------------
is "EACCES 0" "$(hand p.conf "$ENV" -i "$PROBE" execve "$ID" 2>&1)" "a child started by env -i still obeys the list"
out=$(hand p.conf "$PROBE" execve "$SH" -c 'env -i "$0" execve "$1"' "$PROBE" "$ID" 2>&1)
like "EACCES" "$out" "a child with an empty environment still obeys the list"

# -- under ward run --------------------------------------------------------------------------
out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- "$PROBE" spawn "$ID" 2>/dev/null)
is "EACCES 0" "$out" "ward run: posix_spawn of an unlisted program: EACCES"
out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- sh -c '"$1" >/dev/null 2>&1; echo $?' sh "$ID" 2>/dev/null)
is 126 "$out" "ward run: sh cannot run an unlisted program"
ok_program "ward run: the command itself must be listed (exit 126)" 126 \
	"$("$WARD" run -p p.conf -l "$T/run2.jsonl" -- "$ID" 2>&1; true)" \
	"$WARD" run -p p.conf -l "$T/run2.jsonl" -- "$ID"
is 2 "$(field run.jsonl op real "$ID" access exec decision deny | wc -l)" "ward run: the denials are logged"
