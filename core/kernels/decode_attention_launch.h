// The plain-C++ boundary between decode_attention.cpp (tensors, checks) and decode_attention.cu (the
// kernels, compiled by nvcc without torch's headers): pointers, strides in elements, sizes.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>

namespace transmla::kernels {

struct DecodeLaunch {
    const void* q;                                  // bf16 [B, G * rep, Dk], contiguous
    const void* k;                                  // bf16 rows of Dk: (b, g, position)
    const void* v;                                  // bf16 rows of Dv (MLA: == k, its first Dv columns)
    int64_t kBatchStride, kGroupStride, kRowStride; // elements
    int64_t vBatchStride, vGroupStride, vRowStride;
    const int32_t* lengths; // [B] valid positions of each sequence (on the device)
    int batch, groups, rep, paddedHeads, dk, dv, capacity, splits, tilesPerSplit;
    float scale;
    float* oPart; // [B, G, splits, paddedHeads, Dv] unnormalised partial outputs
    float* mPart; // [B, G, splits, paddedHeads] running maxima
    float* lPart; // [B, G, splits, paddedHeads] softmax denominators
    void* out;    // bf16 [B, G * rep, Dv]
    // MLA's absorbed output in the reduction (wOut non-null, batch * heads <= kDecodeAbsorbedRows): out is
    // then bf16 [B, H, dOut] = per head bf16(latent) . W_UV^T, with W_UV [H / wRep, dOut, Dv] at (h, v, c)
    // (h / wRep) * wHeadStride + v * wRowStride + c (rows 16-byte aligned), and outPart [B, H, slices, dOut]
    // the column slices' partial sums (decodeReduceSlices).
    const void* wOut;
    int64_t wHeadStride, wRowStride;
    int wRep; // heads per W_UV head (h's at (h / wRep) * wHeadStride; 0 or 1: one each)
    int dOut;
    float* outPart;
    // Set by launchDecodeAttention where the latent kernel reduces its own splits (decodeFusedReduction).
    int fusedReduce;
};

constexpr int kDecodeAbsorbedRows = 512; // sequences x heads the reduction's absorbed output takes

constexpr int kDecodeTile = 64;         // positions per tile (one pipeline stage)
constexpr int kDecodeMaxQueries = 32;   // queries (heads) per kv group
constexpr int kDecodeMaxKeyDim = 576;   // key width (MLA: r + r_R)
constexpr int kDecodeMaxValueDim = 512; // value width (MLA: r)

// Splits per sequence and kv group: one wave of blocks (as many as fit on every multiprocessor at once,
// rounded down: a second, nearly empty wave would cost a whole tile loop). MLA's blocks (~190-230 KB of
// shared memory) fit once per multiprocessor, GQA's (~110 KB) twice. Every block gets at least minTiles
// tiles (decodeMinTiles).
inline int64_t decodeSplits(int64_t capacity, int64_t batchGroups, int64_t multiprocessors,
                            int64_t blocksPerSm, int64_t minTiles) {
    const int64_t tiles = (capacity + kDecodeTile - 1) / kDecodeTile;
    return std::max<int64_t>(1, std::min(multiprocessors * blocksPerSm / batchGroups, tiles / minTiles));
}

// Tiles per split for `splits` splits of `capacity` rows, and the splits that then hold tiles: none is left
// empty (32K x 4 on 132 multiprocessors: 33 splits of 16 tiles would leave the last one without a tile, and
// its partials to every reduction: 32 of 16).
inline std::pair<int64_t, int64_t> decodeSplitTiles(int64_t capacity, int64_t splits) {
    const int64_t tiles = std::max<int64_t>(1, (capacity + kDecodeTile - 1) / kDecodeTile);
    const int64_t perSplit = (tiles + splits - 1) / splits;
    return {(tiles + perSplit - 1) / perSplit, perSplit};
}

// Least tiles per split: one, since the reduction reads the partials in column slices (MLA at 4K x 1, the
// kernel alone on an H200: 64 splits of one tile 15.5 us, 32 of two 19.3 us; it was two while a head's
// reduction took one block); TRANSMLA_DECODE_MIN_TILES=N (1..64) to compare.
int64_t decodeMinTiles();
// Shared memory the split kernel needs; 0 when the shape is outside what it supports.
int64_t decodeSharedBytes(int paddedHeads, int dk, int dv, bool sharedValues);
// Tiles each block must stream before the latent kernel (Hopper, MLA) is used rather than the Wide one: with
// fewer, a block is bound by its fixed costs, and inside a batch-1 decode step at 4K (two tiles per block)
// the Wide kernel measured faster (6.29 vs 6.59 ms per step); from 16 tiles on the latent kernel's pipeline
// wins (61% vs 41% of copy at 32K x 4, 76% vs 46% at 16K x 16).
constexpr int kLatentMinTiles = 8;
// The kernel that takes this launch on this device: "narrow", "wide", "latent" or "none".
const char* decodeKernelName(int paddedHeads, int dk, int dv, bool sharedValues, int tilesPerSplit);
// Blocks of the split kernel that fit on one multiprocessor at once (shared memory, registers).
int decodeBlocksPerMultiprocessor(int paddedHeads, int dk, int dv, bool sharedValues);
// Launches the split kernel and the reduction on `stream` (a cudaStream_t); returns a CUDA error
// string, or nullptr.
const char* launchDecodeAttention(const DecodeLaunch& p, void* stream);
// Whether kernels that can start before the one ahead of them ends are launched as its programmatic
// dependents (they wait for it with griddepcontrol.wait where they read its output): the reduction after the
// split kernel, MLA's absorbed output after the reduction. Off unless TRANSMLA_DECODE_PDL=1 (Hopper and
// later): on one H200 the kernel alone gained (GQA 4K x 1: 17.6 -> 13.2 us) but the graph-replayed decode
// step lost ~1.5% at batch 1 (4.87 -> 4.96 ms GQA, 5.28 -> 5.35 ms MLA, runs interleaved twice; another
// machine's single runs had it 2-4% faster), so the kernels are written for it and the launches keep the
// plain order.
bool dependentLaunch();

// Whether the latent kernel (Hopper, MLA) reduces its sequence's splits itself once every one has stored its
// partials (launched cooperatively: all its blocks resident, the last to arrive releasing the others) instead
// of the separate reduction launch, where that reduction has no absorbed output to run (batch > 4): on the
// H200 the kernel alone at 16K x 16 103.1 -> 93.8 us and that step 8.74 -> 8.53 ms; with the absorbed output
// (32K x 4) the step lost, 6.66 -> 6.79 ms. From TRANSMLA_FUSED_REDUCE ("0" off) at first use; tests may set
// it.
bool& decodeFusedReduction();
constexpr int kFusedMaxSequences = 1024; // sequences of one fused launch (its blocks fit one wave anyway)

// The column slices of the reduction (its grid's second dimension) for this launch (p.wOut too), and so the
// second dimension of outPart.
int decodeReduceSlices(const DecodeLaunch& p);

#ifdef TRANSMLA_DECODE_PHASES
// Probe builds: the global timer (ns) at each phase of the last launch's blocks (block x * splits + y).
// Split kernel: 0 entry, 1 set up (query loaded), 2 first tile landed, 3 last tile done, 4 partials stored
// (scores side), 5 the latent kernel's output side stored, 6 its last tile's output product done; reduction:
// 0 entry, 1 weights (the latent kernel's own: its first pass over the splits combined), 2 stored. Blocks a
// launch did not run (or phases it skipped) read 0; reading clears the tables.
constexpr int kPhaseBlocks = 4096, kSplitPhases = 7, kReducePhases = 3;
const char* decodePhases(unsigned long long* split, unsigned long long* reduce); // [kPhaseBlocks][phases]
#endif

} // namespace transmla::kernels
