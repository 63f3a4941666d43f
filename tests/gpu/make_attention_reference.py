#!/usr/bin/env python3
"""Attention probabilities of a reference model from transformers (eager attention, fp32), for
tests/core/analysis/tst_attention_map.cpp: the first GSM8K test problem in the evaluation format
("Question: " + question + "\\nAnswer: " + answer), tokenized with the model's own tokenizer
(add_special_tokens=True, as the workbench's attention map), cut to TOKENS tokens, positions 0..T-1.

Writes OUT (safetensors): input_ids [1, T] int64 and attentions [layers, heads, T, T] f32, with the
prompt and versions in the metadata.

Usage: python3 make_attention_reference.py MODEL_DIR GSM8K_TEST_JSONL OUT [TOKENS=48] [DEVICE=cpu]
(run on the GPU machine, which has transformers 5.17 and torch 2.11)."""
import json
import sys

import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer

model_dir, gsm8k, out = sys.argv[1], sys.argv[2], sys.argv[3]
tokens = int(sys.argv[4]) if len(sys.argv) > 4 else 48
device = sys.argv[5] if len(sys.argv) > 5 else "cpu"

with open(gsm8k, encoding="utf-8") as f:
    problem = json.loads(f.readline())
prompt = "Question: " + problem["question"] + "\nAnswer: " + problem["answer"]

tok = AutoTokenizer.from_pretrained(model_dir)
ids = tok(prompt, add_special_tokens=True, return_tensors="pt")["input_ids"][:, :tokens]
model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="eager")
model = model.to(device).eval()
with torch.no_grad():
    res = model(input_ids=ids.to(device), output_attentions=True, use_cache=False)
att = torch.stack([a[0] for a in res.attentions]).float().cpu().contiguous()  # [layers, heads, T, T]

save_file({"input_ids": ids.contiguous(), "attentions": att}, out,
          metadata={"model": model_dir.rstrip("/").split("/")[-1], "prompt": prompt, "tokens": str(ids.shape[1]),
                    "device": device, "transformers": transformers.__version__, "torch": torch.__version__,
                    "attn_implementation": "eager", "dtype": "float32"})
rows = att.sum(-1)
print(f"{out}: attentions {tuple(att.shape)}, max |row sum - 1| = {(rows - 1).abs().max().item():.3g}, "
      f"transformers {transformers.__version__}, torch {torch.__version__}, {device}")
