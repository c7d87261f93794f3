#pragma once
// Category form templates as stored records (form_template entity, HQ edits them and they
// sync); seeded from assets/templates on init.
#include <string>

#include "core/form_template.h"
#include "store/store.h"

namespace jc {

// The newest non-deleted template for a category; throws NotFoundError when there is none.
FormTemplate currentTemplate(Store& store, const std::string& category);

}  // namespace jc
