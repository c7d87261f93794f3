# ctest registers each Catch2 test case by name through a CMake list, so a ';' in a TEST_CASE
# name splits it into filters that match nothing — and such a "test" passes without running.
# This check fails on any such name under tests/.
file(GLOB_RECURSE sources ${ROOT}/*.cpp ${ROOT}/*.h)
set(bad "")
foreach(f ${sources})
  file(STRINGS ${f} lines REGEX "TEST_CASE\\(\"[^\"]*;")
  if(lines)
    list(APPEND bad ${f})
  endif()
endforeach()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "TEST_CASE names must not contain ';' (ctest would not run them):\n  ${bad}")
endif()
