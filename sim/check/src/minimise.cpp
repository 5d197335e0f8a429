#include "vmio/check/minimise.hpp"

namespace vmio::check {

std::vector<std::uint8_t> minimise(std::vector<std::uint8_t> input, const StillFails& still_fails,
                                   std::size_t max_attempts) {
    std::size_t attempts = 0;
    const auto try_candidate = [&](std::vector<std::uint8_t> candidate) {
        if (attempts >= max_attempts) {
            return false;
        }
        ++attempts;
        if (!still_fails(candidate)) {
            return false;
        }
        input = std::move(candidate);
        return true;
    };
    for (bool progress = true; progress && attempts < max_attempts;) {
        progress = false;
        // Drop chunks, halving their size down to single bytes.
        for (std::size_t chunk = input.size() / 2; chunk >= 1; chunk /= 2) {
            for (std::size_t at = 0; at + chunk <= input.size();) {
                std::vector<std::uint8_t> candidate = input;
                candidate.erase(candidate.begin() + static_cast<std::ptrdiff_t>(at),
                                candidate.begin() + static_cast<std::ptrdiff_t>(at + chunk));
                if (try_candidate(std::move(candidate))) {
                    progress = true;
                } else {
                    at += chunk;
                }
            }
        }
        // Make each byte as small as it can be: zero, then halved, then one less.
        for (std::size_t at = 0; at < input.size(); ++at) {
            using Lower = std::uint8_t (*)(std::uint8_t);
            for (const Lower lower : {Lower{[](std::uint8_t) { return std::uint8_t{0}; }},
                                      Lower{[](std::uint8_t b) { return static_cast<std::uint8_t>(b / 2); }},
                                      Lower{[](std::uint8_t b) { return static_cast<std::uint8_t>(b - 1); }}}) {
                if (input[at] == 0) {
                    break;
                }
                std::vector<std::uint8_t> candidate = input;
                candidate[at] = lower(input[at]);
                progress |= try_candidate(std::move(candidate));
            }
        }
    }
    return input;
}

}  // namespace vmio::check
