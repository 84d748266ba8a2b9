import { connect } from "node:net";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { sendAtEndOfTurn } from "./send-at-end-of-turn.ts";

describe("sendAtEndOfTurn", () => {
  let app: FastifyInstance | undefined;
  afterEach(() => app?.close());

  /** A server whose route answers with sendAtEndOfTurn, recording when handlers and sends run. */
  async function start(events: string[]): Promise<number> {
    app = Fastify();
    app.addHook("onSend", (request, reply, payload, done) => {
      events.push(`envoi ${(request.query as { n: string }).n}`);
      reply.header("x-vu-par-onsend", "oui");
      done(null, payload);
    });
    app.get<{ Querystring: { n: string; fermer?: string; invalide?: string } }>("/reponse", (request, reply) => {
      events.push(`traitement ${request.query.n}`);
      // A client gone before the end of the turn: its answer goes nowhere, the others still leave.
      if (request.query.fermer === "oui") request.raw.socket.destroy();
      // Node refuses this header when the answer is written, inside reply.send.
      if (request.query.invalide === "oui") reply.header("x-invalide", "a\nb");
      sendAtEndOfTurn(reply, "application/json; charset=utf-8", Buffer.from(JSON.stringify({ n: request.query.n })));
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (!address || typeof address === "string") throw new Error("adresse d'écoute inattendue");
    return address.port;
  }

  /** Requests written at once on one connection (HTTP pipelining); resolves with what came back. */
  function pipelined(port: number, paths: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let received = "";
      socket.on("data", (chunk) => {
        received += chunk.toString("latin1");
        if ((received.match(/HTTP\/1\.1 200/g) ?? []).length === paths.length && received.endsWith("}")) {
          socket.end();
          resolve(received);
        }
      });
      socket.on("error", reject);
      socket.write(paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: localhost\r\n\r\n`).join(""));
    });
  }

  it("répond à chaque requête avec son corps, son type et les en-têtes de ses hooks", async () => {
    const port = await start([]);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => fetch(`http://127.0.0.1:${port}/reponse?n=${i}`)),
    );
    for (const [i, answer] of answers.entries()) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(answer.headers.get("x-vu-par-onsend")).toBe("oui");
      expect(await answer.json()).toEqual({ n: String(i) });
    }
  });

  it("envoie les réponses d'un même tour après tous leurs traitements, dans l'ordre de la connexion", async () => {
    const events: string[] = [];
    const port = await start(events);
    const received = await pipelined(port, ["/reponse?n=1", "/reponse?n=2", "/reponse?n=3"]);
    // The three requests arrive in one read: the three handlers run, then the three answers leave.
    expect(events).toEqual(["traitement 1", "traitement 2", "traitement 3", "envoi 1", "envoi 2", "envoi 3"]);
    expect([...received.matchAll(/\{"n":"(\d)"\}/g)].map((m) => m[1])).toEqual(["1", "2", "3"]);
  });

  it("une connexion fermée avant la fin du tour n'empêche pas les autres réponses", async () => {
    const port = await start([]);
    const [gone, kept] = await Promise.allSettled([
      fetch(`http://127.0.0.1:${port}/reponse?n=1&fermer=oui`),
      fetch(`http://127.0.0.1:${port}/reponse?n=2`),
    ]);
    expect(gone.status).toBe("rejected");
    expect(kept.status).toBe("fulfilled");
    if (kept.status === "fulfilled") expect(await kept.value.json()).toEqual({ n: "2" });
    // The server still answers afterwards.
    expect(await (await fetch(`http://127.0.0.1:${port}/reponse?n=3`)).json()).toEqual({ n: "3" });
  });

  it("une réponse impossible à écrire devient une erreur, sans retenir les autres", async () => {
    const port = await start([]);
    const [refused, kept] = await Promise.all([
      fetch(`http://127.0.0.1:${port}/reponse?n=1&invalide=oui`),
      fetch(`http://127.0.0.1:${port}/reponse?n=2`),
    ]);
    expect(refused.status).toBe(500);
    expect(refused.headers.get("x-invalide")).toBeNull();
    expect(await kept.json()).toEqual({ n: "2" });
  });

  it("ferme la connexion d'une réponse dont l'envoi lève une exception, et envoie les suivantes", async () => {
    let closed = 0;
    const throwing = {
      type: () => {
        throw new Error("envoi impossible");
      },
      log: { error: () => {} },
      raw: { destroy: () => closed++ },
    } as unknown as FastifyReply;
    const sent: unknown[] = [];
    const working = {
      type: () => working,
      send: (body: unknown) => sent.push(body),
    } as unknown as FastifyReply;
    sendAtEndOfTurn(throwing, "application/json", "{}");
    sendAtEndOfTurn(working, "application/json", '{"n":2}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(1);
    expect(sent).toEqual(['{"n":2}']);
  });
});
