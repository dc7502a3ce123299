# WASI command modules from C: the programs of the WASI differential tests
# (tests/wasi/programs/README.md), built with clang --target=wasm32-wasi
# against a wasi-libc sysroot (Debian: apt-get install clang lld wasi-libc
# libclang-rt-14-dev-wasm32; headers in /usr/include/wasm32-wasi).
#
# Including this file finds the toolchain and sets
#
#   WGI_WASI_TESTS (option)  build the programs and run the differential
#       tests. Defaults to ON when clang, wasm-ld and the sysroot are found
#       and can link a small wasm32-wasi program, else OFF with a message
#       saying what is missing. Turned ON by hand without the toolchain,
#       configuring fails with the reason.
#   WGI_WASI_SYSROOT  the wasi-libc sysroot (default /usr, Debian's)
#   WGI_WASI_NODE     node (the tests' reference runtime), or NOTFOUND
#
# wgi_add_wasi_c(<target> OUTPUT_DIR <dir> SOURCES <file.c>...
#                [CFLAGS <flag>...] [LDFLAGS <flag>...] [DEPENDS <file>...])
#   compiles each source on its own into <dir>/<name>.wasm, a WASI preview1
#   command module (wasi-libc's crt1-command: _start calls main), and adds
#   the target <target> (built by default) for them all. Compile and link
#   are separate steps, the optimisation flag only on the first, so clang
#   never runs binaryen's wasm-opt after linking: the same bytes whether or
#   not binaryen is installed (cmake/wgi_clang_wasm.cmake says why).
#
# wgi_wasi_differential_tests(<test target> <data target>
#                             SOURCE_DIR <dir> OUTPUT_DIR <dir>)
#   builds SOURCE_DIR/*.c into OUTPUT_DIR (target <data target>, a
#   dependency of <test target>) and writes OUTPUT_DIR/wasi_differential_config.h
#   for tests/wasi/differential_test.cc: whether the tests are on (and why
#   not), the programs built, where they and their sources are, node and
#   tests/wasi/node_wasi.mjs. The header is written when the tests are off
#   too, so that the test compiles and reports them as skipped, with the
#   reason.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/wgi_clang_wasm.cmake)

find_program(WGI_WASI_CLANG NAMES clang clang-16 clang-15 clang-14
  DOC "clang with the wasm32-wasi target, for the WASI test programs")
find_program(WGI_WASI_LD NAMES wasm-ld wasm-ld-16 wasm-ld-15 wasm-ld-14
  DOC "lld's wasm-ld, the linker clang --target=wasm32-wasi runs")
set(WGI_WASI_SYSROOT "/usr" CACHE PATH
  "wasi-libc sysroot for the WASI test programs (Debian's: /usr; wasi-sdk's: <wasi-sdk>/share/wasi-sysroot)")
find_program(WGI_WASI_NODE NAMES node nodejs DOC "node (20 or later), the WASI differential tests' reference runtime")

# What is missing, if anything (empty: all there).
set(_wgi_wasi_missing "")
if(NOT WGI_WASI_CLANG)
  string(APPEND _wgi_wasi_missing "clang not found; ")
endif()
if(NOT WGI_WASI_LD)
  string(APPEND _wgi_wasi_missing "wasm-ld not found; ")
endif()
if(NOT EXISTS "${WGI_WASI_SYSROOT}/include/wasm32-wasi/wasi/api.h" AND NOT EXISTS "${WGI_WASI_SYSROOT}/include/wasi/api.h")
  string(APPEND _wgi_wasi_missing "no wasi-libc headers under ${WGI_WASI_SYSROOT}/include[/wasm32-wasi] (package wasi-libc); ")
endif()
if(NOT EXISTS "${WGI_WASI_SYSROOT}/lib/wasm32-wasi/libc.a" AND NOT EXISTS "${WGI_WASI_SYSROOT}/lib/libc.a")
  string(APPEND _wgi_wasi_missing "no wasi-libc libc.a under ${WGI_WASI_SYSROOT}/lib[/wasm32-wasi] (package wasi-libc); ")
endif()

