"""What the page runs: the VAE family and the digit classifier in numpy (no torch), read from verified
checkpoints, with their latent atlases, paths, geodesics and the lesson's sampling. Nothing here imports
Streamlit or torch; training/ makes the files this package reads.
"""
