// The WASI preview1 functions (and wasi_unstable's variants) on a Linker.
// Every function returns an errno; guest pointers are checked against the
// calling instance's memory before any access (EFAULT otherwise).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "wasi/fs.h"
#include "wasi/wasi_ctx.h"

namespace brisk::wasi {

using namespace abi;  // NOLINT: the ABI's names read best unqualified here

uint16_t errno_from_host(int e) {
  switch (e) {
    case 0: return kSuccess;
    case E2BIG: return k2big;
    case EACCES: return kAcces;
    case EADDRINUSE: return kAddrinuse;
    case EADDRNOTAVAIL: return kAddrnotavail;
    case EAFNOSUPPORT: return kAfnosupport;
    case EAGAIN: return kAgain;
    case EALREADY: return kAlready;
    case EBADF: return kBadf;
    case EBADMSG: return kBadmsg;
    case EBUSY: return kBusy;
    case ECANCELED: return kCanceled;
    case ECHILD: return kChild;
    case ECONNABORTED: return kConnaborted;
    case ECONNREFUSED: return kConnrefused;
    case ECONNRESET: return kConnreset;
    case EDEADLK: return kDeadlk;
    case EDESTADDRREQ: return kDestaddrreq;
    case EDOM: return kDom;
    case EDQUOT: return kDquot;
    case EEXIST: return kExist;
    case EFAULT: return kFault;
    case EFBIG: return kFbig;
    case EHOSTUNREACH: return kHostunreach;
    case EIDRM: return kIdrm;
    case EILSEQ: return kIlseq;
    case EINPROGRESS: return kInprogress;
    case EINTR: return kIntr;
    case EINVAL: return kInval;
    case EIO: return kIo;
    case EISCONN: return kIsconn;
    case EISDIR: return kIsdir;
    case ELOOP: return kLoop;
    case EMFILE: return kMfile;
    case EMLINK: return kMlink;
    case EMSGSIZE: return kMsgsize;
    case EMULTIHOP: return kMultihop;
    case ENAMETOOLONG: return kNametoolong;
    case ENETDOWN: return kNetdown;
    case ENETRESET: return kNetreset;
    case ENETUNREACH: return kNetunreach;
    case ENFILE: return kNfile;
    case ENOBUFS: return kNobufs;
    case ENODEV: return kNodev;
    case ENOENT: return kNoent;
    case ENOEXEC: return kNoexec;
    case ENOLCK: return kNolck;
    case ENOLINK: return kNolink;
    case ENOMEM: return kNomem;
    case ENOMSG: return kNomsg;
    case ENOPROTOOPT: return kNoprotoopt;
    case ENOSPC: return kNospc;
    case ENOSYS: return kNosys;
    case ENOTCONN: return kNotconn;
    case ENOTDIR: return kNotdir;
    case ENOTEMPTY: return kNotempty;
    case ENOTRECOVERABLE: return kNotrecoverable;
    case ENOTSOCK: return kNotsock;
    case EOPNOTSUPP: return kNotsup;
    case ENOTTY: return kNotty;
    case ENXIO: return kNxio;
    case EOVERFLOW: return kOverflow;
    case EOWNERDEAD: return kOwnerdead;
    case EPERM: return kPerm;
    case EPIPE: return kPipe;
    case EPROTO: return kProto;
    case EPROTONOSUPPORT: return kProtonosupport;
    case EPROTOTYPE: return kPrototype;
    case ERANGE: return kRange;
    case EROFS: return kRofs;
    case ESPIPE: return kSpipe;
    case ESRCH: return kSrch;
    case ESTALE: return kStale;
    case ETIMEDOUT: return kTimedout;
    case ETXTBSY: return kTxtbsy;
    case EXDEV: return kNotcapable;  // openat2 RESOLVE_BENEATH: an escape
    default: return kIo;
  }
}

namespace {

/// The calling instance's memory, with checked access.
class Guest {
 public:
  explicit Guest(Caller& c) {
    if (auto m = c.memory()) {
      auto s = m->span(c.store());
      base_ = s.data();
      size_ = s.size();
    }
  }
  bool ok(uint32_t p, uint64_t n) const { return base_ && uint64_t{p} + n <= size_; }
  uint8_t* at(uint32_t p) const { return base_ + p; }
  template <class T>
  bool get(uint32_t p, T* out) const {
    if (!ok(p, sizeof(T))) return false;
    memcpy(out, base_ + p, sizeof(T));
    return true;
  }
  template <class T>
  bool put(uint32_t p, T v) const {
    if (!ok(p, sizeof(T))) return false;
    memcpy(base_ + p, &v, sizeof(T));
    return true;
  }
  bool string(uint32_t p, uint32_t len, std::string* out) const {
    if (!ok(p, len)) return false;
    out->assign(reinterpret_cast<const char*>(base_ + p), len);
    return true;
  }
  /// Host iovecs over guest (buf, len) pairs, every one checked.
  bool iovecs(uint32_t iovs, uint32_t n, std::vector<iovec>* out, uint64_t* total) const {
    if (n > 1024 * 1024 || !ok(iovs, uint64_t{n} * 8)) return false;
    out->resize(n);
    *total = 0;
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t buf, len;
      memcpy(&buf, base_ + iovs + 8 * i, 4);
      memcpy(&len, base_ + iovs + 8 * i + 4, 4);
      if (!ok(buf, len)) return false;
      (*out)[i] = iovec{base_ + buf, len};
      *total += len;
    }
    return true;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

int32_t err(int host) { return errno_from_host(host); }
int32_t last_err() { return err(errno); }

uint64_t ns(const timespec& t) { return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec); }
timespec ts(uint64_t n) { return timespec{static_cast<time_t>(n / 1000000000ull), static_cast<long>(n % 1000000000ull)}; }


/// A filestat in preview1's or wasi_unstable's layout.
bool put_filestat(const Guest& g, uint32_t p, const struct stat& st, bool unstable) {
  uint8_t b[kFilestatSize] = {};
  auto w64 = [&](uint32_t off, uint64_t v) { memcpy(b + off, &v, 8); };
  w64(0, st.st_dev);
  w64(8, st.st_ino);
  b[16] = filetype_of(st.st_mode);
  if (unstable) {
    uint32_t nlink = static_cast<uint32_t>(st.st_nlink);
    memcpy(b + 20, &nlink, 4);
    w64(24, static_cast<uint64_t>(st.st_size));
    w64(32, ns(st.st_atim));
    w64(40, ns(st.st_mtim));
    w64(48, ns(st.st_ctim));
  } else {
    w64(24, st.st_nlink);
    w64(32, static_cast<uint64_t>(st.st_size));
    w64(40, ns(st.st_atim));
    w64(48, ns(st.st_mtim));
    w64(56, ns(st.st_ctim));
  }
  uint32_t size = unstable ? kUnstableFilestatSize : kFilestatSize;
  if (!g.ok(p, size)) return false;
  memcpy(g.at(p), b, size);
  return true;
}

/// utimensat's times from WASI's (atim, mtim, fst_flags).
bool times_from(uint64_t atim, uint64_t mtim, uint16_t flags, timespec out[2]) {
  if (((flags & kFstAtim) && (flags & kFstAtimNow)) || ((flags & kFstMtim) && (flags & kFstMtimNow))) return false;
  out[0] = flags & kFstAtimNow ? timespec{0, UTIME_NOW} : flags & kFstAtim ? ts(atim) : timespec{0, UTIME_OMIT};
  out[1] = flags & kFstMtimNow ? timespec{0, UTIME_NOW} : flags & kFstMtim ? ts(mtim) : timespec{0, UTIME_OMIT};
  return true;
}

clockid_t host_clock(uint32_t id, bool* ok) {
  *ok = true;
  switch (id) {
    case kRealtime: return CLOCK_REALTIME;
    case kMonotonic: return CLOCK_MONOTONIC;
    case kProcessCputime: return CLOCK_PROCESS_CPUTIME_ID;
    case kThreadCputime: return CLOCK_THREAD_CPUTIME_ID;
    default: *ok = false; return CLOCK_REALTIME;
  }
}

struct Wasi {
  std::shared_ptr<WasiCtx> ctx;
  WasiCtx::Impl& im() const { return *ctx->impl(); }

