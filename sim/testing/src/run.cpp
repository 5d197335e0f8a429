#include <stdexcept>
#include <string>

#include "vmio/testing/explorer.hpp"

namespace vmio::testing {

RunContext::RunContext(const Subject& subject, const sim::VmSpace& space, FaultPoint point,
                       std::vector<std::uintptr_t> addresses, std::optional<std::int64_t> fault_free_result)
    : subject_(subject),
      space_(space),
      point_(point),
      addresses_(std::move(addresses)),
      fault_free_result_(fault_free_result) {}

std::size_t RunContext::index_of(std::string_view buffer) const {
    for (std::size_t i = 0; i < subject_.buffers.size(); ++i) {
        if (subject_.buffers[i].name == buffer) {
            return i;
        }
    }
    throw std::invalid_argument("vmio explorer: subject '" + subject_.name + "' declares no buffer '" +
                                std::string(buffer) + "'");
}

std::uintptr_t RunContext::address(std::string_view buffer) const { return addresses_[index_of(buffer)]; }

std::size_t RunContext::size(std::string_view buffer) const { return subject_.buffers[index_of(buffer)].size; }

VmReader<Fallible> RunContext::reader(std::string_view buffer) const {
    // The space is active and every buffer lies in the user window: never AccessDenied.
    return space_.reader(address(buffer), size(buffer)).value();
}

VmWriter<Fallible> RunContext::writer(std::string_view buffer) const {
    return space_.writer(address(buffer), size(buffer)).value();
}

std::vector<std::byte> RunContext::bytes(std::string_view buffer) const { return space_.peek(address(buffer), size(buffer)); }

void RunContext::expect(bool holds, std::string_view invariant) {
    if (!holds) {
        broken_.emplace_back(invariant);
    }
}

}  // namespace vmio::testing
