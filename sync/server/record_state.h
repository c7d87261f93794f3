#pragma once
// A record's field state as one JSON text, the form both storage backends keep in their `record`
// table: {"w":[[version,"author","device","hlc"],…],"f":{"field":[w-index,value],…}}. Fields
// written by one change share one "w" entry, which keeps the row small.
#include <string>

#include "sync/server/storage.h"

namespace jc::server {

std::string encodeRecordState(const Record& r);
// Fills r.fields from the text; throws (nlohmann) on text not made by encodeRecordState.
void decodeRecordState(const std::string& text, Record& r);

}  // namespace jc::server
