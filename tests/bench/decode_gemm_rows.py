#!/usr/bin/env python3
"""Issue 17: what cuBLAS takes for one decoding step's projection (batch rows x 4096 -> N, bf16) as N varies,
as the graph-replayed step runs it: a CUDA graph of 40 products over 40 distinct weights (more than L2 holds),
CUDA events over its replays. N covers MLA's q_nope | kv_a (4672), GQA's q | k | v (6144) and MLA's q | kv_a
with the rope rows (6720); each printed with its read rate, for cuBLAS's default and for cuBLASLt.
  python3 tests/bench/decode_gemm_rows.py [BATCH] [N ...]
"""
import sys

import torch
import torch.nn.functional as F

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1
widths = [int(a) for a in sys.argv[2:]] or [4096, 4672, 4864, 5120, 6144, 6720]
D, COPIES, REPLAYS = 4096, 40, 20
dev, dt = "cuda", torch.bfloat16


def per_call_us(n, backend):
    torch.backends.cuda.preferred_blas_library(backend)
    weights = [torch.randn(n, D, device=dev, dtype=dt) for _ in range(COPIES)]
    x = torch.randn(rows, D, device=dev, dtype=dt)
    outs = [F.linear(x, w) for w in weights]  # warm-up: cuBLAS picks and loads its kernels
    stream = torch.cuda.Stream()
    with torch.cuda.stream(stream):
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            outs = [F.linear(x, w) for w in weights]
    graph.replay()
    torch.cuda.synchronize()
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(REPLAYS):
        graph.replay()
    stop.record()
    torch.cuda.synchronize()
    del outs
    return start.elapsed_time(stop) * 1e3 / (REPLAYS * COPIES)


for n in widths:
    line = f"rows {rows} x {D} -> {n}:"
    for backend in ("cublas", "cublaslt"):
        us = per_call_us(n, backend)
        line += f" {backend} {us:.1f} us ({n * D * 2 / us / 1e3:.2f} TB/s)"
    print(line, flush=True)
