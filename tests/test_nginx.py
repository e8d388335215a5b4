"""The site under the bureau's server: Debian's nginx running the configuration of `make package`.

The sample is built, packed by `make package`'s code and unpacked as the administrator would; nginx then
serves the unpacked site on loopback with the package's site block (only the web root differs, and the test
checks that), over HTTPS with a certificate the test makes, plain HTTP redirecting to it, on IPv4 and IPv6.
Headers, compression, cache lifetimes, types, the 404 page and refused dotfiles are asked for with a plain
HTTP client; every page kind, the search, the reading settings and the print view are used in Chromium,
where any Content-Security-Policy violation fails the test.
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from publicity.deploy import HASHES_FILE, inline_script_hashes, policy, read_hashes, script_hash
from publicity.deploy.nginx import DeployError, LocalNginx, Servers, render, site_block
from publicity.deploy.package import CERTIFICATE, CERTIFICATE_KEY, SITE_CONF, TOP, write_package

from conftest import DESKTOP, ROOT, STUB, ZH, Recorder, ask, open_search, run_env, sample_env

YEAR = "public, max-age=31536000, immutable"
HOUR = "public, max-age=3600"
REVALIDATE = "no-cache"
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "strict-origin-when-cross-origin",
}


# ---- the inline scripts the policy allows (in process) ---------------------------------------------------------


def test_every_inline_script_a_browser_runs_is_hashed_and_nothing_else():
    page = ('<html><head><script>var a=1</script><SCRIPT type="module">import "./x.js"</SCRIPT>'
            '<script type="application/json" id="__config">{"a": "</b>"}</script>'
            '<script src="x.js"></script><script src="y.js">ignored()</script>'
            '<script type="text/javascript" data-x="a>b">b()\r\n</script ></head>'
            '<body><p>&lt;script&gt;not()&lt;/script&gt;</p><script>\n  c("中文")\n</script></body></html>')
    assert inline_script_hashes(page.encode()) == {script_hash("var a=1"), script_hash('import "./x.js"'),
                                                   script_hash("b()\n"), script_hash('\n  c("中文")\n')}


def test_a_script_hash_is_the_browsers():
    # The CSP3 example: sha256 of "alert('Hello, world.');", base64.
    assert script_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_the_policy_allows_no_inline_code_but_the_hashed():
    csp = policy(["'sha256-abc='"])
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval' 'sha256-abc='"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp


def test_a_template_value_left_out_is_an_error():
    with pytest.raises(DeployError, match="@ROOT@"):
        render("publicity-site.conf", {"CSP": "default-src 'self'"})


@pytest.mark.parametrize("root", ["/var/www/a;b", "/var/www/$document_root", "/var/www/my site", '/a"b', "/a}b"])
def test_a_server_value_nginx_would_read_as_syntax_is_refused(root):
    with pytest.raises(DeployError, match="nginx"):
        render("publicity-site.conf", {"ROOT": root, "CSP": "default-src 'self'"})


def test_a_hash_list_that_is_not_hashes_is_refused(tmp_path):
    (tmp_path / HASHES_FILE).write_text("'sha256-abc='\n'unsafe-inline'\n", encoding="utf-8")
    with pytest.raises(DeployError, match="unsafe-inline"):
        site_block(tmp_path)


# ---- the served site ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost, 127.0.0.1 and ::1."""
    crt, key = folder / "test.crt", folder / "test.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                    "-keyout", str(key), "-out", str(crt)], check=True, capture_output=True)
    return crt, key


