// Finding editor: loading, autosave and the form (see view_editor.h for the autosave rules).
#include "ui/views/view_editor.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "app/finding_commands.h"
#include "core/error.h"
#include "core/uuid.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/pickers.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

constexpr double kQuietSeconds = 0.3;  // save this long after the last keystroke …
constexpr double kMaxDelay = 0.7;      // … but never later than this after the first unsaved one

std::string str(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    return it != f.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string numberText(const FieldMap& f, const char* key) {
    auto it = f.find(key);
    if (it == f.end() || !it->is_number()) return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", it->get<double>());
    std::string s = buf;
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

Json textOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

std::optional<double> parseCoord(const std::string& s, double limit) {
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (!end || *end != '\0' || !std::isfinite(v) || std::fabs(v) > limit) return std::nullopt;
    return v;
}

}  // namespace

// [SECTION] Opening

void EditorView::reset() {
    m_id.clear();
    m_idHolder = std::make_shared<std::string>();
    m_createQueued = false;
    m_isNew = false;
    m_record = FieldMap::object();
    m_form = {};
    m_hasForm = false;
    m_evidence.clear();
    m_history.clear();
    m_rectifications.clear();
    m_problems.clear();
    m_campaignId.clear();
    m_category.clear();
    m_area.clear();
    m_severity = "medium";
    m_title.clear();
    m_narrative.clear();
    m_address.clear();
    m_loophole.clear();
    m_recommendation.clear();
    m_accountability.clear();
    m_regionCode.clear();
    m_subjectUnit.clear();
    m_gpsLat.clear();
    m_gpsLon.clear();
    m_misconduct.clear();
    m_persons = Json::array();
    m_values = Json::object();
    m_formBuf.reset();
    m_evidenceState = {};
    m_saved = FieldMap::object();
    m_dirtySince = m_lastEdit = m_savedAt = -1;
    m_savesInFlight = 0;  // answers for the previous finding are ignored (holder check)
    m_actionBusy = false;
    m_saveError.clear();
    m_comment.clear();
    m_actionError.clear();
    m_showRectForm = false;
}

void EditorView::open(Shell& shell, const std::string& id) {
    flush(shell);
    reset();
    if (id.empty()) startNew(shell);
    else load(shell, id, true);
}

void EditorView::startNew(Shell& shell) {
    const SessionData& s = shell.session();
    m_isNew = true;
    m_record = {{"status", "draft"}, {"created_by", s.actor.name}, {"assignee", s.actor.name}};
    m_campaignId = shell.currentCampaignId();
    const CampaignInfo* c = s.campaign(m_campaignId);
    std::string cat = shell.settings().category;
    if (c && !c->categories.empty() && std::find(c->categories.begin(), c->categories.end(), cat) == c->categories.end())
        cat = c->categories.front();
    if (cat.empty()) cat = categories()[0].code;
    m_category = cat;
    m_area = "hotspot_issues";  // the six case categories are the hot-spot area of the campaign document
    m_focusTitle = true;
    loadForm(shell, m_category);
    m_saved = collect();  // nothing typed yet: nothing to save
}

void EditorView::load(Shell& shell, const std::string& idOrNumber, bool buffersToo) {
    m_loading = true;
    auto holder = m_idHolder;
    shell.jobs().request<FindingDetail>(
        Lane::Read,
        [idOrNumber](WorkerContext& w) { return loadFindingDetail(w, isUuid(idOrNumber) ? idOrNumber : resolveFindingId(w, idOrNumber)); },
        [this, &shell, holder, buffersToo](FindingDetail d) {
            if (holder != m_idHolder) return;  // another finding was opened meanwhile
            m_loading = false;
            for (const auto& e : d.history) shell.noteText(e.dump());
            shell.noteText(d.finding.dump());
            m_record = d.finding;
            m_id = str(d.finding, "id");
            *m_idHolder = m_id;
            m_form = std::move(d.form);
            m_hasForm = d.hasForm;
            m_evidence = std::move(d.evidence);
            m_history = std::move(d.history);
            m_rectifications = std::move(d.rectifications);
            m_problems = std::move(d.submitProblems);
            for (const auto& p : m_problems) shell.noteText(p);
            if (buffersToo && m_dirtySince < 0 && m_savesInFlight == 0) {
                applyRecord(d.finding);
                m_saved = collect();
            }
        },
        [this, &shell, holder](const JobError& e) {
            if (holder != m_idHolder) return;
            m_loading = false;
            shell.notify(e.message, true);
        },
        "editor.load");
}

void EditorView::loadForm(Shell& shell, const std::string& category) {
    m_formLoading = true;
    shell.jobs().request<FormTemplate>(
        Lane::Read, [category](WorkerContext& w) { return jc::loadForm(w, category); },
        [this, &shell, category](FormTemplate t) {
            if (category != m_category) return;
            m_formLoading = false;
            shell.noteText(t.toJson().dump());
            m_form = std::move(t);
            m_hasForm = true;
            m_formBuf.reset();
        },
        [this, &shell](const JobError& e) {
            m_formLoading = false;
            m_hasForm = false;
            shell.notify(e.message, true);
        },
        "editor.form");
}

void EditorView::applyRecord(const FieldMap& f) {
    m_campaignId = str(f, "campaign_id");
    m_category = str(f, "category");
    m_area = str(f, "area");
    m_severity = str(f, "severity");
    m_title = str(f, "title");
    m_narrative = str(f, "narrative");
    m_address = str(f, "address");
    m_loophole = str(f, "loophole");
    m_recommendation = str(f, "recommendation");
    m_accountability = str(f, "accountability");
    m_regionCode = str(f, "region_code");
    m_subjectUnit = str(f, "subject_unit_id");
    m_gpsLat = numberText(f, "gps_lat");
    m_gpsLon = numberText(f, "gps_lon");
    m_misconduct.clear();
    if (f.contains("misconduct_types") && f["misconduct_types"].is_array())
        for (const auto& m : f["misconduct_types"])
            if (m.is_string()) m_misconduct.push_back(m.get<std::string>());
    m_persons = f.contains("responsible_persons") && f["responsible_persons"].is_array() ? f["responsible_persons"] : Json::array();
    m_values = f.contains("field_values") && f["field_values"].is_object() ? f["field_values"] : Json::object();
    m_formBuf.reset();
}

// [SECTION] Autosave

FieldMap EditorView::collect() const {
    FieldMap f = {{"campaign_id", m_campaignId},
                  {"category", m_category},
                  {"area", textOrNull(m_area)},
                  {"severity", m_severity.empty() ? Json("medium") : Json(m_severity)},
                  {"narrative", textOrNull(m_narrative)},
                  {"address", textOrNull(m_address)},
                  {"loophole", textOrNull(m_loophole)},
                  {"recommendation", textOrNull(m_recommendation)},
                  {"accountability", textOrNull(m_accountability)},
                  {"region_code", textOrNull(m_regionCode)},
                  {"subject_unit_id", textOrNull(m_subjectUnit)},
                  {"misconduct_types", m_misconduct},
                  {"responsible_persons", m_persons},
                  {"field_values", m_values}};
    if (!m_title.empty()) f["title"] = m_title;  // a required field is never cleared; the last title stays
    auto lat = parseCoord(m_gpsLat, 90), lon = parseCoord(m_gpsLon, 180);
    if (lat || m_gpsLat.empty()) f["gps_lat"] = lat ? Json(*lat) : Json();
    if (lon || m_gpsLon.empty()) f["gps_lon"] = lon ? Json(*lon) : Json();
    if (m_hasForm) {
        // Invalid template values stay out of the store until fixed: send the last saved value instead.
        Json values = m_values;
        Json saved = m_saved.contains("field_values") && m_saved["field_values"].is_object() ? m_saved["field_values"] : Json::object();
        for (const auto& k : invalidKeys(m_form, values)) {
            if (saved.contains(k)) values[k] = saved[k];
            else values.erase(k);
        }
        f["field_values"] = values;
    }
    if (f["misconduct_types"].empty()) f["misconduct_types"] = Json();
    if (f["responsible_persons"].empty()) f["responsible_persons"] = Json();
    return f;
}

void EditorView::touch(Shell& shell) {
    double now = shell.now();
    if (m_dirtySince < 0) m_dirtySince = now;
    m_lastEdit = now;
}

void EditorView::save(Shell& shell) {
    m_dirtySince = -1;
    FieldMap cur = collect();
    FieldMap diff = FieldMap::object();
    for (auto it = cur.begin(); it != cur.end(); ++it) {
        Json before = m_saved.contains(it.key()) ? m_saved[it.key()] : Json();
        if (before != *it) diff[it.key()] = *it;
    }
    if (diff.empty() || m_campaignId.empty()) return;
    auto holder = m_idHolder;
    ++m_savesInFlight;
    m_saveError.clear();
    FieldMap previous = m_saved;
    if (!m_createQueued && m_id.empty()) {
        FieldMap fields = FieldMap::object();
        for (auto it = cur.begin(); it != cur.end(); ++it)
            if (!it->is_null()) fields[it.key()] = *it;
        if (!fields.contains("title")) fields["title"] = tr("editor.untitled");
        m_createQueued = true;
        m_saved = cur;
        m_saved["title"] = fields["title"];
        shell.jobs().request<std::string>(
            Lane::Write,
            [fields, holder](WorkerContext& w) {
                std::string id = createFinding(w.app, fields);
                *holder = id;  // read by edits queued behind this job on the same worker
                return id;
            },
            [this, &shell, holder](std::string id) {
                if (holder != m_idHolder) return;
                --m_savesInFlight;
                m_id = id;
                m_isNew = false;
                m_savedAt = shell.now();
                shell.settings().category = m_category;
                shell.dataChanged();
                load(shell, id, false);  // numbers, history, submit problems
            },
            [this, &shell, holder](const JobError& e) {
                if (holder != m_idHolder) return;
                --m_savesInFlight;
                m_createQueued = false;
                m_saved = FieldMap::object();  // everything is sent again with the next change
                m_saveError = e.message;
                shell.notify(e.message, true);
            });
        return;
    }
    for (auto it = diff.begin(); it != diff.end(); ++it) m_saved[it.key()] = *it;
    shell.jobs().request<bool>(
        Lane::Write,
        [diff, holder](WorkerContext& w) {
            if (holder->empty()) throw ValidationError("the finding could not be created; its fields were not saved");
            editFinding(w.app, *holder, diff);
            return true;
        },
        [this, &shell, holder](bool) {
            if (holder != m_idHolder) return;
            --m_savesInFlight;
            m_savedAt = shell.now();
            shell.dataChanged();
            if (m_savesInFlight == 0 && m_dirtySince < 0) load(shell, m_id, false);
        },
        [this, &shell, holder, diff, previous](const JobError& e) {
            if (holder != m_idHolder) return;
            --m_savesInFlight;
            // Forget what was refused so the next change sends it again.
            for (auto it = diff.begin(); it != diff.end(); ++it) {
                if (previous.contains(it.key())) m_saved[it.key()] = previous[it.key()];
                else m_saved.erase(it.key());
            }
            m_saveError = e.message;
            shell.notify(e.message, true);
        });
}

void EditorView::flush(Shell& shell) {
    if (m_dirtySince >= 0) save(shell);
}

bool EditorView::settled() const {
    return !m_loading && !m_formLoading && m_savesInFlight == 0 && m_dirtySince < 0 && !m_region.loading();
}

bool EditorView::canEdit(const SessionData& s) const {
    std::string status = str(m_record, "status");
    if (status != "draft" && status != "returned") return false;
    if (s.actor.role != Role::Inspector) return true;
    return str(m_record, "created_by") == s.actor.name || str(m_record, "assignee") == s.actor.name;
}

bool EditorView::onCommand(Shell& shell, ShellCommand c) {
    switch (c) {
        case ShellCommand::Save:
            flush(shell);
            shell.notify(tr("editor.saved_now"));
            return true;
        case ShellCommand::Previous: navigate(shell, -1); return true;
        case ShellCommand::Next: navigate(shell, +1); return true;
        case ShellCommand::Search: return false;
    }
    return false;
}

void EditorView::navigate(Shell& shell, int delta) {
    if (m_id.empty()) return;
    View* origin = shell.view(shell.findingOrigin());
    if (!origin) return;
    if (auto next = origin->neighbor(shell, m_id, delta)) open(shell, *next);
    else shell.notify(tr(delta < 0 ? "editor.no_previous" : "editor.no_next"));
}

void EditorView::onFilesDropped(Shell& shell, const std::vector<std::string>& paths) {
    if (!canEdit(shell.session())) return;
    for (const auto& p : paths) addEvidence(shell, p, {});
}

// [SECTION] Drawing

void EditorView::draw(Shell& shell) {
    const SessionData& s = shell.session();
    bool editable = canEdit(s) && !m_loading && !m_campaignId.empty();
    if (m_dirtySince >= 0 && editable) {
        double now = shell.now();
        if (now - m_lastEdit >= kQuietSeconds || now - m_dirtySince >= kMaxDelay) save(shell);
    }
    if (m_loading && m_record.empty()) {
        ImGui::TextUnformatted(tr("common.loading"));
        return;
    }
    drawHeader(shell);
    if (m_isNew && m_campaignId.empty()) {
        ImGui::TextColored(theme::kRed, "%s", tr("editor.no_campaign"));
        return;
    }
    float avail = ImGui::GetContentRegionAvail().x;
    float leftW = avail * 0.6f;
    ImGui::BeginChild("##editor.form", ImVec2(leftW, 0), false);
    drawForm(shell, editable);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##editor.panel", ImVec2(0, 0), true);
    drawPanel(shell, editable);
    ImGui::EndChild();
}

void EditorView::drawHeader(Shell& shell) {
    std::string number = str(m_record, "official_number");
    if (number.empty()) number = str(m_record, "local_number");
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
    ImGui::TextUnformatted(m_isNew ? tr("editor.new_title") : (std::string(tr("editor.finding")) + " " + number).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    widgets::statusBadge(Machine::Finding, str(m_record, "status"));
    ImGui::SameLine(0, 20);
    if (!m_saveError.empty()) ImGui::TextColored(theme::kRed, "%s", tr("editor.save_failed"));
    else if (m_savesInFlight > 0 || m_dirtySince >= 0) ImGui::TextColored(theme::kMuted, "%s", tr("editor.saving"));
    else if (m_savedAt >= 0) ImGui::TextColored(theme::kGreen, "%s", tr("editor.saved"));
    else if (!m_isNew) ImGui::TextColored(theme::kMuted, "%s", tr("editor.autosave_on"));
    mark("editor.save_state");
    if (!m_isNew) {
        float w = ImGui::CalcTextSize(tr("editor.previous")).x + ImGui::CalcTextSize(tr("editor.next")).x + 60;
        ImGui::SameLine(ImGui::GetContentRegionMax().x - w);
        if (ImGui::SmallButton(trId("editor.previous"))) navigate(shell, -1);
        mark("editor.previous");
        ImGui::SameLine();
        if (ImGui::SmallButton(trId("editor.next"))) navigate(shell, +1);
        mark("editor.next");
    }
    ImGui::Separator();
}

void EditorView::drawForm(Shell& shell, bool editable) {
    const SessionData& s = shell.session();
    float em = ImGui::GetFontSize();
    float labelW = em * 6;
    auto label = [&](const char* key, bool required = false) {
        ImGui::AlignTextToFramePadding();
        widgets::fieldLabel(tr(key), required);
        ImGui::SameLine(labelW);
    };
    ImGui::BeginDisabled(!editable);

    label("editor.campaign", true);
    const CampaignInfo* camp = s.campaign(m_campaignId);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##editor.campaign", camp ? camp->title.c_str() : tr("editor.choose_campaign"))) {
        for (const auto& c : s.campaigns)
            if (ImGui::Selectable(c.title.c_str(), c.id == m_campaignId)) m_campaignId = c.id, touch(shell);
        ImGui::EndCombo();
    }
    mark("editor.campaign");

    label("editor.category", true);
    std::string before = m_category;
    if (widgets::codeCombo("##editor.category", categories(), m_category, nullptr, em * 10) && m_category != before) {
        m_values = Json::object();  // the old category's facts do not apply
        m_hasForm = false;
        loadForm(shell, m_category);
        touch(shell);
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr("editor.area"));
    ImGui::SameLine();
    if (widgets::codeCombo("##editor.area", areas(), m_area, "common.none", -1)) touch(shell);

    label("editor.title", true);
    ImGui::SetNextItemWidth(-1);
    if (m_focusTitle && editable) {
        ImGui::SetKeyboardFocusHere();
        m_focusTitle = false;
    }
    if (ImGui::InputTextWithHint("##editor.title", tr("editor.title_hint"), &m_title)) {
        shell.noteText(m_title);
        touch(shell);
    }
    mark("editor.title");

    label("editor.severity");
    for (const auto& sv : severities()) {
        if (ImGui::RadioButton(i18n().label(sv), m_severity == sv.code)) m_severity = sv.code, touch(shell);
        mark(std::string("editor.severity.") + sv.code);
        ImGui::SameLine();
    }
    ImGui::NewLine();

    label("editor.misconduct");
    ImGui::BeginGroup();
    if (widgets::codeChecks("editor.misconduct", misconductTypes(), m_misconduct, 3)) touch(shell);
    ImGui::EndGroup();

    label("editor.region", true);
    std::string root = camp && !camp->regionScope.empty() && camp->regionScope.size() == 1 ? camp->regionScope[0] : std::string();
    if (m_region.draw(shell, "editor.region", m_regionCode, root, em * 7.5f)) touch(shell);
    label("editor.address");
    ImGui::SetNextItemWidth(-em * 14);
    if (widgets::inputText("##editor.address", m_address, tr("editor.address_hint"))) shell.noteText(m_address), touch(shell);
    ImGui::SameLine();
    ImGui::TextUnformatted(tr("editor.gps"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 5);
    if (widgets::inputText("##editor.gps_lat", m_gpsLat, tr("editor.lat"))) touch(shell);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em * 5);
    if (widgets::inputText("##editor.gps_lon", m_gpsLon, tr("editor.lon"))) touch(shell);
    if ((!m_gpsLat.empty() && !parseCoord(m_gpsLat, 90)) || (!m_gpsLon.empty() && !parseCoord(m_gpsLon, 180))) {
        ImGui::SetCursorPosX(labelW);
        ImGui::TextColored(theme::kRed, "%s", tr("editor.bad_gps"));
    }

    label("editor.subject_unit");
    if (unitPicker(shell, "editor.subject_unit", m_subjectUnit, m_regionCode, ImGui::GetContentRegionAvail().x)) touch(shell);
    drawPersons(shell, editable);

    widgets::fieldLabel(tr("editor.narrative"));
    if (widgets::inputMultiline("##editor.narrative", m_narrative, 4, 12)) shell.noteText(m_narrative), touch(shell);

    ImGui::Spacing();
    if (m_hasForm) {
        widgets::heading((i18n().english() && !m_form.titleEn.empty() ? m_form.titleEn : m_form.title).c_str());
        FormContext fc{shell, !editable, root};
        if (jc::ui::drawForm(fc, m_form, m_values, m_formBuf)) touch(shell);
    } else {
        ImGui::TextColored(theme::kMuted, "%s", tr("common.loading"));
    }

    ImGui::Spacing();
    widgets::heading(tr("editor.prevention"));
    widgets::fieldLabel(tr("editor.loophole"));
    if (widgets::inputMultiline("##editor.loophole", m_loophole, 2, 8)) shell.noteText(m_loophole), touch(shell);
    widgets::fieldLabel(tr("editor.recommendation"));
    if (widgets::inputMultiline("##editor.recommendation", m_recommendation, 2, 8)) shell.noteText(m_recommendation), touch(shell);
    widgets::fieldLabel(tr("editor.accountability"));
    if (widgets::inputMultiline("##editor.accountability", m_accountability, 2, 8)) shell.noteText(m_accountability), touch(shell);
    ImGui::EndDisabled();
}

void EditorView::drawPersons(Shell& shell, bool editable) {
    const SessionData& s = shell.session();
    float em = ImGui::GetFontSize();
    ImGui::AlignTextToFramePadding();
    widgets::fieldLabel(tr("editor.persons"));
    ImGui::SameLine(em * 6);
    ImGui::BeginGroup();
    int remove = -1;
    for (size_t i = 0; i < m_persons.size(); ++i) {
        const Json& p = m_persons[i];
        std::string pid = p.value("person_id", std::string());
        std::string role = p.value("role", std::string("direct"));
        const PersonInfo* info = s.person(pid);
        ImGui::PushID(static_cast<int>(i));
        ImGui::AlignTextToFramePadding();
        ImGui::Text("%s%s · %s", info ? info->name.c_str() : pid.c_str(),
                    info && !info->post.empty() ? (" (" + info->post + ")").c_str() : "",
                    tr(role == "related" ? "editor.role_related" : "editor.role_direct"));
        if (editable) {
            ImGui::SameLine();
            if (ImGui::SmallButton("×")) remove = static_cast<int>(i);
            mark("editor.persons.remove." + std::to_string(i));
        }
        ImGui::PopID();
    }
    if (remove >= 0) {
        m_persons.erase(static_cast<size_t>(remove));
        touch(shell);
    }
    if (editable) {
        if (personPicker(shell, "editor.person_add", m_newPerson, m_subjectUnit, em * 12) && !m_newPerson.empty()) {
            bool dup = false;
            for (const auto& p : m_persons) dup = dup || p.value("person_id", std::string()) == m_newPerson;
            if (!dup) {
                m_persons.push_back({{"person_id", m_newPerson}, {"role", m_newPersonRole}});
                touch(shell);
            }
            m_newPerson.clear();
        }
        ImGui::SameLine();
        if (ImGui::RadioButton(tr("editor.role_direct"), m_newPersonRole == "direct")) m_newPersonRole = "direct";
        ImGui::SameLine();
        if (ImGui::RadioButton(tr("editor.role_related"), m_newPersonRole == "related")) m_newPersonRole = "related";
        mark("editor.person_role_related");
    }
    ImGui::EndGroup();
}

std::unique_ptr<View> makeEditorView() {
    auto v = std::make_unique<EditorView>();
    return v;
}

}  // namespace jc::ui
