import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { communeResolver } from "./commune-codes.ts";
import { type CsvLine, inspectCsvFile, openCsv, READ_CHUNK_BYTES } from "./csv-reader.ts";
import { parseCommuneCode, parseCount, parseDate } from "./fields.ts";
import { columnsOf } from "./file-checks.ts";
import { formatRejet, rejet, ThdFileError } from "./rejections.ts";

const dir = mkdtempSync(path.join(tmpdir(), "thd-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(p: string, options = {}): Promise<CsvLine[]> {
  const reader = await openCsv(p, options);
  const out: CsvLine[] = [];
  for await (const line of reader.lines()) out.push(line);
  return out;
}

describe("lecteur CSV des imports THD", () => {
  it("numérote les lignes comme le fichier : BOM, CRLF, lignes vides, champs entre guillemets sur plusieurs lignes", async () => {
    const p = file("a.csv", '\uFEFFa;b;c\r\n1;"x;y";3\r\n\r\n4;"sur\r\ndeux ""lignes""";6\r\n7;é;9');
    const lines = await readAll(p);
    expect(lines).toEqual([
      { ligne: 1, champs: ["a", "b", "c"] },
      { ligne: 2, champs: ["1", "x;y", "3"] },
      { ligne: 4, champs: ["4", 'sur\ndeux "lignes"', "6"] },
      { ligne: 6, champs: ["7", "é", "9"] },
    ]);
  });

  it("lit de même un fichier de plusieurs lots : lots sans guillemets, guillemets à cheval sur deux lots, CRLF", async () => {
    // Lines long enough that the file spans several READ_CHUNK_BYTES reads; a quoted field over two
    // physical lines sits across the first read boundary, and `"` appears only in a few reads.
    const lines: string[] = [];
    const expected: CsvLine[] = [];
    let physical = 0;
    let length = 0;
    let quoted = false;
    while (length < 3 * READ_CHUNK_BYTES) {
      const n = lines.length;
      if (!quoted && length > READ_CHUNK_BYTES - 200) {
        quoted = true;
        lines.push(`${n};"${"q".repeat(150)}\r\nsuite ""${n}""";fin`);
        expected.push({ ligne: physical + 1, champs: [String(n), `${"q".repeat(150)}\nsuite "${n}"`, "fin"] });
        physical += 2;
      } else if (n % 97 === 5) {
        lines.push("");
        physical += 1;
      } else {
        lines.push(`${n};${"v".repeat(n % 40)};${n * 3}`);
        expected.push({ ligne: physical + 1, champs: [String(n), "v".repeat(n % 40), String(n * 3)] });
        physical += 1;
      }
      length += (lines.at(-1) as string).length + 2;
    }
    const p = file("lots.csv", `${lines.join("\r\n")}\r\n`);
    const reader = await openCsv(p, { separateur: ";" });
    const read: CsvLine[] = [];
    let batches = 0;
    for await (const batch of reader.batches()) {
      batches++;
      read.push(...batch);
    }
    expect(batches).toBeGreaterThan(2);
    expect(reader.octetsLus()).toBe(Buffer.byteLength(`${lines.join("\r\n")}\r\n`));
    expect(read).toEqual(expected);
  });

  it("détecte le séparateur et l'encodage windows-1252 (BOM retiré quel que soit l'encodage)", async () => {
    const latin = file(
      "b.csv",
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from("code,nom\n14118,Caen\n61001,Alen\xe7on\n", "latin1"),
      ]),
    );
    const reader = await openCsv(latin);
    expect(reader.encodage).toBe("windows-1252");
    const lines: CsvLine[] = [];
    for await (const l of reader.lines()) lines.push(l);
    expect(reader.separateur()).toBe(",");
    expect(lines.map((l) => l.champs)).toEqual([
      ["code", "nom"],
      ["14118", "Caen"],
      ["61001", "Alençon"],
    ]);
    expect((await inspectCsvFile(latin)).bom).toBe(true);
  });

  it("reconnaît l'UTF-8 valide même quand un caractère est coupé entre deux blocs lus", async () => {
    // 1 MiB blocks: "é" (2 bytes) straddles the first block boundary.
    const head = "x".repeat((1 << 20) - 1);
    const p = file("c.csv", `${head}é;1\nsuite;2\n`);
    const facts = await inspectCsvFile(p);
    expect(facts.encodage).toBe("utf-8");
    const lines = await readAll(p, { separateur: ";" });
    expect(lines[0]?.champs[0]?.endsWith("xé")).toBe(true);
    expect(lines[1]).toEqual({ ligne: 2, champs: ["suite", "2"] });
    expect(facts.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("saute les lignes de titre demandées sans perdre la numérotation", async () => {
    const p = file("d.csv", "Titre,,\nSous-titre,,\n,,\nCode,Champ,T1 2018\n14118,Locaux,3\n");
    const lines = await readAll(p, { lignesIgnorees: 3 });
    expect(lines[0]).toEqual({ ligne: 4, champs: ["Code", "Champ", "T1 2018"] });
  });

  it("nomme les colonnes manquantes et soupçonne le séparateur quand l'en-tête ne forme qu'une colonne", () => {
    const header = { ligne: 1, champs: ["code_insee,nbr,type"] };
    try {
      columnsOf(header, { obligatoires: ["code_insee", "nbr"] }, "f.csv");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ThdFileError);
      const e = error as ThdFileError;
      expect(e.rejets[0]).toMatchObject({ ligne: 1, champ: "en-tête" });
      expect(e.message).toContain("séparateur");
    }
    expect(
      columnsOf(
        { ligne: 1, champs: ["Code_INSEE", "elig_4fg"] },
        { obligatoires: ["code_insee", ["elig_4gf", "elig_4fg"]] },
      ),
    ).toEqual(
      new Map([
        ["code_insee", 0],
        ["elig_4gf", 1],
      ]),
    );
  });

  it("lit nombres, codes commune et dates, et rend les rejets en français", () => {
    expect(parseCount("12\u00a0218")).toBe(12218);
    expect(parseCount("1 234")).toBe(1234);
    expect(parseCount("12,5")).toBeUndefined();
    expect(parseCount("-3")).toBeUndefined();
    expect(parseCommuneCode("1001")).toBe("01001");
    expect(parseCommuneCode("2a004")).toBe("2A004");
    expect(parseCommuneCode("123")).toBeUndefined();
    expect(parseDate("2026-11-30")).toBe("2026-11-30");
    expect(parseDate("2026-11-30T00:00:00+00:00")).toBe("2026-11-30");
    expect(parseDate("30/11/2026")).toBe("2026-11-30");
    expect(parseDate("2026-02-30")).toBeUndefined();
    expect(formatRejet(rejet(12, "code_insee", "1400", "commune inconnue", "f.csv"))).toBe(
      "f.csv ligne 12, champ code_insee « 1400 » : commune inconnue",
    );
  });

  it("rapporte chaque code commune au COG 2026 de la région, ou le dit d'une autre région, ou inconnu", () => {
    const normandie = communeResolver("28");
    expect(normandie.resolve("14118")).toEqual({ kind: "commune", code: "14118" });
    expect(normandie.resolve("14513")).toEqual({ kind: "commune", code: "50592" }); // Pont-Farcy (Calvados) → Tessy-Bocage (Manche)
    expect(normandie.resolve("35238")).toEqual({ kind: "autre" });
    expect(normandie.resolve("14999").kind).toBe("inconnue");
    expect(normandie.resolve("1411").kind).toBe("autre"); // 01411 after the lost zero is restored
    expect(normandie.resolve("abc").kind).toBe("invalide");
    expect(communeResolver("84").resolve("1001")).toEqual({ kind: "commune", code: "01001" });
  });
});
