// The interpreter loop.
//
// One function holds every handler; dispatch is direct threading with
// computed goto (`goto *pc->h`, supported by g++ and clang): each handler
// ends with its own indirect jump, which the CPU predicts per handler.
//
// Register mapping (the hot state lives in locals so the compiler keeps it in
// callee-saved registers across the whole loop):
//   pc        current instruction (Word*)
//   fp        current frame's slot 0
//   inst      current instance (changes only on cross-instance call/return)
//   mem       memory 0's base; never moves (memory.h), so it is reloaded
//             only when `inst` changes
//   mem_size  memory 0's size in bytes as last seen. Memories only grow, so
//             a stale value is too small, never too large: a failing bounds
//             check re-reads the real size before trapping (MEM_CHECK). So
//             growth by a callee, a host function or another thread needs no
//             reload on the fast path.
//   rs        top of the return-record stack (Thread::frames_top_ is synced
//             from it only when leaving the loop or calling the host)
//
// Traps are values: a handler sets `trap` and jumps to do_trap, which
// records the backtrace and unwinds to the invocation's bottom frame.
#include <algorithm>
#include <cstring>
#ifdef WGI_OP_PROFILE
#include <cstdio>
#include <unordered_map>
#include <vector>
#endif

#include <atomic>

#include "interp/code.h"
#include "interp/numeric.h"
#include "interp/runtime.h"
#include "interp/simd.h"
#include "interp/thread.h"
#include "threads/parking_lot.h"
#include "trace/recorder.h"

