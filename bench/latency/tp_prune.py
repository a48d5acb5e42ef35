"""Torch-Pruning's side of bench/run-latency-peers: torchvision architectures (random weights: speed does not depend
on them) pruned by Torch-Pruning 1.6.1's MagnitudePruner (L2, global) to at most half the MACs, as it ships
(round_to=None) and with its own answer to slow-downs (round_to=8), then exported to ONNX (opset 13, free batch axis)
beside their unpruned export, so that SPA's timer measures both the same way.
Usage: PYTHONPATH=../shared/tools/torch-pruning python3 tp_prune.py OUTDIR"""
import copy
import os
import sys

import torch
import torchvision
import torch_pruning as tp

MODELS = ["resnet18", "mobilenet_v2", "squeezenet1_1", "efficientnet_b0", "densenet121"]


def classifier_layers(model):
    last = None
    for module in model.modules():
        if isinstance(module, (torch.nn.Linear, torch.nn.Conv2d)):
            last = module
    return [last]  # the layer that gives the classes keeps them all


def prune(model, example, ratio, round_to):
    m = copy.deepcopy(model)
    pruner = tp.pruner.MagnitudePruner(m, example, importance=tp.importance.MagnitudeImportance(p=2), pruning_ratio=ratio,
                                       global_pruning=True, ignored_layers=classifier_layers(m), round_to=round_to)
    pruner.step()
    return m


def export(model, example, path):
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    example = torch.randn(1, 3, 224, 224)
    for name in MODELS:
        model = getattr(torchvision.models, name)().eval()
        base, _ = tp.utils.count_ops_and_params(model, example)
        export(model, example, os.path.join(out, f"{name}.onnx"))
        for round_to in (None, 8):
            lo, hi, best = 0.0, 0.95, None
            for _ in range(9):  # the pruning ratio whose MACs come closest to half, from below
                mid = (lo + hi) / 2
                pruned = prune(model, example, mid, round_to)
                macs, _ = tp.utils.count_ops_and_params(pruned, example)
                if macs <= 0.5 * base:
                    hi, best = mid, (pruned, macs)
                else:
                    lo = mid
            pruned, macs = best
            tag = "tp" if round_to is None else "tp_round8"
            export(pruned.eval(), example, os.path.join(out, f"{name}.{tag}.onnx"))
            print(f"{name}\t{tag}\t{hi:.3f}\t{macs / base:.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
