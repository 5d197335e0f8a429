#include "vmio/panic.hpp"

#include <cstdio>
#include <cstdlib>

namespace vmio {

void panic(std::string_view message, std::source_location where) noexcept {
    std::fprintf(stderr, "vmio panic: %.*s (%s:%u)\n", static_cast<int>(message.size()), message.data(),
                 where.file_name(), static_cast<unsigned>(where.line()));
    std::fflush(stderr);
    std::abort();
}

}  // namespace vmio
