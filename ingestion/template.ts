import * as ExcelJS from 'exceljs';

export interface TemplateColumn {
  name: string;
  required: boolean;
  description: string;
  example: [string, string];
}

/**
 * The generic upload template. Every name is an alias the generic profile knows, so a filled-in
 * template maps without a column map. Example rows are invented.
 */
export const GENERIC_TEMPLATE_COLUMNS: readonly TemplateColumn[] = [
  {
    name: 'comment',
    required: true,
    description: 'The feedback in the person’s own words. One comment per row; keep line breaks.',
    example: [
      'The receptionist was kind but I waited 40 minutes past my appointment.',
      'Easy to park, and the café was open late.',
    ],
  },
  {
    name: 'question',
    required: false,
    description: 'The question the comment answers, if any (e.g. "What could we do better?").',
    example: ['What could we do better?', 'What was good about your visit?'],
  },
  {
    name: 'reference',
    required: false,
    description:
      'Your own unique id for the row; re-uploads with the same reference update rather than duplicate.',
    example: ['HW-2024-0001', 'HW-2024-0002'],
  },
  {
    name: 'date',
    required: false,
    description: 'When the feedback was given: dd/mm/yyyy or yyyy-mm-dd.',
    example: ['03/03/2024', '2024-03-14'],
  },
  {
    name: 'postcode',
    required: false,
    description: 'Full or partial postcode; only the postcode district is kept.',
    example: ['ME14 1AA', 'CT1'],
  },
  {
    name: 'service',
    required: false,
    description: 'The service or provider the comment is about.',
    example: ['GP surgery', 'Emergency department'],
  },
  {
    name: 'location',
    required: false,
    description: 'Where the service was, or where the feedback was collected.',
    example: ['Maidstone', 'Margate'],
  },
  {
    name: 'gp practice code',
    required: false,
    description: 'ODS code of the GP practice, if known.',
    example: ['Z99999', ''],
  },
  {
    name: 'age band',
    required: false,
    description: 'Age band, e.g. 18-24, 25-34 … 85+.',
    example: ['35-44', '75-84'],
  },
  {
    name: 'sex',
    required: false,
    description: 'Sex: female, male, prefer not to say.',
    example: ['Female', 'Male'],
  },
  {
    name: 'gender',
    required: false,
    description: 'Gender identity as the person described it.',
    example: ['Woman', 'Prefer not to say'],
  },
  {
    name: 'ethnicity',
    required: false,
    description: 'Ethnic group (2021 Census categories preferred).',
    example: ['White British', 'Asian or Asian British: Indian'],
  },
  {
    name: 'disability',
    required: false,
    description: 'Yes, no, or prefer not to say.',
    example: ['No', 'Yes'],
  },
  {
    name: 'carer',
    required: false,
    description: 'Is the person an unpaid carer? Yes, no, or prefer not to say.',
    example: ['Yes', 'No'],
  },
  {
    name: 'sexual orientation',
    required: false,
    description: 'Sexual orientation, if collected.',
    example: ['Heterosexual', 'Prefer not to say'],
  },
  {
    name: 'religion',
    required: false,
    description: 'Religion or belief, if collected.',
    example: ['No religion', 'Christian'],
  },
  {
    name: 'rating',
    required: false,
    description: 'Any rating given with the comment (e.g. FFT 1-6 or "Very good").',
    example: ['Poor', 'Very good'],
  },
];

export function templateCsv(): string {
  const rows = [
    GENERIC_TEMPLATE_COLUMNS.map((c) => c.name),
    GENERIC_TEMPLATE_COLUMNS.map((c) => c.example[0]),
    GENERIC_TEMPLATE_COLUMNS.map((c) => c.example[1]),
  ];
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Feedback');
  sheet.addRow(GENERIC_TEMPLATE_COLUMNS.map((c) => c.name)).font = { bold: true };
  sheet.addRow(GENERIC_TEMPLATE_COLUMNS.map((c) => c.example[0]));
  sheet.addRow(GENERIC_TEMPLATE_COLUMNS.map((c) => c.example[1]));
  sheet.columns.forEach((column, i) => {
    column.width = i === 0 ? 60 : 22;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const guide = workbook.addWorksheet('Guidance');
  guide.addRow(['column', 'required', 'description']).font = { bold: true };
  for (const c of GENERIC_TEMPLATE_COLUMNS)
    guide.addRow([c.name, c.required ? 'yes' : 'no', c.description]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
