"""Function-preserving permutations of an SDXL checkpoint (SGM layout), written without Pedigree.

    python3 permute.py IN.safetensors OUT.safetensors --seed N [--mode own|mecha] [--check]

--mode own (default): a re-basin as thorough as the published ones, at any width (the
  synthesiser's reduced widths included). Per transformer block: the attention heads are
  reordered, and the dimensions inside each head (one order for query/key, another for
  value/output); the feed-forward units (GEGLU's two halves together). Per ResBlock: the
  inner channels, within their GroupNorm groups. The time and label embedding MLPs' units.
  Both text encoders: heads, dimensions in each head, MLP units. Head size: SDXL's 64,
  divided by the file's width divisor.
--mode mecha: sd-mecha's own `randperm` for SDXL (sd_mecha.extensions.builtin.merge_methods.
  rebasin.sdxl_sgm: its permutation graph, seeded generators and application), applied to
  every permutation closure whose tensors the file holds at SDXL's full shapes.
--check: the block outputs, before and after, on random inputs in float64; prints the
  largest relative difference per kind of block and fails (exit 1) past 1e-9.

Prints one JSON line: {"groups": N, "kinds": {...}, "check": {...}}. Keeps dtype and metadata.
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

UNET = "model.diffusion_model."
CLIP_L = "conditioner.embedders.0.transformer.text_model.encoder.layers."
CLIP_G = "conditioner.embedders.1.model.transformer.resblocks."


def load(path):
    with safe_open(path, framework="pt") as handle:
        metadata = handle.metadata() or {}
        return {k: handle.get_tensor(k) for k in handle.keys()}, metadata


def divisor_of(sd):
    return 1280 // sd[UNET + "time_embed.0.weight"].shape[0]


def take(t, axis, index, offset=0):
    """t with positions offset+i along axis replaced by offset+index[i]."""
    width = index.numel()
    window = t.narrow(axis, offset, width).index_select(axis, index)
    out = t.clone()
    out.narrow(axis, offset, width).copy_(window)
    return out


def head_order(gen, heads, dim):
    """One index map over heads×dim: heads reordered, and the dims inside each head."""
    order = torch.randperm(heads, generator=gen)
    inner = [torch.randperm(dim, generator=gen) for _ in range(heads)]
    return order, inner


def head_map(order, inner, dim):
    return torch.cat([order[h] * dim + inner[h] for h in range(order.numel())])


def attention_maps(gen, heads, dim):
    """The query/key and value/output index maps of one attention: heads reordered alike
    for both (a head's weights must meet its values), the dimensions inside each head
    reordered separately for each pair."""
    order, qk_inner = head_order(gen, heads, dim)
    vo_inner = [torch.randperm(dim, generator=gen) for _ in range(heads)]
    return head_map(order, qk_inner, dim), head_map(order, vo_inner, dim)


def own_permutation(sd, seed):
    gen = torch.Generator().manual_seed(seed)
    div = divisor_of(sd)
    head_dim = max(64 // div, 1)
    kinds = {}
    apps = []  # (key, axis, offset, index)

    def count(kind):
        kinds[kind] = kinds.get(kind, 0) + 1

    keys = list(sd.keys())
    for key in keys:
        if key.startswith(UNET) and key.endswith(".attn1.to_q.weight") or key.startswith(UNET) and key.endswith(".attn2.to_q.weight"):
            stem = key[: -len("to_q.weight")]
            channels = sd[key].shape[0]
            heads = channels // head_dim
            qk, vo = attention_maps(gen, heads, head_dim)
            apps += [(stem + "to_q.weight", 0, 0, qk), (stem + "to_k.weight", 0, 0, qk),
                     (stem + "to_v.weight", 0, 0, vo), (stem + "to_out.0.weight", 1, 0, vo)]
            count("unet-attention")
        elif key.startswith(UNET) and key.endswith(".ff.net.0.proj.weight"):
            stem = key[: -len("0.proj.weight")]
            inner = sd[key].shape[0] // 2
            units = torch.randperm(inner, generator=gen)
            for offset in (0, inner):
                apps += [(stem + "0.proj.weight", 0, offset, units), (stem + "0.proj.bias", 0, offset, units)]
            apps.append((stem + "2.weight", 1, 0, units))
            count("unet-feed-forward")
        elif key.startswith(UNET) and key.endswith(".in_layers.2.weight"):
            stem = key[: -len("in_layers.2.weight")]
            channels = sd[key].shape[0]
            groups = math.gcd(channels, 32)
            size = channels // groups
            index = torch.cat([g * size + torch.randperm(size, generator=gen) for g in range(groups)])
            for name in ("in_layers.2.weight", "in_layers.2.bias", "emb_layers.1.weight", "emb_layers.1.bias",
                         "out_layers.0.weight", "out_layers.0.bias"):
                apps.append((stem + name, 0, 0, index))
            apps.append((stem + "out_layers.3.weight", 1, 0, index))
            count("unet-resblock")
        elif key in (UNET + "time_embed.0.weight", UNET + "label_emb.0.0.weight"):
            second = key.replace("time_embed.0.", "time_embed.2.").replace("label_emb.0.0.", "label_emb.0.2.")
            units = torch.randperm(sd[key].shape[0], generator=gen)
            apps += [(key, 0, 0, units), (key.replace(".weight", ".bias"), 0, 0, units), (second, 1, 0, units)]
            count("unet-embedding-mlp")
        elif key.startswith(CLIP_L) and key.endswith(".self_attn.q_proj.weight"):
            stem = key[: -len("q_proj.weight")]
            channels = sd[key].shape[0]
            heads = channels // head_dim
            qk, vo = attention_maps(gen, heads, head_dim)
            for name in ("q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias"):
                apps.append((stem + name, 0, 0, qk))
            apps += [(stem + "v_proj.weight", 0, 0, vo), (stem + "v_proj.bias", 0, 0, vo), (stem + "out_proj.weight", 1, 0, vo)]
            count("clip-l-attention")
        elif key.startswith(CLIP_L) and key.endswith(".mlp.fc1.weight"):
            units = torch.randperm(sd[key].shape[0], generator=gen)
            stem = key[: -len("fc1.weight")]
            apps += [(stem + "fc1.weight", 0, 0, units), (stem + "fc1.bias", 0, 0, units), (stem + "fc2.weight", 1, 0, units)]
            count("clip-l-mlp")
        elif key.startswith(CLIP_G) and key.endswith(".attn.in_proj_weight"):
            stem = key[: -len("in_proj_weight")]
            channels = sd[key].shape[0] // 3
            heads = channels // head_dim
            qk, vo = attention_maps(gen, heads, head_dim)
            for name in ("in_proj_weight", "in_proj_bias"):
                apps += [(stem + name, 0, 0, qk), (stem + name, 0, channels, qk), (stem + name, 0, 2 * channels, vo)]
            apps.append((stem + "out_proj.weight", 1, 0, vo))
            count("clip-g-attention")
        elif key.startswith(CLIP_G) and key.endswith(".mlp.c_fc.weight"):
            units = torch.randperm(sd[key].shape[0], generator=gen)
            stem = key[: -len("c_fc.weight")]
            apps += [(stem + "c_fc.weight", 0, 0, units), (stem + "c_fc.bias", 0, 0, units), (stem + "c_proj.weight", 1, 0, units)]
            count("clip-g-mlp")
    out = dict(sd)
    for key, axis, offset, index in apps:
        if key not in out:
            continue
        t = out[key]
        if axis == 1 and t.dim() == 4:
            # A conv's input channels: whole [kh, kw] kernels move together.
            out[key] = take(t, 1, index, offset)
        else:
            out[key] = take(t, axis, index, offset)
    return out, kinds, head_dim


def mecha_permutation(sd, seed):
    from sd_mecha.extensions.builtin.merge_methods.rebasin import sdxl_sgm
    out = dict(sd)
    kinds = {"mecha-closures": 0}
    for closure in sdxl_sgm.perm_graph.closures():
        if not all(k in sd and list(sd[k].shape) == list(sdxl_sgm.sdxl_config.metadata()[k].shape) for k in closure.keys):
            continue
        loader = sdxl_sgm._make_loader({k: sd[k] for k in closure.keys})
        pid_perm = sdxl_sgm._init_rand_perm(closure, seed, torch.device("cpu"))
        for k, t in sdxl_sgm._apply_all_perms(closure, pid_perm, loader).items():
            out[k] = t
        kinds["mecha-closures"] += 1
    return out, kinds, 64


# --- the function check -------------------------------------------------------------------

def rel(a, b):
    return float((a - b).abs().max() / max(float(b.abs().max()), 1e-30))


def attention(x, ctx, q, k, v, o, ob, heads, qb=None, kb=None, vb=None):
    n, d = x.shape[0], q.shape[0] // heads
    Q = F.linear(x, q, qb).view(n, heads, d).transpose(0, 1)
    K = F.linear(ctx, k, kb).view(ctx.shape[0], heads, d).transpose(0, 1)
    V = F.linear(ctx, v, vb).view(ctx.shape[0], heads, d).transpose(0, 1)
    w = torch.softmax(Q @ K.transpose(1, 2) / math.sqrt(d), dim=-1)
    return F.linear((w @ V).transpose(0, 1).reshape(n, -1), o, ob)


def check(before, after, head_dim, gen):
    worst = {}

    def note(kind, a, b):
        worst[kind] = max(worst.get(kind, 0.0), rel(a, b))

    g = lambda sd, k: sd[k].double()
    for key in before:
        if key.startswith(UNET) and (key.endswith(".attn1.to_q.weight") or key.endswith(".attn2.to_q.weight")):
            stem = key[: -len("to_q.weight")]
            heads = before[key].shape[0] // head_dim
            x = torch.randn(7, before[key].shape[1], generator=gen, dtype=torch.float64)
            ctx = torch.randn(5, before[stem + "to_k.weight"].shape[1], generator=gen, dtype=torch.float64)
            outs = [attention(x, ctx, g(sd, stem + "to_q.weight"), g(sd, stem + "to_k.weight"), g(sd, stem + "to_v.weight"),
                              g(sd, stem + "to_out.0.weight"), g(sd, stem + "to_out.0.bias"), heads) for sd in (before, after)]
            note("unet-attention", outs[1], outs[0])
        elif key.startswith(UNET) and key.endswith(".ff.net.0.proj.weight"):
            stem = key[: -len("0.proj.weight")]
            x = torch.randn(7, before[key].shape[1], generator=gen, dtype=torch.float64)
            def ff(sd):
                a, gate = F.linear(x, g(sd, stem + "0.proj.weight"), g(sd, stem + "0.proj.bias")).chunk(2, dim=-1)
                return F.linear(a * F.gelu(gate), g(sd, stem + "2.weight"), g(sd, stem + "2.bias"))
            note("unet-feed-forward", ff(after), ff(before))
        elif key.startswith(UNET) and key.endswith(".in_layers.2.weight"):
            stem = key[: -len("in_layers.2.weight")]
            channels = before[key].shape[0]
            x = torch.randn(1, before[key].shape[1], 6, 6, generator=gen, dtype=torch.float64)
            emb = torch.randn(1, before[stem + "emb_layers.1.weight"].shape[1], generator=gen, dtype=torch.float64)
            def res(sd):
                h = F.conv2d(x, g(sd, stem + "in_layers.2.weight"), g(sd, stem + "in_layers.2.bias"), padding=1)
                h = h + F.linear(F.silu(emb), g(sd, stem + "emb_layers.1.weight"), g(sd, stem + "emb_layers.1.bias"))[:, :, None, None]
                h = F.silu(F.group_norm(h, math.gcd(channels, 32), g(sd, stem + "out_layers.0.weight"), g(sd, stem + "out_layers.0.bias")))
                return F.conv2d(h, g(sd, stem + "out_layers.3.weight"), g(sd, stem + "out_layers.3.bias"), padding=1)
            note("unet-resblock", res(after), res(before))
        elif key in (UNET + "time_embed.0.weight", UNET + "label_emb.0.0.weight"):
            second = key.replace("time_embed.0.", "time_embed.2.").replace("label_emb.0.0.", "label_emb.0.2.")
            x = torch.randn(3, before[key].shape[1], generator=gen, dtype=torch.float64)
            mlp = lambda sd: F.linear(F.silu(F.linear(x, g(sd, key), g(sd, key.replace(".weight", ".bias")))), g(sd, second), g(sd, second.replace(".weight", ".bias")))
            note("unet-embedding-mlp", mlp(after), mlp(before))
        elif key.startswith(CLIP_L) and key.endswith(".self_attn.q_proj.weight"):
            stem = key[: -len("q_proj.weight")]
            heads = before[key].shape[0] // head_dim
            x = torch.randn(6, before[key].shape[1], generator=gen, dtype=torch.float64)
            outs = [attention(x, x, g(sd, stem + "q_proj.weight"), g(sd, stem + "k_proj.weight"), g(sd, stem + "v_proj.weight"),
                              g(sd, stem + "out_proj.weight"), g(sd, stem + "out_proj.bias"), heads,
                              g(sd, stem + "q_proj.bias"), g(sd, stem + "k_proj.bias"), g(sd, stem + "v_proj.bias")) for sd in (before, after)]
            note("clip-l-attention", outs[1], outs[0])
        elif key.startswith(CLIP_L) and key.endswith(".mlp.fc1.weight"):
            stem = key[: -len("fc1.weight")]
            x = torch.randn(4, before[key].shape[1], generator=gen, dtype=torch.float64)
            mlp = lambda sd: F.linear(F.gelu(F.linear(x, g(sd, stem + "fc1.weight"), g(sd, stem + "fc1.bias"))), g(sd, stem + "fc2.weight"), g(sd, stem + "fc2.bias"))
            note("clip-l-mlp", mlp(after), mlp(before))
        elif key.startswith(CLIP_G) and key.endswith(".attn.in_proj_weight"):
            stem = key[: -len("in_proj_weight")]
            c = before[key].shape[0] // 3
            heads = c // head_dim
            x = torch.randn(6, before[key].shape[1], generator=gen, dtype=torch.float64)
            def att(sd):
                w, b = g(sd, stem + "in_proj_weight"), g(sd, stem + "in_proj_bias")
                return attention(x, x, w[:c], w[c:2 * c], w[2 * c:], g(sd, stem + "out_proj.weight"), g(sd, stem + "out_proj.bias"), heads,
                                 b[:c], b[c:2 * c], b[2 * c:])
            note("clip-g-attention", att(after), att(before))
        elif key.startswith(CLIP_G) and key.endswith(".mlp.c_fc.weight"):
            stem = key[: -len("c_fc.weight")]
            x = torch.randn(4, before[key].shape[1], generator=gen, dtype=torch.float64)
            mlp = lambda sd: F.linear(F.gelu(F.linear(x, g(sd, stem + "c_fc.weight"), g(sd, stem + "c_fc.bias"))), g(sd, stem + "c_proj.weight"), g(sd, stem + "c_proj.bias"))
            note("clip-g-mlp", mlp(after), mlp(before))
    return worst


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mode", choices=["own", "mecha"], default="own")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    sd, metadata = load(args.source)
    if args.mode == "own":
        out, kinds, head_dim = own_permutation(sd, args.seed)
    else:
        out, kinds, head_dim = mecha_permutation(sd, args.seed)
    report = {"kinds": kinds}
    failed = False
    if args.check:
        worst = check(sd, out, head_dim, torch.Generator().manual_seed(args.seed + 1))
        report["check"] = worst
        failed = any(v > 1e-9 for v in worst.values())
    tmp = args.out + ".partial"
    save_file({k: v.contiguous() for k, v in out.items()}, tmp, metadata=metadata)
    os.replace(tmp, args.out)
    print(json.dumps(report), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
