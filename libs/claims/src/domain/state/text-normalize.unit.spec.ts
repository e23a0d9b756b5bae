import { foldArabic, normalizeText } from './text-normalize';

describe('normalizeText', () => {
  it('composes to NFC, so decomposed and precomposed accents are one text', () => {
    expect(normalizeText('Raqqa cafe\u0301')).toBe(normalizeText('Raqqa caf\u00e9'));
  });

  it('lower-cases', () => {
    expect(normalizeText('SDF Raqqa')).toBe('sdf raqqa');
  });

  it('removes harakat and shadda (U+064B–U+065F)', () => {
    expect(normalizeText('الرَّقَّةُ')).toBe('الرقة');
  });

  it('removes superscript alef (U+0670) and Quranic annotation marks', () => {
    expect(normalizeText('هٰذا')).toBe('هذا');
    expect(normalizeText('الرقة\u06D6')).toBe('الرقة');
    expect(normalizeText('محمد\u0610')).toBe('محمد');
  });

  it('removes tatweel', () => {
    expect(normalizeText('الرقــــة')).toBe('الرقة');
  });

  it('unifies alef forms آ أ إ ٱ to ا', () => {
    for (const form of ['آ', 'أ', 'إ', 'ٱ']) expect(normalizeText(`${form}حمد`)).toBe('احمد');
  });

  it('treats a decomposed alef with hamza like the precomposed one', () => {
    expect(normalizeText('\u0627\u0654حمد')).toBe(normalizeText('\u0623حمد'));
  });

  it('folds Arabic in any text, whatever the claim language', () => {
    expect(normalizeText('The city of الرَّقّة')).toBe('the city of الرقة');
  });

  it('keeps letters that are different letters (alef maksura, teh marbuta, hamza on waw)', () => {
    expect(normalizeText('على')).not.toBe(normalizeText('علي'));
    expect(normalizeText('الرقة')).not.toBe(normalizeText('الرقه'));
    expect(foldArabic('مؤتمر')).toBe('مؤتمر');
  });

  it('drops invisible bidi marks and collapses whitespace', () => {
    expect(normalizeText('  \u200Fالرقة   مدينة\u200E ')).toBe('الرقة مدينة');
  });

  it('leaves other scripts alone apart from case', () => {
    expect(normalizeText('Ракка')).toBe('ракка');
  });
});
