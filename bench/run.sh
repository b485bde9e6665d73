#!/bin/sh
# run.sh BUILDDIR: the driver of `make bench` (see bench/local.mk and DESIGN §8).
#
# Makes its data once under BUILDDIR/bench/data (a 20,000-file tree in a git
# repository, a 10,000-entry folder holding hidden entries, policies of 10 and of
# 10,000 rules), then runs every workload natively, under libward.so (LD_PRELOAD,
# the library alone) and under `ward run` (library + Landlock backstop), in
# BENCH_ROUNDS rounds (default 5; BENCH_MICRO_REPS alternations of each micro row in
# a round, default 3) that interleave the variants so that the
# machine's drift cancels, and prints the medians, the ratios and the targets.
# Micro-benchmarks time their own loop (bench/micro); the other workloads are timed
# from outside, process start-up included. Exit status 0 whatever the ratios: a
# missed target is printed as MISSED, not failed.
set -eu
LC_ALL=C
export LC_ALL

B=${1:?usage: run.sh BUILDDIR}
ROUNDS=${BENCH_ROUNDS:-5}
S=$B/bench                       # the policies' ROOT
D=$S/data
LIB=$B/shim/.libs/libward.so
WARD=$B/cli/ward
MICRO=$B/bench/micro
RES=$D/results
for f in "$LIB" "$WARD" "$MICRO"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "bench: $f is missing (make first)" >&2; exit 1; }
done

now() { date +%s%N; }

# ---- data (made once, kept between runs; `make mostlyclean` removes it) ----
mkdir -p "$D"
if [ ! -f "$D/.ready" ]; then
	echo "bench: making the data in $D (once)..." >&2
	rm -rf "$D/tree" "$D/list" "$D/out"
	mkdir -p "$D/tree" "$D/list" "$D/out"
	echo hello > "$D/file.txt"
	# 200 folders of 100 files: 20,000 files
	( cd "$D/tree" && awk 'BEGIN { for (d = 0; d < 200; d++) printf "d%03d ", d }' | xargs mkdir -p )
	awk -v t="$D/tree" 'BEGIN {
		for (d = 0; d < 200; d++) for (f = 0; f < 100; f++) {
			p = sprintf("%s/d%03d/f%02d.txt", t, d, f)
			printf "file %d %d\n", d, f > p; close(p)
		} }'
	# 10,000 entries, 500 of them hidden by the policy (*.key)
	awk -v t="$D/list" 'BEGIN {
		for (i = 0; i < 10000; i++) {
			p = (i % 20 == 0) ? sprintf("%s/s%05d.key", t, i) : sprintf("%s/f%05d", t, i)
			printf "" > p; close(p)
		} }'
	if [ -n "${GIT:-}" ]; then
		( cd "$D/tree" && "$GIT" init -q && "$GIT" add -A &&
		  "$GIT" -c user.name=bench -c user.email=bench@localhost commit -qm data ) >/dev/null
	fi
	touch "$D/.ready"
fi
rm -rf "$RES" "$D/out"
mkdir -p "$RES" "$D/out"

