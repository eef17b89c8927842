package partnercenter

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TestCartSamplesDecodeAndReencode decodes the cart samples into the models
// (no unknown key) and re-encodes them with every documented key path.
func TestCartSamplesDecodeAndReencode(t *testing.T) {
	tests := []struct {
		fixture string
		into    any
		check   func(t *testing.T, v any)
	}{
		{"cart_create_request.json", &wire.Cart{}, func(t *testing.T, v any) {
			c := v.(*wire.Cart)
			if !c.PartnerOnRecordAttestationAccepted || c.LineItems[0].Participants[0] != (wire.Participant{Key: wire.ParticipantTransactionReseller, Value: "5357564"}) {
				t.Errorf("cart request: %+v", c)
			}
		}},
		{"cart_response.json", &wire.Cart{}, func(t *testing.T, v any) {
			c := v.(*wire.Cart)
			if c.Status != wire.CartStatusActive || c.LineItems[1].Error.ErrorCode != wire.CartErrorInventoryNotAvailable || c.LineItems[0].OrderGroup != "0" {
				t.Errorf("cart: %+v", c)
			}
		}},
		{"cart_checkout_result.json", &wire.CartCheckoutResult{}, func(t *testing.T, v any) {
			r := v.(*wire.CartCheckoutResult)
			if len(r.Orders) != 1 || r.Orders[0].LineItems[0].SubscriptionID == "" || r.OrderErrors[0].Code != "10003" {
				t.Errorf("checkout result: %+v", r)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			raw := readFixture(t, tt.fixture)
			decodeStrict(t, raw, tt.into)
			tt.check(t, tt.into)
			again, err := json.Marshal(tt.into)
			if err != nil {
				t.Fatal(err)
			}
			got := keyPaths(t, again)
			for _, want := range keyPaths(t, raw) {
				if want != "lineItems[].provisioningContext" && !slices.Contains(got, want) {
					t.Errorf("re-encoded sample lost %s", want)
				}
			}
		})
	}
}

// TestCheckoutIsSentWithoutBody: the checkout is a POST with no body to .../carts/{id}/checkout.
func TestCheckoutIsSentWithoutBody(t *testing.T) {
	srv := newFakeServer(t, reply{status: http.StatusCreated, body: string(readFixture(t, "cart_checkout_result.json"))})
	res, err := newTestClient(t, srv.URL).CheckoutCart(context.Background(), "req-1", "cust", "cart-1")
	if err != nil {
		t.Fatal(err)
	}
	seen := srv.last(t)
	if seen.Method != http.MethodPost || seen.Path != "/v1/customers/cust/carts/cart-1/checkout" || len(seen.Body) != 0 || seen.Header.Get(wire.HeaderRequestID) != "req-1" {
		t.Errorf("checkout sent %s %s body %q", seen.Method, seen.Path, seen.Body)
	}
	if len(res.Orders) != 1 {
		t.Errorf("result %+v", res)
	}
}
