#include "compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstring>

#include "vmio/check/describe.hpp"

namespace vmio::check {
namespace {

// The first byte where two byte strings of the same size differ, if any (memcmp first: std::byte's
// operator== compares one byte at a time).
std::optional<std::size_t> first_difference(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
    if (a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(std::ranges::mismatch(a, b).in1 - a.begin());
}

std::string byte_at(const std::vector<std::byte>& bytes, std::size_t at) {
    return at < bytes.size() ? fmt::format("{:#04x}", std::to_integer<unsigned>(bytes[at])) : "past the end";
}

}  // namespace

bool same_outcome(const OperationOutcome& a, const OperationOutcome& b) noexcept {
    return a.error == b.error && a.count == b.count && a.value.size() == b.value.size() &&
           (a.value.empty() || std::memcmp(a.value.data(), b.value.data(), a.value.size()) == 0);
}

std::optional<Mismatch> compare_outcomes(const OperationOutcome& observed, const OperationOutcome& expected) {
    if (same_outcome(observed, expected)) {
        return std::nullopt;
    }
    return Mismatch{"result", fmt::format("got {}, the model expects {}", describe(observed), describe(expected))};
}

std::optional<Mismatch> compare_states(const ScenarioState& observed, const ScenarioState& expected) {
    for (const CursorId id : all_cursors) {
        const CursorWindow& got = observed.cursor(id);
        const CursorWindow& want = expected.cursor(id);
        if (got != want) {
            return Mismatch{"cursor", fmt::format("{} at {} with {} left, the model expects {} with {} left",
                                                  to_string(id), describe_position(observed, id, got.at), got.left(),
                                                  describe_position(expected, id, want.at), want.left())};
        }
    }
    if (const auto at = first_difference(observed.user, expected.user)) {
        return Mismatch{"user-memory", fmt::format("user area byte {} is {}, the model expects {}", *at,
                                                   byte_at(observed.user, *at), byte_at(expected.user, *at))};
    }
    if (const auto at = first_difference(observed.kernel, expected.kernel)) {
        return Mismatch{"kernel-memory", fmt::format("kernel buffer byte {} is {}, the model expects {}", *at,
                                                     byte_at(observed.kernel, *at), byte_at(expected.kernel, *at))};
    }
    if (observed.pages != expected.pages) {
        return Mismatch{"page-states", fmt::format("pages{}, the model expects{}", describe_pages(observed.pages, observed.area),
                                                   describe_pages(expected.pages, expected.area))};
    }
    return std::nullopt;
}

}  // namespace vmio::check
