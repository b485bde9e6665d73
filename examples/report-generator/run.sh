#!/bin/sh
# run.sh: the report-generator scenario of ward.
#
#   examples/report-generator/run.sh [WORKDIR]
#
# Copies the agent and its policy into WORKDIR (default: a fresh mktemp -d folder),
# then: runs the agent under `ward run` asked to write outside its area (denied);
# runs it again (it writes its CSV to the transient area); waits past the ttl and runs
# `ward purge`; and shows the audit trail of the grant and `ward report` of the log.
# WARD (default: ward) and PYTHON3 (default: python3) name the programs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
WARD=${WARD:-ward}
# the interpreter itself, not a wrapper script (pyenv's shims are shell scripts)
PY=$("${PYTHON3:-python3}" -c 'import os, sys; print(os.path.realpath(sys.executable))') || exit 1
exec 2>&1
work=${1:-$(mktemp -d)}
mkdir -p "$work" && cd "$work" || exit 1
cp "$here/agent.py" "$here/policy.conf" .
mkdir -p data transient
printf 'region,amount\nnorth,120\nsouth,80\nnorth,30\neast,55\n' > data/sales.csv
log=$PWD/audit.jsonl
: > "$log"

echo "== 1. asked to write outside its transient area, the agent is denied"
"$WARD" run -p policy.conf -l "$log" -- "$PY" agent.py --out report.csv
echo "(exit status $?)"
ls report.csv 2>/dev/null || echo "no report.csv"

echo "== 2. the agent writes its report to the transient area"
"$WARD" run -p policy.conf -l "$log" -- "$PY" agent.py
ls transient

echo "== 3. past the ttl, ward purge deletes the report"
sleep 3
"$WARD" purge -p policy.conf -l "$log"
ls transient | grep . || echo "transient/ is empty"

echo "== 4. the audit trail: the grant, the creation, the purge"
"$PY" - "$log" "$PWD" <<'PYEOF'
import json, sys
work = sys.argv[2] + "/"
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "policy":
        for g in e["grants"]:
            if g["path"].endswith("/transient/"):
                print("grant   %s %s %s %s ttl=%ss (%s)" % (e["session"], g["id"], g["level"], g["path"], g["ttl"], g["rule"]))
    elif e["event"] == "op" and e["access"] in ("create", "write", "delete") and e["real"].startswith(work):
        print("%-7s %s %s %s %s%s" % (e["decision"], e["session"], e["access"], e["real"], e.get("grant", "-"),
                                      " " + e["errno"] if "errno" in e else ""))
    elif e["event"] == "purge":
        print("purge   %s %s age=%ss %s" % (e["session"], e["real"], e["age_s"], e["grant"]))
PYEOF

echo "== 5. ward report"
"$WARD" report "$log"
