#include "app/statistics_facts.h"

#include "core/i18n.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "app/statistics_detail.h"
#include "core/error.h"

namespace jc {
namespace stats_detail {

namespace {

// Dimensions in the order of statsDimensions().
enum Dim : int { DCounty, DTownship, DCategory, DArea, DMisconduct, DUnit, DTeam, DInspector, DMonth, DWeek, kDims };
constexpr const char* kDimCodes[kDims] = {"county", "township", "category",  "area",  "misconduct",
                                          "unit",   "team",     "inspector", "month", "week"};
int dimIndex(const std::string& code) {
    for (int i = 0; i < kDims; ++i)
        if (code == kDimCodes[i]) return i;
    throw ValidationError(trf("stats.err_dimension", {code}));
}

constexpr uint32_t kNoFilter = UINT32_MAX;     // the filter field is not set
constexpr uint32_t kNoMatch = UINT32_MAX - 1;  // set to a value no record has

// A stored timestamp or date; NULL is not "" (NULL is outside every range).
struct Stamp {
    std::string v;
    bool set = false;
};

Stamp stampAt(Statement& s, int c) {
    return s.isNull(c) ? Stamp{} : Stamp{s.getText(c), true};
}

}  // namespace

struct StatsFacts {
    // Every text (codes, ids, keys) once; 0 is "" (also NULL, as the SQL path's keys treat it).
    std::vector<std::string> strings{""};
    std::unordered_map<std::string, uint32_t> ids{{"", 0}};

    struct Finding {
        uint32_t campaign, status, category, area, assignee, region, severity, unit;
        std::array<uint32_t, kDims> key;  // month and week by the recording date
        uint32_t monthAccepted, weekAccepted;
        uint32_t typesBegin = 0, typesEnd = 0;  // misconduct types in findingTypes
        Stamp created, accepted, openDeadline;  // openDeadline: earliest deadline of an open rectification
        std::vector<double> fields;             // findingFieldMeasures() values
    };
    struct Rectification {
        uint32_t finding;  // index in findings
        std::array<uint32_t, kDims> key;
        Stamp created, deadline;
        bool reported, verified, open;
    };
    struct Warning {
        uint32_t campaign, region, category, unit, assignee;
        std::array<uint32_t, kDims> key;
        uint32_t typesBegin = 0, typesEnd = 0;
        Stamp issued;
        bool acknowledged;
    };
    struct Complaint {
        uint32_t campaign, region, category, unit, assignee;
        std::array<uint32_t, kDims> key;
        Stamp received;
        ComplaintFacts facts;
    };
    std::vector<Finding> findings;
    std::vector<uint32_t> findingTypes;
    std::vector<Rectification> rectifications;
    std::vector<Warning> warnings;
    std::vector<uint32_t> warningTypes;
    std::vector<Complaint> complaints;
    std::vector<std::pair<std::string, std::string>> users;  // name, team of users not deleted

