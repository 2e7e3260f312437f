// The markdown module against the same crate built natively with Debian's
// rustc: byte-identical HTML over every document of the crate's own test
// suite (the CommonMark spec examples among them).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "examples/markdown/renderer.h"

namespace {

std::vector<std::string> corpus() {
  std::ifstream in("examples/markdown/corpus.txt", std::ios::binary);
  std::vector<std::string> docs;
  std::string line;
  while (std::getline(in, line)) {
    size_t n = std::stoul(line);
    std::string doc(n, '\0');
    in.read(doc.data(), static_cast<std::streamsize>(n));
    docs.push_back(std::move(doc));
  }
  return docs;
}

struct Native {
  void* lib = dlopen("examples/markdown/libmarkdown_renderer_native.so", RTLD_NOW | RTLD_LOCAL);
  using Alloc = uint8_t* (*)(size_t);
  using Render = uint8_t* (*)(const uint8_t*, size_t);
  using Len = size_t (*)();
  using Dealloc = void (*)(uint8_t*, size_t);
  Render render = lib ? reinterpret_cast<Render>(dlsym(lib, "render")) : nullptr;
  Len output_len = lib ? reinterpret_cast<Len>(dlsym(lib, "output_len")) : nullptr;
  Dealloc dealloc = lib ? reinterpret_cast<Dealloc>(dlsym(lib, "dealloc")) : nullptr;
  std::string run(const std::string& text) const {
    uint8_t* out = render(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    size_t n = output_len();
    std::string html(reinterpret_cast<char*>(out), n);
    dealloc(out, n);
    return html;
  }
};

TEST(MarkdownDifferential, WasmAndNativeGiveTheSameHtml) {
  Native native;
  ASSERT_NE(native.lib, nullptr) << dlerror();
  ASSERT_TRUE(native.render && native.output_len && native.dealloc);
  brisk::Engine engine;
  auto module = brisk::Module::from_file(engine, "examples/markdown/markdown_renderer.wasm");
  ASSERT_TRUE(module) << module.status().to_string();
  auto renderer = markdown::Renderer::create(engine, *module);
  ASSERT_TRUE(renderer) << renderer.status().to_string();
  auto docs = corpus();
  ASSERT_GE(docs.size(), 200u);
  size_t same = 0;
  for (size_t i = 0; i < docs.size(); ++i) {
    auto html = (*renderer)->render(docs[i]);
    ASSERT_TRUE(html) << "document " << i << ": " << html.status().to_string();
    std::string want = native.run(docs[i]);
    EXPECT_EQ(*html, want) << "document " << i << ":\n" << docs[i];
    same += *html == want;
  }
  printf("%zu of %zu documents rendered identically\n", same, docs.size());
}

}  // namespace
