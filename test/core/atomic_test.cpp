// Fallible atomics: success, fault (nothing stored), and values that look like sentinels.
// Every operation (load, store, exchange, fetch-add, compare-exchange that matches and that
// does not, fetch-update), through the function and through a reader's or writer's cursor,
// with every memory order:
// * on a plain cell, for every pair of old value and operand among 0, 1, the sign bit, a
//   pattern and all ones: the exact value reported and left in the cell, neighbours untouched;
// * on the two aligned cells before the edge of a PROT_NONE, read-only and truncated-memfd page
//   (the second one touching it) and the two after it, with all-ones values: before the edge
//   as on a plain cell; past it PageFault, nothing stored anywhere and one fault recorded at
//   the cell (a read-only page lets only the load through);
// * under contention from several threads: no update lost, no value torn.
// The raw C routines write no out-parameter on a fault; the cursor operations need a whole
// value and act at the cursor, which never moves; a misaligned address panics.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <latch>
#include <limits>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

#include "edge_region.hpp"
#include "valgrind.hpp"
#include "fault_access.hpp"
#include "vmio/atomic.hpp"
#include "vmio/fault.hpp"
#include "vmio/reader.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {
namespace {

using detail::raw_cmpxchg;
using detail::raw_exchange;
using detail::raw_fetch_add;
using detail::raw_load;
using detail::raw_store;

template <typename T>
class FallibleAtomic : public testing::Test {};
using AtomicTypes = testing::Types<std::uint32_t, std::uint64_t>;
TYPED_TEST_SUITE(FallibleAtomic, AtomicTypes);

TYPED_TEST(FallibleAtomic, LoadReturnsTheStoredValue) {
    for (const TypeParam value : {TypeParam{0}, TypeParam{1}, TypeParam{0x12345678},
                                  std::numeric_limits<TypeParam>::max()}) {
        const TypeParam cell = value;
        const auto loaded = atomic_load_fallible(&cell);
        ASSERT_TRUE(loaded.has_value());
        EXPECT_EQ(*loaded, value);
    }
}

TYPED_TEST(FallibleAtomic, AllOnesIsAValueNotAFault) {
    const EdgeRegion region(BadPage::None);
    auto* cell = reinterpret_cast<TypeParam*>(region.edge() - sizeof(TypeParam));
    *cell = std::numeric_limits<TypeParam>::max();
    clear_last_fault();
    const auto loaded = atomic_load_fallible(cell);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_EQ(*loaded, std::numeric_limits<TypeParam>::max());
    EXPECT_FALSE(last_fault().has_value());
    const auto swapped = atomic_compare_exchange_fallible(cell, std::numeric_limits<TypeParam>::max(), TypeParam{7});
    ASSERT_TRUE(swapped.has_value());
    EXPECT_EQ(*swapped, (CompareExchange<TypeParam>{std::numeric_limits<TypeParam>::max(), true}));
    EXPECT_EQ(*cell, TypeParam{7});
}

TYPED_TEST(FallibleAtomic, CompareExchangeStoresOnlyOnMatch) {
    TypeParam cell = 5;
    const auto miss = atomic_compare_exchange_fallible(&cell, TypeParam{4}, TypeParam{9});
    ASSERT_TRUE(miss.has_value());
    EXPECT_EQ(*miss, (CompareExchange<TypeParam>{5, false}));
    EXPECT_EQ(cell, TypeParam{5});
    const auto hit = atomic_compare_exchange_fallible(&cell, TypeParam{5}, TypeParam{9});
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(*hit, (CompareExchange<TypeParam>{5, true}));
    EXPECT_EQ(cell, TypeParam{9});
}

TYPED_TEST(FallibleAtomic, LoadFromAnInaccessiblePageFaults) {
    for (const auto kind : {BadPage::None, BadPage::Truncated}) {
        const EdgeRegion region(kind);
        clear_last_fault();
        const auto loaded = atomic_load_fallible(reinterpret_cast<const TypeParam*>(region.edge()));
        ASSERT_FALSE(loaded.has_value()) << name_of(kind);
        EXPECT_EQ(loaded.error(), Error::PageFault);
        ASSERT_TRUE(last_fault().has_value());
        EXPECT_EQ(last_fault()->address, reinterpret_cast<std::uintptr_t>(region.edge()));
        EXPECT_EQ(last_fault()->signal, region.signal());
    }
}

TYPED_TEST(FallibleAtomic, CompareExchangeOnAReadOnlyPageFaultsAndStoresNothing) {
    const EdgeRegion region(BadPage::ReadOnly);
    auto* cell = reinterpret_cast<TypeParam*>(region.edge());
    ASSERT_EQ(*cell, TypeParam{0});
    // Both a matching and a non-matching expected value must fault: the locked
    // read-modify-write always needs write access.
    for (const TypeParam expected : {TypeParam{0}, TypeParam{1}}) {
        clear_last_fault();
        const auto result = atomic_compare_exchange_fallible(cell, expected, TypeParam{42});
        ASSERT_FALSE(result.has_value());
        EXPECT_EQ(result.error(), Error::PageFault);
        EXPECT_EQ(*cell, TypeParam{0});
        ASSERT_TRUE(last_fault().has_value());
        EXPECT_TRUE(access_matches(last_fault()->access, Access::Write));
    }
}

constexpr std::array every_order{std::memory_order_relaxed, std::memory_order_consume, std::memory_order_acquire,
                                 std::memory_order_release, std::memory_order_acq_rel, std::memory_order_seq_cst};

template <PodAtomic T>
constexpr T all_ones = std::numeric_limits<T>::max();

template <PodAtomic T>
constexpr T sign_bit = T{1} << (8 * sizeof(T) - 1);

/// 0, 1, the sign bit, a pattern and all ones.
template <PodAtomic T>
constexpr std::array<T, 5> interesting_values{T{0}, T{1}, sign_bit<T>, static_cast<T>(0x0123456789abcdefULL),
                                              all_ones<T>};

/// What an operation reports: the value it returns (none for a store) and, for a
/// compare-exchange, whether it stored.
template <PodAtomic T>
struct Report {
    std::optional<T> value;
    std::optional<bool> exchanged;

