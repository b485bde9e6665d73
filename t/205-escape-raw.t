#!/bin/sh
# 205-escape-raw: raw system calls through syscall(), openat2, handles, sockets, namespaces, chroot and other roundabout calls must not reach a hidden file.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
mkdir -p w/m
ln -s ../n/secret w/l-file
ln -s ../n w/l-dir
cp /bin/echo n/prog
"$CALL" bind ok n/sock >/dev/null
"$CALL" bind ok ro/sock >/dev/null
ln -s ../n/sock w/l-sock
ln -s ../n/newsock w/l-newsock
ro_mtime=$(stat -c %Y ro/f)
before=$(snap)

# ---- syscall() ----
denied "syscall(SYS_openat) of a none file" ENOENT "$CALL" sys-openat n/secret
denied "syscall(SYS_openat) through a link" ENOENT "$CALL" sys-openat w/l-file
denied "syscall(SYS_open) of a none file" ENOENT "$PROBE" sys-open n/secret
denied "syscall(SYS_openat) with a dirfd and .." ENOENT "$PROBE" sys-openat pub ../n/secret
denied "syscall(SYS_statx) of a none file" ENOENT "$CALL" sys-statx n/secret
denied "syscall(SYS_statx) through a link to a none folder" ENOENT "$PROBE" sys-statx w/l-dir/secret
denied "syscall(SYS_newfstatat) of a hidden file" ENOENT "$PROBE" sys-newfstatat w/k.pem
denied "syscall(SYS_openat2) of a none file" ENOENT "$PROBE" sys-openat2 . n/secret 0
denied "syscall(SYS_openat2) through a link" ENOENT "$PROBE" sys-openat2 . w/l-file 0
denied "syscall(SYS_openat2) with a dirfd and .." ENOENT "$PROBE" sys-openat2 pub ../n/secret 0
denied "syscall(SYS_openat2) with RESOLVE_IN_ROOT from the root folder" ENOENT "$PROBE" sys-openat2 . n/secret 0x10
denied "syscall(SYS_openat2) with RESOLVE_BENEATH from the root folder" ENOENT "$PROBE" sys-openat2 . n/secret 0x08
denied "syscall(SYS_openat2) with RESOLVE_NO_SYMLINKS on a link: the kernel's ELOOP" ELOOP "$PROBE" sys-openat2 . w/l-file 0x04
denied "syscall(SYS_renameat2) of a none file into w" ENOENT "$PROBE" sys-rename n/secret w/x
denied "syscall(SYS_linkat) of a none file into w" ENOENT "$PROBE" sys-link n/secret w/x
# newer path system calls that libc's syscall() passes through untouched
denied "syscall(SYS_fchmodat2) (Linux 6.6) of a read-only file" EACCES "$PROBE" sys-fchmodat2 ro/f
denied "syscall(SYS_fchmodat2) of a none file" ENOENT "$PROBE" sys-fchmodat2 n/secret
denied "syscall(SYS_getxattrat) (Linux 6.13, newer than ward): ENOSYS" ENOSYS "$PROBE" sys-getxattrat n/secret
denied "syscall(SYS_setxattrat) (Linux 6.13, newer than ward): ENOSYS" ENOSYS "$PROBE" sys-setxattrat ro/f
denied "syscall(SYS_open_tree) of a none folder: ENOENT, as it is hidden" ENOENT "$PROBE" sys-open_tree n secret plain
# open_tree(OPEN_TREE_CLONE) gives a detached mount: /proc/self/fd shows it as "/"
denied "a detached copy (open_tree CLONE) of an allowed folder: refused, EPERM" \
	EPERM "$PROBE" sys-open_tree . ./n/../n/secret clone
denied "a detached copy (open_tree CLONE) of a none folder: ENOENT, as it is hidden" \
	ENOENT "$PROBE" sys-open_tree n sub/../secret clone

# ---- stdio, stat family, listing ----
denied "fopen of a none file" ENOENT "$PROBE" fopen n/secret
denied "fopen through a link" ENOENT "$PROBE" fopen w/l-file
denied "fopen of a hidden file, write mode" ENOENT "$CALL" fopen w/k.pem a
denied "realpath of a none file" ENOENT "$CALL" realpath n/secret
denied "access of a hidden file" ENOENT "$CALL" access w/k.pem F
denied "getxattr of a none file" ENOENT "$CALL" getxattr n/secret
denied "readlink of a link inside a none folder" ENOENT "$CALL" readlink w/hid/../hid/s
denied "truncate of a read-only file" EACCES "$CALL" truncate ro/f
denied "utimensat of a read-only file" EACCES "$CALL" utimensat ro/f
denied "chown of a read-only file" EACCES "$CALL" chown ro/f
denied "lchown of a none file" ENOENT "$CALL" lchown n/secret
allowed "getdents64 of w shows no hidden name" "l-dir
l-file
l-newsock
l-sock
m" "$CALL" getdents w
echo k2 > w/k2
denied "inotify_add_watch on a none file: ENOENT, as stat" ENOENT "$PROBE" inotify n/secret
denied "inotify_add_watch on a hidden file" ENOENT "$PROBE" inotify w/k.pem

