#pragma once
// Hybrid logical clock. It orders one device's own changes and breaks ties between devices;
// conflicts are detected by server versions, not by HLC (DESIGN.md §4).
// Encoded as a fixed-width string so that string order equals clock order:
//   "<13-digit unix ms>-<5-digit counter>-<node>"
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace jc {

struct HlcStamp {
    int64_t wallMs = 0;
    uint32_t counter = 0;
    std::string node;

    std::string encode() const;
    static HlcStamp decode(const std::string& s);  // throws ValidationError on a malformed stamp
    bool operator<(const HlcStamp& o) const;
};

class HybridClock {
public:
    using WallFn = std::function<int64_t()>;
    explicit HybridClock(std::string node, WallFn wall = {});

    HlcStamp now();                          // for a local event
    HlcStamp observe(const HlcStamp& remote);  // merge a received stamp, return a new local one
    // Largest allowed lead of a remote stamp over our wall clock; beyond it the remote is clamped.
    void setMaxDriftMs(int64_t ms) { m_maxDriftMs = ms; }

private:
    int64_t wall() const;
    std::mutex m_mutex;
    std::string m_node;
    WallFn m_wall;
    int64_t m_lastMs = 0;
    uint32_t m_counter = 0;
    int64_t m_maxDriftMs = 60'000;
};

}  // namespace jc
