package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

func TestClientBudgetFromTheFlags(t *testing.T) {
	for share, want := range map[float64]float64{0.25: 0.75, 1: 0} {
		got, groups, err := (&scaleFlags{resyncShare: share, groupLimits: "documented"}).clientBudget()
		if err != nil || got != want || groups[wire.RateGroupCustomers] != wire.DocumentedLimit {
			t.Errorf("share %v: reserved %v, groups %v (%v); want %v and the documented limits", share, got, groups, err, want)
		}
	}
	for _, bad := range []scaleFlags{{resyncShare: 0}, {resyncShare: -0.1}, {resyncShare: 1.5}, {resyncShare: 0.25, groupLimits: "customers=fast"}} {
		if _, _, err := bad.clientBudget(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestTheFeedSkipsTheOperatorsOwnApplication(t *testing.T) {
	if got := ownApplicationID(&flags{}); got != pcsim.ApplicationID {
		t.Errorf("built-in simulator: %q, want the simulator's application", got)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, partnercenter.SecretKeyClientID), []byte("app-from-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_CLIENT_ID", "app-from-workload-identity")
	if got := ownApplicationID(&flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", credentialsDir: dir}); got != "app-from-secret" {
		t.Errorf("with a credentials Secret: %q", got)
	}
	simulatorDir := t.TempDir()
	token := pcsim.New(pcsim.Config{}).IssueToken(pcsim.TokenAppOnly)
	if err := os.WriteFile(filepath.Join(simulatorDir, partnercenter.SecretKeyAppOnlyToken), []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := ownApplicationID(&flags{partnerCenterURL: "http://127.0.0.1:8080", credentialsDir: simulatorDir}); got != pcsim.ApplicationID {
		t.Errorf("with a simulator's fixed token: %q, want the token's appid", got)
	}
	if got := ownApplicationID(&flags{partnerCenterURL: "https://api.partnercenter.microsoft.com", credentialsDir: t.TempDir()}); got != "app-from-workload-identity" {
		t.Errorf("with workload identity: %q", got)
	}
}
