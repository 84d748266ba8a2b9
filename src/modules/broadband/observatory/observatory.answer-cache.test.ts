import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  AnswerBytesCache,
  COMPRESSION_MIN_BYTES,
  FAST_FIRST_MIN_BYTES,
  matchesEtag,
  negotiateCoding,
  type StoredCoding,
} from "./observatory.answer-cache.ts";

const decode = (bytes: Buffer, coding: StoredCoding | null) =>
  (coding === "br" ? zlib.brotliDecompressSync(bytes) : coding === "gzip" ? zlib.gunzipSync(bytes) : bytes).toString(
    "utf8",
  );

/** A JSON answer like a région's « zone fibrée »: thousands of similar communes. */
const bigJson = JSON.stringify({
  communes: Array.from({ length: 3000 }, (_, i) => ({
    code: String(14000 + i),
    nom: `Commune ${i}`,
    locaux: (i * 37) % 5000,
    motifs: i % 3 === 0 ? [`${i} locaux ni raccordables`] : [],
  })),
});

describe("Négociation du codage et comparaison des ETag", () => {
  it("préfère brotli, puis gzip, selon ce que le client accepte", () => {
    expect(negotiateCoding(undefined)).toBeNull();
    expect(negotiateCoding("identity")).toBeNull();
    expect(negotiateCoding("deflate")).toBeNull();
    expect(negotiateCoding("gzip, deflate")).toBe("gzip");
    expect(negotiateCoding("gzip, deflate, br, zstd")).toBe("br");
    expect(negotiateCoding("br;q=0, gzip")).toBe("gzip");
    expect(negotiateCoding("br;q=0.5, gzip;q=0.8")).toBe("gzip");
    expect(negotiateCoding("X-GZIP")).toBe("gzip");
    expect(negotiateCoding("*")).toBe("br");
    expect(negotiateCoding("*, br;q=0")).toBe("gzip");
    expect(negotiateCoding("gzip;q=0, br;q=0")).toBeNull();
  });

  it("compare les ETag faiblement, dans une liste ou avec *", () => {
    expect(matchesEtag(undefined, 'W/"abc"')).toBe(false);
    expect(matchesEtag('W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(matchesEtag("*", 'W/"abc"')).toBe(true);
    expect(matchesEtag('W/"abcd"', 'W/"abc"')).toBe(false);
  });
});

describe("Cache des octets des réponses", () => {
  it("construit une fois par clé et rend, pour chaque codage, des octets qui se décodent dans le même JSON", async () => {
    const cache = new AnswerBytesCache();
    let builds = 0;
    const build = async () => {
      builds++;
      return bigJson;
    };
    // Concurrent first requests build the answer once.
    const [first, second] = await Promise.all([cache.get("k", "br", build), cache.get("k", "gzip", build)]);
    expect(builds).toBe(1);
    expect(first.hit).toBe(false);
    expect(first.coding).toBe("br");
    expect(second.coding).toBe("gzip");
    expect(decode(first.bytes, "br")).toBe(bigJson);
    expect(decode(second.bytes, "gzip")).toBe(bigJson);
    const identity = await cache.get("k", null, build);
    expect(identity.hit).toBe(true);
    expect(identity.coding).toBeNull();
    expect(identity.bytes.toString("utf8")).toBe(bigJson);
    expect(new Set([first.etag, second.etag, identity.etag]).size).toBe(1);
    expect(first.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(builds).toBe(1);
  });

  it("compresse vite la première fois un gros JSON, puis au niveau complet quand on le redemande", async () => {
    expect(Buffer.byteLength(bigJson)).toBeGreaterThan(FAST_FIRST_MIN_BYTES);
    const build = async () => bigJson;
    for (const coding of ["br", "gzip"] as const) {
      const cache = new AnswerBytesCache();
      const fast = await cache.get(coding, coding, build);
      const again = await cache.get(coding, coding, build); // a hit: recompression starts
      expect(again.bytes).toBe(fast.bytes);
      await cache.settled();
      const full = await cache.get(coding, coding, build);
      expect(full.bytes.length).toBeLessThan(fast.bytes.length);
      expect(decode(full.bytes, coding)).toBe(bigJson);
      expect(full.etag).toBe(fast.etag);
      // The entry is weighed with its new bytes.
      expect(cache.weight).toBe(Buffer.byteLength(bigJson) + full.bytes.length);
    }
  });

  it("ne compresse pas une petite réponse", async () => {
    const cache = new AnswerBytesCache();
    const small = JSON.stringify({ a: "x".repeat(COMPRESSION_MIN_BYTES - 20) });
    const answer = await cache.get("petit", "br", async () => small);
    expect(answer.coding).toBeNull();
    expect(answer.bytes.toString("utf8")).toBe(small);
  });

  it("reste sous sa borne en octets, le moins récemment lu dehors, et ne garde pas un échec", async () => {
    const json = (n: number) => JSON.stringify({ n, texte: "y".repeat(1000) });
    const cache = new AnswerBytesCache(3500);
    let builds = 0;
    const get = (n: number) =>
      cache.get(`k${n}`, null, async () => {
        builds++;
        return json(n);
      });
    await get(1);
    await get(2);
    await get(3);
    await get(1); // read: now the most recent
    await get(4); // evicts 2
    expect(cache.size).toBe(3);
    expect(cache.weight).toBeLessThanOrEqual(3500);
    builds = 0;
    await get(1);
    expect(builds).toBe(0);
    await get(2);
    expect(builds).toBe(1);
    await expect(
      cache.get("échec", null, async () => {
        throw new Error("base indisponible");
      }),
    ).rejects.toThrow("base indisponible");
    expect((await cache.get("échec", null, async () => "{}")).bytes.toString("utf8")).toBe("{}");
  });
});
