// Text normalisation shared by indexing and querying (addok's tokenize → normalize → synonymize,
// plus addok-france's query cleaning). Both sides map a word to one canonical token, so
// abbreviations work both ways: "bd" and "boulevard" are both indexed and searched as "boulevard".

/** Lower case, no accents, ligatures expanded, every run of other characters as one space. */
export function foldText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path
  if (/^[\x00-\x7f]*$/.test(text))
    return text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[œŒ]/g, "oe")
    .replace(/[æÆ]/g, "ae")
    .replace(/ß/g, "ss")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** Words that carry no meaning for matching; they are neither indexed nor searched. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  "a",
  "au",
  "aux",
  "d",
  "de",
  "des",
  "du",
  "en",
  "et",
  "l",
  "la",
  "le",
  "les",
  "sur",
  "sous",
  "par",
  "lieu",
  "dit",
]);

// Abbreviation (or variant) → canonical token(s). Full words map to themselves implicitly.
const SYNONYM_LINES = [
  "bd,bld,bvd,boul,bould,blvd => boulevard",
  "av,ave,avn,aven => avenue",
  "r => rue",
  "imp => impasse",
  "pl,plc => place",
  "rte => route",
  "che,chem,ch,chmn => chemin",
  "all,al => allee",
  "st => saint",
  "ste => sainte",
  "mal,marech => marechal",
  "gal,gen,gl,genl => general",
  "pdt,pres,presid => president",
  "fg,fbg,faub => faubourg",
  "sq => square",
  "lt,lot,lotiss => lotissement",
  "res,resid => residence",
  "qu,qua,qai => quai",
  "crs => cours",
  "prom => promenade",
  "esp => esplanade",
  "pte => porte",
  "pass => passage",
  "sent => sentier",
  "ham => hameau",
  "vla => villa",
  "dr,doct => docteur",
  "prof => professeur",
  "cdt,cmdt => commandant",
  "cpt,capit => capitaine",
  "lieut => lieutenant",
  "mgr => monseigneur",
  "abbe => abbe",
  "nd => notre dame",
  "zi => zone industrielle",
  "za => zone activite",
  "zac => zone amenagement concerte",
  "carref,crf => carrefour",
  "rpt,rdpt => rond point",
  "qrt => quartier",
  "vc => voie communale",
  "cc => centre commercial",
  "mte => montee",
  "pkg => parking",
  "gde => grande",
  "gd => grand",
  "pt => petit",
  "ptes => petites",
  "pts => petits",
  "anc => ancien",
  "ld => lieu dit",
];

const ORDINAL_WORDS: Record<string, string> = {
  premier: "1er",
  premiere: "1er",
  second: "2e",
  seconde: "2e",
  deuxieme: "2e",
  troisieme: "3e",
  quatrieme: "4e",
  cinquieme: "5e",
  sixieme: "6e",
  septieme: "7e",
  huitieme: "8e",
  neuvieme: "9e",
  dixieme: "10e",
};

const SYNONYMS = new Map<string, string[]>();
for (const line of SYNONYM_LINES) {
  const [left = "", right = ""] = line.split("=>");
  const target = right.trim().split(" ");
  for (const word of left.split(",")) SYNONYMS.set(word.trim(), target);
}
for (const [word, ordinal] of Object.entries(ORDINAL_WORDS)) SYNONYMS.set(word, [ordinal]);

const ORDINAL_RE = /^(\d{1,3})(er|ere|re|e|eme|ieme|em|nd|nde|d)$/;

/** Canonical form of one folded word (no stop-word handling). */
export function canonicalWord(word: string): string[] {
  const synonym = SYNONYMS.get(word);
  if (synonym) return synonym.map(foldPlural);
  const ordinal = ORDINAL_RE.exec(word);
  if (ordinal) return [ordinal[1] === "1" ? "1er" : `${ordinal[1]}e`];
  if (/^\d+$/.test(word)) return [word.length < 5 ? String(Number(word)) : word];
  return [foldPlural(word)];
}

/** Plural folding: "lilas"/"lila", "tilleuls"/"tilleul", "chateaux"/"chateau". */
function foldPlural(word: string): string {
  if (word.length > 3) {
    const last = word.charCodeAt(word.length - 1);
    if ((last === 115 || last === 120) && word.charCodeAt(word.length - 2) !== 115) return word.slice(0, -1);
  }
  return word;
}

