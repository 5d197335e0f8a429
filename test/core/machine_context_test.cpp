// The per-architecture ucontext access of the fault handler, on hand-made contexts: the
// aarch64 ESR record in particular, which qemu-user does not provide.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "machine_context.hpp"

namespace vmio::test {
namespace {

TEST(MachineContext, EnteringAFixupMovesTheProgramCounter) {
    ucontext_t uc{};
    detail::enter_fixup(uc, 0x12345678, 0x1000);
    EXPECT_EQ(detail::pc(uc), 0x12345678U);
#if defined(__x86_64__)
    EXPECT_EQ(uc.uc_mcontext.gregs[REG_R11], 0x1000);  // the fault address, for the fixup
#endif
}

#if defined(__aarch64__)

/// Appends a {magic, size} record with `payload` to the frame's record area.
std::size_t append_record(ucontext_t& uc, std::size_t at, std::uint32_t magic, const void* payload,
                          std::uint32_t payload_size) {
    const std::uint32_t header[2] = {magic, static_cast<std::uint32_t>(sizeof header + payload_size)};
    std::memcpy(uc.uc_mcontext.__reserved + at, header, sizeof header);
    std::memcpy(uc.uc_mcontext.__reserved + at + sizeof header, payload, payload_size);
    return at + sizeof header + payload_size;
}

constexpr std::uint32_t esr_magic = 0x45535201;
constexpr std::uint64_t data_abort = std::uint64_t{0x24} << 26;
constexpr std::uint64_t write_not_read = 1U << 6;

TEST(MachineContext, EsrRecordAfterAnotherRecordTellsReadFromWrite) {
    for (const bool write : {false, true}) {
        ucontext_t uc{};
        const unsigned char other[24]{};  // stands for the FP/SIMD record that comes first
        const std::size_t at = append_record(uc, 0, 0x46508001, other, sizeof other);
        const std::uint64_t esr = data_abort | (write ? write_not_read : 0) | 0x7;
        append_record(uc, at, esr_magic, &esr, sizeof esr);
        EXPECT_EQ(detail::access_of(uc), write ? Access::Write : Access::Read);
    }
}

TEST(MachineContext, NoEsrRecordOrAnotherExceptionClassIsUnknown) {
    ucontext_t uc{};
    EXPECT_FALSE(detail::access_of(uc).has_value());
    const std::uint64_t instruction_abort = (std::uint64_t{0x20} << 26) | write_not_read;
    append_record(uc, 0, esr_magic, &instruction_abort, sizeof instruction_abort);
    EXPECT_FALSE(detail::access_of(uc).has_value());
}

#endif

}  // namespace
}  // namespace vmio::test
