import { describe, expect, it } from "vitest";
import { tableToXlsx } from "./table-export.ts";
import { columnLetters, readXlsx, writeXlsx, writeXlsxAsync } from "./xlsx.ts";
import { crc32, readZip, writeZip } from "./zip.ts";

describe("ZIP minimal", () => {
  it("calcule le CRC-32 de référence", () => {
    expect(crc32(Buffer.from("123456789"))).toBe(0xcbf43926);
  });

  it("relit ce qu'il écrit, entrées compressées et noms UTF-8", () => {
    const big = "ligne répétée\n".repeat(2000);
    const zip = writeZip([
      { name: "a.txt", data: "bonjour" },
      { name: "dossier/é.xml", data: big },
    ]);
    expect(zip.length).toBeLessThan(big.length / 10);
    const entries = readZip(zip);
    expect(entries.get("a.txt")?.toString()).toBe("bonjour");
    expect(entries.get("dossier/é.xml")?.toString()).toBe(big);
  });

  it("refuse une archive corrompue", () => {
    const zip = writeZip([{ name: "a.txt", data: "bonjour le monde, bonjour le monde" }]);
    zip[40] = (zip[40] as number) ^ 0xff;
    expect(() => readZip(zip)).toThrow();
  });
});

describe("XLSX minimal", () => {
  it("écrit le même classeur sans bloquer (writeXlsxAsync), octet pour octet, même au-delà d'un bloc de lignes", async () => {
    const rows = [["n", "texte"], ...Array.from({ length: 4500 }, (_, i) => [i, `ligne « ${i} » & <suite>`])];
    const sheets = [
      { name: "Grande", rows },
      { name: "Petite", rows: [["a"]] },
    ];
    const asynchronous = await writeXlsxAsync(sheets);
    expect(asynchronous.equals(writeXlsx(sheets))).toBe(true);
    expect(readXlsx(asynchronous)[0]?.rows[4500]).toEqual([4499, "ligne « 4499 » & <suite>"]);
  });

  it("nomme les colonnes comme le tableur", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetters)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });

  it("écrit un classeur valide que l'on relit à l'identique (texte, nombres, vides, caractères spéciaux)", () => {
    const rows = [
      ["code", "nom", "part"],
      ["14118", "Caen & <environs> « test »", 61.25],
      ["61001", null, 0],
      ["61002", 'guillemets "doubles"\u0001', -3],
    ];
    const file = writeXlsx([
      { name: "Données", rows },
      { name: "À propos [simulé]", rows: [["Chiffres simulés"]] },
    ]);
    const parts = readZip(file);
    for (const part of [
      "[Content_Types].xml",
      "_rels/.rels",
      "xl/workbook.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ]) {
      expect(parts.has(part), part).toBe(true);
    }
    // Every part is well-formed enough to have its root element closed.
    expect(parts.get("xl/worksheets/sheet1.xml")?.toString()).toMatch(/<\/worksheet>$/);
    const sheets = readXlsx(file);
    expect(sheets.map((s) => s.name)).toEqual(["Données", "À propos  simulé"]);
    expect(sheets[0]?.rows).toEqual([
      ["code", "nom", "part"],
      ["14118", "Caen & <environs> « test »", 61.25],
      ["61001", null, 0],
      ["61002", 'guillemets "doubles"', -3],
    ]);
  });

  it("exporte un tableau avec les mêmes colonnes que le CSV et une feuille « À propos »", () => {
    const file = tableToXlsx(
      [{ code: "14118", part: 12.5 }],
      [
        { header: "code", value: (r: { code: string }) => r.code },
        { header: "part", value: (r: { part: number }) => r.part },
      ],
      "observatoire",
      ["Chiffres simulés à partir d'agrégats réels"],
    );
    const [data, about] = readXlsx(file);
    expect(data?.rows).toEqual([
      ["code", "part"],
      ["14118", 12.5],
    ]);
    expect(about?.rows[1]).toEqual(["Chiffres simulés à partir d'agrégats réels"]);
  });
});
