#include "app/templates.h"

#include "core/i18n.h"
#include "core/error.h"

namespace jc {

FormTemplate currentTemplate(Store& store, const std::string& category) {
    auto& s = store.db().cached(
        "SELECT category, version, title, fields FROM form_template WHERE category = ? AND deleted = 0 "
        "ORDER BY version DESC LIMIT 1");
    s.bind(1, category);
    if (!s.step()) throw NotFoundError(trf("template.err_none", {codeLabel(categories(), category)}));
    Json j = {{"category", s.getText(0)},
              {"version", s.getInt(1)},
              {"title", s.getText(2)},
              {"fields", Json::parse(s.getText(3))}};
    s.reset();  // release the read snapshot
    return FormTemplate::fromJson(j);
}

}  // namespace jc
