/**
 * Invented wording for synthetic feedback. Every sentence here was written for the demo: none is
 * taken from a real comment, and none names a real person.
 *
 * Slots in braces are filled per row: {town} the row's own town, {away} any other town, {staff} a
 * member of staff, {relative} a family member, {mins} {hours} {weeks} {months} lengths of time,
 * {day} a day of the week. A capitalised slot name ({Staff}) capitalises the value, for slots that
 * open a sentence.
 */

export interface ThemePhrases {
  /** The area of the national patient experience framework the sentences speak to. */
  theme: string;
  /** Relative share of comments about this theme. */
  weight: number;
  services: readonly string[];
  positive: readonly string[];
  negative: readonly string[];
}

export const THEMES: readonly ThemePhrases[] = [
  {
    theme: 'access and appointments',
    weight: 12,
    services: ['GP surgery', 'GP practice', 'Doctors surgery'],
    positive: [
      'Got a GP appointment the same day, which I did not expect.',
      'I rang first thing and was seen by lunchtime.',
      'Booking a follow-up was quick and the appointment ran on time.',
      'The surgery in {town} always finds me an appointment when my asthma flares up.',
      'Easy to get a telephone appointment and the doctor called back when they said they would.',
    ],
    negative: [
      'It is impossible to get an appointment, you ring at 8am and by five past they are all gone.',
      'I was told to ring back tomorrow three days in a row.',
      'The next routine appointment was {weeks} away.',
      'You cannot book ahead any more, it is ring on the day or nothing.',
      'I have given up trying to see the same doctor twice.',
      'Had to wait {weeks} for a blood test appointment.',
    ],
  },
  {
    theme: 'GP reception',
    weight: 7,
    services: ['GP surgery', 'GP practice'],
    positive: [
      'The receptionist was patient with me and explained what to do next.',
      'Reception staff at the surgery are friendly and remember my name.',
      'The lady on reception sorted out my repeat prescription in minutes.',
    ],
    negative: [
      'The receptionist asked me why I wanted to see a doctor in front of a full waiting room.',
      'Reception were abrupt and made me feel like a nuisance.',
      'The receptionist told me "there is nothing I can do" and put the phone down.',
      'I was number 27 in the phone queue and got cut off after {mins}.',
    ],
  },
  {
    theme: 'staff attitude',
    weight: 12,
    services: ['Hospital ward', 'Outpatients', 'Community nursing', 'Emergency department'],
    positive: [
      '{Staff} was kind, caring and took time to listen.',
      'All the staff were lovely, nothing was too much trouble.',
      'The nurses on the ward were amazing with {relative}.',
      'Really friendly team, they put me at ease straight away.',
      '{Staff} held my hand the whole time, I will never forget that.',
    ],
    negative: [
      '{Staff} was rude and dismissive.',
      'Some of the staff were chatting among themselves and ignored the call bell.',
      'I felt rushed, like I was wasting their time.',
      'Nobody introduced themselves and I did not know who was who.',
    ],
  },
  {
    theme: 'communication',
    weight: 9,
    services: ['Outpatients', 'Hospital ward', 'GP surgery'],
    positive: [
      'Everything was explained clearly and I could ask questions.',
      'The consultant explained my results in plain English.',
      'They kept {relative} and me updated every step of the way.',
      'I got a letter with all the information I needed before the appointment.',
    ],
    negative: [
      'Nobody told us what was happening for hours.',
      'I got three different answers from three different people.',
      'My letter arrived the day after the appointment.',
      'The doctor used a lot of jargon and did not check I understood.',
      'We were not involved in any decisions about the care of {relative}.',
    ],
  },
  {
    theme: 'waiting times',
    weight: 9,
    services: ['Outpatients', 'Hospital clinic', 'Physiotherapy'],
    positive: [
      'Seen on time, in and out in {mins}.',
      'Short wait and the clinic ran to time.',
      'The wait was shorter than I expected.',
    ],
    negative: [
      'Waited {mins} past my appointment time with no explanation.',
      'The clinic was running {mins} late and nobody told us.',
      'I have been on the waiting list for {months} for a hip operation.',
      '{Months} waiting for a referral, and still no date.',
    ],
  },
  {
    theme: 'environment and parking',
    weight: 7,
    services: ['Hospital', 'Outpatients', 'Hospital ward'],
    positive: [
      'Plenty of parking and the signs were easy to follow.',
      'The new waiting area is bright and comfortable.',
      'The ward was spotless and quiet at night.',
      'Lovely clean building, and the café was open.',
    ],
    negative: [
      'Parking is a nightmare, I drove round for {mins} looking for a space.',
      'The car park machines only take coins, and the sign says "pay by app" but there is no signal.',
      'The toilets were dirty and there was no soap.',
      'The ward was too hot and noisy, I barely slept.',
      'The food was cold by the time it reached me.',
    ],
  },
  {
    theme: 'medication and pharmacy',
    weight: 6,
    services: ['Community pharmacy', 'Pharmacy', 'GP surgery'],
    positive: [
      'The pharmacist in {town} explained how to take my new tablets.',
      'My repeat prescription was ready the next day.',
      'The pharmacy sorted out a minor infection so I did not need the GP.',
    ],
    negative: [
      'My prescription was not sent over so I went without my medication for three days.',
      'The pharmacy never has my medication in stock.',
      'Queued for {mins} at the pharmacy to be told to come back tomorrow.',
      'Nobody explained the side effects of the new medication.',
      'Pain relief on the ward came hours late.',
    ],
  },
  {
    theme: 'discharge and coordination',
    weight: 6,
    services: ['Hospital ward', 'Community services', 'Social care'],
    positive: [
      'Discharge was well organised and the district nurses came the next day.',
      'The care package was in place before {relative} came home.',
      'The GP already had the hospital letter when I called.',
    ],
    negative: [
      'Waited all day for discharge medication to come up from pharmacy.',
      '{Relative} was sent home at 11pm with no care arranged.',
      'The hospital and the GP each said it was the other one’s job.',
      'I had to repeat my whole history to every new person.',
      'Discharged with no follow-up plan and no idea who to call.',
    ],
  },
  {
    theme: 'dignity and respect',
    weight: 5,
    services: ['Hospital ward', 'Emergency department', 'Care home'],
    positive: [
      'I was treated with dignity and respect throughout.',
      'They drew the curtains and made sure I was covered, small things that matter.',
      'Staff spoke to {relative} directly, not just to me, which meant a lot.',
    ],
    negative: [
      'I was left on a trolley in the corridor for everyone to see.',
      '{Relative} was left in a wet bed for over an hour.',
      'They talked about me as if I was not there.',
      'My walking frame was moved out of reach and I could not get to the toilet.',
    ],
  },
  {
    theme: 'digital access',
    weight: 5,
    services: ['GP surgery', 'NHS App', 'Online consultation'],
    positive: [
      'The NHS App makes ordering prescriptions really easy.',
      'The online form got me a call back within the hour.',
      'Video appointment worked well and saved me taking time off work.',
    ],
    negative: [
      'The online form closes at 10am and then you are told to try tomorrow.',
      'I do not have a smartphone and everything is online now.',
      'The NHS App kept logging me out and I could not see my test results.',
      '{Relative} is in their eighties and cannot use online forms, so just goes without.',
      'Text messages with links, but no way to reply or ask a question.',
    ],
  },
  {
    theme: 'cost of living',
    weight: 4,
    services: ['GP surgery', 'Community pharmacy', 'Hospital'],
    positive: [
      'The advice worker at the surgery helped me apply for help with heating costs.',
      'Free prescriptions made a real difference while I was out of work.',
    ],
    negative: [
      'I cannot afford the bus fare to the hospital every week.',
      'Paying for three prescriptions a month is more than I can manage.',
      'We are choosing between heating and eating, and the cold is making my chest worse.',
      'I had to take unpaid leave to get to a clinic that only runs in the daytime.',
      'Parking charges at the hospital are a tax on the sick.',
    ],
  },
  {
    theme: 'transport',
    weight: 4,
    services: ['Hospital', 'Patient transport', 'Outpatients'],
    positive: [
      'Patient transport picked me up on time and the driver was very helpful.',
      'The shuttle bus from {town} to the hospital is a lifesaver.',
    ],
    negative: [
      'There is no bus from {town} that gets you to an early appointment.',
      'The taxi to the hospital cost me £38 each way.',
      'Patient transport did not turn up and I missed my appointment.',
      'Sent to {away} for a scan when there is a hospital ten minutes from me.',
    ],
  },
  {
    theme: 'carers',
    weight: 4,
    services: ['Carers support', 'Community services', 'Hospital ward'],
    positive: [
      'As a carer for {relative} I finally feel listened to.',
      'The carers group in {town} has been a lifeline.',
      'Staff asked me, as the carer, what {relative} likes and needs.',
    ],
    negative: [
      'Nobody asks the carer how they are coping.',
      'I care for {relative} full time and have not had a break in two years.',
      'Visiting times do not work for carers who also have a job.',
      'I was not told about the carer’s assessment until a friend mentioned it.',
    ],
  },
  {
    theme: 'children and young people',
    weight: 5,
    services: ['Children’s ward', 'CAMHS', 'School nursing', 'Health visiting'],
    positive: [
      'The children’s ward was brilliant, they made my son feel safe.',
      'The play specialist kept my daughter calm during her blood test.',
      'The health visitor was supportive and never judged me.',
    ],
    negative: [
      'My daughter has waited {months} for an autism assessment.',
      'CAMHS said my son was not unwell enough to be seen.',
      'There was nowhere for teenagers to wait except with small children.',
      'The school nurse service seems to have disappeared.',
    ],
  },
  {
    theme: 'mental health',
    weight: 6,
    services: ['Mental health team', 'Talking therapies', 'Crisis service'],
    positive: [
      'The talking therapies course gave me tools I still use.',
      'The crisis team came out the same day and stayed with me.',
      'My care coordinator is brilliant and always calls back.',
    ],
    negative: [
      'I was told to go to A&E if I felt unsafe, then waited {hours} in A&E.',
      'Six sessions of therapy is not enough for what I have been through.',
      'I have had four different care coordinators this year.',
      'Nobody followed up after I was discharged from the mental health team.',
      'The doctor said it was "just anxiety" and sent me away.',
    ],
  },
  {
    theme: 'dental',
    weight: 5,
    services: ['Dental practice', 'NHS dentist'],
    positive: [
      'Finally found an NHS dentist in {town}, and they are excellent.',
      'The dentist was gentle and explained everything.',
    ],
    negative: [
      'No NHS dentist for miles around {town} is taking on adults.',
      'I have been on the dental waiting list for {months}.',
      'I was told I could be seen privately next week or on the NHS next year.',
      'My son needs fillings and we cannot find a dentist for him.',
      'Pulled my own tooth because I could not get an emergency dental appointment.',
    ],
  },
  {
    theme: 'maternity',
    weight: 4,
    services: ['Maternity unit', 'Midwifery', 'Antenatal clinic'],
    positive: [
      'The midwives were wonderful, calm and reassuring throughout my labour.',
      'I saw the same community midwife at every appointment, which made such a difference.',
      'Breastfeeding support on the ward was really good.',
    ],
    negative: [
      'I was sent home twice in labour and told I was not far enough along.',
      'My partner was sent home at night and I was left alone with a newborn.',
      'Nobody checked on me after my caesarean until the morning.',
      'I saw a different midwife every time and repeated my story each visit.',
    ],
  },
  {
    theme: 'NHS 111',
    weight: 4,
    services: ['NHS 111', '111 online'],
    positive: [
      '111 got me an out-of-hours appointment within two hours.',
      'The 111 call handler was calm and knew exactly what to ask.',
    ],
    negative: [
      'Waited {hours} for a call back from 111 for a poorly baby.',
      '111 just told me to go to A&E, which I already knew.',
      'The 111 questions went on and on, none of them relevant.',
    ],
  },
  {
    theme: 'A&E',
    weight: 8,
    services: ['Emergency department', 'A&E', 'Urgent treatment centre', 'Ambulance service'],
    positive: [
      'A&E was busy but I was seen quickly and the staff were brilliant.',
      'The urgent treatment centre in {town} was quick and efficient.',
      'The paramedics were reassuring and the handover was smooth.',
    ],
    negative: [
      'Waited {hours} in A&E with a broken wrist.',
      '{Relative} spent the night on a chair in the emergency department.',
      'The ambulance took {hours} to arrive.',
      'There was no water and nowhere to sit in the ED waiting room.',
    ],
  },
];

