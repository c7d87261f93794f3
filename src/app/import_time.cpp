#include "app/import_time.h"

#include <cctype>
#include <cmath>
#include <vector>

#include "core/dates.h"

namespace jc {

namespace {
constexpr int64_t kChinaOffsetMs = 8LL * 3600 * 1000;
constexpr int64_t kDayMs = 86'400'000;

std::string trim(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return s.substr(a, b - a);
}

bool allDigits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}
}  // namespace

std::optional<int64_t> parseImportTime(const std::string& raw) {
    std::string s = trim(raw);
    if (s.empty() || s.size() > 40) return std::nullopt;
    if (allDigits(s) && s.size() == 8) s = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2);
    // A spreadsheet serial number: days (with a fraction for the time) since 1899-12-30.
    bool numeric = !s.empty() && std::isdigit(static_cast<unsigned char>(s[0]));
    int dots = 0;
    for (char c : s) {
        if (c == '.')
            ++dots;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            numeric = false;
    }
    if (numeric && dots <= 1) {
        double v = std::strtod(s.c_str(), nullptr);
        if (v < 1 || v > 2958465) return std::nullopt;
        int64_t ms = static_cast<int64_t>(std::llround(v * kDayMs)) + Date{1899, 12, 30}.days() * kDayMs;
        return ms - kChinaOffsetMs;
    }
    bool utc = false;
    if (s.back() == 'Z' || s.back() == 'z') {
        utc = true;
        s.pop_back();
    }
    // Pull out the numbers in order; the separators only have to be among the known ones.
    std::vector<int> nums;
    std::vector<size_t> widths;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isdigit(c)) {
            size_t j = i;
            int v = 0;
            while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])) && j - i < 6)
                v = v * 10 + (s[j++] - '0');
            if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
            nums.push_back(v);
            widths.push_back(j - i);
            i = j;
            continue;
        }
        static const char* kSeparators[] = {"年", "月", "日", "时", "分", "秒", "-", "/", ".", ":", " ", "T", "\t"};
        bool matched = false;
        for (const char* sep : kSeparators) {
            std::string_view sv(sep);
            if (s.compare(i, sv.size(), sv) == 0) {
                i += sv.size();
                matched = true;
                break;
            }
        }
        if (!matched) return std::nullopt;
    }
    if (nums.size() != 3 && nums.size() != 5 && nums.size() != 6) return std::nullopt;
    if (widths[0] != 4) return std::nullopt;
    // Milliseconds after seconds ("09:30:00.000") are not expected from these systems.
    int y = nums[0], mo = nums[1], d = nums[2];
    int h = nums.size() > 3 ? nums[3] : 0, mi = nums.size() > 4 ? nums[4] : 0, sec = nums.size() > 5 ? nums[5] : 0;
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    auto date = Date::tryParse(buf);
    if (!date) return std::nullopt;
    int64_t ms = date->days() * kDayMs + ((h * 60 + mi) * 60 + sec) * 1000LL;
    return utc ? ms : ms - kChinaOffsetMs;
}

std::string chinaDateOf(int64_t unixMs) {
    int64_t local = unixMs + kChinaOffsetMs;
    int64_t day = local >= 0 ? local / kDayMs : -((-local + kDayMs - 1) / kDayMs);
    return Date::fromDays(day).str();
}

}  // namespace jc
