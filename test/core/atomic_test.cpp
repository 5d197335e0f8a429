// Fallible atomics: success, fault (nothing stored), and values that look like sentinels.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "edge_region.hpp"
#include "fault_access.hpp"
#include "vmio/atomic.hpp"
#include "vmio/fault.hpp"

namespace vmio::test {
namespace {

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

TYPED_TEST(FallibleAtomic, RawCompareExchangeLeavesExpectedAloneOnFault) {
    const EdgeRegion region(BadPage::None);
    TypeParam expected = 77;
    int status;
    if constexpr (sizeof(TypeParam) == 4) {
        status = vmio_atomic_cmpxchg_u32_fallible(reinterpret_cast<std::uint32_t*>(region.edge()), &expected, 1);
    } else {
        status = vmio_atomic_cmpxchg_u64_fallible(reinterpret_cast<std::uint64_t*>(region.edge()), &expected, 1);
    }
    EXPECT_EQ(status, VMIO_FAULTED);
    EXPECT_EQ(expected, TypeParam{77});
}

TEST(FallibleAtomicDeathTest, MisalignedAddressPanics) {
    alignas(8) unsigned char bytes[16]{};
    EXPECT_DEATH((void)atomic_load_fallible(reinterpret_cast<const std::uint32_t*>(bytes + 1)), "misaligned");
    EXPECT_DEATH((void)atomic_compare_exchange_fallible(reinterpret_cast<std::uint64_t*>(bytes + 4), std::uint64_t{0},
                                                         std::uint64_t{1}),
                 "misaligned");
}

}  // namespace
}  // namespace vmio::test
