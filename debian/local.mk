# debian/: the Debian packaging (debhelper 13, dh with autoreconf), shipped in the
# tarball so that `dpkg-buildpackage -us -uc -b` works from an unpacked `make dist`.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/rules \
	debian/source/format \
	debian/ward.docs \
	debian/ward.examples
