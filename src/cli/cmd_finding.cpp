// `jiancha finding …`: the inspector's and lead's finding workflow from the command line.
#include <iostream>

#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/queries.h"
#include "app/templates.h"
#include "core/args.h"
#include "cli/env.h"
#include "core/error.h"
#include "core/workflow.h"

namespace jc::cli {

namespace {
const std::set<std::string> kEditOptions = {"campaign", "category",  "title",    "narrative",      "area",
                                            "region",   "address",   "gps",      "severity",       "misconduct",
                                            "unit",     "person",    "loophole", "recommendation", "accountability",
                                            "assignee", "field"};

Json convertTemplateValue(const FormField& f, const std::string& v) {
    switch (f.type) {
        case FormFieldType::Number: {
            size_t used = 0;
            double d = 0;
            try {
                d = std::stod(v, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != v.size()) throw ValidationError(trf("cli.finding.not_number", {f.key, v}));
            if (f.integer || (d == static_cast<double>(static_cast<int64_t>(d)) && v.find('.') == std::string::npos))
                return static_cast<int64_t>(d);
            return d;
        }
        case FormFieldType::Money:
            try {
                return parseYuan(v);
            } catch (const ValidationError& e) {
                throw ValidationError(f.key + ": " + e.what());
            }
        case FormFieldType::YesNo:
            if (v == "yes" || v == "true" || v == "是") return true;
            if (v == "no" || v == "false" || v == "否") return false;
            throw ValidationError(trf("cli.finding.not_yes_no", {f.key, v}));
        case FormFieldType::MultiChoice: {
            Json arr = Json::array();
            size_t start = 0;
            while (start <= v.size()) {
                size_t comma = v.find(',', start);
                std::string part = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                if (!part.empty()) arr.push_back(part);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            return arr;
        }
        default: return v;
    }
}

FieldMap fieldsFromArgs(Env& env, const Args& a, const std::string& category, const Json& existingValues) {
    FieldMap f = FieldMap::object();
    auto text = [&](const char* opt, const char* field) {
        if (auto v = a.opt(opt)) f[field] = *v;
    };
    text("campaign", "campaign_id");
    text("title", "title");
    text("narrative", "narrative");
    text("region", "region_code");
    text("address", "address");
    text("unit", "subject_unit_id");
    text("loophole", "loophole");
    text("recommendation", "recommendation");
    text("accountability", "accountability");
    text("assignee", "assignee");
    if (auto v = a.opt("category")) f["category"] = findCode(categories(), *v, "category").code;
    if (auto v = a.opt("area")) f["area"] = findCode(areas(), *v, "area").code;
    if (auto v = a.opt("severity")) f["severity"] = findCode(severities(), *v, "severity").code;
    if (!a.all("misconduct").empty()) {
        f["misconduct_types"] = Json::array();
        for (const auto& m : a.all("misconduct")) f["misconduct_types"].push_back(findCode(misconductTypes(), m, "misconduct type").code);
    }
    if (!a.all("person").empty()) {
        f["responsible_persons"] = Json::array();
        for (const auto& p : a.all("person")) {
            auto colon = p.find(':');
            std::string id = p.substr(0, colon), role = colon == std::string::npos ? "direct" : p.substr(colon + 1);
            if (role != "direct" && role != "related") throw ValidationError(trf("cli.finding.person_role", {p}));
            env.store().require("person", id);
            f["responsible_persons"].push_back({{"person_id", id}, {"role", role}});
        }
    }
    if (auto v = a.opt("gps")) {
        auto comma = v->find(',');
        try {
            if (comma == std::string::npos) throw std::invalid_argument("no comma");
            f["gps_lat"] = std::stod(v->substr(0, comma));
            f["gps_lon"] = std::stod(v->substr(comma + 1));
        } catch (const std::exception&) {
            throw ValidationError(tr("cli.finding.bad_gps"));
        }
    }
    if (!a.all("field").empty()) {
        if (category.empty()) throw UsageError(tr("cli.finding.field_needs_category"));
        FormTemplate t = currentTemplate(env.store(), category);
        Json values = existingValues.is_object() ? existingValues : Json::object();
        for (const auto& kv : a.all("field")) {
            auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0) throw UsageError(trf("cli.finding.bad_field", {kv}));
            std::string key = kv.substr(0, eq), val = kv.substr(eq + 1);
            const FormField* ff = t.field(key);
            if (!ff) {
                std::string known;
                for (const auto& x : t.fields) known += (known.empty() ? "" : ", ") + x.key;
                throw ValidationError(trf("cli.finding.unknown_field", {category, key, known}));
            }
            values[key] = val.empty() ? Json() : convertTemplateValue(*ff, val);
        }
        f["field_values"] = values;
    }
    return f;
}
}  // namespace

std::string resolveCaseId(Store& store, const std::string& entity, const std::string& token) {
    std::vector<std::string> ids = caseIdsNamed(store.db(), entity, token, false);
    if (ids.empty()) throw NotFoundError(trf("cli.case_not_found", {entityText(entity), token}));
    if (ids.size() > 1) throw UsageError(trf("cli.case_ambiguous", {token, entityText(entity)}));
    return ids[0];
}

namespace {
// A template fact as a person reads it: labels for choices and yes/no, names for units and
// regions, yuan for money.
std::string factText(Store& store, const FormField& ff, const Json& v) {
    auto option = [&](const std::string& code) {
        for (const auto& o : ff.options)
            if (o.code == code) return i18n().english() && !o.en.empty() ? o.en : o.zh;
        return code;
    };
    switch (ff.type) {
        case FormFieldType::Money:
            if (v.is_number_integer()) return trf("cli.finding.yuan", {formatYuan(v.get<int64_t>())});
            break;
        case FormFieldType::YesNo:
            if (v.is_boolean()) return v.get<bool>() ? tr("cli.yes") : tr("cli.no");
            break;
        case FormFieldType::Choice:
            if (v.is_string()) return option(v.get<std::string>());
            break;
        case FormFieldType::MultiChoice:
            if (v.is_array()) {
                std::string out;
                for (const auto& x : v)
                    if (x.is_string()) out += (out.empty() ? "" : "、") + option(x.get<std::string>());
                return out;
            }
            break;
        case FormFieldType::Region:
            if (v.is_string()) return v.get<std::string>() + " " + regionName(store.db(), v.get<std::string>());
            break;
        case FormFieldType::Unit:
        case FormFieldType::Person:
            if (v.is_string()) {
                auto row = store.get(ff.type == FormFieldType::Unit ? "unit" : "person", v.get<std::string>());
                if (row && (*row)["name"].is_string()) return (*row)["name"].get<std::string>();
            }
            break;
        default: break;
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void printFinding(Env& env, const std::string& id) {
    Store& store = env.store();
    FieldMap f = store.require("finding", id);
    Json history = caseHistory(store.db(), "finding", id);
    Json evidence = Json::array();
    for (const EvidenceRow& e : listEvidence(store, "finding", id))
        evidence.push_back({{"id", e.id}, {"file_name", e.fileName}, {"kind", e.kind}, {"size", e.size}, {"caption", e.caption}});
    if (env.json) {
        printJson({{"finding", f}, {"history", history}, {"evidence", evidence}});
        return;
    }
    auto str = [&](const char* k) { return f[k].is_string() ? f[k].get<std::string>() : std::string(); };
    auto line = [](const char* key, const std::string& v) { std::cout << padRight(tr(key), 12) << v << "\n"; };
    line("findings.col_number", str("local_number"));
    if (!str("official_number").empty()) line("cli.finding.official_number", str("official_number"));
    line("findings.col_title", str("title"));
    line("cli.id", id);
    line("findings.col_status", statusText(Machine::Finding, str("status")));
    line("findings.col_category", codeLabel(categories(), str("category")));
    if (!str("area").empty()) line("cli.finding.area", codeLabel(areas(), str("area")));
    if (!str("severity").empty()) line("findings.col_severity", codeLabel(severities(), str("severity")));
    if (!str("region_code").empty())
        line("cli.finding.region", str("region_code") + " " + regionName(store.db(), str("region_code")) + " " + str("address"));
    line("findings.col_assignee", str("assignee"));
    line("cli.finding.created", str("created_by") + " " + timeText(str("created_at")));
    if (!str("narrative").empty()) std::cout << "\n" << str("narrative") << "\n";
    if (f["field_values"].is_object() && !f["field_values"].empty()) {
        FormTemplate t = currentTemplate(store, str("category"));
        std::cout << "\n" << tr("cli.finding.facts") << "\n";
        for (const auto& ff : t.fields) {
            if (!f["field_values"].contains(ff.key)) continue;
            const std::string& label = i18n().english() && !ff.labelEn.empty() ? ff.labelEn : ff.labelZh;
            std::cout << "  " << padRight(label, 18) << " " << factText(store, ff, f["field_values"][ff.key]) << "\n";
        }
    }
    if (!evidence.empty()) {
        std::cout << "\n" << tr("cli.finding.evidence") << "\n";
        for (const auto& e : evidence) std::cout << "  " << e["file_name"].get<std::string>() << "  " << e["caption"].get<std::string>() << "\n";
    }
    printHistory(history, Machine::Finding);
}

int listCmd(Env& env, const std::vector<std::string>& words) {
    Args a(words, {"status", "category", "campaign", "area", "region", "assignee", "search", "sort", "limit", "offset"},
           {"overdue", "asc"});
    a.maxPositional(0);
    FindingFilter f;
    if (auto st = a.opt("status")) f.status = findCode(statuses(Machine::Finding), *st, "finding status").code;
    if (auto c = a.opt("category")) f.category = findCode(categories(), *c, "category").code;
    if (auto c = a.opt("area")) f.area = findCode(areas(), *c, "area").code;
    f.campaignId = a.optOr("campaign", "");
    f.regionPrefix = a.optOr("region", "");
    f.assignee = a.optOr("assignee", "");
    f.search = a.optOr("search", "");
    f.overdueOnly = a.flag("overdue");
    f.sortBy = a.optOr("sort", "created_at");
    f.descending = !a.flag("asc");
    f.limit = a.intOpt("limit", 50, 0, kMaxListLimit);
    f.offset = a.intOpt("offset", 0, 0, 1'000'000'000);
    AppContext& ctx = env.ctx();
    std::string today = ctx.today().str();
    auto rows = listFindings(env.store().db(), f, today);
    int64_t total = countFindings(env.store().db(), f, today);
    if (env.json) {
        Json out = Json::array();
        for (const auto& r : rows)
            out.push_back({{"id", r.id}, {"local_number", r.localNumber}, {"official_number", r.officialNumber},
                           {"title", r.title}, {"category", r.category}, {"area", r.area}, {"status", r.status},
                           {"severity", r.severity}, {"region_code", r.regionCode}, {"region_name", r.regionName},
                           {"assignee", r.assignee}, {"created_by", r.createdBy}, {"created_at", r.createdAt}});
        printJson({{"total", total}, {"findings", out}});
        return 0;
    }
    std::vector<std::vector<std::string>> table;
    for (const auto& r : rows)
        table.push_back({r.localNumber, statusText(Machine::Finding, r.status), codeLabel(categories(), r.category),
                         r.regionName, r.assignee, timeText(r.createdAt), truncateDisplay(r.title, 40)});
    printTable({tr("findings.col_number"), tr("findings.col_status"), tr("findings.col_category"), tr("findings.col_region"),
                tr("findings.col_assignee"), tr("findings.col_created"), tr("findings.col_title")},
               table);
    std::cout << trf("cli.shown_of_total", {std::to_string(rows.size()), std::to_string(total)}) << "\n";
    return 0;
}
}  // namespace

int runFinding(Env& env, const std::vector<std::string>& args) {
    if (args.empty() || wantsHelp(args)) return printHelp("cli.help.finding", args.empty());
    std::string sub = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (sub == "list") return listCmd(env, rest);
    if (sub == "add") {
        Args a(rest, kEditOptions, {});
        a.maxPositional(0);
        AppContext& ctx = env.ctx();
        std::string category = findCode(categories(), a.required("category"), "category").code;
        a.required("campaign");
        a.required("title");
        FieldMap f = fieldsFromArgs(env, a, category, Json());
        std::string id = createFinding(ctx, f);
        FieldMap row = env.store().require("finding", id);
        if (env.json) printJson({{"id", id}, {"local_number", row["local_number"]}, {"status", row["status"]}});
        else std::cout << id << "\n";
        return 0;
    }
    if (sub == "edit") {
        Args a(rest, kEditOptions, {});
        a.maxPositional(1);
        AppContext& ctx = env.ctx();
        std::string id = resolveCaseId(env.store(), "finding", a.positionalAt(0, tr("cli.arg.finding_id")));
        FieldMap cur = env.store().require("finding", id);
        std::string category = a.opt("category") ? findCode(categories(), *a.opt("category"), "category").code
                                                 : cur["category"].get<std::string>();
        FieldMap f = fieldsFromArgs(env, a, category, cur["field_values"]);
        if (f.empty()) throw UsageError(tr("cli.finding.nothing_to_change"));
        FieldMap changed = editFinding(ctx, id, f);
        if (env.json) printJson({{"id", id}, {"changed", changed}});
        else std::cout << (changed.empty() ? tr("cli.finding.unchanged") : trf("cli.finding.saved", {std::to_string(changed.size())})) << "\n";
        return 0;
    }
    if (sub == "show") {
        Args a(rest, {}, {});
        a.maxPositional(1);
        printFinding(env, resolveCaseId(env.store(), "finding", a.positionalAt(0, tr("cli.arg.finding_id"))));
        return 0;
    }
    if (sub == "delete") {
        Args a(rest, {}, {});
        a.maxPositional(1);
        AppContext& ctx = env.ctx();
        deleteDraft(ctx, "finding", resolveCaseId(env.store(), "finding", a.positionalAt(0, tr("cli.arg.finding_id"))));
        std::cout << tr("cli.finding.deleted") << "\n";
        return 0;
    }
    static const std::set<std::string> actions = {"submit", "accept", "return", "dismiss", "mark-rectified", "verify", "close"};
    if (actions.count(sub)) {
        Args a(rest, {"comment"}, {});
        a.maxPositional(1);
        AppContext& ctx = env.ctx();
        std::string id = resolveCaseId(env.store(), "finding", a.positionalAt(0, tr("cli.arg.finding_id")));
        std::string action = sub == "mark-rectified" ? "mark_rectified" : sub;
        std::string to = transitionFinding(ctx, id, action, a.optOr("comment", ""));
        FieldMap row = env.store().require("finding", id);
        if (env.json) printJson({{"id", id}, {"status", to}, {"official_number", row["official_number"]}});
        else std::cout << row["local_number"].get<std::string>() << " → " << statusText(Machine::Finding, to) << "\n";
        return 0;
    }
    throw UsageError(trf("cli.unknown_subcommand", {"finding", sub}));
}

}  // namespace jc::cli
