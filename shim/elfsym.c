/* elfsym.c: finding libc's functions without dlsym.
 *
 * libward.so interposes dlsym and dlvsym (a program must get ward's function for
 * every name ward interposes, whatever handle it asks), so the library cannot bind
 * the functions it forwards to through them. Instead it reads the dynamic symbol
 * tables of the objects loaded after it (what RTLD_NEXT would search), with their
 * GNU hash tables and symbol versions, as the loader does.
 *
 * It also tells whether an address lies in one of glibc's own libraries (libc, the
 * loader, libnss_*, libresolv...): the GLIBC_PRIVATE functions ward forwards only
 * for those (see stubs.c).
 */
#include <elf.h>
#include <link.h>
#include <string.h>

#include "shim/shim.h"

/* No sanitizer here: a sanitizer runtime preloaded first asks dlsym (and so this
 * file) for its interceptors' targets while it is setting itself up. */
#define WS_RAW __attribute__((no_sanitize("address", "undefined")))

extern char ws_self_anchor; /* any address inside libward.so: this symbol's */
char ws_self_anchor;

struct find {
	const char *name;
	const char *version; /* NULL: the default version */
	uint32_t hash;       /* GNU hash of name */
	bool past_self;      /* objects after libward.so are searched */
	bool self_only;      /* only libward.so itself */
	void *found;
};

WS_RAW static bool same_str(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

WS_RAW static uint32_t gnu_hash(const char *s)
{
	uint32_t h = 5381;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = h * 33 + *p;
	return h;
}

/* The version name of symbol index i, or NULL; *hidden when it is not the default. */
WS_RAW static const char *sym_version(ElfW(Addr) base, const ElfW(Half) *versym, const ElfW(Verdef) *verdef,
			       const char *strtab, size_t i, bool *hidden)
{
	*hidden = false;
	if (!versym || !verdef)
		return NULL;
	ElfW(Half) v = versym[i];
	*hidden = (v & 0x8000) != 0;
	v &= 0x7fff;
	const ElfW(Verdef) *d = verdef;
	for (;;) {
		if (d->vd_ndx == v && !(d->vd_flags & VER_FLG_BASE)) {
			const ElfW(Verdaux) *a = (const ElfW(Verdaux) *)((const char *)d + d->vd_aux);
			return strtab + a->vda_name;
		}
		if (!d->vd_next)
			break;
		d = (const ElfW(Verdef) *)((const char *)d + d->vd_next);
	}
	(void)base;
	return NULL;
}

/* Looks `f->name` up in one object's dynamic symbol table (DT_GNU_HASH). */
WS_RAW static void *lookup(struct dl_phdr_info *info, const struct find *f)
{
	const ElfW(Dyn) *dyn = NULL;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	if (!dyn)
		return NULL;
	ElfW(Addr) base = info->dlpi_addr;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	const uint32_t *gnu = NULL;
	const ElfW(Half) *versym = NULL;
	const ElfW(Verdef) *verdef = NULL;
	/* The loader rebases some of these entries in place (DT_SYMTAB, DT_STRTAB,
	 * DT_GNU_HASH, DT_VERSYM) but not others (DT_VERDEF), and none in the vDSO: an
	 * address below the object's base is still an offset. */
#define REBASE(v) ((ElfW(Addr))(v) < base ? (ElfW(Addr))(v) + base : (ElfW(Addr))(v))
	for (const ElfW(Dyn) *d = dyn; d->d_tag != DT_NULL; d++) {
		switch (d->d_tag) {
		case DT_SYMTAB: symtab = (const ElfW(Sym) *)REBASE(d->d_un.d_ptr); break;
		case DT_STRTAB: strtab = (const char *)REBASE(d->d_un.d_ptr); break;
		case DT_GNU_HASH: gnu = (const uint32_t *)REBASE(d->d_un.d_ptr); break;
		case DT_VERSYM: versym = (const ElfW(Half) *)REBASE(d->d_un.d_ptr); break;
		case DT_VERDEF: verdef = (const ElfW(Verdef) *)REBASE(d->d_un.d_ptr); break;
		}
	}
#undef REBASE
	if (!symtab || !strtab || !gnu)
		return NULL;
	uint32_t nbuckets = gnu[0], symoffset = gnu[1], bloom_size = gnu[2];
	if (!nbuckets)
		return NULL;
	const uint32_t *buckets = gnu + 4 + bloom_size * (sizeof(ElfW(Addr)) / 4);
	const uint32_t *chain = buckets + nbuckets;
	uint32_t i = buckets[f->hash % nbuckets];
	if (i < symoffset)
		return NULL;
	for (;; i++) {
		uint32_t h = chain[i - symoffset];
		if ((h | 1) == (f->hash | 1)) {
			const ElfW(Sym) *s = &symtab[i];
			int type = ELF64_ST_TYPE(s->st_info);
			if (s->st_shndx != SHN_UNDEF && s->st_value &&
			    (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_OBJECT) &&
			    same_str(strtab + s->st_name, f->name)) {
				bool hidden;
				const char *v = sym_version(base, versym, verdef, strtab, i, &hidden);
				bool ok = f->version ? (v && same_str(v, f->version)) : !hidden;
				if (ok) {
					void *p = (void *)(base + s->st_value);
					if (type == STT_GNU_IFUNC)
						p = ((void *(*)(void))p)();
					return p;
				}
			}
		}
		if (h & 1)
			break;
	}
	return NULL;
}

WS_RAW static int each(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct find *f = arg;
	/* is this object libward.so? */
	bool self = false;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if ((uintptr_t)&ws_self_anchor >= lo && (uintptr_t)&ws_self_anchor < hi)
			self = true;
	}
	if (f->self_only) {
		if (self)
			f->found = lookup(info, f);
		return self;
	}
	if (self) {
		f->past_self = true;
		return 0;
	}
	if (!f->past_self)
		return 0;
	f->found = lookup(info, f);
	return f->found != NULL;
}

