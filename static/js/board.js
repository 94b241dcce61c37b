// The board's timer: a countdown from the start time and duration the server stored for the current item.
// The server's clock is the reference: the offset to the tablet's or projector's own clock is measured once.
(function () {
  "use strict";

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function minutesAndSeconds(seconds) {
    var whole = Math.abs(Math.round(seconds));
    return Math.floor(whole / 60) + ":" + twoDigits(whole % 60);
  }

  function showTimer(timer) {
    if (!timer.dataset.offset) timer.dataset.offset = String(Date.now() - Date.parse(timer.dataset.serverNow));
    var now = Date.now() - Number(timer.dataset.offset);
    var left = (Date.parse(timer.dataset.startedAt) + Number(timer.dataset.seconds) * 1000 - now) / 1000;
    timer.textContent = (left < 0 ? "+" : "") + minutesAndSeconds(left);
    timer.classList.toggle("timer-over", left < 0);
    var label = timer.parentNode.querySelector("[data-timer-label]");
    if (left < 0 && label && timer.dataset.overLabel) label.textContent = timer.dataset.overLabel;
  }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(showTimer);
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 250);
  });
  document.addEventListener("htmx:load", tick);
})();
