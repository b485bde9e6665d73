#!/bin/sh
# 200-escape-links: symbolic links, "..", /proc magic links, O_PATH descriptors and chdir must not reach a hidden file.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
# links the program finds in its writable folder (the contract: a link is judged by
# the real path of its target; a link to an allowed target IS allowed)
ln -s ../n/secret w/l-file
ln -s "$T/n/secret" w/l-abs
ln -s ../n w/l-dir
ln -s l-file w/l-chain
ln -s k.pem w/l-pem
ln -s hid w/l-hid
ln -s ../pub/f w/l-pub
ln -s ../ro/f w/l-ro
ln -s ../n/new w/l-nnew
ln -s ../ro/new w/l-ronew
ln -s /proc/self/cwd/n w/l-proc
before=$(snap)

# ---- 1. symbolic links to hidden files and folders ----
denied "read through a relative link to a none file" ENOENT "$CALL" cat w/l-file
denied "read through an absolute link to a none file" ENOENT "$CALL" cat w/l-abs
denied "read through a chain of links to a none file" ENOENT "$CALL" cat w/l-chain
denied "read through a link to a hidden (*.pem) file" ENOENT "$CALL" cat w/l-pem
denied "read through a link to a none folder, then a file" ENOENT "$CALL" cat w/l-dir/secret
denied "... and a file two folders down" ENOENT "$CALL" cat w/l-dir/sub/f
denied "read through a link to a none folder inside w" ENOENT "$CALL" cat w/l-hid/s
denied "read through a link to /proc/self/cwd/n" ENOENT "$CALL" cat w/l-proc/secret
denied "fopen through a link to a none file" ENOENT "$CALL" fopen w/l-file r
denied "O_PATH through a link to a none file" ENOENT "$CALL" opath w/l-file
denied "O_PATH through a link to a none folder" ENOENT "$CALL" opath w/l-dir
denied "stat through a link to a none file" ENOENT "$CALL" stat w/l-file
denied "statx through a link to a none folder's file" ENOENT "$CALL" statx w/l-dir/secret
denied "access through a link to a none file" ENOENT "$CALL" access w/l-file F
denied "realpath through a link to a none file" ENOENT "$CALL" realpath w/l-file
denied "list a none folder through a link" ENOENT "$CALL" ls w/l-dir
denied "list a none folder through a link, with a trailing /" ENOENT "$CALL" ls w/l-dir/
denied "scandir a none folder through a link" ENOENT "$CALL" scandir w/l-dir
denied "getdents64 on a none folder through a link" ENOENT "$CALL" getdents w/l-dir
ok_program "glob through a link to a none folder finds nothing" 0 "ok" \
	under p.conf "$CALL" glob ok 'w/l-dir/*'
denied "write through a link to a none file" ENOENT "$CALL" openw w/l-file
denied "create through a dangling link into a none folder" ENOENT "$CALL" creat w/l-nnew
ok "... and nothing was created there" test ! -e n/new
denied "create through a dangling link into a read folder" EACCES "$CALL" creat w/l-ronew
ok "... and nothing was created there" test ! -e ro/new
denied "write through a link to a read-only file" EACCES "$CALL" openw w/l-ro
denied "truncate through a link to a read-only file" EACCES "$CALL" trunc w/l-ro
denied "truncate() through a link to a read-only file" EACCES "$CALL" truncate w/l-ro
denied "chmod through a link to a none file" ENOENT "$CALL" chmod w/l-file
denied "utimes through a link to a read-only file" EACCES "$CALL" utimes w/l-ro
denied "setxattr through a link to a read-only file" EACCES "$CALL" setxattr w/l-ro
denied "rmdir through a link with a trailing / to a none folder" ENOENT "$CALL" rmdir w/l-dir/
allowed "a link to an allowed file IS allowed (control)" public "$CALL" cat w/l-pub
allowed "lstat of the link itself (it lives in w)" "" "$PROBE" open w/l-file pathnf

