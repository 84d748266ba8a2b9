import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../../shared/progress/progress.ts";
import { inspectCsvFile, READ_CHUNK_BYTES } from "./csv-reader.ts";
import { readImportRecords } from "./read-records.ts";
import type { Rejet } from "./rejections.ts";
import type { ThdImportContext, ThdImportFile } from "./run-thd-import.ts";

const dir = mkdtempSync(path.join(tmpdir(), "thd-records-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function importFile(name: string, content: string): Promise<ThdImportFile> {
  const chemin = path.join(dir, name);
  writeFileSync(chemin, content);
  return { chemin, nom: name, ...(await inspectCsvFile(chemin)) };
}

function context(fichiers: ThdImportFile[]) {
  const rejets: Rejet[] = [];
  const progress: ProgressEvent[] = [];
  const ctx = {
    fichiers,
    rejeter: (r: Rejet) => rejets.push(r),
    nombreRejets: () => rejets.length,
    ignorerRejets: false,
    onProgress: (e: ProgressEvent) => progress.push(e),
  } as unknown as ThdImportContext;
  return { ctx, rejets, progress };
}

describe("lecture des fichiers d'un import (readImportRecords)", () => {
  it("en-tête puis lignes de chaque fichier, dans l'ordre, promesses attendues ; progression en octets ; fichier vide rejeté", async () => {
    const big = ["a;b", ...Array.from({ length: 20_000 }, (_, i) => `${i};${"x".repeat(i % 10)}`)].join("\n");
    const first = await importFile("premier.csv", big);
    const empty = await importFile("vide.csv", "");
    const second = await importFile("second.csv", "a;b\n1;2\n\n3;4\n");
    const { ctx, rejets, progress } = context([first, empty, second]);
    const seen: string[] = [];
    let batches = 0;
    let pending = 0;
    const lignes = await readImportRecords(ctx, "essai", {
      header: (line, fichier) => `${fichier.nom}:${line.champs.join("|")}`,
      record: (header, line, fichier) => {
        if (fichier.nom !== "premier.csv") seen.push(`${header} ${line.ligne}:${line.champs.join("|")}`);
        // A promise returned by a record is awaited before the next record.
        if (line.ligne === 3) {
          pending++;
          return new Promise<void>((resolve) =>
            setTimeout(() => {
              pending--;
              resolve();
            }, 5),
          );
        }
        expect(pending).toBe(0);
      },
      afterBatch: async () => {
        batches++;
      },
    });
    expect(lignes).toBe(20_000 + 2);
    expect(seen).toEqual(["second.csv:a|b 2:1|2", "second.csv:a|b 4:3|4"]);
    expect(batches).toBeGreaterThan(Math.floor(Buffer.byteLength(big) / READ_CHUNK_BYTES));
    expect(rejets).toEqual([
      { ligne: 1, champ: "en-tête", valeur: "", message: "fichier vide : en-tête essai attendu", fichier: "vide.csv" },
    ]);
    const lastOfFirst = progress.filter((e) => e.step === "Lecture de premier.csv").at(-1);
    expect(lastOfFirst).toMatchObject({ done: first.octets, total: first.octets });
  });
});
