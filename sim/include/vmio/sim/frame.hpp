// One frame of simulated physical memory (the seed's UFrame): a Segment of one page.
#pragma once

#include "vmio/sim/segment.hpp"

namespace vmio::sim {

class Frame : public Segment {
private:
    friend class Segment;
    explicit Frame(Segment one) noexcept : Segment(std::move(one)) {}
};

}  // namespace vmio::sim
