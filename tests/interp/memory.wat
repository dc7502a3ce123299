;; memory.grow and bounds checks at the edge of memory (memory_test.cc).
;; The memory starts with 1 page and may grow to 3.
(module
  (memory (export "mem") 1 3)
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  ;; Constant offsets: the effective address is addr + offset, computed
  ;; without 32-bit wraparound.
  (func (export "load8_off1") (param i32) (result i32) (i32.load8_u offset=1 (local.get 0)))
  (func (export "load32_off_max") (param i32) (result i32)
    (i32.load offset=0xFFFFFFFF (local.get 0)))
  (func (export "load8_off_max") (param i32) (result i32)
    (i32.load8_u offset=0xFFFFFFFF (local.get 0)))
  (func (export "store32_off_max") (param i32) (i32.store offset=0xFFFFFFFF (local.get 0) (i32.const 1)))
  (func (export "load32_off_page") (param i32) (result i32)
    (i32.load offset=65532 (local.get 0)))
  ;; Grows by one page, then loads: the load must see the new size (the
  ;; interpreter caches the size; a failing check re-reads it).
  (func (export "grow_then_load32") (param i32) (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.load (local.get 0)))
  ;; Bulk memory bounds.
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32) (memory.init $seg (local.get 0) (local.get 1) (local.get 2)))
  (data $seg "wxyz")
  ;; An atomic access at the edge.
  (func (export "atomic_load32") (param i32) (result i32) (i32.atomic.load (local.get 0)))
)