/** Complete comments of three to eight words, the most common kind of real answer. */
export const SHORT_POSITIVE: readonly string[] = [
  'Very good service.',
  'All good thanks.',
  'Excellent care, thank you.',
  'Staff were lovely.',
  'Quick and efficient.',
  'Nothing to improve.',
  'Could not fault anything.',
  'Really happy with everything.',
  'Friendly and helpful staff.',
  'Great service as always.',
  'Seen on time, very pleased.',
  'Kind, caring and professional staff.',
];

export const SHORT_NEGATIVE: readonly string[] = [
  'Too long to wait.',
  'Poor communication throughout.',
  'Not happy at all.',
  'Parking is terrible.',
  'Cannot get an appointment.',
  'Rude receptionist again.',
  'Nobody called me back.',
  'Waited far too long.',
  'Need more staff on wards.',
];

export const SHORT_NEUTRAL: readonly string[] = [
  'Nothing else to add.',
  'No comment really.',
  'Not sure, it was fine.',
  'It was OK I suppose.',
];

export const OPENERS: readonly string[] = [
  'I have used this service for a few years now.',
  'I live in {town} and use the local surgery.',
  'I am writing on behalf of {relative}.',
  'This was my first visit.',
  'I have a long-term condition so I am in and out a lot.',
  'We moved to {town} last year.',
  'I went along on a {day} with {relative}.',
];

