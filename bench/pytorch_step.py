"""PyTorch reference for Orbit's training-step benchmark (BENCHMARKS.md).

The same networks as Orbit's group-action lab on 8x8 digits, batch 64, Adam, cross-entropy:
the MLP 64-64-10, and Z2 / P4 / P4M G-CNNs (lifting 3x3, two group convolutions 3x3 built as
one conv2d over a rotated, slot-permuted filter bank, one batch-norm statistic per field, ReLU,
2x2 max-pool after the second layer, max over slots, spatial mean, linear head), with the field
counts of the default budget (P4 6 fields; Z2 12 channels; P4M 4 fields). Random data of the
digits' shape: only the time per step is measured.

    python bench/pytorch_step.py            # one thread, then all threads
"""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PERM = [
    [0, 1, 2, 3, 4, 5, 6, 7],
    [3, 0, 1, 2, 5, 6, 7, 4],
    [2, 3, 0, 1, 6, 7, 4, 5],
    [1, 2, 3, 0, 7, 4, 5, 6],
    [4, 5, 6, 7, 0, 1, 2, 3],
    [5, 6, 7, 4, 3, 0, 1, 2],
    [6, 7, 4, 5, 2, 3, 0, 1],
    [7, 4, 5, 6, 1, 2, 3, 0],
]
MIRROR_ROT = [3, 2, 1, 0]


def spatial(w, s):
    """g_s on the last two axes: rot(w, s) for s < 4, rot(w^T, [3,2,1,0][s-4]) otherwise."""
    if s < 4:
        return torch.rot90(w, s, dims=(-2, -1))
    return torch.rot90(w.transpose(-2, -1), MIRROR_ROT[s - 4], dims=(-2, -1))


class Lift(nn.Module):
    def __init__(self, n, cin, cout, k=3):
        super().__init__()
        self.n = n
        self.weight = nn.Parameter(torch.randn(cout, cin, k, k) / (cin * k * k) ** 0.5)
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        bank = torch.stack([spatial(self.weight, r) for r in range(self.n)], 1)
        cout, _, cin, k, _ = bank.shape
        bank = bank.reshape(cout * self.n, cin, k, k)
        return F.conv2d(x, bank, self.bias.repeat_interleave(self.n), padding=k // 2)


class GConv(nn.Module):
    def __init__(self, n, cin, cout, k=3):
        super().__init__()
        self.n = n
        self.weight = nn.Parameter(torch.randn(cout, cin, n, k, k) / (cin * n * k * k) ** 0.5)
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x):
        n = self.n
        banks = [spatial(self.weight[:, :, PERM[r][:n]], r) for r in range(n)]
        bank = torch.stack(banks, 1)
        cout, _, cin, _, k, _ = bank.shape
        bank = bank.reshape(cout * n, cin * n, k, k)
        return F.conv2d(x, bank, self.bias.repeat_interleave(n), padding=k // 2)


class FieldNorm(nn.Module):
    def __init__(self, fields, n):
        super().__init__()
        self.n = n
        self.norm = nn.BatchNorm2d(fields)

    def forward(self, x):
        b, c, h, w = x.shape
        return self.norm(x.reshape(b, c // self.n, self.n * h, w)).reshape(b, c, h, w)


class GroupCnn(nn.Module):
    def __init__(self, n, fields, layers=3, classes=10):
        super().__init__()
        self.n = n
        self.lift = Lift(n, 1, fields)
        self.convs = nn.ModuleList([GConv(n, fields, fields) for _ in range(layers - 1)])
        self.norms = nn.ModuleList([FieldNorm(fields, n) for _ in range(layers)])
        self.head = nn.Linear(fields, classes)

    def forward(self, x):
        h = F.relu(self.norms[0](self.lift(x)))
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms[1:])):
            if i == 1:
                h = F.max_pool2d(h, 2)
            h = F.relu(norm(conv(h)))
        b, c, hh, ww = h.shape
        h = h.reshape(b, c // self.n, self.n, hh * ww).amax(2).mean(2)
        return self.head(h)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def step_ms(model, seconds=2.0):
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    x = torch.rand(64, 1, 8, 8)
    y = torch.randint(0, 10, (64,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(5):
        step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or n < 10:
        step()
        n += 1
    return (time.perf_counter() - start) * 1000 / n


def main():
    models = {
        "mlp": mlp,
        "z2": lambda: GroupCnn(1, 12),
        "p4": lambda: GroupCnn(4, 6),
        "p4m": lambda: GroupCnn(8, 4),
    }
    all_threads = torch.get_num_threads()
    for threads in sorted({1, all_threads}):
        torch.set_num_threads(threads)
        for name, make in models.items():
            torch.manual_seed(0)
            print(f"{name:4s} threads={threads}: {step_ms(make()):8.3f} ms/step")


if __name__ == "__main__":
    main()
