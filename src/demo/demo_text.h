#pragma once
// Internal to the demo-data generator (demo/demo_data.h): the Chinese content of synthetic cases.
// Pure functions of a seeded Rng and the parties involved, so the same seed always writes the
// same titles, narratives and template values. Nothing here touches the store.
//
// The texts are invented but plausible: real Zhangye townships and counties, made-up
// enterprises and people. A few person names carry rare characters (堃 喆 䶮) and a few
// narratives quote an old document in traditional forms (監察), so font and search tests meet
// them in ordinary data.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "core/dates.h"
#include "core/entities.h"

namespace jc::demo {

// splitmix64: tiny, fast, and identical on every platform (std distributions are not).
class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint64_t next();
    int below(int n);                // [0, n)
    int range(int lo, int hi);       // [lo, hi]
    int64_t range64(int64_t lo, int64_t hi);
    bool chance(double p);
    double real(double lo, double hi);
    int weighted(std::initializer_list<int> weights);  // index chosen in proportion to its weight
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[static_cast<size_t>(below(static_cast<int>(v.size())))]; }

private:
    uint64_t m_state;
};

uint64_t mixSeed(uint64_t seed, uint64_t stream);

struct Township {
    std::string code, name;               // 9-digit GB/T 2260 code, e.g. 620702107 党寨镇
    std::string countyCode, countyName;   // 620702 甘州区
    std::string countyShort;              // 甘州
};

// Roles of demo units: what a unit is for when a case picks its parties.
//   township | hrss | land | housing | market | eco | industry          (government)
//   construction | labour | industrial | food | soe                    (enterprises)
struct UnitInfo {
    std::string id, name, kind, role, regionCode, countyCode;
};

struct PersonInfo {
    std::string id, name, post, unitId;
};

// A unit the generator creates (before it has an id): name, kind code, role, region.
struct UnitSpec {
    std::string name, kind, role, regionCode, countyCode;
};
std::vector<UnitSpec> unitSpecsFor(const std::vector<Township>& townships);
// Persons of a unit: name and post; `serial` makes names differ between units.
std::vector<std::pair<std::string, std::string>> personSpecsFor(const UnitSpec& unit, int serial);

// Inspectors and the lead the generator may create (when the acting user is hq_admin).
const std::vector<std::string>& demoInspectorNames();
const std::string& demoLeadName();

struct Parties {
    const Township* place = nullptr;
    const UnitInfo* subject = nullptr;     // the supervised unit (被监察单位)
    const UnitInfo* enterprise = nullptr;  // employer, polluter, demolisher … (may be null)
    const UnitInfo* department = nullptr;  // the county department in charge
    const UnitInfo* townshipGov = nullptr;
    std::vector<const PersonInfo*> persons;  // responsible persons, the first directly
};

// Which enterprise role and department role a category involves, and how likely the
// enterprise (rather than the department or township) is the supervised unit.
struct CategoryCast {
    const char* enterpriseRole;
    const char* departmentRole;
    double enterpriseIsSubject;
    double townshipIsSubject;
};
CategoryCast castFor(const std::string& category);

struct FindingText {
    std::string area, title, narrative, address, loophole, recommendation, accountability, severity;
    Json misconduct = Json::array();
    Json fieldValues = Json::object();
    Json responsible = Json::array();  // [{person_id, name, role: direct|related}]
    double lat = 0, lon = 0;
};
// `index` guarantees that some findings carry rare characters and traditional forms.
FindingText composeFinding(Rng& rng, const std::string& category, const Parties& p, const Date& day, int64_t index);

struct ComplaintText {
    std::string title, content, reply, outcome, handoverNote;
};
// `category` may be empty: a general efficiency complaint against the department.
ComplaintText composeComplaint(Rng& rng, const std::string& category, const Parties& p, const Date& received);

std::string returnComment(Rng& rng, const std::string& category);
std::string dismissComment(Rng& rng, const Parties& p);
std::string rectificationAction(Rng& rng, const std::string& category, const Parties& p, const Json& values);
std::string progressNote(Rng& rng, const std::string& category);
std::string rejectComment(Rng& rng);
std::string verificationNote(Rng& rng, const Parties& p);
std::string warningReason(Rng& rng, const std::string& category, const std::string& unitName);
std::string campaignShortName();

}  // namespace jc::demo
