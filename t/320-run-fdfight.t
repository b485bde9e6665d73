#!/bin/sh
# 320-run-fdfight: the program cannot close, replace, move or rewrite the audit
# descriptor (DESIGN §3 "keeps the audit descriptor even when the program closes all
# other descriptors", §7 "cannot close, replace or move", SURFACE pitfall 12).
# t/bin/run_fdfight attacks every descriptor it holds one way, then makes a denied
# open and starts a child that makes another: both must be logged, every line must
# still be whole JSON, and the bytes logged before must be unchanged. Each way is
# tried by hand (a plain file, 3>>LOG) and under ward run (a socket).
. "$top_srcdir/t/run/lib.sh"

modes="close closeall sys_close dup2 dup3 close_range close_range_cloexec
sys_close_range closefrom procloop getdents fcntl_dupfd fcntl_dupfd_cloexec setfl
setfd ftruncate lseek pwrite reopen truncpath spawn_close spawn_dup2"
n=0
for m in $modes; do n=$((n + 1)); done
plan $((n * 4 + 3))

mkdir -p docs secrets
std_policy p.conf
FIGHT=$BIN/run_fdfight

# the log starts with a few lines, so that "before" has bytes to lose
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$CALL" create ok docs/start 3>>"$T/hand.jsonl" >/dev/null
"$WARD" run -p p.conf -l "$T/run.jsonl" -- "$CALL" create ok docs/start2 >/dev/null 2>&1

# unchanged LOG COPY: the log still begins with the bytes of COPY
unchanged() {
	_n=$(wc -c < "$2")
	[ "$_n" -gt 0 ] && head -c "$_n" "$1" | cmp -s - "$2"
}

# denial LOG PATH: the log has one line for a denied read of PATH, with ENOENT
denial() {
	[ "$(grep -c "\"path\":\"$2\",.*\"access\":\"read\",\"decision\":\"deny\",.*\"errno\":\"ENOENT\"" "$1")" = 1 ]
}

# logged LOG TAG: the parent's denials before and after the attack, and the child's,
# are in the log, the first two in this order
logged() {
	for _w in before after child; do
		denial "$1" "secrets/$_w-$2" || { echo "no denial of secrets/$_w-$2"; return 1; }
	done
	_b=$(grep -n "\"path\":\"secrets/before-$2\"" "$1" | cut -d: -f1)
	_a=$(grep -n "\"path\":\"secrets/after-$2\"" "$1" | cut -d: -f1)
	[ "$_b" -lt "$_a" ] || { echo "after-$2 was logged before before-$2"; return 1; }
}

for m in $modes; do
	for w in before after child; do
		echo SECRET > "secrets/$w-$m"
		echo SECRET > "secrets/$w-run-$m"
	done

	cp hand.jsonl hand.copy
	ok "by hand, $m: the denial after the attack and the child's are refused (ENOENT)" \
		sh -c 'log=$1; shift; LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$@" 3>>"$log"' \
		sh "$T/hand.jsonl" "$FIGHT" "$m" "$T/hand.jsonl" "$m" "$CALL" read ENOENT "secrets/child-$m"
	ok "by hand, $m: both are logged, the earlier bytes of the log unchanged" \
		eval 'logged hand.jsonl "$m" && unchanged hand.jsonl hand.copy'

	cp run.jsonl run.copy
	ok "ward run, $m: the denial after the attack and the child's are refused (ENOENT)" \
		"$WARD" run -p p.conf -l "$T/run.jsonl" -- \
		"$FIGHT" "$m" "$T/run.jsonl" "run-$m" "$CALL" read ENOENT "secrets/child-run-$m"
	ok "ward run, $m: both are logged, the earlier bytes of the log unchanged" \
		eval 'logged run.jsonl "run-$m" && unchanged run.jsonl run.copy'
done

# the whole logs, once: every line is JSON with the fields of §7
hand_counts= run_counts=
for m in $modes; do
	for w in before after child; do
		hand_counts="$hand_counts --count 1 path=secrets/$w-$m,decision=deny,errno=ENOENT"
		run_counts="$run_counts --count 1 path=secrets/$w-run-$m,decision=deny,errno=ENOENT"
	done
done
ok "by hand: every line of the log is whole JSON with the fields of §7, each denial once" \
	$CHECK validate hand.jsonl $hand_counts
ok "ward run: every line of the log is whole JSON with the fields of §7, each denial once" \
	$CHECK validate run.jsonl $run_counts
ok "ward run never received anything but whole lines" \
	eval '! grep -q "\"event\":\"unparsed\"" run.jsonl'
