"""Container healthcheck: `python -m cbkit.healthcheck <service>` exits 0 when ready."""

from __future__ import annotations

import sys
import urllib.request

from cbkit.settings import load_settings


def main(service: str) -> int:
    port = load_settings(service).port
    path = "healthz" if service == "gateway" else "readyz"
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
