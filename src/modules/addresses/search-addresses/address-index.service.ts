import type { Kysely } from "kysely";
import { sqliteHandleOf } from "../../../shared/db/database.ts";
import type { TerritoryTables } from "../../territory/territory.tables.ts";
import type { AddressTables } from "../addresses.tables.ts";
import { findActiveLot } from "../import-ban/import-ban.repository.ts";
import {
  type AddressIndex,
  type AddressIndexBuilder,
  type CommuneInfo,
  createAddressIndexBuilder,
} from "../search-engine/address-index.ts";
import { FeatureJsonCache } from "./feature-collection-json.ts";

const PAGE = 50_000;

export interface LoadedIndex {
  lotId: string;
  index: AddressIndex;
  /** The search route's feature JSON for this index (replaced with it). */
  features: FeatureJsonCache;
  builtIn: number;
}

/**
 * Holds the in-process search index of the active address lot. It is built from the database at
 * start, and rebuilt when another lot becomes active (an import by the CLI or another instance):
 * the previous index keeps serving until the new one is ready.
 */
export class AddressIndexService {
  private current: LoadedIndex | null = null;
  private building: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Kysely<AddressTables & TerritoryTables>,
    /** Rows read per query (tests use small pages). */
    private readonly pageSize = PAGE,
  ) {}

  get loaded(): LoadedIndex | null {
    return this.current;
  }

  /** Loads the active lot if it differs from the one in memory. */
  refresh(): Promise<void> {
    this.building ??= this.rebuildIfChanged().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  /** Checks for a newly activated lot every `intervalMs`, without keeping the process alive. */
  watch(intervalMs: number, onError: (error: unknown) => void): void {
    this.timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async rebuildIfChanged(): Promise<void> {
    const lot = await findActiveLot(this.db);
    if (!lot) {
      this.current = null;
      return;
    }
    if (this.current?.lotId === lot.id) return;
    const started = performance.now();
    const builder = createAddressIndexBuilder();
    await this.readLot(lot.id, builder);
    const index = builder.build(await this.communes());
    this.current = {
      lotId: lot.id,
      index,
      features: new FeatureJsonCache(index),
      builtIn: performance.now() - started,
    };
  }

  /** The lot's addresses in id order, page by page into `builder` (each page then let go). */
  private async readLot(lotId: string, builder: AddressIndexBuilder): Promise<void> {
    const sqlite = sqliteHandleOf(this.db);
    if (sqlite) {
      // better-sqlite3 directly, rows as arrays: the same query as below, without an object per row
      // built by the driver and another by Kysely's result; about half of the index's start time.
      // Outside Kysely's queue, a page may run inside another open transaction of this connection
      // (an import): it reads the same rows, an active lot's rows never change.
      const page = sqlite
        .prepare(
          "select id, numero, rep, nom_voie, code_postal, code_insee, nom_commune, lon, lat from adresse " +
            "where lot_id = ? and id > ? order by id limit ?",
        )
        .raw(true);
      let after = "";
      for (;;) {
        const rows = page.all(lotId, after, this.pageSize) as [
          string,
          number,
          string | null,
          string,
          string,
          string,
          string,
          number,
          number,
        ][];
        for (const r of rows) {
          builder.add({
            id: r[0],
            numero: r[1],
            rep: r[2] ?? "",
            nomVoie: r[3],
            codePostal: r[4],
            codeInsee: r[5],
            nomCommune: r[6],
            lon: r[7],
            lat: r[8],
          });
        }
        if (rows.length < this.pageSize) return;
        after = rows[rows.length - 1]?.[0] ?? after;
        // Between pages, the other requests of this connection and of the server go on.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    let after = "";
    // Keyset pagination: constant cost per page whatever the lot size, on both engines.
    for (;;) {
      const rows = await this.db
        .selectFrom("adresse")
        .select(["id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat"])
        .where("lot_id", "=", lotId)
        .where("id", ">", after)
        .orderBy("id")
        .limit(this.pageSize)
        .execute();
      for (const r of rows) {
        builder.add({
          id: r.id,
          numero: r.numero,
          rep: r.rep ?? "",
          nomVoie: r.nom_voie,
          codePostal: r.code_postal,
          codeInsee: r.code_insee,
          nomCommune: r.nom_commune,
          lon: r.lon,
          lat: r.lat,
        });
      }
      if (rows.length < this.pageSize) return;
      after = rows[rows.length - 1]?.id ?? after;
    }
  }

  private async communes(): Promise<CommuneInfo[]> {
    const rows = await this.db
      .selectFrom("territoire")
      .select(["code", "nom", "codes_postaux", "population", "departement"])
      .where("niveau", "=", "communes")
      .execute();
    return rows.map((r) => ({
      code: r.code,
      nom: r.nom,
      codesPostaux: r.codes_postaux ? r.codes_postaux.split(",") : [],
      population: r.population,
      departement: r.departement ?? undefined,
    }));
  }
}