    friend bool operator==(const Report&, const Report&) = default;
    friend std::ostream& operator<<(std::ostream& os, const Report& report) {
        os << "{";
        if (report.value) {
            os << "0x" << std::hex << *report.value << std::dec;
        }
        if (report.exchanged) {
            os << (*report.exchanged ? " exchanged" : " not exchanged");
        }
        return os << "}";
    }
};

/// How an operation is reached: the function of vmio/atomic.hpp, or the method of a reader (the
/// load) or writer (every other operation) whose cursor is at the cell.
enum class Via { Function, Cursor };

template <PodAtomic T>
Result<T> load_via(Via via, const T* cell, std::memory_order order) {
    if (via == Via::Function) {
        return atomic_load_fallible(cell, order);
    }
    const auto reader = VmReader<Fallible>::from_user_space(cell, sizeof(T));
    const Result<T> loaded = reader.template atomic_load<T>(order);
    EXPECT_EQ(reader.remain(), sizeof(T)) << "the cursor moved";
    return loaded;
}

/// `function(cell)`, or `method(writer)` of a writer whose cursor is at `cell`.
template <PodAtomic T, typename Function, typename Method>
auto write_via(Via via, T* cell, Function function, Method method) {
    if (via == Via::Function) {
        return function(cell);
    }
    const auto writer = VmWriter<Fallible>::from_user_space(cell, sizeof(T));
    auto result = method(writer);
    EXPECT_EQ(writer.avail(), sizeof(T)) << "the cursor moved";
    return result;
}

/// What a load, exchange, fetch-add or fetch-update result reports.
template <PodAtomic T>
Result<Report<T>> as_report(const Result<T>& value) {
    if (!value) {
        return std::unexpected(value.error());
    }
    return Report<T>{*value, {}};
}

/// What a store result reports.
template <PodAtomic T>
Result<Report<T>> as_report(const Result<void>& stored) {
    if (!stored) {
        return std::unexpected(stored.error());
    }
    return Report<T>{};
}

/// What a compare-exchange result reports.
template <PodAtomic T>
Result<Report<T>> as_report(const Result<CompareExchange<T>>& outcome) {
    if (!outcome) {
        return std::unexpected(outcome.error());
    }
    return Report<T>{outcome->previous, outcome->exchanged};
}

/// The function of the fetch-update cases.
template <PodAtomic T>
T updated(T old, T operand) {
    return static_cast<T>(old * 3 + operand);
}

/// The access with which a read-modify-write reaches its cell first: x86_64's locked
/// instruction is one access, reported as a write; aarch64's load-exclusive comes first
/// (riscv64 reports no access).
constexpr Access read_modify_write_access =
#if defined(__x86_64__)
    Access::Write;
#else
    Access::Read;
#endif

/// One operation: how it runs on a cell that holds `old`, with `operand` (the value stored,
/// the delta, the desired value or the fetch-update function's addend); what it must report
/// and leave in the cell; whether it needs write access, and the access that a fault on an
/// inaccessible page reports.
template <PodAtomic T>
struct Operation {
    const char* name;
    Result<Report<T>> (*run)(Via via, T* cell, T old, T operand, std::memory_order order);
    Report<T> (*reports)(T old, T operand);
    T (*leaves)(T old, T operand);
    bool needs_write;
    Access first_access;
};

template <PodAtomic T>
const std::array<Operation<T>, 7>& operations() {
    static const std::array<Operation<T>, 7> all{{
        {"load",
         [](Via via, T* cell, T, T, std::memory_order order) {
             return as_report<T>(load_via(via, cell, order));
         },
         [](T old, T) { return Report<T>{old, {}}; }, [](T old, T) { return old; }, false, Access::Read},
        {"store",
         [](Via via, T* cell, T, T operand, std::memory_order order) {
             return as_report<T>(write_via(
                        via, cell, [&](T* p) { return atomic_store_fallible(p, operand, order); },
                        [&](const VmWriter<Fallible>& w) { return w.atomic_store(operand, order); }));
         },
         [](T, T) { return Report<T>{}; }, [](T, T operand) { return operand; }, true, Access::Write},
        {"exchange",
         [](Via via, T* cell, T, T operand, std::memory_order order) {
             return as_report<T>(write_via(
                        via, cell, [&](T* p) { return atomic_exchange_fallible(p, operand, order); },
                        [&](const VmWriter<Fallible>& w) { return w.atomic_exchange(operand, order); }));
         },
         [](T old, T) { return Report<T>{old, {}}; }, [](T, T operand) { return operand; }, true,
         read_modify_write_access},
        {"fetch_add",
         [](Via via, T* cell, T, T operand, std::memory_order order) {
             return as_report<T>(write_via(
                        via, cell, [&](T* p) { return atomic_fetch_add_fallible(p, operand, order); },
                        [&](const VmWriter<Fallible>& w) { return w.atomic_fetch_add(operand, order); }));
         },
         [](T old, T) { return Report<T>{old, {}}; }, [](T old, T operand) { return static_cast<T>(old + operand); },
         true, read_modify_write_access},
        {"compare_exchange (match)",
         [](Via via, T* cell, T old, T operand, std::memory_order order) {
             return as_report<T>(write_via(
                        via, cell, [&](T* p) { return atomic_compare_exchange_fallible(p, old, operand, order); },
                        [&](const VmWriter<Fallible>& w) { return w.atomic_compare_exchange(old, operand, order); }));
         },
         [](T old, T) { return Report<T>{old, true}; }, [](T, T operand) { return operand; }, true,
         read_modify_write_access},
        {"compare_exchange (no match)",
         [](Via via, T* cell, T old, T operand, std::memory_order order) {
             const auto other = static_cast<T>(~old);
             return as_report<T>(write_via(
                        via, cell, [&](T* p) { return atomic_compare_exchange_fallible(p, other, operand, order); },
                        [&](const VmWriter<Fallible>& w) { return w.atomic_compare_exchange(other, operand, order); }));
         },
         [](T old, T) { return Report<T>{old, false}; }, [](T old, T) { return old; }, true, read_modify_write_access},
        {"fetch_update",
         [](Via via, T* cell, T, T operand, std::memory_order order) {
             unsigned calls = 0;
             const auto update = [&calls, operand](T value) {
                 ++calls;
                 return updated(value, operand);
             };
             const Result<T> old = write_via(
                 via, cell, [&](T* p) { return atomic_fetch_update_fallible(p, update, order); },
                 [&](const VmWriter<Fallible>& w) { return w.template atomic_fetch_update<T>(update, order); });
             EXPECT_TRUE(old ? calls == 1 : calls <= 1) << "the function ran " << calls << " times, no other writer";
             return as_report<T>(old);
         },
         [](T old, T) { return Report<T>{old, {}}; }, [](T old, T operand) { return updated(old, operand); }, true,
         Access::Read},  // it starts with a load
    }};
    return all;
}

/// A case, for failure messages.
template <PodAtomic T>
struct Case {
    const Operation<T>& operation;
    Via via;
    std::memory_order order;
    T old;
    T operand;

