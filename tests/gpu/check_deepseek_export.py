#!/usr/bin/env python3
"""Load an exported folder with transformers' DeepseekV3ForCausalLM (fp32, eager) and compare its
logits on IDS.json with OURS.safetensors (from `transmla logits EXPORT --ids IDS.json`).
Usage: check_deepseek_export.py EXPORT_DIR IDS.json OURS.safetensors [TOL]"""
import json, sys
import numpy as np
import torch
from safetensors.numpy import load_file
from transformers import AutoConfig, DeepseekV3ForCausalLM

export, ids_file, ours_file = sys.argv[1:4]
tol = float(sys.argv[4]) if len(sys.argv) > 4 else 1e-3
cfg = AutoConfig.from_pretrained(export)
model = DeepseekV3ForCausalLM.from_pretrained(export, dtype=torch.float32, attn_implementation="eager").eval()
ids = torch.tensor(json.load(open(ids_file)))
with torch.no_grad():
    hf = model(ids).logits.float().numpy()
ours = load_file(ours_file)["logits"]
err = float(np.abs(hf - ours).max())
print(f"{export}: {type(model).__name__} kv_lora_rank={cfg.kv_lora_rank} qk_rope_head_dim={cfg.qk_rope_head_dim} "
      f"rope_interleave={getattr(cfg, 'rope_interleave', None)} max |logits_hf - logits_transmla| = {err:.3g} (tol {tol:g})")
sys.exit(0 if err <= tol else 1)
