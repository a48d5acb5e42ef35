"""Merges spa.tsv, spa_macs.tsv and tp.tsv (bench/run-quality) into a Markdown table and a plot."""
import sys
from collections import defaultdict

out, results = sys.argv[1], sys.argv[2]


def rows(path):
    lines = [l.rstrip("\n").split("\t") for l in open(path)]
    return [dict(zip(lines[0], l)) for l in lines[1:] if l and l[0]]


spa = rows(out + "/spa.tsv")
independent = {r["file"]: float(r["independent_macs_ratio"]) for r in rows(out + "/spa_macs.tsv")}
try:
    tp = rows(out + "/tp.tsv")
except FileNotFoundError:
    tp = []
cell = defaultdict(dict)  # (model, keep, selection) -> method -> (accuracy, macs)
original = {}
for r in spa:
    if r["method"] == "original":
        original[r["model"]] = float(r["accuracy"])
        continue
    counted = independent.get(r["file"], float("nan"))
    if counted != counted:  # the independent count could not follow the graph: SPA's own count, marked
        counted = -float(r["spa_macs_ratio"])
    cell[(r["model"], r["keep"], r["selection"])][r["method"]] = (float(r["accuracy"]), counted, float(r["agreement"]))
tp_original = {}
for r in tp:
    if r["method"].startswith("original"):
        tp_original[r["model"]] = float(r["accuracy"])
        continue
    cell[(r["model"], r["keep"], r["selection"])][r["method"]] = (float(r["accuracy"]), float(r["macs_ratio"]), float("nan"))

spa_methods = ["l1", "l2", "l2 + OBSPA update, data-free", "OBSPA data-free", "OBSPA synthetic images", "OBSPA auto (default)",
               "OBSPA calibration"]
tp_methods = ["TP l1", "TP l2", "TP taylor"]
lines = ["| model (original top-1) | MACs kept | selection | TP best (L1/L2/Taylor) | " + " | ".join("SPA " + m for m in spa_methods)
         + " | SPA best data-free − TP best |", "|---" * (5 + len(spa_methods)) + "|"]
for (model, keep, sel) in sorted(cell, key=lambda k: (k[0], -float(k[1]), k[2])):
    c = cell[(model, keep, sel)]
    tps = [(c[m][0], m) for m in tp_methods if m in c and c[m][0] == c[m][0]]
    best_tp = max(tps) if tps else None
    data_free = [c[m][0] for m in spa_methods if m in c and m != "OBSPA calibration"]
    fmt = lambda m: ("%.1f (%.0f%%%s)" % (100 * c[m][0], 100 * abs(c[m][1]), "*" if c[m][1] < 0 else "")) if m in c else "–"
    orig = "%s (%.1f%%%s)" % (model, 100 * original[model],
                              ", torch %.1f%%" % (100 * tp_original[model]) if model in tp_original else "")
    tp_text = "%.1f (%s, %.0f%%)" % (100 * best_tp[0], best_tp[1][3:], 100 * c[best_tp[1]][1]) if best_tp else "not rebuilt"
    gap = "%+.1f" % (100 * (max(data_free) - best_tp[0])) if best_tp and data_free else "–"
    lines.append("| %s | 1/%d | %s | %s | %s | %s |" % (orig, round(1 / float(keep)), sel, tp_text,
                                                      " | ".join(fmt(m) for m in spa_methods), gap))
table = "\n".join(lines) + "\n"
open(results + "/quality.md", "w").write(table)
print(table)

def fidelity_table(out, results):
    """The unlabelled models: relative output error of each SPA method against the original."""
    try:
        fid = rows(out + "/fidelity.tsv")
    except FileNotFoundError:
        return
    methods = [m for m in spa_methods if m != "OBSPA calibration"]
    cells = defaultdict(dict)
    notes = {}
    for r in fid:
        cells[(r["model"], r["keep"], r["selection"])][r["method"]] = (float(r["relative_error"]), float(r["spa_macs_ratio"]))
        notes[r["model"]] = r["inputs"]
    lines = ["| model (reference inputs) | MACs kept | selection | " + " | ".join("SPA " + m for m in methods) + " |",
             "|---" * (3 + len(methods)) + "|"]
    for key in sorted(cells, key=lambda k: (k[0], -float(k[1]), k[2])):
        c = cells[key]
        lines.append("| %s (%s) | 1/%d | %s | %s |" % (key[0], notes[key[0]], round(1 / float(key[1])), key[2],
                                                      " | ".join("%.3f (%.0f%%)" % (c[m][0], 100 * c[m][1]) if m in c else "–"
                                                                 for m in methods)))
    text = "\n".join(lines) + "\n"
    open(results + "/quality-fidelity.md", "w").write(text)
    print(text)


fidelity_table(out, results)

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is absent: no plot (apt-get install python3-matplotlib)", file=sys.stderr)
    sys.exit(0)
models = sorted(original)
fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 4), sharey=True)
for ax, model in zip(axes, models):
    labels = ["1/2 global", "1/4 global", "1/2 local", "1/4 local"]
    keys = [(model, "0.5", "global"), (model, "0.25", "global"), (model, "0.5", "local"), (model, "0.25", "local")]
    series = [("TP best", lambda c: max([c[m][0] for m in tp_methods if m in c] or [float("nan")])),
              ("SPA default (OBSPA auto, data-free)", lambda c: c["OBSPA auto (default)"][0]),
              ("SPA best data-free", lambda c: max(c[m][0] for m in spa_methods if m in c and m != "OBSPA calibration")),
              ("SPA OBSPA calibration", lambda c: c["OBSPA calibration"][0])]
    width = 0.2
    for i, (name, f) in enumerate(series):
        ax.bar([x + (i - 1.5) * width for x in range(len(keys))], [100 * f(cell[k]) for k in keys], width, label=name)
    ax.axhline(100 * original[model], color="black", linestyle="--", linewidth=1)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_title(model, fontsize=9)
axes[0].set_ylabel("top-1 accuracy %, no fine-tuning (dashed: original)")
axes[0].legend(fontsize=7)
fig.tight_layout()
fig.savefig(results + "/quality.png", dpi=110)
