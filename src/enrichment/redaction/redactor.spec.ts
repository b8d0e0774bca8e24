import { isValidNhsNumber, isValidNiPrefix } from './identifiers';
import { redact, redactField, redactFileName } from './redactor';

describe('redact', () => {
  it.each([
    ['NHS number 401 023 2137 please', 'NHS number [NHS_NUMBER] please'],
    ['nhs no 4010232137', 'nhs no [NHS_NUMBER]'],
    ['my NHS number is 401-023-2137.', 'my NHS number is [NHS_NUMBER].'],
    ['email jo.bloggs@example.co.uk today', 'email [EMAIL] today'],
    ['call 07700 900123 or +44 20 7946 0018', 'call [PHONE] or [PHONE]'],
    ['landline (01632) 960 234', 'landline [PHONE]'],
    ['numbers:01632 960234,07700 900123', 'numbers:[PHONE],[PHONE]'],
    ['ring me.07700 900123', 'ring me.[PHONE]'],
    ['it cost 1,000 000 000 pounds', 'it cost 1,000 000 000 pounds'],
    [
      'ref 5787860b-d061-4577-975a-e912867ff545 kept',
      'ref 5787860b-d061-4577-975a-e912867ff545 kept',
    ],
    ['NI number JG 10 37 29 B', 'NI number [NI_NUMBER]'],
    ['I live at ME10 4DD', 'I live at [POSTCODE]'],
    ['DOB 12/03/1954', 'DOB [DATE_OF_BIRTH]'],
    ['born on 3rd May 1950 in Deal', 'born on [DATE_OF_BIRTH] in Deal'],
    ['Dr Patel was kind', 'Dr [NAME] was kind'],
    ['Dr. Amir Khan listened', 'Dr. [NAME] listened'],
    ['Nurse Julie and Sister Mary', 'Nurse [NAME] and Sister [NAME]'],
    ["Mrs O'Brien and Mr Smith-Jones", 'Mrs [NAME] and Mr [NAME]'],
    ['Doctor Ng called', 'Doctor [NAME] called'],
    ['the receptionist called Sharon was rude', 'the receptionist called [NAME] was rude'],
    ['my consultant, Mr Ahmed, was late', 'my consultant, Mr [NAME], was late'],
    ['I live at 14 Station Road now', 'I live at [ADDRESS] now'],
    ['Flat 3, 22 High Street, Sittingbourne', '[ADDRESS], Sittingbourne'],
    ['my name is john smith and I waited', 'my name is [NAME] and I waited'],
    ["Name: Jo Bloggs. Her son's name is Callum.", "Name: [NAME]. Her son's name is [NAME]."],
    [
      'my daughter Sophie and my carer, Mohammed Al-Farsi',
      'my daughter [NAME] and my carer, [NAME]',
    ],
    ['The receptionist Sharon was rude', 'The receptionist [NAME] was rude'],
    ['Thank you Trevor, Sally & Demi!', 'Thank you [NAME], [NAME] & [NAME]!'],
    ['Natasha and Dr Hartwell, Dianne and Mark', '[NAME] and Dr [NAME], [NAME] and [NAME]'],
    ['CPN Faye listened', 'CPN [NAME] listened'],
    ["I'm Mary-Jane O'Connor. Contact: Sue Day", "I'm [NAME]. Contact: [NAME]"],
    ['post to ME10\u00a04DD or CT1  3NG', 'post to [POSTCODE] or [POSTCODE]'],
  ])('redacts %j', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it.each([
    'Took 10mg on ward 7 for 2 hours in 2019.',
    'Call 111, or 999 in an emergency; the 0800 line was engaged.',
    'A&E at 10:30, parking £20, bed 12.',
    'Practice G82001 and trust RN7.',
    'I had a Dr appointment with the doctor, not the GP.',
    'Nurse was kind. The Ward Sister was busy. My son loved the Mr Men.',
    'Services in CT9 and in ME10 are stretched.',
    'Order number 4010232137 never arrived.',
    'Eventually the nurse came. Sadly the doctor left.',
    'I was born in 1956 in Margate.',
    'Thank you Darent Valley Hospital, and thanks to the Health Centre.',
    'My name is on the list; the name was spelt wrong. I am called back weekly.',
    "My mum has Alzheimer's, my dad Parkinson's.",
    'Our GP Surgery is closing. Thank You For The Care. The receptionist Told me.',
    "I am Black British, I'm Deaf and I am Type 2 diabetic. Contact: the surgery.",
    'Contact: me via the ward. Contact: email only.',
  ])('leaves %j untouched', (input) => {
    const r = redact(input);
    expect(r.text).toBe(input);
    expect(r.entities).toEqual([]);
    expect(r.needsReview).toBe(false);
  });

  it('reports original offsets, counts and postcode districts without the values', () => {
    const input = 'Dr Patel, ME10 4DD and CT9 1XY, NHS 401 023 2137, Dr Khan';
    const r = redact(input);
    expect(r.text).toBe('Dr [NAME], [POSTCODE] and [POSTCODE], NHS [NHS_NUMBER], Dr [NAME]');
    expect(r.entities.map((e) => input.slice(e.start, e.end))).toEqual([
      'Patel',
      'ME10 4DD',
      'CT9 1XY',
      '401 023 2137',
      'Khan',
    ]);
    expect(r.summary).toEqual({ NAME: 2, POSTCODE: 2, NHS_NUMBER: 1 });
    expect(r.postcodeDistricts).toEqual(['ME10', 'CT9']);
    expect(r.needsReview).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/Patel|4DD|1XY|2137|Khan/);
  });

  it('flags for review only when names or addresses were redacted', () => {
    expect(redact('call 07700 900123').needsReview).toBe(false);
    expect(redact('at 14 Station Road').needsReview).toBe(true);
  });

  it('rejects an NHS-shaped number that fails the modulus-11 check', () => {
    expect(redact('NHS number 401 023 2138').text).toBe('NHS number 401 023 2138');
  });
});

