;; An active element segment past the end of its table.
(module
  (table 2 funcref)
  (func $f)
  (elem (i32.const 1) $f $f))
