#!/bin/bash
# Lists what libbastion.so exports and fails on anything outside the public API: a symbol of an
# internal namespace, a std:: template copy, a stray global. Also fails when a symbol that the
# public headers declare is missing (the export macro left off).
set -euo pipefail
lib=${1:?usage: exported_symbols.sh LIBBASTION_SO}

symbols=$(nm -D --defined-only -C "$lib" | cut -d' ' -f3-)
[ -n "$symbols" ] || { echo "no exported symbols in $lib"; exit 1; }

internal='^(typeinfo for |typeinfo name for |vtable for )?bastion::(core|crypto|msgs|record|handshake|session|conn|config|x509|io|detail|\(anonymous namespace\))::'
impl='::(Impl|Data)(@|$)'  # a public class's private implementation
public='^(typeinfo for |typeinfo name for |vtable for )?bastion::|^bastion_[a-z0-9_]+$|^BASTION_[0-9]+$'
bad=0
while IFS= read -r symbol; do
  name=${symbol%%(*}  # the qualified name, without the parameter list
  if [[ "$name" =~ $internal ]] || [[ "$name" =~ $impl ]] || ! [[ "$name" =~ $public ]]; then
    echo "exported but not public: $symbol"
    bad=1
  fi
done <<< "$symbols"

for expected in 'bastion::ClientConnection::create' 'bastion::Connection::receive' \
                'bastion::Stream::connect' 'bastion::version()' 'bastion::error_category()' \
                'typeinfo for bastion::CertificateVerifier' 'bastion::webpki_verifier'; do
  grep -qF "$expected" <<< "$symbols" || { echo "missing from the exports: $expected"; bad=1; }
done

[ "$bad" = 0 ] && echo "$(wc -l <<< "$symbols") exported symbols, all public"
exit "$bad"
