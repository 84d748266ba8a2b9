import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: a migration never imports application code.

/**
 * SQLite: thd_eligibilite becomes a WITHOUT ROWID table on its primary key (trimestre, immeuble_id,
 * operateur, techno). A rowid table kept each row twice, in the table and in the primary key's
 * index, and every import wrote both; the rows (~50 bytes) now live in the key's B-tree only, in
 * key order (a building's rows together). Same columns, constraints and rows. PostgreSQL has no
 * such clause (its tables are heaps with the key as an index): nothing to do there.
 */
async function recreate(db: Kysely<unknown>, withoutRowid: boolean): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  await db.schema
    .createTable("thd_eligibilite_nouvelle")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("immeuble_id", "text", (c) => c.notNull())
    .addColumn("operateur", "text", (c) => c.notNull())
    .addColumn("techno", "text", (c) => c.notNull())
    .addColumn("classe_montant", "text", (c) => c.notNull())
    .addColumn("classe_descendant", "text", (c) => c.notNull())
    .addColumn("limitation", "integer")
    .addColumn("saturation", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("thd_eligibilite_pk", ["trimestre", "immeuble_id", "operateur", "techno"])
    .addCheckConstraint("thd_eligibilite_techno_ck", sql`techno in ('FO', 'CU', 'COAX', '4GF', 'THDR', 'WMX', 'SAT')`)
    .modifyEnd(withoutRowid ? sql`without rowid` : sql``)
    .execute();
  await sql`
    insert into thd_eligibilite_nouvelle
      (trimestre, immeuble_id, operateur, techno, classe_montant, classe_descendant, limitation, saturation)
    select trimestre, immeuble_id, operateur, techno, classe_montant, classe_descendant, limitation, saturation
    from thd_eligibilite
    order by trimestre, immeuble_id, operateur, techno`.execute(db);
  await db.schema.dropTable("thd_eligibilite").execute();
  await db.schema.alterTable("thd_eligibilite_nouvelle").renameTo("thd_eligibilite").execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await recreate(db, true);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await recreate(db, false);
}