  // A descriptor with `rights`, or the errno why not.
  int32_t lookup(uint32_t fd, uint64_t rights, Fd** out) const {
    Fd* f = im().get(fd);
    if (!f) return kBadf;
    if ((f->rights & rights) != rights) return kNotcapable;
    *out = f;
    return kSuccess;
  }
  // A directory descriptor for path operations.
  int32_t dir(uint32_t fd, uint64_t rights, Fd** out) const {
    int32_t e = lookup(fd, 0, out);
    if (e) return e;
    if ((*out)->type != kDirectory || (*out)->host < 0) return kNotdir;
    if (((*out)->rights & rights) != rights) return kNotcapable;
    return kSuccess;
  }

  // fd_read, fd_write and (with an offset) fd_pread, fd_pwrite: check the
  // descriptor, gather the guest's iovecs, move the bytes, store the count.
  int32_t transfer(Caller& c, uint32_t fd, uint32_t iovs, uint32_t n, std::optional<uint64_t> off, uint32_t out,
                   bool write) {
    Fd* f;
    if (int32_t e = lookup(fd, (write ? kRightFdWrite : kRightFdRead) | (off ? kRightFdSeek : 0), &f)) return e;
    if (off && f->stream != Fd::Stream::kNone) return kSpipe;
    if (off && *off > static_cast<uint64_t>(INT64_MAX)) return kInval;
    Guest g(c);
    std::vector<iovec> iov;
    uint64_t total;
    if (!g.iovecs(iovs, n, &iov, &total) || !g.ok(out, 4)) return kFault;
    int64_t at = off ? static_cast<int64_t>(*off) : -1;
    uint32_t done = 0;
    if (int32_t e = write ? write_to(*f, iov, total, at, &done) : read_from(*f, iov, at, &done)) return e;
    return g.put<uint32_t>(out, done) ? kSuccess : kFault;
  }

  int32_t write_to(Fd& f, const std::vector<iovec>& iov, uint64_t total, int64_t offset, uint32_t* written) {
    if (f.stream == Fd::Stream::kStdoutBuffer || f.stream == Fd::Stream::kStderrBuffer) {
      std::string& out = f.stream == Fd::Stream::kStdoutBuffer ? im().out : im().err;
      for (const auto& v : iov) out.append(static_cast<const char*>(v.iov_base), v.iov_len);
      *written = static_cast<uint32_t>(total);
      return kSuccess;
    }
    if (f.stream == Fd::Stream::kNull) {
      *written = static_cast<uint32_t>(total);
      return kSuccess;
    }
    if (f.stream == Fd::Stream::kStdinBuffer) return kBadf;
    ssize_t n = offset < 0 ? writev(f.host, iov.data(), static_cast<int>(iov.size()))
                           : pwritev(f.host, iov.data(), static_cast<int>(iov.size()), offset);
    if (n < 0) return last_err();
    *written = static_cast<uint32_t>(n);
    return kSuccess;
  }

