/**
 * A small, fast language guesser for short feedback. It tells English from the languages Kent
 * and Medway partners most often receive: the writing system settles most of them; Latin-script
 * text is scored on common words and on letters that only some alphabets use.
 */

export interface DetectedLanguage {
  /** ISO 639-1 code, or 'und' when there is nothing to go on. */
  language: string;
  isEnglish: boolean;
}

const LEXICON: Record<string, string> = {
  en: `the a an and or but of to in on at for with from by about as is are was were be been being
    am i me my mine you your he him his she her it its we us our they them their this that these
    those there here what which who whom whose when where why how not no yes very so too also just
    only all any some more most other such than then now still even ever never always can could
    will would should may might must do does did done have has had having get got go went going
    come came said told ask asked call called phone doctor doctors nurse nurses gp hospital
    appointment appointments staff service services care wait waiting waited time times day days
    week weeks hours hour minutes thank thanks thankyou help helpful good great excellent lovely
    kind friendly rude poor bad terrible better worse best worst really well into out up down over
    after before because if while again back see seen saw felt feel made make need needed want
    wanted know knew think thought one two first last long lot lots nothing everything someone
    everyone people patient patients team treatment visit home surgery receptionist clinic ward
    waited listened explained professional quick slow ok okay nice brilliant amazing fault
    anything couldn't improve improved improvement keep same being fine happy caring
    communication information parking food clean quickly friendly efficient polite`,
  pl: `i w na z do nie się to że jest jak ale o co tak po za od przez dla już czy mnie mi mój moja
    moje moim jestem był była było byłem byłam są być ma mam miał miała bardzo dobrze dobry dobra
    źle lekarz lekarza lekarzem szpital szpitalu pielęgniarka pielęgniarki wizyta wizyty wizytę
    czekać czekałem czekałam godzin godziny dni dzień tydzień dziękuję dzięki proszę pomoc pomocy
    nikt nic tylko też także jeszcze kiedy gdzie bo więc który która które tego tej ten ta te tym
    tych ich jego jej nas nam nasz ze we mną przychodni rejestracji recepta receptę zadzwonić
    nigdy zawsze obsługa personel miła miły mąż żona dziecko syn córka można trzeba`,
  ro: `și în la de cu nu pe este sunt am ai a fost o un una mai foarte bine rău doctorul medic
    medicul spital spitalul asistenta programare programarea așteptat așteptare ore ora zile zi
    săptămână mulțumesc vă te mă mi ne ce care cum când unde pentru din după prin fără dar sau că
    să dacă nici doar tot toate toți acest această era eram au avut vreau pot poate trebuie
    nimeni nimic niciodată întotdeauna personalul amabil amabilă copilul soțul soția rețetă
    si in sa ca dupa fara foarte`,
  lt: `ir yra buvo aš man mano jis ji mes jūs jie ne taip labai gerai blogai gydytojas gydytoja
    gydytojo ligoninė ligoninėje slaugytoja registratūra laukti laukiau valandas valandų dienų
    savaitę ačiū prašau su į iš ant be apie kad bet ar kai kur kas tai šis ši tas mus mums jau
    dar tik visada niekada niekas viskas reikia galiu negaliu buvau esu turiu neturiu vaikas vyras
    žmona telefonu receptą mane`,
  lv: `un ir bija es man mans mana viņš viņa mēs jūs viņi nē jā ļoti labi slikti ārsts ārste
    slimnīca slimnīcā māsa gaidīju stundas dienas nedēļu paldies lūdzu ar uz no par ka bet vai
    kad kur kas tas šis šī jau vēl tikai vienmēr nekad neviens viss vajag varu nevaru esmu biju
    bērns vīrs sieva`,
  tr: `ve bir bu da de ile için çok iyi kötü doktor doktoru hastane hastanede hemşire randevu
    bekledim saat gün hafta teşekkür ederim teşekkürler lütfen ben beni bana benim sen o biz siz
    onlar değil var yok ama ne nasıl neden zaman nerede ki gibi daha en her hiç hiçbir kimse şey
    oldu olarak olan çocuk eşim kocam karım reçete yardım yardımcı ilaç çocuğum annem`,
  pt: `e o a os as de do da dos das em no na nos nas um uma com por para não que se é foi são estou
    estava muito bem mal médico médica hospital enfermeira consulta esperar esperei horas dias
    semana obrigado obrigada favor eu me meu minha você ele ela nós eles mas ou quando onde como
    porque também ainda já sempre nunca ninguém nada tudo mais menos atendimento funcionários
    filho filha marido esposa telefone receita tenho tinha fui`,
  es: `y el la los las de del en un una con por para no que se es fue son estoy estaba muy bien mal
    médico médica hospital enfermera cita esperar esperé horas días semana gracias favor yo me mi
    mis usted él ella nosotros ellos pero o cuando donde como porque también todavía ya siempre
    nunca nadie nada todo más menos atención personal hijo hija marido esposa teléfono receta
    tengo tenía fui hay`,
  fr: `et le la les de du des en un une avec pour par ne pas que qui se est était sont suis très
    bien mal médecin docteur hôpital infirmière rendez vous attendre attendu heures jours semaine
    merci plaît je me mon ma mes il elle nous ils mais ou quand où comme parce aussi encore déjà
    toujours jamais personne rien tout plus moins accueil personnel fils fille mari femme
    téléphone ordonnance j'ai c'est au aux dans sur`,
  ku: `û ez min te tu ew em hûn wan ne na erê pir baş xirab doktor nexweşxane nexweşxaneyê hemşîre
    li ji bi di ku bo lê jî heye tune bû dibe dikim kir kirin ê çi çawa çima kengî derê spas
    spasî zarok mêr jin derman roj saet hefte min û`,
  it: `e il lo la i gli le di del della in un una con per non che si è era sono sto molto bene male
    medico ospedale infermiera appuntamento aspettare aspettato ore giorni settimana grazie favore
    io mi mio mia lei lui noi loro ma o quando dove come perché anche ancora già sempre mai
    nessuno niente tutto più meno figlio figlia marito moglie ricetta ho avevo`,
  de: `und der die das den dem ein eine mit für von zu nicht ist war sind bin sehr gut schlecht arzt
    ärztin krankenhaus krankenschwester termin warten gewartet stunden tage woche danke bitte ich
    mich mein meine sie er wir aber oder wenn wo wie weil auch noch schon immer nie niemand nichts
    alles mehr weniger sohn tochter mann frau rezept habe hatte auf im es`,
  sq: `dhe në e të një me për nuk që është ishte janë jam shumë mirë keq mjeku mjek spital spitali
    infermierja takim pritur orë ditë javë faleminderit lutem unë mua im ime ai ajo ne ata por
    ose kur ku si sepse edhe ende tashmë gjithmonë kurrë askush asgjë gjithçka më pak djali vajza
    burri gruaja recetë kam kisha`,
};

