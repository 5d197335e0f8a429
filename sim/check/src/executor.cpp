#include "executor.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "vmio/sim/vm_space.hpp"

namespace vmio::check {
namespace {

struct Struct13 {
    std::array<std::uint8_t, 13> bytes;
};

std::vector<std::byte> as_bytes(const void* data, std::size_t len) {
    const auto* begin = static_cast<const std::byte*>(data);
    return {begin, begin + len};
}

template <typename T>
OperationOutcome from_value(const Result<T>& result) {
    if (!result) {
        return failed(result.error());
    }
    return {std::nullopt, sizeof(T), as_bytes(&*result, sizeof(T))};
}

// Calls f(T{}) with the C++ type of a value type.
template <typename F>
decltype(auto) with_type(ValueType type, F f) {
    switch (type) {
    case ValueType::U8: return f(std::uint8_t{});
    case ValueType::U16: return f(std::uint16_t{});
    case ValueType::U32: return f(std::uint32_t{});
    case ValueType::U64: return f(std::uint64_t{});
    case ValueType::Struct13: break;
    }
    return f(Struct13{});
}

}  // namespace

Executor::Executor(sim::VmSpace& space, const Scenario& scenario)
    : space_(space),
      pages_(scenario.pages.size()),
      area_(space.layout().user_end - scenario.area_size()),
      kernel_(scenario.kernel_size),
      user_reader_(VmReader<Infallible>::from_kernel_space(kernel_.data(), 0).to_fallible()),
      user_writer_(VmWriter<Infallible>::from_kernel_space(kernel_.data(), 0).to_fallible()),
      kernel_reader_(VmReader<Infallible>::from_kernel_space(kernel_.data(), 0)),
      kernel_writer_(VmWriter<Infallible>::from_kernel_space(kernel_.data(), 0)) {
    before_.resize(pages_ + 1);
    now_.resize(pages_ + 1);
}

std::uintptr_t Executor::kernel_buffer() const noexcept { return reinterpret_cast<std::uintptr_t>(kernel_.data()); }

template <typename F>
void Executor::on_cursor(CursorId id, F f) {
    switch (id) {
    case CursorId::UserReader: f(user_reader_); break;
    case CursorId::UserWriter: f(user_writer_); break;
    case CursorId::KernelReader: f(kernel_reader_); break;
    case CursorId::KernelWriter: f(kernel_writer_); break;
    }
}

CursorWindow Executor::window(CursorId id) const {
    const auto of = [](const auto& cursor, std::size_t left) {
        const auto at = reinterpret_cast<std::uintptr_t>(cursor.cursor());
        return CursorWindow{at, at + left};
    };
    switch (id) {
    case CursorId::UserReader: return of(user_reader_, user_reader_.remain());
    case CursorId::UserWriter: return of(user_writer_, user_writer_.avail());
    case CursorId::KernelReader: return of(kernel_reader_, kernel_reader_.remain());
    case CursorId::KernelWriter: return of(kernel_writer_, kernel_writer_.avail());
    }
    return {};
}

OperationOutcome Executor::open(const Operation& op) {
    using Kind = Operation::Kind;
    const auto opened = [](auto made, auto& cursor) {
        if (!made) {
            return failed(made.error());
        }
        cursor = std::move(*made);
        return OperationOutcome{};
    };
    switch (op.kind) {
    case Kind::OpenUserReader: return opened(space_.reader(area_ + op.offset, op.length), user_reader_);
    case Kind::OpenUserWriter: return opened(space_.writer(area_ + op.offset, op.length), user_writer_);
    case Kind::OpenKernelReader:
        kernel_reader_ = VmReader<Infallible>::from_kernel_space(kernel_.data() + op.offset, op.length);
        break;
    default: kernel_writer_ = VmWriter<Infallible>::from_kernel_space(kernel_.data() + op.offset, op.length); break;
    }
    return {};
}

OperationOutcome Executor::transfer(Transfer transfer) {
    switch (transfer) {
    case Transfer::UserToKernel: return outcome_of(user_reader_.read_fallible(kernel_writer_));
    case Transfer::KernelToUser: return outcome_of(user_writer_.write_fallible(kernel_reader_));
    case Transfer::UserToFallibleKernel: {
        VmWriter<Fallible> writer =
            VmWriter<Infallible>::from_kernel_space(kernel_writer_.cursor(), kernel_writer_.avail()).to_fallible();
        const std::byte* const start = writer.cursor();
        const CopyResult result = user_reader_.read_fallible(writer);
        kernel_writer_.skip(static_cast<std::size_t>(writer.cursor() - start));  // as far as vmio moved it
        return outcome_of(result);
    }
    case Transfer::FallibleKernelToUser: {
        VmReader<Fallible> reader = kernel_reader_.to_fallible();
        const std::byte* const start = reader.cursor();
        const CopyResult result = user_writer_.write_fallible(reader);
        kernel_reader_.skip(static_cast<std::size_t>(reader.cursor() - start));  // as far as vmio moved it
        return outcome_of(result);
    }
    }
    return {};
}

OperationOutcome Executor::read_val(ValueType type) {
    return with_type(type, [&]<typename T>(T) { return from_value(user_reader_.read_val<T>()); });
}

OperationOutcome Executor::write_val(ValueType type, std::uint64_t value) {
    const std::vector<std::byte> bytes = bytes_of_value(type, value);
    return with_type(type, [&]<typename T>(T) {
        T typed;
        std::memcpy(&typed, bytes.data(), sizeof(T));
        const Result<void> written = user_writer_.write_val(typed);
        return written ? OperationOutcome{std::nullopt, sizeof(T), {}} : failed(written.error());
    });
}

OperationOutcome Executor::collect() {
    const Result<std::vector<std::uint8_t>> collected = user_reader_.collect();
    if (!collected) {
        return failed(collected.error());
    }
    return {std::nullopt, collected->size(), as_bytes(collected->data(), collected->size())};
}

OperationOutcome Executor::read_cstring(std::size_t max_len) {
    const Result<std::string> text = user_reader_.read_cstring(max_len);
    if (!text) {
        return failed(text.error());
    }
    return {std::nullopt, text->size(), as_bytes(text->data(), text->size())};
}

// Skips to the value's alignment if that much is left. The value is the one found, except after
// a store, which has none.
template <typename T>
OperationOutcome Executor::atomic(const Operation& op) {
    using Kind = Operation::Kind;
    const bool load = op.kind == Kind::AtomicLoad;
    const CursorId id = load ? CursorId::UserReader : CursorId::UserWriter;
    const std::size_t pad = (sizeof(T) - window(id).at % sizeof(T)) % sizeof(T);
    if (pad <= window(id).left()) {
        on_cursor(id, [&](auto& cursor) { cursor.skip(pad); });
    }
    const auto value = static_cast<T>(op.value);
    switch (op.kind) {
    case Kind::AtomicLoad: return from_value(user_reader_.atomic_load<T>());
    case Kind::AtomicCompareExchange: return compare_exchange<T>(op.expect_current, value);
    case Kind::AtomicStore: {
        const Result<void> stored = user_writer_.atomic_store<T>(value);
        return stored ? OperationOutcome{std::nullopt, sizeof(T), {}} : failed(stored.error());
    }
    case Kind::AtomicExchange: return from_value(user_writer_.atomic_exchange<T>(value));
    case Kind::AtomicFetchAdd: return from_value(user_writer_.atomic_fetch_add<T>(value));
    case Kind::AtomicFetchUpdate: return from_value(user_writer_.atomic_fetch_update<T>(atomic_update<T>));
    default: return {};  // not an atomic
    }
}

// Expects the value in memory or that value with its lowest bit flipped, and reports whether it
// exchanged as one more byte of its value.
template <typename T>
OperationOutcome Executor::compare_exchange(bool expect_current, T desired) {
    T current{};
    if (const CursorWindow at = window(CursorId::UserWriter); at.left() >= sizeof(T)) {
        space_.peek(at.at, std::span(reinterpret_cast<std::byte*>(&current), sizeof(T)));
    }
    const T expected = expect_current ? current : static_cast<T>(current ^ 1);
    const auto exchanged = user_writer_.atomic_compare_exchange<T>(expected, desired);
    if (!exchanged) {
        return failed(exchanged.error());
    }
    OperationOutcome outcome{std::nullopt, sizeof(T), as_bytes(&exchanged->previous, sizeof(T))};
    outcome.value.push_back(std::byte{exchanged->exchanged});
    return outcome;
}

OperationOutcome Executor::run(const Operation& op) {
    using Kind = Operation::Kind;
    switch (op.kind) {
    case Kind::OpenUserReader:
    case Kind::OpenUserWriter:
    case Kind::OpenKernelReader:
    case Kind::OpenKernelWriter: return open(op);
    case Kind::Limit: on_cursor(op.cursor, [&](auto& cursor) { cursor.limit(op.length); }); return {};
    case Kind::Skip: {
        const std::size_t n = std::min(op.length, window(op.cursor).left());
        on_cursor(op.cursor, [&](auto& cursor) { cursor.skip(n); });
        return {std::nullopt, n, {}};
    }
    case Kind::Transfer: return transfer(op.transfer);
    case Kind::ReadVal: return read_val(op.type);
    case Kind::WriteVal: return write_val(op.type, op.value);
    case Kind::Collect: return collect();
    case Kind::ReadCString: return read_cstring(op.length);
    case Kind::FillZeros: return outcome_of(user_writer_.fill_zeros(op.length));
    case Kind::AtomicLoad:
    case Kind::AtomicCompareExchange:
    case Kind::AtomicStore:
    case Kind::AtomicExchange:
    case Kind::AtomicFetchAdd:
    case Kind::AtomicFetchUpdate: return op.type == ValueType::U32 ? atomic<std::uint32_t>(op) : atomic<std::uint64_t>(op);
    case Kind::Raw: break;
    }
    return {};
}

OperationOutcome Executor::run_raw(const Operation& op, sim::Engine engine) {
    std::byte* const user = space_.user_range(area_ + op.offset, op.length).value().data();
    std::size_t done = 0;
    switch (op.raw) {
    case RawOp::CopyFromUser: done = sim::copy_bytes(engine, kernel_.data(), user, op.length); break;
    case RawOp::CopyToUser: done = sim::copy_bytes(engine, user, kernel_.data(), op.length); break;
    case RawOp::FillUser: done = sim::fill_bytes(engine, user, static_cast<std::uint8_t>(op.value), op.length); break;
    }
    OperationOutcome outcome{done < op.length ? std::optional(Error::PageFault) : std::nullopt, done, {}};
    outcome.value = op.raw == RawOp::CopyFromUser ? as_bytes(kernel_.data(), op.length)
                                                  : space_.peek(area_ + op.offset, op.length);
    return outcome;
}

ScenarioState Executor::observe() const {
    ScenarioState state{.area = area_, .kernel_buffer = kernel_buffer(), .pages = space_.page_table(),
                        .user = space_.peek(area_, (pages_ + 1) * sim::page_size), .kernel = kernel_, .cursors = {}};
    for (const CursorId id : all_cursors) {
        state.cursor(id) = window(id);
    }
    return state;
}

// Pages the state has as Inaccessible are left alone: they are Inaccessible here too, and a page
// whose last touch failed keeps the frame that peek shows. A demand-zero page's bytes are zero
// in the state, so writing them into its fresh frame changes nothing.
void Executor::restore(const ScenarioState& state) {
    for (const auto& [addr, status] : state.pages) {
        space_.set_pages(addr, 1, status);
    }
    space_.poke(area_, state.user);
    std::memcpy(kernel_.data(), state.kernel.data(), kernel_.size());
}

void Executor::restore(const ScenarioState& state, PageSet pages, bool kernel) {
    for (const auto& [addr, status] : state.pages) {
        if (space_.status(addr) != status) {
            space_.set_pages(addr, 1, status);
        }
    }
    for (std::size_t i = 0; i <= pages_; ++i) {
        if ((pages & bit(i)) != 0) {
            space_.poke(page(i), std::span(state.user).subspan(i * sim::page_size, sim::page_size));
        }
    }
    if (kernel) {
        std::memcpy(kernel_.data(), state.kernel.data(), kernel_.size());
    }
}

void Executor::before_operation() { space_.read_pages(area_, before_); }

Executor::PageSet Executor::touched() const {
    space_.read_pages(area_, now_);
    PageSet touched = 0;
    for (std::size_t i = 0; i <= pages_; ++i) {
        const sim::PageStatus& was = before_[i].status;
        const bool writable =
            was.state == sim::PageState::ReadWrite || (was.state == sim::PageState::FaultOnTouch && was.resident);
        if (writable || now_[i].faults != before_[i].faults) {
            touched |= bit(i);
        }
    }
    return touched;
}

bool Executor::matches(const ScenarioState& state, PageSet pages) const {
    for (const CursorId id : all_cursors) {
        if (window(id) != state.cursor(id)) {
            return false;
        }
    }
    if (state.user.size() != (pages_ + 1) * sim::page_size) {
        return false;
    }
    space_.read_pages(area_, now_);
    auto listed = state.pages.begin();  // in address order: the area's pages in turn, and no other
    for (std::size_t i = 0; i <= pages_; ++i) {
        const sim::PageStatus& status = now_[i].status;
        if (listed != state.pages.end() && listed->first == page(i)) {
            if (status != listed->second) {
                return false;
            }
            ++listed;
        } else if (status.state != sim::PageState::Inaccessible) {
            return false;  // (an Inaccessible page may keep the touch counts of its last touch)
        }
        if ((pages & bit(i)) != 0 &&
            !space_.holds(page(i), std::span(state.user).subspan(i * sim::page_size, sim::page_size))) {
            return false;
        }
    }
    if (listed != state.pages.end()) {
        return false;
    }
    return state.kernel.size() == kernel_.size() && std::memcmp(state.kernel.data(), kernel_.data(), kernel_.size()) == 0;
}

bool Executor::matches_everywhere(const ScenarioState& state) const {
    if (!matches(state, all_pages)) {
        return false;
    }
    const sim::Layout& layout = space_.layout();
    for (std::uintptr_t addr = layout.user_begin; addr < area_; addr += sim::page_size) {
        if (space_.status(addr).state != sim::PageState::Inaccessible) {
            return false;
        }
    }
    return true;
}

}  // namespace vmio::check
