// Command image builds the manager's container image without a container
// engine: a static Go binary on an empty base (the CA roots are compiled in,
// golang.org/x/crypto/x509roots/fallback), running as UID 65532, written as a
// docker-archive tarball that `docker load`, `podman load`, `kind load
// image-archive`, `k3d image import` and `crane push` read. With -push it also
// pushes the image to the registry of -tag (credentials of ~/.docker/config.json).
//
// ko would do the same but pulls its base image from a registry at build
// time; this needs nothing but Go and the module proxy.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// nonRoot is the image's user, the UID of distroless's nonroot (docs/deploy.md).
const nonRoot = "65532:65532"

func main() {
	tag := flag.String("tag", "partnercenter-operator:dev", "Image reference to name the image (and push it to, with -push).")
	out := flag.String("o", "bin/image.tar", "Where to write the docker-archive tarball.")
	arch := flag.String("arch", runtime.GOARCH, "CPU architecture of the image (linux/<arch>).")
	push := flag.Bool("push", false, "Also push the image to the registry of -tag.")
	flag.Parse()
	if err := run(*tag, *out, *arch, *push); err != nil {
		log.Fatal(err)
	}
}

func run(tag, out, arch string, push bool) error {
	ref, err := name.ParseReference(tag)
	if err != nil {
		return err
	}
	binary, err := buildManager(arch)
	if err != nil {
		return err
	}
	img, err := managerImage(binary, arch)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	if err := tarball.WriteToFile(out, ref, img); err != nil {
		return err
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	fmt.Printf("%s %s written to %s\n", ref, digest, out)
	if push {
		if err := remote.Write(ref, img, remote.WithAuthFromKeychain(authn.DefaultKeychain)); err != nil {
			return fmt.Errorf("pushing %s: %w", ref, err)
		}
		fmt.Printf("%s pushed\n", ref)
	}
	return nil
}

// buildManager compiles ./cmd for linux/arch as the Dockerfile does (static,
// trimmed, stripped) and returns the executable.
func buildManager(arch string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "manager-image")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	bin := filepath.Join(dir, "manager")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, "./cmd")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build ./cmd: %w", err)
	}
	return os.ReadFile(bin)
}

// managerImage is one layer holding /manager on an empty base, run as
// nonRoot with /manager as entrypoint.
func managerImage(binary []byte, arch string) (v1.Image, error) {
	var layerTar bytes.Buffer
	tw := tar.NewWriter(&layerTar)
	// A fixed time keeps the digest a function of the binary alone.
	if err := tw.WriteHeader(&tar.Header{Name: "manager", Mode: 0o755, Size: int64(len(binary)), Typeflag: tar.TypeReg,
		ModTime: time.Unix(0, 0)}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(binary); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar.Bytes())), nil
	})
	if err != nil {
		return nil, err
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		return nil, err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", arch
	cfg.Config.Entrypoint = []string{"/manager"}
	cfg.Config.User = nonRoot
	cfg.Config.Labels = map[string]string{"org.opencontainers.image.title": "partnercenter-operator"}
	return mutate.ConfigFile(img, cfg)
}
