import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadRegionCog } from "../../../shared/cog/cog-source.ts";
import { generateDemoAddresses } from "../../addresses/generate-demo-addresses/generate-demo-addresses.ts";
import { Random } from "../../addresses/generate-demo-addresses/random.ts";
import { allocatePremises, type DemoSite, KIND_LIEU_DIT, locateSites, readDemoAddresses } from "./demo-buildings.ts";
import { type DemoCommune, loadDemoCommunes } from "./demo-communes.ts";
import { DEMO_QUARTERS, ipeDateOf, isoOf, LAST, mciQuarterDir, QUARTER_END_DAYS } from "./demo-quarters.ts";
import { LineWriter } from "./line-writer.ts";
import { DEMO_NETWORKS, DEMO_OPERATORS, NETWORKS_BY_CODE } from "./networks.ts";
import {
  type CommuneStats,
  copperRank,
  type Simulation,
  STAT,
  STATE_CIBLE,
  STATE_DEPLOYE,
  STATE_EN_COURS,
  STATE_RAD,
  simulate,
} from "./simulate.ts";

export interface GenerateDemoThdOptions {
  outDir: string;
  /** Demo address files (BAN, adresses-<dep>.csv); generated into `<outDir>/adresses` when absent. */
  adresses?: string[];
  /** Départements of the région (default: all). */
  departements?: string[];
  /** Per-building files only for these communes (tests: one EPCI); statistics stay complete. */
  communesImmeubles?: string[];
  /** false: statistics, copper closure, sites and reference only (no per-building files). */
  immeubles?: boolean;
  graine?: number;
  region?: string;
}

export interface DemoThdManifest {
  avertissement: string;
  graine: number;
  region: string;
  departements: string[];
  /** Every quarter, oldest first, with its MCI statistics files (paths relative to the directory). */
  statistiques: { trimestre: string; fichiers: string[] }[];
  /** The latest quarter per building: base_imb, IPE and eligibilite files. */
  immeubles: { trimestre: string; baseImb: string[]; ipe: string[]; eligibilite: string[] } | null;
  fermetureCuivre: { trimestre: string; fichier: string };
  sites: { trimestre: string; fichier: string };
  reference: { operateurs: string; reseaux: string; communesReseaux: string };
}

export interface GenerateDemoThdReport {
  manifest: DemoThdManifest;
  communes: number;
  immeubles: number;
  lignesEligibilite: number;
  dureeMs: number;
  simulation: Simulation;
  communesList: DemoCommune[];
}

export const DEMO_THD_MANIFEST = "demo-thd.json";
export const SIMULATED_NOTICE =
  "Données SIMULÉES pour la démonstration, calées sur des agrégats réels (ARCEP : locaux et locaux raccordables FttH par commune T3 2017 – T1 2018 ; plan régional : répartition par classe de débit fin 2016) ; les immeubles, dates et éligibilités sont inventés.";

const CLASS_CODES = ["INEL", "HD05", "HD3", "BHD8", "THD30", "THD100", "THD1G"] as const;
const DEBIT_HEADER =
  "code_insee;nom_com;code_dep;code_reg;nbr;type;date;inel_hd;elig_hd05;elig_hd3;elig_bhd8;elig_thd30;elig_thd100;elig_thd1g";
const TECHNO_HEADER =
  "code_insee;nom_com;code_dep;code_reg;nbr;type;date;elig_cu;elig_coax;elig_ftth_rac;elig_ftth_rad;elig_4gf;elig_thdr;elig_hdr;elig_sat";
const BASE_IMB_HEADER =
  "imb_id;imb_x;imb_y;imb_code;imb_code_insee;imb_nbr_logloc;imb_source;imb_type;addr_code;imb_num;addr_numero;addr_rep;addr_nom_voie;addr_nom_ld;addr_code_insee;addr_nom_commune;addr_id_fantoir;addr_source";
