import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "../../../shared/testing/test-databases.ts";
import { buildEligibilityIndex, KeyTable } from "./eligibility-index.ts";
import { createEligibilityStore, type EligibilityStore, type StoredBuilding } from "./eligibility-store.ts";
import { lookupInQuarter } from "./lookup-eligibility.service.ts";
import { insertEligibilityFixture } from "./lookup-eligibility.test-fixture.ts";

describe("KeyTable (identifiants en mémoire)", () => {
  it("retrouve chaque clé, ses doublons et aucune autre, à travers les agrandissements", () => {
    const table = new KeyTable();
    const keys: (string | null)[] = [];
    for (let i = 0; i < 5000; i++) {
      // Duplicates every 7th entry, nulls every 11th; Latin-1 text, then beyond (two bytes per character).
      const text = i > 3000 ? `${i}_é_\u{1F3E0}_${i}` : `${i}_é_${i}`;
      keys.push(i % 11 === 0 ? null : i % 7 === 0 ? `doublon-${i % 3}` : text);
    }
    for (const key of keys) table.add(key);
    table.seal();
    expect(table.size).toBe(5000);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string | null;
      expect(table.at(i)).toBe(key);
      if (key === null) continue;
      const found = table.find(key);
      expect(found).toContain(i);
      expect(found.every((at) => keys[at] === key)).toBe(true);
    }
    expect(table.find("doublon-1")).toHaveLength(keys.filter((k) => k === "doublon-1").length);
    expect(table.find("absent")).toEqual([]);
    expect(table.find("")).toEqual([]);
    expect(table.find("3001_é_\u{1F3E0}_")).toEqual([]);
    expect(table.find("12_é_13")).toEqual([]);
  });
});

/** What the answer shows of a stored building (the index adds a context key, the SQL store does not). */
const shown = (buildings: StoredBuilding[]) =>
  buildings.map(({ context: _context, rows, ...rest }) => ({
    ...rest,
    rows: [...rows].sort((a, b) => `${a.operateur}${a.techno}`.localeCompare(`${b.operateur}${b.techno}`)),
  }));

describeEachDatabase("Index d'éligibilité en mémoire", (ctx) => {
  let plain: EligibilityStore;
  let indexed: EligibilityStore;
  const ids = { buildings: [] as string[], addresses: [] as string[] };

  it("se construit pour le dernier trimestre publié qui a des immeubles", async () => {
    await insertEligibilityFixture(ctx.db);
    const rows = await ctx.db
      .selectFrom("thd_immeuble")
      .select(["id", "adresse_id"])
      .where("trimestre", "=", "2025T3")
      .execute();
    ids.buildings = rows.map((r) => r.id);
    ids.addresses = [...new Set(rows.map((r) => r.adresse_id).filter((a): a is string => a !== null))];
    plain = createEligibilityStore(ctx.db);
    indexed = createEligibilityStore(ctx.db);
    expect(indexed.indexStatus().ready).toBe(false);
    indexed.keepIndex();
    await indexed.whenIndexed();
    const status = indexed.indexStatus();
    expect(status).toMatchObject({ quarter: "2025T3", ready: true, buildings: rows.length, error: null });
    const eligibilityRows = await ctx.db
      .selectFrom("thd_eligibilite")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("trimestre", "=", "2025T3")
      .executeTakeFirstOrThrow();
    expect(status.rows).toBe(Number(eligibilityRows.n));
    expect(status.bytes).toBeGreaterThan(0);
  });

  it("donne pour chaque immeuble et chaque adresse ce que lit SQL, noms compris", async () => {
    expect(ids.buildings.length).toBeGreaterThan(3);
    for (const id of ids.buildings) {
      const fromIndex = await indexed.byBuilding("2025T3", id);
      expect(fromIndex).toHaveLength(1);
      expect(fromIndex[0]?.context, id).toBeDefined();
      expect(shown(fromIndex), id).toEqual(shown(await plain.byBuilding("2025T3", id)));
    }
    for (const id of ids.addresses) {
      expect(shown(await indexed.byAddress("2025T3", id)), id).toEqual(shown(await plain.byAddress("2025T3", id)));
    }
    expect(await indexed.byAddress("2025T3", "61001_9999_99999")).toEqual([]);
    expect(await indexed.byBuilding("2025T3", "IMB-INCONNU")).toEqual([]);
    // Another quarter is not in the index: read by SQL, the draft's own building included.
    expect(shown(await indexed.byBuilding("2025T4", "IMB-BROUILLON"))).toEqual(
      shown(await plain.byBuilding("2025T4", "IMB-BROUILLON")),
    );
  });

  it("donne les mêmes réponses complètes (règles, fermeture du cuivre) que la lecture SQL", async () => {
    const quarter = { code: "2025T3", simule: true };
    for (const id of ids.addresses) {
      for (const date of ["2024-06-01", "2100-01-01"]) {
        const fromIndex = await lookupInQuarter(indexed, quarter, { by: "adresse", id }, date);
        const fromSql = await lookupInQuarter(plain, quarter, { by: "adresse", id }, date);
        expect(fromIndex.buildings.map(({ context: _c, ...rest }) => rest)).toEqual(
          fromSql.buildings.map(({ context: _c, ...rest }) => rest),
        );
      }
    }
  });

  it("lit par tranches sans perdre ni doubler d'immeuble ni de ligne aux bornes", async () => {
    const index = await buildEligibilityIndex(ctx.db, "2025T3", { chunk: 2 });
    expect(index?.buildings).toBe(ids.buildings.length);
    expect(index?.rows).toBe(indexed.indexStatus().rows);
    for (const id of ids.buildings) {
      const [fromChunks] = index?.byBuilding(id) ?? [];
      const [fromSql] = await plain.byBuilding("2025T3", id);
      expect(fromChunks?.building).toEqual(fromSql?.building);
      expect(fromChunks?.rows.length).toBe(fromSql?.rows.length);
    }
  });

  it("suit un nouveau nom d'opérateur, et se reconstruit pour un trimestre publié plus récent", async () => {
    await ctx.db.updateTable("thd_operateur").set({ nom: "Orange (renommé)" }).where("code", "=", "FRTE").execute();
    // Names are read again at most once a second, in the background.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await indexed.byBuilding("2025T3", "IMB-OUVERT");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [renamed] = await indexed.byBuilding("2025T3", "IMB-OUVERT");
    expect(renamed?.rows.find((r) => r.operateur === "FRTE")?.operateurNom).toBe("Orange (renommé)");
    expect(shown(await indexed.byBuilding("2025T3", "IMB-OUVERT"))).toEqual(
      shown(await plain.byBuilding("2025T3", "IMB-OUVERT")),
    );

    await ctx.db
      .updateTable("thd_trimestre")
      .set({ statut: "publie", publie_le: new Date().toISOString() })
      .where("code", "=", "2025T4")
      .execute();
    // The publication was made through this connection: seen at the next call (or within a second).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await indexed.currentQuarter())?.code).toBe("2025T4");
    await indexed.whenIndexed();
    expect(indexed.indexStatus()).toMatchObject({ quarter: "2025T4", ready: true, buildings: 2 });
    const [draftNow] = await indexed.byBuilding("2025T4", "IMB-OUVERT");
    expect(draftNow?.context).toBeDefined();
    expect(draftNow?.building.nb_locaux).toBe(99);
    // The previous quarter is read by SQL again.
    const [previous] = await indexed.byBuilding("2025T3", "IMB-OUVERT");
    expect(previous?.context).toBeUndefined();
    expect(previous?.building.nb_locaux).toBe(12);
  });
});
