# wgi_add_wasm_c(<target> OUTPUT_DIR <dir> SOURCES <file.c>...
#                [SUFFIX <s>] [MAX_MEMORY <bytes>] [NO_TLS_EXPORTS]
#                [CFLAGS <flag>...] [LDFLAGS <flag>...] [DEPENDS <file>...])
#
# Compiles each C source, on its own, to <dir>/<name><SUFFIX>.wasm with clang
# --target=wasm32 at build time, as a program for the wasm_threadlink ABI
# (src/threads/threadlink.h): atomics, bulk memory, local-exec TLS, a shared
# memory imported as env.memory with a maximum of MAX_MEMORY bytes (default
# 64 MiB), the TLS symbols exported (unless NO_TLS_EXPORTS), no libc. Adds a target <target> (built by
# default) producing them all. CFLAGS go to the compile step (-DWGI_TRACE_HOOKS=1),
# LDFLAGS to the link step, wasm-ld through clang (-Wl,--stack-first). Compile
# and link are separate steps, so binaryen on PATH changes nothing
# (cmake/wgi_clang_wasm.cmake). DEPENDS lists headers
# the sources include, so editing one rebuilds the modules.
#
# Used by examples/threadlink/, tests/threads/ and the threadlink benchmark.
# Including this file checks the toolchain once, at configure time: clang with
# the wasm32 target and lld's wasm-ld must compile and link a small threaded
# program with exactly these flags, or configuring fails with the reason.
include_guard(GLOBAL)

find_program(WGI_WASM_CLANG NAMES clang clang-16 clang-15 clang-14
  DOC "clang with the wasm32 target, for the C programs of the threadlink examples and tests")
find_program(WGI_WASM_LD NAMES wasm-ld wasm-ld-16 wasm-ld-15 wasm-ld-14
  DOC "lld's wasm-ld, the linker clang --target=wasm32 runs")
set(_wgi_wasm_c_hint
  "Install them (Debian: apt-get install clang lld), set WGI_WASM_CLANG / WGI_WASM_LD, "
  "or configure with -DWGI_BUILD_THREADLINK_EXAMPLES=OFF (which also skips the threadlink tests).")
if(NOT WGI_WASM_CLANG OR NOT WGI_WASM_LD)
  message(FATAL_ERROR
    "The threadlink examples and tests are C programs compiled to wasm32 and need clang and "
    "lld's wasm-ld (found clang: '${WGI_WASM_CLANG}', wasm-ld: '${WGI_WASM_LD}'). "
    ${_wgi_wasm_c_hint})
endif()

# The flags every module gets (the issue's command line), split into the
# compile step and the link step (cmake/wgi_clang_wasm.cmake says why: a
# machine with binaryen's wasm-opt on PATH must build the same modules).
# -fuse-ld names the wasm-ld found above, so a versioned binary (wasm-ld-14)
# works too.
include(${CMAKE_CURRENT_LIST_DIR}/../../cmake/wgi_clang_wasm.cmake)
set(WGI_WASM_C_COMPILE_FLAGS
  --target=wasm32 -O2 -Wall -Wextra
  -matomics -mbulk-memory -mmutable-globals -ftls-model=local-exec)
set(WGI_WASM_C_LINK_FLAGS
  --target=wasm32 -nostdlib -fuse-ld=${WGI_WASM_LD}
  -Wl,--no-entry -Wl,--shared-memory -Wl,--import-memory)
set(WGI_WASM_C_TLS_EXPORTS
  -Wl,--export=__wasm_init_tls -Wl,--export=__tls_base
  -Wl,--export=__tls_size -Wl,--export=__tls_align)

# Probe: a thread-local, an atomic wait and an export, linked exactly as the
# real modules are.
set(_wgi_probe_dir "${CMAKE_BINARY_DIR}/CMakeFiles/wgi_wasm_c_probe")
file(MAKE_DIRECTORY "${_wgi_probe_dir}")
file(WRITE "${_wgi_probe_dir}/probe.c"
  "static _Thread_local int t = 1;\n"
  "static int word;\n"
  "__attribute__((export_name(\"probe\"))) int probe(void) {\n"
  "  return t + __builtin_wasm_memory_atomic_wait32(&word, 1, 0);\n"
  "}\n")
