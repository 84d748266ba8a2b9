import type { Kysely } from "kysely";
import type { TerritoryTables } from "../../territory/territory.tables.ts";
import type { AddressTables } from "../addresses.tables.ts";
import { findActiveLot } from "../import-ban/import-ban.repository.ts";
import {
  type AddressIndex,
  type AddressRecord,
  buildAddressIndex,
  type CommuneInfo,
} from "../search-engine/address-index.ts";

const PAGE = 50_000;

export interface LoadedIndex {
  lotId: string;
  index: AddressIndex;
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

  constructor(private readonly db: Kysely<AddressTables & TerritoryTables>) {}

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
    const records = await this.readLot(lot.id);
    const index = buildAddressIndex(records, await this.communes());
    this.current = { lotId: lot.id, index, builtIn: performance.now() - started };
  }

  private async readLot(lotId: string): Promise<AddressRecord[]> {
    const records: AddressRecord[] = [];
    let after = "";
    // Keyset pagination: constant cost per page whatever the lot size, on both engines.
    for (;;) {
      const rows = await this.db
        .selectFrom("adresse")
        .select(["id", "numero", "rep", "nom_voie", "code_postal", "code_insee", "nom_commune", "lon", "lat"])
        .where("lot_id", "=", lotId)
        .where("id", ">", after)
        .orderBy("id")
        .limit(PAGE)
        .execute();
      for (const r of rows) {
        records.push({
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
      if (rows.length < PAGE) return records;
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
