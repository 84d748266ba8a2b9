import { describe, expect, it } from "vitest";
import { fixtureVersions } from "./catalogue.test-fixture.ts";
import type { PremiseOffersQuery } from "./catalogue-offers.port.ts";
import { CatalogueData, RAISONS } from "./catalogue-snapshot.ts";
import { demoCatalogueVersions } from "./demo-catalogues.ts";

const data = new CatalogueData(fixtureVersions());
const premise = (q: Partial<PremiseOffersQuery> = {}): PremiseOffersQuery => ({
  codeInsee: "61002",
  reseau: "RIP61",
  ftth: "ouverte",
  etatImmeuble: "deploye",
  date: "2026-06-01",
  ...q,
});
const codes = (q: Partial<PremiseOffersQuery>) => data.offersFor(premise(q)).offres.map((o) => `${o.reseau}:${o.code}`);

describe("offersFor: applicability rules (pure)", () => {
  it("FttH open on the building's network: its shared offers and its priced FttO, by family then price", () => {
    const { offres, raccordementComplexe } = data.offersFor(premise());
    expect(offres.map((o) => o.code)).toEqual(["PRO", "PM", "ACTIVE", "FTTO", "FTTO-10G"]);
    expect(offres.find((o) => o.code === "FTTO")).toMatchObject({ mensuelHt: 380, surDevis: false, version: "V2" });
    // The catalogue's own "sur devis" offer comes last in its family, with the catalogue's reason.
    expect(offres.at(-1)).toMatchObject({
      surDevis: true,
      mensuelHt: null,
      fraisAccesHt: null,
      raison: "Selon le site",
    });
    expect(raccordementComplexe).toBeNull();
  });

  it("versions apply by date: [valideDu, valideAu)", () => {
    expect(codes({ date: "2024-12-31" })).toEqual(["RIP61:PRO", "RIP61:FTTO"]);
    expect(data.offersFor(premise({ date: "2024-12-31" })).offres[0]?.version).toBe("V1");
    expect(data.offersFor(premise({ date: "2025-01-01" })).offres[0]?.version).toBe("V2");
    expect(codes({ date: "2023-12-31" })).toEqual([]);
  });

  it("FttH planned or not planned: FttO of the network on study; no FttH/FttE offer when not planned", () => {
    for (const ftth of ["prevue", "non_prevue"] as const) {
      const fttos = data.offersFor(premise({ ftth })).offres.filter((o) => o.famille === "ftto");
      expect(fttos).toHaveLength(2);
      expect(fttos.every((o) => o.surDevis && o.mensuelHt === null && !o.aVenir)).toBe(true);
      expect(fttos.find((o) => o.code === "FTTO")?.raison).toBe(RAISONS.nonDeploye);
    }
    expect(data.offersFor(premise({ ftth: "non_prevue" })).offres.map((o) => o.famille)).toEqual(["ftto", "ftto"]);
    expect(data.offersFor(premise({ ftth: "prevue" })).raccordementComplexe).toBeNull();
    expect(data.offersFor(premise({ ftth: "non_prevue" })).raccordementComplexe).toBe(RAISONS.nonPrevue);
  });

  it("FttH planned on the building's network: its shared offers listed « à venir », priced, never on other networks", () => {
    const open = data.offersFor(premise()).offres.filter((o) => o.famille !== "ftto");
    const planned = data.offersFor(premise({ ftth: "prevue" })).offres.filter((o) => o.famille !== "ftto");
    expect(planned.map((o) => o.code)).toEqual(open.map((o) => o.code));
    expect(open.every((o) => !o.aVenir)).toBe(true);
    for (const [i, o] of planned.entries()) {
      expect(o).toMatchObject({ aVenir: true, raison: RAISONS.aVenir, mensuelHt: open[i]?.mensuelHt, reseau: "RIP61" });
    }
    // A building on a network without catalogue (private): nothing à venir, only the RIPs' FttO.
    const offPrivate = data.offersFor(premise({ ftth: "prevue", reseau: "PRIVE-X" })).offres;
    expect(offPrivate.length).toBeGreaterThan(0);
    expect(offPrivate.some((o) => o.aVenir || o.famille !== "ftto")).toBe(false);
  });

  it("FttO of another network covering the commune is listed on study, side by side", () => {
    const { offres } = data.offersFor(premise({ codeInsee: "61001" }));
    const foreign = offres.find((o) => o.reseau === "RIP14");
    expect(foreign).toMatchObject({
      code: "FTTO14",
      surDevis: true,
      mensuelHt: null,
      raison: RAISONS.horsReseau("Fibre Calvados"),
    });
    // Its shared offers are not: the building is not on RIP14.
    expect(offres.some((o) => o.code === "PRO14")).toBe(false);
    // Not in a commune it does not cover.
    expect(codes({ codeInsee: "61002" }).some((c) => c.startsWith("RIP14"))).toBe(false);
  });

  it("a building on a private network: only the covering RIPs' FttO, on study", () => {
    const { offres } = data.offersFor(premise({ reseau: "AMII-FRTE-61" }));
    expect(offres.map((o) => `${o.reseau}:${o.code}:${o.surDevis}`)).toEqual([
      "RIP61:FTTO:true",
      "RIP61:FTTO-10G:true",
    ]);
    expect(offres[0]?.raison).toBe(RAISONS.horsReseau("Orne THD"));
  });

  it("no building known or connectable on request: flagged as complex connection with the reason", () => {
    const none = data.offersFor(premise({ reseau: null, ftth: null, etatImmeuble: null }));
    expect(none.raccordementComplexe).toBe(RAISONS.aucunImmeuble);
    expect(none.offres.every((o) => o.famille === "ftto" && o.surDevis)).toBe(true);
    for (const etat of ["RACD", "raccordable_demande"]) {
      const racd = data.offersFor(premise({ etatImmeuble: etat }));
      expect(racd.raccordementComplexe).toBe(RAISONS.surDemande);
      expect(racd.offres.length).toBe(5);
    }
  });

  it("answers are memoised and frozen; the demo catalogues give every RIP 6–7 offers, all examples", () => {
    expect(data.offersFor(premise())).toBe(data.offersFor(premise()));
    expect(Object.isFrozen(data.offersFor(premise()).offres)).toBe(true);
    const demo = new CatalogueData(demoCatalogueVersions());
    expect(demo.reseaux()).toEqual(["RIP14", "RIP27", "RIP50", "RIP61", "RIP76"]);
    const caen = demo.offersFor(premise({ codeInsee: "14118", reseau: "RIP14" }));
    expect(caen.offres).toHaveLength(7);
    expect(caen.offres.every((o) => o.exemple && o.version === "2026")).toBe(true);
    expect(
      demo.offersFor(premise({ codeInsee: "14118", reseau: "RIP14", date: "2025-12-31" })).offres[0]?.version,
    ).toBe("2024");
  });

  it("100,000 queries over 2,000 communes stay fast", () => {
    const demo = new CatalogueData(demoCatalogueVersions());
    const started = performance.now();
    let total = 0;
    for (let i = 0; i < 100_000; i++) {
      const dep = ["14", "27", "50", "61", "76"][i % 5] as string;
      total += demo.offersFor({
        codeInsee: `${dep}${String(i % 400).padStart(3, "0")}`,
        reseau: i % 7 === 0 ? null : `RIP${dep}`,
        ftth: i % 3 === 0 ? "prevue" : "ouverte",
        etatImmeuble: null,
        date: "2026-06-01",
      }).offres.length;
    }
    const elapsed = performance.now() - started;
    expect(total).toBeGreaterThan(100_000);
    expect(elapsed).toBeLessThan(1000);
  });
});
