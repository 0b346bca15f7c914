#!/usr/bin/env bash
# Installs the build in BUILD_DIR into a temporary prefix, then builds three consumers outside
# the tree (find_package, pkg-config, add_subdirectory without GTest) and runs each against a
# local `openssl s_server -www`. Also checks the shared library's SONAME, and makes the Debian
# packages with CPack (libbastion0, libbastion-dev, bastion: cmake/BastionCPack.cmake), checks
# what each holds and depends on, and (as root, when none of them is installed already)
# installs them, builds the find_package consumer against /usr and purges them again.
# usage: tests/package/run.sh BUILD_DIR
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bastion-package.XXXXXX")
server_pid=
deb_packages=(bastion libbastion-dev libbastion0)  # the order to purge them in
deb_installed=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if [ -n "$deb_installed" ]; then dpkg -P "${deb_packages[@]}" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "package: $*" >&2; exit 1; }
# A GNUInstallDirs directory as the build has it: lib, or lib/x86_64-linux-gnu when the build
# was configured for the prefix /usr (the share/ ones are not in the cache unless set).
install_dir() {
  local dir
  dir=$(sed -n "s/^CMAKE_INSTALL_$1:[A-Z]*=//p" "$build/CMakeCache.txt")
  case $dir in
  '' | /*) fail "CMAKE_INSTALL_$1 is '$dir' in $build/CMakeCache.txt, not a relative path" ;;
  esac
  echo "$dir"
}
libdir_rel=$(install_dir LIBDIR)

# The whole project, every install component.
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$prefix/$libdir_rel
for f in include/bastion/bastion.hpp include/bastion/version.hpp include/bastion.h bin/bastion \
  "$libdir_rel/libbastion.a" "$libdir_rel/cmake/Bastion/BastionCliTargets.cmake" \
  share/man/man1/bastion.1; do
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
# The C API from a C99 program, through pkg-config (tests/unit/capi/ runs the program).
# shellcheck disable=SC2046
cc -std=c99 -pedantic -Wall -Wextra -Werror "$src/tests/unit/capi/c99_client_server.c" \
  -o "$work/c_consumer" $(pkg-config --cflags --libs bastion) || fail "the C consumer did not build"
echo "package: C consumer: ok"

# GTest may not be looked for at all.
cmake -S "$src/tests/package/subdirectory" -B "$work/subdirectory" -G Ninja \
  -DCMAKE_BUILD_TYPE=Debug -DBASTION_SOURCE="$src" -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON \
  >/dev/null
cmake --build "$work/subdirectory" -j "${JOBS:-2}" >/dev/null
for dir in tests bench fuzz examples; do
  [ ! -d "$work/subdirectory/bastion/$dir" ] || fail "add_subdirectory built $dir too"
done
check_run add_subdirectory "$work/subdirectory/consumer"

# The Debian packages, one per install component.
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null) || fail "cpack failed"
debs=("$work"/*.deb)
[ "${#debs[@]}" = 3 ] || fail "cpack made ${#debs[@]} packages, not 3: ${debs[*]##*/}"
version=$(dpkg-deb -f "${debs[0]}" Version)
declare -A deb
for name in "${deb_packages[@]}"; do
  deb[$name]=$work/${name}_${version}_$(dpkg --print-architecture).deb
  [ -e "${deb[$name]}" ] || fail "no $name package: ${debs[*]##*/}"
done
# What a package holds, one path a line (no directories, no link targets). Here-strings, not
# pipes into grep -q: its early exit would fail the pipe (pipefail).
files_of() { dpkg-deb -c "${deb[$1]}" | awk '{ print $6 }' | grep -v '/$'; }
holds() { grep -qxF "$2" <<<"$(files_of "$1")"; }
depends_of() { dpkg-deb -f "${deb[$1]}" Depends; }
lib=./usr/$libdir_rel

for f in "$lib/libbastion.so.0" "$lib/libbastion.so.$version"; do
  holds libbastion0 "$f" || fail "libbastion0 lacks $f"
done
others=$(files_of libbastion0 | grep -vE '/libbastion\.so\.[0-9.]+$' || true)
[ -z "$others" ] || fail "libbastion0 holds more than the shared library: $others"
depends=$(depends_of libbastion0)
grep -q 'libssl3' <<<"$depends" || fail "libbastion0 does not depend on libssl3: $depends"
! grep -qE -- '-dev( |,|$)' <<<"$depends" || fail "libbastion0 depends on a -dev package: $depends"
shlibs=$(dpkg-deb -I "${deb[libbastion0]}" shlibs)
[ "$shlibs" = "libbastion 0 libbastion0 (>= $version)" ] || fail "libbastion0's shlibs: $shlibs"

