// Deterministic synthetic BAN-like addresses for tests and the benchmark: communes of Zipf-like
// sizes, street names drawn from a French pool (so the same names recur across communes) plus
// generated surnames (so the vocabulary keeps growing), house numbers with bis/ter, lieux-dits.
import type { AddressRecord, CommuneInfo } from "./address-index.ts";

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const TYPES: [string, number][] = [
  ["Rue", 50],
  ["Avenue", 6],
  ["Boulevard", 3],
  ["Chemin", 10],
  ["Impasse", 7],
  ["Allée", 5],
  ["Place", 3],
  ["Route", 6],
  ["Square", 1],
  ["Quai", 1],
  ["Cours", 1],
  ["Résidence", 2],
  ["Lotissement", 2],
  ["Faubourg", 1],
  ["Lieu-dit", 2],
];
const TYPE_TOTAL = TYPES.reduce((s, [, w]) => s + w, 0);

const SPECIFIERS = [
  "de la Fontaine",
  "du Moulin",
  "de l'Église",
  "de la Gare",
  "de la Mairie",
  "des Écoles",
  "du Général de Gaulle",
  "du Maréchal Leclerc",
  "du Maréchal Foch",
  "Jean Jaurès",
  "Victor Hugo",
  "Pasteur",
  "Saint-Pierre",
  "Saint-Jean",
  "Sainte-Anne",
  "Notre-Dame",
  "des Lilas",
  "des Tilleuls",
  "des Acacias",
  "des Peupliers",
  "du Château",
  "de la Poste",
  "du Stade",
  "de la République",
  "de la Libération",
  "du 8 Mai 1945",
  "du 11 Novembre",
  "du 19 Mars 1962",
  "du Président Wilson",
  "du Docteur Schweitzer",
  "Gambetta",
  "Carnot",
  "Émile Zola",
  "Jules Ferry",
  "Louis Pasteur",
  "Pierre et Marie Curie",
  "Jean Moulin",
  "des Champs",
  "des Vignes",
  "du Bois",
  "de la Forêt",
  "des Prés",
  "du Bourg",
  "de la Croix",
  "du Calvaire",
  "de la Vallée",
  "des Jardins",
  "de Verdun",
  "de Paris",
  "de la Mer",
  "du Port",
  "des Hortensias",
  "des Rosiers",
  "des Marronniers",
  "du Presbytère",
  "de l'Abbaye",
  "du Lavoir",
  "de la Chapelle",
  "des Cerisiers",
  "du Pont",
  "Charles de Gaulle",
  "du Onze Novembre",
  "du Commandant Charcot",
  "du Capitaine Guynemer",
  "Anatole France",
  "Georges Clemenceau",
  "Aristide Briand",
  "Paul Doumer",
  "de Normandie",
  "des Hauts",
  "des Prairies",
  "de la Corderie",
  "aux Fèvres",
  "Écuyère",
  "des Carrières",
];

const SYLLABLES = [
  "ker",
  "bra",
  "mon",
  "ville",
  "tour",
  "lan",
  "gou",
  "vil",
  "ber",
  "nac",
  "chal",
  "ron",
  "dan",
  "mar",
  "tel",
  "lou",
  "beau",
  "fort",
  "gre",
  "val",
  "cour",
  "mes",
  "nil",
  "pla",
  "sau",
  "tri",
  "vert",
  "bois",
  "gny",
  "quet",
  "hou",
  "lin",
  "roc",
  "sain",
  "dieu",
  "roy",
  "al",
  "bel",
  "cor",
  "dor",
  "es",
  "fal",
  "gar",
  "hal",
  "ir",
  "jal",
  "kor",
  "lem",
  "mor",
  "nor",
  "ol",
  "pen",
  "quer",
  "rin",
  "sel",
  "tan",
  "ur",
  "vel",
  "wil",
  "zan",
  "bou",
  "chan",
  "dre",
  "fer",
  "gon",
  "lou",
  "mien",
  "nay",
  "pon",
  "ras",
  "ssy",
  "teau",
];
const FIRST_NAMES = [
  "Jean",
  "Pierre",
  "Louis",
  "Marie",
  "Paul",
  "Jacques",
  "Henri",
  "André",
  "René",
  "Anne",
  "Marcel",
  "Édouard",
  "Émile",
  "François",
  "Georges",
  "Hélène",
  "Jeanne",
  "Joseph",
  "Julien",
  "Léon",
  "Lucien",
  "Madeleine",
  "Maurice",
  "Michel",
  "Nicolas",
  "Raymond",
  "Robert",
  "Roger",
  "Simone",
  "Thérèse",
  "Victor",
  "Yves",
];

