// Changes HQ refused (被拒的修改): each refusal is a card with the record, HQ's reason in the
// user's language (HQ's own English words on hover), and the refused fields with the user's
// value beside HQ's. The user can correct the values in a form with each field's own editor
// and resend them (a new change on top of HQ's values; a refused creation goes again as a whole
// record), discard theirs (HQ's values stay), or — for a record HQ never accepted — delete it on
// this device. The commands are app/rejection_commands.h; they run on the write worker.
#include <imgui.h>

#include "app/rejection_commands.h"
#include "core/workflow.h"
#include "ui/shell/automation.h"
#include "ui/shell/i18n.h"
#include "ui/shell/shell.h"
#include "ui/shell/theme.h"
#include "ui/views/views.h"
#include "ui/widgets/field_form.h"
#include "ui/widgets/form_renderer.h"
#include "ui/widgets/widgets.h"

namespace jc::ui {

namespace {

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

std::string paramText(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
        std::string out;
        for (const auto& x : v) out += (out.empty() ? "" : "、") + paramText(x);
        return out;
    }
    return v.is_null() ? std::string() : v.dump();
}

bool hasKey(const std::string& key) {
    return i18n().has(i18n().english() ? Language::En : Language::Zh, key);
}

// HQ's reason in the user's language: the detail's sentence with its parameters filled in
// (statuses and roles as labels, a region by name), else the reason code's sentence.
std::string refusalInWords(const RefusedChange& c) {
    std::string key = !c.detail.empty() ? "reject.detail." + c.detail : "reject.reason." + (c.reasonCode.empty() ? std::string("unknown") : c.reasonCode);
    if (!hasKey(key)) key = "reject.reason." + (c.reasonCode.empty() ? std::string("unknown") : c.reasonCode);
    if (!hasKey(key)) key = "reject.reason.unknown";
    std::string text = tr(key);
    for (auto it = c.params.begin(); it != c.params.end(); ++it) {
        std::string v = paramText(*it);
        if ((it.key() == "from" || it.key() == "to") && it->is_string()) {
            std::string entity = c.params.value("entity", c.entity);
            try {
                v = codeLabel(statuses(machineFor(entity)), it->get<std::string>());
            } catch (const std::exception&) {
            }
        } else if (it.key() == "role" && it->is_string()) {
            v = roleLabel(it->get<std::string>());
        } else if (it.key() == "action" && it->is_string()) {
            try {
                v = codeLabel(actions(machineFor(c.params.value("entity", c.entity))), it->get<std::string>());
            } catch (const std::exception&) {
            }
        } else if (it.key() == "entity") {
            v = i18n().english() ? c.entityEn : c.entityZh;
        } else if (it.key() == "region") {
            std::string name = c.params.value("region_name", std::string());
            if (!name.empty()) v = name + "（" + v + "）";
        }
        replaceAll(text, "{" + it.key() + "}", v);
    }
    return text;
}

class RejectionsView : public View {
public:
    const char* id() const override { return "rejections"; }
    const char* titleKey() const override { return "reject.nav"; }
    // Opened from the status bar's red count (there whenever HQ refused something), not the navigation.
    bool inNavigation(const SessionData&) const override { return false; }
    int64_t badge(const Shell& shell) const override { return shell.statusBar().rejectedChanges; }
    bool settled() const override { return m_loaded && !m_loading && !m_busy; }

