import { createWriteStream } from "node:fs";
import path from "node:path";
import { loadRegionCog } from "../../../shared/cog/cog-source.ts";

/**
 * Synthetic IPE, base_imb and eligibilite files of any size, for benchmarks (import rows/s at 1×,
 * 4×, 16× the Normandy volume). Deterministic; every line is valid; the files agree with each other
 * (same building codes, communes of the région). Not demo data: positions are spread on a grid.
 */
export interface SyntheticBuildingFiles {
  ipe: string;
  baseImb: string;
  eligibilite: string;
  immeubles: number;
  lignesEligibilite: number;
}

const STATES = ["DEPLOYE", "DEPLOYE", "DEPLOYE", "EN COURS DE DEPLOIEMENT", "CIBLE", "SIGNE", "RACCORDABLE DEMANDE"];
const CLASSES = ["HD05", "HD3", "BHD8", "THD30", "THD100", "THD1G"];

async function writeLines(file: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await write(`${header}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(line(i));
    if (chunk.length === 2_000) {
      await write(`${chunk.join("\n")}\n`);
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(`${chunk.join("\n")}\n`);
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export async function writeSyntheticBuildingFiles(
  dir: string,
  options: { immeubles: number; region?: string; codeOi?: string },
): Promise<SyntheticBuildingFiles> {
  const communes = loadRegionCog(options.region ?? "28").communes.map((c) => c.code);
  const oi = options.codeOi ?? "SYNT";
  const n = options.immeubles;
  const commune = (i: number) => communes[i % communes.length] as string;
  const ipe = path.join(dir, `IPE_Synthetique_${oi}_PM_IPEZMD_V30_20180331.csv`);
  const baseImb = path.join(dir, "base_imb_synthetique.csv");
  const eligibilite = path.join(dir, "actuel_synthetique.csv");

  await writeLines(
    ipe,
    "IdentifiantImmeuble;CodeAdresseImmeuble;CodeInseeImmeuble;CodePostalImmeuble;CommuneImmeuble;TypeVoieImmeuble;NomVoieImmeuble;NumeroVoieImmeuble;ComplementNumeroVoieImmeuble;BatimentImmeuble;NombreLogementsAdresseIPE;EtatImmeuble;DateDerniereModification;CoordonneeImmeubleX;CoordonneeImmeubleY;TypeProjectionGeographique;ReferencePM;EtatPM;DateInstallationPM;DateMiseEnServiceCommercialePM;TypeImmeuble",
    n,
    (i) => {
      const state = STATES[i % STATES.length] as string;
      const deployed = state === "DEPLOYE" || state === "RACCORDABLE DEMANDE";
      const x = (380_000 + (i % 1000) * 150).toFixed(2).replace(".", ",");
      const y = (6_850_000 + Math.floor(i / 1000) * 3).toFixed(2).replace(".", ",");
      return `IMB${i};H${String(i).padStart(9, "0")};${commune(i)};14000;Commune;RUE;DES TESTS;${(i % 200) + 1};;;${1 + (i % 7)};${state};20180115;${x};${y};RGF93;PM${Math.floor(i / 300)};${deployed ? "DEPLOYE" : "EN COURS DE DEPLOIEMENT"};20170601;${deployed ? "20170901" : ""};${i % 5 === 0 ? "IMMEUBLE" : "PAVILLON"}`;
    },
  );
  await writeLines(
    baseImb,
    "imb_id;imb_x;imb_y;imb_code;imb_code_insee;imb_nbr_logloc;imb_source;imb_type;addr_code;imb_num;addr_numero;addr_rep;addr_nom_voie;addr_nom_ld;addr_code_insee;addr_nom_commune;addr_id_fantoir;addr_source",
    n,
    (i) =>
      `${i + 1};${(-80_000 + (i % 1000) * 150).toFixed(2)};${(6_280_000 + Math.floor(i / 1000) * 3).toFixed(2)};IMB${i};${commune(i)};${1 + (i % 7)};fo;${i % 5 === 0 ? "IM" : "PA"};${commune(i)}_0001_${String(i % 100000).padStart(5, "0")};1;${(i % 200) + 1};;Rue des Tests;;${commune(i)};Commune;;ban`,
  );
  // Three rows per building: copper, satellite, and fibre or 4G.
  const rows = 3 * n;
  await writeLines(
    eligibilite,
    "imb_id;addr_code;imb_code;code_operateur;code_techno;classe_debit_montant;classe_debit_descendant;limitation;saturation",
    rows,
    (r) => {
      const i = Math.floor(r / 3);
      const k = r % 3;
      const id = i + 1;
      if (k === 0) return `${id};;IMB${i};FRTE;CU;HD05;${CLASSES[i % 3]};;false`;
      if (k === 1) return `${id};;IMB${i};STAK;SAT;THD30;THD30;;false`;
      return i % 2 === 0 ? `${id};;IMB${i};SFR0;FO;THD1G;THD1G;;false` : `${id};;IMB${i};BOUY;4GF;HD3;THD30;200;false`;
    },
  );
  return { ipe, baseImb, eligibilite, immeubles: n, lignesEligibilite: rows };
}
