// Keeps the desk's countdowns running while the page stays open, in the page's language.
// The words come from the page itself (a JSON data block), so nothing runs inline.
"use strict";
(function () {
  const source = document.getElementById("desk-countdown-words");
  if (!source) {
    return;
  }
  const words = JSON.parse(source.textContent);
  const nbsp = "\u00a0";

  function fill(template, name, value) {
    return template.replace("%(" + name + ")d", String(value)).replace(/ /g, nbsp);
  }

  function countdown(moment, now) {
    const seconds = (moment - now) / 1000;
    if (seconds <= 0) {
      return words.now;
    }
    let minutes = Math.floor(seconds / 60);
    if (minutes === 0) {
      return words.soon;
    }
    const days = Math.floor(minutes / (24 * 60));
    minutes -= days * 24 * 60;
    const hours = Math.floor(minutes / 60);
    minutes -= hours * 60;
    const parts = [];
    if (days) {
      parts.push(fill(days === 1 ? words.day : words.days, "days", days));
    }
    if (hours) {
      parts.push(fill(words.hours, "hours", hours));
    }
    if (minutes && !days) {
      parts.push(fill(words.minutes, "minutes", minutes));
    }
    return words.in.replace("%(time)s", parts.join(" "));
  }

  function tick() {
    const now = Date.now();
    document.querySelectorAll("[data-countdown-to]").forEach(function (element) {
      const text = countdown(Date.parse(element.dataset.countdownTo), now);
      if (element.textContent !== text) {
        element.textContent = text;
      }
    });
  }

  tick();
  window.setInterval(tick, 15000);
})();
