/// \file Extern: anything an instance imports or exports.
#ifndef BRISK_API_EXTERN_H_
#define BRISK_API_EXTERN_H_

#include <variant>

#include "brisk/func.h"
#include "brisk/global.h"
#include "brisk/memory.h"
#include "brisk/table.h"

namespace brisk {

using Extern = std::variant<Func, Memory, Table, Global>;

/// "func", "memory", "table" or "global".
const char* extern_kind_name(const Extern& e);
ExternType extern_type(const Store& store, const Extern& e);

}  // namespace brisk

#endif  // BRISK_API_EXTERN_H_
