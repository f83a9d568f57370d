import type { Finding } from './types.js';

// Postal addresses in the shapes of several countries. Each rule finds the street part; a shared
// tail then takes what follows after commas: unit, district, city, state, postcode.

const CAP = String.raw`[\p{Lu}][\p{L}\p{M}'’.]*(?:-[\p{L}\p{M}]+)*`;
const NUM = String.raw`\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?`;
const UNIT = String.raw`(?:(?:Unit|Suite|Ste\.?|Apt\.?|Apartment|Flat|Floor|Fl\.?|Room|Bldg\.?|Building)\s+[\p{L}\p{N}-]{1,6})`;

// English street types; after the street name ("12 George St").
const EN_TYPES = String.raw`(?:Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Tce|Close|Crescent|Cres|Parkway|Pkwy|Highway|Hwy|Square|Sq|Circle|Cir|Trail|Row|Walk|Mews|Grove|Gardens|Gdns|Parade|Esplanade|Quay|Wharf|Broadway|Expressway|Freeway|Pike|Alley|Loop|Path)\.?`;
const DIRECTION = String.raw`(?:\s+(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b)?`;
// Romance and Slavic street types; before the name ("rue de la Paix", "Calle Mayor", "ul. Długa").
const PREFIX_WORDS =
  'rue avenue av. boulevard bd place chemin allée impasse quai route cours calle c/ avenida avda. avda plaza paseo carrer rambla camino via viale piazza corso largo vicolo rua travessa praça alameda estrada ul. ulica al. aleja pl. strada bulevardul calea';
