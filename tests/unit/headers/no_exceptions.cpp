// Built with -fno-exceptions (tests/CMakeLists.txt): the public headers must compile for
// programs that turn exceptions off; Result::value() then aborts instead of throwing.
#include "bastion.h"
#include "bastion/bastion.hpp"

int value_or_abort(const bastion::Result<int>& result) {
  return result.value();
}

void check_or_abort(const bastion::Result<void>& result) {
  result.value();
}
