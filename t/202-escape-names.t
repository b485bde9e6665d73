#!/bin/sh
# 202-escape-names: hard links, renames, RENAME_EXCHANGE, temporary files and new names must not bring a hidden or read-only object to light.
. "$top_srcdir/t/lib.sh"
. "$top_srcdir/t/escape/lib.sh"
plan_lazy

escape_tree
mkdir -p w/src/private w/vault w/keys w/e w/x.pem
echo SECRET-private > w/src/private/k
echo src-ro > w/src/ro
echo src-file > w/src/f
echo SECRET-vault > w/vault/a.txt
echo vault-readme > w/vault/readme
echo SECRET-keys > w/keys/k.pem
echo SECRET-xpem > w/x.pem/f
echo own > w/own
ln -s ../n w/l-dir
before=$(snap)

# ---- 5. hard links ----
denied "hard link of a read-only file into w" EACCES "$CALL" link ro/f w/ro-link
denied "hard link of a view file into w" EACCES "$CALL" link v/f w/v-link
denied "hard link of a none file into w" ENOENT "$CALL" link n/secret w/n-link
denied "hard link of a hidden *.pem file to another name" ENOENT "$CALL" link w/k.pem w/k-link
denied "hard link of a file in a none folder inside w" ENOENT "$CALL" link w/hid/s w/hid-link
denied "hard link of a none file reached through a link to its folder" ENOENT "$CALL" link w/l-dir/secret w/n-link
denied "hard link of a read-only file inside w (w/src/ro)" EACCES "$CALL" link w/src/ro w/src-ro-link
denied "linkat(fd, \"\", AT_EMPTY_PATH) of a read-only file's descriptor" EACCES "$PROBE" linkfd ro/f w/fd-link
denied "linkat(/proc/self/fd/N, AT_SYMLINK_FOLLOW) of a read-only file" EACCES "$PROBE" linkproc ro/f w/proc-link
denied "syscall(SYS_linkat) of a read-only file" EACCES "$PROBE" sys-link ro/f w/sys-link
denied "hard link of a w file into a none folder" ENOENT "$CALL" link w/own n/own
denied "hard link of a w file into a none folder inside w" ENOENT "$CALL" link w/own w/hid/own
denied "hard link of a w file to a hidden name" ENOENT "$CALL" link w/own w/own.pem
denied "hard link of a w file to a read folder" EACCES "$CALL" link w/own ro/own
denied "an O_TMPFILE of w linked into a none folder" ENOENT "$PROBE" tmpfile-link w n/tmp
ok_not "an O_TMPFILE of w linked into a read folder is refused" \
	under p.conf "$PROBE" tmpfile-link ok w ro/tmp
denied "an O_TMPFILE of w linked as a hidden name" ENOENT "$PROBE" tmpfile-link w w/tmp.pem

# ---- 6. renaming a folder that holds hidden or read-only things ----
denied "rename w/src (holds a none folder) to w/dst" EACCES "$CALL" rename w/src w/dst
denied "... with renameat and O_PATH dirfds" EACCES "$PROBE" renameat w src w dst 0
denied "... with syscall(SYS_renameat2)" EACCES "$PROBE" sys-rename w/src w/dst
denied "rename w/src into an existing empty folder's place" EACCES "$CALL" rename w/src w/e
denied "rename w/vault (its *.txt are hidden by name) to w/open" EACCES "$CALL" rename w/vault w/open
denied "rename the none folder itself" ENOENT "$CALL" rename w/src/private w/public
denied "rename a none folder inside w" ENOENT "$CALL" rename w/hid w/unhid
denied "rename a hidden *.pem folder to a plain name" ENOENT "$CALL" rename w/x.pem w/x
denied "rename a hidden *.txt of a vault out of it" ENOENT "$CALL" rename w/vault/a.txt w/a.txt
denied "rename a read-only file out of w/src" EACCES "$CALL" rename w/src/ro w/ro2
denied "rename the whole write area" EACCES "$CALL" rename w w2
denied "rename a none file into w" ENOENT "$CALL" rename n/secret w/secret
denied "rename a w file into a none folder" ENOENT "$CALL" rename w/own n/own
denied "rename a w file into a none folder inside w" ENOENT "$CALL" rename w/own w/src/private/own
denied "rename a w file over a hidden file" ENOENT "$CALL" rename w/own w/k.pem
denied "rename a w file over a read-only file" EACCES "$CALL" rename w/own ro/f
denied "rename a w file to a hidden name" ENOENT "$CALL" rename w/own w/own.pem
denied "rename a w file into a read folder" EACCES "$CALL" rename w/own ro/own

