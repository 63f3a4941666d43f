#!/usr/bin/env python3
"""Prints the CPU figures of a build_time.sh build: total, by kind, top edges, the 2-core estimate."""
import collections, heapq, re, sys
from pathlib import Path

build = Path(sys.argv[1])
workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
user, system, wall = map(float, build.joinpath("total_cpu.txt").read_text().split()[-3:])
total = user + system

cpu = collections.defaultdict(float)  # output (relative to the build) -> user+sys seconds
for line in build.joinpath("edge_cpu.log").read_text().splitlines():
    parts = line.split(" ", 2)
    if len(parts) == 3 and re.fullmatch(r"[0-9.]+", parts[0]):
        out = parts[2].replace(str(build) + "/", "")
        s = float(parts[0]) + float(parts[1])
        # An object built twice (a resumed build) counts once, its last time; command labels add up.
        cpu[out] = s if out.endswith((".o", ".gch")) else cpu[out] + s

def kind(out):
    if out.endswith(".gch"):
        return "precompiled header"
    if "mocs_compilation" in out:
        return "mocs_compilation objects"
    if out.endswith(".o"):
        top = out.split("/")[0]
        if out.startswith("tests/bench"):
            return "bench objects"
        return {"core": "core objects", "tests": "test objects", "app": "app objects",
                "views": "views objects"}.get(top, "other objects")
    if out.endswith(".a") or "/" in out and not out.startswith(("_", "/")) and "." not in Path(out).name:
        return "test links" if out.startswith("tests/") else "links"
    return "custom (autogen/moc, rcc, lrelease)"

by_kind = collections.defaultdict(float)
for out, s in cpu.items():
    by_kind[kind(out)] += s
print(f"build {build}: total CPU {total:.0f} s (user {user:.0f} + sys {system:.0f}), wall {wall:.0f} s "
      f"with -j{workers} on this machine as loaded")
for k, s in sorted(by_kind.items(), key=lambda kv: -kv[1]):
    print(f"  {k:38s} {s:7.0f} s")
print(f"  {'not launched by a rule (ninja, cmake)':38s} {total - sum(cpu.values()):7.0f} s")
print("top edges (CPU s):")
for out, s in sorted(cpu.items(), key=lambda kv: -kv[1])[:15]:
    print(f"  {s:6.1f}  {out}")

# ninja -t graph: file nodes, rule nodes (ellipses) and arrows; a one-input one-output edge is a labelled arrow.
labels, rules, inputs, outputs = {}, set(), collections.defaultdict(set), collections.defaultdict(set)
for line in build.joinpath("graph.dot").read_text().splitlines():
    m = re.match(r'"(0x[0-9a-f]+)" \[label="([^"]*)"(, shape=ellipse)?\]', line)
    if m:
        labels[m[1]] = m[2]
        if m[3]:
            rules.add(m[1])
        continue
    m = re.match(r'"(0x[0-9a-f]+)" -> "(0x[0-9a-f]+)"(.*)', line)
    if not m:
        continue
    a, b, rest = m[1], m[2], m[3]
    if b in rules:
        inputs[b].add(a)
    elif a in rules:
        outputs[a].add(b)
    else:  # direct arrow: its own edge
        e = f"{a}->{b}"
        rules.add(e); inputs[e].add(a); outputs[e].add(b)
        labels[e] = re.search(r'label="([^"]*)"', rest)[1] if "label" in rest else ""
producer = {o: e for e in rules for o in outputs[e]}
# Custom edges whose CPU was logged under a command name, not an output: share that CPU equally.
custom_edges = [e for e in rules if "CUSTOM" in labels.get(e, "") and
                not any(labels.get(o) in cpu for o in outputs[e])]
custom_cpu = by_kind.get("custom (autogen/moc, rcc, lrelease)", 0.0)
def duration(e):
    d = sum(cpu.get(labels.get(o, ""), 0.0) for o in outputs[e])
    if e in custom_edges:
        d += custom_cpu / max(1, len(custom_edges))
    return d
dur = {e: duration(e) for e in rules}
deps = {e: {producer[i] for i in inputs[e] if i in producer} for e in rules}
users = collections.defaultdict(set)
for e, ds in deps.items():
    for d in ds:
        users[d].add(e)
tail = {}  # longest path from the start of e to the end of the build
for e in sorted(rules, key=lambda e: 0):
    pass
order, indeg = [], {e: len(deps[e]) for e in rules}
ready = [e for e in rules if indeg[e] == 0]
while ready:
    e = ready.pop(); order.append(e)
    for u in users[e]:
        indeg[u] -= 1
        if indeg[u] == 0:
            ready.append(u)
for e in reversed(order):
    tail[e] = dur[e] + max((tail[u] for u in users[e]), default=0.0)
critical = max(tail.values(), default=0.0)
# List schedule on idle workers, longest remaining path first.
indeg = {e: len(deps[e]) for e in rules}
ready = [(-tail[e], e) for e in rules if indeg[e] == 0]
heapq.heapify(ready)
running, now = [], 0.0
while ready or running:
    while ready and len(running) < workers:
        _, e = heapq.heappop(ready)
        heapq.heappush(running, (now + dur[e], e))
    now, e = heapq.heappop(running)
    for u in users[e]:
        indeg[u] -= 1
        if indeg[u] == 0:
            heapq.heappush(ready, (-tail[u], u))
print(f"critical path {critical:.0f} s; estimated wall on {workers} idle cores {now:.0f} s = {now / 60:.1f} min "
      f"(CPU/{workers} = {total / workers:.0f} s)")