    uint32_t intern(const std::string& s) {
        auto [it, added] = ids.emplace(s, static_cast<uint32_t>(strings.size()));
        if (added) strings.push_back(s);
        return it->second;
    }
    uint32_t at(Statement& s, int c) { return s.isNull(c) ? 0 : intern(s.getText(c)); }
    // The id a filter value asks for.
    uint32_t want(const std::string& v) const {
        if (v.empty()) return kNoFilter;
        auto it = ids.find(v);
        return it == ids.end() ? kNoMatch : it->second;
    }
};

namespace {

// [SECTION] Loading

// The keys of every dimension but misconduct over a source, as SELECT columns.
std::string keyColumns(const Source& src) {
    std::string out;
    for (int d = 0; d < kDims; ++d)
        if (d != DMisconduct) out += dimensionSql(kDimCodes[d], src) + ", ";
    return out;
}

// Reads the keyColumns() from column `c` on; misconduct stays 0 (its rows come from json_each).
std::array<uint32_t, kDims> keysAt(StatsFacts& F, Statement& s, int& c) {
    std::array<uint32_t, kDims> k{};
    for (int d = 0; d < kDims; ++d)
        if (d != DMisconduct) k[d] = F.at(s, c++);
    return k;
}

// Misconduct types per record: "SELECT <rowid>, mt.value …", the records' indexes by rowid in
// `index`. Each record's types end up contiguous in `types`.
template <class Rec>
void loadTypes(StatsFacts& F, Database& db, const std::string& sql, const std::unordered_map<int64_t, uint32_t>& index,
               std::vector<Rec>& recs, std::vector<uint32_t>& types) {
    std::vector<std::pair<uint32_t, uint32_t>> pairs;  // record, type
    auto s = db.prepare(sql);
    while (s.step())
        if (auto it = index.find(s.getInt(0)); it != index.end()) pairs.emplace_back(it->second, F.at(s, 1));
    std::stable_sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    types.reserve(pairs.size());
    for (const auto& [rec, type] : pairs) {
        if (recs[rec].typesEnd == recs[rec].typesBegin) recs[rec].typesBegin = static_cast<uint32_t>(types.size());
        types.push_back(type);
        recs[rec].typesEnd = static_cast<uint32_t>(types.size());
    }
}

std::shared_ptr<StatsFacts> loadFacts(Database& db) {
    auto F = std::make_shared<StatsFacts>();
    std::unordered_map<int64_t, uint32_t> findingIndex;  // by rowid
    {
        // The acceptance time and the open rectifications' earliest deadline, once per finding
        // (the same as findingAcceptedAtSql() and the overdue filter's EXISTS).
        Source rec = findingSource(FindingFilter{});
        Source acc = rec;
        acc.stamp = "a.at";
        const auto& fields = findingFieldMeasures();
        // Every finding column read here is in the covering index finding_stats (the wide rows
        // with their narratives are never read); the case history and rectifications meet the
        // findings by rowid through the id index.
        std::string sql =
            "WITH a AS MATERIALIZED (SELECT x.rowid AS rid, min(e.at) AS at FROM case_event e JOIN finding x ON x.id = "
            "e.entity_id WHERE e.entity = 'finding' AND e.to_status = 'accepted' AND e.deleted = 0 GROUP BY x.rowid), "
            "o AS MATERIALIZED (SELECT x.rowid AS rid, min(r.deadline) AS d FROM rectification r JOIN finding x ON "
            "x.id = "
            "r.finding_id WHERE r.deleted = 0 AND r.status IN ('ordered', 'overdue') GROUP BY x.rowid) "
            "SELECT f.rowid, f.campaign_id, f.status, f.category, f.area, f.assignee, f.region_code, f.severity, "
            "f.subject_unit_id, f.created_at, a.at, o.d, " +
            keyColumns(rec) + dimensionSql("month", acc) + ", " + dimensionSql("week", acc);
        for (const auto& code : fields) sql += ", " + findingFieldExpr(code);
        sql += " FROM finding f LEFT JOIN a ON a.rid = f.rowid LEFT JOIN o ON o.rid = f.rowid WHERE f.deleted = 0";
        auto s = db.prepare(sql);
        while (s.step()) {
            StatsFacts::Finding x;
            findingIndex.emplace(s.getInt(0), static_cast<uint32_t>(F->findings.size()));
            x.campaign = F->at(s, 1), x.status = F->at(s, 2), x.category = F->at(s, 3), x.area = F->at(s, 4);
            x.assignee = F->at(s, 5), x.region = F->at(s, 6), x.severity = F->at(s, 7), x.unit = F->at(s, 8);
            x.created = stampAt(s, 9), x.accepted = stampAt(s, 10), x.openDeadline = stampAt(s, 11);
            int c = 12;
            x.key = keysAt(*F, s, c);
            x.monthAccepted = F->at(s, c++);
            x.weekAccepted = F->at(s, c++);
            x.fields.reserve(fields.size());
            for (size_t i = 0; i < fields.size(); ++i) x.fields.push_back(s.isNull(c) ? 0.0 : s.getDouble(c)), ++c;
            F->findings.push_back(std::move(x));
        }
        loadTypes(*F, db,
                  "SELECT f.rowid, mt.value FROM finding f, json_each(f.misconduct_types) mt WHERE f.deleted = 0 AND "
                  "json_valid(f.misconduct_types)",
                  findingIndex, F->findings, F->findingTypes);
    }
    {
        Source src = rectificationSource();
        auto s = db.prepare(
            "SELECT f.rowid, " + keyColumns(src) +
            "r.created_at, r.deadline, r.reported_at IS NOT NULL OR r.status IN ('reported_done', 'verified'), "
            "r.status = 'verified', r.status IN ('ordered', 'overdue')" +
            src.from + " WHERE r.deleted = 0 AND f.deleted = 0");
        while (s.step()) {
            auto it = findingIndex.find(s.getInt(0));
            if (it == findingIndex.end()) continue;
            StatsFacts::Rectification x;
            x.finding = it->second;
            int c = 1;
            x.key = keysAt(*F, s, c);
            x.created = stampAt(s, c), x.deadline = stampAt(s, c + 1);
            x.reported = s.getInt(c + 2) != 0, x.verified = s.getInt(c + 3) != 0, x.open = s.getInt(c + 4) != 0;
            F->rectifications.push_back(std::move(x));
        }
    }
    {
        Source src = warningSource();
        std::unordered_map<int64_t, uint32_t> warningIndex;  // by rowid
        auto s = db.prepare("SELECT w.rowid, coalesce(f.campaign_id, c.campaign_id), " + src.region + ", " +
                            src.category + ", " + src.unit + ", " + src.assignee + ", " + keyColumns(src) +
                            "w.issued_at, w.acknowledged_at IS NOT NULL" + src.from + " WHERE w.deleted = 0");
        while (s.step()) {
            StatsFacts::Warning x;
            warningIndex.emplace(s.getInt(0), static_cast<uint32_t>(F->warnings.size()));
            x.campaign = F->at(s, 1), x.region = F->at(s, 2), x.category = F->at(s, 3), x.unit = F->at(s, 4),
            x.assignee = F->at(s, 5);
            int c = 6;
            x.key = keysAt(*F, s, c);
            x.issued = stampAt(s, c), x.acknowledged = s.getInt(c + 1) != 0;
            F->warnings.push_back(std::move(x));
        }
        loadTypes(*F, db,
                  "SELECT w.rowid, mt.value" + src.from +
                      ", json_each(f.misconduct_types) mt WHERE w.deleted = 0 AND "
                      "json_valid(f.misconduct_types)",
                  warningIndex, F->warnings, F->warningTypes);
    }
    {
        Source src = complaintSourceDef();
        auto s = db.prepare("SELECT c.campaign_id, c.region_code, c.category, c.respondent_unit_id, c.assignee, " +
                            keyColumns(src) + "c.received_at, " + complaintFactColumns() + src.from +
                            " WHERE c.deleted = 0");
        while (s.step()) {
            StatsFacts::Complaint x;
            x.campaign = F->at(s, 0), x.region = F->at(s, 1), x.category = F->at(s, 2), x.unit = F->at(s, 3),
            x.assignee = F->at(s, 4);
            int c = 5;
            x.key = keysAt(*F, s, c);
            x.received = stampAt(s, c);
            x.facts = complaintFactsAt(s, c + 1);
            F->complaints.push_back(std::move(x));
        }
    }
    auto s =
        db.prepare("SELECT name, team_id FROM user WHERE deleted = 0 AND name IS NOT NULL AND team_id IS NOT NULL");
    while (s.step()) F->users.emplace_back(s.getText(0), s.getText(1));
    return F;
}

// [SECTION] Filtering

// The filter of one query over the facts' ids.
struct Pred {
    const StatsFacts& F;
    uint32_t campaign, status, category, area, assignee, severity, unit, misconduct;
    std::string regionLo, regionHi;
    mutable std::unordered_map<uint32_t, bool> regionOk;
    bool teamOn = false;
    std::unordered_set<uint32_t> team;  // assignee ids in the team
    bool overdue;
    std::string today;
    std::optional<std::string> from, to;  // stamp bounds: from <= stamp < to
    bool accepted;

