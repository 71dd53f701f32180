"""Chapter 6, backpropagation: the mistakes learners make, part by part."""

from autograder.mistakes import Mistake

_SOFTMAX_CE = ("def softmax_cross_entropy(logits, labels):\n"
               "    n = logits.shape[0]\n"
               "    s = {SCORES}\n"
               "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
               "    loss = float(-np.mean(np.log(p[np.arange(n), labels])))\n"
               "    p[np.arange(n), labels] -= 1\n"
               "    return loss, p{SCALE}\n")
_TWO_LAYER = ("def two_layer_loss(params, X, y):\n"
              "    z1, c1 = dense_forward(X, params['W1'], params['b1'])\n"
              "    a1, cr = relu_forward(z1)\n"
              "    z2, c2 = dense_forward(a1, params['W2'], params['b2'])\n"
              "    loss, dz2 = softmax_cross_entropy(z2, y)\n"
              "    da1, dW2, db2 = dense_backward(dz2, c2)\n"
              "{BACK}"
              "    return loss, {'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}\n")

MISTAKES = {
    "dense_forward": (
        Mistake("the bias was left out",
                "The layer computes x @ w + b, with b added to every row.",
                "def dense_forward(x, w, b):\n"
                "    return x @ w, (x, w)\n"),
    ),
    "dense_backward": (
        Mistake("the bias gradient was averaged instead of summed over the batch",
                "b is added to every row, so db adds up dout over the rows.",
                "def dense_backward(dout, cache):\n"
                "    x, w = cache\n"
                "    return dout @ w.T, x.T @ dout, dout.mean(axis=0)\n"),
        Mistake("the weight gradient was transposed",
                "dw has the shape of w, (D, M): x.T @ dout.",
                "def dense_backward(dout, cache):\n"
                "    x, w = cache\n"
                "    return dout @ w.T, dout.T @ x, dout.sum(axis=0)\n"),
    ),
    "relu_forward": (
        Mistake("the output was cast to float64",
                "np.maximum(x, 0) keeps the dtype of x; a float32 input stays float32.",
                "def relu_forward(x):\n"
                "    return np.maximum(x, 0).astype(np.float64), x\n"),
    ),
    "relu_backward": (
        Mistake("the gradient was passed through at x = 0",
                "The course takes the slope 0 at the kink: dout passes only where x > 0.",
                "def relu_backward(dout, cache):\n"
                "    return dout * (cache >= 0)\n"),
        Mistake("the mask was returned without the upstream gradient",
                "The chain rule multiplies the local slope (the mask) by dout.",
                "def relu_backward(dout, cache):\n"
                "    return (cache > 0).astype(dout.dtype)\n"),
    ),
    "softmax_cross_entropy": (
        Mistake("the row maximum was not subtracted before exp",
                "Subtract each row's maximum from its logits so exp never overflows.",
                _SOFTMAX_CE.replace("{SCORES}", "logits").replace("{SCALE}", " / n")),
        Mistake("the gradient was not divided by the batch size",
                "The loss is the mean over the rows, so the gradient is (P - Y) / N.",
                _SOFTMAX_CE.replace("{SCORES}", "logits - logits.max(axis=1, keepdims=True)")
                .replace("{SCALE}", "")),
    ),
    "two_layer_loss": (
        Mistake("the backward pass skipped the ReLU",
                "Between the two dense layers, pass da1 through relu_backward before the "
                "first layer's backward.",
                _TWO_LAYER.replace("{BACK}", "    _, dW1, db1 = dense_backward(da1, c1)\n")),
        Mistake("the first layer's backward was given the second layer's cache",
                "Each backward call takes the cache its own forward call returned.",
                _TWO_LAYER.replace("{BACK}", "    dz1 = relu_backward(da1, cr)\n"
                                             "    _, dW1, db1 = dense_backward(dz1, c2)\n")),
    ),
    "train_step": (
        Mistake("the step went up the gradient",
                "Gradient descent subtracts: p - lr * dL/dp.",
                "def train_step(params, X, y, lr):\n"
                "    loss, grads = two_layer_loss(params, X, y)\n"
                "    return loss, {k: params[k] + lr * grads[k] for k in params}\n"),
        Mistake("the parameters were updated in place",
                "params must not change: build a new dict of new arrays.",
                "def train_step(params, X, y, lr):\n"
                "    loss, grads = two_layer_loss(params, X, y)\n"
                "    for k in params:\n"
                "        params[k] -= lr * grads[k]\n"
                "    return loss, params\n"),
    ),
    "softplus_backward": (
        Mistake("the slope was taken as sigmoid(-x)",
                "Differentiate log(1 + e^x): the slope tends to 1 as x grows, to 0 as x falls.",
                "def softplus_backward(dout, cache):\n"
                "    return dout * np.exp(-np.logaddexp(0, cache))\n"),
        Mistake("the slope was returned without the upstream gradient",
                "The chain rule multiplies the local slope by dout, entry by entry.",
                "def softplus_backward(dout, cache):\n"
                "    return np.exp(-np.logaddexp(0, -cache))\n"),
        Mistake("the forward value was returned instead of the slope",
                "The backward pass needs d/dx log(1 + e^x), not log(1 + e^x) itself.",
                "def softplus_backward(dout, cache):\n"
                "    return dout * np.logaddexp(0, cache)\n"),
    ),
}
