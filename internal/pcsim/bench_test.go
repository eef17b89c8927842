package pcsim

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// BenchmarkHotPaths measures the calls reconcilers repeat most, through the full handler
// (routing, token check, throttle draw, settle, JSON) against a populated simulator.
func BenchmarkHotPaths(b *testing.B) {
	h := newHarness(b, Config{DirectSignDelay: -1, OrderCompletionDelay: time.Hour})
	for i := range 200 {
		h.createCustomer("bench" + strconv.Itoa(i) + ".onmicrosoft.com")
	}
	h.clock.Advance(time.Hour)
	c, sub := activeSubscription(b, h, "hot.onmicrosoft.com")
	h.clock.Advance(time.Hour)
	for _, bc := range []struct {
		name, token, method, path string
		want                      int
	}{
		{"GetCustomer", h.appOnly, http.MethodGet, "/v1/customers/" + c.ID, http.StatusOK},
		{"GetAccountValidationStatus", h.appUser, http.MethodGet, "/v1/customers/" + c.ID + "/validationStatus?type=account", http.StatusOK},
		{"ListAgreements", h.appUser, http.MethodGet, "/v1/customers/" + c.ID + "/agreements?agreementType=MicrosoftCustomerAgreement", http.StatusOK},
		{"GetSubscription", h.appOnly, http.MethodGet, "/v1/customers/" + c.ID + "/subscriptions/" + sub.ID, http.StatusOK},
		{"CheckDomain", h.appOnly, http.MethodHead, "/v1/domains/bench1.onmicrosoft.com", http.StatusOK},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if rec := h.do(bc.token, bc.method, bc.path, nil); rec.Code != bc.want {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
	b.Run("CreateCustomer", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			rec := h.do(h.appOnly, http.MethodPost, "/v1/customers", customerRequest("new"+strconv.Itoa(i)+".onmicrosoft.com", "US"))
			if rec.Code != http.StatusCreated {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	})
	b.Run("CreateOrder", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			order := pc.Order{LineItems: []pc.OrderLineItem{{OfferID: "offer-" + strconv.Itoa(i), Quantity: 1}}}
			rec := h.do(h.appOnly, http.MethodPost, "/v1/customers/"+c.ID+"/orders", order, pc.HeaderRequestID, "bench-"+strconv.Itoa(i))
			if rec.Code != http.StatusCreated {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	})
}