@dataclass
class Served:
    site: Path  # the unpacked package's site/
    package: Path  # the unpacked package
    https: int
    http: int
    certificate: Path

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https}"

    def get(self, path: str, *, gzip_ok: bool = True, host: str = "127.0.0.1", plain: bool = False, **headers):
        """One request (no redirects followed, nothing decompressed): (status, headers, body bytes)."""
        if plain:
            conn = http.client.HTTPConnection(host, self.http, timeout=10)
        else:
            context = ssl.create_default_context(cafile=str(self.certificate))
            conn = http.client.HTTPSConnection(host, self.https, timeout=10, context=context)
        if gzip_ok:
            headers.setdefault("Accept-Encoding", "gzip")
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture(scope="module")
def served(sample_site, sample_config):
    """The sample packed by `make package`'s code, unpacked, and served by nginx as publicity.conf says."""
    try:  # the configuration listens on IPv6 too, and so does the test's server
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError as exc:
        pytest.fail(f"this machine has no IPv6 loopback (::1: {exc}): the configuration's IPv6 listen cannot be tested;"
                    " in Docker, run the container with IPv6 on its loopback (Docker 26.1 and later keep it)")
    folder = Path(tempfile.mkdtemp(prefix="publicity-package-"))
    folder.chmod(0o755)  # when the tests run as root, nginx runs as nobody and must read the site
    try:
        archive = write_package(sample_site, folder / "publicity-site.tar.gz", sample_config)
        with tarfile.open(archive.path) as tar:
            tar.extractall(folder, filter="data")
        package = folder / TOP
        site = package / "site"
        # What a server may hold beside the site, which must never be served.
        (site / ".git").mkdir()
        (site / ".git" / "config").write_text("[core]\n", encoding="utf-8")
        (site / ".cache" / "images").mkdir(parents=True)
        (site / ".cache" / "images" / "key.webp").write_bytes(b"RIFF")
        (site / "pagefind" / ".hidden.pf_index").write_bytes(b"x")
        (site / "pagefind" / "probe.wasm").write_bytes(b"\0asm\1\0\0\0")
        nginx = LocalNginx()
        crt, key = certificate(nginx.prefix)
        site_conf = nginx.write("publicity-site.conf", site_block(site))
        https, plain = free_port(), free_port()
        servers = Servers(server_name="localhost", certificate=str(crt), certificate_key=str(key), site_conf=str(site_conf),
                          http=f"127.0.0.1:{plain}", http6=f"[::1]:{plain}", https=f"127.0.0.1:{https}", https6=f"[::1]:{https}")
        nginx.start(servers.render(), [("127.0.0.1", https), ("127.0.0.1", plain), ("::1", https), ("::1", plain)])
        try:
            yield Served(site, package, https, plain, crt)
        finally:
            nginx.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def item_page(urls) -> str:
    return "/" + urls["news-item-with-cover"]


@pytest.mark.build
def test_the_package_holds_the_site_and_the_configuration_for_this_build(served, sample_site, sample_config):
    shipped = (served.package / "nginx" / "publicity-site.conf").read_text(encoding="utf-8")
    assert f"root {sample_config.publish.path};" in shipped
    # The site block nginx runs here is the shipped one; only the web root differs.
    assert shipped.replace(f"root {sample_config.publish.path};", f"root {served.site.resolve()};") == site_block(served.site)
    assert policy(read_hashes(sample_site)) in shipped
    servers = (served.package / "nginx" / "publicity.conf").read_text(encoding="utf-8")
    for line in ("listen 80;", "listen [::]:80;", "listen 443 ssl http2;", "listen [::]:443 ssl http2;",
                 "server_name jsj.shashi.example;", f"include {SITE_CONF};", f"ssl_certificate {CERTIFICATE};",
                 f"ssl_certificate_key {CERTIFICATE_KEY};", "return 301 https://$host$request_uri;"):
        assert line in servers, line
    readme = (served.package / "README.md").read_text(encoding="utf-8")
    assert "/etc/nginx/snippets/publicity-site.conf" in readme and "nginx -t" in readme and "reload" in readme
    site_files = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*") if p.is_file())
    for rel in site_files:
        assert (served.site / rel).read_bytes() == (sample_site / rel).read_bytes(), rel


@pytest.mark.build
def test_the_package_is_the_same_bytes_each_time(sample_site, sample_config, tmp_path):
    one = write_package(sample_site, tmp_path / "one.tar.gz", sample_config)
    two = write_package(sample_site, tmp_path / "two.tar.gz", sample_config)
    assert one.path.read_bytes() == two.path.read_bytes()


