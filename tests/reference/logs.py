"""Writes training logs as the real libraries write them, for tests/logs.rs.

torch.utils.tensorboard.SummaryWriter logs a torch.optim SGD run under OneCycleLR (the rate
per step, as get_last_lr() gives it, and a loss) to events.out.tfevents.onecycle; beside it,
tensorboard-scalars.json holds every (step, value) by tag as written (float32, as
add_scalar stores it).

Keras 3 (torch backend, float64) trains a small regression model with keras.callbacks.CSVLogger
and a LearningRateScheduler (step decay), and a second one with ReduceLROnPlateau. Beside each log, the
values Python's own csv and float() read from it are written as JSON: the truth the reader
must give back exactly. (Keras's History holds the same numbers but differs from the file in
the last digit now and then: CSVLogger and History format their values differently.) Run with the CI's virtual environment:

    KERAS_BACKEND=torch $OPTISCOPE_PYTHON tests/reference/logs.py [--check]

--check writes the logs to a temporary folder and fails unless they equal the committed ones
byte for byte (Keras on the torch backend, float64, seeded, is deterministic on the CPU); an
event file holds wall times, so for it the scalars' JSON is compared.
"""
import csv
import filecmp
import json
import os
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402

COMMITTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logs")
CHECK = "--check" in sys.argv[1:]
HERE = tempfile.mkdtemp() if CHECK else COMMITTED
os.makedirs(HERE, exist_ok=True)
keras.config.set_floatx("float64")


def data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(64, 2))
    y = (np.sin(2 * x[:, :1]) + 0.5 * x[:, 1:] + 0.05 * rng.normal(size=(64, 1))).astype("float64")
    return x, y


def train(name, callbacks, epochs, seed):
    keras.utils.set_random_seed(seed)
    x, y = data(seed)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="mse", metrics=["mae"])
    path = os.path.join(HERE, f"{name}.csv")
    history = model.fit(x, y, validation_split=0.25, epochs=epochs, batch_size=16, verbose=0,
                        shuffle=False, callbacks=callbacks + [keras.callbacks.CSVLogger(path)])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    truth = {k: [float(r[k]) for r in rows] for k in rows[0]}
    assert truth["epoch"] == [float(e) for e in history.epoch]
    for k, vs in history.history.items():
        assert all(abs(a - b) <= 1e-15 * max(1.0, abs(b)) for a, b in zip(truth[k], vs)), k
    # As repr strings: the shortest text that reads back to the same double, whatever parser
    # reads it (serde_json's default float parsing may be off by one ulp).
    with open(os.path.join(HERE, f"{name}.json"), "w") as f:
        json.dump({k: [repr(v) for v in vs] for k, vs in truth.items()}, f, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(history.epoch)} epochs, columns {sorted(truth)}")


train("keras-step-decay",
      [keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.1 * 0.5 ** (epoch // 5))], 20, 0)
train("keras-plateau", [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2)], 25, 1)

def tensorboard():
    import glob
    import shutil

    import torch
    from torch.utils.tensorboard import SummaryWriter

    torch.manual_seed(0)
    w = torch.nn.Parameter(torch.tensor([1.5, -0.5], dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.01, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.3, total_steps=40, cycle_momentum=False)
    run = tempfile.mkdtemp()
    writer = SummaryWriter(run)
    truth = {"lr": [], "train/loss": []}
    for step in range(40):
        loss = 0.5 * (w[0] ** 2 + 10 * w[1] ** 2)
        opt.zero_grad()
        loss.backward()
        lr = sched.get_last_lr()[0]
        writer.add_scalar("lr", lr, step)
        writer.add_scalar("train/loss", loss.item(), step)
        truth["lr"].append([step, repr(float(np.float32(lr)))])
        truth["train/loss"].append([step, repr(float(np.float32(loss.item())))])
        opt.step()
        sched.step()
    writer.close()
    (events,) = glob.glob(os.path.join(run, "events.out.tfevents.*"))
    shutil.copy(events, os.path.join(HERE, "events.out.tfevents.onecycle"))
    with open(os.path.join(HERE, "tensorboard-scalars.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")
    print(f"wrote events.out.tfevents.onecycle: {len(truth['lr'])} steps of lr and train/loss")


tensorboard()

if CHECK:
    names = sorted(n for n in os.listdir(HERE) if "tfevents" not in n)
    match, differ, missing = filecmp.cmpfiles(COMMITTED, HERE, names, shallow=False)
    if differ or missing:
        sys.exit(f"tests/reference/logs differs from what Keras writes now: {differ + missing}")
    print(f"tests/reference/logs: {len(match)} files are what Keras {keras.__version__} and torch write")
