"""Float32 training step of an MLP 784-256-256-10: library vs bare BLAS vs PyTorch.

Five contenders on the same data and weights. The four NumPy ones take turns round by
round; PyTorch runs in a fresh process between two halves of those rounds (its worker
threads and OpenBLAS's spin-wait and would slow each other down in one process). Each
time is the best round: on a shared machine other processes only ever add time.

products    the bare NumPy matrix products one step needs (forward: 3; backward: 3 weight
            gradients and 2 input gradients; the input layer's dx is not needed): the limit
            for any NumPy library.
fused       the same step hand-fused in plain NumPy, no checks or caches: how close to the
            limit a NumPy step can get at all.
layers      the layer pairs of ``solutions`` called one by one (dense, ReLU, softmax
            cross-entropy) with a plain in-place SGD update.
train_step  ``solutions.network.MLP.train_step`` with ``solutions.optim.SGD``.
torch       PyTorch's eager CPU step (nn.Sequential, cross_entropy, optim.SGD), when installed.

Run with ``make bench`` (OpenBLAS unthrottled) or ``python -m benchmarks``.
"""

import os
import subprocess
import sys
import time

import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.layers import dense_backward, dense_forward
from solutions.losses import softmax_cross_entropy_backward, softmax_cross_entropy_forward
from solutions.network import MLP
from solutions.optim import SGD

SIZES = (784, 256, 256, 10)
BATCHES = (32, 128, 512)
#: BLAS and PyTorch threads; BENCH_THREADS=1 on a loaded machine, where a descheduled
#: second thread stalls every product at its barrier.
THREADS = int(os.environ.get("BENCH_THREADS", "2"))

#: The clock: wall time by default; BENCH_CLOCK=cpu times the process's CPU time instead,
#: which leaves out the time spent waiting for a core on a machine shared with others
#: (meaningful with one thread only, so it sets BENCH_THREADS to 1).
CLOCK = time.process_time if os.environ.get("BENCH_CLOCK") == "cpu" else time.perf_counter
if CLOCK is time.process_time:
    THREADS = 1
LR = 0.01
ROUNDS = 50
#: Passes over all batch sizes; each figure is the best of all of them. A shared machine has
#: slow spells of several seconds that can cover one batch size's whole measurement on one
#: side: a second pass, half a minute later, rarely meets the same spell.
PASSES = 2


def make_batch(batch, rng):
    X = rng.standard_normal((batch, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], batch)
    return X, y


def products_step(X, W, dZ, H):
    """Exactly the products of one step, on operands of the right shapes (no elementwise work)."""
    # forward
    X @ W[0]
    H[0] @ W[1]
    H[1] @ W[2]
    # backward: weight gradients of every layer, input gradients of layers 3 and 2
    H[1].T @ dZ[2]
    dZ[2] @ W[2].T
    H[0].T @ dZ[1]
    dZ[1] @ W[1].T
    X.T @ dZ[0]


def make_products(X, net, rng):
    W = [net.params[f"W{i}"] for i in (1, 2, 3)]
    n = X.shape[0]
    H = [rng.standard_normal((n, m)).astype(np.float32) for m in SIZES[1:3]]
    dZ = [rng.standard_normal((n, m)).astype(np.float32) for m in SIZES[1:]]
    return lambda: products_step(X, W, dZ, H)


def layers_step(X, y, p, lr=LR):
    """One SGD step written with the layer pairs, as a learner would compose them."""
    z1, c1 = dense_forward(X, p["W1"], p["b1"])
    h1, r1 = relu_forward(z1)
    z2, c2 = dense_forward(h1, p["W2"], p["b2"])
    h2, r2 = relu_forward(z2)
    logits, c3 = dense_forward(h2, p["W3"], p["b3"])
    loss, cache = softmax_cross_entropy_forward(logits, y)
    # Backprop is linear in its upstream gradient: with dloss = lr, every gradient
    # below comes out already multiplied by the learning rate.
    dlogits = softmax_cross_entropy_backward(lr, cache)
    dh2, dW3, db3 = dense_backward(dlogits, c3)
    dh1, dW2, db2 = dense_backward(relu_backward(dh2, r2), c2)
    _, dW1, db1 = dense_backward(relu_backward(dh1, r1), c1, need_dx=False)
    for name, step in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2), ("W3", dW3),
                       ("b3", db3)):
        p[name] -= step  # in place: one pass, no temporary
    return loss


