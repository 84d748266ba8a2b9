import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadRegionCog } from "../../shared/cog/cog-source.ts";
import { generateDemoAddresses } from "./generate-demo-addresses/generate-demo-addresses.ts";
import { BAN_HEADER } from "./import-ban/ban-format.ts";

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
