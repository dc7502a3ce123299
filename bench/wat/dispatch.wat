;; Dispatch microbenchmarks: tight loops of arithmetic on locals, so the
;; time per iteration is almost all instruction dispatch. Each export takes
;; an iteration count n >= 1 and returns a value that depends on every
;; iteration. The Wasm instruction counts per iteration quoted below are
;; what dispatch_bench.cc divides by for its ns/instr counter.

(module
  ;; The loop skeleton alone: 5 instructions per iteration
  ;; (local.get, i32.const, i32.sub, local.tee, br_if).
  (func (export "empty_loop") (param $n i32) (result i32)
    (loop $l
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $n))

  ;; i32 arithmetic, a mix of constant and register operands with a
  ;; dependency chain through x and y: 29 instructions per iteration
  ;; (24 in the body plus the 5 of the skeleton).
  (func (export "i32_arith") (param $n i32) (result i32)
    (local $x i32) (local $y i32)
    (local.set $x (i32.const 1))
    (local.set $y (i32.const 7))
    (loop $l
      ;; x = x * 31 + n
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 31)) (local.get $n)))
      ;; y = (y ^ (x >> 3)) + 0x9e37
      (local.set $y (i32.add (i32.xor (local.get $y) (i32.shr_u (local.get $x) (i32.const 3)))
                             (i32.const 0x9e37)))
      ;; x = (x & 0xffff) | (y << 5) - y
      (local.set $x (i32.or (i32.and (local.get $x) (i32.const 0xffff))
                            (i32.sub (i32.shl (local.get $y) (i32.const 5)) (local.get $y))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (local.get $x) (local.get $y)))

  ;; The same dependency chain in i64 (plus one i64.extend_i32_u): 30
  ;; instructions per iteration.
  (func (export "i64_arith") (param $n i32) (result i32)
    (local $x i64) (local $y i64)
    (local.set $x (i64.const 1))
    (local.set $y (i64.const 7))
    (loop $l
      (local.set $x (i64.add (i64.mul (local.get $x) (i64.const 31)) (i64.extend_i32_u (local.get $n))))
      (local.set $y (i64.add (i64.xor (local.get $y) (i64.shr_u (local.get $x) (i64.const 3)))
                             (i64.const 0x9e37)))
      (local.set $x (i64.or (i64.and (local.get $x) (i64.const 0xffff))
                            (i64.sub (i64.shl (local.get $y) (i64.const 5)) (local.get $y))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.wrap_i64 (i64.add (local.get $x) (local.get $y))))

  ;; f64 multiply-add chain (a damped oscillator): 19 instructions per
  ;; iteration (14 + 5).
  (func (export "f64_arith") (param $n i32) (result i32)
    (local $p f64) (local $v f64)
    (local.set $p (f64.const 1))
    (loop $l
      ;; v = v * 0.999 - p * 0.001 ; p = p + v * 0.01
      (local.set $v (f64.sub (f64.mul (local.get $v) (f64.const 0.999))
                             (f64.mul (local.get $p) (f64.const 0.001))))
      (local.set $p (f64.add (local.get $p) (f64.mul (local.get $v) (f64.const 0.01))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.trunc_sat_f64_s (f64.mul (local.get $p) (f64.const 1e6))))
)
