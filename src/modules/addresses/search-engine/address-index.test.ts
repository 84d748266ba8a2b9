import { beforeAll, describe, expect, it } from "vitest";
import {
  type AddressIndex,
  type AddressRecord,
  buildAddressIndex,
  type CommuneInfo,
  LIEU_DIT_NUMERO,
  toFeature,
} from "./address-index.ts";
import { buildEvaluationQueries, evaluate } from "./evaluation.ts";
import { generateAddresses } from "./synthetic.ts";

// Five Calvados communes with confusable streets, plus synthetic filler communes.
const COMMUNES: (CommuneInfo & { lat: number; lon: number })[] = [
  {
    code: "14118",
    nom: "Caen",
    codesPostaux: ["14000"],
    population: 108_000,
    departement: "14",
    lat: 49.18,
    lon: -0.37,
  },
  {
    code: "14047",
    nom: "Bayeux",
    codesPostaux: ["14400"],
    population: 13_000,
    departement: "14",
    lat: 49.28,
    lon: -0.7,
  },
  {
    code: "14366",
    nom: "Lisieux",
    codesPostaux: ["14100"],
    population: 20_000,
    departement: "14",
    lat: 49.15,
    lon: 0.23,
  },
  {
    code: "14327",
    nom: "Hérouville-Saint-Clair",
    codesPostaux: ["14200"],
    population: 22_000,
    departement: "14",
    lat: 49.2,
    lon: -0.33,
  },
  {
    code: "14654",
    nom: "Saint-Pierre-sur-Dives",
    codesPostaux: ["14170"],
    population: 3_800,
    departement: "14",
    lat: 49.02,
    lon: -0.03,
  },
];

const STREETS: [commune: string, voie: string, name: string, numbers: number][] = [
  ["14118", "0100", "Rue Saint-Pierre", 30],
  ["14047", "0100", "Rue Saint-Pierre", 60],
  ["14118", "0110", "Rue du Moulin", 20],
  ["14118", "0120", "Chemin du Moulin", 40],
  ["14047", "0120", "Chemin du Moulin", 15],
  ["14118", "0130", "Avenue du Général de Gaulle", 50],
  ["14366", "0130", "Avenue du Général de Gaulle", 25],
  ["14118", "0140", "Boulevard du Maréchal Leclerc", 80],
  ["14327", "0150", "Rue de l'Église", 12],
  ["14118", "0160", "Place de la République", 10],
  ["14047", "0170", "Rue de Caen", 35],
  ["14366", "0180", "Rue du 8 Mai 1945", 18],
  ["14118", "0190", "Rue Écuyère", 40],
  ["14118", "0200", "Quai Vendeuvre", 30],
  ["14327", "0210", "Allée des Tilleuls", 14],
  ["14654", "0220", "Rue du Moulin", 25],
];

function testRecords(): AddressRecord[] {
  const records: AddressRecord[] = [];
  for (const [code, voie, name, count] of STREETS) {
    const c = COMMUNES.find((x) => x.code === code) as (typeof COMMUNES)[number];
    const base = {
      nomVoie: name,
      codePostal: (c.codesPostaux as string[])[0] as string,
      codeInsee: code,
      nomCommune: c.nom,
    };
    const offset = Number(voie) / 10_000;
    for (let n = 1; n <= count; n++) {
      const pos = { lat: c.lat + offset + n * 0.0001, lon: c.lon + offset };
      records.push({ ...base, ...pos, id: `${code}_${voie}_${String(n).padStart(5, "0")}`, numero: n, rep: "" });
      if (n % 7 === 0) {
        records.push({
          ...base,
          ...pos,
          id: `${code}_${voie}_${String(n).padStart(5, "0")}_bis`,
          numero: n,
          rep: "bis",
        });
      }
    }
  }
  records.push({
    id: "14654_b001",
    numero: 0,
    rep: "",
    nomVoie: "Lieu-dit Les Hauts",
    codePostal: "14170",
    codeInsee: "14654",
    nomCommune: "Saint-Pierre-sur-Dives",
    lat: 49.03,
    lon: -0.02,
  });
  // Lieux-dits without numbers: their own BAN/BAL row, numero 99999 (a toponym, a `locality`).
  const lieuDit = (id: string, nomVoie: string, code: string, lat: number, lon: number): AddressRecord => {
    const c = COMMUNES.find((x) => x.code === code) as (typeof COMMUNES)[number];
    const codePostal = (c.codesPostaux as string[])[0] as string;
    return { id, numero: LIEU_DIT_NUMERO, rep: "", nomVoie, codePostal, codeInsee: code, nomCommune: c.nom, lat, lon };
  };
  records.push(lieuDit("14654_b002_99999", "La Londe Hébert", "14654", 49.005, -0.06));
  records.push(lieuDit("14047_b010_99999", "Le Moulin", "14047", 49.29, -0.72));
  // A lieu-dit that has numbers is a street, as in the BAN.
  records.push(lieuDit("14366_b020_99999", "Le Hameau Fleury", "14366", 49.16, 0.25));
  for (let n = 1; n <= 3; n++) {
    records.push({
      id: `14366_b020_0000${n}`,
      numero: n,
      rep: "",
      nomVoie: "Le Hameau Fleury",
      codePostal: "14100",
      codeInsee: "14366",
      nomCommune: "Lisieux",
      lat: 49.16 + n * 0.0001,
      lon: 0.25,
    });
  }
  // Irregular id kept as is.
  records.push({
    id: "14118_x_irregulier",
    numero: 99,
    rep: "",
    nomVoie: "Quai Vendeuvre",
    codePostal: "14000",
    codeInsee: "14118",
    nomCommune: "Caen",
    lat: 49.185,
    lon: -0.35,
  });
  return records;
}

