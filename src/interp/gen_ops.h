// Stamps out the interpreter's generated instruction families from the rows
// of decoder/opcodes.def. Include this file after defining either
//
//   WGI_GEN_VARIANT(Sfx, Name)   called once per generated instruction
//                                (IOp::Name_Sfx), in the IOp enum's order:
//                                for lists of instructions (the enum, the
//                                info table, the handler label table)
//
// or any of the family macros, for code that needs each family's types:
//
//   WGI_GEN_UNARY(Name, TA, TR)        numeric [TA] -> [TR]
//   WGI_GEN_BINARY(Name, TA, TR)       numeric [TA TA] -> [TR] (integer and
//                                      float ops; the 2nd may be an immediate)
//   WGI_GEN_CMP_BRANCH(Name, T)        integer comparison of two T, fused
//                                      with a conditional branch
//   WGI_GEN_LOAD(Name, TR, bytes)      plain load
//   WGI_GEN_STORE(Name, TV, bytes)     plain store
//   WGI_GEN_ATOMIC(Name, sig, bytes)   threads-proposal memory op
//   WGI_GEN_BULK(Name)                 memory.copy / memory.fill / memory.init
//   SIMD (0xFD rows), TA/TR being V128 or a scalar type:
//   WGI_GEN_VUNARY(Name, TA, TR)       [TA] -> [TR] (incl. splats, any_true)
//   WGI_GEN_VBINARY(Name, TA, TB)      [v128 TB] -> [v128] (TA is V128)
//   WGI_GEN_VTERNARY(Name)             [v128 v128 v128] -> [v128]
//   WGI_GEN_VEXTRACT(Name, T)          lane immediate: v128 -> T
//   WGI_GEN_VREPLACE(Name, T)          lane immediate: [v128 T] -> [v128]
//   WGI_GEN_VSHUFFLE(Name)             16 lane bytes: [v128 v128] -> [v128]
//   WGI_GEN_VLOAD(Name, bytes)         [addr] -> [v128], loading `bytes`
//   WGI_GEN_VSTORE(Name, bytes)        [addr v128] -> []
//   WGI_GEN_VLOADLANE(Name, bytes)     [addr v128] -> [v128], lane immediate
//   WGI_GEN_VSTORELANE(Name, bytes)    [addr v128] -> [], lane immediate
//
// (undefined ones expand to nothing). A family macro stands for all of the
// family's variants (interp/variants.def lists them): its definition
// normally expands WGI_FAMILY_<family>(BODY, Name, ...) to stamp one body per
// variant. TA/TR/TV are uint32_t, uint64_t, float or double. The families are
// chosen by a row's immediate kind, prefix, signature and kind, so adding a
// row to opcodes.def adds its instructions everywhere.
//
// May be included several times; it undefines the macros it was given.

#include "interp/variants.def"

#ifndef WGI_GEN_OPS_LAYERS_
#define WGI_GEN_OPS_LAYERS_

// Layer 1: immediate kind.
#define WGI_GEN_IMM_None(prefix, Name, sig, bytes, kind) WGI_GEN_PFX_##prefix(Name, sig, kind)
#define WGI_GEN_IMM_Memarg(prefix, Name, sig, bytes, kind) WGI_GEN_MEM_##prefix(Name, sig, bytes)
#define WGI_GEN_IMM_BlockType(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Label(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_BrTable(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Func(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_CallIndirect(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Local(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Global(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Table(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_MemIdx(prefix, Name, sig, bytes, kind) WGI_GEN_MEMIDX_##prefix(Name)
#define WGI_GEN_IMM_Fence(prefix, Name, sig, bytes, kind) WGI_GEN_ATOMIC(Name, sig, bytes)
#define WGI_GEN_IMM_I32(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_I64(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_F32(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_F64(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_V128(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_SelectT(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_RefType(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Lane(prefix, Name, sig, bytes, kind) WGI_GEN_VLANE_##sig(Name)
#define WGI_GEN_IMM_MemargLane(prefix, Name, sig, bytes, kind) WGI_GEN_VLANEMEM_##sig(Name, bytes)
#define WGI_GEN_IMM_Shuffle(prefix, Name, sig, bytes, kind) WGI_GEN_VSHUFFLE(Name)
#define WGI_GEN_IMM_TableInit(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_TableCopy(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_Elem(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_MemInit(prefix, Name, sig, bytes, kind) WGI_GEN_BULK(Name)
#define WGI_GEN_IMM_Data(prefix, Name, sig, bytes, kind)
#define WGI_GEN_IMM_MemCopy(prefix, Name, sig, bytes, kind) WGI_GEN_BULK(Name)

