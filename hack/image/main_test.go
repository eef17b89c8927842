package main

import (
	"archive/tar"
	"bytes"
	"debug/buildinfo"
	"io"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// TestImageRunsTheManagerAsNonRoot builds the image as `make image` does and
// reads it back: one layer with an executable /manager for linux that carries
// its own CA roots (the base is empty), /manager as entrypoint, a numeric
// non-root user (runAsNonRoot can check it).
func TestImageRunsTheManagerAsNonRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the manager")
	}
	out := filepath.Join(t.TempDir(), "image.tar")
	t.Chdir(filepath.Join("..", ".."))
	if err := run("registry.example/partnercenter-operator:test", out, runtime.GOARCH, false); err != nil {
		t.Fatal(err)
	}
	img, err := tarball.ImageFromPath(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || cfg.Architecture != runtime.GOARCH || !slices.Equal(cfg.Config.Entrypoint, []string{"/manager"}) || cfg.Config.User != nonRoot {
		t.Errorf("config: os %s arch %s entrypoint %v user %q", cfg.OS, cfg.Architecture, cfg.Config.Entrypoint, cfg.Config.User)
	}
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("want one layer, got %d (%v)", len(layers), err)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != "manager" || hdr.Mode&0o111 == 0 {
		t.Fatalf("layer: want an executable manager, got %+v (%v)", hdr, err)
	}
	binary, err := io.ReadAll(tr)
	if err != nil {
		t.Fatal(err)
	}
	info, err := buildinfo.Read(bytes.NewReader(binary))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(info.Deps, func(m *debug.Module) bool { return m.Path == "golang.org/x/crypto/x509roots/fallback" }) {
		t.Error("the manager does not carry the fallback CA roots: on an empty base it could not verify Partner Center's certificate")
	}
}