export const POSITIVE_CLOSERS: readonly string[] = [
  'Thank you to everyone involved.',
  'Please pass on my thanks.',
  'Keep up the good work.',
  'I would recommend it to anyone.',
];

export const NEGATIVE_CLOSERS: readonly string[] = [
  'Something needs to change.',
  'It should not be this hard.',
  'I hope this feedback helps.',
  'I have complained before and nothing happened.',
];

/** Lead-ins that turn the second half of a mixed comment; the sentence after is lower-cased. */
export const CONTRAST_STARTERS: readonly string[] = [
  'However, ',
  'But ',
  'Having said that, ',
  'Sadly, ',
  'On the downside, ',
];

export const SLOT_VALUES = {
  staff: [
    'the nurse',
    'the receptionist',
    'the doctor',
    'the paramedic',
    'the pharmacist',
    'the midwife',
    'the healthcare assistant',
    'the consultant',
    'the physio',
  ],
  relative: [
    'my mum',
    'my dad',
    'my husband',
    'my wife',
    'my son',
    'my daughter',
    'my partner',
    'my nan',
    'my grandad',
  ],
  mins: ['20 minutes', '40 minutes', 'nearly an hour', 'over an hour', 'an hour and a half'],
  hours: ['four hours', 'six hours', 'nine hours', 'twelve hours', 'all night'],
  weeks: ['two weeks', 'three weeks', 'a month', 'six weeks', 'two months'],
  months: ['eight months', 'over a year', '18 months', 'two years', 'nearly three years'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
} as const;

export type SlotName = keyof typeof SLOT_VALUES | 'town' | 'away';

/** Comments in the community languages most often met in Kent and Medway feedback. */
export const NON_ENGLISH = {
  pl: [
    'Bardzo miła pielęgniarka, wszystko dokładnie wyjaśniła.',
    'Czekałam trzy tygodnie na wizytę u lekarza.',
    'Nie mogłem się dodzwonić do przychodni, linia ciągle zajęta.',
    'Nie było tłumacza i nie rozumiałam, co mówi lekarz.',
    'Dobra opieka na oddziale, dziękuję.',
  ],
  ro: [
    'Personalul a fost foarte amabil și m-a ajutat mult.',
    'Am așteptat patru ore la urgențe cu copilul bolnav.',
    'Nu am avut interpret și nu am înțeles tratamentul.',
    'Este foarte greu să obții o programare la medic.',
    'Mulțumesc pentru îngrijirea bună.',
  ],
  ne: [
    'डाक्टर र नर्सहरू धेरै राम्रो हुनुहुन्थ्यो।',
    'अपोइन्टमेन्ट पाउन तीन हप्ता कुर्नुपर्‍यो।',
    'दोभाषे थिएन, मैले केही बुझिनँ।',
    'फार्मेसीमा मेरो औषधि पाइएन।',
    'सेवा राम्रो छ, धन्यवाद।',
  ],
} as const;

/** Misspellings people really make, applied to a small share of comments. */
export const TYPOS: ReadonlyArray<readonly [string, string]> = [
  ['appointment', 'apointment'],
  ['receptionist', 'recepshionist'],
  ['prescription', 'perscription'],
  ['definitely', 'definately'],
  ['received', 'recieved'],
  ['waiting', 'wating'],
  ['hospital', 'hosptial'],
  ['doctor', 'docter'],
  ['because', 'becuase'],
  ['really', 'realy'],
  ['explained', 'explaned'],
  ['medication', 'medicaton'],
  ['pharmacy', 'pharmacey'],
];

export const QUESTIONS = {
  good: 'What was good about your visit?',
  better: 'What could we do better?',
  else: 'Is there anything else you would like to tell us?',
  overall: 'Please tell us about your experience.',
} as const;

/**
 * Towns for the text and the location column. Each must be a place or district the bank's place
 * data knows, so the generator can keep a row's town, district and postcode consistent.
 */
export const MAIN_TOWNS: readonly string[] = [
  'Gravesend',
  'Margate',
  'Sittingbourne',
  'Chatham',
  'Maidstone',
  'Ashford',
  'Dover',
  'Folkestone',
  'Canterbury',
  'Tunbridge Wells',
  'Dartford',
  'Swanley',
  'Sevenoaks',
  'Tonbridge',
  'Deal',
  'Sheerness',
  'Ramsgate',
  'Whitstable',
  'Rochester',
  'Gillingham',
  'Strood',
  'Faversham',
  'Herne Bay',
  'Broadstairs',
  'Hythe',
  'Snodland',
  'West Malling',
  'Edenbridge',
  'Cranbrook',
  'Tenterden',
  'Sandwich',
  'Northfleet',
];

// Demographic answers as they arrive in partners' files: mixed case, codes, bands and blanks.
// The numbers are relative weights.

export const SEX_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['Female', 30],
  ['Male', 22],
  ['F', 6],
  ['M', 5],
  ['female', 4],
  ['male', 3],
  ['Woman', 2],
  ['Prefer not to say', 3],
  ['Intersex', 0.3],
  ['Other', 0.5],
  ['N/K', 1],
];

