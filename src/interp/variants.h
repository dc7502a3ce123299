// The handler variants of variants.def as C++ values: what the compiler
// selects by, and what a handler body reads (as constants) to know which
// variant it is.
#pragma once

#include <cstdint>

namespace wgi::interp {

// How a handler gets its operands (variants.def explains each).
enum class Form : uint8_t {
  Slots,
  Imm,
  Addr,
  AddrImm,
  AddrAdd,
  Branch,
  BranchImm,
  LoopBranch,
  LoopBranchImm,
};

// The kind of memory 0 a variant is for.
enum class MemKind : uint8_t { Any, Unshared, Shared };

enum class Variant : uint8_t {
#define WGI_VARIANT(Sfx, text, form, mem, traced) Sfx,
#include "interp/variants.def"
  Count_
};
inline constexpr unsigned kVariantCount = static_cast<unsigned>(Variant::Count_);

struct VariantInfo {
  const char* suffix;  // appended to the operation's name
  Form form;
  MemKind mem;
  bool traced;

  // A variant for a shared memory: plain accesses must not be plain C++
  // loads and stores (mem_access.h).
  constexpr bool shared() const { return mem == MemKind::Shared; }
  // Serves memory 0 of the given sharedness.
  constexpr bool serves(bool shared_memory) const {
    return mem == MemKind::Any || (mem == MemKind::Shared) == shared_memory;
  }
  constexpr bool immediate() const {
    return form == Form::Imm || form == Form::BranchImm || form == Form::LoopBranchImm;
  }
  constexpr bool loop() const { return form == Form::LoopBranch || form == Form::LoopBranchImm; }
};

inline constexpr VariantInfo kVariantInfo[kVariantCount] = {
#define WGI_VARIANT(Sfx, text, form, mem, traced) {text, Form::form, MemKind::mem, traced != 0},
#include "interp/variants.def"
};

constexpr const VariantInfo& variant_info(Variant v) { return kVariantInfo[static_cast<unsigned>(v)]; }

}  // namespace wgi::interp
