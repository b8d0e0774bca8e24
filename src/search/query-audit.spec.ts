import { askedFor } from './query-audit';

describe('askedFor', () => {
  it('keeps ids as asked, even where their digits look like a phone number', () => {
    const batch = '5787860b-d061-4577-975a-e912867ff545';
    const other = '0b1f5e2c-0000-4000-8000-000000000001';
    expect(askedFor({ batch, format: 'csv' })).toEqual({ batch, format: 'csv' });
    expect(askedFor({ organisation: [batch, other] })).toEqual({
      organisation: `${batch},${other}`,
    });
  });

  it('de-identifies what is not an id, including a list that mixes ids with text', () => {
    const asked = askedFor({
      q: 'call 07700 900123 about jo.bloggs@example.com',
      batch: '5787860b-d061-4577-975a-e912867ff545,07700 900123',
    });
    expect(asked.q).not.toContain('07700 900123');
    expect(asked.q).not.toContain('jo.bloggs@example.com');
    expect(asked.batch).not.toContain('07700 900123');
  });
});
