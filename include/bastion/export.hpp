// Marks the public API. The library is built with hidden visibility, so that only what these
// headers declare is exported from libbastion.so; everything else stays internal.
#pragma once

#define BASTION_API __attribute__((visibility("default")))
// For the definitions of types that a public class only declares (Connection::Impl): nested in
// an exported class, they would be exported with it.
#define BASTION_INTERNAL __attribute__((visibility("hidden")))
