#include "vmio/check/scenario_check.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/core.h>

#include "vmio/reader.hpp"
#include "vmio/sim/machine.hpp"
#include "vmio/check/model.hpp"
#include "vmio/sim/recovery_engine.hpp"
#include "vmio/sim/vm_space.hpp"
#include "vmio/writer.hpp"

namespace vmio::check {

using namespace vmio::sim;  // the simulator this component checks
namespace {

struct Struct13 {
    std::array<std::uint8_t, 13> bytes;
};

// Where a cursor is: [cursor, end) as addresses.
struct Span {
    std::uintptr_t cursor = 0;
    std::uintptr_t end = 0;
    [[nodiscard]] std::size_t left() const noexcept { return end - cursor; }
    friend bool operator==(const Span&, const Span&) = default;
};

// What the model says the world looks like: page states, the user area's bytes as peek shows
// them, the kernel buffer, and the four cursors (indexed by CursorId).
struct Shadow {
    PageTable pages;
    std::vector<std::byte> user;
    std::vector<std::byte> kernel;
    std::array<Span, 4> cursors{};
};

std::vector<std::byte> content(std::size_t len, std::uint64_t seed) {
    std::vector<std::byte> bytes(len + 8);
    std::uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (std::size_t i = 0; i < len; i += 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        const std::uint64_t word = x | 0x0101010101010101ULL;  // no zero byte: zero fills and demand-zero pages show
        std::memcpy(bytes.data() + i, &word, 8);
    }
    bytes.resize(len);
    return bytes;
}

// Byte strings compared with memcmp (std::byte's operator== compares one byte at a time).
bool same(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::byte> value_bytes(ValueType type, std::uint64_t value) {
    std::vector<std::byte> bytes(size_of(type));
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<std::byte>(value >> (8 * (i % 8)));
    }
    return bytes;
}

std::vector<std::byte> as_bytes(const void* data, std::size_t len) {
    const auto* begin = static_cast<const std::byte*>(data);
    return {begin, begin + len};
}

OperationOutcome from(const CopyResult& result) {
    if (result) {
        return {std::nullopt, *result, {}};
    }
    return {result.error().error, result.error().copied, {}};
}

OperationOutcome failed(Error error) { return {error, 0, {}}; }

// Like a CopyResult for an operation that reports no count on failure (read_val, collect...).
template <typename T>
OperationOutcome from_value(const Result<T>& result, std::size_t size) {
    if (!result) {
        return failed(result.error());
    }
    return {std::nullopt, size, as_bytes(&*result, size)};
}

std::string hex(const std::vector<std::byte>& bytes, std::size_t max = 24) {
    std::string text;
    for (std::size_t i = 0; i < std::min(bytes.size(), max); ++i) {
        text += fmt::format("{:02x}", std::to_integer<unsigned>(bytes[i]));
    }
    return bytes.size() > max ? text + "..." : text;
}

// The first index where two byte strings differ.
std::size_t first_difference(const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
    return static_cast<std::size_t>(std::ranges::mismatch(a, b).in1 - a.begin());
}

std::string describe(const PageTable& pages, std::uintptr_t base) {
    std::string text;
    for (const auto& [addr, status] : pages) {
        text += fmt::format(" {}:{}", (addr - base) / page_size, to_string(status.state));
        if (status.state == PageState::FaultOnTouch) {
            text += fmt::format("(k={},touches={},resident={})", status.failing_touch, status.touches, status.resident);
        }
    }
    return text;
}

}  // namespace

std::string describe(const OperationOutcome& outcome) {
    std::string text = outcome.error ? fmt::format("{} after {} bytes", to_string(*outcome.error), outcome.count)
                                     : fmt::format("ok, {} bytes", outcome.count);
    if (!outcome.value.empty()) {
        text += fmt::format(", value {}", hex(outcome.value));
    }
    return text;
}

struct ScenarioChecker::State {
    Machine& machine;
    VmSpace& space;
    const Scenario& scenario;
    CheckHooks hooks;
    std::uintptr_t base;  // the user area's first byte
    std::vector<std::byte> kernel;
    std::optional<VmReader<Fallible>> user_reader;
    std::optional<VmWriter<Fallible>> user_writer;
    std::optional<VmReader<Infallible>> kernel_reader;
    std::optional<VmWriter<Infallible>> kernel_writer;
    Shadow shadow;
    std::size_t next = 0;
    CheckReport report;

