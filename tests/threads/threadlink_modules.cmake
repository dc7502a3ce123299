# The wasm programs of threadlink_test.cc, compiled from tests/threads/*.c
# with examples/threadlink/wgi_wasm_c.cmake (included by
# examples/threadlink/CMakeLists.txt before this file) into
# build/tests/threadlink-data/. tl_program.c is built in four variants, and
# the functional tests run on each:
#
#   tl_program                clang's default layout (data, stack, heap)
#   tl_program_stack_first    --stack-first (rustc's layout: stack at 0)
#   tl_program_stripped       no name section: the runtime finds the stack
#                             pointer without the name __stack_pointer
#   tl_program_traced         WGI_TRACE_HOOKS=1: imports the lock hooks
#
# plus tl_no_tls (no thread-locals; also built without the TLS exports),
# tl_no_thread_start (lacks the thread_start export) and tl_many (thousands
# of threads alive at once). The tests also run the examples
# (WGI_THREADLINK_EXAMPLES_DIR).
set(WGI_THREADLINK_TEST_DATA "${CMAKE_BINARY_DIR}/tests/threadlink-data")
set(_tl_dir "${CMAKE_SOURCE_DIR}/tests/threads")
set(_tl_deps "${CMAKE_SOURCE_DIR}/examples/threadlink/wgi_threads.h")
set(_tl_include -I${CMAKE_SOURCE_DIR}/examples/threadlink)
set(_tl_args OUTPUT_DIR ${WGI_THREADLINK_TEST_DATA} DEPENDS ${_tl_deps})

# 128 MiB: the tree test has 85 threads alive, each with a 1 MiB stack.
wgi_add_wasm_c(wgi_threadlink_test_program SOURCES ${_tl_dir}/tl_program.c
  MAX_MEMORY 134217728 CFLAGS ${_tl_include} ${_tl_args})
wgi_add_wasm_c(wgi_threadlink_test_program_sf SOURCES ${_tl_dir}/tl_program.c
  MAX_MEMORY 134217728 SUFFIX _stack_first CFLAGS ${_tl_include} LDFLAGS -Wl,--stack-first ${_tl_args})
wgi_add_wasm_c(wgi_threadlink_test_program_stripped SOURCES ${_tl_dir}/tl_program.c
  MAX_MEMORY 134217728 SUFFIX _stripped CFLAGS ${_tl_include} LDFLAGS -Wl,--strip-all ${_tl_args})
wgi_add_wasm_c(wgi_threadlink_test_program_traced SOURCES ${_tl_dir}/tl_program.c
  MAX_MEMORY 134217728 SUFFIX _traced CFLAGS ${_tl_include} -DWGI_TRACE_HOOKS=1 ${_tl_args})
wgi_add_wasm_c(wgi_threadlink_test_small
  SOURCES ${_tl_dir}/tl_no_tls.c ${_tl_dir}/tl_no_thread_start.c CFLAGS ${_tl_include} ${_tl_args})
wgi_add_wasm_c(wgi_threadlink_test_no_tls_exports SOURCES ${_tl_dir}/tl_no_tls.c
  SUFFIX _no_exports NO_TLS_EXPORTS CFLAGS ${_tl_include} ${_tl_args})
# 64 MiB: the tests give tl_many's 2000 threads 16 KiB stacks each.
wgi_add_wasm_c(wgi_threadlink_test_many SOURCES ${_tl_dir}/tl_many.c
  MAX_MEMORY 67108864 CFLAGS ${_tl_include} ${_tl_args})

add_custom_target(wgi_threadlink_test_data DEPENDS
  wgi_threadlink_test_program wgi_threadlink_test_program_sf wgi_threadlink_test_program_stripped
  wgi_threadlink_test_program_traced wgi_threadlink_test_small wgi_threadlink_test_no_tls_exports
  wgi_threadlink_test_many)

# wgi_tests is defined later (tests/ comes after examples/): attach the data
# to it once the top-level CMakeLists.txt has been read. The directory goes
# through a global property, since the deferred call runs in another scope.
set_property(GLOBAL PROPERTY WGI_THREADLINK_TEST_DATA "${WGI_THREADLINK_TEST_DATA}")
set_property(GLOBAL PROPERTY WGI_THREADLINK_EXAMPLES_DIR "${WGI_THREADLINK_EXAMPLES_DIR}")
function(_wgi_threadlink_attach_test_data)
  if(TARGET wgi_tests)
    get_property(dir GLOBAL PROPERTY WGI_THREADLINK_TEST_DATA)
    get_property(examples GLOBAL PROPERTY WGI_THREADLINK_EXAMPLES_DIR)
    add_dependencies(wgi_tests wgi_threadlink_test_data wgi_threadlink_examples)
    target_compile_definitions(wgi_tests PRIVATE WGI_THREADLINK_TEST_DATA="${dir}"
      WGI_THREADLINK_EXAMPLES_DIR="${examples}")
  endif()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL _wgi_threadlink_attach_test_data)
