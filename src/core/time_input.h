#pragma once
// Times and dates as people type them, and times shown to people.
//
// Accepted (digits may be full-width, ０–９; the separators －：＋ and the ideographic space too):
//   2026-09-28T01:00:00Z, 2026-09-28T09:00:00.250+08:00, …+0800, …+08   ISO 8601 with a zone
//   2026-09-28 09:00, 2026-09-28 09:00:30, 2026-09-28T09:00            local time
//   2026-09-28                                                          local start of that day
//   2026年9月28日, 2026年9月28日 9:00, 2026年9月28日9时30分                   Chinese forms, local
// "Local" is China time (Asia/Shanghai: UTC+8, no daylight saving) unless the caller passes
// another offset. Results are Unix milliseconds; store them with isoTimestamp() (UTC, ms, Z)
// as before. Invalid input (2026-02-30, 24:01, empty, …) throws ValidationError whose message,
// in the current language (core/i18n.h), names the option, quotes the input and shows an
// accepted example.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/china_time.h"
#include "core/dates.h"

namespace jc {

constexpr int kChinaOffsetMinutes = static_cast<int>(std::chrono::minutes(kChinaUtcOffset).count());

// Why a text is not a time (nullopt from tryParseTimeInput).
enum class TimeInputProblem { Empty, Format, Date, Clock, Zone };

struct TimeInputResult {
    std::optional<int64_t> unixMs;
    TimeInputProblem problem = TimeInputProblem::Format;
};
TimeInputResult tryParseTimeInput(std::string_view text, int localOffsetMinutes = kChinaOffsetMinutes);

// `what` names the input in the message ("--received-at"). Throws ValidationError.
int64_t parseTimeInput(std::string_view text, std::string_view what, int localOffsetMinutes = kChinaOffsetMinutes);
// Same, returned as the stored form "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string parseTimeInputIso(std::string_view text, std::string_view what, int localOffsetMinutes = kChinaOffsetMinutes);

// A calendar date: 2026-09-28, full-width digits, 2026年9月28日. Throws ValidationError (as above).
Date parseDateInput(std::string_view text, std::string_view what);

// "2026-09-28 09:00" in China time (or `offsetMinutes`), for people.
std::string formatLocalTime(int64_t unixMs, int offsetMinutes = kChinaOffsetMinutes);
// A stored ISO timestamp shown for people; text that is not one comes back unchanged.
std::string displayTime(const std::string& iso, int offsetMinutes = kChinaOffsetMinutes);

}  // namespace jc
