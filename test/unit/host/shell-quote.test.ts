import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { asRoot, shellQuote } from "../../../providers/host/shell-quote";

// The login shell on the host parses the line asRoot builds, then sudo hands the rest to `sh -c`.
// A stand-in `sudo` that prints the argv it received shows what the login shell made of the line:
// the command must arrive as one argument, byte for byte, with nothing expanded or run on the way.
let bin: string;
beforeAll(() => {
  bin = fs.mkdtempSync(path.join(os.tmpdir(), "kw-sudo-"));
  fs.writeFileSync(path.join(bin, "sudo"), '#!/bin/sh\nprintf "%s\\0" "$@"\n', { mode: 0o755 });
});
afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

function argvSudoReceives(line: string): string[] {
  const out = execFileSync("/bin/sh", ["-c", line], { env: { PATH: `${bin}:/usr/bin:/bin`, HOME: "/home/deploy", USER: "deploy" } }).toString();
  return out.split("\0").slice(0, -1);
}

describe("asRoot", () => {
  test("leaves a root login's command as it is", () => {
    expect(asRoot("id -u", "root")).toBe("id -u");
  });

  test.each([
    { description: "a plain command", command: "id -u" },
    { description: "a variable of the login user", command: 'echo "$HOME" $USER' },
    { description: "command substitution", command: "echo $(id -u) `id -u`" },
    { description: "backslashes", command: String.raw`printf 'a\nb' \\ \$` },
    { description: "single quotes", command: "echo 'it''s' \"it's\"" },
    { description: "double quotes and a newline", command: 'echo "a"\necho "b"' },
    { description: "history and globbing characters", command: "echo !! * ? [a] ~ {a,b}" },
    { description: "unicode and a tab", command: "echo 'ünïcødé'\t;" },
  ])("hands $description to sudo's sh -c unchanged", ({ command }) => {
    expect(argvSudoReceives(asRoot(command, "deploy"))).toEqual(["-n", "--", "sh", "-c", command]);
  });
});

describe("shellQuote", () => {
  test.each([
    { text: "", quoted: "''" },
    { text: "plain", quoted: "'plain'" },
    { text: "it's", quoted: "'it'\\''s'" },
    { text: "$(rm -rf /)", quoted: "'$(rm -rf /)'" },
  ])("quotes $text as $quoted", ({ text, quoted }) => {
    expect(shellQuote(text)).toBe(quoted);
  });
});