# ---- policies ----
policy_head()
{
	cat <<EOP
version = 1;
root = "$S";
default = "none";
hide = ( "/**/*.key", "/**/.env" );
rules = (
  { path = "/**";        level = "read"; },
EOP
}
policy_tail()
{
	cat <<EOP
  { path = "data";       level = "write"; },
  { path = "/dev/null";  level = "write"; },
  { path = "/dev/zero";  level = "write"; },
  { path = "/dev/tty";   level = "write"; }
);
EOP
}
P10=$D/p10.conf
P10K=$D/p10000.conf
{ policy_head; policy_tail; } > "$P10"
{
	policy_head
	# 9,990 more: literal folders, globs beneath a literal folder, names anywhere,
	# and hides by name; none of them matches what the workloads touch.
	awk 'BEGIN {
		for (i = 0; i < 7000; i++) printf "  { path = \"data/area/p%05d\"; level = \"write\"; },\n", i
		for (i = 0; i < 1500; i++) printf "  { path = \"data/area/g%04d/*.txt\"; level = \"read\"; },\n", i
		for (i = 0; i < 1000; i++) printf "  { path = \"/**/name%04d\"; level = \"none\"; },\n", i
		for (i = 0; i < 490; i++) printf "  { path = \"/srv/s%03d/**/x*.log\"; level = \"view\"; },\n", i
	}'
	policy_tail
} > "$P10K.tmp"
# the hides go into the hide list of the big policy too
sed 's|^hide = ( "/\*\*/\*.key", "/\*\*/.env" );|hide = ( "/**/*.key", "/**/.env", '"$(awk 'BEGIN { for (i = 0; i < 50; i++) printf "\"/**/hidden%03d/\", ", i }')"'"/opt/h/*.cfg" );|' "$P10K.tmp" > "$P10K"
rm -f "$P10K.tmp"
# 1,000 rules for the memory row
P1K=$D/p1000.conf
{
	policy_head
	awk 'BEGIN {
		for (i = 0; i < 700; i++) printf "  { path = \"data/area/p%05d\"; level = \"write\"; },\n", i
		for (i = 0; i < 150; i++) printf "  { path = \"data/area/g%04d/*.txt\"; level = \"read\"; },\n", i
		for (i = 0; i < 100; i++) printf "  { path = \"/**/name%04d\"; level = \"none\"; },\n", i
		for (i = 0; i < 45; i++) printf "  { path = \"/srv/s%03d/**/x*.log\"; level = \"view\"; },\n", i
	}'
	policy_tail
} > "$P1K"
"$WARD" check "$P1K" >/dev/null 2>&1 || { echo "bench: ward check $P1K failed:" >&2; "$WARD" check "$P1K" >&2; exit 1; }
"$WARD" check "$P10" >/dev/null 2>&1 || { echo "bench: ward check $P10 failed:" >&2; "$WARD" check "$P10" >&2; exit 1; }
"$WARD" check "$P10K" >/dev/null 2>&1 || { echo "bench: ward check $P10K failed:" >&2; "$WARD" check "$P10K" >&2; exit 1; }
NRULES=$(grep -c 'path = ' "$P10K")
NHIDE=$(sed -n 's/^hide = (\(.*\));/\1/p' "$P10K" | tr ',' '\n' | grep -c '"')

# ---- the programs ----
PY=
if [ -n "${PYTHON3:-}" ]; then
	PY=$("$PYTHON3" -c 'import sys; print(sys.executable)' 2>/dev/null || true)
fi
PYMODS="json,re,os,collections,itertools,functools,typing,pathlib,subprocess,threading,socket,datetime,decimal,fractions,random,hashlib,base64,csv,argparse,logging,tempfile,shutil,struct,heapq,bisect,textwrap,string,dataclasses,enum,uuid"
cat > "$D/read.js" <<'EOJ'
const fs = require('fs');
const base = process.argv[2];
let n = 0;
for (let d = 0; d < 50; d++)
	for (let f = 0; f < 100; f++)
		n += fs.readFileSync(base + '/d' + String(d).padStart(3, '0') + '/f' + String(f).padStart(2, '0') + '.txt').length;
if (n === 0) process.exit(1);
EOJ
cat > "$D/procs.sh" <<'EOS'
i=0
while [ $i -lt 500 ]; do
	/bin/true
	i=$((i + 1))
done
EOS

# Iterations of the micro loops (about 0.05 to 0.2 s each natively).
N_OPEN=${BENCH_N:-20000}
N_LIST=${BENCH_NLIST:-20}
MICRO_REPS=${BENCH_MICRO_REPS:-3}

# workload KEY -> the command (micro ones print their own nanoseconds)
is_micro() { case $1 in open|openat|stat|fail|list) return 0;; esac; return 1; }
cmd_of()
{
	case $1 in
	open)   echo "$MICRO open $N_OPEN $D/file.txt";;
	openat) echo "$MICRO openat $N_OPEN $D file.txt";;
	stat)   echo "$MICRO stat $N_OPEN $D/file.txt";;
	fail)   echo "$MICRO fail $N_OPEN $D/missing.txt";;
	list)   echo "$MICRO list $N_LIST $D/list";;
	sh500)  echo "/bin/sh $D/procs.sh";;
	py30)   echo "$PY -c import\\ $PYMODS";;
	git)    echo "$GIT -C $D/tree status --porcelain";;
	tar)    echo "tar -cf $D/out/t.tar -C $D tree";;
	find)   echo "find $D/tree -type f";;
	node)   echo "$NODE $D/read.js $D/tree";;
	esac
}

