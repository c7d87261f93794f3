#pragma once
// The views' string lookup: the shared tables of core/i18n.h (the command line reads the same
// ones), plus trId() for ImGui labels whose ID must not change with the language.
// Call from the UI thread only.
#include "core/i18n.h"

namespace jc::ui {

using jc::I18n;
using jc::i18n;
using jc::Language;
using jc::parseLanguage;

inline const char* tr(std::string_view key) { return i18n().tr(key); }
inline const char* trId(std::string_view key) { return i18n().trId(key); }
inline std::string trf(std::string_view key, std::initializer_list<std::string_view> args) {
    return i18n().format(key, args);
}
inline const char* codeLabel(const CodeLabel& c) { return i18n().label(c); }
using jc::codeLabel;

}  // namespace jc::ui