@pytest.mark.build
def test_an_item_page_carries_every_security_header(served, sample_urls, sample_site):
    status, headers, _ = served.get(item_page(sample_urls))
    assert status == 200
    assert headers["content-security-policy"] == policy(read_hashes(sample_site))
    for name, value in SECURITY.items():
        assert headers[name] == value, name
    assert headers["permissions-policy"].startswith("accelerometer=()") and "camera=()" in headers["permissions-policy"]
    assert headers["strict-transport-security"] == "max-age=31536000"
    assert headers["server"] == "nginx"  # no version
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == REVALIDATE
    print("\nresponse headers of", item_page(sample_urls), "\n" + "\n".join(f"{k}: {v}" for k, v in headers.items()))


@pytest.mark.build
def test_pages_are_sent_compressed_from_the_builds_gz(served, sample_urls):
    url = item_page(sample_urls)
    original = (served.site / url.strip("/") / "index.html").read_bytes()
    status, headers, packed = served.get(url)
    assert status == 200 and headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(packed) == original
    assert packed == (served.site / url.strip("/") / "index.html.gz").read_bytes()  # the build's file, as it is
    _, plain_headers, plain = served.get(url, gzip_ok=False)
    assert "content-encoding" not in plain_headers and plain == original
    head = sum(len(f"{k}: {v}\r\n") for k, v in headers.items()) + len("HTTP/1.1 200 OK\r\n\r\n")
    plain_head = sum(len(f"{k}: {v}\r\n") for k, v in plain_headers.items()) + len("HTTP/1.1 200 OK\r\n\r\n")
    print(f"\nitem page {url}: body {len(plain):,} bytes uncompressed, {len(packed):,} bytes with gzip;"
          f" with the HTTP/1.1 headers {len(plain) + plain_head:,} and {len(packed) + head:,} bytes")
    for path in ("/feeds/news.xml", "/sitemap.xml", "/pagefind/pagefind-entry.json", "/pagefind/pagefind.js",
                 "/" + next((served.site / "assets/stylesheets").glob("main.*.min.css")).relative_to(served.site).as_posix(),
                 "/" + next((served.site / "assets/javascripts").glob("bundle.*.min.js")).relative_to(served.site).as_posix()):
        status, headers, body = served.get(path)
        assert status == 200 and headers.get("content-encoding") == "gzip", path
        assert gzip.decompress(body) == (served.site / path.lstrip("/")).read_bytes(), path


@pytest.mark.build
def test_each_kind_of_file_is_kept_as_long_as_it_may(served, sample_urls):
    site = served.site

    def first(pattern: str) -> str:
        return "/" + next(site.glob(pattern)).relative_to(site).as_posix()

    expected = {
        "/": REVALIDATE, item_page(sample_urls): REVALIDATE, "/feeds/news.xml": REVALIDATE, "/sitemap.xml": REVALIDATE,
        "/pagefind/pagefind-entry.json": REVALIDATE, "/pagefind/pagefind.js": REVALIDATE,
        first("pagefind/wasm.*.pagefind"): REVALIDATE, first("pagefind/search.json"): REVALIDATE,
        first("assets/javascripts/bundle.*.min.js"): YEAR, first("assets/stylesheets/main.*.min.css"): YEAR,
        first("pagefind/*.pf_meta"): YEAR, first("pagefind/index/*.pf_index"): YEAR,
        first("pagefind/fragment/*.pf_fragment"): YEAR,
        "/assets/javascripts/site.js": HOUR, "/assets/stylesheets/publicity.css": HOUR,
        "/" + sample_urls["_cover"].lstrip("/"): HOUR,
    }
    for path, lifetime in expected.items():
        status, headers, _ = served.get(path)
        assert status == 200, path
        assert headers["cache-control"] == lifetime, path


@pytest.mark.build
def test_wasm_and_the_search_files_have_their_types(served):
    site = served.site

    def kind(path: str) -> str:
        return served.get(path)[1]["content-type"]

    assert kind("/pagefind/probe.wasm") == "application/wasm"
    assert kind("/pagefind/pagefind.js").startswith("application/javascript")
    assert kind("/pagefind/pagefind-entry.json").startswith("application/json")
    for pattern in ("pagefind/wasm.*.pagefind", "pagefind/*.pf_meta", "pagefind/index/*.pf_index", "pagefind/fragment/*.pf_fragment"):
        path = "/" + next(site.glob(pattern)).relative_to(site).as_posix()
        assert kind(path) == "application/octet-stream", path


