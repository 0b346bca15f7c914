#!/usr/bin/env python3
"""GET / over HTTPS through Bastion's C API (include/bastion.h), with ctypes only.

A model for bindings in other languages: load libbastion.so, declare each function's
signature once, keep every handle in an object that frees it, turn result codes into
exceptions carrying the handle's error message, and drive the sans-I/O connection with a
socket of the language's own.

usage: https_get.py HOST PORT CAFILE [--lib PATH]

HOST is connected to, sent as SNI and checked against the certificate (an IP address is checked
against its IP addresses). The response goes to stdout, what was negotiated to stderr. The
library is --lib, else $BASTION_LIB, else libbastion.so in a build directory of this checkout,
else the system's. Exit status: 0 when the response ended with close_notify, 1 on an error.
"""

import argparse
import ctypes
import ctypes.util
import glob
import os
import socket
import sys
import weakref

BASTION_OK = 0
BASTION_TRUNCATED = 91

_handle = ctypes.c_void_p
_size = ctypes.c_size_t
_result = ctypes.c_int
_bytes = ctypes.c_char_p  # const uint8_t* and const char* alike: Python bytes pass as is

# The part of the C API this example uses: name -> (return type, argument types).
SIGNATURES = {
    "bastion_version": (ctypes.c_char_p, []),
    "bastion_error_name": (ctypes.c_char_p, [_result]),
    "bastion_client_config_builder_new": (_handle, []),
    "bastion_client_config_builder_free": (None, [_handle]),
    "bastion_client_config_builder_error_message": (_size, [_handle, _bytes, _size]),
    "bastion_client_config_builder_load_ca_file": (_result, [_handle, _bytes]),
    "bastion_client_config_builder_add_alpn": (_result, [_handle, _bytes, _size]),
    "bastion_client_config_builder_build": (_result, [_handle, ctypes.POINTER(_handle)]),
    "bastion_client_config_free": (None, [_handle]),
    "bastion_client_connection_new": (_result, [_handle, _bytes, ctypes.POINTER(_handle)]),
    "bastion_connection_free": (None, [_handle]),
    "bastion_connection_receive": (_result, [_handle, _bytes, _size, ctypes.POINTER(_size)]),
    "bastion_connection_receive_eof": (_result, [_handle]),
    "bastion_connection_pending_output": (
        _result, [_handle, ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(_size)]),
    "bastion_connection_consume_output": (_result, [_handle, _size]),
    "bastion_connection_read": (_result, [_handle, _bytes, _size, ctypes.POINTER(_size)]),
    "bastion_connection_write": (_result, [_handle, _bytes, _size]),
    "bastion_connection_close": (_result, [_handle]),
    "bastion_connection_is_handshake_complete": (ctypes.c_bool, [_handle]),
    "bastion_connection_has_output": (ctypes.c_bool, [_handle]),
    "bastion_connection_peer_closed": (ctypes.c_bool, [_handle]),
    "bastion_connection_peer_verified": (ctypes.c_bool, [_handle]),
    "bastion_connection_error_message": (_size, [_handle, _bytes, _size]),
    "bastion_connection_protocol_version_name": (ctypes.c_char_p, [_handle]),
    "bastion_connection_cipher_suite_name": (ctypes.c_char_p, [_handle]),
    "bastion_connection_alpn": (ctypes.c_char_p, [_handle]),
    "bastion_connection_peer_certificate_count": (_size, [_handle]),
}


