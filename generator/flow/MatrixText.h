// The text matrix format of `ftaccel pack` (docs/sparsity.md): read with file:line:column
// diagnostics, and the packed output written.
#pragma once

#include <string>
#include <string_view>

#include "golden/SparsePacker.h"

namespace ftaccel::flow {

// Parses "matrix ROWS COLS" followed by ROWS lines of COLS integers ('#' starts a comment; blank
// lines are ignored). Every problem is a diagnostic at its position (throws DiagnosticError).
golden::Matrix parseMatrixText(std::string_view text, const std::string& sourceName);

// The packed form as text: a header line, "values" and ROWS lines, "index" and ROWS lines.
std::string formatPacked(const golden::PackedMatrix& p, std::string_view peKind, int sourceRows, int sourceCols);

}  // namespace ftaccel::flow
