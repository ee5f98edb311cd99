#!/usr/bin/env python3
"""Pairwise "article metric" table for a synthetic family (a dev tool, not a test dependency).

The metric is the one from the Civitai article "Wait, was it actually NAI everywhere?":
for every non-VAE tensor, normalise each column along dimension 0 (a column is one index
of all the other dimensions; a vector is a single column), take the cosine of matching
columns of two models, and average over all columns of all tensors.

Usage:  python3 Scripts/family_cosines.py FAMILY_DIR [--by-component]
        (FAMILY_DIR is the --out folder of `pedigree synth`; it reads family.json there.)
"""
import json
import os
import struct
import sys

import numpy as np


def read_safetensors(path):
    """Tensor name -> float32 array, for F16, BF16 and F32 (numpy has no bfloat16)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + length)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        if info["dtype"] == "F16":
            values = raw.view(np.float16).astype(np.float32)
        elif info["dtype"] == "BF16":
            values = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
        elif info["dtype"] == "F32":
            values = np.array(raw.view(np.float32))
        else:
            raise SystemExit(f"{path}: {name}: unsupported dtype {info['dtype']}")
        tensors[name] = values.reshape(info["shape"])
    return tensors


def component(name):
    if name.startswith("model.diffusion_model."):
        return "unet"
    if name.startswith("conditioner.embedders.0."):
        return "clip_l"
    if name.startswith("conditioner.embedders.1."):
        return "clip_g"
    return "other"


def column_cosines(a, b):
    """Cosine of each column (along dimension 0) of a and b."""
    rows = a.shape[0] if a.ndim >= 1 else 1
    a = a.reshape(rows, -1).astype(np.float64)
    b = b.reshape(rows, -1).astype(np.float64)
    dot = (a * b).sum(axis=0)
    norms = np.sqrt((a * a).sum(axis=0) * (b * b).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        return dot / norms


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    by_component = "--by-component" in sys.argv
    if len(args) != 1:
        print(__doc__)
        sys.exit(64)
    folder = args[0]
    with open(os.path.join(folder, "family.json")) as f:
        family = json.load(f)
    names = [m["name"] for m in family["models"]]
    models = {m["name"]: read_safetensors(os.path.join(folder, m["file"])) for m in family["models"]}
    keys = [k for k in models[names[0]] if not k.startswith("first_stage_model.")]

    groups = ["all"] + (["unet", "clip_l", "clip_g"] if by_component else [])
    for group in groups:
        selected = [k for k in keys if group == "all" or component(k) == group]
        print(f"\nmean column cosine ({group}, {len(selected)} tensors)")
        width = max(len(n) for n in names)
        short = [n[:12] for n in names]
        print(" " * width + "  " + "  ".join(f"{s:>12}" for s in short))
        for a in names:
            row = []
            for b in names:
                sims = np.concatenate([column_cosines(models[a][k], models[b][k]) for k in selected])
                row.append(f"{np.nanmean(sims):12.4f}")
            print(f"{a:>{width}}  " + "  ".join(row))


if __name__ == "__main__":
    main()