describe('redactField', () => {
  it.each([
    ['9434765919', '[NHS_NUMBER]'],
    ['ref 9434765919', 'ref [NHS_NUMBER]'],
    ['HW-9434765919', 'HW-[NHS_NUMBER]'],
    ['order 9434765919', 'order [NHS_NUMBER]'],
    ['9434765918', '9434765918'],
    ['HW-2024-0001', 'HW-2024-0001'],
    ['jane.doe@example.com 07700 900123', '[EMAIL] [PHONE]'],
    ['Maternity listening events, spring 2025', 'Maternity listening events, spring 2025'],
  ])('%s -> %s', (input, expected) => {
    expect(redactField(input)).toBe(expected);
  });

  it('takes a bare NHS number that free text leaves alone (no wording around it)', () => {
    expect(redact('ref 9434765919').text).toBe('ref 9434765919');
  });

  it.each([
    ['feedback 9434765919.csv', 'feedback [NHS_NUMBER].csv'],
    ['jane.doe@example.com.xlsx', '[EMAIL].xlsx'],
    ['spring survey.csv', 'spring survey.csv'],
    ['no extension 9434765919', 'no extension [NHS_NUMBER]'],
  ])('file name %s -> %s', (input, expected) => {
    expect(redactFileName(input)).toBe(expected);
  });
});

describe('identifier rules', () => {
  it.each([
    ['4010232137', true],
    ['4010232138', false],
    ['1111111111', false],
    ['401023213', false],
  ])('NHS number %s valid: %s', (digits, valid) => {
    expect(isValidNhsNumber(digits)).toBe(valid);
  });

  it.each([
    ['JG', true],
    ['AB', true],
    ['DA', false],
    ['AO', false],
    ['QQ', false],
    ['GB', false],
    ['NK', false],
    ['TN', false],
    ['ZZ', false],
  ])('NI prefix %s valid: %s', (prefix, valid) => {
    expect(isValidNiPrefix(prefix)).toBe(valid);
  });
});

