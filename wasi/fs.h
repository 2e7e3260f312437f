// Host file-system access beneath a directory fd: the sandbox of WASI paths.
#ifndef BRISK_WASI_FS_H_
#define BRISK_WASI_FS_H_

#include <fcntl.h>

#include <string>

namespace brisk::wasi {

/// Opens `path` (relative) beneath `dirfd`: no absolute path, no ".." past
/// `dirfd`, no symlink that leaves it, and the last component followed only
/// if `follow`. openat2(RESOLVE_BENEATH) where the kernel has it, else a
/// component-by-component walk. Returns an fd or -errno (EXDEV: an escape).
int open_beneath(int dirfd, const std::string& path, int flags, mode_t mode, bool follow);

/// Whether open_beneath uses openat2 (false after ENOSYS, or when
/// BRISK_WASI_NO_OPENAT2 is set: tests run the fallback that way).
bool have_openat2();

/// For operations on a name: the directory that holds the last component
/// of `path` (opened beneath `dirfd`, O_PATH) and that component. Trailing
/// slashes stay on `base` (the kernel then insists on a directory). Returns
/// 0 or -errno; `*parent` is -1 when `dirfd` itself holds the name (do not
/// close it).
int open_parent(int dirfd, const std::string& path, int* parent, std::string* base);

}  // namespace brisk::wasi

#endif  // BRISK_WASI_FS_H_
