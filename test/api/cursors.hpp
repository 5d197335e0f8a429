// Test helpers: cursors over test memory, spelled once.
#pragma once

#include <cstddef>

#include "vmio/reader.hpp"
#include "vmio/safety.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {

inline VmReader<Fallible> user_reader(const void* ptr, std::size_t len) {
    return VmReader<Fallible>::from_user_space(ptr, len, safety::UserSpace{});
}

inline VmWriter<Fallible> user_writer(void* ptr, std::size_t len) {
    return VmWriter<Fallible>::from_user_space(ptr, len, safety::UserSpace{});
}

inline VmReader<Infallible> kernel_reader(const void* ptr, std::size_t len) {
    return VmReader<Infallible>::from_kernel_space(ptr, len, safety::ValidUse{});
}

inline VmWriter<Infallible> kernel_writer(void* ptr, std::size_t len) {
    return VmWriter<Infallible>::from_kernel_space(ptr, len, safety::ValidUse{});
}

}  // namespace vmio::test
