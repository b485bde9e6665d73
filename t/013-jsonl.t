#!/bin/sh
# 013-jsonl: audit lines are valid JSON of at most 4096 bytes, long strings cut and
# marked (DESIGN.md section 7). t/unit/jsonl writes the lines; python3's json module
# parses them back (t/data/jsonl-check.py).
. "$top_srcdir/t/lib.sh"
PY=${PYTHON3:-python3}
command -v "$PY" >/dev/null 2>&1 || skip_all "python3 is not installed"
plan_lazy

ok "t/unit/jsonl writes its lines" "$top_builddir/t/unit/jsonl" lines.jsonl
"$PY" "$top_srcdir/t/data/jsonl-check.py" lines.jsonl > results 2>&1
is 0 "$?" "the checker runs"
while IFS='|' read -r st desc detail; do
	case $st in
	PASS|FAIL) is PASS "$st" "$desc" || diag "$detail" ;;
	*) ok "checker output: $st $desc" false ;;
	esac
done < results
