package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// simulatorWithBook starts the simulator over HTTP, seeds a book of n
// customers through its control API and writes its tokens as a credentials
// directory; it returns the URL and the directory.
func simulatorWithBook(t *testing.T, n int) (string, string) {
	t.Helper()
	server, err := pcsim.NewServer(pcsim.Config{EnableControlAPI: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(server.Close)
	if _, err := pcsim.SeedOverHTTP(context.Background(), server.URL(), pcsim.SampleBook(pcsim.BookSize{Customers: n, Subscriptions: 2 * n, Resellers: 1})); err != nil {
		t.Fatal(err)
	}
	creds := t.TempDir()
	for key, kind := range map[string]pcsim.TokenKind{partnercenter.SecretKeyAppOnlyToken: pcsim.TokenAppOnly, partnercenter.SecretKeyAppUserToken: pcsim.TokenAppUser} {
		if err := os.WriteFile(filepath.Join(creds, key), []byte(server.Sim.IssueToken(kind)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return server.URL(), creds
}

func TestExportCommandShowsProgressAndWritesTheBook(t *testing.T) {
	url, creds := simulatorWithBook(t, 6)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := exportCommand([]string{"--out", out, "--partner-center-url", url, "--credentials-dir", creds, "--customer", "contoso"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "Exported 1 customers (0 resumed), 2 subscriptions") {
		t.Fatalf("summary: %q", stdout.String())
	}
	if bar := stderr.String(); !strings.Contains(bar, "1/1") || !strings.Contains(bar, "customers (2 subscriptions)") {
		t.Fatalf("no progress bar with counts on stderr: %q", bar)
	}
	if _, err := os.Stat(filepath.Join(out, "kustomization.yaml")); err != nil {
		t.Fatal(err)
	}
}

func TestSubcommandsRefuseMissingFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func([]string, *bytes.Buffer, *bytes.Buffer) int
		args []string
	}{
		{"export without --out", func(a []string, o, e *bytes.Buffer) int { return exportCommand(a, o, e) }, []string{"--partner-center-url", "http://127.0.0.1:1"}},
		{"plan without -f", func(a []string, o, e *bytes.Buffer) int { return planCommand(a, o, e) }, []string{"--partner-center-url", "http://127.0.0.1:1"}},
		{"plan with an unknown output", func(a []string, o, e *bytes.Buffer) int { return planCommand(a, o, e) }, []string{"-f", ".", "--partner-center-url", "x", "-o", "yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := tc.run(tc.args, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "Usage") {
				t.Fatalf("exit %d, stderr %q; want 2 with the usage", code, stderr.String())
			}
		})
	}
}
