"""Chapter 7: honest answers in other styles than the reference."""

HONEST = {
    "batchnorm_forward": ['''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.9,
                      eps=1e-5):
    if training:
        N = len(x)
        mu = x.sum(axis=0) / N
        centered = x - mu
        sigma2 = (centered ** 2).sum(axis=0) / N
        run_mean = momentum * running_mean + (1 - momentum) * mu
        run_var = momentum * running_var + (1 - momentum) * sigma2 * N / (N - 1)
    else:
        mu, sigma2 = running_mean, running_var
        run_mean, run_var = running_mean.copy(), running_var.copy()
        centered = x - mu
    x_hat = centered / np.sqrt(sigma2 + eps)
    return gamma * x_hat + beta, (x, gamma, mu, sigma2, eps, training), run_mean, run_var
''', '''
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.9,
                      eps=1e-5):
    mean = np.mean(x, axis=0) if training else running_mean
    var = np.var(x, axis=0) if training else running_var
    inv_std = 1.0 / np.sqrt(var + eps)
    y = (x - mean) * inv_std * gamma + beta
    if training:
        m = x.shape[0]
        unbiased = var * m / (m - 1)
        new_mean = running_mean + (1 - momentum) * (mean - running_mean)
        new_var = running_var + (1 - momentum) * (unbiased - running_var)
    else:
        new_mean, new_var = running_mean, running_var
    return y, (x, gamma, mean, var, eps, training), new_mean, new_var
'''],
}