# ---- handles (we run as root) ----
"$PROBE" handle-save ok n/secret .snap-hn >/dev/null
"$PROBE" handle-save ok ro/f .snap-hro >/dev/null
denied "name_to_handle_at of a none file" ENOENT "$PROBE" name-to-handle n/secret
denied "open_by_handle_at of a none file (handle learnt elsewhere)" ENOENT "$PROBE" handle-open . .snap-hn
denied "open_by_handle_at of a read-only file for writing" EACCES "$PROBE" handle-open . .snap-hro rw
# A file opened by handle whose name is not in the dentry cache has no path:
# /proc/self/fd shows it as "/". Evict the dentries and try again.
if sync && { echo 2 > /proc/sys/vm/drop_caches; } 2>/dev/null; then
	denied "open_by_handle_at of a none file with no dentry cached" ENOENT "$PROBE" handle-open . .snap-hn
	sync && echo 2 > /proc/sys/vm/drop_caches
	denied "open_by_handle_at of a read-only file with no dentry cached, for writing: no name, so missing" \
		ENOENT "$PROBE" handle-open . .snap-hro rw
else
	skip "cannot drop the dentry cache"
	skip "cannot drop the dentry cache"
fi

# ---- Unix sockets ----
denied "connect to a socket in a none folder" ENOENT "$CALL" connect n/sock
denied "connect through a link to a socket in a none folder" ENOENT "$CALL" connect w/l-sock
denied "connect through a link to a none folder" ENOENT "$CALL" connect w/l-dir/sock
denied "connect to a read-level socket" EACCES "$CALL" connect ro/sock
denied "sendto a socket in a none folder" ENOENT "$PROBE" sendto n/sock
denied "sendto through a link to it" ENOENT "$PROBE" sendto w/l-sock
denied "bind in a none folder" ENOENT "$CALL" bind n/newsock2
denied "bind on a dangling link into a none folder: the link is there" EADDRINUSE "$CALL" bind w/l-newsock
denied "bind in a none folder through a link to it" ENOENT "$CALL" bind w/l-dir/newsock3
denied "bind over a hidden name: ENOENT, not EADDRINUSE" ENOENT "$CALL" bind w/k.pem

# ---- posix_spawn file actions, dlopen ----
denied "posix_spawn with a file action opening a none file" ENOENT "$PROBE" spawn-open /bin/cat n/secret
denied "posix_spawn with a file action opening a file through a link" ENOENT "$PROBE" spawn-open /bin/cat w/l-file
denied "posix_spawn with a chdir action into a none folder" ENOENT "$PROBE" spawn-chdir n /bin/cat secret
cp "$(ls /lib/x86_64-linux-gnu/libm.so.6 /lib64/libm.so.6 /usr/lib/libm.so.6 /lib/*/libm.so.6 2>/dev/null | head -n 1)" n/lib.so 2>/dev/null
if [ -f n/lib.so ]; then
	cp n/lib.so pub/lib.so
	allowed "dlopen of a readable library (control)" "" "$PROBE" dlopen "$T/pub/lib.so"
	ok_not "dlopen of a none library fails" under p.conf "$PROBE" dlopen ok "$T/n/lib.so"
	ok_not "dlopen of a none library through a link fails" under p.conf "$PROBE" dlopen ok "$T/w/l-dir/lib.so"
	rm -f n/lib.so pub/lib.so
else
	skip "no libm to copy"
fi

# ---- the audit descriptor closed or replaced, then a denial ----
ok_program "dup2 onto the audit descriptor, close_range, then a hidden read" 0 "ENOENT" \
	env LD_PRELOAD="$WARD_PRELOAD" WARD_POLICY=p.conf WARD_LOG_FD=3 "$PROBE" dup2-then ENOENT n/secret 3>>.snap-log
like '"decision":"deny"' "$(grep n/secret .snap-log)" "... and the denial was logged"

# ---- chroot and mount namespaces (root here; an unprivileged program gets the same
# powers from a user namespace) ----
denied "chroot into a none folder, then /secret" ENOENT "$PROBE" chroot n /secret
denied "chroot into w (an allowed folder): refused, EPERM" EPERM "$PROBE" chroot w /hid/s
denied "chroot into .: refused, EPERM" EPERM "$PROBE" chroot . /n/secret
denied "a private mount namespace for a bind mount: refused, EPERM" EPERM "$PROBE" bindmount n w/m w/m/secret
denied "... the same for a file: refused, EPERM" EPERM "$PROBE" bindmount n/secret w/k2 w/k2
mkdir .snap-bin
cp "$PROBE" .snap-bin/probe
out=$("$WARD" run -p p.conf -l "$T/.snap-runlog" -- "$T/.snap-bin/probe" chroot ENOENT n /secret 2>&1)
noleak "ward run (kernel backstop on): chroot into a none folder, then /secret" "$out"
rm -rf .snap-bin
ok "the bind mounts stayed in their namespace" sh -c "! grep -q '$T' /proc/self/mountinfo"
if command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U true 2>/dev/null; then
	chmod 755 "$T"
	chmod 644 p.conf
	mkdir bin
	cp "$PROBE" bin/probe
	ok_program "unprivileged: a user namespace: refused, EPERM" 0 EPERM \
		under p.conf setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$T/bin/probe" userns-chroot EPERM n /sub/f
	ok_program "unprivileged: user and mount namespaces: refused, EPERM" 0 EPERM \
		under p.conf setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$T/bin/probe" userns-bindmount EPERM n w/m w/m/sub/f
	chmod 700 "$T"
	rm -rf bin
else
	skip "no unprivileged user namespaces here"
	skip "no unprivileged user namespaces here"
fi

rm -f w/k2
is "$ro_mtime" "$(stat -c %Y ro/f)" "the read-only file's times are unchanged"
is "$before" "$(snap)" "no side effect"
