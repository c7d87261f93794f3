#include "app/case_history.h"

#include "core/dates.h"

namespace jc {

void recordCaseEvent(ChangeWriter& w, const std::string& entity, const std::string& entityId,
                     const std::string& action, const std::string& fromStatus, const std::string& toStatus,
                     const std::string& comment, const Json& detail) {
    FieldMap ev = {{"entity", entity},   {"entity_id", entityId}, {"action", action},
                   {"actor", w.actor()}, {"at", nowIso()}};
    if (!fromStatus.empty()) ev["from_status"] = fromStatus;
    if (!toStatus.empty()) ev["to_status"] = toStatus;
    if (!comment.empty()) ev["comment"] = comment;
    if (!detail.is_null()) ev["detail"] = detail;
    w.insert("case_event", ev);
    if (!comment.empty())
        w.insert("comment", {{"entity", entity}, {"entity_id", entityId}, {"body", comment}, {"author", w.actor()}});
}

}  // namespace jc
