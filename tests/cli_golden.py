#!/usr/bin/env python3
"""Record every command-line output of an optiscope binary into a directory.

A restructuring must not change what the CLI prints: record with the binary before and after
and compare the two directories (`diff -r`). Covered: every built-in preset (each run's
`trace` with the extra columns, `pytorch`, `keras`, `share`, the 2D and 3D `render` PNGs),
every reference case of tests/reference (`trace`, `train`), `list`, `list --json` and `theory`
at each surface's default point. Errors are recorded too (standard error and exit code), so a
changed message shows up like a changed number.

    python3 tests/cli_golden.py BIN OUTDIR [--no-render]
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def record(bin_path, out_dir, name, args):
    """Run `bin args`, store stdout, stderr and the exit code under `name`."""
    done = subprocess.run([bin_path, *args], capture_output=True, cwd=ROOT)
    (out_dir / f"{name}.out").write_bytes(done.stdout)
    (out_dir / f"{name}.err").write_bytes(done.stderr + f"\nexit={done.returncode}\n".encode())
    return done.returncode


def case_args(case):
    args = ["--optimizer", case["optimizer"], "--lr", repr(case["lr"]), "--steps", str(case["steps"])]
    for key in ("schedule", "warmup"):
        if case.get(key):
            args += [f"--{key}", case[key]]
    return args


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    bin_path = str(pathlib.Path(sys.argv[1]).resolve())
    out_dir = pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    render = "--no-render" not in sys.argv

    record(bin_path, out_dir, "list", ["list"])
    record(bin_path, out_dir, "list-json", ["list", "--json"])
    catalog = json.loads((out_dir / "list-json.out").read_text())
    for surface in catalog["surfaces"]["items"]:
        name = surface["name"]
        record(bin_path, out_dir, f"theory-{name}", ["theory", "--surface", name])
        record(
            bin_path,
            out_dir,
            f"theory-{name}-sgd",
            ["theory", "--surface", name, "--optimizer", "sgd(momentum=0.9)", "--lr", "0.01"],
        )

    for preset in sorted((ROOT / "presets").glob("*.ron")):
        stem = preset.stem
        rel = str(preset.relative_to(ROOT))
        record(bin_path, out_dir, f"share-{stem}", ["share", "--preset", rel])
        record(bin_path, out_dir, f"share-{stem}-lock", ["share", "--preset", rel, "--lock"])
        run = 0
        while True:
            code = record(
                bin_path,
                out_dir,
                f"trace-{stem}-{run}",
                ["trace", "--preset", rel, "--run", str(run), "--extra", "sharpness,precond_sharpness"],
            )
            record(bin_path, out_dir, f"trace-{stem}-{run}-plain", ["trace", "--preset", rel, "--run", str(run)])
            record(bin_path, out_dir, f"pytorch-{stem}-{run}", ["pytorch", "--preset", rel, "--run", str(run)])
            record(bin_path, out_dir, f"keras-{stem}-{run}", ["keras", "--preset", rel, "--run", str(run)])
            err = (out_dir / f"trace-{stem}-{run}-plain.err").read_text()
            if code != 0 and "'--run <I>'" in err or run > 12:
                break
            run += 1
        if render:
            for view in ("2d", "3d"):
                png = out_dir / f"render-{stem}-{view}.png"
                record(
                    bin_path,
                    out_dir,
                    f"render-{stem}-{view}",
                    ["render", "--preset", rel, "--out", str(png.resolve()), "--view", view],
                )

    for fixture in ("fixtures", "keras"):
        cases = json.loads((ROOT / "tests/reference" / f"{fixture}.json").read_text())["cases"]
        for case in cases:
            start = ",".join(repr(v) for v in case["start"])
            record(
                bin_path,
                out_dir,
                f"case-{fixture}-{case['name']}",
                ["trace", "--surface", case["surface"], "--start", start, *case_args(case)],
            )
    cases = json.loads((ROOT / "tests/reference/networks.json").read_text())["cases"]
    for case in cases:
        args = ["train", "--model", case["model"], "--data", case["data"], *case_args(case)]
        args += ["--batch-size", str(case["batch_size"]), "--seed", str(case["seed"])]
        record(bin_path, out_dir, f"case-networks-{case['name']}", [*args, "--extra", "sharpness", "--every", "50"])


if __name__ == "__main__":
    main()