namespace wgi::interp {

namespace {

// Normalises a numeric operator's result: plain value or TrapOr.
template <class T>
inline TrapOr<T> as_trap_or(TrapOr<T> r) { return r; }
template <class T>
inline TrapOr<T> as_trap_or(T v) { return {v, TrapKind::None}; }

// An immediate operand (a whole code word) as a value of type T: integers
// are truncated, floats are their bit patterns.
template <class T>
inline T imm_as(uint64_t w) {
  if constexpr (std::is_same_v<T, float>) return std::bit_cast<float>(static_cast<uint32_t>(w));
  else if constexpr (std::is_same_v<T, double>) return std::bit_cast<double>(w);
  else return static_cast<T>(w);
}

// The operand type of a binary comparison, from its num:: function.
template <class R, class A>
A operand_type_of(R (*)(A, A));

// In-memory type of each plain load/store: the loaded value is converted to
// the result type with static_cast, so a signed memory type sign-extends.
template <Op op> struct MemT;
#define WGI_MEMT(Name, T) template <> struct MemT<Op::Name> { using type = T; };
WGI_MEMT(I32Load, uint32_t) WGI_MEMT(I64Load, uint64_t) WGI_MEMT(F32Load, float)
WGI_MEMT(F64Load, double) WGI_MEMT(I32Load8S, int8_t) WGI_MEMT(I32Load8U, uint8_t)
WGI_MEMT(I32Load16S, int16_t) WGI_MEMT(I32Load16U, uint16_t) WGI_MEMT(I64Load8S, int8_t)
WGI_MEMT(I64Load8U, uint8_t) WGI_MEMT(I64Load16S, int16_t) WGI_MEMT(I64Load16U, uint16_t)
WGI_MEMT(I64Load32S, int32_t) WGI_MEMT(I64Load32U, uint32_t) WGI_MEMT(I32Store, uint32_t)
WGI_MEMT(I64Store, uint64_t) WGI_MEMT(F32Store, float) WGI_MEMT(F64Store, double)
WGI_MEMT(I32Store8, uint8_t) WGI_MEMT(I32Store16, uint16_t) WGI_MEMT(I64Store8, uint8_t)
WGI_MEMT(I64Store16, uint16_t) WGI_MEMT(I64Store32, uint32_t)
#undef WGI_MEMT

// ---- shared memories ---------------------------------------------------------
// Wasm code on other threads may race with any plain access to a shared
// memory. In C++ that would be undefined behaviour with plain loads/stores
// or memcpy, so plain accesses to shared memory go through relaxed atomics:
// whole-width when the address is naturally aligned (an ordinary mov on
// x86-64), byte by byte otherwise (Wasm allows unaligned plain accesses).
// The same bytes may thus tear under a race, which Wasm permits; nothing is
// undefined. Unshared memories keep the memcpy fast path.
template <size_t N> struct UIntOf;
template <> struct UIntOf<1> { using type = uint8_t; };
template <> struct UIntOf<2> { using type = uint16_t; };
template <> struct UIntOf<4> { using type = uint32_t; };
template <> struct UIntOf<8> { using type = uint64_t; };

template <class M>
inline M shared_load(uint8_t* p) {
  using U = typename UIntOf<sizeof(M)>::type;
  U u;
  if ((reinterpret_cast<uintptr_t>(p) & (sizeof(U) - 1)) == 0) {
    u = std::atomic_ref<U>(*reinterpret_cast<U*>(p)).load(std::memory_order_relaxed);
  } else {
    uint8_t b[sizeof(U)];
    for (size_t i = 0; i < sizeof(U); ++i)
      b[i] = std::atomic_ref<uint8_t>(p[i]).load(std::memory_order_relaxed);
    std::memcpy(&u, b, sizeof(U));
  }
  return std::bit_cast<M>(u);
}

template <class M>
inline void shared_store(uint8_t* p, M v) {
  using U = typename UIntOf<sizeof(M)>::type;
  const U u = std::bit_cast<U>(v);
  if ((reinterpret_cast<uintptr_t>(p) & (sizeof(U) - 1)) == 0) {
    std::atomic_ref<U>(*reinterpret_cast<U*>(p)).store(u, std::memory_order_relaxed);
  } else {
    uint8_t b[sizeof(U)];
    std::memcpy(b, &u, sizeof(U));
    for (size_t i = 0; i < sizeof(U); ++i)
      std::atomic_ref<uint8_t>(p[i]).store(b[i], std::memory_order_relaxed);
  }
}

// memory.copy / memory.fill on a shared memory: relaxed atomic bytes, with
// memmove's direction rule for overlapping ranges.
void shared_move(uint8_t* dst, uint8_t* src, uint64_t n) {
  if (dst == src || n == 0) return;
  if (dst < src) {
    for (uint64_t i = 0; i < n; ++i)
      std::atomic_ref<uint8_t>(dst[i]).store(std::atomic_ref<uint8_t>(src[i]).load(std::memory_order_relaxed),
                                             std::memory_order_relaxed);
  } else {
    for (uint64_t i = n; i-- > 0;)
      std::atomic_ref<uint8_t>(dst[i]).store(std::atomic_ref<uint8_t>(src[i]).load(std::memory_order_relaxed),
                                             std::memory_order_relaxed);
  }
}
void shared_fill(uint8_t* dst, uint8_t v, uint64_t n) {
  for (uint64_t i = 0; i < n; ++i) std::atomic_ref<uint8_t>(dst[i]).store(v, std::memory_order_relaxed);
}

// ---- SIMD --------------------------------------------------------------------
using simd::V128;

// Slot access for SIMD handlers: V128 occupies two slots (low half first),
// scalars go through value.h's get/put.
template <class T>
inline T vget(const Slot* s) {
  if constexpr (std::is_same_v<T, V128>) return V128{s[0], s[1]};
  else return get<T>(s);
}
template <class T>
inline void vput(Slot* s, T v) {
  if constexpr (std::is_same_v<T, V128>) {
    s[0] = v.lo;
    s[1] = v.hi;
  } else {
    put<T>(s, v);
  }
}

// v128.load and v128.store move 16 bytes with no transform; every other
// SIMD load row has a transform in simd.h named after the row. Naming these
// two here lets the handlers call simd_ops::Name for every row.
namespace simd_ops {
using namespace simd;
inline V128 V128Load(V128 raw) { return raw; }
}  // namespace simd_ops

// Reads / writes `N` bytes of linear memory for a SIMD access, as a V128
// (N == 16) or an unsigned integer; race-free on shared memories.
template <size_t N, bool kShared>
inline auto vmem_read(uint8_t* p) {
  if constexpr (N == 16) {
    if constexpr (kShared) return V128{shared_load<uint64_t>(p), shared_load<uint64_t>(p + 8)};
    else {
      V128 v;
      std::memcpy(&v.lo, p, 8);
      std::memcpy(&v.hi, p + 8, 8);
      return v;
    }
  } else {
    using U = typename UIntOf<N>::type;
    if constexpr (kShared) return shared_load<U>(p);
    else {
      U u;
      std::memcpy(&u, p, N);
      return u;
    }
  }
}
template <bool kShared, class T>
inline void vmem_write(uint8_t* p, T v) {
  if constexpr (std::is_same_v<T, V128>) {
    if constexpr (kShared) {
      shared_store<uint64_t>(p, v.lo);
      shared_store<uint64_t>(p + 8, v.hi);
    } else {
      std::memcpy(p, &v.lo, 8);
      std::memcpy(p + 8, &v.hi, 8);
    }
  } else {
    if constexpr (kShared) shared_store<T>(p, v);
    else std::memcpy(p, &v, sizeof(T));
  }
}

// ---- threads-proposal instructions ---------------------------------------------
enum class AKind : uint8_t { Load, Store, Add, Sub, And, Or, Xor, Xchg, Cmpxchg, Notify, Wait, Fence };
template <Op op> struct ASem;
#define WGI_ASEM(Name, M, V, K)                     \
  template <> struct ASem<Op::Name> {              \
    using Mem = M;                                 \
    using Val = V;                                 \
    static constexpr AKind kind = AKind::K;        \
  };
WGI_ASEM(MemoryAtomicNotify, uint32_t, uint32_t, Notify)
WGI_ASEM(MemoryAtomicWait32, uint32_t, uint32_t, Wait)
WGI_ASEM(MemoryAtomicWait64, uint64_t, uint64_t, Wait)
WGI_ASEM(AtomicFence, uint8_t, uint32_t, Fence)
WGI_ASEM(I32AtomicLoad, uint32_t, uint32_t, Load)
WGI_ASEM(I64AtomicLoad, uint64_t, uint64_t, Load)
WGI_ASEM(I32AtomicLoad8U, uint8_t, uint32_t, Load)
WGI_ASEM(I32AtomicLoad16U, uint16_t, uint32_t, Load)
WGI_ASEM(I64AtomicLoad8U, uint8_t, uint64_t, Load)
WGI_ASEM(I64AtomicLoad16U, uint16_t, uint64_t, Load)
WGI_ASEM(I64AtomicLoad32U, uint32_t, uint64_t, Load)
WGI_ASEM(I32AtomicStore, uint32_t, uint32_t, Store)
WGI_ASEM(I64AtomicStore, uint64_t, uint64_t, Store)
WGI_ASEM(I32AtomicStore8, uint8_t, uint32_t, Store)
WGI_ASEM(I32AtomicStore16, uint16_t, uint32_t, Store)
WGI_ASEM(I64AtomicStore8, uint8_t, uint64_t, Store)
WGI_ASEM(I64AtomicStore16, uint16_t, uint64_t, Store)
WGI_ASEM(I64AtomicStore32, uint32_t, uint64_t, Store)
#define WGI_ASEM_RMW(Op, K)                                   \
  WGI_ASEM(I32AtomicRmw##Op, uint32_t, uint32_t, K)           \
  WGI_ASEM(I64AtomicRmw##Op, uint64_t, uint64_t, K)           \
  WGI_ASEM(I32AtomicRmw8##Op##U, uint8_t, uint32_t, K)        \
  WGI_ASEM(I32AtomicRmw16##Op##U, uint16_t, uint32_t, K)      \
  WGI_ASEM(I64AtomicRmw8##Op##U, uint8_t, uint64_t, K)        \
  WGI_ASEM(I64AtomicRmw16##Op##U, uint16_t, uint64_t, K)      \
  WGI_ASEM(I64AtomicRmw32##Op##U, uint32_t, uint64_t, K)
WGI_ASEM_RMW(Add, Add)
WGI_ASEM_RMW(Sub, Sub)
WGI_ASEM_RMW(And, And)
WGI_ASEM_RMW(Or, Or)
WGI_ASEM_RMW(Xor, Xor)
WGI_ASEM_RMW(Xchg, Xchg)
WGI_ASEM_RMW(Cmpxchg, Cmpxchg)
#undef WGI_ASEM_RMW
#undef WGI_ASEM

template <AKind K, class M>
inline M atomic_rmw(std::atomic_ref<M>& ref, M v) {
  if constexpr (K == AKind::Add) return ref.fetch_add(v);
  else if constexpr (K == AKind::Sub) return ref.fetch_sub(v);
  else if constexpr (K == AKind::And) return ref.fetch_and(v);
  else if constexpr (K == AKind::Or) return ref.fetch_or(v);
  else if constexpr (K == AKind::Xor) return ref.fetch_xor(v);
  else return ref.exchange(v);
}

// wait32/wait64 through the parking lot. A template, so that only the
// widths the handlers really use are instantiated (the handler bodies are
// stamped for every atomic op, with `if constexpr` outside a template).
template <class M>
inline threads::WaitResult atomic_wait(uint8_t* p, uint64_t expected, int64_t timeout_ns,
                                       const std::atomic<bool>* interrupt) {
  if constexpr (sizeof(M) == 4 || sizeof(M) == 8) {
    return threads::parking_lot().wait_on(reinterpret_cast<M*>(p), static_cast<M>(expected),
                                          timeout_ns, interrupt);
  } else {
    return threads::WaitResult::NotEqual;  // unreachable: no narrow waits exist
  }
}

const void* const* g_handlers = nullptr;

#ifdef WGI_OP_PROFILE
// Pair counts of executed instructions, printed at exit (sorted).
struct OpProfile {
  std::unordered_map<const void*, unsigned> index;
  std::vector<uint64_t> pairs = std::vector<uint64_t>(size_t(kIOpCount) * kIOpCount);
  std::vector<uint64_t> singles = std::vector<uint64_t>(kIOpCount);
  unsigned prev = 0;
  ~OpProfile() {
    std::vector<std::pair<uint64_t, unsigned>> v;
    for (unsigned i = 0; i < pairs.size(); ++i)
      if (pairs[i]) v.push_back({pairs[i], i});
    std::sort(v.rbegin(), v.rend());
    uint64_t total = 0;
    for (uint64_t c : singles) total += c;
    std::fprintf(stderr, "op profile: %llu instructions\n", (unsigned long long)total);
    std::vector<std::pair<uint64_t, unsigned>> s1;
    for (unsigned i = 0; i < singles.size(); ++i)
      if (singles[i]) s1.push_back({singles[i], i});
    std::sort(s1.rbegin(), s1.rend());
    for (size_t i = 0; i < s1.size() && i < 25; ++i)
      std::fprintf(stderr, "  %5.2f%%  %s\n", 100.0 * s1[i].first / total, iop_name(IOp(s1[i].second)));
    for (size_t i = 0; i < v.size() && i < 40; ++i)
      std::fprintf(stderr, "  %5.2f%%  %s -> %s\n", 100.0 * v[i].first / total,
                   iop_name(IOp(v[i].second / kIOpCount)), iop_name(IOp(v[i].second % kIOpCount)));
  }
};
OpProfile g_profile;
void op_profile_hit(const void* h) {
  if (g_profile.index.empty())
    for (unsigned i = 0; i < kIOpCount; ++i) g_profile.index[g_handlers[i]] = i;
  const unsigned cur = g_profile.index[h];
  ++g_profile.singles[cur];
  ++g_profile.pairs[size_t(g_profile.prev) * kIOpCount + cur];
  g_profile.prev = cur;
}
#endif

// The code the bottom return record of every invocation points at.
Word g_halt_code[1];

}  // namespace

const Word* halt_code() { return g_halt_code; }

TrapKind execute(Thread* t, const Word* pc, Slot* fp, Instance* inst) {
  static const void* const kTable[] = {
#define WGI_IOP(Name, text) &&L_##Name,
#include "interp/iops.def"
#define WGI_CMP(Name, Neg, Swap) \
  &&L_BrIf_##Name##_SS, &&L_BrIf_##Name##_SI, &&L_BrIf_##Name##_SS_Loop, &&L_BrIf_##Name##_SI_Loop,
#include "interp/iops.def"
#define WGI_GEN_UNARY(Name, TA, TR) &&L_##Name##_S,
#define WGI_GEN_BINARY(Name, TA, TR) &&L_##Name##_SS,
#define WGI_GEN_BINARY_IMM(Name, TA, TR) &&L_##Name##_SI,
#define WGI_GEN_LOAD(Name, TR, bytes) &&L_##Name##_M, &&L_##Name##_MI, &&L_##Name##_MR, \
  &&L_##Name##_MS, &&L_##Name##_MIS, &&L_##Name##_MRS, &&L_##Name##_MT, &&L_##Name##_MST,
#define WGI_GEN_STORE(Name, TV, bytes) WGI_GEN_LOAD(Name, TV, bytes)
#define WGI_GEN_ATOMIC(Name, sig, bytes) &&L_##Name##_A, &&L_##Name##_AT,
#define WGI_GEN_VUNARY(Name, TA, TR) &&L_##Name##_V,
#define WGI_GEN_VBINARY(Name, TA, TB) &&L_##Name##_V,
#define WGI_GEN_VTERNARY(Name) &&L_##Name##_V,
#define WGI_GEN_VEXTRACT(Name, T) &&L_##Name##_V,
#define WGI_GEN_VREPLACE(Name, T) &&L_##Name##_V,
#define WGI_GEN_VSHUFFLE(Name) &&L_##Name##_V,
#define WGI_V_MEM_LABELS(Name) &&L_##Name##_M, &&L_##Name##_MS, &&L_##Name##_MT, &&L_##Name##_MST,
#define WGI_GEN_VLOAD(Name, bytes) WGI_V_MEM_LABELS(Name)
#define WGI_GEN_VSTORE(Name, bytes) WGI_V_MEM_LABELS(Name)
#define WGI_GEN_VLOADLANE(Name, bytes) WGI_V_MEM_LABELS(Name)
#define WGI_GEN_VSTORELANE(Name, bytes) WGI_V_MEM_LABELS(Name)
#include "interp/gen_ops.h"
#undef WGI_V_MEM_LABELS
  };
  static_assert(sizeof(kTable) / sizeof(kTable[0]) == kIOpCount,
                "handler table out of step with the IOp enum");
  if (t == nullptr) {
    g_handlers = kTable;
    g_halt_code[0].h = kTable[static_cast<unsigned>(IOp::Halt)];
    return TrapKind::None;
  }

  uint8_t* mem = inst->mem_base;
  uint64_t mem_size = inst->memory ? inst->memory->size() : 0;
  Frame* rs = t->frames_top_;
  Frame* const bottom = rs;
  TrapKind trap = TrapKind::None;

// ---- operand access (layout in code.h) ----
#define A(k) (reinterpret_cast<const int32_t*>(pc + 1)[k])
#define AU(k) (reinterpret_cast<const uint32_t*>(pc + 1)[k])
#define S(k) (fp + A(k))
#ifdef WGI_OP_PROFILE
  // Developer aid (not built by default): counts executed instruction pairs.
#define DISPATCH()                                    \
  do {                                                \
    op_profile_hit(pc->h);                            \
    goto* const_cast<void*>(pc->h);                   \
  } while (0)
#else
#define DISPATCH() goto* const_cast<void*>(pc->h)
#endif
#define NEXT(n) \
  do {          \
    pc += (n);  \
    DISPATCH(); \
  } while (0)
#define TRAP(kind)   \
  do {               \
    trap = (kind);   \
    goto do_trap;    \
  } while (0)
#define CHECK_INTERRUPT()                                                 \
  do {                                                                    \
    if (t->interrupt_.load(std::memory_order_relaxed)) [[unlikely]]       \
      TRAP(TrapKind::Interrupted);                                        \
  } while (0)
// Bounds check of [ea, ea + n) with n <= 2^32, in 64-bit arithmetic so
// addr + offset + size cannot wrap. On failure, refresh the cached size
// (the memory may have grown since we looked) before trapping.
#define MEM_CHECK(ea, n)                                                  \
  do {                                                                    \
    if ((ea) + (n) > mem_size) [[unlikely]] {                             \
      mem_size = inst->memory ? inst->memory->size() : 0;                 \
      if ((ea) + (n) > mem_size) TRAP(TrapKind::OutOfBoundsMemoryAccess); \
    }                                                                     \
  } while (0)
// After `inst` changed (cross-instance call or return).
#define RELOAD_MEMORY()                                    \
  do {                                                     \
    mem = inst->mem_base;                                  \
    mem_size = inst->memory ? inst->memory->size() : 0;    \
  } while (0)

  DISPATCH();

  // ======================= control =======================
L_Halt:
  t->frames_top_ = rs;
  return TrapKind::None;

L_Unreachable:
  TRAP(TrapKind::Unreachable);

L_Br:
  pc += A(0);
  DISPATCH();
L_BrLoop:
  CHECK_INTERRUPT();
  pc += A(0);
  DISPATCH();
L_BrIfNez:
  if (get<uint32_t>(S(0)) != 0) {
    pc += A(1);
    DISPATCH();
  }
  NEXT(2);
L_BrIfEqz:
  if (get<uint32_t>(S(0)) == 0) {
    pc += A(1);
    DISPATCH();
  }
  NEXT(2);
L_BrIfNezLoop:
  if (get<uint32_t>(S(0)) != 0) {
    CHECK_INTERRUPT();
    pc += A(1);
    DISPATCH();
  }
  NEXT(2);
L_BrIfEqzLoop:
  if (get<uint32_t>(S(0)) == 0) {
    CHECK_INTERRUPT();
    pc += A(1);
    DISPATCH();
  }
  NEXT(2);
L_BrTable: {
  uint32_t i = get<uint32_t>(S(0));
  const uint32_t n = AU(1);
  if (i > n) i = n;
  // A br_table may be a loop's back-edge; it is rare enough to always check.
  CHECK_INTERRUPT();
  pc += A(2 + i);
  DISPATCH();
}

  // ---- fused compare-and-branch ----
#define WGI_CMP(Name, Neg, Swap)                                                      \
  L_BrIf_##Name##_SS : {                                                              \
    using T = decltype(operand_type_of(&num::Name));                                  \
    if (num::Name(get<T>(S(0)), get<T>(S(1)))) {                                      \
      pc += A(2);                                                                     \
      DISPATCH();                                                                     \
    }                                                                                 \
    NEXT(3);                                                                          \
  }                                                                                   \
  L_BrIf_##Name##_SI : {                                                              \
    using T = decltype(operand_type_of(&num::Name));                                  \
    if (num::Name(get<T>(S(0)), static_cast<T>(pc[2].u64))) {                         \
      pc += A(1);                                                                     \
      DISPATCH();                                                                     \
    }                                                                                 \
    NEXT(3);                                                                          \
  }                                                                                   \
  L_BrIf_##Name##_SS_Loop : {                                                         \
    using T = decltype(operand_type_of(&num::Name));                                  \
    if (num::Name(get<T>(S(0)), get<T>(S(1)))) {                                      \
      CHECK_INTERRUPT();                                                              \
      pc += A(2);                                                                     \
      DISPATCH();                                                                     \
    }                                                                                 \
    NEXT(3);                                                                          \
  }                                                                                   \
  L_BrIf_##Name##_SI_Loop : {                                                         \
    using T = decltype(operand_type_of(&num::Name));                                  \
    if (num::Name(get<T>(S(0)), static_cast<T>(pc[2].u64))) {                         \
      CHECK_INTERRUPT();                                                              \
      pc += A(1);                                                                     \
      DISPATCH();                                                                     \
    }                                                                                 \
    NEXT(3);                                                                          \
  }
#include "interp/iops.def"

  // ---- calls ----
  {
    const FuncInst* callee;
    Slot* nfp;
    const Word* ret_pc;

L_Call: {
  const auto* cf = static_cast<const CompiledFunc*>(pc[1].ptr);
  nfp = fp + pc[2].i32[0];
  if (nfp + cf->frame_slots > t->stack_limit_ || rs == t->frames_limit_) [[unlikely]]
    TRAP(TrapKind::CallStackExhausted);
  rs->pc = pc + 3;
  rs->fp = fp;
  rs->inst = inst;
  ++rs;
  for (uint32_t i = cf->param_slots; i < cf->local_slots; ++i) nfp[i] = 0;
  fp = nfp;
  pc = cf->entry;
  DISPATCH();
}

L_CallImport:
  callee = inst->funcs[AU(0)];
  nfp = fp + A(1);
  ret_pc = pc + 2;
  goto call_func;

  // Traced calls tell the host function where it was called from (its
  // events, e.g. a lock hook's, are located at the call).
L_CallImportT:
  t->trace_->call_site = AU(2);
  callee = inst->funcs[AU(0)];
  nfp = fp + A(1);
  ret_pc = pc + 3;
  goto call_func;

L_CallIndirectT:
  t->trace_->call_site = AU(4);
  ret_pc = pc + 4;
  goto call_indirect;

L_CallIndirect:
  ret_pc = pc + 3;
call_indirect: {
  TableInst* tab = inst->tables[AU(1)];
  const uint32_t i = get<uint32_t>(S(2));
  if (i >= tab->elems.size()) TRAP(TrapKind::UndefinedElement);
  callee = reinterpret_cast<const FuncInst*>(tab->elems[i]);
  if (callee == nullptr) TRAP(TrapKind::UninitializedElement);
  if (callee->type_id != AU(0)) TRAP(TrapKind::IndirectCallTypeMismatch);
  nfp = fp + A(3);
  goto call_func;
}

  // Calls through a FuncInst: host, same instance or another instance.
call_func:
  if (rs == t->frames_limit_) [[unlikely]]
    TRAP(TrapKind::CallStackExhausted);
  if (callee->is_host()) {
    // The record makes the caller visible to backtraces and keeps nested
    // invocations (a host function calling back into Wasm) above us.
    rs->pc = ret_pc;
    rs->fp = fp;
    rs->inst = inst;
    ++rs;
    t->frames_top_ = rs;
    Slot* const saved_top = t->stack_top_;
    const FuncType& ft = *callee->type;
    uint32_t ps = 0, rsz = 0;
    for (ValType v : ft.params) ps += slot_count(v);
    for (ValType v : ft.results) rsz += slot_count(v);
    t->stack_top_ = nfp + std::max(ps, rsz);
    // A host function may run (and trap) nested invocations that it then
    // handles itself: only a trap it returns belongs in our backtrace.
    const size_t saved_backtrace = t->backtrace_.size();
    const TrapKind k = callee->host(*t, nfp);
    t->stack_top_ = saved_top;
    --rs;
    t->frames_top_ = rs;
    if (k != TrapKind::None) [[unlikely]] {
      t->backtrace_.push_back(BacktraceFrame{nullptr, 0, 0, callee->host_name});
      trap = k;
      goto do_trap;
    }
    t->backtrace_.resize(saved_backtrace);
    pc = ret_pc;
    DISPATCH();
  } else {
    const CompiledFunc* cf = callee->code;
    if (nfp + cf->frame_slots > t->stack_limit_) [[unlikely]]
      TRAP(TrapKind::CallStackExhausted);
    rs->pc = ret_pc;
    rs->fp = fp;
    rs->inst = inst;
    ++rs;
    for (uint32_t i = cf->param_slots; i < cf->local_slots; ++i) nfp[i] = 0;
    fp = nfp;
    pc = cf->entry;
    if (callee->instance != inst) {
      inst = callee->instance;
      RELOAD_MEMORY();
    }
    DISPATCH();
  }
  }

L_Ret1:
  fp[0] = *S(0);
L_Ret0:
  --rs;
  pc = rs->pc;
  fp = rs->fp;
  if (rs->inst != inst) [[unlikely]] {
    inst = rs->inst;
    if (inst != nullptr) RELOAD_MEMORY();  // null only for the Halt record
  }
  DISPATCH();

  // ======================= data movement =======================
L_Copy:
  *S(0) = *S(1);
  NEXT(2);
L_Copy2:
  S(0)[0] = S(1)[0];
  S(0)[1] = S(1)[1];
  NEXT(2);
L_Const32:
  *S(0) = AU(1);
  NEXT(2);
L_Const64:
  *S(0) = pc[2].u64;
  NEXT(3);
L_Const128:
  S(0)[0] = pc[2].u64;
  S(0)[1] = pc[3].u64;
  NEXT(4);
L_Select:
  *S(0) = get<uint32_t>(S(3)) ? *S(1) : *S(2);
  NEXT(3);
L_Select2: {
  const Slot* src = get<uint32_t>(S(3)) ? S(1) : S(2);
  Slot lo = src[0], hi = src[1];
  S(0)[0] = lo;
  S(0)[1] = hi;
  NEXT(3);
}
L_GlobalGet:
  *S(0) = inst->globals[AU(1)]->value[0];
  NEXT(2);
L_GlobalSet:
  inst->globals[AU(0)]->value[0] = *S(1);
  NEXT(2);
L_GlobalGet2: {
  const GlobalInst* g = inst->globals[AU(1)];
  S(0)[0] = g->value[0];
  S(0)[1] = g->value[1];
  NEXT(2);
}
L_GlobalSet2: {
  GlobalInst* g = inst->globals[AU(0)];
  g->value[0] = S(1)[0];
  g->value[1] = S(1)[1];
  NEXT(2);
}

  // ======================= numeric (generated) =======================
#define WGI_GEN_UNARY(Name, TA, TR)                                  \
  L_##Name##_S : {                                                   \
    auto r = as_trap_or(num::Name(get<TA>(S(1))));                   \
    if (r.trap != TrapKind::None) [[unlikely]]                       \
      TRAP(r.trap);                                                  \
    put<TR>(S(0), r.value);                                          \
    NEXT(2);                                                         \
  }
#define WGI_GEN_BINARY(Name, TA, TR)                                 \
  L_##Name##_SS : {                                                  \
    auto r = as_trap_or(num::Name(get<TA>(S(1)), get<TA>(S(2))));    \
    if (r.trap != TrapKind::None) [[unlikely]]                       \
      TRAP(r.trap);                                                  \
    put<TR>(S(0), r.value);                                          \
    NEXT(3);                                                         \
  }
#define WGI_GEN_BINARY_IMM(Name, TA, TR)                                       \
  L_##Name##_SI : {                                                            \
    auto r = as_trap_or(num::Name(get<TA>(S(1)), imm_as<TA>(pc[2].u64)));      \
    if (r.trap != TrapKind::None) [[unlikely]]                                 \
      TRAP(r.trap);                                                            \
    put<TR>(S(0), r.value);                                                    \
    NEXT(3);                                                                   \
  }
  // ---- plain loads and stores ----
  // _M:  address = a1 (load) / a0 (store), a2 = static offset
  // _MI: address = u32(slot + a3), i.e. a fused `i32.add (x, K)` (32-bit wrap)
  // _MR: address = u32(slot + fp[a3]), a fused `i32.add (x, y)`
#define EA_M(k) (uint64_t(get<uint32_t>(S(k))) + AU(2))
#define EA_MI(k) (uint64_t(uint32_t(get<uint32_t>(S(k)) + AU(3))) + AU(2))
#define EA_MR(k) (uint64_t(uint32_t(get<uint32_t>(S(k)) + get<uint32_t>(S(3)))) + AU(2))
#define MEM_READ(M, p) [&] { M m_; std::memcpy(&m_, (p), sizeof(M)); return m_; }()
#define MEM_WRITE(M, p, v) std::memcpy((p), &(v), sizeof(M))
#define MEM_READ_S(M, p) shared_load<M>(p)
#define MEM_WRITE_S(M, p, v) shared_store<M>((p), (v))
#define WGI_LOAD_HANDLER(Name, TR, bytes, Sfx, Ea, Rd, Rec)         \
  L_##Name##_##Sfx : {                                               \
    using M = MemT<Op::Name>::type;                                  \
    static_assert(sizeof(M) == (bytes));                             \
    const uint64_t ea = EA_##Ea(1);                                  \
    MEM_CHECK(ea, sizeof(M));                                        \
    Rec(Read, ea, sizeof(M));                                        \
    const M m = Rd(M, mem + ea);                                     \
    put<TR>(S(0), static_cast<TR>(m));                               \
    NEXT(3);                                                         \
  }
#define WGI_STORE_HANDLER(Name, TV, bytes, Sfx, Ea, Wr, Rec)        \
  L_##Name##_##Sfx : {                                               \
    using M = MemT<Op::Name>::type;                                  \
    static_assert(sizeof(M) == (bytes));                             \
    const uint64_t ea = EA_##Ea(0);                                  \
    MEM_CHECK(ea, sizeof(M));                                        \
    Rec(Write, ea, sizeof(M));                                        \
    const M m = static_cast<M>(get<TV>(S(1)));                       \
    Wr(M, mem + ea, m);                                              \
    NEXT(3);                                                         \
  }
  // Recording: traced variants push an event with the site in a3.
