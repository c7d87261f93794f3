#pragma once
// For the tests that drive the real client's window with xdotool and screenshot it with
// ImageMagick's import: they fail at once, saying what to start, when there is no X display or
// the tools are missing (packaging/test.sh starts an Xvfb; setup-deps.sh installs the tools).
#include <catch2/catch.hpp>
#include <cstdlib>

#ifndef JIANCHA_BIN
#error "JIANCHA_BIN must name the jiancha binary"
#endif

namespace jc::test {

inline void requireXDisplay() {
    const char* d = std::getenv("DISPLAY");
    if (!d || !*d)
        FAIL("DISPLAY is not set: these tests need an X server, e.g.\n"
             "  Xvfb :99 -screen 0 1366x768x24 & export DISPLAY=:99");
    REQUIRE(std::system("command -v xdotool >/dev/null 2>&1 && command -v import >/dev/null 2>&1") == 0);
}

}  // namespace jc::test
