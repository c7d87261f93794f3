#pragma once
// UTF-8 text converted to GB18030 with iconv: the files other systems export, which the
// importers must read (tests and the import benchmark write them). Throws std::runtime_error when
// iconv cannot convert.
#include <iconv.h>

#include <stdexcept>
#include <string>

namespace jc::test {

inline std::string toGb18030(const std::string& utf8) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv has no GB18030");
    std::string out(utf8.size() * 4, '\0');
    char* in = const_cast<char*>(utf8.data());
    size_t inLeft = utf8.size(), outLeft = out.size();
    char* o = out.data();
    size_t rc = iconv(cd, &in, &inLeft, &o, &outLeft);
    iconv_close(cd);
    if (rc == static_cast<size_t>(-1)) throw std::runtime_error("text not convertible to GB18030");
    out.resize(out.size() - outLeft);
    return out;
}

}  // namespace jc::test
