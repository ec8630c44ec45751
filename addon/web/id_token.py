"""The Web SDK's id token (`miro.board.getIdToken()`): a JWT Miro signs with the app's client secret (HS256).

We accept it only with a valid signature, an expiry in the future, the app's client id as audience, and the
`user` and `team` claims (the Miro user and team the panel runs for); see the reference's Web SDK section.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

LEEWAY_SECONDS = 30  # clocks of Miro and this host may differ a little
ALGORITHMS = ["HS256"]


class IdTokenRefused(Exception):
    """The id token is missing, forged, expired, or for another app; the message says which."""


@dataclass(frozen=True)
class PanelIdentity:
    """Who the panel runs for, as the id token says."""

    miro_user_id: str
    team_id: str


def _key(client_secret: str) -> OctKey:
    return OctKey.import_key(client_secret.encode())


def verify(token: str, client_id: str, client_secret: str, now: float | None = None) -> PanelIdentity:
    """Check an id token and return the user and team it names."""
    try:
        decoded = jwt.decode(token, _key(client_secret), algorithms=ALGORITHMS)
    except (JoseError, ValueError) as error:
        raise IdTokenRefused(f"The id token's signature or format is not valid ({type(error).__name__}).") from None
    registry = jwt.JWTClaimsRegistry(
        now=int(now if now is not None else time.time()),
        leeway=LEEWAY_SECONDS,
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        user={"essential": True},
        team={"essential": True},
    )
    try:
        registry.validate(decoded.claims)
    except JoseError as error:
        raise IdTokenRefused(f"The id token was refused: {error.description or type(error).__name__}.") from None
    return PanelIdentity(str(decoded.claims["user"]), str(decoded.claims["team"]))


def mint(
    client_id: str, client_secret: str, miro_user_id: str, team_id: str, ttl: int = 300, now: float | None = None
) -> str:
    """Sign an id token as Miro does (the emulator's board page uses it for the panel it hosts)."""
    issued = int(now if now is not None else time.time())
    claims = {
        "iss": "miro",
        "aud": client_id,
        "user": miro_user_id,
        "team": team_id,
        "iat": issued,
        "exp": issued + ttl,
    }
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, _key(client_secret))
