import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { HttpError } from "../../../../shared/http/errors.ts";
import { type AuditRecorder, noAudit } from "../../audit-port.ts";
import { versionDetail } from "../catalogue.presenter.ts";
import { ERROR_RESPONSES, ReseauParams, VersionDetail } from "../catalogue.schemas.ts";
import type { CatalogueService } from "../catalogue-service.ts";
import { type VersionInput, validateVersion } from "../catalogue-validation.ts";
import {
  authorOf,
  catalogueAudit,
  catalogueWriteAccess,
} from "../write-catalogue-version/write-catalogue-version.routes.ts";
import {
  decodeText,
  FIELD_COLUMNS,
  type FileProblem,
  parseCsvFile,
  parseJsonFile,
  schemaProblems,
} from "./catalogue-file.ts";

/** A catalogue is a few dozen lines: 2 MB is generous and keeps a bad upload cheap to refuse. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

const FORM_FIELDS = [
  "version",
  "valideDu",
  "valideAu",
  "note",
  "couvertureDepartements",
  "couvertureCommunes",
] as const;

function refuse(problems: FileProblem[]): never {
  const first = problems[0] as FileProblem;
  const where = first.ligne === undefined ? first.champ : `ligne ${first.ligne}, colonne ${first.champ}`;
  throw new HttpError(
    400,
    "IMPORT_REFUSE",
    `Import refusé (${problems.length} problème${problems.length > 1 ? "s" : ""}), rien n'a été enregistré. ${where} : ${first.message}`,
    { parametre: first.champ, erreurs: problems },
  );
}

/**
 * POST /api/catalogues/{reseau}/versions/import: a new version from a file (multipart `fichier`,
 * CSV in the columns of the version export, or JSON) and the form's fields. All or nothing: any
 * problem refuses the whole file with a report naming each line and column.
 */
export const importCatalogueVersionRoute =
  (service: CatalogueService, record: AuditRecorder = noAudit): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 20 } });
    app.post(
      "/api/catalogues/:reseau/versions/import",
      {
        config: { access: catalogueWriteAccess() },
        bodyLimit: IMPORT_MAX_BYTES + 64 * 1024,
        schema: {
          summary: "Importer une version de catalogue (CSV ou JSON)",
          description: [
            "Formulaire multipart : `fichier` (CSV `;` `,` ou tabulation, UTF-8 ou Windows-1252, colonnes de l'export d'une version : code, nom, famille, debit_descendant_mbps, debit_montant_mbps, debit_garanti_mbps, symetrique, gtr_heures, gtr_libelle, disponibilite_pct, frais_acces_ht, mensuel_ht, engagement_mois, delai_livraison_jours, options « nom=prix|nom=sur devis », sur_devis, raison ; ou JSON : la version entière comme POST …/versions, ou la liste de ses offres),",
            "et les champs `version`, `valideDu`, `valideAu` (facultatif), `note`, `couvertureDepartements` et `couvertureCommunes` (codes séparés par des virgules ; par défaut, ceux de la dernière version).",
            "Tout ou rien : au moindre problème, rien n'est enregistré et `erreurs` donne chaque ligne et colonne en cause.",
          ].join(" "),
          tags: ["catalogues"],
          consumes: ["multipart/form-data"],
          params: ReseauParams,
          response: { 201: VersionDetail, ...ERROR_RESPONSES, 413: ERROR_RESPONSES[404] },
        },
      },
      async (request, reply) => {
        const { reseau } = request.params;
        if (!request.isMultipart()) {
          throw new HttpError(400, "IMPORT_REFUSE", "Envoyez le fichier en multipart/form-data, champ « fichier »", {
            parametre: "fichier",
          });
        }
        await service.requireNetwork(reseau);
        let file: { buffer: Buffer; name: string } | undefined;
        const form: Record<string, unknown> = {};
        for await (const part of request.parts()) {
          if (part.type === "file") {
            if (part.fieldname !== "fichier")
              refuse([{ champ: part.fieldname, message: "champ de fichier inattendu (« fichier » attendu)" }]);
            file = { buffer: await part.toBuffer(), name: part.filename ?? "" };
          } else if ((FORM_FIELDS as readonly string[]).includes(part.fieldname)) {
            const value = String(part.value).trim();
            if (part.fieldname.startsWith("couverture")) {
              form[part.fieldname] = value === "" ? [] : value.split(/[\s,;]+/).filter(Boolean);
            } else if (part.fieldname === "valideAu" || part.fieldname === "note") {
              form[part.fieldname] = value === "" ? null : value;
            } else if (value !== "") form[part.fieldname] = value;
          }
        }
        if (!file || file.buffer.length === 0) refuse([{ champ: "fichier", message: "fichier manquant ou vide" }]);

        const text = decodeText(file.buffer);
        const json = /\.json$/i.test(file.name) || /^\s*[[{]/.test(text);
        let input: unknown;
        let lignes: number[] = [];
        if (json) {
          const parsed = parseJsonFile(text, form as Partial<VersionInput>);
          if ("problems" in parsed) refuse(parsed.problems);
          input = parsed.input;
        } else {
          const parsed = parseCsvFile(text);
          if (!parsed.ok) refuse(parsed.problems);
          input = { ...form, offres: parsed.offres };
          lignes = parsed.lignes;
        }
        const version = input as VersionInput;
        const invalid = schemaProblems(input, lignes);
        if (invalid.length > 0) refuse(invalid);
        const problems = validateVersion(version, service.today()).map((p) => {
          const ligne = p.offre === undefined ? undefined : lignes[p.offre];
          if (ligne === undefined)
            return { champ: p.offre === undefined ? p.champ : `offres.${p.offre}.${p.champ}`, message: p.message };
          return { ligne, champ: FIELD_COLUMNS[p.champ] ?? p.champ, message: p.message };
        });
        if (problems.length > 0) refuse(problems);
        const audit = catalogueAudit(record, request, "catalogue.version.import", reseau, version.version);
        const created = await service.createVersion(reseau, version, authorOf(request.principal), audit);
        return reply.status(201).send(versionDetail(created, service.today()));
      },
    );
  };
