#!/bin/sh
# 400-ttl-purge: transient areas (DESIGN §5 "Time-bound and transient grants", §4
# ward purge, §7 purge events). Under a `ttl` rule, a file or folder older than the
# ttl (age: time since its last modification; a folder once empty) is deleted by
# `ward purge -p POLICY` and by `ward run` while the command runs; a fresh one stays;
# each deletion is a purge event with the grant's id, and so are the program's own
# creations and deletions there. Ages are made with touch -d or with sleep; nothing
# here measures how long anything took.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

mkdir -p scratch docs
policy p.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; },
  { path = "scratch/"; level = "write"; ttl = "2s"; }
);
P
ok "the policy with a ttl of 2s is valid" "$WARD" check p.conf
policy bad.conf <<'P'
rules = (
  { path = "scratch/"; level = "write"; ttl = "2 s"; }
);
P
err=$("$WARD" check bad.conf 2>&1)
is 1 $? "a bad duration: ward check exits 1"
like '^(ward: )?(\./)?bad\.conf:3: ' "$err" "... with bad.conf:3: message"

# -- ward purge -p POLICY --------------------------------------------------------------
echo CONTENT-old > scratch/old
touch -d '-10 seconds' scratch/old
mkdir -p scratch/sub scratch/busy
echo old > scratch/sub/inner
touch -d '-10 seconds' scratch/sub/inner scratch/sub
echo outside > docs/old-outside
touch -d '-10 seconds' docs/old-outside
ln -s ../docs/old-outside scratch/link
touch -h -d '-10 seconds' scratch/link
echo slept > scratch/slept
sleep 3   # scratch/slept is now older than the ttl
echo fresh > scratch/fresh
echo fresh > scratch/busy/fresh
touch -d '-10 seconds' scratch/busy
out=$("$WARD" purge -p p.conf -l "$T/purge.jsonl" 2>&1)
out2=$("$WARD" purge -p p.conf -l "$T/purge2.jsonl" 2>&1)
is "ward: purged 5 entries" "$out" "ward purge: 5 entries (old, slept, sub/inner, sub, link)"
is "ward: purged 0 entries" "$out2" "a second purge at once finds nothing old enough"
g=$(grant_of purge.jsonl "$T/scratch/")
like '^g[0-9]+$' "$g" "ward purge logs its policy first, with a grant for scratch/"
ok "a file made old with touch is gone" test ! -e scratch/old
ok "a file older than the ttl by sleeping is gone" test ! -e scratch/slept
ok "an old folder, once emptied, is gone" test ! -e scratch/sub
ok "a link is deleted as itself" eval 'test ! -L scratch/link'
ok "... and its target outside the area stays" test -f docs/old-outside
ok "a fresh file stays" test -f scratch/fresh
ok "an old folder holding a fresh file stays" test -f scratch/busy/fresh
ok "the area itself stays" test -d scratch
for f in old slept sub/inner sub link; do
	line=$(field purge.jsonl purge real "$T/scratch/$f" grant "$g")
	ok "purge event for scratch/$f with the grant's id" test -n "$line"
done
like '"age_s":(9|1[0-9]),' "$(field purge.jsonl purge real "$T/scratch/old")" \
	"its age_s is the file's age (about 10 s)"
is 5 "$(grep -c '"event":"purge"' purge.jsonl)" "exactly 5 purge events"
is 0 "$(grep -c "\"real\":\"$T/scratch/fresh\"" purge.jsonl)" "none for the fresh file"
pol=$(grep '"event":"policy"' purge.jsonl)
like '"id":"'"$g"'","path":"'"$T"'/scratch/","level":"write","ttl":2,' "$pol" \
	"... its level and its ttl (2)"
s=$(printf '%s\n' "$pol" | sed 's/.*"session":"\([0-9a-f]*\)".*/\1/')
is 0 "$(grep -vc "\"session\":\"$s\"" purge.jsonl)" "every line of ward purge's log has its session"
sleep 3
"$WARD" purge -p p.conf -l "$T/purge3.jsonl" > /dev/null 2>&1
ok "after the ttl, the once fresh file is gone too" test ! -e scratch/fresh
ok "... and the folder that held it" test ! -e scratch/busy
ok "... logged" test -n "$(field purge3.jsonl purge real "$T/scratch/busy/fresh" grant "$g")"

ok "a creation outside the area carries no grant" eval '
	"$WARD" run -p p.conf -l "$T/run2.jsonl" -- sh -c "echo x > docs/y" &&
	l=$(field run2.jsonl op real "$T/docs/y" access create) && [ -n "$l" ] &&
	! printf "%s\n" "$l" | grep -q "\"grant\""'
# -- ward run's periodic purge ---------------------------------------------------------
# the command creates a file, sleeps past the ttl (plus the purge period, ttl/4), and
# looks: the file was purged while it ran; then it makes a fresh file, which must
# outlive the run's final purge
out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- sh -c '
echo CONTENT-a > scratch/a && echo created
sleep 4
if [ -e scratch/a ]; then echo "still there"; else echo "purged while running"; fi
echo b > scratch/b && echo b-created
echo c > scratch/c && rm scratch/c && echo c-removed' 2>&1)
is "created
purged while running
b-created
c-removed" "$out" "ward run: a file older than the ttl is purged while the command runs"
ok "the fresh file made at the end outlives the run" test -f scratch/b
s=$(sed -n '1s/.*"session":"\([0-9a-f]*\)".*/\1/p' run.jsonl)
is "$g" "$(grant_of run.jsonl "$T/scratch/")" "ward run's policy event has the same grant id for scratch/"
ok "its purge event has the grant's id and the run's session" \
	test -n "$(field run.jsonl purge real "$T/scratch/a" grant "$g" session "$s")"
ok "the creation under the ttl area is logged with the grant's id" \
	test -n "$(field run.jsonl op real "$T/scratch/a" access create decision allow grant "$g")"
ok "the program's own deletion there too" \
	test -n "$(field run.jsonl op real "$T/scratch/c" access delete decision allow grant "$g")"
is "" "$(field run.jsonl purge real "$T/scratch/b")" "no purge event for the fresh file"
sleep 3
"$WARD" run -p p.conf -l "$T/run3.jsonl" -- true
ok "a later ward run purges it once old (at its start or end)" test ! -e scratch/b
ok "... logged with the grant's id" test -n "$(field run3.jsonl purge real "$T/scratch/b" grant "$g")"

# -- the content is never logged -------------------------------------------------------
ok "no file content in any log" eval '! grep -q "CONTENT" "$T"/*.jsonl'