#define NO_REC(op, ea, n)
#define REC(op, ea, n) t->trace_->push(trace::EventOp::op, (ea), (n), AU(3))
#define WGI_GEN_LOAD(Name, TR, bytes)                               \
  WGI_LOAD_HANDLER(Name, TR, bytes, M, M, MEM_READ, NO_REC)         \
  WGI_LOAD_HANDLER(Name, TR, bytes, MI, MI, MEM_READ, NO_REC)       \
  WGI_LOAD_HANDLER(Name, TR, bytes, MR, MR, MEM_READ, NO_REC)       \
  WGI_LOAD_HANDLER(Name, TR, bytes, MS, M, MEM_READ_S, NO_REC)      \
  WGI_LOAD_HANDLER(Name, TR, bytes, MIS, MI, MEM_READ_S, NO_REC)    \
  WGI_LOAD_HANDLER(Name, TR, bytes, MRS, MR, MEM_READ_S, NO_REC)    \
  WGI_LOAD_HANDLER(Name, TR, bytes, MT, M, MEM_READ, REC)           \
  WGI_LOAD_HANDLER(Name, TR, bytes, MST, M, MEM_READ_S, REC)
#define WGI_GEN_STORE(Name, TV, bytes)                              \
  WGI_STORE_HANDLER(Name, TV, bytes, M, M, MEM_WRITE, NO_REC)       \
  WGI_STORE_HANDLER(Name, TV, bytes, MI, MI, MEM_WRITE, NO_REC)     \
  WGI_STORE_HANDLER(Name, TV, bytes, MR, MR, MEM_WRITE, NO_REC)     \
  WGI_STORE_HANDLER(Name, TV, bytes, MS, M, MEM_WRITE_S, NO_REC)    \
  WGI_STORE_HANDLER(Name, TV, bytes, MIS, MI, MEM_WRITE_S, NO_REC)  \
  WGI_STORE_HANDLER(Name, TV, bytes, MRS, MR, MEM_WRITE_S, NO_REC)  \
  WGI_STORE_HANDLER(Name, TV, bytes, MT, M, MEM_WRITE, REC)         \
  WGI_STORE_HANDLER(Name, TV, bytes, MST, M, MEM_WRITE_S, REC)
  // ---- threads-proposal ops: a0 = result, a1 = address, a2 = offset,
  // a3/a4 = operands. Alignment is checked before bounds (an unaligned
  // address traps "unaligned atomic" even when it is also out of bounds).
