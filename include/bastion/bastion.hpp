// Everything a user of Bastion needs: configs, sans-I/O connections, certificates and trust
// stores, the blocking Stream and the server toolkit.
#pragma once

#include "bastion/ca.hpp"          // IWYU pragma: export
#include "bastion/config.hpp"      // IWYU pragma: export
#include "bastion/connection.hpp"  // IWYU pragma: export
#include "bastion/error.hpp"       // IWYU pragma: export
#include "bastion/server.hpp"      // IWYU pragma: export
#include "bastion/session.hpp"     // IWYU pragma: export
#include "bastion/stream.hpp"      // IWYU pragma: export
#include "bastion/types.hpp"       // IWYU pragma: export
#include "bastion/version.hpp"     // IWYU pragma: export
#include "bastion/x509.hpp"        // IWYU pragma: export
