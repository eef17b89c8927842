package partnercenter

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// TestSubscriptionPatchKeepsWhatTheClientDoesNotModel reads a subscription
// carrying fields the model does not know, changes the quantity and PATCHes
// it: every other field reaches Partner Center exactly as it was read.
func TestSubscriptionPatchKeepsWhatTheClientDoesNotModel(t *testing.T) {
	read := readFixture(t, "subscription_unmodelled.json")
	srv := newFakeServer(t, reply{status: http.StatusOK, body: string(read)})
	c := newTestClient(t, srv.URL)
	sub, err := c.GetSubscription(context.Background(), "cust", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d")
	if err != nil {
		t.Fatal(err)
	}
	next := *sub
	next.Quantity = 7
	next.FriendlyName = ""
	if _, err := c.UpdateSubscription(context.Background(), "req", "cust", next); err != nil {
		t.Fatal(err)
	}

	var sent, want map[string]json.RawMessage
	if err := json.Unmarshal(srv.last(t).Body, &sent); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(read, &want); err != nil {
		t.Fatal(err)
	}
	want["quantity"] = json.RawMessage("7")
	delete(want, "friendlyName") // cleared: omitted, as the model encodes it
	for key, value := range want {
		if got, ok := sent[key]; !ok || !jsonEqual(t, got, value) {
			t.Errorf("PATCH body %s = %s, want %s", key, got, value)
		}
	}
	for key := range sent {
		if _, ok := want[key]; !ok {
			t.Errorf("PATCH body added %s", key)
		}
	}
}

// TestSubscriptionWithoutReadEncodesTheModel: a subscription built in code
// (the simulator's) encodes its modelled fields only.
func TestSubscriptionWithoutReadEncodesTheModel(t *testing.T) {
	b, err := json.Marshal(wire.Subscription{ID: "s", Quantity: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"quantity":2`)) || bytes.Contains(b, []byte("promotionId")) {
		t.Errorf("encoded %s", b)
	}
}

// jsonEqual compares two JSON values ignoring formatting.
func jsonEqual(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