# run KEY VARIANT: appends one time in ns to $RES/KEY.VARIANT
run()
{
	k=$1 v=$2
	c=$(cmd_of "$k")
	# the shell splits $c on blanks; "\ " is kept for the python line
	case $v in
	nat)   set -- env;;
	lib)   set -- env LD_PRELOAD="$LIB" WARD_POLICY="$P10";;
	lib10k) set -- env LD_PRELOAD="$LIB" WARD_POLICY="$P10K";;
	run)   set -- "$WARD" run -p "$P10" -l "$D/out/run.log" --;;
	runnl) set -- "$WARD" run --no-landlock -p "$P10" -l "$D/out/run.log" --;;
	esac
	if [ "$k" = py30 ]; then
		set -- "$@" "$PY" -c "import $PYMODS"
	else
		# shellcheck disable=SC2086
		set -- "$@" $c
	fi
	if is_micro "$k"; then
		t=$("$@" 2>"$RES/err") || { echo "bench: $k ($v) failed:" >&2; cat "$RES/err" >&2; exit 1; }
	else
		t0=$(now)
		"$@" >/dev/null 2>"$RES/err" || { echo "bench: $k ($v) failed:" >&2; cat "$RES/err" >&2; exit 1; }
		t1=$(now)
		t=$((t1 - t0))
	fi
	echo "$t" >> "$RES/$k.$v"
}

WORK="open openat stat fail list sh500"
[ -n "$PY" ] && WORK="$WORK py30"
[ -n "${GIT:-}" ] && WORK="$WORK git"
WORK="$WORK tar find"
[ -n "${NODE:-}" ] && WORK="$WORK node"

# The library must be in force: a hidden file is missing under it.
env LD_PRELOAD="$LIB" WARD_POLICY="$P10" "$MICRO" fail 1 "$D/list/s00000.key" >/dev/null ||
	{ echo "bench: the library does not hide $D/list/s00000.key" >&2; exit 1; }

start=$(now)
r=1
while [ $r -le "$ROUNDS" ]; do
	printf 'bench: round %d of %d\r' "$r" "$ROUNDS" >&2
	for k in $WORK; do
		vs="nat lib run runnl"
		is_micro "$k" && vs="nat lib lib10k run runnl"
		# alternate the order from one round to the next
		if [ $((r % 2)) -eq 0 ]; then
			vs=$(echo "$vs" | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
		fi
		# the micro loops are short: several alternations per round (more samples
		# against bursts of other load), the other workloads one
		reps=1
		is_micro "$k" && reps=$MICRO_REPS
		j=0
		while [ $j -lt $reps ]; do
			for v in $vs; do
				run "$k" "$v"
			done
			j=$((j + 1))
		done
	done
	r=$((r + 1))
done
end=$(now)
echo >&2

# ---- the table ----
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
label()
{
	case $1 in
	open)   echo "open+close, absolute path";;
	openat) echo "openat with a dirfd";;
	stat)   echo "stat";;
	fail)   echo "failing open (ENOENT)";;
	list)   echo "list 10,000 entries (500 hidden)";;
	sh500)  echo "sh starting 500 processes";;
	py30)   echo "python3 importing 30 modules";;
	git)    echo "git status, 20,000 files";;
	tar)    echo "tar, 20,000 files";;
	find)   echo "find, 20,000 files";;
	node)   echo "node reading 5,000 files";;
	esac
}
target()
{
	case $1 in
	open|openat|stat|fail) echo 1.10;;
	list|sh500) echo 1.15;;
	*) echo 1.05;;
	esac
}
unit() { if is_micro "$1"; then echo op; else echo run; fi; }
per_op()
{
	# ns per operation (micro) or per run
	case $1 in
	open|openat|stat|fail) echo "$N_OPEN";;
	list) echo "$N_LIST";;
	*) echo 1;;
	esac
}
MISSED=0
row()
{
	# row LABEL KEY BASEVARIANT TESTVARIANT TARGET
	a=$(median "$RES/$2.$3")
	b=$(median "$RES/$2.$4")
	n=$(per_op "$2")
	line=$(awk -v l="$1" -v a="$a" -v b="$b" -v n="$n" -v t="$5" 'BEGIN {
		fa = a / n; fb = b / n
		ua = (fa >= 1e6) ? sprintf("%8.1f ms", fa / 1e6) : sprintf("%8.2f us", fa / 1e3)
		ub = (fb >= 1e6) ? sprintf("%8.1f ms", fb / 1e6) : sprintf("%8.2f us", fb / 1e3)
		r = b / a
		printf "%-36s %s %s %7.3f %7s  %s\n", l, ua, ub, r, t, (r <= t + 0.0005) ? "ok" : "MISSED"
	}')
	echo "$line"
	case $line in *MISSED) MISSED=$((MISSED + 1));; esac
}
hdr() { printf '%-36s %11s %11s %7s %7s  %s\n' "$1" "$2" "$3" ratio target result; }

