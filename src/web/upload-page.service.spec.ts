import { ANONYMOUS, type Principal } from '../access/principal';
import { DomainError } from '../common/domain-error';
import { formatBytes, problemsFromService, readUploadForm } from './upload-page.service';

const partner: Principal = {
  ...ANONYMOUS,
  kind: 'user',
  id: 'u1',
  role: 'partner',
  organisationId: 'o1',
  organisationCode: 'hw-kent',
  label: 'partner@example.org',
};
const admin: Principal = { ...partner, role: 'admin', organisationCode: 'icb' };
const ORGS = new Set(['hw-kent', 'icb']);
const TODAY = '2025-06-01';

const valid = {
  sourceType: 'survey',
  title: 'Spring listening',
  sharingLevel: 'system',
  dateOrder: 'dmy',
};

describe('readUploadForm', () => {
  it('builds the API fields from a good form', () => {
    const { dto, problems } = readUploadForm(
      {
        ...valid,
        collectedFrom: { day: '1', month: '3', year: '2025' },
        collectedTo: { day: '31', month: '5', year: '2025' },
        retentionUntil: { day: '1', month: '1', year: '2030' },
        profile: 'survey',
        _csrf: 'ignored',
      },
      partner,
      ORGS,
      TODAY,
    );
    expect(problems).toEqual([]);
    expect(dto).toEqual({
      sourceType: 'survey',
      title: 'Spring listening',
      collectedFrom: '2025-03-01',
      collectedTo: '2025-05-31',
      sharingLevel: 'system',
      retentionUntil: '2030-01-01',
      profile: 'survey',
      dateOrder: 'dmy',
    });
  });

  it('passes the column map and value map on as the API fields, trimmed', () => {
    const { dto, problems } = readUploadForm(
      {
        ...valid,
        columnMap: ' {"religion":"Faith code"} ',
        valueMap: '{"religion":{"7":"Sikh"}}\n',
      },
      partner,
      ORGS,
      TODAY,
    );
    expect(problems).toEqual([]);
    expect(dto).toMatchObject({
      columnMap: '{"religion":"Faith code"}',
      valueMap: '{"religion":{"7":"Sikh"}}',
    });
    expect(readUploadForm(valid, partner, ORGS, TODAY).dto).not.toHaveProperty('valueMap');
  });

  it('names every problem against its control, in page order', () => {
    const { dto, problems } = readUploadForm(
      {
        title: ' ',
        sourceType: 'carrier_pigeon',
        collectedFrom: { day: '1', month: '6', year: '2025' },
        collectedTo: { day: '1', month: '3', year: '2025' },
        retentionUntil: { day: '1', month: '1', year: '2020' },
        sharingLevel: 'everyone',
      },
      partner,
      ORGS,
      TODAY,
    );
    expect(dto).toBeUndefined();
    expect(problems).toEqual([
      { field: 'sourceType', message: 'Select where the feedback comes from' },
      { field: 'title', message: 'Enter a title' },
      {
        field: 'collectedTo-day',
        message: 'End of collection must be the same as or after the start',
      },
      { field: 'sharingLevel', message: 'Select who may see the comments' },
      { field: 'retentionUntil-day', message: 'Delete after must be in the future' },
    ]);
  });

  it('sends the organisation only for admins and moderators, and only a known one', () => {
    expect(
      readUploadForm({ ...valid, organisation: 'icb' }, partner, ORGS, TODAY).dto,
    ).not.toHaveProperty('organisation');
    expect(
      readUploadForm({ ...valid, organisation: 'hw-kent' }, admin, ORGS, TODAY).dto,
    ).toMatchObject({
      organisation: 'hw-kent',
    });
    expect(readUploadForm({ ...valid, organisation: 'nope' }, admin, ORGS, TODAY).problems).toEqual(
      [{ field: 'organisation', message: 'Select an organisation from the list' }],
    );
  });
});

describe('problemsFromService', () => {
  it('puts each part of a service message against the control it names, else the file', () => {
    expect(
      problemsFromService(
        new DomainError(
          'invalid_input',
          'collectedFrom must not be after collectedTo; retentionUntil must be in the future',
        ),
      ),
    ).toEqual([
      { field: 'collectedFrom-day', message: 'collectedFrom must not be after collectedTo' },
      { field: 'retentionUntil-day', message: 'retentionUntil must be in the future' },
    ]);
    expect(
      problemsFromService(
        new DomainError(
          'invalid_input',
          'columnMap: unknown field "faith" (fields: text, religion); valueMap.religion has an empty code',
        ),
      ),
    ).toEqual([
      { field: 'columnMap', message: 'columnMap: unknown field "faith" (fields: text, religion)' },
      { field: 'valueMap', message: 'valueMap.religion has an empty code' },
    ]);
    expect(
      problemsFromService(
        new DomainError(
          'invalid_input',
          'The value map has codes for sexuality, but no column of the file is read as that field.',
        ),
      ),
    ).toEqual([
      {
        field: 'valueMap',
        message:
          'The value map has codes for sexuality, but no column of the file is read as that field.',
      },
    ]);
    expect(
      problemsFromService(
        new DomainError(
          'invalid_input',
          'The column map sets text to "Notes", but the file has no such column.',
        ),
      )[0].field,
    ).toBe('columnMap');
    expect(
      problemsFromService(new DomainError('invalid_input', 'The file x.csv has no data rows')),
    ).toEqual([{ field: 'file', message: 'The file x.csv has no data rows' }]);
    expect(problemsFromService(new DomainError('forbidden', 'organisation: no'))).toEqual([
      { field: 'organisation', message: 'organisation: no' },
    ]);
  });
});

describe('formatBytes', () => {
  it.each([
    [209715200, '200 MB'],
    [2048, '2 KB'],
    [10, '10 bytes'],
  ])('%p → %p', (n, text) => expect(formatBytes(n)).toBe(text));
});
