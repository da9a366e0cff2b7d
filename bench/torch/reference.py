#!/usr/bin/python3
"""gorgoflow's PyTorch reference: the chapter's workloads, timed with PyTorch on this CPU.

usage: reference.py WORKLOAD IMPL

The workloads are bench/workloads' (see its doc), in PyTorch:
  w1   one training step of the MNIST sequence classifier: batch 150 of 28 steps x 28 inputs,
       a tanh RNN of 150, a linear layer of 10 on the final state, softmax cross-entropy, Adam(1e-3)
  w2   one training step of the time-series model: batch 50 of 20 steps x 1 input, a ReLU RNN
       of 100, a linear layer of 1 on every step's output, mean squared error, Adam(1e-3)
  inf  w1's forward pass over 10,000 sequences (the test set's evaluation), no gradients
  w3   w1 with 3 stacked LSTMs of 150 (TF's BasicLSTMCell, forget bias 1), the top layer's h
  w4   w1 with one GRU of 150 (TF's GRUCell formula)
  w5   w1 with 3 stacked ReLU RNNs of 100, the three final states concatenated
  w6   one word2vec step: 50,000 words, embeddings of 150, batch 128, NCE with 64 classes
       sampled uniformly, Adam(1e-2)
  w7   w1 with the cell written out by hand (the per-step loop of a user's own cell)
IMPL: fused (torch.nn.RNN / LSTM / GRU) or loop (a Python loop over steps, TF's cell formulas
on concat([x_t, h])). Prints one JSON line: the median, min and max seconds per step over REPS
samples (default 7) and the threads in use (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS).
"""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

WARM_INNER = {"w1": (5, 20), "w2": (10, 50), "inf": (1, 1), "w3": (3, 10), "w4": (3, 10),
              "w5": (3, 10), "w6": (3, 10), "w7": (5, 20)}


class Recurrent(nn.Module):
    """Layers of one cell kind over [batch, time, depth]; returns every step's top output
    and each layer's final h."""

    def __init__(self, kind, n_in, units, layers, act, fused):
        super().__init__()
        self.kind, self.units, self.layers, self.fused = kind, units, layers, fused
        self.act = torch.relu if act == "relu" else torch.tanh
        if fused:
            if kind == "lstm":
                self.net = nn.LSTM(n_in, units, layers, batch_first=True)
            elif kind == "gru":
                self.net = nn.GRU(n_in, units, layers, batch_first=True)
            else:
                self.net = nn.RNN(n_in, units, layers, nonlinearity=act, batch_first=True)
            return
        sizes = [n_in] + [units] * (layers - 1)
        width = {"rnn": 1, "lstm": 4, "gru": 2}[kind]
        self.kernels = nn.ModuleList(nn.Linear(s + units, width * units) for s in sizes)
        if kind == "gru":  # the candidate's own kernel
            self.candidates = nn.ModuleList(nn.Linear(s + units, units) for s in sizes)

    def forward(self, x):
        if self.fused:
            out, state = self.net(x)
            h = state[0] if self.kind == "lstm" else state
            return out, list(h)
        batch, steps, _ = x.shape
        h = [x.new_zeros(batch, self.units) for _ in range(self.layers)]
        c = [x.new_zeros(batch, self.units) for _ in range(self.layers)]
        outs = []
        for t in range(steps):
            inp = x[:, t, :]
            for l in range(self.layers):
                xh = torch.cat([inp, h[l]], 1)
                if self.kind == "lstm":
                    i, j, f, o = self.kernels[l](xh).chunk(4, 1)
                    c[l] = c[l] * torch.sigmoid(f + 1.0) + torch.sigmoid(i) * torch.tanh(j)
                    h[l] = torch.tanh(c[l]) * torch.sigmoid(o)
                elif self.kind == "gru":
                    r, u = torch.sigmoid(self.kernels[l](xh)).chunk(2, 1)
                    cand = torch.tanh(self.candidates[l](torch.cat([inp, r * h[l]], 1)))
                    h[l] = u * h[l] + (1 - u) * cand
                else:
                    h[l] = self.act(self.kernels[l](xh))
                inp = h[l]
            outs.append(inp)
        return torch.stack(outs, 1), h


