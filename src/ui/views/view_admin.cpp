// 系统管理 (HQ administration, hq_admin only): users, teams, campaigns, enrolment codes, devices
// and the server's audit log, each a list with a search box, through the server's admin API
// (sync/client/admin_client.h, called on the background lane). Forms check their input before
// anything is sent; disabling a user and revoking a device ask for confirmation first. A new
// enrolment code is shown large, grouped in fours, with its expiry — to be read out over the phone.
// 口令恢复 answers a device's passphrase recovery request with HQ's key held in this store
// (widgets/security_panels.h), with no server involved.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "core/domain.h"
#include "sync/client/admin_client.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/security_panels.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

// An enrolment code's state as people read it (the server says active, used or expired).
std::string codeStateLabel(const std::string& state) {
    if (state == "active") return tr("admin.code_active");
    if (state == "used") return tr("admin.code_used");
    if (state == "expired") return tr("admin.code_expired");
    return state;
}

constexpr int kAuditShown = 1000;  // the newest entries the audit tab loads

struct AdminData {
    std::string error;  // the first failure, in the user's words ("" when all loaded)
    Json teams = Json::array(), users = Json::array(), campaigns = Json::array();
    Json codes = Json::array(), devices = Json::array(), audit = Json::array();
};

std::string failureText(const sync::AdminResult& r) {
    std::string kind =
        r.status == 403 ? tr("admin.forbidden") : tr("syncerr." + std::string(sync::errorKindCode(r.kind)));
    if (r.status == 400 && !r.message.empty()) return r.message;  // the server's reason for bad input
    return kind;
}

AdminData loadAll(Store& store) {
    sync::AdminClient c(store);
    AdminData d;
    auto take = [&](sync::AdminResult r, const char* key, Json& into) {
        if (!r.ok) {
            if (d.error.empty()) d.error = failureText(r);
            return;
        }
        if (r.body.contains(key) && r.body[key].is_array()) into = std::move(r.body[key]);
    };
    take(c.users(), "users", d.users);
    if (!d.error.empty()) return d;  // no server, or not allowed: the rest would fail the same way
    take(c.teams(), "teams", d.teams);
    take(c.campaigns(), "campaigns", d.campaigns);
    take(c.enrollCodes(), "codes", d.codes);
    take(c.devices(), "devices", d.devices);
    // The newest kAuditShown entries (pages come oldest first).
    for (int64_t after = 0;;) {
        auto page = c.audit(after, kAuditShown);
        if (!page.ok) {
            if (d.error.empty()) d.error = failureText(page);
            break;
        }
        Json& entries = page.body["entries"];
        for (auto& e : entries) d.audit.push_back(std::move(e));
        if (d.audit.size() > static_cast<size_t>(kAuditShown))
            d.audit.erase(d.audit.begin(), d.audit.begin() + static_cast<long>(d.audit.size() - kAuditShown));
        if (entries.size() < static_cast<size_t>(kAuditShown)) break;
        after = d.audit.back().value("seq", int64_t{0});
    }
    std::reverse(d.audit.begin(), d.audit.end());  // newest first
    return d;
}

