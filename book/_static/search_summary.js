/* Search results quote the page's prose, not its markup.

   Sphinx's search page (searchtools.js) builds each result's summary from the
   text of the page's main element. That text starts with the download
   buttons' labels (".ipynb", ".pdf") and holds every formula as MathJax's TeX
   source ("\((N, D)\)"), because the page is parsed, not rendered. This
   wraps Search.htmlToText: the article header is left out, and each formula
   becomes its TeX without delimiters when that is plain text ("(N, D)"), or
   "[formula]" when it has TeX commands, braces or scripts. */
const plainFormula = (tex) => {
  const body = tex.trim().replace(/^(\\\(|\\\[|\$\$?)|(\\\)|\\\]|\$\$?)$/g, "").trim();
  return /[\\{}^_]/.test(body) ? "[formula]" : body;
};

document.addEventListener("DOMContentLoaded", () => {
  if (typeof Search === "undefined") return;
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    page.querySelectorAll(".bd-header-article, .headerlink").forEach((el) => el.remove());
    page.querySelectorAll(".math").forEach((el) => {
      el.replaceWith(page.createTextNode(plainFormula(el.textContent)));
    });
    return htmlToText(page.documentElement.outerHTML, anchor);
  };
});
