#!/bin/sh
# 601-backstop-hidden: under `ward run -P agent-safe`, the kernel backstop withholds
# what the policy hides and that exists when the session starts (DESIGN §5 "The
# kernel backstop"): a static program, a program that makes its own openat system
# calls and Python's ctypes calling libc's open cannot read ~/.ssh/id_rsa,
# ~/.aws/credentials, /etc/shadow (as root), ROOT/.env, a file of another folder in
# /tmp (closed) or a raw device, though `/**` is read; the policy event counts what the
# kernel withholds and what stays the library's (a .env inside the write area
# output/). Tools that list or walk the folders granted entry by entry (ls -la ~,
# find ~, git status, os.walk) see what they see under the library alone. A write
# rule narrower than its folder (~/.tool.json*) grants the kernel nothing more: a
# raw program cannot write ~/.bashrc. HOME is the test's own.
. "$top_srcdir/t/lib.sh"
plan_lazy

abi=$("$PYTHON3" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
case $abi in
[1-9]*) ;;
*) skip_all "this kernel has no Landlock" ;;
esac

HOME=$T/home
export HOME
unset XDG_STATE_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
mkdir -p "$HOME/.ssh" "$HOME/.aws" "$HOME/docs" src output bin
echo 'SECRET-SSH-KEY' > "$HOME/.ssh/id_rsa"
echo 'SECRET-AWS' > "$HOME/.aws/credentials"
echo 'readable doc' > "$HOME/docs/readme.txt"
echo 'API_KEY=SECRET-ENV' > .env
echo 'API_KEY=SECRET-OUT-ENV' > output/.env
echo 'print("hello")' > src/app.py
cp "$top_builddir/t/bin/rawsys" bin/rawsys
RAW=$T/bin/rawsys
STATIC=
if ${CC:-cc} -static -O2 -o bin/rawsys-static "$top_srcdir/t/bin/rawsys.c" 2>/dev/null; then
	STATIC=$T/bin/rawsys-static
fi
# a folder of /tmp outside ROOT, closed to the program
O=$(mktemp -d /tmp/ward-bs-closed.XXXXXX) || bail "mktemp"
trap 'rm -rf "$O"; _t_cleanup' EXIT
echo 'SECRET-CLOSED' > "$O/f"

# Python's ctypes calling libc's open (and read) itself
cat > ctopen.py <<'P'
import ctypes, errno, os, sys
libc = ctypes.CDLL("libc.so.6", use_errno=True)
fd = libc.open(sys.argv[1].encode(), os.O_RDONLY)
if fd < 0:
    print(errno.errorcode[ctypes.get_errno()])
    sys.exit(1)
buf = ctypes.create_string_buffer(256)
n = libc.read(fd, buf, 255)
print("ok " + buf.raw[:max(n, 0)].decode(errors="replace").split("\n")[0])
P

wrun() {
	"$WARD" run -P agent-safe -r "$T" "$@"
}
noleak() { case $1 in *SECRET*) return 1 ;; esac; }

# rd PROG PATH: what PROG prints when it reads PATH under ward run
rd() {
	case $1 in
	ctypes) wrun -- "$PYTHON3" "$T/ctopen.py" "$2" 2>/dev/null ;;
	*) wrun -- "$1" read "$2" 2>/dev/null ;;
	esac
}

progs="$RAW ctypes $STATIC"
[ -n "$STATIC" ] || diag "no static C library: the static program is skipped"
secrets="$HOME/.ssh/id_rsa $HOME/.aws/credentials $T/.env $O/f"
[ "$(id -u)" = 0 ] && [ -r /etc/shadow ] && secrets="$secrets /etc/shadow"
for p in $progs; do
	name=${p##*/}
	is "ok readable doc" "$(rd "$p" "$HOME/docs/readme.txt")" "$name: reads a readable file in HOME (control)"
	like "^ok root:" "$(rd "$p" /etc/passwd)" "$name: reads /etc/passwd (control)"
	is "ok print(\"hello\")" "$(rd "$p" "$T/src/app.py")" "$name: reads ROOT/src/app.py (control)"
	for s in $secrets; do
		out=$(rd "$p" "$s")
		like "^(EACCES|ENOENT)$" "$out" "$name: cannot read $s"
		ok "... nothing of it printed" noleak "$out"
	done
done
# the same raw program without the backstop reads them: the backstop did the refusing
for p in $RAW $STATIC; do
	out=$(wrun --no-landlock -- "$p" read "$HOME/.ssh/id_rsa" 2>/dev/null)
	is "ok SECRET-SSH-KEY" "$out" "${p##*/} with --no-landlock reads ~/.ssh/id_rsa (the kernel refused it above)"
	break
done

# raw devices: never granted (as root a block device could be read)
blk=$(find /dev -xdev -type b 2>/dev/null | head -n 1)
if [ -n "$blk" ] && [ "$(id -u)" = 0 ]; then
	like "^(EACCES|ENOENT)$" "$(wrun -- "$RAW" read "$blk" 2>/dev/null)" "raw read of the block device $blk: refused"
	like "^ok" "$(wrun --no-landlock -- "$RAW" read "$blk" 2>/dev/null)" "... which --no-landlock reads (control)"
else
	skip "no block device, or not root"
	skip "no block device, or not root"
fi
is "ok " "$(wrun -- "$RAW" read /dev/null 2>/dev/null)" "raw read of /dev/null: allowed"
mem=$(wrun -- "$RAW" read /dev/kmsg 2>/dev/null)
like "^(EACCES|ENOENT)$" "$mem" "raw read of /dev/kmsg (a raw character device): refused"

# -- the policy event's counts -------------------------------------------------------------
# withheld by the kernel: ~/.ssh, ~/.aws, ROOT/.env, ward's state folder (which holds
# the default log), /etc/shadow and /etc/gshadow where they exist; output/.env lies
# in the write area output/: the library's alone
want=4
[ -e /etc/shadow ] && want=$((want + 1))
[ -e /etc/gshadow ] && want=$((want + 1))
wrun -- true 2>/dev/null
LOG=$HOME/.local/state/ward/audit.jsonl
ev=$(grep '"event":"policy"' "$LOG" | tail -n 1)
bs() { # bs KEY: the value of backstop.KEY in the last policy event
	printf '%s\n' "$ev" | "$PYTHON3" -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["backstop"].get(sys.argv[1])))' "$1"
}
is "$want" "$(bs hidden_kernel)" "policy event: backstop.hidden_kernel counts what the kernel withholds"
is 1 "$(bs hidden_library_only)" "policy event: backstop.hidden_library_only counts output/.env"
is false "$(bs walk_cut)" "policy event: the walk of ROOT and HOME was not cut short"
like '^[1-9]' "$(bs closed_kernel)" "policy event: closed_kernel counts the folders of /tmp it withholds"
like '^[1-9]' "$(bs devices_withheld)" "policy event: devices_withheld counts the raw devices"
like '^[1-9]' "$(bs walked)" "policy event: walked counts the entries looked at"
out=$(wrun -v -- true 2>&1)
like "ward: note: 1 hidden object lies inside write areas \(such as $T/output/\.env\)" "$out" \
	"ward run -v says which hidden object is the library's alone"

