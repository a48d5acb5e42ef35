"""Torch-Pruning's side of bench/run-quality, and the independent MACs count of SPA's pruned models.

Rebuilds each trained classifier of ../shared/models as a torch module that loads the ONNX initializers
(the CNNs node by node, the ViT by hand in vit_rebuild.py; each checked to reproduce the ONNX model's
accuracy on the same images), prunes it with Torch-Pruning
1.6.1 (L1, L2, Taylor; global and local; no fine-tuning) to 1/2 and 1/4 of its MACs (a bisection on
the pruning ratio, MACs counted by torch_pruning.utils.count_ops_and_params) and evaluates it on the
very inputs SPA was evaluated on. SPA's pruned ONNX files are counted here too, by this script's own
Conv/Gemm/MatMul MAC count over onnx shape inference, not by SPA's cost model.

Usage: torch_side.py SHARED OUTDIR   (OUTDIR holds spa.tsv, data/ and models/ from QualityBenchmark)
"""
import copy
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper, shape_inference

import torch_pruning as tp
from vit_rebuild import VitRebuild

KEEP = [0.5, 0.25]
MODELS = ["mnist_cnn_zoo", "cifar10_convnet_kw", "digits_mobilenet", "cifar10_vit_pgd_2_3_16"]
SHAPES = {"mnist_cnn_zoo": (1, 28, 28), "cifar10_convnet_kw": (3, 32, 32), "digits_mobilenet": (1, 8, 8),
          "cifar10_vit_pgd_2_3_16": (3, 32, 32)}


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


class OnnxCnn(nn.Module):
    """The ONNX graph run node by node; Conv/Gemm/MatMul-with-a-constant become nn modules that Torch-Pruning can prune.
    A constant added right after such a layer is folded into its bias (CNTK writes Conv biases as a separate Add)."""

    def __init__(self, path):
        super().__init__()
        model = onnx.load(path)
        g = model.graph
        self.consts = {i.name: numpy_helper.to_array(i).copy() for i in g.initializer}
        for n in g.node:
            if n.op_type == "Constant":
                self.consts[n.output[0]] = numpy_helper.to_array(attrs(n)["value"]).copy()
        self.input = [i.name for i in g.input if i.name not in self.consts][0]
        self.output = g.output[0].name
        self.layers = nn.ModuleDict()
        self.plan = []
        nodes = [n for n in g.node if n.op_type != "Constant"]
        skip = set()
        for i, n in enumerate(nodes):
            if i in skip:
                continue
            a = attrs(n)
            key = "m%d" % i
            if n.op_type == "Reshape" and n.input[0] in self.consts:  # a weight stored in another layout (CNTK)
                self.consts[n.output[0]] = self.consts[n.input[0]].reshape(self.consts[n.input[1]])
                continue
            if n.op_type == "Conv":
                w = self.consts[n.input[1]]
                bias = self.consts[n.input[2]] if len(n.input) > 2 and n.input[2] else None
                out = n.output[0]
                nxt = nodes[i + 1] if i + 1 < len(nodes) else None
                if bias is None and nxt is not None and nxt.op_type == "Add" and nxt.input[0] == out and nxt.input[1] in self.consts:
                    bias = self.consts[nxt.input[1]].reshape(-1)
                    out = nxt.output[0]
                    skip.add(i + 1)
                k = w.shape[2]
                pad = a.get("pads", [0, 0, 0, 0])[0]
                if a.get("auto_pad", b"NOTSET") in (b"SAME_UPPER", b"SAME_LOWER"):
                    pad = (k - 1) // 2
                conv = nn.Conv2d(w.shape[1] * a.get("group", 1), w.shape[0], k, stride=a.get("strides", [1, 1])[0],
                                 padding=pad, groups=a.get("group", 1), bias=bias is not None)
                conv.weight.data = torch.tensor(w)
                if bias is not None:
                    conv.bias.data = torch.tensor(bias)
                self.layers[key] = conv
                self.plan.append(("module", key, [n.input[0]], out))
            elif n.op_type in ("Gemm", "MatMul") and n.input[1] in self.consts:
                w = self.consts[n.input[1]]
                if n.op_type == "MatMul" or not a.get("transB", 0):
                    w = w.T
                bias = self.consts[n.input[2]].reshape(-1) if n.op_type == "Gemm" and len(n.input) > 2 else None
                out = n.output[0]
                nxt = nodes[i + 1] if i + 1 < len(nodes) else None
                if bias is None and nxt is not None and nxt.op_type == "Add" and n.output[0] in nxt.input:
                    other = [x for x in nxt.input if x != n.output[0]][0]
                    if other in self.consts:
                        bias = self.consts[other].reshape(-1)
                        out = nxt.output[0]
                        skip.add(i + 1)
                lin = nn.Linear(w.shape[1], w.shape[0], bias=bias is not None)
                lin.weight.data = torch.tensor(np.ascontiguousarray(w))
                if bias is not None:
                    lin.bias.data = torch.tensor(bias)
                self.layers[key] = lin
                self.plan.append(("module", key, [n.input[0]], out))
            else:
                self.plan.append((n.op_type, a, list(n.input), n.output[0]))

    def forward(self, x):
        v = {self.input: x}
        for op, a, ins, out in self.plan:
            if op == "module":
                v[out] = self.layers[a](v[ins[0]])
            elif op == "Relu":
                v[out] = F.relu(v[ins[0]])
            elif op == "Clip":
                lo, hi = float(self.consts[ins[1]]), float(self.consts[ins[2]])
                v[out] = F.hardtanh(v[ins[0]], lo, hi)
            elif op == "MaxPool":
                v[out] = F.max_pool2d(v[ins[0]], a["kernel_shape"], a.get("strides"), a.get("pads", [0, 0, 0, 0])[0])
            elif op == "GlobalAveragePool":
                v[out] = F.adaptive_avg_pool2d(v[ins[0]], 1)
            elif op in ("Flatten", "Reshape"):
                v[out] = torch.flatten(v[ins[0]], 1)
            elif op == "Add":
                v[out] = v[ins[0]] + v[ins[1]]
            elif op == "Concat":
                v[out] = torch.cat([v[i] for i in ins], dim=a["axis"])
            else:
                raise ValueError("no rebuild for " + op)
        return v[self.output]


