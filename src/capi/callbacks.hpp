// The C callbacks as the C++ interfaces the core calls: CertificateVerifier, KeyLog and
// SessionStore, each holding a function pointer and its userdata.
#pragma once

#include <memory>

#include "bastion.h"
#include "bastion/config.hpp"
#include "bastion/session.hpp"

namespace bastion::capi {

std::shared_ptr<const CertificateVerifier> callback_verifier(bastion_verify_callback callback,
                                                             void* userdata);
std::shared_ptr<const KeyLog> callback_key_log(bastion_key_log_callback callback, void* userdata);
std::shared_ptr<SessionStore> callback_session_store(bastion_session_put_callback put,
                                                     bastion_session_take_callback take,
                                                     void* userdata);

}  // namespace bastion::capi
