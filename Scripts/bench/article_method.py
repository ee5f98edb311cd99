#!/usr/bin/env python3
"""The seed article's method in PyTorch: the speed baseline and the accuracy oracle.

Faithful to the article's script: load every file with safetensors' load_file, keep the
keys present in all files, drop the VAE, and for each key normalize along dim 0 and take
CosineSimilarity(dim=0), appending the values and reporting their nanmean. Baselines
between references are computed too, as Pedigree does in the same pass.
Usage: article_method.py CANDIDATE REF [REF ...]   (prints JSON)
"""
import itertools, json, sys
import numpy as np
import torch
from safetensors.torch import load_file

paths = sys.argv[1:]
models = [load_file(p) for p in paths]
keys = set(models[0])
for m in models[1:]:
    keys &= set(m)
keys = sorted(k for k in keys if not k.startswith("first_stage_model."))
sim = torch.nn.CosineSimilarity(dim=0)
pairs = [(0, r) for r in range(1, len(paths))] + list(itertools.combinations(range(1, len(paths)), 2))
values = {p: [] for p in pairs}
for k in keys:
    normalized = [torch.nn.functional.normalize(m[k].to(torch.float32), p=2, dim=0) for m in models]
    for a, b in pairs:
        values[(a, b)].append(sim(normalized[a], normalized[b]).reshape(-1).numpy())
print(json.dumps({f"{a}-{b}": float(np.nanmean(np.concatenate(v))) for (a, b), v in values.items()}))
