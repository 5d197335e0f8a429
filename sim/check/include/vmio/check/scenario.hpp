// A scenario: a few user pages in chosen states, a kernel buffer, and a sequence of VM I/O
// operations over them. Scenarios come from byte strings (decode_scenario is total: every
// byte string is a valid scenario), and byte strings from seeds (generate_bytes), so that
// the campaign, the fuzzer and replay all go seed -> bytes -> Scenario.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "vmio/sim/page_state.hpp"

namespace vmio::check {

/// The four cursors a scenario keeps open: fallible ones over the user area, infallible ones
/// over the kernel buffer.
enum class CursorId : std::uint8_t { UserReader, UserWriter, KernelReader, KernelWriter };
inline constexpr std::array all_cursors = {CursorId::UserReader, CursorId::UserWriter, CursorId::KernelReader,
                                           CursorId::KernelWriter};

/// What `read_val` / `write_val` move: the integers and a 13-byte struct.
enum class ValueType : std::uint8_t { U8, U16, U32, U64, Struct13 };
inline constexpr std::array all_value_types = {ValueType::U8, ValueType::U16, ValueType::U32, ValueType::U64,
                                               ValueType::Struct13};
/// The types the fallible atomics take.
inline constexpr std::array atomic_value_types = {ValueType::U32, ValueType::U64};

/// Asterinas' three read_fallible / write_fallible combinations. The fallible-to-fallible one
/// pairs a user cursor with a kernel cursor turned fallible, both directions.
enum class Transfer : std::uint8_t {
    UserToKernel,          ///< VmReader<Fallible> -> VmWriter<Infallible>, read_fallible
    KernelToUser,          ///< VmReader<Infallible> -> VmWriter<Fallible>, write_fallible
    UserToFallibleKernel,  ///< VmReader<Fallible> -> VmWriter<Fallible>, read_fallible
    FallibleKernelToUser,  ///< VmReader<Fallible> -> VmWriter<Fallible>, write_fallible
};
inline constexpr std::array all_transfers = {Transfer::UserToKernel, Transfer::KernelToUser,
                                             Transfer::UserToFallibleKernel, Transfer::FallibleKernelToUser};

/// A raw engine operation between the user area and the start of the kernel buffer.
enum class RawOp : std::uint8_t { CopyFromUser, CopyToUser, FillUser };
inline constexpr std::array all_raw_ops = {RawOp::CopyFromUser, RawOp::CopyToUser, RawOp::FillUser};

struct Operation {
    enum class Kind : std::uint8_t {
        OpenUserReader,         ///< VmSpace::reader(area + offset, length)
        OpenUserWriter,         ///< VmSpace::writer(area + offset, length)
        OpenKernelReader,       ///< kernel buffer [offset, offset + length)
        OpenKernelWriter,       ///< kernel buffer [offset, offset + length)
        Limit,                  ///< cursor.limit(length)
        Skip,                   ///< cursor.skip(min(length, what is left))
        Transfer,               ///< read_fallible / write_fallible
        ReadVal,                ///< user reader read_val<type>
        WriteVal,               ///< user writer write_val<type>(value)
        Collect,                ///< user reader collect
        ReadCString,            ///< user reader read_cstring(length): its count is the string's length
        FillZeros,              ///< user writer fill_zeros(length)
        AtomicLoad,             ///< user reader atomic_load<u32|u64>, after skipping to alignment
        AtomicCompareExchange,  ///< user writer atomic_compare_exchange, after skipping to alignment
        AtomicStore,            ///< user writer atomic_store(value), after skipping to alignment
        AtomicExchange,         ///< user writer atomic_exchange(value), after skipping to alignment
        AtomicFetchAdd,         ///< user writer atomic_fetch_add(value), after skipping to alignment
        AtomicFetchUpdate,      ///< user writer atomic_fetch_update(atomic_update), after skipping to alignment
        Raw,                    ///< copy_bytes / fill_bytes with both engines, which must agree
    };
    Kind kind{};
    CursorId cursor{};       ///< Limit, Skip
    Transfer transfer{};     ///< Transfer
    ValueType type{};        ///< ReadVal, WriteVal, atomics (U32 or U64)
    RawOp raw{};             ///< Raw
    std::size_t offset = 0;  ///< Open*, Raw (in the user area)
    std::size_t length = 0;  ///< Open*, Limit, Skip, FillZeros, Raw; ReadCString's max_len
    /// WriteVal (the struct repeats it), compare-exchange's desired, what atomic store and
    /// exchange put, fetch-add's delta, Raw fill byte
    std::uint64_t value = 0;
    bool expect_current = false;  ///< compare-exchange: expect the value in memory (it succeeds)
};
inline constexpr std::array all_operation_kinds = {
    Operation::Kind::OpenUserReader, Operation::Kind::OpenUserWriter, Operation::Kind::OpenKernelReader,
    Operation::Kind::OpenKernelWriter, Operation::Kind::Limit, Operation::Kind::Skip,
    Operation::Kind::Transfer, Operation::Kind::ReadVal, Operation::Kind::WriteVal,
    Operation::Kind::Collect, Operation::Kind::ReadCString, Operation::Kind::FillZeros,
    Operation::Kind::AtomicLoad, Operation::Kind::AtomicCompareExchange, Operation::Kind::AtomicStore,
    Operation::Kind::AtomicExchange, Operation::Kind::AtomicFetchAdd, Operation::Kind::AtomicFetchUpdate,
    Operation::Kind::Raw};

static_assert(sim::lists_values_in_order(all_cursors) && sim::lists_values_in_order(all_value_types) &&
              sim::lists_values_in_order(all_transfers) && sim::lists_values_in_order(all_raw_ops) &&
              sim::lists_values_in_order(all_operation_kinds));

[[nodiscard]] std::size_t size_of(ValueType type) noexcept;
/// The bytes write_val stores for `value` of `type`: little-endian, the struct repeating it.
[[nodiscard]] std::vector<std::byte> bytes_of_value(ValueType type, std::uint64_t value);

/// What AtomicFetchUpdate replaces a value `old` with: old * 3 + 1, wrapping in T (so that the
/// low 32 bits of the u64 result are the u32 result).
template <std::unsigned_integral T>
[[nodiscard]] constexpr T atomic_update(T old) noexcept {
    return static_cast<T>(old * 3U + 1U);
}

/// The user area is `pages.size()` pages followed by one page never mapped, and ends where the
/// user window ends, so that ranges may run into an unmapped page and out of user space.
struct Scenario {
    std::vector<sim::PageStatus> pages;   ///< 1..4 pages, any state
    std::uint32_t content_seed = 0;  ///< what the frames and the kernel buffer hold at the start
    std::size_t kernel_size = 1;     ///< bytes in the kernel buffer
    std::vector<Operation> operations;

    [[nodiscard]] std::size_t area_size() const noexcept;
    /// What the user area holds before the first operation (zeros on pages without a frame or
    /// with a demand-zero one, and on the unmapped page after), and what the kernel buffer
    /// holds. Frames hold few zero bytes, so that zero fills and fresh frames show, but some,
    /// for C strings to end at (one byte in about 16, 128 or 1024 by the seed, or none).
    [[nodiscard]] std::vector<std::byte> user_content() const;
    [[nodiscard]] std::vector<std::byte> kernel_content() const;
};

/// Any byte string -> a valid scenario (at most `max_operations` operations).
[[nodiscard]] Scenario decode_scenario(std::span<const std::uint8_t> bytes, std::size_t max_operations = 96);
/// A seed -> the byte string the campaign decodes for it.
[[nodiscard]] std::vector<std::uint8_t> generate_bytes(std::uint64_t seed);

}  // namespace vmio::check
