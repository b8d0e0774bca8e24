// Loaded first thing in <body>, so components styled for JavaScript do not flicker.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('nhsuk-frontend-supported');
}
