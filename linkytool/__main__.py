"""Allow ``python -m linkytool``."""

from linkytool.cli import main

if __name__ == "__main__":
    main()
