"""Chapter 6 mutants: one plausible mistake per graded part (two for some).

Each mutant is the code a learner might write in place of ``# YOUR CODE HERE``
in one solution cell (the function body, indented by four spaces). Grading a
notebook with every other cell solved must cost exactly that part's points:
the composition parts are judged with stand-in layers, so a wrong layer does
not spill over into them.
"""

from tests.mutants import Mutant

MUTANTS = {
    "dense_forward_without_bias": Mutant("dense_forward", "    return x @ w, (x, w)\n"),
    "dense_backward_mean_bias": Mutant(
        "dense_backward",
        "    x, w = cache\n    return dout @ w.T, x.T @ dout, dout.mean(axis=0)\n"),
    "dense_backward_transposed_dw": Mutant(
        "dense_backward",
        "    x, w = cache\n    return dout @ w.T, dout.T @ x, dout.sum(axis=0)\n"),
    "relu_forward_upcasts": Mutant(
        "relu_forward", "    return np.maximum(x, 0).astype(np.float64), x\n"),
    "relu_backward_passes_kink": Mutant("relu_backward", "    return dout * (cache >= 0)\n"),
    "relu_backward_mask_only": Mutant(
        "relu_backward", "    return (cache > 0).astype(dout.dtype)\n"),
    "softmax_ce_without_max": Mutant(
        "softmax_cross_entropy",
        "    n = logits.shape[0]\n"
        "    e = np.exp(logits)\n"
        "    p = e / e.sum(axis=1, keepdims=True)\n"
        "    loss = float(-np.mean(np.log(p[np.arange(n), labels])))\n"
        "    p[np.arange(n), labels] -= 1\n"
        "    return loss, p / n\n"),
    "softmax_ce_grad_without_mean": Mutant(
        "softmax_cross_entropy",
        "    n = logits.shape[0]\n"
        "    s = logits - logits.max(axis=1, keepdims=True)\n"
        "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
        "    loss = float(-np.mean(np.log(p[np.arange(n), labels])))\n"
        "    p[np.arange(n), labels] -= 1\n"
        "    return loss, p\n"),
    "two_layer_skips_relu_backward": Mutant(
        "two_layer_loss",
        "    z1, c1 = dense_forward(X, params['W1'], params['b1'])\n"
        "    a1, cr = relu_forward(z1)\n"
        "    z2, c2 = dense_forward(a1, params['W2'], params['b2'])\n"
        "    loss, dz2 = softmax_cross_entropy(z2, y)\n"
        "    da1, dW2, db2 = dense_backward(dz2, c2)\n"
        "    _, dW1, db1 = dense_backward(da1, c1)\n"
        "    return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}\n"),
    "two_layer_wrong_cache": Mutant(
        "two_layer_loss",
        "    z1, c1 = dense_forward(X, params['W1'], params['b1'])\n"
        "    a1, cr = relu_forward(z1)\n"
        "    z2, c2 = dense_forward(a1, params['W2'], params['b2'])\n"
        "    loss, dz2 = softmax_cross_entropy(z2, y)\n"
        "    da1, dW2, db2 = dense_backward(dz2, c2)\n"
        "    dz1 = relu_backward(da1, cr)\n"
        "    _, dW1, db1 = dense_backward(dz1, c2)\n"
        "    return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}\n"),
    "train_step_ascends": Mutant(
        "train_step",
        "    loss, grads = two_layer_loss(params, X, y)\n"
        "    return loss, {k: params[k] + lr * grads[k] for k in params}\n"),
    "train_step_in_place": Mutant(
        "train_step",
        "    loss, grads = two_layer_loss(params, X, y)\n"
        "    for k in params:\n"
        "        params[k] -= lr * grads[k]\n"
        "    return loss, params\n"),
}
