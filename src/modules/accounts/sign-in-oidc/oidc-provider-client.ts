import * as client from "openid-client";
import type { OidcConfig } from "../../../shared/config/config.ts";
import { HttpError } from "../../../shared/http/errors.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * openid-client refuses plain-http providers. We allow it only for a provider on this very machine
 * (tests, a local development provider): nothing crosses the network there, so TLS protects
 * nothing. Any other http:// issuer is refused by openid-client and the sign-in answers 502.
 */
export function allowsPlainHttp(issuer: string): boolean {
  const url = URL.parse(issuer);
  return url?.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

// Discovery (metadata + endpoints) once per process and provider; the signing keys are fetched
// and refreshed by openid-client itself when it meets an unknown key id.
const configurations = new Map<string, Promise<client.Configuration>>();

export function providerConfiguration(oidc: OidcConfig): Promise<client.Configuration> {
  const key = JSON.stringify([oidc.issuer, oidc.clientId, oidc.clientSecret]);
  let pending = configurations.get(key);
  if (!pending) {
    const insecure = allowsPlainHttp(oidc.issuer);
    // A client secret given as a string means client_secret_post at the token endpoint.
    pending = client.discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
      timeout: 10,
      ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
    });
    // A failed discovery (provider down) is not cached: the next sign-in tries again.
    pending.catch(() => configurations.delete(key));
    configurations.set(key, pending);
  }
  return pending;
}

const UNREACHABLE_CODES = new Set(["OAUTH_TIMEOUT", "OAUTH_ABORT", "OAUTH_RESPONSE_IS_NOT_CONFORM"]);

/**
 * Sorts an openid-client failure: a response that does not check out (wrong nonce, state, PKCE,
 * signature, refused code…) is the caller's problem (400); a provider that cannot be reached or
 * answers nonsense is ours (502). Never a 500 for something the browser sent.
 */
export function providerFailure(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const unreachable =
    (error instanceof client.ClientError && error.code !== undefined && UNREACHABLE_CODES.has(error.code)) ||
    (error instanceof TypeError && /fetch failed/i.test(error.message));
  if (unreachable) return providerUnavailable();
  if (
    error instanceof client.ClientError ||
    error instanceof client.ResponseBodyError ||
    error instanceof client.AuthorizationResponseError ||
    error instanceof client.WWWAuthenticateChallengeError
  ) {
    return new HttpError(
      400,
      "OIDC_JETON_INVALIDE",
      "La réponse du fournisseur d'identité n'a pas pu être vérifiée : recommencez la connexion",
    );
  }
  return providerUnavailable();
}

export function providerUnavailable(): HttpError {
  return new HttpError(502, "OIDC_INDISPONIBLE", "Le fournisseur d'identité ne répond pas : réessayez plus tard");
}
