;; Function 1 ("bad") returns an i64 where its type says i32: a validation
;; error inside a body, reported with the function's index and name.
;; Compiled with wat2wasm --no-check.
(module
  (func $fine (result i32) (i32.const 1))
  (func $bad (result i32) (i64.const 1)))
