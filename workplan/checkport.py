"""Say at once, in Chinese, when `make run` cannot have its port.

Usage: ``python workplan/checkport.py HOST PORT`` (by path, standard library only: it runs
before `make run` has installed the requirements); exits 0 when a listening socket
can be bound there (the same way gunicorn binds, SO_REUSEADDR on), 1 with a message
naming the address otherwise. Checked before setup so a taken port costs a second,
not a migration and gunicorn's five retries; honcho still stops everything if the
port is taken in between.
"""

import errno
import socket
import sys

REASONS = {
    errno.EADDRINUSE: "端口已被占用（另一个 make run 或别的程序？）",
    errno.EACCES: "没有权限使用该端口（1024 以下的端口需要管理员权限）",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def main(host: str, port: int) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
            probe.listen()
    except OSError as exc:
        reason = REASONS.get(exc.errno, exc.strerror)
        print(f"无法在 {host}:{port} 提供服务：{reason}。请换一个端口，例如 make run PORT={port + 1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
