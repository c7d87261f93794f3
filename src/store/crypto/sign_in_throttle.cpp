#include "store/crypto/sign_in_throttle.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/file_io.h"
#include "store/crypto/key_file.h"

namespace jc::crypto {

namespace fs = std::filesystem;

double signInDelayAfter(int failures) {
    if (failures < kFreeSignInTries) return 0;
    return std::min(kMaxSignInDelaySeconds, std::pow(2.0, failures - kFreeSignInTries));
}

fs::path signInFailuresPath(const fs::path& dbPath) {
    fs::path p = keyFilePath(dbPath);
    p += ".failures";
    return p;
}

SignInFailures readSignInFailures(const fs::path& dbPath) {
    std::ifstream in(signInFailuresPath(dbPath), std::ios::binary);
    if (!in) return {};
    std::stringstream ss;
    ss << in.rdbuf();
    try {
        auto j = nlohmann::json::parse(ss.str());
        SignInFailures f;
        f.count = std::clamp(j.value("failures", 0), 0, 1'000'000);
        f.last = j.value("last", 0.0);
        return f;
    } catch (const nlohmann::json::exception&) {
        // Damaged (a crash mid-write, an edit): counted as many failures at once, not as none,
        // so removing its content does not reset the delay.
        return {kFreeSignInTries, wallClockSeconds()};
    }
}

double signInWait(const fs::path& dbPath, double now) {
    SignInFailures f = readSignInFailures(dbPath);
    double delay = signInDelayAfter(f.count);
    return std::clamp(f.last + delay - now, 0.0, delay);
}

void noteSignInFailure(const fs::path& dbPath, double now) {
    SignInFailures f = readSignInFailures(dbPath);
    nlohmann::json j = {{"failures", f.count + 1}, {"last", now}};
    std::string text = j.dump() + "\n";
    fs::path p = signInFailuresPath(dbPath), tmp = p;
    tmp += ".tmp" + std::to_string(::getpid());
    FileHandle fd = FileHandle::open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool ok = fd && writeAll(fd.get(), text.data(), text.size()) && ::fsync(fd.get()) == 0 && fd.close();
    std::error_code ec;
    if (ok) fs::rename(tmp, p, ec);
    if (!ok || ec) fs::remove(tmp, ec);
}

void noteSignInSuccess(const fs::path& dbPath) {
    std::error_code ec;
    fs::remove(signInFailuresPath(dbPath), ec);
}

double wallClockSeconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace jc::crypto
