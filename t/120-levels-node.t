#!/bin/sh
# 120-levels-node: every row of the levels table at every level, as node programs do it.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/levels/common.sh"
lv_node
plan_lazy

lv_setup
lv_files n_openw n_opena n_openrp n_writefile n_appendfile n_pwrite n_truncate \
	n_unlink n_punlink n_rename n_link n_chmod n_chown n_utimes
lv_dirs n_rmdir n_rmr
for L in $LEVELS; do
	echo data > "$L/n_rmr/x"
	ln -s f "$L/n_lchown"
	ln -s f "$L/n_lutimes"
	echo "to $L" > "write/nto_$L"
	echo "lnk $L" > "write/nlnk_$L"
done
lv_age

for L in $LEVELS; do
	# appears in its folder's listing (the same answer at every level)
	b fixed "ok:.lv,mix,p.conf,read,view,write" readdir .
	b fixed "ok:dr,dv,dw,r,v,w" readdir mix
	b fixed "ok:dr,dv,dw,r,v,w" readdir-types mix
	b fixed "ok:dr,dv,dw,r,v,w" opendir mix
	b fixed "ok:dr,dv,dw,r,v,w" p-readdir mix
	b fixed "ok:dr,dv,dw,r,v,w" cb-readdir mix
	b fixed "ok:a" readdir none/vis

	# stat, lstat, access(F_OK), readlink
	b view ok stat "$L/f"
	b view ok stat "$L/d"
	b view ok stat "$L"
	b view ok lstat "$L/l"
	b view ok stat-bigint "$L/f"
	b view ok p-stat "$L/f"
	b view ok exists "$L/f"
	b view ok access "$L/f" F
	b view ok p-access "$L/d" F
	b view "ok:f" readlink "$L/l"
	b view "ok:$T/$L/f" realpath "$L/l"
	b view "ok:$T/$L/f" realpath-native "$L/l"
	b view "ok:$T/$L/d" chdir "$L/d"

	# list a folder
	b view ok open-r "$L/d"
	b view "ok:a,b" readdir "$L/d"
	b view "ok:a,b" readdir-types "$L/d"
	b view "ok:a,b" opendir "$L/d"
	b view "ok:a,b" p-readdir "$L/d"
	b view "ok:a,b" cb-readdir "$L/d"

	# open a file to read, execve
	b read "ok:data" read "$L/f"
	b read "ok:data" read "$L/l"
	b read "ok:data" p-read "$L/f"
	b read "ok:data" stream "$L/f"
	b read ok open-r "$L/f"
	b read ok access "$L/f" R
	b read ok access "$L/x" X
	b read ok spawn "$L/x"
	b read ok execfile "$L/x"

	# open to write, create, truncate
	b write ok open-w "$L/n_openw"
	b write ok open-a "$L/n_opena"
	b write ok open-rplus "$L/n_openrp"
	b write ok open-w "$L/nn_openw"
	b write ok open-wx "$L/nn_wx"
	b write ok write-file "$L/n_writefile"
	b write ok write-file "$L/nn_writefile"
	b write ok append-file "$L/n_appendfile"
	b write ok p-write "$L/n_pwrite"
	b write ok truncate "$L/n_truncate"
	b write ok copy-to write/x "$L/nn_copy"
	b write ok mkdtemp "$L"
	b write ok access "$L/f" W
	b write ok p-access "$L/f" W

	# unlink, rmdir, rename, link, symlink, mkdir, chmod, chown, utimes
	b write ok unlink "$L/n_unlink"
	b write ok p-unlink "$L/n_punlink"
	b write ok rmdir "$L/n_rmdir"
	b write ok rm-r "$L/n_rmr"
	b write ok mkdir "$L/nn_mkdir"
	b write ok p-mkdir "$L/nn_pmkdir"
	b view EEXIST mkdir "$L/d"
	b write ok rename "$L/n_rename" "write/nfrom_$L"
	b write ok rename "write/nto_$L" "$L/nn_rename"
	b write ok link "$L/n_link" "write/nlinkfrom_$L"
	b write ok link "write/nlnk_$L" "$L/nn_link"
	b write ok symlink f "$L/nn_symlink"
	b write ok chmod "$L/n_chmod"
	b write ok chown "$L/n_chown"
	b write ok lchown "$L/n_lchown"
	b write ok utimes "$L/n_utimes"
	b write ok lutimes "$L/n_lutimes"

	# connect/bind to a Unix socket path (no one listens on $L/s)
	b write ECONNREFUSED connect "$L/s"
	# libuv turns a bind's ENOENT into EACCES (checked natively below)
	bd write ok EACCES bind "$L/nn_sock"
done
L=write
b fixed ok connect-live write/nn_live

ct_chown=$(lv_ctime write/n_chown)
ct_lchown=$(stat -c %z write/n_lchown)

# the sources may be where the policy hides them (/tmp): a copy in the tree
mkdir -p "$LV" && cp "$top_srcdir/t/levels/node_ops.js" "$LV/node_ops.js"
lv_batches node "$NODE" "$LV/node_ops.js"

NL='
'
ok "write: open w emptied the file" test "$(lv_size write/n_openw)" = 0
ok "write: open w made the file" test -f write/nn_openw
ok "write: open wx made the file" test -f write/nn_wx
is data2 "$(cat write/n_writefile)" "write: writeFileSync replaced the content"
is data2 "$(cat write/nn_writefile)" "write: writeFileSync made the file"
is "data${NL}more" "$(cat write/n_appendfile)" "write: appendFileSync appended"
is data2 "$(cat write/n_pwrite)" "write: promises.writeFile replaced the content"
ok "write: truncateSync emptied the file" test "$(lv_size write/n_truncate)" = 0
ok "write: copyFileSync made the copy" cmp write/x write/nn_copy
ok "write: mkdtempSync made a folder" test -n "$(find write -maxdepth 1 -type d -name 'mkdtemp-*')"
ok "write: unlinkSync removed the file" test ! -e write/n_unlink
ok "write: promises.unlink removed the file" test ! -e write/n_punlink
ok "write: rmdirSync removed the folder" test ! -e write/n_rmdir
ok "write: rmSync removed the tree" test ! -e write/n_rmr
ok "write: mkdirSync made the folder" test -d write/nn_mkdir
ok "write: promises.mkdir made the folder" test -d write/nn_pmkdir
ok "write: renameSync moved the file" test -f write/nfrom_write -a ! -e write/n_rename
ok "write: renameSync moved the file in" test -f write/nn_rename -a ! -e write/nto_write
ok "write: linkSync made a second name" test write/n_link -ef write/nlinkfrom_write
ok "write: linkSync made a name in the folder" test write/nn_link -ef write/nlnk_write
is f "$(readlink write/nn_symlink)" "write: symlinkSync made the link"
is 640 "$(lv_mode write/n_chmod)" "write: chmodSync changed the mode"
ok "write: chownSync reached the file (ctime changed)" test "$(lv_ctime write/n_chown)" != "$ct_chown"
ok "write: lchownSync reached the link (ctime changed)" test "$(stat -c %z write/n_lchown)" != "$ct_lchown"
ok "write: utimesSync set the time" test "$(lv_mtime write/n_utimes)" -gt 1000000000
ok "write: lutimesSync set the link's time" test "$(stat -c %Y write/n_lutimes)" -gt 1000000000
mkdir natively
is EACCES "$(echo "bind natively/missing/s" | "$NODE" "$top_srcdir/t/levels/node_ops.js")" \
	"natively, node reports a bind in a missing folder as EACCES"
