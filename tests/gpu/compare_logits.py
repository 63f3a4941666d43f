#!/usr/bin/env python3
"""Compare `transmla logits` output with a reference logits_fp32.safetensors: prints max |diff|."""
import sys
from safetensors.numpy import load_file
import numpy as np

ours, ref = load_file(sys.argv[1]), load_file(sys.argv[2])
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 2e-4
err = float(np.abs(ours["logits"].astype(np.float64) - ref["logits"].astype(np.float64)).max())
print(f"{sys.argv[1]}: max |logits - reference| = {err:.3g} (tolerance {tol:g})")
sys.exit(0 if err <= tol else 1)