// memory.size and memory.grow are hand-written; memory.fill is bulk.
#define WGI_GEN_MEMIDX_0x00(Name)
#define WGI_GEN_MEMIDX_0xFC(Name) WGI_GEN_BULK(Name)

// Layer 2a: prefix of immediate-free ops.
#define WGI_GEN_PFX_0x00(Name, sig, kind) WGI_GEN_SIG_##sig(Name, kind)
#define WGI_GEN_PFX_0xFC(Name, sig, kind) WGI_GEN_SIG_##sig(Name, kind)
#define WGI_GEN_PFX_0xFD(Name, sig, kind) WGI_GEN_VSIG_##sig(Name)
#define WGI_GEN_PFX_0xFE(Name, sig, kind)

// Layer 3c: SIMD by signature.
#define WGI_GEN_VSIG_v_v(N) WGI_GEN_VUNARY(N, V128, V128)
#define WGI_GEN_VSIG_i_v(N) WGI_GEN_VUNARY(N, uint32_t, V128)
#define WGI_GEN_VSIG_l_v(N) WGI_GEN_VUNARY(N, uint64_t, V128)
#define WGI_GEN_VSIG_f_v(N) WGI_GEN_VUNARY(N, float, V128)
#define WGI_GEN_VSIG_d_v(N) WGI_GEN_VUNARY(N, double, V128)
#define WGI_GEN_VSIG_v_i(N) WGI_GEN_VUNARY(N, V128, uint32_t)
#define WGI_GEN_VSIG_vv_v(N) WGI_GEN_VBINARY(N, V128, V128)
#define WGI_GEN_VSIG_vi_v(N) WGI_GEN_VBINARY(N, V128, uint32_t)
#define WGI_GEN_VSIG_vvv_v(N) WGI_GEN_VTERNARY(N)
#define WGI_GEN_VLANE_v_i(N) WGI_GEN_VEXTRACT(N, uint32_t)
#define WGI_GEN_VLANE_v_l(N) WGI_GEN_VEXTRACT(N, uint64_t)
#define WGI_GEN_VLANE_v_f(N) WGI_GEN_VEXTRACT(N, float)
#define WGI_GEN_VLANE_v_d(N) WGI_GEN_VEXTRACT(N, double)
#define WGI_GEN_VLANE_vi_v(N) WGI_GEN_VREPLACE(N, uint32_t)
#define WGI_GEN_VLANE_vl_v(N) WGI_GEN_VREPLACE(N, uint64_t)
#define WGI_GEN_VLANE_vf_v(N) WGI_GEN_VREPLACE(N, float)
#define WGI_GEN_VLANE_vd_v(N) WGI_GEN_VREPLACE(N, double)
#define WGI_GEN_VLANEMEM_iv_v(N, b) WGI_GEN_VLOADLANE(N, b)
#define WGI_GEN_VLANEMEM_iv_(N, b) WGI_GEN_VSTORELANE(N, b)

// Layer 3a: signature of numeric ops. Integer comparisons (ii_i / ll_i with
// a relation kind) also fuse with branches.
#define WGI_GEN_SIG_Special(N, kind)
#define WGI_GEN_SIG_none(N, kind)
#define WGI_GEN_SIG_iii_(N, kind)
#define WGI_GEN_SIG_i_i(N, kind) WGI_GEN_UNARY(N, uint32_t, uint32_t)
#define WGI_GEN_SIG_i_l(N, kind) WGI_GEN_UNARY(N, uint32_t, uint64_t)
#define WGI_GEN_SIG_i_f(N, kind) WGI_GEN_UNARY(N, uint32_t, float)
#define WGI_GEN_SIG_i_d(N, kind) WGI_GEN_UNARY(N, uint32_t, double)
#define WGI_GEN_SIG_l_i(N, kind) WGI_GEN_UNARY(N, uint64_t, uint32_t)
#define WGI_GEN_SIG_l_l(N, kind) WGI_GEN_UNARY(N, uint64_t, uint64_t)
#define WGI_GEN_SIG_l_f(N, kind) WGI_GEN_UNARY(N, uint64_t, float)
#define WGI_GEN_SIG_l_d(N, kind) WGI_GEN_UNARY(N, uint64_t, double)
#define WGI_GEN_SIG_f_i(N, kind) WGI_GEN_UNARY(N, float, uint32_t)
#define WGI_GEN_SIG_f_l(N, kind) WGI_GEN_UNARY(N, float, uint64_t)
#define WGI_GEN_SIG_f_f(N, kind) WGI_GEN_UNARY(N, float, float)
#define WGI_GEN_SIG_f_d(N, kind) WGI_GEN_UNARY(N, float, double)
#define WGI_GEN_SIG_d_i(N, kind) WGI_GEN_UNARY(N, double, uint32_t)
#define WGI_GEN_SIG_d_l(N, kind) WGI_GEN_UNARY(N, double, uint64_t)
#define WGI_GEN_SIG_d_f(N, kind) WGI_GEN_UNARY(N, double, float)
#define WGI_GEN_SIG_d_d(N, kind) WGI_GEN_UNARY(N, double, double)
#define WGI_GEN_SIG_ii_i(N, kind) \
  WGI_GEN_BINARY(N, uint32_t, uint32_t) WGI_GEN_REL_##kind(N, uint32_t)
