import { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { parse } from "csv-parse/sync";
import type { FastifyReply } from "fastify";
import { access } from "../../../shared/http/access-control.ts";
import { ErrorResponse } from "../../../shared/http/error-response.schema.ts";
import { HttpError } from "../../../shared/http/errors.ts";
import { RESULT_TYPES, type ResultType } from "../search-engine/address-index.ts";
import type { AddressIndexService } from "./address-index.service.ts";

/** Largest file accepted, and most rows geocoded in one request. */
export const CSV_LIMITS = { bytes: 50 * 1024 * 1024, rows: 200_000 };

// The national API's result columns, in its order.
const RESULT_COLUMNS = [
  "latitude",
  "longitude",
  "result_label",
  "result_score",
  "result_score_next",
  "result_type",
  "result_id",
  "result_housenumber",
  "result_name",
  "result_street",
  "result_postcode",
  "result_city",
  "result_context",
  "result_citycode",
  "result_oldcitycode",
  "result_oldcity",
  "result_district",
  "result_status",
] as const;

const badRequest = (message: string, parametre: string) => new HttpError(400, "CSV_INVALIDE", message, { parametre });

/** UTF-8, or Windows-1252 as spreadsheets often save it; the encoding used is told back in a header. */
function decode(buffer: Buffer): { text: string; encoding: "utf-8" | "windows-1252" } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(buffer).replace(/^\uFEFF/, ""), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(buffer), encoding: "windows-1252" };
  }
}

