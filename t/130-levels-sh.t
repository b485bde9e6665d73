#!/bin/sh
# 130-levels-sh: every row of the levels table at every level, through sh and coreutils.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/levels/common.sh"
need_cmd cat ls stat readlink realpath find head cp dd mv ln rm rmdir mkdir mkfifo \
	mknod chmod chown touch truncate mktemp sed env sort
plan_lazy

lv_setup
lv_files s_redir s_app s_trunc s_cpover s_dd s_sed s_rm s_mv s_ln s_chmod s_chown \
	s_touch s_touchd
lv_dirs s_rmdir s_rmr
for L in $LEVELS; do
	echo data > "$L/s_rmr/x"
	ln -s f "$L/s_lchown"
	ln -s f "$L/s_touchh"
	echo "to $L" > "write/sto_$L"
	echo "lnk $L" > "write/slnk_$L"
done
lv_age

P=$T/p.conf
_snap=
NL='
'

# How the tools say it: strerror, or dash's words for ENOENT.
msg_of() {
	case $1 in
	ENOENT) echo 'No such file|Directory nonexistent|: not found' ;;
	EACCES) echo 'Permission denied' ;;
	EEXIST) echo 'File exists' ;;
	esac
}

# s CLASS OK OUTPUT CMD...: at level $L the command, under ward, either works and
# prints exactly OUTPUT (when lv_want says OK is "ok"), or fails with the message
# of the errno lv_want names, and then leaves the whole tree as it was.
s() {
	_class=$1
	_want=$(lv_want "$1" "$L" "$2")
	_out=$3
	shift 3
	if [ "$_want" = ok ]; then
		ok_program "$L: $* works" 0 "$_out" under "$P" "$@"
		_snap=
		return
	fi
	[ -n "$_snap" ] || _snap=$(lv_snap)
	_got=$(under "$P" "$@" 2>&1)
	_st=$?
	_re=$(msg_of "$_want")
	if [ "$_st" != 0 ] && printf '%s\n' "$_got" | grep -Eq -- "$_re"; then
		_tap_result 0 "$L: $* fails with $_want"
	else
		_tap_result 1 "$L: $* fails with $_want"
		diag "  wanted a failure saying: $_re"
		diag "     got status $_st, output: $_got"
	fi
	_after=$(lv_snap)
	lv_same "$L: $* left no trace" "$_snap" "$_after" || _snap=$_after
}

# scode CLASS OKSTATUS ENOENTSTATUS EACCESSTATUS CMD...: only the exit status tells.
scode() {
	case $(lv_want "$1" "$L") in
	ok) _w=$2 ;;
	ENOENT) _w=$3 ;;
	*) _w=$4 ;;
	esac
	shift 4
	under "$P" "$@" >/dev/null 2>&1
	is "$_w" "$?" "$L: $* exits with $_w"
}

# --- appears in its folder's listing ----------------------------------------------------
ok_program "ls lists every level but none" 0 "mix
p.conf
read
view
write" under "$P" ls
ok_program "ls: none entries are not listed" 0 "dr
dv
dw
r
v
w" under "$P" ls mix
ok_program "ls -a: . and .. stay, none entries go" 0 ".
..
dr
dv
dw
r
v
w" under "$P" ls -a mix
ok_program "sh globbing skips none entries" 0 "mix/dr mix/dv mix/dw mix/r mix/v mix/w" \
	under "$P" sh -c 'echo mix/*'
ok_program "find skips none entries" 0 "mix
mix/dr
mix/dv
mix/dw
mix/r
mix/v
mix/w" under "$P" sh -c 'find mix | LC_ALL=C sort'
ok_program "ls -a: .. of a view folder in a none folder is not listed" 0 ".
a" under "$P" ls -a none/vis
ok_program "natively, ls lists none too" 0 "mix
none
p.conf
read
view
write" ls

