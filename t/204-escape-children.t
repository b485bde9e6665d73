#!/bin/sh
# 204-escape-children: the denial holds in children however they are started, and no hidden program is ever executed.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
# The programs the children run must be reachable from under ward: the build tree
# may lie under /tmp, which is closed.
mkdir bin
cp "$CALL" bin/call
C=$T/bin/call
cp /bin/echo n/prog
chmod 755 n/prog
ln -s ../n/prog w/l-prog
policy open.conf <<'P'
root = ".";
rules = ( { path = "/**"; level = "write"; } );
P
before=$(snap)

# ---- 11. children ----
ok_program "system(): the child's read is denied" 0 "ENOENT
ok" under p.conf "$PROBE" system ok "$C cat ENOENT n/secret"
ok_program "posix_spawn with an empty environment" 0 "ENOENT
ok" under p.conf "$PROBE" spawn-env0 ok "$C" cat ENOENT n/secret
ok_program "execve with an empty environment" 0 "ENOENT" \
	under p.conf "$PROBE" exec-env0 ok "$C" cat ENOENT n/secret
ok_program "fork, clearenv(), execvp" 0 "ENOENT
ok" under p.conf "$PROBE" fork-exec ok "$C" cat ENOENT n/secret
ok_program "sh -c" 0 "ENOENT" under p.conf sh -c "\"$C\" cat ENOENT n/secret"
ok_program "sh -c, then sh -c again" 0 "ENOENT" under p.conf sh -c "sh -c '\"$C\" cat ENOENT n/secret'"
ok_program "env -i" 0 "ENOENT" under p.conf env -i "$C" cat ENOENT n/secret
ok_program "env -u LD_PRELOAD" 0 "ENOENT" under p.conf env -u LD_PRELOAD "$C" cat ENOENT n/secret
ok_program "a child given a permissive WARD_POLICY and no WARD_POLICY_FD" 0 "ENOENT" \
	under p.conf env -u WARD_POLICY_FD WARD_POLICY="$T/open.conf" "$C" cat ENOENT n/secret
ok_program "a child given WARD_MODE=audit" 0 "ENOENT" \
	under p.conf env WARD_MODE=audit "$C" cat ENOENT n/secret
ok_program "a child given WARD_POLICY_FD=0" 0 "ENOENT" \
	under p.conf env WARD_POLICY_FD=0 "$C" cat ENOENT n/secret
out=$(under p.conf sh -c 'cat n/secret; cat w/k.pem; cat < n/secret; while read l; do echo "$l"; done < w/hid/s' 2>&1)
noleak "the shell and cat print nothing hidden" "$out"
out=$(under p.conf sh -c 'for f in n/* w/hid/* w/*.pem; do echo "$f"; done; ls -a n w/hid; find . -name "*.pem"' 2>&1)
noleak "globs, ls and find show no hidden name" "$out"
like "^n/\\*" "$out" "the glob of a none folder matches nothing"

PY=${PYTHON3:-python3}
if command -v "$PY" >/dev/null 2>&1; then
	ok_program "python subprocess with env={}" 0 "ENOENT" under p.conf "$PY" -c '
import subprocess, sys
sys.exit(subprocess.run([sys.argv[1], "cat", "ENOENT", "n/secret"], env={}).returncode)' "$C"
	ok_program "python os.posix_spawn with env={}" 0 "ENOENT" under p.conf "$PY" -c '
import os, sys
pid = os.posix_spawn(sys.argv[1], [sys.argv[1], "cat", "ENOENT", "n/secret"], {})
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))' "$C"
	ok_program "python os.execve with env={}" 0 "ENOENT" under p.conf "$PY" -c '
import os, sys
os.execve(sys.argv[1], [sys.argv[1], "cat", "ENOENT", "n/secret"], {})' "$C"
	ok_program "python os.system" 0 "ENOENT" under p.conf "$PY" -c '
import os, sys
sys.exit(os.waitstatus_to_exitcode(os.system(sys.argv[1] + " cat ENOENT n/secret")))' "$C"
	ok_program "python open() of a none file" 0 "FileNotFoundError" under p.conf "$PY" -c '
try:
    print(open("n/secret").read())
except FileNotFoundError:
    print("FileNotFoundError")'
else
	skip "python3 is not installed"
fi