  int32_t read_from(Fd& f, const std::vector<iovec>& iov, int64_t offset, uint32_t* nread) {
    if (f.stream == Fd::Stream::kStdinBuffer) {
      size_t total = 0;
      for (const auto& v : iov) {
        size_t n = std::min(v.iov_len, im().in.size() - im().in_pos);
        memcpy(v.iov_base, im().in.data() + im().in_pos, n);
        im().in_pos += n;
        total += n;
      }
      *nread = static_cast<uint32_t>(total);
      return kSuccess;
    }
    if (f.stream == Fd::Stream::kNull) {
      *nread = 0;
      return kSuccess;
    }
    if (f.stream != Fd::Stream::kNone) return kBadf;
    ssize_t n = offset < 0 ? readv(f.host, iov.data(), static_cast<int>(iov.size()))
                           : preadv(f.host, iov.data(), static_cast<int>(iov.size()), offset);
    if (n < 0) return last_err();
    *nread = static_cast<uint32_t>(n);
    return kSuccess;
  }
};

// The directory entries of `fd` (re-read from the start on each call: a
// cookie is an index).
int read_dir(int fd, std::vector<std::pair<std::string, std::pair<uint64_t, uint8_t>>>* out) {
  if (lseek(fd, 0, SEEK_SET) < 0) return errno;
  char buf[8192];
  for (;;) {
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) return errno;
    if (n == 0) return 0;
    for (long off = 0; off < n;) {
      uint64_t ino;
      uint16_t reclen;
      uint8_t type;
      memcpy(&ino, buf + off, 8);
      memcpy(&reclen, buf + off + 16, 2);
      type = static_cast<uint8_t>(buf[off + 18]);
      const char* name = buf + off + 19;
      uint8_t wt = kUnknown;
      switch (type) {
        case DT_REG: wt = kRegularFile; break;
        case DT_DIR: wt = kDirectory; break;
        case DT_LNK: wt = kSymbolicLink; break;
        case DT_CHR: wt = kCharacterDevice; break;
        case DT_BLK: wt = kBlockDevice; break;
        case DT_SOCK: wt = kSocketStream; break;
        default: break;
      }
      out->push_back({name, {ino, wt}});
      off += reclen;
    }
  }
}

}  // namespace

