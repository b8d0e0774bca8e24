import { detectFormat } from './detect-format.util';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const text = (s: string) => Buffer.from(s, 'utf8');

describe('detectFormat', () => {
  it.each([
    ['feedback.csv', text('a,b\n1,2\n'), 'csv'],
    ['FEEDBACK.CSV', text('a,b\n'), 'csv'],
    ['export.tsv', text('a\tb\n'), 'csv'],
    ['unicode.txt', Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'csv'],
    ['book.xlsx', ZIP, 'xlsx'],
    ['renamed.csv', ZIP, 'xlsx'],
    [undefined, ZIP, 'xlsx'],
    ['data.json', text('[{"a":1}]'), 'json'],
    ['data.json', text('  {"records": [{"a":1}]}'), 'json'],
    ['data.json', text('{"a":1}\n{"a":2}\n'), 'ndjson'],
    ['data.ndjson', text('{"a":1}\n'), 'ndjson'],
    ['data.jsonl', text('{"a":1}\n'), 'ndjson'],
    [undefined, text('\uFEFF[{"a":1}]'), 'json'],
    [undefined, text('comment,age\n'), 'csv'],
    ['upload', text('comment,age\n'), 'csv'],
  ])('%s → %s', (name, head, expected) => {
    expect(detectFormat(name, head)).toBe(expected);
  });

  it.each([
    ['legacy.xls', OLE, 'unsupported_format', /save it as .xlsx/],
    ['legacy.csv', OLE, 'unsupported_format', /97-2003/],
    ['report.pdf', text('%PDF-1.7'), 'unsupported_format', /PDF/],
    ['sheet.ods', ZIP, 'unsupported_format', /OpenDocument/],
    ['notes.docx', ZIP, 'unsupported_format', /Word/],
    ['photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'unsupported_format', /\.png/],
    ['fake.xlsx', text('comment,age\n'), 'unreadable_file', /not an Excel workbook/],
    ['empty.xlsx', Buffer.alloc(0), 'empty_file', /empty/],
    ['empty.csv', Buffer.alloc(0), 'empty_file', /empty/],
  ])('%s is refused with %s', (name, head, code, message) => {
    expect(() => detectFormat(name, head)).toThrow(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });
});
