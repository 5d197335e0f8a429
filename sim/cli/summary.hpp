// How a campaign's result is shown: a human summary or a JSON object (see README, "vmio-sim"),
// and the JSON object read back (to merge shards' reports). Both say what stopped the run and,
// for a failure, the commands that replay it: the failure file's, and the case seed's when the
// seed reproduces the case (not for fuzz). The JSON carries the failure's minimised input
// (input_hex), so a report read back loses nothing a summary shows.
#pragma once

#include <expected>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "campaign.hpp"

namespace vmio::cli {

/// "passed", "failed" or "interrupted" (Ctrl-C, no failure).
[[nodiscard]] std::string result_of(const CampaignReport& report);
/// The command lines that reproduce a failure, the one matching its description first (the
/// file's, or the input itself in hex when the file could not be written); none for a fuzz
/// case without an input (its worker died).
[[nodiscard]] std::vector<std::string> replay_commands(const CampaignFailure& failure);

[[nodiscard]] nlohmann::json to_json(const CampaignReport& report, const std::string& command);
[[nodiscard]] std::string summary_text(const CampaignReport& report, const std::string& command);

/// A campaign report read back from to_json's object.
struct ReadReport {
    std::string command;  ///< "check", "fuzz" or "default campaign"
    std::string version;  ///< of the vmio-sim that wrote it
    CampaignReport report;
};
/// Reads to_json's object back; or why it is not one ("not a vmio-sim campaign report: ...").
[[nodiscard]] std::expected<ReadReport, std::string> report_from_json(const nlohmann::json& json);

}  // namespace vmio::cli
