#!/bin/sh
# 100-levels-c: every row of the levels table (DESIGN §5) at every level, through the C driver.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/levels/common.sh"
plan_lazy

lv_setup
# Targets of the mutating operations: one object per operation, so that each check
# looks at its own object.
lv_files m_openw m_append m_rdwr m_trunc m_creat m_fopenw m_fopena m_fopenrp \
	m_openatw m_truncate m_unlink m_remove m_rename m_link m_exchange m_chmod \
	m_chown m_utimes m_utimensat m_setxattr m_removexattr
lv_dirs ed_rmdir ed_remove
for L in $LEVELS; do
	ln -s f "$L/m_lchown"
	echo "to $L" > "write/to_$L"
	echo "lnk $L" > "write/lnk_$L"
	echo "xch $L" > "write/xch_$L"
	"$CALL" setxattr ok "$L/m_removexattr" >/dev/null ||
		skip_all "this file system has no user extended attributes"
done
lv_age

P=$T/p.conf
_snap=
NL='
'

# c CLASS OK OP ARG...: the call at level $L answers what lv_want says. An operation
# of class write that is refused must leave the whole tree as it was.
c() {
	_class=$1
	_okv=$2
	_op=$3
	shift 3
	_want=$(lv_want "$_class" "$L" "$_okv")
	if [ "$_class" = write ] && [ "$_want" != ok ]; then
		[ -n "$_snap" ] || _snap=$(lv_snap)
		ok "$L: $_op $* is $_want" under "$P" "$CALL" "$_op" "$_want" "$@"
		_after=$(lv_snap)
		lv_same "$L: $_op $* left no trace" "$_snap" "$_after" || _snap=$_after
	else
		ok "$L: $_op $* is $_want" under "$P" "$CALL" "$_op" "$_want" "$@"
		[ "$_class" != write ] || _snap=
	fi
}

# cout CLASS OUTPUT OP ARG...: when allowed, the call prints "ok" and OUTPUT.
cout() {
	_class=$1
	_out=$2
	_op=$3
	shift 3
	_want=$(lv_want "$_class" "$L")
	if [ "$_want" = ok ]; then
		ok_program "$L: $_op $* gives its data" 0 "ok$NL$_out" under "$P" "$CALL" "$_op" ok "$@"
	else
		ok "$L: $_op $* is $_want" under "$P" "$CALL" "$_op" "$_want" "$@"
	fi
}

# when at write level, an effect of the operation just made
effect() {
	[ "$L" = write ] || return 0
	ok "$@"
}

# --- row 1: appears in its folder's listing -----------------------------------------
ok_program "listing the root shows every level but none" 0 "ok
mix
p.conf
read
view
write" under "$P" "$CALL" ls ok .
for op in ls scandir getdents; do
	ok_program "$op: none entries are not listed" 0 "ok
dr
dv
dw
r
v
w" under "$P" "$CALL" $op ok mix
done
ok_program "ls-all: . and .. stay, none entries go" 0 "ok
.
..
dr
dv
dw
r
v
w" under "$P" "$CALL" ls-all ok mix
ok_program "glob: none entries do not match" 0 "ok
mix/dr
mix/dv
mix/dw
mix/r
mix/v
mix/w" under "$P" "$CALL" glob ok 'mix/*'
ok_program "ls-all: .. of a view folder in a none folder is not listed" 0 "ok
.
a" under "$P" "$CALL" ls-all ok none/vis
ok_program "natively, the none folder is listed" 0 "ok
mix
none
p.conf
read
view
write" "$CALL" ls ok .