# ---- executing a hidden program ----
denied "exec a none program" ENOENT "$CALL" exec n/prog RAN-HIDDEN
denied "exec a none program through a link" ENOENT "$CALL" exec w/l-prog RAN-HIDDEN
denied "posix_spawn a none program" ENOENT "$CALL" spawn n/prog RAN-HIDDEN
denied "posix_spawn a none program through a link" ENOENT "$CALL" spawn w/l-prog RAN-HIDDEN
denied "exec through /proc/self/cwd into a none folder" ENOENT "$CALL" exec /proc/self/cwd/n/prog RAN-HIDDEN
printf '#!%s\n' "$T/n/prog" > w/s-direct
printf '#!%s\n' "$T/w/l-prog" > w/s-link
printf '#!%s\n' "$T/w/s-inner" > w/s-outer
printf '#!%s\n' "$T/n/prog" > w/s-inner
chmod 755 w/s-direct w/s-link w/s-outer w/s-inner
denied "a script whose interpreter is a none program" ENOENT "$CALL" exec w/s-direct RAN-HIDDEN
denied "a script whose interpreter is a link to a none program" ENOENT "$CALL" exec w/s-link RAN-HIDDEN
# The kernel follows up to 4 levels of "#!": a script whose interpreter is a script
# whose interpreter is hidden. Only the first interpreter is looked at today.
denied "a script whose interpreter is a script whose interpreter is a none program" \
	ENOENT "$CALL" exec w/s-outer RAN-HIDDEN
denied "... posix_spawn of the same" ENOENT "$CALL" spawn w/s-outer RAN-HIDDEN
out=$(under p.conf sh -c "\"$T/w/s-outer\" RAN-HIDDEN" 2>&1)
is "" "$(printf '%s\n' "$out" | grep RAN-HIDDEN)" "... run by sh: the hidden program did not run"
# The dynamic loader run as a program loads the file it is given with its own
# system calls.
LDSO=
for l in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1 /lib64/ld64.so.2 /lib/ld-linux-riscv64-lp64d.so.1; do
	[ -e "$l" ] && LDSO=$l && break
done
if [ -n "$LDSO" ]; then
	denied "the dynamic loader asked to run a none program" ENOENT "$CALL" exec "$LDSO" n/prog RAN-HIDDEN
else
	skip "no dynamic loader found"
fi
# A program whose ELF interpreter (PT_INTERP) is a hidden file: the kernel maps it.
if [ -n "$LDSO" ] && command -v cc >/dev/null 2>&1 &&
	cc -o w/carrier "$top_srcdir/t/escape/carrier.c" "-Wl,--dynamic-linker=$T/n/ld.so" 2>/dev/null; then
	cp "$LDSO" n/ld.so
	denied "a program whose ELF interpreter is a none file" ENOENT "$CALL" exec w/carrier /n/ld.so
	# The same program with its interpreter's name moved past the first KiB of the
	# file (the kernel reads it at PT_INTERP's offset, anywhere in the file), beyond
	# the head the library reads at once.
	"$PY" - w/carrier w/carrier-far <<'X'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
assert d[:4] == b"\x7fELF" and d[4] == 2 and d[5] == 1
phoff, = struct.unpack_from("<Q", d, 32)
phent, phnum = struct.unpack_from("<HH", d, 54)
for i in range(phnum):
    o = phoff + i * phent
    if struct.unpack_from("<I", d, o)[0] == 3:  # PT_INTERP
        off, = struct.unpack_from("<Q", d, o + 8)
        size, = struct.unpack_from("<Q", d, o + 32)
        d += b"\0" * (-len(d) % 64 + 4096)
        new = len(d)
        d += d[off:off + size]
        struct.pack_into("<Q", d, o + 8, new)
        break
else:
    sys.exit("no PT_INTERP")
open(sys.argv[2], "wb").write(d)
X
	chmod 755 w/carrier-far
	like '^RAN-HIDDEN .*/n/ld\.so' "$(w/carrier-far /n/ld.so 2>&1)" \
		"natively, the kernel maps that interpreter (the test program is sound)"
	denied "the same with the interpreter's name past the first KiB of the file" ENOENT \
		"$CALL" exec w/carrier-far /n/ld.so
else
	skip "no C compiler to build a program with its own ELF interpreter"
fi
# A program whose PT_INTERP entry comes after 130 empty program headers (the kernel
# reads up to 64 KiB of them and takes the first PT_INTERP), naming a hidden
# stand-in interpreter that says when it runs.
if [ "$(uname -m)" = x86_64 ] && command -v cc >/dev/null 2>&1 &&
	cc -nostdlib -static -o n/interp "$top_srcdir/t/escape/interp.S" 2>/dev/null &&
	cc -o w/many "$top_srcdir/t/escape/carrier.c" "-Wl,--dynamic-linker=$T/n/interp" 2>/dev/null; then
	"$PY" - w/many <<'X'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
