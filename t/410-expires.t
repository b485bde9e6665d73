#!/bin/sh
# 410-expires: a rule with `expires` counts only until session start + expires (DESIGN
# §5 "Time-bound and transient grants"). The session start is fixed for every
# descendant: a process that was allowed to write keeps running and is refused once
# the rule expired; so is a child started later, and a child handed an edited
# environment (WARD_* unset, emptied, changed, env -i) or a re-exec. Both under
# ward run and by hand. The expiry is 2 s; ages are made with sleep 3.
. "$top_srcdir/t/policy/lib.sh"
plan_lazy

mkdir -p exp docs
policy p.conf <<P
root = ".";
rules = (
$(helpers_rule)
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; },
  { path = "exp"; level = "write"; expires = "2s"; }
);
P
ok "the policy with expires = 2s is valid" "$WARD" check p.conf
# the same rules, for a child that would try to start a session of its own
cp p.conf p2.conf

# the program: writes before the expiry, sleeps past it, then tries again itself, in
# a child, and in children with an edited environment. One line per attempt:
# NAME ok|denied
script='
w() { if (echo "$2" > "$3") 2>/dev/null; then echo "$1 ok"; else echo "$1 denied"; fi; }
w before x exp/before
echo keep > exp/kept
sleep 3
w self-after x exp/self-after
if (echo more >> exp/kept) 2>/dev/null; then echo "append ok"; else echo "append denied"; fi
if rm exp/before 2>/dev/null; then echo "rm ok"; else echo "rm denied"; fi
sh -c "echo x > exp/child 2>/dev/null && echo child ok || echo child denied"
env -u WARD_POLICY_FD sh -c "echo x > exp/unset 2>/dev/null && echo unset-fd ok || echo unset-fd denied"
env -u WARD_POLICY_FD WARD_POLICY="$PWD/p2.conf" sh -c "echo x > exp/newpol 2>/dev/null && echo new-policy ok || echo new-policy denied"
env WARD_POLICY_FD= WARD_MODE=audit sh -c "echo x > exp/empty 2>/dev/null && echo emptied ok || echo emptied denied"
env -i PATH="$PATH" sh -c "echo x > exp/envi 2>/dev/null && echo env-i ok || echo env-i denied"
env -i WARD_POLICY="$PWD/p2.conf" LD_PRELOAD="$LD_PRELOAD" PATH="$PATH" sh -c "echo x > exp/envi2 2>/dev/null && echo env-i-policy ok || echo env-i-policy denied"
echo x 2>/dev/null > docs/still && echo other-rules ok
exec sh -c "echo x > exp/reexec 2>/dev/null && echo re-exec ok || echo re-exec denied"'
want="before ok
self-after denied
append denied
rm denied
child denied
unset-fd denied
new-policy denied
emptied denied
env-i denied
env-i-policy denied
other-rules ok
re-exec denied"

check_run() {
	_how=$1
	_out=$2
	_log=$3
	is "$want" "$_out" "$_how: allowed before the expiry, refused after it, to the process, its children and edited environments"
	ok "$_how: the file written before is there" test -f exp/before
	is "keep" "$(cat exp/kept)" "$_how: the file kept is unchanged"
	ok "$_how: none of the refused files exists" eval '[ -z "$(ls exp | grep -v "^before$\|^kept$")" ]'
	g=$(grant_of "$_log" "$T/exp")
	like '^g[0-9]+$' "$g" "$_how: the policy event has a grant for exp"
	like '"id":"'"$g"'","path":"'"$T"'/exp","level":"write","ttl":null,"expires":2,"until":"[0-9T:.-]+Z"' \
		"$(grep -m1 '"event":"policy"' "$_log")" "$_how: ... with expires 2 and its until"
	ok "$_how: the creation before the expiry is logged with the grant" \
		test -n "$(field "$_log" op real "$T/exp/before" access create decision allow grant "$g")"
	n=$(grep '"decision":"deny"' "$_log" | grep -c "\"real\":\"$T/exp/")
	is 10 "$n" "$_how: the 10 refusals after the expiry are logged"
	s=$(sed -n '1s/.*"session":"\([0-9a-f]*\)".*/\1/p' "$_log")
	is 0 "$(grep -vc "\"session\":\"$s\"" "$_log")" "$_how: one session for the whole tree (no child started its own)"
	is 1 "$(grep -c '"event":"policy"' "$_log")" "$_how: one policy event"
}

out=$("$WARD" run -p p.conf -l "$T/run.jsonl" -- sh -c "$script" 2>/dev/null)
check_run "ward run" "$out" run.jsonl

rm -rf exp && mkdir exp
out=$(LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 sh -c "$script" 3>>hand.jsonl 2>/dev/null)
check_run "by hand" "$out" hand.jsonl

# a control: without the expiry the same program may write everywhere it tried
sed 's/ expires = "2s";//' p.conf > never.conf
rm -rf exp && mkdir exp
out=$("$WARD" run -p never.conf -l "$T/never.jsonl" -- sh -c "$script" 2>/dev/null)
is "before ok
self-after ok
append ok
rm ok
child ok
unset-fd ok
new-policy ok
emptied ok
env-i ok
env-i-policy ok
other-rules ok
re-exec ok" "$out" "control: without expires, every attempt succeeds"

# a new session does start afresh: ward run again, the rule counts again
rm -rf exp && mkdir exp
out=$("$WARD" run -p p.conf -l "$T/again.jsonl" -- sh -c 'echo x > exp/again && echo ok' 2>&1)
is "ok" "$out" "a new ward run is a new session: the rule counts again for 2 s"
