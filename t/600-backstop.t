#!/bin/sh
# 600-backstop: under ward run, the kernel backstop (Landlock, and io_uring_setup
# refused) stops what the library cannot see: a static program and a dynamic one
# that make their own system call instructions cannot create, modify or delete
# anything outside the writable areas, nor read outside the readable ones; node with
# io_uring asked for still goes through the library.
. "$top_srcdir/t/lib.sh"
plan_lazy

abi=$("$PYTHON3" -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))' 2>/dev/null)
case $abi in
[1-9]*) ;;
*) skip_all "this kernel has no Landlock" ;;
esac

mkdir -p root/w root/r root/bin outside
echo READABLE > root/r/file
echo SECRET-OUT > outside/secret
echo 'API_KEY=SECRET-ENV' > root/.env
cp "$top_builddir/t/bin/rawsys" root/bin/rawsys
static=
if ${CC:-cc} -static -O2 -o root/bin/rawsys-static "$top_srcdir/t/bin/rawsys.c" 2>/dev/null; then
	static=root/bin/rawsys-static
fi
policy b.conf <<'P'
extends = "strict";
rules = (
  { path = "w"; level = "write"; }
);
P
R=$T/root
wrun() {
	"$WARD" run -p "$T/b.conf" -r "$R" -l "$T/log.jsonl" "$@"
}
snap() {
	(cd "$T" && find root outside -printf '%p|%y|%s|%T@\n' | LC_ALL=C sort)
}

for prog in root/bin/rawsys $static; do
	kind=dynamic
	[ "$prog" = root/bin/rawsys ] || kind=static
	P=$T/$prog
	before=$(snap)
	is "ok READABLE" "$(wrun -- "$P" read "$R/r/file" 2>/dev/null)" "$kind: raw read of a readable file (control)"
	is "ok" "$(wrun -- "$P" create "$R/w/new-$kind" 2>/dev/null)" "$kind: raw create in the write area (control)"
	rm -f "root/w/new-$kind"
	before=$(snap)
	is "EACCES" "$(wrun -- "$P" read "$T/outside/secret" 2>/dev/null)" "$kind: raw read outside the readable areas: EACCES"
	is "EACCES" "$(wrun -- "$P" create "$R/new" 2>/dev/null)" "$kind: raw create in a read area: EACCES"
	is "EACCES" "$(wrun -- "$P" create "$T/outside/new" 2>/dev/null)" "$kind: raw create outside every area: EACCES"
	is "EACCES" "$(wrun -- "$P" write "$R/r/file" 2>/dev/null)" "$kind: raw truncate and write of a read file: EACCES"
	is "EACCES" "$(wrun -- "$P" append "$T/outside/secret" 2>/dev/null)" "$kind: raw append outside: EACCES"
	is "EACCES" "$(wrun -- "$P" unlink "$R/r/file" 2>/dev/null)" "$kind: raw unlink of a read file: EACCES"
	is "EACCES" "$(wrun -- "$P" mkdir "$R/newdir" 2>/dev/null)" "$kind: raw mkdir in a read area: EACCES"
	is "EACCES" "$(wrun -- "$P" rmdir "$R/r" 2>/dev/null)" "$kind: raw rmdir of a read folder: EACCES"
	like "^(EACCES|EXDEV)$" "$(wrun -- "$P" rename "$R/r/file" "$R/w/file" 2>/dev/null)" \
		"$kind: raw rename of a read file into the write area: refused"
	like "^(EACCES|EXDEV)$" "$(wrun -- "$P" link "$T/outside/secret" "$R/w/l" 2>/dev/null)" \
		"$kind: raw hard link of an outside file into the write area: refused"
	is "ENOSYS" "$(wrun -- "$P" uring - 2>/dev/null)" "$kind: io_uring_setup: ENOSYS"
	is "$before" "$(snap)" "$kind: nothing was changed"
done
[ -n "$static" ] || skip "no static C library to build a static program"

