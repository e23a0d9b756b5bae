/**
 * Text values are compared as a reader would compare them (DOMAIN.md rule 4): the same words in
 * different Unicode forms, letter case, accents, or Arabic-script spelling habits are the same
 * value. The folding is by script, whatever the claim's language, because names and places appear
 * in any copy: عسيري and عسيرى (final yeh written as alef maqsura), النيابة and النيابه (teh
 * marbuta written as heh), İrfan and Irfan, Aleppo's "Alep" and "Alèp" are each one value.
 *
 * Folding makes more texts equal, never fewer, so a value once compatible stays compatible; it
 * is for comparing only: every value is stored and shown exactly as given.
 */

/**
 * Arabic marks that do not change which word is written:
 * - U+064B–U+065F harakat, shadda, sukun, maddah/hamza above and below (after NFC, hamza on
 *   alef/waw/yeh is already part of a precomposed letter, so only stray marks are removed);
 * - U+0670 superscript alef;
 * - U+0610–U+061A honorifics and small vowels, U+06D6–U+06DC, U+06DF–U+06E4, U+06E7–U+06E8,
 *   U+06EA–U+06ED Quranic annotation marks (U+06DD end of ayah, U+06DE, U+06E9 are symbols
 *   and U+06E5/U+06E6 are letters, so they stay);
 * - U+08D3–U+08E1, U+08E3–U+08FF the Extended-A combining marks (U+08E2 is a format sign).
 */
const ARABIC_MARKS =
  /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED\u08D3-\u08E1\u08E3-\u08FF]/g;

/** Tatweel only stretches a word for layout. */
const TATWEEL = /\u0640/g;

/** آ أ إ ٱ (and the rare wavy-hamza ٲ ٳ) are written for the same alef by different hands. */
const ALEF_FORMS = /[\u0622\u0623\u0625\u0671\u0672\u0673]/g;
const ALEF = '\u0627';

/**
 * Letters that writers (and keyboards) swap without meaning, mapped to one Arabic letter:
 * alef maqsura ى and Persian yeh ی as yeh ي (Egyptian and Persian hands write final yeh
 * undotted); teh marbuta ة as heh ه (often typed without its dots); hamza seats ؤ ئ as their
 * letters و ي; Persian kaf ک (and the swash kaf ڪ) as Arabic kaf ك; heh goal ہ and heh with yeh
 * above ۀ as heh.
 */
const ARABIC_LETTERS: Readonly<Record<string, string>> = {
  '\u0649': '\u064A', // ى -> ي
  '\u06CC': '\u064A', // ی -> ي
  '\u0626': '\u064A', // ئ -> ي
  '\u0624': '\u0648', // ؤ -> و
  '\u0629': '\u0647', // ة -> ه
  '\u06C0': '\u0647', // ۀ -> ه
  '\u06C1': '\u0647', // ہ -> ه
  '\u06A9': '\u0643', // ک -> ك
  '\u06AA': '\u0643', // ڪ -> ك
};
const ARABIC_LETTER_VARIANTS = /[\u0649\u06CC\u0626\u0624\u0629\u06C0\u06C1\u06A9\u06AA]/g;

/**
 * Marks on Latin letters (accents, cedillas, the dot of Turkish İ once decomposed): "Alèp" is
 * "Alep". Only after a Latin letter, so a Cyrillic й or a Devanagari vowel sign keeps its mark.
 */
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;

/**
 * Full case folding beyond toLowerCase: Turkish dotless ı (and İ, whose lower case is i plus a
 * combining dot) is i, German ß is ss, Greek final sigma is sigma.
 */
const CASE_FOLDS: Readonly<Record<string, string>> = {
  '\u0130': 'i',
  '\u0131': 'i',
  '\u00DF': 'ss',
  '\u1E9E': 'ss',
  '\u03C2': '\u03C3',
};
const CASE_FOLD_CHARS = /[\u0130\u0131\u00DF\u1E9E\u03C2]/g;

/**
 * Invisible controls that copy-paste from Arabic web pages leaves behind (bidi marks,
 * zero-width space, BOM); they never distinguish one word from another.
 */
const INVISIBLE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

const WHITESPACE_RUN = /\s+/g;

/**
 * NFC, case folding, Latin and Arabic-script folding; invisible controls removed and whitespace
 * runs collapsed and trimmed (a typist's double space is not a different value).
 */
export function normalizeText(text: string): string {
  const composed = text
    .normalize('NFC')
    .replace(CASE_FOLD_CHARS, (char) => CASE_FOLDS[char] ?? char)
    .toLowerCase()
    .replace(CASE_FOLD_CHARS, (char) => CASE_FOLDS[char] ?? char);
  const folded = foldLatin(foldArabic(composed)).replace(INVISIBLE, '');
  const spaced = folded.replace(WHITESPACE_RUN, ' ').trim();
  // Removing marks can leave sequences that compose differently; end in NFC again.
  return spaced.normalize('NFC');
}

/**
 * Removes Arabic diacritics and tatweel, unifies alef forms and the letters of ARABIC_LETTERS;
 * other scripts pass through. Expects NFC text, where hamza on a seat is one precomposed letter.
 */
export function foldArabic(text: string): string {
  return text
    .replace(ARABIC_MARKS, '')
    .replace(TATWEEL, '')
    .replace(ALEF_FORMS, ALEF)
    .replace(ARABIC_LETTER_VARIANTS, (char) => ARABIC_LETTERS[char] ?? char);
}

/** Removes the marks of Latin letters (decomposed first, so é is e plus an acute). */
export function foldLatin(text: string): string {
  return text.normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
}