const IPE_HEADER =
  "IdentifiantImmeuble;CodeAdresseImmeuble;CodeBAN;CodeInseeImmeuble;CodePostalImmeuble;CommuneImmeuble;TypeVoieImmeuble;NomVoieImmeuble;NumeroVoieImmeuble;ComplementNumeroVoieImmeuble;BatimentImmeuble;NombreLogementsAdresseIPE;TypeImmeuble;EtatImmeuble;DateCablageAdresse;DateDerniereModification;CoordonneeImmeubleX;CoordonneeImmeubleY;TypeProjectionGeographique;CodeOI;ReferencePM;EtatPM;DateInstallationPM;DateMiseEnServiceCommercialePM";
const ELIGIBILITE_HEADER =
  "imb_id;addr_code;imb_code;code_operateur;code_techno;classe_debit_montant;classe_debit_descendant;limitation;saturation";
const FO_OPERATORS = ["FRTE", "FREE", "SFR0", "BOUY"] as const;

/**
 * Writes the THD demo: per quarter 2016T4 … 2025T4 the MCI commune statistics files, for 2025T4 the
 * per-building files (MCI base_imb and eligibilite, IPE per OI) of the demo addresses, the copper
 * closure calendar and the strategic sites. Deterministic: same seed and inputs, same bytes.
 */
