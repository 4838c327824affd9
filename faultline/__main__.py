"""Allow `python -m faultline`."""

from faultline.cli import main

main()
