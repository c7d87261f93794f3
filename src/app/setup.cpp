#include "app/setup.h"

#include "app/paths.h"
#include "app/sealing.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/form_template.h"
#include "store/reference_data.h"
#include "store/writer.h"

namespace jc {

int seedTemplates(Store& store, const std::string& actor) {
    auto templates = loadTemplates((assetsDir() / "templates").string());
    int added = 0;
    Transaction tx(store.db());
    ChangeWriter w(store, tx, actor);
    for (const auto& t : templates) {
        auto& s = store.db().cached("SELECT 1 FROM form_template WHERE category = ? AND version = ?");
        s.bind(1, t.category).bind(2, t.version);
        if (s.exists()) continue;
        Json j = t.toJson();
        w.insert("form_template", {{"category", t.category}, {"version", t.version}, {"title", t.title}, {"fields", j["fields"]}});
        ++added;
    }
    tx.commit();
    return added;
}

InitResult initStore(Store& store, const InitOptions& opt) {
    if (opt.userName.empty()) throw ValidationError(tr("setup.err_user"));
    if (opt.userName.size() > 100) throw ValidationError(tr("setup.err_user_long"));
    for (char c : opt.userName)
        if (static_cast<unsigned char>(c) < 0x20) throw ValidationError(tr("setup.err_user_control"));
    if (!opt.hqPublicKey.empty()) setHqPublicKey(store, opt.hqPublicKey);  // validates before anything changes

    loadReferenceData(store.db(), assetsDir());
    InitResult r;
    {
        Transaction tx(store.db());
        auto& s = store.db().cached("SELECT id, role FROM user WHERE name = ? AND deleted = 0");
        s.bind(1, opt.userName);
        bool exists = s.step();
        std::string existingId = exists ? s.getText(0) : "", existingRole = exists ? s.getText(1) : "";
        s.reset();
        if (exists) {
            if (existingRole != roleCode(opt.role))
                throw ValidationError(trf("setup.err_user_role", {opt.userName, roleLabel(parseRole(existingRole))}));
            r.userId = existingId;
        } else {
            ChangeWriter w(store, tx, opt.userName);
            FieldMap u = {{"name", opt.userName}, {"role", std::string(roleCode(opt.role))}};
            if (!opt.teamName.empty()) u["team_id"] = w.insert("team", {{"name", opt.teamName}});
            r.userId = w.insert("user", u);
            r.created = true;
        }
        store.setMeta("current_user", opt.userName);
        tx.commit();
    }
    seedTemplates(store, opt.userName);
    if (opt.role == Role::HqAdmin && !canOpenSealed(store)) createHqKeys(store);
    r.hqPublicKey = hqPublicKey(store);
    return r;
}

}  // namespace jc
