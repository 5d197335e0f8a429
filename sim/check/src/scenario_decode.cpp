#include <algorithm>
#include <cstring>

#include "vmio/check/byte_source.hpp"
#include "vmio/sim/layout.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/split_mix.hpp"

namespace vmio::check {

using namespace vmio::sim;  // the simulator this component checks
namespace {

constexpr std::size_t max_pages = 4;
constexpr std::size_t max_kernel_size = 2 * page_size;

PageStatus decode_page(ByteSource& in) {
    const PageState state = in.pick(all_page_states);
    if (state == PageState::FaultOnTouch) {
        return fault_on_touch(static_cast<std::uint32_t>(in.in_range(1, 3)));
    }
    return page(state);
}

// An offset in [0, area + 64): mostly within a few bytes of a page edge.
std::size_t decode_position(ByteSource& in, std::size_t area) {
    if (in.below(4) == 0) {
        return in.below(area + 64);
    }
    const std::size_t edge = in.below(area / page_size + 1) * page_size;
    const auto delta = static_cast<std::ptrdiff_t>(in.below(49)) - 24;
    return static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, static_cast<std::ptrdiff_t>(edge) + delta));
}

std::size_t decode_length(ByteSource& in, std::size_t area) {
    switch (in.below(4)) {
    case 0: return in.below(17);
    case 1: return in.below(301);
    case 2: return in.below(area + 1);
    default: {
        constexpr std::size_t sizes[] = {1, 2, 4, 8, 13, 16, 64, page_size};
        return sizes[in.below(std::size(sizes))];
    }
    }
}

Operation open(Operation::Kind kind, ByteSource& in, const Scenario& s) {
    Operation op{.kind = kind};
    if (kind == Operation::Kind::OpenUserReader || kind == Operation::Kind::OpenUserWriter) {
        op.offset = decode_position(in, s.area_size());
        op.length = decode_length(in, s.area_size());
    } else {
        op.offset = in.below(s.kernel_size + 1);
        op.length = std::min(decode_length(in, s.kernel_size), s.kernel_size - op.offset);
    }
    return op;
}

Operation decode_operation(ByteSource& in, const Scenario& s) {
    using Kind = Operation::Kind;
    const Kind kind = in.pick(all_operation_kinds);
    Operation op{.kind = kind};
    switch (kind) {
    case Kind::OpenUserReader:
    case Kind::OpenUserWriter:
    case Kind::OpenKernelReader:
    case Kind::OpenKernelWriter: return open(kind, in, s);
    case Kind::Limit:
    case Kind::Skip:
        op.cursor = in.pick(all_cursors);
        op.length = decode_length(in, s.area_size());
        break;
    case Kind::Transfer: op.transfer = in.pick(all_transfers); break;
    case Kind::ReadVal:
    case Kind::WriteVal:
        op.type = in.pick(all_value_types);
        op.value = in.word();
        break;
    case Kind::Collect: break;
    case Kind::ReadCString:
    case Kind::FillZeros: op.length = decode_length(in, s.area_size()); break;
    case Kind::AtomicLoad:
    case Kind::AtomicCompareExchange:
    case Kind::AtomicStore:
    case Kind::AtomicExchange:
    case Kind::AtomicFetchAdd:
    case Kind::AtomicFetchUpdate:
        op.type = in.pick(atomic_value_types);
        op.expect_current = in.below(2) == 0;
        op.value = in.word();
        break;
    case Kind::Raw:
        op.raw = in.pick(all_raw_ops);
        op.offset = std::min(decode_position(in, s.area_size()), s.area_size());
        op.length = std::min({decode_length(in, s.area_size()), s.area_size() - op.offset, s.kernel_size});
        op.value = in.byte();
        break;
    }
    return op;
}

}  // namespace

Scenario decode_scenario(std::span<const std::uint8_t> bytes, std::size_t max_operations) {
    ByteSource in(bytes);
    Scenario s;
    s.pages.resize(in.in_range(1, max_pages));
    for (PageStatus& status : s.pages) {
        status = decode_page(in);
    }
    s.content_seed = static_cast<std::uint32_t>(in.word(4));
    s.kernel_size = in.in_range(1, max_kernel_size);
    using Kind = Operation::Kind;
    for (const Kind kind : {Kind::OpenUserReader, Kind::OpenUserWriter, Kind::OpenKernelReader, Kind::OpenKernelWriter}) {
        s.operations.push_back(open(kind, in, s));
    }
    while (!in.empty() && s.operations.size() < max_operations) {
        s.operations.push_back(decode_operation(in, s));
    }
    return s;
}

std::vector<std::uint8_t> generate_bytes(std::uint64_t seed) {
    SplitMix64 random(seed);
    std::vector<std::uint8_t> bytes(64 + random() % 448);
    for (std::size_t i = 0; i < bytes.size(); i += sizeof(std::uint64_t)) {
        const std::uint64_t word = random();
        std::memcpy(bytes.data() + i, &word, std::min(sizeof word, bytes.size() - i));
    }
    return bytes;
}

}  // namespace vmio::check
