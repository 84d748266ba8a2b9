import type { FastifyReply } from "fastify";

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
}

/**
 * Writes rows as CSV the way French spreadsheet users open it: semicolon separator, UTF-8 with a
 * byte-order mark, CRLF line ends, fields quoted when needed.
 */
export function toCsv<T>(rows: Iterable<T>, columns: CsvColumn<T>[]): string {
  const lines = [columns.map((c) => quote(c.header)).join(";")];
  for (const row of rows) lines.push(columns.map((c) => quote(c.value(row))).join(";"));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function quote(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sendCsv(reply: FastifyReply, filename: string, csv: string): FastifyReply {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(csv);
}
