"""Independent replication of the notebook's Reber-grammar exercise.

This script is not run by the tests. It rebuilds, in PyTorch written by hand
from TF 1.x's documented formulas, the model that
ageron/handson-ml's 14_recurrent_neural_networks.ipynb trains on the
embedded Reber grammar, on the notebook's own strings (drawn here with the
notebook's own code and numpy's legacy generator, seeded 42 as the notebook
seeds it), so that the Go example's results can be compared with what TF's
semantics give, seed for seed distribution:

- tf.nn.rnn_cell.GRUCell(30): gates/kernel [in+n, 2n] and candidate/kernel
  [in+n, n] glorot-uniform, gates/bias 1.0, candidate/bias 0;
  r, u = split(sigmoid([x, h] W_g + b_g)); c = tanh([x, r*h] W_c + b_c);
  h' = u*h + (1-u)*c.
- tf.nn.dynamic_rnn with sequence_length: past a string's length the state
  is copied through, so the final state is the state at its last character.
- tf.layers.dense(states, 1): glorot-uniform kernel, zero bias.
- tf.nn.sigmoid_cross_entropy_with_logits, reduce_mean.
- tf.train.MomentumOptimizer(0.02, 0.95, use_nesterov=True):
  accum = m*accum + g; var -= lr*g + lr*m*accum.
- 50 epochs of np.array_split(X_train, 200) in order, no shuffling.

Usage (python3 with torch and numpy, e.g. /usr/bin/python3 here):

  python3 tf_gru_replication.py --seeds 0-9            # init seeds 0..9
  python3 tf_gru_replication.py --dump-strings s.json  # the notebook's strings
  python3 tf_gru_replication.py --init w.json --steplog steps.txt --epochs 2

--init reads initial weights dumped by the Go example's -dumpinit flag (a JSON
list of {"name", "shape", "data"} in TF's variable names), to compare the
loss trajectories step by step.
"""

import argparse
import json
import sys
import time

import numpy as np
import torch

# ---- the notebook's data code, verbatim but for print statements ----

np.random.seed(42)

default_reber_grammar = [
    [("B", 1)],           # (state 0) =B=>(state 1)
    [("T", 2), ("P", 3)], # (state 1) =T=>(state 2) or =P=>(state 3)
    [("S", 2), ("X", 4)], # (state 2) =S=>(state 2) or =X=>(state 4)
    [("T", 3), ("V", 5)], # and so on...
    [("X", 3), ("S", 6)],
    [("P", 4), ("V", 6)],
    [("E", None)]]        # (state 6) =E=>(terminal state)

embedded_reber_grammar = [
    [("B", 1)],
    [("T", 2), ("P", 3)],
    [(default_reber_grammar, 4)],
    [(default_reber_grammar, 5)],
    [("T", 6)],
    [("P", 6)],
    [("E", None)]]

def generate_string(grammar):
    state = 0
    output = []
    while state is not None:
        index = np.random.randint(len(grammar[state]))
        production, state = grammar[state][index]
        if isinstance(production, list):
            production = generate_string(grammar=production)
        output.append(production)
    return "".join(output)

def generate_corrupted_string(grammar, chars="BEPSTVX"):
    good_string = generate_string(grammar)
    index = np.random.randint(len(good_string))
    good_char = good_string[index]
    bad_char = np.random.choice(sorted(set(chars) - set(good_char)))
    return good_string[:index] + bad_char + good_string[index + 1:]

def string_to_one_hot_vectors(string, n_steps, chars="BEPSTVX"):
    char_to_index = {char: index for index, char in enumerate(chars)}
    output = np.zeros((n_steps, len(chars)), dtype=np.int32)
    for index, char in enumerate(string):
        output[index, char_to_index[char]] = 1.
    return output