let index: AddressIndex;
let filler: ReturnType<typeof generateAddresses>;

beforeAll(() => {
  filler = generateAddresses(4000, 3);
  const codes = new Set(COMMUNES.map((c) => c.code));
  const names = new Set(COMMUNES.map((c) => c.nom));
  const fillerRecords = filler.records.filter((r) => !codes.has(r.codeInsee) && !names.has(r.nomCommune));
  const fillerCommunes = filler.communes.filter((c) => !codes.has(c.code));
  index = buildAddressIndex([...testRecords(), ...fillerRecords], [...COMMUNES, ...fillerCommunes]);
});

const top = (q: string, options = {}) => index.search(q, { limit: 5, ...options })[0];

describe("buildAddressIndex", () => {
  it("counts addresses, streets and communes", () => {
    expect(index.addressCount).toBeGreaterThan(4000);
    expect(index.communeCount).toBeGreaterThanOrEqual(5);
    expect(index.streetCount).toBeGreaterThan(100);
  });

  it("gives back every record, irregular ids included", () => {
    const ids = new Set<string>();
    for (let i = 0; i < index.addressCount; i++) ids.add(index.getAddress(i).id);
    expect(ids.has("14118_0100_00012")).toBe(true);
    expect(ids.has("14118_0100_00014_bis")).toBe(true);
    expect(ids.has("14118_x_irregulier")).toBe(true);
  });

  it("keeps a lieu-dit's own row (numero 99999) out of the addresses", () => {
    for (let i = 0; i < index.addressCount; i++) expect(index.getAddress(i).numero).not.toBe(LIEU_DIT_NUMERO);
  });
});