# -- tools that walk the folders granted entry by entry ----------------------------------
same() { # same DESC CMD...: the same output under the backstop as under the library alone
	_d=$1
	shift
	_lib=$(wrun --no-landlock -- "$@" 2>&1)
	_ker=$(wrun -- "$@" 2>&1)
	is "$_lib" "$_ker" "$_d: as under the library alone"
}
same "ls -la ~" ls -la "$HOME"
same "ls -laR ~" ls -laR "$HOME"
same "find ~" find "$HOME"
same "find ROOT" find "$T" -path "$T/bin" -prune -o -print
same "python os.walk(HOME) and os.walk(ROOT)" "$PYTHON3" -c '
import os, sys
for top in sys.argv[1:]:
    for d, ds, fs in os.walk(top):
        ds.sort()
        print(d, sorted(ds), sorted(fs))' "$HOME" "$T"
like "docs" "$(wrun -- ls -A "$HOME" 2>&1)" "... ls ~ lists docs"
if command -v "${GIT:-git}" >/dev/null 2>&1; then
	G=${GIT:-git}
	"$G" init -q "$T" && "$G" -C "$T" add src && "$G" -C "$T" -c user.name=t -c user.email=t@t commit -qm init ||
		bail "git init"
	echo 'print("changed")' > src/app.py
	same "git status in ROOT" "$G" -C "$T" status --porcelain
	like "M src/app.py" "$(wrun -- "$G" -C "$T" status --porcelain 2>&1)" "... git status sees the change"
else
	skip "no git"
	skip "no git"
fi

# -- a write rule narrower than its folder -------------------------------------------------
echo 'export PATH=/usr/bin' > "$HOME/.bashrc"
echo '{}' > "$HOME/.tool.json"
policy tool.conf <<'P'
extends = "agent-safe";
rules = ( { path = "~/.tool.json*"; level = "write"; } );
P
trun() {
	"$WARD" run -p "$T/tool.conf" -r "$T" "$@"
}
before=$(cat "$HOME/.bashrc")
for p in $RAW $STATIC; do
	is "EACCES" "$(trun -- "$p" append "$HOME/.bashrc" 2>/dev/null)" "${p##*/} under ~/.tool.json* write: cannot append to ~/.bashrc"
	is "EACCES" "$(trun -- "$p" create "$HOME/.profile" 2>/dev/null)" "... nor create ~/.profile"
	is "ok" "$(trun -- "$p" write "$HOME/.tool.json" 2>/dev/null)" "... and writes ~/.tool.json, which the rule names"
done
is "$before" "$(cat "$HOME/.bashrc")" "~/.bashrc is unchanged"
ok "~/.profile was not made" test ! -e "$HOME/.profile"
is "ok" "$(trun --no-landlock -- "$RAW" append "$HOME/.bashrc" 2>/dev/null)" \
	"control: without the backstop the raw program appends to ~/.bashrc (the kernel refused it above)"
: > "$T/tool.jsonl"
out=$(trun -v -l "$T/tool.jsonl" -- true 2>&1)
like "ward: note: the write rule $HOME/\.tool\.json\* \(.*tool\.conf:[0-9]+\) is narrower than its folder $HOME: the kernel backstop grants only the 1 object it names that exist" \
	"$out" "ward run -v says the rule is granted by the kernel only for what exists"
ev=$(grep '"event":"policy"' "$T/tool.jsonl" | tail -n 1)
is 1 "$(bs narrowed)" "policy event: backstop.narrowed"
like 'tool\.conf:[0-9]+' "$(bs write_rules_not_granted)" "policy event: write_rules_not_granted names the rule"
