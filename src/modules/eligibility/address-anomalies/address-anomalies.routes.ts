import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { sendTable } from "../../../shared/export/table-export.ts";
import { access, type Principal } from "../../../shared/http/access-control.ts";
import type { CsvColumn } from "../../../shared/http/csv.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import type { AddressLookup } from "../address-lookup.ts";
import { type AuditRecorder, auditActorOf, noAudit } from "../audit-port.ts";
import {
  AnomalyDetail,
  type AnomalySummary,
  AnswerBody,
  FollowResponse,
  InboxPage,
  InboxQuery,
  JETON_PATTERN,
  ReportBody,
  ReportCreated,
} from "./address-anomalies.schema.ts";
import {
  type Actor,
  type AnomalyDatabase,
  anomalyDetail,
  answerAnomaly,
  eraseExpiredContacts,
  findAnomaly,
  followAnomaly,
  type InboxScope,
  inScope,
  listAnomalies,
  networkNames,
  reportAnomaly,
  scopeOf,
} from "./address-anomalies.service.ts";
import { CONTACT_RETENTION_DAYS } from "./address-anomalies.tables.ts";

/** Reports accepted per IP address and hour (a public form: spam and floods are cut short). */
export const REPORTS_PER_HOUR = 10;

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const TAGS = ["eligibilite"];
/** API keys reach the inbox with this scope (and the operator role of their owner). */
const KEY_SCOPE = "anomalies:traiter";

const invalid = (parametre: string, reason: string) =>
  new HttpError(400, "PARAMETRE_INVALIDE", `Paramètre « ${parametre} » invalide : ${reason}`, { parametre });

/** At least one place (immeuble, id, lat+lon, adresse); lat and lon together; a description that is not blank. */
function checkReport(body: ReportBody): void {
  if (body.description.trim() === "") throw invalid("description", "est vide");
  if ((body.lat === undefined) !== (body.lon === undefined)) {
    const missing = body.lat === undefined ? "lat" : "lon";
    throw invalid(missing, `est obligatoire avec « ${missing === "lat" ? "lon" : "lat"} »`);
  }
  if (body.adresse !== undefined && body.adresse.trim() === "") throw invalid("adresse", "est vide");
  if (body.immeuble === undefined && body.id === undefined && body.lat === undefined && !body.adresse) {
    throw new HttpError(
      400,
      "LIEU_REQUIS",
      "Indiquer où se trouve le problème : « adresse », « id », « immeuble », ou « lat » et « lon ».",
      { parametre: "adresse, id, immeuble, lat, lon" },
    );
  }
}

function rolesOf(principal: Principal) {
  return principal.kind === "anonyme" ? [] : principal.roles;
}

function actorOf(principal: Principal): Actor {
  if (principal.kind === "cle") return { id: principal.id, nom: `Clé ${principal.prefixe}`, role: "cle" };
  if (principal.kind !== "utilisateur") return { id: null, nom: "Anonyme", role: "public" };
  const roles = principal.roles.map((g) => g.role);
  const role = roles.includes("admin") ? "admin" : roles.includes("agent") ? "agent" : "operateur";
  return { id: principal.id, nom: principal.nom, role };
}

