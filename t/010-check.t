#!/bin/sh
# 010-check: ward check (DESIGN.md section 4): an invalid policy prints
# "FILE:LINE: message" on stderr and exits 1; a valid one prints its rule count and
# its hash and exits 0.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/data/bad-policies.sh"
plan_lazy

# ---- invalid policies: the exact file and line ----
bad_policies > bad.list
while read -r entry file line re; do
	"$WARD" check "$entry" > out 2> err
	is 1 "$?" "check $entry: exit 1"
	is "" "$(cat out)" "check $entry: nothing on stdout"
	f=$(printf '%s' "$file" | sed 's/\./\\./g')
	like "^(ward: )?(\\./|.*/)?$f:$line: " "$(head -n 1 err)" "check $entry: $file:$line: on stderr"
	is 1 "$(grep -c . err)" "check $entry: one line on stderr"
	msg=$(head -n 1 err | sed "s/^.*$f:$line: //")
	if printf '%s\n' "$msg" | grep -Eiq -- "$re"; then
		ok "check $entry: the message says /$re/" true
	else
		ok "check $entry: the message says /$re/ (got: $msg)" false
	fi
done < bad.list

# a missing file: a message naming it, exit 1
"$WARD" check no-such.conf > out 2> err
is 1 "$?" "check of a missing file: exit 1"
like "no-such\\.conf" "$(cat err)" "... the message names the file"

# ---- valid policies ----
policy good.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; }
);
P
"$WARD" check good.conf > out 2> err
is 0 "$?" "check good.conf: exit 0"
is "" "$(cat err)" "check good.conf: nothing on stderr"
like "(^|[^0-9])2 rules" "$(cat out)" "check good.conf: 2 rules"
like "xxh3:[0-9a-f]{16}([^0-9a-f]|$)" "$(cat out)" "check good.conf: the hash is xxh3: and 16 hex digits"
hash_good=$(grep -Eo 'xxh3:[0-9a-f]{16}' out)

# the same rules, written otherwise: the same hash
cat > good2.conf <<'P'
# the same policy as good.conf
version=1;
rules=( {path="/**";level="read";},   // everything
        { level = "write" ; path = "./docs" ; }
) ;
P
"$WARD" check good2.conf > out 2> err
is 0 "$?" "check good2.conf: exit 0"
is "$hash_good" "$(grep -Eo 'xxh3:[0-9a-f]{16}' out)" "other spacing and comments: the same hash"

# the policy event of the audit log carries the same hash
LD_PRELOAD=$WARD_PRELOAD WARD_POLICY=good.conf WARD_LOG_FD=3 "$CALL" stat ok good.conf 3>> audit.jsonl > out 2> err
is 0 "$?" "a run under good.conf with an audit log"
is "$hash_good" "$(grep '"event":"policy"' audit.jsonl | grep -Eo 'xxh3:[0-9a-f]{16}' | head -n 1)" \
	"the policy event of the audit log has the hash ward check prints"

# a changed rule: another hash
policy good3.conf <<'P'
rules = (
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "view"; }
);
P
"$WARD" check good3.conf > out 2> err
is 0 "$?" "check good3.conf: exit 0"
h3=$(grep -Eo 'xxh3:[0-9a-f]{16}' out)
ok "a changed level: another hash ($h3)" test -n "$h3" -a "$h3" != "$hash_good"

policy five.conf <<'P'
hide = ( "/**/*.pem" );
rules = (
  { path = "/**"; level = "read"; },
  { path = "docs"; level = "write"; },
  { path = "metadata"; level = "view"; },
  { path = "secrets"; level = "none"; },
  { path = "/tmp/exports"; level = "write"; justification = "the export tool"; }
);
P
"$WARD" check five.conf > out 2> err
is 0 "$?" "check five.conf: exit 0"
like "(^|[^0-9])5 rules" "$(cat out)" "check five.conf: 5 rules"

policy empty.conf <<'P'
rules = ( );
P
"$WARD" check empty.conf > out 2> err
is 0 "$?" "check of an empty rules list: exit 0"
like "(^|[^0-9])0 rules" "$(cat out)" "check empty.conf: 0 rules"

# several files: each reported; one bad one makes the exit 1
"$WARD" check good.conf unknown-level.conf five.conf > out 2> err
is 1 "$?" "check good bad good: exit 1"
like "good\\.conf" "$(cat out)" "... good.conf reported"
like "five\\.conf" "$(cat out)" "... five.conf reported"
like "^(ward: )?unknown-level\\.conf:4: " "$(cat err)" "... the bad one on stderr"
"$WARD" check good.conf five.conf > out 2> err
is 0 "$?" "check of two valid files: exit 0"
is 2 "$(grep -c 'xxh3:' out)" "... two hashes"

# every preset, printed by ward presets, is a valid policy
for p in agent-safe read-only development strict full-access; do
	"$WARD" presets "$p" > "preset-$p.conf"
	is 0 "$?" "ward presets $p"
	ok "ward check of preset $p" "$WARD" check "preset-$p.conf"
done

# ... also when HOME lies in /tmp (containers, CI, dh's package builds set it there):
# a preset's rules under ~ then name /tmp, and need their justification
tmphome=$(mktemp -d /tmp/ward-home.XXXXXX) || bail "mktemp"
for p in agent-safe read-only development strict full-access; do
	ok "HOME in /tmp: ward check of preset $p" env HOME="$tmphome" "$WARD" check "preset-$p.conf"
	# (full-access writes everywhere: its log is the default one, in the hidden state folder)
	_l="-l $LOGS/home-$p.jsonl"
	[ "$p" = full-access ] && _l=
	ok "HOME in /tmp: ward run -P $p" env HOME="$tmphome" XDG_STATE_HOME="$tmphome/.local/state" "$WARD" run -P "$p" $_l -- true
done
rm -rf "$tmphome"

# usage errors
"$WARD" check > out 2> err
is 2 "$?" "check without a file: usage error, exit 2"
