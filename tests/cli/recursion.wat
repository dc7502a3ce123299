;; Deep and infinite recursion, direct and through call_indirect. The
;; interpreter never recurses on the native stack, so these end in
;; "call stack exhausted" (or complete), never in a signal.
(module
  (type $v (func))
  (type $i32->i32 (func (param i32) (result i32)))
  (table $t 2 funcref)
  (elem (i32.const 0) $forever_indirect $depth_indirect)

  (func $forever (export "forever") (call $forever))
  (func $forever_indirect (export "forever_indirect")
    (call_indirect $t (type $v) (i32.const 0)))

  ;; Recurses n deep (not a tail call: the result is used), returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
  (func $depth_indirect (export "depth_indirect") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add
              (call_indirect $t (type $i32->i32)
                (i32.sub (local.get $n) (i32.const 1)) (i32.const 1))
              (i32.const 1))))))
