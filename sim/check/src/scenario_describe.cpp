#include "vmio/check/describe.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "vmio/sim/layout.hpp"

namespace vmio::check {

using namespace vmio::sim;  // the simulator this component checks
namespace {

std::string_view to_string(ValueType type) noexcept {
    switch (type) {
    case ValueType::U8: return "u8";
    case ValueType::U16: return "u16";
    case ValueType::U32: return "u32";
    case ValueType::U64: return "u64";
    case ValueType::Struct13: return "struct13";
    }
    return "?";
}

std::string_view to_string(Transfer transfer) noexcept {
    switch (transfer) {
    case Transfer::UserToKernel: return "user reader -> kernel writer (Fallible -> Infallible)";
    case Transfer::KernelToUser: return "kernel reader -> user writer (Infallible -> Fallible)";
    case Transfer::UserToFallibleKernel: return "user reader -> kernel writer as fallible (Fallible -> Fallible)";
    case Transfer::FallibleKernelToUser: return "kernel reader as fallible -> user writer (Fallible -> Fallible)";
    }
    return "?";
}

}  // namespace

std::string_view to_string(RawOp raw) noexcept {
    switch (raw) {
    case RawOp::CopyFromUser: return "copy_from_user";
    case RawOp::CopyToUser: return "copy_to_user";
    case RawOp::FillUser: return "fill_user";
    }
    return "?";
}

namespace {

std::string hex(const std::vector<std::byte>& bytes, std::size_t max = 24) {
    std::string text;
    for (std::size_t i = 0; i < std::min(bytes.size(), max); ++i) {
        text += fmt::format("{:02x}", std::to_integer<unsigned>(bytes[i]));
    }
    return bytes.size() > max ? text + "..." : text;
}

}  // namespace

std::string_view to_string(CursorId cursor) noexcept {
    switch (cursor) {
    case CursorId::UserReader: return "user reader";
    case CursorId::UserWriter: return "user writer";
    case CursorId::KernelReader: return "kernel reader";
    case CursorId::KernelWriter: return "kernel writer";
    }
    return "?";
}

std::string describe(const Operation& op) {
    using Kind = Operation::Kind;
    switch (op.kind) {
    case Kind::OpenUserReader: return fmt::format("open user reader [area+{}, +{})", op.offset, op.length);
    case Kind::OpenUserWriter: return fmt::format("open user writer [area+{}, +{})", op.offset, op.length);
    case Kind::OpenKernelReader: return fmt::format("open kernel reader [kbuf+{}, +{})", op.offset, op.length);
    case Kind::OpenKernelWriter: return fmt::format("open kernel writer [kbuf+{}, +{})", op.offset, op.length);
    case Kind::Limit: return fmt::format("{}.limit({})", to_string(op.cursor), op.length);
    case Kind::Skip: return fmt::format("{}.skip({}, clamped)", to_string(op.cursor), op.length);
    case Kind::Transfer: return fmt::format("transfer {}", to_string(op.transfer));
    case Kind::ReadVal: return fmt::format("user reader.read_val<{}>()", to_string(op.type));
    case Kind::WriteVal: return fmt::format("user writer.write_val<{}>({:#x})", to_string(op.type), op.value);
    case Kind::Collect: return "user reader.collect()";
    case Kind::ReadCString: return fmt::format("user reader.read_cstring({})", op.length);
    case Kind::FillZeros: return fmt::format("user writer.fill_zeros({})", op.length);
    case Kind::AtomicLoad: return fmt::format("user reader.atomic_load<{}>() (aligned)", to_string(op.type));
    case Kind::AtomicCompareExchange:
        return fmt::format("user writer.atomic_compare_exchange<{}>({}, {:#x}) (aligned)", to_string(op.type),
                           op.expect_current ? "current value" : "another value", op.value);
    case Kind::AtomicStore:
        return fmt::format("user writer.atomic_store<{}>({:#x}) (aligned)", to_string(op.type), op.value);
    case Kind::AtomicExchange:
        return fmt::format("user writer.atomic_exchange<{}>({:#x}) (aligned)", to_string(op.type), op.value);
    case Kind::AtomicFetchAdd:
        return fmt::format("user writer.atomic_fetch_add<{}>({:#x}) (aligned)", to_string(op.type), op.value);
    case Kind::AtomicFetchUpdate:
        return fmt::format("user writer.atomic_fetch_update<{}>(x * 3 + 1) (aligned)", to_string(op.type));
    case Kind::Raw:
        return fmt::format("raw {} [area+{}, +{}) on both engines", to_string(op.raw), op.offset, op.length);
    }
    return "?";
}

std::string describe_layout(const Scenario& s) {
    std::string pages;
    for (const PageStatus& status : s.pages) {
        pages += pages.empty() ? "" : " ";
        pages += sim::describe(status);
    }
    return fmt::format("pages [{}] + 1 unmapped (end of user space), content seed {:#x}, kernel buffer {} bytes", pages,
                       s.content_seed, s.kernel_size);
}

std::string describe(const OperationOutcome& outcome) {
    std::string text = outcome.error ? fmt::format("{} after {} bytes", to_string(*outcome.error), outcome.count)
                                     : fmt::format("ok, {} bytes", outcome.count);
    if (!outcome.value.empty()) {
        text += fmt::format(", value {}", hex(outcome.value));
    }
    return text;
}

std::string describe_pages(const PageTable& pages, std::uintptr_t area) {
    std::string text;
    for (const auto& [addr, status] : pages) {
        text += fmt::format(" {}:{}", (addr - area) / page_size, sim::describe(status));
    }
    return text;
}

std::string describe_position(const ScenarioState& state, CursorId id, std::uintptr_t addr) {
    const bool user = id == CursorId::UserReader || id == CursorId::UserWriter;
    const std::uintptr_t origin = user ? state.area : state.kernel_buffer;
    return fmt::format("{}{:+}", user ? "area" : "kbuf", static_cast<std::ptrdiff_t>(addr - origin));
}

}  // namespace vmio::check