#define WGI_GEN_ATOMIC(Name, sig, bytes)                                               \
  L_##Name##_A : {                                                                     \
    using Sem = ASem<Op::Name>;                                                        \
    using M = Sem::Mem;                                                                \
    using V = Sem::Val;                                                                \
    if constexpr (Sem::kind == AKind::Fence) {                                         \
      std::atomic_thread_fence(std::memory_order_seq_cst);                             \
      NEXT(1);                                                                         \
    } else {                                                                           \
      const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);                       \
      if (ea & (sizeof(M) - 1)) TRAP(TrapKind::UnalignedAtomic);                       \
      MEM_CHECK(ea, sizeof(M));                                                        \
      std::atomic_ref<M> ref(*reinterpret_cast<M*>(mem + ea));                         \
      if constexpr (Sem::kind == AKind::Load) {                                        \
        put<V>(S(0), static_cast<V>(ref.load()));                                      \
        NEXT(3);                                                                       \
      } else if constexpr (Sem::kind == AKind::Store) {                                \
        ref.store(static_cast<M>(get<V>(S(3))));                                       \
        NEXT(3);                                                                       \
      } else if constexpr (Sem::kind == AKind::Cmpxchg) {                              \
        M expected = static_cast<M>(get<V>(S(3)));                                     \
        ref.compare_exchange_strong(expected, static_cast<M>(get<V>(S(4))));           \
        put<V>(S(0), static_cast<V>(expected)); /* the loaded value either way */      \
        NEXT(4);                                                                       \
      } else if constexpr (Sem::kind == AKind::Notify) {                               \
        const uint32_t woken = inst->memory->shared()                                  \
                                   ? threads::parking_lot().notify(mem + ea, get<uint32_t>(S(3))) \
                                   : 0;                                                \
        put<uint32_t>(S(0), woken);                                                    \
        NEXT(3);                                                                       \
      } else if constexpr (Sem::kind == AKind::Wait) {                                 \
        if (!inst->memory->shared()) TRAP(TrapKind::ExpectedSharedMemory);             \
        const auto r = atomic_wait<M>(mem + ea, get<V>(S(3)),                          \
                                      static_cast<int64_t>(get<uint64_t>(S(4))),       \
                                      &t->interrupt_);                                 \
        if (r == threads::WaitResult::Interrupted) TRAP(TrapKind::Interrupted);        \
        put<uint32_t>(S(0), static_cast<uint32_t>(r));                                 \
        NEXT(4);                                                                       \
      } else {                                                                         \
        put<V>(S(0), static_cast<V>(atomic_rmw<Sem::kind>(ref, static_cast<M>(get<V>(S(3)))))); \
        NEXT(3);                                                                       \
      }                                                                                \
    }                                                                                  \
  }                                                                                    \
  /* Traced: every variant is 4 words with the site in a5. The memory      */        \
  /* operation, its events and its sequence mark happen under the address's */        \
  /* stripe lock, so the recorded order of atomics is the real one.          */        \
  L_##Name##_AT : {                                                                    \
    using Sem = ASem<Op::Name>;                                                        \
    using M = Sem::Mem;                                                                \
    using V = Sem::Val;                                                                \
    if constexpr (Sem::kind == AKind::Fence) {                                         \
      std::atomic_thread_fence(std::memory_order_seq_cst);                             \
      NEXT(1);                                                                         \
    } else {                                                                           \
      const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);                       \
      if (ea & (sizeof(M) - 1)) TRAP(TrapKind::UnalignedAtomic);                       \
      MEM_CHECK(ea, sizeof(M));                                                        \
      std::atomic_ref<M> ref(*reinterpret_cast<M*>(mem + ea));                         \
      trace::ThreadTrace* const tt = t->trace_;                                        \
      const uint32_t site = AU(5);                                                     \
      if constexpr (Sem::kind == AKind::Wait) {                                        \
        if (!inst->memory->shared()) TRAP(TrapKind::ExpectedSharedMemory);             \
        tt->push(trace::EventOp::Read, ea, sizeof(M), site);                           \
        tt->mark();                                                                    \
        const auto r = atomic_wait<M>(mem + ea, get<V>(S(3)),                          \
                                      static_cast<int64_t>(get<uint64_t>(S(4))),       \
                                      &t->interrupt_);                                 \
        if (r == threads::WaitResult::Interrupted) TRAP(TrapKind::Interrupted);        \
        put<uint32_t>(S(0), static_cast<uint32_t>(r));                                 \
      } else if constexpr (Sem::kind == AKind::Notify) {                               \
        tt->push(trace::EventOp::Read, ea, sizeof(M), site);                           \
        tt->mark();                                                                    \
        const uint32_t woken = inst->memory->shared()                                  \
                                   ? threads::parking_lot().notify(mem + ea, get<uint32_t>(S(3))) \
                                   : 0;                                                \
        put<uint32_t>(S(0), woken);                                                    \
      } else {                                                                         \
        std::lock_guard<std::mutex> stripe_lock(tt->recorder().stripe(ea));            \
        if constexpr (Sem::kind == AKind::Load) {                                      \
          put<V>(S(0), static_cast<V>(ref.load()));                                    \
          tt->push(trace::EventOp::Read, ea, sizeof(M), site);                         \
        } else if constexpr (Sem::kind == AKind::Store) {                              \
          ref.store(static_cast<M>(get<V>(S(3))));                                     \
          tt->push(trace::EventOp::Write, ea, sizeof(M), site);                        \
        } else if constexpr (Sem::kind == AKind::Cmpxchg) {                            \
          M expected = static_cast<M>(get<V>(S(3)));                                   \
          const bool stored =                                                          \
              ref.compare_exchange_strong(expected, static_cast<M>(get<V>(S(4))));     \
          put<V>(S(0), static_cast<V>(expected));                                      \
          tt->push(trace::EventOp::Read, ea, sizeof(M), site);                         \
          if (stored) tt->push(trace::EventOp::Write, ea, sizeof(M), site);            \
        } else {                                                                       \
          put<V>(S(0), static_cast<V>(atomic_rmw<Sem::kind>(ref, static_cast<M>(get<V>(S(3)))))); \
          tt->push(trace::EventOp::Read, ea, sizeof(M), site);                         \
          tt->push(trace::EventOp::Write, ea, sizeof(M), site);                        \
        }                                                                              \
        tt->mark();                                                                    \
      }                                                                                \
      NEXT(4);                                                                         \
    }                                                                                  \
  }
