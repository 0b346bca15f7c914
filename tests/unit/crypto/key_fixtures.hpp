// Keys and signatures made with the OpenSSL 3.0 command line, for PEM loading and interop
// tests. Test material only.
#pragma once

namespace bastion::crypto::fixtures {

// openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256
inline constexpr const char* kP256Pkcs8 = R"PEM(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYoEZtb/C8Q4i1qoq
6r8RN5ujOqkJAetpKnYgyrG6Ga+hRANCAAT5/Knfjx1XOxLX7aR8igZDWCfIUGb+
yO/qZL2oQltReYTNU4jZ4aeZQDIIAg2QE3Gj0MKNbbQq3ZU5Fsff326+
-----END PRIVATE KEY-----
)PEM";

// openssl ecparam -name secp384r1 -genkey -noout
inline constexpr const char* kP384Sec1 = R"PEM(-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDBOVhHJVaWm5xmEnEo4ABTlpran+boUODs/RbBkoFrZANyfPp3Meg9S
tWgmRKTDFLCgBwYFK4EEACKhZANiAARhTh0dejS1Ynh/vykeIDbu69wEWf0YerXA
CoeNrtsbnsLg96jtkl9YRk37P156IOnaBcWJFnfEVVBG6J7x9gKM3d+NO47bk1Ql
rokgakdj/ATo68SSio80zDljTegQ6Ac=
-----END EC PRIVATE KEY-----
)PEM";

// The same key: openssl ec -conv_form compressed
inline constexpr const char* kP384Sec1Compressed = R"PEM(-----BEGIN EC PRIVATE KEY-----
MHQCAQEEME5WEclVpabnGYScSjgAFOWmtqf5uhQ4Oz9FsGSgWtkA3J8+ncx6D1K1
aCZEpMMUsKAHBgUrgQQAIqE0AzIAA2FOHR16NLVieH+/KR4gNu7r3ARZ/Rh6tcAK
h42u2xuewuD3qO2SX1hGTfs/Xnog6Q==
-----END EC PRIVATE KEY-----
)PEM";

// Its public point, uncompressed (from openssl ec -pubout)
inline constexpr const char* kP384Point =
    "04614e1d1d7a34b562787fbf291e2036eeebdc0459fd187ab5c00a878daedb1b9ec2e0f7a8ed925f58464dfb"
    "3f5e7a20e9da05c5891677c4555046e89ef1f6028cdddf8d3b8edb935425ae89206a4763fc04e8ebc4928a8f"
    "34cc39634de810e807";

// openssl genrsa -traditional 2048
inline constexpr const char* kRsaPkcs1 = R"PEM(-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAqMIRhkXHaUVGIMgsMpMBxYQvcJIxg/Ff+dMx+He9r7PZX1Bk
yuY9SIhxkl69M91WSifmA7wWfH/lSmYB++O+XY/5etlO/ZMnsnUnlj4tb0yhARRu
19y554343/AIifQCgn++8jxfEcsCFc8h18x+PRHxYPfk5GzdG8P5+Low/Os1tRYQ
1+wNjrD/gFZ6MImaRr54datA27FfzI+HFxQqvWMcuBr1WzxVdujl2eKCiRCAMaQr
oBG541tOMAJmaG2RfBwy0EO0+xhzVE7Bd+4cFEdnIZUE2UgRGZ905FbR/6b6HbIS
+wsihnezEl+XCFbvlYy0MWxFH1wOCLuoyC5W7wIDAQABAoIBACYiHEWkFOhjv/H+
aYZQE7FnKjUcw9WVwGM6ZutHW3SNhkv0ZaI3npd6RXeWstg6ZppBI8eqQ8aEO/Kw
1DfwAX8w3mX1HtVL4EeCE5zuleO1hBgzXsymUtfRC/DGU5egrMSCS0p/e9gQcHsv
H+2chtYT7OBFg9JeCySQBzc+E33C5eEaDoz/34I17QxYjW5GD9SpjJKt4C/9v8ic
702+vm2NqvwePQzh9CqcaBCl90F/WC6LcIuBPl+fKM75yU2aggavLx95c1wiZWVS
wPBk1PszJQHZLbota1J8KV00QKZvoyI/niK53kV0VC63d/7vvBRafHn1o/ULHhP+
JPFFkOECgYEA7ASFVWXJZLH/IYzEm/cDQvhc3Pts4rfkb8oMW2BzPBzPs97rD1/5
KoaIGKpzKTsdVeORdCiIqnwnqln8x6Vrm3WXoGtQQZzHsSs23CdU+f+KxxqvED3G
1rkmaOgkPHCb4JqJ4QCj6WGRqp5VyIwU2F47NhOOiTqJOUtcwqe7OP8CgYEAtwvB
Ft/qm2lZj8ahjRD2IgQKoinenlhjViJF6Gd4vMRbmThzYhBelW7fd6Y6rXuuKXW3
34EL+Z/Fq9rRQPCLWHP9zrJRFCj0k321poJnxdr/LPdarual3gy+nIfqgDcIB7EO
xupGSryLj21+HfaIQem1Ss1Bf1f8oNw028yichECgYApksJJwJww+ImQR1N6hZA1
g7oX0tHjPbEnX9e9YMfrlsefT2zoUGd7bica8StH3/nS3zsH0vv/y87Q2vkD0cea
oqQKxdxlMlCajJolPWhigPjZCYI8wiT8PbDeWcXIP621aoNO9uXofh9ChpFlugcR
9cdIRzmcQotZZET6pMD90QKBgEJ7b28adsBpfBD/SM/OmEb0htQtNuD2I2Y2XoOx
iSWuf8JfwXCdl2zY7ysq4eb+o9wFGHqCCVJp2Ea53ASlGUdQIaAAHfifg21KXD6U
4JH5H3M6h+I8fYPvxw9dQiu9URpSEZbnog4k+t9mGkdRsl2WP7ViZWaWE3htYnlu
kpWxAoGARqJh5MLayk8kITWW4BvNePcm/MFbzA9Dh8JV2VcwY97ndPrmhH9zK00R
UYmBBbuLt+WeZf5bvobLeZTIsYuk/HtOF70TcrpvjNonhMXG7BjbDBQIXfwdUfF6
DuXx335HmvEvHgTzy783WpyK+v9m4lKedGkbNcEtaUbNCZfwV5E=
-----END RSA PRIVATE KEY-----
)PEM";

// openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048
inline constexpr const char* kRsaPssPkcs8 = R"PEM(-----BEGIN PRIVATE KEY-----
MIIEuwIBADALBgkqhkiG9w0BAQoEggSnMIIEowIBAAKCAQEA6NGycMGS50S4XzZX
PevZSrI9YqvFp3r4Qa/8jy68wwmlTC2kbYnf4gUgxt4VWILHEz0JhHQug4CHJnvG
oWbk4rutKSHkfIZVB5HxXRNlqxqCoYzPodz5Q1N4mZGhzGV0/XhuJI33tQ3o10in
HWzoQJ2UuLseWKN8/GvWdV5OHmsA72/13joPdlwM4Dyw105rGlrYzzJty8YUcfRG
qyCxARYf6xohIIr/TtkcrG2YPpVCAAG2uTq2uAceLFoBn1pKcZj6tvpfY/wxTgKB
34npauCZ31yLLq2YGPLq8/VQpfpwjAnTd9J57uaINqqpCuGcfN8nYHjcRjO3S3K1
mEMtGwIDAQABAoIBAE4o8+hRvBEi62ifdBtoHbsraltBQmpO6KAYxkeFT76EcvdH
jV9uvXgB87Z/oRflU5LcV2Edpe3kzLp5LD5MLkQF8ISSCcRaTpprfuWZ2PRfwoIc
pSn4ZsAY+jBICVL2rpdXglaISKQCRuxbSishQDlNDbwUqYPlYtTVGRqu7bfc3WpU
nlhho2UzA1c6TOx/Zfq2m7MQbE2UGfACwtG24yvVDf2eUapstBRdgArhqgIuki8r
e71wD1r1/EY1JmQJFrJQQ9HrkehUyjXmjSh4mKd7OzSQNp+jqH55MYALKyQMI7/w
EVLMERd6zk1imOSi5Hx4fJxsnNQ0O3zggJcVWHUCgYEA+pFNQ+oaxlgQXXfNIcEu
kscZva5v15gnfOt4lLPAvsyQkrvAPK2VLiqI/5NAydePqLD7JTodYb/u32QDjk4f
FQysEqYeMB+Ybb3ei6G8OCmceyWGzHWDQIA2UXIUYvAGBDcUGN9paqTvhCxQG3/+
mqUDijqze3zs4UZse2Sn0F8CgYEA7d3jS/NL2LzynUtc12LqWE21feT+GTBlxnTC
iNW46btel4PtLwq3+svgOKWdLBgFcAFkJITKDAIOfe0zN4CkAehxVc92sgRnRYS9
igHQN0LKq+0LRbQVTDWuUTlzeHlb+e4XiHKXGlwQsrGmr+BaPcSZ75klj4FT0yxn
r/DgrMUCgYEAr2PaA7nwt/mYqvRa4E/K++7l88IQg4b7zRM+OkiAmI20fSFy9IZE
sCYR82Ptq9t5sYkAoxRE0NF6sV/epVPFqgROxlcFNoZHOjn3dyHlECMAZ6ri6mcv
UozseKIz5vVAIN808BwiPAXrqkciY716SGFNUwq3666MWTvkX5MbbF0CgYBcGxxl
j3siHOAROlpj6KB3uvd5HU+rL0tpklK1q5RjpTMWlnYkThE5ovJa3P5EUbThTxiY
73ZROgakilHXvw9C0d/461G50uyuRZ0jMFqQ22MhObOwtO++R9cNCqME1nFgEOq5
4i1Sfq3Uk+fImKY43sUAuxuJOvnbfolT3oERRQKBgD76nhlWelNYkOcvwgM5Y7vo
btAQIeyy6X2Vx4q/r4CwDijNtb9G11YrnHldwPEQWeNcr49QT6ysFomAqGJzsARo
gzlWQtWC4HRXKtGJyNbltuOzrZZ4+G8AFBMp8KKPxceAJ0YZdRBpMJUoAJ4jRd1q
XiRqe/T7liX6ZSNHEaRK
-----END PRIVATE KEY-----
)PEM";

