# Writes bastion(1) from `bastion --help`, so the man page says what the program does.
# cmake -DCLI=path/to/bastion -DVERSION=x.y.z -DOUT=bastion.1 -P man_page.cmake
execute_process(COMMAND ${CLI} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CLI} --help failed")
endif()
# roff: a leading dot or quote starts a request, a backslash an escape.
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
file(WRITE ${OUT} ".TH BASTION 1 \"\" \"bastion ${VERSION}\" \"User Commands\"
.SH NAME
bastion \\- TLS client, server and certificate tool
.SH DESCRIPTION
.nf
${help}.fi
.SH SEE ALSO
README.md in /usr/share/doc/bastion, and docs/ in Bastion's source tree.
")
