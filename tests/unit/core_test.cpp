// The core building blocks every record depends on: UUIDv7 ids, the hybrid logical clock,
// civil dates and timestamps, and the entity registry's field validation.
#include <catch2/catch.hpp>
#include <set>
#include <vector>

#include "core/china_time.h"
#include "core/dates.h"
#include "core/entities.h"
#include "core/error.h"
#include "core/hlc.h"
#include "core/utf8.h"
#include "core/uuid.h"

using namespace jc;

// [SECTION] UUIDv7

TEST_CASE("new ids are canonical version-7 UUIDs carrying their creation time", "[uuid]") {
    int64_t before = nowMillis();
    std::string id = newUuidV7();
    int64_t after = nowMillis();
    CHECK(isUuid(id));
    CHECK(id[14] == '7');
    CHECK(std::string("89ab").find(id[19]) != std::string::npos);  // RFC 9562 variant
    CHECK(uuidV7Millis(id) >= before);
    CHECK(uuidV7Millis(id) <= after);
    CHECK(uuidV7Millis(newUuidV7At(1'790'000'000'123)) == 1'790'000'000'123);
}

TEST_CASE("isUuid accepts only the canonical lower-case form", "[uuid]") {
    CHECK(isUuid("0190f5a2-7b3c-7def-8123-456789abcdef"));
    CHECK_FALSE(isUuid("0190F5A2-7B3C-7DEF-8123-456789ABCDEF"));
    CHECK_FALSE(isUuid("0190f5a27b3c7def8123456789abcdef"));
    CHECK_FALSE(isUuid("0190f5a2-7b3c-7def-8123-456789abcdeg"));
    CHECK_FALSE(isUuid(""));
    CHECK(uuidV7Millis("0190f5a2-7b3c-4def-8123-456789abcdef") == -1);  // a v4 id
    CHECK(uuidV7Millis("not an id") == -1);
}

TEST_CASE("ids made in the same millisecond stay in creation order, even thousands of them", "[uuid]") {
    const int64_t ms = 1'790'000'000'000;
    std::string prev = newUuidV7At(ms);
    for (int i = 0; i < 20'000; ++i) {
        std::string next = newUuidV7At(ms);
        REQUIRE(prev < next);
        REQUIRE(uuidV7Millis(next) == ms);
        prev = next;
    }
    CHECK(newUuidV7At(ms + 1) > prev);
}

TEST_CASE("ids from the same instant are unique", "[uuid]") {
    std::set<std::string> ids;
    for (int i = 0; i < 5000; ++i) ids.insert(newUuidV7());
    CHECK(ids.size() == 5000);
}

// [SECTION] Hybrid logical clock

TEST_CASE("the clock never goes backwards, even when the wall clock does", "[hlc]") {
    int64_t wall = 1'000'000;
    HybridClock clock("dev-a", [&] { return wall; });
    HlcStamp a = clock.now();
    HlcStamp b = clock.now();  // same millisecond
    CHECK(a < b);
    CHECK(b.counter == a.counter + 1);
    wall -= 5000;  // NTP steps the clock back
    HlcStamp c = clock.now();
    CHECK(b < c);
    CHECK(c.wallMs == b.wallMs);
    wall += 10'000;
    HlcStamp d = clock.now();
    CHECK(d.wallMs == wall);
    CHECK(d.counter == 0);
    CHECK(d.node == "dev-a");
}

