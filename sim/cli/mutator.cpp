#include "mutator.hpp"

#include <algorithm>

namespace vmio::cli {

void mutate(Bytes& input, const std::vector<Bytes>& pool, std::mt19937_64& random) {
    const auto at = [&] { return input.empty() ? 0 : random() % input.size(); };
    switch (random() % 6) {
    case 0:
        if (!input.empty()) {
            input[at()] ^= static_cast<std::uint8_t>(1U << (random() % 8));
        }
        break;
    case 1:
        if (!input.empty()) {
            input[at()] = static_cast<std::uint8_t>(random());
        }
        break;
    case 2: input.insert(input.begin() + static_cast<std::ptrdiff_t>(at()), static_cast<std::uint8_t>(random())); break;
    case 3:
        if (!input.empty()) {
            const std::size_t from = at();
            input.erase(input.begin() + static_cast<std::ptrdiff_t>(from),
                        input.begin() + static_cast<std::ptrdiff_t>(std::min(input.size(), from + 1 + random() % 8)));
        }
        break;
    case 4: {  // splice the tail of another input
        const Bytes& other = pool[random() % pool.size()];
        if (!other.empty()) {
            input.resize(at());
            input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(random() % other.size()), other.end());
        }
        break;
    }
    default:
        if (!input.empty()) {  // small arithmetic, as on lengths and offsets
            input[at()] += static_cast<std::uint8_t>(random() % 9) - 4;
        }
        break;
    }
    if (input.size() > max_fuzz_input) {
        input.resize(max_fuzz_input);
    }
}

}  // namespace vmio::cli
