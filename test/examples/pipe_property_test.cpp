// The explorer inside a RapidCheck property: pipes of any capacity, fill level and ring
// position, read into a buffer of any size, have no finding at any fault point, and the
// planted bug is found in every shape that can lose a byte.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>

#include "pipe.hpp"
#include "vmio/testing/explorer.hpp"

namespace vmio::examples {
namespace {

struct Shape {
    std::size_t capacity, held, start, buffer;
};

testing::Subject pipe_read(const Shape& shape, bool planted) {
    auto pipe = std::make_shared<Pipe>(shape.capacity, planted);
    std::vector<std::byte> held(shape.held);
    for (std::size_t i = 0; i < held.size(); ++i) {
        held[i] = static_cast<std::byte>(i + 1);
    }
    return {
        .name = "pipe-read",
        .buffers = {{.name = "out", .size = shape.buffer}},
        .setup = [=](testing::RunContext&) {
            *pipe = Pipe(shape.capacity, planted);
            pipe->preload(held, shape.start);
        },
        .body = [=](testing::RunContext& run) {
            VmWriter<Fallible> out = run.writer("out");
            return syscall_return(pipe->read(out));
        },
        .check = [=](testing::RunContext& run, std::int64_t result) {
            const std::size_t received = result > 0 ? static_cast<std::size_t>(result) : 0;
            run.expect(pipe->size() + received == held.size(), "bytes taken out of the pipe == bytes received");
        },
    };
}

rc::Gen<Shape> shapes() {
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 5000), [](std::size_t capacity) {
        return rc::gen::build<Shape>(rc::gen::set(&Shape::capacity, rc::gen::just(capacity)),
                                     rc::gen::set(&Shape::held, rc::gen::inRange<std::size_t>(0, capacity + 1)),
                                     rc::gen::set(&Shape::start, rc::gen::inRange<std::size_t>(0, capacity)),
                                     rc::gen::set(&Shape::buffer, rc::gen::inRange<std::size_t>(0, 300)));
    });
}

RC_GTEST_PROP(PipeExploration, EveryShapeHasNoFinding, ()) {
    const Shape shape = *shapes();
    const testing::Report report = testing::explore(pipe_read(shape, false));
    RC_ASSERT(report.passed());
    RC_ASSERT(report.stopped_by == testing::StoppedBy::Complete);
}

RC_GTEST_PROP(PipeExploration, ConsumingBeforeTheCopyIsFoundWheneverAByteCanBeLost, ()) {
    const Shape shape = *shapes();
    const testing::Report report = testing::explore(pipe_read(shape, true));
    // A byte can be lost when the read moves any: the pipe holds some and the buffer has room.
    RC_ASSERT(report.passed() == (shape.held == 0 || shape.buffer == 0));
}

}  // namespace
}  // namespace vmio::examples
