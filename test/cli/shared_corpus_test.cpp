// The shared corpus: what one writer adds, another reads once; files are named by their content
// and never seen half-written (dot-files are skipped); reading back waits for its period; many
// processes adding overlapping inputs at once leave exactly their union, each file whole.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "scenario_file.hpp"
#include "shared_corpus.hpp"
#include "temp_dir.hpp"

namespace vmio::cli {
namespace {

using namespace std::chrono_literals;

// The names of the files in a directory.
std::set<std::string> names(const TempDir& dir) {
    std::set<std::string> found;
    for (const std::filesystem::path& file : dir.files()) {
        found.insert(file.filename().string());
    }
    return found;
}

TEST(SharedCorpus, WhatOneWriterAddsAnotherReadsOnce) {
    const TempDir dir;
    SharedCorpus a(dir.path);
    SharedCorpus b(dir.path);
    const Bytes input{1, 2, 3};
    a.add(input);
    EXPECT_EQ(names(dir), std::set<std::string>{content_name(input)});
    EXPECT_EQ(read_regular_file(dir.path / content_name(input)).value(), input);
    EXPECT_EQ(b.take_new(), std::vector<Bytes>{input});
    EXPECT_TRUE(b.take_new().empty());
    EXPECT_TRUE(a.take_new().empty());  // its own
    b.add(input);                        // known: nothing written twice
    EXPECT_EQ(names(dir).size(), 1U);
}

TEST(SharedCorpus, SkipsDotFilesAndReadsAnyOtherFile) {
    const TempDir dir;
    std::ofstream(dir.path / ".tmp-elsewhere-1-1") << "half";
    std::ofstream(dir.path / "seed-1") << "abc";
    SharedCorpus corpus(dir.path);
    EXPECT_EQ(corpus.take_new(), (std::vector<Bytes>{{'a', 'b', 'c'}}));
}

TEST(SharedCorpus, ReadsBackOnlyWhenItsPeriodHasPassed) {
    const TempDir dir;
    SharedCorpus slow(dir.path, 3600s);
    SharedCorpus writer(dir.path);
    EXPECT_TRUE(slow.take_new().empty());
    writer.add(Bytes{9});
    EXPECT_TRUE(slow.take_new_if_due().empty());
    SharedCorpus eager(dir.path, 0ms);
    EXPECT_EQ(eager.take_new_if_due(), std::vector<Bytes>{Bytes{9}});
}

TEST(SharedCorpus, ConcurrentWritersLeaveExactlyTheUnionOfWholeFiles) {
    const TempDir dir;
    constexpr int writers = 4;
    constexpr int inputs = 60;
    // Writer w adds inputs w*20 .. w*20+59: neighbours overlap by 40.
    const auto input = [](int n) { return Bytes(static_cast<std::size_t>(100 + n), static_cast<std::uint8_t>(n)); };
    std::vector<pid_t> children;
    for (int w = 0; w < writers; ++w) {
        const pid_t pid = fork();
        if (pid == 0) {
            SharedCorpus corpus(dir.path, 0ms);
            for (int n = w * 20; n < w * 20 + inputs; ++n) {
                corpus.add(input(n));
                (void)corpus.take_new_if_due();
            }
            _exit(0);
        }
        children.push_back(pid);
    }
    for (const pid_t pid : children) {
        int status = 0;
        waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::set<std::string> expected;
    for (int n = 0; n < (writers - 1) * 20 + inputs; ++n) {
        expected.insert(content_name(input(n)));
    }
    EXPECT_EQ(names(dir), expected);  // no temporary file left, nothing missing
    for (const std::string& name : names(dir)) {
        EXPECT_EQ(content_name(read_regular_file(dir.path / name).value()), name);
    }
}

}  // namespace
}  // namespace vmio::cli
