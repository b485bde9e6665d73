#!/bin/sh
# 110-levels-python: every row of the levels table at every level, as Python programs do it.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/levels/common.sh"
lv_python
plan_lazy

lv_setup
lv_files p_osw p_osrw p_ostrunc p_oscreat p_openw p_opena p_openrp p_writetext \
	p_truncate p_unlink p_remove p_punlink p_rename p_replace p_link p_chmod \
	p_chown p_utime p_setxattr p_removexattr
lv_dirs p_rmdir p_rmtree
for L in $LEVELS; do
	echo data > "$L/p_rmtree/x"
	ln -s f "$L/p_lchown"
	echo "to $L" > "write/pto_$L"
	echo "lnk $L" > "write/plnk_$L"
	echo "rep $L" > "write/prep_$L"
	"$CALL" setxattr ok "$L/p_removexattr" >/dev/null ||
		skip_all "this file system has no user extended attributes"
done
lv_age

for L in $LEVELS; do
	# appears in its folder's listing (the same answer at every level)
	b fixed "ok:.lv,mix,p.conf,read,view,write" listdir .
	b fixed "ok:dr,dv,dw,r,v,w" listdir mix
	b fixed "ok:dr,dv,dw,r,v,w" scandir mix
	b fixed "ok:dr,dv,dw,r,v,w" iterdir mix
	b fixed "ok:mix/dr,mix/dv,mix/dw,mix/r,mix/v,mix/w" glob 'mix/*'
	b fixed "ok:dr,dv,dw,r,v,w" walk mix
	b fixed "ok:a" listdir none/vis

	# stat, lstat, access(F_OK), readlink
	b view ok stat "$L/f"
	b view ok stat "$L/d"
	b view ok stat "$L"
	b view ok lstat "$L/l"
	b view ok path-stat "$L/f"
	b view ok exists "$L/f"
	bd view ok no isdir "$L/d"
	bd view ok no access "$L/f" F
	b view "ok:f" readlink "$L/l"
	b view "ok:$T/$L/f" realpath "$L/l"
	b view ok getxattr "$L/f"
	b view ok listxattr "$L/f"
	b view "ok:$T/$L/d" chdir "$L/d"

	# list a folder
	b view ok os-open-dir "$L/d"
	b view "ok:a,b" listdir "$L/d"
	b view "ok:a,b" scandir "$L/d"
	b view "ok:a,b" iterdir "$L/d"
	bd view "ok:$L/d/a,$L/d/b" "ok:" glob "$L/d/*"
	bd view "ok:a,b" "ok:" walk "$L/d"

	# open a file to read, execve
	b read "ok:data" read "$L/f"
	b read "ok:data" read "$L/l"
	b read "ok:data" read-bytes "$L/f"
	b read ok os-open-r "$L/f"
	bd read ok no access "$L/f" R
	bd read ok no access "$L/x" X
	b read ok exec "$L/x"
	b read ok spawn "$L/x"
	b read ok copy-from "$L/f"

	# open to write, create, truncate
	b write ok os-open-w "$L/p_osw"
	b write ok os-open-rw "$L/p_osrw"
	b write ok os-open-trunc "$L/p_ostrunc"
	b write ok os-open-creat "$L/p_oscreat"
	b write ok os-open-creat "$L/pn_creat"
	b write ok os-open-excl "$L/pn_excl"
	b write ok open-w "$L/p_openw"
	b write ok open-a "$L/p_opena"
	b write ok open-rplus "$L/p_openrp"
	b write ok open-x "$L/pn_x"
	b write ok write-text "$L/p_writetext"
	b write ok touch "$L/pn_touch"
	b write ok truncate "$L/p_truncate"
	b write ok mkstemp "$L"
	b write ok tmpfile "$L"
	b write ok copy-to write/x "$L/pn_copy"
	bd write ok no access "$L/f" W

	# unlink, rmdir, rename, link, symlink, mkdir, mknod, chmod, chown, utimes, xattrs
	b write ok unlink "$L/p_unlink"
	b write ok remove "$L/p_remove"
	b write ok path-unlink "$L/p_punlink"
	b write ok rmdir "$L/p_rmdir"
	b write ok rmtree "$L/p_rmtree"
	b write ok mkdir "$L/pn_mkdir"
	b view EEXIST mkdir "$L/d"
	b write ok rename "$L/p_rename" "write/pfrom_$L"
	b write ok rename "write/pto_$L" "$L/pn_rename"
	b write ok replace "write/prep_$L" "$L/p_replace"
	b write ok link "$L/p_link" "write/plinkfrom_$L"
	b write ok link "write/plnk_$L" "$L/pn_link"
	b write ok symlink f "$L/pn_symlink"
	b write ok mkfifo "$L/pn_fifo"
	b write ok mknod "$L/pn_mknod"
	b write ok chmod "$L/p_chmod"
	b write ok chown "$L/p_chown"
	b write ok lchown "$L/p_lchown"
	b write ok utime "$L/p_utime"
	b write ok setxattr "$L/p_setxattr"
	b write ok removexattr "$L/p_removexattr"

	# connect/bind to a Unix socket path (no one listens on $L/s)
	b write ECONNREFUSED connect "$L/s"
	b write ok bind "$L/pn_sock"