#include "interp/gen_ops.h"
#undef WGI_LOAD_HANDLER
#undef WGI_STORE_HANDLER
#undef MEM_READ
#undef MEM_WRITE
#undef MEM_READ_S
#undef MEM_WRITE_S
#undef REC
#undef NO_REC
#undef EA_M
#undef EA_MI
#undef EA_MR

  // ======================= SIMD (generated) =======================
  // Compute ops: a0 = result, a1.. = operands, then the lane immediate.
#define WGI_GEN_VUNARY(Name, TA, TR)                                 \
  L_##Name##_V : vput<TR>(S(0), simd::Name(vget<TA>(S(1))));         \
  NEXT(2);
#define WGI_GEN_VBINARY(Name, TA, TB)                                \
  L_##Name##_V : {                                                   \
    const V128 a = vget<V128>(S(1));                                 \
    const TB b = vget<TB>(S(2));                                     \
    vput<V128>(S(0), simd::Name(a, b));                              \
    NEXT(3);                                                         \
  }
#define WGI_GEN_VTERNARY(Name)                                       \
  L_##Name##_V : {                                                   \
    const V128 a = vget<V128>(S(1)), b = vget<V128>(S(2)), c = vget<V128>(S(3)); \
    vput<V128>(S(0), simd::Name(a, b, c));                           \
    NEXT(3);                                                         \
  }
