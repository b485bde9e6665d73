#!/bin/sh
# 420-closure: /tmp, /var/tmp and /dev/shm are closed in every policy (DESIGN §5
# "/tmp, /var/tmp, /dev/shm"): `/**` read, `default = "read"`, `/t*/**` and even
# `/**` write leave everything in them `none`; only a rule whose fixed part lies there
# opens them, and it needs a non-empty justification, else the policy is invalid at
# its FILE:LINE (ward check exits 1; the library exits 126); the justification is
# carried into the policy event's grants. ROOT's own tree is exempt: a mktemp -d
# workspace under /tmp works as ROOT, its rules need no justification.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

# a folder in /tmp outside ROOT ($T), and files in /var/tmp and /dev/shm when we may
O=$(mktemp -d /tmp/ward-closure.XXXXXX) || bail "mktemp in /tmp"
O=$(cd "$O" && pwd -P)
VT=$(mktemp -d /var/tmp/ward-closure.XXXXXX 2>/dev/null) && VT=$(cd "$VT" && pwd -P) || VT=
SHM=
[ -d /dev/shm ] && [ -w /dev/shm ] && SHM=$(mktemp -d /dev/shm/ward-closure.XXXXXX 2>/dev/null)
cleanup_dirs() { rm -rf "$O" ${VT:+"$VT"} ${SHM:+"$SHM"}; }
trap 'cleanup_dirs; _t_cleanup' EXIT
echo TMP-SECRET > "$O/f"
[ -n "$VT" ] && echo VARTMP-SECRET > "$VT/f"
[ -n "$SHM" ] && echo SHM-SECRET > "$SHM/f"

# closed POLICY DESC: everything tried in /tmp, /var/tmp and /dev/shm is ENOENT
closed() {
	ok "$2: read in /tmp is ENOENT" under "$1" "$CALL" read ENOENT "$O/f"
	ok "$2: stat in /tmp is ENOENT" under "$1" "$CALL" stat ENOENT "$O/f"
	ok "$2: create in /tmp is ENOENT" under "$1" "$CALL" create ENOENT "$O/new"
	_pol=$1
	ok "$2: the folder in /tmp is not listed" eval '
		out=$(under "$_pol" "$CALL" ls ok /tmp) &&
		! printf "%s\n" "$out" | grep -qx "${O##*/}"'
	if [ -n "$VT" ]; then
		ok "$2: read in /var/tmp is ENOENT" under "$1" "$CALL" read ENOENT "$VT/f"
	else
		skip "/var/tmp is not writable here"
	fi
	if [ -n "$SHM" ]; then
		ok "$2: read in /dev/shm is ENOENT" under "$1" "$CALL" read ENOENT "$SHM/f"
		ok "$2: create in /dev/shm is ENOENT" under "$1" "$CALL" create ENOENT "$SHM/new"
	else
		skip "/dev/shm is not writable here"
		skip "/dev/shm"
	fi
	ok "$2: nothing was created" eval '[ ! -e "$O/new" ] && { [ -z "$SHM" ] || [ ! -e "$SHM/new" ]; }'
}

policy all-read.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; }
);
P
ok "control: /** read reads outside /tmp" under all-read.conf "$CALL" read ok /etc/passwd
closed all-read.conf '/** read'
is "none	$O/f	default" "$("$WARD" explain -p all-read.conf "$O/f" 2>&1 | sed 's/	[^	]*$/	default/')" \
	"ward explain: a file in /tmp is none under /** read"

policy default-read.conf <<P
root = ".";
default = "read";
rules = (
$(helpers_rule)
  { path = "docs"; level = "write"; }
);
P
ok "control: default read reads outside /tmp" under default-read.conf "$CALL" read ok /etc/passwd
closed default-read.conf 'default = "read"'

policy broad-write.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "write"; },
  { path = "/t*/**"; level = "write"; },
  { path = "/?ev/s*"; level = "write"; },
  { path = "/var/t*"; level = "write"; }
);
P
ok "broad write patterns (/**, /t*/**, /?ev/s*, /var/t*) need no justification" "$WARD" check broad-write.conf
closed broad-write.conf 'broad write patterns'

