# wgi_clang_wasm(OUTPUT <file.wasm> SOURCE <file.c> CLANG <clang>
#                [COMPILE_FLAGS <flag>...] [LINK_FLAGS <flag>...]
#                [DEPENDS <file>...] [COMMENT <text>])
#
# Adds the custom command that builds one C source into a wasm32 module with
# clang, in two steps: compile (`-c`, with COMPILE_FLAGS, the optimisation
# level among them) to <file.wasm>.o, then link with LINK_FLAGS only.
#
# Why two steps: when clang links for wasm32 with an optimisation flag on its
# command line (-O1 and up) and finds binaryen's `wasm-opt` on PATH, it runs
# `wasm-opt` on the linked module with no feature flags. Binaryen 108
# (Debian 12) then rejects every module that uses atomics or bulk memory
# ("Atomic operation (atomics are disabled)"), so one-step builds fail on any
# machine that has binaryen installed. A link step without -O never runs
# wasm-opt, so the modules are the same bytes whether or not binaryen is
# there (the code was optimised by the compile step).
#
# wgi_clang_wasm_probe(<result_var> <output_var> CLANG <clang> SOURCE <file.c>
#                      OUTPUT <file.wasm> [COMPILE_FLAGS ...] [LINK_FLAGS ...])
# does the same at configure time (execute_process), for toolchain checks.
include_guard(GLOBAL)

function(wgi_clang_wasm)
  cmake_parse_arguments(ARG "" "OUTPUT;SOURCE;CLANG;COMMENT" "COMPILE_FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  if(NOT ARG_OUTPUT OR NOT ARG_SOURCE OR NOT ARG_CLANG)
    message(FATAL_ERROR "wgi_clang_wasm: OUTPUT, SOURCE and CLANG are required")
  endif()
  get_filename_component(dir "${ARG_OUTPUT}" DIRECTORY)
  set(obj "${ARG_OUTPUT}.o")
  if(NOT ARG_COMMENT)
    get_filename_component(name "${ARG_OUTPUT}" NAME)
    set(ARG_COMMENT "clang --target=wasm32 ${name}")
  endif()
  add_custom_command(
    OUTPUT "${ARG_OUTPUT}"
    BYPRODUCTS "${obj}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND "${ARG_CLANG}" ${ARG_COMPILE_FLAGS} -c "${ARG_SOURCE}" -o "${obj}"
    COMMAND "${ARG_CLANG}" ${ARG_LINK_FLAGS} "${obj}" -o "${ARG_OUTPUT}"
    DEPENDS "${ARG_SOURCE}" ${ARG_DEPENDS} "${ARG_CLANG}"
    COMMENT "${ARG_COMMENT}"
    VERBATIM)
endfunction()

function(wgi_clang_wasm_probe result_var output_var)
  cmake_parse_arguments(ARG "" "OUTPUT;SOURCE;CLANG" "COMPILE_FLAGS;LINK_FLAGS" ${ARGN})
  execute_process(
    COMMAND "${ARG_CLANG}" ${ARG_COMPILE_FLAGS} -c "${ARG_SOURCE}" -o "${ARG_OUTPUT}.o"
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(status EQUAL 0)
    execute_process(
      COMMAND "${ARG_CLANG}" ${ARG_LINK_FLAGS} "${ARG_OUTPUT}.o" -o "${ARG_OUTPUT}"
      RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  endif()
  set(${result_var} "${status}" PARENT_SCOPE)
  set(${output_var} "${out}" PARENT_SCOPE)
endfunction()
