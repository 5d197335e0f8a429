// Fuzz target (libFuzzer, and any engine of OSS-Fuzz / ClusterFuzzLite through
// $LIB_FUZZING_ENGINE): the input is decoded by the same decoder as vmio-sim's campaigns and
// the scenario is checked against the reference model; a broken invariant aborts.
//
// Signal handlers: who sees SIGSEGV / SIGBUS first, and why the target runs without
// -handle_segv=0 -handle_bus=0.
//
// The simulator's faults are normal events here (thousands per second), recovered by vmio's
// handler; a fault anywhere else is a bug that the sanitizer or the engine must report. The
// handlers are installed in this order:
//   1. the sanitizer runtime, before any constructor (ASan, UBSan, MSan; clang's
//      -fsanitize=fuzzer alone links UBSan's): its deadly-signal report;
//   2. vmio, when the library is loaded (src/fault/installation.cpp). It chains every fault
//      that is not its own to the handler it replaced: the sanitizer's;
//   3. LLVMFuzzerInitialize below, which libFuzzer calls before installing its handlers;
//   4. libFuzzer (FuzzerUtilPosix.cpp, SetSigaction): for SIGSEGV, finding an SA_SIGINFO
//      handler (vmio's), it installs one that only calls it ("upstream"); SIGBUS it leaves
//      to the handler that is there.
// A fault thus reaches vmio directly (SIGBUS) or through libFuzzer (SIGSEGV); vmio recovers
// its own (resolver, exception table) and chains any other to the sanitizer, which reports
// it and has libFuzzer write the crashing input.
//
// So vmio must be on top BEFORE libFuzzer installs its handlers, and never be installed
// again after them: vmio would then take libFuzzer's handler for its previous one, which
// calls vmio back. vmio's faults would still be recovered, but at the first foreign fault
// vmio's cycle guard would apply the default action: the process dies by SIGSEGV with no
// report and no crashing input (VMIO_FUZZ_SELF_TEST=crash+late-install shows it). That is
// what this target used to do without -handle_segv=0: sim::Machine's constructor calls
// vmio::install_fault_handler(), and the Machine was built at the first input, after
// libFuzzer's handlers. Now LLVMFuzzerInitialize does everything that installs a handler:
// vmio::install_fault_handler() (a no-op when vmio is on top; it also keeps the library's
// load-time installation in a static link) and the Machine.
//
// libFuzzer's SIGSEGV handler has no SA_NODEFER, so SIGSEGV stays blocked while it and vmio's
// run; the simulator's sigsetjmp engine, which leaves the handler by siglongjmp, unblocks it
// (sim/src/recovery_engine.cpp), so faults after a fault are recovered too. One more thing
// makes the chain complete:
//  * Without any sanitizer runtime (an engine linked without one) nothing is below vmio, and
//    a foreign fault would get the default action: death by SIGSEGV, no crashing input.
//    LLVMFuzzerInitialize then puts a reporter below vmio that prints the fault and calls
//    abort(), which the engine reports as a crash, with the input.
//
// VMIO_FUZZ_SELF_TEST (for .ci/clusterfuzzlite; never set it when fuzzing):
//   crash            every input reads an inaccessible page outside the simulator: the
//                    sanitizer or libFuzzer must report it (vmio must not swallow it);
//   no-handler       vmio's handler is removed after the Machine is built: the first
//                    simulated fault must kill the fuzzer;
//   late-install     vmio's handler is installed again at the first input, after libFuzzer's
//                    (the wrong order described above): recovery still works, but the crash
//                    of "crash" is no longer reported by the sanitizer or libFuzzer.
//   crash+late-install   both.
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"
#include "vmio/fault.hpp"
#include "vmio/sim/machine.hpp"

// Defined by every sanitizer runtime; null without one.
extern "C" [[gnu::weak]] void __sanitizer_print_stack_trace();

