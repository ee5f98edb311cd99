"""Writes an SGM-layout SDXL checkpoint in the forms models are published in, with key
functions that are not Pedigree's: sd-mecha's SDXL converters (`convert_unet_key`,
`convert_clip_g_key`) and the `safetensors` package.

    python3 to_diffusers.py diffusers CHECKPOINT OUT_FOLDER [UNET_SHARDS]
    python3 to_diffusers.py sharded CHECKPOINT OUT_FOLDER SHARDS

`diffusers` writes model_index.json, unet/ (in UNET_SHARDS shards with
diffusion_pytorch_model.safetensors.index.json when more than one), text_encoder/ and
text_encoder_2/ (model.safetensors). OpenCLIP's in_proj is split into q, k, v and its
text_projection transposed, as the diffusers layout stores them. The VAE is not written.
`sharded` splits the file as is into SHARDS files named model-0000i-of-0000N.safetensors
with model.safetensors.index.json.
"""
import json
import os
import sys

os.environ.setdefault("TQDM_DISABLE", "1")
from safetensors.torch import load_file, save_file  # noqa: E402
from sd_mecha.extensions.builtin.model_configs.convert_sdxl_diffusers_clip_g_to_original import convert_clip_g_key  # noqa: E402
from sd_mecha.extensions.builtin.model_configs.convert_sdxl_diffusers_unet_to_original import convert_unet_key  # noqa: E402


def save_sharded(tensors, folder, base, shards):
    os.makedirs(folder, exist_ok=True)
    names = sorted(tensors)
    if shards <= 1:
        save_file(tensors, os.path.join(folder, base + ".safetensors"))
        return
    weight_map = {}
    per = (len(names) + shards - 1) // shards
    for i in range(shards):
        shard = f"{base}-{i + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: tensors[n] for n in names[i * per:(i + 1) * per]}
        save_file(part, os.path.join(folder, shard))
        weight_map.update({n: shard for n in part})
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    with open(os.path.join(folder, base + ".safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)


def diffusers(checkpoint, out, unet_shards):
    sd = load_file(checkpoint)
    unet, te1, te2 = {}, {}, {}
    for key, tensor in sd.items():
        if key.startswith("model.diffusion_model."):
            unet[convert_unet_key(key)] = tensor.contiguous()
        elif key.startswith("conditioner.embedders.0.transformer."):
            te1[key[len("conditioner.embedders.0.transformer."):]] = tensor.contiguous()
        elif key.startswith("conditioner.embedders.1.model."):
            if key.endswith("logit_scale"):
                continue  # CLIPTextModelWithProjection has none
            names, transpose = convert_clip_g_key(key)
            names = [n[len("te2."):] for n in names]
            if len(names) == 3:
                for name, part in zip(names, tensor.chunk(3, dim=0)):
                    te2[name] = part.clone()
            else:
                te2[names[0]] = (tensor.T if transpose else tensor).contiguous()
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "model_index.json"), "w") as f:
        json.dump({"_class_name": "StableDiffusionXLPipeline", "unet": ["diffusers", "UNet2DConditionModel"],
                   "text_encoder": ["transformers", "CLIPTextModel"],
                   "text_encoder_2": ["transformers", "CLIPTextModelWithProjection"]}, f)
    save_sharded(unet, os.path.join(out, "unet"), "diffusion_pytorch_model", unet_shards)
    save_sharded(te1, os.path.join(out, "text_encoder"), "model", 1)
    save_sharded(te2, os.path.join(out, "text_encoder_2"), "model", 1)


def sharded(checkpoint, out, shards):
    save_sharded({k: v.contiguous() for k, v in load_file(checkpoint).items()}, out, "model", shards)


if __name__ == "__main__":
    mode, checkpoint, out = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    (diffusers if mode == "diffusers" else sharded)(checkpoint, out, count)
    print(out)
