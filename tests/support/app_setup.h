#pragma once
// Set-up through the app's own commands, shared by tests that prepare a store before they
// drive the window or the sync: the acting user's AppContext on a store, and the fields of a
// typical finding (campaign, category in the hot-spot area, title, township).
#include <string>

#include "app/context.h"
#include "core/entities.h"
#include "store/store.h"

namespace jc::test {

// `user` acting on `store` ("" = the store's current user), with the store's working calendar.
inline AppContext appContext(Store& store, const std::string& user) {
    return AppContext{store, loadActor(store, user), calendarFromStore(store), std::nullopt};
}

// A finding's fields for createFinding(): `region` defaults to a township of 甘州区.
inline FieldMap findingFields(const std::string& campaign, const std::string& category, const std::string& title,
                              const std::string& region = "620702101") {
    return {{"campaign_id", campaign}, {"category", category}, {"title", title}, {"region_code", region},
            {"area", "hotspot_issues"}};
}

}  // namespace jc::test
