// The interpreter loop: one function holding every handler, and nothing
// else. The handlers' helpers live beside it: operand semantics in
// numeric.h and simd.h, memory accesses in mem_access.h, atomics in
// atomics.h, the variants each generated handler is stamped in in
// variants.def (read here as constants through variant_info()).
//
// Dispatch is direct threading with computed goto (`goto *pc->h`, supported
// by g++ and clang): each handler ends with its own indirect jump, which the
// CPU predicts per handler. docs/DESIGN.md says why this and not tail calls.
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
#include <atomic>
#include <cstring>
#include <mutex>
#include <type_traits>

#include "interp/atomics.h"
#include "interp/code.h"
#include "interp/event_log.h"
#include "interp/mem_access.h"
#include "interp/numeric.h"
#include "interp/op_profile.h"
#include "interp/runtime.h"
#include "interp/simd.h"
#include "interp/thread.h"

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

// The in-memory type of a plain load or store of opcodes.def: the value
// type itself for full-width floats, else the integer of the access width,
// signed for the sign-extending loads (static_cast to the result type then
// sign-extends).
template <Op op, class T>
using PlainMemT = std::conditional_t<
    std::is_floating_point_v<T>, T,
    std::conditional_t<(op_info(op).flags & Signed) != 0, std::make_signed_t<UInt<op_info(op).bytes>>,
                       UInt<op_info(op).bytes>>>;

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

const void* const* g_handlers = nullptr;

// The code the bottom return record of every invocation points at.
Word g_halt_code[1];

}  // namespace

const Word* halt_code() { return g_halt_code; }

