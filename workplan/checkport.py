"""Say at once, in Chinese, when `make run` cannot have its port.

Usage: ``python -m workplan.checkport HOST PORT``; exits 0 when a listening socket
can be bound there (the same way gunicorn binds, SO_REUSEADDR on), 1 with a message
naming the address otherwise. Checked before setup so a taken port costs a second,
not a migration and gunicorn's five retries; honcho still stops everything if the
port is taken in between.
"""

import socket
import sys


def main(host: str, port: int) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
            probe.listen()
    except OSError as exc:
        hint = f"请换一个端口，例如 make run PORT={port + 1}"
        print(f"无法在 {host}:{port} 提供服务：{exc.strerror}。{hint}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
