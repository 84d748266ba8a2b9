import type { Random } from "./random.ts";

// Invented but plausible French street names, with a Norman flavour (venelles, clos, masures).
const SAINTS = [
  "Saint-Martin",
  "Saint-Pierre",
  "Saint-Jean",
  "Saint-Michel",
  "Saint-Nicolas",
  "Saint-Laurent",
  "Saint-Germain",
  "Saint-Ouen",
  "Saint-Sauveur",
  "Saint-Gilles",
  "Saint-Vigor",
  "Saint-Clair",
  "Saint-Wandrille",
  "Saint-Marcouf",
  "Sainte-Anne",
  "Sainte-Catherine",
  "Sainte-Marie",
  "Sainte-Thérèse",
  "Sainte-Honorine",
  "Notre-Dame",
];
const PEOPLE = [
  "Victor Hugo",
  "Jean Jaurès",
  "du Général de Gaulle",
  "du Général Leclerc",
  "Pasteur",
  "Gustave Flaubert",
  "Guy de Maupassant",
  "Jean Moulin",
  "Marie Curie",
  "Guillaume le Conquérant",
  "Pierre Corneille",
  "Jules Verne",
  "Claude Monet",
  "Eugène Boudin",
  "Alexis de Tocqueville",
  "Jean-Baptiste Colbert",
  "Louise Michel",
  "Émile Zola",
  "Georges Clemenceau",
  "Aristide Briand",
  "Gambetta",
  "Paul Doumer",
  "Jacques Prévert",
  "Erik Satie",
  "Marcel Proust",
  "Jean Monnet",
  "Simone Veil",
  "Anatole France",
  "Louis Pergaud",
  "François Mitterrand",
  "du Maréchal Foch",
  "de la Libération",
  "du 8 Mai 1945",
  "du 6 Juin 1944",
  "du 11 Novembre",
  "Charles Lemaître",
];
const TREES = [
  "des Tilleuls",
  "des Chênes",
  "des Pommiers",
  "des Érables",
  "des Hêtres",
  "des Peupliers",
  "des Frênes",
  "des Charmes",
  "des Noisetiers",
  "des Saules",
  "des Marronniers",
  "des Ifs",
  "du Verger",
  "des Aubépines",
  "des Bouleaux",
  "des Châtaigniers",
  "des Acacias",
  "des Sureaux",
  "des Poiriers",
  "des Ormes",
];
const TRADES = [
  "des Tanneurs",
  "des Forgerons",
  "des Tisserands",
  "des Meuniers",
  "des Pêcheurs",
  "des Charrons",
  "des Potiers",
  "des Cordiers",
  "des Sabotiers",
  "des Maréchaux",
  "des Vignerons",
  "des Bouchers",
  "des Drapiers",
  "des Teinturiers",
  "des Tonneliers",
  "des Laboureurs",
];
const PLACES = [
  "de l'Église",
  "de la Mairie",
  "de la Gare",
  "du Château",
  "des Écoles",
  "du Stade",
  "de la Mare",
  "du Bourg",
  "du Moulin",
  "de la Forge",
  "du Lavoir",
  "du Presbytère",
  "de la Poste",
  "du Calvaire",
  "de la Croix",
  "du Marché",
  "de la Fontaine",
  "du Pont",
  "de la Rivière",
  "du Vieux Bourg",
  "des Prés",
  "des Champs",
  "du Bois",
  "de la Vallée",
  "du Haut",
  "du Bas",
  "de la Côte",
  "des Carrières",
  "de la Plaine",
  "du Manoir",
  "de l'Abbaye",
  "du Port",
  "des Dunes",
  "de la Falaise",
  "du Bocage",
  "des Haies",
];
const ADJECTIVES = ["Blanche", "Verte", "Haute", "Basse", "Neuve", "Vieille", "Rouge", "Grande", "Petite"];
const HAMLET_HEADS = [
  "Le Hameau",
  "La Croix",
  "Le Mesnil",
  "La Ferme",
  "Le Clos",
  "La Masure",
  "Le Val",
  "La Cour",
  "Le Bosc",
  "La Londe",
  "Le Hamel",
  "La Butte",
  "Le Coudray",
  "La Hogue",
  "Le Bocage",
  "La Lande",
];
const FAMILY = [
  "Fleury",
  "Lefèvre",
  "Marie",
  "Lecomte",
  "Duval",
  "Hébert",
  "Lemonnier",
  "Leroux",
  "Vautier",
  "Lebas",
  "Osmont",
  "Lecoq",
  "Gosselin",
  "Jouenne",
  "Hamel",
  "Letellier",
  "Vimont",
  "Anquetil",
  "Lepetit",
  "Lesueur",
];

type Kind =
  | "rue"
  | "avenue"
  | "boulevard"
  | "place"
  | "chemin"
  | "route"
  | "impasse"
  | "allee"
  | "lieu-dit"
  | "venelle"
  | "clos"
  | "residence";

