#pragma once
// The enrolment form shared by the first-run screen and settings: HQ's server address, the
// one-time code HQ read out (typed any way: spaces, lower case, full-width), optionally HQ's
// certificate file (through the file chooser) and the device's name. Errors are shown in the
// user's language (sync/client/sync_errors.h kinds), HQ's English words only on hover.
#include <string>

namespace jc::ui {

class Shell;

struct EnrolFormState {
    std::string server, code, caFile, deviceName;
    bool busy = false;
    std::string error, errorDetail;  // translated kind; the engine's words
};

void drawEnrolForm(Shell& shell, EnrolFormState& st, float width);

}  // namespace jc::ui
