import { beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../../shared/testing/seeded-random.ts";
import { type AddressIndex, type AddressRecord, buildAddressIndex, type SearchOptions } from "./address-index.ts";
import { buildEvaluationQueries } from "./evaluation.ts";
import { generateAddresses } from "./synthetic.ts";

// searchHits + resultOf (the route's path) against search, and house numbers in long streets,
// whose lookup bisects when the street's numbers are in ascending order.

const CAEN = { codePostal: "14000", codeInsee: "14118", nomCommune: "Caen" };

/** A street of `count` numbers (every 5th with "bis"), in ascending order or shuffled. */
function street(voie: string, nomVoie: string, count: number, shuffled: boolean): AddressRecord[] {
  const records: AddressRecord[] = [];
  for (let n = 1; n <= count; n++) {
    const base = { ...CAEN, nomVoie, lon: -0.37 + n * 1e-5, lat: 49.18 + Number(voie) * 1e-4 };
    records.push({ ...base, id: `14118_${voie}_${String(n).padStart(5, "0")}`, numero: n, rep: "" });
    if (n % 5 === 0) {
      records.push({
        ...base,
        id: `14118_${voie}_${String(n).padStart(5, "0")}_bis`,
        numero: n,
        rep: "bis",
        lat: 49.5,
      });
    }
  }
  if (shuffled) {
    const random = seededRandom(11);
    for (let i = records.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [records[i], records[j]] = [records[j] as AddressRecord, records[i] as AddressRecord];
    }
  }
  return records;
}

let index: AddressIndex;

beforeAll(() => {
  const filler = generateAddresses(6000, 5).records.filter((r) => r.codeInsee !== CAEN.codeInsee);
  index = buildAddressIndex([
    ...street("0500", "Rue des Ordonnées", 300, false),
    ...street("0510", "Rue des Mélangées", 300, true),
    ...street("0520", "Rue Courte", 6, false),
    ...filler,
  ]);
});

describe("house numbers in long streets", () => {
  for (const [name, label] of [
    ["Rue des Ordonnées", "in ascending order"],
    ["Rue des Mélangées", "in any order"],
  ] as const) {
    it(`finds every number, with and without its suffix, ${label}`, () => {
      for (const n of [1, 2, 5, 150, 155, 299, 300]) {
        const [plain] = index.search(`${n} ${name} 14000 Caen`, { limit: 1, autocomplete: false });
        expect(plain?.type).toBe("housenumber");
        expect(plain?.housenumber).toBe(String(n));
        if (n % 5 === 0) {
          const [bis] = index.search(`${n} bis ${name} 14000 Caen`, { limit: 1, autocomplete: false });
          expect(bis?.housenumber).toBe(`${n}bis`);
          expect(bis?.id).toMatch(/_bis$/);
          expect(bis?.lat).toBe(49.5);
        }
      }
    });

    it(`answers the street when the number is not there, ${label}`, () => {
      for (const n of [301, 999]) {
        const [result] = index.search(`${n} ${name} 14000 Caen`, { limit: 1, autocomplete: false });
        expect(result?.type).toBe("street");
        expect(result?.street).toBe(name);
      }
      const [noBis] = index.search(`7 bis ${name} 14000 Caen`, { limit: 1, autocomplete: false });
      expect(noBis?.housenumber).not.toBe("7bis");
    });
  }

  it("finds a number of a short street", () => {
    expect(index.search("5 bis rue courte caen", { limit: 1 })[0]?.id).toBe("14118_0520_00005_bis");
  });
});

describe("searchHits and resultOf", () => {
  it("give exactly what search gives, options included", () => {
    const queries = buildEvaluationQueries(index, 40, 3);
    const variants: SearchOptions[] = [
      {},
      { limit: 10, autocomplete: false },
      { lat: 49.18, lon: -0.37 },
      { type: "street" },
      { type: "municipality" },
      { postcode: "14000" },
    ];
    let compared = 0;
    for (const q of queries) {
      for (const options of variants) {
        const o = { autocomplete: q.autocomplete, ...options };
        const fromHits = index.searchHits(q.q, o).map((hit) => index.resultOf(hit));
        expect(fromHits).toEqual(index.search(q.q, o));
        compared += fromHits.length;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it("give one key per answer: the same key, the same properties apart from score and distance", () => {
    const byKey = new Map<number, string>();
    for (const q of ["rue des ordonnees caen", "150 rue des ordonnees", "rue des melangees", "caen", "rue courte"]) {
      for (const options of [{}, { lat: 49.2, lon: -0.3 }, { type: "street" as const }]) {
        for (const hit of index.searchHits(q, { limit: 20, ...options })) {
          const { score: _score, distance: _distance, ...properties } = index.resultOf(hit);
          const text = JSON.stringify(properties);
          expect(byKey.get(hit.key) ?? text).toBe(text);
          byKey.set(hit.key, text);
        }
      }
    }
    expect(new Set(byKey.values()).size).toBe(byKey.size);
  });

  it("gives the distance of a search near a point, none otherwise", () => {
    const [near] = index.searchHits("150 rue des ordonnees caen", { lat: 49.18, lon: -0.37 });
    expect(near?.distance).toBeGreaterThan(0);
    expect(index.searchHits("150 rue des ordonnees caen")[0]?.distance).toBeUndefined();
  });

  it("refuses a key the index does not have", () => {
    expect(() => index.resultOf({ key: -1, score: 1, distance: undefined })).toThrow(RangeError);
    expect(() => index.resultOf({ key: 1e9, score: 1, distance: undefined })).toThrow(RangeError);
  });
});
