/// The torch oracle's fixture and evaluation scripts (`TorchOracleTests`, and `compare
/// --other`'s CLI test): files with every edge case PyTorch defines, and the seed
/// article's method evaluated by PyTorch on them.
public enum TorchOracleScripts {
    public static let makeFiles = """
    import sys, torch
    from safetensors.torch import save_file
    out = sys.argv[1]
    g = torch.Generator().manual_seed(7)
    def r(*s): return torch.randn(*s, generator=g)
    base = {
      'model.diffusion_model.input_blocks.0.0.weight': r(64, 4, 3, 3),
      'model.diffusion_model.input_blocks.0.0.bias': r(64),
      'model.diffusion_model.middle_block.1.proj_in.weight': r(96, 80) * torch.linspace(0.1, 5, 80),
      'model.diffusion_model.output_blocks.2.1.conv.weight': r(16, 24, 3, 3),
      'model.diffusion_model.zero.weight': torch.zeros(16, 8),
      'model.diffusion_model.empty.weight': torch.zeros(0, 5),
      'model.diffusion_model.vector.weight': r(1000),
      'conditioner.embedders.1.model.logit_scale': torch.tensor(4.6),
      'conditioner.embedders.0.transformer.text_model.embeddings.position_ids': torch.arange(77).reshape(1, 77),
      'conditioner.embedders.0.transformer.text_model.encoder.layers.0.mlp.fc1.weight': r(128, 48),
      'first_stage_model.decoder.conv_in.weight': r(8, 4, 3, 3),
    }
    def variant(scale, seed, dtype, sign=1.0):
        gg = torch.Generator().manual_seed(seed)
        d = {}
        for k, v in base.items():
            if v.dtype == torch.int64: d[k] = v.clone(); continue
            x = v + scale * torch.randn(v.shape, generator=gg) if v.numel() else v.clone()
            if k.endswith('zero.weight'):
                x = torch.zeros_like(v); x[:, seed % 8] = 1.0
            if k.endswith('logit_scale'): x = v * sign
            d[k] = x.to(dtype)
        return d
    c = variant(0.25, 1, torch.float16, -1.0)
    w = c['model.diffusion_model.middle_block.1.proj_in.weight']
    w[3, 5] = float('nan'); w[7, 9] = float('inf'); w[0, 11] = float('-inf')
    save_file(c, out + '/candidate.safetensors')
    save_file(variant(0.35, 2, torch.bfloat16), out + '/ref-a.safetensors')
    save_file(variant(0.12, 3, torch.float32), out + '/ref-b.safetensors')
    """

    public static let oracle = """
    import sys, json, torch, numpy as np
    from safetensors.torch import load_file
    paths = sys.argv[1:]
    files = [load_file(p) for p in paths]
    keys = set(files[0])
    for f in files[1:]: keys &= set(f)
    keys = sorted(k for k in keys if not k.startswith('first_stage_model.'))
    sim = torch.nn.CosineSimilarity(dim=0)
    def mean(x, y):
        vals = np.array([], dtype=np.float32)
        for k in keys:
            a = torch.nn.functional.normalize(x[k].to(torch.float32), p=2, dim=0)
            b = torch.nn.functional.normalize(y[k].to(torch.float32), p=2, dim=0)
            vals = np.append(vals, sim(a, b).numpy())
        return float(np.nanmean(vals)), int(vals.size)
    out = {'refs': [mean(f, files[0]) for f in files[1:]], 'baseline': mean(files[1], files[2])}
    print(json.dumps(out))
    """
}