#define WGI_GEN_VEXTRACT(Name, T)                                    \
  L_##Name##_V : vput<T>(S(0), simd::Name(vget<V128>(S(1)), AU(2))); \
  NEXT(3);
#define WGI_GEN_VREPLACE(Name, T)                                    \
  L_##Name##_V : {                                                   \
    const V128 v = vget<V128>(S(1));                                 \
    const T x = vget<T>(S(2));                                       \
    vput<V128>(S(0), simd::Name(v, x, AU(3)));                       \
    NEXT(3);                                                         \
  }
  // i8x16.shuffle: a0 = result, a1/a2 = operands, w3/w4 = the 16 lane bytes.
#define WGI_GEN_VSHUFFLE(Name)                                       \
  L_##Name##_V : {                                                   \
    const V128 a = vget<V128>(S(1)), b = vget<V128>(S(2));           \
    vput<V128>(S(0), simd::Name(a, b, V128{pc[3].u64, pc[4].u64}));  \
    NEXT(5);                                                         \
  }
  // Memory ops: address slot and a2 = static offset; variants _M, _MS
  // (shared memory), _MT / _MST (traced; the site follows the operands).
#define V_REC_NONE(op, ea, n, k)
#define V_REC(op, ea, n, k) t->trace_->push(trace::EventOp::op, (ea), (n), AU(k))
#define V_LOAD(Name, bytes, Sfx, Shared, Rec)                                \
  L_##Name##_##Sfx : {                                                       \
    const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    Rec(Read, ea, bytes, 3);                                                 \
    vput<V128>(S(0), simd_ops::Name(vmem_read<bytes, Shared>(mem + ea)));    \
    NEXT(3);                                                                 \
  }
