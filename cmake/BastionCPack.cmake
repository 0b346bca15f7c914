# `cpack -G DEB` in the build directory: one Debian package per install component of
# CMakeLists.txt, as Debian splits a library.
#   libbastion0     runtime      libbastion.so.0; named after the SONAME, so that the next
#                                major version's libbastion1 installs beside it
#   libbastion-dev  development  headers, libbastion.a, the libbastion.so link, the CMake and
#                                pkg-config files, README.md
#   bastion         cli          the bastion program (linked with libbastion.a) and its man page
# The repository has no licence file yet, so no package has a copyright file.
set(BASTION_RUNTIME_PACKAGE libbastion${PROJECT_VERSION_MAJOR})

# The man page is made from `bastion --help`, which a cross build cannot run: there it is made
# only on request (ninja bastion_man_page, with an emulator) and installed if it was made.
if(CMAKE_CROSSCOMPILING)
  set(man_page_all "")
  set(man_page_optional OPTIONAL)
else()
  set(man_page_all ALL)
  set(man_page_optional "")
endif()
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/bastion.1
                   COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:bastion_cli>
                           -DVERSION=${PROJECT_VERSION} -DOUT=${PROJECT_BINARY_DIR}/bastion.1
                           -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
                   DEPENDS bastion_cli ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake)
add_custom_target(bastion_man_page ${man_page_all} DEPENDS ${PROJECT_BINARY_DIR}/bastion.1)
install(FILES ${PROJECT_BINARY_DIR}/bastion.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        COMPONENT cli ${man_page_optional})
# Each package's documentation goes in its own /usr/share/doc/PACKAGE; the man page points to
# the CLI's (CMAKE_INSTALL_DOCDIR, share/doc/bastion).
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/libbastion-dev
        COMPONENT development)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT cli)

set(CPACK_PACKAGE_NAME bastion)
set(CPACK_PACKAGE_VENDOR "The Bastion developers")
set(CPACK_PACKAGE_CONTACT "The Bastion developers <bastion@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# libbastion-dev depends on the libbastion0 of its own version (CPACK_COMPONENT_*_DEPENDS).
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
# libbastion0's shlibs file: a program built against 0.1.0 depends on libbastion0 (>= 0.1.0),
# not on exactly 0.1.0.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

# Each description's first line is the package's summary (no CPACK_PACKAGE_DESCRIPTION_SUMMARY,
# which CPack would put first in all three).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${BASTION_RUNTIME_PACKAGE})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# libssl3, libstdc++6, libc6, found by dpkg-shlibdeps.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "TLS 1.3 and 1.2 library in C++20
Bastion is a TLS library with a sans-I/O core, a C++20 API and a C API.
This package holds the shared library.")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libbastion-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
# The CMake package looks for OpenSSL's libcrypto (find_dependency), and libbastion.a needs it.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "libssl-dev (>= 3.0)")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "TLS 1.3 and 1.2 library in C++20 - development files
Bastion is a TLS library with a sans-I/O core, a C++20 API and a C API.
This package holds the headers, the static library, and the CMake and
pkg-config files.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME bastion)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION net)
# The program links libbastion.a: it depends on libssl3, not on libbastion0.
set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_CLI_DESCRIPTION "TLS client, server and certificate tool
bastion connects to TLS servers, serves TLS, and makes and inspects
certificates, with the Bastion TLS library.")
include(CPack)
