// The README's "Testing your kernel code at every fault point" example, run: a plain program.
// README:begin
#include <vmio/testing/explorer.hpp>
#include <vmio/testing/syscall.hpp>   // syscall_return: a count, or minus an errno

#include <deque>
#include <iostream>
#include <string>

// The code under test: a kernel message queue whose recv() copies the oldest message out.
class Mailbox {
public:
    void post(std::string message) { messages_.push_back(std::move(message)); }
    [[nodiscard]] std::size_t pending() const { return messages_.size(); }

    // The message's length; a fault keeps the message queued: PageFault (EFAULT).
    vmio::Result<std::size_t> recv(vmio::VmWriter<vmio::Fallible>& to) {
        if (messages_.empty()) {
            return 0;
        }
        const std::string& message = messages_.front();
        if (to.avail() < message.size()) {
            return std::unexpected(vmio::Error::InvalidArgs);
        }
        vmio::VmReader from{std::span(reinterpret_cast<const std::byte*>(message.data()), message.size())};
        if (const vmio::CopyResult copied = to.write_fallible(from); !copied) {
            return std::unexpected(copied.error().error);
        }
        messages_.pop_front();
        return message.size();
    }

private:
    std::deque<std::string> messages_;
};

int main() {
    using namespace vmio::testing;
    Mailbox mailbox;
    const Subject recv{
        .name = "mailbox-recv",
        .buffers = {{.name = "buf", .size = 64}},           // the user buffer recv() writes
        .setup = [&](RunContext&) {                         // fresh kernel state for every run
            mailbox = Mailbox();
            mailbox.post("hello, world");
            mailbox.post("bye");
        },
        .body = [&](RunContext& run) {                      // the system call
            vmio::VmWriter<vmio::Fallible> to = run.writer("buf");
            return syscall_return(mailbox.recv(to));
        },
        .check = [&](RunContext& run, std::int64_t result) {  // after every run
            run.expect((result > 0) == (mailbox.pending() == 1),
                       "a message leaves the queue exactly when it was delivered");
            const std::vector<std::byte> got = run.bytes("buf");
            run.expect(result <= 0 || std::string(reinterpret_cast<const char*>(got.data()), 12) == "hello, world",
                       "the caller received the oldest message");
        },
    };
    const Report report = explore(recv);  // every page and byte of "buf", three fault kinds
    std::cout << report;                  // counts per class; each finding with layout and replay
    return report.passed() ? 0 : 1;
}
// README:end
