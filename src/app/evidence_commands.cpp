#include "app/evidence_commands.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>

#include "app/paths.h"
#include "base/file_io.h"
#include "base/sha256.h"
#include "core/i18n.h"
#include "core/error.h"
#include "core/workflow.h"
#include "store/crypto/blob_file.h"
#include "store/crypto/keyring.h"
#include "store/writer.h"

namespace jc {

namespace fs = std::filesystem;

namespace {

const char* kOwners[] = {"finding", "complaint", "rectification", "warning"};

std::string lowerExt(const std::string& name) {
    std::string ext = fs::path(name).extension().string();
    if (!ext.empty() && ext[0] == '.') ext.erase(0, 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// `whatKey`: evidence.cannot_read / _write / _flush / _store / _open ("无法读取 {0}").
std::string sysError(const char* whatKey, const fs::path& p) {
    return trf(whatKey, {p.string()}) + ": " + std::strerror(errno);
}

std::string randomSuffix() {
    std::random_device rd;
    uint32_t bits[2] = {rd(), rd()};
    return toHex(bits, sizeof bits);
}

// Streams `src` into a temporary file in `dir` while hashing it; renames it to its SHA-256
// (or drops it when that blob already exists). Returns the hex digest.
std::string storeBlob(const fs::path& src, const fs::path& dir, int64_t expectedSize,
                      std::shared_ptr<const crypto::StoreKey> key) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StorageError(trf("evidence.err_folder", {dir.string(), ec.message()}));

    FileHandle in = FileHandle::open(src, O_RDONLY);
    if (!in) throw ValidationError(sysError("evidence.cannot_read", src));
    fs::path tmp = dir / (".incoming-" + randomSuffix());
    // Encrypted on the way in when the store is protected (store/crypto/blob_file.h): the
    // plaintext never lands in the evidence folder.
    auto out = std::make_unique<crypto::BlobWriter>(tmp, key);

    Sha256 hash;
    std::vector<unsigned char> buf(1 << 16);
    int64_t total = 0;
    auto fail = [&](const std::string& msg, bool storage) {
        out.reset();
        fs::remove(tmp, ec);
        if (storage) throw StorageError(msg);
        throw ValidationError(msg);
    };
    for (;;) {
        ssize_t n = ::read(in.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(sysError("evidence.cannot_read", src), false);
        }
        if (n == 0) break;
        total += n;
        if (total > kMaxEvidenceBytes) fail(src.string() + " is larger than 50 MiB", false);
        hash.update(buf.data(), static_cast<size_t>(n));
        try {
            out->write(buf.data(), static_cast<size_t>(n));
        } catch (const std::exception& e) {
            fail(e.what(), true);
        }
    }
    if (total != expectedSize) fail(src.string() + " changed while it was being copied; try again", false);
    try {
        out->finish();
    } catch (const std::exception& e) {
        fail(e.what(), true);
    }
    out.reset();
    std::string sha = hash.hexDigest();

    fs::path dest = dir / sha;
    if (fs::exists(dest, ec)) {
        fs::remove(tmp, ec);  // same content already stored (named by its hash): keep one copy
    } else {
        if (::rename(tmp.c_str(), dest.c_str()) != 0) {
            std::string msg = sysError("evidence.cannot_store", dest);
            fs::remove(tmp, ec);
            throw StorageError(msg);
        }
        fsyncDir(dir);
    }
    return sha;
}

// Who may attach to or change the evidence of this owner (checked inside the transaction).
void checkOwner(AppContext& ctx, const std::string& entity, const std::string& id) {
    FieldMap owner = ctx.store.require(entity, id);
    if (owner.value("deleted", false)) throw NotFoundError(trf("app.err_deleted", {entityLabel(entity), id}));
    if (entity != "finding") return;
    std::string status = owner.value("status", std::string());
    if (status != "draft" && status != "returned")
        throw ValidationError(trf("evidence.err_not_editable", {owner.value("local_number", id), codeLabel(statuses(Machine::Finding), status)}));
    if (ctx.actor.role == Role::Inspector && owner.value("created_by", std::string()) != ctx.actor.name &&
        owner.value("assignee", std::string()) != ctx.actor.name)
        throw ForbiddenError(trf("evidence.err_other_inspector", {ctx.actor.name}));
}

std::string text(Statement& s, int c) { return s.isNull(c) ? std::string() : s.getText(c); }

}  // namespace

fs::path evidenceBlobDir(AppContext& ctx) { return blobDir(fs::path(ctx.store.db().path()).parent_path()); }

fs::path evidenceBlobPath(AppContext& ctx, const std::string& sha256) {
    if (!isSha256Hex(sha256))
        throw ValidationError(trf("evidence.err_digest", {sha256}));
    return evidenceBlobDir(ctx) / sha256;
}

std::string evidenceKindFor(const std::string& fileName) {
    static const char* photos[] = {"jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "tif", "tiff"};
    static const char* docs[] = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "odt", "ods", "rtf", "csv", "wps"};
    static const char* audio[] = {"mp3", "wav", "m4a", "amr", "ogg", "aac"};
    static const char* video[] = {"mp4", "mov", "avi", "mkv", "3gp", "webm"};
    std::string ext = lowerExt(fileName);
    auto in = [&](const auto& list) { return std::find(std::begin(list), std::end(list), ext) != std::end(list); };
    if (in(photos)) return "photo";
    if (in(docs)) return "document";
    if (in(audio)) return "audio";
    if (in(video)) return "video";
    return "file";
}

std::string evidenceMimeFor(const std::string& fileName) {
    static const std::pair<const char*, const char*> types[] = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"png", "image/png"},        {"gif", "image/gif"},
        {"bmp", "image/bmp"},  {"webp", "image/webp"}, {"heic", "image/heic"},      {"tif", "image/tiff"},
        {"tiff", "image/tiff"}, {"pdf", "application/pdf"}, {"txt", "text/plain"}, {"csv", "text/csv"},
        {"doc", "application/msword"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xls", "application/vnd.ms-excel"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"mp3", "audio/mpeg"}, {"wav", "audio/wav"},   {"m4a", "audio/mp4"},        {"mp4", "video/mp4"},
        {"mov", "video/quicktime"}};
    std::string ext = lowerExt(fileName);
    for (const auto& [e, m] : types)
        if (ext == e) return m;
    return "application/octet-stream";
}

std::string addEvidence(AppContext& ctx, const std::string& ownerEntity, const std::string& ownerId,
                        const std::string& filePath, const std::string& caption) {
    if (std::find_if(std::begin(kOwners), std::end(kOwners), [&](const char* o) { return ownerEntity == o; }) ==
        std::end(kOwners))
        throw ValidationError(trf("evidence.err_owner_kind", {ownerEntity}));
    if (caption.size() > kMaxCaptionBytes) throw ValidationError(tr("evidence.err_caption"));
    if (filePath.empty()) throw ValidationError(tr("evidence.err_no_file"));
    fs::path src(filePath);
    struct stat sb {};
    if (::stat(src.c_str(), &sb) != 0) throw ValidationError(sysError("evidence.cannot_open", src));
    if (!S_ISREG(sb.st_mode)) throw ValidationError(trf("evidence.err_not_file", {src.string()}));
    if (sb.st_size == 0) throw ValidationError(trf("evidence.err_empty", {src.string()}));
    if (sb.st_size > kMaxEvidenceBytes)
        throw ValidationError(trf("evidence.err_too_big", {src.string(), std::to_string(sb.st_size / (1024 * 1024))}));
    {
        // Check the owner before copying 50 MiB for nothing; checked again inside the transaction.
        checkOwner(ctx, ownerEntity, ownerId);
    }
    std::string sha = storeBlob(src, evidenceBlobDir(ctx), static_cast<int64_t>(sb.st_size), crypto::findStoreKey(ctx.store.db().path()));
    int64_t mtimeMs = static_cast<int64_t>(sb.st_mtim.tv_sec) * 1000 + sb.st_mtim.tv_nsec / 1'000'000;
    std::string name = src.filename().string();
    if (name.size() > 255) name = name.substr(name.size() - 255);

    Transaction tx(ctx.store.db());
    checkOwner(ctx, ownerEntity, ownerId);
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    FieldMap f = {{"owner_entity", ownerEntity}, {"owner_id", ownerId},     {"sha256", sha},
                  {"kind", evidenceKindFor(name)}, {"size", static_cast<int64_t>(sb.st_size)},
                  {"captured_at", isoTimestamp(mtimeMs)}, {"file_name", name}, {"mime", evidenceMimeFor(name)}};
    if (!caption.empty()) f["caption"] = caption;
    std::string id = w.insert("evidence", f);
    tx.commit();
    return id;
}

bool setEvidenceCaption(AppContext& ctx, const std::string& evidenceId, const std::string& caption) {
    if (caption.size() > kMaxCaptionBytes) throw ValidationError(tr("evidence.err_caption"));
    Transaction tx(ctx.store.db());
    FieldMap ev = ctx.store.require("evidence", evidenceId);
    if (ev.value("deleted", false)) throw NotFoundError(trf("app.err_deleted", {tr("entity.evidence"), evidenceId}));
    checkOwner(ctx, ev["owner_entity"].get<std::string>(), ev["owner_id"].get<std::string>());
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    FieldMap changed = w.update("evidence", evidenceId, {{"caption", caption}});
    tx.commit();
    return !changed.empty();
}

void removeEvidence(AppContext& ctx, const std::string& evidenceId) {
    Transaction tx(ctx.store.db());
    FieldMap ev = ctx.store.require("evidence", evidenceId);
    if (ev.value("deleted", false)) return;
    checkOwner(ctx, ev["owner_entity"].get<std::string>(), ev["owner_id"].get<std::string>());
    ChangeWriter w(ctx.store, tx, ctx.actor.name);
    w.remove("evidence", evidenceId);
    tx.commit();
}

std::vector<EvidenceRow> listEvidence(Store& store, const std::string& ownerEntity, const std::string& ownerId) {
    auto& s = store.db().cached(
        "SELECT id, owner_entity, owner_id, sha256, kind, caption, captured_at, file_name, mime, created_by, created_at, "
        "size FROM evidence WHERE owner_entity = ? AND owner_id = ? AND deleted = 0 ORDER BY created_at, id");
    s.bind(1, ownerEntity).bind(2, ownerId);
    std::vector<EvidenceRow> out;
    while (s.step()) {
        EvidenceRow r{text(s, 0), text(s, 1), text(s, 2), text(s, 3), text(s, 4),  text(s, 5),
                      text(s, 6), text(s, 7), text(s, 8), text(s, 9), text(s, 10)};
        r.size = s.isNull(11) ? 0 : s.getInt(11);
        out.push_back(std::move(r));
    }
    s.reset();
    return out;
}

}  // namespace jc
