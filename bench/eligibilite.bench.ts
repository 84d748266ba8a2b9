// The eligibility server (issue 6) as people use it: `territoire serve` (one process) on the Normandy
// demo with buildings, under autocannon at 16 connections on loopback, for lookups by address id, by
// building id and by free-text address (geocoded), each next to a bare Fastify process whose only
// route returns a constant JSON body of a typical answer's size, measured in the same run (ratio).
// BENCH_BASE=sqlite:/path/territoire.db reuses a demo database (the server applies its migrations);
// without it, the demo is built in a temporary folder by a first `territoire serve` (~3 minutes).
// `npm run bench -- eligibilite` (BENCH_SECONDES per HTTP run, default 10).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";

const DURATION_S = Number(process.env.BENCH_SECONDES ?? 10);
const SAMPLES = 2_000;
const CONNECTIONS = 16;
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

/** `territoire serve` on the database, as `npm start` runs it, one process, on a free port. */
function serve(databaseFile: string, demo: boolean): Promise<RunningServer> {
  const flag = demo ? "oui" : "non";
  return startChild(
    ["--import", "tsx", "src/cli/main.ts", "serve"],
    {
      DATABASE_URL: `sqlite:${databaseFile}`,
      PORT: "0",
      HOST: "127.0.0.1",
      TERRITOIRE_DEMO: "oui",
      TERRITOIRE_DEMO_ADRESSES: flag,
      TERRITOIRE_DEMO_THD: flag,
      TERRITOIRE_LIMITE_IP: "9999999",
      TERRITOIRE_PROCESSUS: "1",
    },
    demo,
  );
}

/** The floor: Fastify 5 alone in a node process, one route sending a constant JSON string. */
function bareFastify(body: string): Promise<RunningServer> {
  const script = `
    import Fastify from "fastify";
    const app = Fastify({ logger: false });
    const body = process.env.BENCH_CORPS;
    app.get("/api/eligibilite", (_request, reply) => { reply.type("application/json; charset=utf-8").send(body); });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    console.log("Nu prêt : " + url);
    process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
  `;
  return startChild(["--input-type=module", "-e", script], { BENCH_CORPS: body }, false, /Nu prêt : (http:\/\/\S+)/);
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

// The server first: it applies pending migrations before the database is read here.
let started = performance.now();
const server = await serve(databaseFile, false);
console.log(
  `Serveur (1 processus) prêt en ${fmt((performance.now() - started) / 1000, 1)} s (index d'adresses compris)`,
);

interface Sample {
  immeuble: string;
  adresseId: string;
  label: string;
}

/**
 * 2,000 buildings with an address, spread over the départements (as many from each, evenly along
 * the table), from the latest published quarter with buildings: what the route answers from.
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
    const step = Math.max(1, Math.floor(n / (SAMPLES * 5)));
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
    const byDepartement = new Map<string, typeof rows>();
    for (const row of rows) {
      const dep = row.code_insee.slice(0, 2);
      const list = byDepartement.get(dep);
      if (list) list.push(row);
      else byDepartement.set(dep, [row]);
    }
    const perDepartement = Math.ceil(SAMPLES / byDepartement.size);
    const samples: Sample[] = [];
    const counts = new Map<string, number>();
    for (const [dep, list] of [...byDepartement].sort(([a], [b]) => a.localeCompare(b))) {
      const take = Math.min(list.length, perDepartement, SAMPLES - samples.length);
      const stride = list.length / take;
      for (let k = 0; k < take; k++) {
        const row = list[Math.floor(k * stride)] as (typeof rows)[number];
        // As typed in a search field: lower case, no postcode.
        const label = `${row.numero}${row.rep ? ` ${row.rep}` : ""} ${row.nom_voie} ${row.nom_commune}`.toLowerCase();
        samples.push({ immeuble: row.id, adresseId: row.adresse_id, label });
      }
      counts.set(dep, take);
    }
    return { trimestre: quarter.code, samples, departements: counts };
  } finally {
    sqlite.close();
  }
}

const { trimestre, samples, departements } = sampleBuildings();
console.log(
  `Échantillon : ${fmt(samples.length)} immeubles avec adresse du trimestre ${trimestre} (${[...departements]
    .map(([dep, n]) => `${dep} : ${n}`)
    .join(", ")})`,
);

/** Size of a typical answer: the median body of the first 200 lookups by address id. */
async function typicalAnswerBytes(): Promise<number> {
  const sizes: number[] = [];
  for (const s of samples.slice(0, 200)) {
    const response = await fetch(`${server.url}/api/eligibilite?id=${encodeURIComponent(s.adresseId)}`);
    sizes.push((await response.arrayBuffer()).byteLength);
  }
  sizes.sort((a, b) => a - b);
  return sizes[Math.floor(sizes.length / 2)] as number;
}

interface Measure {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytesPerAnswer: number;
  load: string;
}

/** One warm-up run of 2 s (JIT), then the measure; requests cycle over `paths`. */
async function hammer(base: string, paths: readonly string[]): Promise<Measure> {
  const run = (duration: number) => {
    let next = 0;
    return autocannon({
      url: base,
      connections: CONNECTIONS,
      duration,
      requests: [{ setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length] as string }) }],
    });
  };
  await run(2);
  const loadBefore = load();
  const result = await run(DURATION_S);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors, // timeouts included
    non2xx: result.non2xx,
    bytesPerAnswer: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
    load: loadBefore,
  };
}

