#!/usr/bin/env python3
"""GPU kernels of one decode step, from two Nsight Systems kernel summaries of the same benchmark run
with N1 and N2 steps (the prefill and setup are identical, so the difference is N2 - N1 steps):
  kernel_step_profile.py SUM_N1.csv N1 SUM_N2.csv N2 [MS_PER_STEP]
  kernel_step_profile.py SUM.csv          (one run's totals: e.g. a prompt, whose few steps add little)
SUM_*.csv: `nsys stats --report cuda_gpu_kern_sum --format csv` (with --cuda-graph-trace=node so a
graph's kernels are counted one by one), or Nsight Compute's `ncu --graph-profiling node --metrics
gpu__time_duration.sum --csv` (each kernel timed alone: no overlap, and no time between kernels). Prints per step: each kernel's time and launches, the sum,
and (given the measured ms/step) the time between kernels."""
import csv
import sys


NS = {"nsecond": 1.0, "ns": 1.0, "usecond": 1e3, "us": 1e3, "msecond": 1e6, "ms": 1e6, "second": 1e9}


def load(path):
    rows = {}
    with open(path, newline="") as f:
        lines = [l for l in f if l.startswith('"') or l.startswith("Time")]
    reader = list(csv.DictReader(lines))
    if reader and "Metric Name" in reader[0]:  # Nsight Compute: one row per kernel launch
        for r in reader:
            if r["Metric Name"] != "gpu__time_duration.sum":
                continue
            value = float(r["Metric Value"].replace(",", "")) * NS.get(r["Metric Unit"], 1.0)
            t, c = rows.get(r["Kernel Name"], (0.0, 0))
            rows[r["Kernel Name"]] = (t + value, c + 1)
        return rows
    for r in reader:
        name = r["Name"]
        total = float(r["Total Time (ns)"])
        count = int(r["Instances"])
        t, c = rows.get(name, (0.0, 0))
        rows[name] = (t + total, c + count)
    return rows


def main():
    if len(sys.argv) == 2:  # one run's totals
        a, n1, b, n2 = {}, 0, load(sys.argv[1]), 1
    else:
        a, n1, b, n2 = load(sys.argv[1]), int(sys.argv[2]), load(sys.argv[3]), int(sys.argv[4])
    steps = n2 - n1
    per = []
    for name in set(a) | set(b):
        t = (b.get(name, (0, 0))[0] - a.get(name, (0, 0))[0]) / steps / 1e3  # us per step
        c = (b.get(name, (0, 0))[1] - a.get(name, (0, 0))[1]) / steps
        if c > 0.01:
            per.append((t, c, name))
    per.sort(reverse=True)
    total = sum(t for t, _, _ in per)
    launches = sum(c for _, c, _ in per)
    print(f"per step ({steps} steps): {total:.1f} us in {launches:.0f} kernels" if len(sys.argv) > 2
          else f"whole run: {total / 1e3:.1f} ms in {launches:.0f} kernels")
    for t, c, name in per:
        print(f"  {t:8.1f} us {c:6.1f} x {t / c:6.2f} us  {name[:110]}")
    if len(sys.argv) > 5:
        ms = float(sys.argv[5])
        gap = ms * 1e3 - total
        print(f"measured {ms:.3f} ms/step: {gap:.0f} us between kernels ({gap / max(launches, 1):.2f} us per launch)")


if __name__ == "__main__":
    main()