describe("search: lieux-dits (locality)", () => {
  it("returns a lieu-dit without numbers as api-adresse does: type locality, its toponym's id, no number", () => {
    const r = top("La Londe Hébert 14170 Saint-Pierre-sur-Dives");
    expect(r).toMatchObject({
      id: "14654_b002",
      type: "locality",
      label: "La Londe Hébert 14170 Saint-Pierre-sur-Dives",
      name: "La Londe Hébert",
      postcode: "14170",
      citycode: "14654",
      city: "Saint-Pierre-sur-Dives",
      context: "14, Calvados, Normandie",
    });
    // Its own row's position (stored as Float32 like every position of the index).
    expect(r?.lat).toBeCloseTo(49.005, 5);
    expect(r?.lon).toBeCloseTo(-0.06, 5);
    expect(r).not.toHaveProperty("housenumber");
    expect(r).not.toHaveProperty("street");
    // BAN importance of a lieu-dit: the commune's population and one "number".
    expect(r?.importance).toBeCloseTo((Math.log(1 + 3800 / 3) + Math.log(2)) / 20, 4);
    expect(r?.score).toBeGreaterThan(0.8);
    expect(toFeature(r as NonNullable<typeof r>).properties).not.toHaveProperty("housenumber");
  });

  it("finds it typed casually, with a leading « lieu-dit », or with a number it does not have", () => {
    expect(top("la londe hebert saint pierre sur dives")).toMatchObject({ id: "14654_b002", type: "locality" });
    expect(top("lieu-dit la londe hebert 14170")).toMatchObject({ id: "14654_b002", type: "locality" });
    expect(top("lieudit la londe heber")).toMatchObject({ id: "14654_b002", type: "locality" });
    expect(top("3 la londe hebert 14170")).toMatchObject({ id: "14654_b002", type: "locality" });
  });

  it("filters by type: locality gives lieux-dits only, street and housenumber never give them", () => {
    const moulin = index.search("moulin bayeux", { limit: 10 });
    expect(moulin.some((r) => r.type === "locality")).toBe(true);
    expect(moulin.some((r) => r.type === "street")).toBe(true);
    const localities = index.search("moulin bayeux", { limit: 10, type: "locality" });
    expect(localities[0]).toMatchObject({ id: "14047_b010", type: "locality", name: "Le Moulin" });
    expect(localities.every((r) => r.type === "locality")).toBe(true);
    expect(index.search("le moulin bayeux", { limit: 10, type: "street" }).every((r) => r.type === "street")).toBe(
      true,
    );
    expect(index.search("la londe hebert", { type: "street" }).map((r) => r.id)).not.toContain("14654_b002");
    expect(index.search("la londe hebert", { type: "housenumber" })).toEqual([]);
    expect(index.search("rue saint pierre caen", { type: "locality" }).every((r) => r.type === "locality")).toBe(true);
  });

  it("keeps a lieu-dit that has numbers a street, with its numbers", () => {
    expect(top("2 le hameau fleury lisieux")).toMatchObject({ id: "14366_b020_00002", type: "housenumber" });
    expect(top("le hameau fleury lisieux")).toMatchObject({ id: "14366_b020", type: "street" });
    expect(index.search("hameau fleury", { type: "locality" }).map((r) => r.id)).not.toContain("14366_b020");
  });
});

describe("search: clean queries and the api-adresse shape", () => {
  it("finds an exact address with all the properties", () => {
    const r = top("12 Rue Saint-Pierre 14000 Caen");
    expect(r).toMatchObject({
      id: "14118_0100_00012",
      type: "housenumber",
      label: "12 Rue Saint-Pierre 14000 Caen",
      name: "12 Rue Saint-Pierre",
      housenumber: "12",
      street: "Rue Saint-Pierre",
      postcode: "14000",
      citycode: "14118",
      city: "Caen",
      context: "14, Calvados, Normandie",
    });
    expect(r?.score).toBeGreaterThan(0.8);
    expect(r?.score).toBeLessThanOrEqual(1);
    expect(r?.importance).toBeGreaterThan(0);
    const feature = toFeature(r as NonNullable<typeof r>);
    expect(feature.geometry.coordinates).toEqual([r?.lon, r?.lat]);
  });

  it("matches bis/ter suffixes glued or separate", () => {
    expect(top("14 bis rue saint pierre caen")?.id).toBe("14118_0100_00014_bis");
    expect(top("14bis rue saint pierre caen")?.id).toBe("14118_0100_00014_bis");
    expect(top("14 rue saint pierre caen")?.id).toBe("14118_0100_00014");
  });

  it("reads the house number after the street and the city before it", () => {
    expect(top("rue saint pierre 12 caen")?.id).toBe("14118_0100_00012");
    expect(top("Caen 14000, Rue Saint-Pierre 12")?.id).toBe("14118_0100_00012");
    expect(top("caen 12 rue saint pierre")?.id).toBe("14118_0100_00012");
  });

  it("keeps numbers that belong to the street name", () => {
    const r = top("5 rue du 8 mai 1945 lisieux");
    expect(r?.id).toBe("14366_0180_00005");
    expect(top("rue du 8 mai 1945")?.street).toBe("Rue du 8 Mai 1945");
  });

  it("returns municipalities for a city name", () => {
    expect(top("Caen")).toMatchObject({ type: "municipality", id: "14118", label: "Caen" });
    expect(top("bayeux 14400")).toMatchObject({ type: "municipality", citycode: "14047" });
    expect(top("Saint Pierre sur Dives")).toMatchObject({ type: "municipality", citycode: "14654" });
    expect(top("14000")).toMatchObject({ type: "municipality", citycode: "14118" });
    expect(top("14400")).toMatchObject({ type: "municipality", citycode: "14047" });
  });

  it("returns a lieu-dit with its own id", () => {
    expect(top("Les Hauts Saint-Pierre-sur-Dives")).toMatchObject({ id: "14654_b001", type: "street" });
    expect(top("lieu-dit les hauts 14170")?.id).toBe("14654_b001");
  });
});

