// markdown: the seed's demo on Brisk's built-in WASI and a typed binding.
//   markdown                  renders the seed's sample
//   markdown FILE... | -      renders files (- is stdin)
//   markdown --repeat N ...   renders N times and reports documents per second
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "examples/markdown/renderer.h"

namespace {

constexpr const char* kSample =
    "# Hello, `.NET`! Welcome to **WebAssembly** with [Wasmtime](https://wasmtime.dev)!";

// The module next to this program (bazel-bin), in its runfiles, under the
// workspace, or where $MARKDOWN_WASM says.
std::string find_module() {
  if (const char* env = getenv("MARKDOWN_WASM")) return env;
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::vector<std::string> candidates;
  if (n > 0) {
    exe[n] = 0;
    std::string self(exe), dir = self.substr(0, self.rfind('/'));
    candidates.push_back(dir + "/markdown_renderer.wasm");
    candidates.push_back(self + ".runfiles/brisk/examples/markdown/markdown_renderer.wasm");
  }
  candidates.push_back("examples/markdown/markdown_renderer.wasm");
  candidates.push_back("bazel-bin/examples/markdown/markdown_renderer.wasm");
  for (const auto& c : candidates) {
    if (access(c.c_str(), R_OK) == 0) return c;
  }
  return candidates.front();
}

int fail(const char* what, const brisk::Status& s) {
  fprintf(stderr, "markdown: %s: %s\n", what, s.to_string().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  long repeat = 1;
  std::vector<std::string> docs;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = strtol(argv[++i], nullptr, 10);
      if (repeat < 1) return fprintf(stderr, "markdown: --repeat needs a positive count\n"), 2;
    } else if (a == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      docs.push_back(ss.str());
    } else {
      std::ifstream in(a, std::ios::binary);
      if (!in) return fprintf(stderr, "markdown: cannot read %s\n", a.c_str()), 1;
      std::ostringstream ss;
      ss << in.rdbuf();
      docs.push_back(ss.str());
    }
  }
  if (docs.empty()) docs.push_back(kSample);

  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, find_module());
  if (!module) return fail("compile", module.status());
  auto renderer = markdown::Renderer::create(engine, *module);
  if (!renderer) return fail("instantiate", renderer.status());

  auto t0 = std::chrono::steady_clock::now();
  for (long r = 0; r < repeat; ++r) {
    for (const std::string& doc : docs) {
      auto html = (*renderer)->render(doc);
      if (!html) return fail("render", html.status());
      if (r == 0) fwrite(html->data(), 1, html->size(), stdout);
    }
  }
  if (repeat > 1) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fprintf(stderr, "%ld documents in %.3f s: %.0f documents per second\n", repeat * static_cast<long>(docs.size()), s,
            static_cast<double>(repeat * static_cast<long>(docs.size())) / s);
  }
  return 0;
}
