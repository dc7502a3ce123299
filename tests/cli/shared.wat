;; Uses the threads proposal: valid for wgi by default, rejected with --no-threads.
(module
  (memory (export "mem") 1 1 shared)
  (func $bump (export "bump") (result i32)
    (i32.atomic.rmw.add (i32.const 0) (i32.const 1))))