TrapKind execute(Thread* t, const Word* pc, Slot* fp, Instance* inst) {
  static const void* const kTable[] = {
#define WGI_IOP(Name, text) &&L_##Name,
#include "interp/iops.def"
#define WGI_GEN_VARIANT(Sfx, Name) &&L_##Name##_##Sfx,
#include "interp/gen_ops.h"
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
  // Developer aid (not built by default, op_profile.h).
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
// The call-depth limit, which an interrupt request lowers to the bottom
// (Thread::frames_limit_): every call's depth check is its interrupt check.
#define FRAMES_LIMIT() (t->frames_limit_.load(std::memory_order_relaxed))
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

  // ---- fused compare-and-branch (generated) ----
  // B / BL: a0 = s, a1 = s, a2 = rel; BI / BIL: a0 = s, a1 = rel, w2 = the
  // immediate. The loop forms are back-edges: they check for interrupts.
#define CMP_BRANCH_HANDLER(Sfx, Name, T)                                         \
  L_##Name##_##Sfx : {                                                           \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                       \
    const T rhs = kV.immediate() ? static_cast<T>(pc[2].u64) : get<T>(S(1));     \
    if (num::Name(get<T>(S(0)), rhs)) {                                          \
      if constexpr (kV.loop()) CHECK_INTERRUPT();                                \
      pc += kV.immediate() ? A(1) : A(2);                                        \
      DISPATCH();                                                                \
    }                                                                            \
    NEXT(3);                                                                     \
  }
#define WGI_GEN_CMP_BRANCH(Name, T) WGI_FAMILY_CMP_BRANCH(CMP_BRANCH_HANDLER, Name, T)
#include "interp/gen_ops.h"
#undef CMP_BRANCH_HANDLER

  // ---- calls ----
  {
    const FuncInst* callee;
    Slot* nfp;
    const Word* ret_pc;

L_Call: {
  const auto* cf = static_cast<const CompiledFunc*>(pc[1].ptr);
  // The entry first: once it is the code, frame_slots is final (code.h).
  const Word* entry = cf->loaded_entry();
  nfp = fp + pc[2].i32[0];
  if (nfp + cf->loaded_frame_slots() > t->stack_limit_ || rs >= FRAMES_LIMIT()) [[unlikely]]
    TRAP(t->interrupt_requested() ? TrapKind::Interrupted : TrapKind::CallStackExhausted);
  rs->pc = pc + 3;
  rs->fp = fp;
  rs->inst = inst;
  ++rs;
  for (uint32_t i = cf->param_slots; i < cf->local_slots; ++i) nfp[i] = 0;
  fp = nfp;
  pc = entry;
  DISPATCH();
}

  // The entry of a function not compiled yet (CompileOptions::lazy): the
  // call has pushed its frame and zeroed its locals; compile it, check the
  // frame against its real size, and go on at its first instruction.
L_LazyCompile: {
  const auto* cf = static_cast<const CompiledFunc*>(pc[1].ptr);
  pc = inst->module->ensure_compiled(*cf);
  if (fp + cf->loaded_frame_slots() > t->stack_limit_) [[unlikely]]
    TRAP(TrapKind::CallStackExhausted);
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
  if (rs >= FRAMES_LIMIT()) [[unlikely]]
    TRAP(t->interrupt_requested() ? TrapKind::Interrupted : TrapKind::CallStackExhausted);
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
    const Word* entry = cf->loaded_entry();
    if (nfp + cf->loaded_frame_slots() > t->stack_limit_) [[unlikely]]
      TRAP(TrapKind::CallStackExhausted);
    rs->pc = ret_pc;
    rs->fp = fp;
    rs->inst = inst;
    ++rs;
    for (uint32_t i = cf->param_slots; i < cf->local_slots; ++i) nfp[i] = 0;
    fp = nfp;
    pc = entry;
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
  // a0 = result, a1 = operand, a2 = 2nd operand (S) or w2 = immediate (I).
#define WGI_GEN_UNARY(Name, TA, TR)                                  \
  L_##Name##_S : {                                                   \
    auto r = as_trap_or(num::Name(get<TA>(S(1))));                   \
    if (r.trap != TrapKind::None) [[unlikely]]                       \
      TRAP(r.trap);                                                  \
    put<TR>(S(0), r.value);                                          \
    NEXT(2);                                                         \
  }
#define BINARY_HANDLER(Sfx, Name, TA, TR)                                              \
  L_##Name##_##Sfx : {                                                                 \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                             \
    const TA rhs = kV.immediate() ? imm_as<TA>(pc[2].u64) : get<TA>(S(2));             \
    auto r = as_trap_or(num::Name(get<TA>(S(1)), rhs));                                \
    if (r.trap != TrapKind::None) [[unlikely]]                                         \
      TRAP(r.trap);                                                                    \
    put<TR>(S(0), r.value);                                                            \
    NEXT(3);                                                                           \
  }
#define WGI_GEN_BINARY(Name, TA, TR) WGI_FAMILY_BINARY(BINARY_HANDLER, Name, TA, TR)
  // ---- plain loads and stores ----
  // Addr:    address = a1 (load) / a0 (store), a2 = static offset
  // AddrImm: address = u32(slot + a3), i.e. a fused `i32.add (x, K)` (32-bit wrap)
  // AddrAdd: address = u32(slot + fp[a3]), a fused `i32.add (x, y)`
  // Traced variants (Addr only) record the access with the site in a3.
#define EFFECTIVE_ADDRESS(form, k)                                                      \
  ((form) == Form::AddrImm   ? uint64_t(uint32_t(get<uint32_t>(S(k)) + AU(3))) + AU(2)   \
   : (form) == Form::AddrAdd ? uint64_t(uint32_t(get<uint32_t>(S(k)) + get<uint32_t>(S(3)))) + AU(2) \
                             : uint64_t(get<uint32_t>(S(k))) + AU(2))
// Recording: when the log asks for the backtrace (a race was found at this
// instruction, event_log.h), hand it over; rare, so out of line.
#define GIVE_BACKTRACE() t->give_backtrace(pc, inst, rs, bottom)
#define REC(op, ea, n, k) \
  if (t->trace_->push(EventOp::op, (ea), (n), AU(k))) [[unlikely]] GIVE_BACKTRACE()
#define LOAD_HANDLER(Sfx, Name, TR, bytes)                           \
  L_##Name##_##Sfx : {                                               \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);           \
    using M = PlainMemT<Op::Name, TR>;                               \
    static_assert(sizeof(M) == (bytes));                             \
    const uint64_t ea = EFFECTIVE_ADDRESS(kV.form, 1);               \
    MEM_CHECK(ea, sizeof(M));                                        \
    if constexpr (kV.traced) REC(Read, ea, sizeof(M), 3);            \
    put<TR>(S(0), static_cast<TR>(mem_load<M, kV.shared()>(mem + ea))); \
    NEXT(3);                                                         \
  }
