#pragma once
// The finding editor (shared by view_editor.cpp — loading, autosave, the form — and
// view_editor_panel.cpp — status actions, evidence, rectification order, history).
//
// Autosave (DESIGN.md §6: pull the power, lose nothing typed more than a second ago): every
// change marks the editor dirty; 0.3 s after the last keystroke, and at the latest 0.7 s after
// the first unsaved one, the fields that differ from what was last sent go to the write worker
// as one editFinding (a new finding is created by the first save, with a placeholder title if
// none was typed yet). The write lane is ordered, so edits queued behind the create find its id
// in a holder the create job fills on the same worker thread. Values the store would refuse
// (a number out of range, a half-typed date) are held back and shown beside their field.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/read_models.h"
#include "ui/shell/view.h"
#include "ui/widgets/evidence_strip.h"
#include "ui/widgets/form_renderer.h"
#include "ui/widgets/region_picker.h"

namespace jc::ui {

class EditorView : public View {
public:
    const char* id() const override { return "editor"; }
    const char* titleKey() const override { return "nav.editor"; }
    bool inNavigation(const SessionData&) const override { return false; }
    void draw(Shell& shell) override;
    bool onCommand(Shell& shell, ShellCommand c) override;
    void open(Shell& shell, const std::string& id) override;
    void flush(Shell& shell) override;
    bool hasUnsavedWork() const override { return m_dirtySince >= 0 || m_savesInFlight > 0; }
    bool settled() const override;
    void onFilesDropped(Shell& shell, const std::vector<std::string>& paths) override;


private:
    // view_editor.cpp
    void reset();
    void startNew(Shell& shell);
    void load(Shell& shell, const std::string& idOrNumber, bool buffersToo);
    void loadForm(Shell& shell, const std::string& category);
    void applyRecord(const FieldMap& f);
    FieldMap collect() const;
    void touch(Shell& shell);
    void save(Shell& shell);
    bool canEdit(const SessionData& s) const;
    void drawHeader(Shell& shell);
    void drawForm(Shell& shell, bool editable);
    void drawPersons(Shell& shell, bool editable);
    void navigate(Shell& shell, int delta);

    // view_editor_panel.cpp
    void drawPanel(Shell& shell, bool editable);
    void drawActions(Shell& shell);
    void drawRectificationOrder(Shell& shell);
    void drawHistory(Shell& shell);
    void transition(Shell& shell, const std::string& action);
    void addEvidence(Shell& shell, const std::string& path, const std::string& caption);

    // Identity and the loaded snapshot
    std::string m_id;                          // "" until the first save created the finding
    std::shared_ptr<std::string> m_idHolder = std::make_shared<std::string>();  // filled by the create job
    bool m_createQueued = false;
    bool m_isNew = false;
    FieldMap m_record;                         // as loaded: status, numbers, created_by …
    FormTemplate m_form;
    bool m_hasForm = false, m_formLoading = false;
    std::vector<EvidenceRow> m_evidence;
    std::vector<Json> m_history;
    std::vector<RectificationRow> m_rectifications;
    std::vector<std::string> m_problems;
    bool m_loading = false;

    // Edit buffers
    std::string m_campaignId, m_category, m_area, m_severity = "medium";
    std::string m_title, m_narrative, m_address, m_loophole, m_recommendation, m_accountability;
    std::string m_regionCode, m_subjectUnit, m_gpsLat, m_gpsLon;
    std::vector<std::string> m_misconduct;
    Json m_persons = Json::array();  // [{person_id, role: direct|related}]
    Json m_values = Json::object();  // template field values
    FormBuffers m_formBuf;
    RegionPicker m_region;
    EvidenceStripState m_evidenceState;
    std::string m_newPerson, m_newPersonRole = "direct";
    bool m_focusTitle = false;

    // Autosave
    FieldMap m_saved = FieldMap::object();
    double m_dirtySince = -1, m_lastEdit = -1, m_savedAt = -1;
    int m_savesInFlight = 0;
    std::string m_saveError;

    // Actions
    std::string m_comment;
    bool m_actionBusy = false;
    std::string m_actionError;
    std::string m_rectAction, m_rectUnit;
    int m_rectDays = 20;
    bool m_showRectForm = false;
};

}  // namespace jc::ui
