;; call_indirect microbenchmarks: eight small functions of one type in a
;; table, called through it in a loop with three patterns of table index.
;; Each export takes an iteration count n >= 1.

(module
  (type $unop (func (param i32) (result i32)))
  (table 8 funcref)
  (elem (i32.const 0) $f0 $f1 $f2 $f3 $f4 $f5 $f6 $f7)
  (func $f0 (type $unop) (i32.add (local.get 0) (i32.const 1)))
  (func $f1 (type $unop) (i32.add (local.get 0) (i32.const 3)))
  (func $f2 (type $unop) (i32.xor (local.get 0) (i32.const 5)))
  (func $f3 (type $unop) (i32.sub (local.get 0) (i32.const 7)))
  (func $f4 (type $unop) (i32.mul (local.get 0) (i32.const 9)))
  (func $f5 (type $unop) (i32.or (local.get 0) (i32.const 11)))
  (func $f6 (type $unop) (i32.shl (local.get 0) (i32.const 1)))
  (func $f7 (type $unop) (i32.shr_u (local.get 0) (i32.const 1)))

  ;; Always entry 0: one target.
  (func (export "ci_mono") (param $n i32) (result i32)
    (local $x i32)
    (loop $l
      (local.set $x (call_indirect (type $unop) (local.get $x) (i32.const 0)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))

  ;; Entries 0..7 in turn: eight targets in a predictable cycle.
  (func (export "ci_cycle") (param $n i32) (result i32)
    (local $x i32)
    (loop $l
      (local.set $x (call_indirect (type $unop) (local.get $x)
                      (i32.and (local.get $n) (i32.const 7))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))

  ;; Entries chosen by a pseudo-random sequence: the host branch predictor
  ;; cannot learn the target. The LCG step costs 6 more instructions.
  (func (export "ci_random") (param $n i32) (result i32)
    (local $x i32) (local $s i32)
    (local.set $s (i32.const 12345))
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $x (call_indirect (type $unop) (local.get $x)
                      (i32.shr_u (local.get $s) (i32.const 29))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $x))
)