for L in $LEVELS; do
	# --- stat, lstat, access(F_OK), readlink ----------------------------------------
	s view ok "$L/f" stat -c %n "$L/f"
	s view ok directory stat -c %F "$L/d"
	s view ok 5 stat -L -c %s "$L/l"
	s view ok "'$L/l' -> 'f'" stat -c %N "$L/l"
	s view ok "$L/d" ls -d "$L/d"
	s view ok f readlink -v "$L/l"
	s view ok "$T/$L/f" realpath "$L/l"
	s view ok "$T/$L/d" env -C "$L/d" pwd -P
	scode view 0 2 2 sh -c "cd $L/d && pwd -P"
	scode view 0 1 1 sh -c "test -e $L/f"
	scode view 0 1 1 sh -c "test -d $L/d"

	# --- list a folder ------------------------------------------------------------------
	s view ok "a${NL}b" ls "$L/d"
	s view ok ".$NL..${NL}a${NL}b" ls -a "$L/d"
	s view ok "$L/d/a" find "$L/d" -name a
	if [ "$L" = none ]; then
		ok_program "$L: sh globbing matches nothing" 0 "$L/d/*" under "$P" sh -c "echo $L/d/*"
	else
		ok_program "$L: sh globbing lists the folder" 0 "$L/d/a $L/d/b" under "$P" sh -c "echo $L/d/*"
	fi

	# --- open a file to read, execve -------------------------------------------------------
	s read ok data cat "$L/f"
	s read ok data cat "$L/l"
	s read ok data head -n 1 "$L/f"
	s read ok data sh -c "read x < $L/f && echo \$x"
	s read ok "" cp "$L/f" "write/scp_from_$L"
	s read ok "" env "$L/x"
	scode read 0 127 126 sh -c "$L/x"

	# --- open to write, create, truncate ------------------------------------------------
	s write ok "" sh -c "echo new > $L/s_redir"
	s write ok "" sh -c "echo more >> $L/s_app"
	s write ok "" sh -c "echo new > $L/sn_redir"
	s write ok "" touch "$L/sn_touch"
	s write ok "" truncate -s 0 "$L/s_trunc"
	s write ok "" cp write/x "$L/s_cpover"
	s write ok "" cp write/x "$L/sn_cp"
	s write ok "" dd if=write/f of="$L/s_dd" bs=4096 status=none
	s write ok "" sed -i s/data/sed/ "$L/s_sed"

	# --- unlink, rmdir, rename, link, symlink, mkdir, mknod, chmod, chown, utimes ----
	s write ok "" rm "$L/s_rm"
	s write ok "" rmdir "$L/s_rmdir"
	s write ok "" rm -r "$L/s_rmr"
	s write ok "" mv "$L/s_mv" "write/sfrom_$L"
	s write ok "" mv "write/sto_$L" "$L/sn_mv"
	s write ok "" ln "$L/s_ln" "write/slnfrom_$L"
	s write ok "" ln "write/slnk_$L" "$L/sn_ln"
	s write ok "" ln -s f "$L/sn_sym"
	s write ok "" mkdir "$L/sn_mkdir"
	s write ok "" mkdir -p "$L/sn_mkp/sub"
	s view EEXIST "" mkdir "$L/d"
	s write ok "" mkfifo "$L/sn_fifo"
	s write ok "" mknod "$L/sn_nod" p
	s write ok "" chmod 640 "$L/s_chmod"
	_ct=$(lv_ctime "$L/s_chown")
	s write ok "" chown "$(id -u):$(id -g)" "$L/s_chown"
	_lct=$(stat -c %z "$L/s_lchown")
	s write ok "" chown -h "$(id -u):$(id -g)" "$L/s_lchown"
	s write ok "" touch "$L/s_touch"
	s write ok "" touch -d 2020-01-01 "$L/s_touchd"
	s write ok "" touch -h "$L/s_touchh"
done

# the effects at write level
L=write
is "data" "$(cat write/scp_from_write)" "write: cp out of write made the copy"
is "data" "$(cat write/scp_from_read)" "read: cp out of read made the copy"
is "new" "$(cat write/s_redir)" "write: > replaced the content"
is "data${NL}more" "$(cat write/s_app)" "write: >> appended"
is "new" "$(cat write/sn_redir)" "write: > made the file"
ok "write: touch made the file" test -f write/sn_touch
ok "write: truncate emptied the file" test "$(lv_size write/s_trunc)" = 0
ok "write: cp over a file replaced it" cmp write/x write/s_cpover
ok "write: cp made the copy" cmp write/x write/sn_cp
is "data" "$(cat write/s_dd)" "write: dd wrote the file"
is "sed" "$(cat write/s_sed)" "write: sed -i edited the file"
ok "write: rm removed the file" test ! -e write/s_rm
ok "write: rmdir removed the folder" test ! -e write/s_rmdir
ok "write: rm -r removed the tree" test ! -e write/s_rmr
ok "write: mv moved the file" test -f write/sfrom_write -a ! -e write/s_mv
ok "write: mv moved the file in" test -f write/sn_mv -a ! -e write/sto_write
ok "write: ln made a second name" test write/s_ln -ef write/slnfrom_write
ok "write: ln made a name in the folder" test write/sn_ln -ef write/slnk_write
is f "$(readlink write/sn_sym)" "write: ln -s made the link"
ok "write: mkdir made the folder" test -d write/sn_mkdir
ok "write: mkdir -p made the folders" test -d write/sn_mkp/sub
ok "write: mkfifo made a fifo" test -p write/sn_fifo
ok "write: mknod made a fifo" test -p write/sn_nod
is 640 "$(lv_mode write/s_chmod)" "write: chmod changed the mode"
ok "write: chown reached the file (ctime changed)" test "$(lv_ctime write/s_chown)" != "$_ct"
ok "write: chown -h reached the link (ctime changed)" test "$(stat -c %z write/s_lchown)" != "$_lct"
ok "write: touch set the time" test "$(lv_mtime write/s_touch)" -gt 1000000000
is 2020-01-01 "$(stat -c %y write/s_touchd | cut -c1-10)" "write: touch -d set the time"
ok "write: touch -h set the link's time" test "$(stat -c %Y write/s_touchh)" -gt 1000000000