describe("search: what people type", () => {
  it("ignores missing accents and case", () => {
    expect(top("12 RUE ECUYERE CAEN")?.id).toBe("14118_0190_00012");
    expect(top("3 rue de l eglise herouville saint clair")?.id).toBe("14327_0150_00003");
  });

  it("tolerates typos (1 edit, 2 on long words)", () => {
    expect(top("12 rue du mouln caen")?.id).toBe("14118_0110_00012");
    expect(top("12 boulevrad du marechal lecelrc caen")?.id).toBe("14118_0140_00012");
    expect(top("5 avenue du general de gaule lisieux")?.id).toBe("14366_0130_00005");
    expect(top("12 rue ecuyere caan")?.id).toBe("14118_0190_00012");
  });

  it("expands abbreviations", () => {
    expect(top("7 av gal de gaulle lisieux")?.id).toBe("14366_0130_00007");
    expect(top("12 bd mal leclerc 14000")?.id).toBe("14118_0140_00012");
    expect(top("3 all des tilleuls herouville st clair")?.id).toBe("14327_0210_00003");
    expect(top("2 pl de la republique caen")?.id).toBe("14118_0160_00002");
  });

  it("prefers the commune given by name or postcode", () => {
    expect(top("rue saint pierre bayeux")?.citycode).toBe("14047");
    expect(top("rue saint pierre caen")?.citycode).toBe("14118");
    expect(top("20 rue saint pierre 14400")?.id).toBe("14047_0100_00020");
    expect(top("rue du moulin saint pierre sur dives")?.citycode).toBe("14654");
  });

  it("tells a street type apart", () => {
    expect(top("10 rue du moulin caen")?.id).toBe("14118_0110_00010");
    expect(top("10 chemin du moulin caen")?.id).toBe("14118_0120_00010");
    expect(top("10 che du moulin bayeux")?.id).toBe("14047_0120_00010");
  });

  it("handles swapped words", () => {
    expect(top("pierre saint rue 12 caen")?.id).toBe("14118_0100_00012");
  });

  it("removes company, BP, CEDEX, CS, floor and flat noise", () => {
    expect(top("SARL Dupont Plomberie 12 rue Saint-Pierre BP 123 14000 CAEN CEDEX")?.id).toBe("14118_0100_00012");
    expect(top("Mairie, 12 bd du Maréchal Leclerc, CS 40001, 14000 Caen Cedex 9")?.id).toBe("14118_0140_00012");
    expect(top("Appt 12, 3e étage, Bât B, 12 rue Écuyère 14000 Caen")?.id).toBe("14118_0190_00012");
  });

  it("completes the last word when autocomplete is on", () => {
    expect(top("12 rue ecuy", { autocomplete: true })?.street).toBe("Rue Écuyère");
    expect(top("12 rue saint pierre bay", { autocomplete: true })?.id).toBe("14047_0100_00012");
    expect(top("quai vendeu", { autocomplete: true })?.street).toBe("Quai Vendeuvre");
  });

  it("falls back to the street when the number does not exist", () => {
    const r = top("45 rue saint pierre caen");
    expect(r).toMatchObject({ type: "street", street: "Rue Saint-Pierre", citycode: "14118" });
    expect(r?.housenumber).toBeUndefined();
    // Without a city, the street where the number exists wins.
    expect(top("45 rue saint pierre")?.id).toBe("14047_0100_00045");
    const onlyNumbers = index.search("45 rue saint pierre caen", { type: "housenumber", citycode: "14118" });
    expect(onlyNumbers.every((x) => x.type === "housenumber" && x.street !== "Rue Saint-Pierre")).toBe(true);
  });

  it("ranks nearby results first when lat/lon is given", () => {
    const nearBayeux = top("rue saint pierre", { lat: 49.28, lon: -0.7 });
    expect(nearBayeux?.citycode).toBe("14047");
    expect(nearBayeux?.distance).toBeLessThan(2000);
    const nearCaen = top("rue saint pierre", { lat: 49.18, lon: -0.37 });
    expect(nearCaen?.citycode).toBe("14118");
  });

  it("applies the type, postcode and citycode filters", () => {
    expect(index.search("rue saint pierre", { citycode: "14047" }).every((r) => r.citycode === "14047")).toBe(true);
    // "saint pierre" also names Saint-Pierre-sur-Dives: the filter's commune wins.
    expect(index.search("rue saint pierre", { citycode: "14047" })[0]?.street).toBe("Rue Saint-Pierre");
    expect(index.search("chemin du moulin", { postcode: "14400" })[0]?.id).toBe("14047_0120");
    expect(index.search("rue saint pierre", { postcode: "14000" })[0]?.citycode).toBe("14118");
    expect(index.search("saint pierre", { type: "municipality" })[0]?.citycode).toBe("14654");
    expect(index.search("caen", { type: "street" }).every((r) => r.type === "street")).toBe(true);
    expect(index.search("12 rue saint pierre", { limit: 2 })).toHaveLength(2);
  });
});