describe('redact: first names with no cue word', () => {
  it.each([
    // The shapes reported from the published phase-1 comments.
    [
      'Lisa the activities coordinator ran a quiz.',
      '[NAME] the activities coordinator ran a quiz.',
    ],
    ['Both nurses, Alex & Rachel, were kind.', 'Both nurses, [NAME] & [NAME], were kind.'],
    ['Sophie was great with my son.', '[NAME] was great with my son.'],
    ['DR PATEL WAS VERY RUDE TO MY HUSBAND.', 'DR [NAME] WAS VERY RUDE TO MY HUSBAND.'],
    ['nurse julie was lovely and so patient', 'nurse [NAME] was lovely and so patient'],
    // Further shapes of the same gap.
    ['Natasha listens to every worry.', '[NAME] listens to every worry.'],
    ['Mark and Kwame explained it all.', '[NAME] and [NAME] explained it all.'],
    [
      'Grace listened properly and Amber rang back.',
      '[NAME] listened properly and [NAME] rang back.',
    ],
    [
      'Sue has been a great help. Hope was brilliant.',
      '[NAME] has been a great help. [NAME] was brilliant.',
    ],
    [
      'Dawn mental health worker and Gillian the carer were both excellent',
      '[NAME] mental health worker and [NAME] the carer were both excellent',
    ],
    ['Mark T. has been great', '[NAME] T. has been great'],
    [
      'Priya, Kasia and Chidi on reception were kind.',
      '[NAME], [NAME] and [NAME] on reception were kind.',
    ],
    ['Imogen Talbot', '[NAME]'],
    ['Anne-Marie was lovely; the x-ray was quick.', '[NAME] was lovely; the x-ray was quick.'],
    ['Erin & Demi were great', '[NAME] & [NAME] were great'],
    ['WE WERE SEEN BY KAREN ON TUESDAY', 'WE WERE SEEN BY [NAME] ON TUESDAY'],
    ['THANK YOU MRS OKAFOR AND NURSE JULIE', 'THANK YOU MRS [NAME] AND NURSE [NAME]'],
    ['the receptionist sharon was rude', 'the receptionist [NAME] was rude'],
    [
      'my daughter sophie waited and my nurse, tina, helped',
      'my daughter [NAME] waited and my nurse, [NAME], helped',
    ],
    ['thank you natasha', 'thank you [NAME]'],
    [
      'sophie was great. nadia and tina were brilliant',
      '[NAME] was great. [NAME] and [NAME] were brilliant',
    ],
    ['a nurse called julie', 'a nurse called [NAME]'],
    ['My physio is Mark, he is patient', 'My physio is [NAME], he is patient'],
    ['The lady was Oonagh, thank you.', 'The lady was [NAME], thank you.'],
    ['my carer is julie and she is kind', 'my carer is [NAME] and she is kind'],
  ])('redacts %j', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it.each([
    // Words that are names in the data sets, as words.
    'Will the nurse call me back? I will see. Hope Centre gave me hope.',
    'Grace period for parking is ten minutes. By the grace of God.',
    'May I say the care in May was good, and it may get better.',
    'Care was good. Rose garden is lovely. Lane closed. Bill came to £20.',
    'Mark on my arm. Faith restored. Joy all round. Amber warning. Dawn till dusk.',
    'Summer is busy. April was hard. June and August were quiet.',
    'the care was good, a rose in the garden, down the lane, the bill came, mark my words',
    'I will sue, a pat on the back, faith in the NHS, a joy to see, amber light, at dawn',
    'in summer, april showers, june and august were quiet, sue them',
    'the nurse may come later and sister will ring; my daughter will be there',
    'The doctor was Excellent. My GP is Great. The nurse was Marvellous, truly.',
    "Don't know. Ive no complaints. A Christian lady. Happy with the service.",
    // Places of Kent, also ordinary words.
    'Deal is a good deal better than Sandwich, and Sandwich has no pharmacy.',
    'Canterbury, Dover, Deal and Hythe all have minor injuries units.',
    'I was seen in Dover, then in Hythe, then at Deal.',
    // Services, wards and awards named after people.
    'Dr Foster figures put the hospital top. Doctor Foster went to Gloucester.',
    'Marie Curie nurses and the Florence Nightingale Hospice were wonderful.',
    'Florence ward was clean; Edith 2 was full; the Ivy Team came.',
    'Thank you William Harvey Hospital. Queen Elizabeth the Queen Mother Hospital.',
    'Staff at Victoria Hospital, Deal, were kind. St John Ambulance was there.',
    'I nominated her for a Daisy award.',
    // Acronyms that spell names, in mixed case.
    'The DESMOND course and the IRIS team helped; the TED stockings hurt.',
    'DR APPOINTMENTS ARE IMPOSSIBLE AND THE MR MEN BOOKS ARE OLD',
    // Lower case without a cue: capitals are all that could tell a name here.
    'we went to see natasha and then went home',
  ])('leaves %j alone', (input) => {
    expect(redact(input).text).toBe(input);
  });
});
