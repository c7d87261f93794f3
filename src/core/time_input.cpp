#include "core/time_input.h"

#include <chrono>
#include <cstdio>

#include "core/error.h"
#include "core/i18n.h"
#include "core/utf8.h"

namespace jc {

namespace {

// Full-width digits and separators to ASCII, surrounding spaces trimmed.
std::string normalise(std::string_view in) {
    // The full-width forms an IME types for these: each is its ASCII character + U+FEE0.
    constexpr std::u32string_view kFullWidth = U"０１２３４５６７８９：－＋／．ＴＺ";
    std::string s;
    s.reserve(in.size());
    for (size_t i = 0; i < in.size();) {
        const size_t start = i;
        const char32_t c = decodeUtf8(in, i);
        if (kFullWidth.find(c) != std::u32string_view::npos)
            s += static_cast<char>(c - 0xFEE0);
        else if (c == 0x3000)
            s += ' ';  // ideographic space
        else
            s.append(in.substr(start, i - start));
    }
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

struct Cursor {
    const std::string& s;
    size_t i = 0;

    bool end() const { return i >= s.size(); }
    bool eat(std::string_view lit) {
        if (s.compare(i, lit.size(), lit) != 0) return false;
        i += lit.size();
        return true;
    }
    // Between minDigits and maxDigits ASCII digits.
    std::optional<int> number(size_t minDigits, size_t maxDigits) {
        size_t j = i;
        int v = 0;
        while (j < s.size() && j - i < maxDigits && s[j] >= '0' && s[j] <= '9') v = v * 10 + (s[j++] - '0');
        if (j - i < minDigits) return std::nullopt;
        i = j;
        return v;
    }
    void spaces() {
        while (i < s.size() && s[i] == ' ') ++i;
    }
};

struct Parsed {
    Date date;
    bool hasTime = false;
    int hour = 0, minute = 0, second = 0, millis = 0;
    std::optional<int> zoneMinutes;
};

bool validDate(const Date& d) {
    if (d.year < 1900 || d.year > 2200 || d.month < 1 || d.month > 12 || d.day < 1) return false;
    return Date::fromDays(d.days()) == d;  // 2026-02-30 comes back as 2026-03-02
}

// The date part; sets `problem` and returns false when it is not one.
bool parseDatePart(Cursor& c, Date& d, bool& chinese, TimeInputProblem& problem) {
    problem = TimeInputProblem::Format;
    auto y = c.number(4, 4);
    if (!y) return false;
    std::optional<int> m, day;
    chinese = c.eat("年");
    if (chinese) {
        c.spaces();
        m = c.number(1, 2);
        if (!m || !(c.spaces(), c.eat("月"))) return false;
        c.spaces();
        day = c.number(1, 2);
        if (!day) return false;
        c.spaces();
        if (!c.eat("日") && !c.eat("号")) return false;
    } else {
        char sep = c.end() ? 0 : c.s[c.i];
        if (sep != '-' && sep != '/') return false;
        ++c.i;
        m = c.number(1, 2);
        if (!m || !c.eat(std::string_view(&sep, 1))) return false;
        day = c.number(1, 2);
        if (!day) return false;
    }
    d = Date{*y, *m, *day};
    if (!validDate(d)) {
        problem = TimeInputProblem::Date;
        return false;
    }
    return true;
}

TimeInputResult fail(TimeInputProblem p) { return TimeInputResult{std::nullopt, p}; }

std::string pad2(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

[[noreturn]] void throwProblem(TimeInputProblem p, std::string_view text, std::string_view what, bool dateOnly) {
    loadStringTables();
    std::string w(what), t(text);
    switch (p) {
        case TimeInputProblem::Empty: throw ValidationError(trf(dateOnly ? "time.empty_date" : "time.empty", {w}));
        case TimeInputProblem::Date: throw ValidationError(trf("time.bad_date", {w, t}));
        case TimeInputProblem::Clock: throw ValidationError(trf("time.bad_clock", {w, t}));
        case TimeInputProblem::Zone: throw ValidationError(trf("time.bad_zone", {w, t}));
        case TimeInputProblem::Format: break;
    }
    throw ValidationError(trf(dateOnly ? "time.bad_date_format" : "time.bad_format", {w, t}));
}

}  // namespace

TimeInputResult tryParseTimeInput(std::string_view text, int localOffsetMinutes) {
    std::string s = normalise(text);
    if (s.empty()) return fail(TimeInputProblem::Empty);
    Cursor c{s};
    Parsed p;
    bool chinese = false;
    TimeInputProblem problem;
    if (!parseDatePart(c, p.date, chinese, problem)) return fail(problem);
    if (!c.end()) {
        if (!c.eat("T") && !c.eat("t")) {
            size_t before = c.i;
            c.spaces();
            if (c.i == before && !chinese) return fail(TimeInputProblem::Format);
        }
        auto h = c.number(1, 2);
        if (!h) return fail(TimeInputProblem::Format);
        p.hasTime = true;
        p.hour = *h;
        if (c.eat(":")) {
            auto mi = c.number(2, 2);
            if (!mi) return fail(TimeInputProblem::Format);
            p.minute = *mi;
            if (c.eat(":")) {
                auto se = c.number(2, 2);
                if (!se) return fail(TimeInputProblem::Format);
                p.second = *se;
                if (c.eat(".") || c.eat(",")) {
                    size_t from = c.i;
                    auto frac = c.number(1, 9);
                    if (!frac) return fail(TimeInputProblem::Format);
                    std::string digits = s.substr(from, c.i - from) + "00";
                    p.millis = std::stoi(digits.substr(0, 3));
                }
            }
        } else if (chinese && (c.eat("时") || c.eat("点"))) {
            if (auto mi = c.number(1, 2)) {
                p.minute = *mi;
                if (!c.eat("分")) return fail(TimeInputProblem::Format);
                if (auto se = c.number(1, 2)) {
                    p.second = *se;
                    if (!c.eat("秒")) return fail(TimeInputProblem::Format);
                }
            } else if (c.eat("半")) {
                p.minute = 30;
            }
        } else {
            return fail(TimeInputProblem::Format);
        }
        if (p.hour > 23 || p.minute > 59 || p.second > 59) return fail(TimeInputProblem::Clock);
        if (c.eat("Z") || c.eat("z")) {
            p.zoneMinutes = 0;
        } else if (!c.end() && (s[c.i] == '+' || s[c.i] == '-')) {
            int sign = s[c.i++] == '-' ? -1 : 1;
            auto zh = c.number(2, 2);
            if (!zh) return fail(TimeInputProblem::Zone);
            c.eat(":");
            int zm = 0;
            if (!c.end()) {
                auto m = c.number(2, 2);
                if (!m) return fail(TimeInputProblem::Zone);
                zm = *m;
            }
            if (*zh > 14 || zm > 59) return fail(TimeInputProblem::Zone);
            p.zoneMinutes = sign * (*zh * 60 + zm);
        }
    }
    if (!c.end()) return fail(TimeInputProblem::Format);
    int offset = p.zoneMinutes.value_or(localOffsetMinutes);
    int64_t ms = p.date.days() * 86'400'000LL + (p.hour * 3600LL + p.minute * 60LL + p.second) * 1000LL + p.millis -
                 offset * 60'000LL;
    return TimeInputResult{ms, TimeInputProblem::Format};
}

int64_t parseTimeInput(std::string_view text, std::string_view what, int localOffsetMinutes) {
    TimeInputResult r = tryParseTimeInput(text, localOffsetMinutes);
    if (!r.unixMs) throwProblem(r.problem, text, what, false);
    return *r.unixMs;
}

std::string parseTimeInputIso(std::string_view text, std::string_view what, int localOffsetMinutes) {
    return isoTimestamp(parseTimeInput(text, what, localOffsetMinutes));
}

Date parseDateInput(std::string_view text, std::string_view what) {
    std::string s = normalise(text);
    if (s.empty()) throwProblem(TimeInputProblem::Empty, text, what, true);
    Cursor c{s};
    Date d;
    bool chinese = false;
    TimeInputProblem problem;
    if (!parseDatePart(c, d, chinese, problem)) throwProblem(problem, text, what, true);
    if (!c.end()) throwProblem(TimeInputProblem::Format, text, what, true);
    return d;
}

std::string formatLocalTime(int64_t unixMs, int offsetMinutes) {
    namespace c = std::chrono;
    c::sys_time<c::milliseconds> local{c::milliseconds(unixMs) + c::minutes(offsetMinutes)};
    auto day = c::floor<c::days>(local);
    c::hh_mm_ss<c::minutes> tod{c::floor<c::minutes>(local - day)};
    return Date::fromDays(day.time_since_epoch().count()).str() + " " + pad2(static_cast<int>(tod.hours().count())) +
           ":" + pad2(static_cast<int>(tod.minutes().count()));
}

std::string displayTime(const std::string& iso, int offsetMinutes) {
    auto ms = parseIsoTimestamp(iso);
    return ms ? formatLocalTime(*ms, offsetMinutes) : iso;
}

}  // namespace jc