describe("search: absurd input", () => {
  it.each([
    "",
    "   ",
    "!!!???",
    "le la les de",
    "xyzzy qwertyuiop",
    "12345678",
    "a".repeat(10_000),
    "rue ".repeat(500),
    "😀 🏠 ∑",
    Array.from({ length: 200 }, (_, i) => `mot${i}`).join(" "),
  ])("returns [] or results quickly, never throws: %#", (q) => {
    const t = performance.now();
    const results = index.search(q);
    expect(performance.now() - t).toBeLessThan(100);
    expect(Array.isArray(results)).toBe(true);
    if (["", "   ", "!!!???", "xyzzy qwertyuiop", "a".repeat(10_000)].includes(q)) expect(results).toEqual([]);
  });

  it("survives invalid options", () => {
    expect(() => index.search("caen", { limit: -3, lat: Number.NaN, lon: 999 })).not.toThrow();
    expect(index.search(undefined as unknown as string)).toEqual([]);
  });
});

describe("reverse", () => {
  it("returns the nearest address with its distance in metres", () => {
    const a = index.getAddress(0);
    const [r] = index.reverse(a.lat, a.lon);
    expect(r?.type).toBe("housenumber");
    expect(r?.distance).toBeLessThan(1);
    expect(r?.lat).toBeCloseTo(a.lat, 4);
  });

  it("finds the address about 50 m away and orders by distance", () => {
    const results = index.reverse(49.18 + 0.01 + 12 * 0.0001 + 0.0004, -0.37 + 0.01, { limit: 3 });
    expect(results[0]?.street).toBe("Rue Saint-Pierre");
    expect(results[0]?.housenumber).toBe("16");
    const distances = results.map((r) => r.distance ?? 0);
    expect([...distances].sort((x, y) => x - y)).toEqual(distances);
  });

  it("answers streets and municipalities by type", () => {
    expect(index.reverse(49.1912, -0.36, { type: "street" })[0]?.type).toBe("street");
    expect(index.reverse(49.1912, -0.36, { type: "municipality" })[0]).toMatchObject({ citycode: "14118" });
    expect(index.reverse(49.03, -0.02)[0]).toMatchObject({ id: "14654_b001", type: "street" });
  });

  it("answers lieux-dits as localities, and only them with type=locality", () => {
    expect(index.reverse(49.005, -0.06)[0]).toMatchObject({ id: "14654_b002", type: "locality", distance: 0 });
    const near = index.reverse(49.03, -0.02, { type: "locality", limit: 3 });
    expect(near[0]).toMatchObject({ id: "14654_b002", type: "locality", name: "La Londe Hébert" });
    expect(near.every((r) => r.type === "locality")).toBe(true);
    expect(near.map((r) => r.distance)).toEqual([...near.map((r) => r.distance ?? 0)].sort((a, b) => a - b));
    expect(index.reverse(49.005, -0.06, { type: "street" })[0]?.type).toBe("street");
    expect(index.reverse(49.005, -0.06, { type: "street", limit: 5 }).map((r) => r.id)).not.toContain("14654_b002");
    expect(index.reverse(49.005, -0.06, { type: "housenumber" })[0]?.type).toBe("housenumber");
    // A lieu-dit with numbers is no locality.
    expect(index.reverse(49.16, 0.25, { type: "locality", limit: 5 }).map((r) => r.id)).not.toContain("14366_b020");
  });

  it("returns [] far from any address or for invalid coordinates", () => {
    expect(index.reverse(0, 0)).toEqual([]);
    expect(index.reverse(Number.NaN, 2)).toEqual([]);
    expect(index.reverse(120, 2)).toEqual([]);
  });
});

