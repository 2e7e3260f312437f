/// \file WASI preview1 (`wasi_snapshot_preview1`, and `wasi_unstable` for
/// old modules) as host functions on a brisk::Linker, written against the
/// public API only.
///
/// \code
///   brisk::wasi::WasiConfig cfg;
///   cfg.args = {"app.wasm", "--flag"};
///   cfg.inherit_env = true;
///   cfg.preopens.push_back({"/srv/data", "/data"});
///   auto wasi = brisk::wasi::WasiCtx::create(cfg).value();
///   brisk::wasi::add_to_linker(linker, wasi);
///   auto instance = linker.instantiate(store, module).value();
///   int code = brisk::wasi::run_command(store, instance, *wasi);   // _start
/// \endcode
///
/// The sandbox: guest paths resolve beneath a preopened directory
/// (openat2 with RESOLVE_BENEATH; ".." past the preopen, absolute paths and
/// symlinks that leave it fail with ENOTCAPABLE/EPERM-style errnos); every
/// guest pointer is checked against the calling instance's memory and a bad
/// one returns EFAULT; proc_exit ends the run with its code.
#ifndef BRISK_WASI_WASI_H_
#define BRISK_WASI_WASI_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "brisk/brisk.h"

namespace brisk::wasi {

/// Where a standard stream goes.
struct Stdio {
  enum class Kind { kInherit, kFile, kBuffer, kNull };
  Kind kind = Kind::kInherit;
  std::string path;   ///< kFile: read (stdin) or created/truncated (stdout, stderr)
  std::string input;  ///< kBuffer for stdin: the bytes the guest reads
  static Stdio inherit() { return {}; }
  static Stdio file(std::string p) { return {Kind::kFile, std::move(p), {}}; }
  static Stdio buffer(std::string in = {}) { return {Kind::kBuffer, {}, std::move(in)}; }
  static Stdio null() { return {Kind::kNull, {}, {}}; }
};

struct Preopen {
  std::string host_path;
  std::string guest_path;  ///< "/" mounts the host directory as the guest's root
  bool read_only = false;
};

struct WasiConfig {
  std::vector<std::string> args;  ///< argv, argv[0] included
  std::vector<std::pair<std::string, std::string>> env;
  bool inherit_env = false;        ///< the host's environment first, then `env`
  std::vector<Preopen> preopens;
  Stdio stdin_, stdout_, stderr_;
};

/// One program's WASI state: its file descriptors, args, environment and
/// captured output. Use it with one store at a time.
class WasiCtx {
 public:
  /// Opens the preopens and stdio files; an error names what failed.
  static Result<std::shared_ptr<WasiCtx>> create(const WasiConfig& config);
  ~WasiCtx();
  WasiCtx(const WasiCtx&) = delete;
  WasiCtx& operator=(const WasiCtx&) = delete;

  /// The code proc_exit gave, once the program called it.
  std::optional<int32_t> exit_code() const;
  /// Output captured with Stdio::buffer().
  const std::string& captured_stdout() const;
  const std::string& captured_stderr() const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  WasiCtx() = default;
  std::unique_ptr<Impl> impl_;
};

/// Defines every function of `wasi_snapshot_preview1` and `wasi_unstable`
/// on `linker`, all using `ctx`.
Status add_to_linker(Linker& linker, std::shared_ptr<WasiCtx> ctx);

/// Runs a command (`_start`) or a reactor (`_initialize`, then `invoke` if
/// given) and returns the exit code: proc_exit's, 0 when _start returns,
/// and for a trap 128 + SIGABRT's number as Wasmtime does, with the trap in
/// `*trap` (if given).
int run(Store& store, const Instance& instance, const WasiCtx& ctx, const std::string& invoke = "",
        Status* trap = nullptr);

/// The WASI errno of a host errno value (exposed for tests).
uint16_t errno_from_host(int host_errno);

}  // namespace brisk::wasi

#endif  // BRISK_WASI_WASI_H_
