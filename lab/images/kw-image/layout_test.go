package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func buildTestImage(t *testing.T, binary []byte, dir string) (Manifest, []byte) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "app")
	if err := os.WriteFile(bin, binary, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest, manifestJSON, err := BuildLayout(ImageSpec{Binary: bin, Name: "app", User: "65532"}, dir)
	if err != nil {
		t.Fatal(err)
	}
	return manifest, manifestJSON
}

func TestBuildLayoutIsReproducible(t *testing.T) {
	_, first := buildTestImage(t, []byte("binary v1"), t.TempDir())
	_, again := buildTestImage(t, []byte("binary v1"), t.TempDir())
	_, other := buildTestImage(t, []byte("binary v2"), t.TempDir())
	if digestOf(first) != digestOf(again) {
		t.Errorf("same binary, different manifests: %s vs %s", digestOf(first), digestOf(again))
	}
	if digestOf(first) == digestOf(other) {
		t.Errorf("different binaries, same manifest %s", digestOf(first))
	}
}

func TestBuildLayoutHoldsTheBinaryAsEntrypoint(t *testing.T) {
	dir := t.TempDir()
	built, _ := buildTestImage(t, []byte("#!binary"), dir)
	manifest, manifestJSON, err := ReadLayout(dir)
	if err != nil {
		t.Fatal(err)
	}
	if digestOf(manifestJSON) == "" || manifest.Layers[0].Digest != built.Layers[0].Digest || manifest.MediaType != mediaTypeManifest {
		t.Fatalf("read back a different manifest: %+v", manifest)
	}
	layer, err := os.ReadFile(filepath.Join(dir, blobPath(manifest.Layers[0].Digest)))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(layer))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	header, err := tr.Next()
	if err != nil {
		t.Fatal(err)
	}
	content, _ := io.ReadAll(tr)
	if header.Name != "app" || header.Mode != 0o755 || string(content) != "#!binary" {
		t.Errorf("layer entry %s mode %o content %q", header.Name, header.Mode, content)
	}
	configJSON, _ := os.ReadFile(filepath.Join(dir, blobPath(manifest.Config.Digest)))
	var config struct {
		Architecture, OS string
		Config           struct {
			Entrypoint []string
			User       string
		}
	}
	if err := json.Unmarshal(configJSON, &config); err != nil {
		t.Fatal(err)
	}
	if config.Architecture != "amd64" || config.OS != "linux" || config.Config.Entrypoint[0] != "/app" || config.Config.User != "65532" {
		t.Errorf("config %+v", config)
	}
}

func TestParseReference(t *testing.T) {
	ref, err := ParseReference("10.213.0.1:5000/pause:3.10.2")
	if err != nil || ref != (Reference{Registry: "10.213.0.1:5000", Repository: "pause", Tag: "3.10.2"}) {
		t.Errorf("got %+v, %v", ref, err)
	}
	for _, bad := range []string{"pause:3.10.2", "10.213.0.1:5000/pause", "10.213.0.1:5000/Pause:1", "10.213.0.1:5000/pause@sha256:00"} {
		if _, err := ParseReference(bad); err == nil {
			t.Errorf("ParseReference(%q) accepted", bad)
		}
	}
}
