import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { RoleGrant } from "../../../shared/http/access-control.ts";
import type { BroadbandTables } from "../../broadband/broadband.tables.ts";
import type { AddressLookup } from "../address-lookup.ts";
import type { AuditHook } from "../audit-port.ts";
import type {
  AnomalyDetail,
  AnomalySummary,
  AnswerBody,
  FollowResponse,
  ReportBody,
} from "./address-anomalies.schema.ts";
import {
  type AddressAnomalyTables,
  type AnomalieAdresseTable,
  type AuteurRole,
  CONTACT_RETENTION_DAYS,
  INTEROP_STATUT,
  INTEROP_TYPE,
  STATUTS_CLOS,
  type StatutAnomalie,
  type TypeAnomalie,
} from "./address-anomalies.tables.ts";
import { findResponsibleNetwork, type ResponsibleNetwork } from "./responsible-network.ts";

export type AnomalyDatabase = Kysely<AddressAnomalyTables & BroadbandTables>;
type AnomalyRow = Selectable<AnomalieAdresseTable>;

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Which anomalies a caller sees: all (agents, admins) or those of some networks (operators). */
export type InboxScope = { all: true } | { all: false; networks: string[] };

/**
 * An operator sees the anomalies of the networks their grants name (perimeter = thd_reseau code);
 * agents and admins see all, unassigned ones included. An unbound operator grant ("") counts as
 * every network, as access-control.ts reads it.
 */
export function scopeOf(roles: RoleGrant[]): InboxScope {
  if (roles.some((g) => g.role === "admin" || g.role === "agent")) return { all: true };
  const operator = roles.filter((g) => g.role === "operateur");
  if (operator.some((g) => g.perimetre === "")) return { all: true };
  return { all: false, networks: [...new Set(operator.map((g) => g.perimetre))] };
}

export function inScope(scope: InboxScope, reseau: string | null): boolean {
  return scope.all || (reseau !== null && scope.networks.includes(reseau));
}

export interface Actor {
  id: string | null;
  nom: string;
  role: AuteurRole;
}

export interface Reported {
  id: string;
  jeton: string;
  network: ResponsibleNetwork;
}

/**
 * Records a report and its first event in one transaction, routed to its responsible network.
 * The follow token is returned once; only its SHA-256 is kept.
 */
export async function reportAnomaly(
  db: AnomalyDatabase,
  lookupAddress: AddressLookup,
  body: ReportBody,
  now = new Date().toISOString(),
): Promise<Reported> {
  const network = await findResponsibleNetwork(db, lookupAddress, body);
  const jeton = randomBytes(32).toString("base64url");
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("anomalie_adresse")
      .values({
        id,
        jeton_empreinte: sha256(jeton),
        type: body.type,
        description: body.description.trim(),
        adresse_libelle: body.adresse?.trim() || null,
        adresse_id: network.adresseId,
        immeuble_id: body.immeuble ?? null,
        lat: network.lat,
        lon: network.lon,
        code_insee: network.codeInsee,
        reseau: network.reseau,
        rattachement: network.rattachement,
        statut: "nouvelle",
        contact_email: body.contact?.trim() || null,
        cree_le: now,
        modifie_le: now,
        clos_le: null,
      })
      .execute();
    await trx
      .insertInto("anomalie_adresse_evenement")
      .values({
        id: randomUUID(),
        anomalie_id: id,
        quand: now,
        nature: "signalement",
        auteur_id: null,
        auteur_nom: "Déclarant",
        auteur_role: "public",
        statut_avant: null,
        statut_apres: "nouvelle",
        message: null,
        public: 1,
      })
      .execute();
  });
  return { id, jeton, network };
}

