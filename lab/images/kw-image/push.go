package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Reference is host[:port]/repository:tag of a plain-HTTP registry.
type Reference struct{ Registry, Repository, Tag string }

var referencePattern = regexp.MustCompile(`^([A-Za-z0-9.-]+(?::\d+)?)/([a-z0-9]+(?:[._/-][a-z0-9]+)*):([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$`)

// ParseReference accepts only fully qualified references with a tag: the lab names every image exactly.
func ParseReference(ref string) (Reference, error) {
	m := referencePattern.FindStringSubmatch(ref)
	if m == nil {
		return Reference{}, fmt.Errorf("%q is not a reference like 10.213.0.1:5000/pause:3.10.2 (registry/repository:tag)", ref)
	}
	return Reference{Registry: m[1], Repository: m[2], Tag: m[3]}, nil
}

func (r Reference) String() string { return r.Registry + "/" + r.Repository + ":" + r.Tag }

type pusher struct {
	client *http.Client
	base   string // http://registry/v2/repository
}

func newPusher(ref Reference) pusher {
	return pusher{client: &http.Client{Timeout: 60 * time.Second}, base: "http://" + ref.Registry + "/v2/" + ref.Repository}
}

func (p pusher) do(method, target string, body []byte, header map[string]string) (*http.Response, error) {
	req, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, target, err)
	}
	return resp, nil
}

func unexpected(resp *http.Response, what string) error {
	text, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
	return fmt.Errorf("%s: %s %s answered %s: %s", what, resp.Request.Method, resp.Request.URL, resp.Status, strings.TrimSpace(string(text)))
}

// pushBlob uploads a blob unless the repository has it already (a monolithic upload: POST, then PUT).
func (p pusher) pushBlob(digest string, content []byte) (bool, error) {
	resp, err := p.do(http.MethodHead, p.base+"/blobs/"+digest, nil, nil)
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return false, nil
	}
	resp, err = p.do(http.MethodPost, p.base+"/blobs/uploads/", nil, nil)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		return false, unexpected(resp, "starting the upload of "+digest)
	}
	location, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		return false, fmt.Errorf("upload location %q: %w", resp.Header.Get("Location"), err)
	}
	query := location.Query()
	query.Set("digest", digest)
	location.RawQuery = query.Encode()
	put, err := p.do(http.MethodPut, location.String(), content, map[string]string{"Content-Type": "application/octet-stream"})
	if err != nil {
		return false, err
	}
	defer put.Body.Close()
	if put.StatusCode != http.StatusCreated {
		return false, unexpected(put, "uploading "+digest)
	}
	return true, nil
}

// Push copies the image of an OCI layout to ref. Idempotent: blobs the registry has are not sent, and a
// tag that already names this manifest is left alone. Returns whether anything was written.
func Push(layoutDir string, ref Reference) (bool, string, error) {
	manifest, manifestJSON, err := ReadLayout(layoutDir)
	if err != nil {
		return false, "", err
	}
	digest := digestOf(manifestJSON)
	p := newPusher(ref)
	head, err := p.do(http.MethodHead, p.base+"/manifests/"+url.PathEscape(ref.Tag), nil, map[string]string{"Accept": mediaTypeManifest})
	if err != nil {
		return false, "", err
	}
	head.Body.Close()
	if head.StatusCode == http.StatusOK && head.Header.Get("Docker-Content-Digest") == digest {
		return false, digest, nil
	}
	changed := false
	for _, blob := range append([]Descriptor{manifest.Config}, manifest.Layers...) {
		content, err := os.ReadFile(filepath.Join(layoutDir, blobPath(blob.Digest)))
		if err != nil {
			return false, "", err
		}
		sent, err := p.pushBlob(blob.Digest, content)
		if err != nil {
			return false, "", err
		}
		changed = changed || sent
	}
	resp, err := p.do(http.MethodPut, p.base+"/manifests/"+url.PathEscape(ref.Tag), manifestJSON, map[string]string{"Content-Type": mediaTypeManifest})
	if err != nil {
		return false, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return false, "", unexpected(resp, "tagging "+ref.String())
	}
	return true, digest, nil
}
