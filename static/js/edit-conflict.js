// After a save refused because someone else saved first: show each
// translated field on the tab of the language the user edited, and let the
// comparison's links open the tab that holds their field.
(() => {
  const report = document.currentScript.closest(".edit-conflict");

  function showTab(fieldId) {
    document.querySelector(`a[href="#tab_${fieldId}"]`)?.click();
  }

  function focusField(fieldId) {
    const field = document.getElementById(fieldId);
    if (!field) return;
    showTab(fieldId);
    const editor = field.closest(".prose-editor")?.querySelector("[contenteditable=true]");
    const target = editor || field;
    target.scrollIntoView({ block: "center" });
    target.focus();
  }

  function start() {
    const language = report.dataset.editedLanguage;
    if (language) {
      for (const link of document.querySelectorAll('a[href^="#tab_id_"]')) {
        if (link.getAttribute("href").endsWith(`_${language}`)) link.click();
      }
    }
    for (const link of report.querySelectorAll('a[href^="#id_"]')) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        focusField(link.getAttribute("href").slice(1));
      });
    }
  }

  // The translation tabs are built when the document is ready; start after them.
  if (window.django?.jQuery) window.django.jQuery(start);
  else document.addEventListener("DOMContentLoaded", start);
})();