    friend std::ostream& operator<<(std::ostream& os, const Case& c) {
        return os << c.operation.name << (c.via == Via::Function ? " (function)" : " (cursor)") << ", order "
                  << static_cast<int>(c.order) << ", old 0x" << std::hex << c.old << ", operand 0x" << c.operand
                  << std::dec;
    }
};

TYPED_TEST(FallibleAtomic, EveryOperationReportsAndLeavesExactValues) {
    using T = TypeParam;
    constexpr auto canary = static_cast<T>(0x5a5a5a5a5a5a5a5aULL);
    for (const Operation<T>& operation : operations<T>()) {
        for (const Via via : {Via::Function, Via::Cursor}) {
            for (const std::memory_order order : every_order) {
                for (const T old : interesting_values<T>) {
                    for (const T operand : interesting_values<T>) {
                        const Case<T> c{operation, via, order, old, operand};
                        std::array<T, 3> cells{canary, old, canary};
                        const Result<Report<T>> report = operation.run(via, &cells[1], old, operand, order);
                        ASSERT_TRUE(report.has_value()) << c << ": " << to_string(report.error());
                        ASSERT_EQ(*report, operation.reports(old, operand)) << c;
                        ASSERT_EQ(cells[1], operation.leaves(old, operand)) << c;
                        ASSERT_EQ(cells[0], canary) << c;
                        ASSERT_EQ(cells[2], canary) << c;
                    }
                }
            }
        }
    }
}

/// An EdgeRegion whose bytes within `reach` of the edge are known: a pattern before the edge
/// and, on a read-only bad page, after it. `put` writes a value (through a read-only page's
/// protection); `unchanged` compares every known byte with what was put.
class KnownEdgeBytes {
public:
    static constexpr std::ptrdiff_t reach = 64;

