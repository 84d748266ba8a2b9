import { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { XLSX_CONTENT_TYPE } from "../../../shared/export/table-export.ts";
import { access } from "../../../shared/http/access-control.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import { type AuditRecorder, auditActorOf, jobTarget, noAudit } from "../audit-port.ts";
import {
  createLotSchema,
  deleteLotSchema,
  getLotResultSchema,
  getLotSchema,
  type LotStatut,
} from "./batch-eligibility.schema.ts";
import { BATCH_LIMITS, BatchInputError, type ColumnChoice } from "./batch-input.ts";
import { type BatchDb, deleteJob, type FirstFailure, findJob, type JobRow } from "./batch-jobs.repository.ts";
import { buildXlsx, csvChunks, outputName } from "./batch-output.ts";
import { type BatchDependencies, BatchRunner, type BatchRunnerOptions } from "./batch-runner.ts";
import { createBatchJob } from "./create-batch-job.ts";

export interface BatchRoutesOptions {
  /** Uploads allowed per hour: per IP address, and per API key of scope eligibilite:lire. */
  jobsPerHour?: { perIp: number; perKey: number };
  today?: () => string;
  runner?: BatchRunnerOptions;
  /** The audit log (creations and cancellations), lent by the composition root. */
  record?: AuditRecorder;
}

const SCOPE = "eligibilite:lire";
// Room for the multipart envelope and the form fields around a file at the cap.
const BODY_LIMIT = BATCH_LIMITS.bytes + 256 * 1024;

const notFound = (id: string) =>
  new HttpError(404, "LOT_INTROUVABLE", `Lot « ${id} » introuvable (identifiant erroné, lot annulé ou expiré).`);

function toHttp(error: BatchInputError): HttpError {
  return new HttpError(error.status, error.code, error.message, { parametre: error.parametre });
}

/** The status of a job as the API shows it; `base` is the job's URL (for the result links). */
export function presentJob(job: JobRow, base: string, now = Date.now()): LotStatut {
  const total = Number(job.total);
  const traitees = Number(job.traitees);
  let resteSecondes: number | null = null;
  if (job.statut === "en_cours" && job.demarre_le && traitees > 0 && traitees < total) {
    const elapsed = (now - Date.parse(job.demarre_le)) / 1000;
    resteSecondes = Math.max(0, Math.round((elapsed / traitees) * (total - traitees)));
  }
  const raisons = Object.entries(JSON.parse(job.raisons) as Record<string, number>)
    .map(([raison, nombre]) => ({ raison, nombre }))
    .sort((a, b) => b.nombre - a.nombre || a.raison.localeCompare(b.raison));
  return {
    id: job.id,
    statut: job.statut,
    fichier: job.nom_fichier,
    encodage: job.encodage,
    separateur: job.separateur,
    colonnes: JSON.parse(job.colonnes) as ColumnChoice,
    dateReference: job.date_reference,
    trimestre: job.trimestre,
    total,
    traitees,
    resolues: Number(job.resolues),
    echecs: Number(job.echecs),
    pourcentage: total === 0 ? 100 : Math.floor((1000 * traitees) / total) / 10,
    resteSecondes,
    creeLe: job.cree_le,
    demarreLe: job.demarre_le,
    termineLe: job.termine_le,
    message: job.message,
    raisons,
    premiersEchecs: JSON.parse(job.premiers_echecs) as FirstFailure[],
    resultats:
      job.statut === "termine" ? { csv: `${base}/resultat?format=csv`, xlsx: `${base}/resultat?format=xlsx` } : null,
  };
}

/** Reads the multipart form: the file and the column choice. */
async function readForm(request: FastifyRequest) {
  if (!request.isMultipart()) {
    throw new HttpError(400, "FICHIER_INVALIDE", "Envoyez le fichier en multipart/form-data, champ « fichier ».", {
      parametre: "fichier",
    });
  }
  let file: Buffer | undefined;
  let fileName = "sites.csv";
  const fields: Record<string, string[]> = {};
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        if (part.fieldname !== "fichier") {
          throw new HttpError(
            400,
            "FICHIER_INVALIDE",
            `Champ de fichier inattendu « ${part.fieldname} » : attendu « fichier ».`,
            {
              parametre: part.fieldname,
            },
          );
        }
        file = await part.toBuffer();
        fileName = part.filename || fileName;
      } else {
        fields[part.fieldname] = [...(fields[part.fieldname] ?? []), String(part.value)];
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") {
      throw new HttpError(
        413,
        "FICHIER_TROP_GRAND",
        `Fichier trop volumineux : au plus ${BATCH_LIMITS.bytes / 1024 / 1024} Mio.`,
        {
          parametre: "fichier",
        },
      );
    }
    throw error;
  }
  if (!file)
    throw new HttpError(400, "FICHIER_INVALIDE", "Fichier CSV manquant (champ « fichier »).", { parametre: "fichier" });
  const one = (name: string) => {
    const values = (fields[name] ?? []).map((v) => v.trim()).filter((v) => v !== "");
    if (values.length > 1) {
      throw new HttpError(400, "PARAMETRE_INVALIDE", `Paramètre « ${name} » invalide : donné plusieurs fois.`, {
        parametre: name,
      });
    }
    return values[0];
  };
  // `adresse` is repeatable, or one comma-separated list (as the CLI's --colonnes).
  const adresse = (fields.adresse ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  const choice: ColumnChoice = {
    ...(adresse.length > 0 ? { adresse } : {}),
    ...(one("id") !== undefined ? { id: one("id") } : {}),
    ...(one("lat") !== undefined ? { lat: one("lat") } : {}),
    ...(one("lon") !== undefined ? { lon: one("lon") } : {}),
    ...(one("postcode") !== undefined ? { postcode: one("postcode") } : {}),
    ...(one("citycode") !== undefined ? { citycode: one("citycode") } : {}),
  };
  return { file, fileName, choice, separator: one("separateur"), date: one("date") };
}

