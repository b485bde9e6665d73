#!/bin/sh
# 603-backstop-session: the session and its ward run (DESIGN §5 "The kernel
# backstop", §7): the program cannot signal ward run or a process outside the session
# (Landlock's signal scope: `os.kill(os.getppid(), 9)` is EPERM, and the session ends
# with its summary), nor reach an abstract Unix socket outside it unless the policy
# says abstract_sockets = true; if ward run dies anyway (here without the backstop),
# the command dies with it and the next ward run, and ward report, say that the log of
# that session is incomplete; ward run refuses a log inside a write area (exit 2); and
# when the command fails with no denial in the log, the summary says that the kernel
# may have refused what the log cannot show, naming a static program.
. "$top_srcdir/t/lib.sh"
plan_lazy
need_cmd "$PYTHON3"

abi=$("$PYTHON3" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
case $abi in
[1-9]*) ;;
*) skip_all "this kernel has no Landlock" ;;
esac

HOME=$T/home
export HOME
unset XDG_STATE_HOME
mkdir -p "$HOME" output
echo 'API_KEY=SECRET-ENV' > .env
cp "$top_builddir/t/bin/rawsys" "$T/rawsys"
RAW=$T/rawsys
STATIC=
if ${CC:-cc} -static -O2 -o "$T/rawsys-static" "$top_srcdir/t/bin/rawsys.c" 2>/dev/null; then
	STATIC=$T/rawsys-static
fi
LOG=$T/log.jsonl
wrun() {
	"$WARD" run -l "$LOG" "$@"
}
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; _t_cleanup' EXIT

# -- signals ----------------------------------------------------------------------------
if [ "$abi" -ge 6 ]; then
	: > "$LOG"
	out=$(wrun -- "$PYTHON3" -S -c '
import errno, os
try:
    os.kill(os.getppid(), 9)
    print("killed ward run")
except OSError as e:
    print(errno.errorcode[e.errno])
try:
    open(".env").read()
except OSError as e:
    print(errno.errorcode[e.errno])' 2>&1)
	st=$?
	is 0 "$st" "os.kill(os.getppid(), 9) under ward run: the session goes on (exit 0)"
	like "^EPERM" "$out" "... the kill fails with EPERM"
	like "ward: [0-9]+ operations? denied; see $LOG" "$out" "... and the session ends with its summary"
	like '"event":"end","status":0,"denied":[1-9]' "$(tail -n 1 "$LOG")" "... and its end event"
	for p in $RAW $STATIC; do
		is "EPERM" "$(wrun -- "$p" parent - 2>/dev/null)" "${p##*/}: a raw kill of ward run: EPERM"
	done
	sleep 60 &
	victim=$!
	pids="$pids $victim"
	for p in $RAW $STATIC; do
		is "EPERM" "$(wrun -- "$p" kill "$victim" 2>/dev/null)" "${p##*/}: a raw kill of a process outside the session: EPERM"
	done
	ok "... which still runs" kill -0 "$victim"
	is "ok" "$(wrun -- sh -c "sleep 30 & exec $RAW kill \$!" 2>/dev/null)" "a process of the session may signal another one"
	is "ok" "$(wrun --no-landlock -- "$RAW" kill "$victim" 2>/dev/null)" "control: without the backstop the raw kill goes through"
	# -- abstract Unix sockets -------------------------------------------------------------
	name="ward-test-$$-$(date +%s)"
	"$PYTHON3" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1])
s.listen(8)
print("listening", flush=True)
time.sleep(60)' "$name" > listener.out &
	pids="$pids $!"
	i=0
	while ! grep -q listening listener.out 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	cat > conn.py <<'P'
import errno, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect("\0" + sys.argv[1])
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
P
	is "ok" "$("$PYTHON3" conn.py "$name" 2>&1)" "control: the abstract socket outside the session can be reached"
	is "EPERM" "$(wrun -- "$PYTHON3" "$T/conn.py" "$name" 2>/dev/null)" "under ward run: an abstract socket outside the session: EPERM"
	policy abs.conf <<'P'
