// Host-side tiler: a full B x CI times CI x CO product split into array-sized tiles by the
// mappings of eq. 10.3-10.5 with the diagonal shift (§10.3.4), and the array's outputs put
// back into the B x CO result. Standard C++ only: it is also compiled into the harness.
#pragma once

#include <vector>

#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"

namespace ftaccel::golden {

// WS/IS: one stationary tile loaded into the array and the vectors streamed through it.
struct StreamTile {
  int tileIn = 0;                             // input-channel tile (CI / rows)
  int tileOut = 0;                            // WS: output-channel tile (CO / cols); IS: batch tile (B / cols)
  Matrix stationary;                          // rows x cols: the value PE(r, c) holds
  std::vector<std::vector<int64_t>> vectors;  // streamed vectors of rows lanes
};

// WS (eq. 10.3): W[ci][co] at PE((ci+s) mod rows, (co+s) mod cols); vector b of a tile
// carries X[b][ci] on lane (ci+s) mod rows. Tiles ordered by output tile, then input tile.
// x is B x CI, w is CI x CO.
std::vector<StreamTile> tileWs(const Matrix& x, const Matrix& w, int rows, int cols, int shift);

// WS on flow-controlling PEs (SPEC §7): tiles of rows*l input and cols*k output channels with
// shift 0 (a diagonal shift would move channels across group boundaries), each tile packed for
// the load port. Tile order and vectors (rows*l lanes) are those of tileWs on the logical
// matrix. Returns nothing and sets `error` when a group of w holds two non-zeros; the message
// names the group in w's own row/column numbers (the zero padding of the last tiles never
// breaks a group).
struct PackedStreamTile {
  int tileIn = 0, tileOut = 0;
  PackedMatrix packed;                        // rows x cols values and index bits: the load beats
  Matrix logical;                             // (rows*l) x (cols*k): what the golden model multiplies
  std::vector<std::vector<int64_t>> vectors;  // streamed vectors of rows*l lanes
};
std::optional<std::vector<PackedStreamTile>> tileWsPacked(const Matrix& x, const Matrix& w, int rows, int cols,
                                                          GroupShape shape, std::string& error);

// IS (eq. 10.4): X[b][ci] at PE((ci+s) mod rows, (b+s) mod cols); vector co of a tile carries
// W[ci][co] on lane (ci+s) mod rows. Tiles ordered by batch tile, then input tile.
std::vector<StreamTile> tileIs(const Matrix& x, const Matrix& w, int rows, int cols, int shift);

// Adds the array's output lanes (cols values) for vector `v` of a tile with `tileOut` into y
// (B x CO):
// WS: y[v][co] += lane (co+s) mod cols; IS: y[b][v] += lane (b+s) mod cols.
void accumulateWs(WideMatrix& y, int tileOut, int v, const std::vector<Wide>& lanes, int cols, int shift);
void accumulateIs(WideMatrix& y, int tileOut, int v, const std::vector<Wide>& lanes, int cols, int shift);

// OS (eq. 10.5): output (b, co) accumulates in PE((b+s) mod rows, (co+s) mod cols); the whole
// reduction over CI runs inside one tile. Tiles ordered by batch tile, then output tile.
struct OsTile {
  Matrix x;  // rows x CI: lane r of step k
  Matrix w;  // CI x cols: lane c of step k
  int tileB = 0, tileCo = 0;
};
std::vector<OsTile> tileOs(const Matrix& x, const Matrix& w, int rows, int cols, int shift);

// Result lane c of result row r of tile t -> y[b][co] (nothing for padding positions).
void storeOs(WideMatrix& y, const OsTile& t, int r, int c, Wide value, int rows, int cols, int shift);

}  // namespace ftaccel::golden