// Either case for the first letter ("rue" in French, "Calle" in Spanish), the rest as written.
const PREFIX_TYPES = `(?:${PREFIX_WORDS.split(' ')
  .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1).replace(/[./]/g, (c) => '\\' + c)}`)
  .join('|')})`;
const PARTICLES = String.raw`(?:de|del|de la|de las|de los|des|du|la|le|les|da|do|das|dos|di|della|delle|dei|degli|d'|l')`;
// Germanic compound street names: "Hauptstraße", "Keizersgracht", "Lindenallee".
const COMPOUND = String.raw`[\p{Lu}][\p{L}\p{M}-]*(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|gracht|straat|laan|plein|kade|singel|dijk|markt|vej|gade|gatan|vägen|katu|tie|gata|veien)`;

const POSTCODE = String.raw`(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{4}\s?[A-Z]{2}|\d{5}-\d{3}|\d{3}-\d{4}|\d{2}-\d{3}|\d{4,6}(?:-\d{4})?)`;
const STATE = String.raw`(?:[A-Z]{2,3})`;
// One comma-separated part after the street: a unit, "City", "City POSTCODE", "POSTCODE City",
// "ST 12345", "São Paulo - SP".
const SEGMENT = String.raw`(?:${UNIT}|${POSTCODE}(?:\s+${CAP}(?:\s+${CAP}){0,2})?|${CAP}(?:[ -]${CAP}){0,3}(?:\s+${STATE})?(?:\s+${POSTCODE})?|${STATE}\s+${POSTCODE})`;
const TAIL = String.raw`(?:(?:,\s*|\s+-\s+)${SEGMENT}){0,4}`;
const LEAD = String.raw`(?:${UNIT},?\s+)?`;

// Each rule's street part needs a word or shape that is cheap to look for: a text without it
// skips the rule's full expression (most notes have no address at all).
const HAS_EN_TYPE = new RegExp(String.raw`\d.*\b${EN_TYPES}(?![\p{L}])`, 'u');
const HAS_PREFIX = new RegExp(String.raw`(?<![\p{L}])${PREFIX_TYPES}\s`, 'u');
const HAS_COMPOUND = new RegExp(
  String.raw`\p{Ll}(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|gracht|straat|laan|plein|kade|singel|dijk|markt|vej|gade|gatan|vägen|katu|tie|gata|veien)\s+\d`,
  'u',
);
const HAS_BLOCK = /\d-\d/;
const HAS_BOX = /box|postfach|apartado|caixa/i;
const HAS_POSTCODE = /\b[A-Z]{1,2}\d|\b[A-Z]{2}\s+\d{5}/;

const RULES: readonly [RegExp, string, RegExp][] = [
  // 221B Baker Street · 12 rue de la Paix · 1200 Pennsylvania Ave NW
  [
    new RegExp(
      String.raw`${LEAD}\b${NUM},?\s+(?:${CAP}\s+){0,3}${EN_TYPES}${DIRECTION}(?![\p{L}])${TAIL}`,
      'gu',
    ),
    'address:number-street',
    HAS_EN_TYPE,
  ],
  [
    new RegExp(
      String.raw`${LEAD}\b${NUM},?\s+${PREFIX_TYPES}\s+(?:${PARTICLES}\s*)?(?:${CAP}|\p{Ll}+)(?:\s+(?:${PARTICLES}\s*)?${CAP}){0,3}${TAIL}`,
      'gu',
    ),
    'address:number-prefix-street',
    HAS_PREFIX,
  ],
  // Calle Mayor 5 · Via Roma 10 · ul. Marszałkowska 84 · Rua Augusta 1500
  [
    new RegExp(
      String.raw`(?<![\p{L}])${PREFIX_TYPES}\s+(?:${PARTICLES}\s*)?${CAP}(?:\s+(?:${PARTICLES}\s*)?${CAP}){0,3}\s+${NUM}\b${TAIL}`,
      'gu',
    ),
    'address:prefix-street-number',
    HAS_PREFIX,
  ],
  // Hauptstraße 12 · Keizersgracht 123
  [
    new RegExp(String.raw`\b${COMPOUND}\s+${NUM}\b${TAIL}`, 'gu'),
    'address:compound-street',
    HAS_COMPOUND,
  ],
  // Japanese block addresses: 3-7-1 Nishi-Shinjuku, Shinjuku-ku · 5 Chome-2-1 Ginza, Chuo City
  [
    new RegExp(
      String.raw`\b\d{1,2}(?:\s*Chome)?-\d{1,3}(?:-\d{1,3})?\s+${CAP}(?:,\s*${CAP}(?:-ku|\s+City|\s+Ward))${TAIL}`,
      'gu',
    ),
    'address:jp-block',
    HAS_BLOCK,
  ],
  [
    new RegExp(
      String.raw`\b(?:P\.?\s?O\.?\s?Box|PO BOX|Post Office Box|Postfach|Apartado|Caixa Postal)\s+\d{1,6}${TAIL}`,
      'gu',
    ),
    'address:po-box',
    HAS_BOX,
  ],
  // A house number and a few words that end in a strong postcode: "14 Kingsway, Manchester M19 2LL".
  [
    new RegExp(
      String.raw`\b${NUM}\s+${CAP}(?:\s+${CAP}){0,3},\s*(?:${CAP}(?:\s+${CAP}){0,2},\s*)?(?:${CAP}(?:\s+${CAP}){0,2}\s+)?(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]{2}\s+\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b`,
      'gu',
    ),
    'address:postcode-anchored',
    HAS_POSTCODE,
  ],
  // A UK postcode alone is part of an address.
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/g, 'address:uk-postcode', HAS_POSTCODE],
];

export function findAddresses(text: string): Finding[] {
  const found: Finding[] = [];
  if (!/\d/.test(text)) return found;
  for (const [regex, rule, cheap] of RULES) {
    if (!cheap.test(text)) continue;
    for (const m of text.matchAll(regex)) {
      let s = m[0].replace(/[\s,.-]+$/u, '');
      if (
        s.endsWith('.') === false &&
        m[0].endsWith('.') &&
        /\b(?:St|Rd|Ave|Dr|Blvd|Ln|Ct|Pl)\.$/.test(m[0].trimEnd())
      )
        s += '.';
      found.push({ type: 'ADDRESS', start: m.index, end: m.index + s.length, rule });
    }
  }
  return found;
}
