// WASI's sandbox: every escape from a preopen fails with the right errno,
// with openat2 and with the fallback walk (BRISK_WASI_NO_OPENAT2, a second
// target); bad guest pointers give EFAULT; stdio capture; exit codes;
// wasi_unstable's layouts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "brisk/brisk.h"
#include "brisk/wasi.h"

namespace brisk {
namespace {

constexpr int32_t kSuccess = 0, kExist = 20, kFault = 21, kIsdir = 31, kLoop = 32, kNoent = 44, kNotdir = 54,
                  kNotempty = 55, kRofs = 69, kNotcapable = 76, kPerm = 63;

class SandboxTest : public testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/brisk-sandbox-XXXXXX";
    root_ = mkdtemp(tmpl);
    outside_ = root_ + "/outside";
    box_ = root_ + "/box";
    mkdir(outside_.c_str(), 0755);
    mkdir(box_.c_str(), 0755);
    write_file(outside_ + "/secret", "secret");
    write_file(box_ + "/file", "inside");
    mkdir((box_ + "/sub").c_str(), 0755);
    ASSERT_EQ(symlink((outside_ + "/secret").c_str(), (box_ + "/abs_link").c_str()), 0);
    ASSERT_EQ(symlink("../outside/secret", (box_ + "/rel_out").c_str()), 0);
    ASSERT_EQ(symlink("sub/../file", (box_ + "/rel_in").c_str()), 0);
    ASSERT_EQ(symlink("../../outside", (box_ + "/sub/up2").c_str()), 0);
    ASSERT_EQ(symlink("loop", (box_ + "/loop").c_str()), 0);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  static void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  void start(bool read_only = false, wasi::Stdio out = wasi::Stdio::buffer(), std::string wat = "sandbox") {
    wasi::WasiConfig cfg;
    cfg.args = {"sandbox"};
    cfg.preopens.push_back({box_, "/", read_only});
    cfg.stdout_ = std::move(out);
    cfg.stdin_ = wasi::Stdio::buffer("typed input");
    ctx_ = wasi::WasiCtx::create(cfg).value();
    Linker linker(engine_);
    ASSERT_TRUE(wasi::add_to_linker(linker, ctx_));
    auto m = Module::from_file(engine_, "tests/unit/wasi/" + wat + ".wasm");
    ASSERT_TRUE(m) << m.status().to_string();
    inst_ = linker.instantiate(store_, *m).value();
    mem_ = *inst_.get_memory(store_, "memory");
  }

  void put(uint32_t at, const std::string& s) { ASSERT_TRUE(mem_.write_string(store_, at, s)); }
  int32_t call(const char* f, std::initializer_list<Val> args) {
    auto r = inst_.get_func(store_, f)->call(store_, args);
    EXPECT_TRUE(r) << f << ": " << r.status().to_string();
    return r && !r->empty() ? (*r)[0].i32() : -1;
  }
  int32_t open(const std::string& path, bool follow = true, bool create = false) {
    put(1024, path);
    return call("open", {Val::i32(static_cast<int32_t>(path.size())), Val::i32(follow), Val::i32(create)});
  }
  int32_t op1(const char* f, const std::string& path) {
    put(1024, path);
    return call(f, {Val::i32(static_cast<int32_t>(path.size()))});
  }
  int32_t op2(const char* f, const std::string& a, const std::string& b, std::optional<int32_t> extra = {}) {
    put(1024, a);
    put(2048, b);
    if (extra) return call(f, {Val::i32(int32_t(a.size())), Val::i32(int32_t(b.size())), Val::i32(*extra)});
    return call(f, {Val::i32(static_cast<int32_t>(a.size())), Val::i32(static_cast<int32_t>(b.size()))});
  }
  bool exists(const std::string& p) {
    struct stat st;
    return lstat(p.c_str(), &st) == 0;
  }