    State(Machine& m, VmSpace& s, const Scenario& sc, CheckHooks h)
        : machine(m), space(s), scenario(sc), hooks(std::move(h)),
          base(m.layout().user_end - sc.area_size()), kernel(content(sc.kernel_size, sc.content_seed + 1)) {
        for (std::size_t i = 0; i < sc.pages.size(); ++i) {
            space.set_pages(base + i * page_size, 1, sc.pages[i]);
        }
        space.poke(base, content(sc.area_size(), sc.content_seed));
        for (std::size_t i = 0; i < sc.pages.size(); ++i) {  // a fresh demand-zero frame holds zeros
            if (sc.pages[i].state == PageState::DemandZero) {
                space.set_pages(base + i * page_size, 1, sc.pages[i]);
            }
        }
        shadow.pages = space.page_table();
        shadow.user = space.peek(base, sc.area_size());
        shadow.kernel = kernel;
        const auto k = reinterpret_cast<std::uintptr_t>(kernel.data());
        for (Span& span : shadow.cursors) {
            span = {k, k};
        }
        user_reader = VmReader<Infallible>::from_kernel_space(kernel.data(), 0).to_fallible();
        user_writer = VmWriter<Infallible>::from_kernel_space(kernel.data(), 0).to_fallible();
        kernel_reader = VmReader<Infallible>::from_kernel_space(kernel.data(), 0);
        kernel_writer = VmWriter<Infallible>::from_kernel_space(kernel.data(), 0);
    }

    // --- the shadow's views -------------------------------------------------------------
    std::span<std::byte> user_at(std::uintptr_t addr, std::size_t len) { return {shadow.user.data() + (addr - base), len}; }
    std::span<std::byte> kernel_at(std::uintptr_t addr, std::size_t len) {
        return {shadow.kernel.data() + (addr - reinterpret_cast<std::uintptr_t>(kernel.data())), len};
    }
    Span& shadow_of(CursorId id) { return shadow.cursors[static_cast<std::size_t>(id)]; }

    Span actual(CursorId id) const {
        const auto span = [](auto& cursor, std::size_t left) {
            const auto at = reinterpret_cast<std::uintptr_t>(cursor.cursor());
            return Span{at, at + left};
        };
        switch (id) {
        case CursorId::UserReader: return span(*user_reader, user_reader->remain());
        case CursorId::UserWriter: return span(*user_writer, user_writer->avail());
        case CursorId::KernelReader: return span(*kernel_reader, kernel_reader->remain());
        case CursorId::KernelWriter: return span(*kernel_writer, kernel_writer->avail());
        }
        return {};
    }

    void note_fault(const OperationOutcome& expected, std::uintptr_t start, const PageTable& before) {
        if (expected.error != Error::PageFault) {
            return;
        }
        const std::uintptr_t page = (start + expected.count) & ~(page_size - 1);
        const auto found = before.find(page);
        const PageState state = found == before.end() ? PageState::Inaccessible : found->second.state;
        ++report.faults_by_state[static_cast<std::size_t>(state)];
        ++report.faults;
    }

    // Applies a model outcome of an access at `start`: page states and the destination bytes.
    OperationOutcome apply(model::Expected expected, std::span<std::byte> destination, std::uintptr_t start) {
        std::ranges::copy(expected.destination, destination.begin());
        const PageTable before = std::exchange(shadow.pages, std::move(expected.pages));
        OperationOutcome outcome = from(expected.result);
        note_fault(outcome, start, before);
        return outcome;
    }

