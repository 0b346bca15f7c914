#!/bin/bash
# Checks what libbastion.so exports, and fails on
# - a change of the ABI: the exported symbols, mangled and without their version (@@BASTION_0),
#   must be those of tests/package/exported_symbols.txt (an export macro left off, an internal
#   symbol let out, a symbol renamed or removed). One exception: the vtable, typeinfo and
#   typeinfo name of a class are emitted only where a build uses them when the class has no key
#   function (clang's Debug build exports some that GCC's Release build does not); the list
#   holds them, and a build without them is no change (a consumer makes its own copy);
# - anything outside the public API: a symbol of an internal namespace, a public class's private
#   Impl or Data or a member of one, a std:: template copy, a stray global;
# - a function of the C API (include/bastion.h) that is not exported.
# After a change of the API that is meant, rewrite the list from the builds the tests run with
# (scripts/test: GCC Release, clang Debug with ASan), then review its diff:
#   tests/package/exported_symbols.sh --update build/release/libbastion.so build/asan/libbastion.so
# usage: exported_symbols.sh [--update] LIBBASTION_SO...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
abi_list=$here/exported_symbols.txt
update=
if [ "${1:-}" = --update ]; then
  update=1
  shift
fi
[ $# -gt 0 ] || { echo "usage: exported_symbols.sh [--update] LIBBASTION_SO..."; exit 2; }

# One mangled name a line, its version cut off; the version node (BASTION_0) is one of them.
exports_of() { nm -D --defined-only "$1" | awk '{ print $NF }' | sed 's/@.*//' | LC_ALL=C sort -u; }

if [ -n "$update" ]; then
  for lib in "$@"; do exports_of "$lib"; done | LC_ALL=C sort -u >"$abi_list"
  echo "wrote the $(wc -l <"$abi_list") symbols that $* export to $abi_list"
fi
[ -e "$abi_list" ] || { echo "no $abi_list: make it with $0 --update $*"; exit 1; }

# Public, by the mangled name: an entity of namespace bastion (not a std:: template that merely
# returns a bastion:: type, which demangles to "bastion::Error&& std::forward<...>(...)"), a
# function of the C API, the version node.
public='^_Z(T[ISV]|Thn[0-9]+_)?NK?7bastion|^bastion_[a-z0-9_]+$|^BASTION_[0-9]+$'
internal='^(typeinfo for |typeinfo name for |vtable for |non-virtual thunk to )?bastion::(core|crypto|msgs|record|handshake|session|conn|config|x509|io|capi|detail|\(anonymous namespace\))::'
impl='::(Impl|Data)(::|$)'  # a public class's private implementation, or a member of it
vague='^_ZT[ISV]'           # vtable, typeinfo, typeinfo name
c_api=$(grep -oE 'bastion_[a-z0-9_]+\(' "$here/../../include/bastion.h" | tr -d '(' | sort -u)

bad=0
for lib in "$@"; do
  exports=$(exports_of "$lib")
  [ -n "$exports" ] || { echo "no exported symbols in $lib"; bad=1; continue; }
  lib_bad=0
  while IFS=$'\t' read -r mangled symbol; do
    name=${symbol%%(*}  # the qualified name, without the parameter list
    if ! [[ "$mangled" =~ $public ]] || [[ "$name" =~ $internal ]] || [[ "$name" =~ $impl ]]; then
      echo "$lib: exported but not public: $symbol"
      lib_bad=1
    fi
  done < <(paste <(printf '%s\n' "$exports") <(c++filt <<<"$exports"))

  for fn in $c_api; do
    grep -qxF "$fn" <<<"$exports" || { echo "$lib: missing from the exports: $fn"; lib_bad=1; }
  done

  added=$(LC_ALL=C comm -13 "$abi_list" - <<<"$exports")
  removed=$(LC_ALL=C comm -23 "$abi_list" - <<<"$exports" | grep -vE "$vague" || true)
  if [ -n "$added$removed" ]; then
    echo "$lib: the exports are not those of $abi_list:"
    [ -z "$added" ] || c++filt <<<"$added" | sed 's/^/  added:   /'
    [ -z "$removed" ] || c++filt <<<"$removed" | sed 's/^/  removed: /'
    echo "if the change is meant, rewrite the list (see $0) and review its diff:"
    echo "  $0 --update build/release/libbastion.so build/asan/libbastion.so"
    lib_bad=1
  fi
  if [ "$lib_bad" = 0 ]; then
    echo "$lib: $(wc -l <<<"$exports") exported symbols, all public, as $abi_list lists"
  fi
  [ "$lib_bad" = 0 ] || bad=1
done
exit "$bad"
