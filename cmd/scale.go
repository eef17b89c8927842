package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/controller/safetynet"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// scaleFlags size the operator for a large book (docs/operations.md, sizing).
type scaleFlags struct {
	// feedInterval is the time between two polls of the audit records; 0 turns the feed off.
	feedInterval time.Duration
	// resyncShare is the share of the Partner Center budget the safety-net
	// resync may take: its period stretches to fit, and the client keeps the
	// rest for writes and user-driven reads.
	resyncShare float64
	// groupLimits are Partner Center's limits per operation group the client paces itself by.
	groupLimits string
}

// defaultResyncPeriod: with the change feed finding outside changes, the full
// resync is a safety net.
const defaultResyncPeriod = 24 * time.Hour

func (s *scaleFlags) bind(fs *flag.FlagSet) {
	fs.DurationVar(&s.feedInterval, "change-feed-interval", time.Minute,
		"How often the partner's audit records are read for changes made outside the operator (one call, plus one per 500 records); 0 turns the change feed off.")
	fs.Float64Var(&s.resyncShare, "resync-budget-share", 0.25,
		"Share (0 < share ≤ 1) of the Partner Center budget (--partner-center-qps) that drift checks may take: the resync period stretches when the book does not fit, and the rest is kept for writes and user-driven reads.")
	s.bindGroupLimits(fs)
}

// bindGroupLimits binds --partner-center-group-limits, which the manager and
// its subcommands (export, plan) share.
func (s *scaleFlags) bindGroupLimits(fs *flag.FlagSet) {
	fs.StringVar(&s.groupLimits, "partner-center-group-limits", "documented",
		`Partner Center's rate limits per operation group, which the client paces each group's calls by: "documented" (500/min on customers and on orders), group=requests/period,... (e.g. customers=500/1m,orders=500/1m) or empty (none).`)
}

// clientBudget is the client's share kept for writes and user-driven reads,
// and its pace per operation group.
func (s *scaleFlags) clientBudget() (reservedShare float64, groupLimits map[string]wire.RateLimit, err error) {
	if s.resyncShare <= 0 || s.resyncShare > 1 {
		return 0, nil, fmt.Errorf("--resync-budget-share %v: must be above 0 and at most 1", s.resyncShare)
	}
	if groupLimits, err = wire.ParseRateLimits(s.groupLimits); err != nil {
		return 0, nil, fmt.Errorf("--partner-center-group-limits: %w", err)
	}
	return 1 - s.resyncShare, groupLimits, nil
}

// setupScale adds the safety-net planner (to cfg) and the change feed to mgr.
func setupScale(mgr ctrl.Manager, pc *partnercenter.Client, cfg *config.Operator, f *flags) (*changefeed.Feed, error) {
	planner := &safetynet.Planner{Reader: mgr.GetCache(), BudgetPerMinute: f.requestsPerSecond * 60, Share: f.scale.resyncShare}
	cfg.SafetyNet = planner
	if err := mgr.Add(planner); err != nil {
		return nil, err
	}
	for _, c := range append(safetynet.Collectors(), changefeed.Collectors()...) {
		if err := ctrlmetrics.Registry.Register(c); err != nil {
			return nil, err
		}
	}
	if f.scale.feedInterval <= 0 {
		return nil, nil
	}
	return changefeed.Setup(context.Background(), mgr, changefeed.Options{
		Records: pc, Interval: f.scale.feedInterval, OwnApplicationID: ownApplicationID(f), Now: cfg.Now,
	})
}

// ownApplicationID is the Entra application the operator calls Partner
// Center as, whose audit records the feed skips: the credentials Secret's
// clientId, else the appid claim of its fixed app-only token (a simulator
// behind --partner-center-url), else the workload identity's
// AZURE_CLIENT_ID (an application ID is no secret). Unknown: "" (every
// record wakes its objects).
func ownApplicationID(f *flags) string {
	if f.partnerCenterURL == "" {
		return pcsim.ApplicationID
	}
	if b, err := os.ReadFile(filepath.Join(f.credentialsDir, partnercenter.SecretKeyClientID)); err == nil {
		return strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(filepath.Join(f.credentialsDir, partnercenter.SecretKeyAppOnlyToken)); err == nil {
		if appID := tokenAppID(strings.TrimSpace(string(b))); appID != "" {
			return appID
		}
	}
	return os.Getenv("AZURE_CLIENT_ID")
}

// tokenAppID reads the appid claim of a JWT without verifying it (the
// token is only sent; the claim only names whose records to skip).
func tokenAppID(token string) string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var claims struct {
		AppID string `json:"appid"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	return claims.AppID
}
