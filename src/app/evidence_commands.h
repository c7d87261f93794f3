#pragma once
// Evidence (证据): photos and files attached to a finding, complaint or rectification.
//
// Files are content-addressed: the bytes are copied to <data-dir>/blobs/<sha256> (written to a
// temporary file, flushed, then renamed, so a crash never leaves a half blob under a real hash),
// and the same content is stored once however often it is attached. The evidence record (owner,
// sha256, kind, size, caption, captured_at, file name, MIME type) goes through the ChangeWriter
// in one transaction, so it syncs and is audited like every other change; blob upload is the
// sync engine's own queue (DESIGN.md §4).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "app/context.h"

namespace jc {

inline constexpr int64_t kMaxEvidenceBytes = 50LL * 1024 * 1024;  // 50 MiB per file
inline constexpr size_t kMaxCaptionBytes = 1000;

struct EvidenceRow {
    std::string id, ownerEntity, ownerId, sha256, kind, caption, capturedAt, fileName, mime, createdBy, createdAt;
    int64_t size = 0;
};

// <data-dir>/blobs of the store this context works on.
std::filesystem::path evidenceBlobDir(AppContext& ctx);
// The stored original of a blob (it may be absent on this device until sync fetches it).
std::filesystem::path evidenceBlobPath(AppContext& ctx, const std::string& sha256);

// "photo" (jpg, png, gif, bmp, webp, heic), "document" (pdf, doc(x), xls(x), txt, odt …),
// "audio", "video" or "file", from the file name's extension.
std::string evidenceKindFor(const std::string& fileName);
std::string evidenceMimeFor(const std::string& fileName);

// Copies `filePath` into the blob store and attaches it to the owner record (finding, complaint,
// rectification or warning). Findings take evidence while they are draft or returned, and an
// inspector only on findings they created or are assigned. Throws ValidationError (missing,
// unreadable, empty or oversized file; unknown owner entity; caption too long), NotFoundError
// (owner) or ForbiddenError. Returns the evidence id.
std::string addEvidence(AppContext& ctx, const std::string& ownerEntity, const std::string& ownerId,
                        const std::string& filePath, const std::string& caption = {});
// Changes the caption; returns true when it changed.
bool setEvidenceCaption(AppContext& ctx, const std::string& evidenceId, const std::string& caption);
// Detaches evidence made by mistake (soft delete; the blob stays, other records may share it).
void removeEvidence(AppContext& ctx, const std::string& evidenceId);

// Live evidence of one record, oldest first.
std::vector<EvidenceRow> listEvidence(Store& store, const std::string& ownerEntity, const std::string& ownerId);

}  // namespace jc