extends = "agent-safe";
abstract_sockets = true;
rules = ( );
P
	is "ok" "$(wrun -p "$T/abs.conf" -- "$PYTHON3" "$T/conn.py" "$name" 2>/dev/null)" "abstract_sockets = true: reached"
	like '"scopes":\["signal"\]' "$(grep '"event":"policy"' "$LOG" | tail -n 1)" "... the policy event says only signals are scoped"
	out=$(wrun -- "$PYTHON3" -c '
import socket
a = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
a.bind("\0ward-inside-%d" % id(a)); a.listen(1)
b = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
b.connect(a.getsockname()); print("ok")' 2>/dev/null)
	is "ok" "$out" "an abstract socket made inside the session can be reached"
	like '"scopes":\["signal","abstract_unix_socket"\]' "$(grep '"event":"policy"' "$LOG" | tail -n 1)" \
		"the presets scope signals and abstract sockets"
	ok "ward check accepts abstract_sockets" "$WARD" check abs.conf
	policy abs-bad.conf <<'P'
abstract_sockets = "yes";
rules = ( );
P
	like "abs-bad\.conf:2: .*abstract_sockets" "$("$WARD" check abs-bad.conf 2>&1)" "abstract_sockets must be a boolean (FILE:LINE)"
else
	skip "Landlock ABI $abi has no scopes"
fi

# -- /proc/self under strict: the command's own, not ward run's ---------------------------------
like "^ok Name:" "$(wrun -P strict -r "$T" -- "$RAW" read /proc/self/status 2>/dev/null)" \
	"strict: a raw read of /proc/self/status works (the command's own)"

# -- ward run dies: the session ends, and its log says it is incomplete ----------------------
L2=$T/lost.jsonl
: > "$L2"
"$WARD" run --no-landlock -l "$L2" -- "$PYTHON3" -c '
import os, time
open("output/pid", "w").write(str(os.getpid()))
os.kill(os.getppid(), 9)
time.sleep(60)
print("still running")' > lost.out 2>&1
st=$?
is 137 "$st" "without the backstop the program can kill ward run (exit 137)"
child=$(cat output/pid)
i=0
gone() { ! [ -e "/proc/$child" ] || grep -q '^State:.*Z' "/proc/$child/status" 2>/dev/null; }
while ! gone && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ok "the command died with its ward run (no 60 s sleep left running)" gone
out=$("$WARD" report "$L2" 2>&1)
like "INCOMPLETE: its ward run ended before the session" "$out" "ward report: the session's log is incomplete"
like "The log of 1 session is incomplete" "$out" "... and says what that means"
like '"complete":false' "$("$WARD" report --json "$L2" 2>&1)" "ward report --json: complete is false"
out=$(wrun -- true 2>&1)
like "ward: warning: the ward run of session [0-9a-f]{16} \(pid [0-9]+\) ended before its session: the log $L2 is incomplete" \
	"$out" "the next ward run says so"
like '"event":"supervisor-lost"' "$(tail -n 1 "$L2")" "... and marks that log"
is "" "$(wrun -- true 2>&1)" "... once"
like "INCOMPLETE" "$("$WARD" report "$L2" 2>&1)" "ward report still says it"
out=$("$WARD" report "$LOG" 2>&1)
ok_not "a session that ended is not incomplete" sh -c 'printf "%s\n" "$1" | grep -q INCOMPLETE' sh "$out"
like '"complete":true' "$("$WARD" report --json "$LOG" 2>&1)" "ward report --json: complete is true for a session that ended"

# -- a log inside a write area ----------------------------------------------------------------
rm -f output/log.jsonl marker
out=$("$WARD" run -l output/log.jsonl -- touch "$T/marker" 2>&1)
is 2 $? "ward run -l output/log.jsonl (agent-safe writes output/): exit 2"
like "^ward: the log $T/output/log\.jsonl lies in a write area of the policy \(preset agent-safe:[0-9]+\): the program could rewrite it" \
	"$out" "... with a message that says why"
ok "... the program did not run" test ! -e marker
ok "... and no log was made" test ! -e output/log.jsonl
policy dw.conf <<'P'
default = "write";
rules = ( );
P
"$WARD" run -p dw.conf -l "$T/dw.jsonl" -- true > dw.out 2>&1
is 2 $? "default = \"write\": any log file is in a write area (exit 2)"
like 'default = "write"' "$(cat dw.out)" "... the message names the default"
ok "a log outside the write areas is fine" "$WARD" run -l "$T/fine.jsonl" -- true
ok "a log that is not a file (/dev/null) is fine" "$WARD" run -p dw.conf -l /dev/null -- true
ok "... and /dev/null stays usable by the program (it is not hidden as the log)" \
	"$WARD" run -l /dev/null -- sh -c 'echo x > /dev/null && cat /dev/null' 

# -- what the kernel refused, said in the summary -----------------------------------------------
if [ -n "$STATIC" ]; then
	out=$(wrun -- "$STATIC" read "$T/.env" 2>&1)
	is 1 $? "a static program refused by the kernel: its exit status"
	like "ward: $STATIC exited with status 1 and no denial was logged; the kernel backstop may have refused operations the log cannot show" \
		"$out" "... the summary says the kernel may have refused what the log cannot show"
	like "\($STATIC is statically linked: the library does not see its system calls\)" "$out" "... and names the static program"
	out=$(wrun -- sh -c "$STATIC read $T/.env" 2>&1)
	like "\($STATIC is statically linked" "$out" "... also when the shell ran it"
else
	skip "no static C library"
fi
out=$(wrun -- "$RAW" read "$T/.env" 2>&1)
like "ward: $RAW exited with status 1 and no denial was logged; the kernel backstop may have refused" \
	"$out" "a dynamic program making raw system calls: the same note"
ok_not "... without claiming it is static" sh -c 'printf "%s\n" "$1" | grep -q "statically linked"' sh "$out"
out=$(wrun -- sh -c 'cat .env; exit 3' 2>&1)
ok_not "a failure the library logged: no such note" sh -c 'printf "%s\n" "$1" | grep -q "kernel backstop may have"' sh "$out"
out=$(wrun --no-landlock -- "$RAW" read /nonexistent 2>&1)
ok_not "without the backstop: no such note" sh -c 'printf "%s\n" "$1" | grep -q "kernel backstop may have"' sh "$out"
