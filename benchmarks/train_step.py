"""Float32 training step of an MLP 784-256-256-10: library vs bare BLAS vs PyTorch.

Four contenders, timed interleaved in the same process on the same data:

products    the bare NumPy matrix products one step needs (forward: 3; backward: 3 weight
            gradients and 2 input gradients; the input layer's dx is not needed): the limit
            for any NumPy library.
layers      the layer pairs of ``solutions`` called one by one (dense, ReLU, softmax
            cross-entropy) with a plain in-place SGD update.
train_step  ``solutions.network.MLP.train_step`` with ``solutions.optim.SGD``.
torch       PyTorch's eager CPU step (nn.Sequential, cross_entropy, optim.SGD), when installed.

Run with ``make bench`` (OpenBLAS unthrottled) or ``python -m benchmarks``.
"""

import time

import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.layers import dense_backward, dense_forward
from solutions.losses import softmax_cross_entropy, softmax_cross_entropy_grad
from solutions.network import MLP
from solutions.optim import SGD

SIZES = (784, 256, 256, 10)
BATCHES = (32, 128, 512)
THREADS = 2
LR = 0.01


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
    loss = softmax_cross_entropy(logits, y)
    dlogits = softmax_cross_entropy_grad(logits, y)
    dlogits *= lr  # backprop is linear in dout: every gradient below comes out times lr
    dh2, dW3, db3 = dense_backward(dlogits, c3)
    dh1, dW2, db2 = dense_backward(relu_backward(dh2, r2), c2)
    _, dW1, db1 = dense_backward(relu_backward(dh1, r1), c1)  # its dx is computed, unused
    for name, step in (("W1", dW1), ("b1", db1), ("W2", dW2), ("b2", db2), ("W3", dW3),
                       ("b3", db3)):
        p[name] -= step  # in place: one pass, no temporary
    return loss


def make_torch(X, y, net):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(THREADS)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[1], SIZES[2]), torch.nn.ReLU(),
        torch.nn.Linear(SIZES[2], SIZES[3]),
    )
    with torch.no_grad():  # same weights as ours (torch stores W transposed)
        for k, layer in enumerate(model[::2], start=1):
            layer.weight.copy_(torch.from_numpy(net.params[f"W{k}"].T.copy()))
            layer.bias.copy_(torch.from_numpy(net.params[f"b{k}"]))
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
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            if r >= warmup:
                samples[name].append((time.perf_counter() - start) / inner)
    return {name: min(s) for name, s in samples.items()}


def measure(batch, rng, rounds=30):
    X, y = make_batch(batch, rng)
    net = MLP(SIZES, rng=rng)  # float32, ReLU, He init
    layer_params = {k: v.copy() for k, v in net.params.items()}
    optimizer = SGD(lr=LR)
    contenders = {
        "products": make_products(X, net, rng),
        "layers": lambda: layers_step(X, y, layer_params),
        "train_step": lambda: net.train_step(X, y, optimizer),
    }
    torch_step = make_torch(X, y, net)
    if torch_step is not None:
        contenders["torch"] = torch_step
    inner = max(2, 2048 // batch)
    return time_interleaved(contenders, rounds=rounds, inner=inner)


def environment():
    """One line each: NumPy and its BLAS, threads, torch."""
    lines = [f"numpy {np.__version__}"]
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
    print("Training step, MLP 784-256-256-10, float32, SGD; best of 30 interleaved rounds")
    print("\n".join(environment()))
    header = (f"{'batch':>5} {'products':>9} {'layers':>8} {'limit/':>7} {'train_step':>10} "
              f"{'limit/':>7} {'torch':>7} {'layers/':>8} {'step/':>7}")
    print(header)
    print(f"{'':>5} {'ms':>9} {'ms':>8} {'layers':>7} {'ms':>10} {'step':>7} {'ms':>7} "
          f"{'torch':>8} {'torch':>7}")
    for batch in BATCHES:
        t = {k: v * 1e3 for k, v in measure(batch, rng).items()}
        row = (f"{batch:>5} {t['products']:>9.3f} {t['layers']:>8.3f} "
               f"{t['products'] / t['layers']:>7.2f} {t['train_step']:>10.3f} "
               f"{t['products'] / t['train_step']:>7.2f}")
        if "torch" in t:
            row += (f" {t['torch']:>7.3f} {t['layers'] / t['torch']:>8.2f} "
                    f"{t['train_step'] / t['torch']:>7.2f}")
        else:
            row += f" {'-':>7} {'-':>8} {'-':>7}"
        print(row)
    if limiter is not None:
        limiter.unregister()


if __name__ == "__main__":
    main()
