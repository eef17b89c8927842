package testenv

import (
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// PartnerCenterClient is the operator's REST client for the simulator
// server over HTTP, with the tokens the simulator issues. Retries are off:
// tests see every failure (reconcilers retry by requeue).
func PartnerCenterClient(server *pcsim.Server) (*partnercenter.Client, error) {
	return partnercenter.New(partnercenter.Options{
		BaseURL:    server.URL(),
		ARMBaseURL: server.URL(),
		AppOnly:    partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenAppOnly)),
		AppUser:    partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenAppUser)),
		ARM:        partnercenter.StaticTokenCredential(server.Sim.IssueToken(pcsim.TokenARM)),
		MaxRetries: -1,
		Logger:     ctrl.Log.WithName("partnercenter"),
	})
}

// SimulatorURL is the simulator's base URL (its control API, when enabled, is under /sim/).
func (e *Env) SimulatorURL() string { return e.server.URL() }