  std::string root_, outside_, box_;
  Engine engine_;
  Store store_{engine_};
  std::shared_ptr<wasi::WasiCtx> ctx_;
  Instance inst_;
  Memory mem_;
};

TEST_F(SandboxTest, InsideWorks) {
  start();
  EXPECT_EQ(open("file"), kSuccess);
  EXPECT_EQ(open("sub/../file"), kSuccess);
  EXPECT_EQ(open("./sub/./../file"), kSuccess);
  EXPECT_EQ(open("rel_in"), kSuccess);
  EXPECT_EQ(open("."), kSuccess);
  EXPECT_EQ(open("missing"), kNoent);
  EXPECT_EQ(open("file/"), kNotdir);
}

TEST_F(SandboxTest, EscapesFail) {
  start();
  for (const char* p : {"..", "../outside/secret", "/etc/passwd", "/", "sub/../../outside/secret",
                        "sub/../..", "abs_link", "rel_out", "sub/up2/secret"}) {
    int32_t e = open(p);
    EXPECT_TRUE(e == kNotcapable || e == kPerm) << p << ": errno " << e;
  }
  EXPECT_EQ(open("loop"), kLoop);
  EXPECT_EQ(open("abs_link", /*follow=*/false), kLoop);  // the link itself, not followed
  // Creating through an escaping path creates nothing outside.
  int32_t e = open("../outside/created", true, true);
  EXPECT_TRUE(e == kNotcapable || e == kPerm) << e;
  EXPECT_FALSE(exists(outside_ + "/created"));
  e = open("rel_out_new", true, true);  // an ordinary create inside works
  EXPECT_EQ(e, kSuccess);
}

TEST_F(SandboxTest, NameOperationsStayInside) {
  start();
  EXPECT_EQ(op1("mkdir", "../outside/d"), kNotcapable);
  EXPECT_EQ(op1("mkdir", "sub/up2/d"), kNotcapable);
  EXPECT_FALSE(exists(outside_ + "/d"));
  EXPECT_EQ(op1("unlink", "../outside/secret"), kNotcapable);
  EXPECT_EQ(op1("unlink", "sub/up2/secret"), kNotcapable);
  EXPECT_TRUE(exists(outside_ + "/secret"));
  EXPECT_EQ(op1("rmdir", ".."), kNotcapable);
  EXPECT_EQ(op2("rename", "file", "../outside/moved"), kNotcapable);
  EXPECT_EQ(op2("rename", "../outside/secret", "stolen"), kNotcapable);
  EXPECT_FALSE(exists(box_ + "/stolen"));
  EXPECT_EQ(op2("symlink", "/etc/passwd", "evil"), kNotcapable);  // absolute targets refused
  EXPECT_EQ(op2("link", "abs_link", "hard", 1), kNotcapable);     // following a link out
  EXPECT_FALSE(exists(box_ + "/hard"));
  put(1024, "abs_link");
  EXPECT_EQ(call("stat", {Val::i32(8), Val::i32(1)}), kNotcapable);  // follow: out
  EXPECT_EQ(call("stat", {Val::i32(8), Val::i32(0)}), kSuccess);     // no follow: the link itself
  // Ordinary operations inside.
  EXPECT_EQ(op1("mkdir", "newdir"), kSuccess);
  EXPECT_EQ(op1("mkdir", "newdir"), kExist);
  EXPECT_EQ(op1("rmdir", "sub"), kNotempty);
  EXPECT_EQ(op2("rename", "file", "sub/file2"), kSuccess);
  EXPECT_TRUE(exists(box_ + "/sub/file2"));
  EXPECT_EQ(op1("readlink", "rel_in"), kSuccess);
  EXPECT_EQ(op1("unlink", "newdir"), kIsdir);
}

TEST_F(SandboxTest, ReadOnlyPreopen) {
  start(/*read_only=*/true);
  EXPECT_EQ(open("file"), kSuccess);  // reading is fine ...
  EXPECT_EQ(open("new", true, true), kRofs);  // ... writing is not
  EXPECT_EQ(op1("mkdir", "d"), kRofs);
  EXPECT_EQ(op1("unlink", "file"), kRofs);
  EXPECT_TRUE(exists(box_ + "/file"));
}

TEST_F(SandboxTest, BadPointersAreEfaultNeverAHostAccess) {
  start();
  EXPECT_EQ(call("open_at", {Val::i32(65530), Val::i32(100)}), kFault);
  EXPECT_EQ(call("open_at", {Val::i32(-1), Val::i32(4)}), kFault);
  EXPECT_EQ(call("write", {Val::i32(1), Val::i32(65000), Val::i32(1000)}), kFault);
  EXPECT_EQ(call("read", {Val::i32(0), Val::i32(65535), Val::i32(2)}), kFault);
  EXPECT_EQ(ctx_->captured_stdout(), "");
}

TEST_F(SandboxTest, StdioCaptureAndStdinBuffer) {
  start();
  put(300, "hello, host\n");
  EXPECT_EQ(call("write", {Val::i32(1), Val::i32(300), Val::i32(12)}), kSuccess);
  EXPECT_EQ(ctx_->captured_stdout(), "hello, host\n");
  EXPECT_EQ(call("read", {Val::i32(0), Val::i32(400), Val::i32(5)}), kSuccess);
  EXPECT_EQ(call("nread", {}), 5);
  EXPECT_EQ(mem_.read_string(store_, 400, 5).value(), "typed");
  EXPECT_EQ(call("write", {Val::i32(9), Val::i32(300), Val::i32(1)}), 8);  // EBADF
}

TEST_F(SandboxTest, ProcExitEndsTheRunWithItsCode) {
  start();
  auto r = inst_.typed_func<void(int32_t)>(store_, "exit")->call(store_, 7);
  ASSERT_FALSE(r);  // a trap ends the call ...
  EXPECT_EQ(ctx_->exit_code().value_or(-1), 7);  // ... and the context has the code
}

TEST_F(SandboxTest, WasiUnstableLayouts) {
  write_file(box_ + "/data.txt", "0123456789");
  start(false, wasi::Stdio::buffer(), "unstable");
  auto r = inst_.typed_func<int64_t()>(store_, "run")->call(store_);
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(*r, 3 * 1000000 + 10);  // seek SET(2) to 3; filestat size 10 at offset 24
}

}  // namespace
}  // namespace brisk
