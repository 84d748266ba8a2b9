import { describe, expect, it } from "vitest";
import { banLine, generateFixture, writeBanFile } from "../test-fixtures.ts";
import { BanFileError, SeenIds, splitQuoted } from "./parse-ban.ts";
import { type FileBatch, parseBanFiles, parseBanFilesInWorker } from "./parse-ban-in-worker.ts";

async function collect(batches: AsyncGenerator<FileBatch>) {
  const rows: unknown[] = [];
  const rejections: unknown[] = [];
  for await (const b of batches) {
    rows.push(...b.rows.map((r) => [b.fileIndex, ...r]));
    rejections.push(...b.rejections);
  }
  return { rows, rejections };
}

describe("Lecture des fichiers BAN", () => {
  it("donne le même résultat dans un worker et dans le fil principal", async () => {
    const files = [
      generateFixture(3).file,
      writeBanFile([banLine(), banLine({ id: "14118_0120_00012", numero: "x" })], "adresses-mixte.csv"),
    ];
    const inline = await collect(parseBanFiles(files));
    const inWorker = await collect(parseBanFilesInWorker(files));
    expect(inWorker).toEqual(inline);
    expect(inline.rows.length).toBeGreaterThan(2000);
    expect(inline.rejections).toHaveLength(1);
  });

  it("transmet depuis le worker le refus d'un fichier entier", async () => {
    const file = writeBanFile([Buffer.from(banLine({ nom_voie: "Rue Écuyère" }), "latin1")], "adresses-latin1.csv");
    await expect(collect(parseBanFilesInWorker([file]))).rejects.toThrow(BanFileError);
  });

  it("découpe les champs entre guillemets", () => {
    expect(splitQuoted('a;"b;c";"d ""e""";')).toEqual(["a", "b;c", 'd "e"', ""]);
  });
});

describe("Identifiants déjà lus dans un fichier", () => {
  it("reconnaît une répétition, que le fichier soit trié par identifiant ou non", () => {
    for (const order of [
      ["a_1", "a_2", "a_3", "b_1"],
      ["b_1", "a_2", "a_1", "a_3"],
      ["a_1", "a_3", "a_2", "b_1"],
    ]) {
      const seen = new SeenIds();
      for (const id of order) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      for (const id of order) expect(seen.has(id)).toBe(true);
      expect(seen.has("a_0")).toBe(false);
      expect(seen.has("c_1")).toBe(false);
    }
  });

  it("reconnaît une répétition qui suit immédiatement, ou qui revient après d'autres", () => {
    const seen = new SeenIds();
    seen.add("14118_0100_00001");
    expect(seen.has("14118_0100_00001")).toBe(true);
    seen.add("14118_0100_00002");
    seen.add("14118_0100_00003");
    expect(seen.has("14118_0100_00002")).toBe(true);
    seen.add("14118_0100_00004");
    expect(seen.has("14118_0100_00004")).toBe(true);
    expect(seen.has("14118_0100_00005")).toBe(false);
  });
});
