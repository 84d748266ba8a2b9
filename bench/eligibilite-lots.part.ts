// Part of `npm run bench -- eligibilite` (issue 6, must-show 3): a 100,000-site batch on a demo
// database, in process, as the server's runner does it (same job table, blocks, results). The sites
// are the demo's BAN addresses with the noise people put in spreadsheets (case, accents,
// abbreviations, missing postcode, typos) and ~2 % bad lines. WRITES a job into the database (and
// deletes it at the end): give it a copy of the demo, not the one a server is using.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { sql } from "kysely";
import { createAddressIndexService } from "../src/modules/addresses/addresses.module.ts";
import type { BatchAddressLookup } from "../src/modules/eligibility/batch-eligibility/batch-address-lookup.ts";
import {
  type BatchDb,
  deleteJob,
  findJob,
} from "../src/modules/eligibility/batch-eligibility/batch-jobs.repository.ts";
import { buildXlsx, csvChunks, outputRows } from "../src/modules/eligibility/batch-eligibility/batch-output.ts";
import { RESULT_COLUMNS } from "../src/modules/eligibility/batch-eligibility/batch-resolve.ts";
import { processJob } from "../src/modules/eligibility/batch-eligibility/batch-runner.ts";
import { createBatchJob } from "../src/modules/eligibility/batch-eligibility/create-batch-job.ts";
import { createCatalogueService } from "../src/modules/eligibility/service-catalogues/catalogue-service.ts";
import { ensureDemoCatalogues } from "../src/modules/eligibility/service-catalogues/demo-catalogues.ts";
import { parseDatabaseUrl } from "../src/shared/config/config.ts";
import { openDatabase } from "../src/shared/db/database.ts";
import { migrateToLatest } from "../src/shared/db/migrator.ts";
import { seededRandom } from "../src/shared/testing/seeded-random.ts";

