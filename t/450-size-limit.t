#!/bin/sh
# 450-size-limit: limits.max_file_size (DESIGN §5 "exec and limits"): no file may grow
# past it; the write fails with EFBIG and the program is not killed by SIGXFSZ (even
# when it asks for SIGXFSZ's default action back). Through C (write, ftruncate),
# python3 and dd; by hand and under ward run; children inherit it. A control policy
# without the limit lets the same writes through.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

mkdir -p docs
policy p.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; }
);
limits = { max_file_size = "10K"; };
P
sed '/^limits = /d' p.conf > open.conf
ok "the policy with max_file_size = 10K is valid" "$WARD" check p.conf
policy bad.conf <<'P'
rules = ( );
limits = { max_file_size = "10Q"; };
P
"$WARD" check bad.conf > /dev/null 2>&1
is 1 $? "a bad size is an error (ward check exits 1)"
like 'bad\.conf:3: ' "$("$WARD" check bad.conf 2>&1)" "... at its FILE:LINE"

# -- C --------------------------------------------------------------------------------------
is "ok 10240" "$(under p.conf "$PROBE" write docs/exact 10240)" "C: a file of exactly 10K can be written"
is "EFBIG 10240" "$(under p.conf "$PROBE" write docs/big 20000)" "C: the write past 10K fails with EFBIG, the program goes on"
is 10240 "$(stat -c %s docs/big)" "C: the file stopped at 10K"
is "EFBIG 10240" "$(under p.conf "$PROBE" write docs/big2 20000 dfl)" \
	"C: a program that asks for SIGXFSZ's default action is still not killed"
is "EFBIG 0" "$(under p.conf "$PROBE" ftruncate docs/sparse 1000000)" "C: ftruncate past 10K fails with EFBIG"
is "ok 20000" "$(under open.conf "$PROBE" write docs/free 20000)" "control: without the limit, 20000 bytes are written"

# -- python3 -----------------------------------------------------------------------------------
if [ -n "$PY" ]; then
	out=$(under p.conf "$PY" -c '
import errno
f = open("docs/py.bin", "wb", buffering=0)
n = 0
try:
    while n < 50000:
        n += f.write(b"y" * 1000)
    print("wrote", n)
except OSError as e:
    print(errno.errorcode[e.errno], n)
f.close()
print("alive")' 2>&1)
	is "EFBIG 10240
alive" "$out" "python3: the write past 10K raises OSError(EFBIG); the program goes on"
	is 10240 "$(stat -c %s docs/py.bin)" "python3: the file stopped at 10K"
	out=$(under p.conf "$PY" -c '
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
try:
    with open("docs/py2.bin", "wb") as f:
        f.write(b"z" * 30000)
    print("no error")
except OSError as e:
    print("error", e.errno)' 2>&1)
	like "^error 27$" "$out" "python3: SIG_DFL for SIGXFSZ does not make the write kill it (EFBIG = 27)"
else
	skip "python3 is not installed"
	skip "python3 is not installed"
	skip "python3 is not installed"
fi

# -- dd ----------------------------------------------------------------------------------------
# (blocks of 4096 bytes: with smaller ones, dd's aligned_alloc trips the AddressSanitizer
# runtime that the sanitizer build preloads)
if command -v dd > /dev/null 2>&1; then
	out=$(under p.conf dd if=/dev/zero of=docs/dd.bin bs=4096 count=5 2>&1)
	st=$?
	is 1 "$st" "dd: fails with status 1 (not killed by SIGXFSZ: that would be 153)"
	like "File too large" "$out" "dd: says File too large"
	is 10240 "$(stat -c %s docs/dd.bin)" "dd: the file stopped at 10K"
	under open.conf dd if=/dev/zero of=docs/dd-free.bin bs=4096 count=5 2>/dev/null
	is 20480 "$(stat -c %s docs/dd-free.bin)" "control: without the limit, dd writes 20K"
	under p.conf dd if=/dev/zero of=docs/dd-append.bin bs=4096 count=2 2>/dev/null
	under p.conf dd if=/dev/zero of=docs/dd-append.bin bs=4096 count=2 oflag=append conv=notrunc 2>/dev/null
	is 10240 "$(stat -c %s docs/dd-append.bin)" "dd: appending cannot grow a file past 10K either"
else
	for i in 1 2 3 4 5; do skip "dd is not installed"; done
fi

# -- children and ward run ---------------------------------------------------------------------------
out=$(under p.conf sh -c 'env -i "$1" write docs/child 20000' sh "$PROBE" 2>&1)
is "EFBIG 10240" "$out" "a child with an empty environment keeps the limit"
out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- sh -c 'ulimit -f unlimited 2>/dev/null; "$1" write docs/run 20000' sh "$PROBE" 2>&1)
is "EFBIG 10240" "$out" "ward run: EFBIG, even after the shell tried ulimit -f unlimited"
out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- sh -c 'dd if=/dev/zero of=docs/run-dd bs=4096 count=5 2>/dev/null; echo $?' 2>&1)
is 1 "$out" "ward run: dd fails with status 1, not killed"
ok "files under the limit are untouched (the exact one)" test "$(stat -c %s docs/exact)" = 10240