def fused_step(X, y, p, lr=LR):
    """The same step hand-fused in plain NumPy: no checks, no caches, in-place elementwise work.

    Not library code: a reference for how close to the products any NumPy step can get,
    since NumPy's elementwise passes run on one thread and cannot be fused into the products.
    """
    rows = np.arange(y.size)
    h1 = X @ p["W1"]
    h1 += p["b1"]
    np.maximum(h1, 0, out=h1)
    h2 = h1 @ p["W2"]
    h2 += p["b2"]
    np.maximum(h2, 0, out=h2)
    z = h2 @ p["W3"]
    z += p["b3"]
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    totals = e.sum(axis=1)
    loss = float(np.mean(np.log(totals) - z[rows, y]))
    e /= totals[:, None]
    e[rows, y] -= 1.0
    e *= lr / y.size
    grads = {"W3": h2.T @ e, "b3": e.sum(axis=0)}
    d2 = e @ p["W3"].T
    d2 *= h2 > 0
    grads.update(W2=h1.T @ d2, b2=d2.sum(axis=0))
    d1 = d2 @ p["W2"].T
    d1 *= h1 > 0
    grads.update(W1=X.T @ d1, b1=d1.sum(axis=0))
    for name, step in grads.items():
        p[name] -= step
    return loss


def make_torch(X, y, net):
    """PyTorch's training step on ``(X, y)`` from ``net``'s weights; None without torch."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(THREADS)
    return torch_step(torch_model(net), X, y)


def torch_model(net):
    """``nn.Sequential`` of Linear and ReLU with the weights of ``net`` (an MLP of SIZES)."""
    import torch

    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[2], SIZES[3]),
    )
    with torch.no_grad():  # same weights as ours (torch stores W transposed)
        for k, layer in enumerate(model[::2], start=1):
            layer.weight.copy_(torch.from_numpy(net.params[f"W{k}"].T.copy()))
            layer.bias.copy_(torch.from_numpy(net.params[f"b{k}"]))
    return model


def torch_step(model, X, y):
    """PyTorch's eager SGD step on ``model``: cross-entropy, backward, ``optim.SGD``."""
    import torch

    opt = torch.optim.SGD(model.parameters(), lr=LR)
    tX, ty = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(tX), ty)
        loss.backward()
        opt.step()
        return loss

    return step


def time_interleaved(contenders, *, rounds, inner, warmup=3):
    """Seconds per call of each contender: best of ``rounds``, the contenders taking turns.

    The minimum, not the median: on a shared machine other processes only ever add time.
    """
    samples = {name: [] for name in contenders}
    for r in range(warmup + rounds):
        for name, fn in contenders.items():
            start = CLOCK()
            for _ in range(inner):
                fn()
            if r >= warmup:
                samples[name].append((CLOCK() - start) / inner)
    return {name: min(s) for name, s in samples.items()}


def numpy_contenders(batch, seed):
    """The three NumPy contenders on one batch, each with its own copy of the same weights."""
    rng = np.random.default_rng(seed)
    X, y = make_batch(batch, rng)
    net = MLP(SIZES, rng=rng)  # float32, ReLU, He init
    layer_params = {k: v.copy() for k, v in net.params.items()}
    fused_params = {k: v.copy() for k, v in net.params.items()}
    optimizer = SGD(lr=LR)
    return {
        "products": make_products(X, net, rng),
        "fused": lambda: fused_step(X, y, fused_params),
        "layers": lambda: layers_step(X, y, layer_params),
        "train_step": lambda: net.train_step(X, y, optimizer),
    }


