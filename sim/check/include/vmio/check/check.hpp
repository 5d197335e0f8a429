// The checker: everything in one include.
#pragma once

#include "vmio/check/byte_source.hpp"
#include "vmio/check/check_stats.hpp"
#include "vmio/check/describe.hpp"
#include "vmio/check/minimise.hpp"
#include "vmio/check/model.hpp"
#include "vmio/check/outcome.hpp"
#include "vmio/check/reference_model.hpp"
#include "vmio/check/scenario.hpp"
#include "vmio/check/scenario_check.hpp"
#include "vmio/check/scenario_state.hpp"
#include "vmio/check/split_mix.hpp"
#include "vmio/check/task_scenario.hpp"
