#!/usr/bin/env python3
"""End-to-end test of `plainsight serve` with a real HTTP client: pages, HTTP details, paths that
try to leave the site, live reload after an edit, the error overlay, a taken port, requests a
hostile page or client sends (another Host, a Range bomb, connections held open) and Ctrl-C.

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


def raw_request(port, target, headers=b"Host: 127.0.0.1\r\n", version=b"HTTP/1.1", most=1 << 20):
    """Sends a request as it is, without any client tidying the path or the headers; reads at
    most `most` bytes of the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET " + target + b" " + version + b"\r\n" + headers + b"Connection: close\r\n\r\n")
        response = b""
        while len(response) <= most and (chunk := connection.recv(65536)):
            response += chunk
    status = int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0
    return status, response


def status_of(connection, seconds):
    """The status of the response the server sends on a raw connection, 0 if none comes in time."""
    connection.settimeout(seconds)
    try:
        head = connection.recv(4096)
    except OSError:
        return 0, b""
    return (int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0), head


def closed_by_server(connection, seconds):
    """Whether the server closes the connection within `seconds` (whatever it sends first)."""
    connection.settimeout(seconds)
    deadline = time.time() + seconds
    try:
        while time.time() < deadline:
            if not connection.recv(65536):
                return True
    except ConnectionResetError:
        return True
    except OSError:
        return False
    return False


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

    def test_09_only_its_own_host_names_are_answered(self):
        # DNS rebinding: a page from evil.example, its name now pointing at 127.0.0.1, asks for
        # the preview with its own name in Host. Nothing of the site may come back.
        for host in (b"evil.example", b"evil.example:%d" % self.port, b"localhost.evil.example", b"127.0.0.1.nip.io:%d" % self.port):
            for target in (b"/", b"/about/", b"/css/site.css", b"/__plainsight/live.js", b"/__plainsight/events?since=0", b"/no-such-page/"):
                status, response = raw_request(self.port, target, headers=b"Host: " + host + b"\r\n")
                self.assertEqual(status, 403, (host, target))
                self.assertIn(b"DNS rebinding", response)
                self.assertNotIn(b"Derbyshire", response)
                self.assertNotIn(b"EventSource", response)
        self.assertEqual(raw_request(self.port, b"/", headers=b"", version=b"HTTP/1.0")[0], 403)  # no Host at all
        self.assertEqual(raw_request(self.port, b"/", headers=b"Host: 127.0.0.1\r\nHost: evil.example\r\n")[0], 403)
        for host in (b"127.0.0.1", b"127.0.0.1:%d" % self.port, b"localhost", b"LocalHost:%d" % self.port, b"[::1]:%d" % self.port):
            status, response = raw_request(self.port, b"/", headers=b"Host: " + host + b"\r\n")
            self.assertEqual(status, 200, host)
            self.assertIn(b"Derbyshire", response)

    def test_10_ranges_are_answered_within_the_file_size(self):
        with open(os.path.join(self.site, "themes", "default", "static", "css", "site.css"), "rb") as file:
            css = file.read()
        response, body = self.fetch("/css/site.css", headers={"Range": "bytes=10-19"})
        self.assertEqual((response.status, response.getheader("Content-Range"), body.encode()), (206, f"bytes 10-19/{len(css)}", css[10:20]))
        response, _ = self.fetch("/css/site.css", headers={"Range": f"bytes={len(css)}-"})
        self.assertEqual((response.status, response.getheader("Content-Range")), (416, f"bytes */{len(css)}"))
        # 7.9 KB of "0-," once made a 1.47 GB answer: now the whole file, once, or 416.
        bomb = b"Range: bytes=0-" + b",0-" * 2630 + b"\r\n"
        for target, whole in ((b"/css/site.css", css), (b"/", None)):
            started = time.time()
            status, response = raw_request(self.port, target, headers=b"Host: 127.0.0.1\r\n" + bomb, most=4 << 20)
            self.assertIn(status, (200, 416), target)
            head, _, body = response.partition(b"\r\n\r\n")
            self.assertLess(len(body), 200_000, target)
            if whole is not None and status == 200:
                self.assertEqual(body, whole)
            self.assertLess(time.time() - started, 2.0, target)

    def test_11_connections_held_open_do_not_starve_pages(self):
        # 200 connections that send nothing, 200 that send their request a byte at a time and
        # 64 pages listening for reloads, all at once: a page must still load within a second.
        idle, slow, streams = [], [], []
        trickling = threading.Event()

        def trickle():
            while not trickling.wait(0.1):
                for connection in slow:
                    try:
                        connection.send(b"x")
                    except OSError:
                        pass

        try:
            for _ in range(200):
                idle.append(socket.create_connection(("127.0.0.1", self.port), timeout=5))
            for _ in range(200):
                connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                slow.append(connection)
            threading.Thread(target=trickle, daemon=True).start()
            for _ in range(64):
                connection = socket.create_connection(("127.0.0.1", self.port), timeout=5)
                connection.sendall(b"GET /__plainsight/events?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                streams.append(connection)
            held_since = time.time()
            time.sleep(0.2)  # let the server take them all in

            started = time.time()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            connection.request("GET", "/about/")
            response = connection.getresponse()
            body = response.read()
            elapsed = time.time() - started
            connection.close()
            print(f"a page with 464 connections held open: {elapsed * 1000:.0f} ms", file=sys.stderr)
            self.assertEqual(response.status, 200)
            self.assertIn(b"About", body)
            self.assertLess(elapsed, 1.0)

            # The event streams are capped: the rest are told to come back later.
            answers = [status_of(stream, 2) for stream in streams]
            statuses = [status for status, _ in answers]
            self.assertEqual(set(statuses), {200, 503}, statuses)
            self.assertLessEqual(statuses.count(200), 32)
            self.assertTrue(all(b"\r\nRetry-After: " in head for status, head in answers if status == 503))

            # A client that is slow to send its request, or sends none, is let go in seconds.
            self.assertTrue(closed_by_server(slow[0], max(0.5, held_since + 4 - time.time())), "a slow client was not cut off")
            self.assertTrue(all(closed_by_server(connection, 0.5) for connection in slow[1:]), "slow clients were not all cut off")
            self.assertTrue(closed_by_server(idle[0], max(0.5, held_since + 4 - time.time())), "an idle connection was not closed")
        finally:
            trickling.set()
            for connection in idle + slow + streams:
                connection.close()
        # Closed pages give their event-stream places back.
        deadline = time.time() + 3
        while True:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
                connection.sendall(b"GET /__plainsight/events?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                status, _ = status_of(connection, 2)
            if status == 200 or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(status, 200)

    def test_12_keep_alive_requests_do_not_wait_for_acks(self):
        # Without TCP_NODELAY each response's body waited ~40 ms for the client's delayed ACK.
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        started = time.time()
        for _ in range(20):
            connection.request("GET", "/robots.txt")
            response = connection.getresponse()
            response.read()
            self.assertEqual(response.status, 200)
        elapsed = time.time() - started
        connection.close()
        print(f"20 keep-alive requests: {elapsed * 1000:.0f} ms", file=sys.stderr)
        self.assertLess(elapsed, 0.4)

    @unittest.skipUnless(shutil.which("ss"), "needs ss (iproute2) to read the listen backlog")
    def test_13_listen_backlog_is_not_five(self):
        output = subprocess.run(["ss", "-Hltn", f"sport = :{self.port}"], capture_output=True, text=True, check=True).stdout.split()
        self.assertGreaterEqual(int(output[2]), 128, output)  # Send-Q of a listening socket is its backlog

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