set(WGI_WASI_C_COMPILE_FLAGS --target=wasm32-wasi --sysroot=${WGI_WASI_SYSROOT} -O2 -Wall -Wextra)
set(WGI_WASI_C_LINK_FLAGS --target=wasm32-wasi --sysroot=${WGI_WASI_SYSROOT})
if(WGI_WASI_LD)
  list(APPEND WGI_WASI_C_LINK_FLAGS -fuse-ld=${WGI_WASI_LD})
endif()

# Probe: a program using stdio and a raw WASI call, compiled and linked
# exactly as the real ones are (this finds a missing compiler-rt for
# wasm32, libclang-rt-14-dev-wasm32 on Debian, too). Only when nothing is
# known to be missing; a success is cached, a failure is probed again at
# the next configure.
if(_wgi_wasi_missing STREQUAL "" AND NOT WGI_WASI_TOOLCHAIN_OK)
  set(_wgi_probe_dir "${CMAKE_BINARY_DIR}/CMakeFiles/wgi_wasi_c_probe")
  file(MAKE_DIRECTORY "${_wgi_probe_dir}")
  file(WRITE "${_wgi_probe_dir}/probe.c"
    "#include <stdio.h>\n#include <wasi/api.h>\n"
    "int main(int argc, char** argv) {\n"
    "  __wasi_timestamp_t t;\n"
    "  printf(\"%d %d\\n\", argc, (int)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t));\n"
    "  return 0;\n}\n")
  wgi_clang_wasm_probe(_wgi_probe_status _wgi_probe_out CLANG "${WGI_WASI_CLANG}"
    SOURCE "${_wgi_probe_dir}/probe.c" OUTPUT "${_wgi_probe_dir}/probe.wasm"
    COMPILE_FLAGS ${WGI_WASI_C_COMPILE_FLAGS} LINK_FLAGS ${WGI_WASI_C_LINK_FLAGS})
  if(_wgi_probe_status EQUAL 0)
    set(WGI_WASI_TOOLCHAIN_OK ON CACHE INTERNAL "the wasm32-wasi toolchain built the probe")
  else()
    string(REPLACE "\n" " " _wgi_probe_out "${_wgi_probe_out}")
    set(_wgi_wasi_missing "${WGI_WASI_CLANG} cannot build a wasm32-wasi program (exit ${_wgi_probe_status}; is compiler-rt for wasm32 installed? Debian: libclang-rt-14-dev-wasm32): ${_wgi_probe_out}; ")
  endif()
endif()
# For wgi_wasi_differential_tests, which may be called from another directory.
set_property(GLOBAL PROPERTY WGI_WASI_MISSING "${_wgi_wasi_missing}")

if(_wgi_wasi_missing STREQUAL "")
  option(WGI_WASI_TESTS "Build the WASI test programs (tests/wasi/) and run the WASI differential tests" ON)
else()
  option(WGI_WASI_TESTS "Build the WASI test programs (tests/wasi/) and run the WASI differential tests" OFF)
  if(WGI_WASI_TESTS)
    message(FATAL_ERROR "WGI_WASI_TESTS is ON but the wasm32-wasi toolchain is not usable: ${_wgi_wasi_missing}"
      "Install clang, lld, wasi-libc and libclang-rt-14-dev-wasm32 (Debian), set WGI_WASI_SYSROOT, "
      "or configure with -DWGI_WASI_TESTS=OFF.")
  endif()
  message(STATUS "WASI differential tests: skipped (${_wgi_wasi_missing}"
    "install clang, lld, wasi-libc and libclang-rt-14-dev-wasm32, or set WGI_WASI_SYSROOT, "
    "and configure with -DWGI_WASI_TESTS=ON)")
endif()
if(WGI_WASI_TESTS AND NOT WGI_WASI_NODE)
  message(WARNING "WASI differential tests: node not found; the tests compared with node will be skipped "
    "(install node 20 or later, or set WGI_WASI_NODE)")
endif()

