# Asio for the examples and tests of the Asio adapter (include/bastion/asio.hpp and
# include/bastion/boost_asio.hpp). The library never needs it: a consumer of the adapter links
# Bastion::bastion and finds Asio its own way.
#
# Defines, when the headers are found, the interface targets bastion_asio (standalone Asio,
# Debian: libasio-dev) and bastion_boost_asio (Boost.Asio, header-only use; Debian: libboost-dev).
include_guard(GLOBAL)

find_package(Threads REQUIRED)
find_path(BASTION_ASIO_INCLUDE_DIR asio.hpp DOC "Standalone Asio's headers (the Asio adapter)")
find_path(BASTION_BOOST_ASIO_INCLUDE_DIR boost/asio.hpp DOC "Boost.Asio's headers")

# clang has C++20 coroutines, but Asio 1.22 (and Boost 1.74's) looks for them in
# <experimental/coroutine> (libc++), not in libstdc++'s <coroutine>, and so leaves out co_await
# support: tell it.
set(bastion_asio_clang_coroutines $<CXX_COMPILER_ID:Clang>)
# clang 14's -fsanitize=function (part of -fsanitize=undefined) fails to compile coroutines
# ("Cannot represent a difference across sections"): the coroutine code goes without that check.
if(BASTION_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(bastion_asio_sanitize_options -fno-sanitize=function)
endif()

if(BASTION_ASIO_INCLUDE_DIR)
  add_library(bastion_asio INTERFACE)
  target_include_directories(bastion_asio SYSTEM INTERFACE ${BASTION_ASIO_INCLUDE_DIR})
  target_compile_definitions(bastion_asio INTERFACE ASIO_NO_DEPRECATED
    $<${bastion_asio_clang_coroutines}:ASIO_HAS_CO_AWAIT=1 ASIO_HAS_STD_COROUTINE=1>)
  target_compile_options(bastion_asio INTERFACE ${bastion_asio_sanitize_options})
  target_link_libraries(bastion_asio INTERFACE Threads::Threads)
endif()

if(BASTION_BOOST_ASIO_INCLUDE_DIR)
  add_library(bastion_boost_asio INTERFACE)
  target_include_directories(bastion_boost_asio SYSTEM INTERFACE ${BASTION_BOOST_ASIO_INCLUDE_DIR})
  # Header-only: Boost.System is header-only since 1.69, and nothing else is used.
  target_compile_definitions(bastion_boost_asio INTERFACE BOOST_ASIO_NO_DEPRECATED
    $<${bastion_asio_clang_coroutines}:BOOST_ASIO_HAS_CO_AWAIT=1 BOOST_ASIO_HAS_STD_COROUTINE=1>)
  target_compile_options(bastion_boost_asio INTERFACE ${bastion_asio_sanitize_options})
  target_link_libraries(bastion_boost_asio INTERFACE Threads::Threads)
endif()
