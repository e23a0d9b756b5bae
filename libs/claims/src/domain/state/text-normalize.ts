/**
 * Text values are compared as a reader would compare them (DOMAIN.md rule 4): the same words in
 * different Unicode forms, letter case, or Arabic vocalisation are the same value. Arabic folding
 * applies whatever the claim's language, because Arabic names and places appear in any copy.
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
 * Invisible controls that copy-paste from Arabic web pages leaves behind (bidi marks,
 * zero-width space, BOM); they never distinguish one word from another.
 */
const INVISIBLE = /[\u061C\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

const WHITESPACE_RUN = /\s+/g;

/**
 * NFC, lower-case, Arabic folding; invisible controls removed and whitespace runs collapsed
 * and trimmed (a typist's double space is not a different value).
 */
export function normalizeText(text: string): string {
  const composed = text.normalize('NFC').toLowerCase();
  const folded = foldArabic(composed).replace(INVISIBLE, '');
  const spaced = folded.replace(WHITESPACE_RUN, ' ').trim();
  // Removing marks can leave sequences that compose differently; end in NFC again.
  return spaced.normalize('NFC');
}

/** Removes Arabic diacritics and tatweel and unifies alef forms; other scripts pass through. */
export function foldArabic(text: string): string {
  return text.replace(ARABIC_MARKS, '').replace(TATWEEL, '').replace(ALEF_FORMS, ALEF);
}
