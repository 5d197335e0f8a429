// The README's "Property tests and vmio::testing" example, run: properties about one's own VM
// object and about code reading simulated user memory.
#include <cstdint>
#include <span>
#include <vector>

// README:begin
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <vmio/testing/generators.hpp>      // gen::page_layout, page_status, bytes, range_in
#include <vmio/testing/sim_fixture.hpp>     // SimTest: a Machine and an active VmSpace
#include <vmio/testing/vm_io_properties.hpp>

class MyObject : public vmio::HasVmReaderWriter<MyObject> {  // your object
public:
    explicit MyObject(std::size_t size) : bytes_(size) {}
    vmio::VmReader<vmio::Infallible> reader() const { return vmio::VmReader{std::span<const std::uint8_t>(bytes_)}; }
    vmio::VmWriter<vmio::Infallible> writer() const { return vmio::VmWriter{std::span(bytes_)}; }

private:
    mutable std::vector<std::uint8_t> bytes_;
};

RC_GTEST_PROP(MyObject, BehavesAsAVmIoObject, ()) {
    MyObject object(4096);                   // anything with reader()/writer(), or a pointer to it
    vmio::testing::check_vm_io_object(object, 4096);
}

using vmio::testing::SimTest;  // RC_GTEST_FIXTURE_PROP takes an unqualified name

RC_GTEST_FIXTURE_PROP(SimTest, MyCopyStopsAtTheFault, ()) {
    const auto layout = *vmio::testing::gen::page_layout(3);
    lay_out(layout);                         // pages from the start of the user window
    const std::size_t len = layout.size() * vmio::sim::page_size;
    std::vector<std::byte> kernel(len);
    const auto expected = expect_copy_from_user(user(0), kernel);  // the reference model's answer
    auto reader = space.reader(user(0), len).value();
    vmio::VmWriter into{std::span(kernel)};
    const vmio::CopyResult copied = reader.read_fallible(into);    // your code would run here
    RC_ASSERT((copied == expected.result));  // RC_ASSERT is a macro: double parentheses
    RC_ASSERT((kernel == expected.destination));
}
// README:end