for L in $LEVELS; do
	# appears in its folder's listing, one level at a time
	_ls=$(under "$P" "$CALL" ls ok . 2>&1)
	case $L in none) _in=no ;; *) _in=yes ;; esac
	case "$NL$_ls$NL" in *"$NL$L$NL"*) _got=yes ;; *) _got=no ;; esac
	is "$_in" "$_got" "$L: the folder appears in the listing of its parent: $_in"
	_ls=$(under "$P" "$CALL" getdents ok . 2>&1)
	case "$NL$_ls$NL" in *"$NL$L$NL"*) _got=yes ;; *) _got=no ;; esac
	is "$_in" "$_got" "$L: getdents lists the folder: $_in"

	# --- row 2: stat, lstat, access(F_OK), readlink ------------------------------
	c view ok stat "$L/f"
	c view ok stat "$L/d"
	c view ok stat "$L"
	c view ok stat "$L/l"
	c view ok lstat "$L/f"
	c view ok lstat "$L/l"
	c view ok statx "$L/f"
	c view ok sys-statx "$L/f"
	c view ok access "$L/f" F
	c view ok access "$L/d" F
	cout view "f" readlink "$L/l"
	cout view "$T/$L/f" realpath "$L/f"
	cout view "$T/$L/f" realpath "$L/l"
	c view ok getxattr "$L/f"
	c view ok opath "$L/f"
	c view ok opath "$L/d"
	cout view "$T/$L/d" chdir "$L/d"

	# --- row 3: list a folder -----------------------------------------------------
	cout view "a${NL}b" ls "$L/d"
	cout view ".$NL..${NL}a${NL}b" ls-all "$L/d"
	cout view "a${NL}b" scandir "$L/d"
	cout view "a${NL}b" getdents "$L/d"
	if [ "$L" = none ]; then
		ok_program "$L: glob $L/d/* matches nothing" 0 "ok" under "$P" "$CALL" glob ok "$L/d/*"
	else
		ok_program "$L: glob $L/d/* lists the folder" 0 "ok
