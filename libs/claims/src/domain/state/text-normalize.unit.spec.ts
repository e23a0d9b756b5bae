import { foldArabic, normalizeText } from './text-normalize';

describe('normalizeText', () => {
  it('composes to NFC, so decomposed and precomposed accents are one text', () => {
    expect(normalizeText('Raqqa cafe\u0301')).toBe(normalizeText('Raqqa caf\u00e9'));
  });

  it('lower-cases', () => {
    expect(normalizeText('SDF Raqqa')).toBe('sdf raqqa');
  });

  it('removes harakat and shadda (U+064B–U+065F)', () => {
    expect(normalizeText('الرَّقَّةُ')).toBe('الرقه');
  });

  it('removes superscript alef (U+0670) and Quranic annotation marks', () => {
    expect(normalizeText('هٰذا')).toBe('هذا');
    expect(normalizeText('الرقة\u06D6')).toBe('الرقه');
    expect(normalizeText('محمد\u0610')).toBe('محمد');
  });

  it('removes tatweel', () => {
    expect(normalizeText('الرقــــة')).toBe('الرقه');
  });

  it('unifies alef forms آ أ إ ٱ to ا', () => {
    for (const form of ['آ', 'أ', 'إ', 'ٱ']) expect(normalizeText(`${form}حمد`)).toBe('احمد');
  });

  it('treats a decomposed alef with hamza like the precomposed one', () => {
    expect(normalizeText('\u0627\u0654حمد')).toBe(normalizeText('\u0623حمد'));
  });

  it('folds Arabic in any text, whatever the claim language', () => {
    expect(normalizeText('The city of الرَّقّة')).toBe('the city of الرقه');
  });

  it('folds hamza seats to their letters and keeps bare letters apart', () => {
    expect(foldArabic('مؤتمر')).toBe('موتمر');
    expect(normalizeText('الرقة')).not.toBe(normalizeText('الرقم'));
  });

  it('drops invisible bidi marks and collapses whitespace', () => {
    expect(normalizeText('  \u200Fالرقة   مدينة\u200E ')).toBe('الرقه مدينه');
  });

  it('leaves other scripts alone apart from case, marks included', () => {
    expect(normalizeText('Ракка')).toBe('ракка');
    // й is и with a breve once decomposed: a different Cyrillic letter, not an accent.
    expect(normalizeText('Бийск')).toBe('бийск');
  });
});

/** DOMAIN.md rule 4's folding, pair by pair: each pair is one text value; each `apart` pair is two. */
describe('normalizeText: what writers vary without meaning', () => {
  const same: readonly [string, string, string][] = [
    // Arabic
    ['final yeh written as alef maqsura', 'عسيري', 'عسيرى'],
    ['teh marbuta written as heh', 'النيابة', 'النيابه'],
    ['hamza on waw', 'مسؤول', 'مسوول'],
    ['hamza on yeh', 'رئيس', 'رييس'],
    ['alef with hamza below', 'إسطنبول', 'اسطنبول'],
    ['alef madda', 'آل سعود', 'ال سعود'],
    ['harakat and shadda', 'خاشُقجيّ', 'خاشقجي'],
    ['tatweel', 'القنصليـــة', 'القنصلية'],
    // Persian (the same name typed on a Persian keyboard)
    ['Persian yeh', 'علی', 'علي'],
    ['Persian kaf', 'کرمان', 'كرمان'],
    ['Persian kaf and yeh together', 'کشتی', 'كشتي'],
    ['heh with yeh above', 'خانۀ', 'خانه'],
    // Turkish
    ['dotted capital I', 'İrfan', 'Irfan'],
    ['dotless i', 'Fıdan', 'Fidan'],
    ['dotted capital I in a word', 'İSTANBUL', 'istanbul'],
    ['Turkish letters with cedilla and breve', 'Kaşıkçı Ağa', 'Kasikci Aga'],
    // Accented Latin
    ['acute accent', 'Alép', 'Alep'],
    ['grave accent', 'Alèp', 'Alep'],
    ['decomposed accent', 'Jose\u0301', 'José'],
    ['umlaut and case', 'MÜNCHEN', 'munchen'],
    ['cedilla', 'Français', 'Francais'],
    ['tilde', 'São Paulo', 'Sao Paulo'],
    ['sharp s', 'Straße', 'STRASSE'],
  ];
  it.each(same)('%s: %s = %s', (_why, a, b) => {
    expect(normalizeText(a)).toBe(normalizeText(b));
  });

  const apart: readonly [string, string, string][] = [
    ['different Arabic letters', 'عسيري', 'عسيرة'],
    ['different numbers of letters', 'علي', 'عل'],
    ['Latin letters that differ', 'Irfan', 'Orfan'],
    ['Cyrillic letters with marks are letters', 'й', 'и'],
  ];
  it.each(apart)('%s: %s ≠ %s', (_why, a, b) => {
    expect(normalizeText(a)).not.toBe(normalizeText(b));
  });
});
