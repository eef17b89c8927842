package main

import (
	"fmt"
	"time"

	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// builtInSimulator starts the Partner Center simulator in-process on
// loopback and a client for it: the embedded default used by `make demo`.
// Timings are short but real: verification ~10 s, a reseller accepts ~5 s
// after its MPN ID is checked, a direct-acceptance customer signs ~5 s after
// creation, a partner attestation's customer accepts its link ~5 s after it
// was created.
func builtInSimulator(f *flags) (*partnercenter.Client, v1alpha1.Backend, error) {
	cfg := pcsim.Config{
		VerificationDelay:      10 * time.Second,
		PartnershipAcceptDelay: 5 * time.Second,
		DirectSignDelay:        5 * time.Second,
		AttestationAcceptDelay: 5 * time.Second,
		OrderCompletionDelay:   2 * time.Second,
		// The operator's --reseller-invitation-url, so the link the operator
		// hands out is the one the simulator knows (empty: the simulator's default).
		ResellerInvitationURL: f.resellerInvitationURL,
	}
	if err := f.simulator.Apply(&cfg); err != nil {
		return nil, "", fmt.Errorf("--simulator-*: %w", err)
	}
	reserved, groupLimits, err := f.scale.clientBudget()
	if err != nil {
		return nil, "", err
	}
	server, err := pcsim.NewServer(cfg)
	if err != nil {
		return nil, "", err
	}
	// ResellerPartnerships hand out the link the simulator serves (R2).
	f.resellerInvitationURL = server.Sim.ResellerInvitationURL()
	setupLog.Info("!!! --partner-center-url is empty: using the BUILT-IN PARTNER CENTER SIMULATOR. "+
		"Nothing real is created or bought; every object's status.backend says Simulated.", "url", server.URL())
	pc, err := partnercenter.New(partnercenter.Options{
		BaseURL: server.URL(), ARMBaseURL: server.URL(),
		AppOnly:           partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenAppOnly)),
		AppUser:           partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenAppUser)),
		ARM:               partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenARM)),
		RequestsPerSecond: f.requestsPerSecond, Burst: f.burst, ReservedShare: reserved, GroupLimits: groupLimits,
		Registerer: ctrlmetrics.Registry,
	})
	return pc, v1alpha1.BackendSimulated, err
}
