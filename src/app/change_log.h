#pragma once
// 变更记录: the history of one finding or complaint field by field, for the tab beside its
// workflow record — who, when, the value before and after as people read them (money in yuan,
// codes as labels, units by name; for the category form only the facts that changed), whether
// the change was made on this device or came from HQ, and the conflicts on its fields with how
// they were resolved. Built from store/field_history.h, the record itself (its creation) and
// its conflict records, oldest first.
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

struct ChangeLogEntry {
    std::string kind;  // created | change | conflict | resolved | history_gap (changes before `at`, when
                       // this store was upgraded to keep field history, have no values before and after)
    std::string at, author;  // author "" = HQ
    std::string field, labelZh, labelEn;
    std::string oldText, newText, oldTextEn, newTextEn;
    bool fromHq = false;      // arrived from HQ (pulled, or HQ's value kept instead of ours)
    bool conflicted = false;  // an open or resolved conflict concerns this field
    // conflict: the two versions and authors; resolved: who kept what.
    std::string otherAuthor, otherText, otherTextEn;
};

std::vector<ChangeLogEntry> changeLog(AppContext& ctx, const std::string& entity, const std::string& id);

}  // namespace jc
