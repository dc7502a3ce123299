;; wgi run: argument parsing, result printing and the trap report
;; (tests/cli/run_test.cc). Compiled with --debug-names, so the name section
;; names every function for backtraces.
(module
  (type $i32->i32 (func (param i32) (result i32)))
  (memory (export "mem") 1)
  (global (export "answer") i32 (i32.const 42))
  (table $t 4 funcref)
  (elem (i32.const 0) $double $to_f32)

  ;; ---- arguments and results ----
  (func $add_i32 (export "add_i32") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func $add_i64 (export "add_i64") (param i64 i64) (result i64)
    (i64.add (local.get 0) (local.get 1)))
  (func $add_f32 (export "add_f32") (param f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 1)))
  (func $add_f64 (export "add_f64") (param f64 f64) (result f64)
    (f64.add (local.get 0) (local.get 1)))
  (func (export "id_f32") (param f32) (result f32) (local.get 0))
  (func (export "id_f64") (param f64) (result f64) (local.get 0))
  ;; Bit patterns in and out, to check nan payloads exactly.
  (func (export "f32_bits") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
  (func (export "f64_bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "f32_from_bits") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
  (func (export "f64_from_bits") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
  ;; Several results, each on its own line.
  (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (func (export "mixed") (param i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
      (f64.add (f64.promote_f32 (local.get 2)) (local.get 3))))

  ;; ---- traps, with a call chain for the backtrace ----
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $middle (param i32) (result i32)
    (i32.add (call $div (local.get 0) (i32.const 0)) (i32.const 1)))
  (func $outer (export "outer") (param i32) (result i32)
    (call $middle (local.get 0)))
  (func (export "unreachable") (unreachable))
  (func (export "overflow") (param i32) (result i32)
    (i32.div_s (local.get 0) (i32.const -1)))
  (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func $double (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $to_f32 (param i32) (result f32) (f32.convert_i32_s (local.get 0)))
  (func (export "call_indirect") (param i32 i32) (result i32)
    (call_indirect $t (type $i32->i32) (local.get 0) (local.get 1)))
)
