#include "vmio/check/reference_model.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "page_rules.hpp"
#include "vmio/check/model.hpp"
#include "vmio/detail/range.hpp"
#include "vmio/sim/layout.hpp"

namespace vmio::check::model {
namespace {

using sim::PageState;
using sim::PageStatus;
using sim::page_size;

// The state, before an operation, of the page holding `addr`.
PageState state_at(const sim::PageTable& pages, std::uintptr_t addr) {
    const auto found = pages.find(addr & ~(page_size - 1));
    return found == pages.end() ? PageState::Inaccessible : found->second.state;
}

// The prediction of an access that went `walked` of `len` bytes: its count, and PageFault with
// the state of the page that stopped it if it stopped early.
Prediction predicted(const rules::Walk& walked, std::size_t len) {
    Prediction prediction{outcome_of(copy_result(walked.done, len)), std::nullopt};
    if (prediction.outcome.error == Error::PageFault) {
        prediction.stopped_by = walked.stopped_by;
    }
    return prediction;
}

Prediction open(ScenarioState& state, const Operation& op, const UserSpace& user_space) {
    using Kind = Operation::Kind;
    if (op.kind == Kind::OpenKernelReader || op.kind == Kind::OpenKernelWriter) {
        const std::uintptr_t start = state.kernel_buffer + op.offset;
        state.cursor(op.kind == Kind::OpenKernelReader ? CursorId::KernelReader : CursorId::KernelWriter) = {
            start, start + op.length};
        return {};
    }
    // A user cursor only over user space (VmSpace::reader / writer); a refused one stays as it was.
    const std::uintptr_t start = state.area + op.offset;
    if (!vmio::detail::range_within(start, op.length, user_space.begin, user_space.end)) {
        return {failed(Error::AccessDenied), std::nullopt};
    }
    state.cursor(op.kind == Kind::OpenUserReader ? CursorId::UserReader : CursorId::UserWriter) = {
        start, start + op.length};
    return {};
}

Prediction skip(ScenarioState& state, CursorId id, std::size_t length) {
    CursorWindow& cursor = state.cursor(id);
    const std::size_t n = std::min(length, cursor.left());
    cursor.at += n;
    return {{std::nullopt, n, {}}, std::nullopt};
}

// Reader -> writer until either is exhausted or the user side faults; both advance by the count.
Prediction transfer(ScenarioState& state, Transfer transfer) {
    const bool from_user = transfer == Transfer::UserToKernel || transfer == Transfer::UserToFallibleKernel;
    CursorWindow& source = state.cursor(from_user ? CursorId::UserReader : CursorId::KernelReader);
    CursorWindow& target = state.cursor(from_user ? CursorId::KernelWriter : CursorId::UserWriter);
    const std::size_t len = std::min(source.left(), target.left());
    const std::span<std::byte> kernel = state.kernel_at(from_user ? target.at : source.at, len);
    const std::uintptr_t user_at = from_user ? source.at : target.at;
    const std::span<std::byte> user = state.user_at(user_at, len);
    const Prediction prediction =
        predicted(from_user ? rules::copy_from_user(state.pages, user_at, user, kernel)
                            : rules::write_to_user(state.pages, user_at, kernel.data(), std::byte{0}, user),
                  len);
    source.at += prediction.outcome.count;
    target.at += prediction.outcome.count;
    return prediction;
}

// read_val / collect: all `len` bytes and the cursor past them, or an error, nothing read and
// the cursor where it was. read_val of more than is left is InvalidArgs; collect takes what is left.
Prediction read_all(ScenarioState& state, std::size_t len) {
    CursorWindow& cursor = state.cursor(CursorId::UserReader);
    if (cursor.left() < len) {
        return {failed(Error::InvalidArgs), std::nullopt};
    }
    std::vector<std::byte> value(len);
    Prediction prediction = predicted(rules::copy_from_user(state.pages, cursor.at, state.user_at(cursor.at, len), value), len);
    if (prediction.outcome.error) {
        prediction.outcome = failed(*prediction.outcome.error);
        return prediction;
    }
    cursor.at += len;
    prediction.outcome.value = std::move(value);
    return prediction;
}

// write_val: all bytes and the cursor past them, or an error with the cursor rolled back (the
// bytes before a fault stay written).
Prediction write_val(ScenarioState& state, const Operation& op) {
    const std::vector<std::byte> bytes = bytes_of_value(op.type, op.value);
    CursorWindow& cursor = state.cursor(CursorId::UserWriter);
    if (cursor.left() < bytes.size()) {
        return {failed(Error::InvalidArgs), std::nullopt};
    }
    const std::span<std::byte> user = state.user_at(cursor.at, bytes.size());
    Prediction prediction =
        predicted(rules::write_to_user(state.pages, cursor.at, bytes.data(), std::byte{0}, user), bytes.size());
    if (prediction.outcome.error) {
        prediction.outcome = failed(*prediction.outcome.error);
        return prediction;
    }
    cursor.at += bytes.size();
    return prediction;
}

// fill_zeros: up to `length` bytes, clamped to what is left; the cursor advances by the count.
Prediction fill_zeros(ScenarioState& state, std::size_t length) {
    CursorWindow& cursor = state.cursor(CursorId::UserWriter);
    const std::size_t len = std::min(length, cursor.left());
    const std::span<std::byte> user = state.user_at(cursor.at, len);
    const Prediction prediction = predicted(rules::write_to_user(state.pages, cursor.at, nullptr, std::byte{0}, user), len);
    cursor.at += prediction.outcome.count;
    return prediction;
}

// read_cstring: reads chunks one after another -- 64 bytes first, doubling up to 4 KiB, none
// crossing a 4 KiB boundary -- until one holds a NUL (the cursor then moves just past it,
// though the chunk's bytes after the NUL were read too) or faults (PageFault). With no NUL in
// the min(max_len, left) bytes searched, TooLong if max_len bound the search, InvalidArgs if
// the reader's end did. On any error the cursor stays and nothing is returned.
Prediction read_cstring(ScenarioState& state, std::size_t max_len) {
    constexpr std::size_t fault_granule = 4096;
    CursorWindow& cursor = state.cursor(CursorId::UserReader);
    const std::size_t searched = std::min(max_len, cursor.left());
    std::vector<std::byte> text;
    for (std::size_t scanned = 0, chunk_size = 64; scanned < searched;
         chunk_size = std::min(2 * chunk_size, fault_granule)) {
        const std::uintptr_t at = cursor.at + scanned;
        const std::size_t len = std::min({chunk_size, searched - scanned, fault_granule - at % fault_granule});
        std::array<std::byte, fault_granule> chunk;  // NOLINT: only the bytes read are used
        const Prediction read =
            predicted(rules::copy_from_user(state.pages, at, state.user_at(at, len), std::span(chunk).first(len)), len);
        const auto got = std::span(chunk).first(read.outcome.count);
        const auto nul = std::ranges::find(got, std::byte{0});
        text.insert(text.end(), got.begin(), nul);
        if (nul != got.end()) {
            cursor.at = at + static_cast<std::size_t>(nul - got.begin()) + 1;
            return {{std::nullopt, text.size(), std::move(text)}, std::nullopt};
        }
        if (read.outcome.error) {
            return {failed(*read.outcome.error), read.stopped_by};
        }
        scanned += len;
    }
    return {failed(max_len <= cursor.left() ? Error::TooLong : Error::InvalidArgs), std::nullopt};
}

// One access of [at, at + len) through the page rules: whether it got through.
bool accessed(ScenarioState& state, std::uintptr_t at, std::size_t len, Access kind) {
    return rules::access(state.pages, at, len, kind).done == len;
}

// The little-endian value of `bytes` (at most 8).
std::uint64_t value_of(std::span<const std::byte> bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        value |= std::to_integer<std::uint64_t>(bytes[i]) << (8 * i);
    }
    return value;
}

// The atomics: the cursor first skips to the value's alignment (if that much is left), then
// the whole value is accessed (read by a load, written by the others; a fetch-update reads it
// before its compare-exchange writes it); the cursor does not move past it. The value is the one found,
// except after a store, which has none. A compare-exchange expects either the value in memory
// or that value with its lowest bit flipped, and reports whether it exchanged as one more byte
// of its value.
Prediction atomic(ScenarioState& state, const Operation& op) {
    using Kind = Operation::Kind;
    const bool load = op.kind == Kind::AtomicLoad;
    const CursorId id = load ? CursorId::UserReader : CursorId::UserWriter;
    const std::size_t size = size_of(op.type);
    const std::size_t pad = (size - state.cursor(id).at % size) % size;
    if (pad <= state.cursor(id).left()) {
        state.cursor(id).at += pad;
    }
    const CursorWindow cursor = state.cursor(id);
    if (cursor.left() < size) {
        return {failed(Error::InvalidArgs), std::nullopt};
    }
    const PageState before = state_at(state.pages, cursor.at);
    const bool reads = load || op.kind == Kind::AtomicFetchUpdate;
    if ((reads && !accessed(state, cursor.at, size, Access::Read)) ||
        (!load && !accessed(state, cursor.at, size, Access::Write))) {
        return {failed(Error::PageFault), before};
    }
    const std::span<std::byte> memory = state.user_at(cursor.at, size);
    const std::uint64_t found = value_of(memory);
    OperationOutcome outcome{std::nullopt, size, {memory.begin(), memory.end()}};
    std::optional<std::uint64_t> stored;
    switch (op.kind) {
    case Kind::AtomicCompareExchange:
        outcome.value.push_back(std::byte{op.expect_current});
        if (op.expect_current) {
            stored = op.value;
        }
        break;
    case Kind::AtomicStore:
        outcome.value.clear();
        stored = op.value;
        break;
    case Kind::AtomicExchange: stored = op.value; break;
    case Kind::AtomicFetchAdd: stored = found + op.value; break;
    case Kind::AtomicFetchUpdate: stored = atomic_update(found); break;
    default: break;  // a load stores nothing
    }
    if (stored) {
        const std::vector<std::byte> bytes = bytes_of_value(op.type, *stored);
        std::memcpy(memory.data(), bytes.data(), bytes.size());
    }
    return {std::move(outcome), std::nullopt};
}

// A raw engine operation between [area + offset, + length) and the kernel buffer's start; its
// value is the destination's bytes afterwards.
Prediction raw(ScenarioState& state, const Operation& op) {
    const std::uintptr_t addr = state.area + op.offset;
    const std::span<std::byte> user = state.user_at(addr, op.length);
    const std::span<std::byte> kernel = state.kernel_at(state.kernel_buffer, op.length);
    rules::Walk walked;
    switch (op.raw) {
    case RawOp::CopyFromUser: walked = rules::copy_from_user(state.pages, addr, user, kernel); break;
    case RawOp::CopyToUser: walked = rules::write_to_user(state.pages, addr, kernel.data(), std::byte{0}, user); break;
    case RawOp::FillUser:
        walked = rules::write_to_user(state.pages, addr, nullptr, static_cast<std::byte>(op.value), user);
        break;
    }
    Prediction prediction = predicted(walked, op.length);
    const std::span<const std::byte> destination = op.raw == RawOp::CopyFromUser ? kernel : user;
    prediction.outcome.value.assign(destination.begin(), destination.end());
    return prediction;
}

}  // namespace

