#!/bin/sh
# run.sh: one fuzz target, for make fuzz-smoke and make fuzz-min.
#
#   run.sh run NAME SECONDS BIN SRCDIR WORKDIR
#       runs BIN for SECONDS on one core (nice), from a fresh copy of
#       SRCDIR/inputs/NAME/seed and .../regress in WORKDIR/NAME/corpus, with the
#       dictionary SRCDIR/NAME.dict; prints one line:
#           fuzz NAME: 60 s, 1234567 runs, cov 812, ft 2345, corpus 120: no finding
#       and, on a finding, the input's file and the end of the log (exit 1).
#   run.sh min NAME 0 BIN SRCDIR WORKDIR
#       merges SRCDIR/inputs/NAME/seed and what runs found (WORKDIR/NAME/corpus)
#       into a minimal set with the same coverage, written over the seeds.
set -u
mode=$1 name=$2 secs=$3 bin=$4 src=$5 work=$6
# absolute: some targets work in a private folder of their own
abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$(pwd)" "$1" ;; esac; }
bin=$(abs "$bin") src=$(abs "$src") work=$(abs "$work")
dir=$work/$name
dict=$src/$name.dict
inputs=$src/inputs/$name
[ -x "$bin" ] || { echo "fuzz $name: no $bin (make fuzz)"; exit 1; }
opts="-timeout=20 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1"
[ -f "$dict" ] && opts="$opts -dict=$dict"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

case $mode in
run)
	rm -rf "$dir" && mkdir -p "$dir/corpus" "$dir/found" || exit 1
	for d in seed regress; do
		[ -d "$inputs/$d" ] && cp "$inputs/$d"/* "$dir/corpus/" 2>/dev/null
	done
	# shellcheck disable=SC2086
	nice -n 10 "$bin" $opts -max_total_time="$secs" -artifact_prefix="$dir/found/" \
		"$dir/corpus" > "$dir/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$dir/log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	found=$(ls "$dir/found" 2>/dev/null | head -n 1)
	if [ $rc = 0 ] && [ -z "$found" ]; then
		echo "fuzz $name: $secs s, ${runs:-?} runs, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}: no finding"
		exit 0
	fi
	echo "fuzz $name: $secs s, ${runs:-?} runs, cov ${cov:-?}: FINDING ${found:+$dir/found/$found} (exit $rc)"
	grep -E 'ERROR|SUMMARY|property failed|runtime error|#[0-9]+ +in ' "$dir/log" | head -n 30
	exit 1
	;;
min)
	mkdir -p "$dir/corpus" || exit 1
	new=$dir/min.$$
	rm -rf "$new" && mkdir -p "$new" || exit 1
	# shellcheck disable=SC2086
	"$bin" $opts -merge=1 "$new" "$inputs/seed" "$dir/corpus" > "$dir/min.log" 2>&1 || {
		tail -n 20 "$dir/min.log"
		exit 1
	}
	rm -f "$inputs/seed"/* && cp "$new"/* "$inputs/seed/" && rm -rf "$new"
	echo "fuzz $name: $(ls "$inputs/seed" | wc -l) seeds kept"
	;;
*)
	echo "usage: run.sh run|min NAME SECONDS BIN SRCDIR WORKDIR" >&2
	exit 2
	;;
esac
