// Accuracy evaluation: a deterministic query set drawn from the index itself — clean labels and
// noisy variants of what people type — and accuracy@1 per noise type.
import type { AddressIndex, AddressRecord, AddressResult } from "./address-index.ts";
import { seededRandom } from "./synthetic.ts";

export const NOISE_TYPES = [
  "clean",
  "no_accents_upper",
  "typo",
  "abbreviated",
  "no_postcode",
  "no_city",
  "reordered",
  "company_cedex",
  "floor_apartment",
  "autocomplete_prefix",
] as const;
export type NoiseType = (typeof NOISE_TYPES)[number];

export interface EvaluationQuery {
  noise: NoiseType;
  q: string;
  autocomplete: boolean;
  expected: AddressRecord;
}

export interface NoiseAccuracy {
  noise: NoiseType;
  total: number;
  correct: number;
  accuracy: number;
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/\bBoulevard\b/g, "Bd"],
  [/\bAvenue\b/g, "Av"],
  [/\bRue\b/g, "R"],
  [/\bImpasse\b/g, "Imp"],
  [/\bPlace\b/g, "Pl"],
  [/\bRoute\b/g, "Rte"],
  [/\bChemin\b/g, "Che"],
  [/\bAllée\b/g, "All"],
  [/\bSaint\b/g, "St"],
  [/\bSainte\b/g, "Ste"],
  [/\bMaréchal\b/g, "Mal"],
  [/\bGénéral\b/g, "Gal"],
  [/\bPrésident\b/g, "Pdt"],
  [/\bFaubourg\b/g, "Fg"],
  [/\bSquare\b/g, "Sq"],
  [/\bLotissement\b/g, "Lot"],
  [/\bRésidence\b/g, "Res"],
  [/\bQuai\b/g, "Qu"],
  [/\bCours\b/g, "Crs"],
  [/\bDocteur\b/g, "Dr"],
];

const COMPANIES = ["SARL Dupont Plomberie", "Boulangerie Martin", "SAS Transports Leroy", "Cabinet Médical", "Mairie"];
const stripAccents = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");

function housenumber(a: AddressRecord): string {
  return a.rep ? `${a.numero} ${a.rep}` : String(a.numero);
}

function typo(word: string, random: () => number): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  const op = Math.floor(random() * 4);
  const letter = "aeioulnrst"[Math.floor(random() * 10)] as string;
  if (op === 0) return word.slice(0, i) + word.slice(i + 1); // deletion
  if (op === 1) return word.slice(0, i) + letter + word.slice(i); // insertion
  if (op === 2) return word.slice(0, i) + (word[i] === letter ? "z" : letter) + word.slice(i + 1); // substitution
  return word.slice(0, i) + (word[i + 1] ?? "") + (word[i] ?? "") + word.slice(i + 2); // transposition
}