/** A stop word as typed, or through a synonym ("ld" → "lieu dit"); not a plural ("pars" → "par"). */
function isStopWord(word: string, token: string): boolean {
  return STOP_WORDS.has(token) && (token === word || SYNONYMS.has(word));
}

/** Tokens to index for a name: folded, canonical, stop words removed (kept if nothing else is left). */
export function nameTokens(name: string): string[] {
  const words = foldText(name).split(" ");
  const tokens: string[] = [];
  const stops: string[] = [];
  for (const word of words) {
    if (word === "") continue;
    for (const token of canonicalWord(word)) {
      if (isStopWord(word, token)) stops.push(token);
      else tokens.push(token);
    }
  }
  return tokens.length > 0 ? tokens : stops;
}

/** Folds a house-number suffix: bis → b, ter → t, quater → q, quinquies → c; letters stay. */
export function foldRep(rep: string): string {
  const folded = foldText(rep).replace(/ /g, "");
  switch (folded) {
    case "bis":
      return "b";
    case "ter":
      return "t";
    case "quater":
      return "q";
    case "quinquies":
      return "c";
    case "sexies":
      return "s";
    default:
      return folded;
  }
}

// Street types as typed (folded), used to find where the address starts after company noise.
const STREET_TYPES =
  "rue|r|avenue|av|ave|boulevard|bd|bld|bvd|chemin|che|chem|impasse|imp|place|pl|route|rte|allee|allees|all|" +
  "square|sq|quai|qu|cours|crs|faubourg|fg|fbg|lotissement|lot|lt|residence|res|passage|promenade|esplanade|" +
  "sentier|hameau|villa|cite|voie|rond|parvis|mail|montee|traverse|venelle|ruelle|clos|domaine|lieu|ld|porte|" +
  "cour|vc|za|zi|zac|hameau|square|carrefour|parc|quartier|port|plage|val|vallee";
const STREET_TYPE_SET = new Set(STREET_TYPES.split("|"));

const NOISE_PATTERN = new RegExp(
  [
    /\b(?:bp|cs|tsa|cidex|sp)\s*\d+\b/,
    /\bcedex\b(?:\s*\d{1,2}\b)?/,
    /\b\d{1,2}\s*(?:e|er|eme|ieme|em)\s*etage\b/,
    /\b(?:etage|etg)\s*\d{1,2}\b/,
    /\b(?:rdc|rez de chaussee)\b/,
    /\b(?:appt|apt|app|appart|appartement|logement|log|porte)\s*n?\s*\d+[a-z]?\b/,
    /\b(?:bat|batiment|bt|bloc|escalier|esc|entree|hall)\s+[a-z0-9]{1,3}\b/,
    /\b(?:boite|bal)\s*\d+\b/,
  ]
    .map((r) => r.source)
    .join("|"),
  "g",
);
const NOISE_HINT = /bp|cs|tsa|cidex|sp|cedex|etage|etg|rdc|chaussee|ap|log|porte|bat|bt|bloc|esc|entree|hall|boite|bal/;

export interface ParsedQuery {
  /** Folded and cleaned query text (noise removed). */
  cleaned: string;
  /** Canonical tokens to search, in query order (stop words removed). */
  tokens: string[];
  /** The last typed word (folded, not canonical) when it may be an unfinished prefix, else "". */
  lastPrefix: string;
  /** House number found before the street ("12 bis rue …"), or null. */
  housenumber: { numero: number; rep: string } | null;
  /** Numbers elsewhere in the query that may be a house number when they do not match a name. */
  looseNumbers: { token: string; numero: number; rep: string }[];
  /** Words dropped before "<number> <street type>": company or building noise, or a city typed first. */
  leading: string[];
}

const REP_WORDS = new Set(["bis", "ter", "quater", "quinquies", "sexies", "b", "t", "q", "c"]);

