#include "store/crypto/keyring.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

namespace jc::crypto {

namespace {
std::mutex g_mutex;
std::map<std::string, std::shared_ptr<const StoreKey>>* g_keys = nullptr;

std::string canonical(const std::string& p) {
    std::error_code ec;
    auto c = std::filesystem::weakly_canonical(std::filesystem::absolute(p, ec), ec);
    return ec ? p : c.string();
}

std::map<std::string, std::shared_ptr<const StoreKey>>& keys() {
    if (!g_keys) {
        g_keys = new std::map<std::string, std::shared_ptr<const StoreKey>>();
        std::atexit(forgetAllStoreKeys);
    }
    return *g_keys;
}
}  // namespace

void putStoreKey(const std::string& dbPath, StoreKey key) {
    std::lock_guard<std::mutex> lock(g_mutex);
    keys()[canonical(dbPath)] = std::make_shared<const StoreKey>(std::move(key));
}

std::shared_ptr<const StoreKey> findStoreKey(const std::string& dbPath) {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto& k = keys();
    auto it = k.find(canonical(dbPath));
    return it == k.end() ? nullptr : it->second;
}

void forgetStoreKey(const std::string& dbPath) {
    std::lock_guard<std::mutex> lock(g_mutex);
    keys().erase(canonical(dbPath));  // the Cipher's SecretBytes wipe the key when the last user lets go
}

void forgetAllStoreKeys() {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_keys) g_keys->clear();
}

}  // namespace jc::crypto
