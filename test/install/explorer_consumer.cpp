// Install test: a plain program (no GoogleTest) explores a small syscall-like body with the
// installed vmio::testing explorer and prints the report.
#include <vmio/testing/explorer.hpp>
#include <vmio/testing/syscall.hpp>

#include <cerrno>
#include <iostream>
#include <vector>

int main() {
    std::vector<std::byte> kernel(16);
    const vmio::testing::Subject copy_in{
        .name = "copy-in",
        .buffers = {{.name = "in", .size = 16}},
        .body = [&](vmio::testing::RunContext& run) -> std::int64_t {
            const vmio::CopyResult copied = run.space().copy_from_user(run.address("in"), kernel);
            const std::size_t done = copied ? *copied : copied.error().copied;
            return done == 0 ? -EFAULT : static_cast<std::int64_t>(done);
        },
    };
    const vmio::testing::Report report = vmio::testing::explore(copy_in);
    std::cout << report;
    return report.passed() && report.count(vmio::testing::RunClass::Surfaced) > 0 ? 0 : 1;
}