const SITES = Number(process.env.BENCH_LOTS_SITES ?? 100_000);
const fmt = (n: number, digits = 0) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} Mo`;

const ABBREVIATIONS: [RegExp, string][] = [
  [/^Rue /, "r "],
  [/^Avenue /, "av "],
  [/^Boulevard /, "bd "],
  [/^Place /, "pl "],
  [/^Chemin /, "ch "],
  [/^Route /, "rte "],
  [/^Impasse /, "imp "],
];

interface Source {
  id: string;
  numero: number | null;
  rep: string | null;
  nom_voie: string;
  code_postal: string;
  nom_commune: string;
}

/** The CSV a business would send: its reference, the street line, postcode, town. */
function sitesFile(sources: Source[], seed = 2026): { csv: string; bad: number } {
  const rnd = seededRandom(seed);
  const lines = ["ref;site;adresse;cp;ville"];
  let bad = 0;
  sources.forEach((s, i) => {
    const r = rnd();
    if (r < 0.01) {
      bad++;
      lines.push(`;Site ${i + 1};;;`);
      return;
    }
    if (r < 0.02) {
      bad++;
      lines.push(`;Site ${i + 1};zzqx kkwj ${Math.floor(rnd() * 9999)};99999;Nulle-Part`);
      return;
    }
    let street = `${s.numero ?? ""}${s.rep ? ` ${s.rep}` : ""} ${s.nom_voie}`.trim();
    let town = s.nom_commune;
    let cp = s.code_postal;
    const noise = rnd();
    if (noise < 0.15) {
      street = street.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
      town = town.normalize("NFD").replace(/\p{M}/gu, "").toUpperCase();
    } else if (noise < 0.25) {
      for (const [from, to] of ABBREVIATIONS)
        street = street.replace(new RegExp(`(?<=^\\S+ )${from.source.slice(1)}`), to);
    } else if (noise < 0.35) {
      cp = "";
    } else if (noise < 0.4) {
      const words = street.split(" ");
      const w = words.length - 1;
      const word = words[w] ?? "";
      if (word.length > 4) {
        const k = 1 + Math.floor(rnd() * (word.length - 2));
        words[w] = `${word.slice(0, k)}${word[k + 1]}${word[k]}${word.slice(k + 2)}`;
      }
      street = words.join(" ");
    }
    const quote = (v: string) => (/[;"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    lines.push([s.id, `Site ${i + 1}`, street, cp, town].map(quote).join(";"));
  });
  return { csv: `${lines.join("\n")}\n`, bad };
}

export async function runBatchPart(databaseUrl: string): Promise<void> {
  const database = openDatabase(parseDatabaseUrl(databaseUrl));
  try {
    await migrateToLatest(database.db);
    const db = database.db;
    await ensureDemoCatalogues(db);
    // The server builds its address index once at start; so does this part, outside the batch's time.
    let t = performance.now();
    const indexes = createAddressIndexService(db);
    await indexes.refresh();
    const index = indexes.loaded?.index;
    if (!index) throw new Error("aucun lot d'adresses actif : la démonstration manque");
    console.log(
      `Lot de ${fmt(SITES)} sites : index d'adresses construit en ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
    const lookup: BatchAddressLookup = (q, o) =>
      index
        .search(q, { ...o, autocomplete: false })
        .map(({ id, label, score, lon, lat }) => ({ id, label, score, lon, lat }));

    // Addresses spread evenly over the active lot (every k-th by id), picked by the database.
    const counted = await sql<{
      n: number;
    }>`select count(*) as n from adresse a join adresse_lot l on l.id = a.lot_id and l.statut = 'actif'`.execute(db);
    const step = Math.max(1, Math.floor(Number(counted.rows[0]?.n ?? 0) / SITES));
    const sources = (
      await sql<Source>`select id, numero, rep, nom_voie, code_postal, nom_commune from (
          select a.id, a.numero, a.rep, a.nom_voie, a.code_postal, a.nom_commune, row_number() over (order by a.id) as k
          from adresse a join adresse_lot l on l.id = a.lot_id and l.statut = 'actif') s
        where k % ${step} = 0 order by k limit ${SITES}`.execute(db)
    ).rows;
    const { csv, bad } = sitesFile(sources);
    const dir = mkdtempSync(path.join(tmpdir(), "bench-lots-"));
    writeFileSync(path.join(dir, "sites.csv"), csv);
    console.log(
      `  fichier : ${fmt(sources.length)} sites (${fmt(bad)} lignes mauvaises), ${mb(Buffer.byteLength(csv))}, ${path.join(dir, "sites.csv")}`,
    );

    // Wall time of the batch as a user sees it: from the upload's checks to the last block committed.
    const rssBefore = process.memoryUsage().rss;
    // How long the event loop is held at a time: what a request arriving during the batch waits at most.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let rssDuring = rssBefore;
    t = performance.now();
    const processus = `bench-${process.pid}`;
    const created = await createBatchJob(db, {
      file: Buffer.from(csv),
      fileName: "sites.csv",
      choice: { adresse: ["adresse", "ville"], postcode: "cp" },
      today: new Date().toISOString().slice(0, 10),
      ownerId: null,
      processus,
    });
    const stored = performance.now() - t;
    let lastPrint = 0;
    const outcome = await processJob({ db, lookup, catalogues: createCatalogueService(db) }, created.id, processus, {
      onProgress: (e) => {
        rssDuring = Math.max(rssDuring, process.memoryUsage().rss);
        const now = performance.now();
        if (e.total && (now - lastPrint > 5000 || e.done === e.total)) {
          lastPrint = now;
          console.log(`    ${fmt(e.done)} / ${fmt(e.total)} (${fmt((now - t) / 1000, 1)} s)`);
        }
      },
      log: (message, error) => console.error(message, error),
    });
    const wall = (performance.now() - t) / 1000;
    loopDelay.disable();
    const job = await findJob(db as BatchDb, created.id);
    if (!job || outcome !== "termine") throw new Error(`lot ${outcome} : ${job?.message}`);
    console.log(
      `  lot terminé en ${fmt(wall, 1)} s (dont dépôt vérifié et enregistré ${fmt(stored / 1000, 1)} s) : ${fmt(
        job.total / wall,
      )} sites/s ; ${fmt(job.resolues)} résolus, ${fmt(job.echecs)} non résolus`,
    );
    console.log(
      `  boucle d'événements pendant le lot : attente p99 ${fmt(loopDelay.percentile(99) / 1e6)} ms, max ${fmt(loopDelay.max / 1e6)} ms`,
    );
    for (const [raison, nombre] of Object.entries(JSON.parse(job.raisons) as Record<string, number>))
      console.log(`    ${fmt(nombre)} × ${raison}`);

    // Accuracy: the address found is the one the line was made from.
    const refAt = 0;
    const idAt = 5 + RESULT_COLUMNS.indexOf("adresse_id");
    let withRef = 0;
    let same = 0;
    let first = true;
    for await (const row of outputRows(db as BatchDb, job)) {
      if (first) {
        first = false;
        continue;
      }
      if (!row[refAt]) continue;
      withRef++;
      if (row[idAt] === row[refAt]) same++;
    }
    console.log(
      `  adresse retrouvée exactement : ${fmt((100 * same) / Math.max(1, withRef), 1)} % des ${fmt(withRef)} lignes valides`,
    );

    t = performance.now();
    let csvBytes = 0;
    for await (const chunk of csvChunks(db as BatchDb, job)) csvBytes += Buffer.byteLength(chunk);
    const csvSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const xlsx = await buildXlsx(db as BatchDb, job);
    const xlsxSeconds = (performance.now() - t) / 1000;
    writeFileSync(path.join(dir, "sites.eligibilite.xlsx"), xlsx);
    console.log(
      `  résultats : CSV ${mb(csvBytes)} en ${fmt(csvSeconds, 1)} s, XLSX ${mb(xlsx.length)} en ${fmt(xlsxSeconds, 1)} s (${path.join(dir, "sites.eligibilite.xlsx")})`,
    );
    console.log(
      `  mémoire (RSS, index d'adresses compris) : ${mb(rssBefore)} avant le lot, au plus ${mb(rssDuring)} pendant (mesuré à chaque bloc), pic du processus ${mb(process.resourceUsage().maxRSS * 1024)} (XLSX compris)`,
    );
    await deleteJob(db as BatchDb, created.id);
  } finally {
    await database.close();
  }
}

// Alone: `tsx bench/eligibilite-lots.part.ts sqlite:/tmp/copie.db`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2] ?? process.env.BENCH_BASE;
  if (!url) throw new Error("usage : tsx bench/eligibilite-lots.part.ts sqlite:/chemin/copie-territoire.db");
  await runBatchPart(url);
}
