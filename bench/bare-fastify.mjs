// The floor of the eligibility bench (eligibilite.bench.ts): Fastify 5 alone, one route sending a
// constant JSON string (BENCH_CORPS), in BENCH_PROCESSUS_NU node processes sharing one port
// (node:cluster, as `territoire serve` with TERRITOIRE_PROCESSUS). Prints "Nu prêt : URL".
import cluster from "node:cluster";
import Fastify from "fastify";

const processes = Number(process.env.BENCH_PROCESSUS_NU ?? 1);

if (processes > 1 && cluster.isPrimary) {
  // Workers that all listen on port 0 share the one port the primary picks (node:cluster).
  let ready = 0;
  for (let i = 0; i < processes; i++) {
    cluster.fork().once("message", (port) => {
      if (++ready === processes) console.log(`Nu prêt : http://127.0.0.1:${port}`);
    });
  }
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const app = Fastify({ logger: false });
  const body = process.env.BENCH_CORPS ?? "{}";
  app.get("/api/eligibilite", (_request, reply) => {
    reply.type("application/json; charset=utf-8").send(body);
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address();
  if (cluster.isWorker) process.send(port);
  else console.log(`Nu prêt : http://127.0.0.1:${port}`);
  process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
}
