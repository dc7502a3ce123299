# wgi_add_wat(<target> OUTPUT_DIR <dir> SOURCES <file.wat>... [FLAGS <wat2wasm flag>...])
#
# Compiles each .wat source to <dir>/<name>.wasm with wabt's wat2wasm at build
# time, and adds a target <target> (built by default) that produces them all.
# Used by examples/ and tests/ so test and example modules live in the
# repository as readable text, never as checked-in binaries.
include_guard(GLOBAL)

find_program(WGI_WAT2WASM wat2wasm)
if(NOT WGI_WAT2WASM)
  message(FATAL_ERROR
    "wat2wasm (wabt) not found: it compiles the example and test modules at build time. "
    "Install it (Debian: apt-get install wabt) or point WGI_WAT2WASM at it.")
endif()

function(wgi_add_wat target)
  cmake_parse_arguments(ARG "" "OUTPUT_DIR" "SOURCES;FLAGS" ${ARGN})
  if(NOT ARG_OUTPUT_DIR OR NOT ARG_SOURCES)
    message(FATAL_ERROR "wgi_add_wat(${target}): OUTPUT_DIR and SOURCES are required")
  endif()
  set(outputs "")
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(src "${src}" ABSOLUTE)
    get_filename_component(name "${src}" NAME_WE)
    set(out "${ARG_OUTPUT_DIR}/${name}.wasm")
    add_custom_command(
      OUTPUT "${out}"
      COMMAND ${CMAKE_COMMAND} -E make_directory "${ARG_OUTPUT_DIR}"
      COMMAND "${WGI_WAT2WASM}" ${ARG_FLAGS} "${src}" -o "${out}"
      DEPENDS "${src}" "${WGI_WAT2WASM}"
      COMMENT "wat2wasm ${name}.wat"
      VERBATIM)
    list(APPEND outputs "${out}")
  endforeach()
  add_custom_target(${target} ALL DEPENDS ${outputs})
endfunction()