#define WGI_GEN_SIG_ll_l(N, kind) WGI_GEN_BINARY(N, uint64_t, uint64_t)
#define WGI_GEN_SIG_ll_i(N, kind) \
  WGI_GEN_BINARY(N, uint64_t, uint32_t) WGI_GEN_REL_##kind(N, uint64_t)
#define WGI_GEN_SIG_ff_f(N, kind) WGI_GEN_BINARY(N, float, float)
#define WGI_GEN_SIG_ff_i(N, kind) WGI_GEN_BINARY(N, float, uint32_t)
#define WGI_GEN_SIG_dd_d(N, kind) WGI_GEN_BINARY(N, double, double)
#define WGI_GEN_SIG_dd_i(N, kind) WGI_GEN_BINARY(N, double, uint32_t)

// Layer 4: the relation of an integer comparison.
#define WGI_GEN_REL_None(N, T)
#define WGI_GEN_REL_Eq(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_Ne(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_LtS(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_LtU(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_GtS(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_GtU(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_LeS(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_LeU(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_GeS(N, T) WGI_GEN_CMP_BRANCH(N, T)
#define WGI_GEN_REL_GeU(N, T) WGI_GEN_CMP_BRANCH(N, T)

// Layer 2b: prefix of memory ops.
#define WGI_GEN_MEM_0x00(Name, sig, bytes) WGI_GEN_MSIG_##sig(Name, bytes)
#define WGI_GEN_MEM_0xFD(Name, sig, bytes) WGI_GEN_VMSIG_##sig(Name, bytes)
#define WGI_GEN_VMSIG_i_v(N, b) WGI_GEN_VLOAD(N, b)
#define WGI_GEN_VMSIG_iv_(N, b) WGI_GEN_VSTORE(N, b)
#define WGI_GEN_MEM_0xFE(Name, sig, bytes) WGI_GEN_ATOMIC(Name, sig, bytes)

// Layer 3b: loads and stores by signature.
#define WGI_GEN_MSIG_i_i(N, b) WGI_GEN_LOAD(N, uint32_t, b)
#define WGI_GEN_MSIG_i_l(N, b) WGI_GEN_LOAD(N, uint64_t, b)
#define WGI_GEN_MSIG_i_f(N, b) WGI_GEN_LOAD(N, float, b)
#define WGI_GEN_MSIG_i_d(N, b) WGI_GEN_LOAD(N, double, b)
#define WGI_GEN_MSIG_ii_(N, b) WGI_GEN_STORE(N, uint32_t, b)
#define WGI_GEN_MSIG_il_(N, b) WGI_GEN_STORE(N, uint64_t, b)
#define WGI_GEN_MSIG_if_(N, b) WGI_GEN_STORE(N, float, b)
#define WGI_GEN_MSIG_id_(N, b) WGI_GEN_STORE(N, double, b)

#endif  // WGI_GEN_OPS_LAYERS_

