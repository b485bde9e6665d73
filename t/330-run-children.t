#!/bin/sh
# 330-run-children: every way of starting a child keeps it confined and logging to
# the same session (DESIGN §3 "Children inherit ward ... even when the program hands
# it a fresh or emptied environment", §7 "session ... the same for the whole process
# tree"; SURFACE pitfalls 3 and 11). Each parent opens a hidden file (ENOENT), starts
# a child that tries to read another hidden file (must get ENOENT), then opens its
# hidden file again (the parent must still be confined after the child). The log
# must hold all three denials, from two different pids, and one session only.
# Each way is tried by hand (3>>LOG) and under ward run.
. "$top_srcdir/t/run/lib.sh"

cmodes="fork execve execve_env execv execvp execvpe_env execl execlp execle_env
fexecve execveat posix_spawn posix_spawnp posix_spawn_env system popen vfork"
smodes="py_subprocess py_passfds py_system node_spawn node_execfilesync bash_pipe
bash_subst sh_env_i"
n=0
for m in $cmodes $smodes; do n=$((n + 1)); done
plan $((n * 4 + 1))

mkdir -p docs secrets logs
std_policy p.conf
SPAWN=$BIN/run_spawn
NODE=${NODE:-node}
have_node=
command -v "$NODE" >/dev/null 2>&1 && have_node=1
have_bash=
command -v bash >/dev/null 2>&1 && have_bash=1

# prog MODE RUNNER: runs the parent's program for MODE through RUNNER (by_hand or
# under_run)
prog() {
	_m=$1
	_runner=$2
	_p=secrets/parent-$_m
	_c=secrets/child-$_m
	case $_m in
	py_subprocess | py_passfds)
		_extra=
		[ "$_m" = py_passfds ] && _extra=", pass_fds=(w,)" # makes it list /proc/self/fd
		set -- "$PY" -c "
import os, subprocess, sys
def parent():
    try:
        open('$_p').read()
        print('the parent read $_p')
        return 1
    except FileNotFoundError:
        return 0
bad = parent()
r, w = os.pipe()
rc = subprocess.run(['$CALL', 'read', 'ENOENT', '$_c'], env={}, close_fds=True$_extra).returncode
sys.exit(parent() or bad or rc)"
		;;
	py_system)
		set -- "$PY" -c "
import os, sys
def parent():
    try:
        open('$_p').read()
        return 1
    except FileNotFoundError:
        return 0
bad = parent()
rc = os.waitstatus_to_exitcode(os.system(\"'$CALL' read ENOENT '$_c'\"))
sys.exit(parent() or bad or rc)"
		;;
	node_spawn)
		set -- "$NODE" -e "
const cp = require('child_process'), fs = require('fs');
function parent() {
  try { fs.readFileSync('$_p'); return 1; } catch (e) { return e.code === 'ENOENT' ? 0 : 1; }
}
let bad = parent();
const c = cp.spawn('$CALL', ['read', 'ENOENT', '$_c'], { env: {}, stdio: 'inherit' });
c.on('exit', (code) => process.exit(parent() || bad || code));"
		;;
	node_execfilesync)
		set -- "$NODE" -e "
const cp = require('child_process'), fs = require('fs');
function parent() {
  try { fs.readFileSync('$_p'); return 1; } catch (e) { return e.code === 'ENOENT' ? 0 : 1; }
}
let bad = parent();
process.stdout.write(cp.execFileSync('$CALL', ['read', 'ENOENT', '$_c']));
process.exit(parent() || bad);"
		;;
	bash_pipe)
		set -- bash -c "
{ true < '$_p'; } 2>/dev/null && exit 1
cat '$_c' | cat
s=\${PIPESTATUS[0]}
{ true < '$_p'; } 2>/dev/null && exit 1
[ \$s = 1 ]"
		;;
	bash_subst)
		set -- bash -c "
{ true < '$_p'; } 2>/dev/null && exit 1
x=\$(cat '$_c' 2>&1)
s=\$?
echo \"\$x\"
{ true < '$_p'; } 2>/dev/null && exit 1
[ \$s = 1 ] && case \$x in *'No such file'*) ;; *) exit 1 ;; esac"
		;;
	sh_env_i)
		set -- sh -c "
{ true < '$_p'; } 2>/dev/null && exit 1
env -i '$CALL' read ENOENT '$_c'
s=\$?
{ true < '$_p'; } 2>/dev/null && exit 1
exit \$s"
		;;
	*)
		set -- "$SPAWN" "$_m" "$_p" "$CALL" read ENOENT "$_c"
		;;
	esac
	"$_runner" "$@"
}

by_hand() {
	LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$@" 3>>"logs/hand-$m.jsonl"
}

under_run() {
	"$WARD" run -p p.conf -l "$T/logs/run-$m.jsonl" -- "$@"
}

# ran MODE OUTPUT STATUS: the child was refused, and no secret was printed
ran() {
	[ "$3" = 0 ] || { echo "status $3"; printf '%s\n' "$2"; return 1; }
	case $2 in
	*SECRET*) echo "a secret was printed: $2"; return 1 ;;
	esac
}

# tree LOG MODE: the parent's two denials and the child's are logged (ENOENT), from
# two pids, and every line of the log has the session of its first line
tree() {
	awk -v p="\"path\":\"secrets/parent-$2\"" -v c="\"path\":\"secrets/child-$2\"" '
	function field(k, _r) {
		if (!match($0, "\"" k "\":\"?[0-9a-f]*")) return ""
		_r = substr($0, RSTART, RLENGTH); sub(/.*:"?/, "", _r); return _r
	}
	NR == 1 { s = field("session") }
	field("session") != s { other++; print "another session: " $0 }
	/"decision":"deny"/ && /"errno":"ENOENT"/ {
		if (index($0, p)) { np++; pp = field("pid") }
		if (index($0, c)) { nc++; cp = field("pid") }
	}
	END {
		if (s == "") { print "no session on the first line"; exit 1 }
		if (np != 2) { print np + 0 " denials of the parent, not 2"; exit 1 }
		if (nc < 1) { print "no denial of the child"; exit 1 }
		if (pp == cp) { print "parent and child have the same pid " pp; exit 1 }
		exit other > 0
	}' "$1"
}

for m in $cmodes $smodes; do
	case $m in
	node_*) [ -n "$have_node" ] || { skip "node is not installed"; skip "node"; skip "node"; skip "node"; continue; } ;;
	bash_*) [ -n "$have_bash" ] || { skip "bash is not installed"; skip "bash"; skip "bash"; skip "bash"; continue; } ;;
	esac
	echo "SECRET-parent-$m" > "secrets/parent-$m"
	echo "SECRET-child-$m" > "secrets/child-$m"

	out=$(prog "$m" by_hand 2>&1)
	ok "by hand, $m: the child is refused the hidden file (ENOENT), so is the parent after it" \
		ran "$m" "$out" $?
	ok "by hand, $m: parent and child denials logged, one session" tree "logs/hand-$m.jsonl" "$m"

	out=$(prog "$m" under_run 2>&1)
	st=$?
	# ward run's own summary line is not the program's output
	out=$(printf '%s\n' "$out" | grep -v '^ward: [0-9]* operations denied; see ')
	ok "ward run, $m: the child is refused the hidden file (ENOENT), so is the parent after it" \
		ran "$m" "$out" $st
	ok "ward run, $m: parent and child denials logged, one session" tree "logs/run-$m.jsonl" "$m"
done

cat logs/*.jsonl > all.jsonl
ok "every line of every log is JSON with the fields of §7" $CHECK validate all.jsonl