# ---- 7. RENAME_EXCHANGE ----
denied "exchange a w file with a none file" ENOENT "$CALL" exchange w/own n/secret
denied "exchange a w file with a hidden file in w" ENOENT "$CALL" exchange w/own w/k.pem
denied "exchange a w file with a file of a none folder in w" ENOENT "$CALL" exchange w/own w/hid/s
denied "exchange a w file with a read-only file" EACCES "$CALL" exchange w/own ro/f
denied "exchange a w file with a view file" EACCES "$CALL" exchange w/own v/f
denied "exchange a w file with a read-only file in w" EACCES "$CALL" exchange w/own w/src/ro
denied "exchange an empty w folder with a folder holding a none folder" EACCES "$CALL" exchange w/e w/src
denied "exchange a folder holding a none folder with an empty w folder" EACCES "$CALL" exchange w/src w/e
denied "exchange an empty w folder with a none folder in w" ENOENT "$CALL" exchange w/e w/hid
denied "exchange a w file with a read-only file, renameat2 and dirfds" EACCES "$PROBE" renameat w own ro f x

# ---- temporary files and new names in hidden or read-only places ----
denied "mkstemp in a none folder" ENOENT "$PROBE" mkstemp n/tXXXXXX
denied "mkstemp in a none folder inside w" ENOENT "$PROBE" mkstemp w/hid/tXXXXXX
denied "mkstemp through a link to a none folder" ENOENT "$PROBE" mkstemp w/l-dir/tXXXXXX
denied "mkstemp in a read folder" EACCES "$PROBE" mkstemp ro/tXXXXXX
denied "mkdtemp in a none folder" ENOENT "$PROBE" mkdtemp n/dXXXXXX
denied "O_TMPFILE in a none folder" ENOENT "$CALL" tmpfile n
denied "O_TMPFILE in a read folder" EACCES "$CALL" tmpfile ro
denied "mkdir in a none folder" ENOENT "$CALL" mkdir n/d
denied "mkdir of a hidden name" ENOENT "$CALL" mkdir w/d.pem
denied "mkdir over a hidden name that exists: ENOENT, not EEXIST" ENOENT "$CALL" mkdir w/x.pem
denied "mkdir over a none folder that exists: ENOENT, not EEXIST" ENOENT "$CALL" mkdir w/hid
denied "symlink created in a none folder" ENOENT "$CALL" symlink ../pub/f n/l
denied "symlink created over a hidden name: ENOENT, not EEXIST" ENOENT "$CALL" symlink x w/k.pem
denied "mkfifo in a none folder" ENOENT "$CALL" mkfifo n/fifo
denied "mknod in a none folder inside w" ENOENT "$CALL" mknod w/hid/node
denied "create a hidden name with O_EXCL" ENOENT "$CALL" create w/new.pem
denied "create over a hidden file with O_EXCL: ENOENT, not EEXIST" ENOENT "$CALL" create w/k.pem
denied "unlink a none file" ENOENT "$CALL" unlink n/secret
denied "unlink a hidden file in w" ENOENT "$CALL" unlink w/k.pem
denied "unlink a none file through a link to its folder" ENOENT "$CALL" unlink w/l-dir/secret
denied "remove a file of a none folder in w" ENOENT "$CALL" remove w/hid/s
denied "unlink a read-only file in w" EACCES "$CALL" unlink w/src/ro
denied "rmdir a none folder: ENOENT, not ENOTEMPTY" ENOENT "$CALL" rmdir w/src/private
denied "chmod a hidden file in w" ENOENT "$CALL" chmod w/vault/a.txt
denied "truncate a hidden file in w" ENOENT "$CALL" truncate w/k.pem

