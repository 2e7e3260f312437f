// Module decoding: sections, segment encodings, ordering and the module-level
// validation rules, including which error wins when there are several.
#include "compiler/decode/module_decoder.h"
#include "compiler/validate/func_validator.h"

#include <gtest/gtest.h>

#include "tests/unit/compiler/wasm_builder.h"

namespace brisk::compiler {
namespace {

using test::Bytes;
using test::cat;
using test::header;
using test::section;

Status decode_error(const Bytes& b) {
  auto m = decode_and_validate(b.data(), b.size());
  EXPECT_FALSE(m) << "module was accepted";
  return m ? Status::ok() : m.take_status();
}

std::unique_ptr<Module> decode_ok(const Bytes& b) {
  auto m = decode_and_validate(b.data(), b.size());
  EXPECT_TRUE(m) << m.status().to_string();
  return m ? std::move(m).value() : nullptr;
}

TEST(ModuleDecoder, AcceptsEmptyModule) {
  auto m = decode_ok(header());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->funcs.empty());
}

TEST(ModuleDecoder, RejectsBadMagicAndVersion) {
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73}).message(), "unexpected end");
  EXPECT_EQ(decode_error({0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0}).message(), "magic header not detected");
  EXPECT_EQ(decode_error({0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}).message(), "unknown binary version");
}

TEST(ModuleDecoder, RejectsUnknownSectionId) {
  Status s = decode_error(cat({header(), {0x0e, 0x00}}));
  EXPECT_EQ(s.message(), "malformed section id");
  EXPECT_EQ(s.offset(), 8);
}

// Later proposals are named (after the spec's text, which the 2.0 testsuite
// matches): a user learns what is missing, not that the bytes are garbage.
TEST(ModuleDecoder, NamesUnsupportedProposals) {
  struct Case {
    Bytes module;
    const char* message;
  };
  Bytes type_void = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes one_func = section(3, {0x01, 0x00});
  auto with_body = [&](Bytes body) {
    Bytes code{0x01};
    code.push_back(static_cast<uint8_t>(body.size() + 1));
    code.push_back(0x00);  // no locals
    code.insert(code.end(), body.begin(), body.end());
    return cat({header(), type_void, one_func, section(10, code)});
  };
  const Case cases[] = {
      {cat({header(), {0x0d, 0x00}}), "malformed section id: 13 is the tag section; exception handling is not supported"},
      {with_body({0x06, 0x40, 0x0b, 0x0b}), "illegal opcode: exception handling is not supported"},       // try
      {with_body({0x1f, 0x40, 0x00, 0x0b, 0x0b}), "illegal opcode: exception handling is not supported"}, // try_table
      {with_body({0x12, 0x00, 0x0b}), "illegal opcode: tail calls is not supported"},                     // return_call
      {with_body({0x14, 0x00, 0x0b}), "illegal opcode: typed function references is not supported"},      // call_ref
      {with_body({0xfb, 0x00, 0x0b}), "illegal opcode: garbage collection is not supported"},
      {with_body({0xfe, 0x03, 0x00, 0x0b}), "illegal opcode: threads is not supported"},                  // atomic.fence
      {with_body({0xfd, 0x80, 0x02, 0x0b}), "illegal opcode: relaxed SIMD is not supported"},             // 0x100
      {with_body({0xfc, 0x13, 0x0b}), "illegal opcode: wide arithmetic is not supported"},
      {cat({header(), section(5, {0x01, 0x04, 0x01})}), "integer too large: memory64 is not supported"},
      {cat({header(), section(5, {0x01, 0x03, 0x01, 0x01})}), "integer too large: threads is not supported"},
      {cat({header(), section(5, {0x01, 0x08, 0x01, 0x10})}), "integer too large: custom page sizes is not supported"},
      {cat({header(), section(1, {0x01, 0x5f, 0x00})}), "malformed function type: garbage collection is not supported"},
      {cat({header(), section(1, {0x01, 0x60, 0x01, 0x69, 0x00})}), "malformed value type: exception handling is not supported"},
      {cat({header(), section(1, {0x01, 0x60, 0x01, 0x63, 0x70, 0x00})}),
       "malformed value type: typed function references is not supported"},
      {cat({header(), section(5, {0x02, 0x00, 0x00, 0x00, 0x00})}), "multiple memories: multi-memory is not supported"},
      {cat({header(), section(6, {0x01, 0x7f, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b})}),
       "constant expression required: extended constant expressions are not supported"},
  };
  for (const Case& c : cases) EXPECT_EQ(decode_error(c.module).message(), c.message);
}

