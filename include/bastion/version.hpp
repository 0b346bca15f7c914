// Bastion's version. The macros are kept equal to project(VERSION) in CMakeLists.txt, which
// checks them at configure time.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <string_view>

#define BASTION_VERSION_MAJOR 0
#define BASTION_VERSION_MINOR 1
#define BASTION_VERSION_PATCH 0
#define BASTION_VERSION_STRING "0.1.0"

namespace bastion {

// The version of the library linked in ("0.1.0"), which may differ from the macros of the
// headers a program was compiled with.
BASTION_API std::string_view version();

}  // namespace bastion
