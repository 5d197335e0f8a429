// What must not compile: combinations Asterinas does not have, copying a writer, single
// accesses of types that may tear, and unsafe constructors given the wrong safety tag.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <span>

#include "vmio/pod.hpp"
#include "vmio/reader.hpp"
#include "vmio/safety.hpp"
#include "vmio/vm_buffer.hpp"
#include "vmio/writer.hpp"

namespace vmio::test {
namespace {

template <typename R, typename W>
concept CanReadFallible = requires(R& reader, W& writer) { reader.read_fallible(writer); };
template <typename W, typename R>
concept CanWriteFallible = requires(W& writer, R& reader) { writer.write_fallible(reader); };
template <typename R, typename W>
concept CanRead = requires(R& reader, W& writer) { reader.read(writer); };

static_assert(CanReadFallible<VmReader<Fallible>, VmWriter<Infallible>>);
static_assert(CanReadFallible<VmReader<Fallible>, VmWriter<Fallible>>);
static_assert(CanReadFallible<VmReader<Infallible>, VmWriter<Fallible>>);
static_assert(!CanReadFallible<VmReader<Infallible>, VmWriter<Infallible>>);
static_assert(CanWriteFallible<VmWriter<Fallible>, VmReader<Infallible>>);
static_assert(CanWriteFallible<VmWriter<Fallible>, VmReader<Fallible>>);
static_assert(CanWriteFallible<VmWriter<Infallible>, VmReader<Fallible>>);
static_assert(!CanWriteFallible<VmWriter<Infallible>, VmReader<Infallible>>);
static_assert(CanRead<VmReader<Infallible>, VmWriter<Infallible>>);
static_assert(!CanRead<VmReader<Fallible>, VmWriter<Infallible>>);
static_assert(!CanRead<VmReader<Infallible>, VmWriter<Fallible>>);

static_assert(std::is_copy_constructible_v<VmReader<Fallible>> && std::is_copy_assignable_v<VmReader<Infallible>>);
static_assert(!std::is_copy_constructible_v<VmWriter<Fallible>> && !std::is_copy_assignable_v<VmWriter<Fallible>>);
static_assert(!std::is_copy_constructible_v<VmWriter<Infallible>> && !std::is_copy_assignable_v<VmWriter<Infallible>>);
static_assert(std::is_nothrow_move_constructible_v<VmWriter<Fallible>>);
static_assert(!std::is_copy_constructible_v<VmBuffer>);

struct Three {
    std::uint8_t bytes[3];
};
struct alignas(16) Sixteen {
    std::uint64_t words[2];
};
struct Unaligned32 {
    std::uint16_t halves[2];
};
struct WithPointer {
    int* pointer;
};

}  // namespace
}  // namespace vmio::test

template <> inline constexpr bool vmio::enable_pod_once<vmio::test::Three> = true;
template <> inline constexpr bool vmio::enable_pod_once<vmio::test::Sixteen> = true;
template <> inline constexpr bool vmio::enable_pod_once<vmio::test::Unaligned32> = true;