// List mode: every family stands for its variants' instructions.
#ifdef WGI_GEN_VARIANT
#define WGI_GEN_UNARY(Name, TA, TR) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_BINARY(Name, TA, TR) WGI_FAMILY_BINARY(WGI_GEN_VARIANT, Name)
#define WGI_GEN_CMP_BRANCH(Name, T) WGI_FAMILY_CMP_BRANCH(WGI_GEN_VARIANT, Name)
#define WGI_GEN_LOAD(Name, TR, bytes) WGI_FAMILY_LOAD_STORE(WGI_GEN_VARIANT, Name)
#define WGI_GEN_STORE(Name, TV, bytes) WGI_FAMILY_LOAD_STORE(WGI_GEN_VARIANT, Name)
#define WGI_GEN_ATOMIC(Name, sig, bytes) WGI_FAMILY_ANY_MEM(WGI_GEN_VARIANT, Name)
#define WGI_GEN_BULK(Name) WGI_FAMILY_ANY_MEM(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VUNARY(Name, TA, TR) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VBINARY(Name, TA, TB) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VTERNARY(Name) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VEXTRACT(Name, T) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VREPLACE(Name, T) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VSHUFFLE(Name) WGI_FAMILY_SLOTS(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VLOAD(Name, bytes) WGI_FAMILY_SIMD_MEM(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VSTORE(Name, bytes) WGI_FAMILY_SIMD_MEM(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VLOADLANE(Name, bytes) WGI_FAMILY_SIMD_MEM(WGI_GEN_VARIANT, Name)
#define WGI_GEN_VSTORELANE(Name, bytes) WGI_FAMILY_SIMD_MEM(WGI_GEN_VARIANT, Name)
#endif

#ifndef WGI_GEN_UNARY
#define WGI_GEN_UNARY(Name, TA, TR)
#endif
#ifndef WGI_GEN_BINARY
#define WGI_GEN_BINARY(Name, TA, TR)
#endif
#ifndef WGI_GEN_CMP_BRANCH
#define WGI_GEN_CMP_BRANCH(Name, T)
#endif
#ifndef WGI_GEN_LOAD
#define WGI_GEN_LOAD(Name, TR, bytes)
#endif
#ifndef WGI_GEN_STORE
#define WGI_GEN_STORE(Name, TV, bytes)
#endif
#ifndef WGI_GEN_ATOMIC
#define WGI_GEN_ATOMIC(Name, sig, bytes)
#endif
#ifndef WGI_GEN_BULK
#define WGI_GEN_BULK(Name)
#endif
#ifndef WGI_GEN_VUNARY
#define WGI_GEN_VUNARY(Name, TA, TR)
#endif
#ifndef WGI_GEN_VBINARY
#define WGI_GEN_VBINARY(Name, TA, TB)
#endif
#ifndef WGI_GEN_VTERNARY
#define WGI_GEN_VTERNARY(Name)
#endif
#ifndef WGI_GEN_VEXTRACT
#define WGI_GEN_VEXTRACT(Name, T)
#endif
#ifndef WGI_GEN_VREPLACE
#define WGI_GEN_VREPLACE(Name, T)
#endif
#ifndef WGI_GEN_VSHUFFLE
#define WGI_GEN_VSHUFFLE(Name)
#endif
#ifndef WGI_GEN_VLOAD
#define WGI_GEN_VLOAD(Name, bytes)
#endif
#ifndef WGI_GEN_VSTORE
#define WGI_GEN_VSTORE(Name, bytes)
#endif
#ifndef WGI_GEN_VLOADLANE
#define WGI_GEN_VLOADLANE(Name, bytes)
#endif
#ifndef WGI_GEN_VSTORELANE
#define WGI_GEN_VSTORELANE(Name, bytes)
#endif

#define WGI_OP(prefix, code, Name, text, imm, sig, bytes, flags, kind) \
  WGI_GEN_IMM_##imm(prefix, Name, sig, bytes, kind)
#include "decoder/opcodes.def"

#undef WGI_GEN_VARIANT
#undef WGI_GEN_UNARY
#undef WGI_GEN_BINARY
#undef WGI_GEN_CMP_BRANCH
#undef WGI_GEN_LOAD
#undef WGI_GEN_STORE
#undef WGI_GEN_ATOMIC
#undef WGI_GEN_BULK
#undef WGI_GEN_VUNARY
#undef WGI_GEN_VBINARY
#undef WGI_GEN_VTERNARY
#undef WGI_GEN_VEXTRACT
#undef WGI_GEN_VREPLACE
#undef WGI_GEN_VSHUFFLE
#undef WGI_GEN_VLOAD
#undef WGI_GEN_VSTORE
#undef WGI_GEN_VLOADLANE
#undef WGI_GEN_VSTORELANE
