// The names of fault kinds, run classes and stop reasons, and the text form of fault points.
#include <charconv>
#include <stdexcept>
#include <string>
#include <vector>

#include "vmio/testing/explorer.hpp"

namespace vmio::testing {

std::string_view to_string(FaultKind kind) noexcept {
    switch (kind) {
    case FaultKind::NotPresent: return "not-present";
    case FaultKind::ReadOnly: return "read-only";
    case FaultKind::Truncated: return "truncated";
    }
    return "?";
}

sim::PageState page_state_of(FaultKind kind) noexcept {
    switch (kind) {
    case FaultKind::NotPresent: return sim::PageState::Inaccessible;
    case FaultKind::ReadOnly: return sim::PageState::ReadOnly;
    case FaultKind::Truncated: return sim::PageState::Truncated;
    }
    return sim::PageState::Inaccessible;
}

std::string_view to_string(RunClass run_class) noexcept {
    switch (run_class) {
    case RunClass::NotReached: return "not reached";
    case RunClass::Resolved: return "resolved";
    case RunClass::Surfaced: return "surfaced";
    case RunClass::Missed: return "missed";
    case RunClass::WrongError: return "wrong error";
    case RunClass::ResolvedVisible: return "resolved visible";
    case RunClass::Broken: return "broken";
    case RunClass::Undeclared: return "undeclared";
    }
    return "?";
}

std::string_view to_string(StoppedBy stopped_by) noexcept {
    switch (stopped_by) {
    case StoppedBy::Complete: return "complete";
    case StoppedBy::Runs: return "runs";
    case StoppedBy::Time: return "time";
    case StoppedBy::Finding: return "finding";
    case StoppedBy::Caller: return "caller";
    }
    return "?";
}

static_assert(sim::lists_values_in_order(all_fault_kinds));
static_assert(sim::lists_values_in_order(all_run_classes));

std::string to_string(const FaultPoint& point, const Subject& subject) {
    switch (point.where) {
    case FaultPoint::Where::None: return "none";
    case FaultPoint::Where::FirstTouch: return "first-touch";
    case FaultPoint::Where::Page:
    case FaultPoint::Where::Byte: break;
    }
    return std::string(point.where == FaultPoint::Where::Page ? "page:" : "byte:") + subject.buffers.at(point.buffer).name +
           ":" + std::to_string(point.offset) + ":" + std::string(to_string(point.kind));
}

FaultPoint parse_fault_point(std::string_view text, const Subject& subject) {
    const auto fail = [&](std::string_view why) {
        throw std::invalid_argument("vmio explorer: fault point '" + std::string(text) + "' " + std::string(why) +
                                    " (forms: none, first-touch, page:BUFFER:PAGE:KIND, byte:BUFFER:BYTE:KIND; "
                                    "KIND: not-present, read-only, truncated)");
    };
    if (text == "none") {
        return {};
    }
    if (text == "first-touch") {
        return {.where = FaultPoint::Where::FirstTouch};
    }
    // WHERE:BUFFER:OFFSET:KIND
    std::vector<std::string_view> fields;
    for (std::size_t from = 0;;) {
        const std::size_t colon = text.find(':', from);
        fields.push_back(text.substr(from, colon == std::string_view::npos ? std::string_view::npos : colon - from));
        if (colon == std::string_view::npos) {
            break;
        }
        from = colon + 1;
    }
    if (fields.size() != 4 || (fields[0] != "page" && fields[0] != "byte")) {
        fail("does not parse");
    }
    FaultPoint point{.where = fields[0] == "page" ? FaultPoint::Where::Page : FaultPoint::Where::Byte};
    bool named = false;
    for (std::size_t i = 0; i < subject.buffers.size(); ++i) {
        if (subject.buffers[i].name == fields[1]) {
            point.buffer = i;
            named = true;
        }
    }
    if (!named) {
        fail("names no buffer of subject '" + subject.name + "'");
    }
    const auto [end, error] = std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), point.offset);
    if (error != std::errc{} || end != fields[2].data() + fields[2].size()) {
        fail("has no offset that parses");
    }
    const std::size_t size = subject.buffers[point.buffer].size;
    const std::size_t pages = (size + sim::page_size - 1) / sim::page_size;  // in the default placement
    if (point.where == FaultPoint::Where::Byte ? point.offset >= size : point.offset >= pages) {
        fail("lies past the end of its buffer");
    }
    bool kind_named = false;
    for (const FaultKind kind : all_fault_kinds) {
        if (to_string(kind) == fields[3]) {
            point.kind = kind;
            kind_named = true;
        }
    }
    if (!kind_named) {
        fail("has no fault kind that parses");
    }
    return point;
}

}  // namespace vmio::testing
