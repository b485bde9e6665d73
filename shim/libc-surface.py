#!/usr/bin/env python3
"""libc-surface.py: which exported functions of the installed glibc can reach a
system call that ward must judge.

The interposers of libward.so only see calls that reach libc through its exported
names; whatever libc does inside a function goes straight to the kernel. So the list
of names ward interposes is not kept by hand: this script reads the libraries of the
installed glibc (libc.so.6, the dynamic loader and the small libraries beside them),
builds the call graph of their machine code and reports every exported function
from which a system call of a judged class can be reached.

Method (an over-approximation: a function may be reported that cannot in fact reach
the call, never the other way round, within the limits stated below):

 - Functions are the FUNC symbols of the library's symbol table, taken from its
   detached debug file (/usr/lib/debug/.build-id/XX/YYYY.debug, Debian's libc6-dbg)
   when there is one: it names libc's internal functions too. Without it, exported
   symbols and every direct call target start a function (coarser, still sound).
 - The disassembly (objdump -d) gives, per function: its `syscall` instructions, with
   the number found by following the moves into %eax back to an immediate (a number
   that comes from an argument makes the function a "syscall by argument", and its
   callers' constants are traced the same way); its direct calls and jumps; every
   code address it takes (lea, moves from the GOT); and every data object it refers
   to, whose relocated pointers (RELA, RELR) to code count as calls (vtables, the
   built-in NSS `files` table, tables of callbacks), followed through data to data.
 - Indirect calls through the loader's function table (_rtld_global_ro) count as a
   call into the loader (library loading opens files): class `load`.
 - An exported function that reaches, through these edges, a system call of a class
   below is reported with the classes and one chain as a witness.

Usage:
  libc-surface.py [--lib PATH]... [--format text|names|json] [--why NAME]
  libc-surface.py --check SYMBOLS.DEF SAFE.LIST   (the test: exit 1 on unclassified)
"""

import argparse
import bisect
import collections
import json
import os
import re
import struct
import subprocess
import sys

# ---------------------------------------------------------------------------------
# The system calls ward judges, by class (x86-64 numbers).

# (class, name, indices of the arguments that carry what is judged: a path, a
# directory descriptor, a socket address, a descriptor, clone flags)
SINKS = collections.defaultdict(list)
def _sinks(cls, spec):
    for item in spec.split():
        name, nr, args = item.split(":")
        SINKS[int(nr)].append((cls, name, [int(x) for x in args.split(",") if x]))

_sinks("path", """open:2:0 stat:4:0 lstat:6:0 access:21:0 truncate:76:0 chdir:80:0
  rename:82:0,1 mkdir:83:0 rmdir:84:0 creat:85:0 link:86:0,1 unlink:87:0 symlink:88:1
  readlink:89:0 chmod:90:0 chown:92:0 lchown:94:0 utime:132:0 mknod:133:0 uselib:134:0
  statfs:137:0 setxattr:188:0 lsetxattr:189:0 getxattr:191:0 lgetxattr:192:0
  listxattr:194:0 llistxattr:195:0 removexattr:197:0 lremovexattr:198:0 utimes:235:0
  mq_open:240:0 mq_unlink:241:0 inotify_add_watch:254:1 openat:257:1 mkdirat:258:1
  mknodat:259:1 fchownat:260:1 futimesat:261:1 newfstatat:262:1 unlinkat:263:1
  renameat:264:1,3 linkat:265:1,3 symlinkat:266:2 readlinkat:267:1
  fchmodat:268:1 faccessat:269:1 utimensat:280:1 fanotify_mark:301:4
  name_to_handle_at:303:1 open_by_handle_at:304:1 renameat2:316:1,3 statx:332:1
  openat2:437:1 faccessat2:439:1 fchmodat2:452:1""")
_sinks("sock", "connect:42:1 sendto:44:4 sendmsg:46:1 bind:49:1 sendmmsg:307:1")
_sinks("exec", "execve:59:0 execveat:322:1")
_sinks("admin", """pivot_root:155: chroot:161: acct:163: mount:165: umount2:166: swapon:167:
  swapoff:168: quotactl:179: unshare:272: setns:308: open_tree:428: move_mount:429:
  fsopen:430: fsconfig:431: fsmount:432: fspick:433: mount_setattr:442: quotactl_fd:443:
  io_uring_setup:425: io_uring_enter:426: io_uring_register:427:""")
_sinks("clone", "clone:56:0 clone3:435:0")
_sinks("fd", """read:0:0 write:1:0 close:3:0 lseek:8:0 mmap:9:4 ioctl:16:0 pread64:17:0
  pwrite64:18:0 readv:19:0 writev:20:0 dup:32:0 dup2:33:0,1 sendfile:40:0,1 recvfrom:45:0
  recvmsg:47:0 shutdown:48:0 setsockopt:54:0 getdents:78:0 fchdir:81:0 fcntl:72:0
  flock:73:0 ftruncate:77:0 fchmod:91:0 fchown:93:0 fsetxattr:190:0 fremovexattr:199:0
  getdents64:217:0 splice:275:0,2 tee:276:0,1 vmsplice:278:0 fallocate:285:0 dup3:292:0,1
  preadv:295:0 pwritev:296:0 recvmmsg:299:0 copy_file_range:326:0,2 preadv2:327:0
  pwritev2:328:0 close_range:436:0,1""")
# the descriptor arguments of the calls above: a folder descriptor (the *at calls,
# fanotify_mark, fchdir, getdents) or a socket
_sinks("fd", """openat:257:0 mkdirat:258:0 mknodat:259:0 fchownat:260:0 futimesat:261:0
  newfstatat:262:0 unlinkat:263:0,2 renameat:264:0,2 linkat:265:0,2 symlinkat:266:1
  readlinkat:267:0 fchmodat:268:0 faccessat:269:0 utimensat:280:0 fanotify_mark:301:3
  name_to_handle_at:303:0 open_by_handle_at:304:0 renameat2:316:0,2 statx:332:0
  openat2:437:0 faccessat2:439:0 fchmodat2:452:0 execveat:322:0 inotify_add_watch:254:0
  connect:42:0 sendto:44:0 sendmsg:46:0 sendmmsg:307:0 bind:49:0""")
# namespace flags of clone
NS_FLAGS = 0x20000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x08000000 | 0x04000000 | 0x02000000
# classes a reaching function must be interposed for (or reviewed safe); "fd" is
# reported on its own: the routes to the library's own descriptors
MUST = ("path", "sock", "exec", "admin", "load", "clone", "unknown")
AT_FDCWD = (0xFFFFFF9C, 0xFFFFFFFFFFFFFF9C)

# ---------------------------------------------------------------------------------
# ELF reading (64-bit little-endian only: this is an x86-64 analysis)

SHT_SYMTAB, SHT_RELA, SHT_DYNSYM, SHT_RELR = 2, 4, 11, 19
SHT_GNU_VERSYM, SHT_GNU_VERDEF = 0x6FFFFFFF, 0x6FFFFFFD
STT_OBJECT, STT_FUNC, STT_GNU_IFUNC = 1, 2, 10
R_X86_64_64, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT = 1, 6, 7
R_X86_64_RELATIVE, R_X86_64_IRELATIVE = 8, 37


