"""Merges made by sd-mecha (a merge library SDXL mergers use), not by Pedigree.

    python3 mecha_merges.py FAMILY_DIR OUT_DIR SPEC.json

SPEC is a JSON list of {"out": NAME, "method": METHOD, ...arguments}; model arguments are
file stems in FAMILY_DIR. Methods and their arguments:
  weighted_sum a b alpha | slerp a b alpha | add_difference a b c alpha  (a + alpha·(b − c))
  ties base models[] alpha k | dare base models[] probability alpha seed
  ties_dare base models[] probability k alpha seed [apply_stock] | model_stock base models[]
    (sd-mecha 1.1.8 scales ties_dare's sum by model stock's t unless apply_stock is true)
  block_weights a b blocks{IN00…OUT08, M00, BASE}  (supermerger block weights for b)
  truncate_rank base model rank  (base + the rank-`rank` truncation of (model − base))
Writes OUT_DIR/NAME.safetensors in float16, merged in float32.
"""
import json
import os
import sys

os.environ.setdefault("TQDM_DISABLE", "1")
import sd_mecha  # noqa: E402
import torch  # noqa: E402
# The merge method itself: sd-mecha 1.1.8's add_difference_ties wrapper fails on a TIES
# delta's merge space, so TIES is composed from its parts as the wrapper means to.
from sd_mecha.extensions.builtin.merge_methods import linear as merge_linear  # noqa: E402

BLOCKS = ["BASE"] + [f"IN{i:02d}" for i in range(9)] + ["M00"] + [f"OUT{i:02d}" for i in range(9)] + ["VAE"]


def main(family, out, spec_path):
    with open(spec_path) as handle:
        spec = json.load(handle)
    model = lambda stem: sd_mecha.model(os.path.join(family, stem + ".safetensors"), config="sdxl-sgm")
    for item in spec:
        m = item["method"]
        if m == "weighted_sum":
            recipe = sd_mecha.weighted_sum(model(item["a"]), model(item["b"]), alpha=item["alpha"])
        elif m == "slerp":
            recipe = sd_mecha.slerp(model(item["a"]), model(item["b"]), alpha=item["alpha"])
        elif m == "add_difference":
            recipe = sd_mecha.add_difference(model(item["a"]), model(item["b"]), model(item["c"]), alpha=item["alpha"])
        elif m == "ties":
            base = model(item["base"])
            deltas = [sd_mecha.subtract(model(x), base) for x in item["models"]]
            recipe = merge_linear.add_difference(base, sd_mecha.ties_sum(*deltas, k=item["k"]), alpha=item["alpha"])
        elif m == "dare":
            recipe = sd_mecha.dropout(model(item["base"]), *[model(x) for x in item["models"]], probability=item["probability"], alpha=item["alpha"], seed=item["seed"])
        elif m == "ties_dare":
            recipe = sd_mecha.add_ties_with_dare(model(item["base"]), *[model(x) for x in item["models"]], probability=item["probability"], k=item["k"], alpha=item["alpha"], seed=item["seed"],
                                                apply_stock=item.get("apply_stock", False))
        elif m == "model_stock":
            recipe = sd_mecha.n_model_stock(model(item["base"]), *[model(x) for x in item["models"]])
        elif m == "block_weights":
            weights = {name: float(item["blocks"].get(name, 0.0)) for name in BLOCKS}
            alpha = sd_mecha.convert(sd_mecha.literal(weights, config="sdxl-supermerger_blocks"), "sdxl-sgm")
            recipe = sd_mecha.weighted_sum(model(item["a"]), model(item["b"]), alpha=alpha)
        elif m == "truncate_rank":
            base = model(item["base"])
            delta = sd_mecha.subtract(model(item["model"]), base)
            recipe = merge_linear.add_difference(base, sd_mecha.truncate_rank(delta, rank=item["rank"]), alpha=1.0)
        else:
            raise SystemExit(f"unknown method {m}")
        sd_mecha.merge(recipe, output=os.path.join(out, item["out"] + ".safetensors"),
                       merge_dtype=torch.float32, output_dtype=torch.float16, threads=1)
        print(item["out"], flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])