class TorchWorker:
    """PyTorch's contenders in a child process that stays up: one round per request.

    A separate process, because PyTorch's OpenMP threads and OpenBLAS's threads
    spin-wait after each call: in one process on two cores they steal each other's
    cycles and both look slower than they are. A persistent one, so that PyTorch's
    rounds can alternate with the NumPy rounds often (a slow spell of a shared machine
    then hits both sides) without importing torch each time.

    The child answers ``setup BATCH SEED`` (True when torch is installed) and ``round
    NAME INNER`` (seconds per call of ``step``, PyTorch's training step, or
    ``products``, the same matrix products in PyTorch) on its standard output.
    """

    def __init__(self):
        code = "from benchmarks.train_step import _torch_worker; _torch_worker()"
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def ask(self, *words):
        self.process.stdin.write(" ".join(map(str, words)) + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def setup(self, batch, seed):
        """Build the model and batch; False when torch is not installed."""
        return self.ask("setup", batch, seed) == "True"

    def round(self, name, inner):
        """Seconds per call of ``name`` ("step" or "products"), over ``inner`` calls."""
        return float(self.ask("round", name, inner))

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def _torch_worker():
    """Child process of :class:`TorchWorker`: serve its requests until stdin closes."""
    contenders = {}
    for line in sys.stdin:
        command, *args = line.split()
        if command == "setup":
            batch, seed = map(int, args)
            rng = np.random.default_rng(seed)
            X, y = make_batch(batch, rng)
            net = MLP(SIZES, rng=rng)
            step = make_torch(X, y, net)
            contenders = {} if step is None else {"step": step,
                                                  "products": make_torch_products(X, net, rng)}
            print(step is not None, flush=True)
        else:
            name, inner = args[0], int(args[1])
            fn = contenders[name]
            start = CLOCK()
            for _ in range(inner):
                fn()
            print((CLOCK() - start) / inner, flush=True)


def make_torch_products(X, net, rng):
    """PyTorch's matrix products of one step (its own BLAS), as :func:`make_products`."""
    import torch

    tensors = [torch.from_numpy(a) for a in (X, *(net.params[f"W{i}"] for i in (1, 2, 3)))]
    n = X.shape[0]
    H = [torch.from_numpy(rng.standard_normal((n, m)).astype(np.float32)) for m in SIZES[1:3]]
    dZ = [torch.from_numpy(rng.standard_normal((n, m)).astype(np.float32)) for m in SIZES[1:]]
    return lambda: products_step(tensors[0], tensors[1:], dZ, H)


def measure(batch, worker, seed=0, blocks=5):
    """Best time of each contender; NumPy and PyTorch rounds alternate in ``blocks`` blocks.

    A block is ROUNDS / blocks rounds of the NumPy contenders, taking turns, then as many
    rounds of PyTorch's step and products in the worker, with a pause at each switch for
    the other side's spinning threads to go to sleep. Each block builds the NumPy
    contenders' arrays afresh: where an array lands in memory (its alignment against the
    caches) can slow one contender for a whole block, and a fresh start evens that out.
    """
    has_torch = worker.setup(batch, seed)
    inner = max(1, 512 // batch)
    rounds = ROUNDS // blocks
    best = {}
    for block in range(blocks):
        times = time_interleaved(numpy_contenders(batch, seed), rounds=rounds, inner=inner,
                                 warmup=3 if block == 0 else 1)
        if has_torch:
            time.sleep(0.3)
            for r in range(rounds + (3 if block == 0 else 1)):
                for name in ("step", "products"):
                    seconds = worker.round(name, inner)
                    if r >= (3 if block == 0 else 1):
                        key = "torch" if name == "step" else "torch products"
                        times[key] = min(seconds, times.get(key, seconds))
            time.sleep(0.3)
        best = {name: min(t, best.get(name, t)) for name, t in times.items()}
    return best


def breakdown(batch, rng):
    """Where the step's time goes beyond the products: the extra pieces, timed alone."""
    X, y = make_batch(batch, rng)
    net = MLP(SIZES, rng=rng)
    p = net.params
    logits, _ = net.forward(X, training=True)
    z1, _ = dense_forward(X, p["W1"], p["b1"])
    d1 = rng.standard_normal(z1.shape).astype(np.float32)
    zeros = {k: np.zeros_like(v) for k, v in p.items()}  # updates that leave the net as it is
    optimizer = SGD(lr=LR)
    pieces = {
        "products (the limit)": make_products(X, net, rng),
        "loss + its gradient (C=10)": lambda: softmax_cross_entropy_backward(
            1.0, softmax_cross_entropy_forward(logits, y)[1]),
        "2 x ReLU forward + backward": lambda: [relu_backward(d1, relu_forward(z1)[1])
                                                for _ in range(2)],
        "3 bias adds + 3 bias-gradient sums": lambda: [(np.add(z1, p["b1"], out=z1),
                                                        np.sum(d1, axis=0)) for _ in range(3)],
        "optimizer SGD.update, all params": lambda: optimizer.update(p, zeros),
        "plain p -= g, all params": lambda: [np.subtract(p[k], zeros[k], out=p[k]) for k in p],
        "input layer's dx (both steps skip it)": lambda: d1 @ p["W1"].T,
        "network forward + backward": lambda: net.loss_and_grads(X, y),
    }
    return time_interleaved(pieces, rounds=20, inner=max(2, 1024 // batch))


def dispatch_share(batch, seed=0):
    """Array API dispatch in one network step: calls, microseconds each, share of the step.

    Counts the calls of ``solutions.backend.get_xp`` in one ``train_step`` (with a
    profiler) and charges each the full price of ``array_api_compat.array_namespace``
    on the step's arguments (NumPy input takes a faster path, so this is an upper
    bound), against the time of the step measured alongside.
    """
    import cProfile
    import pstats

    import array_api_compat

    rng = np.random.default_rng(seed)
    X, y = make_batch(batch, rng)
    net, optimizer = MLP(SIZES, rng=rng), SGD(lr=LR)
    net.train_step(X, y, optimizer)  # the optimizer's first step validates; count the next
    profiler = cProfile.Profile()
    profiler.runcall(net.train_step, X, y, optimizer)
    calls = sum(stat[1] for (path, _, name), stat in pstats.Stats(profiler).stats.items()
                if name == "get_xp" and path.endswith("backend.py"))
    namespace = array_api_compat.array_namespace
    times = time_interleaved({"step": lambda: net.train_step(X, y, optimizer),
                              "dispatch": lambda: [namespace(X, y) for _ in range(100)]},
                             rounds=20, inner=max(1, 512 // batch))
    per_call = times["dispatch"] / 100
    return calls, per_call, calls * per_call / times["step"]


def _torch_columns(t):
    """The PyTorch step and products columns of the table (dashes without torch)."""
    if "torch" not in t:
        return f"{'-':>7} {'-':>9}"
    return f"{t['torch']:>7.3f} {t['torch products']:>9.3f}"


def _torch_ratios(t):
    """step/torch and the ratio of the time each library spends beyond its products."""
    if "torch" not in t:
        return f"{'-':>6} {'-':>8}"
    beyond = (t["train_step"] - t["products"]) / (t["torch"] - t["torch products"])
    return f"{t['train_step'] / t['torch']:>6.2f} {beyond:>8.2f}"


def environment():
    """One line each: NumPy and its BLAS, threads, torch."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"{os.cpu_count()} CPUs, load average {load} (1, 5, 15 min)",
             f"numpy {np.__version__}"]
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                lines.append(f"BLAS {pool['internal_api']} {pool['version']} "
                             f"({pool.get('architecture')}), {pool['num_threads']} threads")
    except ImportError:
        lines.append("BLAS: see numpy.show_config()")
    try:
        import torch

        lines.append(f"torch {torch.__version__}, {THREADS} threads")
    except ImportError:
        lines.append("torch not installed: the torch columns are skipped "
                     "(pip install torch==2.13.0 for the comparison)")
    return lines


def main():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    rng = np.random.default_rng(0)
    limiter = threadpool_limits(THREADS, user_api="blas") if threadpool_limits else None
    clock = "CPU time" if CLOCK is time.process_time else "wall time"
    print(f"Training step, MLP 784-256-256-10, float32, SGD; best of {PASSES} x {ROUNDS} rounds, "
          f"{clock}")
    print("\n".join(environment()))
    print(f"{'batch':>5} {'products':>9} {'fused':>7} {'layers':>7} {'train_step':>10} "
          f"{'torch':>7} {'torch':>9} {'fused/':>7} {'step/':>6} {'beyond':>8}")
    print(f"{'':>5} {'ms':>9} {'ms':>7} {'ms':>7} {'ms':>10} {'ms':>7} {'products':>9} "
          f"{'layers':>7} {'torch':>6} {'products':>8}")
    worker = TorchWorker()
    try:
        best = {batch: {} for batch in BATCHES}
        for _ in range(PASSES):
            for batch in BATCHES:
                times = measure(batch, worker)
                best[batch] = {k: min(v, best[batch].get(k, v)) for k, v in times.items()}
        for batch in BATCHES:
            t = {k: v * 1e3 for k, v in best[batch].items()}
            print(f"{batch:>5} {t['products']:>9.3f} {t['fused']:>7.3f} {t['layers']:>7.3f} "
                  f"{t['train_step']:>10.3f} " + _torch_columns(t)
                  + f" {t['fused'] / t['layers']:>7.2f} " + _torch_ratios(t))
    finally:
        worker.close()
    print("torch products: PyTorch's own matrix products of a step (its BLAS); beyond "
          "products: (train_step - products) / (torch - torch products), the time each "
          "library adds to its BLAS")
    print("\nWhere the time goes at batch 128 (each piece alone, best of 20 rounds):")
    for name, seconds in breakdown(128, rng).items():
        print(f"  {name:<38} {seconds * 1e3:7.3f} ms")
    print("\nArray API dispatch per train_step (get_xp calls at array_namespace's price):")
    for batch in BATCHES:
        calls, per_call, share = dispatch_share(batch)
        print(f"  batch {batch:>3}: {calls} call(s) x {per_call * 1e6:.1f} us = "
              f"{share * 100:.2f}% of the step")
    if limiter is not None:
        limiter.unregister()


if __name__ == "__main__":
    main()
