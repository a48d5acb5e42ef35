"""Exports torchvision's ResNet-18 (random weights: no network on the GPU machine) to ONNX, as the
shared model was: opset 17, input 'input' of shape (batch, 3, 224, 224)."""
import sys

import torch
import torchvision

path = sys.argv[1]
model = torchvision.models.resnet18(weights=None).eval()
example = torch.randn(1, 3, 224, 224)
try:
    torch.onnx.export(model, example, path, opset_version=17, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}}, dynamo=False)
except TypeError:  # an older torch without the dynamo switch
    torch.onnx.export(model, example, path, opset_version=17, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}})
print("exported", path)