export function generateDemoThd(options: GenerateDemoThdOptions): GenerateDemoThdReport {
  const started = performance.now();
  const seed = options.graine ?? 1;
  const region = options.region ?? "28";
  const cog = loadRegionCog(region);
  const departements = [...(options.departements ?? cog.departements.map((d) => d.code))].sort();
  mkdirSync(options.outDir, { recursive: true });
  let adresses = options.adresses;
  if (!adresses) {
    const generated = generateDemoAddresses({ outDir: path.join(options.outDir, "adresses"), departements, region });
    adresses = generated.files.map((f) => f.file);
  }
  const communes = loadDemoCommunes(cog, departements);
  const buildings = readDemoAddresses(adresses, communes);
  allocatePremises(buildings, communes, seed);
  const sites = locateSites(buildings, departements);
  const sim = simulate(communes, buildings, seed);
  const out = (...parts: string[]) => path.join(options.outDir, ...parts);

  const manifest: DemoThdManifest = {
    avertissement: SIMULATED_NOTICE,
    graine: seed,
    region,
    departements,
    statistiques: [],
    immeubles: null,
    fermetureCuivre: {
      trimestre: DEMO_QUARTERS[LAST] as string,
      fichier: "fermeture_cuivre/fermeture-reseau-cuivre.csv",
    },
    sites: { trimestre: DEMO_QUARTERS[LAST] as string, fichier: "sites/sites-strategiques.csv" },
    reference: {
      operateurs: "reference/operateurs.csv",
      reseaux: "reference/reseaux.csv",
      communesReseaux: "reference/communes-reseaux.csv",
    },
  };
  // A previous run's marker goes first: a directory without it is incomplete.
  rmSync(out(DEMO_THD_MANIFEST), { force: true });

  writeStatistics(options.outDir, communes, sim.stats, region, manifest);
  let lignesEligibilite = 0;
  let immeubles = 0;
  if (options.immeubles !== false) {
    const wanted = options.communesImmeubles ? new Set(options.communesImmeubles) : undefined;
    const r = writeBuildings(options.outDir, communes, buildings, sim, departements, wanted, seed);
    manifest.immeubles = r.files;
    lignesEligibilite = r.eligibilite;
    immeubles = r.immeubles;
  }
  writeClosure(out(manifest.fermetureCuivre.fichier), communes, sim);
  writeSites(out(manifest.sites.fichier), sites, buildings, communes, sim);
  writeReference(options.outDir, communes, manifest);
  writeFileSync(out("LISEZMOI.md"), readme(manifest, sim));
  writeFileSync(out(DEMO_THD_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    manifest,
    communes: communes.length,
    immeubles,
    lignesEligibilite,
    dureeMs: performance.now() - started,
    simulation: sim,
    communesList: communes,
  };
}

/** True when `dir` holds a complete demo (its manifest is written last). */
export function demoThdComplete(dir: string): boolean {
  return existsSync(path.join(dir, DEMO_THD_MANIFEST));
}

function writeStatistics(
  dir: string,
  communes: DemoCommune[],
  stats: CommuneStats,
  region: string,
  manifest: DemoThdManifest,
): void {
  DEMO_QUARTERS.forEach((quarter, q) => {
    const rel = path.join("statistiques", mciQuarterDir(quarter));
    mkdirSync(path.join(dir, rel), { recursive: true });
    const date = isoOf(QUARTER_END_DAYS[q] as number);
    const files = {
      "commune_debit.csv": STAT.toutes,
      "commune_debit_terrestre.csv": STAT.terrestre,
      "commune_debit_filaire.csv": STAT.filaire,
    };
    const written: string[] = [];
    for (const [name, at] of Object.entries(files)) {
      const w = new LineWriter(path.join(dir, rel, name));
      w.line(DEBIT_HEADER);
      for (const c of communes) {
        const row = stats.row(c.index, q);
        const nbr = row[STAT.locaux] as number;
        if (nbr === 0) continue;
        const bin = (k: number) => row[at + k] as number;
        const thd100 = bin(5);
        const thd30 = thd100 + bin(4);
        const bhd8 = thd30 + bin(3);
        const hd3 = bhd8 + bin(2);
        w.line(
          [
            c.code,
            c.nom,
            c.departement,
            region,
            nbr,
            "all",
            date,
            bin(0),
            nbr - bin(0),
            hd3,
            bhd8,
            thd30,
            thd100,
            bin(6),
          ].join(";"),
        );
      }
      w.close();
      written.push(path.join(rel, name));
    }
    const w = new LineWriter(path.join(dir, rel, "commune_techno.csv"));
    w.line(TECHNO_HEADER);
    for (const c of communes) {
      const row = stats.row(c.index, q);
      const nbr = row[STAT.locaux] as number;
      if (nbr === 0) continue;
      w.line(
        [
          c.code,
          c.nom,
          c.departement,
          region,
          nbr,
          "all",
          date,
          row[STAT.cu],
          row[STAT.coax],
          row[STAT.ftthRac],
          row[STAT.ftthRad],
          row[STAT.g4f],
          row[STAT.thdr],
          row[STAT.hdr],
          row[STAT.sat],
        ].join(";"),
      );
    }
    w.close();
    written.push(path.join(rel, "commune_techno.csv"));
    manifest.statistiques.push({ trimestre: quarter, fichiers: written.map((f) => f.split(path.sep).join("/")) });
  });
}

/** Web Mercator (EPSG:3857), as MCI's base_imb gives positions. */
function mercator(lon: number, lat: number): [string, string] {
  const x = (lon * 20037508.34) / 180;
  const y = (Math.log(Math.tan(((90 + lat) * Math.PI) / 360)) / Math.PI) * 20037508.34;
  return [x.toFixed(2), y.toFixed(2)];
}

const base36 = (n: number, width: number) => n.toString(36).toUpperCase().padStart(width, "0");

function writeBuildings(
  dir: string,
  communes: DemoCommune[],
  b: ReturnType<typeof readDemoAddresses>,
  sim: Simulation,
  departements: string[],
  wanted: Set<string> | undefined,
  seed: number,
) {
  const quarter = DEMO_QUARTERS[LAST] as string;
  const rel = path.join("immeubles", mciQuarterDir(quarter));
  mkdirSync(path.join(dir, rel), { recursive: true });
  for (const f of readdirSync(path.join(dir, rel))) rmSync(path.join(dir, rel, f));
  const end = QUARTER_END_DAYS[LAST] as number;
  const stamp = ipeDateOf(end);
  const files = { trimestre: quarter, baseImb: [] as string[], ipe: [] as string[], eligibilite: [] as string[] };
  let eligibilite = 0;
  let immeubles = 0;
  const relPath = (name: string) => path.join(rel, name).split(path.sep).join("/");
  for (const dep of departements) {
    const inDep = communes.filter((c) => c.departement === dep && (!wanted || wanted.has(c.code)));
    if (inDep.length === 0) continue;
    const seuils = sim.seuilsCuivre.get(dep) as readonly number[];
    const baseImb = new LineWriter(path.join(dir, rel, `base_imb_${dep}.csv`));
    const actuel = new LineWriter(path.join(dir, rel, `actuel_${dep}.csv`));
    baseImb.line(BASE_IMB_HEADER);
    actuel.line(ELIGIBILITE_HEADER);
    const ipe = new Map<string, LineWriter>();
    const ipeWriter = (oi: string) => {
      let w = ipe.get(oi);
      if (!w) {
        const name = `IPE_${dep}_${oi}_PM_IPEZMD_V30_${stamp}.csv`;
        w = new LineWriter(path.join(dir, rel, name));
        w.line(IPE_HEADER);
        ipe.set(oi, w);
        files.ipe.push(relPath(name));
      }
      return w;
    };
    for (const c of inDep) {
      const random = Random.forKey(seed, `eligibilite:${c.code}`);
      const copperOpen = !(sim.fermetureTechnique[c.index] && (sim.fermetureTechnique[c.index] as number) <= end);
      const oi = NETWORKS_BY_CODE.get(c.reseau)?.oi ?? "FRTE";
      let seq = 0;
      for (const x of b.byCommune[c.index] as number[]) {
        seq++;
        immeubles++;
        const n = b.locaux[x] as number;
        const imbId = String(x + 1);
        const imbCode = `IMB/${c.code}/X/${base36(seq, 5)}`;
        const hexacle = `${c.code}${base36(seq, 5)}`;
        const addr = b.banId[x] as string;
        const lon = b.lon[x] as number;
        const lat = b.lat[x] as number;
        const [mx, my] = mercator(lon, lat);
        const lieuDit = b.kind[x] === KIND_LIEU_DIT;
        const type = n >= 3 ? "IM" : "PA";
        baseImb.line(
          [
            imbId,
            mx,
            my,
            imbCode,
            c.code,
            n,
            "fo",
            type,
            addr,
            "",
            b.numero[x],
            b.rep[x],
            lieuDit ? "" : b.nomVoie[x],
            lieuDit ? b.nomVoie[x] : "",
            c.code,
            c.nom,
            "",
            "ban",
          ].join(";"),
        );

        const p = sim.pms[sim.pm[x] as number];
        const etat = sim.etat[x] as number;
        const day = sim.dateFtth[x] as number;
        const planned = p?.planned === true;
        const etatImmeuble =
          etat === STATE_DEPLOYE
            ? "DEPLOYE"
            : etat === STATE_RAD
              ? "RACCORDABLE DEMANDE"
              : etat === STATE_EN_COURS
                ? "EN COURS DE DEPLOIEMENT"
                : etat === STATE_CIBLE
                  ? "CIBLE"
                  : "CIBLE";
        const cablage = planned ? ipeDateOf(day) : ipeDateOf(day - 90);
        ipeWriter(oi).line(
          [
            imbCode,
            hexacle,
            addr,
            c.code,
            b.codePostal[x],
            c.nom,
            "",
            b.nomVoie[x],
            b.numero[x] || "0",
            b.rep[x]?.toUpperCase().slice(0, 1) ?? "",
            "",
            n,
            n >= 3 ? "IMMEUBLE" : "PAVILLON",
            etatImmeuble,
            cablage,
            stamp,
            lon.toFixed(6).replace(".", ","),
            lat.toFixed(6).replace(".", ","),
            "WGS84",
            oi,
            p?.ref ?? "",
            planned ? "EN COURS DE DEPLOIEMENT" : "DEPLOYE",
            ipeDateOf(day - 90),
            planned ? "" : ipeDateOf(day),
          ].join(";"),
        );

        // Eligibility at 2025T4: one line per commercial operator and technology.
        const row = (op: string, techno: string, up: number, down: number) => {
          actuel.line(`${imbId};;;${op};${techno};${CLASS_CODES[up]};${CLASS_CODES[down]};;0`);
          eligibilite++;
        };
        // One line per technology (the commercial operator drawn among those present on the PM):
        // a line per operator would multiply the files by four for no figure of the observatory.
        if (etat === STATE_DEPLOYE && day <= end && !planned) {
          const age = (end - day) / 365;
          const present = c.densite <= 2 ? 4 : 2 + (age >= 1.5 ? 1 : 0) + (age >= 3 && c.densite <= 5 ? 1 : 0);
          row(FO_OPERATORS[Math.floor(random.next() * present)] as string, "FO", 5, 6);
        }
        const cu = copperOpen ? copperRank(sim.longueurCuivre[x] as number, seuils) : 0;
        if (cu >= 1) row("FRTE", "CU", cu >= 4 ? 2 : 1, cu);
        if (sim.coax[x]) row("SFR0", "COAX", 4, 6);
        if ((sim.q4gf[x] as number) <= LAST) row(random.pick(["FRTE", "BOUY", "SFR0"]), "4GF", 2, 3);
        if ((sim.qthdr[x] as number) <= LAST) row("ALSA", "THDR", 2, 4);
        if ((sim.qsat[x] as number) <= LAST) {
          if (random.chance(0.5)) row("NORN", "SAT", 2, 4);
          else row("STAK", "SAT", 3, 4);
        }
      }
    }
    baseImb.close();
    actuel.close();
    for (const w of ipe.values()) w.close();
    files.baseImb.push(relPath(`base_imb_${dep}.csv`));
    files.eligibilite.push(relPath(`actuel_${dep}.csv`));
  }
  files.ipe.sort();
  return { files, eligibilite, immeubles };
}

const frDate = (day: number) => {
  const [y, m, d] = isoOf(day).split("-");
  return `${d}/${m}/${y}`;
};

function writeClosure(file: string, communes: DemoCommune[], sim: Simulation): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const end = QUARTER_END_DAYS[LAST] as number;
  const w = new LineWriter(file);
  w.line("code_insee;fermeture_technique;output_usager;lot;fermeture_commerciale");
  for (const c of communes) {
    const fct = sim.fermetureTechnique[c.index] as number;
    const fcc = sim.fermetureCommerciale[c.index] as number;
    const lot = sim.lot[c.index] as number;
    const message = !fct
      ? "Pas encore prévu"
      : fct <= end
        ? `Déjà fermé : le réseau cuivre est fermé depuis le ${frDate(fct)}`
        : `Fermeture technique prévue le ${frDate(fct)}`;
    w.line([c.code, fct ? isoOf(fct) : "", message, lot ? `Lot ${lot}` : "", fcc ? isoOf(fcc) : ""].join(";"));
  }
  w.close();
}