TEST(ModuleDecoder, RejectsOutOfOrderSections) {
  // memory section before the type section
  Bytes b = cat({header(), section(5, {0x01, 0x00, 0x01}), section(1, {0x00})});
  EXPECT_EQ(decode_error(b).message(), "unexpected content after last section");
}

TEST(ModuleDecoder, CustomSectionsMayAppearAnywhere) {
  Bytes custom = section(0, {0x03, 'f', 'o', 'o', 0xde, 0xad});
  Bytes b = cat({header(), custom, section(1, {0x00}), custom, section(5, {0x01, 0x00, 0x01}), custom});
  EXPECT_TRUE(decode_ok(b));
}

TEST(ModuleDecoder, RejectsSectionSizeMismatch) {
  // type section claims 5 bytes but one type needs only 4
  Bytes b = cat({header(), {0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00}});
  EXPECT_EQ(decode_error(b).message(), "section size mismatch");
}

TEST(ModuleDecoder, ReadsImportsOfAllKinds) {
  Bytes imports{0x04,
                0x01, 'm', 0x01, 'f', 0x00, 0x00,              // func type 0
                0x01, 'm', 0x01, 't', 0x01, 0x70, 0x01, 1, 9,  // table funcref 1..9
                0x01, 'm', 0x01, 'M', 0x02, 0x00, 0x02,        // memory min 2
                0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01};       // global mut i64
  Bytes b = cat({header(), section(1, {0x01, 0x60, 0x00, 0x00}), section(2, imports)});
  auto m = decode_ok(b);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->imports.size(), 4u);
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->tables[0].limits.max, 9u);
  EXPECT_EQ(m->memories[0].limits.min, 2u);
  EXPECT_TRUE(m->globals[0].mut);
  EXPECT_EQ(m->globals[0].type, ValType::kI64);
}

TEST(ModuleDecoder, RejectsMalformedImportKindAndMutability) {
  Bytes bad_kind{0x01, 0x01, 'm', 0x01, 'f', 0x04, 0x00};
  EXPECT_EQ(decode_error(cat({header(), section(2, bad_kind)})).message(), "malformed import kind");
  Bytes bad_mut{0x01, 0x01, 'm', 0x01, 'g', 0x03, 0x7f, 0x02};
  EXPECT_EQ(decode_error(cat({header(), section(2, bad_mut)})).message(), "malformed mutability");
}

