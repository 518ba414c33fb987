"""The catalogue of a one-stop hall (一窗通办): its files, a generator and the search."""