function word(random: () => number, syllables: number): string {
  let w = "";
  for (let i = 0; i < syllables; i++) w += pick(random, SYLLABLES);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

function communeName(random: () => number): string {
  const root = word(random, 2 + Math.floor(random() * 2));
  const r = random();
  if (r < 0.15)
    return `Saint-${pick(random, FIRST_NAMES)}-${pick(random, ["sur-", "de-", "en-", "le-"])}${word(random, 2)}`;
  if (r < 0.25) return `${pick(random, ["Le ", "La ", "Les "])}${root}`;
  if (r < 0.35)
    return `${root}-${pick(random, ["sur-Mer", "les-Bains", "en-Auge", "sur-Orne", "la-Forêt", "le-Château"])}`;
  return root;
}

function streetName(random: () => number): string {
  let r = random() * TYPE_TOTAL;
  let type = "Rue";
  for (const [t, w] of TYPES) {
    r -= w;
    if (r <= 0) {
      type = t;
      break;
    }
  }
  const specifier =
    random() < 0.55
      ? pick(random, SPECIFIERS)
      : random() < 0.5
        ? `${pick(random, FIRST_NAMES)} ${word(random, 2 + Math.floor(random() * 2))}`
        : `${pick(random, ["du ", "de la ", "des ", "de "])}${word(random, 2)}`;
  return type === "Lieu-dit" ? `Lieu-dit ${specifier.replace(/^(du|de la|des|de) /, "Les ")}` : `${type} ${specifier}`;
}

export interface SyntheticData {
  records: AddressRecord[];
  communes: CommuneInfo[];
}

const DEPARTEMENTS = [
  "14",
  "27",
  "50",
  "61",
  "76",
  "22",
  "29",
  "35",
  "56",
  "44",
  "49",
  "53",
  "72",
  "85",
  "28",
  "37",
  "41",
];

/** About `count` addresses (exactly `count` records), deterministic for a seed. */
export function generateAddresses(count: number, seed = 42): SyntheticData {
  const random = seededRandom(seed);
  const nCommunes = Math.min(DEPARTEMENTS.length * 900, Math.max(3, Math.round(count / 600)));
  const weights: number[] = [];
  let total = 0;
  for (let i = 0; i < nCommunes; i++) {
    const w = 1 / (i + 1) ** 0.8;
    weights.push(w);
    total += w;
  }
  const communes: CommuneInfo[] = [];
  const records: AddressRecord[] = [];
  const usedCodes = new Set<string>();
  const depCount = new Map<string, number>();
  const usedNames = new Set<string>();
  for (let c = 0; c < nCommunes && records.length < count; c++) {
    // Normandie first (most communes), then the neighbours once its codes run short.
    let dep = pick(random, DEPARTEMENTS.slice(0, 5));
    while ((depCount.get(dep) ?? 0) >= 900) dep = pick(random, DEPARTEMENTS);
    let code: string;
    do code = `${dep}${String(1 + Math.floor(random() * 999)).padStart(3, "0")}`;
    while (usedCodes.has(code));
    usedCodes.add(code);
    depCount.set(dep, (depCount.get(dep) ?? 0) + 1);
    let nom: string;
    do nom = communeName(random);
    while (usedNames.has(nom));
    usedNames.add(nom);
    const postcodes = [`${dep}${String(Math.floor(random() * 100) * 10).padStart(3, "0")}`];
    const target =
      c === nCommunes - 1 ? count - records.length : Math.max(20, Math.round((count * (weights[c] as number)) / total));
    if (target > 20_000) postcodes.push(`${dep}${String(Math.floor(random() * 100) * 10).padStart(3, "0")}`);
    communes.push({ code, nom, codesPostaux: postcodes, population: Math.round(target * 2.3), departement: dep });
    const lat0 = 48.4 + random() * 1.3;
    const lon0 = -1.6 + random() * 3;
    const spread = 0.01 + 0.04 * Math.sqrt(target / 1000);
    const streetNames = new Set<string>();
    let made = 0;
    let voie = 0;
    while (made < target && records.length < count) {
      let name = streetName(random);
      for (let tries = 0; streetNames.has(name) && tries < 5; tries++) name = streetName(random);
      if (streetNames.has(name)) name = `${name} ${word(random, 2)}`;
      streetNames.add(name);
      voie++;
      const voieCode = voie.toString(16).padStart(4, "0");
      const postcode = pick(random, postcodes);
      const lat = lat0 + (random() - 0.5) * spread;
      const lon = lon0 + (random() - 0.5) * spread * 1.5;
      const base = { nomVoie: name, codePostal: postcode, codeInsee: code, nomCommune: nom };
      if (name.startsWith("Lieu-dit") || random() < 0.02) {
        records.push({ ...base, id: `${code}_${voieCode}`, numero: 0, rep: "", lon, lat });
        made++;
        if (name.startsWith("Lieu-dit")) continue;
      }
      const n = Math.min(target - made, 1 + Math.floor(-Math.log(1 - random()) * 16));
      const angle = random() * Math.PI;
      let numero = random() < 0.5 ? 1 : 2;
      for (let i = 0; i < n && records.length < count; i++) {
        const rep = random() < 0.04 ? pick(random, ["bis", "bis", "ter", "a", "b"]) : "";
        const step = i * 0.0002;
        records.push({
          ...base,
          id: rep
            ? `${code}_${voieCode}_${String(numero).padStart(5, "0")}_${rep}`
            : `${code}_${voieCode}_${String(numero).padStart(5, "0")}`,
          numero,
          rep,
          lon: Math.round((lon + Math.cos(angle) * step * 1.5) * 1e6) / 1e6,
          lat: Math.round((lat + Math.sin(angle) * step) * 1e6) / 1e6,
        });
        made++;
        if (!rep) numero += random() < 0.8 ? 2 : 4;
      }
    }
  }
  return { records, communes };
}