std::string s(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool matches(const std::string& query, std::initializer_list<std::string> fields) {
    if (query.empty()) return true;
    for (const auto& term : widgets::searchTerms(query)) {
        bool any = false;
        for (const auto& f : fields) any = any || f.find(term) != std::string::npos;
        if (!any) return false;
    }
    return true;
}

// A list of GB/T 2260 codes typed as "6207, 620702": the codes, or nullopt when one is not a code.
std::optional<Json> parseCodes(const std::string& text) {
    Json out = Json::array();
    std::string cur;
    for (char c : text + ",") {
        if (c == ',' || c == ' ' || c == ';') {
            if (!cur.empty()) {
                bool digits = cur.find_first_not_of("0123456789") == std::string::npos;
                size_t n = cur.size();
                if (!digits || !(n == 2 || n == 4 || n == 6 || n == 9)) return std::nullopt;
                out.push_back(cur);
            }
            cur.clear();
        } else {
            cur += c;
        }
    }
    return out;
}

std::string codesText(const Json& codes) {
    std::string out;
    if (codes.is_array())
        for (const auto& c : codes)
            if (c.is_string()) out += (out.empty() ? "" : ", ") + c.get<std::string>();
    return out;
}

const char* kRoles[] = {"inspector", "lead", "hq_admin"};

class AdminView : public View {
public:
    const char* id() const override { return "admin"; }
    const char* titleKey() const override { return "nav.admin"; }
    bool inNavigation(const SessionData& s) const override { return s.actor.role == Role::HqAdmin; }
    bool settled() const override { return m_loaded && !m_loading && !m_busy && m_recovery.settled(); }
    // `id` names the tab to show: users, teams, campaigns, codes, devices, audit, recovery.
    void open(Shell&, const std::string& tab) override { m_tab = tab; }

    void onShow(Shell& shell) override { load(shell); }

    void draw(Shell& shell) override {
        if (!m_loaded && !m_loading) load(shell);
        ImGui::TextColored(theme::kAccent, "%s", tr("admin.title"));
        ImGui::SameLine();
        if (ImGui::SmallButton(trId("admin.refresh"))) load(shell);
        mark("admin.refresh");
        if (m_loading || m_busy) {
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
        }
        if (!m_data.error.empty()) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(theme::kRed, "%s", m_data.error.c_str());
            ImGui::PopTextWrapPos();
            mark("admin.error");
        }
        if (ImGui::BeginTabBar("##admin.tabs")) {
            tab(shell, "users", "admin.tab_users", [&] { drawUsers(shell); });
            tab(shell, "teams", "admin.tab_teams", [&] { drawTeams(shell); });
            tab(shell, "campaigns", "admin.tab_campaigns", [&] { drawCampaigns(shell); });
            tab(shell, "codes", "admin.tab_codes", [&] { drawCodes(shell); });
            tab(shell, "devices", "admin.tab_devices", [&] { drawDevices(shell); });
            tab(shell, "audit", "admin.tab_audit", [&] { drawAudit(); });
            tab(shell, "recovery", "admin.tab_recovery", [&] { m_recovery.draw(shell); });
            ImGui::EndTabBar();
        }
        m_tab.clear();
        drawIssuedCode();
        drawConfirm(shell);
    }

private:
    template <class F>
    void tab(Shell&, const char* name, const char* key, F body) {
        ImGuiTabItemFlags flags = m_tab == name ? ImGuiTabItemFlags_SetSelected : 0;
        std::string label = std::string(tr(key)) + "###admin.tab." + name;
        bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
        mark(std::string("admin.tab.") + name);
        if (!open) return;
        ImGui::BeginChild((std::string("##admin.body.") + name).c_str(), ImVec2(0, 0));
        body();
        ImGui::EndChild();
        ImGui::EndTabItem();
    }

    void load(Shell& shell) {
        if (m_loading) return;
        m_loading = true;
        shell.jobs().request<AdminData>(
            Lane::Background, [](WorkerContext& w) { return loadAll(w.store); },
            [this, &shell](AdminData d) {
                for (const Json* list : {&d.users, &d.teams, &d.campaigns, &d.codes, &d.devices, &d.audit})
                    shell.noteText(list->dump(-1, ' ', false, Json::error_handler_t::replace));
                shell.noteText(d.error);
                m_data = std::move(d);
                m_loaded = true;
                m_loading = false;
            },
            shell.failLoaded(m_loading, m_loaded));
    }

    // Runs one admin call on the background lane; on success says `doneKey`, reloads and calls `then`.
    void act(Shell& shell, std::function<sync::AdminResult(sync::AdminClient&)> call, const char* doneKey,
             std::function<void(const Json&)> then = {}) {
        m_busy = true;
        shell.jobs().request<sync::AdminResult>(
            Lane::Background,
            [call](WorkerContext& w) {
                sync::AdminClient c(w.store);
                return call(c);
            },
            [this, &shell, doneKey, then](sync::AdminResult r) {
                m_busy = false;
                if (!r.ok) {
                    m_formError = failureText(r);
                    shell.noteText(m_formError);
                    shell.notifyError(m_formError);
                    return;
                }
                m_formError.clear();
                shell.notify(tr(doneKey));
                if (then) then(r.body);
                load(shell);
            },
            shell.failClears(m_busy));
    }

    void search(const char* name, std::string& query) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
        widgets::inputText((std::string("##admin.search.") + name).c_str(), query, tr("admin.search_hint"));
        mark(std::string("admin.search.") + name);
    }

    void formError() {
        if (m_formError.empty()) return;
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(theme::kRed, "%s", m_formError.c_str());
        ImGui::PopTextWrapPos();
        mark("admin.form_error");
    }

    // Radio buttons for the teams (a form's team), with "none" for HQ administrators.
    void teamChoice(const char* name, std::string& teamId, bool allowNone) {
        if (allowNone) {
            if (ImGui::RadioButton((std::string(tr("common.none")) + "###" + name + ".none").c_str(), teamId.empty()))
                teamId.clear();
            ImGui::SameLine();
        }
        for (const auto& t : m_data.teams) {
            std::string id = s(t, "id");
            if (ImGui::RadioButton((s(t, "name") + "###" + name + "." + id).c_str(), teamId == id)) teamId = id;
            mark(std::string(name) + "." + s(t, "name"));
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }

    void drawUsers(Shell& shell) {
        float em = ImGui::GetFontSize();
        widgets::heading(tr("admin.user_new"));
        widgets::fieldLabel(tr("admin.user_name"), true);
        ImGui::SetNextItemWidth(em * 12);
        widgets::inputText("##admin.user_name", m_userName);
        mark("admin.user_name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 12);
        widgets::inputText("##admin.user_display", m_userDisplay, tr("admin.user_display_hint"));
        mark("admin.user_display");
        widgets::fieldLabel(tr("admin.role"), true);
        for (int i = 0; i < 3; ++i) {
            std::string label = std::string(roleLabel(kRoles[i])) + "###admin.role." + kRoles[i];
            if (ImGui::RadioButton(label.c_str(), m_userRole == i)) m_userRole = i;
            mark(std::string("admin.role.") + kRoles[i]);
            ImGui::SameLine();
        }
        ImGui::NewLine();
        widgets::fieldLabel(tr("admin.team"), m_userRole != 2);
        teamChoice("admin.user_team", m_userTeam, m_userRole == 2);
        widgets::fieldLabel(tr("admin.region_scope"));
        ImGui::SetNextItemWidth(em * 16);
        widgets::inputText("##admin.user_scope", m_userScope, tr("admin.region_scope_hint"));
        mark("admin.user_scope");
        if (ImGui::Button(trId("admin.user_create"))) {
            auto scope = parseCodes(m_userScope);
            if (isBlank(m_userName))
                m_formError = tr("admin.need_name");
            else if (m_userRole != 2 && m_userTeam.empty())
                m_formError = tr("admin.need_team");
            else if (!scope)
                m_formError = tr("admin.bad_scope");
            else {
                Json body = {{"name", m_userName}, {"role", kRoles[m_userRole]}, {"region_scope", *scope}};
                if (!m_userTeam.empty() && m_userRole != 2) body["team"] = m_userTeam;
                if (!m_userDisplay.empty()) body["display_name"] = m_userDisplay;
                act(
                    shell, [body](sync::AdminClient& c) { return c.addUser(body); }, "admin.user_created",
                    [this](const Json&) { m_userName.clear(), m_userDisplay.clear(), m_userScope.clear(); });
            }
            shell.noteText(m_formError);
        }
        mark("admin.user_create");
        formError();
        ImGui::Separator();
        search("users", m_qUsers);
        if (ImGui::BeginTable("##admin.users", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
            for (const char* k :
                 {"admin.user_name", "admin.role", "admin.team", "admin.region_scope", "admin.state", ""})
                ImGui::TableSetupColumn(*k ? tr(k) : "");
            ImGui::TableHeadersRow();
            for (const auto& u : m_data.users) {
                std::string name = s(u, "name"), display = s(u, "display_name"), team = s(u, "team_name");
                std::string role = roleLabel(s(u, "role"));
                if (!matches(m_qUsers, {name, display, team, role, s(u, "role")})) continue;
                bool disabled = u.value("disabled", false);
                ImGui::PushID(s(u, "id").c_str());
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted((name + (display.empty() ? "" : "（" + display + "）")).c_str());
                mark("admin.user." + name);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(role.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(team.empty() ? "—" : team.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(codesText(u["region_scope"]).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(disabled ? theme::kRed : theme::kGreen, "%s",
                                   tr(disabled ? "admin.disabled" : "admin.active"));
                ImGui::TableNextColumn();
                if (!disabled) {
                    if (ImGui::SmallButton(trId("admin.issue_code"))) {
                        std::string id = s(u, "id");
                        double ttl = m_ttlHours;
                        act(
                            shell, [id, ttl](sync::AdminClient& c) { return c.issueEnrollCode(id, ttl); },
                            "admin.code_issued", [this, name](const Json& b) { showCode(b, name); });
                    }
                    mark("admin.issue_code." + name);
                    ImGui::SameLine();
                    if (ImGui::SmallButton(trId("admin.disable")))
                        confirm(
                            trf("admin.confirm_disable", {name}), "admin.disable",
                            [id = s(u, "id")](sync::AdminClient& c) {
                                return c.updateUser(id, {{"disabled", true}});
                            },
                            "admin.user_disabled");
                    mark("admin.disable." + name);
                } else {
                    if (ImGui::SmallButton(trId("admin.enable"))) {
                        std::string id = s(u, "id");
                        act(
                            shell,
                            [id](sync::AdminClient& c) {
                                return c.updateUser(id, {{"disabled", false}});
                            },
                            "admin.user_enabled");
                    }
                    mark("admin.enable." + name);
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }

    void drawTeams(Shell& shell) {
        float em = ImGui::GetFontSize();
        widgets::heading(tr("admin.team_new"));
        ImGui::SetNextItemWidth(em * 12);
        widgets::inputText("##admin.team_name", m_teamName, tr("admin.team_name"));
        mark("admin.team_name");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 14);
        widgets::inputText("##admin.team_scope", m_teamScope, tr("admin.region_scope_hint"));
        ImGui::SameLine();
        if (ImGui::Button(trId("admin.team_create"))) {
            auto scope = parseCodes(m_teamScope);
            if (isBlank(m_teamName))
                m_formError = tr("admin.need_name");
            else if (!scope)
                m_formError = tr("admin.bad_scope");
            else {
                Json body = {{"name", m_teamName}, {"region_scope", *scope}};
                act(
                    shell, [body](sync::AdminClient& c) { return c.addTeam(body); }, "admin.team_created",
                    [this](const Json&) { m_teamName.clear(), m_teamScope.clear(); });
            }
        }
        mark("admin.team_create");
        formError();
        ImGui::Separator();
        search("teams", m_qTeams);
        for (const auto& t : m_data.teams) {
            std::string name = s(t, "name"), scope = codesText(t["region_scope"]);
            if (!matches(m_qTeams, {name, scope})) continue;
            int members = 0;
            for (const auto& u : m_data.users) members += s(u, "team_id") == s(t, "id") ? 1 : 0;
            ImGui::BulletText("%s", name.c_str());
            mark("admin.team." + name);
            ImGui::SameLine();
            ImGui::TextColored(theme::kMuted, "%s",
                               trf("admin.team_line", {std::to_string(members), scope.empty() ? "—" : scope}).c_str());
        }
    }

    void drawCampaigns(Shell& shell) {
        float em = ImGui::GetFontSize();
        widgets::heading(tr("admin.campaign_new"));
        ImGui::SetNextItemWidth(em * 22);
        widgets::inputText("##admin.campaign_title", m_campTitle, tr("admin.campaign_title"));
        mark("admin.campaign_title");
        ImGui::SetNextItemWidth(em * 6);
        widgets::inputText("##admin.campaign_prefix", m_campPrefix, tr("admin.campaign_prefix"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 8);
        widgets::inputText("##admin.campaign_start", m_campStart, tr("admin.date_start"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 8);
        widgets::inputText("##admin.campaign_end", m_campEnd, tr("admin.date_end"));
        widgets::fieldLabel(tr("admin.campaign_teams"));
        for (const auto& t : m_data.teams) {
            std::string id = s(t, "id");
            bool on = std::find(m_campTeams.begin(), m_campTeams.end(), id) != m_campTeams.end();
            if (ImGui::Checkbox((s(t, "name") + "###admin.campaign_team." + id).c_str(), &on)) {
                if (on)
                    m_campTeams.push_back(id);
                else
                    m_campTeams.erase(std::remove(m_campTeams.begin(), m_campTeams.end(), id), m_campTeams.end());
            }
            ImGui::SameLine();
        }
        ImGui::NewLine();
        if (ImGui::Button(trId("admin.campaign_create"))) {
            auto validDate = [](const std::string& d) {
                if (d.empty()) return true;
                try {
                    Date::parse(d);
                    return true;
                } catch (const std::exception&) {
                    return false;
                }
            };
            if (isBlank(m_campTitle))
                m_formError = tr("admin.need_title");
            else if (!validDate(m_campStart) || !validDate(m_campEnd))
                m_formError = tr("admin.bad_date");
            else if (!m_campStart.empty() && !m_campEnd.empty() && m_campEnd < m_campStart)
                m_formError = tr("admin.end_before_start");
            else {
                Json body = {{"title", m_campTitle}, {"teams", m_campTeams}};
                if (!m_campPrefix.empty()) body["number_prefix"] = m_campPrefix;
                if (!m_campStart.empty()) body["period_start"] = m_campStart;
                if (!m_campEnd.empty()) body["period_end"] = m_campEnd;
                act(
                    shell, [body](sync::AdminClient& c) { return c.addCampaign(body); }, "admin.campaign_created",
                    [this](const Json&) { m_campTitle.clear(), m_campPrefix.clear(), m_campTeams.clear(); });
            }
        }
        mark("admin.campaign_create");
        formError();
        ImGui::Separator();
        search("campaigns", m_qCampaigns);
        for (const auto& c : m_data.campaigns) {
            std::string title = s(c, "title"), prefix = s(c, "number_prefix");
            if (!matches(m_qCampaigns, {title, prefix})) continue;
            ImGui::BulletText("%s", title.c_str());
            mark("admin.campaign." + title);
            ImGui::SameLine();
            std::string period = s(c, "period_start") + (s(c, "period_end").empty() ? "" : " — " + s(c, "period_end"));
            ImGui::TextColored(
                theme::kMuted, "%s",
                trf("admin.campaign_line", {prefix.empty() ? "张监" : prefix, period.empty() ? "—" : period}).c_str());
        }
    }

    void drawCodes(Shell& shell) {
        float em = ImGui::GetFontSize();
        ImGui::TextColored(theme::kMuted, "%s", tr("admin.codes_intro"));
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(tr("admin.ttl_hours"));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em * 8);
        ImGui::InputDouble("##admin.ttl", &m_ttlHours, 12, 24, "%.0f");
        m_ttlHours = std::clamp(m_ttlHours, 1.0, 720.0);
        ImGui::Separator();
        search("codes", m_qCodes);
        if (ImGui::BeginTable("##admin.codes", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
            for (const char* k : {"admin.user_name", "admin.issued_at", "admin.expires_at", "admin.state", ""})
                ImGui::TableSetupColumn(*k ? tr(k) : "");
            ImGui::TableHeadersRow();
            for (const auto& c : m_data.codes) {
                std::string user = s(c, "user_name"), state = s(c, "state");
                if (!matches(m_qCodes, {user, state, codeStateLabel(state)})) continue;
                ImGui::PushID(s(c, "id").c_str());
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(user.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(localTime(s(c, "created_at")).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(localTime(s(c, "expires_at")).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(state == "active" ? theme::kGreen : theme::kMuted, "%s",
                                   codeStateLabel(state).c_str());
                ImGui::TableNextColumn();
                if (state == "active") {
                    if (ImGui::SmallButton(trId("admin.expire"))) {
                        std::string id = s(c, "id");
                        act(
                            shell, [id](sync::AdminClient& a) { return a.expireEnrollCode(id); }, "admin.code_expired");
                    }
                    mark("admin.expire." + user);
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }

    void drawDevices(Shell&) {
        search("devices", m_qDevices);
        if (ImGui::BeginTable("##admin.devices", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
            for (const char* k : {"admin.device_name", "admin.user_name", "admin.last_seen", "admin.state", ""})
                ImGui::TableSetupColumn(*k ? tr(k) : "");
            ImGui::TableHeadersRow();
            for (const auto& d : m_data.devices) {
                std::string name = s(d, "name"), user = s(d, "user_name"), revoked = s(d, "revoked_at");
                if (!matches(m_qDevices, {name, user, s(d, "id")})) continue;
                ImGui::PushID(s(d, "id").c_str());
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(name.c_str());
                mark("admin.device." + name + "." + user);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(user.c_str());
                ImGui::TableNextColumn();
                std::string seen = s(d, "last_seen_at");
                ImGui::TextUnformatted(seen.empty() ? "—" : localTime(seen).c_str());
                ImGui::TableNextColumn();
                if (revoked.empty())
                    ImGui::TextColored(theme::kGreen, "%s", tr("admin.active"));
                else
                    ImGui::TextColored(theme::kRed, "%s", trf("admin.revoked_at", {localTime(revoked)}).c_str());
                ImGui::TableNextColumn();
                if (revoked.empty()) {
                    if (ImGui::SmallButton(trId("admin.revoke")))
                        confirm(
                            trf("admin.confirm_revoke", {name, user}), "admin.revoke",
                            [id = s(d, "id")](sync::AdminClient& c) { return c.revokeDevice(id); },
                            "admin.device_revoked");
                    mark("admin.revoke." + name + "." + user);
                }
                ImGui::PopID();
            }
            ImGui::EndTable();
        }
    }

    void drawAudit() {
        search("audit", m_qAudit);
        if (ImGui::BeginTable("##admin.audit", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
            for (const char* k :
                 {"admin.audit_seq", "admin.audit_at", "admin.audit_actor", "admin.audit_action", "admin.audit_detail"})
                ImGui::TableSetupColumn(tr(k));
            ImGui::TableHeadersRow();
            for (const auto& e : m_data.audit) {
                std::string action = s(e, "action"), actor = s(e, "actor");
                std::string actionText = auditActionLabel(action);
                std::string detail =
                    e["detail"].is_null() ? "" : e["detail"].dump(-1, ' ', false, Json::error_handler_t::replace);
                if (!matches(m_qAudit, {action, actionText, actor, detail, s(e, "target_id")})) continue;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::Text("%lld", static_cast<long long>(e.value("seq", int64_t{0})));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(localTime(s(e, "at")).c_str());
                ImGui::TableNextColumn();
                std::string dev = s(e, "device_id");
                // A device id's tail (its head is a timestamp, alike for devices enrolled the same minute).
                ImGui::TextUnformatted((actor + (dev.size() < 8 ? "" : " @" + dev.substr(dev.size() - 8))).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(actionText.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(detail.c_str());
            }
            ImGui::EndTable();
        }
    }

    void showCode(const Json& b, const std::string& user) {
        m_code = s(b, "code");
        m_codeUser = user;
        m_codeExpires = s(b, "expires_at");
        m_openCode = true;
    }

    // The code, large, for reading out over the phone; shown once (the server keeps only its hash).
    void drawIssuedCode() {
        if (m_openCode) ImGui::OpenPopup("###admin.code_popup");
        m_openCode = false;
        std::string title = std::string(tr("admin.code_title")) + "###admin.code_popup";
        if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        ImGui::TextUnformatted(trf("admin.code_for", {m_codeUser}).c_str());
        ImGui::SetWindowFontScale(3.0f);
        ImGui::TextColored(theme::kAccent, "%s", m_code.c_str());
        mark("admin.code_value");
        ImGui::SetWindowFontScale(1.0f);
        ImGui::TextUnformatted(trf("admin.code_expires", {localTime(m_codeExpires)}).c_str());
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextColored(theme::kMuted, "%s", tr("admin.code_once"));
        ImGui::PopTextWrapPos();
        if (ImGui::Button(trId("admin.code_close"))) {
            m_code.clear();
            ImGui::CloseCurrentPopup();
        }
        mark("admin.code_close");
        ImGui::EndPopup();
    }

    void confirm(std::string question, const char* buttonKey, std::function<sync::AdminResult(sync::AdminClient&)> call,
                 const char* doneKey) {
        m_confirmText = std::move(question);
        m_confirmButton = buttonKey;
        m_confirmCall = std::move(call);
        m_confirmDone = doneKey;
        m_openConfirm = true;
    }

    void drawConfirm(Shell& shell) {
        if (m_openConfirm) ImGui::OpenPopup("###admin.confirm");
        m_openConfirm = false;
        std::string title = std::string(tr("admin.confirm_title")) + "###admin.confirm";
        if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
        shell.noteText(m_confirmText);
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
        ImGui::TextUnformatted(m_confirmText.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PushStyleColor(ImGuiCol_Button, theme::kRed);
        if (ImGui::Button((std::string(tr(m_confirmButton)) + "###admin.confirm_yes").c_str())) {
            act(shell, m_confirmCall, m_confirmDone);
            ImGui::CloseCurrentPopup();
        }
        ImGui::PopStyleColor();
        mark("admin.confirm_yes");
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) ImGui::CloseCurrentPopup();
        mark("admin.confirm_no");
        ImGui::EndPopup();
    }

    AdminData m_data;
    bool m_loaded = false, m_loading = false, m_busy = false;
    std::string m_tab, m_formError;
    std::string m_qUsers, m_qTeams, m_qCampaigns, m_qCodes, m_qDevices, m_qAudit;
    std::string m_userName, m_userDisplay, m_userTeam, m_userScope;
    int m_userRole = 0;
    std::string m_teamName, m_teamScope;
    std::string m_campTitle, m_campPrefix, m_campStart, m_campEnd;
    std::vector<std::string> m_campTeams;
    double m_ttlHours = 72;
    std::string m_code, m_codeUser, m_codeExpires;
    bool m_openCode = false;
    std::string m_confirmText;
    const char* m_confirmButton = "";
    const char* m_confirmDone = "";
    std::function<sync::AdminResult(sync::AdminClient&)> m_confirmCall;
    bool m_openConfirm = false;
    RecoveryAnswerPanel m_recovery;
};

}  // namespace

std::unique_ptr<View> makeAdminView() {
    return std::make_unique<AdminView>();
}

}  // namespace jc::ui
