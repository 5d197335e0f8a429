#include "vmio/layout.hpp"

#include <pthread.h>

#include <mutex>

namespace vmio {
namespace {

// Every layout installed so far, newest first, each in a record that is never changed or
// freed (vmio/layout.hpp). The list is walked and extended only under `setter`.
struct Record {
    AddressLayout layout;
    const Record* next;
};

constinit const Record permissive{AddressLayout{}, nullptr};
constinit const Record* records = &permissive;
constinit std::mutex setter;

// A process forked while another thread installed a layout would inherit `setter` held and hang
// at its first set_address_layout: the forking thread holds it across fork instead.
[[maybe_unused]] const int setter_held_across_fork =
    pthread_atfork([]() noexcept { setter.lock(); }, []() noexcept { setter.unlock(); },
                   []() noexcept { setter.unlock(); });

}  // namespace

constinit std::atomic<const AddressLayout*> detail::installed_address_layout{&permissive.layout};

void set_address_layout(const AddressLayout& layout) {
    const std::lock_guard lock(setter);
    const Record* record = records;
    while (record != nullptr && record->layout != layout) {
        record = record->next;
    }
    if (record == nullptr) {
        record = records = new Record{layout, records};
    }
    detail::installed_address_layout.store(&record->layout, std::memory_order_release);
}

AddressLayout address_layout() noexcept {
    return *detail::installed_address_layout.load(std::memory_order_acquire);
}

}  // namespace vmio
