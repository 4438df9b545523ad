"""``python -m secassure.adt run ...`` (same as ``secassure adt run ...``)."""

from secassure.adt.cli import main

if __name__ == "__main__":
    main()
