#!/bin/sh
# 460-example-report: examples/report-generator/run.sh, the scenario that started
# ward (issue 4): a Python agent writes its CSV report to a transient area and can
# write nowhere else; the report is purged after the ttl; the audit log pairs the
# grant, the creation and the purge, and ward report shows them.
. "$top_srcdir/t/policy/lib.sh"
need_py
plan_lazy

EX=$top_srcdir/examples/report-generator
ok "the example's policy is valid" "$WARD" check "$EX/policy.conf"
out=$(WARD=$WARD PYTHON3=$PY sh "$EX/run.sh" "$T/ex" 2>&1)
is 0 $? "run.sh exits 0"
log=$T/ex/audit.jsonl

# the denial
like '^agent: cannot write report\.csv: Permission denied$' "$out" "the agent asked to write report.csv is denied"
like '^\(exit status 1\)$' "$out" "... and exits 1"
like '^no report\.csv$' "$out" "... nothing was written"
ok "report.csv does not exist" test ! -e "$T/ex/report.csv"
ok "the denial is logged (create, EACCES)" \
	test -n "$(field "$log" op real "$T/ex/report.csv" access create decision deny errno EACCES)"

# the grant and the creation
g=$(grant_of "$log" "$T/ex/transient/")
like '^g[0-9]+$' "$g" "the policy event grants transient/"
like '"id":"'"$g"'","path":"'"$T"'/ex/transient/","level":"write","ttl":2,' \
	"$(grep -m1 '"event":"policy"' "$log")" "... write, with its ttl of 2 s"
rep=$(printf '%s\n' "$out" | sed -n 's/^agent: wrote \(transient\/report-[0-9]*\.csv\) (3 regions)$/\1/p')
like '^transient/report-[0-9]+\.csv$' "$rep" "the agent wrote its report to the transient area"
ok "the creation is logged with the grant's id" \
	test -n "$(field "$log" op real "$T/ex/$rep" access create decision allow grant "$g")"
is 0 "$(grep '"decision":"allow"' "$log" | grep '"access":"\(create\|write\|delete\)"' |
	grep -F "\"real\":\"$T/ex/" | grep -vcF "\"real\":\"$T/ex/transient/")" \
	"no allowed write in the work folder outside the transient area"

# the purge
like '^ward: purged 1 entry$' "$out" "ward purge after the ttl purged 1 entry"
like '^transient/ is empty$' "$out" "the transient area is empty afterwards"
ok "the report is gone" test ! -e "$T/ex/$rep"
ok "the purge is logged with the same grant's id" test -n "$(field "$log" purge real "$T/ex/$rep" grant "$g")"
ok "no content of the report in the log" eval '! grep -q "north\|south" "$log"'

# the trail and ward report
like "^grant +[0-9a-f]{16} $g write $T/ex/transient/ ttl=2s \\(policy\\.conf:[0-9]+\\)$" "$out" "the trail shows the grant"
like "^allow +[0-9a-f]{16} create $T/ex/$rep $g$" "$out" "... the creation"
like "^purge +[0-9a-f]{16} $T/ex/$rep age=[0-9]+s $g$" "$out" "... and the purge"
like "^ +1 +create +$T/ex/report\\.csv +\\(preset agent-safe:[0-9]+\\)$" "$out" "ward report lists the denial"
like "^ +1 +create +$T/ex/$rep +\\(grant $g\\)$" "$out" "ward report lists the creation with its grant"
like "^Purges: 1$" "$out" "ward report counts the purge"
like "^  $T/ex/$rep +age [0-9]+s +\\(grant $g\\)$" "$out" "... and lists it"
ok "the log is valid JSON Lines" "$PY" -c '
import json, sys
for l in open(sys.argv[1]):
    json.loads(l)' "$log"
