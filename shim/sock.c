/* sock.c: Unix sockets named by a path. connect and sendto need `write` on the
 * socket file (as writing to it would); bind creates the name, so it needs `write`
 * where it is created. The address handed to the kernel is the real path (or, when
 * that is longer than sun_path allows, /proc/self/fd/N of the resolved object). */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "shim/shim.h"

/* The path in a Unix address, or NULL (not AF_UNIX, abstract, or unnamed). */
static const char *unix_path(const struct sockaddr *a, socklen_t len, char *buf)
{
	if (!a || len <= offsetof(struct sockaddr_un, sun_path) || a->sa_family != AF_UNIX)
		return NULL;
	const struct sockaddr_un *u = (const struct sockaddr_un *)a;
	size_t n = len - offsetof(struct sockaddr_un, sun_path);
	if (n > sizeof u->sun_path)
		n = sizeof u->sun_path;
	if (n == 0 || u->sun_path[0] == 0)
		return NULL; /* abstract socket: no file */
	memcpy(buf, u->sun_path, n);
	buf[n] = 0;
	return buf;
}

/* Fills `out` with the address to give the kernel. */
static socklen_t rewrite(struct sockaddr_un *out, const struct wr *r, bool create)
{
	memset(out, 0, sizeof *out);
	out->sun_family = AF_UNIX;
	if (r->len < sizeof out->sun_path) {
		memcpy(out->sun_path, r->real, r->len + 1);
	} else if (create) {
		char p[64];
		ws_proc_fd(p, r->parent_fd);
		snprintf(out->sun_path, sizeof out->sun_path, "%s/%s", p, wr_name(r));
	} else {
		ws_proc_fd(out->sun_path, r->obj_fd);
	}
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(out->sun_path) + 1);
}

/* Judges a destination; returns 0 with `out`/`olen` set, 1 when there is no path to
 * judge (use the address as given), or -errno. */
static int judge(const char *fn, const struct sockaddr *a, socklen_t len, struct sockaddr_un *out,
		 socklen_t *olen, bool create)
{
	char path[sizeof ((struct sockaddr_un *)0)->sun_path + 1];
	if (!ws_active() || !unix_path(a, len, path))
		return 1;
	struct wr r;
	int rc;
	if (create) {
		rc = wr_resolve(AT_FDCWD, path, WR_KEEP, &r);
		if (rc < 0)
			return rc;
		if (r.err)
			return ws_refusal(&r, fn, path, WA_CREATE, WL_WRITE);
		if (r.exists) {
			struct ws_op q = {.fn = fn, .access = WA_STAT, .need = WL_VIEW, .path = path, .r = &r,
					  .quiet = true};
			rc = ws_gate(&q);
			wr_done(&r);
			return rc < 0 ? rc : -EADDRINUSE;
		}
		r.is_dir = 0;
		struct ws_op op = {.fn = fn, .access = WA_CREATE, .need = WL_WRITE, .path = path, .r = &r};
		rc = ws_gate(&op);
		if (rc < 0) {
			wr_done(&r);
			return rc;
		}
	} else {
		rc = ws_prepare(fn, AT_FDCWD, path, WR_FOLLOW, WA_CONNECT, WL_WRITE, false, &r);
		if (rc < 0)
			return rc;
	}
	*olen = rewrite(out, &r, create);
	wr_done(&r);
	return 0;
}

WS_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	int saved = errno;
	struct sockaddr_un u;
	socklen_t ul;
	int rc = judge("connect", addr, len, &u, &ul, false);
	if (rc < 0)
		return ws_ret(rc);
	long r = rc == 0 ? ws_sc3(SYS_connect, fd, &u, ul) : ws_sc3(SYS_connect, fd, addr, len);
	if (r < 0)
		return ws_ret(r);
	errno = saved;
	return 0;
}