    // --- operations: each runs on the real cursors and updates the shadow ------------------
    // The pair returned is (actual, expected).
    using Pair = std::pair<OperationOutcome, OperationOutcome>;

    template <typename Cursor, typename Make>
    Pair open(std::optional<Cursor>& cursor, CursorId id, Make make, std::uintptr_t start, std::size_t len,
              bool user) {
        Result<Cursor> made = make();
        const Layout& layout = machine.layout();
        const bool allowed =
            !user || (start >= layout.user_base && start <= layout.user_end && len <= layout.user_end - start);
        OperationOutcome actual = made ? OperationOutcome{} : failed(made.error());
        if (made) {
            cursor.emplace(std::move(*made));
        }
        if (!allowed) {
            return {actual, failed(Error::AccessDenied)};
        }
        shadow_of(id) = {start, start + len};
        return {actual, {}};
    }

    Pair run_open(const Operation& op) {
        using Kind = Operation::Kind;
        const std::uintptr_t user_start = base + op.offset;
        std::byte* const kernel_start = kernel.data() + op.offset;
        switch (op.kind) {
        case Kind::OpenUserReader:
            return open(user_reader, CursorId::UserReader, [&] { return space.reader(user_start, op.length); },
                        user_start, op.length, true);
        case Kind::OpenUserWriter:
            return open(user_writer, CursorId::UserWriter, [&] { return space.writer(user_start, op.length); },
                        user_start, op.length, true);
        case Kind::OpenKernelReader:
            return open(kernel_reader, CursorId::KernelReader,
                        [&] { return Result<VmReader<Infallible>>(VmReader<Infallible>::from_kernel_space(kernel_start, op.length)); },
                        reinterpret_cast<std::uintptr_t>(kernel_start), op.length, false);
        default:
            return open(kernel_writer, CursorId::KernelWriter,
                        [&] { return Result<VmWriter<Infallible>>(VmWriter<Infallible>::from_kernel_space(kernel_start, op.length)); },
                        reinterpret_cast<std::uintptr_t>(kernel_start), op.length, false);
        }
    }

    template <typename F>
    void on_cursor(CursorId id, F f) {
        switch (id) {
        case CursorId::UserReader: f(*user_reader); break;
        case CursorId::UserWriter: f(*user_writer); break;
        case CursorId::KernelReader: f(*kernel_reader); break;
        case CursorId::KernelWriter: f(*kernel_writer); break;
        }
    }

    Pair run_limit(const Operation& op) {
        on_cursor(op.cursor, [&](auto& cursor) { cursor.limit(op.length); });
        Span& span = shadow_of(op.cursor);
        span.end = span.cursor + std::min(op.length, span.left());
        return {{}, {}};
    }

    Pair run_skip(CursorId id, std::size_t len) {
        Span& span = shadow_of(id);
        const std::size_t n = std::min(len, span.left());
        on_cursor(id, [&](auto& cursor) { cursor.skip(n); });
        span.cursor += n;
        return {{std::nullopt, n, {}}, {std::nullopt, n, {}}};
    }

