// The README's "VM I/O API" example, run: cursors over user memory, an object built on reader()
// and writer(), the ready-made VmBuffer and generic code over objects and pointers.
#include <cassert>
#include <cstdio>
#include <cstring>
#include <memory>

// README:begin
#include <vmio/vmio.hpp>

#include <array>
#include <cstdint>
#include <ranges>
#include <span>

struct Header {
    std::uint32_t kind;
    std::uint32_t length;
};

// Cursors. User memory may fault; a span is infallible memory.
void take_request(const void* uptr, std::size_t ulen) {
    auto user = vmio::VmReader<>::from_user_space(uptr, ulen, vmio::safety::UserSpace{});
    auto header = user.read_val<Header>();                   // PageFault: cursor unchanged
    std::array<std::uint8_t, 64> buf{};
    vmio::VmWriter kernel{std::span(buf)};                   // VmWriter<Infallible>
    vmio::CopyResult n = user.read_fallible(kernel);         // bytes, or {PageFault, exact count}
    auto rest = user.collect();                              // Result<std::vector<std::uint8_t>>
    std::printf("header %s, copied %zu, then %zu more\n", header ? "read" : "faulted", n ? *n : n.error().copied,
                rest ? rest->size() : 0);
}

// Objects: supply reader() and writer(), get the whole VmIo / VmIoOnce / VmIoFill family.
class Frame : public vmio::HasVmReaderWriter<Frame> {
public:
    vmio::VmReader<vmio::Infallible> reader() const { return vmio::VmReader{std::span<const std::uint8_t>(bytes_)}; }
    vmio::VmWriter<vmio::Infallible> writer() const { return vmio::VmWriter{std::span(bytes_)}; }

private:
    mutable std::array<std::uint8_t, 4096> bytes_{};
};

// Generic code takes objects, raw/unique/shared pointers alike:
template <vmio::VmIoObject P>
void zero_header(P& p) { (void)vmio::deref_vm_io(p).fill_zeros(0, 64); }

void use_objects() {
    vmio::VmBuffer page(4096);                               // a ready-made object
    page.write_vals(0, std::views::iota(0u), 8);             // as many as fit, at 8-byte steps
    page.write_val(4, std::uint32_t{7});                     // between the first two values
    auto word = page.read_once<std::uint64_t>(0);            // one non-tearing load: 7 << 32
    auto frame = std::make_unique<Frame>();
    zero_header(page);
    zero_header(frame);
    std::printf("word %#llx\n", static_cast<unsigned long long>(word.value()));
}
// README:end

int main() {
    const Header header{1, 2};
    std::array<std::uint8_t, sizeof(Header) + 100> request{};
    std::memcpy(request.data(), &header, sizeof header);
    take_request(request.data(), request.size());
    use_objects();

    vmio::VmBuffer page(4096);
    page.write_vals(0, std::views::iota(0u), 8);
    page.write_val(4, std::uint32_t{7});
    assert(page.read_once<std::uint64_t>(0).value() == std::uint64_t{7} << 32);
    assert(page.read_val<std::uint32_t>(8).value() == 1);
    std::puts("ok");
}
