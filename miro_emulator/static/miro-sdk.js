// A stand-in for Miro's Web SDK v2 (global `miro`) inside the emulator's board page: each call is a
// postMessage to the board page, which answers as Miro's board would.
(function () {
  "use strict";
  const boardOrigin = new URL(document.currentScript.src).origin;
  const pending = new Map();
  const handlers = {};
  let next = 0;

  function call(method, args) {
    return new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve, reject });
      window.parent.postMessage({ miroEmulator: "call", id, method, args: args || {} }, boardOrigin);
    });
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== boardOrigin || !event.data) return;
    const message = event.data;
    if (message.miroEmulator === "reply" && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(message.error)); else resolve(message.result);
    } else if (message.miroEmulator === "event") {
      for (const handler of handlers[message.event] || []) handler(message.payload);
    }
  });

  window.miro = {
    board: {
      getInfo: () => call("board.getInfo"),
      getSelection: () => call("board.getSelection"),
      getIdToken: () => call("board.getIdToken"),
      getUserInfo: () => call("board.getUserInfo"),
      ui: {
        on: (event, handler) => { (handlers[event] = handlers[event] || []).push(handler); },
        off: (event, handler) => { handlers[event] = (handlers[event] || []).filter((h) => h !== handler); },
        openPanel: (options) => call("board.ui.openPanel", options),
        closePanel: () => call("board.ui.closePanel"),
      },
    },
  };
})();