wgi_clang_wasm_probe(_wgi_probe_status _wgi_probe_out CLANG "${WGI_WASM_CLANG}"
  SOURCE "${_wgi_probe_dir}/probe.c" OUTPUT "${_wgi_probe_dir}/probe.wasm"
  COMPILE_FLAGS ${WGI_WASM_C_COMPILE_FLAGS}
  LINK_FLAGS ${WGI_WASM_C_LINK_FLAGS} ${WGI_WASM_C_TLS_EXPORTS} -Wl,--max-memory=1048576)
if(NOT _wgi_probe_status EQUAL 0)
  string(REPLACE ";" " " _wgi_probe_cc "${WGI_WASM_C_COMPILE_FLAGS}")
  string(REPLACE ";" " " _wgi_probe_ld "${WGI_WASM_C_LINK_FLAGS};${WGI_WASM_C_TLS_EXPORTS}")
  message(FATAL_ERROR
    "${WGI_WASM_CLANG} cannot build a threaded wasm32 module (exit ${_wgi_probe_status}); "
    "the threadlink examples and tests need that. Commands: ${WGI_WASM_CLANG} ${_wgi_probe_cc} "
    "-c probe.c -o probe.wasm.o; ${WGI_WASM_CLANG} ${_wgi_probe_ld} probe.wasm.o -o probe.wasm\n"
    "Output:\n${_wgi_probe_out}\n" ${_wgi_wasm_c_hint})
endif()

# The function may be called from any directory (include_guard(GLOBAL) keeps
# the variables above in the first includer's scope), so it reads the flags
# from global properties.
set_property(GLOBAL PROPERTY WGI_WASM_C_COMPILE_FLAGS "${WGI_WASM_C_COMPILE_FLAGS}")
set_property(GLOBAL PROPERTY WGI_WASM_C_LINK_FLAGS "${WGI_WASM_C_LINK_FLAGS}")
set_property(GLOBAL PROPERTY WGI_WASM_C_TLS_EXPORTS "${WGI_WASM_C_TLS_EXPORTS}")

function(wgi_add_wasm_c target)
  cmake_parse_arguments(ARG "NO_TLS_EXPORTS" "OUTPUT_DIR;SUFFIX;MAX_MEMORY" "SOURCES;CFLAGS;LDFLAGS;DEPENDS" ${ARGN})
  if(NOT ARG_OUTPUT_DIR OR NOT ARG_SOURCES)
    message(FATAL_ERROR "wgi_add_wasm_c(${target}): OUTPUT_DIR and SOURCES are required")
  endif()
  if(NOT ARG_MAX_MEMORY)
    set(ARG_MAX_MEMORY 67108864)
  endif()
  math(EXPR _rem "${ARG_MAX_MEMORY} % 65536")
  if(NOT _rem EQUAL 0)
    message(FATAL_ERROR "wgi_add_wasm_c(${target}): MAX_MEMORY ${ARG_MAX_MEMORY} is not a multiple of 64 KiB")
  endif()
  get_property(compile_flags GLOBAL PROPERTY WGI_WASM_C_COMPILE_FLAGS)
  get_property(link_flags GLOBAL PROPERTY WGI_WASM_C_LINK_FLAGS)
  get_property(tls_exports GLOBAL PROPERTY WGI_WASM_C_TLS_EXPORTS)
  if(ARG_NO_TLS_EXPORTS)
    set(tls_exports "")
  endif()
  set(outputs "")
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(src "${src}" ABSOLUTE)
    get_filename_component(name "${src}" NAME_WE)
    set(out "${ARG_OUTPUT_DIR}/${name}${ARG_SUFFIX}.wasm")
    wgi_clang_wasm(OUTPUT "${out}" SOURCE "${src}" CLANG "${WGI_WASM_CLANG}"
      COMPILE_FLAGS ${compile_flags} ${ARG_CFLAGS}
      LINK_FLAGS ${link_flags} ${tls_exports} -Wl,--max-memory=${ARG_MAX_MEMORY} ${ARG_LDFLAGS}
      DEPENDS ${ARG_DEPENDS}
      COMMENT "clang --target=wasm32 ${name}${ARG_SUFFIX}.wasm")
    list(APPEND outputs "${out}")
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()
