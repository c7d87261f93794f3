#include "ui/widgets/thumbnails.h"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <memory>
#include <vector>

#include "app/jobs.h"
#include "app/protection.h"
#include "ui/shell/renderer.h"

namespace jc::ui {

ThumbnailCache::ThumbnailCache(Renderer& renderer, MainThreadQueue& main)
    : m_renderer(renderer), m_main(main), m_thread([this] { run(); }) {}

ThumbnailCache::~ThumbnailCache() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_queue.clear();
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
    for (auto& [path, t] : m_thumbs)
        if (t.texture) m_renderer.destroyTexture(t.texture);
}

const Thumbnail& ThumbnailCache::get(const std::string& path) {
    auto it = m_thumbs.find(path);
    if (it != m_thumbs.end()) return it->second;
    Thumbnail& t = m_thumbs[path];
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(path);
        ++m_inFlight;
    }
    m_cv.notify_one();
    return t;
}

int ThumbnailCache::pending() const {
    std::lock_guard lock(m_mutex);
    return m_inFlight;
}

void ThumbnailCache::run() {
    for (;;) {
        std::string path;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            if (m_stop) return;
            path = std::move(m_queue.front());
            m_queue.pop_front();
        }
        int w = 0, h = 0, n = 0;
        // Evidence files may be encrypted at rest: decrypted in memory only (app/protection.h).
        unsigned char* px = nullptr;
        try {
            std::string bytes = readEvidenceFile(path);
            px = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()), static_cast<int>(bytes.size()), &w,
                                       &h, &n, 4);
        } catch (const std::exception&) {
            px = nullptr;  // unreadable or changed: shown as failed
        }
        auto pixels = std::make_shared<std::vector<unsigned char>>();
        int tw = 0, th = 0;
        if (px && w > 0 && h > 0) {
            float s = std::min(1.0f, static_cast<float>(kMaxSide) / static_cast<float>(std::max(w, h)));
            tw = std::max(1, static_cast<int>(static_cast<float>(w) * s));
            th = std::max(1, static_cast<int>(static_cast<float>(h) * s));
            pixels->resize(static_cast<size_t>(tw) * static_cast<size_t>(th) * 4);
            if (tw == w && th == h)
                std::copy(px, px + pixels->size(), pixels->begin());
            else
                stbir_resize_uint8(px, w, h, 0, pixels->data(), tw, th, 0, 4);
        }
        if (px) stbi_image_free(px);
        m_main.post([this, path, pixels, tw, th]() {
            {
                std::lock_guard lock(m_mutex);
                --m_inFlight;
            }
            Thumbnail& t = m_thumbs[path];
            t.ready = true;
            if (pixels->empty()) {
                t.failed = true;
                return;
            }
            t.texture = m_renderer.createTexture(pixels->data(), tw, th);
            t.width = tw;
            t.height = th;
        });
    }
}

}  // namespace jc::ui