describe("evaluation", () => {
  it("is deterministic and accurate on every noise type", () => {
    const queries = buildEvaluationQueries(index, 60, 11);
    expect(buildEvaluationQueries(index, 60, 11).map((q) => q.q)).toEqual(queries.map((q) => q.q));
    for (const r of evaluate(index, queries)) {
      expect(r.accuracy, r.noise).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe("search: a street word that also names communes", () => {
  // "val" names fewer communes than "auge", "pierre" or "saint": taken first as the query's commune,
  // it must not leave out the commune that the most words of the query name (Saint-Pierre-en-Auge).
  const syllables = ["ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru"];
  const word = (i: number) => {
    const w = `${syllables[i % 10]}${syllables[Math.floor(i / 10) % 10]}ne`;
    return `${w[0]?.toUpperCase()}${w.slice(1)}`;
  };
  const communes: (CommuneInfo & { lat: number; lon: number })[] = [];
  const records: AddressRecord[] = [];
  const commune = (nom: string, streets: [string, number][]) => {
    const n = communes.length;
    const code = `91${String(100 + n).padStart(3, "0")}`;
    const lat = 48.5 + (n % 10) * 0.05;
    const lon = 1.5 + Math.floor(n / 10) * 0.05;
    communes.push({
      code,
      nom,
      codesPostaux: [`91${String(n).padStart(3, "0")}`],
      population: 1000,
      departement: "91",
      lat,
      lon,
    });
    streets.forEach(([street, count], s) => {
      for (let k = 1; k <= count; k++) {
        records.push({
          id: `${code}_${String(s).padStart(4, "0")}_${String(k).padStart(5, "0")}`,
          numero: k,
          rep: "",
          nomVoie: street,
          codePostal: `91${String(n).padStart(3, "0")}`,
          codeInsee: code,
          nomCommune: nom,
          lat: lat + s * 0.001 + k * 0.0001,
          lon,
        });
      }
    });
    return code;
  };
  const auge = commune("Saint-Pierre-en-Auge", [
    ["Le Val Blanc", 6],
    ["Rue du Château", 12],
  ]);
  const enVal = commune("Saint-Pierre-en-Val", [
    ["Le Val Blanc", 3],
    ["Impasse Marie Curie", 8],
  ]);
  // "val" and "blanc" in enough streets (over 256 each) not to be walked everywhere as rare words.
  const white: [string, number][] = [
    ...["Le Clos Blanc", "Le Mont Blanc", "Le Pré Blanc", "Le Chêne Blanc"],
    ...["Le Val Fleuri", "Le Val Joli", "Le Val Vert", "Le Val Doré"],
  ].map((s) => [s, 1]);
  for (let i = 0; i < 12; i++) commune(`Le Val-${word(i)}`, [["Rue de l'Église", 3], ...white]);
  for (let i = 0; i < 22; i++) commune(`${word(20 + i)}-en-Auge`, [["Rue de l'Église", 3], ...white]);
  for (let i = 0; i < 35; i++) commune(`Saint-Pierre-de-${word(50 + i)}`, [["Rue du Château", 3], ...white]);
  const crowded = buildAddressIndex(records, communes);
  const first = (q: string) => crowded.search(q, { limit: 3 })[0];

  it("finds the address in the commune the query names best", () => {
    expect(first("5 le val blanc saint-pierre-en-auge")?.id).toBe(`${auge}_0000_00005`);
    expect(first("le val blanc saint pierre en auge")?.citycode).toBe(auge);
    expect(first("2 le val blanc saint-pierre-en-val")?.id).toBe(`${enVal}_0000_00002`);
    expect(first("11 rue du château saint-pierre-en-auge")?.id).toBe(`${auge}_0001_00011`);
  });
});