echo
echo "make bench: medians of $ROUNDS interleaved rounds ($((ROUNDS * MICRO_REPS)) samples for the micro rows, which are per operation)"
echo
hdr "libward.so alone (LD_PRELOAD, 10 rules)" native ward
for k in $WORK; do row "$(label "$k")" "$k" nat lib "$(target "$k")"; done
echo
hdr "rule count: $NRULES rules + $NHIDE hides vs 10" "10 rules" "10k rules"
for k in $WORK; do is_micro "$k" && row "$(label "$k")" "$k" lib lib10k 1.05; done
echo
hdr "ward run (library + Landlock backstop)" native "ward run"
for k in $WORK; do row "$(label "$k")" "$k" nat run "$(target "$k")"; done
echo
hdr "ward run --no-landlock (library alone)" native "ward run"
for k in $WORK; do row "$(label "$k")" "$k" nat runnl "$(target "$k")"; done
echo
# the backstop's own price: the two ward run rows side by side (no target of its own)
printf '%-36s %11s %11s %7s\n' "the backstop's price" "no-landlock" "landlock" ratio
for k in $WORK; do
	a=$(median "$RES/$k.runnl")
	b=$(median "$RES/$k.run")
	n=$(per_op "$k")
	awk -v l="$(label "$k")" -v a="$a" -v b="$b" -v n="$n" 'BEGIN {
		fa = a / n; fb = b / n
		ua = (fa >= 1e6) ? sprintf("%8.1f ms", fa / 1e6) : sprintf("%8.2f us", fa / 1e3)
		ub = (fb >= 1e6) ? sprintf("%8.1f ms", fb / 1e6) : sprintf("%8.2f us", fb / 1e3)
		printf "%-36s %s %s %7.3f\n", l, ua, ub, b / a
	}'
done
echo
# Memory: VmRSS of the same process (it lists a folder, stats and opens every entry)
# natively and under ward run with 1,000 rules; the difference is what the library
# adds (its code and data, the mapped policy, its tables as touched).
: > "$RES/rss.nat"
: > "$RES/rss.run"
r=0
while [ $r -lt "$ROUNDS" ]; do
	"$MICRO" rss 3 "$D/tree/d000" >> "$RES/rss.nat"
	"$WARD" run --no-landlock -p "$P1K" -- "$MICRO" rss 3 "$D/tree/d000" >> "$RES/rss.run" 2>/dev/null ||
		{ echo "bench: the memory run failed" >&2; exit 1; }
	r=$((r + 1))
done
RN=$(median "$RES/rss.nat")
RW=$(median "$RES/rss.run")
printf '%-36s %11s %11s %7s %7s  %s\n' "memory (VmRSS), 1,000 rules" native "ward run" extra target result
awk -v a="$RN" -v b="$RW" 'BEGIN {
	x = b - a
	printf "%-36s %7d KiB %7d KiB %7d KiB %4d KiB  %s\n", "one process", a, b, x, 1024, (x <= 1024) ? "ok" : "MISSED"
}'
[ $((RW - RN)) -le 1024 ] || MISSED=$((MISSED + 1))
echo
echo "$MISSED target(s) missed; the bench took $(( (end - start) / 1000000000 )) s (data in $D)"
