import type { AccountsTables } from "../accounts.tables.ts";

/** An OpenID Connect sign-in in progress (migration 2026_11_28_0003). */
export interface OidcAttenteTable {
  /** SHA-256 (hex) of the `state` sent to the provider. */
  id: string;
  nonce: string;
  code_verifier: string;
  /** Same-site path to go back to once signed in. */
  retour: string;
  expire_le: string;
}

/** The accounts tables plus this feature's own, kept here so that accounts.tables.ts stays untouched. */
export interface OidcTables extends AccountsTables {
  oidc_attente: OidcAttenteTable;
}
