#pragma once
// Evidence strip of a case: thumbnails of photos (decoded off the frame), an icon line for other
// files, an editable caption under each, "open" (a photo inside the window, widgets/photo_viewer.h;
// other files in the desktop's program, app/outside_viewer.h) and "remove"; below it "choose files…" (the desktop's file dialog or the
// built-in browser, widgets/file_chooser.h) with the caption for what it adds, and files dropped
// on the window; no path is ever typed.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/evidence_commands.h"

namespace jc::ui {

class Shell;
class PhotoViewer;

struct EvidenceStripState {
    std::string caption;
    std::map<std::string, std::string> captions;  // evidence id -> caption being edited
    bool adding = false;
    std::shared_ptr<PhotoViewer> photo;  // the photo open inside the window (made on first use)
};

struct EvidenceStripActions {
    std::function<void(const std::string& path, const std::string& caption)> add;
    std::function<void(const std::string& evidenceId, const std::string& caption)> setCaption;
    std::function<void(const std::string& evidenceId)> remove;
};

void drawEvidenceStrip(Shell& shell, const std::vector<EvidenceRow>& evidence, EvidenceStripState& st, bool editable,
                       const EvidenceStripActions& actions);

// Opens a stored blob with the desktop's default application (xdg-open), under its original
// file name so the right program is chosen; a protected store's file as a temporary plaintext
// copy (app/outside_viewer.h), which the message line mentions. Does nothing when
// JIANCHA_NO_OPEN is set (tests).
bool openOriginal(Shell& shell, const EvidenceRow& e);

}  // namespace jc::ui