function detectDelimiter(headerLine: string): string {
  const counts = [";", ",", "\t", "|"].map((d) => [d, headerLine.split(d).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0] ?? ",";
}

function quote(value: string, delimiter: string): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const isResultType = (value: string): value is ResultType => (RESULT_TYPES as readonly string[]).includes(value);

/**
 * `POST /api/adresse/search/csv` as the national API has it: a CSV file (`data`), the columns that
 * make up the address (`columns`, repeatable; all by default), optional `postcode`, `citycode` and
 * `type` columns used as filters (`type` may also be a type itself, `locality`…, for every line).
 * Answers the same CSV with the result columns appended, streamed; a line that cannot be geocoded
 * gets empty results and a status, never an aborted file.
 */
export const searchAddressesCsvRoute =
  (indexes: AddressIndexService): FastifyPluginAsyncTypebox =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: CSV_LIMITS.bytes, files: 1, fields: 20 } });
    app.post(
      "/api/adresse/search/csv",
      {
        config: { access: access.public() },
        bodyLimit: CSV_LIMITS.bytes + 1024 * 1024,
        schema: {
          summary: "Géocoder un fichier CSV (compatible avec l'API Adresse nationale)",
          description:
            "Formulaire multipart : `data` (le fichier, UTF-8 ou Windows-1252, séparateur détecté), `columns` (colonnes qui forment l'adresse, répétable), `postcode`, `citycode` et `type` (colonnes servant de filtres ; `type` peut aussi être un type pour tout le fichier : housenumber, street, locality, municipality). Réponse : le même CSV avec les colonnes result_* ajoutées.",
          tags: ["adresses"],
          consumes: ["multipart/form-data"],
          produces: ["text/csv"],
          response: { 400: ErrorResponse, 413: ErrorResponse },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart())
          throw badRequest("Envoyez le fichier en multipart/form-data, champ « data »", "data");
        let file: Buffer | undefined;
        let fileName = "adresses.csv";
        const columns: string[] = [];
        const filterColumns: { postcode?: string; citycode?: string; type?: string } = {};
        for await (const part of request.parts()) {
          if (part.type === "file") {
            if (part.fieldname !== "data")
              throw badRequest(`Champ de fichier inattendu « ${part.fieldname} »`, part.fieldname);
            file = await part.toBuffer();
            fileName = part.filename || fileName;
          } else if (part.fieldname === "columns") {
            columns.push(String(part.value));
          } else if (part.fieldname === "postcode" || part.fieldname === "citycode" || part.fieldname === "type") {
            filterColumns[part.fieldname] = String(part.value);
          }
        }
        if (!file || file.length === 0) throw badRequest("Fichier CSV manquant ou vide (champ « data »)", "data");

        const { text, encoding } = decode(file);
        const firstLine = text.slice(0, text.search(/\r?\n|$/));
        const delimiter = detectDelimiter(firstLine);
        let rows: string[][];
        try {
          rows = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, relax_quotes: true });
        } catch (error) {
          throw badRequest(`CSV illisible : ${(error as Error).message}`, "data");
        }
        const [firstRow, ...data] = rows;
        if (!firstRow || firstRow.length === 0) throw badRequest("Le fichier n'a pas de ligne d'en-tête", "data");
        const header: string[] = firstRow;
        if (data.length > CSV_LIMITS.rows) {
          throw new HttpError(
            413,
            "CSV_TROP_GRAND",
            `Au plus ${CSV_LIMITS.rows.toLocaleString("fr-FR")} lignes par fichier`,
          );
        }
        const indexOf = (name: string, parametre: string) => {
          const i = header.indexOf(name);
          if (i < 0) throw badRequest(`Colonne « ${name} » absente de l'en-tête`, parametre);
          return i;
        };
        const addressColumns = columns.length > 0 ? columns.map((c) => indexOf(c, "columns")) : header.map((_, i) => i);
        const postcodeColumn = filterColumns.postcode ? indexOf(filterColumns.postcode, "postcode") : -1;
        const citycodeColumn = filterColumns.citycode ? indexOf(filterColumns.citycode, "citycode") : -1;
        // `type`: a column of per-line types, as addok-csv reads it, or one type for the whole file.
        let typeColumn = -1;
        let fileType: ResultType | undefined;
        if (filterColumns.type) {
          typeColumn = header.indexOf(filterColumns.type);
          if (typeColumn < 0) {
            if (!isResultType(filterColumns.type))
              throw badRequest(
                `« ${filterColumns.type} » n'est ni une colonne de l'en-tête ni un type (${RESULT_TYPES.join(", ")})`,
                "type",
              );
            fileType = filterColumns.type;
          }
        }
        const index = indexes.loaded?.index;

        function* lines(): Generator<string> {
          yield `${[...header, ...RESULT_COLUMNS].map((v) => quote(v, delimiter)).join(delimiter)}\r\n`;
          for (const row of data) {
            const q = addressColumns
              .map((i) => row[i] ?? "")
              .join(" ")
              .trim();
            const postcode = postcodeColumn >= 0 ? row[postcodeColumn]?.trim() : undefined;
            const citycode = citycodeColumn >= 0 ? row[citycodeColumn]?.trim() : undefined;
            const rowType = typeColumn >= 0 ? (row[typeColumn]?.trim() ?? "") : "";
            let results: string[];
            if (q.length < 3 || !index) {
              results = [...RESULT_COLUMNS.map(() => "").slice(0, -1), "skipped"];
            } else {
              const type = rowType === "" ? fileType : rowType;
              // An unknown type on a line matches nothing, as addok's filter does.
              const found =
                type !== undefined && !isResultType(type)
                  ? []
                  : index.search(q, {
                      limit: 2,
                      autocomplete: false,
                      ...(postcode && /^\d{5}$/.test(postcode) ? { postcode } : {}),
                      ...(citycode && /^[0-9AB]{5}$/.test(citycode) ? { citycode } : {}),
                      ...(type !== undefined ? { type } : {}),
                    });
              const best = found[0];
              results = best
                ? [
                    String(best.lat),
                    String(best.lon),
                    best.label,
                    best.score.toFixed(4),
                    found[1] ? found[1].score.toFixed(4) : "",
                    best.type,
                    best.id,
                    best.housenumber ?? "",
                    best.name,
                    best.street ?? "",
                    best.postcode,
                    best.city,
                    best.context,
                    best.citycode,
                    "",
                    "",
                    "",
                    "ok",
                  ]
                : [...RESULT_COLUMNS.map(() => "").slice(0, -1), "not-found"];
            }
            const padded = header.map((_, i) => row[i] ?? "");
            yield `${[...padded, ...results].map((v) => quote(v, delimiter)).join(delimiter)}\r\n`;
          }
        }

        return (reply as FastifyReply)
          .header("content-type", `text/csv; charset=utf-8`)
          .header(
            "content-disposition",
            `attachment; filename="${fileName.replace(/[^\w.-]/g, "_").replace(/\.csv$/i, "")}.geocoded.csv"`,
          )
          .header("x-encodage-detecte", encoding)
          .send(Readable.from(lines()));
      },
    );
  };