function(wgi_add_wasi_c target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES;CFLAGS;LDFLAGS;DEPENDS" ${ARGN})
  if(NOT ARG_OUTPUT_DIR OR NOT ARG_SOURCES)
    message(FATAL_ERROR "wgi_add_wasi_c(${target}): OUTPUT_DIR and SOURCES are required")
  endif()
  set(outputs "")
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(src "${src}" ABSOLUTE)
    get_filename_component(name "${src}" NAME_WE)
    set(out "${ARG_OUTPUT_DIR}/${name}.wasm")
    wgi_clang_wasm(OUTPUT "${out}" SOURCE "${src}" CLANG "${WGI_WASI_CLANG}"
      COMPILE_FLAGS ${WGI_WASI_C_COMPILE_FLAGS} ${ARG_CFLAGS}
      LINK_FLAGS ${WGI_WASI_C_LINK_FLAGS} ${ARG_LDFLAGS}
      DEPENDS ${ARG_DEPENDS}
      COMMENT "clang --target=wasm32-wasi ${name}.wasm")
    list(APPEND outputs "${out}")
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()

function(wgi_wasi_differential_tests test_target data_target)
  cmake_parse_arguments(ARG "" "SOURCE_DIR;OUTPUT_DIR" "" ${ARGN})
  if(NOT ARG_SOURCE_DIR OR NOT ARG_OUTPUT_DIR)
    message(FATAL_ERROR "wgi_wasi_differential_tests: SOURCE_DIR and OUTPUT_DIR are required")
  endif()
  set(_entries "")
  set(_enabled 0)
  get_property(_reason GLOBAL PROPERTY WGI_WASI_MISSING)
  if(WGI_WASI_TESTS)
    set(_enabled 1)
    set(_reason "")
    file(GLOB _sources CONFIGURE_DEPENDS ${ARG_SOURCE_DIR}/*.c)
    file(GLOB _headers CONFIGURE_DEPENDS ${ARG_SOURCE_DIR}/*.h)
    list(SORT _sources)
    foreach(src IN LISTS _sources)
      get_filename_component(name "${src}" NAME_WE)
      string(APPEND _entries "  X(\"${name}\") \\\n")
    endforeach()
    wgi_add_wasi_c(${data_target} OUTPUT_DIR ${ARG_OUTPUT_DIR} SOURCES ${_sources} DEPENDS ${_headers})
    add_dependencies(${test_target} ${data_target})
  elseif(_reason STREQUAL "")
    set(_reason "configured with -DWGI_WASI_TESTS=OFF")
  endif()
  set(_node "${WGI_WASI_NODE}")
  if(NOT _node)
    set(_node "")
  endif()
  string(REPLACE "\\" "\\\\" _reason "${_reason}")
  string(REPLACE "\"" "\\\"" _reason "${_reason}")
  set(WGI_WASI_DIFF_SOURCE_DIR "${ARG_SOURCE_DIR}")
  set(WGI_WASI_DIFF_DATA "${ARG_OUTPUT_DIR}")
  get_filename_component(_runner "${ARG_SOURCE_DIR}/../node_wasi.mjs" ABSOLUTE)
  file(CONFIGURE OUTPUT "${ARG_OUTPUT_DIR}/wasi_differential_config.h" @ONLY CONTENT
"// Generated by cmake/wgi_wasi_c.cmake (wgi_wasi_differential_tests): the
// WASI differential tests' configuration, for tests/wasi/differential_test.cc.
#pragma once
// 1: the programs were built (WGI_WASI_TESTS=ON); 0: the tests skip, saying
// WGI_WASI_DIFF_OFF_REASON.
#define WGI_WASI_DIFF_ENABLED @_enabled@
#define WGI_WASI_DIFF_OFF_REASON \"@_reason@\"
#define WGI_WASI_DIFF_SOURCE_DIR \"@WGI_WASI_DIFF_SOURCE_DIR@\"
#define WGI_WASI_DIFF_DATA \"@WGI_WASI_DIFF_DATA@\"
// node found at configure time (empty: none) and the runner it runs.
#define WGI_WASI_DIFF_NODE \"@_node@\"
#define WGI_WASI_DIFF_NODE_RUNNER \"@_runner@\"
// X(name) for each program: <data>/<name>.wasm is built from <source dir>/<name>.c.
#define WGI_WASI_DIFF_PROGRAMS(X) \\
@_entries@
")
  target_include_directories(${test_target} PRIVATE "${ARG_OUTPUT_DIR}")
endfunction()
