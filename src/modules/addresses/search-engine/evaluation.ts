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
  /** What the query says of the commune: the postcode or not, the city as typed (maybe cut), or null. */
  typed: { postcode: boolean; city: string | null };
}

export interface NoiseAccuracy {
  noise: NoiseType;
  total: number;
  correct: number;
  accuracy: number;
  /** Right answers plus other addresses that satisfy everything the query says (see `satisfiesQuery`). */
  satisfied: number;
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

type Variant = Pick<EvaluationQuery, "q" | "autocomplete" | "typed">;

function variant(noise: NoiseType, a: AddressRecord, random: () => number): Variant {
  const full = { postcode: true, city: a.nomCommune };
  const noPostcode = { postcode: false, city: a.nomCommune };
  const hn = housenumber(a);
  const label = `${hn} ${a.nomVoie} ${a.codePostal} ${a.nomCommune}`;
  switch (noise) {
    case "clean":
      return { q: label, autocomplete: false, typed: full };
    case "no_accents_upper":
      return { q: stripAccents(label).toUpperCase().replace(/['-]/g, " "), autocomplete: false, typed: full };
    case "typo": {
      const words = a.nomVoie.split(/[\s'-]+/);
      let longest = 0;
      words.forEach((w, i) => {
        if (w.length > (words[longest] as string).length) longest = i;
      });
      const w = words[longest] as string;
      if (w.length >= 5) words[longest] = typo(w, random);
      return { q: `${hn} ${words.join(" ")} ${a.codePostal} ${a.nomCommune}`, autocomplete: false, typed: full };
    }
    case "abbreviated": {
      let street = a.nomVoie;
      for (const [re, short] of ABBREVIATIONS) street = street.replace(re, short);
      return { q: `${hn} ${street.toLowerCase()} ${a.nomCommune}`, autocomplete: false, typed: noPostcode };
    }
    case "no_postcode":
      return { q: `${hn} ${a.nomVoie} ${a.nomCommune}`, autocomplete: false, typed: noPostcode };
    case "no_city":
      return { q: `${hn} ${a.nomVoie} ${a.codePostal}`, autocomplete: false, typed: { postcode: true, city: null } };
    case "reordered":
      return { q: `${a.nomCommune} ${a.codePostal}, ${a.nomVoie} ${hn}`, autocomplete: false, typed: full };
    case "company_cedex": {
      const company = COMPANIES[Math.floor(random() * COMPANIES.length)] as string;
      const bp = 1 + Math.floor(random() * 900);
      return {
        q: `${company} ${hn} ${a.nomVoie} BP ${bp} ${a.codePostal} ${a.nomCommune.toUpperCase()} CEDEX`,
        autocomplete: false,
        typed: full,
      };
    }
    case "floor_apartment":
      return {
        q: `Appt ${1 + Math.floor(random() * 40)} ${1 + Math.floor(random() * 6)}e étage Bât ${"ABCD"[Math.floor(random() * 4)]} ${label}`,
        autocomplete: false,
        typed: full,
      };
    case "autocomplete_prefix": {
      // Typing in progress: the last word cut after at least 3 letters, either the city's at the
      // end of "number street city" or the street's last word after "city number".
      if (random() < 0.5) {
        const text = `${hn} ${a.nomVoie} ${a.nomCommune}`;
        const lastWord = a.nomCommune.split(/[\s'-]+/).pop() ?? "";
        const cut = Math.min(lastWord.length - 3, 1 + Math.floor(random() * 3));
        const city = cut > 0 ? a.nomCommune.slice(0, a.nomCommune.length - cut) : a.nomCommune;
        return {
          q: cut > 0 ? text.slice(0, text.length - cut) : text,
          autocomplete: true,
          typed: { postcode: false, city },
        };
      }
      const text = `${a.nomCommune} ${hn} ${a.nomVoie}`;
      const lastWord = a.nomVoie.split(/[\s'-]+/).pop() ?? "";
      const cut = Math.min(lastWord.length - 3, 1 + Math.floor(random() * 4));
      return { q: cut > 0 ? text.slice(0, text.length - cut) : text, autocomplete: true, typed: noPostcode };
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

const fold = (s: string) =>
  stripAccents(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

/**
 * The answer is the right address, or another one that the query cannot tell from it: same street
 * name and house number, the postcode typed (if any) and a commune whose name is the one typed, or
 * begins with it when it was cut. "13 Rue du Bourg 27930" names no commune: every "13 Rue du Bourg"
 * of the postcode's communes answers it.
 */
export function satisfiesQuery(result: AddressResult | undefined, query: EvaluationQuery): boolean {
  if (isCorrect(result, query.expected)) return true;
  if (result?.type !== "housenumber") return false;
  const e = query.expected;
  if (result.street !== e.nomVoie || result.housenumber !== `${e.numero}${e.rep}`) return false;
  if (query.typed.postcode && result.postcode !== e.codePostal) return false;
  const city = query.typed.city;
  if (city === null) return true;
  const typedCity = fold(city);
  return city === e.nomCommune ? fold(result.city) === typedCity : fold(result.city).startsWith(typedCity);
}

/** Accuracy@1 per noise type. */
export function evaluate(index: AddressIndex, queries: readonly EvaluationQuery[]): NoiseAccuracy[] {
  const byNoise = new Map<NoiseType, NoiseAccuracy>();
  for (const query of queries) {
    let acc = byNoise.get(query.noise);
    if (!acc) {
      acc = { noise: query.noise, total: 0, correct: 0, accuracy: 0, satisfied: 0 };
      byNoise.set(query.noise, acc);
    }
    acc.total++;
    const [top] = index.search(query.q, { limit: 1, autocomplete: query.autocomplete });
    if (isCorrect(top, query.expected)) acc.correct++;
    if (satisfiesQuery(top, query)) acc.satisfied++;
  }
  for (const acc of byNoise.values()) acc.accuracy = acc.total > 0 ? acc.correct / acc.total : 0;
  return [...byNoise.values()];
}
