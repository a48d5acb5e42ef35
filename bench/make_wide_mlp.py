"""Writes a wide MLP over 2 GiB as ONNX with external data (the graph in the .onnx, the weights in .onnx.data),
to show SPA taking a model no single protobuf can hold. Random weights (He-scaled), never committed.

usage: /usr/bin/python3 bench/make_wide_mlp.py OUT_DIR [WIDTH] [LAYERS]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out_dir = sys.argv[1]
width = int(sys.argv[2]) if len(sys.argv) > 2 else 8192
layers = int(sys.argv[3]) if len(sys.argv) > 3 else 8
classes = 1000
rng = np.random.default_rng(0)
nodes, inits = [], []
x = "input"
for i in range(layers):
    w = (rng.standard_normal((width, width), dtype=np.float32) * np.sqrt(2.0 / width)).astype(np.float32)
    inits += [numpy_helper.from_array(w, f"fc{i}.weight"), numpy_helper.from_array(np.zeros(width, np.float32), f"fc{i}.bias")]
    nodes += [helper.make_node("Gemm", [x, f"fc{i}.weight", f"fc{i}.bias"], [f"h{i}"], transB=1),
              helper.make_node("Relu", [f"h{i}"], [f"r{i}"])]
    x = f"r{i}"
head = (rng.standard_normal((classes, width), dtype=np.float32) * np.sqrt(1.0 / width)).astype(np.float32)
inits += [numpy_helper.from_array(head, "head.weight"), numpy_helper.from_array(np.zeros(classes, np.float32), "head.bias")]
nodes.append(helper.make_node("Gemm", [x, "head.weight", "head.bias"], ["logits"], transB=1))
graph = helper.make_graph(nodes, "wide_mlp", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", width])],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", classes])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
os.makedirs(out_dir, exist_ok=True)
path = os.path.join(out_dir, "wide_mlp.onnx")
onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True, location="wide_mlp.onnx.data")
onnx.checker.check_model(path)
print(path, os.path.getsize(path), "bytes +", os.path.getsize(path + ".data"), "bytes of data")
