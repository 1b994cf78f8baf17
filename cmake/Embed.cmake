# Turns one text file into a C++ source defining `extern const std::string_view SYMBOL`.
file(READ ${INPUT} content HEX)
string(LENGTH "${content}" hex_len)
math(EXPR byte_count "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE ${OUTPUT}
  "// generated from ${INPUT} by cmake/Embed.cmake - do not edit\n"
  "#include <string_view>\n"
  "namespace ftaccel::embedded {\n"
  "static const char ${SYMBOL}_data[] = {${bytes} 0};\n"
  "extern const std::string_view ${SYMBOL}(${SYMBOL}_data, ${byte_count});\n"
  "}\n")
