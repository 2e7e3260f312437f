// A typed binding of the markdown module: Brisk's built-in WASI for its
// imports, its own allocator for the buffers, typed calls for the rest.
#ifndef BRISK_EXAMPLES_MARKDOWN_RENDERER_H_
#define BRISK_EXAMPLES_MARKDOWN_RENDERER_H_

#include <memory>
#include <string>
#include <string_view>

#include "brisk/brisk.h"
#include "brisk/wasi.h"

namespace markdown {

class Renderer {
 public:
  /// Instantiates `module` with WASI (stdio inherited, no files).
  static brisk::Result<std::unique_ptr<Renderer>> create(const brisk::Engine& engine, const brisk::Module& module) {
    auto r = std::unique_ptr<Renderer>(new Renderer(engine));
    auto wasi = brisk::wasi::WasiCtx::create(brisk::wasi::WasiConfig{{"markdown"}, {}, false, {}, {}, {}, {}});
    if (!wasi) return wasi.take_status();
    brisk::Linker linker(engine);
    BRISK_TRY(brisk::wasi::add_to_linker(linker, *wasi));
    BRISK_ASSIGN_OR_RETURN(auto inst, linker.instantiate(r->store_, module));
    auto memory = inst.get_memory(r->store_, "memory");
    if (!memory) return brisk::Status(brisk::ErrorKind::kUnlinkable, "the module exports no memory");
    r->memory_ = *memory;
    BRISK_ASSIGN_OR_RETURN(r->alloc_, inst.typed_func<int32_t(int32_t)>(r->store_, "alloc"));
    BRISK_ASSIGN_OR_RETURN(r->dealloc_, (inst.typed_func<void(int32_t, int32_t)>(r->store_, "dealloc")));
    BRISK_ASSIGN_OR_RETURN(r->render_, (inst.typed_func<int32_t(int32_t, int32_t)>(r->store_, "render")));
    BRISK_ASSIGN_OR_RETURN(r->output_len_, inst.typed_func<int32_t()>(r->store_, "output_len"));
    return r;
  }

  /// The HTML for `text`.
  brisk::Result<std::string> render(std::string_view text) {
    int32_t len = static_cast<int32_t>(text.size());
    BRISK_ASSIGN_OR_RETURN(int32_t in, alloc_.call(store_, len));
    BRISK_TRY(memory_.write_string(store_, static_cast<uint32_t>(in), text));
    BRISK_ASSIGN_OR_RETURN(int32_t out, render_.call(store_, in, len));
    BRISK_ASSIGN_OR_RETURN(int32_t n, output_len_.call(store_));
    auto html = memory_.read_string(store_, static_cast<uint32_t>(out), static_cast<uint32_t>(n));
    BRISK_TRY(dealloc_.call(store_, in, len));
    BRISK_TRY(dealloc_.call(store_, out, n));
    return html;
  }

 private:
  explicit Renderer(const brisk::Engine& engine) : store_(engine) {}
  brisk::Store store_;
  brisk::Memory memory_;
  brisk::TypedFunc<int32_t(int32_t)> alloc_;
  brisk::TypedFunc<void(int32_t, int32_t)> dealloc_;
  brisk::TypedFunc<int32_t(int32_t, int32_t)> render_;
  brisk::TypedFunc<int32_t()> output_len_;
};

}  // namespace markdown

#endif  // BRISK_EXAMPLES_MARKDOWN_RENDERER_H_
