import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadRegionCog } from "../../shared/cog/cog-source.ts";
import { generateDemoAddresses } from "./generate-demo-addresses/generate-demo-addresses.ts";
import { BAN_HEADER, LIEU_DIT_NUMERO, LIEUX_DITS_HEADER } from "./import-ban/ban-format.ts";

/** A small fixture: one EPCI of the Orne (CC du Pays Fertois et du Bocage Carrougien, 19 communes). */
export const FIXTURE_EPCI = "200071652";

export function fixtureCommunes(): string[] {
  const epci = loadRegionCog("28").epcis.find((e) => e.code === FIXTURE_EPCI);
  if (!epci) throw new Error(`EPCI ${FIXTURE_EPCI} absent du COG`);
  return epci.membres.map((m) => m.code);
}

export function generateFixture(graine = 7, dir = mkdtempSync(path.join(tmpdir(), "adresses-"))) {
  const report = generateDemoAddresses({ outDir: dir, departements: ["61"], communes: fixtureCommunes(), graine });
  return { dir, report, file: path.join(dir, "adresses-61.csv") };
}

/** A BAN line for Caen (14118) with the given overrides. */
export function banLine(
  overrides: Partial<Record<"id" | "numero" | "nom_voie" | "code_insee" | "lon" | "lat", string>> = {},
): string {
  const v = {
    id: "14118_0120_00008",
    numero: "8",
    nom_voie: "Rue Écuyère",
    code_insee: "14118",
    lon: "-0.369",
    lat: "49.183",
    ...overrides,
  };
  return [
    v.id,
    "14118_0120",
    v.numero,
    "",
    v.nom_voie,
    "14000",
    v.code_insee,
    "Caen",
    "",
    "",
    "",
    "",
    v.lon,
    v.lat,
    "entrée",
    "",
    "",
    "CAEN",
    "RUE ECUYERE",
    "commune",
    "commune",
    "1",
    "",
  ].join(";");
}

export function writeBanFile(
  lines: (string | Buffer)[],
  name = "adresses-test.csv",
  options: { bom?: boolean; eol?: string } = {},
): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ban-"));
  const file = path.join(dir, name);
  const eol = options.eol ?? "\n";
  const parts: Buffer[] = [];
  if (options.bom) parts.push(Buffer.from("\uFEFF", "utf8"));
  for (const line of [BAN_HEADER, ...lines]) {
    parts.push(typeof line === "string" ? Buffer.from(line, "utf8") : line, Buffer.from(eol, "utf8"));
  }
  writeFileSync(file, Buffer.concat(parts));
  return file;
}

/** A line of a BAN lieux-dits file (`lieux-dits-<dep>-beta.csv`) for Caen (14118), with the given overrides. */
export function lieuDitLine(
  overrides: Partial<Record<"id" | "nom_lieu_dit" | "code_insee" | "lon" | "lat", string>> = {},
): string {
  const v = {
    id: "14118_b001",
    nom_lieu_dit: "Le Hamel",
    code_insee: "14118",
    lon: "-0.371",
    lat: "49.185",
    ...overrides,
  };
  return [v.id, v.nom_lieu_dit, "14000", v.code_insee, "Caen", "", "", "", "", v.lon, v.lat, "commune", "commune"].join(
    ";",
  );
}

export function writeLieuxDitsFile(lines: (string | Buffer)[], name = "lieux-dits-14-beta.csv"): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ban-"));
  const file = path.join(dir, name);
  writeFileSync(file, [LIEUX_DITS_HEADER, ...lines, ""].join("\n"));
  return file;
}

/**
 * A BAN address file as the BAN publishes it: the lieux-dits without numbers (numero 99999 in the
 * demo file, as a BAL writes them) moved to a companion lieux-dits file. Returns both paths.
 */
export function splitLieuxDits(banFile: string): { adresses: string; lieuxDits: string } {
  const [header, ...lines] = readFileSync(banFile, "utf8").trimEnd().split("\n");
  const numbered: string[] = [];
  const lieuxDits: string[] = [];
  for (const line of lines) {
    const f = line.split(";");
    if (f[2] !== String(LIEU_DIT_NUMERO)) {
      numbered.push(line);
      continue;
    }
    // id;nom_lieu_dit;code_postal;code_insee;nom_commune;anciennes communes;x;y;lon;lat;sources
    const toponym = (f[0] as string).replace(/_99999$/, "");
    lieuxDits.push([toponym, f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[19], f[20]].join(";"));
  }
  const dir = mkdtempSync(path.join(tmpdir(), "ban-"));
  const adresses = path.join(dir, path.basename(banFile));
  writeFileSync(adresses, [header, ...numbered, ""].join("\n"));
  const lieuxDitsFile = path.join(
    dir,
    path
      .basename(banFile)
      .replace(/^adresses-/, "lieux-dits-")
      .replace(/\.csv$/, "-beta.csv"),
  );
  writeFileSync(lieuxDitsFile, [LIEUX_DITS_HEADER, ...lieuxDits, ""].join("\n"));
  return { adresses, lieuxDits: lieuxDitsFile };
}
