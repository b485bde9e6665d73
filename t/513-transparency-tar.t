#!/bin/sh
# 513-transparency-tar: a tar round trip under `ward run -P development` gives what it
# gives natively: the archive of a tree with symbolic and hard links, modes, an empty
# folder, a long name and a sparse file (the same bytes), its listing, its extraction
# (the same tree, contents and modes), tar -d, gzip'd, and an extraction that keeps
# the permissions (-p).
. "$top_srcdir/t/presets/lib.sh"
need_cmd tar gzip sha256sum find
plan 7

# the tree, made once; both runs archive it and extract into their own folder
S=$T/src
mkdir -p "$S/tree/sub/deeper" "$S/tree/empty" "$S/tree/modes"
printf 'hello\n' > "$S/tree/a.txt"
head -c 100000 /dev/urandom > "$S/tree/sub/blob.bin"
ln -s a.txt "$S/tree/link"
ln -s ../a.txt "$S/tree/sub/uplink"
ln -s nowhere "$S/tree/dangling"
ln "$S/tree/a.txt" "$S/tree/sub/hard.txt"
long=$(printf 'n%.0s' $(seq 1 120))
echo long > "$S/tree/sub/deeper/$long"
for m in 600 640 700 755 444 4755 1777; do
	echo "$m" > "$S/tree/modes/f$m"
	chmod "$m" "$S/tree/modes/f$m"
done
chmod 750 "$S/tree/sub/deeper"
truncate -s 1M "$S/tree/sparse"
echo end >> "$S/tree/sparse"
find "$S/tree" -exec touch -h -d '2021-05-06 07:08:09 UTC' {} +

cat > "$T/tar.sh" <<'X'
set -e
S=$1
tar --sort=name -cf t.tar -C "$S" tree
cp t.tar first.tar
tar -tvf t.tar
sha256sum t.tar | cut -d' ' -f1
mkdir out
tar -xf t.tar -C out
tar -df t.tar -C out && echo "tar -d: no difference"
tar --sort=name -czf t.tgz -C "$S" tree
mkdir outz
tar -xzpf t.tgz -C outz
(cd out && find . -printf '%p %y %m %s %n %l\n' | sort)
(cd outz && find . -printf '%p %y %m %s %n %l\n' | sort)
(cd out && find . -type f -exec sha256sum {} + | sort -k2)
echo extra > out/tree/new.txt
tar -rf t.tar -C out tree/new.txt
tar -tf t.tar | tail -1
rm -r out/tree/sub
ls out/tree
X

twice tar sh "$T/tar.sh" "$S"
is "0 0" "$(cat "$T/tar.status")" "the tar session ends with status 0, natively and under ward"
like 'tar -d: no difference' "$(cat "$T/tar.native")" "the native run got to tar -d"
same tar "tar: the same archive, listing and extracted trees as natively"
no_denial tar
cmp -s "$T/native/tar/first.tar" "$T/ward/tar/first.tar"
is 0 $? "the archives are byte for byte the same"
tree() { (cd "$1" && find . -printf '%p %y %m %s %n %l %TY-%Tm-%Td\n' | sort); }
is "$(tree "$T/native/tar/outz")" "$(tree "$T/ward/tar/outz")" \
	"the extracted trees are the same, dates included"
like '(^| )f1777 ' "$(cd "$T/ward/tar/outz/tree/modes" && ls | tr '\n' ' ')" "the extraction under ward holds the odd modes"