export async function networkNames(db: AnomalyDatabase, codes: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes.filter((c): c is string => c !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom("thd_reseau").select(["code", "nom"]).where("code", "in", unique).execute();
  return new Map(rows.map((r) => [r.code, r.nom]));
}

const network = (code: string | null, names: Map<string, string>) =>
  code === null ? null : { code, nom: names.get(code) ?? null };

const PUBLIC_AUTHOR: Record<AuteurRole, string> = {
  public: "Vous",
  operateur: "Opérateur du réseau",
  cle: "Opérateur du réseau",
  agent: "Région",
  admin: "Région",
};

/** An anomaly's history, oldest first. */
function eventsOf(db: AnomalyDatabase, anomalyId: string) {
  return db
    .selectFrom("anomalie_adresse_evenement")
    .selectAll()
    .where("anomalie_id", "=", anomalyId)
    .orderBy("quand")
    .orderBy("id")
    .execute();
}

/** The follow page: status and public answers; never the contact, nor who answered by name. */
export async function followAnomaly(db: AnomalyDatabase, jeton: string): Promise<FollowResponse | null> {
  const row = await db
    .selectFrom("anomalie_adresse")
    .selectAll()
    .where("jeton_empreinte", "=", sha256(jeton))
    .executeTakeFirst();
  if (!row) return null;
  const events = await eventsOf(db, row.id);
  const names = await networkNames(db, [row.reseau]);
  return {
    type: row.type,
    description: row.description,
    adresse: row.adresse_libelle,
    commune: row.code_insee,
    reseau: network(row.reseau, names),
    statut: row.statut,
    creeLe: row.cree_le,
    modifieLe: row.modifie_le,
    closLe: row.clos_le,
    // An internal note that changed the status still shows the change, without its text.
    evenements: events
      .filter((e) => Number(e.public) === 1 || e.statut_avant !== e.statut_apres)
      .map((e) => ({
        quand: e.quand,
        statut: e.statut_apres,
        message: Number(e.public) === 1 ? e.message : null,
        auteur: PUBLIC_AUTHOR[e.auteur_role],
      })),
  };
}

function summary(row: AnomalyRow, names: Map<string, string>): AnomalySummary {
  return {
    id: row.id,
    type: row.type,
    description: row.description,
    adresse: row.adresse_libelle,
    adresseId: row.adresse_id,
    immeuble: row.immeuble_id,
    lat: row.lat === null ? null : Number(row.lat),
    lon: row.lon === null ? null : Number(row.lon),
    commune: row.code_insee,
    reseau: network(row.reseau, names),
    rattachement: row.rattachement,
    statut: row.statut,
    statutInterop: INTEROP_STATUT[row.statut],
    typeInterop: INTEROP_TYPE[row.type],
    contact: row.contact_email,
    creeLe: row.cree_le,
    modifieLe: row.modifie_le,
    closLe: row.clos_le,
  };
}

export interface InboxFilters {
  statut?: StatutAnomalie;
  reseau?: string;
  type?: TypeAnomalie;
  commune?: string;
}

/** The inbox, newest first; `page` absent: every matching row (exports). */
export async function listAnomalies(
  db: AnomalyDatabase,
  scope: InboxScope,
  filters: InboxFilters,
  page?: { limit: number; offset: number },
): Promise<{ total: number; results: AnomalySummary[] }> {
  if (!scope.all && scope.networks.length === 0) return { total: 0, results: [] };
  let query = db.selectFrom("anomalie_adresse");
  if (!scope.all) query = query.where("reseau", "in", scope.networks);
  if (filters.reseau === "aucun") query = query.where("reseau", "is", null);
  else if (filters.reseau) query = query.where("reseau", "=", filters.reseau);
  if (filters.statut) query = query.where("statut", "=", filters.statut);
  if (filters.type) query = query.where("type", "=", filters.type);
  if (filters.commune) query = query.where("code_insee", "=", filters.commune);
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  let rows = query.selectAll().orderBy("cree_le", "desc").orderBy("id");
  if (page) rows = rows.limit(page.limit).offset(page.offset);
  const found = await rows.execute();
  const names = await networkNames(
    db,
    found.map((r) => r.reseau),
  );
  return { total: Number(total), results: found.map((r) => summary(r, names)) };
}

export async function findAnomaly(db: AnomalyDatabase, id: string): Promise<AnomalyRow | undefined> {
  return db.selectFrom("anomalie_adresse").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function anomalyDetail(db: AnomalyDatabase, row: AnomalyRow): Promise<AnomalyDetail> {
  const events = await eventsOf(db, row.id);
  return {
    ...summary(row, await networkNames(db, [row.reseau])),
    evenements: events.map((e) => ({
      id: e.id,
      quand: e.quand,
      nature: e.nature,
      auteur: e.auteur_nom,
      auteurRole: e.auteur_role,
      statutAvant: e.statut_avant,
      statutApres: e.statut_apres,
      message: e.message,
      public: Number(e.public) === 1,
    })),
  };
}

/**
 * An answer, and the status it sets (unchanged when absent), in one transaction. Closing dates the
 * anomaly (its contact is erased CONTACT_RETENTION_DAYS later); reopening clears the date.
 */
export async function answerAnomaly(
  db: AnomalyDatabase,
  row: AnomalyRow,
  actor: Actor,
  body: AnswerBody,
  // `audit` records the journal line inside the transaction.
  { now = new Date().toISOString(), audit }: { now?: string; audit?: AuditHook } = {},
): Promise<void> {
  const statut = body.statut ?? row.statut;
  const closed = STATUTS_CLOS.includes(statut);
  const clos_le = closed ? (STATUTS_CLOS.includes(row.statut) ? (row.clos_le ?? now) : now) : null;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("anomalie_adresse")
      .set({ statut, modifie_le: now, clos_le })
      .where("id", "=", row.id)
      .execute();
    await trx
      .insertInto("anomalie_adresse_evenement")
      .values({
        id: randomUUID(),
        anomalie_id: row.id,
        quand: now,
        nature: "reponse",
        auteur_id: actor.id,
        auteur_nom: actor.nom,
        auteur_role: actor.role,
        statut_avant: row.statut,
        statut_apres: statut,
        message: body.message.trim(),
        public: body.public ? 1 : 0,
      })
      .execute();
    if (audit) await audit(trx);
  });
}

/** Erases the contact of anomalies closed more than CONTACT_RETENTION_DAYS ago; returns how many. */
export async function eraseExpiredContacts(db: AnomalyDatabase, now = new Date()): Promise<number> {
  const limit = new Date(now.getTime() - CONTACT_RETENTION_DAYS * 24 * 3600 * 1000).toISOString();
  const result = await db
    .updateTable("anomalie_adresse")
    .set({ contact_email: null })
    .where("contact_email", "is not", null)
    .where("clos_le", "is not", null)
    .where("clos_le", "<", limit)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