    void draw(Shell& shell) override {
        m_count = shell.statusBar().rejectedChanges;
        bool english = i18n().english();
        if ((m_version != shell.dataVersion() || m_english != english || m_count != m_loadedCount) && !m_loading) load(shell);
        ImGui::TextColored(theme::kAccent, "%s", tr("sync.rejections_title"));
        ImGui::SameLine();
        if (m_loaded)
            ImGui::TextColored(m_items.empty() ? theme::kGreen : theme::kRed, "%s",
                               trf("reject.count", {std::to_string(m_items.size())}).c_str());
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(theme::kMuted, "%s", tr("reject.intro"));
        ImGui::PopTextWrapPos();
        ImGui::Separator();
        ImGui::BeginChild("##rejections.list", ImVec2(0, 0), false);
        if (!m_loaded) ImGui::TextUnformatted(tr("common.loading"));
        else if (m_items.empty()) ImGui::TextColored(theme::kGreen, "%s", tr("reject.none"));
        for (size_t i = 0; i < m_items.size(); ++i) {
            ImGui::PushID(m_items[i].changeId.c_str());
            drawCard(shell, m_items[i]);
            ImGui::PopID();
            ImGui::Spacing();
        }
        ImGui::EndChild();
    }

private:
    void load(Shell& shell) {
        m_loading = true;
        m_version = shell.dataVersion();
        m_english = i18n().english();
        m_loadedCount = m_count;
        shell.jobs().request<std::vector<RefusedChange>>(
            Lane::Read, [](WorkerContext& w) { return listRefusedChanges(w.app); },
            [this, &shell](std::vector<RefusedChange> items) {
                for (const auto& c : items) {
                    shell.noteText(c.recordLabel + c.message + refusalInWords(c));
                    for (const auto& f : c.fields) shell.noteText(f.labelZh + f.mineText + f.hqText);
                }
                m_items = std::move(items);
                m_loaded = true;
                m_loading = false;
                bool editingGone = true;
                for (const auto& c : m_items) editingGone = editingGone && c.changeId != m_editing;
                if (editingGone) m_editing.clear();
            },
            shell.failClears(m_loading),
            "rejections.list");
    }

