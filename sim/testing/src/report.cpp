// The explorer's report as text.
#include <fmt/format.h>


#include "vmio/testing/explorer.hpp"
#include "vmio/testing/syscall.hpp"

namespace vmio::testing {

std::string format(const Report& report) {
    std::string text = fmt::format("vmio explorer: {}: {} in {} run{} ({:.3f} s){}\n", report.subject,
                                   report.findings == 0 ? std::string("no finding")
                                                        : fmt::format("{} finding{}", report.findings,
                                                                      report.findings == 1 ? "" : "s"),
                                   report.runs, report.runs == 1 ? "" : "s", report.elapsed.count(),
                                   report.stopped_by == StoppedBy::Complete
                                       ? ""
                                       : fmt::format(", stopped by {}", to_string(report.stopped_by)));
    std::string counts;
    for (const RunClass run_class : all_run_classes) {
        if (report.count(run_class) != 0) {
            counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", to_string(run_class), report.count(run_class));
        }
    }
    text += "  runs: " + counts + "\n";
    for (const Finding& finding : report.first_findings) {
        text += fmt::format("  {} at {}: {}\n", to_string(finding.run_class), finding.point, finding.detail);
        text += "    result: " + describe_return(finding.result);
        if (report.fault_free_result) {
            text += " (without faults: " + describe_return(*report.fault_free_result) + ")";
        }
        text += "\n";
        for (const std::string& invariant : finding.broken) {
            text += "    failed: " + invariant + "\n";
        }
        for (const std::string& line : finding.layout) {
            text += "    layout: " + line + "\n";
        }
        text += "    replay: " + finding.replay + "\n";
    }
    return text;
}

std::ostream& operator<<(std::ostream& out, const Report& report) { return out << format(report); }

}  // namespace vmio::testing
