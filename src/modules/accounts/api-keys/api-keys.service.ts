import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { RoleGrant } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AccountsTables, CleApiTable } from "../accounts.tables.ts";
import { recordAudit } from "../audit-log/record-audit.ts";
import { isoNow, sha256 } from "../shared/tokens.ts";
import { generateApiKey } from "./api-key-format.ts";

// Scopes a key may carry. A network scope names the network: an operator may only use its own.
// "catalogues:ecrire" lets a key write the service catalogues its owner's roles allow (operator: own networks);
// "anomalies:traiter" lets it read and answer the address anomalies of those networks.
export const GLOBAL_SCOPES = ["eligibilite:lire", "territoires:lire", "catalogues:ecrire", "anomalies:traiter"];
const NETWORK_SCOPE = /^reseau:([A-Za-z0-9][A-Za-z0-9_-]{0,62}):ecrire$/;

export interface KeyOwner {
  id: string;
  email: string;
  roles: RoleGrant[];
}

/**
 * Creates a key for its owner and returns it: the only time the secret exists outside the
 * caller's hands. Only its hash is stored.
 */
export async function createApiKey(
  db: Kysely<AccountsTables>,
  owner: KeyOwner,
  request: { nom: string; portees: string[]; expireLe?: string | undefined },
  ip: string,
  acteur = `utilisateur:${owner.email}`,
): Promise<{ id: string; key: string; prefixe: string }> {
  const isAdmin = owner.roles.some((r) => r.role === "admin");
  const portees = [...new Set(request.portees)];
  for (const scope of portees) {
    const network = NETWORK_SCOPE.exec(scope)?.[1];
    if (!GLOBAL_SCOPES.includes(scope) && !network) {
      throw new HttpError(400, "PORTEE_INCONNUE", `Portée inconnue : « ${scope} »`, { parametre: "portees" });
    }
    const ownsNetwork = owner.roles.some((r) => r.role === "operateur" && r.perimetre === network);
    if (network && !isAdmin && !ownsNetwork) {
      throw new HttpError(403, "ACCES_REFUSE", `Le réseau « ${network} » n'est pas l'un des vôtres`);
    }
  }
  const expireLe = request.expireLe ? new Date(`${request.expireLe}T00:00:00Z`).toISOString() : null;
  if (expireLe && expireLe <= isoNow()) {
    throw new HttpError(400, "EXPIRATION_PASSEE", "La date d'expiration doit être dans le futur", {
      parametre: "expireLe",
    });
  }
  const { key, prefixe } = generateApiKey();
  const id = randomUUID();
  await db
    .insertInto("cle_api")
    .values({
      id,
      prefixe,
      empreinte: sha256(key),
      nom: request.nom,
      portees: portees.join(" "),
      proprietaire_id: owner.id,
      cree_le: isoNow(),
      expire_le: expireLe,
      revoquee_le: null,
      derniere_utilisation: null,
    })
    .execute();
  await recordAudit(db, {
    acteur,
    action: "cle.creation",
    cible: `cle:${prefixe}`,
    ip,
    details: { nom: request.nom, portees, expireLe },
  });
  return { id, key, prefixe };
}

/** Revokes a key (idempotent). */
export async function revokeApiKey(
  db: Kysely<AccountsTables>,
  key: Pick<CleApiTable, "id" | "prefixe" | "revoquee_le">,
  acteur: string,
  ip: string,
): Promise<void> {
  if (key.revoquee_le !== null) return;
  await db.updateTable("cle_api").set({ revoquee_le: isoNow() }).where("id", "=", key.id).execute();
  await recordAudit(db, { acteur, action: "cle.revocation", cible: `cle:${key.prefixe}`, ip });
}
