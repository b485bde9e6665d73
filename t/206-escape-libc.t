#!/bin/sh
# 206-escape-libc: routes into libc that reach files without going through the names
# ward wraps (issue 14): libc's own handle through ctypes, its other names
# (__open, _IO_fopen, __connect...), dlsym and dlvsym on any handle, GLIBC_PRIVATE
# functions, what libc opens inside itself (wordexp, NSS, setmntent, ftok, catopen,
# the login records, POSIX shared memory and semaphores, getdirentries), sendmmsg,
# chattr through a read-only descriptor, the loader's variables, the paths libc takes
# from the environment; and the library's own descriptors, which the program can
# neither write, read, close, reopen nor see (issue 16). From Python, in a child
# started with an empty environment, and under ward run.
. "$top_srcdir/t/lib.sh"
plan_lazy
[ -n "$PYTHON3" ] || skip_all "python3 is not installed"
PROBE_PY=$top_srcdir/t/escape/libc_routes.py

mkdir -p n r w
echo SECRET > n/secret
echo R > r/file
echo ENV > r/.env
: > r/wtmp
"$PYTHON3" -c 'import socket; s=socket.socket(socket.AF_UNIX); s.bind("n/sock"); d=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); d.bind("n/dg")'
policy p.conf <<P
root = ".";
hide = ( "/**/.env", "/etc/shadow" );
rules = (
  { path = "/**"; level = "read"; },
  { path = "w"; level = "write"; },
  { path = "r"; level = "read"; },
  { path = "n"; level = "none"; }
);
P
ok "the policy is valid" "$WARD" check p.conf

# -- by hand, a file log (WARD_LOG_FD), and again in a child with an empty environment
WARD_LOG_FD=3 under p.conf "$PYTHON3" "$PROBE_PY" audit.jsonl child 3>>audit.jsonl > out.txt 2> err.txt
status=$?
n=0
while IFS= read -r line; do
	case $line in
	"ok "*) _tap_result 0 "${line#ok }" ;;
	"not ok "*) _tap_result 1 "${line#not ok }" ;;
	*) continue ;;
	esac
	n=$((n + 1))
done < out.txt
ok "the probe ran its checks ($n, status $status)" test "$n" -gt 100
[ -s err.txt ] && diag "$(tail -5 err.txt)"
ok "no hidden content in what it printed" sh -c '! grep -q "SECRET\|ENV" out.txt'
ok "the secret is intact" grep -qx SECRET n/secret
is "" "$(grep -v '^{' audit.jsonl | head -3)" "the audit log holds only the library's lines (no forged or stray writes)"
ok "the log is valid JSON Lines" "$PYTHON3" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' audit.jsonl
ok "no forged event reached the log" sh -c '! grep -q "\"forged\"\|^{}$\|^{\"event\":\"op\",\"decision\":\"allow\"}" audit.jsonl'
ok "the probes of absent hidden names are logged (n/absent)" grep -q '"real":"[^"]*/n/absent","access":"stat","decision":"deny".*"absent":true' audit.jsonl
ok "the denials after the program took the library's numbers are logged" \
	grep -q '"path":"n/after-move".*"decision":"deny"' audit.jsonl
ok "the log still grows after the program took its descriptor's number" \
	sh -c "tail -1 audit.jsonl | grep -q '\"pid\":'"

# -- under ward run: the log is a socket; the same checks
"$WARD" run -p p.conf -l run.jsonl -- "$PYTHON3" "$PROBE_PY" run.jsonl > run.txt 2> run.err
n=0
while IFS= read -r line; do
	case $line in
	"ok "*) _tap_result 0 "ward run: ${line#ok }" ;;
	"not ok "*)
		# the run's log is the file ward run writes: the program holds a socket, not it
		case $line in *"the library's descriptors are there"*) _tap_result 0 "ward run: the program holds no descriptor of the log file" ; n=$((n + 1)); continue ;; esac
		_tap_result 1 "ward run: ${line#not ok }" ;;
	*) continue ;;
	esac
	n=$((n + 1))
done < run.txt
ok "ward run: the probe ran its checks ($n)" test "$n" -gt 50
ok "ward run: the log is valid JSON Lines" "$PYTHON3" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' run.jsonl

# -- a policy descriptor that is not the session's: a child's library refuses it
# (what a raw execve with a forged environment would give a child; through libc,
# ward's exec wrappers give children the session's own descriptor and hash)
hash_a=$(under_preset agent-safe sh -c 'sh -c "echo \$WARD_POLICY_HASH"')
like "^xxh3:[0-9a-f]{16}$" "$hash_a" "a child gets the session's policy hash ($hash_a)"
printf 'version = 1;\nextends = "full-access";\nrules = ( );\n' > fa.conf
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=fa.conf sleep 3 &
bg=$!
sleep 1
pfd=
for f in /proc/$bg/fd/*; do
	case $(readlink "$f") in *ward-policy*) pfd=$f ;; esac
done
ok "the full-access session's policy memfd is found from outside" test -n "$pfd"
cp "$pfd" full.bin 2>/dev/null
wait $bg
forge() {
	"$PYTHON3" - "$@" <<'PY'
import fcntl, os, sys
blob = open("full.bin", "rb").read()
fd = os.memfd_create("ward-policy", os.MFD_ALLOW_SEALING)
os.write(fd, blob)
fcntl.fcntl(fd, 1033, 0x0001 | 0x0002 | 0x0004 | 0x0008)  # F_ADD_SEALS
os.set_inheritable(fd, True)
env = {"LD_PRELOAD": os.environ["WARD_PRELOAD"], "WARD_POLICY_FD": str(fd), "PATH": "/usr/bin:/bin"}
if sys.argv[1] != "-":
    env["WARD_POLICY_HASH"] = sys.argv[1]
os.execve("/bin/cat", ["cat", "n/secret"], env)
PY
}
out=$(forge "$hash_a" 2>&1)
st=$?
is 126 "$st" "a well-formed policy whose hash is not the session's: exit 126"
like "not the session's policy" "$out" "... with the reason"
ok "... and nothing was read" sh -c "! printf '%s' \"\$1\" | grep -q SECRET" - "$out"
out=$(forge - 2>&1)
is 126 "$?" "an inherited policy with no hash at all: exit 126"
