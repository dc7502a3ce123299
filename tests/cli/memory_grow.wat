;; One page of memory, for --max-memory (tests/cli/run_test.cc): "grow" (n)
;; -> the old size in pages, or -1.
(module
  (memory 1)
  (func (export "grow") (param i32) (result i32)
    (memory.grow (local.get 0))))