# ---- a listing stream whose descriptor is replaced by another folder's ----
# pub's stream must not list w (w/hid is none) as if its names were pub's
allowed "a stream of pub lists its file (control)" "f" "$PROBE" dirswap none pub pub
for how in dup2 dup3 sys-dup3 close close_range fdopen closedir fclose freopen proc fork; do
	denied "w put behind pub's stream with $how: the stream ends (EBADF)" EBADF "$PROBE" dirswap $how pub w
done
cat > swap.py <<'PY'
import os
it = os.scandir("pub")
n = [int(f) for f in os.listdir("/proc/self/fd") if os.path.realpath("/proc/self/fd/" + f).endswith("/pub")]
os.dup2(os.open("w", os.O_RDONLY | os.O_DIRECTORY), n[0])
try:
    print(" ".join(sorted(e.name for e in it)))
except OSError as e:
    print("errno", e.errno)
PY
ok_program "python3: os.dup2 of w over an os.scandir stream of pub ends it" 0 "errno 9" \
	under "$POL" python3 swap.py
rm -f swap.py
allowed "200 streams open at once (control)" "" "$PROBE" manydirs 200 pub
denied "past 256 open streams, opendir refuses (EMFILE) rather than list unjudged" EMFILE \
	"$PROBE" manydirs 300 pub
# nftw holds one stream at a time: a tree 240 folders deep is walked whole while the
# program holds 100 streams of its own (paths of up to 256 names are judged)
python3 -c '
import os
p = "w/deep/" + "/".join(["a"] * 240)
os.makedirs(p)
open(p + "/f", "w").close()
open(p + "/k.pem", "w").close()
'
allowed "nftw walks a tree 240 folders deep beside 100 open streams, *.pem left out" "242 a f" \
	"$PROBE" deepwalk w/deep 240 100
rm -rf w/deep

is "$before" "$(snap)" "no side effect: nothing was created, moved or deleted"

# controls: the same operations where the policy allows them
allowed "hard link inside w (control)" "" "$CALL" link w/own w/own2
allowed "rename a w folder with no lower rule beneath (control)" "" "$CALL" rename w/e w/e2
allowed "rename a folder whose *.pem stay hidden wherever it goes (control)" "" "$CALL" rename w/keys w/keys2
denied "... and its *.pem is still hidden there" ENOENT "$CALL" cat w/keys2/k.pem

# ---- a folder whose name grows past PATH_MAX while the program holds it open ----
# w/s/.../keys holds k.pem (hidden); renaming w/s to a 255-byte name makes the open
# folder's real path too long to read, let alone judge: its listing must not show
# everything.
deep_tree() {
	python3 - <<'PY'
import os
base = os.path.abspath("w/s")
avail = 4060 - len(base) - len("/keys")
n = (avail - 2) // 251
rel = ["w", "s"] + ["d" * 250] * n + ["e" * (avail - n * 251 - 1), "keys"]
os.makedirs("/".join(rel))
open("/".join(rel + ["k.pem"]), "w").write("SECRET-deep\n")
open("/".join(rel + ["f"]), "w").write("deep\n")
print("/".join(rel))
PY
}
long=$(printf '%0255d' 0)
deep=$(deep_tree)
allowed "the deep folder lists f, not k.pem (control)" "f" "$PROBE" deeplist fdopendir "$deep" - -
allowed "... and through getdents64 (control)" "f" "$PROBE" deeplist getdents "$deep" - -
denied "its path made longer than PATH_MAX while open: fdopendir refuses" ENAMETOOLONG \
	"$PROBE" deeplist fdopendir "$deep" w/s "w/$long"
rm -rf "w/$long"
deep=$(deep_tree)
denied "... and getdents64 gives no names" ENAMETOOLONG "$PROBE" deeplist getdents "$deep" w/s "w/$long"
rm -rf "w/$long" w/s