    void drawCard(Shell& shell, const RefusedChange& c) {
        bool english = i18n().english();
        float em = ImGui::GetFontSize();
        ImGui::TextColored(theme::kAccent, "%s", (english ? c.entityEn : c.entityZh).c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(c.recordLabel.empty() ? c.entityId.substr(0, 8).c_str() : c.recordLabel.c_str());
        mark("sync.rejection." + c.entityId);
        ImGui::SameLine();
        ImGui::TextColored(theme::kMuted, "· %s%s", localTime(c.at).c_str(), c.creation ? tr("reject.was_creation") : "");
        std::string reason = refusalInWords(c);
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(theme::kRed, "%s", reason.c_str());
        mark("reject.reason." + c.entityId);
        ImGui::PopTextWrapPos();
        if (!c.message.empty()) {
            ImGui::SameLine();
            widgets::helpMarker((std::string(tr("reject.hq_words")) + c.message).c_str());
        }
        if (ImGui::BeginTable("##fields", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
            ImGui::TableSetupColumn(tr("reject.field"), ImGuiTableColumnFlags_WidthFixed, em * 8);
            ImGui::TableSetupColumn(tr("reject.mine"), ImGuiTableColumnFlags_WidthStretch, 1);
            ImGui::TableSetupColumn(tr("reject.hq"), ImGuiTableColumnFlags_WidthStretch, 1);
            ImGui::TableHeadersRow();
            for (const auto& f : c.fields) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted((english ? f.labelEn : f.labelZh).c_str());
                ImGui::TableNextColumn();
                widgets::textWrapped(english ? f.mineTextEn : f.mineText);
                ImGui::TableNextColumn();
                if (c.creation) ImGui::TextColored(theme::kMuted, "%s", tr("reject.hq_has_none"));
                else widgets::textWrapped(english ? f.hqTextEn : f.hqText);
            }
            ImGui::EndTable();
        }
        bool editing = m_editing == c.changeId;
        bool fixable = c.recordExists;
        ImGui::BeginDisabled(m_busy || !fixable);
        if (!editing) {
            if (ImGui::Button(trId("reject.edit"))) startEditing(c);
            mark("reject.edit." + c.entityId);
            ImGui::SameLine();
        }
        if (ImGui::Button(trId("reject.discard"))) m_confirm = {c.changeId, "discard"};
        mark("reject.discard." + c.entityId);
        if (c.creation) {
            ImGui::SameLine();
            if (ImGui::Button(trId("reject.delete_local"))) m_confirm = {c.changeId, "delete"};
            mark("reject.delete_local." + c.entityId);
        }
        ImGui::EndDisabled();
        if (!fixable) ImGui::TextColored(theme::kMuted, "%s", tr("reject.record_gone"));
        if (m_confirm.first == c.changeId) drawConfirm(shell, c);
        if (editing) drawEditor(shell, c);
        ImGui::Separator();
    }

    void startEditing(const RefusedChange& c) {
        m_editing = c.changeId;
        m_buf.reset();
        m_values = Json::object();
        std::vector<FieldToEdit> fields;
        for (const auto& f : c.fields) {
            if (!fieldEditable(c.entity, f.field)) continue;
            fields.push_back({f.field, f.labelZh, f.labelEn});
            m_values[f.field] = f.mine;  // start from what the user wanted
        }
        m_form = formForFields(c.entity, fields);
    }

    void drawEditor(Shell& shell, const RefusedChange& c) {
        ImGui::Indent();
        ImGui::TextColored(theme::kAccent, "%s", tr(c.creation ? "reject.edit_creation" : "reject.edit_update"));
        FormContext ctx{shell};
        drawForm(ctx, m_form, m_values, m_buf);
        bool valid = invalidKeys(m_form, m_values).empty() && m_buf.parseError.empty();
        ImGui::BeginDisabled(m_busy || !valid);
        if (ImGui::Button(trId("reject.resend"))) {
            m_busy = true;
            std::string id = c.changeId;
            Json values = m_values;
            shell.runCommand([id, values](WorkerContext& w) { resendRefusedChange(w.app, id, values); },
                             [this, &shell]() {
                                 m_busy = false;
                                 m_editing.clear();
                                 shell.notify(tr("reject.resent"));
                                 shell.syncNow();
                             },
                             [this](const JobError&) { m_busy = false; });
        }
        mark("reject.resend");
        ImGui::EndDisabled();
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_editing.clear();
        mark("reject.cancel_edit");
        ImGui::Unindent();
    }

    void drawConfirm(Shell& shell, const RefusedChange& c) {
        bool del = m_confirm.second == "delete";
        ImGui::PushTextWrapPos(0);
        ImGui::TextColored(theme::kRed, "%s", tr(del ? "reject.confirm_delete" : "reject.confirm_discard"));
        ImGui::PopTextWrapPos();
        if (ImGui::Button(trId(del ? "reject.delete_yes" : "reject.discard_yes"))) {
            m_busy = true;
            std::string id = c.changeId;
            shell.runCommand(
                [id, del](WorkerContext& w) {
                    if (del) deleteRefusedRecord(w.app, id);
                    else discardRefusedChange(w.app, id);
                },
                [this, &shell, del]() {
                    m_busy = false;
                    m_confirm = {};
                    shell.notify(tr(del ? "reject.deleted" : "reject.discarded"));
                },
                [this](const JobError&) { m_busy = false; });
        }
        mark("reject.confirm");
        ImGui::SameLine();
        if (ImGui::Button(trId("common.cancel"))) m_confirm = {};
    }

    std::vector<RefusedChange> m_items;
    bool m_loaded = false, m_loading = false, m_busy = false, m_english = false;
    uint64_t m_version = 0;
    int64_t m_count = 0, m_loadedCount = -1;
    std::string m_editing;
    std::pair<std::string, std::string> m_confirm;  // change id, "discard" | "delete"
    FormTemplate m_form;
    Json m_values = Json::object();
    FormBuffers m_buf;
};

}  // namespace

std::unique_ptr<View> makeRejectionsView() { return std::make_unique<RejectionsView>(); }

}  // namespace jc::ui
