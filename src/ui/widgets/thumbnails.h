#pragma once
// Photo thumbnails decoded off the frame: a decoder thread reads the blob, decodes it with
// stb_image and scales it to fit 256 px; the pixels come back through the main-thread queue
// and become a texture there (only the UI thread talks to the renderer). Non-images and
// unreadable files are remembered as failed, so they are not decoded again every frame.
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <imgui.h>

namespace jc {
class MainThreadQueue;
}

namespace jc::ui {

class Renderer;

struct Thumbnail {
    ImTextureID texture = nullptr;
    int width = 0, height = 0;  // of the thumbnail
    bool ready = false, failed = false;
};

class ThumbnailCache {
public:
    ThumbnailCache(Renderer& renderer, MainThreadQueue& main);
    ~ThumbnailCache();
    ThumbnailCache(const ThumbnailCache&) = delete;
    ThumbnailCache& operator=(const ThumbnailCache&) = delete;

    // The thumbnail of the image file at `path`; starts decoding it the first time.
    const Thumbnail& get(const std::string& path);
    int pending() const;

    static constexpr int kMaxSide = 256;

private:
    void run();
    Renderer& m_renderer;
    MainThreadQueue& m_main;
    std::map<std::string, Thumbnail> m_thumbs;  // UI thread only
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::string> m_queue;
    int m_inFlight = 0;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace jc::ui