# -- a justified rule opens exactly what it names ----------------------------------------
policy just.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "$O"; level = "read"; justification = "the tool reads its input from there"; }
);
P
ok "a justified /tmp rule is valid" "$WARD" check just.conf
ok "it opens what it names (read)" under just.conf "$CALL" read ok "$O/f"
ok "at its level only (no create)" under just.conf "$CALL" create EACCES "$O/new"
[ -n "$VT" ] && ok "and nothing else (/var/tmp)" under just.conf "$CALL" read ENOENT "$VT/f" ||
	{ [ -z "$VT" ] && skip "/var/tmp is not writable here"; }
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=just.conf WARD_LOG_FD=3 "$CALL" read ok "$O/f" 3>>just.jsonl >/dev/null 2>&1
like '"path":"'"$O"'","level":"read",.*"justification":"the tool reads its input from there"' \
	"$(grep -m1 '"event":"policy"' just.jsonl)" "the justification is carried into the policy event's grants"

# -- the justification check -----------------------------------------------------------
# invalid NAME LINE RULE: a policy whose line LINE is RULE (without a justification)
invalid() {
	_f=$1
	_line=$2
	shift 2
	policy "$_f" <<P
root = ".";
rules = (
  { path = "/**"; level = "read"; },
$*
);
P
	_err=$("$WARD" check "$_f" 2>&1)
	is 1 $? "ward check $_f ($*): exit 1"
	like "^(ward: )?(ward check: )?(\\./)?$_f:$_line: " "$_err" "... with $_f:$_line: message"
	rm -f marker
	_err=$(LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=$_f "$CALL" create ok "$T/marker" 2>&1)
	is 126 $? "under the library: exit 126"
	like "^ward: (\\./|.*/)?$_f:$_line: " "$_err" "... ward: $_f:$_line: message"
	ok "... and the program did not run" test ! -e "$T/marker"
}
invalid no-just.conf 5 '  { path = "/tmp/exports"; level = "write"; }'
invalid empty-just.conf 5 '  { path = "/tmp/exports"; level = "write"; justification = ""; }'
invalid glob-tmp.conf 5 '  { path = "/tmp/*.csv"; level = "read"; }'
invalid var-tmp.conf 5 '  { path = "/var/tmp/cache/**"; level = "write"; }'
invalid dev-shm.conf 5 '  { path = "/dev/shm"; level = "write"; }'
invalid tmp-view.conf 5 '  { path = "/tmp"; level = "view"; }'
policy tmp-none.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "/tmp/x"; level = "none"; }
);
P
ok "a /tmp rule of level none needs no justification" "$WARD" check tmp-none.conf
rm -f marker
out=$("$WARD" run -p no-just.conf -l "$T/nj.jsonl" -- "$CALL" create ok "$T/marker" 2>&1)
is 126 $? "ward run with that policy: exit 126"
like "^ward: (\\./|.*/)?no-just\\.conf:5: " "$out" "... ward: no-just.conf:5: message"

# -- ROOT under /tmp is exempt ------------------------------------------------------------
W=$(mktemp -d /tmp/ward-ws.XXXXXX) || bail "mktemp"
W=$(cd "$W" && pwd -P)
trap 'rm -rf "$W"; cleanup_dirs; _t_cleanup' EXIT
mkdir "$W/out"
echo data > "$W/in.txt"
policy "$W/ws.conf" <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/usr/**"; level = "read"; },
  { path = "**"; level = "read"; },
  { path = "out"; level = "write"; }
);
P
ok "a policy whose ROOT is a mktemp -d folder under /tmp: root-relative rules need no justification" \
	"$WARD" check "$W/ws.conf"
ok "ROOT under /tmp: read in ROOT works" under "$W/ws.conf" "$CALL" read ok "$W/in.txt"
ok "ROOT under /tmp: create in ROOT/out works" under "$W/ws.conf" "$CALL" create ok "$W/out/new"
ok "ROOT under /tmp: create at read level is EACCES (the rules decide)" under "$W/ws.conf" "$CALL" create EACCES "$W/new"
ok "ROOT under /tmp: the rest of /tmp stays closed" under "$W/ws.conf" "$CALL" read ENOENT "$O/f"
policy "$W/ws-default.conf" <<P
root = ".";
default = "write";
rules = (
$(helpers_rule)
  { path = "/usr/**"; level = "read"; }
);
P
ok "ROOT under /tmp with default write: create in ROOT works" under "$W/ws-default.conf" "$CALL" create ok "$W/made-by-default"
ok "... but not elsewhere in /tmp" under "$W/ws-default.conf" "$CALL" create ENOENT "$O/made-by-default"
out=$(cd "$W" && "$WARD" run -P development -r "$W" -l "$W/../ward-ws-log.$$.jsonl" -- sh -c 'echo hi > built && cat built' 2>&1)
rm -f "/tmp/ward-ws-log.$$.jsonl"
is "hi" "$out" "ward run -P development -r WORKSPACE under /tmp: the workspace is writable"
