"""Writes training logs as the real libraries write them, for tests/logs.rs.

Keras 3 (torch backend, float64) trains a small regression model with keras.callbacks.CSVLogger
and a LearningRateScheduler (step decay), and a second one with ReduceLROnPlateau. Beside each log, the
values Python's own csv and float() read from it are written as JSON: the truth the reader
must give back exactly. (Keras's History holds the same numbers but differs from the file in
the last digit now and then: CSVLogger and History format their values differently.) Run with the CI's virtual environment:

    KERAS_BACKEND=torch $OPTISCOPE_PYTHON tests/reference/logs.py [--check]

--check writes the logs to a temporary folder and fails unless they equal the committed ones
byte for byte (Keras on the torch backend, float64, seeded, is deterministic on the CPU).
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

if CHECK:
    names = sorted(os.listdir(HERE))
    match, differ, missing = filecmp.cmpfiles(COMMITTED, HERE, names, shallow=False)
    if differ or missing:
        sys.exit(f"tests/reference/logs differs from what Keras writes now: {differ + missing}")
    print(f"tests/reference/logs: {len(match)} files are what Keras {keras.__version__} writes")
