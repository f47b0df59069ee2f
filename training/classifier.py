"""A small CNN that reads digits, used to annotate morph paths ("where does the 3 become an 8?").

Two 3x3 conv blocks (32, 64 channels, ReLU, 2x2 max-pool), then 128 hidden units
and 10 logits. Trained by train.py on MNIST (>= 99% test accuracy) and shipped
as weights/classifier.safetensors, checkpointed like the VAEs.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from vae.config import ClassifierConfig


class DigitClassifier(nn.Module):
    def __init__(self, config: ClassifierConfig = ClassifierConfig()):
        super().__init__()
        self.config = config
        c1, c2 = config.channels
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc1 = nn.Linear(c2 * 7 * 7, config.hidden_size)
        self.fc2 = nn.Linear(config.hidden_size, 10)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (B, 10) for images (B, 784) or (B, 28, 28) in [0, 1]."""
        x = x.reshape(-1, 1, 28, 28)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)  # (B, c1, 14, 14)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # (B, c2, 7, 7)
        x = self.dropout(F.relu(self.fc1(x.flatten(1))))
        return self.fc2(x)


@torch.no_grad()
def accuracy(model, images, labels, batch_size: int = 2000) -> float:
    model.eval()
    correct = sum(
        (model(images[i : i + batch_size]).argmax(1) == labels[i : i + batch_size]).sum().item()
        for i in range(0, len(images), batch_size)
    )
    return correct / len(images)


@torch.no_grad()
def class_probabilities(model, images) -> np.ndarray:
    """(B, 10) softmax probabilities for images (B, 28, 28) or (B, 784) in [0, 1] (numpy in, numpy out)."""
    model.eval()
    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
    return F.softmax(model(x), dim=1).numpy()