    Pair run_transfer(const Operation& op) {
        const bool from_user = op.transfer == Transfer::UserToKernel || op.transfer == Transfer::UserToFallibleKernel;
        Span& source = shadow_of(from_user ? CursorId::UserReader : CursorId::KernelReader);
        Span& target = shadow_of(from_user ? CursorId::KernelWriter : CursorId::UserWriter);
        const std::size_t len = std::min(source.left(), target.left());
        CopyResult result;
        switch (op.transfer) {
        case Transfer::UserToKernel: result = user_reader->read_fallible(*kernel_writer); break;
        case Transfer::KernelToUser: result = user_writer->write_fallible(*kernel_reader); break;
        case Transfer::UserToFallibleKernel: {
            VmWriter<Fallible> writer =
                VmWriter<Infallible>::from_kernel_space(kernel_writer->cursor(), kernel_writer->avail()).to_fallible();
            result = user_reader->read_fallible(writer);
            kernel_writer->skip(detail::transferred(result));
            break;
        }
        case Transfer::FallibleKernelToUser: {
            auto reader = kernel_reader->to_fallible();
            result = user_writer->write_fallible(reader);
            kernel_reader->skip(detail::transferred(result));
            break;
        }
        }
        OperationOutcome expected =
            from_user ? apply(model::copy_from_user(shadow.pages, source.cursor, user_at(source.cursor, len),
                                                    kernel_at(target.cursor, len)),
                              kernel_at(target.cursor, len), source.cursor)
                      : apply(model::copy_to_user(shadow.pages, target.cursor, kernel_at(source.cursor, len),
                                                  user_at(target.cursor, len)),
                              user_at(target.cursor, len), target.cursor);
        source.cursor += expected.count;
        target.cursor += expected.count;
        return {from(result), expected};
    }

    template <typename T>
    OperationOutcome read_val_as() {
        return from_value(user_reader->read_val<T>(), sizeof(T));
    }
    template <typename T>
    OperationOutcome write_val_as(const std::vector<std::byte>& bytes) {
        T value;
        std::memcpy(&value, bytes.data(), sizeof(T));
        const Result<void> written = user_writer->write_val(value);
        return written ? OperationOutcome{std::nullopt, sizeof(T), {}} : failed(written.error());
    }

    Pair run_read_val(const Operation& op) {
        OperationOutcome actual;
        switch (op.type) {
        case ValueType::U8: actual = read_val_as<std::uint8_t>(); break;
        case ValueType::U16: actual = read_val_as<std::uint16_t>(); break;
        case ValueType::U32: actual = read_val_as<std::uint32_t>(); break;
        case ValueType::U64: actual = read_val_as<std::uint64_t>(); break;
        case ValueType::Struct13: actual = read_val_as<Struct13>(); break;
        }
        return {actual, expect_read_all(size_of(op.type), false)};
    }

    // read_val / collect: all `len` bytes and the cursor past them, or an error and no move.
    OperationOutcome expect_read_all(std::size_t len, bool whole) {
        Span& span = shadow_of(CursorId::UserReader);
        if (!whole && span.left() < len) {
            return failed(Error::InvalidArgs);
        }
        std::vector<std::byte> value(len);
        const OperationOutcome outcome =
            apply(model::copy_from_user(shadow.pages, span.cursor, user_at(span.cursor, len), value), value, span.cursor);
        if (outcome.error) {
            return failed(*outcome.error);
        }
        span.cursor += len;
        return {std::nullopt, len, std::move(value)};
    }

    Pair run_write_val(const Operation& op) {
        const std::vector<std::byte> bytes = value_bytes(op.type, op.value);
        OperationOutcome actual;
        switch (op.type) {
        case ValueType::U8: actual = write_val_as<std::uint8_t>(bytes); break;
        case ValueType::U16: actual = write_val_as<std::uint16_t>(bytes); break;
        case ValueType::U32: actual = write_val_as<std::uint32_t>(bytes); break;
        case ValueType::U64: actual = write_val_as<std::uint64_t>(bytes); break;
        case ValueType::Struct13: actual = write_val_as<Struct13>(bytes); break;
        }
        Span& span = shadow_of(CursorId::UserWriter);
        if (span.left() < bytes.size()) {
            return {actual, failed(Error::InvalidArgs)};
        }
        const OperationOutcome outcome = apply(
            model::copy_to_user(shadow.pages, span.cursor, bytes, user_at(span.cursor, bytes.size())),
            user_at(span.cursor, bytes.size()), span.cursor);
        if (outcome.error) {
            return {actual, failed(*outcome.error)};  // partly written, cursor rolled back
        }
        span.cursor += bytes.size();
        return {actual, {std::nullopt, bytes.size(), {}}};
    }