namespace {

struct SelfTest {
    bool crash = false;
    bool no_handler = false;
    bool late_install = false;
};

SelfTest self_test;
const volatile unsigned char* inaccessible = nullptr;  // for SelfTest::crash

SelfTest read_self_test() {
    SelfTest test;
    const char* value = std::getenv("VMIO_FUZZ_SELF_TEST");
    if (value == nullptr || *value == '\0') {
        return test;
    }
    if (std::strcmp(value, "crash") == 0) {
        test.crash = true;
    } else if (std::strcmp(value, "no-handler") == 0) {
        test.no_handler = true;
    } else if (std::strcmp(value, "late-install") == 0) {
        test.late_install = true;
    } else if (std::strcmp(value, "crash+late-install") == 0) {
        test.crash = test.late_install = true;
    } else {
        std::fprintf(stderr, "VMIO_FUZZ_SELF_TEST='%s': expected crash, no-handler, late-install or "
                             "crash+late-install\n", value);
        std::exit(2);
    }
    std::fprintf(stderr, "vmio fuzz target: self-test '%s'\n", value);
    return test;
}

void write_text(const char* text) { (void)!write(STDERR_FILENO, text, std::strlen(text)); }

// Below vmio when no sanitizer is linked: async-signal-safe (write, abort).
void report_foreign_fault(int sig, siginfo_t* info, void*) {
    char hex[2 + 16 + 1] = "0x";
    auto address = reinterpret_cast<std::uintptr_t>(info->si_addr);
    for (int i = 0; i < 16; ++i) {
        hex[2 + i] = "0123456789abcdef"[(address >> (60 - 4 * i)) & 0xf];
    }
    hex[18] = '\0';
    write_text(sig == SIGBUS ? "vmio fuzz target: SIGBUS" : "vmio fuzz target: SIGSEGV");
    write_text(" at address ");
    write_text(hex);
    write_text(" outside vmio's fallible operations; aborting\n");
    std::abort();
}

void set_action(int sig, const struct sigaction& action) {
    if (sigaction(sig, &action, nullptr) != 0) {
        std::perror("vmio fuzz target: sigaction");
        std::exit(2);
    }
}

vmio::sim::Machine& machine() {
    static vmio::sim::Machine machine(vmio::sim::Machine::Config{.user_pages = 16, .kernel_frames = 256});
    return machine;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    self_test = read_self_test();
    if (&__sanitizer_print_stack_trace == nullptr) {
        struct sigaction reporter{};
        reporter.sa_sigaction = report_foreign_fault;
        reporter.sa_flags = SA_SIGINFO | SA_ONSTACK;
        sigemptyset(&reporter.sa_mask);
        set_action(SIGSEGV, reporter);
        set_action(SIGBUS, reporter);
    }
    vmio::install_fault_handler();  // on top (again, over the reporter), before libFuzzer's
    (void)machine();                // its constructor installs too: here, not after libFuzzer
    if (self_test.no_handler) {
        struct sigaction default_action{};
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        set_action(SIGSEGV, default_action);
        set_action(SIGBUS, default_action);
    }
    if (self_test.crash) {
        void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED) {
            std::perror("vmio fuzz target: mmap");
            std::exit(2);
        }
        inaccessible = static_cast<const unsigned char*>(page);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (self_test.late_install) {
        vmio::install_fault_handler();  // on top of libFuzzer's handler: the wrong order
        self_test.late_install = false;
    }
    if (self_test.crash) {
        (void)*inaccessible;  // a genuine fault, not in vmio's exception table
    }
    const vmio::check::Scenario scenario = vmio::check::decode_scenario({data, size});
    const vmio::check::CheckReport report = vmio::check::check_scenario(machine(), scenario);
    if (report.violation) {
        std::fprintf(stderr, "vmio: invariant '%s' broken: %s\n", report.violation->invariant.c_str(),
                     report.violation->description.c_str());
        std::abort();
    }
    return 0;
}
