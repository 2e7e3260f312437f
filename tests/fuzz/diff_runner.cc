// Brisk's side of the differential fuzzer (tests/fuzz/differential.py): runs
// modules through the public API and prints results and exported state in
// the canonical text form the driver compares with Wasmtime's.
//
// Protocol, one request per line on stdin (export names in hex):
//   module PATH            compile and instantiate (one store per module)
//   call NAME K:HEX ...    call an export with i32/i64/f32/f64/funcref/externref args
//   end                    drop the module's store
// Every request answers with exactly one line on stdout, then "." on a line.
// Results:  "ok K:HEX ..." | "trap KIND" | "error MESSAGE"
// After a call or module, a second line "state ..." lists exported globals,
// memories (pages and CRC-32 of the contents) and tables (size, nulls).
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <zlib.h>

#include "brisk/brisk.h"

namespace {

using brisk::Val;
using brisk::ValKind;

const char* kind_name(ValKind k) {
  switch (k) {
    case ValKind::kI32: return "i32";
    case ValKind::kI64: return "i64";
    case ValKind::kF32: return "f32";
    case ValKind::kF64: return "f64";
    case ValKind::kV128: return "v128";
    case ValKind::kFuncRef: return "funcref";
    case ValKind::kExternRef: return "externref";
    default: return "?";
  }
}

bool parse_kind(const std::string& s, ValKind* k) {
  static const std::pair<const char*, ValKind> kKinds[] = {
      {"i32", ValKind::kI32}, {"i64", ValKind::kI64}, {"f32", ValKind::kF32},
      {"f64", ValKind::kF64}, {"v128", ValKind::kV128}, {"funcref", ValKind::kFuncRef},
      {"externref", ValKind::kExternRef}};
  for (const auto& [name, kind] : kKinds) {
    if (s == name) {
      *k = kind;
      return true;
    }
  }
  return false;
}

// References print as null / non-null: identities differ between runtimes.
std::string format_val(const Val& v) {
  char buf[64];
  if (v.kind() == ValKind::kFuncRef || v.kind() == ValKind::kExternRef) {
    snprintf(buf, sizeof buf, "%s:%s", kind_name(v.kind()), v.is_null_ref() ? "null" : "ref");
  } else if (v.kind() == ValKind::kV128) {  // one 128-bit hex number, as the driver prints it
    if (v.v128_hi() == 0) snprintf(buf, sizeof buf, "v128:%" PRIx64, v.v128_lo());
    else snprintf(buf, sizeof buf, "v128:%" PRIx64 "%016" PRIx64, v.v128_hi(), v.v128_lo());
  } else {
    snprintf(buf, sizeof buf, "%s:%" PRIx64, kind_name(v.kind()), v.bits());
  }
  return buf;
}

// The trap categories both runtimes can name (Wasmtime reports "undefined
// element" as a table out-of-bounds access, "uninitialized element" as a
// call through null).
const char* trap_kind(uint32_t code) {
  switch (code) {
    case 1: return "unreachable";
    case 2: return "memory_oob";
    case 3: return "div_by_zero";
    case 4: return "int_overflow";
    case 5: return "bad_conversion";
    case 6: return "bad_signature";
    case 7: return "table_oob";      // undefined element
    case 8: return "null_call";      // uninitialized element
    case 9: return "table_oob";
    case 10: return "stack_overflow";
    case 13: return "interrupt";
    case 14: return "internal";
    default: return "other";
  }
}

uint32_t crc32_of(const uint8_t* p, size_t n) {
  uLong c = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes 32-bit lengths
    uInt chunk = n > (1u << 30) ? (1u << 30) : static_cast<uInt>(n);
    c = crc32(c, p, chunk);
    p += chunk;
    n -= chunk;
  }
  return static_cast<uint32_t>(c);
}

