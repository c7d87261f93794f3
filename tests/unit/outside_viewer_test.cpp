// Evidence of a protected store opened in an outside program: the program (a real process, a
// shell script standing in for the desktop's viewer) gets a plaintext copy that is private
// (0600 in a 0700 folder), in RAM ($XDG_RUNTIME_DIR on tmpfs), and gone once the program is done
// with it, when the store locks, when the client exits, and — left behind by a crash — at the
// next start. No RAM-backed private runtime folder: no copy at all, and a message saying why.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/evidence_commands.h"
#include "app/finding_commands.h"
#include "app/org_commands.h"
#include "app/outside_viewer.h"
#include "app/paths.h"
#include "app/protection.h"
#include "app/setup.h"
#include "core/error.h"
#include "core/i18n.h"
#include "support/app_setup.h"
#include "support/temp_dir.h"

using namespace jc;
namespace fs = std::filesystem;

namespace {

const std::string kContent = "PDF-PLAINTEXT-举报材料-0123456789";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

unsigned modeOf(const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}

bool onTmpfs(const fs::path& p) {
    struct statfs s {};
    return ::statfs(p.c_str(), &s) == 0 && static_cast<unsigned long>(s.f_type) == TMPFS_MAGIC;
}

template <class F>
bool within(double seconds, F ok) {
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!ok()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

// A protected store holding one evidence file, a private runtime folder on tmpfs, and a
// "viewer": a script that records the path it got and keeps the file open for `holdSeconds`.
struct Setup {
    test::TempDir dir{"viewer"};
    fs::path run, blob, viewer, log;

    explicit Setup(double holdSeconds) {
        ::setenv("JIANCHA_KDF", "fast", 1);
        i18n().load(assetsDir() / "i18n");
        protectNewStore(dir.path, "default", "口令 correct horse", "");
        {
            Store store(storePath(dir.path).string());
            initStore(store, InitOptions{"总部管理员", Role::HqAdmin, "", ""});
            AppContext ctx = test::appContext(store, "");
            CampaignInput c;
            c.title = "专项";
            std::string campaign = createCampaign(ctx, c);
            std::string finding = createFinding(ctx, test::findingFields(campaign, "wage_arrears", "欠薪"));
            fs::path src = dir.path / "材料.pdf";
            std::ofstream(src, std::ios::binary) << kContent;
            addEvidence(ctx, "finding", finding, src.string(), "");
            fs::remove(src);
            auto rows = listEvidence(store, "finding", finding);
            REQUIRE(rows.size() == 1);
            blob = blobDir(dir.path) / rows[0].sha256;
        }
        REQUIRE(slurp(blob).find(kContent) == std::string::npos);  // encrypted at rest
        char tmpl[] = "/dev/shm/jc-run-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        run = tmpl;
        ::setenv("XDG_RUNTIME_DIR", run.c_str(), 1);
        log = dir.path / "viewer.log";
        viewer = dir.path / "viewer.sh";
        // Its output goes nowhere: a sleeping child must not hold ctest's pipe open.
        std::ofstream(viewer) << "#!/bin/sh\nexec >/dev/null 2>&1 </dev/null\necho \"$1\" >> '" << log.string() << "'\nexec 3<\"$1\"\nsleep " << holdSeconds << "\n";
        fs::permissions(viewer, fs::perms::owner_all);
    }
    ~Setup() {
        std::error_code ec;
        fs::remove_all(run, ec);
        ::unsetenv("XDG_RUNTIME_DIR");
        signOut(dir.path);
    }
    bool usable() const { return onTmpfs(run); }
};

}  // namespace

TEST_CASE("an outside viewer gets a private plaintext copy in RAM, deleted once it is done with it", "[app][crypto]") {
    Setup s(1.0);
    if (!s.usable()) {
        WARN("/dev/shm is not tmpfs here: nothing to test against");
        return;
    }
    OutsideViewer v;
    fs::path copy = v.open(s.blob, "材料.pdf", true, s.viewer.string());
    CHECK(copy.filename() == "材料.pdf");  // named like the original, so the desktop picks the program
    CHECK(copy.string().rfind(fs::weakly_canonical(s.run).string(), 0) == 0);
    REQUIRE(fs::exists(copy));
    CHECK(modeOf(copy) == 0600);
    CHECK(modeOf(copy.parent_path()) == 0700);
    CHECK(modeOf(s.run / "jiancha-open") == 0700);
    CHECK(slurp(copy) == kContent);
    CHECK(v.copies() == std::vector<fs::path>{copy});
    REQUIRE(within(3, [&] { return slurp(s.log).find(copy.string()) != std::string::npos; }));
    // Held open by the viewer: still there; the viewer ends: gone after the short grace.
    CHECK(within(3, [&] { return fileOpenByAnyProcess(copy); }));
    CHECK(fs::exists(copy));
    CHECK(within(1.0 + OutsideViewer::kGraceSeconds + 3, [&] { return !fs::exists(copy); }));
    CHECK(v.copies().empty());
}

TEST_CASE("the copies go when the store locks and when the client exits, and leftovers are swept at start", "[app][crypto]") {
    Setup s(4.0);
    if (!s.usable()) {
        WARN("/dev/shm is not tmpfs here: nothing to test against");
        return;
    }
    fs::path root = s.run / "jiancha-open";
    fs::path first, second;
    {
        OutsideViewer v;
        first = v.open(s.blob, "材料.pdf", true, s.viewer.string());
        second = v.open(s.blob, "材料.pdf", true, s.viewer.string());
        CHECK(first != second);  // each opening its own copy
        REQUIRE(within(3, [&] { return fileOpenByAnyProcess(first) && fileOpenByAnyProcess(second); }));
        v.removeCopies();  // the window locked: gone although the viewers still read them
        CHECK_FALSE(fs::exists(first));
        CHECK_FALSE(fs::exists(second));
        fs::path third = v.open(s.blob, "材料.pdf", true, s.viewer.string());
        REQUIRE(fs::exists(third));
        REQUIRE(within(3, [&] { return slurp(s.log).find(third.string()) != std::string::npos; }));
        first = third;
    }  // the client exits
    CHECK_FALSE(fs::exists(first));

    // A client that crashed left its folder behind (a pid that is not running): swept at start.
    fs::path stale = root / "999999999-12345" / "1";
    fs::create_directories(stale);
    std::ofstream(stale / "材料.pdf") << kContent;
    OutsideViewer next;
    CHECK_FALSE(fs::exists(root / "999999999-12345"));
}

TEST_CASE("no copy is made when the runtime folder is missing, on disk, or not private", "[app][crypto]") {
    Setup s(0.1);
    auto refused = [&](const char* what) {
        INFO(what);
        OutsideViewer v;
        std::string message;
        try {
            v.open(s.blob, "材料.pdf", true, s.viewer.string());
        } catch (const ValidationError& e) {
            message = e.what();
        }
        CHECK_FALSE(message.empty());
        CHECK(v.copies().empty());
        return message;
    };
    ::unsetenv("XDG_RUNTIME_DIR");
    CHECK(refused("unset").find("XDG_RUNTIME_DIR") != std::string::npos);

    fs::path disk = s.dir.path / "run";  // the test's own folder, not tmpfs
    fs::create_directories(disk);
    fs::permissions(disk, fs::perms::owner_all, fs::perm_options::replace);
    if (!onTmpfs(disk)) {
        ::setenv("XDG_RUNTIME_DIR", disk.c_str(), 1);
        CHECK(refused("on disk").find("tmpfs") != std::string::npos);
        CHECK_FALSE(fs::exists(disk / "jiancha-open"));
    }
    if (s.usable()) {
        ::setenv("XDG_RUNTIME_DIR", s.run.c_str(), 1);
        fs::permissions(s.run, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec, fs::perm_options::replace);
        CHECK(refused("readable by others").find("0700") != std::string::npos);
    }
    CHECK(slurp(s.log).empty());  // the viewer never ran
}
