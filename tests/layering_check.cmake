# Fails when a source file includes from a layer it may not use. Run by ctest (test
# "layering"), and on a fixture tree with a wrong include that it must reject.
#   cmake -DROOT=<source tree> -P tests/layering_check.cmake
# The layers (README.md "Layout"): ui -> report -> app -> store -> base -> core; sync/client -> store +
# protocol; sync/server -> protocol + base; protocol -> core. The libraries' link lines enforce
# the same at link time; this check also catches header-only uses.
if(NOT ROOT)
  message(FATAL_ERROR "pass -DROOT=<source tree>")
endif()

# directory -> the include prefixes its files may use
set(allowed_src/core "core/")
set(allowed_src/base "core/;base/")
set(allowed_src/store "core/;base/;store/")
set(allowed_src/app "core/;base/;store/;app/")
set(allowed_sync/protocol "core/;sync/protocol/")
set(allowed_sync/server "core/;base/;sync/protocol/;sync/server/")
set(allowed_sync/client "core/;base/;store/;sync/protocol/;sync/client/")
# The GUI asks src/app for everything it shows: no store, no SQL. It uses src/report to export
# what is on screen and to preview a document with the same drawing code that prints it.
set(allowed_src/report "core/;app/;report/")
set(allowed_src/ui "core/;app/;report/;sync/client/;ui/")
# Libraries of system headers a layer may not include (the SQLite API stays under store).
set(forbidden_src/core "sqlite3.h;imgui;curl/;httplib.h")
set(forbidden_src/app "imgui;curl/;httplib.h")
set(forbidden_src/ui "sqlite3.h")
set(forbidden_sync/protocol "sqlite3.h;imgui;curl/;httplib.h")

set(problems "")
foreach(dir src/core src/base src/store src/app src/report src/ui sync/protocol sync/server sync/client)
  file(GLOB_RECURSE files "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cpp")
  foreach(f ${files})
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include")
    file(RELATIVE_PATH rel "${ROOT}" "${f}")
    foreach(line ${lines})
      if(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
        set(inc "${CMAKE_MATCH_1}")
        if(NOT inc MATCHES "/")
          continue()  # a file beside it
        endif()
        set(ok FALSE)
        foreach(prefix ${allowed_${dir}})
          string(FIND "${inc}" "${prefix}" at)
          if(at EQUAL 0)
            set(ok TRUE)
          endif()
        endforeach()
        if(NOT ok)
          string(APPEND problems "  ${rel}: #include \"${inc}\" (${dir} may include only: ${allowed_${dir}})\n")
        endif()
      elseif(line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
        set(inc "${CMAKE_MATCH_1}")
        foreach(bad ${forbidden_${dir}})
          string(FIND "${inc}" "${bad}" at)
          if(at EQUAL 0)
            string(APPEND problems "  ${rel}: #include <${inc}> (not in ${dir})\n")
          endif()
        endforeach()
      endif()
    endforeach()
  endforeach()
endforeach()

if(problems)
  message(FATAL_ERROR "includes across the layers:\n${problems}")
endif()
message(STATUS "layering: every include goes down the layers")
