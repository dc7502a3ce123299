;; A table without a maximum, for --max-table-elements (tests/cli/run_test.cc):
;; "grow" (n) -> the old size, or -1.
(module
  (table 1 funcref)
  (func (export "grow") (param i32) (result i32)
    (table.grow 0 (ref.null func) (local.get 0))))
