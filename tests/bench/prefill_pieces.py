#!/usr/bin/env python3
"""Issue 17, prefill of 16K x 16 (Llama-3-8B shape, bf16, one H200): what its pieces cost in PyTorch alone.

Times, with CUDA events, the causal attention of both forms through each SDPA backend that takes the shape
(GQA: 32 query heads over 8 kv heads of 128, by repeat_interleave or enable_gqa; MLA expanded: q, k of 192,
v of 128, padded to 192 where a backend wants one width), and the linear layers of one layer over all
262,144 rows, so the prefill's floor can be set against what the project runs (bench_decode's prefill).
  python3 tests/bench/prefill_pieces.py [BATCH] [CONTEXT] [linear]
"""
import sys
import warnings

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

from cuda_timing import timed_ms

warnings.filterwarnings("ignore")  # SDPA explains each refusal at length; the table says "refused"
B = int(sys.argv[1]) if len(sys.argv) > 1 else 16
L = int(sys.argv[2]) if len(sys.argv) > 2 else 16384
H, G, LAYERS = 32, 8, 32
dev, dt = "cuda", torch.bfloat16


def timed(fn, reps=3):
    return timed_ms(fn, reps) / 1e3  # seconds; the warm-up call raises the backend's refusal, if any


def backend_rows(name, fn, flops):
    """One row per backend for the attention fn: SDPA's own choice, then each backend alone."""
    for label, backends in [("(default choice)", None)] + [(b.name, [b]) for b in (
            SDPBackend.FLASH_ATTENTION, SDPBackend.CUDNN_ATTENTION, SDPBackend.EFFICIENT_ATTENTION)]:
        try:
            if backends is None:
                s = timed(fn)
            else:
                with sdpa_kernel(backends):
                    s = timed(fn)
            print(f"| {name} | {label} | {s * 1e3:.1f} | {flops / s / 1e12:.0f} | {s * LAYERS:.2f} |")
        except RuntimeError as e:
            print(f"| {name} | {label} | refused: {str(e).splitlines()[0][:80]} | | |")


def attention_rows():
    print("| attention (one layer, causal) | backend | ms | TFLOP/s | x 32 layers (s) |")
    print("|---|---|---|---|---|")
    q = torch.randn(B, H, L, 128, device=dev, dtype=dt)
    k = torch.randn(B, G, L, 128, device=dev, dtype=dt)
    v = torch.randn(B, G, L, 128, device=dev, dtype=dt)
    kk, vv = k.repeat_interleave(H // G, 1), v.repeat_interleave(H // G, 1)
    flops_gqa = 2 * B * H * L * L * (128 + 128) / 2
    backend_rows("GQA, k/v repeated", lambda: F.scaled_dot_product_attention(q, kk, vv, is_causal=True), flops_gqa)
    backend_rows("GQA, enable_gqa", lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True),
                 flops_gqa)
    del q, k, v, kk, vv
    torch.cuda.empty_cache()
    qm = torch.randn(B, H, L, 192, device=dev, dtype=dt)
    km = torch.randn(B, H, L, 192, device=dev, dtype=dt)
    vm = torch.randn(B, H, L, 128, device=dev, dtype=dt)
    vp = F.pad(vm, (0, 64))
    flops_mla = 2 * B * H * L * L * (192 + 128) / 2
    backend_rows("MLA expanded, v of 128", lambda: F.scaled_dot_product_attention(qm, km, vm, is_causal=True),
                 flops_mla)
    backend_rows("MLA expanded, v padded to 192", lambda: F.scaled_dot_product_attention(qm, km, vp, is_causal=True),
                 flops_mla)
    del qm, km, vm, vp
    torch.cuda.empty_cache()


def linear_rows():
    rows = B * L
    x = torch.randn(rows, 4096, device=dev, dtype=dt)
    print("\n| linear over all rows (one layer) | ms | TFLOP/s | x layers (s) |")
    print("|---|---|---|---|")
    total = 0.0
    for name, n, k, count in (("q|k|v 4096 -> 6144 (GQA)", 6144, 4096, 1),
                              ("q|kv_a 4096 -> 4672 (MLA, r 512 + r_R 64)", 4672, 4096, 0),
                              ("q|kv_a padded to 4864 (19 x 256)", 4864, 4096, 0), ("q alone 4096 -> 4096", 4096, 4096, 0),
                              ("kv_a alone 4096 -> 576", 576, 4096, 0),
                              ("o 4096 -> 4096", 4096, 4096, 1), ("gate|up 4096 -> 28672", 28672, 4096, 1),
                              ("down 14336 -> 4096", 4096, 14336, 1), ("kv_b 512 -> 8192 (MLA)", 8192, 512, 0)):
        w = torch.randn(n, k, device=dev, dtype=dt)
        xin = x if k == 4096 else torch.randn(rows, k, device=dev, dtype=dt)
        s = timed(lambda: F.linear(xin, w))
        total += s * count
        print(f"| {name} | {s * 1e3:.1f} | {2 * rows * n * k / s / 1e12:.0f} | {s * LAYERS:.2f} |")
        del w, xin
        torch.cuda.empty_cache()
    print(f"GQA linear layers in all: {total * LAYERS:.2f} s")


print(f"torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, {torch.cuda.get_device_name()}, "
      f"batch {B} x context {L}")
if "linear" not in sys.argv[3:]:  # `prefill_pieces.py B L linear`: the linear layers only
    attention_rows()
linear_rows()
