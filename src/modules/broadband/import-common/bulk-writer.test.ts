import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import {
  type BulkColumn,
  bulkStatement,
  SQLITE_ROWS_PER_STATEMENT,
  selectRows,
  selectTextColumns,
} from "./bulk-writer.ts";

const COLUMNS: readonly BulkColumn[] = [
  ["k", "text"],
  ["t", "text"],
  ["i", "integer"],
  ["d", "double precision"],
];
const names = COLUMNS.map(([c]) => c).join(", ");

/** A row per number, with text that needs no escaping to be wrong (quotes, separators, accents). */
const rowOf = (n: number) => [`k${String(n).padStart(5, "0")}`, n % 7 === 0 ? null : `l'é;"${n}"`, n, n / 8];

describeEachDatabase("Écriture en masse des importeurs (bulkStatement, selectRows)", (ctx) => {
  beforeEach(async () => {
    await sql`drop table if exists bulk_essai`.execute(ctx.db);
    await sql`create table bulk_essai (k text primary key, t text, i integer, d double precision)`.execute(ctx.db);
  });
  const insert = () =>
    bulkStatement(ctx.db, {
      columns: COLUMNS,
      sqlite: (values) => `insert into bulk_essai (${names}) ${values} on conflict do nothing`,
      postgres: (source) => `insert into bulk_essai (${names}) select * from ${source} on conflict do nothing`,
    });
  const read = () =>
    selectRows<[string, string | null, number, number]>(ctx.db, `select ${names} from bulk_essai order by k`, []);

  it("écrit toutes les lignes et leurs valeurs, quel que soit leur nombre (statements pleins et reste)", async () => {
    const writer = insert();
    let expected: unknown[][] = [];
    // 0, 1, a full statement, one more, and a rest that needs several smaller statements.
    for (const count of [
      0,
      1,
      SQLITE_ROWS_PER_STATEMENT,
      SQLITE_ROWS_PER_STATEMENT + 1,
      3 * SQLITE_ROWS_PER_STATEMENT + 77,
    ]) {
      const start = expected.length;
      const rows = Array.from({ length: count }, (_, j) => rowOf(start + j));
      expect(await writer.run(rows)).toBe(count);
      expected = [...expected, ...rows];
    }
    expect(await read()).toEqual(expected);
  });

  it("compte les lignes réellement écrites : un doublon (déjà en base ou dans le même lot) ne l'est pas", async () => {
    const writer = insert();
    await writer.run([rowOf(1), rowOf(2)]);
    const rows = Array.from({ length: 300 }, (_, j) => rowOf(j));
    rows.splice(150, 0, rowOf(149));
    expect(await writer.run(rows)).toBe(298);
    expect((await read()).map((r) => r[0])).toEqual(
      rows
        .filter((_, j) => j !== 150)
        .map((r) => r[0])
        .sort(),
    );
  });

  it("met à jour en masse : une ligne de table par ligne, statements pleins et reste", async () => {
    const count = 2 * SQLITE_ROWS_PER_STATEMENT + 3;
    await insert().run(Array.from({ length: count }, (_, j) => rowOf(j)));
    const update = bulkStatement(ctx.db, {
      columns: [
        ["t", "text"],
        ["k", "text"],
      ],
      sqlite: (values) => `with v(t, k) as (${values}) update bulk_essai set t = v.t from v where bulk_essai.k = v.k`,
      postgres: (source) => `update bulk_essai set t = v.t from ${source} where bulk_essai.k = v.k`,
    });
    const rows = Array.from({ length: count }, (_, j) => [`nouveau ${j}`, rowOf(j)[0]]);
    expect(await update.run(rows)).toBe(count);
    expect((await read()).map((r) => r[1])).toEqual(rows.map((r) => r[0]));
  });

  it("selectRows rend des tableaux dans l'ordre des colonnes, paramètres `?` compris", async () => {
    await insert().run([rowOf(1), rowOf(2), rowOf(3)]);
    const rows = await selectRows<[number, string]>(
      ctx.db,
      "select i, k from bulk_essai where i >= ? and k <> ? order by i",
      [2, "k00003"],
    );
    expect([...rows]).toEqual([[2, "k00002"]]);
  });

  it("runValues écrit des lignes posées à plat, à partir de la ligne demandée", async () => {
    const rows = Array.from({ length: SQLITE_ROWS_PER_STATEMENT + 5 }, (_, j) => rowOf(j));
    expect(await insert().runValues(rows.flat(), 2, rows.length - 3)).toBe(rows.length - 3);
    expect(await read()).toEqual(rows.slice(2, rows.length - 1));
  });

  it("selectTextColumns rend une colonne par tableau, dans le même ordre, NULL compris, même avec des séparateurs dans les valeurs", async () => {
    const rows = Array.from({ length: 50 }, (_, j) => rowOf(j));
    await insert().run(rows);
    // Rows in no particular order, but the same one in every column.
    const columns = () =>
      selectTextColumns(ctx.db, ["k", "t", "i"], "bulk_essai where i >= ?", [10]).then((found) =>
        (found[0] ?? [])
          .map((k, r) => [k, found[1]?.[r], found[2]?.[r]])
          .sort((a, b) => (a[2] ?? "").localeCompare(b[2] ?? "", "en", { numeric: true })),
      );
    const expected = rows.slice(10).map(([k, t, i]) => [k, t, String(i)]);
    expect(await columns()).toEqual(expected);
    // Values that hold the separator or are the null marker: still read right (row by row).
    await sql`update bulk_essai set t = ${"a\u0001b"} where i = 12`.execute(ctx.db);
    await sql`update bulk_essai set t = ${"\u0002"} where i = 13`.execute(ctx.db);
    const withSeparators = expected.map((r) =>
      r[2] === "12" ? [r[0], "a\u0001b", r[2]] : r[2] === "13" ? [r[0], "\u0002", r[2]] : r,
    );
    expect(await columns()).toEqual(withSeparators);
    expect(await selectTextColumns(ctx.db, ["k", "t"], "bulk_essai where i < 0", [])).toEqual([[], []]);
  });
});
