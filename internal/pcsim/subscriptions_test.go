package pcsim

import (
	"net/http"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

func TestSupportContactGoAPI(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "contactapi.onmicrosoft.com")
	if _, ok := h.sim.SupportContact(sub.ID); ok {
		t.Fatal("a support contact before any was set")
	}
	_ = h.sim.AcceptPartnership("4391507")
	tenant := h.sim.resellers["4391507"].TenantID
	path := "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID + "/supportcontact"
	h.expect(h.do(h.appUser, http.MethodPut, path, pc.SupportContact{SupportTenantID: tenant, SupportMpnID: "4391507"}), http.StatusOK, "")
	got, ok := h.sim.SupportContact(sub.ID)
	if !ok || got.SupportTenantID != tenant || got.SupportMpnID != "4391507" || got.Name == "" {
		t.Fatalf("support contact %+v (ok %t)", got, ok)
	}
}

func TestRenewalReopensTheCancellationWindow(t *testing.T) {
	h := newHarness(t, Config{DirectSignDelay: -1})
	c, sub := activeSubscription(t, h, "rewindow.onmicrosoft.com")
	end, _ := pc.ParseTime(sub.CommitmentEndDate)
	h.clock.Advance(end.Sub(h.clock.Now()) + time.Hour)
	var renewed pc.Subscription
	h.decodeInto(h.do(h.appOnly, http.MethodGet, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, nil), &renewed)
	until, _ := pc.ParseTime(renewed.CancellationAllowedUntilDate)
	if !until.Equal(end.Add(cancellationWindow)) {
		t.Fatalf("cancellation window after renewal ends %s, want %s", until, end.Add(cancellationWindow))
	}
	renewed.Status = pc.SubscriptionStatusDeleted
	h.expect(h.do(h.appOnly, http.MethodPatch, "/v1/customers/"+c.ID+"/subscriptions/"+sub.ID, renewed), http.StatusOK, "")
}
