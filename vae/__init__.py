"""Latent Explorer's model package: the VAE, its data, checkpoints, latent maps and paths.

Nothing here imports streamlit; the page in app.py is a thin layer over these functions.
"""
