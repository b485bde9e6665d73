#!/bin/sh
# 310-run-log-concurrency: the audit log under load (DESIGN §7). Eight processes
# making 2,000 logged operations each at once give exactly 16,000 op lines, each
# one whole JSON object with the fields of §7, under `ward run` (the library writes
# to a socket that ward run reads) and by hand (3>>LOG, a plain file). A path of
# 4,000 characters gives a line of at most 4,096 bytes, marked as cut.
. "$top_srcdir/t/run/lib.sh"
plan 15
OPS=$BIN/run_ops

mkdir -p docs secrets
echo SECRET > secrets/k
std_policy p.conf

# -- under ward run -----------------------------------------------------------
ok "8 x 2000 operations under ward run" \
	"$WARD" run -p p.conf -l "$T/run.jsonl" -- "$OPS" 8 2000 "$T/docs" "$T/secrets/k"
ok "exactly 16000 op lines, each valid with the fields of §7 (ward run): 8000 denials, 4000 creations, 4000 deletions" \
	$CHECK validate "$T/run.jsonl" --ops 16000 \
	--count 8000 "decision=deny,errno=ENOENT,access=read,real=$T/secrets/k" \
	--count 4000 "decision=allow,access=create,level=write" \
	--count 4000 "decision=allow,access=delete,level=write"
is "" "$(ls docs)" "the workers cleaned up (ward run)"

# -- by hand, a plain file opened for appending ---------------------------------
ok "8 x 2000 operations by hand (3>>log)" \
	sh -c 'LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$1" 8 2000 "$2/docs" "$2/secrets/k" 3>>"$2/hand.jsonl"' \
	sh "$OPS" "$T"
ok "exactly 16000 op lines, each valid with the fields of §7 (by hand): 8000 denials, 4000 creations, 4000 deletions" \
	$CHECK validate "$T/hand.jsonl" --ops 16000 \
	--count 8000 "decision=deny,errno=ENOENT,access=read,real=$T/secrets/k" \
	--count 4000 "decision=allow,access=create,level=write" \
	--count 4000 "decision=allow,access=delete,level=write"
is 1 "$(grep -c '"event":"policy"' hand.jsonl)" "one policy event for the whole tree (by hand)"

# -- 4,000-character paths ------------------------------------------------------
# A hidden file at the end of a real 4,000-character path (a path that does not
# exist is refused by the kernel before ward decides anything). NAME is one name of
# the path; the names are repeated until the path is just under 4,000 bytes.
# Prints the path.
# (lengths are in bytes: the shell that runs the tests may count characters otherwise)
LC_ALL=C
export LC_ALL
deep() {
	_p=secrets
	while [ $(( ${#_p} + 1 + ${#1} )) -lt 3990 ]; do
		_p=$_p/$1
	done
	_p=$_p/$(printf '%0*d' $((4000 - ${#_p} - 1)) 0 | tr 0 f)
	mkdir -p "${_p%/*}" && echo SECRET > "$_p" && printf '%s' "$_p"
}
long=$(deep "$(printf '%099d' 0 | tr 0 a)") || bail "cannot make the long path"
is 4000 "$(printf '%s' "$long" | wc -c)" "the long path has 4000 bytes"
"$WARD" run -p p.conf -l "$T/long.jsonl" -- "$CALL" read ENOENT "$long" >/dev/null 2>&1
ok "the line of a 4000-character path is valid JSON of at most 4096 bytes (ward run)" \
	$CHECK validate "$T/long.jsonl" --ops 1
is 1 "$($CHECK count "$T/long.jsonl" decision=deny errno=ENOENT cut=true)" \
	"and it is a denial marked as cut"
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$CALL" read ENOENT "$long" 3>>"$T/long2.jsonl" >/dev/null 2>&1
ok "the same by hand" $CHECK validate "$T/long2.jsonl" --ops 1
is 1 "$($CHECK count "$T/long2.jsonl" decision=deny errno=ENOENT cut=true)" "marked as cut (by hand)"

# Characters that JSON escapes (each " and \ takes 2 bytes, a tab or newline 2, other
# control characters 6): the cut must not split an escape.
tab=$(printf '\t')
nl='
'
esc=$(deep "$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "\"\\\001" }')$tab$nl") || bail "cannot make the escaped path"
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$CALL" read ENOENT "$esc" 3>>"$T/esc.jsonl" >/dev/null 2>&1
ok "a long path of escaped characters gives a valid line of at most 4096 bytes" \
	$CHECK validate "$T/esc.jsonl" --ops 1
is 1 "$($CHECK count "$T/esc.jsonl" decision=deny cut=true)" "marked as cut (escaped characters)"
# Multi-byte UTF-8 characters (2, 3 and 4 bytes): the cut must not split one, or
# the line is no longer UTF-8, hence no longer JSON.
utf=$(deep "$(awk 'BEGIN { for (i = 0; i < 9; i++) printf "é€𝄞" }')") || bail "cannot make the UTF-8 path"
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=p.conf WARD_LOG_FD=3 "$CALL" read ENOENT "$utf" 3>>"$T/utf.jsonl" >/dev/null 2>&1
ok "a long path of multi-byte characters gives a valid line of at most 4096 bytes" \
	$CHECK validate "$T/utf.jsonl" --ops 1
is 1 "$($CHECK count "$T/utf.jsonl" decision=deny cut=true)" "marked as cut (multi-byte characters)"