#define STORE_HANDLER(Sfx, Name, TV, bytes)                          \
  L_##Name##_##Sfx : {                                               \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);           \
    using M = PlainMemT<Op::Name, TV>;                               \
    static_assert(sizeof(M) == (bytes));                             \
    const uint64_t ea = EFFECTIVE_ADDRESS(kV.form, 0);               \
    MEM_CHECK(ea, sizeof(M));                                        \
    if constexpr (kV.traced) REC(Write, ea, sizeof(M), 3);           \
    mem_store<kV.shared()>(mem + ea, static_cast<M>(get<TV>(S(1)))); \
    NEXT(3);                                                         \
  }
#define WGI_GEN_LOAD(Name, TR, bytes) WGI_FAMILY_LOAD_STORE(LOAD_HANDLER, Name, TR, bytes)
#define WGI_GEN_STORE(Name, TV, bytes) WGI_FAMILY_LOAD_STORE(STORE_HANDLER, Name, TV, bytes)
  // ---- threads-proposal ops: a0 = result, a1 = address, a2 = offset,
  // a3/a4 = operands; traced variants are all 4 words with the site in a5.
  // Alignment is checked before bounds (an unaligned address traps
  // "unaligned atomic" even when it is also out of bounds).
#define ATOMIC_HANDLER(Sfx, Name, sig, bytes)                                           \
  L_##Name##_##Sfx : {                                                                  \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                              \
    constexpr OpKind kKind = op_info(Op::Name).kind;                                    \
    using M = atomics::Types<Op::Name>::Mem;                                            \
    using V = atomics::Types<Op::Name>::Val;                                            \
    constexpr unsigned kWords = kKind == OpKind::Fence ? 1                              \
                                : kV.traced || sig_info(Sig::sig).nparams == 3 ? 4 : 3; \
    if constexpr (kKind == OpKind::Fence) {                                             \
      std::atomic_thread_fence(std::memory_order_seq_cst);                              \
    } else {                                                                            \
      const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);                        \
      if (ea & (sizeof(M) - 1)) TRAP(TrapKind::UnalignedAtomic);                        \
      MEM_CHECK(ea, sizeof(M));                                                         \
      atomics::Recording<kV.traced> rec(t->trace_, ea, sizeof(M), kV.traced ? AU(5) : 0); \
      if constexpr (kKind == OpKind::Wait) {                                            \
        if (!inst->memory->shared()) TRAP(TrapKind::ExpectedSharedMemory);              \
        if (rec.record(EventOp::AtomicLoad)) GIVE_BACKTRACE();                          \
        rec.mark();                                                                     \
        const auto r = atomics::wait<M>(mem + ea, get<V>(S(3)),                         \
                                        static_cast<int64_t>(get<uint64_t>(S(4))),      \
                                        &t->interrupt_, t->park_observer);              \
        if (r == WaitResult::Interrupted) TRAP(TrapKind::Interrupted);                  \
        if (r == WaitResult::Ok) { /* woken: acquires what the notifier released */     \
          rec.record(EventOp::AtomicSync);                                              \
          rec.mark();                                                                   \
        } else if (r == WaitResult::NotEqual) {                                         \
          /* It read a value some store wrote after the read recorded above: */         \
          /* read again under the stripe lock, after that store's own record. */        \
          [[maybe_unused]] auto guard = rec.lock();                                     \
          rec.record(EventOp::AtomicLoad);                                              \
          rec.mark();                                                                   \
        }                                                                               \
        put<uint32_t>(S(0), static_cast<uint32_t>(r));                                  \
      } else if constexpr (kKind == OpKind::Notify) {                                   \
        rec.record(EventOp::AtomicSync); /* before it wakes anyone */                   \
        rec.mark();                                                                     \
        const uint32_t count = get<uint32_t>(S(3));                                     \
        put<uint32_t>(S(0), inst->memory->shared() ? atomics::notify(mem + ea, count) : 0); \
      } else {                                                                          \
        std::atomic_ref<M> ref(*reinterpret_cast<M*>(mem + ea));                        \
        [[maybe_unused]] auto guard = rec.lock();                                       \
        bool want_bt = false;                                                           \
        if constexpr (kKind == OpKind::Load) {                                          \
          put<V>(S(0), static_cast<V>(ref.load()));                                     \
          want_bt = rec.record(EventOp::AtomicLoad);                                    \
        } else if constexpr (kKind == OpKind::Store) {                                  \
          ref.store(static_cast<M>(get<V>(S(3))));                                      \
          want_bt = rec.record(EventOp::AtomicStore);                                   \
        } else if constexpr (kKind == OpKind::Cmpxchg) {                                \
          M expected = static_cast<M>(get<V>(S(3)));                                    \
          const bool stored = ref.compare_exchange_strong(expected, static_cast<M>(get<V>(S(4)))); \
          put<V>(S(0), static_cast<V>(expected)); /* the loaded value either way */     \
          if (stored) {                                                                 \
            want_bt = rec.record(EventOp::AtomicRmw);                                   \
          } else { /* a read that still releases (synchronisation rules, race/) */      \
            want_bt = rec.record(EventOp::AtomicLoad);                                  \
            rec.record(EventOp::AtomicSync);                                            \
          }                                                                             \
        } else {                                                                        \
          put<V>(S(0), static_cast<V>(atomics::rmw<kKind, M>(ref, static_cast<M>(get<V>(S(3)))))); \
          want_bt = rec.record(EventOp::AtomicRmw);                                     \
        }                                                                               \
        if (want_bt) [[unlikely]] GIVE_BACKTRACE();                                     \
        rec.mark();                                                                     \
      }                                                                                 \
    }                                                                                   \
    NEXT(kWords);                                                                       \
  }