#define V_STORE(Name, bytes, Sfx, Shared, Rec)                               \
  L_##Name##_##Sfx : {                                                       \
    const uint64_t ea = uint64_t(get<uint32_t>(S(0))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    Rec(Write, ea, bytes, 3);                                                \
    vmem_write<Shared>(mem + ea, vget<V128>(S(1)));                          \
    NEXT(3);                                                                 \
  }
  // Lane loads: a3 = the vector operand, a4 = lane (a5 = site).
#define V_LOAD_LANE(Name, bytes, Sfx, Shared, Rec)                           \
  L_##Name##_##Sfx : {                                                       \
    const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    Rec(Read, ea, bytes, 5);                                                 \
    const V128 v = vget<V128>(S(3));                                         \
    vput<V128>(S(0), simd::with_lane(v, vmem_read<bytes, Shared>(mem + ea), AU(4))); \
    NEXT(4);                                                                 \
  }
  // Lane stores: a1 = the vector, a3 = lane (a4 = site: one word more).
#define V_STORE_LANE(Name, bytes, Sfx, Shared, Rec, words)                   \
  L_##Name##_##Sfx : {                                                       \
    const uint64_t ea = uint64_t(get<uint32_t>(S(0))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    Rec(Write, ea, bytes, 4);                                                \
    using U = UIntOf<bytes>::type;                                           \
    vmem_write<Shared>(mem + ea, simd::lane<U>(vget<V128>(S(1)), AU(3)));    \
    NEXT(words);                                                             \
  }
#define WGI_GEN_VLOAD(Name, bytes)                         \
  V_LOAD(Name, bytes, M, false, V_REC_NONE)                \
  V_LOAD(Name, bytes, MS, true, V_REC_NONE)                \
  V_LOAD(Name, bytes, MT, false, V_REC)                    \
  V_LOAD(Name, bytes, MST, true, V_REC)
#define WGI_GEN_VSTORE(Name, bytes)                        \
  V_STORE(Name, bytes, M, false, V_REC_NONE)               \
  V_STORE(Name, bytes, MS, true, V_REC_NONE)               \
  V_STORE(Name, bytes, MT, false, V_REC)                   \
  V_STORE(Name, bytes, MST, true, V_REC)
#define WGI_GEN_VLOADLANE(Name, bytes)                     \
  V_LOAD_LANE(Name, bytes, M, false, V_REC_NONE)           \
  V_LOAD_LANE(Name, bytes, MS, true, V_REC_NONE)           \
  V_LOAD_LANE(Name, bytes, MT, false, V_REC)               \
  V_LOAD_LANE(Name, bytes, MST, true, V_REC)
#define WGI_GEN_VSTORELANE(Name, bytes)                    \
  V_STORE_LANE(Name, bytes, M, false, V_REC_NONE, 3)       \
  V_STORE_LANE(Name, bytes, MS, true, V_REC_NONE, 3)       \
  V_STORE_LANE(Name, bytes, MT, false, V_REC, 4)           \
  V_STORE_LANE(Name, bytes, MST, true, V_REC, 4)