# the same dynamic program without the backstop: the library alone does not see it
out=$(wrun --no-landlock -- "$T/root/bin/rawsys" create "$R/made-without-backstop" 2>&1)
is "ok" "$out" "--no-landlock: the raw create goes through (the backstop did the refusing)"
rm -f root/made-without-backstop

# the policy event records the backstop
: > log.jsonl
wrun -- true
ev=$(grep '"event":"policy"' log.jsonl)
like '"backstop":\{"landlock":"on","abi":[1-9]' "$ev" "the policy event: Landlock on, with its ABI"
like '"write":\[[^]]*"'"$R"'/w"' "$ev" "... the write area is listed"
like '"read":\[[^]]*"'"$R"'"' "$ev" "... ROOT is listed as read"
like '"io_uring":"ENOSYS"' "$ev" "... io_uring refused"
: > log.jsonl
wrun --no-landlock -- true
like '"backstop":\{"landlock":"off","abi":[0-9]+,"why":"--no-landlock"' "$(grep '"event":"policy"' log.jsonl)" \
	"--no-landlock is recorded"
: > log.jsonl
"$WARD" run --audit -p "$T/b.conf" -r "$R" -l "$T/log.jsonl" -- true
like '"landlock":"off".*"why":"audit mode"' "$(grep '"event":"policy"' log.jsonl)" "audit mode runs without it, and says so"
policy off.conf <<'P'
extends = "strict";
backstop = "off";
rules = ( { path = "w"; level = "write"; } );
P
: > log.jsonl
"$WARD" run -p "$T/off.conf" -r "$R" -l "$T/log.jsonl" -- true
like '"landlock":"off".*"why":"backstop = \\"off\\" in the policy"' "$(grep '"event":"policy"' log.jsonl)" \
	"backstop = \"off\" is recorded"

# a folder area that does not exist yet is made for the session, so it can be granted
policy mk.conf <<'P'
extends = "strict";
rules = ( { path = "made/later/"; level = "write"; } );
P
"$WARD" run -p "$T/mk.conf" -r "$R" -l "$T/log.jsonl" -- "$T/root/bin/rawsys" create "$R/made/later/x" > out 2>&1
is "ok" "$(cat out)" "a missing folder area is made, and writable"
rm -rf root/made

# node asked to use io_uring: it falls back to plain calls, which the library sees
if command -v "$NODE" >/dev/null 2>&1; then
	cat > root/n.js <<'J'
const fs = require('fs');
const tryit = (f) => { try { f(); return 'ok'; } catch (e) { return e.code; } };
const say = (s) => process.stdout.write(s + '\n');
say(tryit(() => fs.readFileSync(process.argv[2] + '/.env')));
say(tryit(() => fs.writeFileSync(process.argv[2] + '/r/io', 'x')));
say(tryit(() => fs.writeFileSync(process.argv[3] + '/io', 'x')));
say(tryit(() => fs.writeFileSync(process.argv[2] + '/w/io', 'x')));
fs.promises.readFile(process.argv[2] + '/.env').then(() => say('ok'), (e) => say(e.code))
  .then(() => fs.promises.writeFile(process.argv[3] + '/io2', 'x')).then(() => say('ok'), (e) => say(e.code));
J
	out=$(UV_USE_IO_URING=1 wrun -- "$NODE" "$T/root/n.js" "$R" "$T/outside" 2>err)
	is "ENOENT EACCES ENOENT ok ENOENT ENOENT" "$(echo $out)" \
		"node with UV_USE_IO_URING=1: the hidden .env unseen, no write outside the write area"
	noleak() { case $1 in *SECRET*) return 1 ;; esac; }
	ok "... no secret printed" noleak "$out $(cat err)"
	ok "... nothing written outside" test ! -e root/r/io -a ! -e outside/io -a ! -e outside/io2
	ok "... the write area was written" test -e root/w/io
else
	skip "no node"
fi
