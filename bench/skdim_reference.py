"""Reference values from scikit-dimension for Orbit's intrinsic-dimension estimators.

Draws a few point sets with numpy (fixed seeds), runs scikit-dimension's TwoNN (its default
least-squares fit) and MLE (its defaults: k = 20, harmonic mean of the point-wise estimates) on
them, and writes the points and the values to crates/orbit-math/tests/data/skdim_reference.json.
The Rust test `cargo test -p orbit-math --test skdim_reference` runs Orbit's estimators on
exactly these points and compares.

    pip install scikit-dimension==0.5.0 numpy
    python bench/skdim_reference.py
"""
import json
import pathlib

import numpy as np
import skdim


def sphere(n, d, rng):
    x = rng.standard_normal((n, d + 1))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def sets():
    rng = np.random.default_rng(7)
    yield "sphere2", sphere(600, 2, rng)
    t = rng.uniform(0, 4 * np.pi, 400)
    yield "helix", np.stack([np.cos(t), np.sin(t), 0.2 * t], axis=1)
    yield "cube5", rng.uniform(0, 1, (800, 5))
    a, b = rng.uniform(0, 2 * np.pi, (2, 700))
    yield "torus", np.stack([np.cos(a), np.sin(a), np.cos(b), np.sin(b)], axis=1)


def main():
    out = []
    for name, x in sets():
        out.append({
            "name": name,
            "points": x.tolist(),
            "twonn": float(skdim.id.TwoNN().fit(x).dimension_),
            "mle": float(skdim.id.MLE().fit(x).dimension_),
        })
        print(name, out[-1]["twonn"], out[-1]["mle"])
    path = pathlib.Path(__file__).resolve().parents[1] / "crates/orbit-math/tests/data/skdim_reference.json"
    path.write_text(json.dumps({"scikit_dimension": skdim.__version__, "sets": out}))


if __name__ == "__main__":
    main()
