import { type Kysely, sql } from "kysely";

// Frozen in time: a migration never imports application code.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A quarter ("2018T1") is the unit of publication: imports fill a draft, an agent publishes it,
  // and a published quarter never changes again.
  await db.schema
    .createTable("thd_trimestre")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("statut", "text", (c) => c.notNull())
    .addColumn("cree_le", "text", (c) => c.notNull())
    .addColumn("publie_le", "text")
    .addColumn("publie_par", "text")
    // 1 when the figures are simulated (demo), so that every page and export can say so.
    .addColumn("simule", "integer", (c) => c.notNull().defaultTo(0))
    .addCheckConstraint("thd_trimestre_statut_ck", sql`statut in ('brouillon', 'publie')`)
    .addCheckConstraint("thd_trimestre_code_ck", sql`length(code) = 6`)
    .execute();

  // One row per file imported into a quarter: the same file (format + SHA-256) twice changes nothing.
  await db.schema
    .createTable("thd_import")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("fichier", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("lignes", "integer", (c) => c.notNull())
    .addColumn("rejets", "integer", (c) => c.notNull())
    .addColumn("importe_le", "text", (c) => c.notNull())
    .addColumn("importe_par", "text")
    .addUniqueConstraint("thd_import_fichier_uq", ["trimestre", "format", "sha256"])
    .execute();

  await db.schema
    .createTable("thd_operateur")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("nom", "text", (c) => c.notNull())
    .execute();

  // A network: a public initiative network (RIP) or a private deployment zone, run by one
  // infrastructure operator (OI).
  await db.schema
    .createTable("thd_reseau")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("operateur_infra", "text", (c) => c.notNull())
    .addColumn("departement", "text")
    .addCheckConstraint("thd_reseau_type_ck", sql`type in ('rip', 'prive')`)
    .execute();

  // Per commune (COG 2026) and quarter: the figures the observatory aggregates. Class counts are
  // bins (not ARCEP's cumulative thresholds), in three variants: wired only (filaire), no satellite
  // (terrestre), all technologies (toutes). NULL where the source does not give the figure.
  await db.schema
    .createTable("thd_stat_commune")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("locaux", "integer", (c) => c.notNull())
    .addColumn("ftth_raccordables", "integer")
    .addColumn("ftth_raccordables_demande", "integer")
    .addColumn("filaire_inel", "integer")
    .addColumn("filaire_0_3", "integer")
    .addColumn("filaire_3_8", "integer")
    .addColumn("filaire_8_30", "integer")
    .addColumn("filaire_30_100", "integer")
    .addColumn("filaire_100", "integer")
    .addColumn("terrestre_inel", "integer")
    .addColumn("terrestre_0_3", "integer")
    .addColumn("terrestre_3_8", "integer")
    .addColumn("terrestre_8_30", "integer")
    .addColumn("terrestre_30_100", "integer")
    .addColumn("terrestre_100", "integer")
    .addColumn("toutes_inel", "integer")
    .addColumn("toutes_0_3", "integer")
    .addColumn("toutes_3_8", "integer")
    .addColumn("toutes_8_30", "integer")
    .addColumn("toutes_30_100", "integer")
    .addColumn("toutes_100", "integer")
    // Premises eligible to each technology (a premise counts under every technology it has).
    .addColumn("techno_cu", "integer")
    .addColumn("techno_coax", "integer")
    .addColumn("techno_ftth", "integer")
    .addColumn("techno_4gf", "integer")
    .addColumn("techno_thdr", "integer")
    .addColumn("techno_sat", "integer")
    .addPrimaryKeyConstraint("thd_stat_commune_pk", ["trimestre", "code_insee"])
    .execute();

  // FttH connectable premises per commune, quarter and infrastructure operator.
  await db.schema
    .createTable("thd_stat_commune_oi")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("operateur", "text", (c) => c.notNull())
    .addColumn("ftth_raccordables", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("thd_stat_commune_oi_pk", ["trimestre", "code_insee", "operateur"])
    .execute();

  // One building per quarter, as the IPE and MCI base_imb files describe it.
  await db.schema
    .createTable("thd_immeuble")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("id", "text", (c) => c.notNull())
    // The IPE building code (IdentifiantImmeuble, or base_imb imb_code): how IPE lines find it.
    .addColumn("code_ipe", "text")
    .addColumn("adresse_id", "text")
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("numero", "text")
    .addColumn("rep", "text")
    .addColumn("nom_voie", "text")
    .addColumn("lon", "double precision")
    .addColumn("lat", "double precision")
    .addColumn("type", "text")
    .addColumn("nb_locaux", "integer", (c) => c.notNull())
    .addColumn("reseau", "text")
    .addColumn("operateur_infra", "text")
    .addColumn("etat_ftth", "text")
    .addColumn("reference_pm", "text")
    .addColumn("etat_pm", "text")
    .addColumn("date_mes_commerciale", "text")
    .addColumn("date_prevue", "text")
    .addPrimaryKeyConstraint("thd_immeuble_pk", ["trimestre", "id"])
    .addCheckConstraint(
      "thd_immeuble_etat_ck",
      sql`etat_ftth is null or etat_ftth in ('cible', 'signe', 'en_cours', 'raccordable_demande', 'deploye', 'abandonne')`,
    )
    .execute();
  await db.schema
    .createIndex("thd_immeuble_commune_idx")
    .on("thd_immeuble")
    .columns(["trimestre", "code_insee"])
    .execute();
  await db.schema
    .createIndex("thd_immeuble_code_ipe_idx")
    .on("thd_immeuble")
    .columns(["trimestre", "code_ipe"])
    .execute();
  await db.schema
    .createIndex("thd_immeuble_adresse_idx")
    .on("thd_immeuble")
    .columns(["trimestre", "adresse_id"])
    .execute();

  // MCI "eligibilite": one row per building, commercial operator and technology.
  await db.schema
    .createTable("thd_eligibilite")
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
    .execute();

  // Copper closure calendar per commune (Orange's lots): commercial then technical closure.
  await db.schema
    .createTable("thd_fermeture_cuivre")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("lot", "text")
    .addColumn("fermeture_commerciale", "text")
    .addColumn("fermeture_technique", "text")
    // The source's own words for the commune (« déjà fermé », « pas encore prévu »…), when given.
    .addColumn("message_usager", "text")
    .addPrimaryKeyConstraint("thd_fermeture_cuivre_pk", ["trimestre", "code_insee"])
    .execute();

  // Strategic public sites (collèges, hospitals, higher education) and their connection.
  await db.schema
    .createTable("thd_site_strategique")
    .addColumn("trimestre", "text", (c) => c.notNull().references("thd_trimestre.code"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("nom", "text", (c) => c.notNull())
    .addColumn("adresse", "text")
    .addColumn("code_insee", "text", (c) => c.notNull())
    .addColumn("lon", "double precision")
    .addColumn("lat", "double precision")
    .addColumn("immeuble_id", "text")
    .addColumn("raccorde_le", "text")
    .addPrimaryKeyConstraint("thd_site_strategique_pk", ["trimestre", "id"])
    .addCheckConstraint("thd_site_type_ck", sql`type in ('college', 'sante', 'enseignement_superieur')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "thd_site_strategique",
    "thd_fermeture_cuivre",
    "thd_eligibilite",
    "thd_immeuble",
    "thd_stat_commune_oi",
    "thd_stat_commune",
    "thd_reseau",
    "thd_operateur",
    "thd_import",
    "thd_trimestre",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
