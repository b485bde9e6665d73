#!/bin/sh
# 591-backstop-view-list: the folders on the way to a granted area list the same under the backstop.
# Under `ward run` the Landlock backstop refuses to list the folders on the way to a
# granted area (README "departs": they are `view`, and a view folder can be listed),
# so the same program lists /etc by hand (LD_PRELOAD) and under --no-landlock, but
# gets EACCES under `ward run -P strict`. Seen with strict: / and /etc.
. "$top_srcdir/t/lib.sh"
plan 4

"$WARD" explain -P strict -r "$T" /etc > explain.out
like '^view	/etc	' "$(cat explain.out)" "ward explain: /etc is view under strict"
want=$(under_preset strict /bin/ls -A /etc 2>&1)
is "ld.so.cache
localtime" "$want" "by hand: ls -A /etc lists the granted entries only"
got=$("$WARD" run --no-landlock -P strict -r "$T" -l "$T/a.jsonl" -- /bin/ls -A /etc 2>/dev/null)
is "$want" "$got" "ward run --no-landlock: the same listing"
got=$("$WARD" run -P strict -r "$T" -l "$T/b.jsonl" -- /bin/ls -A /etc 2>&1 | grep -v '^ward: ')
is "$want" "$got" "ward run (Landlock): the same listing"