/** Cleans a raw query the way addok-france does, then splits it into canonical tokens. */
export function parseQuery(raw: string): ParsedQuery {
  let text = raw.length > 300 ? raw.slice(0, 300) : raw;
  // Each rewrite below only when its text can be there (most queries have no "/", no "0").
  if (text.includes("/")) text = text.replace(/\bs\/s\b/gi, " sous ").replace(/\bs\//gi, " sur ");
  // Leading zeros of house numbers ("0012"), not of postcodes ("01000"; none starts with "00").
  text = foldText(text);
  if (text.includes("0")) {
    text = text.replace(/\b0+(\d{1,4}[a-z]*)\b/g, (word, rest: string) =>
      /^\d{5}$/.test(word) && !word.startsWith("00") ? word : rest,
    );
  }
  // Glue "s/" (sur) and put spaces around 5-digit groups glued to words.
  if (/[a-z]\d{5}|\d{5}[a-z]/.test(text)) {
    text = text.replace(/(\d{5})(?=[a-z])/g, "$1 ").replace(/([a-z])(?=\d{5}\b)/g, "$1 ");
  }
  if (NOISE_HINT.test(text)) text = text.replace(NOISE_PATTERN, " ");
  let words = text.split(" ").filter((w) => w !== "");
  const leading: string[] = [];
  // Drop leading noise (company, building) before the first "<number> [rep] <type>" (extract_address):
  // when the query starts with one, nothing is dropped ("24 allée du 6 juin 1944 val de drôme" keeps
  // its street, "1944 val" is not where the address starts).
  for (let i = 0; i < words.length - 1; i++) {
    const w = words[i] as string;
    if (!/^\d{1,4}[a-z]?$/.test(w)) continue;
    let j = i + 1;
    if (REP_WORDS.has(words[j] as string) && j + 1 < words.length) j++;
    if (STREET_TYPE_SET.has(words[j] as string)) {
      if (i === 0) break;
      for (const dropped of words.slice(0, i)) {
        for (const token of canonicalWord(dropped)) if (!isStopWord(dropped, token)) leading.push(token);
      }
      words = words.slice(i);
      break;
    }
  }
  if (words[0] === "lieu" && words[1] === "dit") words = words.slice(2);

  let housenumber: ParsedQuery["housenumber"] = null;
  const looseNumbers: ParsedQuery["looseNumbers"] = [];
  const tokens: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const number = /^(\d{1,4})(bis|ter|quater|[a-z])?$/.exec(word);
    if (number && !ORDINAL_RE.test(word)) {
      let rep = number[2] ? foldRep(number[2]) : "";
      const next = words[i + 1];
      let consumed = 0;
      const letterRep =
        next !== undefined &&
        /^[a-h]$/.test(next) &&
        (i + 2 >= words.length || STREET_TYPE_SET.has(words[i + 2] as string));
      // "bis", "ter"… after any number ("Boulangerie Martin 2 ter La Butte"); a single letter only
      // at the start or the end, where it cannot be a word of the name.
      const repWord =
        next !== undefined && REP_WORDS.has(next) && (next.length > 1 || i + 2 >= words.length || i === 0);
      if (!rep && next !== undefined && (letterRep || repWord)) {
        rep = foldRep(next);
        consumed = 1;
      }
      const numero = Number(number[1]);
      if (i === 0 && housenumber === null && words.length > 1) {
        housenumber = { numero, rep };
        i += consumed;
        continue;
      }
      looseNumbers.push({ token: String(numero), numero, rep });
      i += consumed;
      if (rep && !consumed) {
        tokens.push(String(numero));
        continue;
      }
    }
    for (const token of canonicalWord(word)) if (!isStopWord(word, token)) tokens.push(token);
  }
  if (tokens.length === 0) {
    // Only stop words (e.g. a commune named "Y"): search them.
    for (const word of words) if (!/^\d{1,4}$/.test(word)) tokens.push(...canonicalWord(word));
  }
  const lastWord = words[words.length - 1] ?? "";
  const typing = !/\s$/.test(raw) && lastWord !== "" && !/^\d/.test(lastWord);
  // A last word that is a stop word may be the start of another ("par" → "paris"): keep it as a prefix.
  if (typing && lastWord.length >= 3 && STOP_WORDS.has(lastWord) && tokens[tokens.length - 1] !== lastWord) {
    tokens.push(lastWord);
  }
  const lastCanonical = canonicalWord(lastWord);
  const lastPrefix =
    typing && (lastCanonical[0] === tokens[tokens.length - 1] || lastWord === tokens[tokens.length - 1])
      ? lastWord
      : "";
  return { cleaned: words.join(" "), tokens, lastPrefix, housenumber, looseNumbers, leading };
}
