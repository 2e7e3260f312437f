// WasiCtx's state: the descriptor table, args, environment, captured output.
#ifndef BRISK_WASI_WASI_CTX_H_
#define BRISK_WASI_WASI_CTX_H_

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "brisk/wasi.h"
#include "wasi/wasi_abi.h"

namespace brisk::wasi {

/// The WASI file type of a host st_mode.
inline abi::Filetype filetype_of(mode_t m) {
  if (S_ISREG(m)) return abi::kRegularFile;
  if (S_ISDIR(m)) return abi::kDirectory;
  if (S_ISCHR(m)) return abi::kCharacterDevice;
  if (S_ISBLK(m)) return abi::kBlockDevice;
  if (S_ISLNK(m)) return abi::kSymbolicLink;
  if (S_ISSOCK(m)) return abi::kSocketStream;
  return abi::kUnknown;
}

struct Fd {
  int host = -1;                 ///< -1 for captured or null streams
  abi::Filetype type = abi::kUnknown;
  uint16_t flags = 0;            ///< fdflags
  uint64_t rights = 0, inheriting = 0;
  bool read_only = false;        ///< of a read-only preopen (or beneath one)
  std::string preopen_name;      ///< non-empty: a preopened directory
  enum class Stream { kNone, kStdinBuffer, kStdoutBuffer, kStderrBuffer, kNull } stream = Stream::kNone;
  bool owned = true;             ///< close `host` when the fd closes (not inherited stdio)
};

struct WasiCtx::Impl {
  std::vector<std::string> args, env;  ///< env as "K=V"
  std::map<uint32_t, Fd> fds;
  std::optional<int32_t> exit_code;
  std::string out, err;       ///< captured stdout / stderr
  std::string in;             ///< stdin buffer
  size_t in_pos = 0;
  ~Impl();
  Fd* get(uint32_t fd) {
    auto it = fds.find(fd);
    return it == fds.end() ? nullptr : &it->second;
  }
  uint32_t insert(Fd f);  ///< the lowest free number
};

}  // namespace brisk::wasi

#endif  // BRISK_WASI_WASI_CTX_H_
