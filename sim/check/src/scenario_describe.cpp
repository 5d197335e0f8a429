#include <fmt/core.h>

#include "vmio/check/scenario.hpp"

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

std::string_view to_string(RawOp raw) noexcept {
    switch (raw) {
    case RawOp::CopyFromUser: return "copy_from_user";
    case RawOp::CopyToUser: return "copy_to_user";
    case RawOp::FillUser: return "fill_user";
    }
    return "?";
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

std::size_t size_of(ValueType type) noexcept {
    switch (type) {
    case ValueType::U8: return 1;
    case ValueType::U16: return 2;
    case ValueType::U32: return 4;
    case ValueType::U64: return 8;
    case ValueType::Struct13: return 13;
    }
    return 0;
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
    case Kind::FillZeros: return fmt::format("user writer.fill_zeros({})", op.length);
    case Kind::AtomicLoad: return fmt::format("user reader.atomic_load<{}>() (aligned)", to_string(op.type));
    case Kind::AtomicCompareExchange:
        return fmt::format("user writer.atomic_compare_exchange<{}>({}, {:#x}) (aligned)", to_string(op.type),
                           op.expect_current ? "current value" : "another value", op.value);
    case Kind::Raw:
        return fmt::format("raw {} [area+{}, +{}) on both engines", to_string(op.raw), op.offset, op.length);
    }
    return "?";
}

std::string describe_layout(const Scenario& s) {
    std::string pages;
    for (const PageStatus& status : s.pages) {
        pages += pages.empty() ? "" : " ";
        pages += to_string(status.state);
        if (status.state == PageState::FaultOnTouch) {
            pages += fmt::format("({})", status.failing_touch);
        }
    }
    return fmt::format("pages [{}] + 1 unmapped (end of user space), content seed {:#x}, kernel buffer {} bytes", pages,
                       s.content_seed, s.kernel_size);
}

}  // namespace vmio::check
