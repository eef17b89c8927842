// Command demo is `make demo`: it builds what is missing, starts a local
// kube-apiserver and etcd (the envtest binaries the tests use), installs the
// CRDs and validating webhooks, runs the manager against them with the
// built-in Partner Center simulator, applies config/samples/ and the invalid
// sample, and shows every object's Ready condition live until Ctrl-C.
//
// Environment:
//
//	DEMO_EXIT_WHEN_READY=1  exit 0 once every sample is Ready, non-zero with
//	                        the stuck objects' conditions after DEMO_TIMEOUT
//	DEMO_TIMEOUT            how long the samples may take (default 3m)
//	DEMO_DIR                where the kubeconfig, logs and manager binary go
//	                        (default bin/demo)
//	KUBEBUILDER_ASSETS      use these kube-apiserver/etcd binaries instead of
//	                        hack/envtest-assets.sh
//
// Run it from the repository root (make demo does).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
)

// defaultTimeout bounds how long the samples may take to become Ready: the
// simulator's demo timings add up to well under a minute.
const defaultTimeout = 3 * time.Minute

// partnerDomain is the demo partner's own e-mail domain (C4 refuses customer
// e-mails in it; no sample uses it).
const partnerDomain = "partner.example"

func init() {
	// Children are started from the main goroutine; keeping it on the main
	// thread makes their parent-death signal (guard_linux.go) fire only when
	// the demo process itself ends, never when a runtime thread exits.
	runtime.LockOSThread()
}

func main() {
	execIfControlPlaneChild()
	// The demo prints its own narrative; client-go's internal logs would only
	// interleave with the live table.
	ctrllog.SetLogger(logr.Discard())
	klog.SetLogger(logr.Discard())
	s, err := readSettings()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the demo at once; its children die with it
	}()
	os.Exit(run(ctx, s))
}

// settings are the demo's options, read from the environment.
type settings struct {
	dir           string
	exitWhenReady bool
	timeout       time.Duration
}

// readSettings reads the settings from the environment and creates the demo directory.
func readSettings() (settings, error) {
	if _, err := os.Stat(filepath.Join("config", "samples", "kustomization.yaml")); err != nil {
		return settings{}, errors.New("run the demo from the repository root (make demo)")
	}
	s := settings{dir: filepath.Join("bin", "demo"), exitWhenReady: os.Getenv("DEMO_EXIT_WHEN_READY") == "1", timeout: defaultTimeout}
	if d := os.Getenv("DEMO_DIR"); d != "" {
		s.dir = d
	}
	if t := os.Getenv("DEMO_TIMEOUT"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil {
			return settings{}, fmt.Errorf("DEMO_TIMEOUT=%q: %w", t, err)
		}
		s.timeout = d
	}
	abs, err := filepath.Abs(s.dir)
	if err != nil {
		return settings{}, err
	}
	s.dir = abs
	return s, os.MkdirAll(s.dir, 0o755)
}

// run is the whole demo; its result is the process exit code.
func run(ctx context.Context, s settings) int {
	assets, err := ensureControlPlane(ctx)
	if err != nil {
		return fail(ctx, err)
	}
	managerBin, err := buildManager(ctx, s.dir)
	if err != nil {
		return fail(ctx, err)
	}
	cp, err := startControlPlane(assets, s.dir)
	if err != nil {
		return fail(ctx, err)
	}
	defer cp.stop()
	mgr, err := startManager(ctx, managerBin, cp, s.dir)
	if err != nil {
		return fail(ctx, err)
	}
	defer mgr.stop()

	w, err := watchSamples(ctx, cp.restConfig)
	if err != nil {
		return fail(ctx, err)
	}
	defer w.stop()
	applied, err := applySamples(ctx, cp.client)
	if err != nil {
		return fail(ctx, err)
	}
	refusal, err := applyInvalidSamples(ctx, cp.client)
	if err != nil {
		return fail(ctx, err)
	}
	return w.follow(ctx, followOptions{
		expected: applied, timeout: s.timeout, exitWhenReady: s.exitWhenReady,
		explore: exploreHints{dir: s.dir, assets: assets, refusal: refusal},
	})
}

// fail prints why the demo cannot go on; the deferred stops still run.
func fail(ctx context.Context, err error) int {
	if ctx.Err() != nil {
		say("interrupted")
		return 130 // the shell's code for an interrupted command
	}
	fmt.Fprintln(os.Stderr, "demo: "+err.Error())
	return 1
}
