#include "core/domain.h"

#include <algorithm>

#include "core/error.h"
#include "core/i18n.h"

namespace jc {

namespace {
const CodeLabel kAreas[] = {
    {"lawful_admin", "依法行政", "Lawful administration"},
    {"gov_functions", "政府职能", "Government functions"},
    {"admin_management", "行政管理", "Administrative management"},
    {"central_tasks", "中心工作落实", "Central tasks"},
    {"integrity", "廉政", "Integrity of officials"},
    {"openness", "政务公开", "Openness of government affairs"},
    {"public_services", "公共服务", "Public services"},
    {"hotspot_issues", "社会热点难点", "Hot-spot and difficult issues"},
};
const CodeLabel kCategories[] = {
    {"land_acquisition", "征收征用土地", "Land acquisition"},
    {"demolition", "城镇拆迁", "Urban demolition"},
    {"restructuring", "企业重组改制破产", "Enterprise restructuring"},
    {"wage_arrears", "拖欠农民工工资", "Wage arrears"},
    {"pollution", "企业违法排污", "Illegal pollutant discharge"},
    {"food_drug", "食品药品安全", "Food and drug safety"},
};
const CodeLabel kMisconduct[] = {
    {"evading_policy", "上有政策、下有对策", "Evading policy"},
    {"unlawful_action", "行政乱作为", "Unlawful action"},
    {"inaction", "行政不作为", "Inaction"},
    {"abuse_of_power", "以权谋私", "Abuse of power for private gain"},
    {"opaque_dealing", "暗箱操作", "Non-transparent dealing"},
    {"heavy_handed", "方法简单、作风粗暴", "Heavy-handed conduct"},
};
const CodeLabel kChannels[] = {
    {"walk_in", "来访", "Walk-in"},
    {"hotline", "热线电话", "Hotline"},
    {"web", "网上投诉", "Web"},
    {"letter", "来信", "Letter"},
};
const CodeLabel kSeverities[] = {
    {"low", "轻微", "Low"},
    {"medium", "一般", "Medium"},
    {"high", "严重", "High"},
    {"critical", "特别严重", "Critical"},
};
const CodeLabel kUnitKinds[] = {
    {"department", "政府部门", "Government department"},
    {"township_gov", "乡镇人民政府", "Township government"},
    {"enterprise", "企业", "Enterprise"},
    {"institution", "事业单位", "Public institution"},
    {"village", "村（居）委会", "Village committee"},
};
const CodeLabel kWarningLevels[] = {
    {"reminder", "效能提醒", "Reminder"},
    {"warning", "效能告诫", "Efficiency warning"},
    {"serious", "通报批评", "Public criticism"},
};
}  // namespace

std::string_view roleCode(Role r) {
    switch (r) {
        case Role::Inspector: return "inspector";
        case Role::Lead: return "lead";
        case Role::HqAdmin: return "hq_admin";
    }
    return "inspector";
}

Role parseRole(std::string_view s) {
    if (s == "inspector" || s == "监察员") return Role::Inspector;
    if (s == "lead" || s == "组长" || s == "检查组组长") return Role::Lead;
    if (s == "hq_admin" || s == "hq" || s == "市监察局") return Role::HqAdmin;
    loadStringTables();
    throw ValidationError(trf("workflow.unknown_role", {std::string(s)}));
}

const char* roleLabel(Role r) {
    loadStringTables();
    switch (r) {
        case Role::Inspector: return tr("workflow.role_inspector");
        case Role::Lead: return tr("workflow.role_lead");
        case Role::HqAdmin: return tr("workflow.role_hq_admin");
    }
    return tr("workflow.role_inspector");
}

std::span<const CodeLabel> areas() { return kAreas; }
std::span<const CodeLabel> categories() { return kCategories; }
std::span<const CodeLabel> misconductTypes() { return kMisconduct; }
std::span<const CodeLabel> complaintChannels() { return kChannels; }
std::span<const CodeLabel> severities() { return kSeverities; }
std::span<const CodeLabel> unitKinds() { return kUnitKinds; }
std::span<const CodeLabel> warningLevels() { return kWarningLevels; }

std::string auditActionLabel(std::string_view action) {
    loadStringTables();
    std::string key = "admin.action." + std::string(action);
    return i18n().has(i18n().language(), key) ? std::string(tr(key)) : std::string(action);
}

const CodeLabel& findCode(std::span<const CodeLabel> list, std::string_view s, std::string_view listName) {
    for (const auto& c : list)
        if (s == c.code || s == c.zh || s == c.en) return c;
    std::string known;
    for (const auto& c : list) known += std::string(known.empty() ? "" : ", ") + c.code;
    // The list's name in the user's language when the tables know it ("finding status" → domain.list.finding_status).
    std::string key = "domain.list." + std::string(listName);
    std::replace(key.begin(), key.end(), ' ', '_');
    loadStringTables();
    std::string name = i18n().has(i18n().language(), key) ? tr(key) : std::string(listName);
    throw ValidationError(trf("domain.unknown_code", {name, s, known}));
}

bool hasCode(std::span<const CodeLabel> list, std::string_view code) {
    for (const auto& c : list)
        if (code == c.code) return true;
    return false;
}

bool isBlank(std::string_view s) {
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
        } else if (s.substr(i, 3) == "\xE3\x80\x80") {
            i += 3;
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace jc
