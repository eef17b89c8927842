package pcsim

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// errRealClock is returned when the clock cannot be advanced because the simulator runs on real time.
var errRealClock = errors.New("pcsim: the simulator runs on real time (no SimClock configured)")

// registerControl serves the /sim/... control API (see docs/simulator.md). It needs no token.
func (s *Simulator) registerControl(mux *http.ServeMux) {
	actions := map[string]func(r *http.Request) error{
		"POST /sim/customers/{id}/approve-verification": func(r *http.Request) error { return s.ApproveVerification(r.PathValue("id")) },
		"POST /sim/customers/{id}/reject-verification":  func(r *http.Request) error { return s.RejectVerification(r.PathValue("id")) },
		"POST /sim/customers/{id}/sign-mca":             func(r *http.Request) error { return s.CustomerSignsMCA(r.PathValue("id")) },
		"POST /sim/resellers/{mpn}/accept-partnership":  func(r *http.Request) error { return s.AcceptPartnership(r.PathValue("mpn")) },
		"POST /sim/resellers/{mpn}/remove-partnership":  func(r *http.Request) error { return s.RemovePartnership(r.PathValue("mpn")) },
		"POST /sim/tenants/{id}/accept-relationship":    func(r *http.Request) error { return s.AcceptRelationshipRequest(r.PathValue("id")) },
		"POST /sim/domains/{domain}":                    func(r *http.Request) error { s.TakeDomain(r.PathValue("domain")); return nil },
		"POST /sim/resellers": func(r *http.Request) error {
			var res Reseller
			if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
				return err
			}
			return s.RegisterReseller(res)
		},
		"POST /sim/tenants": func(r *http.Request) error {
			var t struct{ TenantID, CompanyName string }
			if err := json.NewDecoder(r.Body).Decode(&t); err != nil {
				return err
			}
			return s.AddExistingTenant(t.TenantID, t.CompanyName)
		},
		"POST /sim/customers/{id}/cannot-sign-directly": func(r *http.Request) error { return s.SetCannotSignDirectly(r.PathValue("id")) },
		"POST /sim/customers/{id}/verification-status": func(r *http.Request) error {
			return s.SetVerificationStatus(r.PathValue("id"), r.URL.Query().Get("status"))
		},
		"POST /sim/attestations/{id}/accept": func(r *http.Request) error { return s.CustomerAcceptsAttestation(r.PathValue("id")) },
		"POST /sim/subscriptions/{id}/quantity": func(r *http.Request) error {
			n, err := strconv.Atoi(r.URL.Query().Get("value"))
			if err != nil {
				return err
			}
			return s.PortalChangeQuantity(r.PathValue("id"), n)
		},
		"POST /sim/subscriptions/{id}/suspend": func(r *http.Request) error { return s.PortalSuspendSubscription(r.PathValue("id")) },
		"PUT /sim/customers/{id}/billing-profile": func(r *http.Request) error {
			var p pc.BillingProfile
			if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
				return err
			}
			return s.PortalEditBillingProfile(r.PathValue("id"), p)
		},
		"POST /sim/address-verdict": func(r *http.Request) error { return s.ForceAddressVerdict(r.URL.Query().Get("status")) },
		"POST /sim/clock/advance": func(r *http.Request) error {
			d, err := time.ParseDuration(r.URL.Query().Get("by"))
			if err != nil {
				return err
			}
			return s.Advance(d)
		},
	}
	mux.HandleFunc("POST /sim/book", s.seedHandler)
	for pattern, act := range actions {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if err := act(r); err != nil {
				writeControlJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
	}
	reads := map[string]func(r *http.Request) any{
		"GET /sim/calls":         func(*http.Request) any { return s.CallCounts() },
		"GET /sim/outbox":        func(*http.Request) any { return s.Outbox() },
		"GET /sim/customers":     func(*http.Request) any { return s.Customers() },
		"GET /sim/orders":        func(*http.Request) any { return s.Orders() },
		"GET /sim/subscriptions": func(*http.Request) any { return s.Subscriptions() },
		"GET /sim/attestations":  func(*http.Request) any { return s.Attestations() },
		"GET /sim/rate-limited":  func(*http.Request) any { return map[string]int{"rateLimited": s.RateLimitedCalls()} },
		"GET /sim/throttle-violations": func(*http.Request) any {
			return map[string]any{"violations": s.ThrottleViolations(), "inFlight": s.InFlightAtThrottle(), "violationDelays": s.ThrottleViolationDelays()}
		},
		"GET /sim/clock": func(*http.Request) any { return map[string]time.Time{"now": s.clock.Now()} },
		"GET /sim/tokens/{kind}": func(r *http.Request) any {
			kinds := map[string]TokenKind{"app-only": TokenAppOnly, "app-user": TokenAppUser, "arm": TokenARM, "app-user-no-mfa": TokenAppUserWithoutMFA}
			kind, ok := kinds[r.PathValue("kind")]
			if !ok {
				return map[string]string{"error": "kind must be app-only, app-user or arm"}
			}
			return map[string]string{"token": s.IssueToken(kind)}
		},
	}
	for pattern, read := range reads {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) { writeControlJSON(w, http.StatusOK, read(r)) })
	}
}

// writeControlJSON writes a control-API JSON answer.
func writeControlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
