"""Loopback helpers without heavy imports (used by the launcher and the scheduler)."""

from __future__ import annotations


def listening_addresses() -> set[str]:
    """IPv4 addresses with a TCP listener on this machine (from /proc/net/tcp)."""
    out: set[str] = set()
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                parts = line.split()
                if len(parts) > 3 and parts[3] == "0A":
                    hexaddr = parts[1].split(":")[0]
                    b = bytes.fromhex(hexaddr)
                    out.add(".".join(str(x) for x in reversed(b)))
    except (OSError, ValueError, StopIteration):
        pass
    return out
