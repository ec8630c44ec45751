// The emulated board hosting an app: answers the stand-in SDK's calls from the app's iframes (postMessage),
// like Miro's board does for a real app.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("emulator-config").textContent);
  const appOrigin = new URL(config.app).origin;
  const sdkFrame = document.getElementById("app-sdk");
  const panelFrame = document.getElementById("app-panel");
  let selection = [];

  function frames() { return [sdkFrame.contentWindow, panelFrame.contentWindow].filter(Boolean); }

  function broadcast(event, payload) {
    for (const target of frames()) target.postMessage({ miroEmulator: "event", event, payload }, appOrigin);
  }

  async function answer(method, args) {
    switch (method) {
      case "board.getInfo":
        return { id: config.board, locale: "en", createdAt: null, updatedAt: null };
      case "board.getSelection":
        return selection;
      case "board.getIdToken":
      case "board.getUserInfo": {
        const reply = await fetch("/_emulator/boards/" + encodeURIComponent(config.board) + "/id-token", {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ user: config.user }),
        });
        const data = await reply.json();
        if (!reply.ok) throw new Error(data.message || "no id token");
        return method === "board.getIdToken" ? data.token : data.user;
      }
      case "board.ui.openPanel":
        panelFrame.src = new URL(args.url, config.sdkUri).href;
        document.getElementById("panel-slot").hidden = false;
        return {};
      case "board.ui.closePanel":
        document.getElementById("panel-slot").hidden = true;
        panelFrame.removeAttribute("src");
        return {};
      default:
        throw new Error("The emulator's SDK does not offer " + method);
    }
  }

  window.addEventListener("message", async (event) => {
    if (event.origin !== appOrigin || !event.data || event.data.miroEmulator !== "call") return;
    const { id, method, args } = event.data;
    try {
      event.source.postMessage({ miroEmulator: "reply", id, result: await answer(method, args) }, appOrigin);
    } catch (error) {
      event.source.postMessage({ miroEmulator: "reply", id, error: String(error.message || error) }, appOrigin);
    }
  });

  document.getElementById("app-icon").addEventListener("click", () => broadcast("icon:click", {}));
  for (const chip of document.querySelectorAll(".item")) {
    chip.addEventListener("click", () => {
      for (const other of document.querySelectorAll(".item.selected")) other.classList.remove("selected");
      chip.classList.add("selected");
      selection = [{ id: chip.dataset.id, type: "card" }];
      broadcast("selection:update", { items: selection });
    });
  }
  sdkFrame.src = config.sdkUri;
})();
