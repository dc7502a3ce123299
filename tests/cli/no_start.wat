;; Neither a start function nor _start: wgi run just instantiates.
(module (func (export "f") (result i32) (i32.const 5)))