phoff, = struct.unpack_from("<Q", d, 32)
phent, phnum = struct.unpack_from("<HH", d, 54)
table = bytes(56 * 130) + bytes(d[phoff:phoff + phent * phnum])  # PT_NULL is 0
d += b"\0" * (-len(d) % 8)
struct.pack_into("<Q", d, 32, len(d))
struct.pack_into("<H", d, 56, phnum + 130)
d += table
open(sys.argv[1], "wb").write(d)
X
	chmod 755 w/many
	is "RAN-HIDDEN-INTERP" "$(w/many 2>&1)" \
		"natively, the kernel runs the interpreter named after 130 empty program headers"
	denied "a program whose ELF interpreter, named after 130 empty program headers, is a none file" \
		ENOENT "$CALL" exec w/many x
	rm -f w/many n/interp
else
	skip "no x86-64 C compiler to build a program with many program headers"
fi

# ---- the exec allowlist ----
cp /bin/echo ro/prog
printf '#!%s\n' "$T/ro/prog" > w/a-direct
printf '#!%s\n' "$T/w/a-inner" > w/a-outer
printf '#!%s\n' "$T/ro/prog" > w/a-inner
chmod 755 ro/prog w/a-direct w/a-outer w/a-inner
policy pe.conf <<'P'
root = ".";
rules = (
  { path = "/**"; level = "read"; },
  { path = "w"; level = "write"; },
  { path = "n"; level = "none"; }
);
exec = ( "/bin/*", "/usr/bin/*", "w/*" );
P
POL=pe.conf
denied "exec outside the allowlist" EACCES "$CALL" exec ro/prog RAN-HIDDEN
denied "a script whose interpreter is outside the allowlist" EACCES "$CALL" exec w/a-direct RAN-HIDDEN
denied "a script whose interpreter is a script whose interpreter is outside the allowlist" \
	EACCES "$CALL" exec w/a-outer RAN-HIDDEN
if [ -n "$LDSO" ]; then
	denied "the dynamic loader is outside the allowlist" EACCES "$CALL" exec "$LDSO" /bin/echo RAN-HIDDEN
fi
POL=p.conf

# the loader's variables: a hidden audit library or library folder is never loaded
lib=$(ls /lib/x86_64-linux-gnu/libm.so.6 /lib64/libm.so.6 /usr/lib/libm.so.6 /lib/*/libm.so.6 2>/dev/null | head -n 1)
if [ -n "$lib" ]; then
	cp "$lib" n/libaud.so
	cp "$lib" pub/libaud.so
	ok_program "LD_AUDIT naming a hidden library: the exec is refused (ENOENT)" 127 "" \
		under p.conf sh -c 'LD_AUDIT="$1" /bin/true 2>/dev/null' sh "$T/n/libaud.so"
	ok_program "LD_LIBRARY_PATH naming a hidden folder: the exec is refused" 127 "" \
		under p.conf sh -c 'LD_LIBRARY_PATH="$1" /bin/true 2>/dev/null' sh "$T/n"
	ok_program "... a missing folder in LD_LIBRARY_PATH is the loader's to skip (control)" 0 "" \
		under p.conf sh -c 'LD_LIBRARY_PATH="$1" /bin/true' sh "$T/no-such-folder"
	ok_program "... a readable one works (control)" 0 "" \
		under p.conf sh -c 'LD_LIBRARY_PATH="$1" /bin/true' sh "$T/pub"
	rm -f n/libaud.so pub/libaud.so
else
	skip "no libm to copy"
	skip "no libm to copy"
	skip "no libm to copy"
	skip "no libm to copy"
fi

# a program that can be run but not read: what it loads cannot be judged, so it does
# not run (root reads it anyway: then it runs, which the check below accepts only
# for root)
cp /bin/true w/xonly
chmod 0711 w/xonly
if [ "$(id -u)" != 0 ]; then
	ok_program "an execute-only program is refused (its interpreter cannot be judged)" 0 "rc=126" \
		under p.conf sh -c '"$1" 2>/dev/null; echo rc=$?' sh "$T/w/xonly"
else
	ok_program "an execute-only program, as root (readable to root): runs" 0 "rc=0" \
		under p.conf sh -c '"$1" 2>/dev/null; echo rc=$?' sh "$T/w/xonly"
fi
rm -f w/xonly

rm -f w/carrier w/carrier-far w/s-* w/a-* ro/prog n/ld.so pe.conf
is "$before" "$(snap)" "no side effect"
