// The VmIo-object properties of vmio::testing, on the VM objects vmio ships.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>

#include "vmio/testing/sim_fixture.hpp"
#include "vmio/testing/vm_io_properties.hpp"
#include "vmio/vmio.hpp"

namespace vmio::testing {
namespace {

RC_GTEST_PROP(VmBufferProperties, BehavesAsAVmIoObject, ()) {
    const std::size_t size = *rc::gen::inRange<std::size_t>(1, 3 * sim::page_size);
    VmBuffer buffer(size);
    check_vm_io_object(buffer, size);
}

RC_GTEST_PROP(VmBufferProperties, ThroughASharedPointer, ()) {
    auto buffer = std::make_shared<VmBuffer>(256);
    check_vm_io_object(buffer, 256);
}

RC_GTEST_FIXTURE_PROP(SimTest, SegmentBehavesAsAVmIoObject, ()) {
    const std::size_t frames = *rc::gen::inRange<std::size_t>(1, 4);
    const sim::Segment segment = machine.memory().alloc_segment(frames).value();
    check_vm_io_object(segment, segment.size());
}

}  // namespace
}  // namespace vmio::testing
