import type { Command } from "commander";
import { buildingImportCommand } from "../import-common/building-import-command.ts";
import { fmt } from "../import-common/cli-options.ts";
import { importMciBaseImb } from "./import-mci-base-imb.ts";

/** `territoire import mci-base-imb --trimestre CODE FICHIER…` */
export function importMciBaseImbCommand(): Command {
  return buildingImportCommand({
    name: "mci-base-imb",
    description:
      "Importe les immeubles « Ma connexion internet » (base_imb_<DEP>.csv, « ; », coordonnées EPSG:3857) : remplace les immeubles du trimestre dans les départements du fichier",
    filesLabel: "fichiers base_imb (décompressés)",
    run: importMciBaseImb,
    describeDetails: (d) => [
      `  ${fmt(d.immeubles)} immeubles (départements ${d.departements.join(", ") || "aucun"}) ; ${fmt(d.supprimes)} absents du fichier supprimés ; ${fmt(d.rapprochesIpe)} immeubles IPE rapprochés.`,
      `  ${fmt(d.communesAgregees)} communes recalculées depuis les immeubles.`,
    ],
  });
}
