// Agora's small client helpers: read aloud, idle sign-out on shared tablets, confirmations, printing.
(function () {
  "use strict";

  function pageLanguage() {
    return (document.documentElement.lang || "en").slice(0, 2);
  }

  function voiceFor(language) {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.slice(0, 2).toLowerCase() === language) return voices[i];
    }
    return null;
  }

  function setUpReadAloud(root) {
    var voice = voiceFor(pageLanguage());
    root.querySelectorAll("[data-read]").forEach(function (button) {
      button.hidden = !voice;
      if (button.dataset.readReady) return;
      button.dataset.readReady = "1";
      button.addEventListener("click", function () {
        var utterance = new SpeechSynthesisUtterance(button.dataset.read);
        utterance.lang = pageLanguage();
        var chosen = voiceFor(pageLanguage());
        if (chosen) utterance.voice = chosen;
        window.speechSynthesis.cancel();
        window.speechSynthesis.speak(utterance);
      });
    });
  }

  function setUpIdleSignOut() {
    var body = document.body;
    var idleSeconds = parseInt(body.dataset.idleSeconds || "0", 10);
    var warningSeconds = parseInt(body.dataset.idleWarningSeconds || "0", 10);
    var dialog = document.getElementById("idle-dialog");
    var form = document.getElementById("sign-out-form");
    if (!idleSeconds || !dialog || !form) return;
    var lastActivity = Date.now();
    var lastPing = Date.now();

    function signOut() {
      form.querySelector("[name=reason]").value = "idle";
      form.submit();
    }

    function ping() {
      if (Date.now() - lastPing < 30000) return;
      lastPing = Date.now();
      var token = form.querySelector("[name=csrf_token]").value;
      fetch(body.dataset.stillHereUrl, { method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin" });
    }

    function activity() {
      lastActivity = Date.now();
      if (dialog.open) dialog.close();
      ping();
    }

    ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });
    dialog.querySelector("[data-idle-dismiss]").addEventListener("click", activity);

    setInterval(function () {
      var idle = (Date.now() - lastActivity) / 1000;
      if (idle >= idleSeconds) return signOut();
      if (idle >= idleSeconds - warningSeconds) {
        if (!dialog.open) dialog.showModal();
        dialog.querySelector("[data-idle-countdown]").textContent = Math.ceil(idleSeconds - idle);
      }
    }, 500);
  }

  function setUpConfirmations(root) {
    root.querySelectorAll("[data-confirm]").forEach(function (button) {
      if (button.dataset.confirmReady) return;
      button.dataset.confirmReady = "1";
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) event.preventDefault();
      });
    });
  }

  function setUpPrint(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // A request that got no answer (the network dropped, or the server took too long): the tablet says so. On the
  // confirm page it offers to ask whether the vote is in the box, since the cast may have been saved; on a form
  // that names its submission (a message), "Try again" sends the same form again, which the server stores once.
  function setUpNetworkTrouble() {
    var box = document.getElementById("network-trouble");
    if (!box) return;
    var check = box.querySelector("[data-vote-check]");
    var sendAgainNote = box.querySelector("[data-send-again-note]");
    var resendable = null;

    function show(event) {
      var source = event.detail && event.detail.elt;
      var form = source && source.closest ? source.closest("[data-vote-check-url]") : null;
      resendable = source && source.closest ? source.closest("[data-send-again]") : null;
      check.hidden = !form;
      if (form) check.href = form.dataset.voteCheckUrl;
      sendAgainNote.hidden = !resendable;
      box.hidden = false;
      box.focus();
    }

    function tryAgain() {
      if (resendable && document.body.contains(resendable)) {
        box.hidden = true;
        htmx.trigger(resendable, "submit");
      } else {
        window.location.reload();
      }
    }

    document.body.addEventListener("htmx:sendError", show);
    document.body.addEventListener("htmx:timeout", show);
    document.body.addEventListener("htmx:beforeRequest", function () { box.hidden = true; });
    box.querySelector("[data-network-retry]").addEventListener("click", tryAgain);
  }

  function setUp(root) {
    setUpReadAloud(root);
    setUpConfirmations(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
    setUpPrint(document);
    setUpIdleSignOut();
    setUpNetworkTrouble();
    if ("speechSynthesis" in window) {
      window.speechSynthesis.addEventListener("voiceschanged", function () { setUpReadAloud(document); });
    }
  });
  document.addEventListener("htmx:load", function (event) { setUp(event.detail.elt); });
  // A page restored from the back-forward cache must not show a previous pupil's screen.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body.classList.contains("tablet")) window.location.reload();
  });
})();