export const GENDER_ANSWERS = {
  female: ['Woman', 'Female', 'woman', 'Same as sex registered at birth'],
  male: ['Man', 'Male', 'man', 'Same as sex registered at birth'],
  other: ['Non-binary', 'Trans woman', 'Trans man', 'Prefer to self-describe', 'Genderfluid'],
  none: ['Prefer not to say', 'N/K', '-'],
} as const;

export const ETHNICITY_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['White British', 40],
  ['White: English, Welsh, Scottish, Northern Irish or British', 12],
  ['white british', 3],
  ['WB', 2],
  ['White - Other', 4],
  ['White: Irish', 1],
  ['White: Gypsy or Irish Traveller', 0.6],
  ['White: Roma', 0.4],
  ['Polish', 1],
  ['Asian or Asian British: Indian', 3],
  ['Asian or Asian British: Pakistani', 1],
  ['Asian or Asian British: Bangladeshi', 0.6],
  ['Asian or Asian British: Chinese', 0.7],
  ['Nepali', 1],
  ['Asian - other', 0.8],
  ['Black or Black British: African', 2],
  ['Black or Black British: Caribbean', 0.8],
  ['Black British', 0.6],
  ['Mixed: White and Black Caribbean', 0.7],
  ['Mixed: White and Asian', 0.6],
  ['Mixed/multiple ethnic groups', 0.5],
  ['Other ethnic group: Arab', 0.4],
  ['Any other ethnic group', 0.5],
  ['Prefer not to say', 5],
  ['N/K', 3],
  ['Not stated', 2],
];