    explicit KnownEdgeBytes(BadPage kind)
        : region_(kind), image_(kind == BadPage::ReadOnly ? 2 * reach : reach) {
        for (std::size_t i = 0; i < image_.size(); ++i) {
            image_[i] = static_cast<unsigned char>(0x81 + i * 5);
        }
        std::memcpy(first(), image_.data(), reach);
        if (kind == BadPage::ReadOnly) {
            set_bad_page_protection(PROT_READ | PROT_WRITE);
            std::memcpy(region_.edge(), image_.data() + reach, reach);
            set_bad_page_protection(PROT_READ);
        }
    }

    [[nodiscard]] const EdgeRegion& region() const { return region_; }

    template <PodAtomic T>
    void put(T* cell, T value) {
        auto* const at = reinterpret_cast<unsigned char*>(cell);
        std::memcpy(image_.data() + (at - first()), &value, sizeof value);
        const bool on_bad_page = at >= region_.edge();
        if (on_bad_page) {
            set_bad_page_protection(PROT_READ | PROT_WRITE);
        }
        std::memcpy(at, &value, sizeof value);
        if (on_bad_page) {
            set_bad_page_protection(PROT_READ);
        }
    }

    [[nodiscard]] bool unchanged() const { return std::memcmp(first(), image_.data(), image_.size()) == 0; }

private:
    [[nodiscard]] unsigned char* first() const { return region_.edge() - reach; }
    void set_bad_page_protection(int protection) const { mprotect(region_.edge(), page_size(), protection); }