for f in "$lib/libbastion.so" "$lib/libbastion.a" ./usr/include/bastion/connection.hpp \
  ./usr/include/bastion.h "$lib/cmake/Bastion/BastionConfig.cmake" \
  "$lib/cmake/Bastion/BastionTargets.cmake" "$lib/pkgconfig/bastion.pc" \
  ./usr/share/doc/libbastion-dev/README.md; do
  holds libbastion-dev "$f" || fail "libbastion-dev lacks $f"
done
! grep -qE '/libbastion\.so\.|^\./usr/bin/' <<<"$(files_of libbastion-dev)" ||
  fail "libbastion-dev holds the shared library or a program: $(files_of libbastion-dev)"
depends=$(depends_of libbastion-dev)
grep -qF "libbastion0 (= $version)" <<<"$depends" ||
  fail "libbastion-dev does not depend on libbastion0 (= $version): $depends"
grep -q 'libssl-dev' <<<"$depends" || fail "libbastion-dev does not depend on libssl-dev: $depends"

for f in ./usr/bin/bastion ./usr/share/man/man1/bastion.1 ./usr/share/doc/bastion/README.md \
  "$lib/cmake/Bastion/BastionCliTargets.cmake"; do
  holds bastion "$f" || fail "bastion lacks $f"
done
! grep -qE '/libbastion\.|^\./usr/include/' <<<"$(files_of bastion)" ||
  fail "bastion holds a library or headers: $(files_of bastion)"
depends=$(depends_of bastion)
grep -q 'libssl3' <<<"$depends" || fail "bastion does not depend on libssl3: $depends"
! grep -q 'libbastion' <<<"$depends" || fail "bastion (linked statically) depends on: $depends"
echo "package: Debian packages ${debs[*]##*/}: ok"

# find_package(Bastion COMPONENTS cli) needs the bastion package.
mkdir "$work/cli_probe"
cat >"$work/cli_probe/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bastion_cli_probe LANGUAGES CXX)  # CXX: the multiarch lib/ of the search path
find_package(Bastion REQUIRED COMPONENTS cli)
get_target_property(cli Bastion::cli IMPORTED_LOCATION_RELEASE)
message(STATUS "Bastion::cli is ${cli}")
CMAKE
cli_probe() { cmake -S "$work/cli_probe" -B "$work/cli_probe/build-$1" 2>&1; }

installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${deb_packages[@]}" 2>/dev/null |
  grep 'ok installed' || true)
if [ "$(id -u)" = 0 ] && [ -z "$installed" ]; then
  # The libraries first: their CMake package must work without the CLI.
  deb_installed=1
  dpkg -i "${deb[libbastion0]}" "${deb[libbastion-dev]}" >/dev/null || fail "dpkg -i failed"
  cmake -S "$src/tests/package/find_package" -B "$work/deb_consumer" -G Ninja >/dev/null
  cmake --build "$work/deb_consumer" >/dev/null
  check_run "Debian package" "$work/deb_consumer/consumer"
  ! out=$(cli_probe without) || fail "find_package(Bastion COMPONENTS cli) without the CLI: $out"
  grep -q 'set Bastion_FOUND to FALSE' <<<"$out" || fail "find_package(Bastion) failed: $out"

  dpkg -i "${deb[bastion]}" >/dev/null || fail "dpkg -i ${deb[bastion]} failed"
  [ "$(/usr/bin/bastion --version | head -1)" = "bastion $version" ] ||
    fail "the installed bastion says: $(/usr/bin/bastion --version)"
  man -w bastion >/dev/null 2>&1 || [ -e /usr/share/man/man1/bastion.1 ] || fail "no man page"
  out=$(cli_probe with) || fail "find_package(Bastion COMPONENTS cli): $out"
  grep -q 'Bastion::cli is /usr/bin/bastion$' <<<"$out" || fail "Bastion::cli: $out"

  dpkg -P "${deb_packages[@]}" >/dev/null || fail "dpkg -P ${deb_packages[*]} failed"
  deb_installed=
  left=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${deb_packages[@]}" 2>/dev/null |
    grep -v ' un *$' || true)
  [ -z "$left" ] || fail "purged, yet dpkg still has: $left"
  for name in "${deb_packages[@]}"; do
    while IFS= read -r f; do
      if [ -e "${f#.}" ] || [ -L "${f#.}" ]; then fail "purging $name left ${f#.} behind"; fi
    done < <(files_of "$name")
  done
  echo "package: Debian packages installed, used and purged: ok"
else
  echo "package: Debian packages built and checked; not installed (not root, or installed already)"
fi
