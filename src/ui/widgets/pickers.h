#pragma once
// Unit (被监察单位) and person (责任人) pickers: a combo with a filter box over the session's
// records and inline creation ("新建…"), so an inspector on site never has to leave the form.
// Creation runs as a command on the write lane; the new record is selected when it is saved.
#include <string>

namespace jc::ui {

class Shell;

// Returns true when `unitId` changed. `regionHint` becomes the region of a unit created here.
bool unitPicker(Shell& shell, const char* id, std::string& unitId, const std::string& regionHint, float width);
// Returns true when `personId` changed. With `unitId`, the unit's people are listed first and a
// person created here belongs to that unit.
bool personPicker(Shell& shell, const char* id, std::string& personId, const std::string& unitId, float width);

}  // namespace jc::ui