namespace vmio::test {
namespace {

template <typename T>
concept CanReadOnce = requires(VmReader<Infallible>& reader) { reader.template read_once<T>(); };
template <typename T>
concept CanWriteOnce = requires(VmWriter<Infallible>& writer, const T& value) { writer.write_once(value); };
template <typename T>
concept CanReadVal = requires(VmReader<Fallible>& reader) { reader.template read_val<T>(); };

static_assert(CanReadOnce<std::uint8_t> && CanReadOnce<std::int64_t> && CanWriteOnce<std::uint16_t>);
static_assert(!CanReadOnce<Three> && !CanWriteOnce<Three>, "3 bytes cannot be one access");
static_assert(!CanReadOnce<Sixteen> && !CanWriteOnce<Sixteen>, "16 bytes tear");
static_assert(!CanReadOnce<Unaligned32>, "a 4-byte type aligned to 2 may straddle a cache line");
static_assert(!CanReadOnce<std::array<std::uint8_t, 4>>, "not opted in");
static_assert(!CanReadOnce<bool> && !CanReadOnce<float>);
static_assert(!CanReadVal<WithPointer*> && !CanReadVal<bool> && CanReadVal<Three> && CanReadVal<Sixteen>);
static_assert(!Pod<const int> && !Pod<int&> && Pod<std::array<std::uint32_t, 4>>);

template <typename R, typename T>
concept HasReadOnce = requires(R& reader) { reader.template read_once<T>(); };
template <typename R>
concept HasCollect = requires(R& reader) { reader.collect(); };
template <typename R, typename T>
concept HasAtomicLoad = requires(R& reader) { reader.template atomic_load<T>(); };
template <typename W>
concept HasCompareExchange = requires(W& writer) { writer.atomic_compare_exchange(1U, 2U); };
template <typename W>
concept HasFill = requires(W& writer) { writer.fill(1U); };
template <typename C>
concept ConvertsToFallibleInPlace = requires(C& cursor) { cursor.to_fallible(); };
template <typename C, typename... Args>
concept FromUserSpace = requires(Args... args) { C::from_user_space(args...); };
template <typename C, typename... Args>
concept FromKernelSpace = requires(Args... args) { C::from_kernel_space(args...); };
template <typename C>
concept FromUserSpaceWithAnonymousTag = requires(const void* p) { C::from_user_space(p, 1, {}); };

static_assert(HasReadOnce<VmReader<Infallible>, std::uint32_t>);
static_assert(!HasReadOnce<VmReader<Fallible>, std::uint32_t>, "read_once is for infallible memory, as in Asterinas");
static_assert(HasCollect<VmReader<Fallible>> && !HasCollect<VmReader<Infallible>>);
static_assert(HasAtomicLoad<VmReader<Fallible>, std::uint32_t> && HasAtomicLoad<VmReader<Fallible>, std::uint64_t>);
static_assert(!HasAtomicLoad<VmReader<Infallible>, std::uint32_t> && !HasAtomicLoad<VmReader<Fallible>, std::uint16_t>);
static_assert(HasCompareExchange<VmWriter<Fallible>> && !HasCompareExchange<VmWriter<Infallible>>);
static_assert(HasFill<VmWriter<Infallible>> && !HasFill<VmWriter<Fallible>>);
static_assert(ConvertsToFallibleInPlace<VmReader<Infallible>> && !ConvertsToFallibleInPlace<VmReader<Fallible>>);
static_assert(!ConvertsToFallibleInPlace<VmWriter<Infallible>>, "to_fallible consumes the writer");

using UserSpaceTag = safety::UserSpace;
using ValidUseTag = safety::ValidUse;
static_assert(FromUserSpace<VmReader<Fallible>, const void*, std::size_t, UserSpaceTag>);
static_assert(FromUserSpace<VmReader<Fallible>, const void*, std::size_t>, "Asterinas' (ptr, len) form stays");
static_assert(!FromUserSpaceWithAnonymousTag<VmReader<Fallible>>, "and must be named");
static_assert(FromKernelSpace<VmWriter<Infallible>, void*, std::size_t, ValidUseTag>);
static_assert(FromKernelSpace<VmWriter<Infallible>, void*, std::size_t>, "Asterinas' (ptr, len) form stays");
static_assert(!FromKernelSpace<VmWriter<Infallible>, void*, std::size_t, UserSpaceTag>);
static_assert(!FromUserSpace<VmReader<Infallible>, const void*, std::size_t, UserSpaceTag>);
static_assert(!FromKernelSpace<VmReader<Fallible>, const void*, std::size_t, ValidUseTag>);
static_assert(!std::is_constructible_v<VmReader<Fallible>, std::span<const std::uint8_t>>);
static_assert(!std::is_constructible_v<VmWriter<Infallible>, std::span<const std::uint8_t>>);

TEST(Compile, AllStaticAssertionsHold) { SUCCEED(); }

}  // namespace
}  // namespace vmio::test
