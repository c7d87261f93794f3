#pragma once
// Waiting for a condition instead of sleeping a fixed time: a server up, a file written, a
// request out. Polls `done` every `step` until it holds or `seconds` have passed; whether it
// held, so the caller REQUIREs it with its own message.
#include <chrono>
#include <functional>
#include <thread>

namespace jc::test {

inline bool waitFor(const std::function<bool()>& done, double seconds,
                    std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(step);
    }
    return true;
}

}  // namespace jc::test
