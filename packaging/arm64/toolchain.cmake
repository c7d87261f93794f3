# Cross-compiling Jiancha for arm64 (aarch64) on an amd64 Debian 12 machine, with Debian's
# crossbuild-essential-arm64 and the :arm64 development packages installed through multiarch.
# Used by packaging/cross-arm64.sh; tests run under qemu-user-static (the emulator below).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)

# Libraries and pkg-config files come from the arm64 multiarch directories only; headers that are
# the same on every architecture stay in /usr/include, programs (pkg-config, cpack) are the host's.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu /usr)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
set(CMAKE_IGNORE_PATH /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu)
set(ENV{PKG_CONFIG_LIBDIR} "$ENV{JIANCHA_ARM64_EXTRA_PC}:/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")

