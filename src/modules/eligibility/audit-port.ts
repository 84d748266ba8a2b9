import type { AppDatabase } from "../../shared/db/database.ts";
import type { Principal } from "../../shared/http/access-control.ts";

/** One line of the platform's audit log, as the eligibility module hands it over. */
export interface AuditLine {
  /** "utilisateur:<email>", "cle:<prefix>", "cli", "anonyme". */
  acteur: string;
  /** Dotted verb: "catalogue.version.creation", "anomalie.reponse", "lot.creation"… */
  action: string;
  /** Never a secret: no follow token, job token or contact. */
  cible?: string;
  resultat?: "succes" | "echec";
  ip?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends a line to the audit log, given by the composition root (the accounts module keeps the
 * log). It takes the connection to write with, so that a write records inside its own transaction:
 * the line commits, or rolls back, with the write.
 */
export type AuditRecorder = (db: AppDatabase, entry: AuditLine) => Promise<void>;

/** A write's journal line, bound to its actor and target; the write calls it with its transaction. */
export type AuditHook = (trx: AppDatabase) => Promise<void>;

/** No journal (unit tests of the services, tools that do not audit). */
export const noAudit: AuditRecorder = async () => {};

/** The actor as the audit log names it (the accounts module's convention). */
export function auditActorOf(principal: Principal): string {
  if (principal.kind === "utilisateur") return `utilisateur:${principal.email}`;
  if (principal.kind === "cle") return `cle:${principal.prefixe}`;
  return "anonyme";
}

/** A batch job's id is its only key: the journal keeps a short prefix, enough to tell jobs apart. */
export const jobTarget = (id: string) => `lot:${id.slice(0, 6)}`;
