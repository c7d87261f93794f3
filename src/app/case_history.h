#pragma once
// Records a workflow step or hand-over of a case as a case_event (and a comment when text is
// given) inside the caller's transaction, so every case carries its own history.
#include <string>

#include "core/entities.h"
#include "store/writer.h"

namespace jc {

void recordCaseEvent(ChangeWriter& w, const std::string& entity, const std::string& entityId,
                     const std::string& action, const std::string& fromStatus, const std::string& toStatus,
                     const std::string& comment, const Json& detail = nullptr);

}  // namespace jc
