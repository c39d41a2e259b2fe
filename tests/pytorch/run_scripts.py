"""Runs optiscope's "Copy as PyTorch" and "Copy as Keras" scripts for tests/pytorch.rs.

Reads a JSON list of {name, script} on stdin and prints {"torch": bool, "keras": bool,
"results": [...]}, one result per script: its syntax error (if any) and, when torch and Keras 3
are installed, its standard output and the exception it raised (if any). All scripts run in
this one process, so torch and Keras are imported once.
"""

import contextlib
import io
import json
import os
import sys
import traceback


def main():
    cases = json.load(sys.stdin)
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
    os.environ.setdefault("KERAS_BACKEND", "torch")
    try:
        import keras  # noqa: F401

        have_keras = True
    except ImportError:
        have_keras = False
    results = []
    for case in cases:
        result = {"name": case["name"], "syntax_error": None, "error": None, "stdout": ""}
        try:
            code = compile(case["script"], case["name"], "exec")
        except SyntaxError as e:
            result["syntax_error"] = f"line {e.lineno}: {e.msg}"
            results.append(result)
            continue
        if have_torch and have_keras:
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    exec(code, {"__name__": "__main__"})
            except Exception:  # reported to the Rust test, which names the script
                result["error"] = traceback.format_exc()
            result["stdout"] = out.getvalue()
        results.append(result)
    json.dump({"torch": have_torch, "keras": have_keras, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
