// Times as people type them: a table of accepted inputs with the UTC instant each one means,
// invalid ones with the message (in both languages) that names the input and shows an example,
// and the China-time display form.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "core/i18n.h"
#include "core/time_input.h"

using namespace jc;

namespace {
std::string messageOf(std::string_view text) {
    try {
        parseTimeInput(text, "--received-at");
    } catch (const ValidationError& e) {
        return e.what();
    }
    return "(accepted)";
}
}  // namespace

TEST_CASE("accepted time inputs and the UTC instant they mean", "[time]") {
    struct Row {
        const char* in;
        const char* utc;
    };
    const Row rows[] = {
        {"2026-09-28T01:00:00Z", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28T01:00:00.250Z", "2026-09-28T01:00:00.250Z"},
        {"2026-09-28T09:00:00+08:00", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28T09:00:00+0800", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28T09:00:00+08", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28T03:30:00-05:00", "2026-09-28T08:30:00.000Z"},
        {"2026-09-28 09:00", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28 09:00:30", "2026-09-28T01:00:30.000Z"},
        {"2026-09-28T09:00", "2026-09-28T01:00:00.000Z"},
        {"2026-09-28", "2026-09-27T16:00:00.000Z"},  // start of the day in China
        {"  2026-09-28 17:30 ", "2026-09-28T09:30:00.000Z"},
        {"2026-09-28 07:30", "2026-09-27T23:30:00.000Z"},  // the UTC date is the day before
        {"２０２６－０９－２８　０９：００", "2026-09-28T01:00:00.000Z"},
        {"2026年9月28日", "2026-09-27T16:00:00.000Z"},
        {"2026年9月28日 9:00", "2026-09-28T01:00:00.000Z"},
        {"2026年09月28日09:00", "2026-09-28T01:00:00.000Z"},
        {"２０２６年９月２８日 ９：００", "2026-09-28T01:00:00.000Z"},
        {"2026年9月28日9时30分", "2026-09-28T01:30:00.000Z"},
        {"2026/9/28 9:00", "2026-09-28T01:00:00.000Z"},
        {"2024-02-29 23:59:59", "2024-02-29T15:59:59.000Z"},
        {"2026-01-01 00:00", "2025-12-31T16:00:00.000Z"},
    };
    for (const auto& r : rows) {
        INFO("input " << r.in);
        CHECK(parseTimeInputIso(r.in, "--at") == r.utc);
    }
    // Another local offset when the option says so (UTC here).
    CHECK(parseTimeInputIso("2026-09-28 09:00", "--at", 0) == "2026-09-28T09:00:00.000Z");
    // A zone in the text wins over the local offset.
    CHECK(parseTimeInputIso("2026-09-28T09:00:00+08:00", "--at", 0) == "2026-09-28T01:00:00.000Z");
}

TEST_CASE("invalid time inputs are refused with the reason and an accepted example", "[time]") {
    struct Row {
        const char* in;
        TimeInputProblem problem;
    };
    const Row rows[] = {
        {"", TimeInputProblem::Empty},
        {"   ", TimeInputProblem::Empty},
        {"2026-02-30", TimeInputProblem::Date},
        {"2026-02-29 10:00", TimeInputProblem::Date},
        {"2026-13-01", TimeInputProblem::Date},
        {"2026年2月30日", TimeInputProblem::Date},
        {"2026-09-28 24:01", TimeInputProblem::Clock},
        {"2026-09-28 24:00", TimeInputProblem::Clock},
        {"2026-09-28 12:60", TimeInputProblem::Clock},
        {"2026-09-28 12:00:61", TimeInputProblem::Clock},
        {"2026-09-28T09:00:00+15:00", TimeInputProblem::Zone},
        {"2026-09-28T09:00:00+8", TimeInputProblem::Zone},
        {"yesterday", TimeInputProblem::Format},
        {"28/09/2026", TimeInputProblem::Format},
        {"2026-09-28 9", TimeInputProblem::Format},
        {"2026-09-28 09:00 extra", TimeInputProblem::Format},
        {"2026-09-2809:00", TimeInputProblem::Format},
        {"20260928", TimeInputProblem::Format},
    };
    for (const auto& r : rows) {
        INFO("input '" << r.in << "'");
        auto res = tryParseTimeInput(r.in);
        CHECK_FALSE(res.unixMs.has_value());
        CHECK(res.problem == r.problem);
        CHECK_THROWS_AS(parseTimeInput(r.in, "--at"), ValidationError);
    }

    loadStringTables();
    i18n().setLanguage(Language::Zh);
    std::string zh = messageOf("2026-02-30");
    CHECK(zh.find("--received-at") != std::string::npos);
    CHECK(zh.find("2026-02-30") != std::string::npos);
    CHECK(zh.find("没有这一天") != std::string::npos);
    CHECK(zh.find("2026-09-28 09:00") != std::string::npos);  // an accepted example
    std::string zhClock = messageOf("2026-09-28 24:01");
    CHECK(zhClock.find("0–23") != std::string::npos);
    CHECK(messageOf("").find("没有给出时间") != std::string::npos);
    CHECK(messageOf("yesterday").find("2026年9月28日 9:00") != std::string::npos);

    i18n().setLanguage(Language::En);
    std::string en = messageOf("2026-02-30");
    CHECK(en.find("there is no such day in '2026-02-30'") != std::string::npos);
    CHECK(en.find("e.g. 2026-09-28 09:00") != std::string::npos);
    CHECK(messageOf("2026-09-28 24:01").find("hours 0–23") != std::string::npos);
    CHECK(messageOf("").find("no time given") != std::string::npos);
    i18n().setLanguage(Language::Zh);
}

TEST_CASE("dates as people write them", "[time]") {
    CHECK(parseDateInput("2026-09-28", "DATE").str() == "2026-09-28");
    CHECK(parseDateInput("２０２６－０９－２８", "DATE").str() == "2026-09-28");
    CHECK(parseDateInput("2026年9月28日", "DATE").str() == "2026-09-28");
    CHECK(parseDateInput("2026年10月1号", "DATE").str() == "2026-10-01");
    CHECK_THROWS_AS(parseDateInput("2026-02-30", "DATE"), ValidationError);
    CHECK_THROWS_AS(parseDateInput("2026-09-28 09:00", "DATE"), ValidationError);
    CHECK_THROWS_AS(parseDateInput("", "DATE"), ValidationError);
}

TEST_CASE("times are shown to people in China time", "[time]") {
    CHECK(displayTime("2026-09-28T01:00:00.000Z") == "2026-09-28 09:00");
    CHECK(displayTime("2026-09-27T23:30:00Z") == "2026-09-28 07:30");
    CHECK(displayTime("2026-12-31T16:00:00.000Z") == "2027-01-01 00:00");
    CHECK(displayTime("not a time") == "not a time");
    CHECK(formatLocalTime(0) == "1970-01-01 08:00");
    CHECK(formatLocalTime(-3'600'000LL * 9) == "1969-12-31 23:00");
    // Round trip: what is shown reads back as the same minute.
    CHECK(parseTimeInputIso(displayTime("2026-03-05T18:45:00.000Z"), "--at") == "2026-03-05T18:45:00.000Z");
}