function writeSites(
  file: string,
  sites: DemoSite[],
  b: ReturnType<typeof readDemoAddresses>,
  communes: DemoCommune[],
  sim: Simulation,
): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const end = QUARTER_END_DAYS[LAST] as number;
  const w = new LineWriter(file);
  w.line("id;type;nom;adresse;code_insee;lon;lat;adresse_id;raccorde_le");
  for (const s of sites) {
    if (s.building < 0) continue;
    const x = s.building;
    const commune = communes[b.commune[x] as number] as DemoCommune;
    const day = sim.dateFtth[x] as number;
    const connected = sim.etat[x] === STATE_DEPLOYE && day <= end && !sim.pms[sim.pm[x] as number]?.planned;
    const numero = b.numero[x] && b.numero[x] !== "0" ? `${b.numero[x]}${b.rep[x] ? ` ${b.rep[x]}` : ""} ` : "";
    w.line(
      [
        s.id,
        s.type,
        s.nom.replaceAll(";", ","),
        `${numero}${b.nomVoie[x]} ${b.codePostal[x]} ${commune.nom}`.replaceAll(";", ","),
        commune.code,
        s.lon.toFixed(6),
        s.lat.toFixed(6),
        b.banId[x],
        connected ? isoOf(day) : "",
      ].join(";"),
    );
  }
  w.close();
}