/** Letters used by one (or nearly one) of the candidate alphabets. */
const MARKERS: Record<string, string> = {
  pl: 'łżśźńąę',
  ro: 'șşțţă',
  lt: 'ėįųū',
  lv: 'āēģķļņī',
  tr: 'ğı',
  pt: 'ãõ',
  es: 'ñ¿¡',
  fr: 'œèù',
  de: 'ß',
  sq: 'ë',
  ku: 'êîû',
};
const MARKER_LANG = new Map<string, string>();
for (const [lang, letters] of Object.entries(MARKERS)) {
  for (const ch of letters) {
    MARKER_LANG.set(ch, lang);
    MARKER_LANG.set(ch.toUpperCase(), lang);
  }
}

const WORD_LANGS = new Map<string, string[]>();
for (const [lang, text] of Object.entries(LEXICON)) {
  for (const w of text.split(/\s+/)) {
    if (w === '') continue;
    const langs = WORD_LANGS.get(w) ?? [];
    if (!langs.includes(lang)) langs.push(lang);
    WORD_LANGS.set(w, langs);
  }
}

type Script =
  | 'latin'
  | 'devanagari'
  | 'gurmukhi'
  | 'bengali'
  | 'arabic'
  | 'cyrillic'
  | 'greek'
  | 'han'
  | 'kana'
  | 'hangul'
  | 'thai'
  | 'tamil'
  | 'gujarati'
  | 'hebrew'
  | 'ethiopic'
  | 'other';

function scriptOf(cp: number): Script | undefined {
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f)) {
    return cp === 0xd7 || cp === 0xf7 ? undefined : 'latin';
  }
  if (cp < 0x370) return undefined;
  if (cp <= 0x3ff) return 'greek';
  if (cp <= 0x52f) return 'cyrillic';
  if (cp >= 0x590 && cp <= 0x5ff) return 'hebrew';
  if (
    (cp >= 0x600 && cp <= 0x6ff) ||
    (cp >= 0x750 && cp <= 0x77f) ||
    (cp >= 0xfb50 && cp <= 0xfeff)
  ) {
    return 'arabic';
  }
  if (cp >= 0x900 && cp <= 0x97f) return 'devanagari';
  if (cp >= 0x980 && cp <= 0x9ff) return 'bengali';
  if (cp >= 0xa00 && cp <= 0xa7f) return 'gurmukhi';
  if (cp >= 0xa80 && cp <= 0xaff) return 'gujarati';
  if (cp >= 0xb80 && cp <= 0xbff) return 'tamil';
  if (cp >= 0xe00 && cp <= 0xe7f) return 'thai';
  if (cp >= 0x1200 && cp <= 0x139f) return 'ethiopic';
  if (cp >= 0x2000 && cp <= 0x2bff) return undefined;
  if (cp >= 0x3040 && cp <= 0x30ff) return 'kana';
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'han';
  if (cp >= 0xac00 && cp <= 0xd7af) return 'hangul';
  if (cp >= 0x1f000) return undefined;
  return /\p{L}/u.test(String.fromCodePoint(cp)) ? 'other' : undefined;
}

