"""What makes weights/: the torch VAE and classifier, the training loop, test metrics, the lesson's
figures and presets, checkpoint writing and the model card. train.py and evaluate.py are its entry
points; the page never imports this package (a test says so).

Importing the package itself imports no torch, so `python train.py --help` answers at once.
"""
