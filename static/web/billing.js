/* Buying a pack or Luna Unlimited: the billing API starts the payment, Stripe.js
 * confirms it with the card, Stripe's webhook credits the energy; the page
 * polls the purchase and then refreshes the gauge. */
(function () {
  "use strict";
  var api = window.PhoenixWeb.api;

  function init(labels) {
    var section = document.querySelector("[data-payment]");
    if (!section || typeof window.Stripe !== "function") return;
    var status = section.querySelector("[data-payment-status]");
    var payButton = section.querySelector("[data-pay]");
    var stripe = null, card = null, current = null;

    function say(message) { status.textContent = message; }

    function open(started, summary) {
      current = started;
      if (!stripe) {
        stripe = window.Stripe(started.publishable_key);
        card = stripe.elements().create("card");
        card.mount("#card-element");
      }
      section.querySelector("[data-payment-summary]").textContent = labels.summary + " " + summary;
      section.hidden = false;
      payButton.disabled = false;
      say("");
      section.scrollIntoView({block: "nearest"});
      var first = section.querySelector("#card-element input, #card-element iframe");
      (first || payButton).focus();
    }

    async function start(url, body, summary) {
      var result = await api("POST", url, body);
      if (!result.ok) {
        open({}, summary);
        say(labels.failed + " " + (result.data && result.data.error ? result.data.error.message : result.status));
        payButton.disabled = true;
        return;
      }
      open(result.data, summary);
      current.kind = url.indexOf("subscription") >= 0 ? "subscription" : "purchase";
    }

    async function waitForCredit(purchaseId) {
      for (var attempt = 0; attempt < 60; attempt++) {
        var result = await api("GET", "/api/billing/purchases/" + purchaseId);
        if (result.ok && result.data.status !== "pending") {
          await window.PhoenixWeb.reloadGauge();
          return result.data;
        }
        await new Promise(function (resolve) { setTimeout(resolve, 1000); });
      }
      return null;
    }

    payButton.addEventListener("click", async function () {
      if (!current || !current.client_secret) return;
      payButton.disabled = true;
      say(labels.paying);
      var result = await stripe.confirmCardPayment(current.client_secret, {payment_method: {card: card}});
      if (result.error) {
        say(labels.failed + " " + (result.error.message || ""));
        payButton.disabled = false;
        return;
      }
      if (current.kind === "subscription") { say(labels.subscribed); return; }
      say(labels.waiting);
      var purchase = await waitForCredit(current.purchase_id);
      if (purchase && purchase.status === "paid") say(labels.done);
      else if (purchase) say(purchase.status);
    });

    section.querySelector("[data-pay-cancel]").addEventListener("click", function () {
      section.hidden = true;
      current = null;
    });

    document.querySelectorAll("[data-buy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var name = button.closest("[data-pack]").querySelector("h3").textContent.trim();
        start("/api/billing/purchases", {pack: button.dataset.buy}, name);
      });
    });
    document.querySelectorAll("[data-subscribe]").forEach(function (button) {
      button.addEventListener("click", function () {
        start("/api/billing/subscription", {plan: button.dataset.subscribe}, "Luna Unlimited");
      });
    });
  }

  window.PhoenixBilling = {init: init};
})();