#define WGI_GEN_ATOMIC(Name, sig, bytes) WGI_FAMILY_ANY_MEM(ATOMIC_HANDLER, Name, sig, bytes)
#include "interp/gen_ops.h"
#undef BINARY_HANDLER
#undef LOAD_HANDLER
#undef STORE_HANDLER
#undef ATOMIC_HANDLER
#undef EFFECTIVE_ADDRESS

  // ======================= SIMD (generated) =======================
  // Compute ops: a0 = result, a1.. = operands, then the lane immediate.
#define WGI_GEN_VUNARY(Name, TA, TR)                                 \
  L_##Name##_S : vput<TR>(S(0), simd::Name(vget<TA>(S(1))));         \
  NEXT(2);
#define WGI_GEN_VBINARY(Name, TA, TB)                                \
  L_##Name##_S : {                                                   \
    const V128 a = vget<V128>(S(1));                                 \
    const TB b = vget<TB>(S(2));                                     \
    vput<V128>(S(0), simd::Name(a, b));                              \
    NEXT(3);                                                         \
  }
#define WGI_GEN_VTERNARY(Name)                                       \
  L_##Name##_S : {                                                   \
    const V128 a = vget<V128>(S(1)), b = vget<V128>(S(2)), c = vget<V128>(S(3)); \
    vput<V128>(S(0), simd::Name(a, b, c));                           \
    NEXT(3);                                                         \
  }