done
L=write
b fixed ok connect-live write/pn_live

# the write run changes these: their state before it
ct_chown=$(lv_ctime write/p_chown)
ct_lchown=$(stat -c %z write/p_lchown)

# the sources may be where the policy hides them (/tmp): a copy in the tree
mkdir -p "$LV" && cp "$top_srcdir/t/levels/py_ops.py" "$LV/py_ops.py"
lv_batches python "$PY" -B "$LV/py_ops.py"

# the effects of the write run
NL='
'
L=write
ok "write: O_TRUNC emptied the file" test "$(lv_size write/p_ostrunc)" = 0
ok "write: O_CREAT made the file" test -f write/pn_creat
ok "write: O_EXCL made the file" test -f write/pn_excl
is "data2" "$(cat write/p_openw)" "write: open w replaced the content"
is "data${NL}data2" "$(cat write/p_opena)" "write: open a appended"
is "data2" "$(cat write/p_openrp)" "write: open r+ wrote over the content"
is "data2" "$(cat write/pn_x)" "write: open x made the file"
is "data2" "$(cat write/p_writetext)" "write: write_text replaced the content"
ok "write: touch made the file" test -f write/pn_touch
ok "write: truncate emptied the file" test "$(lv_size write/p_truncate)" = 0
ok "write: mkstemp made a file" test -n "$(find write -maxdepth 1 -name 'mkstemp*')"
ok "write: copyfile made the copy" cmp write/x write/pn_copy
ok "write: unlink removed the file" test ! -e write/p_unlink
ok "write: remove removed the file" test ! -e write/p_remove
ok "write: Path.unlink removed the file" test ! -e write/p_punlink
ok "write: rmdir removed the folder" test ! -e write/p_rmdir
ok "write: rmtree removed the tree" test ! -e write/p_rmtree
ok "write: mkdir made the folder" test -d write/pn_mkdir
ok "write: rename moved the file" test -f write/pfrom_write -a ! -e write/p_rename
ok "write: rename moved the file in" test -f write/pn_rename -a ! -e write/pto_write
is "rep write" "$(cat write/p_replace)" "write: replace put the file in place"
ok "write: link made a second name" test write/p_link -ef write/plinkfrom_write
ok "write: link made a name in the folder" test write/pn_link -ef write/plnk_write
is f "$(readlink write/pn_symlink)" "write: symlink made the link"
ok "write: mkfifo made a fifo" test -p write/pn_fifo
ok "write: mknod made a file" test -f write/pn_mknod
is 640 "$(lv_mode write/p_chmod)" "write: chmod changed the mode"
ok "write: chown reached the file (ctime changed)" test "$(lv_ctime write/p_chown)" != "$ct_chown"
ok "write: lchown reached the link (ctime changed)" test "$(stat -c %z write/p_lchown)" != "$ct_lchown"
ok "write: utime set the time" test "$(lv_mtime write/p_utime)" -gt 1000000000
ok "write: setxattr set the attribute" "$CALL" removexattr ok write/p_setxattr
ok "write: removexattr removed the attribute" "$CALL" removexattr ENODATA write/p_removexattr
ok "write: bind made the socket" test -S write/pn_sock

