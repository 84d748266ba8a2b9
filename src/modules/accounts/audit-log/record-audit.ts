import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AccountsTables } from "../accounts.tables.ts";

export interface AuditEntry {
  /** "utilisateur:<email>", "cle:<prefix>", "cli", "anonyme"… */
  acteur: string;
  /** Dotted verb: "connexion", "cle.creation", "role.ajout", "import.territoires"… */
  action: string;
  cible?: string;
  resultat?: "succes" | "echec";
  ip?: string;
  /** Never a secret: callers pass identifiers, not passwords or keys. */
  details?: Record<string, unknown>;
}

/** Appends one line to the audit log (who, what, when, from where). */
export async function recordAudit(db: Kysely<AccountsTables>, entry: AuditEntry, now = new Date()): Promise<void> {
  await db
    .insertInto("journal_audit")
    .values({
      id: randomUUID(),
      quand: now.toISOString(),
      acteur: entry.acteur,
      action: entry.action,
      cible: entry.cible ?? "",
      resultat: entry.resultat ?? "succes",
      ip: entry.ip ?? "",
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}
