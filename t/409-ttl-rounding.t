#!/bin/sh
# 409-ttl-rounding: NOT in TESTS (it shows a bug of cli/purge.c). A transient entry
# must be deleted only once older than the ttl (DESIGN §5), but the age is computed in
# whole seconds, time(NULL) - st_mtime, both truncated: a file 1.0 s old is purged
# under a ttl of 2 s, and logged with age_s 2. Run it by hand:
#   make check TESTS=t/409-ttl-rounding.t
. "$top_srcdir/t/policy/lib.sh"
need_py
plan 2

mkdir scratch
policy p.conf <<'P'
root = ".";
rules = ( { path = "scratch/"; level = "write"; ttl = "2s"; } );
P
# just after a second boundary, give a new file an mtime 1.001 s in the past: its
# true age is about 1.0 s, its whole-second age 2
age=$("$PY" -c '
import os, time
while time.time() % 1 > 0.05:
    time.sleep(0.005)
s = int(time.time())
open("scratch/young", "w").close()
os.utime("scratch/young", (s - 1.001, s - 1.001))
print("%.3f" % (time.time() - (s - 1.001)))')
"$WARD" purge -p p.conf -l "$T/log.jsonl" > /dev/null
ok "a file $age s old survives a purge under a ttl of 2 s" test -e scratch/young
is "" "$(field log.jsonl purge real "$T/scratch/young")" "... and no purge event claims it is 2 s old"
