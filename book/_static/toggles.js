/* The sidebar toggles that a reader can see work on every screen.

   pydata-sphinx-theme 0.17.1 (and sphinx-book-theme 1.3.0 on top of it) binds
   its handlers to the first `.primary-toggle` and `.secondary-toggle` of the
   page, which is a hidden button in the theme's header (upstream issue #2451);
   the buttons a reader sees in the article header only show a tooltip. Each
   other toggle forwards its click to that first one, so the theme's own
   handlers run: on a desktop the chapter list hides and shows, on a phone the
   chapter list and the page contents open as dialogs. */
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const [bound, ...others] = document.querySelectorAll(`button.${kind}`);
    others.forEach((button) => button.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      bound.click();
    }));
  }
});