#include "interp/gen_ops.h"
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE
#undef V_REC
#undef V_REC_NONE

  // ======================= memory =======================
L_MemorySize:
  put<uint32_t>(S(0), inst->memory ? static_cast<uint32_t>(inst->memory->pages()) : 0);
  NEXT(2);
L_MemoryGrow: {
  const uint32_t delta = get<uint32_t>(S(1));
  const int64_t old = inst->memory ? inst->memory->grow(delta) : -1;
  put<uint32_t>(S(0), static_cast<uint32_t>(old));
  mem_size = inst->memory ? inst->memory->size() : 0;
  NEXT(2);
}
  // Bulk operations; the traced variants record the ranges (site in the
  // field after the operands) once the bounds checks passed.
#define NO_RANGE(op, a, n, k)
#define REC_RANGE(op, a, n, k) \
  if (n) t->trace_->push_range(trace::EventOp::op, (a), (n), AU(k))
#define MEMORY_COPY(Rec)                                                                      \
  {                                                                                           \
    const uint64_t d = get<uint32_t>(S(0)), s = get<uint32_t>(S(1)), n = get<uint32_t>(S(2)); \
    MEM_CHECK(d, n);                                                                          \
    MEM_CHECK(s, n);                                                                          \
    Rec(Read, s, n, 3);                                                                       \
    Rec(Write, d, n, 3);                                                                      \
    if (inst->memory->shared()) [[unlikely]]                                                  \
      shared_move(mem + d, mem + s, n);                                                       \
    else                                                                                      \
      std::memmove(mem + d, mem + s, n);                                                      \
    NEXT(3);                                                                                  \
  }
#define MEMORY_FILL(Rec)                                                                      \
  {                                                                                           \
    const uint64_t d = get<uint32_t>(S(0)), n = get<uint32_t>(S(2));                          \
    MEM_CHECK(d, n);                                                                          \
    Rec(Write, d, n, 3);                                                                      \
    if (inst->memory->shared()) [[unlikely]]                                                  \
      shared_fill(mem + d, static_cast<uint8_t>(get<uint32_t>(S(1))), n);                     \
    else                                                                                      \
      std::memset(mem + d, static_cast<uint8_t>(get<uint32_t>(S(1))), n);                     \
    NEXT(3);                                                                                  \
  }
#define MEMORY_INIT(Rec, words)                                                               \
  {                                                                                           \
    const uint32_t seg = AU(0);                                                               \
    const uint64_t d = get<uint32_t>(S(1)), s = get<uint32_t>(S(2)), n = get<uint32_t>(S(3)); \
    const DataSegment& ds = inst->mod().datas[seg];                                           \
    const uint64_t len = inst->data_dropped[seg] ? 0 : ds.data_size;                          \
    if (s + n > len) TRAP(TrapKind::OutOfBoundsMemoryAccess);                                 \
    MEM_CHECK(d, n);                                                                          \
    Rec(Write, d, n, 4);                                                                      \
    inst->memory->copy_in(d, inst->mod().bytes.data() + ds.data_offset + s, n);               \
    NEXT(words);                                                                              \
  }
L_MemoryCopy:
  MEMORY_COPY(NO_RANGE)
L_MemoryCopyT:
  MEMORY_COPY(REC_RANGE)
L_MemoryFill:
  MEMORY_FILL(NO_RANGE)
L_MemoryFillT:
  MEMORY_FILL(REC_RANGE)
L_MemoryInit:
  MEMORY_INIT(NO_RANGE, 3)
L_MemoryInitT:
  MEMORY_INIT(REC_RANGE, 4)
#undef MEMORY_COPY
#undef MEMORY_FILL
#undef MEMORY_INIT
#undef NO_RANGE
#undef REC_RANGE
L_DataDrop:
  inst->data_dropped[AU(0)] = true;
  NEXT(2);

  // ======================= references and tables =======================
L_RefIsNull:
  put<uint32_t>(S(0), *S(1) == kNullRef);
  NEXT(2);
L_RefFunc:
  *S(0) = reinterpret_cast<Ref>(inst->funcs[AU(1)]);
  NEXT(2);
L_TableGet: {
  const TableInst* tab = inst->tables[AU(1)];
  const uint32_t i = get<uint32_t>(S(2));
  if (i >= tab->elems.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  *S(0) = tab->elems[i];
  NEXT(3);
}
L_TableSet: {
  TableInst* tab = inst->tables[AU(0)];
  const uint32_t i = get<uint32_t>(S(1));
  if (i >= tab->elems.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  tab->elems[i] = *S(2);
  NEXT(3);
}
L_TableSize:
  put<uint32_t>(S(0), inst->tables[AU(1)]->size());
  NEXT(2);
L_TableGrow: {
  TableInst* tab = inst->tables[AU(1)];
  const int64_t old = tab->grow(get<uint32_t>(S(3)), *S(2));
  put<uint32_t>(S(0), static_cast<uint32_t>(old));
  NEXT(3);
}
L_TableFill: {
  TableInst* tab = inst->tables[AU(0)];
  const uint64_t i = get<uint32_t>(S(1)), n = get<uint32_t>(S(3));
  if (i + n > tab->elems.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  std::fill_n(tab->elems.begin() + i, n, *S(2));
  NEXT(3);
}
L_TableCopy: {
  TableInst* dt = inst->tables[AU(0)];
  const TableInst* st = inst->tables[AU(1)];
  const uint64_t d = get<uint32_t>(S(2)), s = get<uint32_t>(S(3)), n = get<uint32_t>(S(4));
  if (d + n > dt->elems.size() || s + n > st->elems.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  if (n) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(Ref));
  NEXT(4);
}
L_TableInit: {
  TableInst* tab = inst->tables[AU(0)];
  const std::vector<Ref>& seg = inst->elem_segments[AU(1)];
  const uint64_t d = get<uint32_t>(S(2)), s = get<uint32_t>(S(3)), n = get<uint32_t>(S(4));
  if (s + n > seg.size() || d + n > tab->elems.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  std::copy_n(seg.begin() + s, n, tab->elems.begin() + d);
  NEXT(4);
}
L_ElemDrop:
  inst->elem_segments[AU(0)].clear();
  inst->elem_segments[AU(0)].shrink_to_fit();
  NEXT(2);

do_trap:
  t->capture_backtrace(pc, inst, rs, bottom);
  t->frames_top_ = bottom;
  return trap;

#undef A
#undef AU
#undef S
#undef DISPATCH
#undef NEXT
#undef TRAP
#undef CHECK_INTERRUPT
#undef MEM_CHECK
#undef RELOAD_MEMORY
}

const void* const* handler_table() {
  static const void* const* table = [] {
    execute(nullptr, nullptr, nullptr, nullptr);
    return g_handlers;
  }();
  return table;
}

}  // namespace wgi::interp