class Classifier(nn.Module):
    """The MNIST classifiers (w1, w3, w4, w5, w7): recurrent layers, then 10 logits."""

    def __init__(self, kind, units, layers, act, head, fused):
        super().__init__()
        self.rnn = Recurrent(kind, 28, units, layers, act, fused)
        self.head = head
        self.logits = nn.Linear(units * (layers if head == "concat" else 1), 10)

    def forward(self, x):
        _, h = self.rnn(x)
        return self.logits(torch.cat(h, 1) if self.head == "concat" else h[-1])


class Regressor(nn.Module):
    """The time-series model (w2): one value per step."""

    def __init__(self, fused):
        super().__init__()
        self.rnn = Recurrent("rnn", 1, 100, 1, "relu", fused)
        self.proj = nn.Linear(100, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.proj(out)


class SkipGram(nn.Module):
    """word2vec's skip-gram with NCE (w6)."""

    def __init__(self, words=50000, dims=150, sampled=64):
        super().__init__()
        self.words, self.sampled = words, sampled
        self.embeddings = nn.Embedding(words, dims)
        self.nce_w = nn.Embedding(words, dims)
        self.nce_b = nn.Embedding(words, 1)

    def forward(self, x, y):
        e = self.embeddings(x)
        neg = torch.randint(0, self.words, (self.sampled,))
        pos_logit = (e * self.nce_w(y)).sum(1) + self.nce_b(y)[:, 0]
        neg_logit = e @ self.nce_w(neg).t() + self.nce_b(neg)[:, 0]
        loss = nn.functional.binary_cross_entropy_with_logits
        return (loss(pos_logit, torch.ones_like(pos_logit), reduction="sum")
                + loss(neg_logit, torch.zeros_like(neg_logit), reduction="sum")) / len(x)


def training_step(model, inputs, loss_fn, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        loss_fn(model, inputs).backward()
        opt.step()
    return step


def build(workload, fused):
    torch.manual_seed(0)
    images, labels = torch.randn(150, 28, 28), torch.randint(0, 10, (150,))
    xent = nn.CrossEntropyLoss()

    def classify(m, inp):
        return xent(m(inp[0]), inp[1])
    if workload in ("w1", "w7"):
        if workload == "w7" and fused:
            sys.exit("w7 is the per-step loop: use IMPL loop")
        return training_step(Classifier("rnn", 150, 1, "tanh", "top", fused), (images, labels), classify)
    if workload in ("w3", "w4", "w5"):
        kind, units, layers, act, head = {"w3": ("lstm", 150, 3, "tanh", "top"),
                                          "w4": ("gru", 150, 1, "tanh", "top"),
                                          "w5": ("rnn", 100, 3, "relu", "concat")}[workload]
        return training_step(Classifier(kind, units, layers, act, head, fused), (images, labels), classify)
    if workload == "w2":
        mse = nn.MSELoss()
        return training_step(Regressor(fused), (torch.randn(50, 20, 1), torch.randn(50, 20, 1)),
                             lambda m, inp: mse(m(inp[0]), inp[1]))
    if workload == "inf":
        m, test = Classifier("rnn", 150, 1, "tanh", "top", fused), torch.randn(10000, 28, 28)

        def forward():
            with torch.no_grad():
                m(test)
        return forward
    if workload == "w6":
        words = (torch.randint(0, 50000, (128,)), torch.randint(0, 50000, (128,)))
        return training_step(SkipGram(), words, lambda m, inp: m(*inp), lr=1e-2)
    sys.exit("unknown workload " + workload)


def main():
    if len(sys.argv) != 3 or sys.argv[2] not in ("fused", "loop"):
        sys.exit(__doc__)
    workload, impl = sys.argv[1], sys.argv[2]
    step = build(workload, impl == "fused")
    warm, inner = WARM_INNER[workload]
    for _ in range(warm):
        step()
    samples = []
    for _ in range(int(os.environ.get("REPS", "7"))):
        t0 = time.perf_counter()
        for _ in range(inner):
            step()
        samples.append((time.perf_counter() - t0) / inner)
    print(json.dumps({"workload": workload, "impl": impl, "threads": torch.get_num_threads(),
                      "omp": os.environ.get("OMP_NUM_THREADS"),
                      "openblas": os.environ.get("OPENBLAS_NUM_THREADS"),
                      "median_s": statistics.median(samples), "min_s": min(samples),
                      "max_s": max(samples)}))


if __name__ == "__main__":
    main()