# ---- 3. ".." ----
denied "w/../n/secret" ENOENT "$CALL" cat w/../n/secret
denied "pub/../n/secret" ENOENT "$CALL" cat pub/../n/secret
denied "through the hidden folder and back: n/sub/../secret" ENOENT "$CALL" cat n/sub/../secret
denied "n/../n/secret" ENOENT "$CALL" cat n/../n/secret
denied "././n/./secret" ENOENT "$CALL" cat ././n/./secret
denied "n//secret" ENOENT "$CALL" cat n//secret
denied "absolute, with .. and .: $T/./w/../n/secret" ENOENT "$CALL" cat "$T/./w/../n/secret"
denied "through a link, then ..: w/l-dir/../n/secret" ENOENT "$CALL" cat w/l-dir/../n/secret
denied "through a link, then .. back into it: w/l-dir/sub/../secret" ENOENT "$CALL" cat w/l-dir/sub/../secret
denied "w/hid/../hid/s" ENOENT "$CALL" cat w/hid/../hid/s
denied "a hidden file with a trailing /: ENOENT, not ENOTDIR" ENOENT "$CALL" cat n/secret/
denied "a hidden file with a trailing /.: ENOENT, not ENOTDIR" ENOENT "$CALL" stat n/secret/.
denied "a hidden file with a trailing /..: ENOENT, not ENOTDIR" ENOENT "$CALL" stat n/secret/..
denied "relative to a dirfd on pub: ../n/secret" ENOENT "$PROBE" dirat pub ../n/secret
denied "relative to a dirfd on w: l-dir/secret" ENOENT "$PROBE" dirat w l-dir/secret
denied "relative to a dirfd on w: hid/../hid/s" ENOENT "$PROBE" dirat w hid/../hid/s
denied "relative to a dirfd on .: n/secret" ENOENT "$PROBE" dirat . n/secret
# fstatat and statx of one name relative to a folder descriptor or the working
# directory, which the library reads with one fstatat that follows no link
denied "fstatat(dirfd on w, a link to a none file)" ENOENT "$PROBE" statat w l-file follow
denied "fstatat(dirfd on w, a chain of links to a none file)" ENOENT "$PROBE" statat w l-chain follow
denied "fstatat(dirfd on w, a link to a hidden *.pem)" ENOENT "$PROBE" statat w l-pem follow
denied "fstatat(dirfd on w, a link to a none folder)" ENOENT "$PROBE" statat w l-dir follow
denied "statx(dirfd on w, a link to a none file)" ENOENT "$PROBE" statat w l-file statx
denied "fstatat(dirfd on w, a hidden *.pem, no follow)" ENOENT "$PROBE" statat w k.pem nofollow
denied "statx(dirfd on w, a hidden *.pem, no follow)" ENOENT "$PROBE" statat w k.pem statx-nofollow
denied "fstatat(dirfd on w, the none folder hid)" ENOENT "$PROBE" statat w hid follow
denied "fstatat(AT_FDCWD, the none folder n)" ENOENT "$PROBE" statat - n nofollow
denied "statx(AT_FDCWD, the none folder n)" ENOENT "$PROBE" statat - n statx
denied "fstatat(dirfd on w, a missing name)" ENOENT "$PROBE" statat w missing follow
allowed "fstatat(dirfd on w, the link itself, no follow)" "l 11" "$PROBE" statat w l-file nofollow
allowed "fstatat(dirfd on w, a link to pub/f)" "f 7" "$PROBE" statat w l-pub follow
allowed "statx(dirfd on v, a file at view)" "f 10" "$PROBE" statat v f statx
allowed "fstatat(dirfd on w, ..)" "d" "$PROBE" statat w .. follow
denied "raw openat relative to a dirfd on pub: ../n/secret" ENOENT "$PROBE" sys-openat pub ../n/secret
denied "mkdir n/../n/x (hidden, not created)" ENOENT "$CALL" mkdir n/../n/x
ok "... and nothing was created" test ! -e n/x
allowed "n/../pub/f: only the object's level counts (contract)" public "$CALL" cat n/../pub/f
allowed "w/l-dir/../pub/f (control)" public "$CALL" cat w/l-dir/../pub/f

