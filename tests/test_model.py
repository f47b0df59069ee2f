"""The VAE and its loss behave as the maths says."""

import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from training.model import VAE, VAEConfig, vae_loss


def test_shapes(tiny_vae):
    x = torch.rand(5, 784)
    logits, mu, logvar = tiny_vae(x)
    assert logits.shape == (5, 784)
    assert mu.shape == logvar.shape == (5, 3)
    assert tiny_vae.decode(mu).shape == (5, 784)
    assert tiny_vae.decode(mu).min() >= 0 and tiny_vae.decode(mu).max() <= 1


def test_default_config_is_the_classic_network():
    model = VAE()
    assert model.fc1.weight.shape == (400, 784)
    assert model.fc_mu.weight.shape == (20, 400)
    assert model.fc4.weight.shape == (784, 400)


def test_loss_is_reconstruction_plus_beta_kl():
    torch.manual_seed(1)
    x = torch.rand(7, 784)
    logits, mu, logvar = torch.randn(7, 784) * 3, torch.randn(7, 4), torch.randn(7, 4)
    parts = vae_loss(logits, x, mu, logvar, beta=2.5)

    probabilities = torch.sigmoid(logits.double())
    reconstruction = -(x * probabilities.log() + (1 - x) * (1 - probabilities).log()).sum()
    posterior = Normal(mu, torch.exp(0.5 * logvar))
    prior = Normal(torch.zeros_like(mu), torch.ones_like(mu))
    kl = kl_divergence(posterior, prior).sum()

    assert torch.allclose(parts.reconstruction.double(), reconstruction, rtol=1e-4)
    assert torch.allclose(parts.kl, kl, rtol=1e-5)
    assert torch.allclose(parts.loss, parts.reconstruction + 2.5 * parts.kl)
    assert torch.allclose(parts.elbo_loss, parts.reconstruction + parts.kl)


def test_loss_from_logits_is_finite_where_sigmoid_saturates():
    x = torch.tensor([[0.0, 1.0]])
    logits = torch.tensor([[200.0, -200.0]])  # sigmoid rounds to 1 and 0 in float32
    parts = vae_loss(logits, x, torch.zeros(1, 2), torch.zeros(1, 2), beta=1.0)
    assert torch.isfinite(parts.loss)
    assert torch.allclose(parts.reconstruction, torch.tensor(400.0))
    assert F.binary_cross_entropy(torch.sigmoid(logits), x, reduction="sum") <= 200.0  # the clamped, wrong figure


def test_gradients_flow_through_reparameterization(tiny_vae):
    mu = torch.zeros(4, 3, requires_grad=True)
    logvar = torch.zeros(4, 3, requires_grad=True)
    z = tiny_vae.reparameterize(mu, logvar)
    (z**2).sum().backward()
    assert mu.grad is not None and mu.grad.abs().sum() > 0
    assert logvar.grad is not None and logvar.grad.abs().sum() > 0


def test_reparameterization_samples_the_posterior(tiny_vae):
    torch.manual_seed(0)
    mu, logvar = torch.full((20000, 1), 2.0), torch.full((20000, 1), 2 * torch.log(torch.tensor(0.5)))
    z = tiny_vae.reparameterize(mu, logvar)
    assert abs(z.mean() - 2.0) < 0.02 and abs(z.std() - 0.5) < 0.02


def test_one_optimiser_step_lowers_the_loss():
    torch.manual_seed(0)
    model = VAE(VAEConfig(hidden_size=32, latent_size=4))
    x = (torch.rand(64, 784) > 0.7).float()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)

    def loss_at_fixed_noise():
        torch.manual_seed(123)
        logits, mu, logvar = model(x)
        return vae_loss(logits, x, mu, logvar, beta=1.0).loss / len(x)

    before = loss_at_fixed_noise()
    optimizer.zero_grad()
    before.backward()
    optimizer.step()
    assert loss_at_fixed_noise().item() < before.item() - 1.0


def test_torch_free_shape_table_matches_the_module():
    from vae.config import parameter_shapes

    for config in (VAEConfig(), VAEConfig(hidden_size=7, latent_size=2, input_size=30)):
        module_shapes = {name: tuple(t.shape) for name, t in VAE(config).state_dict().items()}
        assert parameter_shapes(config) == module_shapes
