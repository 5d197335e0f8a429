// How a campaign's result is shown: a human summary or a JSON object.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "campaign.hpp"

namespace vmio::cli {

[[nodiscard]] nlohmann::json to_json(const CampaignReport& report, const std::string& command);
void print_summary(const CampaignReport& report, const std::string& command);

}  // namespace vmio::cli