    EdgeRegion region_;
    std::vector<unsigned char> image_;
};

TYPED_TEST(FallibleAtomic, EveryOperationEveryOrderAtTheEdge) {
    using T = TypeParam;
    constexpr std::array<std::pair<T, T>, 3> old_and_operand{{
        {all_ones<T>, all_ones<T>}, {all_ones<T>, T{1}}, {static_cast<T>(0x0123456789abcdefULL), all_ones<T>}}};
    for (const BadPage kind : {BadPage::None, BadPage::ReadOnly, BadPage::Truncated}) {
        KnownEdgeBytes bytes(kind);
        const EdgeRegion& region = bytes.region();
        for (const Operation<T>& operation : operations<T>()) {
            for (const Via via : {Via::Function, Via::Cursor}) {
                for (const std::memory_order order : every_order) {
                    for (const std::ptrdiff_t position : {-2, -1, 0, 1}) {  // in cells from the edge
                        for (const auto& [old, operand] : old_and_operand) {
                            const Case<T> c{operation, via, order, old, operand};
                            auto* const cell = reinterpret_cast<T*>(region.edge()) + position;
                            const bool before_edge = position < 0;
                            if (before_edge || kind == BadPage::ReadOnly) {
                                bytes.put(cell, old);
                            }
                            clear_last_fault();
                            const std::uint64_t faults_before = recovered_fault_count();
                            const Result<Report<T>> report = operation.run(via, cell, old, operand, order);
                            const std::uint64_t faults = recovered_fault_count() - faults_before;
                            if (before_edge || (kind == BadPage::ReadOnly && !operation.needs_write)) {
                                ASSERT_TRUE(report.has_value()) << c << " at cell " << position << " of the "
                                                                << name_of(kind) << " edge";
                                ASSERT_EQ(*report, operation.reports(old, operand)) << c << " at cell " << position;
                                ASSERT_EQ(*cell, operation.leaves(old, operand)) << c << " at cell " << position;
                                if (before_edge) {
                                    bytes.put(cell, *cell);
                                }
                                ASSERT_EQ(faults, 0U) << c << " at cell " << position;
                                ASSERT_FALSE(last_fault().has_value()) << c << " at cell " << position;
                            } else {
                                ASSERT_EQ(report, std::unexpected(Error::PageFault))
                                    << c << " at cell " << position << " of the " << name_of(kind) << " edge";
                                ASSERT_EQ(faults, 1U) << c << " at cell " << position << " of the " << name_of(kind)
                                                      << " edge";
                                const auto fault = last_fault();
                                ASSERT_TRUE(fault.has_value());
                                EXPECT_EQ(fault->address, reinterpret_cast<std::uintptr_t>(cell)) << c;
                                EXPECT_EQ(fault->signal, region.signal()) << c;
                                // valgrind runs x86_64's `xchg` and `lock xadd` as a load and a
                                // compare-and-swap: on an inaccessible page the load faults.
                                const bool access_is_emulated = under_valgrind() && kind != BadPage::ReadOnly;
                                EXPECT_TRUE(access_is_emulated ||
                                            access_matches(fault->access, kind == BadPage::ReadOnly
                                                                              ? Access::Write
                                                                              : operation.first_access))
                                    << c << " on the " << name_of(kind) << " page: access "
                                    << (fault->access ? static_cast<int>(*fault->access) : -1);
                            }
                            ASSERT_TRUE(bytes.unchanged()) << c << " at cell " << position << " of the "
                                                           << name_of(kind) << " edge";
                        }
                    }
                }
            }
        }
    }
}

TYPED_TEST(FallibleAtomic, RawRoutinesReportThroughTheirOutParameters) {
    using T = TypeParam;
    T cell = all_ones<T>;
    T out = 0;
    ASSERT_EQ(raw_load(&cell, &out), 0);
    EXPECT_EQ(out, all_ones<T>);
    ASSERT_EQ(raw_exchange(&cell, T{5}, &out), 0);
    EXPECT_EQ(out, all_ones<T>);
    EXPECT_EQ(cell, T{5});
    ASSERT_EQ(raw_fetch_add(&cell, all_ones<T>, &out), 0);
    EXPECT_EQ(out, T{5});
    EXPECT_EQ(cell, T{4});
    ASSERT_EQ(raw_store(&cell, all_ones<T>), 0);
    EXPECT_EQ(cell, all_ones<T>);
    T expected = all_ones<T>;
    ASSERT_EQ(raw_cmpxchg(&cell, &expected, T{0}), 0);
    EXPECT_EQ(expected, all_ones<T>);
    EXPECT_EQ(cell, T{0});
    ASSERT_EQ(raw_cmpxchg(&cell, &expected, T{1}), 0);
    EXPECT_EQ(expected, T{0});  // the value found
    EXPECT_EQ(cell, T{0});
}

TYPED_TEST(FallibleAtomic, RawRoutinesWriteNoOutParameterOnAFault) {
    using T = TypeParam;
    constexpr T untouched = 77;
    for (const BadPage kind : {BadPage::None, BadPage::ReadOnly, BadPage::Truncated}) {
        const EdgeRegion region(kind);
        auto* const cell = reinterpret_cast<T*>(region.edge());
        T out = untouched;
        if (kind == BadPage::ReadOnly) {
            EXPECT_EQ(raw_load(cell, &out), 0);
            EXPECT_EQ(out, T{0});
            out = untouched;
        } else {
            EXPECT_EQ(raw_load(cell, &out), VMIO_FAULTED) << name_of(kind);
        }
        EXPECT_EQ(raw_store(cell, all_ones<T>), VMIO_FAULTED) << name_of(kind);
        EXPECT_EQ(raw_exchange(cell, all_ones<T>, &out), VMIO_FAULTED) << name_of(kind);
        EXPECT_EQ(raw_fetch_add(cell, all_ones<T>, &out), VMIO_FAULTED) << name_of(kind);
        EXPECT_EQ(out, untouched) << name_of(kind);
        for (T expected : {T{0}, untouched}) {  // matching the read-only page's zero, and not
            const T sent = expected;
            EXPECT_EQ(raw_cmpxchg(cell, &expected, all_ones<T>), VMIO_FAULTED) << name_of(kind);
            EXPECT_EQ(expected, sent) << name_of(kind);
        }
        if (kind == BadPage::ReadOnly) {
            EXPECT_EQ(*cell, T{0});
        }
    }
}

TYPED_TEST(FallibleAtomic, CursorOperationsActAtTheCursorAndNeedAWholeValue) {
    using T = TypeParam;
    std::array<T, 4> cells{10, 20, 30, 40};
    auto writer = VmWriter<Fallible>::from_user_space(cells.data(), sizeof cells);
    writer.skip(2 * sizeof(T));
    EXPECT_EQ(writer.atomic_exchange(T{33}, std::memory_order_acq_rel), T{30});
    EXPECT_EQ(writer.atomic_fetch_add(T{1}, std::memory_order_release), T{33});
    EXPECT_EQ(writer.template atomic_fetch_update<T>([](T value) { return static_cast<T>(value * 2); }), T{34});
    EXPECT_EQ(writer.atomic_compare_exchange(T{68}, T{7}, std::memory_order_seq_cst), (CompareExchange<T>{68, true}));
    EXPECT_TRUE(writer.atomic_store(T{8}, std::memory_order_release).has_value());
    EXPECT_EQ(cells, (std::array<T, 4>{10, 20, 8, 40}));
    EXPECT_EQ(writer.avail(), 2 * sizeof(T));
    auto reader = VmReader<Fallible>::from_user_space(cells.data(), sizeof cells);
    ASSERT_EQ(reader.template read_val<T>(), T{10});
    EXPECT_EQ(reader.template atomic_load<T>(std::memory_order_acquire), T{20});
    EXPECT_EQ(reader.remain(), 3 * sizeof(T));

    const auto short_writer = VmWriter<Fallible>::from_user_space(&cells[3], sizeof(T) - 1);
    bool updated = false;
    EXPECT_EQ(short_writer.atomic_store(T{1}), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(short_writer.atomic_exchange(T{1}), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(short_writer.atomic_fetch_add(T{1}), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(short_writer.atomic_compare_exchange(T{40}, T{1}), std::unexpected(Error::InvalidArgs));
    EXPECT_EQ(short_writer.template atomic_fetch_update<T>([&](T value) {
        updated = true;
        return value;
    }),
              std::unexpected(Error::InvalidArgs));
    EXPECT_FALSE(updated);
    EXPECT_EQ(short_writer.avail(), sizeof(T) - 1);
    EXPECT_EQ(cells[3], T{40});
    const auto short_reader = VmReader<Fallible>::from_user_space(&cells[3], sizeof(T) - 1);
    EXPECT_EQ(short_reader.template atomic_load<T>(), std::unexpected(Error::InvalidArgs));
}

constexpr int contenders = 4;
constexpr int rounds = 10000;  // per thread

/// Runs `body(thread_index)` on `contenders` threads that start together, and joins them.
template <typename Body>
void contend(Body body) {
    std::latch start(contenders);
    std::vector<std::thread> threads;
    for (int i = 0; i < contenders; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            body(i);
        });
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
}

TYPED_TEST(FallibleAtomic, NoIncrementIsLostUnderContention) {
    using T = TypeParam;
    constexpr T total = contenders * rounds;
    for (const std::memory_order order : every_order) {
        T cell = 0;
        contend([&](int) {
            for (int i = 0; i < rounds; ++i) {
                (void)atomic_fetch_add_fallible(&cell, T{1}, order).value();
            }
        });
        EXPECT_EQ(cell, total) << "fetch_add, order " << static_cast<int>(order);

        cell = 0;
        contend([&](int) {
            for (int i = 0; i < rounds; ++i) {
                (void)atomic_fetch_update_fallible(&cell, [](T value) { return static_cast<T>(value + 1); }, order)
                    .value();
            }
        });
        EXPECT_EQ(cell, total) << "fetch_update, order " << static_cast<int>(order);

        cell = 0;
        contend([&](int) {
            for (int i = 0; i < rounds; ++i) {
                T seen = atomic_load_fallible(&cell, order).value();
                for (;;) {
                    const CompareExchange<T> outcome =
                        atomic_compare_exchange_fallible(&cell, seen, static_cast<T>(seen + 1), order).value();
                    if (outcome.exchanged) {
                        break;
                    }
                    seen = outcome.previous;
                }
            }
        });
        EXPECT_EQ(cell, total) << "compare_exchange, order " << static_cast<int>(order);
    }
}

TYPED_TEST(FallibleAtomic, ExchangesNeitherLoseNorDuplicateAValue) {
    using T = TypeParam;
    for (const std::memory_order order : every_order) {
        T cell = 0;  // the tokens are 0 (in the cell) and 1..contenders (one per thread)
        std::array<T, contenders> held{};
        contend([&](int thread) {
            T token = static_cast<T>(thread + 1);
            for (int i = 0; i < rounds; ++i) {
                token = atomic_exchange_fallible(&cell, token, order).value();
            }
            held[static_cast<std::size_t>(thread)] = token;
        });
        std::vector<T> tokens(held.begin(), held.end());
        tokens.push_back(cell);
        std::ranges::sort(tokens);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            EXPECT_EQ(tokens[i], static_cast<T>(i)) << "order " << static_cast<int>(order);
        }
    }
}

TYPED_TEST(FallibleAtomic, StoresAndLoadsDoNotTear) {
    using T = TypeParam;
    constexpr std::array<T, 2> whole{T{0}, all_ones<T>};
    for (const std::memory_order order : every_order) {
        T cell = 0;
        std::array<int, contenders> torn{};
        contend([&](int thread) {
            for (int i = 0; i < rounds; ++i) {
                if (thread == 0) {
                    (void)atomic_store_fallible(&cell, whole[static_cast<std::size_t>(i % 2)], order).value();
                    continue;
                }
                const T seen = atomic_load_fallible(&cell, order).value();
                if (seen != whole[0] && seen != whole[1]) {
                    ++torn[static_cast<std::size_t>(thread)];
                }
            }
        });
        EXPECT_EQ(std::ranges::count(torn, 0), contenders) << "order " << static_cast<int>(order);
    }
}

TEST(FallibleAtomicDeathTest, MisalignedAddressPanics) {
    alignas(8) unsigned char bytes[16]{};
    EXPECT_DEATH((void)atomic_load_fallible(reinterpret_cast<const std::uint32_t*>(bytes + 1)), "misaligned");
    EXPECT_DEATH((void)atomic_compare_exchange_fallible(reinterpret_cast<std::uint64_t*>(bytes + 4), std::uint64_t{0},
                                                         std::uint64_t{1}),
                 "misaligned");
    auto* const misaligned32 = reinterpret_cast<std::uint32_t*>(bytes + 2);
    auto* const misaligned64 = reinterpret_cast<std::uint64_t*>(bytes + 4);
    EXPECT_DEATH((void)atomic_store_fallible(misaligned32, 1U), "misaligned");
    EXPECT_DEATH((void)atomic_exchange_fallible(misaligned64, std::uint64_t{1}), "misaligned");
    EXPECT_DEATH((void)atomic_fetch_add_fallible(misaligned32, 1U), "misaligned");
    EXPECT_DEATH((void)atomic_fetch_update_fallible(misaligned64, [](std::uint64_t value) { return value + 1; }),
                 "misaligned");
    EXPECT_DEATH((void)VmWriter<Fallible>::from_user_space(misaligned64, 8).atomic_exchange(std::uint64_t{1}),
                 "misaligned");
    EXPECT_DEATH((void)VmReader<Fallible>::from_user_space(misaligned32, 4).atomic_load<std::uint32_t>(), "misaligned");
    EXPECT_EQ(std::ranges::count(bytes, 0), 16);
}

}  // namespace
}  // namespace vmio::test
