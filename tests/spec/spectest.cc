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

#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"
#include "tests/spec/json.h"

extern char** environ;

namespace brisk::spec {
namespace {

struct Options {
  std::string arch = "x64";
  bool verbose = false;
  bool all = false;  // core + simd (the CI target)
  std::string shared;
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

class FileRunner {
 public:
  FileRunner(const Options& opt, const std::string& display, const std::string& dir, Totals& totals)
      : opt_(opt), display_(display), dir_(dir), totals_(totals) {}

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

  /// Decodes and validates a module file of the JSON's folder.
  Status load(const std::string& filename) {
    std::string bytes;
    if (!read_file(dir_ + "/" + filename, bytes)) return Status(ErrorKind::kIo, "cannot read " + filename);
    auto m = compiler::decode_and_validate(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!m) return m.take_status();
    return Status::ok();
  }

  void command(const Json& cmd) {
    const std::string& type = cmd["type"].str();
    int line = static_cast<int>(cmd["line"].number);
    if (type == "module") {
      Status s = load(cmd["filename"].str());
      if (s.is_ok()) {
        pass();
      } else {
        fail(line, "module did not load: " + s.to_string());
      }
      return;
    }
    if (type == "assert_malformed" || type == "assert_invalid") {
      if (cmd["module_type"].str() == "text") {
        skip(line, type, "text format");
        return;
      }
      Status s = load(cmd["filename"].str());
      const std::string& expected = cmd["text"].str();
      if (s.is_ok()) {
        fail(line, type + ": module was accepted, expected \"" + expected + "\"");
        return;
      }
      ErrorKind want = type == "assert_malformed" ? ErrorKind::kMalformed : ErrorKind::kInvalid;
      if (s.kind() != want || s.message().compare(0, expected.size(), expected) != 0) {
        // Rejected, as required; the wording or kind differs from the spec's.
        ++totals_.message_mismatches;
        if (opt_.verbose) {
          fprintf(stdout, "  note %s:%d: %s: expected \"%s\", got %s\n", display_.c_str(), line,
                  type.c_str(), expected.c_str(), s.to_string().c_str());
        }
      }
      pass();
      return;
    }
    if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      // The module itself must decode and validate; linking needs the runtime.
      Status s = load(cmd["filename"].str());
      if (!s.is_ok()) {
        fail(line, type + ": module did not validate: " + s.to_string());
        return;
      }
      skip(line, type, "no compiler yet");
      return;
    }
    skip(line, type, "no compiler yet");
  }

  const Options& opt_;
  std::string display_;
  std::string dir_;
  Totals& totals_;
  int passed_ = 0;
  int total_ = 0;
  int skipped_ = 0;
};

bool run_file(const Options& opt, const std::string& wast, const std::string& tmp, int index, Totals& totals) {
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
  FileRunner runner(opt, base, out_dir, totals);
  runner.run(doc["commands"]);
  fprintf(stdout, "%s: %d/%d", base.c_str(), runner.passed(), runner.total());
  if (runner.skipped()) fprintf(stdout, " (%d skipped)", runner.skipped());
  fprintf(stdout, "\n");
  fflush(stdout);
  return true;
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
          "usage: spectest [--arch=x64|a64] [--verbose] [--all] [--shared=DIR] [FILE.wast|DIR ...]\n"
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
    else if (a == "--help" || a == "-h") return usage();
    else if (a.rfind("--", 0) == 0) { fprintf(stderr, "spectest: unknown option %s\n", a.c_str()); return usage(); }
    else opt.inputs.push_back(a);
  }
  if (opt.arch != "x64" && opt.arch != "a64") {
    fprintf(stderr, "spectest: unknown --arch=%s (x64 or a64)\n", opt.arch.c_str());
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

  Totals totals;
  int index = 0;
  for (const std::string& f : files) run_file(opt, f, tmp, index++, totals);
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
