# `cpack -G DEB` in the build directory: one Debian package with the libraries, the headers,
# the CMake and pkg-config files, the CLI and its man page (made from `bastion --help`).
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/bastion.1
                   COMMAND ${CMAKE_COMMAND} -DCLI=$<TARGET_FILE:bastion_cli>
                           -DVERSION=${PROJECT_VERSION} -DOUT=${PROJECT_BINARY_DIR}/bastion.1
                           -P ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake
                   DEPENDS bastion_cli ${PROJECT_SOURCE_DIR}/cmake/man_page.cmake)
add_custom_target(bastion_man_page ALL DEPENDS ${PROJECT_BINARY_DIR}/bastion.1)
install(FILES ${PROJECT_BINARY_DIR}/bastion.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_PACKAGE_NAME bastion)
set(CPACK_PACKAGE_VENDOR "The Bastion developers")
set(CPACK_PACKAGE_CONTACT "The Bastion developers <bastion@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TLS 1.3 and 1.2 library, CLI and server toolkit in C++20")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
# The runtime libraries come from dpkg-shlibdeps (libssl3, libstdc++6, libc6); the CMake
# package looks for OpenSSL's libcrypto, so building against Bastion needs libssl-dev.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl-dev (>= 3.0)")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