WS_RAW void *ws_next_sym(const char *name, const char *version)
{
	struct find f = {.name = name, .version = version, .hash = gnu_hash(name)};
	dl_iterate_phdr(each, &f);
	return f.found;
}

WS_RAW void *ws_self_sym(const char *name)
{
	struct find f = {.name = name, .hash = gnu_hash(name), .self_only = true};
	dl_iterate_phdr(each, &f);
	return f.found;
}

/* ---- is an address in glibc's own code? ---- */

/* glibc's libraries, by file name (all in the folder of libc.so.6) */
static const char *const glibc_libs[] = {
	"libc.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libresolv.so.2",
	"libnss_dns.so.2", "libnss_files.so.2", "libnss_compat.so.2", "libnss_hesiod.so.2",
	"libanl.so.1", "libutil.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libm.so.6",
	"libc_malloc_debug.so.0", "libthread_db.so.1", "libBrokenLocale.so.1", "libnsl.so.1",
	"libmvec.so.1", "libmemusage.so", "libpcprofile.so",
};

struct where {
	uintptr_t addr;
	const char *name; /* the object's file name, when found */
	bool exec;
};

static int find_obj(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct where *w = arg;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (w->addr >= lo && w->addr < hi) {
			w->name = info->dlpi_name ? info->dlpi_name : "";
			w->exec = true;
			return 1;
		}
	}
	return 0;
}

bool ws_addr_in_glibc(const void *addr)
{
	struct where w = {.addr = (uintptr_t)addr};
	dl_iterate_phdr(find_obj, &w);
	if (!w.exec || !w.name || !w.name[0])
		return false; /* the program itself, or no code at all */
	const char *base = strrchr(w.name, '/');
	base = base ? base + 1 : w.name;
	bool known = false;
	for (size_t i = 0; i < sizeof glibc_libs / sizeof glibc_libs[0]; i++)
		if (strcmp(base, glibc_libs[i]) == 0)
			known = true;
	if (!known)
		return false;
	/* and from the folder libc itself was loaded from: a library of the same name
	 * elsewhere (the program's own) is not glibc's */
	static char libc_dir[PATH_MAX];
	static size_t libc_dir_len;
	if (!libc_dir_len) {
		struct where c = {.addr = (uintptr_t)&strlen};
		void *p = ws_next_sym("open", NULL);
		if (p)
			c.addr = (uintptr_t)p;
		dl_iterate_phdr(find_obj, &c);
		if (!c.name)
			return false;
		const char *s = strrchr(c.name, '/');
		size_t n = s ? (size_t)(s - c.name) : 0;
		if (n >= sizeof libc_dir)
			return false;
		memcpy(libc_dir, c.name, n);
		libc_dir[n] = 0;
		libc_dir_len = n ? n : 1;
	}
	size_t dn = (size_t)(base - w.name);
	if (dn)
		dn--; /* the slash */
	return dn == strlen(libc_dir) && memcmp(w.name, libc_dir, dn) == 0;
}