// Export names may hold any bytes: the protocol carries them in hex ("-" = "").
std::string hex_name(const std::string& name) {
  if (name.empty()) return "-";
  std::string out;
  char buf[3];
  for (unsigned char c : name) {
    snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

std::string unhex_name(const std::string& hex) {
  std::string out;
  if (hex == "-") return out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

struct Session {
  brisk::Engine engine;
  std::unique_ptr<brisk::Store> store;
  std::optional<brisk::Instance> instance;

  explicit Session(brisk::Config c, bool epoch_stub) : engine(c), epoch_stub(epoch_stub) {}
  bool epoch_stub = false;

  std::string state() {
    std::string out = "state";
    if (!instance) return out;
    for (const auto& [name, ext] : instance->exports(*store)) {
      if (const auto* g = std::get_if<brisk::Global>(&ext)) {
        out += " g:" + hex_name(name) + "=" + format_val(g->get(*store));
      } else if (const auto* m = std::get_if<brisk::Memory>(&ext)) {
        char buf[64];
        snprintf(buf, sizeof buf, "=%" PRIu64 ":%08x", m->pages(*store), crc32_of(m->data(*store), m->data_size(*store)));
        out += " m:" + hex_name(name) + buf;
      } else if (const auto* t = std::get_if<brisk::Table>(&ext)) {
        uint32_t size = t->size(*store), nulls = 0;
        for (uint32_t i = 0; i < size; ++i) nulls += t->get(*store, i)->is_null_ref() ? 1 : 0;
        out += " t:" + hex_name(name) + "=" + std::to_string(size) + ":" + std::to_string(nulls);
      }
    }
    return out;
  }

  std::string result_of(const brisk::Status& st) {
    if (st.kind() == brisk::ErrorKind::kTrap) return std::string("trap ") + trap_kind(brisk::trap_code(st));
    std::string msg = st.message();
    for (char& c : msg) if (c == '\n') c = ' ';
    return "error " + msg;
  }

  void module(const std::string& path) {
    instance.reset();
    store = std::make_unique<brisk::Store>(engine);
    if (epoch_stub) {
      // Every epoch check finds its deadline passed and goes through the
      // register-saving stub, whose callback lets the code go on: results
      // must not change.
      store->set_epoch_deadline(0);
      store->set_epoch_deadline_callback([](brisk::Store&) -> brisk::Result<uint64_t> { return uint64_t{0}; });
    }
    auto m = brisk::Module::from_file(engine, path);
    if (!m) {
      printf("%s\n", result_of(m.status()).c_str());
      return;
    }
    brisk::Linker linker(engine);
    auto inst = linker.instantiate(*store, *m);
    if (!inst) {
      printf("%s\n", result_of(inst.status()).c_str());
      return;
    }
    instance = *inst;
    printf("ok\n%s\n", state().c_str());
  }

  void call(std::istringstream& in) {
    std::string hex, arg;
    in >> hex;
    std::string name = unhex_name(hex);
    std::vector<Val> args;
    while (in >> arg) {
      size_t colon = arg.find(':');
      ValKind k;
      if (colon == std::string::npos || !parse_kind(arg.substr(0, colon), &k)) {
        printf("error bad argument %s\n", arg.c_str());
        return;
      }
      std::string v = arg.substr(colon + 1);
      if (k == ValKind::kFuncRef) args.push_back(Val::null_funcref());
      else if (k == ValKind::kExternRef) args.push_back(Val::externref(v == "null" ? nullptr : reinterpret_cast<void*>(uintptr_t{0x1000})));
      else if (k == ValKind::kV128) {
        std::string lo = v.size() > 16 ? v.substr(v.size() - 16) : v;
        std::string hi = v.size() > 16 ? v.substr(0, v.size() - 16) : "0";
        args.push_back(Val::v128(strtoull(lo.c_str(), nullptr, 16), strtoull(hi.c_str(), nullptr, 16)));
      } else args.push_back(Val::from_bits(k, strtoull(v.c_str(), nullptr, 16)));
    }
    if (!instance) {
      printf("error no instance\n");
      return;
    }
    auto f = instance->get_func(*store, name);
    if (!f) {
      printf("error no export %s\n", hex.c_str());
      return;
    }
    auto r = f->call(*store, args);
    if (!r) {
      printf("%s\n%s\n", result_of(r.status()).c_str(), state().c_str());
      return;
    }
    std::string line = "ok";
    for (const Val& v : *r) line += " " + format_val(v);
    printf("%s\n%s\n", line.c_str(), state().c_str());
  }
};

}  // namespace

int main(int argc, char** argv) {
  brisk::Config config;
  bool epoch_stub = false;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--bounds=explicit")) config.explicit_bounds_checks = true;
    else if (!strcmp(argv[i], "--bounds=guard")) config.explicit_bounds_checks = false;
    else if (!strcmp(argv[i], "--interruptible")) config.interruptible = true;
    else if (!strcmp(argv[i], "--epoch-stub")) config.interruptible = epoch_stub = true;
    else if (!strncmp(argv[i], "--cpu=", 6)) config.cpu_features = argv[i] + 6;
    else {
      fprintf(stderr, "usage: diff_runner [--bounds=guard|explicit] [--cpu=FEATURES] [--interruptible] [--epoch-stub]\n");
      return 2;
    }
  }
  Session s(config, epoch_stub);
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd == "module") {
      std::string path;
      in >> path;
      s.module(path);
    } else if (cmd == "call") {
      s.call(in);
    } else if (cmd == "end") {
      s.instance.reset();
      s.store.reset();
      printf("ok\n");
    } else {
      printf("error unknown request\n");
    }
    printf(".\n");
    fflush(stdout);
  }
  return 0;
}
