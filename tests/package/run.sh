#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary prefix, then builds three consumers outside
# the tree (find_package, pkg-config, add_subdirectory without GTest) and runs each against a
# local `openssl s_server -www`. Also checks the shared library's SONAME, and makes the Debian
# package with CPack, checks what it holds, and (as root, when no bastion package is installed
# already) installs it, builds the find_package consumer against /usr and removes it again.
# usage: tests/package/run.sh BUILD_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bastion-package.XXXXXX")
server_pid=
deb_installed=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "$deb_installed" ]; then dpkg -P bastion >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package: $*" >&2; exit 1; }

prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(ls -d "$prefix"/lib*/ | head -1)
for f in include/bastion/bastion.hpp include/bastion/version.hpp bin/bastion; do
  [ -e "$prefix/$f" ] || fail "$f was not installed"
done
[ -e "$libdir/cmake/Bastion/BastionConfig.cmake" ] || fail "no CMake package"
[ -e "$libdir/pkgconfig/bastion.pc" ] || fail "no pkg-config file"
soname=$(readelf -d "$libdir/libbastion.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libbastion.so.0 ] || fail "SONAME is '$soname', not libbastion.so.0"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost -keyout "$work/key.pem" \
  -out "$work/cert.pem" 2>/dev/null
openssl s_server -accept 127.0.0.1:0 -www -cert "$work/cert.pem" -key "$work/key.pem" \
  >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$work/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || fail "openssl s_server did not start: $(cat "$work/server.log")"

check_run() {
  local name=$1
  shift
  local out
  out=$("$@" "$port" "$work/cert.pem") || fail "$name consumer failed: $out"
  grep -q '^HTTP/1.0 200 ok' <<<"$out" || fail "$name consumer: $out"
  grep -q '^TLSv1.3$' <<<"$out" || fail "$name consumer: $out"
  grep -q '^bastion 0\.' <<<"$out" || fail "$name consumer: $out"
  echo "package: $name consumer: ok"
}

cmake -S "$src/tests/package/find_package" -B "$work/find_package" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/find_package" >/dev/null
check_run find_package "$work/find_package/consumer"

export PKG_CONFIG_PATH=$libdir/pkgconfig
# shellcheck disable=SC2046
c++ -std=c++20 "$src/tests/package/consumer.cpp" -o "$work/pkg_config_consumer" \
  $(pkg-config --cflags --libs bastion)
check_run pkg-config env LD_LIBRARY_PATH="$libdir" "$work/pkg_config_consumer"

# GTest may not be looked for at all.
cmake -S "$src/tests/package/subdirectory" -B "$work/subdirectory" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug -DBASTION_SOURCE="$src" -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
  >/dev/null
cmake --build "$work/subdirectory" -j "${JOBS:-2}" >/dev/null
for dir in tests bench fuzz examples; do
  [ ! -d "$work/subdirectory/bastion/$dir" ] || fail "add_subdirectory built $dir too"
done
check_run add_subdirectory "$work/subdirectory/consumer"

# The Debian package.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null) || fail "cpack failed"
deb=$(ls "$work"/bastion_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/lib/libbastion.so.0 ./usr/lib/libbastion.a ./usr/include/bastion/connection.hpp \
  ./usr/include/bastion.h ./usr/lib/cmake/Bastion/BastionConfig.cmake \
  ./usr/lib/pkgconfig/bastion.pc ./usr/bin/bastion ./usr/share/man/man1/bastion.1; do
  grep -q " $f" <<<"$contents" || fail "the package lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
grep -q 'libssl3' <<<"$depends" || fail "the package does not depend on libssl3: $depends"
if [ "$(id -u)" = 0 ] &&
  ! dpkg-query -W -f='${Status}' bastion 2>/dev/null | grep -q 'ok installed'; then
  dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed"
  deb_installed=1
  [ "$(/usr/bin/bastion --version | head -1)" = "bastion $(dpkg-deb -f "$deb" Version)" ] ||
    fail "the installed bastion says: $(/usr/bin/bastion --version)"
  man -w bastion >/dev/null 2>&1 || [ -e /usr/share/man/man1/bastion.1 ] || fail "no man page"
  cmake -S "$src/tests/package/find_package" -B "$work/deb_consumer" -G Ninja >/dev/null
  cmake --build "$work/deb_consumer" >/dev/null
  check_run "Debian package" "$work/deb_consumer/consumer"
  dpkg -P bastion >/dev/null || fail "dpkg -P bastion failed"
  deb_installed=
  [ ! -e /usr/lib/libbastion.so.0 ] || fail "removing the package left libbastion.so.0 behind"
else
  echo "package: Debian package built and checked; not installed (not root, or bastion is installed)"
fi
