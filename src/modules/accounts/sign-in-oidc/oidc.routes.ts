import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Kysely } from "kysely";
import * as client from "openid-client";
import { Type } from "typebox";
import type { OidcConfig } from "../../../shared/config/config.ts";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables, UtilisateurRow } from "../accounts.tables.ts";
import { recordAudit } from "../audit-log/record-audit.ts";
import { openSession } from "../sessions/session.service.ts";
import { isoIn, isoNow, sha256 } from "../shared/tokens.ts";
import { findUserByEmail, insertUser, normalizeEmail } from "../users/users.repository.ts";
import type { OidcAttenteTable } from "./oidc.tables.ts";
import { providerConfiguration, providerFailure, providerUnavailable } from "./oidc-provider-client.ts";

export const OIDC_START_PATH = "/api/connexion/oidc";
export const OIDC_CALLBACK_PATH = "/api/connexion/oidc/retour";
export const DEFAULT_RETURN_PATH = "/compte";
/** Where the browser lands when the provider reports an error (refusal, cancelled sign-in…). */
export const PROVIDER_ERROR_PATH = "/connexion?erreur=oidc";
const PENDING_DURATION_MS = 10 * 60 * 1000;
const SCOPE = "openid email profile";

// A same-site path: one leading "/", never "//" or "/\" (both mean another host to a browser),
// no backslash nor whitespace anywhere.
const RETURN_PATH_PATTERN = "^/(?![/\\\\])[^\\s\\\\]*$";

const StartQuery = Type.Object({
  retour: Type.Optional(
    Type.String({
      maxLength: 500,
      pattern: RETURN_PATH_PATTERN,
      description: "Chemin de la plateforme où revenir après la connexion (par défaut /compte)",
    }),
  ),
});

// Extra parameters (iss, session_state…) are kept: openid-client checks `iss` from the raw URL.
const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 512 })),
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
  error_description: Type.Optional(Type.String({ maxLength: 2048 })),
});

const invalidState = () =>
  new HttpError(400, "OIDC_ETAT_INVALIDE", "Demande de connexion inconnue, expirée ou déjà utilisée : recommencez");

/** Checked again after the schema: the path must resolve to this very site. */
function isSameSitePath(path: string): boolean {
  const base = "http://territoire.invalid";
  const url = URL.parse(path, base);
  return new RegExp(RETURN_PATH_PATTERN).test(path) && url?.origin === base;
}

/** ID token or userinfo claims: email, email_verified, name, given_name, family_name, usual_name… */
type OidcClaims = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/** The display name from the usual claims (`usual_name` is ProConnect's family name). */
function displayName(claims: OidcClaims, email: string): string {
  const full =
    text(claims.name) ??
    [text(claims.given_name), text(claims.usual_name) ?? text(claims.family_name)].filter(Boolean).join(" ");
  return (full || email).slice(0, 200);
}

/**
 * OpenID Connect sign-in (authorization code flow with PKCE, state and nonce). People are matched
 * to accounts by verified e-mail address; an unknown address gets an account without roles and
 * without password, that an administrator then grants roles to.
 */