ScenarioState initial_state(const Scenario& scenario, std::uintptr_t area, std::uintptr_t kernel_buffer) {
    ScenarioState state{.area = area, .kernel_buffer = kernel_buffer, .pages = {}, .user = scenario.user_content(),
                        .kernel = scenario.kernel_content(), .cursors = {}};
    for (std::size_t i = 0; i < scenario.pages.size(); ++i) {  // (the page after them is unmapped)
        if (scenario.pages[i].state != PageState::Inaccessible) {
            state.pages.emplace(area + i * page_size, scenario.pages[i]);
        }
    }
    state.cursors.fill({kernel_buffer, kernel_buffer});
    return state;
}

Prediction step(ScenarioState& state, const Operation& op, const UserSpace& user_space) {
    using Kind = Operation::Kind;
    switch (op.kind) {
    case Kind::OpenUserReader:
    case Kind::OpenUserWriter:
    case Kind::OpenKernelReader:
    case Kind::OpenKernelWriter: return open(state, op, user_space);
    case Kind::Limit: {
        CursorWindow& cursor = state.cursor(op.cursor);
        cursor.end = cursor.at + std::min(op.length, cursor.left());
        return {};
    }
    case Kind::Skip: return skip(state, op.cursor, op.length);
    case Kind::Transfer: return transfer(state, op.transfer);
    case Kind::ReadVal: return read_all(state, size_of(op.type));
    case Kind::WriteVal: return write_val(state, op);
    case Kind::Collect: return read_all(state, state.cursor(CursorId::UserReader).left());
    case Kind::ReadCString: return read_cstring(state, op.length);
    case Kind::FillZeros: return fill_zeros(state, op.length);
    case Kind::AtomicLoad:
    case Kind::AtomicCompareExchange:
    case Kind::AtomicStore:
    case Kind::AtomicExchange:
    case Kind::AtomicFetchAdd:
    case Kind::AtomicFetchUpdate: return atomic(state, op);
    case Kind::Raw: return raw(state, op);
    }
    return {};
}

void reactivated(ScenarioState& state) {
    for (auto& [addr, status] : state.pages) {
        status.resident = false;
    }
}

void rearm(ScenarioState& state) {
    for (auto& [addr, status] : state.pages) {
        if (status.state == PageState::FaultOnTouch) {
            status = sim::fault_on_touch(status.failing_touch - status.touches);
        } else {
            status = sim::page(status.state);
        }
    }
}

}  // namespace vmio::check::model
