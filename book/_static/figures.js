/* Figures that the page shows smaller than they were drawn open full size.

   A figure wider than the text column is scaled down to fit it, and on a phone
   a multi-panel figure's labels become too small to read. Clicking (tapping)
   such a figure opens it at its own pixel size in a dialog that scrolls inside
   itself; a click, a tap or Escape closes it. */
document.addEventListener("DOMContentLoaded", () => {
  const dialog = document.createElement("dialog");
  dialog.className = "figure-zoom";
  dialog.setAttribute("aria-label", "Figure at full size");
  const full = document.createElement("img");
  dialog.appendChild(full);
  dialog.addEventListener("click", () => dialog.close());
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && dialog.open) dialog.close();
  });
  document.body.appendChild(dialog);

  document.querySelectorAll(".bd-article .cell_output img, .bd-article figure img")
    .forEach((img) => {
      img.classList.add("figure-zoomable");
      img.setAttribute("tabindex", "0");
      img.setAttribute("role", "button");
      img.title = "Show at full size";
      const open = () => {
        if (img.getBoundingClientRect().width >= img.naturalWidth) return;
        full.src = img.currentSrc || img.src;
        full.alt = img.alt;
        dialog.showModal();
        dialog.scrollTo(0, 0);
      };
      img.addEventListener("click", open);
      img.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      });
    });
});