TEST_CASE("observing a remote stamp ahead of us moves the clock past it", "[hlc]") {
    int64_t wall = 1'000'000;
    HybridClock clock("dev-a", [&] { return wall; });
    HlcStamp remote{wall + 2000, 7, "dev-b"};
    HlcStamp merged = clock.observe(remote);
    CHECK(merged.wallMs == remote.wallMs);
    CHECK(merged.counter == 8);
    CHECK(remote < merged);
    HlcStamp next = clock.now();  // wall still behind: logical part keeps order
    CHECK(merged < next);
    CHECK(next.wallMs == remote.wallMs);

    HlcStamp old{wall - 60'000, 3, "dev-c"};  // a remote behind us changes nothing but the counter
    HlcStamp after = clock.observe(old);
    CHECK(next < after);
}

TEST_CASE("a remote clock far ahead is clamped to the allowed drift", "[hlc]") {
    int64_t wall = 1'000'000;
    HybridClock clock("dev-a", [&] { return wall; });
    clock.setMaxDriftMs(60'000);
    HlcStamp merged = clock.observe({wall + 3'600'000, 0, "bad-clock"});
    CHECK(merged.wallMs == wall + 60'000);
    clock.setMaxDriftMs(1000);
    HlcStamp again = clock.observe({wall + 3'600'000, 0, "bad-clock"});
    CHECK(merged < again);  // still monotonic after lowering the drift
}

TEST_CASE("a burst of events on a stuck wall clock keeps encoded stamps ordered", "[hlc]") {
    // e.g. a bulk import right after observing a peer 60 s ahead: the counter outgrows 5 digits
    const int64_t wall = 1'000'000;
    HybridClock clock("dev-a", [&] { return wall; });
    std::string prev = clock.now().encode();
    for (int i = 0; i < 120'000; ++i) {
        HlcStamp s = clock.now();
        std::string enc = s.encode();
        REQUIRE(enc.size() == prev.size());
        REQUIRE(prev < enc);
        prev = enc;
    }
    CHECK(HlcStamp::decode(prev).wallMs == wall + 1);
}

TEST_CASE("encoded stamps sort as strings in clock order and decode back", "[hlc]") {
    std::vector<HlcStamp> stamps = {
        {999, 0, "a"}, {1000, 0, "a"}, {1000, 9, "a"}, {1000, 10, "a"}, {1000, 10, "b"}, {1'790'000'000'000, 2, "z"},
    };
    for (size_t i = 0; i + 1 < stamps.size(); ++i) {
        INFO(stamps[i].encode() << " vs " << stamps[i + 1].encode());
        REQUIRE(stamps[i] < stamps[i + 1]);
        CHECK(stamps[i].encode() < stamps[i + 1].encode());
    }
    for (const auto& s : stamps) {
        HlcStamp back = HlcStamp::decode(s.encode());
        CHECK(back.wallMs == s.wallMs);
        CHECK(back.counter == s.counter);
        CHECK(back.node == s.node);
    }
    CHECK(HlcStamp{1000, 10, "a"}.encode() == "0000000001000-00010-a");
    CHECK_THROWS_AS(HlcStamp::decode("garbage"), ValidationError);
    CHECK_THROWS_AS(HlcStamp::decode("000000000100x-00010-a"), ValidationError);
    CHECK_THROWS_AS(HlcStamp::decode("0000000001000_00010-a"), ValidationError);
}

// [SECTION] Dates and timestamps

TEST_CASE("dates parse only as YYYY-MM-DD with a real day", "[dates]") {
    CHECK(Date::parse("2026-09-28") == Date{2026, 9, 28});
    CHECK(Date::parse("2026-09-28").str() == "2026-09-28");
    for (const char* bad : {"2026-9-28", "2026/09/28", "2026-09-31", "2026-13-01", "2026-00-10", "26-09-28", "",
                            "2026-09-28T00:00:00Z", "abcd-ef-gh", "2026-09-2x"}) {
        INFO(bad);
        CHECK_FALSE(Date::tryParse(bad));
        CHECK_THROWS_AS(Date::parse(bad), ValidationError);
    }
    CHECK_THROWS_WITH(Date::parse("2026-02-30"), Catch::Contains("2026-02-30"));
}

TEST_CASE("leap years follow the Gregorian rules", "[dates]") {
    CHECK(Date::tryParse("2024-02-29"));
    CHECK(Date::tryParse("2000-02-29"));
    CHECK_FALSE(Date::tryParse("2023-02-29"));
    CHECK_FALSE(Date::tryParse("1900-02-29"));
    CHECK_FALSE(Date::tryParse("2100-02-29"));
    CHECK(Date::parse("2024-02-28").plusDays(1) == Date{2024, 2, 29});
    CHECK(Date::parse("2023-02-28").plusDays(1) == Date{2023, 3, 1});
    CHECK(Date::parse("2025-01-01").days() - Date::parse("2024-01-01").days() == 366);
}

TEST_CASE("weekdays and day numbers", "[dates]") {
    CHECK(Date::parse("1970-01-01").days() == 0);
    CHECK(Date::parse("1970-01-01").weekday() == 4);  // Thursday
    CHECK(Date::parse("2026-09-28").weekday() == 1);  // Monday
    CHECK(Date::parse("2026-10-10").weekday() == 6);
    CHECK(Date::parse("2026-10-11").weekday() == 7);
    CHECK(Date::parse("1969-12-28").weekday() == 7);  // before the epoch
    CHECK(Date::parse("2026-12-31").plusDays(1) == Date{2027, 1, 1});
    for (int64_t z = Date{1900, 1, 1}.days(); z < Date{2200, 12, 31}.days(); z += 97) {
        Date dt = Date::fromDays(z);
        REQUIRE(dt.days() == z);
        REQUIRE(Date::parse(dt.str()) == dt);
    }
}

TEST_CASE("timestamps round trip at millisecond precision", "[dates]") {
    CHECK(isoTimestamp(0) == "1970-01-01T00:00:00.000Z");
    CHECK(isoTimestamp(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(isoTimestamp(1'790'000'000'123) == "2026-09-21T14:13:20.123Z");
    for (int64_t ms : {int64_t{0}, int64_t{-1}, int64_t{86'399'999}, int64_t{951'782'400'000},
                       int64_t{1'790'000'000'123}, nowMillis()}) {
        INFO(ms);
        CHECK(parseIsoTimestamp(isoTimestamp(ms)) == ms);
    }
    CHECK(parseIsoTimestamp("2026-09-28T08:00:00Z") == Date{2026, 9, 28}.days() * 86'400'000 + 8 * 3'600'000);
    CHECK(isIsoTimestamp(nowIso()));
    for (const char* bad :
         {"2026-09-28 08:00:00Z", "2026-09-28T24:00:00Z", "2026-09-28T08:00:00", "2026-09-28T08:60:00Z",
          "2026-09-28T08:00:00.12Z", "2026-02-30T08:00:00Z", "2026-09-28T08:00:00+08:00"}) {
        INFO(bad);
        CHECK_FALSE(isIsoTimestamp(bad));
    }
}

TEST_CASE("today is the civil date in China Standard Time", "[dates]") {
    int64_t chinaDay = (nowMillis() + 8LL * 3'600'000) / 86'400'000;
    Date t = Date::today();
    CHECK((t.days() == chinaDay || t.days() == chinaDay + 1));  // tolerate midnight passing
}

// [SECTION] Entity registry

TEST_CASE("field validation refuses unknown fields, wrong types and missing required fields", "[entities]") {
    const EntityDef& finding = entityDef("finding");
    const std::string campaign = newUuidV7();
    FieldMap ok = {{"campaign_id", campaign}, {"category", "land_acquisition"},   {"title", "补偿款被截留"},
                   {"status", "draft"},       {"misconduct_types", {"inaction"}}, {"gps_lat", 38.04},
                   {"template_version", 1}};
    CHECK_NOTHROW(validateFields(finding, ok, true));

    auto errorOf = [&](FieldMap m, bool creating) -> std::string {
        try {
            validateFields(finding, m, creating);
        } catch (const ValidationError& e) {
            return e.what();
        }
        return "(no error)";
    };
    FieldMap m = ok;
    m["titel"] = "x";
    CHECK_THAT(errorOf(m, false), Catch::Contains("不认识的字段“titel”"));

    m = ok;
    m["title"] = 5;
    CHECK_THAT(errorOf(m, false), Catch::Contains("finding.title"));

    m = ok;
    m.erase("title");
    CHECK_THAT(errorOf(m, true), Catch::Contains("finding.title 为必填项"));
    CHECK(errorOf(m, false) == "(no error)");  // an update may leave it out

    m = ok;
    m["title"] = "";
    CHECK_THAT(errorOf(m, false), Catch::Contains("必填"));
    m["title"] = nullptr;
    CHECK_THAT(errorOf(m, false), Catch::Contains("不能清空"));

    m = ok;
    m["title"] = std::string(501, 'x');
    CHECK_THAT(errorOf(m, false), Catch::Contains("超过 500 字节"));
    m["title"] = std::string(500, 'x');
    CHECK(errorOf(m, false) == "(no error)");

    m = ok;
    m["misconduct_types"] = "inaction";  // a Json field needs a list or object
    CHECK_THAT(errorOf(m, false), Catch::Contains("misconduct_types"));
    m["misconduct_types"] = Json::object();
    CHECK(errorOf(m, false) == "(no error)");

    m = ok;
    m["template_version"] = 1.5;
    CHECK_THAT(errorOf(m, false), Catch::Contains("template_version"));
    m = ok;
    m["gps_lat"] = "38.04";
    CHECK_THAT(errorOf(m, false), Catch::Contains("gps_lat"));
    m = ok;
    m["campaign_id"] = "campaign-1";
    CHECK_THAT(errorOf(m, false), Catch::Contains("campaign_id"));
    m = ok;
    m["deleted"] = 1;
    CHECK_THAT(errorOf(m, false), Catch::Contains("deleted"));
    m["deleted"] = true;
    CHECK(errorOf(m, false) == "(no error)");

    CHECK_THROWS_AS(validateFields(finding, Json::array(), false), ValidationError);
}

TEST_CASE("dates, timestamps and booleans are checked by kind", "[entities]") {
    const EntityDef& complaint = entityDef("complaint");
    CHECK_NOTHROW(validateFields(
        complaint, {{"deadline", "2026-10-23"}, {"received_at", "2026-09-28T01:00:00.000Z"}, {"anonymous", true}},
        false));
    CHECK_THROWS_AS(validateFields(complaint, {{"deadline", "2026-10-32"}}, false), ValidationError);
    CHECK_THROWS_AS(validateFields(complaint, {{"received_at", "2026-09-28"}}, false), ValidationError);
    CHECK_THROWS_AS(validateFields(complaint, {{"anonymous", 1}}, false), ValidationError);
    CHECK_THROWS_AS(entityDef("no_such_entity"), ValidationError);
    CHECK(isCommonField("updated_at"));
    CHECK_FALSE(isCommonField("title"));
}

TEST_CASE("stored values decode to what was encoded", "[entities]") {
    const EntityDef& finding = entityDef("finding");
    const FieldDef* types = finding.field("misconduct_types");
    REQUIRE(types);
    Json list = {"inaction", "abuse_of_power"};
    Json stored = encodeValue(*types, list);
    CHECK(stored.is_string());
    CHECK(decodeValue(*types, stored) == list);
    const FieldDef* anon = entityDef("complaint").field("anonymous");
    REQUIRE(anon);
    CHECK(encodeValue(*anon, true) == 1);
    CHECK(decodeValue(*anon, 0) == false);
    CHECK(encodeValue(*anon, nullptr).is_null());
}

// [SECTION] UTF-8: one decoder, one rule for bad bytes (core/utf8.h)

namespace {
std::u32string decodeAll(std::string_view s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        size_t before = i;
        out += jc::decodeUtf8(s, i);
        REQUIRE(i > before);  // always advances
        REQUIRE(i <= s.size());
    }
    return out;
}
}  // namespace

TEST_CASE("UTF-8 decodes Chinese text, including characters outside the BMP", "[utf8]") {
    CHECK(decodeAll("张掖 ok") == U"张掖 ok");
    CHECK(decodeAll("𠀾𬌗𫖯") == U"𠀾𬌗𫖯");
    CHECK(jc::utf8Length("𠀾", 0) == 4);
    CHECK(jc::utf8Length("é", 0) == 2);
}

TEST_CASE("bad UTF-8 bytes each become one U+FFFD and decoding goes on", "[utf8]") {
    const char32_t R = jc::kReplacementCharacter;
    CHECK(decodeAll("a\x80" "b") == std::u32string{U'a', R, U'b'});       // stray continuation byte
    CHECK(decodeAll("\xE5\xBC") == std::u32string{R, R});                   // truncated 张 at the end
    CHECK(decodeAll("\xE5\xBC" "x") == std::u32string{R, R, U'x'});         // truncated, then ASCII
    CHECK(decodeAll("\xC0\xAF") == std::u32string{R, R});                   // overlong '/'
    CHECK(decodeAll("\xED\xA0\x80") == std::u32string{R, R, R});            // a UTF-16 surrogate
    CHECK(decodeAll("\xF4\x90\x80\x80") == std::u32string{R, R, R, R});     // above U+10FFFF
    CHECK(decodeAll("\xFF" "张") == std::u32string{R, U'张'});              // never a lead byte
    CHECK(jc::utf8Length("\x80", 0) == 0);
    // GBK bytes of 张掖 read as UTF-8: replacement characters where they are not UTF-8 (the last
    // two happen to form a valid two-byte character), never a crash or a read past the end.
    CHECK(decodeAll("\xD5\xC5\xD2\xB4") == std::u32string{R, R, U'\u04B4'});
}

TEST_CASE("terminal width counts CJK as two columns and bad bytes as one", "[utf8]") {
    CHECK(jc::terminalWidth("abc") == 3);
    CHECK(jc::terminalWidth("张掖市") == 6);
    CHECK(jc::terminalWidth("𠀾x") == 3);
    CHECK(jc::terminalWidth("，") == 2);   // full-width comma
    CHECK(jc::terminalWidth("a\x80") == 2);
}

TEST_CASE("UTC times become China civil dates and times, before 1970 too", "[dates]") {
    using jc::Date;
    // 2026-03-01T15:59:59.999Z is still 23:59 on 1 March in Beijing; one millisecond later it is 2 March.
    int64_t ms = *jc::parseIsoTimestamp("2026-03-01T15:59:59.999Z");
    CHECK(Date::chinaDate(ms).str() == "2026-03-01");
    CHECK(Date::chinaDate(ms + 1).str() == "2026-03-02");
    CHECK(jc::chinaDateTime(ms) == "2026-03-01 23:59");
    CHECK(jc::chinaDateTime(ms + 1) == "2026-03-02 00:00");
    // Negative times: 1969-12-31T15:00:00Z is 23:00 on 31 December in China; 16:00Z is 1 January.
    CHECK(Date::chinaDate(-9 * 3'600'000LL).str() == "1969-12-31");
    CHECK(Date::chinaDate(-8 * 3'600'000LL).str() == "1970-01-01");
    CHECK(jc::chinaDateTime(-9 * 3'600'000LL) == "1969-12-31 23:00");
    CHECK(jc::isoTimestamp(-1) == "1969-12-31T23:59:59.999Z");
    CHECK(Date::fromDays(-1).str() == "1969-12-31");
    CHECK(Date::parse("1969-12-31").days() == -1);
    CHECK(Date::parse("2024-02-29").weekday() == 4);   // a Thursday
    CHECK_FALSE(Date::tryParse("2025-02-29").has_value());
}

TEST_CASE("a China day begins at 16:00 UTC the day before, before 1970 too", "[dates]") {
    using jc::Date;
    CHECK(jc::isoTimestamp(jc::chinaDayStartMs(Date::parse("2026-03-02"))) == "2026-03-01T16:00:00.000Z");
    CHECK(jc::chinaDayStartMs(Date::parse("1970-01-01")) == -8 * 3'600'000LL);
    for (const char* day : {"1969-12-31", "2024-02-29", "2026-12-31"}) {
        const Date d = Date::parse(day);
        const int64_t start = jc::chinaDayStartMs(d);
        CHECK(Date::chinaDate(start) == d);
        CHECK(Date::chinaDate(start - 1) == d.plusDays(-1));
        CHECK(jc::chinaTime(start).hour == 0);
    }
}
