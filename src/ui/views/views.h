#pragma once
// The screens of the client, registered with the shell in this order (the navigation order).
// Each lives in its own file, src/ui/views/view_<name>.cpp.
#include <memory>
#include <string>
#include <vector>

#include "ui/shell/view.h"

namespace jc::ui {

std::unique_ptr<View> makeHomeView();
std::unique_ptr<View> makeFindingsView();
std::unique_ptr<View> makeEditorView();
std::unique_ptr<View> makeReviewView();
std::unique_ptr<View> makeConflictsView();
std::unique_ptr<View> makeTimeSuspectView();
std::unique_ptr<View> makeRejectionsView();
std::unique_ptr<View> makeComplaintsView();
std::unique_ptr<View> makeRectificationsView();
std::unique_ptr<View> makeWarningsView();
std::unique_ptr<View> makeEvaluationView();
std::unique_ptr<View> makeMonitoringView();
std::unique_ptr<View> makeEsupView();
std::unique_ptr<View> makeStatsView();
std::unique_ptr<View> makeCircularView();
std::unique_ptr<View> makeAdminView();
std::unique_ptr<View> makeSettingsView();
std::unique_ptr<View> makeFirstRunView();

std::vector<std::unique_ptr<View>> makeViews();

// "检查发现" / "Finding" … for a case behind a figure (evaluation breakdown, monitoring flags).
const char* caseEntityLabel(const std::string& entity);

}  // namespace jc::ui