@pytest.mark.build
def test_a_missing_page_gets_the_chinese_404_page_with_the_headers(served):
    status, headers, body = served.get("/news/2099/no-such-item/", gzip_ok=False)
    assert status == 404
    assert "页面不存在" in body.decode("utf-8")
    assert "content-security-policy" in headers and headers["x-content-type-options"] == "nosniff"
    assert headers["server"] == "nginx"


@pytest.mark.build
def test_dotfiles_and_the_cache_are_refused(served):
    for path in (f"/{HASHES_FILE}", "/.git/config", "/.git/", "/.cache/images/key.webp", "/pagefind/.hidden.pf_index"):
        status, _, body = served.get(path, gzip_ok=False)
        assert status == 404, path
        assert "页面不存在" in body.decode("utf-8"), path
    status, _, _ = served.get("/assets/")  # a folder without a page lists nothing
    assert status in (403, 404)


@pytest.mark.build
def test_plain_http_redirects_to_https_which_asks_for_https_from_then_on(served):
    for host in ("127.0.0.1", "::1"):
        status, headers, _ = served.get("/news/?page=2", plain=True, host=host)
        assert status == 301, host
        shown = f"[{host}]" if ":" in host else host
        assert headers["location"] == f"https://{shown}:{served.https}/news/?page=2"
        assert headers["server"] == "nginx"
        assert "strict-transport-security" not in headers  # HSTS means something over HTTPS only
        status, headers, _ = served.get("/news/", host=host)
        assert status == 200 and headers["strict-transport-security"] == "max-age=31536000", host


@pytest.mark.build
def test_make_serve_nginx_serves_the_site_block_over_plain_http(served, sample_urls):
    port = free_port()
    server = subprocess.Popen([sys.executable, "scripts/serve_nginx.py", "--addr", f"127.0.0.1:{port}", str(served.site)],
                              cwd=ROOT, env=sample_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "http://127.0.0.1:" in server.stdout.readline()  # printed once nginx answers
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", item_page(sample_urls), headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        response.read()
        preview = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C
        server.wait(timeout=30)
    _, https, _ = served.get(item_page(sample_urls))
    assert response.status == 200 and preview["content-encoding"] == "gzip"
    assert "strict-transport-security" not in preview
    for name in ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy",
                 "permissions-policy", "cache-control", "server", "content-type", "vary"):
        assert preview[name] == https[name], name
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # nginx stopped with it


FAKE_SSH = """#!/bin/sh
# ssh to "the server": this machine. Drops ssh's options and the host, runs the remote command here.
while [ "$1" != rsync ]; do shift; done
exec "$@"
"""


@pytest.mark.build
def test_the_publish_step_syncs_the_packages_site_and_says_when_the_server_needs_the_new_configuration(
        served, tmp_path):
    server = tmp_path / "server" / "www"
    server.parent.mkdir()
    config = tmp_path / "publicity.yml"
    text = (ROOT / "publicity.yml").read_text(encoding="utf-8")
    assert "target: none" in text
    config.write_text(text.replace("target: none", "target: rsync").replace("path: /var/www/jsj", f"path: {server}"),
                      encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ssh").write_text(FAKE_SSH, encoding="utf-8")
    (bin_dir / "ssh").chmod(0o755)
    site = tmp_path / "site"
    shutil.copytree(served.site, site)
    env = run_env(PUBLICITY_CONFIG=str(config), PUBLISH_SSH_HOST="server.test", PUBLISH_SSH_USER="deploy",
                     PATH=f"{bin_dir}:{os.environ['PATH']}")

    def publish() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "scripts/publish.py", "rsync", f"{site}/"], cwd=ROOT, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=120)

    first = publish()  # the server has no configuration of this site yet
    assert first.returncode == 0, first.stderr
    assert "::warning::" in first.stdout and "更新 nginx 配置" in first.stdout
    assert (server / "index.html.gz").read_bytes() == (site / "index.html.gz").read_bytes()
    assert (server / HASHES_FILE).read_text(encoding="utf-8") == (site / HASHES_FILE).read_text(encoding="utf-8")
    again = publish()  # the same inline scripts: nothing for the administrator to do
    assert again.returncode == 0 and "::warning::" not in again.stdout, again.stdout
    (site / HASHES_FILE).write_text((site / HASHES_FILE).read_text(encoding="utf-8") + "'sha256-new='\n", encoding="utf-8")
    changed = publish()
    assert changed.returncode == 0 and "::warning::" in changed.stdout


