"""The PyTorch side of `cargo bench --bench train`: the same network, data and initial
parameters (from optiscope's dumps), trained the way a PyTorch user writes it: float64, one
CPU thread, eager mode, nn.Sequential, BCEWithLogitsLoss, torch.optim.Adam (foreach=False, as
the reference runs) with SequentialLR(LinearLR warmup, CosineAnnealingLR), full batch.

    python pytorch_train.py DATA.json INIT.json STEPS   ->  prints the seconds STEPS updates took
"""

import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reference"))
from networks import sequential  # noqa: E402  (the reference runs' network builder)

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def main():
    data = json.load(open(sys.argv[1]))
    init = json.load(open(sys.argv[2]))
    steps = int(sys.argv[3])
    net = sequential(init, torch.nn.Tanh)
    x, y = torch.tensor(data["x"]), torch.tensor(data["y"]).unsqueeze(1)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.Adam(net.parameters(), lr=0.01, foreach=False)
    warmup = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=20)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=1000)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warmup, cosine], milestones=[20])

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        sched.step()

    for _ in range(10):  # warm-up, not timed
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    print(time.perf_counter() - start)


main()
