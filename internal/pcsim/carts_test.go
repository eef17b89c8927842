package pcsim

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// buyer is a simulator with a customer that may buy (approved, MCA attested)
// and the Active reseller 5357564 of the cart sample.
func buyer(t *testing.T) (*harness, string) {
	h := newHarness(t, Config{})
	c := h.createCustomer("cartbuyer.example")
	h.expect(h.attest(c.ID, "tania@cartbuyer.example"), http.StatusCreated, "")
	if err := h.sim.RegisterReseller(Reseller{MPNID: "5357564", Name: "Trey Research"}); err != nil {
		t.Fatal(err)
	}
	if err := h.sim.AcceptPartnership("5357564"); err != nil {
		t.Fatal(err)
	}
	return h, c.ID
}

// sample is a request sample of internal/partnercenter/testdata.
func sample(t *testing.T, name string) json.RawMessage {
	b, err := os.ReadFile(filepath.Join("..", "partnercenter", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// keysOf are the top-level keys of a JSON object.
func keysOf(t *testing.T, raw []byte) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCartSampleIsAnsweredAsDocumented posts the documented cart sample:
// 201 Active with id, timestamps (expiring 7 days after creation) and
// per-line orderGroup; checkout 201 {orders, one order per group}, the
// reseller as partner of record; a second checkout returns the original
// result (idempotent), or 400 800065 in the older behaviour.
func TestCartSampleIsAnsweredAsDocumented(t *testing.T) {
	h, customerID := buyer(t)
	rec := h.do(h.appOnly, http.MethodPost, "/v1/customers/"+customerID+"/carts", sample(t, "cart_create_request.json"))
	h.expect(rec, http.StatusCreated, "")
	for _, key := range []string{"id", "creationTimestamp", "lastModifiedTimestamp", "expirationTimestamp", "status", "lineItems"} {
		if _, ok := keysOf(t, rec.Body.Bytes())[key]; !ok {
			t.Errorf("cart answer has no %s: %s", key, rec.Body)
		}
	}
	var cart pc.Cart
	h.decodeInto(rec, &cart)
	created, _ := pc.ParseTime(cart.CreationTimestamp)
	expires, _ := pc.ParseTime(cart.ExpirationTimestamp)
	if cart.Status != pc.CartStatusActive || expires.Sub(created) != 7*24*time.Hour || cart.LineItems[0].OrderGroup == "" || cart.LineItems[0].Error != nil {
		t.Fatalf("cart %+v", cart)
	}

	checkout := "/v1/customers/" + customerID + "/carts/" + cart.ID + "/checkout"
	first := h.do(h.appOnly, http.MethodPost, checkout, nil)
	h.expect(first, http.StatusCreated, "")
	var result pc.CartCheckoutResult
	h.decodeInto(first, &result)
	if len(result.Orders) != 1 || len(result.OrderErrors) != 0 || result.Orders[0].LineItems[0].PartnerIDOnRecord != "5357564" || result.Orders[0].LineItems[0].SubscriptionID == "" {
		t.Fatalf("checkout %s", first.Body)
	}
	again := h.do(h.appOnly, http.MethodPost, checkout, nil)
	h.expect(again, http.StatusCreated, "")
	if again.Body.String() != first.Body.String() {
		t.Errorf("second checkout %s, want the original %s", again.Body, first.Body)
	}
	if got := len(h.sim.Orders()); got != 1 {
		t.Errorf("%d orders after two checkouts, want 1", got)
	}
	h.sim.SetCheckoutConflict(true)
	h.expect(h.do(h.appOnly, http.MethodPost, checkout, nil), http.StatusBadRequest, pc.CodeCartAlreadySubmitted)
}

// TestCartRules is table-driven: what a cart line or cart state answers.
func TestCartRules(t *testing.T) {
	tests := []struct {
		name        string
		cart        pc.Cart
		advance     time.Duration
		wantLineErr pc.Code
		wantStatus  int
	}{
		{"a GUID is not a catalog item", cartWith("031C9E47-4802-4248-838E-778FB1D2CC05", "", true), 0, pc.CartErrorCatalogItemIDNotValid, http.StatusCreated},
		{"a reseller without the attestation", cartWith("CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ", "5357564", false), 0, pc.CartErrorAttestationNotAccepted, http.StatusCreated},
		{"an expired cart is gone", cartWith("CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ", "", false), 7 * 24 * time.Hour, "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, customerID := buyer(t)
			rec := h.do(h.appOnly, http.MethodPost, "/v1/customers/"+customerID+"/carts", tt.cart)
			h.expect(rec, http.StatusCreated, "")
			var cart pc.Cart
			h.decodeInto(rec, &cart)
			if tt.wantLineErr != "" && (cart.LineItems[0].Error == nil || cart.LineItems[0].Error.ErrorCode != tt.wantLineErr) {
				t.Fatalf("line error %+v, want %s", cart.LineItems[0].Error, tt.wantLineErr)
			}
			h.clock.Advance(tt.advance)
			out := h.do(h.appOnly, http.MethodPost, "/v1/customers/"+customerID+"/carts/"+cart.ID+"/checkout", nil)
			if tt.wantStatus == http.StatusNotFound {
				h.expect(out, http.StatusNotFound, "")
				return
			}
			var result pc.CartCheckoutResult
			h.decodeInto(out, &result)
			if len(result.Orders) != 0 || len(result.OrderErrors) != 1 || result.OrderErrors[0].Code != lineErrorNumbers[tt.wantLineErr] {
				t.Errorf("checkout of a bad line: %s", out.Body)
			}
		})
	}
}

// cartWith is a one-line cart of item, with reseller as transaction_reseller when set.
func cartWith(item, reseller string, attested bool) pc.Cart {
	li := pc.CartLineItem{CatalogItemID: item, Quantity: 1, BillingCycle: pc.BillingCycleMonthly, TermDuration: pc.TermP1M}
	if reseller != "" {
		li.Participants = []pc.Participant{{Key: pc.ParticipantTransactionReseller, Value: reseller}}
	}
	return pc.Cart{PartnerOnRecordAttestationAccepted: attested, LineItems: []pc.CartLineItem{li}}
}
