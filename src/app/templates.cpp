#include "app/templates.h"

#include <map>
#include <utility>

#include "core/i18n.h"
#include "core/error.h"

namespace jc {

FormTemplate currentTemplate(Store& store, const std::string& category) {
    auto& s = store.db().cached(
        "SELECT category, version, title, fields FROM form_template WHERE category = ? AND deleted = 0 "
        "ORDER BY version DESC LIMIT 1");
    s.bind(1, category);
    if (!s.step()) throw NotFoundError(trf("template.err_none", {codeLabel(categories(), category)}));
    // The last template parsed per category on this thread, reused while its row is unchanged:
    // every new finding asks for its template, and parsing it costs more than the comparison.
    thread_local std::map<std::string, std::pair<std::string, FormTemplate>> parsed;
    std::string key = std::to_string(s.getInt(1)) + '\x1f' + s.getText(2) + '\x1f' + s.getText(3);
    if (auto it = parsed.find(category); it != parsed.end() && it->second.first == key) {
        s.reset();
        return it->second.second;
    }
    Json j = {{"category", s.getText(0)},
              {"version", s.getInt(1)},
              {"title", s.getText(2)},
              {"fields", Json::parse(s.getText(3))}};
    s.reset();  // release the read snapshot
    FormTemplate t = FormTemplate::fromJson(j);
    if (parsed.size() > 64) parsed.clear();
    parsed.insert_or_assign(category, std::make_pair(std::move(key), t));
    return t;
}

}  // namespace jc
