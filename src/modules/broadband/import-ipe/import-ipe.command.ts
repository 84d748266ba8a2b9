import type { Command } from "commander";
import { buildingImportCommand } from "../import-common/building-import-command.ts";
import { fmt } from "../import-common/cli-options.ts";
import { importIpe } from "./import-ipe.service.ts";

/** `territoire import ipe --trimestre CODE FICHIER…` */
export function importIpeCommand(): Command {
  return buildingImportCommand({
    name: "ipe",
    description:
      "Importe des fichiers IPE (Interop'Fibre PM v3 : « ; », UTF-8 ou windows-1252, <…>_<CodeOI>_PM_IPEZMD_V30_<AAAAMMJJ>.csv) : remplace les immeubles FttH du trimestre pour chaque OI présent",
    filesLabel: "fichiers IPE",
    run: importIpe,
    describeDetails: (d) => [
      `  ${fmt(d.immeubles)} immeubles (OI : ${d.operateurs.join(", ") || "aucun"}), dont ${fmt(d.rapproches)} rapprochés d'un immeuble base_imb ; ${fmt(d.lignesSommees)} lignes sommées avec une autre du même hexaclé et bâtiment.`,
      `  ${fmt(d.communesAgregees)} communes recalculées depuis les immeubles.`,
    ],
  });
}
