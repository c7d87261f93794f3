#pragma once
// Wrong passphrases slow down, across processes and restarts: <db>.keys.failures beside the key
// file (JSON: consecutive wrong passphrases, wall-clock time of the last) counts them; from the
// fifth on, the next try must wait 1, 2, 4 … up to 60 seconds after the last failure (the rule
// the GUI's sign-in screen shows). A right passphrase removes the file. This slows guessing on
// the running laptop (the CLI cannot be looped to reset it); it does not stop an offline attack
// on a copied key file, which argon2id's cost is there for.
#include <filesystem>

namespace jc::crypto {

constexpr int kFreeSignInTries = 5;
constexpr double kMaxSignInDelaySeconds = 60;

// Seconds to wait after `failures` consecutive wrong passphrases (0 below kFreeSignInTries).
double signInDelayAfter(int failures);

struct SignInFailures {
    int count = 0;
    double last = 0;  // seconds since the epoch (wall clock)
};
std::filesystem::path signInFailuresPath(const std::filesystem::path& dbPath);  // <db>.keys.failures
SignInFailures readSignInFailures(const std::filesystem::path& dbPath);          // {0,0} when none/unreadable
// Seconds still to wait before the next try at time `now` (0: go ahead). Never more than the
// delay itself, so a clock set back does not lock the user out.
double signInWait(const std::filesystem::path& dbPath, double now);
void noteSignInFailure(const std::filesystem::path& dbPath, double now);  // best effort
void noteSignInSuccess(const std::filesystem::path& dbPath);              // removes the record
double wallClockSeconds();

}  // namespace jc::crypto
