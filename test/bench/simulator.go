package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// Simulator is the Partner Center simulator running as its own process
// (bin/partnercenter-sim), read and driven through its /sim control API.
type Simulator struct {
	// URL is the simulator's base URL.
	URL  string
	proc *process
	http *http.Client
}

// SimOptions are the simulator's behaviour for one run.
type SimOptions struct {
	// ThrottleRate is the fraction of calls answered 429.
	ThrottleRate float64
	// RetryAfter is the Retry-After of a 429.
	RetryAfter time.Duration
	// RateLimits are the simulator's token buckets (--rate-limits; "documented").
	RateLimits string
	// LatencyP50 and LatencyP99 shape the answer delay (0: none).
	LatencyP50, LatencyP99 time.Duration
}

// StartSimulator starts bin/partnercenter-sim with every delay zero
// (verification, partnership acceptance, order completion instant), direct
// signing never (the workload attests), and optional throttling.
func StartSimulator(binary, logDir string, o SimOptions) (*Simulator, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := []string{
		"--listen=" + addr, "--control-api=true",
		"--verification-delay=0", "--partnership-accept-delay=0",
		"--direct-sign-delay=-1ns", "--order-completion-delay=0",
		fmt.Sprintf("--throttle-rate=%g", o.ThrottleRate),
	}
	if o.RetryAfter > 0 {
		args = append(args, "--retry-after="+o.RetryAfter.String())
	}
	if o.RateLimits != "" {
		args = append(args, "--rate-limits="+o.RateLimits)
	}
	if o.LatencyP50 > 0 {
		args = append(args, "--latency-p50="+o.LatencyP50.String(), "--latency-p99="+o.LatencyP99.String())
	}
	proc, err := startProcess(binary, args, nil, filepath.Join(logDir, "simulator.log"))
	if err != nil {
		return nil, err
	}
	s := &Simulator{URL: "http://" + addr, proc: proc, http: &http.Client{Timeout: time.Minute}}
	if err := waitFor(func() error { _, err := s.token("app-only"); return err }, 30*time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("simulator did not come up: %w", err)
	}
	return s, nil
}

// freeAddr picks a free loopback port.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// waitFor retries probe until it succeeds or timeout passes.
func waitFor(probe func() error, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := probe()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop ends the simulator.
func (s *Simulator) Stop() { s.proc.stop() }

// get reads a control-API resource into out.
func (s *Simulator) get(path string, out any) error {
	resp, err := s.http.Get(s.URL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("simulator %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// token fetches a bearer token of kind (app-only, app-user, arm).
func (s *Simulator) token(kind string) (string, error) {
	var t struct {
		Token string `json:"token"`
	}
	err := s.get("/sim/tokens/"+kind, &t)
	if err == nil && t.Token == "" {
		err = fmt.Errorf("simulator gave no %s token", kind)
	}
	return t.Token, err
}

// WriteCredentials writes the credentials directory the manager reads with
// --credentials-dir: the simulator-only fixed tokens the operator's Secret
// format accepts (appOnlyToken, appUserToken).
func (s *Simulator) WriteCredentials(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for kind, key := range map[string]string{"app-only": pc.SecretKeyAppOnlyToken, "app-user": pc.SecretKeyAppUserToken} {
		tok, err := s.token(kind)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, key), []byte(tok), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// Calls returns the per-operation call counters.
func (s *Simulator) Calls() (map[string]int, error) {
	calls := map[string]int{}
	return calls, s.get("/sim/calls", &calls)
}

// ThrottleViolations counts calls that arrived before their Retry-After,
// sent knowing of the 429 (with, for each, how long after the hold's 429 was
// answered it arrived), and apart those that were already on their way.
func (s *Simulator) ThrottleViolations() (violations int, delays []time.Duration, onTheirWay int, err error) {
	var v struct {
		Violations int             `json:"violations"`
		Delays     []time.Duration `json:"violationDelays"`
		InFlight   int             `json:"inFlight"`
	}
	err = s.get("/sim/throttle-violations", &v)
	return v.Violations, v.Delays, v.InFlight, err
}

// Duplicates counts customers created twice (same onmicrosoft.com domain)
// and orders placed twice (more than one order of an offer for a customer).
func (s *Simulator) Duplicates() (customers, orders int, err error) {
	var records []pcsim.CustomerRecord
	if err := s.get("/sim/customers", &records); err != nil {
		return 0, 0, err
	}
	domains := map[string]int{}
	for _, r := range records {
		if r.Customer.CompanyProfile != nil {
			domains[strings.ToLower(r.Customer.CompanyProfile.Domain)]++
		}
	}
	var list []wire.Order
	if err := s.get("/sim/orders", &list); err != nil {
		return 0, 0, err
	}
	placed := map[string]int{}
	for _, o := range list {
		for _, li := range o.LineItems {
			placed[o.ReferenceCustomerID+"/"+li.OfferID]++
		}
	}
	return extra(domains), extra(placed), nil
}

// extra sums the counts above one.
func extra(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += max(c-1, 0)
	}
	return n
}
