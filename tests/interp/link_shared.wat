;; Imports a shared memory (link_test.cc).
(module (import "m" "mem" (memory 1 2 shared)))
