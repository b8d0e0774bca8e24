import { detectLanguage } from './language-detector';

describe('detectLanguage', () => {
  it.each([
    ['en', 'The doctor was very kind and listened to everything I said.'],
    ['en', 'Waited 4 hours in A&E with my son, staff were rushed off their feet.'],
    ['en', 'Excellent service'],
    ['en', 'ok'],
    ['en', 'Receptionist rude'],
    ['en', 'Couldn’t fault anything'],
    ['en', 'Air con'],
    ['en', 'Healthcare (co-codamol).'],
    ['es', 'Gracias'],
    ['pl', 'Bardzo długo czekałam na wizytę u lekarza, ale pielęgniarka była miła.'],
    ['pl', 'Dziękuję'],
    ['ro', 'Am așteptat foarte mult la spital și nimeni nu mi-a spus nimic.'],
    ['ro', 'Doctorul a fost foarte amabil, mulțumesc.'],
    ['lt', 'Labai ilgai laukiau gydytojo, bet slaugytoja buvo maloni.'],
    ['lv', 'Ārsts bija ļoti labs, paldies par palīdzību.'],
    ['tr', 'Doktor çok iyiydi ama randevu için üç hafta bekledim.'],
    ['pt', 'O médico foi muito simpático mas esperei três horas pela consulta.'],
    ['es', 'El médico fue muy amable pero esperé tres horas para la cita.'],
    ['fr', "Le médecin était très gentil mais j'ai attendu trois heures pour le rendez-vous."],
    ['it', 'Il medico era molto gentile ma ho aspettato tre ore per l’appuntamento.'],
    ['de', 'Der Arzt war sehr freundlich, aber ich habe drei Stunden gewartet.'],
    ['sq', 'Mjeku ishte shumë i mirë por kam pritur tre orë për takim.'],
    ['ku', 'Doktor pir baş bû, lê min sê saet li nexweşxaneyê li bendê ma.'],
    ['ne', 'डाक्टर धेरै राम्रो हुनुहुन्थ्यो तर मैले तीन घण्टा पर्खनु पर्‍यो। मेरो अपोइन्टमेन्ट ढिलो भयो।'],
    ['hi', 'डॉक्टर बहुत अच्छे थे लेकिन मुझे तीन घंटे इंतजार करना पड़ा और कोई मदद नहीं है।'],
    ['pa', 'ਡਾਕਟਰ ਬਹੁਤ ਚੰਗੇ ਸਨ ਪਰ ਮੈਨੂੰ ਤਿੰਨ ਘੰਟੇ ਉਡੀਕ ਕਰਨੀ ਪਈ।'],
    ['ur', 'ڈاکٹر بہت اچھے تھے لیکن مجھے تین گھنٹے انتظار کرنا پڑا۔'],
    ['ar', 'كان الطبيب لطيفا جدا لكنني انتظرت ثلاث ساعات في المستشفى.'],
    ['fa', 'دکتر خیلی مهربان بود اما من سه ساعت منتظر ماندم که نوبت بگیرم.'],
    ['ku', 'دکتۆرەکە زۆر باش بوو بەڵام سێ کاتژمێر چاوەڕێم کرد.'],
    ['bn', 'ডাক্তার খুব ভালো ছিলেন কিন্তু আমাকে তিন ঘণ্টা অপেক্ষা করতে হয়েছে।'],
    ['ru', 'Врач был очень внимательным, но мы ждали три часа.'],
    ['uk', 'Лікар був дуже уважний, але ми чекали три години і ще більше.'],
    ['zh', '医生很好，但是我等了三个小时。'],
    ['ti', 'ሓኪም ኣዝዩ ጽቡቕ ነይሩ።'],
  ])('%s: %s', (language, text) => {
    expect(detectLanguage(text)).toEqual({ language, isEnglish: language === 'en' });
  });

  it.each(['', '   ', '12345', '👍👍', '?!'])('says undetermined for %j', (text) => {
    expect(detectLanguage(text)).toEqual({ language: 'und', isEnglish: false });
  });

  it('keeps English when a comment quotes a word from another language', () => {
    expect(
      detectLanguage('The nurse said merci to my mum, which was a lovely touch.').language,
    ).toBe('en');
  });
});