/**
 * Multi-site eligibility (issue 6): upload a CSV of sites, follow the background job, download the
 * results as CSV or XLSX, or cancel. Public (businesses need no account); the job id is an
 * unguessable token. The runner starts when the server is ready and stops with it.
 */
export const batchEligibilityRoutes =
  (deps: BatchDependencies, options: BatchRoutesOptions = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    const db = deps.db as BatchDb;
    const today = options.today ?? (() => new Date().toISOString().slice(0, 10));
    const limits = options.jobsPerHour ?? { perIp: 10, perKey: 100 };
    const record = options.record ?? noAudit;
    const runner = new BatchRunner(deps, {
      log: (message, error) => app.log.error({ err: error }, message),
      ...options.runner,
    });
    app.addHook("onReady", async () => runner.start());
    app.addHook("onClose", async () => runner.stop());

    await app.register(multipart, { limits: { fileSize: BATCH_LIMITS.bytes, files: 1, fields: 30 } });

    app.post(
      "/api/eligibilite/lots",
      {
        config: {
          access: access.public(),
          rateLimit: {
            timeWindow: 3600_000,
            max: (request: FastifyRequest) =>
              request.principal?.kind === "cle" && request.principal.portees.includes(SCOPE)
                ? limits.perKey
                : limits.perIp,
          },
        },
        bodyLimit: BODY_LIMIT,
        schema: createLotSchema,
        // Refused on the declared length, before a byte of the body is read.
        onRequest: async (request) => {
          const declared = Number(request.headers["content-length"] ?? 0);
          if (declared > BODY_LIMIT) {
            throw new HttpError(
              413,
              "FICHIER_TROP_GRAND",
              `Fichier trop volumineux : au plus ${BATCH_LIMITS.bytes / 1024 / 1024} Mio.`,
              { parametre: "fichier" },
            );
          }
        },
      },
      async (request, reply) => {
        const form = await readForm(request);
        const principal = request.principal;
        let created: { id: string };
        try {
          created = await createBatchJob(deps.db, {
            file: form.file,
            fileName: form.fileName,
            choice: form.choice,
            ...(form.separator !== undefined ? { separator: form.separator } : {}),
            ...(form.date !== undefined ? { date: form.date } : {}),
            today: today(),
            ownerId:
              principal.kind === "utilisateur"
                ? principal.id
                : principal.kind === "cle"
                  ? principal.proprietaireId
                  : null,
            audit: (trx, job) =>
              record(trx, {
                acteur: auditActorOf(principal),
                action: "lot.creation",
                cible: jobTarget(job.id),
                ip: request.ip,
                details: { sites: job.total },
              }),
          });
        } catch (error) {
          if (error instanceof BatchInputError) throw toHttp(error);
          throw error;
        }
        runner.wake();
        const job = await findJob(db, created.id);
        if (!job) throw notFound(created.id);
        const url = `/api/eligibilite/lots/${job.id}`;
        return reply.status(202).header("location", url).send(presentJob(job, url));
      },
    );

    app.get(
      "/api/eligibilite/lots/:id",
      { config: { access: access.public() }, schema: getLotSchema },
      async (request, reply) => {
        const job = await findJob(db, request.params.id);
        if (!job) throw notFound(request.params.id);
        // Polled every second by the page: never cached.
        reply.header("cache-control", "no-store");
        return presentJob(job, `/api/eligibilite/lots/${job.id}`);
      },
    );

    app.get(
      "/api/eligibilite/lots/:id/resultat",
      { config: { access: access.public() }, schema: getLotResultSchema },
      async (request, reply) => {
        const job = await findJob(db, request.params.id);
        if (!job) throw notFound(request.params.id);
        if (job.statut !== "termine") {
          throw new HttpError(
            409,
            "LOT_NON_TERMINE",
            job.statut === "en_attente" || job.statut === "en_cours"
              ? `Le lot n'est pas terminé (${job.traitees} sites traités sur ${job.total}) : réessayez plus tard.`
              : `Le lot n'a pas de résultats : ${job.message ?? job.statut}.`,
          );
        }
        const format = request.query.format ?? "csv";
        reply
          .header("content-disposition", `attachment; filename="${outputName(job, format)}"`)
          .header("cache-control", "no-store");
        if (format === "xlsx")
          return (reply as FastifyReply).header("content-type", XLSX_CONTENT_TYPE).send(await buildXlsx(db, job));
        return (reply as FastifyReply)
          .header("content-type", "text/csv; charset=utf-8")
          .send(Readable.from(csvChunks(db, job)));
      },
    );

    app.delete(
      "/api/eligibilite/lots/:id",
      { config: { access: access.public() }, schema: deleteLotSchema },
      async (request, reply) => {
        const { id } = request.params;
        const cancelled = await deleteJob(db, id, (trx) =>
          record(trx, {
            acteur: auditActorOf(request.principal),
            action: "lot.annulation",
            cible: jobTarget(id),
            ip: request.ip,
          }),
        );
        if (!cancelled) throw notFound(id);
        return reply.status(204).send(null);
      },
    );
  };