def generate_dataset(size):
    good_strings = [generate_string(embedded_reber_grammar)
                    for _ in range(size // 2)]
    bad_strings = [generate_corrupted_string(embedded_reber_grammar)
                   for _ in range(size - size // 2)]
    all_strings = good_strings + bad_strings
    n_steps = max([len(string) for string in all_strings])
    X = np.array([string_to_one_hot_vectors(string, n_steps)
                  for string in all_strings])
    seq_length = np.array([len(string) for string in all_strings])
    y = np.array([[1] for _ in range(len(good_strings))] +
                 [[0] for _ in range(len(bad_strings))])
    rnd_idx = np.random.permutation(size)
    # (not in the notebook: the strings themselves, to compare with Go's)
    return X[rnd_idx], seq_length[rnd_idx], y[rnd_idx], [all_strings[i] for i in rnd_idx]

examples = []
for _ in range(25):
    examples.append(generate_string(default_reber_grammar))
for _ in range(25):
    examples.append(generate_string(embedded_reber_grammar))
for _ in range(25):
    examples.append(generate_corrupted_string(embedded_reber_grammar))
X_train, l_train, y_train, s_train = generate_dataset(10000)
np.random.seed(42)  # reset_graph()
X_val, l_val, y_val, s_val = generate_dataset(5000)

# ---- TF 1.x's model, by hand ----

N_INPUTS, N_NEURONS = 7, 30
NAMES = ["rnn/gru_cell/gates/kernel", "rnn/gru_cell/gates/bias",
         "rnn/gru_cell/candidate/kernel", "rnn/gru_cell/candidate/bias",
         "logits/kernel", "logits/bias"]


def glorot_uniform(gen, fan_in, fan_out, dtype):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return (torch.rand(fan_in, fan_out, generator=gen, dtype=torch.float64) * 2 - 1).mul(limit).to(dtype)


def init_params(seed, dtype):
    gen = torch.Generator().manual_seed(seed)
    n, k = N_NEURONS, N_INPUTS + N_NEURONS
    return [glorot_uniform(gen, k, 2 * n, dtype), torch.ones(2 * n, dtype=dtype),
            glorot_uniform(gen, k, n, dtype), torch.zeros(n, dtype=dtype),
            glorot_uniform(gen, n, 1, dtype), torch.zeros(1, dtype=dtype)]


def load_params(path, dtype):
    dump = json.load(open(path))
    if [d["name"] for d in dump] != NAMES:
        sys.exit("unexpected variables in %s: %s" % (path, [d["name"] for d in dump]))
    return [torch.tensor(d["data"], dtype=torch.float64).reshape(d["shape"]).to(dtype) for d in dump]


def logits_of(params, X, L):
    Wg, bg, Wc, bc, Wd, bd = params
    n = N_NEURONS
    h = torch.zeros(X.shape[0], n, dtype=X.dtype)
    for t in range(int(L.max())):
        x = X[:, t]
        g = torch.sigmoid(torch.cat([x, h], 1) @ Wg + bg)
        r, u = g[:, :n], g[:, n:]
        c = torch.tanh(torch.cat([x, r * h], 1) @ Wc + bc)
        hn = u * h + (1 - u) * c
        h = torch.where((t < L).unsqueeze(1), hn, h)
    return h @ Wd + bd


def sigmoid_xent(labels, logits):
    # TF's formula: max(x, 0) - x*z + log(1 + exp(-|x|))
    return torch.clamp(logits, min=0) - logits * labels + torch.log1p(torch.exp(-logits.abs()))


def accuracy(params, X, L, y):
    with torch.no_grad():
        pred = (logits_of(params, X, L) > 0).to(y.dtype)
        return (pred == y).to(torch.float64).mean().item(), pred


def run(params, dtype, epochs, steplog=None, verbose=False, lr=0.02, momentum=0.95):
    Xt = torch.tensor(X_train, dtype=dtype)
    Lt = torch.tensor(l_train)
    yt = torch.tensor(y_train, dtype=dtype)
    Xv = torch.tensor(X_val, dtype=dtype)
    Lv = torch.tensor(l_val)
    yv = torch.tensor(y_val, dtype=dtype)
    for p in params:
        p.requires_grad_(True)
    accum = [torch.zeros_like(p) for p in params]
    idx = np.array_split(np.arange(len(X_train)), len(X_train) // 50)
    history = []
    for epoch in range(epochs):
        for b, ii in enumerate(idx):
            ii = torch.tensor(ii)
            # feed the batch padded to the training set's length, as TF does
            loss = sigmoid_xent(yt[ii], logits_of(params, Xt[ii], Lt[ii])).mean()
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for p, a, g in zip(params, accum, grads):
                    a.mul_(momentum).add_(g)
                    p.sub_(lr * g + lr * momentum * a)
            if steplog is not None:
                steplog.write("%d %d %.17g\n" % (epoch, b, loss.item()))
        acc_train, _ = accuracy(params, Xt[ii], Lt[ii], yt[ii])
        acc_val, pred = accuracy(params, Xv, Lv, yv)
        wrong = [s_val[i] for i in np.nonzero((pred != yv).numpy().ravel())[0]]
        history.append(acc_val)
        if verbose:
            print("{:4d}  Train loss: {:.4f}, accuracy: {:.2f}%  Validation accuracy: {:.2f}%  {}".format(
                epoch, loss.item(), 100 * acc_train, 100 * acc_val, wrong[:4]), flush=True)
    return history, wrong


def parse_seeds(s):
    out = []
    for part in s.split(","):
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="0", help="init seeds, e.g. 0-9 or 1,5,7")
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--init", help="initial weights dumped by the Go example")
    ap.add_argument("--steplog", help="write each step's loss here")
    ap.add_argument("--dump-strings", help="write the training and validation strings here and exit")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("-v", action="store_true", help="print the notebook's line per epoch")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.dump_strings:
        json.dump({"examples": examples, "train": s_train, "val": s_val}, open(args.dump_strings, "w"))
        return
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    steplog = open(args.steplog, "w") if args.steplog else None
    if args.init:
        runs = [("init " + args.init, load_params(args.init, dtype))]
    else:
        runs = [("seed %d" % s, init_params(s, dtype)) for s in parse_seeds(args.seeds)]
    for name, params in runs:
        start = time.time()
        hist, wrong = run(params, dtype, args.epochs, steplog, args.v)
        first = next((e for e, a in enumerate(hist) if a == 1.0), None)
        n100 = sum(a == 1.0 for a in hist)
        print("%s: final %.2f%% (%d wrong: %s), best %.2f%%, first 100%% at epoch %s, %d of %d epochs at 100%%, %.0f s" % (
            name, 100 * hist[-1], len(wrong), " ".join(wrong[:5]), 100 * max(hist), first, n100, len(hist),
            time.time() - start), flush=True)


if __name__ == "__main__":
    main()
