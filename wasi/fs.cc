// open_beneath: openat2(RESOLVE_BENEATH), with a careful walk as fallback.
#include "wasi/fs.h"

#include <errno.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <vector>

namespace brisk::wasi {

namespace {

std::atomic<int> g_openat2{-1};  // -1 unknown, 0 no, 1 yes

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The fallback: resolve component by component with O_PATH|O_NOFOLLOW,
// keeping a stack of directory fds so that ".." never rises above `dirfd`,
// and expanding symlinks (relative ones only; 40 at most) into the path.
int walk_beneath(int dirfd, const std::string& path, int flags, mode_t mode, bool follow) {
  if (!path.empty() && path[0] == '/') return -EXDEV;
  std::vector<std::string> todo = split(path);
  bool trailing_slash = !path.empty() && path.back() == '/';
  if (todo.empty()) todo.push_back(".");
  std::vector<int> stack;  // opened directories below dirfd
  auto top = [&] { return stack.empty() ? dirfd : stack.back(); };
  auto cleanup = [&](int rc) {
    for (int fd : stack) close(fd);
    return rc;
  };
  int links = 0;
  size_t i = 0;
  while (i < todo.size()) {
    std::string name = todo[i];
    bool last = i + 1 == todo.size();
    if (name == ".") {
      if (!last) { ++i; continue; }
    } else if (name == "..") {
      if (stack.empty()) return cleanup(-EXDEV);
      close(stack.back());
      stack.pop_back();
      if (!last) { ++i; continue; }
      name = ".";
    }
    if (last) {
      bool is_link = false;
      if (follow) {
        struct stat st;
        is_link = fstatat(top(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      }
      if (!is_link) {
        std::string n = trailing_slash && name != "." ? name + "/" : name;
        int fd = openat(top(), n.c_str(), flags | O_NOFOLLOW, mode);
        return cleanup(fd < 0 ? -errno : fd);
      }
    } else {
      int fd = openat(top(), name.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
      if (fd >= 0) {
        stack.push_back(fd);
        ++i;
        continue;
      }
      if (errno != ENOTDIR && errno != ELOOP) return cleanup(-errno);
    }
    // `name` may be a symlink: read it and splice its target into the path.
    char buf[4096];
    ssize_t n = readlinkat(top(), name.c_str(), buf, sizeof buf - 1);
    if (n < 0) return cleanup(errno == EINVAL ? -ENOTDIR : -errno);
    if (++links > 40) return cleanup(-ELOOP);
    buf[n] = 0;
    if (buf[0] == '/') return cleanup(-EXDEV);
    std::vector<std::string> target = split(buf);
    if (target.empty()) target.push_back(".");
    todo.erase(todo.begin() + static_cast<long>(i));
    todo.insert(todo.begin() + static_cast<long>(i), target.begin(), target.end());
  }
  return cleanup(-EINVAL);
}

}  // namespace

bool have_openat2() {
  int v = g_openat2.load(std::memory_order_relaxed);
  if (v < 0) {
    v = getenv("BRISK_WASI_NO_OPENAT2") ? 0 : 1;
    g_openat2.store(v, std::memory_order_relaxed);
  }
  return v == 1;
}

int open_beneath(int dirfd, const std::string& path, int flags, mode_t mode, bool follow) {
  flags |= O_CLOEXEC;
  if (have_openat2()) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags | (follow ? 0 : O_NOFOLLOW));
    how.mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? mode : 0;  // O_TMPFILE includes O_DIRECTORY
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    int fd;
    do {
      fd = static_cast<int>(syscall(SYS_openat2, dirfd, path.empty() ? "." : path.c_str(), &how, sizeof how));
    } while (fd < 0 && errno == EAGAIN);
    if (fd >= 0) return fd;
    if (errno != ENOSYS) return -errno;
    g_openat2.store(0, std::memory_order_relaxed);
  }
  return walk_beneath(dirfd, path, flags, mode, follow);
}

int open_parent(int dirfd, const std::string& path, int* parent, std::string* base) {
  *parent = -1;
  if (!path.empty() && path[0] == '/') return -EXDEV;
  size_t end = path.size();
  while (end > 0 && path[end - 1] == '/') --end;
  if (end == 0) return path.empty() ? -ENOENT : -EXDEV;
  size_t slash = path.rfind('/', end - 1);
  std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1, end - (slash == std::string::npos ? 0 : slash + 1));
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
  if (name == "..") {
    // "x/.." names x's parent, which may be above dirfd: open it as a
    // directory beneath, and operate on "." there.
    int fd = open_beneath(dirfd, path.substr(0, end), O_PATH | O_DIRECTORY, 0, true);
    if (fd < 0) return fd;
    *parent = fd;
    *base = ".";
    return 0;
  }
  *base = name + path.substr(end);  // keep trailing slashes
  if (dir.empty()) return 0;
  int fd = open_beneath(dirfd, dir, O_PATH | O_DIRECTORY, 0, true);
  if (fd < 0) return fd;
  *parent = fd;
  return 0;
}

}  // namespace brisk::wasi