const describe = (label: string, m: Measure) =>
  `  ${label.padEnd(26)} ${fmt(m.requestsPerSecond).padStart(7)} requêtes/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
  `erreurs (délais dépassés compris) ${m.errors}, non-2xx ${m.non2xx}, ${fmt(m.bytesPerAnswer)} octets/réponse en-têtes compris (${m.load})`;

let bare: RunningServer | null = null;
try {
  const bytes = await typicalAnswerBytes();
  // A constant JSON document of exactly that size.
  const skeleton = JSON.stringify({ constante: "" });
  const body = JSON.stringify({ constante: "x".repeat(Math.max(0, bytes - skeleton.length)) });
  started = performance.now();
  bare = await bareFastify(body);
  console.log(
    `Fastify nu (1 processus, une route, JSON constant de ${fmt(body.length)} octets = réponse médiane par id) prêt en ${fmt((performance.now() - started) / 1000, 1)} s`,
  );

  const lookups: { label: string; paths: string[] }[] = [
    {
      label: "par id d'adresse",
      paths: samples.map((s) => `/api/eligibilite?id=${encodeURIComponent(s.adresseId)}`),
    },
    {
      label: "par immeuble",
      paths: samples.map((s) => `/api/eligibilite?immeuble=${encodeURIComponent(s.immeuble)}`),
    },
    {
      label: "par adresse en texte libre",
      paths: samples.map((s) => `/api/eligibilite?adresse=${encodeURIComponent(s.label)}`),
    },
  ];
  console.log(
    `\nHTTP GET /api/eligibilite, ${CONNECTIONS} connexions, ${DURATION_S} s par mesure (après 2 s de chauffe), ` +
      `client autocannon sur la même machine, requêtes tournant sur les ${fmt(samples.length)} échantillons :`,
  );
  for (const lookup of lookups) {
    console.log(`${lookup.label} :`);
    const real = await hammer(server.url, lookup.paths);
    console.log(describe("territoire serve", real));
    const floor = await hammer(bare.url, lookup.paths);
    console.log(describe("Fastify nu", floor));
    console.log(
      `  rapport au Fastify nu : ${((100 * real.requestsPerSecond) / floor.requestsPerSecond).toFixed(2)} % des requêtes/s, ` +
        `p99 × ${floor.p99 > 0 ? (real.p99 / floor.p99).toFixed(1) : "∞"}`,
    );
  }
  console.log("\nLot de 100 000 sites : non mesuré (le traitement par lot n'existe pas encore).");
} finally {
  await bare?.stop();
  await server.stop();
}