#define WGI_GEN_VEXTRACT(Name, T)                                    \
  L_##Name##_S : vput<T>(S(0), simd::Name(vget<V128>(S(1)), AU(2))); \
  NEXT(3);
#define WGI_GEN_VREPLACE(Name, T)                                    \
  L_##Name##_S : {                                                   \
    const V128 v = vget<V128>(S(1));                                 \
    const T x = vget<T>(S(2));                                       \
    vput<V128>(S(0), simd::Name(v, x, AU(3)));                       \
    NEXT(3);                                                         \
  }
  // i8x16.shuffle: a0 = result, a1/a2 = operands, w3/w4 = the 16 lane bytes.
#define WGI_GEN_VSHUFFLE(Name)                                       \
  L_##Name##_S : {                                                   \
    const V128 a = vget<V128>(S(1)), b = vget<V128>(S(2));           \
    vput<V128>(S(0), simd::Name(a, b, V128{pc[3].u64, pc[4].u64}));  \
    NEXT(5);                                                         \
  }
  // Memory ops: address slot and a2 = static offset; traced variants carry
  // the site after the operands.
#define V_LOAD(Sfx, Name, bytes)                                             \
  L_##Name##_##Sfx : {                                                       \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                   \
    const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    if constexpr (kV.traced) REC(Read, ea, bytes, 3);                        \
    vput<V128>(S(0), simd_ops::Name(vmem_read<bytes, kV.shared()>(mem + ea))); \
    NEXT(3);                                                                 \
  }
#define V_STORE(Sfx, Name, bytes)                                            \
  L_##Name##_##Sfx : {                                                       \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                   \
    const uint64_t ea = uint64_t(get<uint32_t>(S(0))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    if constexpr (kV.traced) REC(Write, ea, bytes, 3);                       \
    vmem_write<kV.shared()>(mem + ea, vget<V128>(S(1)));                     \
    NEXT(3);                                                                 \
  }
  // Lane loads: a3 = the vector operand, a4 = lane (a5 = site).
#define V_LOAD_LANE(Sfx, Name, bytes)                                        \
  L_##Name##_##Sfx : {                                                       \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                   \
    const uint64_t ea = uint64_t(get<uint32_t>(S(1))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    if constexpr (kV.traced) REC(Read, ea, bytes, 5);                        \
    const V128 v = vget<V128>(S(3));                                         \
    vput<V128>(S(0), simd::with_lane(v, vmem_read<bytes, kV.shared()>(mem + ea), AU(4))); \
    NEXT(4);                                                                 \
  }
  // Lane stores: a1 = the vector, a3 = lane (a4 = site: one word more).
#define V_STORE_LANE(Sfx, Name, bytes)                                       \
  L_##Name##_##Sfx : {                                                       \
    constexpr VariantInfo kV = variant_info(Variant::Sfx);                   \
    const uint64_t ea = uint64_t(get<uint32_t>(S(0))) + AU(2);               \
    MEM_CHECK(ea, bytes);                                                    \
    if constexpr (kV.traced) REC(Write, ea, bytes, 4);                       \
    vmem_write<kV.shared()>(mem + ea, simd::lane<UInt<bytes>>(vget<V128>(S(1)), AU(3))); \
    NEXT(kV.traced ? 4 : 3);                                                 \
  }
