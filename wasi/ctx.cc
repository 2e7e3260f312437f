// WasiCtx: creating one from a WasiConfig (stdio, preopens, env), and run().
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "wasi/wasi_ctx.h"

extern char** environ;

namespace brisk::wasi {

WasiCtx::Impl::~Impl() {
  for (auto& [n, f] : fds) {
    if (f.owned && f.host >= 0) close(f.host);
  }
}

uint32_t WasiCtx::Impl::insert(Fd f) {
  uint32_t n = 0;
  for (const auto& [k, v] : fds) {
    if (k != n) break;
    ++n;
  }
  fds.emplace(n, std::move(f));
  return n;
}

WasiCtx::~WasiCtx() = default;

namespace {


Result<Fd> stdio_fd(const Stdio& s, int which) {
  Fd f;
  f.rights = which == 0 ? (abi::kRightsFile & ~abi::kRightsWriteOnly) | abi::kRightFdRead
                        : abi::kRightsWriteOnly | abi::kRightFdFdstatSetFlags | abi::kRightFdFilestatGet |
                              abi::kRightPollFdReadwrite;
  f.type = abi::kCharacterDevice;
  switch (s.kind) {
    case Stdio::Kind::kInherit: {
      f.host = which;
      f.owned = false;
      struct stat st;
      if (fstat(which, &st) == 0) f.type = filetype_of(st.st_mode);
      int fl = fcntl(which, F_GETFL);
      if (fl >= 0 && (fl & O_APPEND)) f.flags |= abi::kFdflagAppend;
      break;
    }
    case Stdio::Kind::kFile: {
      int fd = which == 0 ? open(s.path.c_str(), O_RDONLY | O_CLOEXEC)
                          : open(s.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) return Status(ErrorKind::kIo, "cannot open " + s.path + ": " + strerror(errno));
      f.host = fd;
      f.type = abi::kRegularFile;
      break;
    }
    case Stdio::Kind::kBuffer:
      f.stream = which == 0 ? Fd::Stream::kStdinBuffer : which == 1 ? Fd::Stream::kStdoutBuffer : Fd::Stream::kStderrBuffer;
      break;
    case Stdio::Kind::kNull:
      f.stream = Fd::Stream::kNull;
      break;
  }
  return f;
}

}  // namespace

Result<std::shared_ptr<WasiCtx>> WasiCtx::create(const WasiConfig& config) {
  std::shared_ptr<WasiCtx> ctx(new WasiCtx());
  ctx->impl_ = std::make_unique<Impl>();
  Impl& im = *ctx->impl_;
  im.args = config.args;
  if (config.inherit_env) {
    for (char** e = environ; e && *e; ++e) im.env.push_back(*e);
  }
  for (const auto& [k, v] : config.env) {
    if (k.empty() || k.find('=') != std::string::npos) {
      return Status(ErrorKind::kInvalid, "invalid environment variable name \"" + k + "\"");
    }
    std::string kv = k + "=" + v;
    bool replaced = false;
    for (auto& e : im.env) {
      if (e.compare(0, k.size() + 1, k + "=") == 0) {
        e = kv;
        replaced = true;
      }
    }
    if (!replaced) im.env.push_back(kv);
  }
  for (const auto& a : im.args) {
    if (a.find('\0') != std::string::npos) return Status(ErrorKind::kInvalid, "an argument contains a NUL byte");
  }
  const Stdio* stdio[3] = {&config.stdin_, &config.stdout_, &config.stderr_};
  for (int i = 0; i < 3; ++i) {
    BRISK_ASSIGN_OR_RETURN(Fd f, stdio_fd(*stdio[i], i));
    im.fds.emplace(static_cast<uint32_t>(i), std::move(f));
  }
  if (config.stdin_.kind == Stdio::Kind::kBuffer) im.in = config.stdin_.input;
  for (const Preopen& p : config.preopens) {
    int fd = open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status(ErrorKind::kIo, "cannot open directory " + p.host_path + ": " + strerror(errno));
    Fd f;
    f.host = fd;
    f.type = abi::kDirectory;
    f.rights = abi::kRightsDir;
    f.inheriting = abi::kRightsDir | abi::kRightsFile;
    f.read_only = p.read_only;
    f.preopen_name = p.guest_path.empty() ? "." : p.guest_path;
    im.insert(std::move(f));
  }
  return ctx;
}

std::optional<int32_t> WasiCtx::exit_code() const { return impl_->exit_code; }
const std::string& WasiCtx::captured_stdout() const { return impl_->out; }
const std::string& WasiCtx::captured_stderr() const { return impl_->err; }

int run(Store& store, const Instance& instance, const WasiCtx& ctx, const std::string& invoke, Status* trap) {
  auto finish = [&](const Status& st) {
    if (ctx.exit_code()) return static_cast<int>(*ctx.exit_code());
    if (st.is_ok()) return 0;
    if (trap) *trap = st;
    return 128 + SIGABRT;
  };
  if (auto start = instance.get_func(store, "_start"); start && invoke.empty()) {
    auto r = start->call(store, std::span<const Val>());
    return finish(r ? Status::ok() : r.status());
  }
  if (auto init = instance.get_func(store, "_initialize")) {
    auto r = init->call(store, std::span<const Val>());
    if (!r) return finish(r.status());
  }
  if (invoke.empty()) return finish(Status::ok());
  auto f = instance.get_func(store, invoke);
  if (!f) return finish(Status(ErrorKind::kUnlinkable, "no exported function named " + invoke));
  if (!f->type(store).params.empty()) {
    return finish(Status(ErrorKind::kInvalid, "--invoke " + invoke + ": the function takes arguments"));
  }
  auto r = f->call(store, std::span<const Val>());
  return finish(r ? Status::ok() : r.status());
}

}  // namespace brisk::wasi
