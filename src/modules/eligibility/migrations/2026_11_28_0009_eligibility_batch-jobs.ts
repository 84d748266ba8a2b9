import { type Kysely, sql } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A multi-site eligibility batch (issue 6): one row per uploaded file. The id is a random,
  // unguessable token (it is the only key to a public job). `maj_le` is the heartbeat of the
  // process running it: a job left "en_cours" with an old heartbeat belonged to a process that died.
  await db.schema
    .createTable("eligibilite_lot")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statut", "text", (c) => c.notNull())
    .addColumn("nom_fichier", "text", (c) => c.notNull())
    .addColumn("encodage", "text", (c) => c.notNull())
    .addColumn("separateur", "text", (c) => c.notNull())
    // JSON: the header's column names, and the columns chosen (address parts, id, lat/lon, filters).
    .addColumn("entete", "text", (c) => c.notNull())
    .addColumn("colonnes", "text", (c) => c.notNull())
    .addColumn("date_reference", "text", (c) => c.notNull())
    // The quarter read, fixed at the first start so that a resumed job reads the same data.
    .addColumn("trimestre", "text")
    .addColumn("taille_bloc", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("traitees", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("resolues", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("echecs", "integer", (c) => c.notNull().defaultTo(0))
    // JSON: failures per reason, and the first failures (line, input, reason) for the status page.
    .addColumn("raisons", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("premiers_echecs", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("proprietaire_id", "text")
    .addColumn("processus", "text")
    .addColumn("message", "text")
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("demarre_le", "text")
    .addColumn("maj_le", "text", (c) => c.notNull())
    .addColumn("termine_le", "text")
    .addCheckConstraint(
      "eligibilite_lot_statut_ck",
      sql`statut in ('en_attente', 'en_cours', 'termine', 'echoue', 'interrompu')`,
    )
    .execute();
  await db.schema
    .createIndex("eligibilite_lot_statut_idx")
    .on("eligibilite_lot")
    .columns(["statut", "cree_le"])
    .execute();

  // The uploaded file, decoded, kept until the job ends so that a restart can resume it.
  await db.schema
    .createTable("eligibilite_lot_entree")
    .addColumn("lot_id", "text", (c) => c.primaryKey().references("eligibilite_lot.id").onDelete("cascade"))
    .addColumn("contenu", "text", (c) => c.notNull())
    .execute();

  // Results, one row per block of lines (a JSON array of result rows): a block is committed with
  // the job's counters in one transaction, so progress is durable and a resume starts at the next
  // block. CSV and XLSX are produced from these on demand.
  await db.schema
    .createTable("eligibilite_lot_bloc")
    .addColumn("lot_id", "text", (c) => c.notNull().references("eligibilite_lot.id").onDelete("cascade"))
    .addColumn("bloc", "integer", (c) => c.notNull())
    .addColumn("lignes", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("eligibilite_lot_bloc_pk", ["lot_id", "bloc"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("eligibilite_lot_bloc").execute();
  await db.schema.dropTable("eligibilite_lot_entree").execute();
  await db.schema.dropTable("eligibilite_lot").execute();
}
