// WASI preview1 ABI constants and guest-memory layouts (witx names), and
// where `wasi_unstable` differs.
#ifndef BRISK_WASI_WASI_ABI_H_
#define BRISK_WASI_WASI_ABI_H_

#include <cstdint>

namespace brisk::wasi::abi {

enum Errno : uint16_t {
  kSuccess = 0, k2big = 1, kAcces = 2, kAddrinuse = 3, kAddrnotavail = 4, kAfnosupport = 5, kAgain = 6,
  kAlready = 7, kBadf = 8, kBadmsg = 9, kBusy = 10, kCanceled = 11, kChild = 12, kConnaborted = 13,
  kConnrefused = 14, kConnreset = 15, kDeadlk = 16, kDestaddrreq = 17, kDom = 18, kDquot = 19, kExist = 20,
  kFault = 21, kFbig = 22, kHostunreach = 23, kIdrm = 24, kIlseq = 25, kInprogress = 26, kIntr = 27,
  kInval = 28, kIo = 29, kIsconn = 30, kIsdir = 31, kLoop = 32, kMfile = 33, kMlink = 34, kMsgsize = 35,
  kMultihop = 36, kNametoolong = 37, kNetdown = 38, kNetreset = 39, kNetunreach = 40, kNfile = 41,
  kNobufs = 42, kNodev = 43, kNoent = 44, kNoexec = 45, kNolck = 46, kNolink = 47, kNomem = 48, kNomsg = 49,
  kNoprotoopt = 50, kNospc = 51, kNosys = 52, kNotconn = 53, kNotdir = 54, kNotempty = 55,
  kNotrecoverable = 56, kNotsock = 57, kNotsup = 58, kNotty = 59, kNxio = 60, kOverflow = 61,
  kOwnerdead = 62, kPerm = 63, kPipe = 64, kProto = 65, kProtonosupport = 66, kPrototype = 67, kRange = 68,
  kRofs = 69, kSpipe = 70, kSrch = 71, kStale = 72, kTimedout = 73, kTxtbsy = 74, kXdev = 75,
  kNotcapable = 76,
};

enum Filetype : uint8_t {
  kUnknown = 0, kBlockDevice = 1, kCharacterDevice = 2, kDirectory = 3, kRegularFile = 4,
  kSocketDgram = 5, kSocketStream = 6, kSymbolicLink = 7,
};

// fdflags
constexpr uint16_t kFdflagAppend = 1, kFdflagDsync = 2, kFdflagNonblock = 4, kFdflagRsync = 8, kFdflagSync = 16;
// oflags
constexpr uint16_t kOflagCreat = 1, kOflagDirectory = 2, kOflagExcl = 4, kOflagTrunc = 8;
// lookupflags
constexpr uint32_t kLookupSymlinkFollow = 1;
// fstflags
constexpr uint16_t kFstAtim = 1, kFstAtimNow = 2, kFstMtim = 4, kFstMtimNow = 8;

// rights
constexpr uint64_t kRightFdDatasync = 1ull << 0, kRightFdRead = 1ull << 1, kRightFdSeek = 1ull << 2,
                   kRightFdFdstatSetFlags = 1ull << 3, kRightFdSync = 1ull << 4, kRightFdTell = 1ull << 5,
                   kRightFdWrite = 1ull << 6, kRightFdAdvise = 1ull << 7, kRightFdAllocate = 1ull << 8,
                   kRightPathCreateDirectory = 1ull << 9, kRightPathCreateFile = 1ull << 10,
                   kRightPathLinkSource = 1ull << 11, kRightPathLinkTarget = 1ull << 12,
                   kRightPathOpen = 1ull << 13, kRightFdReaddir = 1ull << 14, kRightPathReadlink = 1ull << 15,
                   kRightPathRenameSource = 1ull << 16, kRightPathRenameTarget = 1ull << 17,
                   kRightPathFilestatGet = 1ull << 18, kRightPathFilestatSetSize = 1ull << 19,
                   kRightPathFilestatSetTimes = 1ull << 20, kRightFdFilestatGet = 1ull << 21,
                   kRightFdFilestatSetSize = 1ull << 22, kRightFdFilestatSetTimes = 1ull << 23,
                   kRightPathSymlink = 1ull << 24, kRightPathRemoveDirectory = 1ull << 25,
                   kRightPathUnlinkFile = 1ull << 26, kRightPollFdReadwrite = 1ull << 27,
                   kRightSockShutdown = 1ull << 28, kRightSockAccept = 1ull << 29;
constexpr uint64_t kRightsAll = (1ull << 30) - 1;
constexpr uint64_t kRightsFile = kRightFdDatasync | kRightFdRead | kRightFdSeek | kRightFdFdstatSetFlags |
                                 kRightFdSync | kRightFdTell | kRightFdWrite | kRightFdAdvise | kRightFdAllocate |
                                 kRightFdFilestatGet | kRightFdFilestatSetSize | kRightFdFilestatSetTimes |
                                 kRightPollFdReadwrite;
constexpr uint64_t kRightsDir = kRightFdFdstatSetFlags | kRightFdSync | kRightPathCreateDirectory |
                                kRightPathCreateFile | kRightPathLinkSource | kRightPathLinkTarget |
                                kRightPathOpen | kRightFdReaddir | kRightPathReadlink | kRightPathRenameSource |
                                kRightPathRenameTarget | kRightPathFilestatGet | kRightPathFilestatSetSize |
                                kRightPathFilestatSetTimes | kRightFdFilestatGet | kRightFdFilestatSetTimes |
                                kRightPathSymlink | kRightPathRemoveDirectory | kRightPathUnlinkFile;
constexpr uint64_t kRightsWriteOnly = kRightFdWrite | kRightFdDatasync | kRightFdSync | kRightFdAllocate |
                                      kRightFdFilestatSetSize | kRightPathFilestatSetSize;

enum Clock : uint32_t { kRealtime = 0, kMonotonic = 1, kProcessCputime = 2, kThreadCputime = 3 };
enum Whence : uint8_t { kWhenceSet = 0, kWhenceCur = 1, kWhenceEnd = 2 };
// wasi_unstable numbered them differently.
enum UnstableWhence : uint8_t { kUnstableCur = 0, kUnstableEnd = 1, kUnstableSet = 2 };
enum Eventtype : uint8_t { kEventClock = 0, kEventFdRead = 1, kEventFdWrite = 2 };
constexpr uint16_t kSubclockAbstime = 1;
constexpr uint16_t kEventFdReadwriteHangup = 1;

// Layouts (sizes and offsets in guest memory).
constexpr uint32_t kFdstatSize = 24;     // filetype u8 @0, flags u16 @2, rights_base u64 @8, inheriting u64 @16
constexpr uint32_t kFilestatSize = 64;   // dev @0 ino @8 filetype u8 @16 nlink u64 @24 size @32 atim @40 mtim @48 ctim @56
constexpr uint32_t kUnstableFilestatSize = 56;  // ... nlink u32 @20 size @24 atim @32 mtim @40 ctim @48
constexpr uint32_t kDirentSize = 24;     // next u64 @0, ino u64 @8, namlen u32 @16, type u8 @20
constexpr uint32_t kPrestatSize = 8;     // tag u8 @0 (0: dir), name_len u32 @4
constexpr uint32_t kSubscriptionSize = 48;  // userdata @0, tag u8 @8, union @16
constexpr uint32_t kUnstableSubscriptionSize = 56;  // the clock has an extra u64 identifier
constexpr uint32_t kEventSize = 32;      // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24

}  // namespace brisk::wasi::abi

#endif  // BRISK_WASI_WASI_ABI_H_