function writeReference(dir: string, communes: DemoCommune[], manifest: DemoThdManifest): void {
  mkdirSync(path.join(dir, "reference"), { recursive: true });
  writeFileSync(
    path.join(dir, manifest.reference.operateurs),
    `code;nom\n${DEMO_OPERATORS.map((o) => `${o.code};${o.nom}`).join("\n")}\n`,
  );
  writeFileSync(
    path.join(dir, manifest.reference.reseaux),
    `code;nom;type;operateur_infra;departement\n${DEMO_NETWORKS.map((n) => [n.code, n.nom, n.type, n.oi, n.departement].join(";")).join("\n")}\n`,
  );
  writeFileSync(
    path.join(dir, manifest.reference.communesReseaux),
    `code_insee;reseau\n${communes.map((c) => `${c.code};${c.reseau}`).join("\n")}\n`,
  );
}

function readme(manifest: DemoThdManifest, sim: Simulation): string {
  const facteurs = [...sim.facteur2016].map(([d, k]) => `${d} : ${k.toFixed(3)}`).join(", ");
  return `# Démonstration THD — données simulées

**${SIMULATED_NOTICE}**

Graine ${manifest.graine}, région ${manifest.region}, départements ${manifest.departements.join(", ")}.
Produit par \`territoire demo thd --out DOSSIER\` (src/modules/broadband/generate-demo-thd). Mêmes graine
et données d'entrée : mêmes octets.

## Ce qui est réel
- Les communes (COG 2026) et leurs locaux : logements + établissements de l'ARCEP (T1 2018), relevés au
  plus grand nombre de locaux raccordables publié quand l'ARCEP en compte davantage.
- Les locaux raccordables FttH par commune aux trimestres 2017T3, 2017T4 et 2018T1 : ceux de l'ARCEP,
  exactement.
- La répartition par classe de débit fin 2016 (2016T4, toutes technologies) : celle du tableau du plan
  (Observatoire du THD, fin 2016), à ±0,5 point par département.
- Les zones d'initiative privée (engagements L. 33-13 de l'ARCEP) et les RIP départementaux.
- Les sites stratégiques (collèges, établissements de santé, enseignement supérieur) : nom, adresse et
  position publiés.

## Ce qui est simulé
- Les adresses et immeubles (adresses de démonstration), leurs locaux, les PM et leurs dates, les
  longueurs de ligne cuivre, la couverture câble, radio, 4G fixe et satellite, les opérateurs
  commerciaux présents, le calendrier de fermeture du cuivre, les trimestres 2016T4–2017T2 et
  2018T2–2025T4.
- Codes d'opérateurs d'infrastructure inventés : ALTI, ENTH, XPFI, ALSA.
- Fin 2016, le satellite est compté saturé sauf pour 5 % des locaux (l'observatoire de 2016 ne le
  comptait pas) ; il devient disponible partout fin 2020, à 30 Mbit/s et plus à partir de 2021.
- Facteur FttH 2016T4 / T3 2017 par département : ${facteurs}.

## Fichiers
- \`statistiques/AAAA_Tn/\` : format MCI « statistiques » par commune (commune_debit.csv,
  commune_debit_terrestre.csv, commune_debit_filaire.csv, commune_techno.csv ; seuils cumulés, type all).
- \`immeubles/2025_T4/\` : MCI base_imb (\`base_imb_DEP.csv\`, positions EPSG:3857), MCI éligibilité
  (\`actuel_DEP.csv\`) et IPE par opérateur d'infrastructure (\`IPE_DEP_OI_PM_IPEZMD_V30_20251231.csv\`).
  Leur agrégat par commune est égal aux statistiques 2025T4.
- \`fermeture_cuivre/fermeture-reseau-cuivre.csv\` : format data.economie.gouv.fr.
- \`sites/sites-strategiques.csv\` : sites réels et date de raccordement simulée.
- \`reference/\` : opérateurs, réseaux et réseau de chaque commune.
`;
}
