package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

const (
	mediaTypeIndex    = "application/vnd.oci.image.index.v1+json"
	mediaTypeManifest = "application/vnd.oci.image.manifest.v1+json"
	mediaTypeConfig   = "application/vnd.oci.image.config.v1+json"
	mediaTypeLayer    = "application/vnd.oci.image.layer.v1.tar+gzip"
)

// Descriptor is an OCI content descriptor.
type Descriptor struct {
	MediaType string            `json:"mediaType"`
	Digest    string            `json:"digest"`
	Size      int64             `json:"size"`
	Platform  map[string]string `json:"platform,omitempty"`
}

// Manifest is an OCI image manifest.
type Manifest struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Config        Descriptor   `json:"config"`
	Layers        []Descriptor `json:"layers"`
}

// ImageSpec says what goes in an image: one static binary at /<Name>, run as User.
type ImageSpec struct {
	Binary string // path of the binary on this machine
	Name   string // its name in the image (the entrypoint is /<Name>)
	User   string // "" = root
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// layerTar is a tar holding only the binary, with fixed owner and time, so the same binary always
// gives the same layer digest (which makes pushes idempotent and caches stable).
func layerTar(binary []byte, name string) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	header := &tar.Header{
		Name: name, Mode: 0o755, Size: int64(len(binary)), Typeflag: tar.TypeReg,
		ModTime: time.Unix(0, 0), Format: tar.FormatUSTAR,
	}
	if err := tw.WriteHeader(header); err != nil {
		return nil, err
	}
	if _, err := tw.Write(binary); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func gzipped(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// BuildLayout writes a linux/amd64 image of spec as an OCI image layout in dir and returns its manifest.
func BuildLayout(spec ImageSpec, dir string) (Manifest, []byte, error) {
	binary, err := os.ReadFile(spec.Binary)
	if err != nil {
		return Manifest{}, nil, fmt.Errorf("reading the image's binary: %w", err)
	}
	tarball, err := layerTar(binary, spec.Name)
	if err != nil {
		return Manifest{}, nil, err
	}
	layer, err := gzipped(tarball)
	if err != nil {
		return Manifest{}, nil, err
	}
	imageConfig := map[string]any{"Entrypoint": []string{"/" + spec.Name}}
	if spec.User != "" {
		imageConfig["User"] = spec.User
	}
	config, err := json.Marshal(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"config":       imageConfig,
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{digestOf(tarball)}},
		"history":      []map[string]string{{"created_by": "kw-image build (lab/images)"}},
	})
	if err != nil {
		return Manifest{}, nil, err
	}
	manifest := Manifest{
		SchemaVersion: 2,
		MediaType:     mediaTypeManifest,
		Config:        Descriptor{MediaType: mediaTypeConfig, Digest: digestOf(config), Size: int64(len(config))},
		Layers:        []Descriptor{{MediaType: mediaTypeLayer, Digest: digestOf(layer), Size: int64(len(layer))}},
	}
	manifestJSON, err := json.Marshal(manifest)
	if err != nil {
		return Manifest{}, nil, err
	}
	index, err := json.Marshal(map[string]any{
		"schemaVersion": 2,
		"mediaType":     mediaTypeIndex,
		"manifests": []Descriptor{{
			MediaType: mediaTypeManifest, Digest: digestOf(manifestJSON), Size: int64(len(manifestJSON)),
			Platform: map[string]string{"architecture": "amd64", "os": "linux"},
		}},
	})
	if err != nil {
		return Manifest{}, nil, err
	}
	files := map[string][]byte{
		"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`),
		"index.json": index,
	}
	for _, blob := range [][]byte{layer, config, manifestJSON} {
		files[blobPath(digestOf(blob))] = blob
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return Manifest{}, nil, err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return Manifest{}, nil, err
		}
	}
	return manifest, manifestJSON, nil
}

func blobPath(digest string) string {
	return filepath.Join("blobs", "sha256", digest[len("sha256:"):])
}

// ReadLayout returns the manifest of the one image in an OCI layout written by BuildLayout.
func ReadLayout(dir string) (Manifest, []byte, error) {
	indexJSON, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return Manifest{}, nil, fmt.Errorf("%s is not an image layout built by kw-image: %w", dir, err)
	}
	var index struct{ Manifests []Descriptor }
	if err := json.Unmarshal(indexJSON, &index); err != nil || len(index.Manifests) != 1 {
		return Manifest{}, nil, fmt.Errorf("%s/index.json must list exactly one manifest", dir)
	}
	manifestJSON, err := os.ReadFile(filepath.Join(dir, blobPath(index.Manifests[0].Digest)))
	if err != nil {
		return Manifest{}, nil, err
	}
	if digestOf(manifestJSON) != index.Manifests[0].Digest {
		return Manifest{}, nil, fmt.Errorf("%s: manifest blob does not match its digest %s", dir, index.Manifests[0].Digest)
	}
	var manifest Manifest
	if err := json.Unmarshal(manifestJSON, &manifest); err != nil {
		return Manifest{}, nil, err
	}
	return manifest, manifestJSON, nil
}
