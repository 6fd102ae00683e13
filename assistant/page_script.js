// Runs first on the chat page and its login page (see assistant/page_script.py).
// Its settings {locale, title, names, texts, attributes} are filled in by Python.
(function (settings) {
  var locale = settings.locale;

  // Gradio chooses its locale once, from navigator.language, as it starts
  try {
    Object.defineProperty(Navigator.prototype, "language", {get: function () { return locale; }, configurable: true});
    Object.defineProperty(Navigator.prototype, "languages", {get: function () { return [locale]; }, configurable: true});
  } catch (e) { /* an old browser keeps its own language */ }
  document.documentElement.lang = locale;
  // Gradio sets the title from the app's config, which the login page does not have
  if (!document.title) { document.title = settings.title; }

  var ATTRIBUTES = ["aria-label", "title"];
  // Gradio names each chat message by its content, i.e. the raw HTML of our answer
  var MESSAGE_NAME = /^(user|bot|assistant)'s message: /;

  function fixElement(el) {
    ATTRIBUTES.forEach(function (name) {
      var value = el.getAttribute(name);
      if (value === null) { return; }
      if (name === "aria-label" && MESSAGE_NAME.test(value)) { el.removeAttribute(name); return; }
      if (Object.prototype.hasOwnProperty.call(settings.names, value)) { el.setAttribute(name, settings.names[value]); }
    });
    Object.keys(settings.attributes).forEach(function (selector) {
      if (!el.matches(selector)) { return; }
      var wanted = settings.attributes[selector];
      Object.keys(wanted).forEach(function (name) {
        if (el.getAttribute(name) !== wanted[name]) { el.setAttribute(name, wanted[name]); }
      });
    });
  }

  function fixText(node) {
    var text = node.nodeValue;
    settings.texts.forEach(function (pair) {
      if (text.indexOf(pair[0]) >= 0) { text = text.split(pair[0]).join(pair[1]); }
    });
    if (text !== node.nodeValue) { node.nodeValue = text; }
  }

  function fixTree(root) {
    if (root.nodeType === Node.TEXT_NODE) { fixText(root); return; }
    if (root.nodeType !== Node.ELEMENT_NODE) { return; }
    fixElement(root);
    root.querySelectorAll("*").forEach(fixElement);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) { fixText(walker.currentNode); }
  }

  // Each fix is idempotent, so the mutations it causes end in no change
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "childList") { record.addedNodes.forEach(fixTree); }
      else if (record.type === "attributes") { fixElement(record.target); }
      else { fixText(record.target); }
    });
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                         attributes: true, attributeFilter: ATTRIBUTES});
})(/*SETTINGS*/{});
