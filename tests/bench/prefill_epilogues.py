#!/usr/bin/env python3
"""Issue 17, prefill of 16K x 16 (Llama-3-8B shape, bf16, one H200): one layer's products over all 262,144 rows.

Prints, with CUDA events: the residual add fused into a product's epilogue (addmm) against the product and the add
apart; three interleaved rounds of each product's call forms (the first timing runs cooler than the sustained
ones: the board's power cap); MLA's q as a per-head batched product against the one q | kv_a product.
  python3 tests/bench/prefill_epilogues.py
"""
import torch

from cuda_timing import timed_ms

N, dev, dt = 262144, "cuda", torch.bfloat16


def timed(fn, reps=5):
    return timed_ms(fn, reps)


torch.manual_seed(0)
for name, K, M in [("o_proj", 4096, 4096), ("down", 14336, 4096)]:
    x = torch.randn(N, K, device=dev, dtype=dt)
    W = torch.randn(M, K, device=dev, dtype=dt) * 0.02
    h = torch.randn(N, M, device=dev, dtype=dt)
    y = torch.empty(N, M, device=dev, dtype=dt)
    tmm = timed(lambda: torch.mm(x, W.t(), out=y))
    tadd = timed(lambda: h + y)
    tam = timed(lambda: torch.addmm(h, x, W.t()))
    print(f"{name}: mm {tmm:.2f} ms, h + y {tadd:.2f} ms, addmm {tam:.2f} ms (addmm - mm {tam - tmm:+.2f} ms)")
    forms = {"mm out": lambda: torch.mm(x, W.t(), out=y), "mm": lambda: torch.mm(x, W.t()),
             "linear": lambda: torch.nn.functional.linear(x, W),
             "matmul 3d": lambda: torch.matmul(x.view(16, N // 16, K), W.t())}
    rounds = {k: [] for k in forms}
    for _ in range(3):
        for k, f in forms.items():
            rounds[k].append(timed(f))
    print(f"{name} rounds (ms): " + " | ".join(f"{k} {' '.join(f'{v:.2f}' for v in vs)}" for k, vs in rounds.items()))
    del x, W, h, y
    torch.cuda.empty_cache()

x = torch.randn(N, 4096, device=dev, dtype=dt)
W = torch.randn(4672, 4096, device=dev, dtype=dt) * 0.02
one = timed(lambda: torch.mm(x, W.t()))
heads = timed(lambda: torch.bmm(x.unsqueeze(0).expand(32, N, 4096), W[:4096].view(32, 128, 4096).transpose(1, 2)))
kva = timed(lambda: torch.mm(x, W[4096:].t()))
qn = torch.mm(x, W.t())[:, :4096].view(N, 32, 128)
m = torch.randn(32, 128, 64, device=dev, dtype=dt)
mapped = timed(lambda: torch.bmm(qn.permute(1, 0, 2), m))
print(f"q | kv_a one product {one:.2f} ms; q per head {heads:.2f} + kv_a {kva:.2f} ms; q_rope map {mapped:.2f} ms")
