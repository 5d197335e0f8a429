// libFuzzer target: the input is decoded by the same decoder as vmio-sim's campaigns and the
// scenario is checked against the reference model; a broken invariant aborts.
// Run with -handle_segv=0 -handle_bus=0 so that vmio's fault handler, not libFuzzer's, sees
// the simulator's faults.
#include <cstdio>
#include <cstdlib>

#include "vmio/sim/machine.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static vmio::sim::Machine machine(vmio::sim::Machine::Config{.user_pages = 16, .kernel_frames = 256});
    const vmio::check::Scenario scenario = vmio::check::decode_scenario({data, size});
    const vmio::check::CheckReport report = vmio::check::check_scenario(machine, scenario);
    if (report.violation) {
        std::fprintf(stderr, "vmio: invariant '%s' broken: %s\n", report.violation->invariant.c_str(),
                     report.violation->description.c_str());
        std::abort();
    }
    return 0;
}
