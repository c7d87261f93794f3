#include "ui/views/views.h"

namespace jc::ui {

std::vector<std::unique_ptr<View>> makeViews() {
    std::vector<std::unique_ptr<View>> v;
    v.push_back(makeHomeView());
    v.push_back(makeFindingsView());
    v.push_back(makeEditorView());
    v.push_back(makeReviewView());
    v.push_back(makeConflictsView());
    v.push_back(makeTimeSuspectView());
    v.push_back(makeRejectionsView());
    v.push_back(makeComplaintsView());
    v.push_back(makeRectificationsView());
    v.push_back(makeWarningsView());
    v.push_back(makeEvaluationView());
    v.push_back(makeMonitoringView());
    v.push_back(makeEsupView());
    v.push_back(makeStatsView());
    v.push_back(makeCircularView());
    v.push_back(makeAdminView());
    v.push_back(makeSettingsView());
    v.push_back(makeFirstRunView());
    return v;
}

}  // namespace jc::ui
