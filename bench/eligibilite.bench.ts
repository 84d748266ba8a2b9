// The eligibility server (issue 6) as people use it: `territoire serve` on the Normandy demo with
// buildings, under autocannon at 16 connections on loopback, for lookups by address id, by building id
// and by free-text address (geocoded), each next to a bare Fastify server whose only route returns a
// constant JSON body of a typical answer's size, measured in the same run (ratio). One process each by
// default; BENCH_PROCESSUS="1,2" runs both again with two (TERRITOIRE_PROCESSUS=2, the bare one with
// node:cluster alike). On this 2-core machine two did not help (2026-11-29): the client takes a core.
// BENCH_BASE=sqlite:/path/territoire.db reuses a demo database (the server applies its migrations and
// adds the demo service catalogues when it has none: work on a copy); without it, the demo is built
// in a temporary folder by a first `territoire serve` (~3 minutes).
// The lookups are drawn from the whole demo (distinct addresses evenly along the buildings table, in
// shuffled order; BENCH_ADRESSES for ids and buildings, 30,000 by default), each measured on a first
// pass (never asked before) and a second (the same again). The server keeps the parts answers share
// (network, FttH state, technologies, copper closure, offers), not whole answers: a first lookup
// serialises only its building's own part once those are known (the 2 s warm-up fills most).
// Then the 100,000-site batch (bench/eligibilite-lots.part.ts; BENCH_LOTS_SITES; BENCH_LOTS=non skips
// it), which writes a job.
// Each lookup kind ends with ROUNDS (BENCH_TOURS, default 7) interleaved pairs of 2-second runs, bare
// route then server, and the median of their ratios (the machine's speed drifts within minutes).
// `npm run bench -- eligibilite` (BENCH_SECONDES per HTTP run, default 10).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { runBatchPart } from "./eligibilite-lots.part.ts";

const DURATION_S = Number(process.env.BENCH_SECONDES ?? 10);
/** Distinct addresses looked up by id and by building (each pass), by free text, and to warm up. */
const ADDRESSES = Number(process.env.BENCH_ADRESSES ?? 30_000);
const TEXTS = 80_000;
const WARMUP = 2_000;
const SAMPLES = ADDRESSES + TEXTS + WARMUP;
const CONNECTIONS = 16;
const MODES = (process.env.BENCH_PROCESSUS ?? "1").split(",").map((n) => Number(n));
if (MODES.some((n) => !Number.isInteger(n) || n < 1 || n > 8))
  throw new Error("BENCH_PROCESSUS : des entiers de 1 à 8, ex. 1,2");