def find_library(explicit=None):
    """--lib, $BASTION_LIB, a build directory of this checkout, then the system's."""
    if explicit:
        return explicit
    if os.environ.get("BASTION_LIB"):
        return os.environ["BASTION_LIB"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    release = os.path.join(root, "build", "release", "libbastion.so")
    built = sorted(glob.glob(os.path.join(root, "build", "*", "libbastion.so")))
    for candidate in [release] + built:
        if os.path.exists(candidate):
            return candidate
    return ctypes.util.find_library("bastion") or "libbastion.so.0"


def load(path):
    lib = ctypes.CDLL(path)
    for name, (restype, argtypes) in SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


def message_of(lib_call, handle):
    """A handle's last error message, through its snprintf-like *_error_message call."""
    length = lib_call(handle, None, 0)
    buf = ctypes.create_string_buffer(length + 1)
    lib_call(handle, buf, len(buf))
    return buf.value.decode(errors="replace")


class BastionError(Exception):
    def __init__(self, lib, code, message):
        self.code = code
        self.name = lib.bastion_error_name(code).decode()
        super().__init__(message or self.name)


class ClientConfig:
    """An immutable client config, built once, shared by connections."""

    def __init__(self, lib, cafile, alpn=()):
        self.lib = lib
        builder = lib.bastion_client_config_builder_new()
        if not builder:
            raise MemoryError("bastion_client_config_builder_new")
        try:
            self._check(builder, lib.bastion_client_config_builder_load_ca_file(
                builder, os.fsencode(cafile)))
            for protocol in alpn:
                self._check(builder, lib.bastion_client_config_builder_add_alpn(
                    builder, protocol, len(protocol)))
            config = _handle()
            self._check(builder, lib.bastion_client_config_builder_build(
                builder, ctypes.byref(config)))
        finally:
            lib.bastion_client_config_builder_free(builder)
        self.handle = config
        weakref.finalize(self, lib.bastion_client_config_free, config)

    def _check(self, builder, code):
        if code != BASTION_OK:
            raise BastionError(self.lib, code, message_of(
                self.lib.bastion_client_config_builder_error_message, builder))

    def connect(self, server_name):
        return Connection(self.lib, self, server_name)


class Connection:
    """A sans-I/O client connection: bytes in and out, plaintext in and out."""

    def __init__(self, lib, config, server_name):
        self.lib = lib
        self.config = config  # not needed by the library; keeps the Python object alive
        handle = _handle()
        code = lib.bastion_client_connection_new(config.handle, server_name.encode(),
                                                 ctypes.byref(handle))
        if code != BASTION_OK:
            raise BastionError(lib, code, None)
        self.handle = handle
        weakref.finalize(self, lib.bastion_connection_free, handle)

    def _check(self, code):
        if code != BASTION_OK:
            raise BastionError(self.lib, code, message_of(
                self.lib.bastion_connection_error_message, self.handle))

    def receive(self, data):
        """Feeds received bytes; returns how many were taken (fewer when plaintext waits)."""
        taken = _size()
        self._check(self.lib.bastion_connection_receive(self.handle, data, len(data),
                                                        ctypes.byref(taken)))
        return taken.value

    def receive_eof(self):
        self._check(self.lib.bastion_connection_receive_eof(self.handle))

    def pending_output(self):
        data, length = ctypes.c_void_p(), _size()
        self._check(self.lib.bastion_connection_pending_output(
            self.handle, ctypes.byref(data), ctypes.byref(length)))
        return ctypes.string_at(data, length.value) if length.value else b""

    def consume_output(self, n):
        self._check(self.lib.bastion_connection_consume_output(self.handle, n))

    def read(self, size=16384):
        buf, n = ctypes.create_string_buffer(size), _size()
        self._check(self.lib.bastion_connection_read(self.handle, buf, size, ctypes.byref(n)))
        return buf.raw[:n.value]

    def write(self, data):
        self._check(self.lib.bastion_connection_write(self.handle, data, len(data)))

    def close(self):
        self._check(self.lib.bastion_connection_close(self.handle))

    def handshake_complete(self):
        return self.lib.bastion_connection_is_handshake_complete(self.handle)

    def has_output(self):
        return self.lib.bastion_connection_has_output(self.handle)

    def peer_closed(self):
        return self.lib.bastion_connection_peer_closed(self.handle)

    def summary(self):
        lib, h = self.lib, self.handle
        alpn = lib.bastion_connection_alpn(h).decode() or "none"
        return (f"{lib.bastion_connection_protocol_version_name(h).decode()} "
                f"{lib.bastion_connection_cipher_suite_name(h).decode()} alpn={alpn} "
                f"verified={'yes' if lib.bastion_connection_peer_verified(h) else 'no'} "
                f"certificates={lib.bastion_connection_peer_certificate_count(h)}")


def flush(conn, sock):
    """Sends everything the connection has pending."""
    while conn.has_output():
        data = conn.pending_output()
        conn.consume_output(sock.send(data))


def feed(conn, data, out):
    """Feeds all of data, reading plaintext whenever the connection stops taking input."""
    while True:
        data = data[conn.receive(data):]
        while chunk := conn.read():
            out.write(chunk)
        if not data:
            return


def https_get(lib, host, port, cafile, out):
    config = ClientConfig(lib, cafile, alpn=[b"http/1.1"])
    conn = config.connect(host)
    with socket.create_connection((host, port), timeout=10) as sock:
        try:
            flush(conn, sock)  # the ClientHello
            while not conn.handshake_complete():
                data = sock.recv(16384)
                if not data:
                    conn.receive_eof()  # raises: the handshake was cut short
                feed(conn, data, out)
                flush(conn, sock)
            print(f"connected: {conn.summary()}", file=sys.stderr)
            conn.write(f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            flush(conn, sock)
            while not conn.peer_closed():
                data = sock.recv(16384)
                if not data:
                    conn.receive_eof()  # raises BASTION_TRUNCATED: no close_notify came
                feed(conn, data, out)
                flush(conn, sock)  # a KeyUpdate the server asked for, say
            conn.close()
            try:
                flush(conn, sock)
            except OSError:
                pass  # the server may be gone already; its close_notify came, which is what counts
        except BastionError:
            # The alert that tells the server why, when there is one.
            try:
                flush(conn, sock)
            except (OSError, BastionError):
                pass
            raise


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("cafile")
    parser.add_argument("--lib", help="path of libbastion.so")
    args = parser.parse_args()
    try:
        lib = load(find_library(args.lib))
    except OSError as e:
        print(f"error: cannot load libbastion: {e} (set BASTION_LIB or --lib)", file=sys.stderr)
        return 1
    try:
        https_get(lib, args.host, args.port, args.cafile, sys.stdout.buffer)
    except BastionError as e:
        sys.stdout.flush()
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: io_error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
