#include "cli/env.h"

#include <cstdlib>

#include "app/paths.h"
#include "core/error.h"

namespace jc::cli {

bool Env::storeExists() const { return std::filesystem::exists(storePath(dataDir)); }

void Env::requireStore() const {
    if (!storeExists()) throw UsageError(trf("cli.no_store", {dataDir.string()}));
}

Store& Env::store() {
    if (!m_store) {
        std::error_code ec;
        std::filesystem::create_directories(dataDir, ec);
        if (ec) throw StorageError(trf("cli.cannot_create_dir", {dataDir.string(), ec.message()}));
        m_store = std::make_unique<Store>(storePath(dataDir).string());
    }
    return *m_store;
}

AppContext& Env::ctx() {
    if (!m_ctx) {
        requireStore();
        Store& s = store();
        m_ctx = std::make_unique<AppContext>(AppContext{s, loadActor(s, asUser), calendarFromStore(s), std::nullopt});
        // JIANCHA_TODAY pins "today" (YYYY-MM-DD) for reproducible deadlines in scripts and tests.
        if (const char* t = std::getenv("JIANCHA_TODAY"); t && *t) m_ctx->todayOverride = Date::parse(t);
    }
    return *m_ctx;
}

}  // namespace jc::cli
