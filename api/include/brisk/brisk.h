/// \file Brisk's embedder API, shaped like Wasmtime's:
/// Engine (shared, compiles) -> Module (immutable) -> Store (one thread at a
/// time, owns instances and their objects) -> Instance, with a Linker to
/// resolve imports.
///
/// \code
///   brisk::Engine engine;
///   auto module = brisk::Module::compile(engine, bytes).value();
///   brisk::Store store(engine);
///   brisk::Linker linker(engine);
///   linker.func_wrap("env", "log", [](brisk::Caller& c, int32_t ptr, int32_t len) { ... });
///   auto instance = linker.instantiate(store, module).value();
///   auto add = instance.typed_func<int32_t(int32_t, int32_t)>(store, "add").value();
///   int32_t three = add.call(store, 1, 2).value();
/// \endcode
#ifndef BRISK_API_BRISK_H_
#define BRISK_API_BRISK_H_

#include "brisk/caller.h"
#include "brisk/config.h"
#include "brisk/engine.h"
#include "brisk/extern.h"
#include "brisk/func.h"
#include "brisk/global.h"
#include "brisk/host_func.h"
#include "brisk/instance.h"
#include "brisk/linker.h"
#include "brisk/memory.h"
#include "brisk/module.h"
#include "brisk/status.h"
#include "brisk/store.h"
#include "brisk/table.h"
#include "brisk/trap.h"
#include "brisk/typed_func.h"
#include "brisk/types.h"

#endif  // BRISK_API_BRISK_H_
