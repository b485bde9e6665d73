#!/bin/sh
# 201-escape-race: a link or folder changed by a racing thread between the check and the use must never hand out a hidden file.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
S=${WARD_RACE_SECONDS:-1.5}
mkdir -p pub2 w/d w/a/sub w/a/hid
echo public2 > pub2/secret
echo public-d > w/d/secret
echo public-a > w/a/hid/s
ln -s ../pub/f w/lnk
ln -s ../n w/dx

# Each run prints leaked=N allowed=M failed=K flips=F; it passes when N is 0 and M > 0
# (reads did succeed, so the race ran on both sides).
race() {
	_rd=$1
	shift
	_ro=$(under p.conf "$RACE" "$@" 2>&1)
	_rs=$?
	diag "$_rd: $_ro"
	noleak "$_rd: nothing hidden was printed" "$_ro"
	like '^leaked=0 ' "$_ro" "$_rd: no read returned the hidden file's content"
	like ' allowed=[1-9][0-9]* ' "$_ro" "$_rd: reads of the allowed file succeeded (the race ran)"
	is 0 "$_rs" "$_rd: exit status"
}

# 2. a link flipped between an allowed file and a hidden one
race "link to a file, open" symlink open "$S" w/lnk w/lnk ../pub/f ../n/secret
race "link to a file, fopen" symlink fopen "$S" w/lnk w/lnk ../pub/f ../n/secret
race "link to a file, syscall(SYS_openat)" symlink sysopenat "$S" w/lnk w/lnk ../pub/f ../n/secret
rm -f w/lnk
ln -s ../pub2 w/lnk
race "link to a folder, then a file beneath" symlink open "$S" w/lnk/secret w/lnk ../pub2 ../n

# a folder on the way swapped (RENAME_EXCHANGE) with a link to the hidden folder
race "a folder on the way swapped with a link, open" exchange open "$S" w/d/secret w/d w/dx
race "a folder on the way swapped with a link, posix_spawn file action" \
	exchange spawn "$S" w/d/secret w/d w/dx

# ".." taken while the folder before it moves: w/a/sub/../hid/s is w/a/hid/s (write)
# while sub is in w/a, but w/hid/s (none) if sub is moved to w/ between the steps
race "a folder moved away under .." rename open "$S" w/a/sub/../hid/s w/a/sub w/sub

# The working directory or a descriptor changed by another thread (fchdir, dup2)
# between the moment the library reads its folder's name and the call: the call must
# act in the folder whose name it judged. In w/vault, x.txt is hidden and l is a link
# to it; in w, x.txt is empty and l is a link to it.
mkdir -p w/vault
echo SECRET-vault > w/vault/x.txt
: > w/x.txt
ln -s x.txt w/vault/l
ln -s x.txt w/l
race "the working directory flipped, open through a link" fchdir open "$S" l w w/vault
race "a descriptor flipped by dup2, openat through a link" dup2 open "$S" l w w/vault
race "the working directory flipped, stat" fchdir stat "$S" x.txt w w/vault
race "a descriptor flipped by dup2, fstatat" dup2 stat "$S" x.txt w w/vault
race "the working directory flipped, stat through a link" fchdir stat "$S" l w w/vault

is "SECRET-n" "$(cat n/secret)" "the hidden file is unchanged"
is "SECRET-whid" "$(cat w/hid/s)" "the hidden file in w is unchanged"
ok "nothing new in n" test "$(ls n | tr '\n' ' ')" = "secret sub "
