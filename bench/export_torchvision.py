"""Exports torchvision models with random weights (nothing to download) to ONNX as the shared models were:
opset 17, input 'input' of shape (batch, 3, 224, 224), output 'logits'.

Usage: python3 bench/export_torchvision.py OUT_DIR MODEL...   e.g. resnet18 resnet50 vit_b_16 vit_l_16
Writes OUT_DIR/MODEL.onnx. The large ones are made at benchmark time and never committed."""
import os
import sys

import torch
import torchvision


def export(name, path):
    model = getattr(torchvision.models, name)(weights=None).eval()
    example = torch.randn(1, 3, 224, 224)
    options = dict(opset_version=17, input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}})
    # not under no_grad: there torch 1.13's MultiheadAttention takes its fused fast path, which has no ONNX export
    try:
        torch.onnx.export(model, example, path, dynamo=False, **options)
    except TypeError:  # an older torch without the dynamo switch
        torch.onnx.export(model, example, path, **options)
    print("exported", path, "%.1f MB" % (os.path.getsize(path) / 1e6))


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:]:
        export(name, os.path.join(out, name + ".onnx"))