const URBAN: [Kind, number][] = [
  ["rue", 46],
  ["avenue", 10],
  ["boulevard", 4],
  ["place", 3],
  ["impasse", 12],
  ["allee", 9],
  ["chemin", 4],
  ["route", 3],
  ["residence", 5],
  ["venelle", 2],
  ["clos", 2],
];
const RURAL: [Kind, number][] = [
  ["rue", 26],
  ["chemin", 18],
  ["route", 14],
  ["impasse", 10],
  ["lieu-dit", 18],
  ["place", 2],
  ["allee", 4],
  ["clos", 4],
  ["venelle", 2],
  ["avenue", 2],
];

function weighted(random: Random, table: [Kind, number][]): Kind {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = random.next() * total;
  for (const [kind, w] of table) {
    r -= w;
    if (r < 0) return kind;
  }
  return table[0]?.[0] ?? "rue";
}

/** "de Caen", "du Havre" (Le Havre), "des Andelys", "de l'Aigle" (L'Aigle). */
export function deCommune(name: string): string {
  if (name.startsWith("Le ")) return `du ${name.slice(3)}`;
  if (name.startsWith("Les ")) return `des ${name.slice(4)}`;
  if (name.startsWith("La ")) return `de la ${name.slice(3)}`;
  if (name.startsWith("L'")) return `de l'${name.slice(2)}`;
  return /^[AEIOUYÉÈÊÂÎÔH]/i.test(name) ? `d'${name}` : `de ${name}`;
}

function complement(random: Random): string {
  const r = random.next();
  if (r < 0.2) return random.pick(SAINTS);
  if (r < 0.45) return random.pick(PEOPLE);
  if (r < 0.62) return random.pick(TREES);
  if (r < 0.72) return random.pick(TRADES);
  return random.pick(PLACES);
}

export interface StreetName {
  name: string;
  /** A lieu-dit is a hamlet name without a street: points clustered, not along a line. */
  lieuDit: boolean;
}

/** One street name, realistic for a commune of this density, never repeated within the commune. */
export function streetName(
  random: Random,
  urban: boolean,
  neighbours: readonly string[],
  used: Set<string>,
): StreetName {
  for (let attempt = 0; attempt < 40; attempt++) {
    const kind = weighted(random, urban ? URBAN : RURAL);
    let name: string;
    switch (kind) {
      case "rue":
        name = `Rue ${complement(random)}`;
        break;
      case "avenue":
        name = `Avenue ${random.chance(0.6) ? random.pick(PEOPLE) : random.pick(PLACES)}`;
        break;
      case "boulevard":
        name = `Boulevard ${random.pick(PEOPLE)}`;
        break;
      case "place":
        name = `Place ${random.chance(0.5) ? random.pick(PEOPLE) : random.pick(PLACES)}`;
        break;
      case "chemin":
        name = `Chemin ${random.chance(0.5) ? random.pick(PLACES) : random.pick(TREES)}`;
        break;
      case "route":
        name = neighbours.length > 0 ? `Route ${deCommune(random.pick(neighbours))}` : `Route ${random.pick(PLACES)}`;
        break;
      case "impasse":
        name = `Impasse ${complement(random)}`;
        break;
      case "allee":
        name = `Allée ${random.chance(0.6) ? random.pick(TREES) : random.pick(PEOPLE)}`;
        break;
      case "venelle":
        name = `Venelle ${random.pick(PLACES)}`;
        break;
      case "clos":
        name = `Clos ${random.pick(TREES)}`;
        break;
      case "residence":
        name = `Résidence ${random.chance(0.5) ? random.pick(TREES) : random.pick(SAINTS)}`;
        break;
      default:
        name = hamletName(random);
    }
    // A second street of the same name gets the usual qualifiers.
    if (used.has(name) && attempt > 20) name = `${name} ${random.pick(["Prolongée", "Nord", "Sud", "Prolongée Est"])}`;
    if (!used.has(name)) {
      used.add(name);
      return { name, lieuDit: kind === "lieu-dit" };
    }
  }
  const name = `Rue ${random.pick(PLACES)} ${used.size}`;
  used.add(name);
  return { name, lieuDit: false };
}

/** A hamlet's name: "Le Mesnil Hébert", "La Croix Blanche", "Le Val-Martin". */
function hamletName(random: Random): string {
  const head = random.pick(HAMLET_HEADS);
  const r = random.next();
  return r < 0.4
    ? `${head} ${random.pick(FAMILY)}`
    : r < 0.7
      ? `${head} ${agree(head, random.pick(ADJECTIVES))}`
      : `${head}-${random.pick(SAINTS).replace(/^Saint(e)?-/, "")}`;
}

/**
 * The name of a lieu-dit without numbers (a BAN toponym: a hamlet, a farm, a field), never one of
 * the commune's street names; undefined when no new name comes.
 */
export function lieuDitName(random: Random, used: Set<string>): string | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    const name = hamletName(random);
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
  return undefined;
}

/** "Le Clos Blanche" → "Le Clos Blanc": masculine heads take the masculine adjective. */
function agree(head: string, adjective: string): string {
  if (!head.startsWith("Le ")) return adjective;
  const masculine: Record<string, string> = {
    Blanche: "Blanc",
    Verte: "Vert",
    Haute: "Haut",
    Basse: "Bas",
    Neuve: "Neuf",
    Vieille: "Vieux",
    Grande: "Grand",
    Petite: "Petit",
  };
  return masculine[adjective] ?? adjective;
}