const projectRoot = path.resolve(import.meta.dirname, "..");
const fmt = (n: number, digits = 0) => n.toLocaleString("fr-FR", { maximumFractionDigits: digits });
const load = () =>
  `charge ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")} (1, 5, 15 min ; ${availableParallelism()} cœurs)`;

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** A child process that prints "Prêt en X s : URL" (or `readyPattern`) once it listens. */
async function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  echo: boolean,
  readyPattern = /Prêt en [\d.]+ s : (http:\/\/\S+)/,
): Promise<RunningServer> {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      if (echo) process.stdout.write(text.replace(/^(?=.)/gm, "    "));
      output += text;
      const ready = readyPattern.exec(output);
      if (ready) resolve(ready[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`processus arrêté (code ${code}) :\n${output}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * `territoire serve` on the database, as `npm start` runs it, one process, on a free port. The THD
 * demo flag is always on: a no-op when its last quarter is published, it adds the demo catalogues.
 */
function serve(databaseFile: string, demo: boolean, processes = 1): Promise<RunningServer> {
  return startChild(
    ["--import", "tsx", "src/cli/main.ts", "serve"],
    {
      DATABASE_URL: `sqlite:${databaseFile}`,
      PORT: "0",
      HOST: "127.0.0.1",
      TERRITOIRE_DEMO: "oui",
      TERRITOIRE_DEMO_ADRESSES: demo ? "oui" : "non",
      TERRITOIRE_DEMO_THD: "oui",
      TERRITOIRE_LIMITE_IP: "9999999",
      TERRITOIRE_PROCESSUS: String(processes),
    },
    demo,
  );
}

/** The floor (bench/bare-fastify.mjs): Fastify 5 alone, one route sending `body`, in `processes` processes. */
function bareFastify(body: string, processes: number): Promise<RunningServer> {
  return startChild(
    [path.join(import.meta.dirname, "bare-fastify.mjs")],
    { BENCH_CORPS: body, BENCH_PROCESSUS_NU: String(processes) },
    false,
    /Nu prêt : (http:\/\/\S+)/,
  );
}

// The database: given, or the demo built by a first start of the server.
let databaseFile: string;
const given = process.env.BENCH_BASE;
if (given) {
  if (!given.startsWith("sqlite:")) throw new Error("BENCH_BASE doit être de la forme sqlite:/chemin/territoire.db");
  databaseFile = given.slice("sqlite:".length);
  console.log(`Éligibilité, base existante ${databaseFile}`);
} else {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-eligibilite-"));
  databaseFile = path.join(dir, "territoire.db");
  console.log(`Éligibilité, démonstration Normandie construite dans ${dir} (adresses et immeubles, ~3 minutes) :`);
  const started = performance.now();
  const builder = await serve(databaseFile, true);
  await builder.stop();
  console.log(`  démonstration prête en ${fmt((performance.now() - started) / 1000, 0)} s`);
}

/** `territoire serve` in `processes` processes, once every process's eligibility index is ready. */
async function startServer(processes: number): Promise<RunningServer> {
  const started = performance.now();
  const server = await serve(databaseFile, false, processes);
  console.log(
    `\nServeur (${processes} processus) prêt en ${fmt((performance.now() - started) / 1000, 1)} s (index d'adresses compris)`,
  );
  await waitForEligibilityIndex(server.url, processes);
  return server;
}

/**
 * The in-memory eligibility index is built in the background after start-up (lookups read the
 * database meanwhile), then the answer parts of every indexed building are made (keepEveryPart):
 * the lookups are measured once both are ready, as a server serves them.
 */
async function waitForEligibilityIndex(base: string, processes: number): Promise<void> {
  // Each process builds its own index; a new connection per check reaches them in turn (round
  // robin): ready when 2 × processes checks in a row say so.
  let readyInARow = 0;
  for (;;) {
    const response = await fetch(`${base}/api/eligibilite/index`, { headers: { connection: "close" } });
    const index = (await response.json()) as {
      pret: boolean;
      erreur: string | null;
      immeubles: number;
      lignes: number;
      profils: number;
      octets: number;
      dureeMs: number | null;
      parties: {
        pretes: boolean;
        immeubles: number;
        reponsesConstruites: number;
        dureeMs: number | null;
        erreur: string | null;
      };
    };
    if (index.erreur) throw new Error(`index d'éligibilité : ${index.erreur}`);
    if (index.parties.erreur) throw new Error(`morceaux de réponse : ${index.parties.erreur}`);
    const ready = index.pret && index.parties.pretes;
    readyInARow = ready ? readyInARow + 1 : 0;
    if (readyInARow >= 2 * processes) {
      console.log(
        `Index d'éligibilité en mémoire prêt en ${fmt((index.dureeMs ?? 0) / 1000, 1)} s (construit en arrière-plan) : ` +
          `${fmt(index.immeubles)} immeubles, ${fmt(index.lignes)} lignes, ${fmt(index.profils)} profils distincts, ` +
          `${fmt(index.octets / 1e6, 1)} Mo de tableaux (${fmt(index.octets / Math.max(1, index.immeubles), 0)} octets par immeuble)`,
      );
      console.log(
        `Morceaux de réponse prêts en ${fmt((index.parties.dureeMs ?? 0) / 1000, 1)} s de plus : ` +
          `${fmt(index.parties.immeubles)} immeubles parcourus, ${fmt(index.parties.reponsesConstruites)} réponses construites en entier`,
      );
      return;
    }
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

interface Sample {
  immeuble: string;
  adresseId: string;
  label: string;
}

/** Deterministic shuffle (mulberry32), so that two runs send the same sequence. */
function shuffle<T>(items: T[], seed = 20261128): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * SAMPLES buildings with an address, evenly along the table of the latest published quarter with
 * buildings (so each département in proportion to its buildings), one per address, shuffled.
 */
function sampleBuildings(): { trimestre: string; samples: Sample[]; departements: Map<string, number> } {
  const sqlite = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const quarter = sqlite
      .prepare(
        `select t.code from thd_trimestre t where t.statut = 'publie'
         and exists (select 1 from thd_immeuble i where i.trimestre = t.code) order by t.code desc limit 1`,
      )
      .get() as { code: string } | undefined;
    if (!quarter) throw new Error("aucun trimestre publié ne contient d'immeubles : la démonstration THD manque");
    const lot = sqlite.prepare("select id from adresse_lot where statut = 'actif'").get() as { id: string } | undefined;
    if (!lot) throw new Error("aucun lot d'adresses actif : les adresses de démonstration manquent");
    const { n } = sqlite
      .prepare("select count(*) as n from thd_immeuble where trimestre = ? and adresse_id is not null")
      .get(quarter.code) as { n: number };
    const step = Math.max(1, Math.floor(n / SAMPLES));
    const rows = sqlite
      .prepare(
        `select i.id, i.adresse_id, i.code_insee, a.numero, a.rep, a.nom_voie, a.nom_commune
         from thd_immeuble i join adresse a on a.lot_id = ? and a.id = i.adresse_id
         where i.trimestre = ? and i.adresse_id is not null and i.rowid % ? = 0`,
      )
      .all(lot.id, quarter.code, step) as {
      id: string;
      adresse_id: string;
      code_insee: string;
      numero: number;
      rep: string | null;
      nom_voie: string;
      nom_commune: string;
    }[];
    const samples: Sample[] = [];
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    for (const row of rows) {
      if (samples.length >= SAMPLES || seen.has(row.adresse_id)) continue;
      seen.add(row.adresse_id);
      // As typed in a search field: lower case, no postcode.
      const label = `${row.numero}${row.rep ? ` ${row.rep}` : ""} ${row.nom_voie} ${row.nom_commune}`.toLowerCase();
      samples.push({ immeuble: row.id, adresseId: row.adresse_id, label });
      const dep = row.code_insee.slice(0, 2);
      counts.set(dep, (counts.get(dep) ?? 0) + 1);
    }
    return {
      trimestre: quarter.code,
      samples: shuffle(samples),
      departements: new Map([...counts].sort(([a], [b]) => a.localeCompare(b))),
    };
  } finally {
    sqlite.close();
  }
}

// The first server before sampling: it applies pending migrations before the database is read here.
let server = await startServer(MODES[0] as number);
const { trimestre, samples, departements } = sampleBuildings();
console.log(
  `Échantillon : ${fmt(samples.length)} adresses distinctes avec immeuble du trimestre ${trimestre}, dans le désordre (${[
    ...departements,
  ]
    .map(([dep, n]) => `${dep} : ${n}`)
    .join(", ")})`,
);

/** Size of a typical answer: the median body of 200 lookups by address id (offers included; warm-up addresses). */
async function typicalAnswerBytes(): Promise<number> {
  const sizes: number[] = [];
  for (const s of samples.slice(-200)) {
    const response = await fetch(`${server.url}/api/eligibilite?id=${encodeURIComponent(s.adresseId)}`);
    sizes.push((await response.arrayBuffer()).byteLength);
  }
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] as number;
}

interface Measure {
  requestsPerSecond: number;
  /** Share of answers served from the server's answer cache (`x-cache: HIT`), null when it says nothing. */
  hitRate: number | null;
  requests: number;
  distinct: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytesPerAnswer: number;
  load: string;
}

/**
 * One warm-up run of 2 s (JIT) on `warmup` (none when empty), then the measure: requests go through
 * `paths` in order, either once each (`once`: as many requests as paths, whatever the time) or for
 * `seconds` (cycling if the run outlasts them).
 */
async function hammer(
  base: string,
  paths: readonly string[],
  warmup: readonly string[],
  once = false,
  seconds = DURATION_S,
): Promise<Measure> {
  let hits = 0;
  let tagged = 0;
  let lastResponse = 0;
  const run = (list: readonly string[], limit: { duration: number } | { amount: number }) => {
    let next = 0;
    return autocannon({
      url: base,
      connections: CONNECTIONS,
      ...limit,
      requests: [
        {
          setupRequest: (request) => ({ ...request, path: list[next++ % list.length] as string }),
          onResponse: (_status, _body, _context, headers) => {
            lastResponse = performance.now();
            const cache = headers?.["x-cache"];
            if (cache === undefined) return;
            tagged++;
            if (cache === "HIT") hits++;
          },
        },
      ],
    });
  };
  if (warmup.length > 0) await run(warmup, { duration: 2 });
  hits = 0;
  tagged = 0;
  const loadBefore = load();
  const started = performance.now();
  const result = await run(paths, once ? { amount: paths.length } : { duration: seconds });
  // Up to the last response: autocannon ends a run (and rounds its duration) on a whole second.
  const elapsed = (lastResponse - started) / 1000;
  return {
    requestsPerSecond: result.requests.total / elapsed,
    hitRate: tagged > 0 ? hits / tagged : null,
    requests: result.requests.total,
    distinct: Math.min(paths.length, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors, // timeouts included
    non2xx: result.non2xx,
    bytesPerAnswer: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
    load: loadBefore,
  };
}

/** Pairs of short runs (bare route, then the server) for the interleaved ratio; seconds per run. */
const ROUNDS = Number(process.env.BENCH_TOURS ?? 7); // odd: the median is one of them
const ROUND_S = 2;

/**
 * The bare route and the server in turn, ROUNDS pairs of ROUND_S-second runs on the same paths
 * (already asked: the servers are warm): on a shared host the machine's speed drifts by a factor of
 * two within minutes (seen 2026-11-29), which a long run before and after only averages; the median
 * of the per-pair ratios is the figure least moved by it. Returns the sorted ratios and the worst p99.
 */
async function interleavedRatios(
  bareUrl: string,
  serverUrl: string,
  paths: readonly string[],
): Promise<{ ratios: number[]; p99: number; bareP99: number }> {
  const ratios: number[] = [];
  let p99 = 0;
  let bareP99 = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const floor = await hammer(bareUrl, paths, [], false, ROUND_S);
    const real = await hammer(serverUrl, paths, [], false, ROUND_S);
    ratios.push(real.requestsPerSecond / floor.requestsPerSecond);
    p99 = Math.max(p99, real.p99);
    bareP99 = Math.max(bareP99, floor.p99);
  }
  return { ratios: ratios.sort((a, b) => a - b), p99, bareP99 };
}

const describe = (label: string, m: Measure) =>
  `  ${label.padEnd(26)} ${fmt(m.requestsPerSecond).padStart(7)} requêtes/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
  (m.hitRate === null
    ? ""
    : `réponses du cache ${(100 * m.hitRate).toFixed(1)} % (${fmt(m.distinct)} requêtes distinctes), `) +
  `erreurs (délais dépassés compris) ${m.errors}, non-2xx ${m.non2xx}, ${fmt(m.bytesPerAnswer)} octets/réponse en-têtes compris (${m.load})`;

let bare: RunningServer | null = null;
try {
  const bytes = await typicalAnswerBytes();
  // A constant JSON document of exactly that size.
  const skeleton = JSON.stringify({ constante: "" });
  const body = JSON.stringify({ constante: "x".repeat(Math.max(0, bytes - skeleton.length)) });
  console.log(`Fastify nu : une route, JSON constant de ${fmt(body.length)} octets (réponse médiane par id)`);

  // Distinct addresses for the id and building lookups, others for free text (a free-text lookup
  // is then a lookup of its address id, so the sets must not meet), others to warm up.
  const byId = samples.slice(0, ADDRESSES);
  const byText = samples.slice(ADDRESSES, ADDRESSES + TEXTS);
  const warmup = samples.slice(ADDRESSES + TEXTS);
  const ratio = (real: Measure, floor: Measure) =>
    `  rapport au Fastify nu : ${((100 * real.requestsPerSecond) / floor.requestsPerSecond).toFixed(2)} % des requêtes/s, ` +
    `p99 × ${floor.p99 > 0 ? (real.p99 / floor.p99).toFixed(1) : "∞"}`;
  const path = {
    id: (s: Sample) => `/api/eligibilite?id=${encodeURIComponent(s.adresseId)}`,
    immeuble: (s: Sample) => `/api/eligibilite?immeuble=${encodeURIComponent(s.immeuble)}`,
    texte: (s: Sample) => `/api/eligibilite?adresse=${encodeURIComponent(s.label)}`,
  };
  const lookups: { label: string; paths: string[]; warmup: string[]; twice: boolean }[] = [
    {
      label: `par id d'adresse (${fmt(byId.length)} adresses)`,
      paths: byId.map(path.id),
      warmup: warmup.map(path.id),
      twice: true,
    },
    {
      label: `par immeuble (${fmt(byId.length)} immeubles)`,
      paths: byId.map(path.immeuble),
      warmup: warmup.map(path.immeuble),
      twice: true,
    },
    {
      label: `par adresse en texte libre (${fmt(byText.length)} autres adresses, ${DURATION_S} s)`,
      paths: byText.map(path.texte),
      warmup: warmup.map(path.texte),
      twice: false,
    },
  ];
  console.log(
    `\nHTTP GET /api/eligibilite, ${CONNECTIONS} connexions, après 2 s de chauffe sur ${fmt(warmup.length)} autres adresses, ` +
      "client autocannon sur la même machine. Par id et par immeuble : « 1er passage », chaque adresse demandée une fois, " +
      "jamais demandée auparavant ; « 2e passage », les mêmes à nouveau, dans le même ordre (le serveur garde les parties " +
      "que les réponses partagent, pas les réponses). " +
      `Fastify nu : ${DURATION_S} s sur les mêmes chemins, avant et après. Puis ${ROUNDS} paires de courtes mesures ` +
      "entrelacées (la vitesse de la machine dérive en quelques minutes) : la médiane de leurs rapports.",
  );
  for (const [m, processes] of MODES.entries()) {
    if (m > 0) {
      await server.stop();
      server = await startServer(processes);
    }
    const started = performance.now();
    bare = await bareFastify(body, processes);
    console.log(
      `== ${processes} processus : Fastify nu (${processes} processus) prêt en ${fmt((performance.now() - started) / 1000, 1)} s`,
    );
    for (const lookup of lookups) {
      console.log(`${lookup.label} :`);
      // The bare route before and after: the ratio is to their mean, so that a drift of the machine's
      // speed during the run (shared hosts) weighs on both sides alike.
      const before = await hammer(bare.url, lookup.paths, lookup.warmup);
      console.log(describe("Fastify nu (avant)", before));
      const first = await hammer(server.url, lookup.paths, lookup.warmup, lookup.twice);
      console.log(describe(lookup.twice ? "territoire, 1er passage" : "territoire serve", first));
      const second = lookup.twice ? await hammer(server.url, lookup.paths, lookup.warmup, true) : null;
      if (second) console.log(describe("territoire, 2e passage", second));
      const after = await hammer(bare.url, lookup.paths, lookup.warmup);
      console.log(describe("Fastify nu (après)", after));
      const floor: Measure = {
        ...after,
        requestsPerSecond: (before.requestsPerSecond + after.requestsPerSecond) / 2,
        p99: Math.max(before.p99, after.p99),
      };
      console.log(
        `${ratio(first, floor)}${lookup.twice ? " (1er passage)" : ""} ; Fastify nu : moyenne avant/après, pire p99`,
      );
      if (second) console.log(`${ratio(second, floor)} (2e passage)`);
      const turns = await interleavedRatios(bare.url, server.url, lookup.paths);
      const percent = (r: number) => `${(100 * r).toFixed(1)} %`;
      const median = turns.ratios[Math.floor((turns.ratios.length - 1) / 2)] as number;
      console.log(
        `  entrelacé (${ROUNDS} paires de ${ROUND_S} s, Fastify nu puis territoire, chemins déjà demandés) : ` +
          `médiane ${percent(median)} des requêtes/s (de ${percent(turns.ratios[0] as number)} à ${percent(turns.ratios.at(-1) as number)}), ` +
          `pire p99 ${turns.p99} ms (Fastify nu ${turns.bareP99} ms)`,
      );
    }
    await bare.stop();
    bare = null;
  }
} finally {
  await bare?.stop();
  await server.stop();
}

// The multi-site batch (bench/eligibilite-lots.part.ts, kept with the batch use case's helpers), once
// the server has stopped: it writes a job into the database (and deletes it).
console.log("");
// BENCH_LOTS=non: the lookups only.
if (process.env.BENCH_LOTS !== "non") await runBatchPart(`sqlite:${databaseFile}`);