    Pair run_collect() {
        const std::size_t len = shadow_of(CursorId::UserReader).left();
        const Result<std::vector<std::uint8_t>> collected = user_reader->collect();
        OperationOutcome actual = collected ? OperationOutcome{std::nullopt, collected->size(),
                                                               as_bytes(collected->data(), collected->size())}
                                            : failed(collected.error());
        return {actual, expect_read_all(len, true)};
    }

    Pair run_fill_zeros(const Operation& op) {
        const CopyResult result = user_writer->fill_zeros(op.length);
        Span& span = shadow_of(CursorId::UserWriter);
        const std::size_t len = std::min(op.length, span.left());
        OperationOutcome expected = apply(model::fill_user(shadow.pages, span.cursor, std::byte{0}, user_at(span.cursor, len)),
                                          user_at(span.cursor, len), span.cursor);
        span.cursor += expected.count;
        return {from(result), expected};
    }

    template <typename T>
    Pair run_atomic(const Operation& op, bool load) {
        const CursorId id = load ? CursorId::UserReader : CursorId::UserWriter;
        const std::size_t pad = (sizeof(T) - shadow_of(id).cursor % sizeof(T)) % sizeof(T);
        if (pad <= shadow_of(id).left()) {
            run_skip(id, pad);
        }
        const Span span = shadow_of(id);
        OperationOutcome actual;
        T current{};
        if (span.left() >= sizeof(T)) {
            std::memcpy(&current, user_at(span.cursor, sizeof(T)).data(), sizeof(T));
        }
        const T expected_value = op.expect_current ? current : static_cast<T>(current ^ 1);
        const auto desired = static_cast<T>(op.value);
        if (load) {
            actual = from_value(user_reader->atomic_load<T>(), sizeof(T));
        } else {
            const auto exchanged = user_writer->atomic_compare_exchange<T>(expected_value, desired);
            actual = exchanged ? OperationOutcome{std::nullopt, sizeof(T), as_bytes(&exchanged->previous, sizeof(T))}
                               : failed(exchanged.error());
            if (exchanged) {
                actual.value.push_back(std::byte{exchanged->exchanged});
            }
        }
        if (span.left() < sizeof(T)) {
            return {actual, failed(Error::InvalidArgs)};
        }
        model::AccessOutcome access =
            model::access(shadow.pages, span.cursor, sizeof(T), load ? Access::Read : Access::Write);
        const PageTable before = std::exchange(shadow.pages, std::move(access.pages));
        if (access.done < sizeof(T)) {
            const OperationOutcome fault{Error::PageFault, 0, {}};
            note_fault(fault, span.cursor, before);
            return {actual, fault};
        }
        OperationOutcome expected{std::nullopt, sizeof(T), as_bytes(&current, sizeof(T))};
        if (!load) {
            const bool exchanged = current == expected_value;
            expected.value.push_back(std::byte{exchanged});
            if (exchanged) {
                std::memcpy(user_at(span.cursor, sizeof(T)).data(), &desired, sizeof(T));
            }
        }
        return {actual, expected};
    }

    // A FaultOnTouch page that was touched t times behaves like a fresh one failing at touch
    // k - t: re-laying the area out in that form makes it restorable for a second engine run.
    void relay_area() {
        for (std::size_t i = 0; i < scenario.pages.size(); ++i) {
            const std::uintptr_t addr = base + i * page_size;
            const auto found = shadow.pages.find(addr);
            if (found == shadow.pages.end()) {
                continue;
            }
            const PageStatus status = found->second;
            found->second = status.state == PageState::FaultOnTouch
                                ? fault_on_touch(status.failing_touch - status.touches)
                                : page(status.state);
            space.set_pages(addr, 1, found->second);
        }
        space.poke(base, shadow.user);
    }