Status add_to_linker(Linker& linker, std::shared_ptr<WasiCtx> ctx) {
  auto w = std::make_shared<Wasi>(Wasi{std::move(ctx)});
  for (const char* module : {"wasi_snapshot_preview1", "wasi_unstable"}) {
    const bool unstable = std::string(module) == "wasi_unstable";
    auto def = [&](const char* name, auto fn) { return linker.func_wrap(module, name, std::move(fn)); };

    // -- args, environ ------------------------------------------------------------
    auto strings_get = [](const std::vector<std::string>& v, const Guest& g, uint32_t ptrs, uint32_t buf) -> int32_t {
      uint32_t p = buf;
      for (size_t i = 0; i < v.size(); ++i) {
        if (!g.put<uint32_t>(ptrs + 4 * static_cast<uint32_t>(i), p)) return kFault;
        if (!g.ok(p, v[i].size() + 1)) return kFault;
        memcpy(g.at(p), v[i].c_str(), v[i].size() + 1);
        p += static_cast<uint32_t>(v[i].size() + 1);
      }
      return kSuccess;
    };
    auto sizes_get = [](const std::vector<std::string>& v, const Guest& g, uint32_t count, uint32_t size) -> int32_t {
      uint64_t total = 0;
      for (const auto& s : v) total += s.size() + 1;
      if (!g.put<uint32_t>(count, static_cast<uint32_t>(v.size())) || !g.put<uint32_t>(size, static_cast<uint32_t>(total))) return kFault;
      return kSuccess;
    };
    BRISK_TRY(def("args_get", [w, strings_get](Caller& c, uint32_t argv, uint32_t buf) {
      return strings_get(w->im().args, Guest(c), argv, buf);
    }));
    BRISK_TRY(def("args_sizes_get", [w, sizes_get](Caller& c, uint32_t count, uint32_t size) {
      return sizes_get(w->im().args, Guest(c), count, size);
    }));
    BRISK_TRY(def("environ_get", [w, strings_get](Caller& c, uint32_t env, uint32_t buf) {
      return strings_get(w->im().env, Guest(c), env, buf);
    }));
    BRISK_TRY(def("environ_sizes_get", [w, sizes_get](Caller& c, uint32_t count, uint32_t size) {
      return sizes_get(w->im().env, Guest(c), count, size);
    }));

    // -- clocks, random, scheduling, process ---------------------------------------
    BRISK_TRY(def("clock_res_get", [](Caller& c, uint32_t id, uint32_t out) -> int32_t {
      bool ok;
      clockid_t cid = host_clock(id, &ok);
      if (!ok) return kInval;
      timespec t;
      if (clock_getres(cid, &t) != 0) return last_err();
      return Guest(c).put<uint64_t>(out, ns(t)) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("clock_time_get", [](Caller& c, uint32_t id, uint64_t, uint32_t out) -> int32_t {
      bool ok;
      clockid_t cid = host_clock(id, &ok);
      if (!ok) return kInval;
      timespec t;
      if (clock_gettime(cid, &t) != 0) return last_err();
      return Guest(c).put<uint64_t>(out, ns(t)) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("random_get", [](Caller& c, uint32_t buf, uint32_t len) -> int32_t {
      Guest g(c);
      if (!g.ok(buf, len)) return kFault;
      for (uint32_t done = 0; done < len;) {
        ssize_t n = getrandom(g.at(buf + done), len - done, 0);
        if (n < 0) {
          if (errno == EINTR) continue;
          return last_err();
        }
        done += static_cast<uint32_t>(n);
      }
      return kSuccess;
    }));
    BRISK_TRY(def("sched_yield", [] { sched_yield(); return int32_t{kSuccess}; }));
    BRISK_TRY(def("proc_exit", [w](int32_t code) -> Status {
      w->im().exit_code = code;
      return Status(ErrorKind::kTrap, "proc_exit(" + std::to_string(code) + ")");
    }));
    BRISK_TRY(def("proc_raise", [](int32_t) { return int32_t{kNotsup}; }));

    // -- descriptors ----------------------------------------------------------------
    BRISK_TRY(def("fd_close", [w](uint32_t fd) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f) return kBadf;
      if (f->owned && f->host >= 0) close(f->host);
      w->im().fds.erase(fd);
      return kSuccess;
    }));
    BRISK_TRY(def("fd_renumber", [w](uint32_t from, uint32_t to) -> int32_t {
      Fd* a = w->im().get(from);
      Fd* b = w->im().get(to);
      if (!a || !b) return kBadf;
      if (from == to) return kSuccess;
      if (b->owned && b->host >= 0) close(b->host);
      *b = *a;
      w->im().fds.erase(from);
      return kSuccess;
    }));
    BRISK_TRY(def("fd_fdstat_get", [w](Caller& c, uint32_t fd, uint32_t out) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f) return kBadf;
      Guest g(c);
      if (!g.ok(out, kFdstatSize)) return kFault;
      uint8_t b[kFdstatSize] = {};
      b[0] = f->type;
      uint16_t flags = f->flags;
      if (f->host >= 0) {
        int fl = fcntl(f->host, F_GETFL);
        if (fl >= 0) {
          flags = static_cast<uint16_t>(flags & ~(kFdflagAppend | kFdflagNonblock));
          if (fl & O_APPEND) flags |= kFdflagAppend;
          if (fl & O_NONBLOCK) flags |= kFdflagNonblock;
        }
      }
      memcpy(b + 2, &flags, 2);
      memcpy(b + 8, &f->rights, 8);
      memcpy(b + 16, &f->inheriting, 8);
      memcpy(g.at(out), b, kFdstatSize);
      return kSuccess;
    }));
    BRISK_TRY(def("fd_fdstat_set_flags", [w](uint32_t fd, uint32_t flags) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdFdstatSetFlags, &f)) return e;
      if (flags & ~(kFdflagAppend | kFdflagNonblock | kFdflagDsync | kFdflagRsync | kFdflagSync)) return kInval;
      if (flags & (kFdflagDsync | kFdflagRsync | kFdflagSync)) return kNotsup;
      if (f->host < 0) return kSuccess;
      int fl = fcntl(f->host, F_GETFL);
      if (fl < 0) return last_err();
      fl &= ~(O_APPEND | O_NONBLOCK);
      if (flags & kFdflagAppend) fl |= O_APPEND;
      if (flags & kFdflagNonblock) fl |= O_NONBLOCK;
      if (fcntl(f->host, F_SETFL, fl) != 0) return last_err();
      f->flags = static_cast<uint16_t>(flags);
      return kSuccess;
    }));
    BRISK_TRY(def("fd_fdstat_set_rights", [w](uint32_t fd, uint64_t base, uint64_t inheriting) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f) return kBadf;
      if ((base & ~f->rights) || (inheriting & ~f->inheriting)) return kNotcapable;  // rights only shrink
      f->rights = base;
      f->inheriting = inheriting;
      return kSuccess;
    }));
    BRISK_TRY(def("fd_prestat_get", [w](Caller& c, uint32_t fd, uint32_t out) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f) return kBadf;
      if (f->preopen_name.empty()) return kBadf;
      Guest g(c);
      if (!g.ok(out, kPrestatSize)) return kFault;
      uint8_t b[kPrestatSize] = {};
      uint32_t len = static_cast<uint32_t>(f->preopen_name.size());
      memcpy(b + 4, &len, 4);
      memcpy(g.at(out), b, kPrestatSize);
      return kSuccess;
    }));
    BRISK_TRY(def("fd_prestat_dir_name", [w](Caller& c, uint32_t fd, uint32_t path, uint32_t len) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f || f->preopen_name.empty()) return kBadf;
      if (len < f->preopen_name.size()) return kNametoolong;
      Guest g(c);
      if (!g.ok(path, f->preopen_name.size())) return kFault;
      memcpy(g.at(path), f->preopen_name.data(), f->preopen_name.size());
      return kSuccess;
    }));
    BRISK_TRY(def("fd_write", [w](Caller& c, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
      return w->transfer(c, fd, iovs, n, std::nullopt, nwritten, true);
    }));
    BRISK_TRY(def("fd_pwrite", [w](Caller& c, uint32_t fd, uint32_t iovs, uint32_t n, uint64_t off, uint32_t nwritten) {
      return w->transfer(c, fd, iovs, n, off, nwritten, true);
    }));
    BRISK_TRY(def("fd_read", [w](Caller& c, uint32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) {
      return w->transfer(c, fd, iovs, n, std::nullopt, nread, false);
    }));
    BRISK_TRY(def("fd_pread", [w](Caller& c, uint32_t fd, uint32_t iovs, uint32_t n, uint64_t off, uint32_t nread) {
      return w->transfer(c, fd, iovs, n, off, nread, false);
    }));
    BRISK_TRY(def("fd_seek", [w, unstable](Caller& c, uint32_t fd, int64_t off, uint32_t whence, uint32_t out) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdSeek, &f)) {
        Fd* t;  // fd_seek(0, CUR) is fd_tell, which needs only that right
        if (e == kNotcapable && off == 0 && w->lookup(fd, kRightFdTell, &t) == kSuccess) f = t;
        else return e;
      }
      int how;
      if (unstable) {
        how = whence == kUnstableSet ? SEEK_SET : whence == kUnstableCur ? SEEK_CUR : whence == kUnstableEnd ? SEEK_END : -1;
      } else {
        how = whence == kWhenceSet ? SEEK_SET : whence == kWhenceCur ? SEEK_CUR : whence == kWhenceEnd ? SEEK_END : -1;
      }
      if (how < 0) return kInval;
      if (f->host < 0) return kSpipe;
      off_t r = lseek(f->host, off, how);
      if (r < 0) return last_err();
      return Guest(c).put<uint64_t>(out, static_cast<uint64_t>(r)) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("fd_tell", [w](Caller& c, uint32_t fd, uint32_t out) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdTell, &f)) return e;
      if (f->host < 0) return kSpipe;
      off_t r = lseek(f->host, 0, SEEK_CUR);
      if (r < 0) return last_err();
      return Guest(c).put<uint64_t>(out, static_cast<uint64_t>(r)) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("fd_advise", [w](uint32_t fd, uint64_t off, uint64_t len, uint32_t advice) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdAdvise, &f)) return e;
      static const int kAdvice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
      if (advice > 5) return kInval;
      if (f->host < 0) return kSuccess;
      int r = posix_fadvise(f->host, static_cast<off_t>(off), static_cast<off_t>(len), kAdvice[advice]);
      return r == ESPIPE ? kSuccess : err(r);  // advice on a pipe is harmless
    }));
    BRISK_TRY(def("fd_allocate", [w](uint32_t fd, uint64_t off, uint64_t len) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdAllocate, &f)) return e;
      if (f->host < 0) return kBadf;
      if (f->type == kDirectory) return kBadf;
      if (off > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX) - off) return kInval;
      return err(posix_fallocate(f->host, static_cast<off_t>(off), static_cast<off_t>(len)));
    }));
    BRISK_TRY(def("fd_datasync", [w](uint32_t fd) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdDatasync, &f)) return e;
      if (f->host < 0) return kInval;
      return fdatasync(f->host) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("fd_sync", [w](uint32_t fd) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdSync, &f)) return e;
      if (f->host < 0) return kInval;
      return fsync(f->host) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("fd_filestat_get", [w, unstable](Caller& c, uint32_t fd, uint32_t out) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdFilestatGet, &f)) return e;
      struct stat st {};
      if (f->host >= 0) {
        if (fstat(f->host, &st) != 0) return last_err();
      } else {
        st.st_mode = S_IFCHR;
      }
      return put_filestat(Guest(c), out, st, unstable) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("fd_filestat_set_size", [w](uint32_t fd, uint64_t size) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdFilestatSetSize, &f)) return e;
      if (f->host < 0) return kInval;
      if (size > static_cast<uint64_t>(INT64_MAX)) return kInval;
      return ftruncate(f->host, static_cast<off_t>(size)) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("fd_filestat_set_times", [w](uint32_t fd, uint64_t atim, uint64_t mtim, uint32_t flags) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdFilestatSetTimes, &f)) return e;
      timespec t[2];
      if (!times_from(atim, mtim, static_cast<uint16_t>(flags), t)) return kInval;
      if (f->host < 0) return kSuccess;
      return futimens(f->host, t) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("fd_readdir", [w](Caller& c, uint32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t used) -> int32_t {
      Fd* f;
      if (int32_t e = w->lookup(fd, kRightFdReaddir, &f)) return e;
      if (f->type != kDirectory || f->host < 0) return kNotdir;
      Guest g(c);
      if (!g.ok(buf, len) || !g.ok(used, 4)) return kFault;
      std::vector<std::pair<std::string, std::pair<uint64_t, uint8_t>>> entries;
      if (int r = read_dir(f->host, &entries)) return err(r);
      uint32_t pos = 0;
      for (uint64_t i = cookie; i < entries.size() && pos < len; ++i) {
        const auto& [name, info] = entries[i];
        uint8_t d[kDirentSize] = {};
        uint64_t next = i + 1;
        uint32_t namlen = static_cast<uint32_t>(name.size());
        memcpy(d, &next, 8);
        memcpy(d + 8, &info.first, 8);
        memcpy(d + 16, &namlen, 4);
        d[20] = info.second;
        // Entries may be cut at the end of the buffer: the guest asks again.
        uint32_t n = std::min<uint32_t>(kDirentSize, len - pos);
        memcpy(g.at(buf + pos), d, n);
        pos += n;
        n = std::min<uint32_t>(namlen, len - pos);
        memcpy(g.at(buf + pos), name.data(), n);
        pos += n;
      }
      return g.put<uint32_t>(used, pos) ? kSuccess : kFault;
    }));

    // -- paths ------------------------------------------------------------------------
    // Reads the guest path and the parent directory it names a child of.
    struct Named {
      int parent = -1;  ///< owned, or -1: use `dir`
      int dir = -1;
      std::string base;
      ~Named() { if (parent >= 0) close(parent); }
      int at() const { return parent >= 0 ? parent : dir; }
    };
    auto named = [w](const Guest& g, uint32_t fd, uint64_t rights, uint32_t p, uint32_t len, Named* out,
                     bool write) -> int32_t {
      Fd* d;
      if (int32_t e = w->dir(fd, rights, &d)) return e;
      if (write && d->read_only) return kRofs;
      std::string path;
      if (!g.string(p, len, &path)) return kFault;
      if (path.find('\0') != std::string::npos) return kIlseq;
      out->dir = d->host;
      int r = open_parent(d->host, path, &out->parent, &out->base);
      return r < 0 ? err(-r) : kSuccess;
    };
    auto read_path = [w](const Guest& g, uint32_t fd, uint64_t rights, uint32_t p, uint32_t len, Fd** d,
                         std::string* path) -> int32_t {
      if (int32_t e = w->dir(fd, rights, d)) return e;
      if (!g.string(p, len, path)) return kFault;
      if (path->find('\0') != std::string::npos) return kIlseq;
      return kSuccess;
    };

    BRISK_TRY(def("path_open", [w, read_path](Caller& c, uint32_t fd, uint32_t lookup, uint32_t p, uint32_t len,
                                              uint32_t oflags, uint64_t base, uint64_t inheriting, uint32_t fdflags,
                                              uint32_t out) -> int32_t {
      Guest g(c);
      Fd* d;
      std::string path;
      if (int32_t e = read_path(g, fd, kRightPathOpen, p, len, &d, &path)) return e;
      if (!g.ok(out, 4)) return kFault;
      if ((oflags & kOflagCreat) && !(d->rights & kRightPathCreateFile)) return kNotcapable;
      if ((oflags & kOflagTrunc) && !(d->rights & kRightPathFilestatSetSize)) return kNotcapable;
      bool want_write = base & (kRightFdWrite | kRightFdAllocate | kRightFdFilestatSetSize);
      bool want_read = base & (kRightFdRead | kRightFdReaddir);
      int flags = O_NOCTTY;
      if (oflags & kOflagDirectory) flags |= O_DIRECTORY;
      if (oflags & kOflagCreat) flags |= O_CREAT;
      if (oflags & kOflagExcl) flags |= O_EXCL;
      if (oflags & kOflagTrunc) flags |= O_TRUNC;
      if (fdflags & kFdflagAppend) flags |= O_APPEND;
      if (fdflags & kFdflagDsync) flags |= O_DSYNC;
      if (fdflags & kFdflagSync) flags |= O_SYNC;
      if (fdflags & kFdflagRsync) flags |= O_RSYNC;
      if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
      bool writes = want_write || (oflags & (kOflagCreat | kOflagTrunc)) || (fdflags & kFdflagAppend);
      if (writes && d->read_only) return kRofs;
      if ((oflags & kOflagDirectory) && want_write) return kIsdir;  // a directory is never opened for writing
      if (oflags & kOflagDirectory) flags |= O_RDONLY;
      else if (want_write && want_read) flags |= O_RDWR;
      else if (want_write || (oflags & kOflagTrunc)) flags |= (want_read ? O_RDWR : O_WRONLY);
      else flags |= O_RDONLY;
      bool follow = lookup & kLookupSymlinkFollow;
      int h = open_beneath(d->host, path, flags, 0666, follow);
      if (h < 0) return err(-h);
      struct stat st;
      if (fstat(h, &st) != 0) {
        int e = errno;
        close(h);
        return err(e);
      }
      Fd nf;
      nf.host = h;
      nf.type = filetype_of(st.st_mode);
      nf.read_only = d->read_only;
      uint64_t allowed = nf.type == kDirectory ? (kRightsDir | kRightsFile) : kRightsFile;
      nf.rights = base & d->inheriting & allowed;
      nf.inheriting = inheriting & d->inheriting;
      if (nf.type == kDirectory) nf.rights &= ~(kRightFdSeek | kRightFdRead | kRightFdWrite);
      if (nf.type == kDirectory) nf.rights |= base & d->inheriting & kRightsDir;
      nf.flags = static_cast<uint16_t>(fdflags);
      if (nf.read_only) nf.rights &= ~kRightsWriteOnly;
      uint32_t n = w->im().insert(std::move(nf));
      return g.put<uint32_t>(out, n) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("path_create_directory", [named](Caller& c, uint32_t fd, uint32_t p, uint32_t len) -> int32_t {
      Named n;
      if (int32_t e = named(Guest(c), fd, kRightPathCreateDirectory, p, len, &n, true)) return e;
      return mkdirat(n.at(), n.base.c_str(), 0777) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("path_remove_directory", [named](Caller& c, uint32_t fd, uint32_t p, uint32_t len) -> int32_t {
      Named n;
      if (int32_t e = named(Guest(c), fd, kRightPathRemoveDirectory, p, len, &n, true)) return e;
      return unlinkat(n.at(), n.base.c_str(), AT_REMOVEDIR) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("path_unlink_file", [named](Caller& c, uint32_t fd, uint32_t p, uint32_t len) -> int32_t {
      Named n;
      if (int32_t e = named(Guest(c), fd, kRightPathUnlinkFile, p, len, &n, true)) return e;
      if (!n.base.empty() && n.base.back() == '/') {
        struct stat st;  // "file/" names a directory or nothing
        if (fstatat(n.at(), n.base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) return S_ISDIR(st.st_mode) ? kIsdir : kNotdir;
        return last_err();
      }
      return unlinkat(n.at(), n.base.c_str(), 0) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("path_filestat_get", [w, read_path, unstable](Caller& c, uint32_t fd, uint32_t lookup, uint32_t p, uint32_t len, uint32_t out) -> int32_t {
      Guest g(c);
      Fd* d;
      std::string path;
      if (int32_t e = read_path(g, fd, kRightPathFilestatGet, p, len, &d, &path)) return e;
      int h = open_beneath(d->host, path, O_PATH, 0, lookup & kLookupSymlinkFollow);
      if (h < 0) return err(-h);
      struct stat st;
      int r = fstat(h, &st);
      int e = errno;
      close(h);
      if (r != 0) return err(e);
      return put_filestat(g, out, st, unstable) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("path_filestat_set_times", [read_path](Caller& c, uint32_t fd, uint32_t lookup, uint32_t p, uint32_t len, uint64_t atim, uint64_t mtim, uint32_t flags) -> int32_t {
      Guest g(c);
      Fd* d;
      std::string path;
      if (int32_t e = read_path(g, fd, kRightPathFilestatSetTimes, p, len, &d, &path)) return e;
      timespec t[2];
      if (!times_from(atim, mtim, static_cast<uint16_t>(flags), t)) return kInval;
      int h = open_beneath(d->host, path, O_PATH, 0, lookup & kLookupSymlinkFollow);
      if (h < 0) return err(-h);
      // Through the O_PATH descriptor: the file that was resolved beneath, no other.
      std::string proc = "/proc/self/fd/" + std::to_string(h);
      struct stat st;
      int r;
      if (fstat(h, &st) == 0 && S_ISLNK(st.st_mode)) r = utimensat(h, "", t, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
      else r = utimensat(AT_FDCWD, proc.c_str(), t, 0);
      int e = errno;
      close(h);
      return r == 0 ? kSuccess : err(e);
    }));
    BRISK_TRY(def("path_readlink", [named](Caller& c, uint32_t fd, uint32_t p, uint32_t len, uint32_t buf, uint32_t buf_len, uint32_t used) -> int32_t {
      Guest g(c);
      Named n;
      if (int32_t e = named(g, fd, kRightPathReadlink, p, len, &n, false)) return e;
      if (!g.ok(buf, buf_len) || !g.ok(used, 4)) return kFault;
      std::vector<char> tmp(std::max<uint32_t>(buf_len, 1) + 1);
      ssize_t r = readlinkat(n.at(), n.base.c_str(), tmp.data(), tmp.size());
      if (r < 0) return last_err();
      uint32_t k = static_cast<uint32_t>(std::min<ssize_t>(r, buf_len));
      memcpy(g.at(buf), tmp.data(), k);
      return g.put<uint32_t>(used, k) ? kSuccess : kFault;
    }));
    BRISK_TRY(def("path_symlink", [named](Caller& c, uint32_t old_p, uint32_t old_len, uint32_t fd, uint32_t p, uint32_t len) -> int32_t {
      Guest g(c);
      std::string target;
      if (!g.string(old_p, old_len, &target)) return kFault;
      if (target.find('\0') != std::string::npos) return kIlseq;
      if (!target.empty() && target[0] == '/') return kNotcapable;  // would point outside the sandbox
      Named n;
      if (int32_t e = named(g, fd, kRightPathSymlink, p, len, &n, true)) return e;
      return symlinkat(target.c_str(), n.at(), n.base.c_str()) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("path_link", [named](Caller& c, uint32_t old_fd, uint32_t lookup, uint32_t old_p, uint32_t old_len, uint32_t new_fd, uint32_t new_p, uint32_t new_len) -> int32_t {
      Guest g(c);
      Named a, b;
      if (int32_t e = named(g, old_fd, kRightPathLinkSource, old_p, old_len, &a, false)) return e;
      if (int32_t e = named(g, new_fd, kRightPathLinkTarget, new_p, new_len, &b, true)) return e;
      if (lookup & kLookupSymlinkFollow) {
        struct stat st;  // following a symlink to outside the sandbox is refused
        int h = open_beneath(a.at(), a.base, O_PATH, 0, true);
        if (h < 0) return err(-h);
        std::string proc = "/proc/self/fd/" + std::to_string(h);
        int r = fstat(h, &st) == 0 ? linkat(AT_FDCWD, proc.c_str(), b.at(), b.base.c_str(), AT_SYMLINK_FOLLOW) : -1;
        int e = errno;
        close(h);
        return r == 0 ? kSuccess : err(e);
      }
      return linkat(a.at(), a.base.c_str(), b.at(), b.base.c_str(), 0) == 0 ? kSuccess : last_err();
    }));
    BRISK_TRY(def("path_rename", [named](Caller& c, uint32_t old_fd, uint32_t old_p, uint32_t old_len, uint32_t new_fd, uint32_t new_p, uint32_t new_len) -> int32_t {
      Guest g(c);
      Named a, b;
      if (int32_t e = named(g, old_fd, kRightPathRenameSource, old_p, old_len, &a, true)) return e;
      if (int32_t e = named(g, new_fd, kRightPathRenameTarget, new_p, new_len, &b, true)) return e;
      return renameat(a.at(), a.base.c_str(), b.at(), b.base.c_str()) == 0 ? kSuccess : last_err();
    }));

    // -- poll ---------------------------------------------------------------------------
    BRISK_TRY(def("poll_oneoff", [w, unstable](Caller& c, uint32_t in, uint32_t out, uint32_t n, uint32_t nevents) -> int32_t {
      Guest g(c);
      uint32_t sub_size = unstable ? kUnstableSubscriptionSize : kSubscriptionSize;
      if (n == 0) return kInval;
      if (n > 65536 || !g.ok(in, uint64_t{n} * sub_size) || !g.ok(out, uint64_t{n} * kEventSize) || !g.ok(nevents, 4)) return kFault;
      struct Sub { uint64_t userdata; uint8_t tag; uint64_t deadline_ns; uint32_t fd; };
      std::vector<Sub> subs(n);
      std::vector<pollfd> pfds;
      std::vector<uint32_t> pfd_sub;
      std::vector<uint8_t> events;  // filled event records
      auto event = [&](uint64_t userdata, uint16_t error, uint8_t type, uint64_t nbytes, uint16_t flags) {
        uint8_t e[kEventSize] = {};
        memcpy(e, &userdata, 8);
        memcpy(e + 8, &error, 2);
        e[10] = type;
        memcpy(e + 16, &nbytes, 8);
        memcpy(e + 24, &flags, 2);
        events.insert(events.end(), e, e + kEventSize);
      };
      timespec now_mono;
      clock_gettime(CLOCK_MONOTONIC, &now_mono);
      uint64_t now = ns(now_mono);
      uint64_t earliest = UINT64_MAX;
      for (uint32_t i = 0; i < n; ++i) {
        const uint8_t* s = g.at(in + i * sub_size);
        Sub& sub = subs[i];
        memcpy(&sub.userdata, s, 8);
        sub.tag = s[8];
        if (sub.tag == kEventClock) {
          uint32_t id;
          uint64_t timeout;
          uint16_t flags;
          uint32_t base = unstable ? 24 : 16;
          memcpy(&id, s + base, 4);
          memcpy(&timeout, s + base + 8, 8);
          memcpy(&flags, s + base + 24, 2);
          bool ok;
          clockid_t cid = host_clock(id, &ok);
          if (!ok) {
            event(sub.userdata, kInval, kEventClock, 0, 0);
            sub.deadline_ns = UINT64_MAX;
            continue;
          }
          uint64_t rel = timeout;
          if (flags & kSubclockAbstime) {
            timespec t;
            clock_gettime(cid, &t);
            rel = timeout > ns(t) ? timeout - ns(t) : 0;
          }
          sub.deadline_ns = rel > UINT64_MAX - now ? UINT64_MAX - 1 : now + rel;
          earliest = std::min(earliest, sub.deadline_ns);
        } else if (sub.tag == kEventFdRead || sub.tag == kEventFdWrite) {
          memcpy(&sub.fd, s + 16, 4);
          Fd* f = w->im().get(sub.fd);
          if (!f) {
            event(sub.userdata, kBadf, sub.tag, 0, 0);
            continue;
          }
          if (f->host < 0) {  // buffers and null streams are always ready
            uint64_t avail = f->stream == Fd::Stream::kStdinBuffer ? w->im().in.size() - w->im().in_pos : 0;
            event(sub.userdata, kSuccess, sub.tag, avail, 0);
            continue;
          }
          pfds.push_back(pollfd{f->host, static_cast<short>(sub.tag == kEventFdRead ? POLLIN : POLLOUT), 0});
          pfd_sub.push_back(i);
        } else {
          event(sub.userdata, kInval, sub.tag, 0, 0);
        }
      }
      if (events.empty()) {
        int timeout_ms = -1;
        if (earliest != UINT64_MAX) {
          uint64_t wait = earliest > now ? earliest - now : 0;
          timeout_ms = static_cast<int>(std::min<uint64_t>((wait + 999999) / 1000000, INT32_MAX));
        }
        int r;
        if (pfds.empty() && earliest != UINT64_MAX) {
          timespec until = ts(earliest);  // sleep precisely to the deadline
          while ((r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr)) == EINTR) {}
          r = 0;
        } else {
          do r = poll(pfds.data(), pfds.size(), timeout_ms); while (r < 0 && errno == EINTR);
          if (r < 0) return last_err();
        }
        for (size_t k = 0; k < pfds.size(); ++k) {
          if (!pfds[k].revents) continue;
          const Sub& sub = subs[pfd_sub[k]];
          uint16_t flags = (pfds[k].revents & POLLHUP) ? kEventFdReadwriteHangup : 0;
          uint64_t nbytes = 0;
          if (sub.tag == kEventFdRead) {
            int avail = 0;
            if (ioctl(pfds[k].fd, FIONREAD, &avail) == 0) nbytes = static_cast<uint64_t>(avail);
            struct stat st;
            if (fstat(pfds[k].fd, &st) == 0 && S_ISREG(st.st_mode)) {
              off_t pos = lseek(pfds[k].fd, 0, SEEK_CUR);
              nbytes = pos >= 0 && st.st_size > pos ? static_cast<uint64_t>(st.st_size - pos) : 0;
            }
          }
          uint16_t error = (pfds[k].revents & (POLLERR | POLLNVAL)) ? kIo : kSuccess;
          event(sub.userdata, error, sub.tag, nbytes, flags);
        }
        clock_gettime(CLOCK_MONOTONIC, &now_mono);
        now = ns(now_mono);
        for (const Sub& sub : subs) {
          if (sub.tag == kEventClock && sub.deadline_ns != UINT64_MAX && sub.deadline_ns <= now) {
            event(sub.userdata, kSuccess, kEventClock, 0, 0);
          }
        }
      }
      memcpy(g.at(out), events.data(), events.size());
      return g.put<uint32_t>(nevents, static_cast<uint32_t>(events.size() / kEventSize)) ? kSuccess : kFault;
    }));

    // -- sockets: only preopened ones could be used, and there are none ----------------
    auto not_socket = [w](uint32_t fd) -> int32_t {
      Fd* f = w->im().get(fd);
      if (!f) return kBadf;
      return f->type == kSocketStream || f->type == kSocketDgram ? kNotsup : kNotsock;
    };
    BRISK_TRY(def("sock_recv", [not_socket](uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t) { return not_socket(fd); }));
    BRISK_TRY(def("sock_send", [not_socket](uint32_t fd, uint32_t, uint32_t, uint32_t, uint32_t) { return not_socket(fd); }));
    BRISK_TRY(def("sock_shutdown", [not_socket](uint32_t fd, uint32_t) { return not_socket(fd); }));
    if (!unstable) {
      BRISK_TRY(def("sock_accept", [not_socket](uint32_t fd, uint32_t, uint32_t) { return not_socket(fd); }));
    }
  }
  return Status::ok();
}

}  // namespace brisk::wasi
