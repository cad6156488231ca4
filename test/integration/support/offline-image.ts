import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runOk } from "../../support/process";

// A pause-like image made here from a static Go binary, as a docker-archive tar that
// `ctr -n k8s.io images import` loads: a host runs pods without any registry.

const pauseSource = `package main

import (
	"os"
	"os/signal"
	"syscall"
)

// Waits for SIGTERM or SIGINT, then exits 0: what a pod sandbox's pause process does.
func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
}
`;

function goCommand(): string {
  return fs.existsSync("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "go";
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Builds the image tagged `reference` into a docker-archive tar; returns the tar's path. */
export async function buildPauseArchive(reference: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kw-pause-"));
  const rootfs = path.join(dir, "rootfs");
  fs.mkdirSync(rootfs);
  fs.writeFileSync(path.join(dir, "main.go"), pauseSource);
  await runOk(goCommand(), ["build", "-trimpath", "-ldflags", "-s -w", "-o", path.join(rootfs, "pause"), "main.go"], {
    cwd: dir,
    env: { ...process.env, CGO_ENABLED: "0", GO111MODULE: "off", GOFLAGS: "" },
    timeoutMs: 300_000,
  });
  const archive = path.join(dir, "archive");
  fs.mkdirSync(archive);
  await runOk("tar", ["--numeric-owner", "--owner=0", "--group=0", "--mtime=@0", "-C", rootfs, "-cf", path.join(archive, "layer.tar"), "pause"]);
  const config = {
    architecture: "amd64",
    os: "linux",
    config: { Entrypoint: ["/pause"] },
    rootfs: { type: "layers", diff_ids: [`sha256:${sha256(path.join(archive, "layer.tar"))}`] },
  };
  fs.writeFileSync(path.join(archive, "config.json"), JSON.stringify(config));
  fs.writeFileSync(path.join(archive, "manifest.json"), JSON.stringify([{ Config: "config.json", RepoTags: [reference], Layers: ["layer.tar"] }]));
  const tar = path.join(dir, "pause.tar");
  await runOk("tar", ["-C", archive, "-cf", tar, "manifest.json", "config.json", "layer.tar"]);
  return tar;
}
