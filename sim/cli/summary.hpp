// How a campaign's result is shown: a human summary or a JSON object (see README, "vmio-sim").
// Both say what stopped the run and, for a failure, the commands that replay it: the failure
// file's, and the case seed's when the seed reproduces the case (not for fuzz).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "campaign.hpp"

namespace vmio::cli {

/// "passed", "failed" or "interrupted" (Ctrl-C, no failure).
[[nodiscard]] std::string result_of(const CampaignReport& report);
/// The command lines that reproduce a failure, the one matching its description first (the
/// file's); none for a fuzz case whose input was not saved (its worker died).
[[nodiscard]] std::vector<std::string> replay_commands(const CampaignFailure& failure);

[[nodiscard]] nlohmann::json to_json(const CampaignReport& report, const std::string& command);
[[nodiscard]] std::string summary_text(const CampaignReport& report, const std::string& command);

}  // namespace vmio::cli
