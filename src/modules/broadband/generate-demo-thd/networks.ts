/**
 * Normandy's FttH networks as the reference describes them (broadband.md §4.3): one public network
 * (RIP) per département and the operators' private zones (AMII, the real L. 33-13 commitments of
 * ARCEP's T1 2018 commune file). Build-out windows are read from the same table (targets and
 * completion figures); the Orange, SFR and RIP codes not found in the sources are invented, and the
 * README says so.
 */
export interface DemoNetwork {
  code: string;
  nom: string;
  type: "rip" | "prive";
  /** Infrastructure operator (OI) code, as in the IPE file name and CodeOI column. */
  oi: string;
  departement: string;
  /** Window (ISO dates) in which the premises not yet connectable at T1 2018 are deployed. */
  debut: string;
  fin: string;
}

const RIP: Record<string, Omit<DemoNetwork, "departement" | "type">> = {
  "14": {
    code: "RIP14",
    nom: "Fibre Calvados Normandie (RIP du Calvados)",
    oi: "ALTI",
    debut: "2018-04-01",
    fin: "2024-06-30",
  },
  "27": {
    code: "RIP27",
    nom: "Eure Normandie THD (RIP de l'Eure)",
    oi: "ENTH",
    debut: "2019-07-01",
    fin: "2025-03-31",
  },
  "50": { code: "RIP50", nom: "Manche Fibre (RIP de la Manche)", oi: "MAFI", debut: "2018-04-01", fin: "2025-09-30" },
  "61": {
    code: "RIP61",
    nom: "Orne THD (RIP de l'Orne, partenariat Orange)",
    oi: "FRTE",
    debut: "2018-04-01",
    fin: "2024-03-31",
  },
  "76": {
    code: "RIP76",
    nom: "Connect 76 (RIP de Seine-Maritime)",
    oi: "XPFI",
    debut: "2018-04-01",
    fin: "2025-09-30",
  },
};

const PRIVATE_NAMES: Record<string, string> = {
  "FRTE-14": "Orange, zone privée de Caen la Mer et Lisieux",
  "FRTE-27": "Orange, zone privée de l'Eure",
  "SFR0-27": "SFR, zone privée d'Évreux, Louviers et Vernon",
  "FRTE-61": "Orange, zone privée d'Alençon et Flers",
  "FRTE-76": "Orange, zone privée de Rouen, Le Havre, Dieppe et Fécamp",
  "SFR0-76": "SFR, zone privée de Seine-Maritime",
};

export const DEMO_NETWORKS: DemoNetwork[] = [
  ...Object.entries(RIP).map(([departement, n]) => ({ ...n, type: "rip" as const, departement })),
  ...Object.entries(PRIVATE_NAMES).map(([key, nom]) => {
    const [oi, departement] = key.split("-") as [string, string];
    return {
      code: `AMII-${oi}-${departement}`,
      nom,
      type: "prive" as const,
      oi,
      departement,
      // Private zones: the operators' 2020 commitment, completed with some delay.
      debut: "2018-04-01",
      fin: "2022-12-31",
    };
  }),
];

export const NETWORKS_BY_CODE = new Map(DEMO_NETWORKS.map((n) => [n.code, n]));

/** The commune's network: a private zone where an operator committed (L. 33-13), else the département's RIP. */
export function networkOf(departement: string, l3313: string): string {
  for (const oi of ["FRTE", "SFR0"]) {
    if (l3313.includes(oi) && NETWORKS_BY_CODE.has(`AMII-${oi}-${departement}`)) return `AMII-${oi}-${departement}`;
  }
  return `RIP${departement}`;
}

/** Operators named in the demo files (ARCEP codes where the sources give them; the others invented). */
export const DEMO_OPERATORS: { code: string; nom: string }[] = [
  { code: "FRTE", nom: "Orange" },
  { code: "SFR0", nom: "SFR" },
  { code: "BOUY", nom: "Bouygues Telecom" },
  { code: "FREE", nom: "Free" },
  { code: "NORN", nom: "Nordnet (satellite)" },
  { code: "STAK", nom: "Starlink (satellite)" },
  { code: "ALSA", nom: "Opérateur THD radio (simulé)" },
  { code: "ALTI", nom: "Altitude Infra Calvados" },
  { code: "ENTH", nom: "Eure Normandie THD (Axione)" },
  { code: "MAFI", nom: "Manche Fibre (Altitude Infrastructure)" },
  { code: "XPFI", nom: "XpFibre (Connect 76)" },
];
