#!/bin/sh
# 012-failclosed: under libward.so, a policy that cannot be read or is invalid, a
# WARD_MODE other than enforce or audit, or a WARD_LOG_FD that is not an open
# descriptor opened for appending, makes the process print "ward: ..." (with
# FILE:LINE for a policy error) on stderr and exit 126 before the program's main
# (DESIGN.md section 3). The program would create a marker file: it must not exist.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/data/bad-policies.sh"
plan_lazy

policy good.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "**"; level = "write"; }
);
P

# refused RUN DESC [ENV=VALUE...] -- runs "$CALL create ok marker" under the library
# with the environment given; checks 126, the "ward: " line, no output of the
# program, and no marker. The stderr is left in err.
refused() {
	_desc=$1
	shift
	rm -f marker out err
	env LD_PRELOAD="$WARD_PRELOAD" "$@" "$CALL" create ok marker > out 2> err
	is 126 "$?" "$_desc: exit 126"
	like "^ward: " "$(head -n 1 err)" "$_desc: a 'ward: ' line on stderr"
	is "" "$(cat out)" "$_desc: the program printed nothing"
	ok "$_desc: the program did not run (no marker)" test ! -e marker
}

# controls: the same program, under a valid policy, runs and creates its marker
rm -f marker
under good.conf "$CALL" create ok marker > out 2> err
is 0 "$?" "control: a valid policy runs the program"
ok "control: the marker was created" test -f marker
rm -f marker
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=good.conf WARD_LOG_FD=3 "$CALL" create ok marker 3>> log.jsonl > out 2> err
is 0 "$?" "control: WARD_LOG_FD=3 opened for appending (3>>FILE) runs the program"
ok "control: the marker was created" test -f marker
ok "control: the log received events" test -s log.jsonl
rm -f marker
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=good.conf WARD_MODE=audit "$CALL" create ok marker > out 2> err
is 0 "$?" "control: WARD_MODE=audit runs the program"
rm -f marker
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=good.conf WARD_MODE=enforce "$CALL" create ok marker > out 2> err
is 0 "$?" "control: WARD_MODE=enforce runs the program"

# every kind of invalid policy
bad_policies > bad.list
while read -r entry file line re; do
	refused "WARD_POLICY=$entry" WARD_POLICY="$entry"
	f=$(printf '%s' "$file" | sed 's/\./\\./g')
	like "^ward: (\\./|.*/)?$f:$line: " "$(head -n 1 err)" "WARD_POLICY=$entry: ward: $file:$line: message"
done < bad.list

# a policy that cannot be read
refused "a missing policy file" WARD_POLICY=no-such-policy.conf
like "no-such-policy\\.conf" "$(cat err)" "a missing policy file: the message names it"
mkdir -p adir
refused "a folder as the policy" WARD_POLICY=adir
printf 'version = 1;\nrules = ( );\n' > unreadable.conf
chmod 000 unreadable.conf
if cat unreadable.conf > /dev/null 2>&1; then
	skip "an unreadable policy file (running as root)"
else
	refused "an unreadable policy file" WARD_POLICY=unreadable.conf
fi
: > empty.conf
refused "an empty policy file" WARD_POLICY=empty.conf

# WARD_MODE
refused "WARD_MODE=bogus" WARD_POLICY=good.conf WARD_MODE=bogus
like "bogus" "$(cat err)" "WARD_MODE=bogus: the message names the value"
refused "WARD_MODE=Enforce" WARD_POLICY=good.conf WARD_MODE=Enforce
refused "WARD_MODE=audit2" WARD_POLICY=good.conf WARD_MODE=audit2

# WARD_LOG_FD
refused "WARD_LOG_FD=99 (not open)" WARD_POLICY=good.conf WARD_LOG_FD=99
refused "WARD_LOG_FD=abc" WARD_POLICY=good.conf WARD_LOG_FD=abc
refused "WARD_LOG_FD=-1" WARD_POLICY=good.conf WARD_LOG_FD=-1
: > ro.log
refused "WARD_LOG_FD=0 opened read-only" WARD_POLICY=good.conf WARD_LOG_FD=0 < ro.log
refused "WARD_LOG_FD=3 opened read-only (3<FILE)" WARD_POLICY=good.conf WARD_LOG_FD=3 3< ro.log
refused "WARD_LOG_FD=3 not opened for appending (3>FILE)" WARD_POLICY=good.conf WARD_LOG_FD=3 3> trunc.log
is "" "$(cat trunc.log)" "3>FILE: nothing was written to the file"
refused "WARD_LOG_FD=3 read-write, not appending (3<>FILE)" WARD_POLICY=good.conf WARD_LOG_FD=3 3<> rw.log

# a shell as the program: it does not run either
rm -f marker2
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=unknown-level.conf sh -c 'echo ran; : > marker2' > out 2> err
is 126 "$?" "a shell under an invalid policy: exit 126"
is "" "$(cat out)" "... it printed nothing"
ok "... it did not run" test ! -e marker2

# the default policy (WARD_POLICY unset) with a broken setting still fails closed
refused "no WARD_POLICY, WARD_MODE=bogus" WARD_MODE=bogus

# ward run fails closed too
rm -f marker
"$WARD" run -p unknown-level.conf -- "$CALL" create ok marker > out 2> err
is 126 "$?" "ward run -p with an invalid policy: exit 126"
like "^ward: (\\./|.*/)?unknown-level\\.conf:4: " "$(cat err)" "ward run: ward: FILE:LINE: message"
ok "ward run: the program did not run" test ! -e marker
"$WARD" run -p no-such-policy.conf -- "$CALL" create ok marker > out 2> err
is 126 "$?" "ward run -p with a missing policy: exit 126"
ok "ward run: the program did not run" test ! -e marker