$L/d/a
$L/d/b" under "$P" "$CALL" glob ok "$L/d/*"
	fi

	# --- row 4: open a file to read, execve ---------------------------------------
	c read ok read "$L/f"
	cout read "data" cat "$L/f"
	cout read "data" cat "$L/l"
	c read ok fopen "$L/f" r
	c read ok openat "$L" f r
	c read ok sys-openat "$L/f"
	c read ok access "$L/f" R
	c read ok access "$L/x" X
	c read ok exec "$L/x"
	c read ok spawn "$L/x"

	# --- row 5: open to write, create, truncate -----------------------------------
	c write ok openw "$L/m_openw"
	c write ok rdwr "$L/m_rdwr"
	c write ok append "$L/m_append" more
	effect "write: append added to the file" test "$(cat "$L/m_append")" = "data${NL}more"
	c write ok trunc "$L/m_trunc"
	effect "write: O_TRUNC emptied the file" test "$(lv_size "$L/m_trunc")" = 0
	c write ok creat "$L/m_creat"
	c write ok fopen "$L/m_fopenw" w
	effect "write: fopen w emptied the file" test "$(lv_size "$L/m_fopenw")" = 0
	c write ok fopen "$L/m_fopena" a
	c write ok fopen "$L/m_fopenrp" r+
	c write ok openat "$L" m_openatw w
	c write ok truncate "$L/m_truncate"
	effect "write: truncate emptied the file" test "$(lv_size "$L/m_truncate")" = 0
	c write ok access "$L/f" W
	c write ok create "$L/new_create"
	effect "write: the file was created" test -f "$L/new_create"
	c write ok creat "$L/new_creat"
	effect "write: creat made the file" test -f "$L/new_creat"
	c write ok openat "$L" new_openat c
	effect "write: openat O_CREAT made the file" test -f "$L/new_openat"
	c write ok fopen "$L/new_fopen" w
	effect "write: fopen w made the file" test -f "$L/new_fopen"
	c write ok create "$L/d/new_in_d"
	effect "write: the file was created in a subfolder" test -f "$L/d/new_in_d"
	c write ok tmpfile "$L"

	# --- row 6: unlink, rmdir, rename, link, symlink, mkdir, mknod, chmod, chown,
	#     utimes, xattrs --------------------------------------------------------------
	c write ok unlink "$L/m_unlink"
	effect "write: unlink removed the file" test ! -e "$L/m_unlink"
	c write ok remove "$L/m_remove"
	effect "write: remove removed the file" test ! -e "$L/m_remove"
	c write ok remove "$L/ed_remove"
	effect "write: remove removed the folder" test ! -e "$L/ed_remove"
	c write ok rmdir "$L/ed_rmdir"
	effect "write: rmdir removed the folder" test ! -e "$L/ed_rmdir"
	c write ok rename "$L/m_rename" "write/from_$L"
	effect "write: rename moved the file" test -f "write/from_$L" -a ! -e "$L/m_rename"
	c write ok rename "write/to_$L" "$L/new_rename"
	effect "write: rename moved the file in" test -f "$L/new_rename" -a ! -e "write/to_$L"
	c write ok exchange "$L/m_exchange" "write/xch_$L"
	effect "write: exchange swapped the files" test "$(cat "$L/m_exchange")" = "xch $L"
	c write ok link "$L/m_link" "write/linkfrom_$L"
	effect "write: link made a second name" test "$L/m_link" -ef "write/linkfrom_$L"
	c write ok link "write/lnk_$L" "$L/new_link"
	effect "write: link made a name in the folder" test "$L/new_link" -ef "write/lnk_$L"
	c write ok symlink f "$L/new_symlink"
	effect "write: symlink made the link" test "$(readlink "$L/new_symlink")" = f
	c write ok mkdir "$L/new_mkdir"
	effect "write: mkdir made the folder" test -d "$L/new_mkdir"
	c view EEXIST mkdir "$L/d"
	c write ok mkfifo "$L/new_fifo"
	effect "write: mkfifo made a fifo" test -p "$L/new_fifo"
	c write ok mknod "$L/new_mknod"
	effect "write: mknod made a file" test -f "$L/new_mknod"
	c write ok chmod "$L/m_chmod"
	effect "write: chmod changed the mode" test "$(lv_mode "$L/m_chmod")" = 640
	_ct=$(lv_ctime "$L/m_chown")
	c write ok chown "$L/m_chown"
	effect "write: chown reached the file (ctime changed)" test "$(lv_ctime "$L/m_chown")" != "$_ct"
	_ct=$(stat -c %z "$L/m_lchown")
	c write ok lchown "$L/m_lchown"
	effect "write: lchown reached the link (ctime changed)" test "$(stat -c %z "$L/m_lchown")" != "$_ct"
	c write ok utimes "$L/m_utimes"
	effect "write: utimes set the time" test "$(lv_mtime "$L/m_utimes")" -gt 1000000000
	c write ok utimensat "$L/m_utimensat"
	effect "write: utimensat set the time" test "$(lv_mtime "$L/m_utimensat")" -gt 1000000000
	c write ok setxattr "$L/m_setxattr"
	effect "write: setxattr set the attribute" "$CALL" removexattr ok "$L/m_setxattr"
	c write ok removexattr "$L/m_removexattr"
	effect "write: removexattr removed the attribute" "$CALL" removexattr ENODATA "$L/m_removexattr"

	# --- row 7: connect/bind to a Unix socket path ----------------------------------
	# no one listens on $L/s: allowed, the kernel answers ECONNREFUSED
	c write ECONNREFUSED connect "$L/s"
	c write ok bind "$L/new_sock"
	effect "write: bind made the socket" test -S "$L/new_sock"
done

# a symbolic link has its own level; what it points to has the level of the target
ln -s ../none/f write/to_none_f
ln -s ../view/f read/to_view_f
ok "a write link to a none file: lstat works" under "$P" "$CALL" lstat ok write/to_none_f
ok_program "a write link to a none file: readlink works" 0 "ok
../none/f" under "$P" "$CALL" readlink ok write/to_none_f
ok "a write link to a none file: stat is ENOENT" under "$P" "$CALL" stat ENOENT write/to_none_f
ok "a write link to a none file: read is ENOENT" under "$P" "$CALL" read ENOENT write/to_none_f
ok "a read link to a view file: stat works" under "$P" "$CALL" stat ok read/to_view_f
ok "a read link to a view file: read is EACCES" under "$P" "$CALL" read EACCES read/to_view_f

# reaching a path through a folder of a lower level: only the object's level counts
L=view
c view ok stat none/vis/a
cout view "a" ls none/vis
ok "view beneath none: read is EACCES" under "$P" "$CALL" read EACCES none/vis/a
ok "view beneath none: create is EACCES" under "$P" "$CALL" create EACCES none/vis/new
ok "no file was created beneath none/vis" test ! -e none/vis/new