# ---- 4. /proc magic links ----
denied "/proc/self/root/.../n/secret" ENOENT "$CALL" cat "/proc/self/root$T/n/secret"
denied "/proc/thread-self/root/.../n/secret" ENOENT "$CALL" cat "/proc/thread-self/root$T/n/secret"
denied "/proc/self/root/proc/self/cwd/n/secret" ENOENT "$CALL" cat "/proc/self/root/proc/self/cwd/n/secret"
denied "/proc/self/cwd/n/secret" ENOENT "$CALL" cat /proc/self/cwd/n/secret
denied "/proc/self/cwd/w/../n/secret" ENOENT "$CALL" cat /proc/self/cwd/w/../n/secret
denied "/proc/PID/cwd/n/secret" ENOENT "$PROBE" procpid cwd/n/secret
denied "/proc/PID/root/.../n/secret" ENOENT "$PROBE" procpid "root$T/n/secret"
denied "/proc/PPID/root/.../n/secret (the test shell's root)" ENOENT "$CALL" cat "/proc/$$/root$T/n/secret"
denied "/proc/PPID/cwd/n/secret (the test shell's cwd)" ENOENT "$CALL" cat "/proc/$$/cwd/n/secret"
denied "/proc/self/fd/N/../n/secret, N a folder pub" ENOENT "$PROBE" fdname pub ../n/secret
denied "/proc/self/fd/N/n/secret, N the folder ." ENOENT "$PROBE" fdname . n/secret
denied "/dev/fd/N/n/secret, N the folder ." ENOENT "$PROBE" fdname . n/secret dev
denied "/proc/self/fd/N/l-dir/secret, N the folder w" ENOENT "$PROBE" fdname w l-dir/secret
denied "/proc/self/fd/N/hid/s, N the folder w" ENOENT "$PROBE" fdname w hid/s
denied "reopen a read-only file through /proc/self/fd/N for O_RDWR" EACCES "$PROBE" reopen ro/f r rw
denied "... for O_WRONLY" EACCES "$PROBE" reopen ro/f r w
denied "... for O_TRUNC" EACCES "$PROBE" reopen ro/f r trunc
denied "... for O_APPEND" EACCES "$PROBE" reopen ro/f r append
denied "reopen an O_PATH descriptor of a read-only file for O_RDWR" EACCES "$PROBE" reopen ro/f path rw
denied "reopen an O_PATH descriptor of a view file for reading" EACCES "$PROBE" reopen v/f path r
denied "reopen an O_PATH|O_NOFOLLOW descriptor of a link to a none file" ENOENT "$PROBE" reopen w/l-file pathnf r
denied "freopen(NULL, \"r+\") of a read-only stream" EACCES "$PROBE" freopen-up ro/f
allowed "reopen of an allowed file for reading (control)" public "$PROBE" reopen pub/f r r
is "READONLY" "$(cat ro/f)" "the read-only file is unchanged"

# ---- 8. O_PATH descriptors ----
denied "O_PATH on a none folder" ENOENT "$CALL" opath n
denied "O_PATH on a none folder inside w" ENOENT "$CALL" opath w/hid
denied "O_PATH on a none file" ENOENT "$CALL" opath n/secret
denied "O_PATH on a hidden *.pem file" ENOENT "$CALL" opath w/k.pem
denied "openat on an O_PATH descriptor of a none folder" ENOENT "$CALL" openat n secret r
denied "O_PATH dirfd on pub, then ../n/secret" ENOENT "$PROBE" opathat pub ../n/secret
denied "O_PATH dirfd on w, then ../n/secret" ENOENT "$PROBE" opathat w ../n/secret
denied "O_PATH dirfd on w, then hid/s" ENOENT "$PROBE" opathat w hid/s
denied "O_PATH dirfd on w, then l-dir/sub/f" ENOENT "$PROBE" opathat w l-dir/sub/f
denied "openat(O_PATH dirfd on w, ../n/new, O_CREAT)" ENOENT "$CALL" openat w ../n/new c
ok "... and nothing was created" test ! -e n/new
denied "openat(O_PATH dirfd on pub, ../ro/new, O_CREAT)" EACCES "$CALL" openat pub ../ro/new c
ok "... and nothing was created" test ! -e ro/new

# ---- 9. chdir ----
denied "chdir into a none folder" ENOENT "$CALL" chdir n
denied "chdir into a none folder's subfolder" ENOENT "$CALL" chdir n/sub
denied "chdir through a link into a none folder" ENOENT "$CALL" chdir w/l-dir
denied "chdir into a none folder inside w" ENOENT "$CALL" chdir w/hid
denied "chdir n, then read secret" ENOENT "$PROBE" chdir-cat n secret
denied "chdir pub, then read ../n/secret" ENOENT "$PROBE" chdir-cat pub ../n/secret
denied "chdir w, then read hid/s" ENOENT "$PROBE" chdir-cat w hid/s
denied "chdir pub, then read ../w/l-dir/secret" ENOENT "$PROBE" chdir-cat pub ../w/l-dir/secret
denied "fchdir to an O_PATH descriptor of pub, then ../n/secret" ENOENT "$PROBE" fchdir pub ../n/secret
denied "chdir into a view folder, then read a file there" EACCES "$PROBE" chdir-cat v f

is "$before" "$(snap)" "no side effect: the tree is as it was"