def accuracy(model, x, y):
    with torch.no_grad():
        pred = torch.cat([model(x[i:i + 256]).argmax(1) for i in range(0, len(x), 256)])
    return float((pred == y).float().mean())


def macs(model, example):
    ops, _ = tp.utils.count_ops_and_params(model, example)
    return ops


def prune_to(base, example, keep, importance, global_pruning, calib_x, calib_y):
    """Bisection on Torch-Pruning's pruning ratio until MACs <= keep of the original; returns the pruned copy and its MACs ratio."""
    total = macs(base, example)
    lo, hi, best = 0.0, 0.95, None
    for _ in range(12):
        mid = (lo + hi) / 2
        model = copy.deepcopy(base)
        ignored = [m for m in model.modules() if isinstance(m, nn.Linear) and m.out_features == 10]
        # a ViT loses whole heads at the same ratio as its channels (Torch-Pruning's own ViT examples do so)
        heads = dict(model.pruner_arguments(), head_pruning_ratio=mid) if hasattr(model, "pruner_arguments") else {}
        pruner = tp.pruner.MagnitudePruner(model, example, importance=importance, pruning_ratio=mid,
                                           global_pruning=global_pruning, ignored_layers=ignored, **heads)
        if isinstance(importance, tp.importance.TaylorImportance):
            model.zero_grad()
            F.cross_entropy(model(calib_x), calib_y).backward()
        pruner.step()
        ratio = macs(model, example) / total
        if ratio <= keep:
            best, hi = (model, ratio), mid
        else:
            lo = mid
    return best