TEST(ModuleDecoder, EnforcesMemoryLimits) {
  Bytes too_big{0x01, 0x00, 0x81, 0x80, 0x04};  // min 65537
  EXPECT_EQ(decode_error(cat({header(), section(5, too_big)})).message(),
            "memory size must be at most 65536 pages (4GiB)");
  Bytes min_gt_max{0x01, 0x01, 0x02, 0x01};
  EXPECT_EQ(decode_error(cat({header(), section(5, min_gt_max)})).message(),
            "size minimum must not be greater than maximum");
  Bytes two{0x02, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(decode_error(cat({header(), section(5, two)})).message(),
            "multiple memories: multi-memory is not supported");
}

TEST(ModuleDecoder, DecodesAllEightElementSegmentEncodings) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes table = section(4, {0x01, 0x70, 0x00, 0x0a});
  Bytes elems{0x08,
              0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,                    // 0: active, funcidx
              0x01, 0x00, 0x01, 0x00,                                // 1: passive, elemkind
              0x02, 0x00, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x00,        // 2: active table 0
              0x03, 0x00, 0x01, 0x00,                                // 3: declarative
              0x04, 0x41, 0x02, 0x0b, 0x01, 0xd2, 0x00, 0x0b,        // 4: active, exprs
              0x05, 0x70, 0x02, 0xd0, 0x70, 0x0b, 0xd2, 0x00, 0x0b,  // 5: passive exprs
              0x06, 0x00, 0x41, 0x03, 0x0b, 0x70, 0x01, 0xd2, 0x00, 0x0b,  // 6: active table exprs
              0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b};                  // 7: declarative exprs
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  auto m = decode_ok(cat({header(), type, func, table, section(9, elems), code}));
  ASSERT_TRUE(m);
  ASSERT_EQ(m->elems.size(), 8u);
  EXPECT_EQ(m->elems[0].mode, SegmentMode::kActive);
  EXPECT_EQ(m->elems[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(m->elems[3].mode, SegmentMode::kDeclarative);
  EXPECT_EQ(m->elems[5].items[0].kind(), ElemItem::Kind::kRefNull);
  EXPECT_EQ(m->elems[6].offset.bits[0], 3u);
  EXPECT_EQ(m->elems[7].mode, SegmentMode::kDeclarative);
  EXPECT_TRUE(m->declared_funcs[0]);
}

TEST(ModuleDecoder, DecodesAllThreeDataSegmentEncodings) {
  Bytes mem = section(5, {0x01, 0x00, 0x01});
  Bytes datas{0x03,
              0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i',
              0x01, 0x01, 'p',
              0x02, 0x00, 0x41, 0x10, 0x0b, 0x00};
  auto m = decode_ok(cat({header(), mem, section(12, {0x03}), section(11, datas)}));
  ASSERT_TRUE(m);
  ASSERT_EQ(m->datas.size(), 3u);
  EXPECT_EQ(m->datas[0].offset.bits[0], 8u);
  EXPECT_EQ(m->datas[0].size, 2u);
  EXPECT_EQ(m->bytes[m->datas[0].bytes_offset], 'h');
  EXPECT_EQ(m->datas[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(m->datas[2].offset.bits[0], 16u);
}

TEST(ModuleDecoder, DataCountMustMatch) {
  Bytes mem = section(5, {0x01, 0x00, 0x01});
  Bytes b = cat({header(), mem, section(12, {0x02}), section(11, {0x01, 0x01, 0x00})});
  EXPECT_EQ(decode_error(b).message(), "data count and data section have inconsistent lengths");
}

TEST(ModuleDecoder, CapsElementSegmentsAtTheTableLimit) {
  // A passive segment claiming 10,000,001 items: refused before any is
  // stored (the count is checked against the limit, not just the bytes left).
  Bytes elems{0x01, 0x01, 0x00, 0x81, 0xad, 0xe2, 0x04};
  elems.resize(elems.size() + 10'000'001, 0x00);
  Bytes b = cat({header(), section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}), section(9, elems)});
  Status s = decode_error(b);
  EXPECT_EQ(s.message(), "element segment of 10000001 items is over the implementation limit of 10000000");
  EXPECT_EQ(sizeof(ElemItem), 4u);  // 10M items cost 40 MB
}

TEST(ModuleDecoder, FunctionAndCodeCountsMustMatch) {
  Bytes b = cat({header(), section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00})});
  EXPECT_EQ(decode_error(b).message(), "function and code section have inconsistent lengths");
}

TEST(ModuleDecoder, ConstantExpressionsAreChecked) {
  // global i32 = i32.eqz(...)  -> not constant
  Bytes g1{0x01, 0x7f, 0x00, 0x41, 0x01, 0x45, 0x0b};
  EXPECT_EQ(decode_error(cat({header(), section(6, g1)})).message(), "constant expression required");
  // global i32 = i64.const 0 -> type mismatch
  Bytes g2{0x01, 0x7f, 0x00, 0x42, 0x00, 0x0b};
  EXPECT_EQ(decode_error(cat({header(), section(6, g2)})).message(), "type mismatch");
  // global i32 = global.get 0 where global 0 is not imported
  Bytes g3{0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b};
  EXPECT_EQ(decode_error(cat({header(), section(6, g3)})).message(), "unknown global 0");
}

TEST(ModuleDecoder, ExportsNeedUniqueNamesAndValidIndices) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  Bytes dup = section(7, {0x02, 0x01, 'f', 0x00, 0x00, 0x01, 'f', 0x00, 0x00});
  EXPECT_EQ(decode_error(cat({header(), type, func, dup, code})).message(), "duplicate export name");
  Bytes bad = section(7, {0x01, 0x01, 'f', 0x00, 0x05});
  EXPECT_EQ(decode_error(cat({header(), type, func, bad, code})).message(), "unknown function 5");
}

