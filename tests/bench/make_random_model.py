#!/usr/bin/env python3
"""Write a random-weight Hugging Face checkpoint with a real model's shapes (speed and memory depend
on shapes, not trained values): config.json from the table below, bf16 safetensors shards generated
on the GPU tensor by tensor (names and shapes from transformers' own model built on the meta device).
Usage: make_random_model.py {llama3-8b|qwen2.5-7b|mistral-7b} OUT_DIR [TOKENIZER_JSON]"""
import json, os, shutil, sys
import torch
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM

CONFIGS = {
    "llama3-8b": dict(model_type="llama", architectures=["LlamaForCausalLM"], hidden_size=4096, intermediate_size=14336,
                      num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8, vocab_size=128256,
                      max_position_embeddings=131072, rms_norm_eps=1e-5, rope_theta=500000.0, tie_word_embeddings=False,
                      rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                        original_max_position_embeddings=8192), hidden_act="silu", torch_dtype="bfloat16"),
    "qwen2.5-7b": dict(model_type="qwen2", architectures=["Qwen2ForCausalLM"], hidden_size=3584, intermediate_size=18944,
                       num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4, vocab_size=152064,
                       max_position_embeddings=32768, rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=False,
                       hidden_act="silu", use_sliding_window=False, torch_dtype="bfloat16"),
    "mistral-7b": dict(model_type="mistral", architectures=["MistralForCausalLM"], hidden_size=4096, intermediate_size=14336,
                       num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8, vocab_size=32768,
                       max_position_embeddings=32768, rms_norm_eps=1e-5, rope_theta=1000000.0, sliding_window=None,
                       tie_word_embeddings=False, hidden_act="silu", torch_dtype="bfloat16"),
}

name, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
json.dump(CONFIGS[name], open(os.path.join(out, "config.json"), "w"), indent=1)
cfg = AutoConfig.from_pretrained(out)
with torch.device("meta"):
    model = AutoModelForCausalLM.from_config(cfg)
gen = torch.Generator(device="cuda").manual_seed(0)
shard, shard_bytes, index, n = {}, 0, {}, 0
def flush():
    global shard, shard_bytes, n
    if not shard: return
    n += 1; fname = f"model-{n:05d}.safetensors"
    save_file(shard, os.path.join(out, fname), metadata={"format": "pt"})
    for k in shard: index[k] = fname
    shard, shard_bytes = {}, 0
for k, p in model.state_dict().items():
    if k.endswith("norm.weight"):
        t = torch.ones(p.shape, dtype=torch.bfloat16)
    else:
        t = (torch.randn(p.shape, generator=gen, device="cuda", dtype=torch.bfloat16) * 0.02).cpu()
    shard[k] = t; shard_bytes += t.numel() * 2
    if shard_bytes > 4 << 30: flush()
flush()
json.dump({"metadata": {}, "weight_map": index}, open(os.path.join(out, "model.safetensors.index.json"), "w"))
if len(sys.argv) > 3:
    shutil.copy(sys.argv[3], os.path.join(out, "tokenizer.json"))
print(f"{name}: {sum(p.numel() for p in model.parameters())/1e9:.2f} B params -> {out} ({n} shards)")
