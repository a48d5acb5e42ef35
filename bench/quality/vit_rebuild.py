"""A PyTorch rebuild of cifar10_vit_pgd_2_3_16 (vnncomp 2023 ViT) for Torch-Pruning's side of bench/run-quality.

The ONNX graph, read by hand: patch-embedding Conv 16x16/16 (48 channels), class token and position embeddings,
two layers of [BatchNorm over channels -> 3-head attention (Q/K/V/out 48x48, scale 0.25) -> residual] and
[BatchNorm -> 48->96 ReLU ->48 -> residual], mean over tokens, BatchNorm, Linear 48->10. The weights are the ONNX
initializers; the rebuild is checked against the ONNX model's accuracy by the caller.

For Torch-Pruning the attention reshapes read the head width (16) and infer the head count, so removing whole heads
(prune_num_heads) keeps the module valid; the class token and position embeddings are unwrapped parameters whose
channel axis follows the residual width.
"""
import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper

WIDTH, HEADS, HEAD_DIM, HIDDEN = 48, 3, 16, 96


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value, self.out = (nn.Linear(WIDTH, WIDTH) for _ in range(4))

    def forward(self, x):
        b, n, _ = x.shape
        q, k, v = (m(x).view(b, n, -1, HEAD_DIM).transpose(1, 2) for m in (self.query, self.key, self.value))
        p = torch.softmax(q @ k.transpose(2, 3) * (HEAD_DIM ** -0.5), dim=-1)
        return self.out((p @ v).transpose(1, 2).reshape(b, n, -1))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm1, self.norm2 = nn.BatchNorm1d(WIDTH), nn.BatchNorm1d(WIDTH)
        self.attention = Attention()
        self.fc1, self.fc2 = nn.Linear(WIDTH, HIDDEN), nn.Linear(HIDDEN, WIDTH)

    def forward(self, x):
        x = x + self.attention(self.norm1(x.transpose(1, 2)).transpose(1, 2))
        h = self.norm2(x.transpose(1, 2)).transpose(1, 2)
        return x + self.fc2(F.relu(self.fc1(h)))


class VitRebuild(nn.Module):
    def __init__(self, path):
        super().__init__()
        self.projection = nn.Conv2d(3, WIDTH, 16, stride=16)
        self.cls_token = nn.Parameter(torch.zeros(WIDTH))
        self.positions = nn.Parameter(torch.zeros(5, WIDTH))
        self.blocks = nn.ModuleList([Block(), Block()])
        self.norm = nn.BatchNorm1d(WIDTH)
        self.head = nn.Linear(WIDTH, 10)
        self._load(path)

    def forward(self, x):
        t = self.projection(x).flatten(2).transpose(1, 2)
        cls = self.cls_token.view(1, 1, -1).expand(t.shape[0], 1, -1)
        x = torch.cat([cls, t], dim=1) + self.positions
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x.mean(dim=1)))

    def _load(self, path):
        g = onnx.load(path).graph
        c = {i.name: torch.tensor(numpy_helper.to_array(i).copy()) for i in g.initializer}
        matmuls = [n.input[1] for n in g.node if n.op_type == "MatMul" and n.input[1] in c]  # in graph order
        with torch.no_grad():
            self.projection.weight.copy_(c["0.projection.weight"])
            self.projection.bias.copy_(c["0.projection.bias"])
            self.cls_token.copy_(c["0.cls_token"])
            self.positions.copy_(c["0.positions"])
            for i, block in enumerate(self.blocks):
                attention = ["1.%d.0.fn.1.%s.bias" % (i, s) for s in ("query", "key", "value", "out")]
                layers = [block.attention.query, block.attention.key, block.attention.value, block.attention.out]
                mlp = ["1.%d.1.fn.1.0.bias" % i, "1.%d.1.fn.1.3.bias" % i]
                for layer, weight, bias in zip(layers + [block.fc1, block.fc2], matmuls[6 * i:6 * i + 6], attention + mlp):
                    layer.weight.copy_(c[weight].T)  # MatMul(x, W): W is [in, out]
                    layer.bias.copy_(c[bias])
                for norm, prefix in ((block.norm1, "1.%d.0.fn.0.norm" % i), (block.norm2, "1.%d.1.fn.0.norm" % i)):
                    self._load_norm(norm, c, prefix)
            self._load_norm(self.norm, c, "2.1")
            self.head.weight.copy_(c["2.2.weight"])
            self.head.bias.copy_(c["2.2.bias"])

    @staticmethod
    def _load_norm(norm, c, prefix):
        norm.weight.copy_(c[prefix + ".weight"])
        norm.bias.copy_(c[prefix + ".bias"])
        norm.running_mean.copy_(c[prefix + ".running_mean"])
        norm.running_var.copy_(c[prefix + ".running_var"])

    def pruner_arguments(self):
        """What Torch-Pruning needs to prune this ViT: its heads and the parameters outside any layer."""
        heads = {}
        for block in self.blocks:
            for m in (block.attention.query, block.attention.key, block.attention.value):
                heads[m] = HEADS
        return {"num_heads": heads, "prune_num_heads": True, "prune_head_dims": False,
                "unwrapped_parameters": [(self.cls_token, 0), (self.positions, 1)]}
