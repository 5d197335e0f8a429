// The yardstick of a campaign's efficiency: the bare fault round trip, measured around the
// campaign without disturbing the process's own SIGSEGV handler.
#include <gtest/gtest.h>
#include <pthread.h>

#include <cmath>
#include <csignal>

#include "fault_round_trip.hpp"

namespace vmio::cli {
namespace {

void a_handler(int, siginfo_t*, void*) {}

class FaultRoundTripTest : public ::testing::Test {
protected:
    void SetUp() override {
        struct sigaction mine{};
        mine.sa_sigaction = a_handler;
        mine.sa_flags = SA_SIGINFO;
        sigemptyset(&mine.sa_mask);
        ASSERT_EQ(sigaction(SIGSEGV, &mine, &saved_), 0);
    }
    void TearDown() override { sigaction(SIGSEGV, &saved_, nullptr); }

    static void* current_handler() {
        struct sigaction now{};
        sigaction(SIGSEGV, nullptr, &now);
        return reinterpret_cast<void*>(now.sa_sigaction);
    }

    struct sigaction saved_{};
};

TEST_F(FaultRoundTripTest, IsUnknownUntilMeasured) { EXPECT_FALSE(FaultRoundTrip().seconds()); }

TEST_F(FaultRoundTripTest, IsTheMedianOfEveryBatchAndLeavesTheProcessHandlerInstalled) {
    FaultRoundTrip round_trip;
    round_trip.measure();
    ASSERT_TRUE(round_trip.seconds());
    EXPECT_EQ(round_trip.batches(), 11U);
    EXPECT_TRUE(std::isfinite(*round_trip.seconds()));
    EXPECT_GT(*round_trip.seconds(), 0.0);
    EXPECT_EQ(current_handler(), reinterpret_cast<void*>(a_handler));
    round_trip.measure();  // after the campaign: the median of both
    EXPECT_EQ(round_trip.batches(), 22U);
    EXPECT_GT(*round_trip.seconds(), 0.0);
    EXPECT_EQ(current_handler(), reinterpret_cast<void*>(a_handler));
}

TEST_F(FaultRoundTripTest, IsNotMeasuredWhileSigsegvIsBlocked) {
    sigset_t segv;
    sigemptyset(&segv);
    sigaddset(&segv, SIGSEGV);
    ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &segv, nullptr), 0);
    FaultRoundTrip round_trip;
    round_trip.measure();  // the probe's fault would kill the process
    pthread_sigmask(SIG_UNBLOCK, &segv, nullptr);
    EXPECT_FALSE(round_trip.seconds());
    EXPECT_EQ(round_trip.batches(), 0U);
}

}  // namespace
}  // namespace vmio::cli
