// Included first by every C++ header of vmio: its C++ API is C++23 (std::expected and more).
// C code includes <vmio/fallible.h> and <vmio/version.h>, which are C.
#pragma once

#if !defined(__cplusplus) || __cplusplus <= 202002L
#error "vmio's C++ headers need C++23 (-std=c++23 or later); from C, include <vmio/fallible.h>"
#endif