// The duplicate check's table grows many times over 3,000 names; a repeat of
// any of them, or of the empty name, is still found.
TEST(ModuleDecoder, DuplicateExportFoundAmongMany) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  auto exports = [](uint32_t n, std::vector<std::string> extra) {
    Bytes e;
    test::put_u32(e, n + static_cast<uint32_t>(extra.size()));
    auto add = [&](const std::string& name) {
      test::put_u32(e, static_cast<uint32_t>(name.size()));
      e.insert(e.end(), name.begin(), name.end());
      e.insert(e.end(), {0x00, 0x00});  // func 0
    };
    for (uint32_t i = 0; i < n; ++i) add("export_with_a_long_name_" + std::to_string(i));
    for (const std::string& x : extra) add(x);
    return section(7, e);
  };
  auto m = decode_ok(cat({header(), type, func, exports(3000, {"", "export_with_a_long_name_"}), code}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->exports.size(), 3002u);
  for (const char* dup : {"export_with_a_long_name_0", "export_with_a_long_name_1234", "export_with_a_long_name_2999"}) {
    EXPECT_EQ(decode_error(cat({header(), type, func, exports(3000, {dup}), code})).message(), "duplicate export name")
        << dup;
  }
  EXPECT_EQ(decode_error(cat({header(), type, func, exports(3000, {"", ""}), code})).message(), "duplicate export name");
}

TEST(ModuleDecoder, StartFunctionMustTakeAndReturnNothing) {
  Bytes type = section(1, {0x01, 0x60, 0x01, 0x7f, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  EXPECT_EQ(decode_error(cat({header(), type, func, section(8, {0x00}), code})).message(), "start function");
}

TEST(ModuleDecoder, MalformedLaterWinsOverInvalidEarlier) {
  // An unknown type index (invalid) in the function section, then a data
  // section with a bad segment kind (malformed): malformed is reported.
  Bytes func = section(3, {0x01, 0x07});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  Bytes data = section(11, {0x01, 0x05});
  Status s = decode_error(cat({header(), func, code, data}));
  EXPECT_EQ(s.kind(), ErrorKind::kMalformed);
}

TEST(ModuleDecoder, ReadsFunctionNamesFromTheNameSection) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x02, 0x00, 0x0b});
  Bytes names{0x04, 'n', 'a', 'm', 'e', 0x01, 0x06, 0x01, 0x00, 0x03, 'r', 'u', 'n'};
  auto m = decode_ok(cat({header(), type, func, code, section(0, names)}));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->func_display_name(0), "run");
  EXPECT_EQ(m->func_display_name(1), "func[1]");
}

// Names are kept as places in the module's bytes, sorted by index: out of
// order, repeated (the last one wins) or cut short by garbage (those read
// before it are kept).
TEST(ModuleDecoder, FunctionNamesInAnyOrder) {
  Bytes type = section(1, {0x01, 0x60, 0x00, 0x00});
  Bytes func = section(3, {0x03, 0x00, 0x00, 0x00});
  Bytes code = section(10, {0x03, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b});
  auto with_names = [&](const Bytes& map) {
    Bytes names{0x04, 'n', 'a', 'm', 'e', 0x01};
    test::put_u32(names, static_cast<uint32_t>(map.size()));
    names.insert(names.end(), map.begin(), map.end());
    return decode_ok(cat({header(), type, func, code, section(0, names)}));
  };
  auto m = with_names({0x04, 0x02, 0x01, 'c', 0x00, 0x01, 'a', 0x02, 0x02, 'c', 'c', 0x00, 0x02, 'a', 'a'});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->func_display_name(0), "aa");
  EXPECT_EQ(m->func_display_name(1), "func[1]");
  EXPECT_EQ(m->func_display_name(2), "cc");
  EXPECT_EQ(m->func_names.size(), 2u);
  m = with_names({0x03, 0x01, 0x01, 'b', 0x00, 0x01, 'a', 0x02, 0x05, 'c'});  // the third is cut short
  ASSERT_TRUE(m);
  EXPECT_EQ(m->func_display_name(0), "a");
  EXPECT_EQ(m->func_display_name(1), "b");
  EXPECT_EQ(m->func_display_name(2), "func[2]");
}

TEST(ModuleDecoder, IgnoresGarbageInsideTheNameSection) {
  Bytes names{0x04, 'n', 'a', 'm', 'e', 0x01, 0x7f, 0x01};
  EXPECT_TRUE(decode_ok(cat({header(), section(0, names)})));
}

}  // namespace
}  // namespace brisk::compiler
