;; Host functions called from Wasm, and Wasm called back from the host on
;; the same Thread (host_test.cc).
(module
  (type $i32->i32 (func (param i32) (result i32)))
  (import "host" "add" (func $add (param i32 i64) (result i64)))
  (import "host" "fail" (func $fail))
  (import "host" "reenter" (func $reenter (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $reenter)

  (func (export "call_add") (param i32 i64) (result i64)
    (i64.mul (call $add (local.get 0) (local.get 1)) (i64.const 2)))
  (func $via_fail (export "call_fail") (call $fail))
  ;; fact(n) = n * fact(n - 1), where fact(n - 1) is computed by the host,
  ;; which invokes "fact" again on the same Thread.
  (func $fact (export "fact") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (i32.mul (local.get 0) (call $reenter (i32.sub (local.get 0) (i32.const 1)))))))
  ;; The same through call_indirect: a host function in a table.
  (func (export "fact_indirect") (param i32) (result i32)
    (call_indirect (type $i32->i32) (local.get 0) (i32.const 0)))
  (func (export "unreachable") (unreachable))
  (func (export "recurse") (param i32) (result i32)
    (call $reenter (local.get 0)))
  ;; Calls the host (whose nested invocation may trap and be handled by the
  ;; host), then traps itself.
  (func $then_trap (export "reenter_then_trap") (param i32)
    (drop (call $reenter (local.get 0)))
    (unreachable)))