# ---- no page carries inline code the policy does not allow --------------------------------------------------------

EXECUTABLE = {"", "module", "text/javascript", "application/javascript"}


@pytest.mark.build
def test_no_page_carries_inline_code_the_policy_blocks(sample_site):
    """Every page parsed in full, independently of the build's scan: every inline script it runs is in the
    build's list (and the list holds nothing else); no event-handler attribute, no javascript: link, no inline
    style (the policy's style-src is 'self')."""
    allowed, seen, blocked = set(read_hashes(sample_site)), set(), []
    pages = sorted(sample_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        rel = path.relative_to(sample_site).as_posix()
        for script in soup.find_all("script"):
            if script.get("src") is None and script.get("type", "").strip().lower() in EXECUTABLE:
                digest = script_hash(script.string or "")
                seen.add(digest)
                if digest not in allowed:
                    blocked.append(f"{rel}: script {(script.string or '')[:60]!r}")
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                if name.startswith("on") or name == "style":
                    blocked.append(f"{rel}: <{tag.name} {name}>")
                elif isinstance(value, str) and value.strip().lower().startswith("javascript:"):
                    blocked.append(f"{rel}: <{tag.name} {name}=javascript:>")
        blocked += [f"{rel}: <style>" for _ in soup.find_all("style")]
    assert not blocked, blocked
    assert seen == allowed


# ---- in Chromium, under the real server ---------------------------------------------------------------------------

WATCH = """() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation',
        e => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
}"""


@pytest.fixture
def tab(browser):
    """A desktop tab of the session's Chromium that accepts the test's certificate and records CSP violations."""
    context = browser.new_context(**DESKTOP, ignore_https_errors=True)
    context.set_default_timeout(15_000)
    context.add_init_script(f"({WATCH})()")
    page = context.new_page()
    recorder = Recorder(page)
    page.recorder = recorder
    try:
        yield page
    finally:
        context.close()


def no_violation(page, *, expect_status: set[int] = frozenset()) -> None:
    recorder = page.recorder
    violations = page.evaluate("window.__violations")
    csp_console = [m for m in recorder.console_errors if "Content Security Policy" in m or "Refused to" in m]
    assert not violations, violations
    assert not csp_console, csp_console
    expected = [f"status of {status} " for status in expect_status]  # Chromium logs the 404 page's own status
    others = [m for m in recorder.console_errors if m not in csp_console and not any(e in m for e in expected)]
    assert not others, others
    assert not recorder.failed, recorder.failed
    assert all(int(s.split()[0]) in expect_status for s in recorder.bad_status), recorder.bad_status


PAGE_KINDS = ["home", "news-listing", "news-listing-page-2", "news-item-with-cover", "newsletter-overview", "series",
              "issue-with-pdf", "rules-listing", "rule-item", "archive", "stats", "disclosure-catalogue",
              "disclosure-guide", "not-found"]


def test_every_page_kind_of_the_sample_is_loaded_under_the_policy(sample_urls):
    """A page kind added to conftest's sample_urls is run under the policy too (or is another item page)."""
    other_items = {"news-item-long-title"}  # an item page like news-item-with-cover and rule-item
    assert set(sample_urls) - other_items - {k for k in sample_urls if k.startswith("_")} == set(PAGE_KINDS)


@pytest.mark.build
@pytest.mark.browser
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_runs_under_the_policy(tab, served, sample_urls, kind):
    url = f"{served.origin}/{sample_urls[kind]}" if kind != "not-found" else f"{served.origin}/no-such-page/"
    response = tab.goto(url, wait_until="load")
    assert response.status == (404 if kind == "not-found" else 200)
    tab.wait_for_load_state("networkidle")
    # Material's script ran (it sets up the header), and so did the site's own inline script.
    assert tab.evaluate("typeof window.pubReading") == "object"
    assert tab.evaluate("document.documentElement.dataset.pubSize") == "medium"
    assert tab.evaluate("typeof document$ !== 'undefined'")
    no_violation(tab, expect_status={404} if kind == "not-found" else set())


@pytest.mark.build
@pytest.mark.browser
def test_the_search_finds_under_the_policy(tab, served):
    tab.goto(f"{served.origin}/", wait_until="load")
    open_search(tab)
    results = ask(tab, "井盖")
    assert results and any("井盖" in r["title"] or "井盖" in r["excerpt"] for r in results)
    assert all(r["href"].startswith(served.origin) for r in results)
    no_violation(tab)


@pytest.mark.build
@pytest.mark.browser
def test_reading_settings_apply_before_the_first_paint_under_the_policy(tab, served, sample_urls):
    url = f"{served.origin}/{sample_urls['rule-item']}"
    tab.goto(url, wait_until="load")
    tab.locator("[data-pub-elder-toggle]").first.click()
    tab.locator("[data-pub-size-choice=large]").first.click()
    assert tab.evaluate("document.documentElement.dataset.pubElder") == "1"
    # The next page applies the saved settings from its inline script in <head>: they are there when the
    # parser reaches <body>, before anything is painted and before site.js (deferred) runs.
    tab.add_init_script("""new MutationObserver((_, seen) => { if (document.body) { seen.disconnect();
        window.__atBody = document.documentElement.dataset.pubElder + document.documentElement.dataset.pubSize; } })
        .observe(document, {childList: true, subtree: true})""")
    tab.goto(f"{served.origin}/{sample_urls['news-listing']}", wait_until="load")
    assert tab.evaluate("window.__atBody") == "1large"
    assert tab.locator("[data-pub-size-choice=large]").first.get_attribute("aria-pressed") == "true"
    no_violation(tab)


@pytest.mark.build
@pytest.mark.browser
def test_read_aloud_and_the_catalogues_sorting_under_the_policy(tab, served, sample_urls):
    """The scripts that run on a press: read-aloud.js (fetched on the first one) and sort-table.js."""
    tab.add_init_script(STUB % ZH)  # a speech engine that records (tests/conftest.py)
    tab.goto(f"{served.origin}/{sample_urls['news-item-with-cover']}", wait_until="load")
    tab.get_by_role("button", name="朗读").click()
    tab.wait_for_function("window.__speech.spoken.length === 1")
    tab.evaluate("__finish()")  # the title said: on to the body's first sentence, highlighted
    tab.wait_for_function("window.__speech.spoken.length === 2")
    assert any(url.endswith("/assets/javascripts/read-aloud.js") for url in tab.recorder.requests)
    assert tab.evaluate("CSS.highlights.get('pub-aloud').size") == 1
    assert tab.locator("[data-pub-aloud-status]").text_content() == "开始朗读"
    no_violation(tab)
    tab.goto(f"{served.origin}/{sample_urls['disclosure-catalogue']}", wait_until="load")
    tab.get_by_role("button", name="索引号").click()
    assert tab.locator(".pub-catalogue__table thead th").nth(0).get_attribute("aria-sort") == "ascending"
    assert tab.locator(".pub-catalogue [role=status]").text_content() == "已按索引号升序排列"
    no_violation(tab)


@pytest.mark.build
@pytest.mark.browser
def test_the_print_view_under_the_policy(tab, served, sample_urls, tmp_path):
    tab.goto(f"{served.origin}/{sample_urls['rule-item']}", wait_until="load")
    tab.emulate_media(media="print")
    assert not tab.locator(".md-header").is_visible()  # the print view hides the site's header
    pdf = tmp_path / "rule.pdf"
    tab.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed = text.replace(" ", "")
    # The print stylesheet (print.css, GB/T 9704-2012) was fetched and applied under the policy: its page
    # numbers are there, and the site's chrome and the page's address are not.
    assert any(url.endswith("/assets/stylesheets/print.css") for url in tab.recorder.requests)
    assert "—1—" in printed, printed[-200:]
    assert "本文地址" not in printed and "适老模式" not in printed
    no_violation(tab)