def onnx_macs(path):
    """Multiply-accumulates of Conv, Gemm and MatMul at batch 1, from onnx shape inference."""
    m = onnx.load(path)
    for i in m.graph.input:
        d = i.type.tensor_type.shape.dim
        if d and not d[0].HasField("dim_value"):
            d[0].dim_value = 1
    m = shape_inference.infer_shapes(m)
    shapes = {}
    for v in list(m.graph.value_info) + list(m.graph.output) + list(m.graph.input):
        shapes[v.name] = [d.dim_value for d in v.type.tensor_type.shape.dim]
    for i in m.graph.initializer:
        shapes[i.name] = list(i.dims)
    weights = {i.name: list(i.dims) for i in m.graph.initializer}
    total = 0
    for n in m.graph.node:
        out = shapes.get(n.output[0]) or []
        if n.op_type not in ("Conv", "Gemm", "MatMul"):
            continue
        if not out or min(out) <= 0:
            return float("nan")  # shape inference could not follow this graph (computed Reshape targets)
        if n.op_type == "Conv":
            total += int(np.prod(out[1:])) * int(np.prod(weights[n.input[1]][1:]))
        elif n.input[1] in weights:
            w = weights[n.input[1]]
            k = w[0] if n.op_type == "MatMul" or not attrs(n).get("transB", 0) else w[1]
            total += int(np.prod(out)) * k
        else:
            a = shapes.get(n.input[0]) or []
            if not a or a[-1] <= 0:
                return float("nan")
            total += int(np.prod(out)) * a[-1]
    return total


def main():
    out = sys.argv[2]
    rows = ["model\tkeep\tselection\tmethod\tmacs_ratio\taccuracy"]
    spa = [l.rstrip("\n").split("\t") for l in open(out + "/spa.tsv")][1:]
    originals = {r[0]: r[7] for r in spa if r[3] == "original"}
    counted = ["file\tindependent_macs_ratio"]
    for r in spa:
        if r[3] != "original":
            counted.append("%s\t%.4f" % (r[7], onnx_macs(r[7]) / onnx_macs(originals[r[0]])))
    open(out + "/spa_macs.tsv", "w").write("\n".join(counted) + "\n")
    for name in MODELS:
        x = np.fromfile("%s/data/%s_x.f32" % (out, name), dtype="<f4")
        y = torch.tensor(np.fromfile("%s/data/%s_y.i64" % (out, name), dtype="<i8"))
        cal = np.fromfile("%s/data/%s_calibration.f32" % (out, name), dtype="<f4")
        base = (VitRebuild if name.startswith("cifar10_vit") else OnnxCnn)(originals[name]).eval()
        shape = SHAPES[name]
        x = torch.tensor(x).reshape(-1, *shape)
        cal = torch.tensor(cal).reshape(-1, *shape)
        with torch.no_grad():
            cal_y = base(cal).argmax(1)  # Taylor's loss on the original's own predictions: no labels are assumed
        original = accuracy(base, x, y)
        print("%s: torch rebuild %.2f%%" % (name, 100 * original), file=sys.stderr)
        rows.append("%s\t1\t-\toriginal (torch rebuild)\t1\t%.4f" % (name, original))
        example = x[:1]
        for label, imp in [("TP l1", tp.importance.MagnitudeImportance(p=1)), ("TP l2", tp.importance.MagnitudeImportance(p=2)),
                           ("TP taylor", tp.importance.TaylorImportance())]:
            for global_pruning in (True, False):
                for keep in KEEP:
                    found = prune_to(base, example, keep, imp, global_pruning, cal, cal_y)
                    if found is None:
                        rows.append("%s\t%s\t%s\t%s\tnan\tnan" % (name, keep, "global" if global_pruning else "local", label))
                        continue
                    model, ratio = found
                    acc = accuracy(model.eval(), x, y)
                    rows.append("%s\t%s\t%s\t%s\t%.4f\t%.4f" % (name, keep, "global" if global_pruning else "local", label, ratio, acc))
                    print("  %s %s %s: %.1f%% (MACs %.1f%%)" % (label, "global" if global_pruning else "local", keep, 100 * acc,
                                                             100 * ratio), file=sys.stderr)
    open(out + "/tp.tsv", "w").write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