    Pred(const StatsFacts& facts, const FindingFilter& f, const Date& day) : F(facts) {
        campaign = F.want(f.campaignId), status = F.want(f.status), category = F.want(f.category),
        area = F.want(f.area);
        assignee = F.want(f.assignee), severity = F.want(f.severity), unit = F.want(f.subjectUnitId);
        misconduct = F.want(f.misconductType);
        if (!f.regionPrefix.empty()) regionLo = f.regionPrefix, regionHi = f.regionPrefix + ":";
        if (!f.teamId.empty()) {
            teamOn = true;
            for (const auto& [name, t] : F.users)
                if (t == f.teamId)
                    if (auto it = F.ids.find(name); it != F.ids.end()) team.insert(it->second);
        }
        overdue = f.overdueOnly;
        today = day.str();
        if (!f.dateFrom.empty()) from = chinaDayStartUtc(Date::parse(f.dateFrom));
        if (!f.dateTo.empty()) to = chinaDayStartUtc(Date::parse(f.dateTo).plusDays(1));
        accepted = f.dateBasis == "accepted";
    }
    static bool eq(uint32_t want, uint32_t have) { return want == kNoFilter || want == have; }
    bool region(uint32_t id) const {
        if (regionLo.empty()) return true;
        auto [it, added] = regionOk.emplace(id, false);
        if (added) it->second = id != 0 && F.strings[id] >= regionLo && F.strings[id] < regionHi;
        return it->second;
    }
    bool inTeam(uint32_t who) const { return !teamOn || team.count(who) > 0; }
    bool dates(const Stamp& s) const {
        if (!from && !to) return true;
        if (!s.set) return false;
        return (!from || s.v >= *from) && (!to || s.v < *to);
    }
    // The findings list's filter (findingFilterSql), with or without its date range.
    bool finding(const StatsFacts::Finding& x, bool withDates) const {
        if (!eq(campaign, x.campaign) || !eq(status, x.status) || !eq(category, x.category) || !eq(area, x.area) ||
            !eq(assignee, x.assignee) || !region(x.region) || !eq(severity, x.severity) || !eq(unit, x.unit) ||
            !inTeam(x.assignee))
            return false;
        if (overdue && !(x.openDeadline.set && x.openDeadline.v < today)) return false;
        if (misconduct != kNoFilter &&
            std::find(F.findingTypes.begin() + x.typesBegin, F.findingTypes.begin() + x.typesEnd, misconduct) ==
                F.findingTypes.begin() + x.typesEnd)
            return false;
        return !withDates || dates(accepted ? x.accepted : x.created);
    }
    // The parts that apply to complaints and warnings (commonWhere, complaintFilterSql).
    template <class Rec>
    bool common(const Rec& x, const Stamp& stamp) const {
        return eq(campaign, x.campaign) && region(x.region) && eq(category, x.category) && eq(unit, x.unit) &&
               eq(assignee, x.assignee) && inTeam(x.assignee) && dates(stamp);
    }
};

// [SECTION] Grouping

// Rows keyed by the ids of up to two dimension keys.
struct Groups {
    size_t width;
    std::unordered_map<uint64_t, std::vector<double>> rows;
    std::vector<double>& at(uint32_t a, uint32_t b) {
        auto& v = rows[(static_cast<uint64_t>(a) << 32) | b];
        if (v.empty()) v.assign(width, 0.0);
        return v;
    }
};

struct Grouping {
    std::vector<int> dims;  // dimension indexes
    int misconductPos = -1;

