"""Launch buttons that follow one setting: the public repository in _config.yml.

With ``repository: url:`` empty (the default) the book is an offline site: no
launch buttons, no repository button, nothing that points at a service. With
the URL of a public GitHub repository set, every executable page gets launch
buttons for Binder and, if ``launch_buttons: jupyterhub_url:`` names a hub, for
that JupyterHub; the theme's Colab button is kept only for pages that are
``.ipynb`` files in the repository, because Colab opens notebooks from GitHub
and cannot read MyST Markdown. The exercise notebooks are ``.ipynb`` files, so
the role ``{launch}`` (this module, ``site_launch``) offers them in Colab, Binder and JupyterHub::

    the notebook{launch}`exercises/ch01_regression/regression.ipynb`.

renders " (Open in Colab · Binder)" right after the word, and nothing when no
repository is set (so write it without a space before it). Every executed
page also gets an ``.ipynb`` download button, with or without a repository.
"""

import shutil
from pathlib import Path
from urllib.parse import urlencode

from docutils import nodes
from edition_downloads import edition_target
from sphinx.locale import _

DEFAULT_LAUNCHERS = {
    "binderhub_url": "https://mybinder.org",
    "colab_url": "https://colab.research.google.com",
}


def _settings(config):
    """(repository URL, branch, launch_buttons dict) from the Sphinx configuration."""
    options = config.html_theme_options
    url = (options.get("repository_url") or "").strip().rstrip("/")
    return url, options.get("repository_branch") or "main", options.get("launch_buttons") or {}


def apply_repository_setting(app, config):
    """Turn the launch buttons on or off from the repository URL alone."""
    url, _, launch = _settings(config)
    options = config.html_theme_options
    if not url:
        # The theme would build launch links from the repository and fail without it.
        options["launch_buttons"] = {}
        return
    launch = dict(launch)
    for key, default in DEFAULT_LAUNCHERS.items():
        launch[key] = launch.get(key) or default
    launch["thebe"] = False
    options["launch_buttons"] = launch
    options["use_repository_button"] = True


def offer_notebook_download(app, pagename, templatename, context, doctree):
    """Give every executed MyST page an .ipynb download, with or without launch buttons.

    The theme copies the executed notebook next to the page's source only when
    launch buttons are on; an offline book needs the download just as much.
    """
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if context.get("ipynb_source") or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def drop_colab_for_markdown_pages(app, pagename, templatename, context, doctree):
    """Colab cannot open MyST Markdown: keep its button only for .ipynb pages."""
    if context.get("page_source_suffix") == ".ipynb":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            group["buttons"] = [b for b in group["buttons"] if b.get("text") != "Colab"]


def launch_links(url, branch, launch, path):
    """[(label, href)] for opening the repository file ``path`` in each service."""
    if not url.startswith("https://github.com/"):
        return []
    org_repo = url.removeprefix("https://github.com/")
    repo = org_repo.split("/")[-1]
    links = [
        ("Open in Colab", f"{launch['colab_url'].rstrip('/')}/github/{org_repo}/blob/"
                          f"{branch}/{path}"),
        ("Binder", f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org_repo}/{branch}"
                   f"?urlpath=lab/tree/{path}"),
    ]
    hub = (launch.get("jupyterhub_url") or "").rstrip("/")
    if hub:
        query = urlencode({"repo": url, "urlpath": f"lab/tree/{repo}/{path}",
                           "branch": branch}, safe="/")
        links.append(("JupyterHub", f"{hub}/hub/user-redirect/git-pull?{query}"))
    return links


def launch_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{launch}`path/in/repo.ipynb``` -> links to open it online, or nothing offline.

    On a translated page (the Korean edition) the links open the edition's own notebook,
    ``exercises/<language>/...``, where one is released, and their labels are translated.
    """
    env = inliner.document.settings.env
    url, branch, launch = _settings(env.config)
    if not url or not launch:
        return [], []
    path = text.strip()
    if env.config.language and env.config.language != "en":
        path = edition_target(path, env.config.language, Path(env.srcdir))
    parts = [nodes.Text(" (")]  # written right after a word: `notebook{launch}`...``
    for i, (label, href) in enumerate(launch_links(url, branch, launch, path)):
        if i:
            parts.append(nodes.Text(" · "))
        parts.append(nodes.reference(rawtext, _(label), refuri=href))
    parts.append(nodes.Text(")"))
    return [nodes.inline(rawtext, "", *parts, classes=["launch-links"])], []


def setup(app):
    """Register the configuration hook, the page hooks and the {launch} role."""
    app.connect("config-inited", apply_repository_setting, priority=900)
    app.connect("html-page-context", offer_notebook_download, priority=500)
    app.connect("html-page-context", drop_colab_for_markdown_pages, priority=502)
    app.add_role("launch", launch_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
