// One frame of simulated physical memory (Asterinas' UFrame): a Segment of one page.
#pragma once

#include "vmio/sim/segment.hpp"

namespace vmio::sim {

class Frame : public Segment {
private:
    friend class Segment;
    explicit Frame(Segment one) noexcept : Segment(std::move(one)) {}
};

}  // namespace vmio::sim
