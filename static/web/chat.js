/* Luna's chat over the websocket /ws/luna/chat/ (the access cookie
 * authenticates it). Client frames: {type: "message", text, conversation_id,
 * app_context, client_id} and {type: "cancel"}. Server frames: ack, delta,
 * celebration, done, error. The socket reconnects by itself with backoff. */
(function () {
  "use strict";
  var web = window.PhoenixWeb;

  function format(template, values) {
    // Placeholders are {name}: Django's template _() doubles every "%".
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  function init(labels) {
    var list = document.querySelector("[data-messages]");
    var composer = document.querySelector("[data-composer]");
    var input = composer.querySelector("textarea");
    var sendButton = composer.querySelector("[data-send]");
    var stopButton = composer.querySelector("[data-stop]");
    var costBox = composer.querySelector("[data-cost]");
    var banner = document.querySelector("[data-connection]");
    var offers = document.querySelector("[data-offers]");
    var socket = null, attempts = 0, conversationId = null, streaming = null;
    var closedByUs = false, reconnectTimer = null;

    function add(role, content) {
      var li = web.text("li", content, role);
      list.appendChild(li);
      list.scrollTop = list.scrollHeight;
      return li;
    }

    function setBusy(busy) {
      sendButton.disabled = busy;
      stopButton.disabled = !busy;
    }

    function showBanner(message) {
      banner.textContent = message || "";
      banner.hidden = !message;
    }

    async function showOffers(error) {
      var deficit = error.deficit || (error.required && error.available !== undefined ? error.required - error.available : 0);
      var packs = error.packs;
      if (!packs) {
        var catalogue = await web.api("GET", "/api/billing/packs");
        packs = catalogue.ok ? catalogue.data.packs.filter(function (p) { return p.energy >= deficit && p.kind !== "subscription"; }) : [];
      }
      offers.querySelector("[data-offers-text]").textContent = format(labels.short, {deficit: deficit || "?"});
      var ul = offers.querySelector("[data-offers-list]");
      ul.replaceChildren();
      packs.forEach(function (pack) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = "/app/billing?deficit=" + encodeURIComponent(deficit || "") + "#payment";
        link.textContent = labels.buy + " " + (pack.name || pack.code) + (pack.energy ? " (" + pack.energy + ")" : "");
        link.dataset.offer = pack.code;
        li.appendChild(link);
        ul.appendChild(li);
      });
      offers.hidden = false;
    }

    function onFrame(frame) {
      if (frame.type === "ack") {
        if (frame.conversation_id) conversationId = frame.conversation_id;
        costBox.textContent = frame.cost ? format(labels.cost, frame) : format(labels.free, frame);
        if (frame.balance !== undefined) web.updateGauge(frame.balance);
        streaming = add("luna", "");
        streaming.dataset.messageId = frame.message_id;
      } else if (frame.type === "balance") {
        web.updateGauge(frame.balance);
      } else if (frame.type === "delta") {
        if (!streaming) streaming = add("luna", "");
        streaming.textContent += frame.text;
        list.scrollTop = list.scrollHeight;
      } else if (frame.type === "celebration") {
        add("celebration", "🎉 " + labels.celebration + " " + [frame.metric, frame.level].filter(Boolean).join(" · ") +
            (frame.bonus ? " (+" + frame.bonus + ")" : ""));
        if (frame.balance !== undefined && frame.balance !== null) web.updateGauge(frame.balance);
      } else if (frame.type === "done") {
        if (frame.conversation_id) conversationId = frame.conversation_id;
        if (streaming) streaming.dataset.provider = frame.provider || "";
        if (frame.balance !== undefined) web.updateGauge(frame.balance);
        if (frame.status === "cancelled" && streaming) streaming.textContent += " " + labels.stopped;
        streaming = null;
        setBusy(false);
        loadConversations();
      } else if (frame.type === "error") {
        setBusy(false);
        streaming = null;
        if (frame.code === "insufficient_energy" || frame.code === "payment_required") showOffers(frame);
        else add("error", frame.message || labels.unavailable);
      }
    }

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + window.location.host + "/ws/luna/chat/");
      socket.addEventListener("open", function () {
        attempts = 0;
        showBanner("");
        sendButton.disabled = false;
      });
      socket.addEventListener("message", function (event) {
        try { onFrame(JSON.parse(event.data)); } catch (e) { /* ignore a bad frame */ }
      });
      socket.addEventListener("close", function () {
        if (closedByUs) return;
        setBusy(false);
        streaming = null;
        showBanner(labels.offline);
        attempts += 1;
        var delay = Math.min(15000, 500 * Math.pow(2, attempts)) + Math.random() * 300;
        clearTimeout(reconnectTimer);
        // The access cookie may have expired: renew it before reconnecting.
        reconnectTimer = setTimeout(function () { web.refresh().finally(connect); }, delay);
      });
    }

    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text || !socket || socket.readyState !== WebSocket.OPEN) return;
      offers.hidden = true;
      add("user", text);
      var frame = {type: "message", text: text, app_context: "website",
                   client_id: (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now())};
      if (conversationId) frame.conversation_id = conversationId;
      socket.send(JSON.stringify(frame));
      input.value = "";
      setBusy(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); composer.requestSubmit(); }
    });
    stopButton.addEventListener("click", function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({type: "cancel"}));
    });

    var conversations = document.querySelector("[data-conversations]");
    async function loadConversations() {
      var result = await web.api("GET", "/api/luna/conversations");
      if (!result.ok) return;
      var items = result.data.results || result.data;
      conversations.replaceChildren();
      items.forEach(function (conversation) {
        var li = document.createElement("li");
        var button = web.text("button", conversation.title || labels.untitled);
        button.type = "button";
        if (conversation.id === conversationId) button.setAttribute("aria-current", "true");
        button.addEventListener("click", function () { openConversation(conversation.id); });
        li.appendChild(button);
        conversations.appendChild(li);
      });
    }
    async function openConversation(id) {
      var result = await web.api("GET", "/api/luna/conversations/" + id);
      if (!result.ok) return;
      conversationId = id;
      list.replaceChildren();
      (result.data.messages || []).forEach(function (message) {
        add(message.role === "user" ? "user" : "luna", message.content);
      });
      loadConversations();
      input.focus();
    }
    document.querySelector("[data-new-conversation]").addEventListener("click", function () {
      conversationId = null;
      list.replaceChildren();
      input.focus();
    });

    var onboarding = document.querySelector("[data-onboarding]");
    if (onboarding) {
      onboarding.addEventListener("submit", async function (event) {
        event.preventDefault();
        var result = await web.api("POST", "/api/luna/onboarding", {motivation: onboarding.motivation.value});
        if (result.ok) { onboarding.remove(); input.focus(); loadConversations(); }
        else onboarding.querySelector("[data-onboarding-error]").textContent =
          result.data && result.data.error ? result.data.error.message : labels.unavailable;
      });
      onboarding.querySelector("[data-onboarding-skip]").addEventListener("click", function () {
        onboarding.remove();
        input.focus();
      });
    }

    sendButton.disabled = true;
    connect();
    loadConversations();
  }

  window.PhoenixChat = {init: init};
})();
