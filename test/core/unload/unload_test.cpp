// dlclose() of a plugin that uses vmio leaves no dangling handler: the host, which does not
// link vmio itself, still gets its own handler called for its faults afterwards.
#include <gtest/gtest.h>
#include <dlfcn.h>
#include <unistd.h>

#include <csignal>
#include <cstddef>
#include <string>

#include "death_test_style.hpp"

namespace {

volatile int* volatile null_pointer = nullptr;

void host_handler(int, siginfo_t*, void*) {
    const char message[] = "host handler\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    _exit(42);
}

/// Loads the plugin, runs its faulting copy, unloads it; the name of the vmio library it
/// brought in, or "" on any failure.
std::string load_use_and_unload_plugin() {
    void* plugin = dlopen(VMIO_TEST_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (plugin == nullptr) {
        return "";
    }
    using Copy = std::size_t (*)();
    const auto copy = reinterpret_cast<Copy>(dlsym(plugin, "plugin_faulting_copy"));
    Dl_info vmio{};
    void* vmio_symbol = dlsym(plugin, "vmio_memcpy_fallible");
    if (copy == nullptr || copy() != 8 || vmio_symbol == nullptr || dladdr(vmio_symbol, &vmio) == 0) {
        return "";
    }
    const std::string vmio_name = vmio.dli_fname;
    dlclose(plugin);
    return vmio_name;
}

TEST(UnloadDeathTest, HostFaultAfterDlcloseReachesTheHostHandler) {
    vmio::test::use_fresh_process_death_tests();
    EXPECT_EXIT(
        {
            struct sigaction sa {};
            sa.sa_sigaction = host_handler;
            sa.sa_flags = SA_SIGINFO;
            sigemptyset(&sa.sa_mask);
            sigaction(SIGSEGV, &sa, nullptr);
            if (load_use_and_unload_plugin().empty()) {
                _exit(3);
            }
            *null_pointer = 1;
        },
        testing::ExitedWithCode(42), "host handler");
}

TEST(Unload, VmioStaysLoadedAfterThePluginIsClosed) {
    const std::string vmio_name = load_use_and_unload_plugin();
    ASSERT_FALSE(vmio_name.empty());
    EXPECT_NE(dlopen(vmio_name.c_str(), RTLD_NOW | RTLD_NOLOAD), nullptr) << vmio_name;
}

}  // namespace