class Elf:
    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 2 or d[5] != 1:
            raise SystemExit(f"libc-surface: {path}: not a 64-bit little-endian ELF file")
        (self.e_shoff,) = struct.unpack_from("<Q", d, 0x28)
        self.e_shentsize, self.e_shnum, self.e_shstrndx = struct.unpack_from("<HHH", d, 0x3A)
        self.sections = []
        for i in range(self.e_shnum):
            o = self.e_shoff + i * self.e_shentsize
            name, typ, flags, addr, off, size, link, info, align, entsize = struct.unpack_from(
                "<IIQQQQIIQQ", d, o)
            self.sections.append(dict(name=name, type=typ, flags=flags, addr=addr, off=off,
                                      size=size, link=link, info=info, entsize=entsize))
        strtab = self.sections[self.e_shstrndx]
        for s in self.sections:
            s["name"] = self.cstr(strtab["off"] + s["name"])

    def cstr(self, off):
        end = self.data.index(b"\0", off)
        return self.data[off:end].decode("utf-8", "replace")

    def section(self, name):
        for s in self.sections:
            if s["name"] == name:
                return s
        return None

    def symbols(self, typ):
        """[(name, value, size, kind, bind, shndx, index)] of the symbol table typ."""
        out = []
        for s in self.sections:
            if s["type"] != typ:
                continue
            strs = self.sections[s["link"]]["off"]
            n = s["size"] // 24
            for i in range(n):
                o = s["off"] + i * 24
                name, info, other, shndx, value, size = struct.unpack_from("<IBBHQQ", self.data, o)
                out.append((self.cstr(strs + name), value, size, info & 0xF, info >> 4, shndx, i))
        return out

    def versions(self):
        """{dynsym index: (version name, hidden)} from .gnu.version and its verdefs."""
        vs = [s for s in self.sections if s["type"] == SHT_GNU_VERSYM]
        vd = [s for s in self.sections if s["type"] == SHT_GNU_VERDEF]
        if not vs or not vd:
            return {}
        names = {}
        s = vd[0]
        strs = self.sections[s["link"]]["off"]
        o = s["off"]
        while True:
            ver, flags, ndx, cnt, hsh, aux, nxt = struct.unpack_from("<HHHHIII", self.data, o)
            if cnt:
                (vname, _) = struct.unpack_from("<II", self.data, o + aux)
                names[ndx] = self.cstr(strs + vname)
            if not nxt:
                break
            o += nxt
        out = {}
        s = vs[0]
        for i in range(s["size"] // 2):
            (v,) = struct.unpack_from("<H", self.data, s["off"] + 2 * i)
            out[i] = (names.get(v & 0x7FFF, ""), bool(v & 0x8000))
        return out

    def vaddr_to_off(self, addr):
        for s in self.sections:
            if s["addr"] and s["addr"] <= addr < s["addr"] + s["size"] and s["type"] != 8:
                return s["off"] + addr - s["addr"]
        return None

    def pointers(self):
        """{address: target} of every relocated pointer whose value is known at link
        time (relative relocations, and absolute ones to a defined symbol), and
        {GOT address: symbol name} of those to a symbol."""
        ptr, named = {}, {}
        dyn = self.symbols(SHT_DYNSYM)
        for s in self.sections:
            if s["type"] == SHT_RELA:
                for i in range(s["size"] // 24):
                    off, info, addend = struct.unpack_from("<QQq", self.data, s["off"] + 24 * i)
                    typ, sym = info & 0xFFFFFFFF, info >> 32
                    if typ in (R_X86_64_RELATIVE, R_X86_64_IRELATIVE):
                        ptr[off] = addend
                    elif typ in (R_X86_64_64, R_X86_64_GLOB_DAT, R_X86_64_JUMP_SLOT) and sym < len(dyn):
                        name, value, _, _, _, shndx, _ = dyn[sym]
                        named[off] = name
                        if shndx:
                            ptr[off] = value + addend
            elif s["type"] == SHT_RELR:
                where = 0
                for i in range(s["size"] // 8):
                    (e,) = struct.unpack_from("<Q", self.data, s["off"] + 8 * i)
                    if not e & 1:
                        where = e
                        self._relr_one(where, ptr)
                        where += 8
                    else:
                        bits = e >> 1
                        for b in range(63):
                            if bits & (1 << b):
                                self._relr_one(where + 8 * b, ptr)
                        where += 63 * 8
        return ptr, named

    def _relr_one(self, addr, ptr):
        o = self.vaddr_to_off(addr)
        if o is not None:
            (ptr[addr],) = struct.unpack_from("<Q", self.data, o)

    def build_id(self):
        s = self.section(".note.gnu.build-id")
        if not s:
            return None
        namesz, descsz, typ = struct.unpack_from("<III", self.data, s["off"])
        o = s["off"] + 12 + ((namesz + 3) & ~3)
        return self.data[o:o + descsz].hex()


def debug_file(elf):
    bid = elf.build_id()
    if not bid:
        return None
    p = f"/usr/lib/debug/.build-id/{bid[:2]}/{bid[2:]}.debug"
    return p if os.path.exists(p) else None


# ---------------------------------------------------------------------------------
# Registers and instructions

_REGS = {}
for _full, _forms in {
    "rax": "eax ax al ah", "rbx": "ebx bx bl bh", "rcx": "ecx cx cl ch", "rdx": "edx dx dl dh",
    "rsi": "esi si sil", "rdi": "edi di dil", "rbp": "ebp bp bpl", "rsp": "esp sp spl",
}.items():
    _REGS[_full] = (_full, 64)
    for _f in _forms.split():
        _REGS[_f] = (_full, 32 if _f.startswith("e") else 8)
for _n in range(8, 16):
    _REGS[f"r{_n}"] = (f"r{_n}", 64)
    _REGS[f"r{_n}d"] = (f"r{_n}", 32)
    _REGS[f"r{_n}w"] = (f"r{_n}", 16)
    _REGS[f"r{_n}b"] = (f"r{_n}", 8)
ARGREGS = ("rdi", "rsi", "rdx", "rcx", "r8", "r9")
SYSARGS = ("rdi", "rsi", "rdx", "r10", "r8", "r9")
CALLER_SAVED = {"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11"}
OPREG = re.compile(r"^%([a-z0-9]+)$")
# instructions that write registers they do not name as their last operand
IMPLICIT = {
    "syscall": {"rax", "rcx", "r11"}, "cltq": {"rax"}, "cwtl": {"rax"}, "cqto": {"rdx"},
    "cltd": {"rdx"}, "cpuid": {"rax", "rbx", "rcx", "rdx"}, "rdtsc": {"rax", "rdx"},
    "rdtscp": {"rax", "rdx", "rcx"}, "xgetbv": {"rax", "rdx"},
}
NO_WRITE = ("cmp", "test", "bt", "push", "nop", "prefetch", "ucomis", "comis", "ptest", "vptest",
            "jmp", "ret", "call", "endbr", "lfence", "mfence", "sfence", "pause", "hlt", "ud2",
            "int3", "leave")


def reg_of(operand):
    m = OPREG.match(operand.strip())
    if not m:
        return None
    return _REGS.get(m.group(1))


def split_ops(ops):
    """Operands of an AT&T operand list, commas inside parentheses kept."""
    ops = ops.split("#", 1)[0].strip()
    out, depth, cur = [], 0, ""
    for ch in ops:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


class Insn:
    __slots__ = ("addr", "mnem", "ops", "comment", "target", "label")

    def __init__(self, addr, mnem, ops):
        self.addr, self.mnem = addr, mnem
        text, _, com = ops.partition("#")
        self.ops = split_ops(text)
        self.comment = None
        m = COMMENT_ADDR.search("#" + com) if com else None
        if m:
            self.comment = (int(m.group(1), 16), m.group(2) or "")
        self.target = None
        self.label = ""
        m = TARGET.match(text.strip())
        if m:
            self.target = int(m.group(1), 16)
            self.label = m.group(2)

    def _slot(self, reg):
        return _slot_method(self, reg)

    def is_call(self):
        return self.mnem.startswith("call")

    def is_jump(self):
        return self.mnem.startswith("j")

    def is_uncond(self):
        return self.mnem.startswith("jmp") or self.mnem.startswith("ret") or self.mnem in ("ud2", "hlt")

    def writes(self, reg):
        """None when the instruction leaves reg alone; otherwise the kind of write:
        ('const', value), ('copy', reg64 or stack slot) or ('other',). A stack slot is
        named 's:OFFSET' (from %rsp) or 'b:OFFSET' (from %rbp); ('slot', new name)
        says that going back past this instruction the slot has another offset."""
        m = self.mnem
        if reg[1] == ":":
            return self._slot(reg)
        if m in IMPLICIT:
            return ("other",) if reg in IMPLICIT[m] else None
        if m.startswith(("mul", "div", "idiv")) and len(self.ops) == 1:
            return ("other",) if reg in ("rax", "rdx") else None
        if m.startswith(("rep", "movs", "stos", "lods", "scas", "cmps")) and not self.ops:
            return ("other",) if reg in ("rdi", "rsi", "rcx", "rax") else None
        if m.startswith(NO_WRITE) or not self.ops:
            return None
        if m.startswith("xchg") or m.startswith("xadd") or m.startswith("cmpxchg"):
            hit = any((reg_of(o) or ("",))[0] == reg for o in self.ops)
            if m.startswith("cmpxchg") and reg == "rax":
                hit = True
            return ("other",) if hit else None
        dst = reg_of(self.ops[-1])
        if not dst or dst[0] != reg:
            if m.startswith(("imul",)) and len(self.ops) == 1 and reg in ("rax", "rdx"):
                return ("other",)
            return None
        full, width = dst
        if len(self.ops) == 2 and width in (32, 64):
            src = self.ops[0]
            sl = slot_of(src)
            if sl and m in ("mov", "movl", "movq", "movslq"):
                return ("copy", sl)
            if m in ("mov", "movl", "movq", "movabs") and src.startswith("$"):
                try:
                    v = int(src[1:], 16)
                except ValueError:
                    return ("other",)
                if width == 32:
                    v &= 0xFFFFFFFF
                return ("const", v)
            if m.startswith("lea") and src.endswith("(%rip)") and self.comment:
                return ("const", self.comment[0])
            if m in ("mov", "movl", "movq", "movslq", "movsxd") or (m == "movsl" and False):
                s = reg_of(src)
                if s and s[1] in (32, 64):
                    return ("copy", s[0])
            if m in ("xor", "xorl", "xorq", "sub", "subl") and reg_of(src) and reg_of(src)[0] == reg:
                return ("const", 0)
        return ("other",)


MEM = re.compile(r"^(-?0x[0-9a-f]+|-?[0-9]+)?\(%(rsp|rbp)\)$")


def slot_of(operand):
    m = MEM.match(operand.strip())
    if not m:
        return None
    off = int(m.group(1), 0) if m.group(1) else 0
    return f"{'s' if m.group(2) == 'rsp' else 'b'}:{off}"


def _slot_method(self, reg):
    base, off = reg[0], int(reg[2:])
    m = self.mnem
    breg = "rsp" if base == "s" else "rbp"
    if self.ops:
        last = self.ops[-1]
        if slot_of(last) == reg:
            if len(self.ops) == 2 and m in ("mov", "movq", "movl"):
                src = self.ops[0]
                if src.startswith("$"):
                    try:
                        return ("const", int(src[1:], 16))
                    except ValueError:
                        return ("other",)
                r = reg_of(src)
                if r and r[1] in (32, 64):
                    return ("copy", r[0])
            if not m.startswith(NO_WRITE):
                return ("other",)
    # the base register moves: the same slot has another offset before this instruction
    if base == "s":
        if m.startswith("push"):
            if off == 0:
                r = reg_of(self.ops[0]) if self.ops else None
                return ("copy", r[0]) if r and r[1] == 64 else ("other",)
            return ("slot", f"s:{off - 8}") if off >= 8 else ("other",)
        if m.startswith("pop"):
            return ("slot", f"s:{off + 8}")
        if m in ("call",) or m.startswith("call"):
            return None
    if self.ops and reg_of(self.ops[-1]) and reg_of(self.ops[-1])[0] == breg:
        if len(self.ops) == 2 and self.ops[0].startswith("$") and m in ("sub", "add", "subq", "addq"):
            try:
                n = int(self.ops[0][1:], 16)
            except ValueError:
                return ("other",)
            new = off - n if m.startswith("sub") else off + n
            return ("slot", f"{base}:{new}") if new >= 0 or base == "b" else ("other",)
        return ("other",)
    if m == "leave" and base == "s":
        return ("other",)
    return None


TARGET = re.compile(r"^([0-9a-f]+) <([^>]*)>")
COMMENT_ADDR = re.compile(r"#\s*([0-9a-f]+)(?:\s*<([^>]*)>)?")
LINE = re.compile(r"^\s*([0-9a-f]+):\s+(.*)$")
PREFIXES = ("lock", "rep", "repz", "repe", "repnz", "repne", "notrack", "bnd", "data16", "cs", "ds",
            "es", "ss", "fs", "gs", "addr32")


def disassemble(path):
    out = subprocess.run(["objdump", "-d", "-w", "--no-show-raw-insn", path],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True,
                         universal_newlines=True).stdout
    insns = []
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        text = m.group(2).strip()
        parts = text.split(None, 1)
        if not parts:
            continue
        mnem, ops = parts[0], parts[1] if len(parts) > 1 else ""
        while mnem in PREFIXES:
            parts = ops.split(None, 1)
            if not parts:
                break
            mnem, ops = parts[0], parts[1] if len(parts) > 1 else ""
            if mnem in ("rep", "repz", "repnz", "repe", "repne"):
                continue
        insns.append(Insn(addr, mnem, ops))
    return insns


# ---------------------------------------------------------------------------------
# Summaries: what each function passes to the judged system calls

# The offset of _dl_open in the loader's struct rtld_global_ro (glibc 2.36, x86-64;
# `ptype /o struct rtld_global_ro` in gdb with Debian's libc6-dbg): libc loads
# libraries (dlopen, NSS modules, gconv modules, libgcc_s) through this pointer.
DL_OPEN_SLOT = "0x330(%r"

# Facts the data flow cannot see, because the value travels through memory: the
# argument that names a library to load. (Read from glibc's elf/dl-libc.c and
# dlfcn/dlopen.c; a function listed here is summarised by this entry alone.)
SEEDS = {
    "__libc_dlopen_mode": [("load", ("a", "rdi"))],
    "dlopen": [("load", ("a", "rdi"))],
    "dlmopen": [("load", ("a", "rsi"))],
    # NSS: the backend function a lookup calls is named by a string that every front
    # end passes down (getpwnam -> "getpwnam_r"); the built-in backends are then
    # _nss_files_NAME and _nss_dns_NAME (nss/nss_module.c). Followed as calls to
    # those, instead of to every entry of the built-in tables.
    "__nss_module_get_function": [("nss", ("a", "rsi"))],
}
NSS_TABLES = ("__nss_files_functions", "__nss_dns_functions")
NSS_PREFIXES = ("_nss_files_", "_nss_dns_")


class Summary:
    """Per class: the function's own argument registers that reach a judged call
    (`args`), the constants that do (`fixed`), whether a value of unknown origin does
    (`var`), and one chain of names per finding, as a witness."""
    __slots__ = ("args", "fixed", "var", "why")

    def __init__(self):
        self.args = collections.defaultdict(set)
        self.fixed = collections.defaultdict(set)
        self.var = set()
        self.why = {}

    def add(self, cls, origin, why):
        """Returns True when something new was learnt."""
        kind = origin[0]
        if kind == "a":
            if origin[1] in self.args[cls]:
                return False
            self.args[cls].add(origin[1])
        elif kind == "c":
            if origin[1] in self.fixed[cls]:
                return False
            self.fixed[cls].add(origin[1])
        else:
            if cls in self.var:
                return False
            self.var.add(cls)
        self.why.setdefault((cls,) + tuple(origin), why)
        return True

    def classes(self):
        return set(self.args) | set(self.fixed) | self.var


class Lib:
    def __init__(self, path, imported=None, interposed=frozenset(), cuts=frozenset()):
        self.path = path
        self.cuts = cuts                    # reviewed internal functions: not followed
        self.cut_hit = set()
        self.base = os.path.basename(path)
        self.elf = Elf(path)
        self.dbg = debug_file(self.elf)
        self.imported = imported or {}      # exported name of another library -> Summary
        self.interposed = interposed        # names ward interposes (PLT calls to them are judged)
        self.code = [(s["addr"], s["addr"] + s["size"]) for s in self.elf.sections
                     if s["flags"] & 4 and s["size"]]
        self.rodata = [(s["addr"], s["addr"] + s["size"]) for s in self.elf.sections
                       if s["flags"] & 2 and not s["flags"] & 1 and not s["flags"] & 4 and s["size"]
                       and s["type"] != 8]
        self.ptr, self.got_name = self.elf.pointers()
        self._symbols()
        self.insns = disassemble(path)
        self.addr_idx = {ins.addr: i for i, ins in enumerate(self.insns)}
        self._functions()
        self._scan()
        self._summarise()
        if self._nss_edges():
            self._summarise()
        self._cuts_hit()

    # -- symbols ----------------------------------------------------------------------
    def _symbols(self):
        dbg = Elf(self.dbg) if self.dbg else None
        tab = (dbg.symbols(SHT_SYMTAB) if dbg else []) + self.elf.symbols(SHT_DYNSYM)
        self.precise = dbg is not None
        self.nss_tables = set()
        self.names_at = collections.defaultdict(set)
        sizes, objs = {}, {}
        for name, value, size, kind, bind, shndx, _ in tab:
            if not shndx or not value:
                continue
            if kind in (STT_FUNC, STT_GNU_IFUNC):
                self.names_at[value].add(name)
                sizes[value] = max(sizes.get(value, 0), size)
            elif kind == STT_OBJECT and size:
                objs[value] = max(objs.get(value, 0), size)
                if name in NSS_TABLES:
                    self.nss_tables.add(value)
        self.fsize = sizes
        self.obj_starts = sorted(objs)
        self.obj_size = objs
        vers = self.elf.versions()
        self.exports = collections.defaultdict(set)
        self.versions = collections.defaultdict(set)
        for name, value, size, kind, bind, shndx, idx in self.elf.symbols(SHT_DYNSYM):
            if kind in (STT_FUNC, STT_GNU_IFUNC) and shndx and value and bind in (1, 2):
                self.exports[name].add(value)
                if idx in vers:
                    self.versions[name].add(vers[idx][0])

    def _functions(self):
        starts = set(self.fsize)
        if not self.precise:
            # no symbol table: every direct call target starts a function too
            for ins in self.insns:
                if ins.is_call() and ins.target is not None and self.is_code(ins.target):
                    starts.add(ins.target)
        self.starts = sorted(a for a in starts if a in self.addr_idx)

    def is_code(self, a):
        return any(lo <= a < hi for lo, hi in self.code)

    def func_of(self, a):
        i = bisect.bisect_right(self.starts, a) - 1
        if i < 0:
            return None
        s = self.starts[i]
        size = self.fsize.get(s, 0)
        if self.precise and size and a >= s + size:
            return None
        return s

    def obj_of(self, a):
        i = bisect.bisect_right(self.obj_starts, a) - 1
        if i < 0:
            return None
        s = self.obj_starts[i]
        return s if a < s + self.obj_size[s] else None

    def name(self, f):
        ns = self.names_at.get(f)
        if not ns:
            return f"{self.base}+0x{f:x}"
        ex = [n for n in ns if n in self.exports]
        return sorted(ex or ns, key=lambda n: (n.startswith("_"), len(n), n))[0]

    def string_at(self, v):
        if not any(lo <= v < hi for lo, hi in self.rodata):
            return None
        o = self.elf.vaddr_to_off(v)
        if o is None:
            return None
        end = self.elf.data.find(b"\0", o, o + 4096)
        if end < 0:
            return None
        return self.elf.data[o:end].decode("utf-8", "replace")

    # -- per-function facts --------------------------------------------------------------
    def _scan(self):
        self.fn_range = {}       # f -> (first insn index, end index)
        self.sites = collections.defaultdict(list)   # f -> [(index, nr or None, argreg)]
        self.calls = collections.defaultdict(list)   # f -> [(g, index, kind)]
        self.plt = collections.defaultdict(list)     # f -> [(name, index)]
        self.loader = set()
        data_refs = collections.defaultdict(set)
        rtld = set()
        indirect = set()
        dl_open = set()
        for k, f in enumerate(self.starts):
            i0 = self.addr_idx[f]
            size = self.fsize.get(f, 0)
            limit = self.starts[k + 1] if k + 1 < len(self.starts) else 1 << 62
            if self.precise and size:
                limit = min(limit, f + size)
            i1 = i0
            while i1 < len(self.insns) and self.insns[i1].addr < limit:
                i1 += 1
            self.fn_range[f] = (i0, i1)
            for i in range(i0, i1):
                ins = self.insns[i]
                if ins.mnem == "syscall":
                    self.sites[f].append(i)
                    continue
                if ins.is_call() or ins.is_jump():
                    if ins.ops and ins.ops[0].startswith("*"):
                        if ins.is_call() or ins.mnem.startswith("jmp"):
                            indirect.add(f)
                        if ins.comment:
                            self._ref(f, ins.comment[0], ins.comment[1], i, data_refs, rtld)
                        continue
                    if ins.target is None:
                        continue
                    if ins.label.endswith("@plt"):
                        base = ins.label[:-4]
                        if base.startswith("*ABS*+0x"):
                            g = self.func_of(int(base[8:], 16))
                            if g is not None:
                                self.calls[f].append((g, i, "taken"))
                        else:
                            self.plt[f].append((base.split("@")[0], i))
                        continue
                    g = self.func_of(ins.target)
                    if g is not None and g != f:
                        kind = "call" if ins.is_call() else ("tail" if ins.mnem == "jmp" else "taken")
                        self.calls[f].append((g, i, kind))
                    continue
                if ins.comment and any(o.endswith("(%rip)") for o in ins.ops):
                    self._ref(f, ins.comment[0], ins.comment[1], i, data_refs, rtld)
                if any(o.startswith(DL_OPEN_SLOT) for o in ins.ops):
                    dl_open.add(f)
        # the loader's _dl_open, called through its table: loads a library by name
        self.loader = rtld & indirect & dl_open
        memo = {}
        for f, refs in data_refs.items():
            seen = set(g for g, _, _ in self.calls[f])
            for t in refs:
                for g in self._code_in_data(t, memo, 0):
                    if g != f and g not in seen:
                        seen.add(g)
                        self.calls[f].append((g, None, "taken"))

    def _ref(self, f, t, label, i, data_refs, rtld):
        if "_rtld_global_ro" in self.got_name.get(t, ""):
            rtld.add(f)  # libc's way to the loader's table (ld.so itself has no GOT slot)
        if self.is_code(t):
            g = self.func_of(t)
            if g is not None and g != f:
                self.calls[f].append((g, i, "taken"))
            return
        name = self.got_name.get(t)
        if name is not None:
            if name in self.exports:
                for g in self.exports[name]:
                    if g != f:
                        self.calls[f].append((g, i, "taken"))
            elif t in self.ptr:
                data_refs[f].add(self.ptr[t])
            else:
                self.plt[f].append((name, None))
            return
        data_refs[f].add(t)

    def _code_in_data(self, t, memo, depth):
        o = self.obj_of(t)
        if o in self.nss_tables:
            return set()  # followed through the NSS names instead (SEEDS)
        key = o if o is not None else t
        if key in memo:
            return memo[key]
        memo[key] = set()
        lo, hi = (o, o + self.obj_size[o]) if o is not None else (t, t + 8)
        found = set()
        for a in range(lo - lo % 8, hi, 8):
            v = self.ptr.get(a)
            if v is None:
                continue
            if self.is_code(v):
                g = self.func_of(v)
                if g is not None:
                    found.add(g)
            elif depth < 4:
                found |= self._code_in_data(v, memo, depth + 1)
        memo[key] = found
        return found

    # -- backward data flow -------------------------------------------------------------
    def _blocks(self, f):
        """Block leaders of f and the predecessors of each leader."""
        cache = self.__dict__.setdefault("_bcache", {})
        if f in cache:
            return cache[f]
        i0, i1 = self.fn_range[f]
        leaders = {i0}
        preds = collections.defaultdict(set)
        for i in range(i0, i1):
            ins = self.insns[i]
            if ins.is_jump() and ins.target is not None and not ins.label.endswith("@plt"):
                j = self.addr_idx.get(ins.target)
                if j is not None and i0 <= j < i1:
                    leaders.add(j)
                    preds[j].add(i)
                if i + 1 < i1:
                    leaders.add(i + 1)
            elif ins.is_uncond() or (ins.is_jump() and ins.ops and ins.ops[0].startswith("*")):
                if i + 1 < i1:
                    leaders.add(i + 1)
                if ins.ops and ins.ops[0].startswith("*"):
                    for j in self._jump_table(i, i0, i1):
                        leaders.add(j)
                        preds[j].add(i)
        for j in leaders:
            if j > i0 and not self.insns[j - 1].is_uncond() and not (
                    self.insns[j - 1].is_jump() and self.insns[j - 1].ops and
                    self.insns[j - 1].ops[0].startswith("*")):
                preds[j].add(j - 1)
        order = sorted(leaders)
        pad = {}
        for n, j in enumerate(order):
            end = order[n + 1] if n + 1 < len(order) else i1
            pad[j] = all(self.insns[k].mnem.startswith("nop") or self.insns[k].mnem == "int3" or
                         (self.insns[k].mnem == "xchg" and self.insns[k].ops == ["%ax", "%ax"])
                         for k in range(j, end))
        cache[f] = (leaders, preds, pad)
        return cache[f]

    def _jump_table(self, i, i0, i1):
        """The targets of a switch's indirect jump, as GCC lays its table out: a
        table of 32-bit offsets from its own address, which an earlier `lea` loads."""
        lo, hi = self.insns[i0].addr, self.insns[i1 - 1].addr
        for k in range(i - 1, max(i0, i - 24) - 1, -1):
            ins = self.insns[k]
            if ins.mnem == "lea" and ins.comment and ins.ops and ins.ops[0].endswith("(%rip)"):
                t = ins.comment[0]
                o = self.elf.vaddr_to_off(t)
                if o is None or not any(a <= t < b for a, b in self.rodata):
                    return []
                out = []
                for n in range(4096):
                    (d,) = struct.unpack_from("<i", self.elf.data, o + 4 * n)
                    j = self.addr_idx.get((t + d) & 0xFFFFFFFFFFFFFFFF)
                    if j is None or not (lo <= t + d <= hi):
                        break
                    out.append(j)
                return out
        return []

    def origins(self, f, i, reg):
        """Where the value of reg just before instruction i of f comes from: a set of
        ('c', constant), ('a', argument register at f's entry), ('u',) unknown."""
        leaders, preds, pad = self._blocks(f)
        i0, _ = self.fn_range[f]
        out = set()
        work = []
        seen = set()

        def before(j, r):
            if j == i0:
                out.add(("a", r) if r in ARGREGS else ("u",))  # a slot: the caller's stack
            elif j in leaders:
                ps = preds.get(j)
                if ps:
                    work.extend((p, r) for p in ps)
                elif not pad.get(j):
                    out.add(("u",))  # reached only by an indirect jump
            else:
                work.append((j - 1, r))

        before(i, reg)
        steps = 0
        while work:
            k, r = work.pop()
            if (k, r) in seen:
                continue
            seen.add((k, r))
            steps += 1
            if steps > 50000:
                out.add(("u",))
                break
            ins = self.insns[k]
            if ins.is_call() and r in CALLER_SAVED:
                out.add(("u",))
                continue
            w = ins.writes(r)
            if w is None:
                before(k, r)
            elif w[0] == "const":
                out.add(("c", w[1]))
            elif w[0] in ("copy", "slot"):
                before(k, w[1])
            else:
                out.add(("u",))
        return out

    # -- summaries ----------------------------------------------------------------------------
    def _site_facts(self, f, i):
        """[(class, origin, why)] for the syscall at index i of f."""
        nums = self.origins(f, i, "rax")
        facts = []
        for o in nums:
            if o[0] == "c":
                facts += self._sink(f, i, o[1], SYSARGS)
            elif o[0] == "a":
                self.by_arg[f] = (o[1], SYSARGS)
            else:
                facts.append(("unknown", ("u",), f"{self.name(f)}: syscall of unknown number"))
        return facts

    def _sink(self, f, i, nr, regs):
        facts = []
        for cls, sname, argidx in SINKS.get(nr, ()):
            if not argidx:
                facts.append((cls, ("u",), f"{self.name(f)}: {sname}"))
            for a in argidx:
                for o in self.origins(f, i, regs[a]):
                    o = self.norm(cls, o)
                    if o is not None:
                        facts.append((cls, o, f"{self.name(f)}: {sname}"))
        return facts

    def norm(self, cls, o):
        """A constant as the class sees it: AT_FDCWD and constant descriptors are
        nothing to judge; a path must be a string in read-only data (a pointer to
        writable data is a value of unknown origin); clone flags matter only with a
        namespace flag."""
        if o[0] != "c":
            return o
        v = o[1]
        if v == 0 and cls in ("path", "exec", "load", "nss", "sock"):
            return None  # NULL: no name (an fd-based call, or an optional name)
        if cls in ("path", "exec", "load", "nss"):
            s = self.string_at(v)
            return ("u",) if s is None else ("c", s)
        if cls == "sock":
            if not any(lo <= v < hi for lo, hi in self.rodata):
                return ("u",)
            o = self.elf.vaddr_to_off(v)
            (fam,) = struct.unpack_from("<H", self.elf.data, o)
            if fam == 1:  # AF_UNIX: the socket's path
                end = self.elf.data.find(b"\0", o + 2, o + 110)
                return ("c", "unix:" + self.elf.data[o + 2:end].decode("utf-8", "replace"))
            return ("c", f"sockaddr-family-{fam}")
        if cls == "clone":
            return ("c", v) if v & NS_FLAGS else None
        if cls == "fd":
            return None
        return o

    def _summarise(self):
        self.by_arg = {}
        self.summ = collections.defaultdict(Summary)
        own = collections.defaultdict(list)
        for f, idxs in self.sites.items():
            for i in idxs:
                own[f] += self._site_facts(f, i)
        for f in self.loader:
            own[f].append(("load", ("u",), f"{self.name(f)}: calls the loader's _dl_open"))
        # seeded functions: their entry alone; cut functions (reviewed internals): nothing
        self.fixed_fns = set()
        self.cut_own = {}
        for f in self.starts:
            names = self.names_at.get(f, ())
            seed = next((SEEDS[n] for n in names if n in SEEDS), None)
            if seed is not None:
                own[f] = [(c, o, f"{self.name(f)}: {c} by argument (seeded)") for c, o in seed]
                self.fixed_fns.add(f)
            elif any(n.split(".")[0] in self.cuts for n in names):
                # a reviewed function (GCC's clones, name.part.0, .isra.0, are it too)
                self.cut_own[f] = [x for x in own[f] if x[0] in MUST or x[0] == "fd"]
                own[f] = []
                self.fixed_fns.add(f)
        # callers of a "syscall by argument" function: the number at each call site
        changed = True
        while changed:
            changed = False
            for f, calls in self.calls.items():
                for g, i, kind in calls:
                    if g in self.by_arg and i is not None and kind in ("call", "tail"):
                        reg, regs = self.by_arg[g]
                        key = (f, i)
                        if key in self.__dict__.setdefault("_bydone", set()):
                            continue
                        self._bydone.add(key)
                        shifted = ARGREGS[ARGREGS.index(reg) + 1:] + ("r9",) * 6 if reg in ARGREGS else ARGREGS
                        for o in self.origins(f, i, reg):
                            if o[0] == "c":
                                own[f] += self._sink(f, i, o[1], shifted[:6])
                            elif o[0] == "a" and f not in self.by_arg:
                                self.by_arg[f] = (o[1], None)
                                changed = True
                            else:
                                own[f].append(("unknown", ("u",), f"{self.name(f)}: syscall of unknown number"))
        callers = collections.defaultdict(set)
        for f, calls in self.calls.items():
            for g, i, kind in calls:
                callers[g].add(f)
        for f, pl in self.plt.items():
            for name, i in pl:
                callers[("plt", name)].add(f)
        queue = collections.deque()
        for f, facts in own.items():
            for cls, o, why in facts:
                if self.summ[f].add(cls, o, why):
                    queue.append(f)
        # imported summaries: the PLT calls to other libraries' functions ward does not
        # interpose
        for f, pl in self.plt.items():
            if f not in self.fixed_fns and self._plt_facts(f, pl):
                queue.append(f)
        pending = set(queue)
        while queue:
            g = queue.popleft()
            pending.discard(g)
            for f in callers.get(g, ()):
                if self._propagate(f, g):
                    if f not in pending:
                        pending.add(f)
                        queue.append(f)

    def _cuts_hit(self):
        """The reviewed names whose cut matters: the function would reach a judged
        call (by itself or through what it calls) were it followed."""
        judged = set(MUST) | {"fd"}
        hit = set()
        changed = True
        while changed:
            changed = False
            for f, facts in self.cut_own.items():
                if f in hit:
                    continue
                reach = bool(facts) or any(
                    g in hit or self.summ[g].classes() & judged for g, _, _ in self.calls.get(f, ()))
                if not reach:
                    reach = any(name in self.imported and self.imported[name].classes() & judged
                                and name not in self.interposed for name, _ in self.plt.get(f, ()))
                if reach:
                    hit.add(f)
                    changed = True
        for f in hit:
            for n in self.names_at.get(f, ()):
                if n.split(".")[0] in self.cuts:
                    self.cut_hit.add(n.split(".")[0])

    def _nss_edges(self):
        """Calls to the NSS backends that the names found by the first pass select."""
        by_name = {}
        for a, names in self.names_at.items():
            for n in names:
                by_name.setdefault(n, a)
        backends = [a for n, a in by_name.items() if n.startswith(NSS_PREFIXES)]
        added = False
        for f, sm in list(self.summ.items()):
            targets = set()
            for name in sm.fixed.get("nss", ()):
                for pre in NSS_PREFIXES:
                    if pre + name in by_name:
                        targets.add(by_name[pre + name])
            if "nss" in sm.var:
                targets |= set(backends)
            have = {g for g, _, _ in self.calls[f]}
            for g in targets - have - {f}:
                self.calls[f].append((g, None, "taken"))
                added = True
        self.__dict__.pop("_bydone", None)
        return added

    def _plt_facts(self, f, pl):
        new = False
        for name, i in pl:
            if name in self.interposed or name not in self.imported:
                continue
            s = self.imported[name]
            new |= self._from_callee(f, s, i, "call" if i is not None else "taken", name)
        return new

    def _propagate(self, f, g):
        if f in self.fixed_fns:
            return False
        new = False
        for g2, i, kind in self.calls[f]:
            if g2 == g:
                new |= self._from_callee(f, self.summ[g], i, kind, self.name(g))
        return new

    def _from_callee(self, f, s, i, kind, gname):
        new = False
        me = self.summ[f]
        fname = self.name(f)
        for cls in s.classes():
            for v in s.fixed.get(cls, ()):
                new |= me.add(cls, ("c", v), f"{fname} -> " + s.why.get((cls, "c", v), gname))
            if cls in s.var:
                new |= me.add(cls, ("u",), f"{fname} -> " + s.why.get((cls, "u"), gname))
            for r in s.args.get(cls, ()):
                why = f"{fname} -> " + s.why.get((cls, "a", r), gname)
                if i is None or kind == "taken" or r not in ARGREGS:
                    new |= me.add(cls, ("u",), why)
                    continue
                for o in self.origins(f, i, r):
                    o = self.norm(cls, o)
                    if o is not None:
                        new |= me.add(cls, o, why)
        return new

    def export_summary(self):
        """{exported name: Summary} (the union over its addresses)."""
        out = {}
        for name, addrs in self.exports.items():
            s = Summary()
            for a in addrs:
                t = self.summ.get(a)
                if not t:
                    continue
                for cls in t.classes():
                    for r in t.args.get(cls, ()):
                        s.add(cls, ("a", r), t.why.get((cls, "a", r), ""))
                    for v in t.fixed.get(cls, ()):
                        s.add(cls, ("c", v), t.why.get((cls, "c", v), ""))
                    if cls in t.var:
                        s.add(cls, ("u",), t.why.get((cls, "u"), ""))
            out[name] = s
        return out


# ---------------------------------------------------------------------------------
# The libraries of glibc, and what each export reaches

DEFAULT_LIBS = ["ld-linux-x86-64.so.2", "libc.so.6", "libresolv.so.2", "libnss_dns.so.2",
                "libnss_files.so.2", "libnss_compat.so.2", "libnss_hesiod.so.2", "libanl.so.1",
                "libutil.so.1", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libm.so.6",
                "libc_malloc_debug.so.0", "libthread_db.so.1", "libBrokenLocale.so.1",
                "libnsl.so.1", "libmvec.so.1"]


def libc_dir():
    out = subprocess.run(["ldd", "/bin/sh"], stdout=subprocess.PIPE, universal_newlines=True).stdout
    for line in out.splitlines():
        m = re.search(r"libc\.so\.6 => (\S+)", line)
        if m:
            return os.path.dirname(os.path.realpath(m.group(1)))
    return "/lib/x86_64-linux-gnu"


def analyse(paths, interposed, cuts=frozenset()):
    """[(Lib, {exported name: Summary})], each library seeing the summaries of those
    before it (the loader first, then libc) for the calls it makes through its PLT."""
    out = []
    imported = {}
    for p in paths:
        lib = Lib(p, imported=dict(imported), interposed=interposed, cuts=cuts)
        ex = lib.export_summary()
        for name, s in ex.items():
            if s.classes() and name not in imported:
                imported[name] = s
        out.append((lib, ex))
    return out


def findings(res, classes):
    """{name: {class: {'arg', 'var', or a fixed value}}} over every library, and
    {(name, class, kind): witness}."""
    reach = collections.defaultdict(lambda: collections.defaultdict(set))
    why = {}
    for lib, ex in res:
        for name, s in ex.items():
            for cls in classes:
                kinds = set()
                if s.args.get(cls):
                    kinds.add("arg")
                    r = sorted(s.args[cls])[0]
                    why.setdefault((name, cls, "arg"), f"{lib.base}: " + s.why.get((cls, "a", r), ""))
                if cls in s.var:
                    kinds.add("var")
                    why.setdefault((name, cls, "var"), f"{lib.base}: " + s.why.get((cls, "u"), ""))
                for v in s.fixed.get(cls, ()):
                    kinds.add(v)
                    why.setdefault((name, cls, v), f"{lib.base}: " + s.why.get((cls, "c", v), ""))
                if kinds:
                    reach[name][cls] |= kinds
    return reach, why


def read_def(path):
    names = set()
    for line in open(path):
        m = re.match(r"^WARD_(?:SYM|ALIAS|PRIV|GUARD)\(([A-Za-z_0-9]+)", line)
        if m:
            names.add(m.group(1))
    return names


def read_safe(path):
    """({name: reason}, {fixed path: reason}) of the reviewed list. A line '## reason'
    heads a group; the names below it share that reason, unless a line gives its own
    after ' -- '. A line that begins with '/', '.', '~', 'unix:', '""' (the empty
    path) or a library's file name is one fixed path."""
    names, fixed = {}, {}
    reason = None
    for n, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("# ") or line == "#":
            continue
        if line.startswith("## "):
            reason = line[3:].strip()
            continue
        body, sep, own = line.partition(" -- ")
        r = own.strip() if sep else reason
        if not r:
            raise SystemExit(f"{path}:{n}: no reason for '{body.strip()}'")
        path_line = body.lstrip().startswith(("/", ".", '"', "unix:", "~")) or re.match(r"^\s*lib\S+\.so", body)
        for tok in (body.split() if not path_line else [body.strip()]):
            if tok == '""':
                tok = ""
            d = fixed if path_line else names
            if tok in d:
                raise SystemExit(f"{path}:{n}: '{tok}' is listed twice")
            d[tok] = r
    return names, fixed


def fixed_text(v):
    return v if isinstance(v, str) else f"#{v:#x}"


def check(res, interposed, safe, safe_fixed, verbose):
    """The surface test's report; returns the number of problems.

    A function must be interposed or reviewed when it can pass to a judged call a
    value that comes from its caller or from anywhere but a constant (`arg`, `var`),
    or a fixed path that is not reviewed below (/etc/shadow is never reviewed)."""
    reach, why = findings(res, MUST + ("fd",))
    names = set()
    for lib, ex in res:
        names |= set(ex)
    fixed_vals = collections.defaultdict(set)
    for n, cl in reach.items():
        for c in MUST:
            for k in cl.get(c, ()):
                if k not in ("arg", "var"):
                    fixed_vals[fixed_text(k)].add(n)
    unrev = {v for v in fixed_vals if v not in safe_fixed}

    def needs(n):
        cl = reach[n]
        return [(c, k) for c in MUST for k in sorted(cl.get(c, ()), key=str)
                if k in ("arg", "var") or fixed_text(k) in unrev]

    must = {n for n in reach if needs(n)}
    fd_arg = {n for n, cl in reach.items() if "arg" in cl.get("fd", ())}
    problems = 0
    out = []
    say = out.append

    def classify(group, label, kinds):
        nonlocal problems
        inter = sorted(n for n in group if n in interposed)
        bad = sorted(n for n in group if n not in interposed and n not in safe)
        say(f"# {label}: {len(group)} reachable beyond the reviewed ones, {len(inter)} interposed, "
            f"{len(bad)} unclassified")
        for n in bad:
            parts = [f"{c}/{fixed_text(k)}: {why.get((n, c, k), '')}" for c, k in kinds(n)]
            say(f"UNCLASSIFIED {n}: " + (parts[0] if parts else ""))
            if verbose:
                for p in parts[1:]:
                    say(f"    {p}")
            problems += 1

    say(f"# glibc: {len(names)} exported functions in {len(res)} libraries "
        f"({', '.join(lib.base + ('' if lib.precise else ' (no debug symbols)') for lib, _ in res)})")
    exported = set()
    for lib, ex in res:
        exported |= set(ex)
    hit = set()
    for lib, _ in res:
        hit |= lib.cut_hit
    reviewed = {n for n in safe if n in hit and n in exported}
    classify(must, "path, socket, exec, loader, namespace and unknown calls", needs)
    say(f"# reviewed safe (surface.safe): {len(reviewed)} exported functions and "
        f"{len([n for n in safe if n in hit and n not in exported])} internal ones of surface.safe, "
        f"where the analysis stops")
    classify(fd_arg, "descriptor calls (the library's own descriptors)",
             lambda n: [("fd", "arg")])
    say(f"# fixed paths libc opens by itself: {len(fixed_vals)}, reviewed safe "
        f"{len(fixed_vals) - len(unrev)}, judged through their callers {len(unrev)}: "
        + " ".join(sorted(unrev)))
    # another name of a function ward interposes is the same function: it must be
    # interposed too (a WARD_ALIAS row), whatever the analysis says it reaches
    aliases = set()
    for lib, ex in res:
        for name, addrs in lib.exports.items():
            if name in interposed:
                for a in addrs:
                    for other in lib.names_at.get(a, ()):
                        if other in lib.exports and other not in interposed:
                            aliases.add((other, name))
    say(f"# other names of interposed functions: {len(aliases)} not interposed")
    for other, name in sorted(aliases):
        say(f"UNINTERPOSED-ALIAS {other}: the same function as {name}")
        problems += 1
    for n in sorted(n for n in safe if n in interposed):
        say(f"CONTRADICTION {n}: interposed and listed as safe")
        problems += 1
    stale = sorted(n for n in safe if n not in must and n not in fd_arg and n not in hit)
    if stale:
        say(f"# stale entries of the safe list (not reachable on this glibc): {' '.join(stale)}")
    stale_fixed = sorted(v for v in safe_fixed if v not in fixed_vals)
    if stale_fixed:
        say(f"# stale fixed paths of the safe list: {' '.join(stale_fixed)}")
    missing = sorted(n for n in interposed if n not in names)
    if missing:
        say(f"# interposed names this glibc does not export: {' '.join(missing)}")
    print("\n".join(out))
    return problems


def sys_dispatch(path):
    """The system call numbers shim/sys.c decodes (case SYS_x, case WS_SYS_x, case N)."""
    text = open(path).read()
    cpp = subprocess.run(["cpp", "-dM"], input="#include <sys/syscall.h>\n", stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    nums = {}
    for line in cpp.splitlines():
        m = re.match(r"#define (?:__NR_|SYS_)(\w+) (\d+)$", line)
        if m:
            nums[m.group(1)] = int(m.group(2))
    for m in re.finditer(r"#define WS_SYS_(\w+) (\d+)", text):
        nums.setdefault(m.group(1), int(m.group(2)))
    out = set()
    for m in re.finditer(r"case (?:WS_)?SYS_(\w+):", text):
        if m.group(1) in nums:
            out.add(nums[m.group(1)])
    for m in re.finditer(r"case (\d+):", text):
        out.add(int(m.group(1)))
    return out


def check_sys(path):
    have = sys_dispatch(path)
    missing = sorted(nr for nr in SINKS if nr not in have)
    print(f"# system calls ward judges: {len(SINKS)}; decoded by syscall() in {os.path.basename(path)}: "
          f"{len(SINKS) - len(missing)}")
    for nr in missing:
        print(f"UNDISPATCHED {nr} ({', '.join(n for _, n, _ in SINKS[nr])}): syscall({nr}, ...) would reach the kernel unjudged")
    return len(missing)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lib", action="append", help="a library to analyse (default: glibc's)")
    ap.add_argument("--interposed", help="symbols.def: PLT calls to these are judged")
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--why", action="append", help="print what an exported name reaches, and how "
                    "(with --check: after the report)")
    ap.add_argument("--check", metavar="SAFE_LIST", help="classify against the reviewed list")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--sys", metavar="SYS_C", help="check that syscall() decodes every judged call")
    a = ap.parse_args()
    if a.lib:
        paths = a.lib
    else:
        d = libc_dir()
        paths = [os.path.join(d, l) for l in DEFAULT_LIBS if os.path.exists(os.path.join(d, l))]
    if a.sys:
        return 1 if check_sys(a.sys) else 0
    interposed = read_def(a.interposed) if a.interposed else set()
    safe, safe_fixed = read_safe(a.check) if a.check else ({}, {})
    # a reviewed function's reason holds whoever calls it: libc's own callers are not
    # followed into it either
    res = analyse(paths, frozenset(interposed), frozenset(safe))
    def explain():
        reach, why = findings(res, MUST + ("fd",))
        for name in a.why or ():
            for c, kinds in sorted(reach.get(name, {}).items()):
                for k in sorted(kinds, key=str):
                    print(f"{name} [{c}/{fixed_text(k)}]: {why.get((name, c, k), '')}")
    if a.why and not a.check:
        explain()
        return 0
    if a.check:
        if a.why:
            problems = check(res, interposed, safe, safe_fixed, a.verbose)
            explain()
            return 1 if problems else 0
        return 1 if check(res, interposed, safe, safe_fixed, a.verbose) else 0
    reach, why = findings(res, MUST + ("fd",))
    if a.format == "json":
        json.dump({n: {c: sorted(fixed_text(k) for k in ks) for c, ks in cl.items()}
                   for n, cl in sorted(reach.items())}, sys.stdout, indent=1)
        print()
        return 0
    for n in sorted(reach):
        cl = reach[n]
        print(n, " ".join(f"{c}:{'/'.join(sorted(fixed_text(k) for k in ks))[:80]}" for c, ks in sorted(cl.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
