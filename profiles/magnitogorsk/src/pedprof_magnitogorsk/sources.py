"""Association statuses other distributions read (the Chelyabinsk regional layer).

The tables themselves are declared in ``profile.yaml``; these constants name the statuses its
m01 and m02 populations count (a test keeps them equal), for code that reads the
Magnitogorsk tables directly.
"""

from __future__ import annotations

__all__ = ["FUNCTIONING", "RC_FUNCTIONING"]

#: Statuses of a functioning association (ГПО): «действует», «открыто», «преобразовано».
FUNCTIONING = ("functioning", "opened", "transformed")
#: Statuses of a functioning resource centre: «действует», «открыт».
RC_FUNCTIONING = ("functioning", "opened")
