;; br_table microbenchmarks: a loop whose body is an eight-way br_table;
;; each case updates the accumulator differently, then falls out to the
;; loop's back edge. Each export takes an iteration count n >= 1.

(module
  ;; Selector n & 7: the cases in a fixed cycle (predictable).
  (func (export "br_table_cycle") (param $n i32) (result i32)
    (local $acc i32) (local $sel i32)
    (loop $l
      (local.set $sel (i32.and (local.get $n) (i32.const 7)))
      (block $done
        (block $c7 (block $c6 (block $c5 (block $c4
        (block $c3 (block $c2 (block $c1 (block $c0
          (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7 $c7 (local.get $sel)))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $done))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55))) (br $done))
          (local.set $acc (i32.sub (local.get $acc) (i32.const 3))) (br $done))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 3))) (br $done))
          (local.set $acc (i32.add (local.get $acc) (i32.const 77))) (br $done))
          (local.set $acc (i32.rotl (local.get $acc) (i32.const 1))) (br $done))
          (local.set $acc (i32.or (local.get $acc) (i32.const 0x100))) (br $done))
          (local.set $acc (i32.shr_u (local.get $acc) (i32.const 1))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))

  ;; Selector from a pseudo-random sequence (unpredictable for the host).
  (func (export "br_table_random") (param $n i32) (result i32)
    (local $acc i32) (local $s i32)
    (local.set $s (i32.const 12345))
    (loop $l
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 1103515245)) (i32.const 12345)))
      (block $done
        (block $c7 (block $c6 (block $c5 (block $c4
        (block $c3 (block $c2 (block $c1 (block $c0
          (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7 $c7
            (i32.shr_u (local.get $s) (i32.const 29))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1))) (br $done))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55))) (br $done))
          (local.set $acc (i32.sub (local.get $acc) (i32.const 3))) (br $done))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 3))) (br $done))
          (local.set $acc (i32.add (local.get $acc) (i32.const 77))) (br $done))
          (local.set $acc (i32.rotl (local.get $acc) (i32.const 1))) (br $done))
          (local.set $acc (i32.or (local.get $acc) (i32.const 0x100))) (br $done))
          (local.set $acc (i32.shr_u (local.get $acc) (i32.const 1))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
)
