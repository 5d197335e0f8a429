// The exception table: {faulting instruction range, fixup} entries emitted by the assembly
// routines (VMIO_EXTABLE / VMIO_EXTABLE_RANGE in src/arch/<arch>/asm.h) into the
// `__vmio_extable` section.
#pragma once

#include <cstdint>

namespace vmio::detail {

/// Sorts the table by instruction address. Called once, before the handler is installed.
void sort_exception_table() noexcept;

/// The fixup address for a faulting instruction address, or 0 if the instruction is not
/// one of vmio's. Binary search over the sorted table: async-signal-safe.
[[nodiscard]] std::uintptr_t find_fixup(std::uintptr_t pc) noexcept;

}  // namespace vmio::detail
