#pragma once
// Evidence files at rest. In a protected store every blob file is encrypted on its own:
//   header: "JCBLOB01", suite byte, 7 zero bytes, a random file key sealed with the store's
//           data key (associated data: the store identity), 32 bytes + trailer;
//   then the content in 64 KiB chunks, each sealed with the file key and a fresh nonce
//   (associated data: chunk index and a last-chunk flag, so reordering or cutting is detected).
// The file keeps its name, the SHA-256 of the plaintext, so sync and de-duplication work as
// before. Unprotected stores keep plain files; both readers and writers take a null key for that.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "base/file_io.h"
#include "store/crypto/keyring.h"

namespace jc::crypto {

constexpr size_t kBlobChunk = 64 * 1024;

bool isEncryptedBlob(const std::filesystem::path& p);  // starts with the header magic

// Writes a blob file chunk by chunk (never holding more than one chunk of plaintext).
class BlobWriter {
public:
    // Creates `p` (truncating it); key == nullptr writes plaintext.
    BlobWriter(const std::filesystem::path& p, std::shared_ptr<const StoreKey> key);
    // Continues a file an earlier writer did not finish: keeps its complete chunks, hands their
    // plaintext to `kept` (to re-hash it) and returns how many plaintext bytes were kept.
    static std::unique_ptr<BlobWriter> resume(const std::filesystem::path& p, std::shared_ptr<const StoreKey> key,
                                              const std::function<void(const uint8_t*, size_t)>& kept, int64_t& keptBytes);
    ~BlobWriter();
    void write(const void* data, size_t n);  // throws StorageError
    void restart();                           // drops everything written so far
    void finish();                            // last chunk, fdatasync; throws StorageError
    int64_t written() const { return m_total; }

private:
    BlobWriter() = default;
    void writeHeader();
    void flushChunk(bool last);
    std::filesystem::path m_path;
    std::shared_ptr<const StoreKey> m_key;
    std::unique_ptr<Cipher> m_fileCipher;
    FileHandle m_fd;
    std::string m_buf;
    int64_t m_chunkIndex = 0, m_total = 0, m_headerBytes = 0;
};

// Reads a blob file's plaintext (encrypted or plain, told by its header) at any offset.
class BlobReader {
public:
    // Throws StorageError when the file cannot be read, is encrypted and the store is locked
    // (key == nullptr), or its header is damaged.
    BlobReader(const std::filesystem::path& p, std::shared_ptr<const StoreKey> key);
    int64_t size() const { return m_size; }  // of the plaintext
    // Reads exactly n bytes at off; throws StorageError naming the file when a chunk was changed.
    void readAt(void* out, size_t n, int64_t off);
    std::string readAll();

private:
    void loadChunk(int64_t index);
    std::filesystem::path m_path;
    FileHandle m_fd;
    bool m_encrypted = false;
    std::unique_ptr<Cipher> m_fileCipher;
    int64_t m_size = 0, m_headerBytes = 0, m_chunks = 0, m_loaded = -1;
    size_t m_trailer = 0;
    std::string m_chunk;
};

// Encrypts the plain blob file `p` in place (temporary file, fsync, rename); no-op when it is
// encrypted already. Used by `jiancha protect`.
void encryptBlobInPlace(const std::filesystem::path& p, std::shared_ptr<const StoreKey> key);

}  // namespace jc::crypto