#define WGI_GEN_VLOAD(Name, bytes) WGI_FAMILY_SIMD_MEM(V_LOAD, Name, bytes)
#define WGI_GEN_VSTORE(Name, bytes) WGI_FAMILY_SIMD_MEM(V_STORE, Name, bytes)
#define WGI_GEN_VLOADLANE(Name, bytes) WGI_FAMILY_SIMD_MEM(V_LOAD_LANE, Name, bytes)
#define WGI_GEN_VSTORELANE(Name, bytes) WGI_FAMILY_SIMD_MEM(V_STORE_LANE, Name, bytes)
#include "interp/gen_ops.h"
#undef V_LOAD
#undef V_STORE
#undef V_LOAD_LANE
#undef V_STORE_LANE

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
  // Bulk operations (generated, ANY_MEM family): memory.copy a0 = s dst,
  // a1 = s src, a2 = s n; memory.fill a0 = s dst, a1 = s value, a2 = s n;
  // memory.init a0 = segment, a1 = s dst, a2 = s src, a3 = s n. Traced
  // variants record the ranges once the bounds checks passed, with the site
  // in the field after the operands.
#define REC_RANGE(op, a, n, k) \
  if ((n) && t->trace_->push_range(EventOp::op, (a), (n), AU(k))) [[unlikely]] GIVE_BACKTRACE()
#define BULK_MemoryCopy(kTraced)                                                              \
  {                                                                                           \
    const uint64_t d = get<uint32_t>(S(0)), s = get<uint32_t>(S(1)), n = get<uint32_t>(S(2)); \
    MEM_CHECK(d, n);                                                                          \
    MEM_CHECK(s, n);                                                                          \
    if constexpr (kTraced) {                                                                  \
      REC_RANGE(Read, s, n, 3);                                                               \
      REC_RANGE(Write, d, n, 3);                                                              \
    }                                                                                         \
    if (inst->memory->shared()) [[unlikely]]                                                  \
      shared_move(mem + d, mem + s, n);                                                       \
    else                                                                                      \
      std::memmove(mem + d, mem + s, n);                                                      \
    NEXT(3);                                                                                  \
  }
#define BULK_MemoryFill(kTraced)                                                              \
  {                                                                                           \
    const uint64_t d = get<uint32_t>(S(0)), n = get<uint32_t>(S(2));                          \
    MEM_CHECK(d, n);                                                                          \
    if constexpr (kTraced) REC_RANGE(Write, d, n, 3);                                         \
    if (inst->memory->shared()) [[unlikely]]                                                  \
      shared_fill(mem + d, static_cast<uint8_t>(get<uint32_t>(S(1))), n);                     \
    else                                                                                      \
      std::memset(mem + d, static_cast<uint8_t>(get<uint32_t>(S(1))), n);                     \
    NEXT(3);                                                                                  \
  }
#define BULK_MemoryInit(kTraced)                                                              \
  {                                                                                           \
    const uint32_t seg = AU(0);                                                               \
    const uint64_t d = get<uint32_t>(S(1)), s = get<uint32_t>(S(2)), n = get<uint32_t>(S(3)); \
    const DataSegment& ds = inst->mod().datas[seg];                                           \
    const uint64_t len = inst->data_dropped[seg] ? 0 : ds.data_size;                          \
    if (s + n > len) TRAP(TrapKind::OutOfBoundsMemoryAccess);                                 \
    MEM_CHECK(d, n);                                                                          \
    if constexpr (kTraced) REC_RANGE(Write, d, n, 4);                                         \
    inst->memory->copy_in(d, inst->mod().bytes.data() + ds.data_offset + s, n);               \
    NEXT(kTraced ? 4 : 3);                                                                    \
  }
#define BULK_HANDLER(Sfx, Name) \
  L_##Name##_##Sfx : BULK_##Name(variant_info(Variant::Sfx).traced)
#define WGI_GEN_BULK(Name) WGI_FAMILY_ANY_MEM(BULK_HANDLER, Name)
#include "interp/gen_ops.h"
#undef BULK_HANDLER
#undef BULK_MemoryCopy
#undef BULK_MemoryFill
#undef BULK_MemoryInit
#undef REC_RANGE
#undef REC
#undef GIVE_BACKTRACE
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
