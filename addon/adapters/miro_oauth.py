"""Miro's OAuth 2.0 endpoints through authlib: the authorize URL (state, PKCE S256), code exchange, refresh, revoke.

https://developers.miro.com/docs/getting-started-with-oauth; the token endpoint is `{MIRO_API_URL}/v1/oauth/token`
and answers with `user_id` and `team_id` beside the tokens.
"""

from __future__ import annotations

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error

from addon.adapters.token_store import GrantRefused
from addon.domain.errors import OkrError

TIMEOUT = (3.05, 20)


class OAuthNotConfigured(OkrError):
    """The Miro app's credentials are not configured."""


class OAuthFailed(OkrError):
    """Miro's token endpoint could not be reached or refused the exchange."""


class MiroOAuth:
    """The registered Miro app: client id and secret, redirect URI, authorize and token endpoints."""

    def __init__(self, settings, *, redirect_uri: str | None = None):
        redirect_uri = redirect_uri or settings.miro_redirect_uri
        missing = [
            name
            for name, value in (
                ("MIRO_CLIENT_ID", settings.miro_client_id),
                ("MIRO_CLIENT_SECRET", settings.miro_client_secret),
                ("MIRO_REDIRECT_URI", redirect_uri),
            )
            if not value
        ]
        if missing:
            raise OAuthNotConfigured(f"Sign-in with Miro is not configured: set {', '.join(missing)}.")
        self.client_id, self.client_secret = settings.miro_client_id, settings.miro_client_secret
        self.redirect_uri = redirect_uri
        self.authorize_url = settings.miro_auth_url
        self.api_url = settings.miro_api_url.rstrip("/")
        self.token_url = self.api_url + "/v1/oauth/token"

    def _session(self) -> OAuth2Session:
        oauth = OAuth2Session(
            self.client_id,
            self.client_secret,
            redirect_uri=self.redirect_uri,
            token_endpoint_auth_method="client_secret_post",
            code_challenge_method="S256",
        )
        return oauth

    def authorization_url(self, state: str, verifier: str) -> str:
        """The authorize page URL with the one-time state and the PKCE S256 challenge of `verifier`."""
        url, _ = self._session().create_authorization_url(self.authorize_url, state=state, code_verifier=verifier)
        return url

    def _token(self, **params) -> dict:
        try:
            with self._session() as oauth:
                token = oauth.fetch_token(self.token_url, timeout=TIMEOUT, **params)
        except OAuth2Error as error:
            raise OAuthFailed(f"Miro refused the sign-in: {error.description or error.error}") from None
        except requests.RequestException as error:
            raise OAuthFailed(f"Miro could not be reached to finish the sign-in ({type(error).__name__}).") from None
        return dict(token)

    def exchange(self, code: str, verifier: str) -> dict:
        """Trade an authorization code (with its PKCE verifier) for tokens, `user_id` and `team_id`."""
        return self._token(grant_type="authorization_code", code=code, code_verifier=verifier)

    def refresh(self, refresh_token: str) -> dict:
        """A new token pair for a refresh token; raises GrantRefused when Miro refuses it (the old pair is dead)."""
        try:
            response = requests.post(
                self.token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            raise OAuthFailed(f"Miro could not be reached to renew the connection ({type(error).__name__}).") from None
        if response.status_code in (400, 401):
            raise GrantRefused(response.text[:200])
        if not response.ok:
            raise OAuthFailed(f"Miro could not renew the connection now (HTTP {response.status_code}); try again.")
        return response.json()

    def revoke(self, access_token: str) -> None:
        """Revoke an access token (and its refresh token) at Miro; a token Miro does not know counts as revoked."""
        try:
            answer = requests.post(
                self.api_url + "/v2/oauth/revoke",
                json={"accessToken": access_token, "clientId": self.client_id, "clientSecret": self.client_secret},
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            raise OAuthFailed(f"Miro could not be reached to revoke the connection ({type(error).__name__}).") from None
        # 204 revoked, 404 unknown token (https://developers.miro.com/reference/revoke-token-v2); else not revoked.
        if not (answer.ok or answer.status_code == 404):
            status = answer.status_code
            raise OAuthFailed(f"Miro answered {status} to revoking the connection, so it may still be active.")
