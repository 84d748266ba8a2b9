import { Value } from "typebox/value";
import { describe, expect, it } from "vitest";
import { type AddressResult, buildAddressIndex, type SearchHit } from "../search-engine/address-index.ts";
import { generateAddresses } from "../search-engine/synthetic.ts";
import { FeatureJsonCache, featureCollectionJson, hitsCollectionJson } from "./feature-collection-json.ts";
import { toLambert93 } from "./lambert93.ts";
import { AddressFeatureCollection } from "./search-addresses.schema.ts";

const housenumber: AddressResult = {
  label: "8 Rue Écuyère 14000 Caen",
  score: 0.9731,
  id: "14118_0120_00008",
  type: "housenumber",
  name: "8 Rue Écuyère",
  housenumber: "8",
  street: "Rue Écuyère",
  postcode: "14000",
  citycode: "14118",
  city: "Caen",
  context: "14, Calvados, Normandie",
  importance: 0.61234,
  lon: -0.369001,
  lat: 49.183,
  distance: 12,
};

// Characters JSON must escape, in case a BAN file or a query carries them.
const odd: AddressResult = {
  label: 'Lieu-dit "Le Clos" \\ 61000\tAlençon\u0001',
  score: 0.5,
  id: "61001_x",
  type: "street",
  name: 'Lieu-dit "Le Clos"',
  street: 'Lieu-dit "Le Clos"',
  postcode: "61000",
  citycode: "61001",
  city: "Alençon",
  context: "61, Orne, Normandie",
  importance: 0,
  lon: 0.0906,
  lat: 48.4325,
};

// A lieu-dit without numbers, as api-adresse gives it: no housenumber, no street.
const locality: AddressResult = {
  label: "La Londe Hébert 14170 Saint-Pierre-en-Auge",
  score: 0.91,
  id: "14654_b002",
  type: "locality",
  name: "La Londe Hébert",
  postcode: "14170",
  citycode: "14654",
  city: "Saint-Pierre-en-Auge",
  context: "14, Calvados, Normandie",
  importance: 0.39,
  lon: -0.06,
  lat: 49.005,
};

/** The feature as the route built it before, as plain objects. */
function expectedFeature({ lon, lat, ...properties }: AddressResult) {
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [lon, lat] },
    properties: { ...properties, ...toLambert93(lon, lat) },
  };
}

describe("Réponse JSON de la recherche d'adresses écrite directement", () => {
  it("donne le même document que les objets, conforme au schéma de la réponse", () => {
    const text = featureCollectionJson([housenumber, odd, locality], {
      query: "8 rue ecuyere caen",
      filters: { type: "housenumber", postcode: "14000" },
      center: [-0.37, 49.18],
      limit: 5,
    });
    const parsed = JSON.parse(text);
    expect(parsed).toEqual({
      type: "FeatureCollection",
      version: "draft",
      features: [expectedFeature(housenumber), expectedFeature(odd), expectedFeature(locality)],
      attribution: "BAN",
      licence: "ETALAB-2.0",
      query: "8 rue ecuyere caen",
      filters: { type: "housenumber", postcode: "14000" },
      center: [-0.37, 49.18],
      limit: 5,
    });
    expect(Value.Check(AddressFeatureCollection, parsed)).toBe(true);
  });

  it("écrit les nombres arrondis comme la valeur elle-même (signe, zéros, entiers)", () => {
    const values: AddressResult = { ...housenumber, lon: -0.000001, lat: 49, score: 1, importance: 0.00001 };
    const feature = JSON.parse(featureCollectionJson([values], { limit: 1 })).features[0];
    expect(feature.geometry.coordinates).toEqual([-0.000001, 49]);
    expect(feature.properties.score).toBe(1);
    expect(feature.properties.importance).toBe(0.00001);
  });

  it("répond une collection vide sans filtres ni centre quand rien n'est trouvé", () => {
    const parsed = JSON.parse(featureCollectionJson([], { query: "zzz", limit: 5 }));
    expect(parsed).toEqual({
      type: "FeatureCollection",
      version: "draft",
      features: [],
      attribution: "BAN",
      licence: "ETALAB-2.0",
      query: "zzz",
      limit: 5,
    });
  });
});

describe("Réponse de la recherche écrite depuis les résultats bruts (hits) et le cache des features", () => {
  const data = generateAddresses(3000, 8);
  const index = buildAddressIndex(data.records, data.communes);
  const queries = data.records.slice(0, 300).map((r) => `${r.numero} ${r.nomVoie} ${r.nomCommune}`);

  it("écrit exactement le texte de featureCollectionJson, au premier passage comme depuis le cache", () => {
    const cache = new FeatureJsonCache(index);
    for (let pass = 0; pass < 2; pass++) {
      for (const [i, q] of queries.entries()) {
        const options = i % 3 === 0 ? { lat: 48.5, lon: 0.1 } : i % 3 === 1 ? { type: "street" as const } : {};
        const extras = { query: q, limit: 5, center: i % 3 === 0 ? ([0.1, 48.5] as [number, number]) : undefined };
        expect(hitsCollectionJson(index.searchHits(q, options), cache, extras)).toBe(
          featureCollectionJson(index.search(q, options), extras),
        );
      }
    }
    expect(cache.size).toBeGreaterThan(100);
  });

  it("garde au plus les octets donnés, en deux générations, et rien avec une borne nulle", () => {
    const cache = new FeatureJsonCache(index, 10_000);
    for (const q of queries) hitsCollectionJson(index.searchHits(q), cache, { query: q, limit: 5 });
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.bytes).toBeGreaterThan(5_000);
    expect(cache.size).toBeLessThan(30);
    const none = new FeatureJsonCache(index, 0);
    for (const q of queries.slice(0, 20)) hitsCollectionJson(index.searchHits(q), none, { query: q, limit: 5 });
    expect(none.size).toBe(0);
  });

  it("écrit le score et la distance de chaque recherche autour de la partie gardée", () => {
    const cache = new FeatureJsonCache(index);
    const [hit] = index.searchHits(queries[0] as string);
    const first = hit as SearchHit;
    const again = { ...first, score: 0.5, distance: 1234 };
    const feature = JSON.parse(hitsCollectionJson([first, again], cache, { limit: 5 })).features;
    expect(feature[0].properties.score).toBe(first.score);
    expect(feature[0].properties).not.toHaveProperty("distance");
    expect(feature[1].properties.score).toBe(0.5);
    expect(feature[1].properties.distance).toBe(1234);
    expect(feature[1].properties.id).toBe(feature[0].properties.id);
  });
});