    OperationOutcome run_raw_engine(Engine engine, const Operation& op) {
        std::byte* user = space.user_range(base + op.offset, op.length).value().data();
        std::size_t done = 0;
        switch (op.raw) {
        case RawOp::CopyFromUser: done = copy_bytes(engine, kernel.data(), user, op.length); break;
        case RawOp::CopyToUser: done = copy_bytes(engine, user, kernel.data(), op.length); break;
        case RawOp::FillUser: done = fill_bytes(engine, user, static_cast<std::uint8_t>(op.value), op.length); break;
        }
        OperationOutcome outcome{done < op.length ? std::optional(Error::PageFault) : std::nullopt, done, {}};
        outcome.value = op.raw == RawOp::CopyFromUser ? as_bytes(kernel.data(), op.length)
                                                      : space.peek(base + op.offset, op.length);
        return outcome;
    }

    OperationOutcome expect_raw(const Operation& op) {
        const std::uintptr_t addr = base + op.offset;
        const std::span<std::byte> user = user_at(addr, op.length);
        const std::span<std::byte> kbuf = kernel_at(reinterpret_cast<std::uintptr_t>(kernel.data()), op.length);
        OperationOutcome expected;
        switch (op.raw) {
        case RawOp::CopyFromUser: expected = apply(model::copy_from_user(shadow.pages, addr, user, kbuf), kbuf, addr); break;
        case RawOp::CopyToUser: expected = apply(model::copy_to_user(shadow.pages, addr, kbuf, user), user, addr); break;
        case RawOp::FillUser:
            expected = apply(model::fill_user(shadow.pages, addr, static_cast<std::byte>(op.value), user), user, addr);
            break;
        }
        expected.value = op.raw == RawOp::CopyFromUser ? std::vector(kbuf.begin(), kbuf.end())
                                                       : std::vector(user.begin(), user.end());
        return expected;
    }

    // Runs a raw operation with the exception-table engine, checks it, puts the area back
    // as it was and runs it again with the sigsetjmp engine.
    bool run_raw(std::size_t index, const Operation& op) {
        relay_area();
        const Shadow before = shadow;
        const std::size_t faults_before = report.faults;
        const auto before_state = report.faults_by_state;
        const OperationOutcome table = run_raw_engine(Engine::ExceptionTable, op);
        if (!finish(index, op, {table, expect_raw(op)})) {
            return false;
        }
        shadow = before;
        report.faults = faults_before;
        report.faults_by_state = before_state;
        relay_area();
        std::ranges::copy(shadow.kernel, kernel.begin());
        const OperationOutcome jump = run_raw_engine(Engine::Sigsetjmp, op);
        if (!finish(index, op, {jump, expect_raw(op)})) {
            return false;
        }
        if (table != jump) {
            return violate("engines-agree", index, op,
                           fmt::format("exception table gave {}, sigsetjmp gave {}", describe(table), describe(jump)));
        }
        return true;
    }

    // --- checking --------------------------------------------------------------------------
    bool violate(std::string invariant, std::size_t index, const Operation& op, std::string detail) {
        report.violation = Violation{invariant, index,
                                     fmt::format("operation #{} {}: {} ({})", index, check::describe(op), detail,
                                                 describe_layout(scenario))};
        return false;
    }