function variant(noise: NoiseType, a: AddressRecord, random: () => number): { q: string; autocomplete: boolean } {
  const hn = housenumber(a);
  const label = `${hn} ${a.nomVoie} ${a.codePostal} ${a.nomCommune}`;
  switch (noise) {
    case "clean":
      return { q: label, autocomplete: false };
    case "no_accents_upper":
      return { q: stripAccents(label).toUpperCase().replace(/['-]/g, " "), autocomplete: false };
    case "typo": {
      const words = a.nomVoie.split(/[\s'-]+/);
      let longest = 0;
      words.forEach((w, i) => {
        if (w.length > (words[longest] as string).length) longest = i;
      });
      const w = words[longest] as string;
      if (w.length >= 5) words[longest] = typo(w, random);
      return { q: `${hn} ${words.join(" ")} ${a.codePostal} ${a.nomCommune}`, autocomplete: false };
    }
    case "abbreviated": {
      let street = a.nomVoie;
      for (const [re, short] of ABBREVIATIONS) street = street.replace(re, short);
      return { q: `${hn} ${street.toLowerCase()} ${a.nomCommune}`, autocomplete: false };
    }
    case "no_postcode":
      return { q: `${hn} ${a.nomVoie} ${a.nomCommune}`, autocomplete: false };
    case "no_city":
      return { q: `${hn} ${a.nomVoie} ${a.codePostal}`, autocomplete: false };
    case "reordered":
      return { q: `${a.nomCommune} ${a.codePostal}, ${a.nomVoie} ${hn}`, autocomplete: false };
    case "company_cedex": {
      const company = COMPANIES[Math.floor(random() * COMPANIES.length)] as string;
      const bp = 1 + Math.floor(random() * 900);
      return {
        q: `${company} ${hn} ${a.nomVoie} BP ${bp} ${a.codePostal} ${a.nomCommune.toUpperCase()} CEDEX`,
        autocomplete: false,
      };
    }
    case "floor_apartment":
      return {
        q: `Appt ${1 + Math.floor(random() * 40)} ${1 + Math.floor(random() * 6)}e étage Bât ${"ABCD"[Math.floor(random() * 4)]} ${label}`,
        autocomplete: false,
      };
    case "autocomplete_prefix": {
      // Typing in progress: the last word cut after at least 3 letters, either the city's at the
      // end of "number street city" or the street's last word after "city number".
      if (random() < 0.5) {
        const full = `${hn} ${a.nomVoie} ${a.nomCommune}`;
        const lastWord = a.nomCommune.split(/[\s'-]+/).pop() ?? "";
        const cut = Math.min(lastWord.length - 3, 1 + Math.floor(random() * 3));
        return { q: cut > 0 ? full.slice(0, full.length - cut) : full, autocomplete: true };
      }
      const full = `${a.nomCommune} ${hn} ${a.nomVoie}`;
      const lastWord = a.nomVoie.split(/[\s'-]+/).pop() ?? "";
      const cut = Math.min(lastWord.length - 3, 1 + Math.floor(random() * 4));
      return { q: cut > 0 ? full.slice(0, full.length - cut) : full, autocomplete: true };
    }
  }
}

/** `perType` queries for each noise type, on addresses drawn with a seeded generator. */
export function buildEvaluationQueries(index: AddressIndex, perType = 200, seed = 7): EvaluationQuery[] {
  const random = seededRandom(seed);
  const queries: EvaluationQuery[] = [];
  if (index.addressCount === 0) return queries;
  for (const noise of NOISE_TYPES) {
    for (let i = 0; i < perType; i++) {
      const expected = index.getAddress(Math.floor(random() * index.addressCount));
      queries.push({ noise, ...variant(noise, expected, random), expected });
    }
  }
  return queries;
}

/** Right id, or right street, commune and house number. */
export function isCorrect(result: AddressResult | undefined, expected: AddressRecord): boolean {
  if (!result) return false;
  if (result.id === expected.id) return true;
  const hn = `${expected.numero}${expected.rep}`;
  return (
    result.type === "housenumber" &&
    result.street === expected.nomVoie &&
    result.citycode === expected.codeInsee &&
    result.housenumber === hn
  );
}

/** Accuracy@1 per noise type. */
export function evaluate(index: AddressIndex, queries: readonly EvaluationQuery[]): NoiseAccuracy[] {
  const byNoise = new Map<NoiseType, NoiseAccuracy>();
  for (const query of queries) {
    let acc = byNoise.get(query.noise);
    if (!acc) {
      acc = { noise: query.noise, total: 0, correct: 0, accuracy: 0 };
      byNoise.set(query.noise, acc);
    }
    acc.total++;
    const [top] = index.search(query.q, { limit: 1, autocomplete: query.autocomplete });
    if (isCorrect(top, query.expected)) acc.correct++;
  }
  for (const acc of byNoise.values()) acc.accuracy = acc.total > 0 ? acc.correct / acc.total : 0;
  return [...byNoise.values()];
}
