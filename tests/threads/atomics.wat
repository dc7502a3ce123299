;; Multi-threaded tests of the threads proposal (tests/threads/atomics_test.cc).
;;
;; Every test thread instantiates this module itself, with its own
;; interp::Thread, and all instances import one shared memory from the
;; test's Store. So the only state the threads share is that memory: every
;; function takes the addresses it works on as arguments. Loop counts are
;; always >= 1 (the loops test at the bottom).
(module
  (import "env" "memory" (memory 1 64 shared))

  ;; ---- read-modify-write: n increments of one location ----------------------

  (func (export "add_i32") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.add (local.get $addr) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  (func (export "add_i64") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i64.atomic.rmw.add (local.get $addr) (i64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  (func (export "sub_i64") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i64.atomic.rmw.sub (local.get $addr) (i64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Narrow RMWs: each thread increments its own byte (or half-word) of one
  ;; word, so a narrow RMW implemented on the whole word would lose updates.
  (func (export "add_u8") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw8.add_u (local.get $addr) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  (func (export "add_u16") (param $addr i32) (param $n i32)
    (loop $l
      (drop (i64.atomic.rmw16.add_u (local.get $addr) (i64.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Flips the bits of $mask n times with xor, and sets them with or.
  (func (export "xor_or") (param $addr i32) (param $mask i32) (param $n i32)
    (loop $l
      (drop (i32.atomic.rmw.xor (local.get $addr) (local.get $mask)))
      (drop (i32.atomic.rmw.or (i32.add (local.get $addr) (i32.const 4)) (local.get $mask)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; Increments with a compare-and-swap loop (load, cmpxchg, retry on
  ;; failure). Returns the number of failed attempts (contention seen).
  (func (export "cas_inc") (param $addr i32) (param $n i32) (result i32)
    (local $old i32) (local $seen i32) (local $retries i32)
    (loop $l
      (local.set $old (i32.atomic.load (local.get $addr)))
      (loop $retry
        (local.set $seen (i32.atomic.rmw.cmpxchg (local.get $addr) (local.get $old)
                                                 (i32.add (local.get $old) (i32.const 1))))
        (if (i32.ne (local.get $seen) (local.get $old))
          (then
            (local.set $retries (i32.add (local.get $retries) (i32.const 1)))
            (local.set $old (local.get $seen))
            (br $retry))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $retries))

  ;; ---- a spin lock protecting plain accesses --------------------------------
  ;; The lock word is 0 (free) or 1 (held). The counter is read and written
  ;; with ordinary i32.load / i32.store: only the lock orders them.
  ;; Also adds each increment to a second plain counter at $counter + 8 as
  ;; an i64 written in two i32 halves, so a torn critical section shows.
  (func (export "lock_inc") (param $lock i32) (param $counter i32) (param $n i32)
    (local $v i64)
    (loop $l
      (block $acquired
        (loop $spin
          (br_if $acquired
            (i32.eqz (i32.atomic.rmw.cmpxchg (local.get $lock) (i32.const 0) (i32.const 1))))
          ;; Test-and-test-and-set: wait with plain-atomic loads until free.
          (loop $busy
            (br_if $busy (i32.atomic.load (local.get $lock))))
          (br $spin)))
      (i32.store (local.get $counter) (i32.add (i32.load (local.get $counter)) (i32.const 1)))
      (local.set $v (i64.add (i64.load offset=8 (local.get $counter)) (i64.const 0x100000001)))
      (i32.store offset=8 (local.get $counter) (i32.wrap_i64 (local.get $v)))
      (i32.store offset=12 (local.get $counter)
        (i32.wrap_i64 (i64.shr_u (local.get $v) (i64.const 32))))
      (i32.atomic.store (local.get $lock) (i32.const 0))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; ---- racing plain accesses ----------------------------------------------------
  ;; Several threads write the 64 bytes at $addr at once with plain stores
  ;; (aligned and not), memory.fill and memory.copy, every byte of every
  ;; write being $b (1..4 per thread), and read them back with plain loads.
  ;; Such races are allowed in Wasm; in the interpreter they must not be
  ;; C++ data races (ThreadSanitizer checks), and no load may see a byte
  ;; nobody wrote. Returns how many loads saw a byte outside 1..4.
  ;; 1 if some byte of $v is outside 1..4, else 0. (With every byte in
  ;; 1..4, subtracting 1 from each borrows nowhere and leaves 0..3.)
  (func $bad_bytes32 (param $v i32) (result i32)
    (i32.ne (i32.const 0)
            (i32.and (i32.sub (local.get $v) (i32.const 0x01010101)) (i32.const 0xFCFCFCFC))))
  (func $bad_bytes64 (param $v i64) (result i32)
    (i64.ne (i64.const 0)
            (i64.and (i64.sub (local.get $v) (i64.const 0x0101010101010101))
                     (i64.const 0xFCFCFCFCFCFCFCFC))))

  (func (export "racy_plain") (param $addr i32) (param $b i32) (param $n i32) (result i32)
    (local $v32 i32) (local $v64 i64) (local $bad i32)
    (local.set $v32 (i32.mul (local.get $b) (i32.const 0x01010101)))
    (local.set $v64 (i64.mul (i64.extend_i32_u (local.get $b)) (i64.const 0x0101010101010101)))
    (loop $l
      (i32.store (local.get $addr) (local.get $v32))
      (i32.store offset=4 (local.get $addr) (local.get $v32))
      (i64.store offset=8 (local.get $addr) (local.get $v64))
      (i32.store8 offset=16 (local.get $addr) (local.get $v32))
      (i32.store16 offset=17 (local.get $addr) (local.get $v32))
      (i32.store16 offset=19 (local.get $addr) (local.get $v32))
      (i32.store offset=21 (local.get $addr) (local.get $v32))
      (i64.store offset=25 (local.get $addr) (local.get $v64))
      (memory.fill (i32.add (local.get $addr) (i32.const 32)) (local.get $b) (i32.const 16))
      (memory.copy (i32.add (local.get $addr) (i32.const 48))
                   (i32.add (local.get $addr) (i32.const 32)) (i32.const 16))
      (local.set $bad (i32.add (local.get $bad)
        (i32.add
          (i32.add (call $bad_bytes32 (i32.load (local.get $addr)))
                   (call $bad_bytes32 (i32.load offset=17 (local.get $addr))))
          (i32.add (call $bad_bytes64 (i64.load offset=29 (local.get $addr)))
                   (call $bad_bytes64 (i64.load offset=48 (local.get $addr)))))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $bad))

  ;; ---- wait / notify -----------------------------------------------------------

  (func (export "wait32") (param $addr i32) (param $expected i32) (param $timeout i64) (result i32)
    (memory.atomic.wait32 (local.get $addr) (local.get $expected) (local.get $timeout)))

  (func (export "wait64") (param $addr i32) (param $expected i64) (param $timeout i64) (result i32)
    (memory.atomic.wait64 (local.get $addr) (local.get $expected) (local.get $timeout)))

  (func (export "notify") (param $addr i32) (param $count i32) (result i32)
    (memory.atomic.notify (local.get $addr) (local.get $count)))

  (func (export "load32") (param $addr i32) (result i32)
    (i32.atomic.load (local.get $addr)))

  ;; Ping-pong: the word at $turn says whose turn it is (0 or 1). Player $me
  ;; waits until it is its turn, hands the turn to the other player and
  ;; notifies it; $rounds times. Returns how many waits returned 0 ("ok",
  ;; woken by a notify), which the test only reports.
  (func (export "ping_pong") (param $turn i32) (param $me i32) (param $rounds i32) (result i32)
    (local $other i32) (local $woken i32)
    (local.set $other (i32.xor (local.get $me) (i32.const 1)))
    (loop $round
      (block $my_turn
        (loop $wait
          (br_if $my_turn (i32.eq (i32.atomic.load (local.get $turn)) (local.get $me)))
          ;; Sleeps only while the word still says "the other's turn".
          (if (i32.eqz (memory.atomic.wait32 (local.get $turn) (local.get $other) (i64.const -1)))
            (then (local.set $woken (i32.add (local.get $woken) (i32.const 1)))))
          (br $wait)))
      (i32.atomic.store (local.get $turn) (local.get $other))
      (drop (memory.atomic.notify (local.get $turn) (i32.const 1)))
      (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
    (local.get $woken))

  ;; ---- memory.grow under running threads ---------------------------------------

  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param $delta i32) (result i32) (memory.grow (local.get $delta)))

  ;; Grows by one page at a time until the maximum. Each successful grow
  ;; returns the old size p, and page p is new: the grower claims it with a
  ;; cmpxchg of its $id on the page's first word. Returns the number of
  ;; pages grown, or -1 if some page was returned to two growers.
  (func (export "grow_all") (param $id i32) (result i32)
    (local $p i32) (local $grown i32)
    (block $done
      (loop $l
        (local.set $p (memory.grow (i32.const 1)))
        (br_if $done (i32.eq (local.get $p) (i32.const -1)))
        (if (i32.atomic.rmw.cmpxchg (i32.shl (local.get $p) (i32.const 16))
                                    (i32.const 0) (local.get $id))
          (then (return (i32.const -1))))
        (local.set $grown (i32.add (local.get $grown) (i32.const 1)))
        (br $l)))
    (local.get $grown))

  ;; Reads and writes the newest page while the memory grows. Iteration i:
  ;;  - s = memory.size must never decrease (else returns -2);
  ;;  - plain-stores an i64 to this thread's slot (offset 64 + 8 * $id) of
  ;;    the last page and of page 0, and reads both back (else returns -1);
  ;;  - atomically increments the last page's counter at offset 1024.
  ;; The counters of all pages sum to the iterations of all threads.
  (func (export "read_write") (param $id i32) (param $n i32) (result i32)
    (local $s i32) (local $prev i32) (local $slot i32) (local $v i64) (local $i i32)
    (loop $l
      (local.set $s (memory.size))
      (if (i32.lt_u (local.get $s) (local.get $prev)) (then (return (i32.const -2))))
      (local.set $prev (local.get $s))
      (local.set $slot
        (i32.add (i32.shl (i32.sub (local.get $s) (i32.const 1)) (i32.const 16))
                 (i32.add (i32.const 64) (i32.shl (local.get $id) (i32.const 3)))))
      (local.set $v (i64.or (i64.shl (i64.extend_i32_u (local.get $id)) (i64.const 32))
                            (i64.extend_i32_u (local.get $i))))
      (i64.store (local.get $slot) (local.get $v))
      (i64.store offset=64 (i32.shl (local.get $id) (i32.const 3)) (local.get $v))
      (if (i64.ne (i64.load (local.get $slot)) (local.get $v)) (then (return (i32.const -1))))
      (if (i64.ne (i64.load offset=64 (i32.shl (local.get $id) (i32.const 3))) (local.get $v))
        (then (return (i32.const -1))))
      (drop (i32.atomic.rmw.add offset=1024
              (i32.shl (i32.sub (local.get $s) (i32.const 1)) (i32.const 16)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.const 0))
)
