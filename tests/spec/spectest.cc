// The spec testsuite runner: converts .wast files with wabt's wast2json and
// executes the JSON commands against Brisk.
//
//   ./bazelw run //tests/spec:spectest -- [--arch=x64|a64] [--verbose] [FILE.wast|DIR ...]
//
// Default: the 90 core files of ../shared/testsuite. A DIR means the .wast
// files directly inside it. Per file it prints "file: passed/total", at the
// end "spec: N passed, N failed, N skipped". Nothing is skipped silently:
// --verbose lists every skip and failure with file, line and reason.
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "brisk/brisk.h"
#include "tests/spec/json.h"

extern char** environ;

namespace brisk::spec {
namespace {

#if defined(__aarch64__)
constexpr const char* kHostArch = "a64";
#else
constexpr const char* kHostArch = "x64";
#endif

// Defining the spectest imports cannot fail; if it does, say so and stop.
void must(const brisk::Status& s) {
  if (!s) {
    fprintf(stderr, "spectest: %s\n", s.to_string().c_str());
    abort();
  }
}

using brisk::Config;
using brisk::Engine;
using brisk::Func;
using brisk::FuncType;
using brisk::Global;
using brisk::Instance;
using brisk::Limits;
using brisk::Linker;
using brisk::Memory;
using brisk::MemoryType;
using brisk::Module;
using brisk::Store;
using brisk::Table;
using brisk::TableType;
using brisk::Val;
using brisk::ValKind;

struct Options {
  std::string arch = kHostArch;
  bool verbose = false;
  bool all = false;  // core + simd (the CI target)
  std::string shared;
  std::string bounds = "guard";  // guard | explicit
  std::vector<std::string> inputs;
  std::string xml_out;
};

struct Totals {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  int message_mismatches = 0;
  std::map<std::string, int> skip_reasons;
};

bool is_dir(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string dirname_of(const std::string& p) {
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? "." : p.substr(0, slash);
}

std::string basename_of(const std::string& p) {
  size_t slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

std::vector<std::string> wast_files_in(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.substr(n.size() - 5) == ".wast" && is_file(dir + "/" + n)) {
        files.push_back(dir + "/" + n);
      }
    }
    closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// Finds ../shared: --shared, $BRISK_SHARED, the workspace of `bazel run`,
/// or (under `bazel test`) the real location of this package's BUILD file.
std::string find_shared(const Options& opt) {
  if (!opt.shared.empty()) return opt.shared;
  if (const char* env = getenv("BRISK_SHARED"); env && *env) return env;
  if (const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY"); ws && *ws) return std::string(ws) + "/../shared";
  char buf[PATH_MAX];
  if (realpath("tests/spec/BUILD", buf)) {
    std::string ws = dirname_of(dirname_of(dirname_of(buf)));
    return ws + "/../shared";
  }
  return "../shared";
}

/// Resolves a command-line path against the directory `bazel run` was started in.
std::string resolve_input(const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  if (const char* wd = getenv("BUILD_WORKING_DIRECTORY"); wd && *wd) return std::string(wd) + "/" + p;
  return p;
}

int run_process(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


// -- values -------------------------------------------------------------------

int v128_lane_bytes(const std::string& lane_type) {
  if (lane_type == "i8") return 1;
  if (lane_type == "i16") return 2;
  if (lane_type == "i32" || lane_type == "f32") return 4;
  if (lane_type == "i64" || lane_type == "f64") return 8;
  return 0;
}

// Externref N of the scripts is the host pointer N + 1 (0 stays null).
bool parse_val(const Json& v, Val& out, std::string& why) {
  const std::string& type = v["type"].str();
  const std::string& text = v["value"].str();
  auto u64 = [&](uint64_t& b) {
    char* end = nullptr;
    b = strtoull(text.c_str(), &end, 10);
    return end && *end == 0 && !text.empty();
  };
  uint64_t b = 0;
  if (type == "i32") { if (!u64(b)) { why = "bad i32"; return false; } out = Val::i32(static_cast<int32_t>(b)); return true; }
  if (type == "i64") { if (!u64(b)) { why = "bad i64"; return false; } out = Val::i64(static_cast<int64_t>(b)); return true; }
  if (type == "f32") { if (!u64(b)) { why = "bad f32"; return false; } out = Val::f32_bits(static_cast<uint32_t>(b)); return true; }
  if (type == "f64") { if (!u64(b)) { why = "bad f64"; return false; } out = Val::f64_bits(b); return true; }
  if (type == "externref") {
    if (text == "null") { out = Val::externref(nullptr); return true; }
    if (!u64(b)) { why = "bad externref"; return false; }
    out = Val::externref(reinterpret_cast<void*>(static_cast<uintptr_t>(b + 1)));
    return true;
  }
  if (type == "funcref") {
    if (text == "null") { out = Val::null_funcref(); return true; }
    why = "funcref arguments are not supported by the runner";
    return false;
  }
  if (type == "v128") {
    // wast2json: "lane_type" and one unsigned decimal string per lane.
    const std::vector<Json>& lanes = v["value"].array;
    int bytes = v128_lane_bytes(v["lane_type"].str());
    if (bytes == 0 || lanes.size() * bytes != 16) { why = "bad v128"; return false; }
    uint8_t raw[16];
    for (size_t i = 0; i < lanes.size(); ++i) {
      char* end = nullptr;
      uint64_t lane = strtoull(lanes[i].str().c_str(), &end, 10);
      if (!end || *end != 0 || lanes[i].str().empty()) { why = "bad v128 lane " + lanes[i].str(); return false; }
      for (int k = 0; k < bytes; ++k) raw[i * bytes + k] = static_cast<uint8_t>(lane >> (8 * k));
    }
    uint64_t lo, hi;
    memcpy(&lo, raw, 8);
    memcpy(&hi, raw + 8, 8);
    out = Val::v128(lo, hi);
    return true;
  }
  why = "unsupported value type " + type;
  return false;
}

bool is_canonical_nan32(uint32_t b) { return (b & 0x7fffffffu) == 0x7fc00000u; }
bool is_arithmetic_nan32(uint32_t b) { return (b & 0x7fc00000u) == 0x7fc00000u; }
bool is_canonical_nan64(uint64_t b) { return (b & 0x7fffffffffffffffull) == 0x7ff8000000000000ull; }
bool is_arithmetic_nan64(uint64_t b) { return (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull; }

bool val_matches(const Json& expected, const Val& got, std::string& why) {
  const std::string& type = expected["type"].str();
  const std::string& text = expected["value"].str();
  char buf[160];
  if (type == "f32" && (text == "nan:canonical" || text == "nan:arithmetic")) {
    uint32_t bits = static_cast<uint32_t>(got.bits());
    bool ok = got.kind() == ValKind::kF32 && (text == "nan:canonical" ? is_canonical_nan32(bits) : is_arithmetic_nan32(bits));
    snprintf(buf, sizeof buf, "expected %s, got f32 bits 0x%08x", text.c_str(), bits);
    why = buf;
    return ok;
  }
  if (type == "f64" && (text == "nan:canonical" || text == "nan:arithmetic")) {
    uint64_t bits = got.bits();
    bool ok = got.kind() == ValKind::kF64 && (text == "nan:canonical" ? is_canonical_nan64(bits) : is_arithmetic_nan64(bits));
    snprintf(buf, sizeof buf, "expected %s, got f64 bits 0x%016llx", text.c_str(), static_cast<unsigned long long>(bits));
    why = buf;
    return ok;
  }
  if (type == "v128") {
    // Lane by lane: float lanes may expect a canonical or arithmetic NaN.
    if (got.kind() != ValKind::kV128) { why = "expected a v128"; return false; }
    const std::string& lane_type = expected["lane_type"].str();
    const std::vector<Json>& lanes = expected["value"].array;
    int bytes = v128_lane_bytes(lane_type);
    if (bytes == 0 || lanes.size() * bytes != 16) { why = "bad expected v128"; return false; }
    uint8_t raw[16];
    uint64_t lo = got.v128_lo(), hi = got.v128_hi();
    memcpy(raw, &lo, 8);
    memcpy(raw + 8, &hi, 8);
    for (size_t i = 0; i < lanes.size(); ++i) {
      uint64_t lane = 0;
      for (int k = 0; k < bytes; ++k) lane |= uint64_t{raw[i * bytes + k]} << (8 * k);
      const std::string& want = lanes[i].str();
      bool ok;
      if (want == "nan:canonical" || want == "nan:arithmetic") {
        bool canonical = want == "nan:canonical";
        ok = lane_type == "f32" ? (canonical ? is_canonical_nan32(static_cast<uint32_t>(lane))
                                             : is_arithmetic_nan32(static_cast<uint32_t>(lane)))
                                : (canonical ? is_canonical_nan64(lane) : is_arithmetic_nan64(lane));
      } else {
        ok = strtoull(want.c_str(), nullptr, 10) == lane;
      }
      if (!ok) {
        snprintf(buf, sizeof buf, "v128 lane %zu (%s): expected %s, got %llu (0x%016llx%016llx)", i,
                 lane_type.c_str(), want.c_str(), static_cast<unsigned long long>(lane),
                 static_cast<unsigned long long>(hi), static_cast<unsigned long long>(lo));
        why = buf;
        return false;
      }
    }
    return true;
  }
  if (type == "funcref") {
    if (got.kind() != ValKind::kFuncRef) { why = "expected a funcref"; return false; }
    if (text == "null") { why = "expected null funcref"; return got.is_null_ref(); }
    why = "expected a non-null funcref";
    return !got.is_null_ref();
  }
  Val want;
  if (!parse_val(expected, want, why)) return false;
  if (want.kind() != got.kind()) { why = "result has the wrong type"; return false; }
  uint64_t mask = (type == "i32" || type == "f32") ? 0xffffffffull : ~0ull;
  if ((want.bits() & mask) == (got.bits() & mask)) return true;
  snprintf(buf, sizeof buf, "expected %s %s (0x%llx), got 0x%llx", type.c_str(), text.c_str(),
           static_cast<unsigned long long>(want.bits() & mask), static_cast<unsigned long long>(got.bits() & mask));
  why = buf;
  return false;
}

// -- the spectest host module ----------------------------------------------------

void define_spectest(Store& store, Linker& linker) {
  auto noop = [](std::span<const Val>, std::span<Val>) { return Status::ok(); };
  using K = ValKind;
  struct P { const char* name; std::vector<K> params; };
  const P prints[] = {{"print", {}}, {"print_i32", {K::kI32}}, {"print_i64", {K::kI64}},
                      {"print_f32", {K::kF32}}, {"print_f64", {K::kF64}}, {"print_i32_f32", {K::kI32, K::kF32}},
                      {"print_f64_f64", {K::kF64, K::kF64}}};
  for (const P& p : prints) must(linker.define("spectest", p.name, Func::create(store, FuncType{p.params, {}}, noop)));
  must(linker.define("spectest", "global_i32", Global::create(store, {K::kI32, false}, Val::i32(666)).value()));
  must(linker.define("spectest", "global_i64", Global::create(store, {K::kI64, false}, Val::i64(666)).value()));
  must(linker.define("spectest", "global_f32", Global::create(store, {K::kF32, false}, Val::f32(666.6f)).value()));
  must(linker.define("spectest", "global_f64", Global::create(store, {K::kF64, false}, Val::f64(666.6)).value()));
  must(linker.define("spectest", "table",
                Table::create(store, TableType{K::kFuncRef, Limits{10, 20, true}}, Val::null_funcref()).value()));
  must(linker.define("spectest", "memory", Memory::create(store, MemoryType{Limits{1, 2, true}}).value()));
}

class FileRunner {
 public:
  FileRunner(const Options& opt, const Engine& engine, const std::string& display, const std::string& dir,
             Totals& totals)
      : opt_(opt), engine_(engine), store_(engine), linker_(engine), display_(display), dir_(dir), totals_(totals) {
    define_spectest(store_, linker_);
  }

  void run(const Json& commands) {
    for (const Json& cmd : commands.array) command(cmd);
  }
  int passed() const { return passed_; }
  int total() const { return total_; }
  int skipped() const { return skipped_; }

 private:
  void pass() { ++passed_; ++total_; ++totals_.passed; }
  void fail(int line, const std::string& why) {
    ++total_;
    ++totals_.failed;
    fprintf(stdout, "  FAIL %s:%d: %s\n", display_.c_str(), line, why.c_str());
  }
  void skip(int line, const std::string& type, const std::string& reason) {
    ++total_;
    ++skipped_;
    ++totals_.skipped;
    ++totals_.skip_reasons[reason];
    if (opt_.verbose) fprintf(stdout, "  skip %s:%d: %s: %s\n", display_.c_str(), line, type.c_str(), reason.c_str());
  }

  Result<Module> compile(const std::string& filename) {
    std::string bytes;
    if (!read_file(dir_ + "/" + filename, bytes)) return Status(ErrorKind::kIo, "cannot read " + filename);
    return Module::compile(engine_, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  }

  // The instance an action names, or the current one.
  const std::optional<Instance>* target(const Json& action) {
    if (action.has("module")) {
      auto it = named_.find(action["module"].str());
      return it == named_.end() ? nullptr : &it->second;
    }
    return &current_;
  }

  /// Runs an action; `missing` is set when its module is unavailable (skipped).
  Result<std::vector<Val>> act(const Json& action, bool& missing) {
    missing = false;
    const std::optional<Instance>* inst = target(action);
    if (!inst || !inst->has_value()) {
      missing = true;
      return Status(ErrorKind::kInvalid, "no module");
    }
    const std::string& field = action["field"].str();
    if (action["type"].str() == "get") {
      auto g = (*inst)->get_global(store_, field);
      if (!g) return Status(ErrorKind::kInvalid, "no global export " + field);
      return std::vector<Val>{g->get(store_)};
    }
    auto f = (*inst)->get_func(store_, field);
    if (!f) return Status(ErrorKind::kInvalid, "no function export " + field);
    std::vector<Val> args;
    for (const Json& a : action["args"].array) {
      Val v;
      std::string why;
      if (!parse_val(a, v, why)) return Status(ErrorKind::kInvalid, why);
      args.push_back(v);
    }
    return f->call(store_, args);
  }

  void module_command(const Json& cmd, int line) {
    current_.reset();
    auto m = compile(cmd["filename"].str());
    if (!m) {
      if (m.status().kind() == ErrorKind::kUnsupported) {
        skip(line, "module", m.status().message());
      } else {
        fail(line, "module did not compile: " + m.status().to_string());
      }
      if (cmd.has("name")) named_[cmd["name"].str()].reset();
      return;
    }
    auto inst = linker_.instantiate(store_, *m);
    if (!inst) {
      fail(line, "module did not instantiate: " + inst.status().to_string());
      if (cmd.has("name")) named_[cmd["name"].str()].reset();
      return;
    }
    current_ = *inst;
    if (cmd.has("name")) named_[cmd["name"].str()] = *inst;
    pass();
  }

  void command(const Json& cmd) {
    const std::string& type = cmd["type"].str();
    int line = static_cast<int>(cmd["line"].number);
    if (type == "module") {
      module_command(cmd, line);
      return;
    }
    if (type == "register") {
      const std::optional<Instance>* inst = cmd.has("name") ? nullptr : &current_;
      if (cmd.has("name")) {
        auto it = named_.find(cmd["name"].str());
        if (it != named_.end()) inst = &it->second;
      }
      if (!inst || !inst->has_value()) {
        skip(line, type, "module not available");
        return;
      }
      must(linker_.define_instance(store_, cmd["as"].str(), **inst));
      pass();
      return;
    }
    if (type == "assert_malformed" || type == "assert_invalid") {
      if (cmd["module_type"].str() == "text") {
        skip(line, type, "text format");
        return;
      }
      auto m = compile(cmd["filename"].str());
      const std::string& expected = cmd["text"].str();
      if (m) {
        fail(line, type + ": module was accepted, expected \"" + expected + "\"");
        return;
      }
      const Status& s = m.status();
      if (s.kind() == ErrorKind::kUnsupported) {
        fail(line, type + ": module was accepted (then not compiled: " + s.message() + "), expected \"" + expected + "\"");
        return;
      }
      ErrorKind want = type == "assert_malformed" ? ErrorKind::kMalformed : ErrorKind::kInvalid;
      if (s.kind() != want || s.message().compare(0, expected.size(), expected) != 0) {
        ++totals_.message_mismatches;
        if (opt_.verbose) {
          fprintf(stdout, "  note %s:%d: %s: expected \"%s\", got %s\n", display_.c_str(), line, type.c_str(),
                  expected.c_str(), s.to_string().c_str());
        }
      }
      pass();
      return;
    }
    if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      auto m = compile(cmd["filename"].str());
      if (!m) {
        if (m.status().kind() == ErrorKind::kUnsupported) skip(line, type, m.status().message());
        else fail(line, type + ": module did not compile: " + m.status().to_string());
        return;
      }
      auto inst = linker_.instantiate(store_, *m);
      ErrorKind want = type == "assert_unlinkable" ? ErrorKind::kUnlinkable : ErrorKind::kTrap;
      if (inst) {
        fail(line, type + ": module instantiated, expected \"" + cmd["text"].str() + "\"");
      } else if (inst.status().kind() != want) {
        fail(line, type + ": expected \"" + cmd["text"].str() + "\", got " + inst.status().to_string());
      } else {
        pass();
      }
      return;
    }
    if (type == "action" || type == "assert_return" || type == "assert_trap" || type == "assert_exhaustion") {
      bool missing = false;
      auto r = act(cmd["action"], missing);
      if (missing) {
        skip(line, type, "its module is not available");
        return;
      }
      if (type == "action") {
        if (r || r.status().kind() == ErrorKind::kTrap) pass();
        else fail(line, "action failed: " + r.status().to_string());
        return;
      }
      if (type == "assert_return") {
        if (!r) {
          fail(line, "assert_return: " + r.status().to_string());
          return;
        }
        const Json& expected = cmd["expected"];
        if (expected.array.size() != r->size()) {
          fail(line, "assert_return: wrong number of results");
          return;
        }
        for (size_t i = 0; i < r->size(); ++i) {
          std::string why;
          if (!val_matches(expected.array[i], (*r)[i], why)) {
            fail(line, "assert_return " + cmd["action"]["field"].str() + ": result " + std::to_string(i) + ": " + why);
            return;
          }
        }
        pass();
        return;
      }
      const std::string& expected = cmd["text"].str();
      if (r) {
        fail(line, type + " " + cmd["action"]["field"].str() + ": returned, expected trap \"" + expected + "\"");
        return;
      }
      if (r.status().kind() != ErrorKind::kTrap || r.status().message().compare(0, expected.size(), expected) != 0) {
        fail(line, type + " " + cmd["action"]["field"].str() + ": expected \"" + expected + "\", got " +
                       r.status().to_string());
        return;
      }
      pass();
      return;
    }
    skip(line, type, "unknown command");
  }

  const Options& opt_;
  const Engine& engine_;
  Store store_;
  Linker linker_;
  std::string display_;
  std::string dir_;
  Totals& totals_;
  std::optional<Instance> current_;
  std::map<std::string, std::optional<Instance>> named_;
  int passed_ = 0;
  int total_ = 0;
  int skipped_ = 0;
};

bool run_file(const Options& opt, const Engine& engine, const std::string& wast, const std::string& tmp, int index,
              Totals& totals) {
  std::string base = basename_of(wast);
  std::string stem = base.substr(0, base.size() - 5);
  std::string out_dir = tmp + "/" + std::to_string(index);
  mkdir(out_dir.c_str(), 0755);
  std::string json_path = out_dir + "/" + stem + ".json";
  std::string log = out_dir + "/wast2json.log";
  int rc = run_process({"wast2json", wast, "-o", json_path}, log);
  if (rc != 0) {
    std::string msg;
    read_file(log, msg);
    fprintf(stdout, "%s: wast2json failed (exit %d): %s\n", base.c_str(), rc, msg.c_str());
    ++totals.failed;
    return false;
  }
  std::string text, err;
  Json doc;
  if (!read_file(json_path, text) || !parse_json(text, doc, err)) {
    fprintf(stdout, "%s: cannot read JSON: %s\n", base.c_str(), err.c_str());
    ++totals.failed;
    return false;
  }
  FileRunner runner(opt, engine, base, out_dir, totals);
  runner.run(doc["commands"]);
  fprintf(stdout, "%s: %d/%d", base.c_str(), runner.passed(), runner.total());
  if (runner.skipped()) fprintf(stdout, " (%d skipped)", runner.skipped());
  fprintf(stdout, "\n");
  fflush(stdout);
  return true;
}

// Runs one file in a child process so that a crash is one file's failure,
// not the end of the run; the child reports its totals through a pipe.
void run_isolated(const Options& opt, const Engine& engine, const std::string& wast, const std::string& tmp,
                  int index, Totals& totals) {
  fflush(stdout);
  int fds[2];
  if (pipe(fds) != 0) {
    run_file(opt, engine, wast, tmp, index, totals);
    return;
  }
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Totals t;
    run_file(opt, engine, wast, tmp, index, t);
    fflush(stdout);
    std::string out = std::to_string(t.passed) + " " + std::to_string(t.failed) + " " + std::to_string(t.skipped) +
                      " " + std::to_string(t.message_mismatches) + "\n";
    for (const auto& [reason, n] : t.skip_reasons) out += std::to_string(n) + " " + reason + "\n";
    if (write(fds[1], out.data(), out.size()) < 0) _exit(3);
    _exit(0);
  }
  close(fds[1]);
  std::string data;
  char buf[4096];
  ssize_t got;
  while ((got = read(fds[0], buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(got));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || data.empty()) {
    ++totals.failed;
    fprintf(stdout, "  FAIL %s: the runner crashed (%s %d)\n", basename_of(wast).c_str(),
            WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return;
  }
  std::istringstream in(data);
  int p, f, sk, mm;
  in >> p >> f >> sk >> mm;
  totals.passed += p;
  totals.failed += f;
  totals.skipped += sk;
  totals.message_mismatches += mm;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    size_t sp = line.find(' ');
    if (sp == std::string::npos) continue;
    totals.skip_reasons[line.substr(sp + 1)] += std::stoi(line.substr(0, sp));
  }
}

void write_xml(const std::string& path, const Totals& t) {
  FILE* f = fopen(path.c_str(), "w");
  if (!f) return;
  fprintf(f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"spec\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">\n"
          "  <testsuite name=\"spec\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\"/>\n"
          "</testsuites>\n",
          t.passed + t.failed + t.skipped, t.failed, t.skipped, t.passed + t.failed + t.skipped, t.failed,
          t.skipped);
  fclose(f);
}

int usage() {
  fprintf(stderr,
          "usage: spectest [--arch=x64|a64] [--bounds=guard|explicit] [--verbose] [--all] [--shared=DIR]\n"
          "                [FILE.wast|DIR ...]\n"
          "  default: the core .wast files of ../shared/testsuite; --all adds simd/\n");
  return 2;
}

int main_impl(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose" || a == "-v") opt.verbose = true;
    else if (a == "--all") opt.all = true;
    else if (a.rfind("--arch=", 0) == 0) opt.arch = a.substr(7);
    else if (a.rfind("--shared=", 0) == 0) opt.shared = a.substr(9);
    else if (a.rfind("--bounds=", 0) == 0) opt.bounds = a.substr(9);
    else if (a == "--help" || a == "-h") return usage();
    else if (a.rfind("--", 0) == 0) { fprintf(stderr, "spectest: unknown option %s\n", a.c_str()); return usage(); }
    else opt.inputs.push_back(a);
  }
  if (opt.bounds != "guard" && opt.bounds != "explicit") {
    fprintf(stderr, "spectest: unknown --bounds=%s (guard or explicit)\n", opt.bounds.c_str());
    return 2;
  }
  if (opt.arch != "x64" && opt.arch != "a64") {
    fprintf(stderr, "spectest: unknown --arch=%s (x64 or a64)\n", opt.arch.c_str());
    return 2;
  }
  if (opt.arch != kHostArch) {  // the backend is the one this binary was built with
    fprintf(stderr, "spectest: this binary runs the %s backend (AArch64: build with --config=a64, run under qemu)\n",
            kHostArch);
    return 2;
  }
  std::vector<std::string> files;
  if (opt.inputs.empty()) {
    std::string suite = find_shared(opt) + "/testsuite";
    files = wast_files_in(suite);
    if (opt.all) {
      auto simd = wast_files_in(suite + "/simd");
      files.insert(files.end(), simd.begin(), simd.end());
    }
    if (files.empty()) {
      fprintf(stderr, "spectest: no .wast files in %s\n", suite.c_str());
      return 2;
    }
  }
  for (const std::string& in : opt.inputs) {
    std::string p = resolve_input(in);
    if (is_dir(p)) {
      auto more = wast_files_in(p);
      files.insert(files.end(), more.begin(), more.end());
    } else if (is_file(p)) {
      files.push_back(p);
    } else {
      fprintf(stderr, "spectest: no such file or directory: %s\n", in.c_str());
      return 2;
    }
  }

  const char* tmp_root = getenv("TEST_TMPDIR");
  std::string tmpl = std::string(tmp_root && *tmp_root ? tmp_root : "/tmp") + "/brisk-spec-XXXXXX";
  std::vector<char> tmpbuf(tmpl.begin(), tmpl.end());
  tmpbuf.push_back('\0');
  if (!mkdtemp(tmpbuf.data())) {
    perror("spectest: mkdtemp");
    return 2;
  }
  std::string tmp = tmpbuf.data();

  Config config;
  config.explicit_bounds_checks = opt.bounds == "explicit";
  Engine engine(config);
  Totals totals;
  int index = 0;
  for (const std::string& f : files) run_isolated(opt, engine, f, tmp, index++, totals);
  run_process({"rm", "-rf", tmp}, "/dev/null");

  if (!totals.skip_reasons.empty()) {
    fprintf(stdout, "skipped by reason:");
    for (const auto& [reason, n] : totals.skip_reasons) fprintf(stdout, " %s %d;", reason.c_str(), n);
    fprintf(stdout, "\n");
  }
  if (totals.message_mismatches) {
    fprintf(stdout, "rejections whose message differs from the spec's: %d (--verbose lists them)\n",
            totals.message_mismatches);
  }
  fprintf(stdout, "spec: %d passed, %d failed, %d skipped\n", totals.passed, totals.failed, totals.skipped);
  if (const char* xml = getenv("XML_OUTPUT_FILE"); xml && *xml) write_xml(xml, totals);
  return totals.failed == 0 ? 0 : 1;
}

}  // namespace
}  // namespace brisk::spec

int main(int argc, char** argv) { return brisk::spec::main_impl(argc, argv); }