    bool finish(std::size_t index, const Operation& op, Pair outcomes) {
        auto& [got, expected] = outcomes;
        if (hooks.alter_expectation) {
            hooks.alter_expectation(index, expected);
        }
        if (hooks.on_operation) {
            hooks.on_operation(index, check::describe(op), got);
        }
        if (got != expected) {
            return violate("result", index, op,
                           fmt::format("got {}, the model expects {}", describe(got), describe(expected)));
        }
        for (const CursorId id : {CursorId::UserReader, CursorId::UserWriter, CursorId::KernelReader, CursorId::KernelWriter}) {
            if (const Span got = actual(id); got != shadow_of(id)) {
                return violate("cursor", index, op,
                               fmt::format("{} at {} with {} left, the model expects {} with {} left", to_string(id),
                                           where(id, got.cursor), got.left(), where(id, shadow_of(id).cursor),
                                           shadow_of(id).left()));
            }
        }
        if (const auto user = space.peek(base, scenario.area_size()); !same(user, shadow.user)) {
            const std::size_t at = first_difference(user, shadow.user);
            return violate("user-memory", index, op,
                           fmt::format("user area byte {} is {:#04x}, the model expects {:#04x}", at,
                                       std::to_integer<unsigned>(user[at]), std::to_integer<unsigned>(shadow.user[at])));
        }
        if (!same(kernel, shadow.kernel)) {
            const std::size_t at = first_difference(kernel, shadow.kernel);
            return violate("kernel-memory", index, op,
                           fmt::format("kernel buffer byte {} is {:#04x}, the model expects {:#04x}", at,
                                       std::to_integer<unsigned>(kernel[at]), std::to_integer<unsigned>(shadow.kernel[at])));
        }
        if (const PageTable pages = space.page_table(); pages != shadow.pages) {
            return violate("page-states", index, op,
                           fmt::format("pages{}, the model expects{}", describe(pages, base), describe(shadow.pages, base)));
        }
        return true;
    }

    // "area+N" or "kbuf+N".
    std::string where(CursorId id, std::uintptr_t addr) const {
        const bool user = id == CursorId::UserReader || id == CursorId::UserWriter;
        const std::uintptr_t origin = user ? base : reinterpret_cast<std::uintptr_t>(kernel.data());
        return fmt::format("{}{:+}", user ? "area" : "kbuf", static_cast<std::ptrdiff_t>(addr - origin));
    }

    bool step() {
        if (next >= scenario.operations.size() || report.violation) {
            return false;
        }
        const std::size_t index = next++;
        const Operation& op = scenario.operations[index];
        ++report.operations;
        using Kind = Operation::Kind;
        switch (op.kind) {
        case Kind::OpenUserReader:
        case Kind::OpenUserWriter:
        case Kind::OpenKernelReader:
        case Kind::OpenKernelWriter: return finish(index, op, run_open(op));
        case Kind::Limit: return finish(index, op, run_limit(op));
        case Kind::Skip: return finish(index, op, run_skip(op.cursor, op.length));
        case Kind::Transfer: return finish(index, op, run_transfer(op));
        case Kind::ReadVal: return finish(index, op, run_read_val(op));
        case Kind::WriteVal: return finish(index, op, run_write_val(op));
        case Kind::Collect: return finish(index, op, run_collect());
        case Kind::FillZeros: return finish(index, op, run_fill_zeros(op));
        case Kind::AtomicLoad:
            return finish(index, op, op.type == ValueType::U32 ? run_atomic<std::uint32_t>(op, true)
                                                               : run_atomic<std::uint64_t>(op, true));
        case Kind::AtomicCompareExchange:
            return finish(index, op, op.type == ValueType::U32 ? run_atomic<std::uint32_t>(op, false)
                                                               : run_atomic<std::uint64_t>(op, false));
        case Kind::Raw: return run_raw(index, op);
        }
        return false;
    }
};

ScenarioChecker::ScenarioChecker(Machine& machine, VmSpace& space, const Scenario& scenario, CheckHooks hooks)
    : state_(std::make_unique<State>(machine, space, scenario, std::move(hooks))) {}

ScenarioChecker::~ScenarioChecker() = default;

bool ScenarioChecker::step() { return state_->step() && state_->next < state_->scenario.operations.size(); }

void ScenarioChecker::reactivated() {
    for (auto& [addr, status] : state_->shadow.pages) {
        status.resident = false;
    }
}

const CheckReport& ScenarioChecker::report() const noexcept { return state_->report; }

CheckReport check_scenario(Machine& machine, const Scenario& scenario, CheckHooks hooks) {
    VmSpace space(machine);
    space.activate();
    ScenarioChecker checker(machine, space, scenario, std::move(hooks));
    while (checker.step()) {
    }
    return checker.report();
}

}  // namespace vmio::check
