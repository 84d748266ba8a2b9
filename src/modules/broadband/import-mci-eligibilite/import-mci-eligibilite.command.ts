import type { Command } from "commander";
import { buildingImportCommand } from "../import-common/building-import-command.ts";
import { fmt } from "../import-common/cli-options.ts";
import { importMciEligibilite } from "./import-mci-eligibilite.ts";

/** `territoire import mci-eligibilite --trimestre CODE FICHIER…` */
export function importMciEligibiliteCommand(): Command {
  return buildingImportCommand({
    name: "mci-eligibilite",
    description:
      "Importe l'éligibilité « Ma connexion internet » (actuel_<DEP>.csv : immeuble × opérateur × technologie, classes de débit) ; les immeubles doivent avoir été importés (mci-base-imb)",
    filesLabel: "fichiers eligibilite (décompressés)",
    // The eligibility rows follow the buildings already imported: no région filter of their own.
    run: (db, { region: _region, ...input }, progress) => importMciEligibilite(db, input, progress),
    describeDetails: (d) => [
      `  ${fmt(d.lignesEcrites)} lignes d'éligibilité (départements ${d.departements.join(", ") || "aucun"}) ; ${fmt(d.communesAgregees)} communes recalculées.`,
      ...(d.operateursInconnus.length > 0
        ? [`  Opérateurs sans nom dans thd_operateur : ${d.operateursInconnus.join(", ")}.`]
        : []),
    ],
  });
}
