import type { FastifyReply } from "fastify";
import { type CsvColumn, sendCsv, toCsv } from "../http/csv.ts";
import { type CellValue, writeXlsx } from "./xlsx.ts";

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Builds the XLSX version of a table: the same columns as its CSV, and an optional « À propos » sheet. */
export function tableToXlsx<T>(rows: Iterable<T>, columns: CsvColumn<T>[], sheetName: string, about: string[] = []) {
  const data: CellValue[][] = [columns.map((c) => c.header)];
  for (const row of rows) data.push(columns.map((c) => c.value(row)));
  return writeXlsx([
    { name: sheetName, rows: data },
    ...(about.length > 0
      ? [{ name: "À propos", rows: [["À propos de ces données"], ...about.map((line) => [line])] }]
      : []),
  ]);
}

/**
 * Sends a table as CSV (`;`, BOM, CRLF, like every list of the platform) or XLSX, as a download
 * named `<baseName>.csv|xlsx`.
 */
export function sendTable<T>(
  reply: FastifyReply,
  format: "csv" | "xlsx",
  baseName: string,
  rows: T[],
  columns: CsvColumn<T>[],
  about: string[] = [],
): FastifyReply {
  if (format === "csv") return sendCsv(reply, `${baseName}.csv`, toCsv(rows, columns));
  return reply
    .header("content-type", XLSX_CONTENT_TYPE)
    .header("content-disposition", `attachment; filename="${baseName}.xlsx"`)
    .send(tableToXlsx(rows, columns, baseName.slice(0, 31), about));
}
