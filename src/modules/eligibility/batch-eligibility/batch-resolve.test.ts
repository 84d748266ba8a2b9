import { describe, expect, it } from "vitest";
import { fixtureVersions } from "../service-catalogues/catalogue.test-fixture.ts";
import type { PremiseOffersQuery } from "../service-catalogues/catalogue-offers.port.ts";
import { CatalogueData } from "../service-catalogues/catalogue-snapshot.ts";
import { bestOffers } from "./batch-resolve.ts";

const data = new CatalogueData(fixtureVersions());
const offersAt = (ftth: PremiseOffersQuery["ftth"]) =>
  data.offersFor({ codeInsee: "61002", reseau: "RIP61", ftth, etatImmeuble: "deploye", date: "2026-06-01" }).offres;

describe("bestOffers", () => {
  it("picks among the offers that can be ordered now: « à venir » ones (FttH planned) never win", () => {
    const open = bestOffers(offersAt("ouverte"));
    // Where FttH is open, the shared FttH pro is the cheapest.
    expect(open.cheapest?.famille).toBe("ftth_pro");
    const planned = offersAt("prevue");
    expect(planned.some((o) => o.aVenir && o.mensuelHt !== null)).toBe(true);
    const best = bestOffers(planned);
    for (const chosen of [best.cheapest, best.fastest, best.quickestRepair])
      expect(chosen?.aVenir ?? false).toBe(false);
    // Only the dedicated fibre, on study, remains: no price to compare.
    expect(best.cheapest).toBeNull();
  });
});
