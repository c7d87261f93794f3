// Errors for people: storage failures recognised from SQLite's and the OS's texts become a
// sentence saying what happened and what to do, with the technical detail after it.
#include <catch2/catch.hpp>

#include "core/error_text.h"
#include "core/i18n.h"

using namespace jc;

TEST_CASE("storage failures are recognised from their technical text", "[error]") {
    CHECK(classifyStorageError("step [INSERT …]: database or disk is full") == StorageProblem::DiskFull);
    CHECK(classifyStorageError("cannot write /x: No space left on device") == StorageProblem::DiskFull);
    CHECK(classifyStorageError("exec [BEGIN IMMEDIATE]: database is locked") == StorageProblem::Locked);
    CHECK(classifyStorageError("prepare: database disk image is malformed") == StorageProblem::Corrupt);
    CHECK(classifyStorageError("open: file is not a database") == StorageProblem::Corrupt);
    CHECK(classifyStorageError("step: attempt to write a readonly database") == StorageProblem::ReadOnly);
    CHECK(classifyStorageError("open /root/x.db: unable to open database file") == StorageProblem::ReadOnly);
    CHECK(classifyStorageError("something else") == StorageProblem::Other);
}

TEST_CASE("errors read as a sentence with the next step, detail after", "[error]") {
    loadStringTables();
    i18n().setLanguage(Language::Zh);
    std::string full = describeError(StorageError("step [INSERT INTO finding]: database or disk is full"));
    CHECK(full.rfind("磁盘空间不足：", 0) == 0);
    CHECK(full.find("请清理磁盘") != std::string::npos);
    CHECK(full.find("技术信息：step [INSERT INTO finding]: database or disk is full") != std::string::npos);
    CHECK(describeError(StorageError("database is locked")).find("请稍等片刻再试") != std::string::npos);
    CHECK(describeError(ValidationError("x")).rfind("输入有误：x", 0) == 0);
    CHECK(describeError(NotFoundError("finding 'X' not found")).find("list") != std::string::npos);
    CHECK(describeError(UsageError("用法")) == "用法");
    i18n().setLanguage(Language::En);
    full = describeError(StorageError("database or disk is full"));
    CHECK(full.rfind("the disk is full: nothing was saved.", 0) == 0);
    CHECK(full.find("Technical detail: database or disk is full") != std::string::npos);
    CHECK(describeError(ForbiddenError("role inspector may not accept")).rfind("not allowed: role inspector", 0) == 0);
    i18n().setLanguage(Language::Zh);
}