    // Calls fn(a, b) once per row the record counts in: once, or once per misconduct type (none
    // when it has none, as the json_each join drops it).
    template <class Fn>
    void each(const std::array<uint32_t, kDims>& key, const uint32_t* typesBegin, const uint32_t* typesEnd,
              uint32_t month, uint32_t week, Fn&& fn) const {
        auto keyOf = [&](int d) { return d == DMonth ? month : d == DWeek ? week : key[d]; };
        uint32_t k[2] = {0, 0};
        for (size_t i = 0; i < dims.size(); ++i) k[i] = keyOf(dims[i]);
        if (misconductPos < 0) return fn(k[0], k[1]);
        for (const uint32_t* t = typesBegin; t != typesEnd; ++t) {
            k[misconductPos] = *t;
            fn(k[0], k[1]);
        }
    }
};

void mergeRows(const StatsFacts& F, const Grouping& g, const Groups& groups, const std::vector<size_t>& slots,
               size_t measureCount, Partial& out) {
    for (const auto& [id, v] : groups.rows) {
        uint32_t ids[2] = {static_cast<uint32_t>(id >> 32), static_cast<uint32_t>(id & 0xffffffffu)};
        Key k;
        for (size_t i = 0; i < g.dims.size(); ++i) k.push_back(F.strings[ids[i]]);
        auto& row = out.rows[k];
        if (row.empty()) row.assign(measureCount, 0.0);
        for (size_t a = 0; a < slots.size(); ++a) row[slots[a]] += v[a];
    }
    if (out.rows.size() > kMaxStatsRows)
        throw ValidationError(trf("stats.err_rows", {std::to_string(kMaxStatsRows)}));
}

}  // namespace

void aggregateFacts(const StatsFacts& F, const WorkCalendar& cal, const Date& today, const FindingFilter& f,
                    const std::vector<std::string>& dims, const std::vector<std::string>& codes,
                    const std::vector<MeasureInfo>& measures, Partial& out) {
    Pred p(F, f, today);
    Grouping g;
    for (size_t i = 0; i < dims.size(); ++i) {
        g.dims.push_back(dimIndex(dims[i]));
        if (g.dims.back() == DMisconduct) g.misconductPos = static_cast<int>(i);
    }
    bool grouped = !dims.empty();
    std::vector<size_t> fSlot, rSlot, wSlot, cSlot;
    std::vector<std::string> fCodes, rCodes, wCodes, cCodes;
    for (size_t i = 0; i < codes.size(); ++i) {
        switch (measures[i].source) {
            case MeasureSource::Findings:
                fSlot.push_back(i), fCodes.push_back(codes[i]);
                break;
            case MeasureSource::Rectifications:
                rSlot.push_back(i), rCodes.push_back(codes[i]);
                break;
            case MeasureSource::Warnings:
                wSlot.push_back(i), wCodes.push_back(codes[i]);
                break;
            case MeasureSource::Complaints:
                cSlot.push_back(i), cCodes.push_back(codes[i]);
                break;
        }
    }
    auto addInto = [](std::vector<double>& dst, const std::vector<double>& v) {
        for (size_t a = 0; a < v.size(); ++a) dst[a] += v[a];
    };

    if (!fCodes.empty()) {
        // Each measure: 1, a severity test, or a field value.
        struct M {
            int kind;  // 0 count, 1 severity, 2 field
            uint32_t severity = 0;
            size_t field = 0;
        };
        std::vector<M> ms;
        const auto& fields = findingFieldMeasures();
        for (const auto& c : fCodes) {
            if (c == "findings")
                ms.push_back({0});
            else if (c.rfind("severity_", 0) == 0) {
                uint32_t id = F.want(c.substr(9));
                ms.push_back({1, id == kNoFilter ? kNoMatch : id});
            } else
                ms.push_back({2, 0, static_cast<size_t>(std::find(fields.begin(), fields.end(), c) - fields.begin())});
        }
        Groups groups{fCodes.size(), {}};
        std::vector<double> v(fCodes.size()), total(fCodes.size(), 0.0);
        const uint32_t* types = F.findingTypes.data();
        for (const auto& x : F.findings) {
            if (!p.finding(x, true)) continue;
            for (size_t a = 0; a < ms.size(); ++a)
                v[a] = ms[a].kind == 0   ? 1.0
                       : ms[a].kind == 1 ? (x.severity == ms[a].severity ? 1.0 : 0.0)
                                         : x.fields[ms[a].field];
            addInto(total, v);
            if (grouped)
                g.each(x.key, types + x.typesBegin, types + x.typesEnd, p.accepted ? x.monthAccepted : x.key[DMonth],
                       p.accepted ? x.weekAccepted : x.key[DWeek],
                       [&](uint32_t a, uint32_t b) { addInto(groups.at(a, b), v); });
        }
        if (grouped) mergeRows(F, g, groups, fSlot, codes.size(), out);
        for (size_t a = 0; a < fSlot.size(); ++a) out.totals[fSlot[a]] += total[a];
    }

    if (!rCodes.empty()) {
        Groups groups{rCodes.size(), {}};
        std::vector<double> v(rCodes.size()), total(rCodes.size(), 0.0);
        std::string day = today.str();
        const uint32_t* types = F.findingTypes.data();
        for (const auto& x : F.rectifications) {
            const auto& fx = F.findings[x.finding];
            if (!p.finding(fx, false) || !p.dates(x.created)) continue;
            for (size_t a = 0; a < rCodes.size(); ++a) {
                const std::string& c = rCodes[a];
                v[a] = c == "rect_ordered"    ? 1.0
                       : c == "rect_reported" ? (x.reported ? 1.0 : 0.0)
                       : c == "rect_verified" ? (x.verified ? 1.0 : 0.0)
                                              : (x.open && x.deadline.set && x.deadline.v < day ? 1.0 : 0.0);
            }
            addInto(total, v);
            if (grouped)
                g.each(x.key, types + fx.typesBegin, types + fx.typesEnd, x.key[DMonth], x.key[DWeek],
                       [&](uint32_t a, uint32_t b) { addInto(groups.at(a, b), v); });
        }
        if (grouped) mergeRows(F, g, groups, rSlot, codes.size(), out);
        for (size_t a = 0; a < rSlot.size(); ++a) out.totals[rSlot[a]] += total[a];
    }

    if (!wCodes.empty()) {
        Groups groups{wCodes.size(), {}};
        std::vector<double> v(wCodes.size()), total(wCodes.size(), 0.0);
        const uint32_t* types = F.warningTypes.data();
        for (const auto& x : F.warnings) {
            if (!p.common(x, x.issued)) continue;
            for (size_t a = 0; a < wCodes.size(); ++a)
                v[a] = wCodes[a] == "warnings" ? 1.0 : (x.acknowledged ? 1.0 : 0.0);
            addInto(total, v);
            if (grouped)
                g.each(x.key, types + x.typesBegin, types + x.typesEnd, x.key[DMonth], x.key[DWeek],
                       [&](uint32_t a, uint32_t b) { addInto(groups.at(a, b), v); });
        }
        if (grouped) mergeRows(F, g, groups, wSlot, codes.size(), out);
        for (size_t a = 0; a < wSlot.size(); ++a) out.totals[wSlot[a]] += total[a];
    }

    if (!cCodes.empty()) {
        // Complaints carry no misconduct type: no join, their key is "" (not set).
        Grouping cg = g;
        cg.misconductPos = -1;
        std::map<Key, ComplaintGroup> groups;
        ComplaintGroup all;
        for (const auto& x : F.complaints) {
            if (!p.common(x, x.received)) continue;
            all.add(x.facts, cal);
            if (grouped)
                cg.each(x.key, nullptr, nullptr, x.key[DMonth], x.key[DWeek], [&](uint32_t a, uint32_t b) {
                    uint32_t ids[2] = {a, b};
                    Key k;
                    for (size_t i = 0; i < cg.dims.size(); ++i) k.push_back(F.strings[ids[i]]);
                    groups[k].add(x.facts, cal);
                });
        }
        if (grouped && groups.size() > kMaxStatsRows)
            throw ValidationError(trf("stats.err_rows", {std::to_string(kMaxStatsRows)}));
        mergeComplaintGroups(groups, all, grouped, cSlot, cCodes, codes.size(), out);
    }
}

}  // namespace stats_detail

// [SECTION] The cache

StatsFactCache::StatsFactCache() = default;
StatsFactCache::~StatsFactCache() = default;

bool StatsFactCache::canAnswer(const FindingFilter& f) {
    return f.search.empty();
}

std::shared_ptr<const stats_detail::StatsFacts> StatsFactCache::facts(Database& db) {
    std::lock_guard lock(m_mutex);
    Generation now = generationOf(db);
    if (m_facts && now == m_generation) return m_facts;
    auto t0 = std::chrono::steady_clock::now();
    m_facts = stats_detail::loadFacts(db);
    m_lastLoadMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ++m_loads;
    // Loading only reads, so the generation read before it still holds; a commit by another
    // connection meanwhile changes data_version and the next call loads again.
    m_generation = now;
    return m_facts;
}

StatsFactCache::Generation StatsFactCache::generationOf(Database& db) {
    return {db.handle(), db.path(), db.queryInt("PRAGMA data_version", -1), sqlite3_total_changes64(db.handle())};
}

bool StatsFactCache::isCurrent(Database& db) const {
    std::lock_guard lock(m_mutex);
    return m_facts && generationOf(db) == m_generation;
}

int64_t StatsFactCache::loads() const {
    std::lock_guard lock(m_mutex);
    return m_loads;
}

double StatsFactCache::lastLoadMs() const {
    std::lock_guard lock(m_mutex);
    return m_lastLoadMs;
}

size_t StatsFactCache::findingCount() const {
    std::lock_guard lock(m_mutex);
    return m_facts ? m_facts->findings.size() : 0;
}

}  // namespace jc
