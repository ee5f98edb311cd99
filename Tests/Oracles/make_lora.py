"""LoRAs as trainers and extractors write them, made without Pedigree's code.

    python3 make_lora.py extract ANCESTOR DESCENDANT OUT RANK [CLAIM] [--peft]
    python3 make_lora.py random BASE OUT RANK [CLAIM]
    python3 make_lora.py loha BASE OUT

`extract` does what kohya's extract_lora_from_models.py does: for every linear layer a LoRA
trains (the UNet's transformer blocks, both text encoders' attention and MLP), the
rank-RANK truncated SVD of DESCENDANT − ANCESTOR, as `up = U·S`, `down = Vᵀ`, alpha = RANK.
kohya names (`lora_unet_<SGM module>`, `lora_te1_`/`lora_te2_` + CLIP's module names, the
bigG's in_proj split into q, k, v), or with --peft diffusers/PEFT names (`unet.<diffusers
module>.lora_A.weight`, via sd-mecha's convert_unet_key). `random` makes changes of the
same ranks and sizes along random directions (a LoRA trained on something else).
CLAIM goes in `ss_sd_model_name`, as kohya records the training base. Writes float16.
"""
import os
import sys

import torch
from safetensors.torch import load_file, save_file
from sd_mecha.extensions.builtin.model_configs.convert_sdxl_diffusers_unet_to_original import convert_unet_key

UNET_LAYERS = ("attn1.to_q", "attn1.to_k", "attn1.to_v", "attn1.to_out.0", "attn2.to_q", "attn2.to_k", "attn2.to_v",
               "attn2.to_out.0", "ff.net.0.proj", "ff.net.2")
BIGG = {"attn.out_proj": "self_attn.out_proj", "mlp.c_fc": "mlp.fc1", "mlp.c_proj": "mlp.fc2"}


def targets(sd):
    """(kohya name, peft name or None, SGM key, row slice) for every LoRA-trained weight."""
    out = []
    for key, tensor in sd.items():
        if tensor.dim() != 2 or not key.endswith(".weight"):
            continue
        module = key[:-len(".weight")]
        if key.startswith("model.diffusion_model.") and ".transformer_blocks." in key and module.endswith(UNET_LAYERS):
            sgm = module[len("model.diffusion_model."):]
            out.append(("lora_unet_" + sgm.replace(".", "_"), "unet." + convert_unet_key(key)[:-len(".weight")], key, None))
        elif key.startswith("conditioner.embedders.0.transformer.text_model.encoder.layers."):
            hf = module[len("conditioner.embedders.0.transformer."):]
            if hf.endswith(("q_proj", "k_proj", "v_proj", "out_proj", "fc1", "fc2")):
                out.append(("lora_te1_" + hf.replace(".", "_"), "text_encoder." + hf, key, None))
    for key, tensor in sd.items():
        prefix = "conditioner.embedders.1.model.transformer.resblocks."
        if not key.startswith(prefix):
            continue
        layer, rest = key[len(prefix):].split(".", 1)
        hf = f"text_model.encoder.layers.{layer}."
        if rest == "attn.in_proj_weight":
            d = tensor.shape[0] // 3
            for i, part in enumerate(("q", "k", "v")):
                name = hf + f"self_attn.{part}_proj"
                out.append(("lora_te2_" + name.replace(".", "_"), "text_encoder_2." + name, key, slice(i * d, (i + 1) * d)))
        elif rest.endswith(".weight") and rest[:-len(".weight")] in BIGG:
            name = hf + BIGG[rest[:-len(".weight")]]
            out.append(("lora_te2_" + name.replace(".", "_"), "text_encoder_2." + name, key, None))
    return out


def write(factors, out, rank, claim, peft):
    tensors, metadata = {}, {"ss_network_module": "networks.lora", "ss_network_dim": str(rank), "ss_network_alpha": str(rank)}
    if claim:
        metadata["ss_sd_model_name"] = claim
    for (kohya, peft_name, _, _), (up, down) in factors:
        if peft:
            tensors[peft_name + ".lora_A.weight"] = down.half().contiguous()
            tensors[peft_name + ".lora_B.weight"] = up.half().contiguous()
        else:
            tensors[kohya + ".lora_down.weight"] = down.half().contiguous()
            tensors[kohya + ".lora_up.weight"] = up.half().contiguous()
            tensors[kohya + ".alpha"] = torch.tensor(float(rank))
    save_file(tensors, out, metadata=metadata)


def extract(ancestor, descendant, out, rank, claim, peft):
    a, d = load_file(ancestor), load_file(descendant)
    factors = []
    for target in targets(a):
        key, rows = target[2], target[3]
        delta = (d[key].float() - a[key].float())
        if rows is not None:
            delta = delta[rows]
        u, s, vh = torch.linalg.svd(delta, full_matrices=False)
        r = min(rank, s.shape[0])
        factors.append((target, (u[:, :r] * s[:r], vh[:r])))
    write(factors, out, rank, claim, peft)


def random_lora(base, out, rank, claim):
    sd = load_file(base)
    generator = torch.Generator().manual_seed(7)
    factors = []
    for target in targets(sd):
        key, rows = target[2], target[3]
        w = sd[key].float()
        if rows is not None:
            w = w[rows]
        r = min(rank, min(w.shape))
        u, _ = torch.linalg.qr(torch.randn(w.shape[0], r, generator=generator))
        v, _ = torch.linalg.qr(torch.randn(w.shape[1], r, generator=generator))
        s = w.norm() * 0.05 * torch.tensor([0.5 ** i for i in range(r)])
        factors.append((target, (u * s, v.T)))
    write(factors, out, rank, claim, False)


def loha(base, out):
    save_file({"lora_unet_input_blocks_4_1_proj_in.hada_w1_a": torch.zeros(4, 2), "lora_unet_input_blocks_4_1_proj_in.hada_w1_b": torch.zeros(2, 4)}, out)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--peft"]
    peft = "--peft" in sys.argv
    if args[0] == "extract":
        extract(args[1], args[2], args[3], int(args[4]), args[5] if len(args) > 5 else None, peft)
    elif args[0] == "random":
        random_lora(args[1], args[2], int(args[3]), args[4] if len(args) > 4 else None)
    else:
        loha(args[1], args[2])
    print("written")