const SCRIPT_LANGUAGE: Partial<Record<Script, string>> = {
  gurmukhi: 'pa',
  bengali: 'bn',
  greek: 'el',
  han: 'zh',
  kana: 'ja',
  hangul: 'ko',
  thai: 'th',
  tamil: 'ta',
  gujarati: 'gu',
  hebrew: 'he',
  // Tigrinya and Amharic share the Ge'ez script; Tigrinya is the one Kent services meet most.
  ethiopic: 'ti',
};

const MAX_SCAN = 400;

function result(language: string): DetectedLanguage {
  return { language, isEnglish: language === 'en' };
}

export function detectLanguage(text: string): DetectedLanguage {
  const sample = text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text;
  const counts = new Map<Script, number>();
  let letters = 0;
  for (const ch of sample) {
    const s = scriptOf(ch.codePointAt(0) ?? 0);
    if (s === undefined) continue;
    letters++;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  if (letters === 0) return result('und');

  let script: Script = 'latin';
  let best = 0;
  for (const [s, n] of counts) {
    if (n > best) {
      script = s;
      best = n;
    }
  }
  if (script === 'latin') return result(latinLanguage(sample));
  if (script === 'arabic') return result(arabicScriptLanguage(sample));
  if (script === 'devanagari') return result(devanagariLanguage(sample));
  if (script === 'cyrillic') return result(cyrillicLanguage(sample));
  return result(SCRIPT_LANGUAGE[script] ?? 'und');
}

function cyrillicLanguage(s: string): string {
  if (/[іїєґ]/i.test(s)) return 'uk';
  if (/[ыэ]/i.test(s)) return 'ru';
  return /ъ/.test(s) ? 'bg' : 'ru';
}

function arabicScriptLanguage(s: string): string {
  // Sorani Kurdish, Urdu and Persian each add letters to the Arabic alphabet.
  if (/[ەۆێڵڕ]/.test(s)) return 'ku';
  if (/[ٹڈڑںےۓ]/.test(s)) return 'ur';
  // Persian and Urdu write yeh and kaf in forms Arabic does not use.
  if (/[پچژگیک]/.test(s)) return 'fa';
  return 'ar';
}

function devanagariLanguage(s: string): string {
  const nepali = (s.match(/छ|हो\b|लाई|भयो|थियो|मेरो|गर्नु|हुन्छ/g) ?? []).length;
  const hindi = (s.match(/है|हैं|नहीं|मेरा|मेरी|में|और|था\b|थी\b/g) ?? []).length;
  return hindi > nepali ? 'hi' : 'ne';
}

function latinLanguage(s: string): string {
  const lower = s.toLowerCase();
  const scores = new Map<string, number>();
  const add = (lang: string, x: number) => scores.set(lang, (scores.get(lang) ?? 0) + x);

  const words = lower.replace(/[‘’]/g, "'").match(/[\p{L}']+/gu) ?? [];
  let englishHits = 0;
  for (const w of words) {
    const langs =
      WORD_LANGS.get(w) ?? (w.includes("'") ? WORD_LANGS.get(w.replace(/'.*$/, '')) : undefined);
    if (!langs) continue;
    if (langs.includes('en')) englishHits++;
    for (const l of langs) add(l, 1 / langs.length);
  }
  const markers = new Map<string, number>();
  for (const ch of lower) {
    if (ch.charCodeAt(0) < 0xa1) continue;
    const lang = MARKER_LANG.get(ch);
    if (lang) markers.set(lang, (markers.get(lang) ?? 0) + 1);
  }
  let markerLang: string | undefined;
  let markerMax = 0;
  for (const [lang, n] of markers) {
    add(lang, 1.5 * Math.min(n, 4));
    if (n > markerMax) {
      markerMax = n;
      markerLang = lang;
    }
  }

  let language = 'en';
  let best = 0;
  for (const [lang, score] of scores) {
    if (score > best) {
      language = lang;
      best = score;
    }
  }
  if (words.length < 3) {
    // Too short to weigh words against each other: only a distinctive letter, or words that are
    // all another language's and none of them English, can overrule English.
    if (markerLang) return markerLang;
    const allForeign = words.every(
      (w) => WORD_LANGS.get(w)?.includes(language) && englishHits === 0,
    );
    return words.length > 0 && best > 0 && allForeign ? language : 'en';
  }
  // One shared little word ("co", "a", "de") is not evidence of another language.
  if (best === 0 || (language !== 'en' && best < 2 && markers.size === 0)) {
    return /[\u00c0-\u024f]/.test(s) ? 'und' : 'en';
  }
  return language;
}
