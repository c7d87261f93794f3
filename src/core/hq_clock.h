#pragma once
// HQ time on a device whose own clock may be wrong (a dead CMOS battery, a wrong time zone, a
// hand-set clock). Every sync measures the device clock against the server's (the server's
// `server_time` against the midpoint of the request) and the store keeps that offset; while it
// is known, the dates people read, count and are judged by — created_at, received_at,
// reported_at, case event times, "today" for deadlines — are taken in HQ time:
// hqNowMillis() = device clock + offset. nowIso() and Date::today() (core/dates.h) use it;
// nowMillis() stays the raw device clock (for intervals and back-off).
//
// The offset is process-wide: a client process works on one store, which sets it when opened
// (store/store.cpp) and after each sync. A server never sets it, so there HQ time is its clock.
//
// A ClockAnchor pairs the wall clock with the boot-time clock (CLOCK_BOOTTIME, which nobody can
// set): when wall − boot changed between two readings in one boot, the wall clock was set in
// between. Records written before the first offset was known are corrected with it only when
// their anchor shows the clock was not changed since (store/clock_fix.h).
#include <cstdint>
#include <optional>
#include <string>

namespace jc {

inline constexpr int64_t kClockWarnMs = 2 * 60 * 1000;         // the status bar warns beyond this offset
inline constexpr int64_t kClockFutureLimitMs = 5 * 60 * 1000;  // the server never trusts times further ahead
inline constexpr int64_t kClockAnchorToleranceMs = 10 * 1000;  // NTP slews and sleep do not count as a change

struct ClockAnchor {
    std::string bootId;  // /proc/sys/kernel/random/boot_id ("" when unreadable)
    int64_t wallMinusBootMs = 0;
    std::string encode() const;  // "<boot id>/<ms>"
    static std::optional<ClockAnchor> decode(const std::string& s);
};
// Sets the offset measured when the clock read `measuredAt` (nullopt: anchor unknown). While the
// machine has not rebooted since, HQ time follows the boot clock from that anchor, so setting
// the wall clock (say, the user fixes it after the warning) does not falsify HQ time before the
// next sync; after a reboot it is the wall clock plus the offset.
void setHqClockOffset(std::optional<int64_t> offsetMs, const std::optional<ClockAnchor>& measuredAt = std::nullopt);
// HQ time minus the device's wall clock now; nullopt before the first measurement.
std::optional<int64_t> hqClockOffset();
int64_t hqNowMillis();

// The offset HQ's clock had over ours in one exchange: server time minus the request's midpoint.
int64_t clockOffsetFromExchange(int64_t sentMs, int64_t receivedMs, int64_t serverMs);

// An offset in words for people, e.g. "365 天", "3 小时 20 分钟", with the unit words given
// (the UI passes its string table's, the CLI its own): days (and hours below ten days), else
// hours and minutes, else minutes. The sign is not shown.
std::string clockOffsetWords(int64_t offsetMs, const std::string& day, const std::string& hour,
                             const std::string& minute);

ClockAnchor currentClockAnchor();
// True when the wall clock may have been set between the two readings: another boot (unknown),
// or wall − boot moved by more than kClockAnchorToleranceMs.
bool clockChangedBetween(const ClockAnchor& then, const ClockAnchor& now);

}  // namespace jc
