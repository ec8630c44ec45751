// The app's sdkUri: Miro loads it headless on the board; a click on the app's icon opens the panel.
// https://developers.miro.com/docs/add-icon-click-to-your-app
miro.board.ui.on("icon:click", async () => {
  await miro.board.ui.openPanel({ url: "/panel" });
});