// User text opened in a spreadsheet must not run as a formula (=, +, -, @ at the start).
const safeCell = (text: string | null) => (text !== null && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

function exportColumns(format: "csv" | "xlsx"): CsvColumn<AnomalySummary>[] {
  const text = format === "csv" ? safeCell : (value: string | null) => value;
  return [
    { header: "id", value: (a) => a.id },
    { header: "cree_le", value: (a) => a.creeLe },
    { header: "type", value: (a) => a.type },
    { header: "type_interop_fibre", value: (a) => a.typeInterop },
    { header: "statut", value: (a) => a.statut },
    { header: "statut_interop_fibre", value: (a) => a.statutInterop },
    { header: "reseau", value: (a) => a.reseau?.code },
    { header: "reseau_nom", value: (a) => a.reseau?.nom },
    { header: "rattachement", value: (a) => a.rattachement },
    { header: "commune", value: (a) => a.commune },
    { header: "adresse", value: (a) => text(a.adresse) },
    { header: "adresse_id", value: (a) => text(a.adresseId) },
    { header: "immeuble", value: (a) => text(a.immeuble) },
    { header: "lat", value: (a) => a.lat },
    { header: "lon", value: (a) => a.lon },
    { header: "description", value: (a) => text(a.description) },
    // Personal data: only callers who may answer the anomaly reach this export.
    { header: "contact", value: (a) => text(a.contact) },
    { header: "modifie_le", value: (a) => a.modifieLe },
    { header: "clos_le", value: (a) => a.closLe },
  ];
}

export const addressAnomalyRoutes =
  (db: AnomalyDatabase, lookupAddress: AddressLookup, record: AuditRecorder = noAudit): FastifyPluginAsyncTypebox =>
  async (app) => {
    /**
     * The anomaly named in the URL, if the caller may handle it: 404 unknown, 403 another network's
     * (journalled as a failed `action` when the caller meant to write).
     */
    const handled = async (request: FastifyRequest, id: string, action?: string) => {
      const row = await findAnomaly(db, id);
      if (!row) throw new HttpError(404, "SIGNALEMENT_INTROUVABLE", "Aucun signalement avec cet identifiant");
      if (!inScope(scopeOf(rolesOf(request.principal)), row.reseau)) {
        if (action) {
          await record(db, {
            acteur: auditActorOf(request.principal),
            action,
            cible: `anomalie:${row.id}`,
            resultat: "echec",
            ip: request.ip,
            details: { raison: "hors périmètre" },
          });
        }
        throw new HttpError(403, "ACCES_REFUSE", "Ce signalement concerne un réseau hors de votre périmètre");
      }
      return row;
    };

    app.post(
      "/api/anomalies",
      {
        config: {
          access: access.public(),
          rateLimit: { max: REPORTS_PER_HOUR, timeWindow: 3_600_000, keyGenerator: (r) => `signalement:${r.ip}` },
        },
        schema: {
          summary: "Signaler une anomalie d'adresse (adresse absente, position ou état erronés, autre)",
          description:
            `Public, ${REPORTS_PER_HOUR} signalements par heure et par adresse IP. Un lieu au moins : ` +
            "`immeuble`, `id` (adresse BAN), `lat` et `lon`, ou `adresse` (texte libre, géocodé). " +
            "Le signalement est transmis au réseau de l'immeuble, sinon de l'adresse, sinon de l'immeuble le plus proche " +
            "(200 m au plus), sinon au RIP du département ; sans réseau, la Région le répartit. Le jeton de suivi n'est " +
            `montré qu'une fois. Le contact (facultatif) n'est jamais publié et est effacé ${CONTACT_RETENTION_DAYS} jours après la clôture.`,
          tags: TAGS,
          body: ReportBody,
          response: { 201: ReportCreated, 400: ErrorResponse, 429: ErrorResponse },
        },
      },
      async (request, reply) => {
        checkReport(request.body);
        await eraseExpiredContacts(db);
        const { jeton, network } = await reportAnomaly(db, lookupAddress, request.body);
        const names = await networkNames(db, [network.reseau]);
        return reply.status(201).send({
          jeton,
          lien: `/signalements/${jeton}`,
          statut: "nouvelle" as const,
          reseau: network.reseau === null ? null : { code: network.reseau, nom: names.get(network.reseau) ?? null },
          rattachement: network.rattachement,
        });
      },
    );

    app.get(
      "/api/anomalies/suivi/:jeton",
      {
        config: { access: access.public() },
        schema: {
          summary: "Suivre un signalement par son jeton : statut et réponses publiques (jamais le contact)",
          tags: TAGS,
          params: Type.Object({ jeton: Type.String({ pattern: JETON_PATTERN, description: "Jeton de suivi" }) }),
          response: { 200: FollowResponse, 400: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request, reply) => {
        const followed = await followAnomaly(db, request.params.jeton);
        if (!followed) throw new HttpError(404, "SIGNALEMENT_INTROUVABLE", "Aucun signalement ne correspond à ce lien");
        reply.header("cache-control", "private, no-store");
        return followed;
      },
    );

    app.get(
      "/api/anomalies",
      {
        config: { access: access.roles(["operateur", "agent"], { scope: KEY_SCOPE }) },
        schema: {
          summary: "Boîte de réception des signalements (un opérateur : ceux de ses réseaux ; agents : tous)",
          description: "Filtres statut, reseau (« aucun » : sans réseau), type, commune ; pages ; `format=csv|xlsx`.",
          tags: TAGS,
          querystring: InboxQuery,
          response: { 200: InboxPage, ...errors },
        },
      },
      async (request, reply) => {
        const { format, limit, offset, ...filters } = request.query;
        const scope: InboxScope = scopeOf(rolesOf(request.principal));
        await eraseExpiredContacts(db);
        reply.header("cache-control", "private, no-store");
        if (format === "csv" || format === "xlsx") {
          const { results } = await listAnomalies(db, scope, filters);
          return sendTable(reply, format, "signalements-adresses", results, exportColumns(format), [
            "Signalements d'anomalies d'adresse reçus par la plateforme.",
            "La colonne contact est une donnée personnelle : à n'utiliser que pour répondre au déclarant.",
            `Elle est effacée ${CONTACT_RETENTION_DAYS} jours après la clôture du signalement.`,
          ]);
        }
        const page = await listAnomalies(db, scope, filters, { limit, offset });
        let reseaux: { code: string; nom: string | null }[];
        if (scope.all) {
          reseaux = await db.selectFrom("thd_reseau").select(["code", "nom"]).orderBy("code").execute();
        } else {
          const names = await networkNames(db, scope.networks);
          reseaux = [...scope.networks].sort().map((code) => ({ code, nom: names.get(code) ?? null }));
        }
        return { ...page, reseaux };
      },
    );

    app.get(
      "/api/anomalies/:id",
      {
        config: { access: access.roles(["operateur", "agent"], { scope: KEY_SCOPE }) },
        schema: {
          summary: "Un signalement, avec son historique (réponses publiques et notes internes)",
          tags: TAGS,
          params: Type.Object({ id: Type.String({ format: "uuid" }) }),
          response: { 200: AnomalyDetail, ...errors },
        },
      },
      async (request, reply) => {
        const row = await handled(request, request.params.id);
        reply.header("cache-control", "private, no-store");
        return anomalyDetail(db, row);
      },
    );

    app.post(
      "/api/anomalies/:id/reponse",
      {
        config: { access: access.roles(["operateur", "agent"], { scope: KEY_SCOPE }) },
        schema: {
          summary: "Répondre à un signalement et changer son statut (en_cours, resolue, rejetee)",
          description:
            "`public: false` : note interne, invisible du déclarant (un changement de statut reste visible).",
          tags: TAGS,
          params: Type.Object({ id: Type.String({ format: "uuid" }) }),
          body: AnswerBody,
          response: { 200: AnomalyDetail, ...errors },
        },
      },
      async (request) => {
        if (request.body.message.trim() === "") throw invalid("message", "est vide");
        const row = await handled(request, request.params.id, "anomalie.reponse");
        const { statut = row.statut, public: visible } = request.body;
        await answerAnomaly(db, row, actorOf(request.principal), request.body, {
          audit: (trx) =>
            record(trx, {
              acteur: auditActorOf(request.principal),
              action: "anomalie.reponse",
              cible: `anomalie:${row.id}`,
              ip: request.ip,
              // Statuses only: the message may quote the reporter, and the contact never leaves the inbox.
              details: { statutAvant: row.statut, statutApres: statut, public: visible },
            }),
        });
        const updated = await findAnomaly(db, row.id);
        if (!updated) throw new HttpError(404, "SIGNALEMENT_INTROUVABLE", "Aucun signalement avec cet identifiant");
        return anomalyDetail(db, updated);
      },
    );
  };
