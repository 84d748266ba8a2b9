import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ParsedBatch,
  packBatch,
  parseWorkerReady,
  prewarmRecordParsing,
  readParsedRecords,
  startRecordParsing,
  unpackBatch,
} from "./parse-records.ts";
import type { Rejet } from "./rejections.ts";
import type { ThdImportContext } from "./run-thd-import.ts";

const dir = mkdtempSync(path.join(tmpdir(), "parse-records-"));
const file = (name: string, text: string) => {
  const chemin = path.join(dir, name);
  writeFileSync(chemin, text);
  return chemin;
};
const contextOf = (chemin: string, octets = 1) => {
  const rejets: Rejet[] = [];
  const ctx = {
    fichiers: [{ chemin, nom: path.basename(chemin), encodage: "utf-8", octets, sha256: "", bom: false }],
    onProgress: () => {},
    rejeter: (r: Rejet) => rejets.push(r),
  } as unknown as ThdImportContext;
  return { ctx, rejets };
};
/** Reads an eligibilite file: the parsed rows (values) and the rejections, in file order. */
const read = async (chemin: string, octets = 1) => {
  const { ctx, rejets } = contextOf(chemin, octets);
  const rows: unknown[][] = [];
  const lignes = await readParsedRecords(
    ctx,
    "eligibilite",
    startRecordParsing(ctx, { kind: "eligibilite", trimestre: "2020T1" }),
    {
      row: (values, offset, ligne) => {
        rows.push([ligne, ...values.slice(offset, offset + 8)]);
      },
      rejected: (refused) => {
        for (const r of refused.rejets) rejets.push(r);
      },
    },
  );
  return { lignes, rows, rejets };
};
const waitForWorker = async () => {
  prewarmRecordParsing();
  for (let i = 0; i < 200 && !parseWorkerReady(); i++) await new Promise((r) => setTimeout(r, 50));
  expect(parseWorkerReady()).toBe(true);
};

const ELIGIBILITE = [
  "imb_id;code_operateur;code_techno;classe_debit_montant;classe_debit_descendant;limitation;saturation",
  "1001;FRTE;CU;HD05;HD3;;false",
  "1002;SFR0;XX;HD05;THD9;;false",
  ";BOUY;4GF;HD3;THD30;200;oui",
  "1003;STAK;SAT;THD30;THD30;12;",
].join("\n");

describe("analyse des fichiers d'immeubles dans un worker (parse-records)", () => {
  afterEach(() => {
    delete process.env.TERRITOIRE_THD_PARSE_WORKER;
  });

  // First of the file: the worker is not started yet.
  it("attend le worker qui se charge pour un gros fichier, et en donne les mêmes valeurs", async () => {
    const chemin = file("gros.csv", ELIGIBILITE);
    expect(parseWorkerReady()).toBe(false);
    // Declared as 64 MiB: past the size at which an import waits for a loading worker.
    const waited = await read(chemin, 64 * 1024 * 1024);
    expect(parseWorkerReady()).toBe(true);
    process.env.TERRITOIRE_THD_PARSE_WORKER = "non";
    expect(waited).toEqual(await read(chemin));
    expect(waited.lignes).toBe(4);
  });

  it("donne les mêmes valeurs et les mêmes rejets dans le worker et dans ce fil", async () => {
    const chemin = file("actuel.csv", ELIGIBILITE);
    process.env.TERRITOIRE_THD_PARSE_WORKER = "non";
    const here = await read(chemin);
    delete process.env.TERRITOIRE_THD_PARSE_WORKER;
    await waitForWorker();
    const inWorker = await read(chemin);
    expect(inWorker).toEqual(here);
    expect(here.lignes).toBe(4);
    expect(here.rows).toEqual([
      [2, "2020T1", "1001", "FRTE", "CU", "HD05", "HD3", null, 0],
      [5, "2020T1", "1003", "STAK", "SAT", "THD30", "THD30", 12, 0],
    ]);
    expect(here.rejets.map((r) => [r.ligne, r.champ])).toEqual([
      [3, "code_techno"],
      [3, "classe_debit_descendant"],
      [4, "imb_id"],
    ]);
  });

  it("transmet depuis le worker le refus d'un en-tête incomplet, et le fichier vide", async () => {
    await waitForWorker();
    await expect(read(file("mauvais.csv", "imb_id,code_techno\n1,FO\n"))).rejects.toMatchObject({
      name: "ThdFileError",
    });
    await waitForWorker();
    const empty = await read(file("vide.csv", ""));
    expect(empty.lignes).toBe(0);
    expect(empty.rejets.map((r) => r.champ)).toEqual(["en-tête"]);
  });

  it("empaquette un lot sans rien perdre : textes répétés, nombres, NULL, séparateur dans une valeur", () => {
    const batch: ParsedBatch = {
      type: "batch",
      fileIndex: 0,
      octetsLus: 10,
      lignes: [2, 3],
      ok: [1, 1],
      values: ["a", "b", null, 1.5, -0, "a", "", 7],
      rejected: [],
    };
    const packed = packBatch(batch);
    expect(packed?.wordCount).toBe(3);
    expect(unpackBatch(packed as NonNullable<typeof packed>)).toEqual({
      ...batch,
      lignes: new Int32Array([2, 3]),
      ok: new Uint8Array([1, 1]),
    });
    expect(packBatch({ ...batch, values: ["a\u0001b"] })).toBeUndefined();
  });
});