// openssl genpkey -algorithm ED25519
inline constexpr const char* kEd25519Pkcs8 = R"PEM(-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIB/HKQlZn9Siu6VFYz0lnBRg+Uk67qaQ9dUhjIJruvJv
-----END PRIVATE KEY-----
)PEM";

// openssl ecparam -name secp256k1 -genkey -noout (an unsupported curve)
inline constexpr const char* kSecp256k1Sec1 = R"PEM(-----BEGIN EC PRIVATE KEY-----
MHQCAQEEIH/Pxjb4mmUMuXxHaLwQg9u3bo2t/dQPmHz3Ugc0HEX2oAcGBSuBBAAK
oUQDQgAEsZ6Ar7ddUDqKuofRJDFTsialcochA6oErVFMmAX+SEISsrPXsYv8yWCu
Mar5xZBPAWlvxlZPifyPAwbp7Jq9gQ==
-----END EC PRIVATE KEY-----
)PEM";

// kP256Pkcs8 encrypted: openssl pkcs8 -topk8 -passout pass:secret
inline constexpr const char* kP256Encrypted = R"PEM(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAj5ArXrQ5KqXgICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEECXDKWfZssSfwcPIlvRmVVIEgZCh
eS7AU5/AgouPBw36e+LI1TCcESyFxJJaRucXkIGY7C2ZE7y8WAYfKm7kr0wG29C6
V6dVPK9LTc8MJ5UNU1J3/eCSnlKXmmXCJSxDJRwYGc8WEzSGOuhLC7qNtolEpcYW
QzBnMM27MPPdPP+UqdrQabp0AmILl7aarCtUxYnqrwB3EDmag3kRFBOPy1jz2aU=
-----END ENCRYPTED PRIVATE KEY-----
)PEM";

inline constexpr const char* kSignedMessage = "hello bastion";

// openssl dgst -sha256 -sign kP256Pkcs8
inline constexpr const char* kP256EcdsaSha256Sig =
    "3044022002afb19fb75c59fea19d8092c376bc882e179134b4ea1cd6a7ca7f104a42b3e502203cc6d2b73c06"
    "4f3694e12f1bd4cdf54258b4a7e63957b7bb5f496c830854040d";

// openssl dgst -sha384 -sign kRsaPkcs1
inline constexpr const char* kRsaPkcs1Sha384Sig =
    "3e494d36da33cf0f16d5f46898c0f40ad462dd5a92c0f1cd9619985e8666dcc15038331d25a3f08032ed14ab"
    "8961fbbcae29be8b7eb1460e7e359719dd2cded083b46e4b5a57d5bac6566054734b203bd9c0c85516dc698c"
    "31699dc98c1c11ffa07b034fefbc445c9fe42db6472004783ce33490e942b3b74e4001d136b38294914d0f72"
    "c411826cc9957f3d84ce15c965cec62e2e9d101b955094aded9231033c2cbdb19dba12b75081b40d51652115"
    "df75da385b87de978f7a7378c9a0db1ea336a3250fb7b313691ca847fe1cb5eea5a0365eed882080cd1cbfdf"
    "36f593d850c39898ba3a9bf706371469f12b6a0e0470b9a4bc4bb88ad244b371259d0e30";

// openssl dgst -sha256 -sign kRsaPkcs1 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
inline constexpr const char* kRsaPssSha256Sig =
    "28085afc7a7db43927696ef652e5b642c76944eab465d0f8cb37363231bf622fed65c59c9d6d55600a1b43bd"
    "933921ca5f5ca48508b254a2f791750ae6381557ce931244f859639790c1cdfaf99f4caf9269db3748ffcc58"
    "42b927c017c688d2e7e39e010470c4dea18d41c819929b6396d40f09ee97a74d265c6f57a6e1cc0c32e24df0"
    "8e3ffbebf4f386766be6ec0d423a2c16f90c5ce62dccd78c0051b9cd177c4fd8b727caa17d41b6be8fd656ed"
    "90c5efa9c01e5be274fb85197545f282a0893c2e4a8f2755f83bc5d55123dfd21ca4466811109aa750794c4a"
    "2836e7bf259dcc38f3f947201341b36c980c2dae196547cf999423c65b94c788f9f56be4";

// openssl pkeyutl -sign -rawin -inkey kEd25519Pkcs8
inline constexpr const char* kEd25519Sig =
    "f076022fb2ccbc2da6f55d1f8190966a3a391d1ba86670f7e99e521585c2fd9794c20bba410b68844cd8d6a6"
    "801a47be311145f53969ce7b2ac328027f4e2a05";

}  // namespace bastion::crypto::fixtures
