// The WASI testsuite runner over ../shared/wasi-testsuite/{c,rust,assemblyscript}
// (its README says how): every NAME.wasm runs as a command with NAME.json's
// args, env and preopened root, on a fresh copy of its folder; it passes when
// the exit code (and stdout, where given) match. One line per test, then
// "wasi: N passed, N failed, N skipped".
//   ./bazelw run //tests/wasi:wasitest [-- --verbose] [FOLDER|FILE.wasm ...]
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "brisk/brisk.h"
#include "brisk/wasi.h"
#include "tests/spec/json.h"

namespace {

using brisk::spec::Json;

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::string find_shared() {
  if (const char* env = getenv("BRISK_SHARED"); env && *env) return env;
  if (const char* ws = getenv("BUILD_WORKSPACE_DIRECTORY"); ws && *ws) return std::string(ws) + "/../shared";
  char buf[4096];
  if (realpath("tests/wasi/BUILD", buf)) {
    std::string ws(buf);
    ws = ws.substr(0, ws.size() - std::string("/tests/wasi/BUILD").size());
    return ws + "/../shared";
  }
  return "../shared";
}

std::vector<std::string> list(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) out.push_back(n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

int sh(const std::string& cmd) { return system(cmd.c_str()); }

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Totals { int passed = 0, failed = 0, skipped = 0; };

void run_one(brisk::Engine& engine, const std::string& folder, const std::string& suite, const std::string& wasm,
             bool verbose, Totals& t) {
  std::string name = wasm.substr(0, wasm.size() - 5);
  std::string label = suite + "/" + name;
  Json spec;
  std::string text, err;
  if (read_file(folder + "/" + name + ".json", &text) && !brisk::spec::parse_json(text, spec, err)) {
    printf("FAIL %s: bad %s.json: %s\n", label.c_str(), name.c_str(), err.c_str());
    ++t.failed;
    return;
  }
  if (spec.has("operations")) {
    printf("SKIP %s: the \"operations\" form of the test spec is not supported by this runner\n", label.c_str());
    ++t.skipped;
    return;
  }
  // A fresh copy of the folder: tests create and delete files.
  char tmpl[] = "/tmp/brisk-wasitest-XXXXXX";
  std::string work = mkdtemp(tmpl);
  sh("cp -a " + quote(folder) + "/. " + quote(work) + " && find " + quote(work) + " -name '*.cleanup' -exec rm -rf {} +");
  brisk::wasi::WasiConfig cfg;
  cfg.args.push_back(wasm);
  for (const Json& a : spec["args"].array) cfg.args.push_back(a.str());
  for (const auto& [k, v] : spec["env"].object) cfg.env.emplace_back(k, v.str());
  if (spec.has("dirs")) {
    for (const Json& d : spec["dirs"].array) cfg.preopens.push_back({work + "/" + d.str(), d.str(), false});
  }
  // The root is the guest's "/": the C tests open paths relative to the
  // working directory (wasi-libc resolves them against a "/" preopen) and
  // the Rust tests look for a preopen named "/" or ".".
  if (!spec["root"].is_null()) cfg.preopens.push_back({work + "/" + spec["root"].str(), "/", false});
  cfg.stdout_ = brisk::wasi::Stdio::buffer();
  cfg.stderr_ = brisk::wasi::Stdio::buffer();
  cfg.stdin_ = brisk::wasi::Stdio::null();
  int want_exit = spec.has("exit_code") ? static_cast<int>(spec["exit_code"].number) : 0;
  std::string fail;
  int code = -1;
  auto ctx = brisk::wasi::WasiCtx::create(cfg);
  if (!ctx) {
    fail = "wasi config: " + ctx.status().message();
  } else {
    auto module = brisk::Module::from_file(engine, folder + "/" + wasm);
    if (!module) {
      fail = "compile: " + module.status().to_string();
    } else {
      brisk::Store store(engine);
      brisk::Linker linker(engine);
      brisk::Status st = brisk::wasi::add_to_linker(linker, *ctx);
      auto inst = st ? linker.instantiate(store, *module) : brisk::Result<brisk::Instance>(st);
      if (!inst) {
        fail = "instantiate: " + inst.status().to_string();
      } else {
        brisk::Status trap;
        code = brisk::wasi::run(store, *inst, **ctx, "", &trap);
        if (code != want_exit) {
          fail = "exit code " + std::to_string(code) + ", expected " + std::to_string(want_exit);
          if (!trap.is_ok()) fail += " (" + trap.to_string() + ")";
        } else if (spec.has("stdout") && (*ctx)->captured_stdout() != spec["stdout"].str()) {
          fail = "stdout differs: got \"" + (*ctx)->captured_stdout() + "\"";
        }
      }
    }
  }
  sh("rm -rf " + quote(work));
  if (fail.empty()) {
    ++t.passed;
    printf("PASS %s\n", label.c_str());
  } else {
    ++t.failed;
    printf("FAIL %s: %s\n", label.c_str(), fail.c_str());
    if (verbose && ctx) {
      printf("  stdout: %s\n  stderr: %s\n", (*ctx)->captured_stdout().c_str(), (*ctx)->captured_stderr().c_str());
    }
  }
  fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool verbose = false;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose") verbose = true;
    else only.push_back(a);
  }
  std::string root = find_shared() + "/wasi-testsuite";
  brisk::Engine engine;
  Totals t;
  for (const char* suite : {"c", "rust", "assemblyscript"}) {
    std::string folder = root + "/" + suite;
    for (const std::string& wasm : list(folder, ".wasm")) {
      if (!only.empty()) {
        std::string label = std::string(suite) + "/" + wasm.substr(0, wasm.size() - 5);
        bool wanted = false;
        for (const auto& o : only) wanted |= label.rfind(o, 0) == 0;
        if (!wanted) continue;
      }
      run_one(engine, folder, suite, wasm, verbose, t);
    }
  }
  printf("wasi: %d passed, %d failed, %d skipped\n", t.passed, t.failed, t.skipped);
  if (const char* xml = getenv("XML_OUTPUT_FILE"); xml && *xml) {
    if (FILE* f = fopen(xml, "w")) {
      int n = t.passed + t.failed + t.skipped;
      fprintf(f,
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<testsuites name=\"wasi\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\">\n"
              "  <testsuite name=\"wasi\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\"/>\n"
              "</testsuites>\n",
              n, t.failed, t.skipped, n, t.failed, t.skipped);
      fclose(f);
    }
  }
  return t.failed == 0 ? 0 : 1;
}
