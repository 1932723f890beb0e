#!/usr/bin/env python3
"""End-to-end test of `plainsight serve` with a real HTTP client: pages, HTTP details, paths that
try to leave the site, live reload after an edit, the error overlay, a taken port and Ctrl-C.

    serve_test.py PLAINSIGHT_BINARY SOURCE_DIR
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

BINARY, SOURCE = sys.argv[1], sys.argv[2]


def start_server(site, *extra):
    process = subprocess.Popen([BINARY, "serve", "--site", site, "--port", "0", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.time() + 30
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"Serving the preview at http://127\.0\.0\.1:(\d+)/", line)
        if found:
            log = []
            threading.Thread(target=lambda: log.extend(iter(process.stdout.readline, "")), daemon=True).start()
            return process, int(found.group(1)), log
    process.kill()
    raise AssertionError("the server did not start: " + "".join(lines) + process.stderr.read())


def raw_request(port, target):
    """Sends a request line as it is, without any client tidying the path."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        response = b""
        while chunk := connection.recv(65536):
            response += chunk
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
    return status, response


class PreviewServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="plainsight-serve-")
        cls.site = os.path.join(cls.folder, "site")
        os.makedirs(cls.site)
        for part in ("site.json", "content", "themes"):
            source = os.path.join(SOURCE, part)
            (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, os.path.join(cls.site, part))
        with open(os.path.join(cls.folder, "secret.txt"), "w") as secret:
            secret.write("outside the site")
        cls.process, cls.port, cls.log = start_server(cls.site)

    @classmethod
    def tearDownClass(cls):
        if cls.process.poll() is None:
            cls.process.kill()
            cls.process.wait()
        shutil.rmtree(cls.folder)

    def fetch(self, path, method="GET", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response, body

    def edit(self, relative, change):
        path = os.path.join(self.site, relative)
        with open(path, encoding="utf-8") as file:
            text = file.read()
        with open(path, "w", encoding="utf-8") as file:
            file.write(change(text))
        return text

    def wait_for(self, path, predicate, seconds=10):
        deadline = time.time() + seconds
        while time.time() < deadline:
            response, body = self.fetch(path)
            if predicate(body):
                return response, body
            time.sleep(0.005)
        self.fail(f"{path} did not change within {seconds} s; server log:\n" + "".join(self.log))

    def test_01_pages_files_and_http_details(self):
        response, body = self.fetch("/")
        self.assertEqual(response.status, 200)
        self.assertEqual(response.getheader("Content-Type"), "text/html; charset=utf-8")
        self.assertIn("Derbyshire County Council", body)
        self.assertRegex(body, r'<script src="/__plainsight/live.js" data-version="\d+"></script></body>')
        for path, content_type in (("/css/site.css", "text/css; charset=utf-8"), ("/js/pipeline.js", "text/javascript; charset=utf-8"),
                                   ("/feed.xml", "application/atom+xml; charset=utf-8"), ("/sitemap.xml", "application/xml; charset=utf-8"),
                                   ("/robots.txt", "text/plain; charset=utf-8"), ("/data/datapackage.json", "application/json"),
                                   ("/data/procurement/pipeline.csv", "text/csv; charset=utf-8"), ("/__plainsight/live.js", "text/javascript; charset=utf-8")):
            response, file_body = self.fetch(path)
            self.assertEqual((path, response.status, response.getheader("Content-Type")), (path, 200, content_type))
            self.assertNotIn("live.js", file_body if path != "/__plainsight/live.js" else "")

        response, body = self.fetch("/about/")
        etag = response.getheader("ETag")
        self.assertRegex(etag, r'^"[0-9a-f]{16}"$')
        response, again = self.fetch("/about/", headers={"If-None-Match": etag})
        self.assertEqual((response.status, again), (304, ""))
        response, head = self.fetch("/about/", method="HEAD")
        self.assertEqual((response.status, head, response.getheader("ETag")), (200, "", etag))
        self.assertEqual(int(response.getheader("Content-Length")), len(body.encode("utf-8")))

        response, _ = self.fetch("/about")
        self.assertEqual((response.status, response.getheader("Location")), (301, "/about/"))
        response, body = self.fetch("/no-such-page/")
        self.assertEqual(response.status, 404)
        self.assertIn("<h1", body)
        self.assertIn("live.js", body)

    def test_02_only_loopback_by_default(self):
        with open("/proc/net/tcp") as table:
            listening = [line.split() for line in table.readlines()[1:] if line.split()[3] == "0A"]
        addresses = {fields[1] for fields in listening if int(fields[1].split(":")[1], 16) == self.port}
        self.assertEqual(addresses, {"0100007F:%04X" % self.port})

    def test_03_paths_that_leave_the_site(self):
        secrets = (b"outside the site", b"ocid_prefix", b"root:")
        cases = [b"/../secret.txt", b"/../site.json", b"/%2e%2e/site.json", b"/%2E%2E/%2e%2e/secret.txt", b"/..%2fsite.json", b"/css/..%2f..%2fsite.json",
                 b"/%2e%2e%5csite.json", b"/..\\site.json", b"/css\\..\\..\\site.json", b"/etc/passwd", b"//etc/passwd", b"/%2fetc%2fpasswd",
                 b"http://127.0.0.1/../site.json", b"/about/%00", b"/%00../site.json", b"/" + b"a" * 3000, b"/" + b"a/" * 6000,
                 b"/%252e%252e/site.json", b"/content/about.md", b"/site.json", b"/themes/default/templates/page.mustache"]
        for target in cases:
            status, response = raw_request(self.port, target)
            self.assertIn(status, (400, 404), target[:60])
            for secret in secrets:
                self.assertNotIn(secret, response, target[:60])
        self.assertEqual(raw_request(self.port, b"/../site.json")[0], 400)
        self.assertEqual(raw_request(self.port, b"/" + b"a" * 10000)[0], 400)

    def test_04_edit_reloads_open_pages(self):
        _, page = self.fetch("/about/")
        version = re.search(r'data-version="(\d+)"', page).group(1)
        events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        events.request("GET", "/__plainsight/events?since=" + version)
        stream = events.getresponse()
        self.assertEqual(stream.getheader("Content-Type"), "text/event-stream")
        _, index_before = self.fetch("/search/index/meta.json")
        original = self.edit("content/about.md", lambda text: text + "\nThis sentence was added while previewing.\n")
        try:
            saved = time.time()
            lines = []
            while "event: reload" not in lines:
                lines.append(stream.fp.readline().decode().strip())
            _, body = self.wait_for("/about/", lambda body: "This sentence was added while previewing." in body)
            print(f"edit to served: {(time.time() - saved) * 1000:.0f} ms", file=sys.stderr)
            self.assertNotIn('data-version="%s"' % version, body)
            # The server logs the rebuild after it swaps in the new pages: give the line a moment.
            deadline = time.time() + 5
            while not any("only the pages that show the edit" in line for line in self.log) and time.time() < deadline:
                time.sleep(0.01)
            self.assertTrue(any("only the pages that show the edit" in line for line in self.log), "".join(self.log))
            # The search index follows the page: its version changes with the new words.
            self.wait_for("/search/index/meta.json", lambda body: json.loads(body)["version"] != json.loads(index_before)["version"])
        finally:
            events.close()
            self.edit("content/about.md", lambda _: original)
        self.wait_for("/about/", lambda body: "added while previewing" not in body)

    def test_05_broken_build_shows_errors_over_the_last_good_site(self):
        original = self.edit("content/about.md", lambda text: text + "\nSee [the old budget](/budgets/2019-20/).\n")
        try:
            _, body = self.wait_for("/about/", lambda body: "The site did not build" in body)
            line_number = original.count("\n") + 2
            self.assertIn(f"<code>content/about.md, line {line_number}, column 5</code>: broken link: /budgets/2019-20/ is not a page", body)
            self.assertIn("See [the old budget](/budgets/2019-20/).", body)
            self.assertIn('role="alert"', body)
            response, home = self.fetch("/")
            self.assertEqual(response.status, 200)
            self.assertIn("The site did not build", home)
            self.assertIn("Derbyshire County Council", home)  # the last good page is still there beneath
        finally:
            self.edit("content/about.md", lambda _: original)
        self.wait_for("/about/", lambda body: "The site did not build" not in body)

    def test_06_new_page_and_theme_change(self):
        path = os.path.join(self.site, "content", "news", "2022-07-01-preview-test.md")
        with open(path, "w") as file:
            file.write("---\ntitle: Written in the preview\ndate: 2022-07-01\n---\n\nNew.\n")
        try:
            self.wait_for("/news/preview-test/", lambda body: "Written in the preview" in body)
            self.wait_for("/news/", lambda body: "Written in the preview" in body)
        finally:
            os.remove(path)
        response, _ = self.wait_for("/news/preview-test/", lambda body: "Written in the preview" not in body)
        self.assertEqual(response.status, 404)

    def test_07_port_in_use(self):
        result = subprocess.run([BINARY, "serve", "--site", self.site, "--port", str(self.port)], capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 2)
        self.assertIn(f"port {self.port} on 127.0.0.1 is already in use", result.stderr)

    def test_08_an_edit_right_after_start_is_not_missed(self):
        # Many folders make watching them take a while: a file saved as the server reports
        # its address, before that is done, must still reach the preview.
        site = os.path.join(self.folder, "many-folders")
        shutil.copytree(self.site, site)
        for n in range(2000):
            os.makedirs(os.path.join(site, "content", "notes", f"topic-{n:04}"))
            with open(os.path.join(site, "content", "notes", f"topic-{n:04}", "index.md"), "w") as page:
                page.write(f"---\ntitle: Topic {n}\n---\nNotes on topic {n}.\n")
        process, port, log = start_server(site)
        try:
            with open(os.path.join(site, "content", "notes", "topic-0000", "index.md"), "a") as page:
                page.write("Saved as the preview started.\n")
            deadline = time.time() + 10
            while time.time() < deadline:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/notes/topic-0000/")
                body = connection.getresponse().read().decode()
                connection.close()
                if "Saved as the preview started." in body:
                    break
                time.sleep(0.01)
            else:
                self.fail("an edit saved right after start was never built; server log:\n" + "".join(log))
        finally:
            process.kill()
            process.wait()

    def test_99_ctrl_c_stops_within_a_second(self):
        idle = socket.create_connection(("127.0.0.1", self.port))
        events = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        events.request("GET", "/__plainsight/events?since=0")
        events.getresponse()
        started = time.time()
        self.process.send_signal(signal.SIGINT)
        self.assertEqual(self.process.wait(timeout=5), 0)
        elapsed = time.time() - started
        idle.close()
        events.close()
        self.assertLess(elapsed, 1.0)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