WS_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	int saved = errno;
	struct sockaddr_un u;
	socklen_t ul;
	int rc = judge("bind", addr, len, &u, &ul, true);
	if (rc < 0)
		return ws_ret(rc);
	long r = rc == 0 ? ws_sc3(SYS_bind, fd, &u, ul) : ws_sc3(SYS_bind, fd, addr, len);
	if (r < 0)
		return ws_ret(r);
	errno = saved;
	return 0;
}

WS_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *addr,
			 socklen_t len)
{
	int saved = errno;
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	struct sockaddr_un u;
	socklen_t ul;
	int rc = judge("sendto", addr, len, &u, &ul, false);
	if (rc < 0)
		return ws_ret(rc);
	long r = rc == 0 ? ws_sc6(SYS_sendto, fd, (long)buf, (long)n, flags, (long)&u, ul)
			 : ws_sc6(SYS_sendto, fd, (long)buf, (long)n, flags, (long)addr, len);
	if (r < 0)
		return ws_ret(r);
	errno = saved;
	return r;
}

WS_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	return sendto(fd, buf, n, flags, NULL, 0);
}

WS_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	int saved = errno;
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	struct sockaddr_un u;
	socklen_t ul;
	struct msghdr m = *msg;
	int rc = judge("sendmsg", msg->msg_name, msg->msg_namelen, &u, &ul, false);
	if (rc < 0)
		return ws_ret(rc);
	if (rc == 0) {
		m.msg_name = &u;
		m.msg_namelen = ul;
	}
	long r = ws_sc3(SYS_sendmsg, fd, &m, flags);
	if (r < 0)
		return ws_ret(r);
	errno = saved;
	return r;
}

/* sendmmsg: each message may name its own destination. Without names, one system
 * call; with a Unix path among them, each message goes through sendmsg (judged),
 * in order, and the count sent is returned as sendmmsg would. */
WS_EXPORT int sendmmsg(int fd, struct mmsghdr *v, unsigned int n, int flags)
{
	int saved = errno;
	if (ws_is_own_fd(fd))
		return ws_ret(-EBADF);
	bool named = false;
	char path[sizeof ((struct sockaddr_un *)0)->sun_path + 1];
	for (unsigned i = 0; !ws_null(v) && i < n && i < 1024; i++)
		if (unix_path(v[i].msg_hdr.msg_name, v[i].msg_hdr.msg_namelen, path))
			named = true;
	if (!named || !ws_active()) {
		long r = ws_sc4(SYS_sendmmsg, fd, v, n, flags);
		if (r < 0)
			return ws_ret(r);
		errno = saved;
		return (int)r;
	}
	if (n > 1024)
		n = 1024; /* UIO_MAXIOV, as the kernel caps it */
	unsigned sent = 0;
	for (; sent < n; sent++) {
		ssize_t r = sendmsg(fd, &v[sent].msg_hdr, flags);
		if (r < 0) {
			if (sent == 0)
				return -1;
			break;
		}
		v[sent].msg_len = (unsigned)r;
	}
	errno = saved;
	return (int)sent;
}

/* clnt_create: a Sun RPC client. Over "unix" the host is a socket's path, which
 * libc connects to inside itself: refused (EPERM), as clntunix_create is; the
 * internet protocols go to libc. */
static void *clnt_create_fn;

WS_EXPORT void *clnt_create(const char *host, unsigned long prog, unsigned long vers, const char *proto)
{
	if (ws_active() && !ws_null(proto) && strcmp(proto, "unix") == 0) {
		ws_forbid("clnt_create", AT_FDCWD, NULL, EPERM);
		errno = EPERM;
		return NULL;
	}
	void *p = __atomic_load_n(&clnt_create_fn, __ATOMIC_ACQUIRE);
	if (!p) {
		p = ws_next_sym("clnt_create", NULL);
		if (!p)
			ws_die("cannot find libc's clnt_create");
		__atomic_store_n(&clnt_create_fn, p, __ATOMIC_RELEASE);
	}
	return ((void *(*)(const char *, unsigned long, unsigned long, const char *))p)(host, prog, vers,
										     proto);
}
