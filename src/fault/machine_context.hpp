// The architecture-specific part of the fault handler: where the interrupted program
// counter lives in the signal's ucontext, and whether the faulting access was a read or a
// write, as far as the kernel reports it.
#pragma once

#include <sys/ucontext.h>

#include <cstdint>
#include <cstring>
#include <optional>

#include "vmio/detail/range.hpp"
#include "vmio/fault.hpp"

namespace vmio::detail {

#if defined(__x86_64__)

inline std::uintptr_t pc(const ucontext_t& uc) noexcept {
    return static_cast<std::uintptr_t>(uc.uc_mcontext.gregs[REG_RIP]);
}

// Resumes at `fixup` with the fault address in %r11, so that a fixup can stop exactly at
// the faulting page without faulting again (src/arch/x86_64/asm.h).
inline void enter_fixup(ucontext_t& uc, std::uintptr_t fixup, std::uintptr_t fault_address) noexcept {
    uc.uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(fixup);
    uc.uc_mcontext.gregs[REG_R11] = static_cast<greg_t>(fault_address);
}

// The page-fault error code: bit 1 is set for a write.
inline std::optional<Access> access_of(const ucontext_t& uc) noexcept {
    constexpr unsigned long page_fault_trap = 14;
    constexpr unsigned long write_bit = 1UL << 1;
    if (static_cast<unsigned long>(uc.uc_mcontext.gregs[REG_TRAPNO]) != page_fault_trap) {
        return std::nullopt;
    }
    return (static_cast<unsigned long>(uc.uc_mcontext.gregs[REG_ERR]) & write_bit) != 0 ? Access::Write
                                                                                         : Access::Read;
}

#elif defined(__aarch64__)

inline std::uintptr_t pc(const ucontext_t& uc) noexcept { return uc.uc_mcontext.pc; }

// Resumes at `fixup`; the fixups of this architecture do not use the fault address.
inline void enter_fixup(ucontext_t& uc, std::uintptr_t fixup, std::uintptr_t /*fault_address*/) noexcept {
    uc.uc_mcontext.pc = fixup;
}

// The kernel appends records to the signal frame's __reserved area, each starting with a
// {magic, size} header and ending with a zero magic; the ESR record holds the exception
// syndrome of the fault. For a data abort (exception class 0x24 from EL0, 0x25 from EL1)
// bit 6 (WnR) is set for a write. Without the record (emulators may omit it): unknown.
inline std::optional<Access> access_of(const ucontext_t& uc) noexcept {
    constexpr std::uint32_t esr_magic = 0x45535201;
    constexpr std::uint64_t data_abort_lower_el = 0x24;
    constexpr std::uint64_t data_abort_same_el = 0x25;
    constexpr std::uint64_t write_bit = 1U << 6;
    struct RecordHeader {
        std::uint32_t magic;
        std::uint32_t size;
    };
    const auto* records = reinterpret_cast<const unsigned char*>(uc.uc_mcontext.__reserved);
    const std::size_t area = sizeof uc.uc_mcontext.__reserved;
    for (std::size_t at = 0; range_within(at, sizeof(RecordHeader), 0, area);) {
        RecordHeader header;
        std::memcpy(&header, records + at, sizeof header);
        if (header.magic == 0 || header.size < sizeof header || !range_within(at, header.size, 0, area)) {
            break;
        }
        if (header.magic == esr_magic && header.size >= sizeof header + sizeof(std::uint64_t)) {
            std::uint64_t esr;
            std::memcpy(&esr, records + at + sizeof header, sizeof esr);
            const std::uint64_t exception_class = (esr >> 26) & 0x3f;
            if (exception_class != data_abort_lower_el && exception_class != data_abort_same_el) {
                return std::nullopt;
            }
            return (esr & write_bit) != 0 ? Access::Write : Access::Read;
        }
        at += header.size;
    }
    return std::nullopt;
}

#elif defined(__riscv) && __riscv_xlen == 64

inline std::uintptr_t pc(const ucontext_t& uc) noexcept { return uc.uc_mcontext.__gregs[REG_PC]; }

// Resumes at `fixup`; the fixups of this architecture do not use the fault address.
inline void enter_fixup(ucontext_t& uc, std::uintptr_t fixup, std::uintptr_t /*fault_address*/) noexcept {
    uc.uc_mcontext.__gregs[REG_PC] = fixup;
}

// Linux does not pass the trap cause (load or store page fault) to user space.
inline std::optional<Access> access_of(const ucontext_t&) noexcept { return std::nullopt; }

#else
#error "vmio: no machine context for this architecture"
#endif

}  // namespace vmio::detail
