#!/usr/bin/env python3
"""GSM8K test-set loss with Hugging Face transformers, with the batch policy of `transmla eval`
(documents sorted longest first, batches of at most BATCH_TOKENS padded tokens, right padding,
no attention mask needed under causal attention). Prints tokens, mean NLL and tokens/s of the
forward+loss loop (tokenization and loading excluded, as in `transmla eval`)."""
import argparse, json, time
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

p = argparse.ArgumentParser()
p.add_argument("model"); p.add_argument("data")
p.add_argument("--dtype", default="bf16"); p.add_argument("--batch-tokens", type=int, default=16384)
p.add_argument("--attn", default="sdpa"); p.add_argument("--limit", type=int, default=-1)
a = p.parse_args()
dtype = {"bf16": torch.bfloat16, "f32": torch.float32}[a.dtype]
tok = AutoTokenizer.from_pretrained(a.model)
model = AutoModelForCausalLM.from_pretrained(a.model, dtype=dtype, attn_implementation=a.attn).cuda().eval()
probs = [json.loads(l) for l in open(a.data) if l.strip()]
if a.limit > 0: probs = probs[: a.limit]
docs = [tok("Question: " + q["question"] + "\nAnswer: " + q["answer"])["input_ids"][:512] for q in probs]
order = sorted(range(len(docs)), key=lambda i: -len(docs[i]))
torch.cuda.synchronize(); t0 = time.perf_counter()
nll_sum, ntok, i = 0.0, 0, 0
with torch.inference_mode():
    while i < len(order):
        T = len(docs[order[i]]); B = max(1, a.batch_tokens // T)
        batch = [docs[j] for j in order[i : i + B]]; i += B
        ids = torch.zeros(len(batch), T, dtype=torch.long)
        mask = torch.zeros(len(batch), T, dtype=torch.bool)
        for b, d in enumerate(batch):
            ids[b, : len(d)] = torch.tensor(d); mask[b, : len(d) - 1] = True
        ids = ids.cuda(); mask = mask.cuda()
        logits = model(ids).logits.float()
        lp = torch.log_softmax(logits[:, :-1], -1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        nll_sum += float(-(lp * mask[:, :-1]).sum()); ntok += int(mask.sum())
torch.cuda.synchronize(); dt = time.perf_counter() - t0
print(json.dumps({"impl": "transformers " + __import__("transformers").__version__, "attn": a.attn, "dtype": a.dtype,
                  "tokens": ntok, "mean_nll": nll_sum / ntok, "seconds": dt, "tokens_per_second": ntok / dt}))