export const DISABILITY_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['No', 50],
  ['Yes', 18],
  ['N', 4],
  ['Y', 3],
  ['Yes - mobility', 2],
  ['Yes, long-term condition', 2],
  ['Prefer not to say', 4],
  ['Don’t know', 1],
  ['N/K', 2],
];

export const CARER_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['No', 55],
  ['Yes', 14],
  ['Unpaid carer', 2],
  ['no', 4],
  ['yes', 2],
  ['Prefer not to say', 3],
  ['N/K', 2],
];

export const SEXUAL_ORIENTATION_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['Heterosexual', 30],
  ['Straight', 8],
  ['Heterosexual/Straight', 10],
  ['Gay or Lesbian', 2],
  ['Gay', 1],
  ['Lesbian', 0.8],
  ['Bisexual', 1.5],
  ['Other', 0.5],
  ['Prefer not to say', 10],
  ['N/K', 4],
];

export const RELIGION_ANSWERS: ReadonlyArray<readonly [string, number]> = [
  ['No religion', 28],
  ['None', 8],
  ['Christian', 26],
  ['Christianity', 4],
  ['C of E', 2],
  ['Catholic', 2],
  ['Muslim', 3],
  ['Hindu', 2],
  ['Sikh', 1.5],
  ['Buddhist', 0.8],
  ['Jewish', 0.5],
  ['Any other religion', 0.7],
  ['Prefer not to say', 8],
  ['N/K', 2],
];

export const RATINGS = {
  positive: ['Very good', 'Good', '1', '2', 'Extremely likely', 'Likely'],
  negative: ['Poor', 'Very poor', '5', '6', 'Unlikely', 'Extremely unlikely'],
  mixed: ['Neither good nor poor', 'Good', 'Poor', '3', '4', 'Don’t know'],
} as const;

/** Fictional people for the optional identifiers that exercise redaction. */
export const FICTIONAL_FIRST_NAMES: readonly string[] = [
  'alex',
  'sam',
  'jo',
  'chris',
  'pat',
  'robin',
  'morgan',
  'charlie',
  'jamie',
  'frankie',
];

export const FICTIONAL_SURNAMES: readonly string[] = [
  'Ashdown',
  'Brightwell',
  'Copperfield',
  'Dunmore',
  'Elmstead',
  'Fairweather',
  'Greenholt',
  'Hartwell',
  'Inchbold',
  'Kestrel',
  'Larkspur',
  'Mossley',
];