export const oidcRoutes =
  (accountsDb: Kysely<AccountsTables>, oidc: OidcConfig, publicUrl: string): FastifyPluginAsyncTypebox =>
  async (app) => {
    const db = accountsDb.withTables<{ oidc_attente: OidcAttenteTable }>();
    const redirectUri = `${publicUrl}${OIDC_CALLBACK_PATH}`;

    app.get(
      OIDC_START_PATH,
      {
        config: { access: access.public() },
        schema: {
          summary: `Se connecter avec ${oidc.label} (OpenID Connect)`,
          description: "Redirige (302) vers le fournisseur d'identité.",
          tags: ["comptes"],
          querystring: StartQuery,
          response: { 400: ErrorResponse, 502: ErrorResponse },
        },
      },
      async (request, reply) => {
        const retour = request.query.retour ?? DEFAULT_RETURN_PATH;
        if (!isSameSitePath(retour)) {
          throw new HttpError(
            400,
            "PARAMETRE_INVALIDE",
            "Paramètre « retour » invalide : chemin de la plateforme attendu",
            {
              parametre: "retour",
            },
          );
        }
        let configuration: client.Configuration;
        try {
          configuration = await providerConfiguration(oidc);
        } catch (error) {
          request.log.error({ err: error }, "découverte OpenID Connect impossible");
          throw providerUnavailable();
        }
        const state = client.randomState();
        const nonce = client.randomNonce();
        const codeVerifier = client.randomPKCECodeVerifier();
        const now = new Date();
        // Abandoned sign-ins would otherwise pile up.
        await db.deleteFrom("oidc_attente").where("expire_le", "<", isoNow(now)).execute();
        await db
          .insertInto("oidc_attente")
          .values({
            id: sha256(state),
            nonce,
            code_verifier: codeVerifier,
            retour,
            expire_le: isoIn(PENDING_DURATION_MS, now),
          })
          .execute();
        const url = client.buildAuthorizationUrl(configuration, {
          redirect_uri: redirectUri,
          scope: SCOPE,
          state,
          nonce,
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: "S256",
        });
        return reply.header("cache-control", "no-store").redirect(url.href, 302);
      },
    );

    app.get(
      OIDC_CALLBACK_PATH,
      {
        config: { access: access.public() },
        schema: {
          summary: `Retour du fournisseur d'identité ${oidc.label}`,
          description: "Vérifie la réponse du fournisseur, ouvre la session puis redirige (302) vers la page demandée.",
          tags: ["comptes"],
          querystring: CallbackQuery,
          response: { 400: ErrorResponse, 403: ErrorResponse, 502: ErrorResponse },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        const { state, error } = request.query;
        const audit = (acteur: string, resultat: "succes" | "echec", details: Record<string, unknown>) =>
          recordAudit(db, {
            acteur,
            action: "connexion",
            resultat,
            ip: request.ip,
            details: { methode: "oidc", ...details },
          });

        // Single use: the row is taken and deleted in one statement, so a replayed or concurrent
        // callback with the same state finds nothing.
        const pending = state
          ? await db.deleteFrom("oidc_attente").where("id", "=", sha256(state)).returningAll().executeTakeFirst()
          : undefined;

        if (error !== undefined) {
          // The person cancelled or the provider refused: back to the sign-in page, which explains.
          await audit("anonyme", "echec", { erreur: error });
          return reply.redirect(PROVIDER_ERROR_PATH, 302);
        }
        if (!pending || pending.expire_le <= isoNow()) {
          await audit("anonyme", "echec", { motif: "etat_invalide" });
          throw invalidState();
        }

        let email: string | undefined;
        try {
          const claims = await verifiedClaims(request.url, pending);
          email = text(claims.email) ? normalizeEmail(text(claims.email) as string) : undefined;
          // Accounts are matched by e-mail: an address the provider has not verified could be
          // anyone's, and would hand its owner's account to whoever typed it.
          const verified = claims.email_verified === true || claims.email_verified === "true";
          if (!email || email.length > 320 || !email.includes("@") || !verified) {
            throw new HttpError(
              403,
              "OIDC_COURRIEL_NON_VERIFIE",
              "Le fournisseur d'identité n'a pas transmis d'adresse e-mail vérifiée : connexion impossible",
            );
          }
          const user = await findOrProvisionUser(email, displayName(claims, email), request.ip);
          if (user.actif !== 1) {
            throw new HttpError(403, "COMPTE_DESACTIVE", "Ce compte est désactivé : contactez un administrateur");
          }
          await openSession(db, user.id, request, reply);
          await audit(`utilisateur:${email}`, "succes", {});
          return reply.redirect(isSameSitePath(pending.retour) ? pending.retour : DEFAULT_RETURN_PATH, 302);
        } catch (caught) {
          const failure = providerFailure(caught);
          if (!(caught instanceof HttpError)) request.log.warn({ err: caught }, "réponse OpenID Connect refusée");
          await audit(email ? `utilisateur:${email}` : "anonyme", "echec", { motif: failure.code });
          throw failure;
        }
      },
    );

    /** Exchanges the code (checking state, nonce, PKCE and the ID token) and returns the person's claims. */
    async function verifiedClaims(
      requestUrl: string,
      pending: { id: string; nonce: string; code_verifier: string },
    ): Promise<OidcClaims> {
      const configuration = await providerConfiguration(oidc);
      // The URL the provider redirected to, rebuilt from the public address (the app may sit behind
      // a proxy): openid-client derives the token request's redirect_uri from it.
      const search = requestUrl.includes("?") ? requestUrl.slice(requestUrl.indexOf("?")) : "";
      const currentUrl = new URL(`${redirectUri}${search}`);
      const expectedState = currentUrl.searchParams.get("state") ?? "";
      if (sha256(expectedState) !== pending.id) throw invalidState();
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        expectedState,
        expectedNonce: pending.nonce,
        pkceCodeVerifier: pending.code_verifier,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (!idClaims)
        throw new HttpError(400, "OIDC_JETON_INVALIDE", "Le fournisseur n'a pas fourni de jeton d'identité");
      if (text(idClaims.email)) return idClaims;
      // Many providers put the profile in the userinfo response only (checked against the same sub).
      const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      return { ...idClaims, ...userinfo };
    }

    async function findOrProvisionUser(email: string, nom: string, ip: string): Promise<UtilisateurRow> {
      const existing = await findUserByEmail(db, email);
      if (existing) return existing;
      try {
        const created = await insertUser(db, { email, nom, motDePasseHash: null });
        await recordAudit(db, {
          acteur: `utilisateur:${email}`,
          action: "utilisateur.creation",
          cible: email,
          ip,
          details: { methode: "oidc" },
        });
        return created;
      } catch (insertError) {
        // Two first sign-ins at once: the other one created the account (unique e-mail).
        const raced = await findUserByEmail(db, email);
        if (raced) return raced;
        throw insertError;
      }
    }
  };
